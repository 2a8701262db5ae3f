# nook profile: gimp
# GIMP, the GNU Image Manipulation Program.
#
# Home: every non-hidden entry of the home, writable (the images it opens and exports);
#   its settings, brushes and scripts (~/.config/GIMP), writable, as GIMP must write it.
#   Every other dotfile is hidden and the home itself is a throwaway tmpfs.
# Plug-ins: those installed with GIMP run (they are in /usr); those the user put into
#   ~/.config/GIMP do not (nothing under the home can be executed), so no plug-in can be
#   planted there for a later GIMP.
# Network: none; sockets: unix only. Display: X11 and Wayland. Sound: no. D-Bus: no.
# No compilers; interpreters stay (script and Python plug-ins). A random machine-id.
include gimp.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-exec.inc

mkdir ${CFG}/GIMP
whitelist ${CFG}/GIMP
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
