# nook profile: g++
# The C/C++ compiler driver, as gcc: the same sandbox (see gcc.profile).
include g++.local
include globals.local

include gcc.profile
