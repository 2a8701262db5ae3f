# nook profile: mpv
# mpv, the media player.
#
# Home: every non-hidden entry of the home, read-only (the media to play); its
#   configuration, scripts included (~/.config/mpv), read-only: a script written there
#   would run in every later mpv, sandboxed or not. Writable, and made if missing: its
#   watch-later positions (~/.config/mpv/watch_later up to mpv 0.35, Debian 12's;
#   ~/.local/state/mpv from 0.36) and ${PICTURES}, for screenshots. Every other dotfile is
#   hidden; the rest is a throwaway tmpfs. mpv writes a screenshot into the directory it
#   was started in (read-only, or the throwaway home: the "s" key then fails, or the
#   picture is lost) unless screenshot-directory is set: put
#   "screenshot-directory=~/Pictures" into ~/.config/mpv/mpv.conf.
# Network: none: a hostile media file cannot send anything anywhere. URLs (mpv runs
#   yt-dlp for them) need "net slirp", "protocol unix,inet,inet6,netlink" and
#   "ignore include disable-interpreters.inc" in mpv.local.
# Display: X11 and Wayland; no GPU: software rendering. Sound: yes. D-Bus: the session bus
#   filtered by xdg-dbus-proxy to mpv's MPRIS names (with the mpv-mpris plug-in: the
#   desktop's media controls), nothing else; no system bus.
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters
#   (mpv's Lua and JavaScript scripts run inside mpv). No W^X: software OpenGL (llvmpipe)
#   compiles shaders to machine code.
include mpv.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist-ro ${CFG}/mpv
mkdir ${HOME}/.local/state/mpv
whitelist ${HOME}/.local/state/mpv
whitelist-ro ${HOME}/*
include whitelist-common.inc
# read-write, not whitelist: applied after the whitelists, so it wins over the read-only
# ${HOME}/* and ${CFG}/mpv above, which name the same directory or hold it.
mkdir ${PICTURES}
read-write ${PICTURES}
mkdir ${CFG}/mpv/watch_later
read-write ${CFG}/mpv/watch_later

x11
caps.drop all
seccomp
net none
protocol unix
dbus-user filter
dbus-user.own org.mpris.MediaPlayer2.mpv.*
dbus-system none
