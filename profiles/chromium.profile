# nook profile: chromium
# Chromium, the web browser.
#
# Home: its profile (~/.config/chromium), its cache (~/.cache/chromium), the NSS databases
#   of client certificates (~/.pki, ~/.local/share/pki) and ${DOWNLOADS}, writable; fonts,
#   themes and toolkit settings read-only. Everything else of the home is a throwaway
#   tmpfs: uploads come from ${DOWNLOADS}.
# Network: slirp (not the host's loopback). Sockets: unix, inet, inet6, netlink.
# Its own sandbox: Chromium refuses to run without it (or runs with --no-sandbox, which
#   must not be used). Its setuid helper cannot work under nook (no_new_privs, nosuid), so
#   it uses its namespace sandbox: user namespaces (allow-userns) and chroot (taken out of
#   the mount group) are allowed; mount itself stays denied.
# Display: X11 and Wayland; no GPU (nook's /dev has none): it renders in software. Sound:
#   yes. D-Bus: the session bus filtered by xdg-dbus-proxy: MPRIS (the desktop's media
#   controls), desktop notifications and the portal's file chooser and settings
#   (dbus-portals.inc); nothing else of the session bus, which can start commands outside.
#   No password storage in the keyring (Chromium then keeps passwords in its profile, in
#   clear text: use "password-store=basic" knowingly, or a password manager). No system
#   bus.
# No W^X (JavaScript JIT). Nothing under the home, /tmp or /dev/shm can be executed.
#   No interpreters or compilers for an exploit to use.
# One instance a profile: two Chromiums on one profile corrupt its databases. Chromium's own
#   check (a lock naming HOST-PID) fails across pid namespaces, so its socket directory is
#   shared instead: TMPDIR is ${RUNUSER}/app/chromium, the same path on the host and in
#   every chromium sandbox, and a second start, in nook or not, hands its arguments to the
#   running one (a new window). A Chromium that runs outside nook keeps its socket where no
#   sandbox sees it: then nook refuses to start (single-instance), in one line.
include chromium.local
include globals.local

noblacklist ${CFG}/chromium
noblacklist ${HOME}/.cache/chromium
noblacklist ${HOME}/.pki
noblacklist ${HOME}/.local/share/pki
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${CFG}/chromium
mkdir ${HOME}/.cache/chromium
mkdir ${HOME}/.pki
mkdir ${HOME}/.local/share/pki
mkdir ${DOWNLOADS}
whitelist ${CFG}/chromium
whitelist ${HOME}/.cache/chromium
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
dbus-user.own org.mpris.MediaPlayer2.chromium.*
dbus-user.talk org.freedesktop.Notifications
include dbus-portals.inc
dbus-system none

mkdir ${RUNUSER}/app/chromium
whitelist ${RUNUSER}/app/chromium
env TMPDIR=${RUNUSER}/app/chromium
single-instance ${CFG}/chromium/SingletonLock
