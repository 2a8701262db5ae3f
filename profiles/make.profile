# nook profile: make
# GNU Make: runs the commands of a Makefile (compilers, scripts, tests, other tools). They
# all run in this sandbox, under this profile.
#
# Writes: the directory nook was started in (${CWD}: the project) and /tmp, nothing else:
#   the rule of every developer tool's profile and of default.profile, so that "nook make"
#   and "nook -- sh -c make" may write the same places (see nook-profile(5), "Developer
#   tools"). Started in the home itself (or /), nothing of it is writable: start in the
#   project, or add --bind=DIR. A build elsewhere (make -C DIR) needs --bind=DIR too.
# Home: the host's, read-only; keys, tokens, histories and the like are hidden
#   (disable-secrets.inc), so a hostile Makefile can neither read them nor plant a
#   start-up file. Tools that write caches in the home (npm, pip, cargo, go) find it
#   read-only: give them nook's caches (--cache=npm:~/.npm), or run them as "nook npm".
# Network: none. A build that downloads needs --net=slirp.
# No W^X: the recipes run anything, JITs too (node, java), as under default.profile. No
#   D-Bus, sound or X11.
include make.local
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
