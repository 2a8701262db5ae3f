# nook profile: libreoffice
# LibreOffice: word processor, spreadsheet, presentations, drawing (all of them: writer,
# calc, impress... are "libreoffice --writer" and so on).
#
# Home: every non-hidden entry of the home, writable (the documents it opens and saves);
#   its user profile (~/.config/libreoffice: settings, dictionaries, templates, macros),
#   writable, as LibreOffice must write it to run. Every other dotfile is hidden and the
#   home itself is a throwaway tmpfs. Macros written into the user profile would run in
#   a later LibreOffice outside a sandbox: run LibreOffice only through nook.
# Network: none; sockets: unix only. A hostile document cannot fetch remote images or
#   send anything (no online update check, no extension downloads: use --net=slirp).
# Display: X11 and Wayland; with the X display, the host's ipc namespace, so that the
#   X server can attach its MIT-SHM segments (it reaches the user's segments anyway; see
#   nook-run(1), MIT-SHM and the ipc namespace). Sound: no. D-Bus: no.
# Nothing under the home, /tmp or /dev/shm can be executed (extensions with native
#   libraries do not load); no compilers. Python stays: LibreOffice's scripting and some
#   of its wizards are Python. No W^X: its Basic and Java need none, but Skia's software
#   renderer generates code. A random machine-id.
include libreoffice.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-exec.inc

mkdir ${CFG}/libreoffice
whitelist ${CFG}/libreoffice
whitelist ${HOME}/*
include whitelist-common.inc

x11
ipc host
caps.drop all
seccomp
net none
protocol unix
nodbus
nosound
machine-id
