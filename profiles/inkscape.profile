# nook profile: inkscape
# Inkscape, the vector graphics editor.
#
# Home: every non-hidden entry of the home, writable (drawings opened and saved); its
#   settings, palettes and extensions (~/.config/inkscape), writable. Every other dotfile
#   is hidden and the home itself is a throwaway tmpfs.
# Extensions are Python scripts run by the system's python3: interpreters stay. Nothing
#   under the home, /tmp or /dev/shm can be executed; no compilers.
# Network: none; sockets: unix only (no Open Clip Art import, no remote images in SVG).
# Display: X11 and Wayland. Sound: no. D-Bus: no. A random machine-id.
include inkscape.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-exec.inc

mkdir ${CFG}/inkscape
whitelist ${CFG}/inkscape
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
