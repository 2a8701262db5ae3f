# nook profile: cc
# The C/C++ compiler driver, as gcc: the same sandbox (see gcc.profile).
include cc.local
include globals.local

include gcc.profile
