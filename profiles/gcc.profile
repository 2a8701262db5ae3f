# nook profile: gcc
# The GNU C compiler (and its driver for the other languages).
#
# Writes: the directory nook was started in (${CWD}: the project's sources and objects) and
#   /tmp, nothing else (the developer tools' rule: see make.profile and nook-profile(5)).
#   Output elsewhere (-o ~/bin/x, sources of another tree) needs --bind=DIR.
# Home: the host's, read-only; keys, tokens and shell histories hidden.
# Network: none; sockets: unix only (the compiler talks to no one).
# W^X: gcc has no JIT. No D-Bus, sound or X11.
include gcc.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix
nodbus
nosound
x11 none
machine-id
