# nook profile: mpv
# mpv, the media player.
#
# Home: every non-hidden entry of the home, read-only (the media to play); its
#   configuration, scripts included (~/.config/mpv), read-only: a script written there
#   would run in every later mpv, sandboxed or not; its state (~/.local/state/mpv:
#   watch-later positions), writable. Every other dotfile is hidden; the rest is a
#   throwaway tmpfs (screenshots land in it unless screenshot-directory names a writable
#   place: add "whitelist ${PICTURES}" to mpv.local).
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

x11
caps.drop all
seccomp
net none
protocol unix
dbus-user filter
dbus-user.own org.mpris.MediaPlayer2.mpv.*
dbus-system none
