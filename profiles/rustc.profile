# nook profile: rustc
# The Rust compiler, run by hand: the same sandbox as cargo (see cargo.profile).
include rustc.local
include globals.local

include cargo.profile
