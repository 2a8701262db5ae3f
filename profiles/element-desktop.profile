# nook profile: element-desktop
# Element, the Matrix client (an Electron program).
#
# Home: its data (~/.config/Element: sessions, keys, cached messages), writable, and
#   ${DOWNLOADS}, writable; fonts, themes and toolkit settings read-only. Everything else
#   of the home is a throwaway tmpfs.
# Network: slirp; sockets: unix, inet, inet6, netlink.
# Electron's own sandbox (Chromium's): user namespaces and chroot are allowed (see
#   chromium.profile); mount stays denied.
# Display: X11 and Wayland. Sound: yes; no camera. D-Bus: no: no desktop notifications,
#   and no Secret Service: Element then keeps its session key with weaker protection
#   ("--password-store=basic"); remove nodbus in element-desktop.local to use the
#   keyring, knowing that the session bus can start commands outside the sandbox.
# Nothing under the home, /tmp or /dev/shm can be executed. No compilers or interpreters.
#   No W^X (JavaScript JIT).
include element-desktop.local
include globals.local

noblacklist ${CFG}/Element
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${CFG}/Element
mkdir ${DOWNLOADS}
whitelist ${CFG}/Element
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
