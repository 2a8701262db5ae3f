# nook profile: tar
# GNU tar: creates and unpacks archives (and runs gzip, xz, zstd... for compression).
#
# Home: every non-hidden entry of the home, writable (nook has no way to name just the
#   current directory). Every dotfile is hidden and the home itself is a throwaway tmpfs:
#   an archive with "../.bashrc" or ".config/autostart/x.desktop" in it writes nowhere that
#   lasts, and nothing unpacked can be executed inside. Paths outside the home are
#   read-only (add --bind=DIR to unpack there).
# Network: none; sockets: unix only (no remote archives, "rmt").
# No interpreters or compilers; W^X. No D-Bus, sound or X11.
include tar.local
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
