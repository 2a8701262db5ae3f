# nook profile: feh
# feh, a light image viewer.
#
# Home: every non-hidden entry of the home, read-only (the pictures); its configuration
#   (~/.config/feh: themes and key bindings, which can run commands), read-only. Every
#   other dotfile is hidden; the rest is a throwaway tmpfs (so --action commands, which
#   run inside this sandbox, cannot change the home; --bg-* cannot write ~/.fehbg).
# Network: none (no URLs); sockets: unix only. Display: X11. Sound: no. D-Bus: no.
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters.
#   A random machine-id.
include feh.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist-ro ${CFG}/feh
whitelist-ro ${HOME}/*
include whitelist-common.inc

x11
caps.drop all
seccomp
net none
protocol unix
nodbus
nosound
machine-id
