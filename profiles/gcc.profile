# nook profile: gcc
# The GNU C compiler (and its driver for the other languages).
#
# Home: every non-hidden entry of the home (~/src, ...), writable, for sources and
#   outputs; every dotfile is hidden (keys, tokens, shell start-up files). The home itself
#   is a throwaway tmpfs; sources outside it are read-only (add --bind=DIR to write there).
# Network: none; sockets: unix only (the compiler talks to no one).
# W^X: gcc has no JIT. No D-Bus, sound or X11.
include gcc.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

whitelist ${HOME}/*

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix
nodbus
nosound
x11 none
machine-id
