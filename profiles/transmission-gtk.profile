# nook profile: transmission-gtk
# Transmission, the BitTorrent client (GTK interface).
#
# Home: its settings, torrents and resume data (~/.config/transmission), writable, and
#   ${DOWNLOADS}, writable (where torrents are saved: set the download directory there);
#   fonts, themes and toolkit settings read-only. Everything else of the home is a
#   throwaway tmpfs: .torrent files are opened from ${DOWNLOADS}.
# Network: slirp; sockets: unix, inet, inet6. slirp forwards no incoming connection:
#   peers cannot connect in unless its peer port is published (--publish=PORT:PORT, in
#   transmission-gtk.local: "publish 51413:51413").
# Display: X11 and Wayland. Sound: no. D-Bus: no (no notifications; magnet links from a
#   browser start a second instance).
# Nothing it downloads can be executed (no exec under the home, /tmp, /dev/shm); no
#   compilers or interpreters. A random machine-id.
include transmission-gtk.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${CFG}/transmission
mkdir ${DOWNLOADS}
whitelist ${CFG}/transmission
whitelist ${DOWNLOADS}
include whitelist-common.inc

x11
caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
machine-id
