# nook profile: ninja
# Ninja: runs the commands of a build.ninja (written by meson, cmake, gn...), all in this
# sandbox.
#
# Writes: the directory nook was started in (${CWD}: the build directory, "ninja" run in
#   it; "ninja -C build" from the source tree writes the source tree too) and /tmp, nothing
#   else (the developer tools' rule: see make.profile and nook-profile(5)). Outputs outside
#   it need --bind=DIR.
# Home: the host's, read-only; keys, tokens and histories hidden.
# Network: none.
# No W^X: the build runs anything, as make does. No D-Bus, sound or X11.
include ninja.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}

caps.drop all
seccomp
net none
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
