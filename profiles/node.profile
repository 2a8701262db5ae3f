# nook profile: node
# Node.js, running JavaScript of the home.
#
# Home: every non-hidden entry of the home (projects and their node_modules), writable;
#   the node versions of nvm, volta and fnm, read-only; ~/.npmrc (tokens), every other
#   dotfile and the npm cache are hidden. The home itself is a throwaway tmpfs.
# Network: none, but inet sockets on the sandbox's own loopback work (test servers); a
#   script that fetches needs --net=slirp; a server reachable from the host needs
#   --net=slirp --publish=PORT:PORT (--publish alone conflicts with "net none").
# No W^X: V8 compiles JavaScript to machine code (node aborts under W^X). No D-Bus, sound
#   or X11.
include node.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

whitelist ${HOME}/*
# Node versions kept in dotfiles (nvm, volta, fnm), read-only: a "node" found there still
# runs, and cannot be replaced.
whitelist-ro ${HOME}/.nvm
whitelist-ro ${HOME}/.volta
whitelist-ro ${HOME}/.local/share/fnm

caps.drop all
seccomp
net none
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
