# nook profile: meson
# Meson: configures a build (meson setup), then builds, tests and installs it (meson
# compile, test, install), running ninja, the compilers and the project's own scripts, all
# in this sandbox.
#
# Writes: the directory nook was started in (${CWD}: the source tree, and a build directory
#   in it) and /tmp, nothing else (the developer tools' rule: see make.profile and
#   nook-profile(5)). A build directory elsewhere needs --bind=DIR; "meson install" needs
#   DESTDIR in the project (the system's prefix is read-only).
# Home: the host's, read-only (cross and native files in ~/.local/share/meson are read);
#   keys, tokens and histories hidden.
# Network: none: subprojects that download (wraps) need --net=slirp, or "meson subprojects
#   download" first.
# No W^X: the build runs anything (generators, tests), as make does. No D-Bus, sound or X11.
include meson.local
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
