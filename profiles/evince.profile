# nook profile: evince
# Evince, GNOME's document viewer (PDF, PostScript, DjVu, TIFF, comic books).
#
# Home: every non-hidden entry of the home, read-only (the documents); its own state
#   (~/.local/share/evince), writable; fonts, themes and toolkit settings read-only.
#   Every other dotfile is hidden and the rest is a throwaway tmpfs: "Save a copy" works
#   only into a directory made writable with --read-write=DIR (or "read-write
#   ${DOCUMENTS}" in evince.local).
# Network: none; sockets: unix only (the display). A hostile PDF can neither send nor
#   fetch anything.
# Display: X11 and Wayland. Sound: no. D-Bus: the session bus filtered by xdg-dbus-proxy
#   to the portal's file chooser and settings (dbus-portals.inc), nothing else: no
#   single-instance window reuse, no GVFS metadata (the last page read is not remembered).
#   No system bus.
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters.
#   A random machine-id.
include evince.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${HOME}/.local/share/evince
whitelist ${HOME}/.local/share/evince
whitelist-ro ${HOME}/*
include whitelist-common.inc

x11
caps.drop all
seccomp
net none
protocol unix
dbus-user filter
include dbus-portals.inc
dbus-system none
nosound
machine-id
