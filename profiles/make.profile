# nook profile: make
# GNU Make: runs the commands of a Makefile (compilers, scripts, tests). They all run in
# this sandbox, under this profile.
#
# Home: every non-hidden entry of the home (~/src, ...: where projects live), writable;
#   every dotfile is hidden, so a hostile Makefile cannot read keys and tokens or plant a
#   shell start-up file, and ~/bin and ~/Applications are read-only. The home itself is a
#   throwaway tmpfs. A project outside the home needs --bind=DIR (the host is read-only).
#   Caches in dotfiles (~/.ccache, ~/.cache) start empty each time: a build cannot poison
#   what later builds outside the sandbox use.
# Network: none. A build that downloads needs --net=slirp.
# W^X: compilers and linkers need no writable code. No D-Bus, sound or X11.
include make.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

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
