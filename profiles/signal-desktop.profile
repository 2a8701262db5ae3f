# nook profile: signal-desktop
# Signal Desktop, the messenger (an Electron program).
#
# Home: its data (~/.config/Signal: messages, keys, attachments), writable, and
#   ${DOWNLOADS} (saved attachments), writable; fonts, themes and toolkit settings
#   read-only. Everything else of the home is a throwaway tmpfs: attach files from
#   ${DOWNLOADS}.
# Network: slirp; sockets: unix, inet, inet6, netlink.
# Electron's own sandbox (Chromium's): user namespaces and chroot are allowed (see
#   chromium.profile); mount stays denied.
# Display: X11 and Wayland. Sound: yes (calls, notification sounds); no camera (nook's
#   /dev has none: video calls show no picture). D-Bus: no (no desktop notifications, no
#   tray icon).
# Nothing under the home or /dev/shm can be executed; /tmp can (Signal loads native
#   modules it unpacks there). No compilers or interpreters. No W^X (JavaScript JIT).
include signal-desktop.local
include globals.local

noblacklist ${CFG}/Signal
ignore noexec /tmp
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${CFG}/Signal
mkdir ${DOWNLOADS}
whitelist ${CFG}/Signal
whitelist ${DOWNLOADS}
include whitelist-common.inc

x11
caps.drop all
seccomp
allow-userns
seccomp-allow chroot
net slirp
protocol unix,inet,inet6,netlink
nodbus
