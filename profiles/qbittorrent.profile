# nook profile: qbittorrent
# qBittorrent, the BitTorrent client (Qt).
#
# Home: its settings (~/.config/qBittorrent), its torrents, resume data and search
#   plug-ins (~/.local/share/qBittorrent), writable, and ${DOWNLOADS}, writable (set the
#   save path there); fonts, themes and toolkit settings read-only. Everything else of the
#   home is a throwaway tmpfs.
# Network: slirp; sockets: unix, inet, inet6, netlink. No incoming peer connections
#   unless its port is published ("publish PORT:PORT" in qbittorrent.local).
# Search plug-ins are Python scripts: interpreters stay. Nothing it downloads can be
#   executed (no exec under the home, /tmp, /dev/shm); no compilers.
# Display: X11 and Wayland. Sound: no. D-Bus: no (no notifications). A random machine-id.
include qbittorrent.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-exec.inc

mkdir ${CFG}/qBittorrent
mkdir ${HOME}/.local/share/qBittorrent
mkdir ${DOWNLOADS}
whitelist ${CFG}/qBittorrent
whitelist ${HOME}/.local/share/qBittorrent
whitelist ${DOWNLOADS}
include whitelist-common.inc

x11
caps.drop all
seccomp
net slirp
protocol unix,inet,inet6,netlink
nodbus
nosound
machine-id
