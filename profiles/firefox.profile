# nook profile: firefox
# Mozilla Firefox, the web browser.
#
# Home: its profile, its cache (~/.cache/mozilla/firefox), the NSS databases of client
#   certificates (~/.pki, ~/.local/share/pki) and ${DOWNLOADS}, writable; fonts, themes and
#   toolkit settings read-only (whitelist-common.inc). Everything else of the home is a
#   throwaway tmpfs: uploads come from ${DOWNLOADS}.
#   The profile is where the version that runs looks for it: up to Firefox 146,
#   ~/.mozilla/firefox; from 147 (153 ESR in Debian), ~/.config/mozilla/firefox, unless
#   ~/.mozilla/firefox exists (an older installation's, still used); crash reports go to
#   ~/.config/mozilla/firefox-esr. Both are whitelisted and made, so that the profile lasts
#   whichever it is: one missing would be made by Firefox in the throwaway home, and a new
#   profile (with a new random name in ~/.cache/mozilla/firefox, which lasts) would be made
#   at every start. The empty ~/.mozilla that nook makes does not send a newer Firefox
#   there: it looks for ~/.mozilla/firefox.
# Network: slirp (the Internet, not the host's loopback: --net-host-loopback reaches its
#   127.0.0.1 as 10.0.2.2). Sockets: unix, inet, inet6, netlink (network change events).
# Its own sandbox: Firefox puts its content processes in namespaces of their own and
#   chroots them, so user namespaces (allow-userns) and chroot (out of the mount group) are
#   allowed; mount itself stays denied.
# Display: X11 (--x11 semantics) and Wayland (its socket is in the runtime directory).
#   Sound: yes. D-Bus: the session bus filtered by xdg-dbus-proxy: its own names (a second
#   "firefox URL" reaches the running one), MPRIS (the desktop's media controls), desktop
#   notifications and the portal's file chooser and settings (dbus-portals.inc); nothing
#   else of the session bus, which can start commands outside. No system bus.
# No W^X (JavaScript JIT). Nothing under the home, /tmp or /dev/shm can be executed: the
#   DRM (Widevine) and OpenH264 plug-ins, which Firefox downloads into its profile, do not
#   run; "ignore noexec ${HOME}" in firefox.local allows them. No interpreters or
#   compilers for an exploit to use.
include firefox.local
include globals.local

noblacklist ${HOME}/.mozilla
noblacklist ${CFG}/mozilla
noblacklist ${HOME}/.cache/mozilla
noblacklist ${HOME}/.pki
noblacklist ${HOME}/.local/share/pki
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${HOME}/.mozilla
mkdir ${CFG}/mozilla
mkdir ${HOME}/.cache/mozilla/firefox
mkdir ${HOME}/.pki
mkdir ${HOME}/.local/share/pki
mkdir ${DOWNLOADS}
whitelist ${HOME}/.mozilla
whitelist ${CFG}/mozilla
whitelist ${HOME}/.cache/mozilla/firefox
whitelist ${HOME}/.pki
whitelist ${HOME}/.local/share/pki
whitelist ${DOWNLOADS}
include whitelist-common.inc

x11
caps.drop all
seccomp
allow-userns
seccomp-allow chroot
net slirp
protocol unix,inet,inet6,netlink
dbus-user filter
dbus-user.own org.mozilla.firefox.*
dbus-user.own org.mozilla.firefox_esr.*
dbus-user.own org.mpris.MediaPlayer2.firefox.*
dbus-user.talk org.freedesktop.Notifications
include dbus-portals.inc
dbus-system none
