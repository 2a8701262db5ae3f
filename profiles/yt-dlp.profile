# nook profile: yt-dlp
# yt-dlp: downloads videos and audio from web sites (a Python program; it runs ffmpeg to
# merge and convert).
#
# Home: ${DOWNLOADS}, ${VIDEOS} and ${MUSIC}, writable (yt-dlp saves into the current
#   directory: run it in one of them, or use -P DIR); its configuration
#   (~/.config/yt-dlp, read-only: it can name commands to run, --exec). The rest of the
#   home is a throwaway tmpfs, its cache (~/.cache/yt-dlp) too. Browser cookies
#   (--cookies-from-browser) are out of reach: the browsers' profiles are hidden.
# Network: slirp; sockets: unix, inet, inet6.
# No W^X: some sites need a JavaScript engine (deno, phantomjs). Nothing it downloads can
#   be executed. No D-Bus, sound or X11.
include yt-dlp.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-exec.inc

mkdir ${DOWNLOADS}
whitelist ${DOWNLOADS}
whitelist ${VIDEOS}
whitelist ${MUSIC}
whitelist-ro ${CFG}/yt-dlp
whitelist-ro ${CFG}/yt-dlp.conf
whitelist-ro ${HOME}/yt-dlp.conf

caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
