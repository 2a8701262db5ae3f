# nook profile: vlc
# VLC media player.
#
# Home: every non-hidden entry of the home, read-only (the media to play: ~/Music,
#   ~/Videos, wherever they are); its settings and media library (~/.config/vlc,
#   ~/.local/share/vlc), writable; ${PICTURES}, where VLC saves its snapshots, writable
#   (made if missing); fonts, themes and toolkit settings read-only. Every other dotfile
#   is hidden; the rest is a throwaway tmpfs. Recordings go to ${VIDEOS}, which stays
#   read-only (the media): "read-write ${VIDEOS}" in vlc.local lets them be saved.
# Network: none: a hostile media file cannot send anything anywhere. Streams, podcasts and
#   the services need "net slirp" and "protocol unix,inet,inet6,netlink" in vlc.local.
# Display: X11 and Wayland; no GPU: video is decoded and drawn in software. Sound: yes.
# D-Bus: the session bus filtered by xdg-dbus-proxy to VLC's MPRIS names (the desktop's
#   media controls and media keys; "one instance" mode hands a "vlc FILE" to the running
#   player), nothing else: no screensaver inhibition. No system bus.
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters
#   (VLC's Lua scripts run in its own Lua). No W^X: software OpenGL (llvmpipe) compiles
#   shaders to machine code.
include vlc.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${CFG}/vlc
mkdir ${HOME}/.local/share/vlc
whitelist ${CFG}/vlc
whitelist ${HOME}/.local/share/vlc
whitelist-ro ${HOME}/*
include whitelist-common.inc
# read-write, not whitelist: applied after the whitelists, so it wins over the read-only
# ${HOME}/* above, which names the same directory.
mkdir ${PICTURES}
read-write ${PICTURES}

x11
caps.drop all
seccomp
net none
protocol unix
dbus-user filter
dbus-user.own org.mpris.MediaPlayer2.vlc.*
dbus-system none
