# nook profile: unzip
# Info-ZIP unzip: lists, tests and extracts ZIP archives.
#
# Home: every non-hidden entry of the home, writable (where archives are unpacked). Every
#   dotfile is hidden and the home itself is a throwaway tmpfs: a "../" path in the
#   archive writes nowhere that lasts, and nothing unpacked can be executed inside.
#   Paths outside the home are read-only (add --bind=DIR).
# Network: none; sockets: unix only. No interpreters or compilers; W^X. No D-Bus, sound
#   or X11.
include unzip.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

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
