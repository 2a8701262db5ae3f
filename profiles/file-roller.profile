# nook profile: file-roller
# File Roller (GNOME's "Archive Manager"): a front end to tar, 7z, unzip, unrar and the
# compressors, which run in this sandbox too.
#
# Home: every non-hidden entry of the home, writable (archives opened, created and
#   unpacked); fonts, themes and toolkit settings read-only. Every other dotfile is hidden
#   and the home itself is a throwaway tmpfs: a "../.bashrc" in an archive writes nowhere
#   that lasts. Archives outside the home are read-only (add --bind=DIR).
# Network: none; sockets: unix only. Display: X11 and Wayland. Sound: no. D-Bus: no (no
#   single-instance window reuse, no "open with" through the desktop).
# Nothing unpacked can be executed (no exec under the home, /tmp, /dev/shm); no compilers
#   or interpreters. A random machine-id.
include file-roller.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist ${HOME}/*
include whitelist-common.inc

x11
caps.drop all
seccomp
net none
protocol unix
nodbus
nosound
machine-id
