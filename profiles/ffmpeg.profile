# nook profile: ffmpeg
# FFmpeg: converts, cuts and inspects audio and video files (hundreds of demuxers and
# decoders: a large parser of untrusted input).
#
# Home: every non-hidden entry of the home, writable (inputs and outputs); every dotfile
#   is hidden and the home itself is a throwaway tmpfs. Outside the home: read-only.
# Network: none (streams need --net=slirp). Sound: none (no recording from, or playing to,
#   the sound server: put "ignore nosound" in ffmpeg.local for that).
# W^X: FFmpeg's assembly is static, it has no JIT. No interpreters or compilers; nothing it
#   writes can be executed. No D-Bus or X11 (no screen grabbing).
include ffmpeg.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist ${HOME}/*

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
