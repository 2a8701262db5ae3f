# nook profile: c++
# The C/C++ compiler driver, as gcc: the same sandbox (see gcc.profile).
include c++.local
include globals.local

include gcc.profile
