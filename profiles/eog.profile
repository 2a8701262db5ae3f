# nook profile: eog
# Eye of GNOME, the image viewer.
#
# Home: every non-hidden entry of the home, read-only (the pictures); its plug-ins'
#   settings (~/.config/eog), read-only; fonts, themes and toolkit settings read-only.
#   Every other dotfile is hidden; the rest is a throwaway tmpfs: rotating and saving an
#   image, or deleting it, works only in a directory made writable with --read-write=DIR
#   (or "read-write ${PICTURES}" in eog.local).
# Network: none; sockets: unix only. Display: X11 and Wayland. Sound: no. D-Bus: no
#   (settings are read from dconf's database, not changed; no "set as wallpaper").
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters.
#   A random machine-id.
include eog.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist-ro ${CFG}/eog
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
