# nook profile: okular
# Okular, KDE's document viewer (PDF, EPUB, DjVu, comic books, images...).
#
# Home: every non-hidden entry of the home, read-only (the documents); its annotations and
#   reading positions (~/.local/share/okular), writable; its settings (okularrc,
#   okularpartrc) and KDE's, read-only (a change of settings does not last); fonts and
#   themes read-only. Every other dotfile is hidden; the rest is a throwaway tmpfs:
#   saving a document works only into a directory made writable with --read-write=DIR.
# Network: none; sockets: unix only. A hostile document can neither send nor fetch.
# Display: X11 and Wayland. Sound: no. D-Bus: the session bus filtered by xdg-dbus-proxy
#   to the portal's file chooser and settings (dbus-portals.inc), nothing else: no
#   single-instance window reuse. No system bus.
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters.
#   A random machine-id.
include okular.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${HOME}/.local/share/okular
whitelist ${HOME}/.local/share/okular
whitelist-ro ${CFG}/okularrc
whitelist-ro ${CFG}/okularpartrc
whitelist-ro ${HOME}/.local/share/kxmlgui5/okular
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
