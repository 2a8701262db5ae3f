# nook profile: node
# Node.js, running JavaScript of the project.
#
# Writes: the directory nook was started in (${CWD}: the project and its node_modules)
#   and /tmp, nothing else (the developer tools' rule: see make.profile and
#   nook-profile(5)).
# Home: the host's, read-only: the node versions of nvm, volta and fnm run and cannot be
#   replaced; ~/.npmrc (tokens), histories and every other secret are hidden. npm has a
#   profile of its own (npm.profile), with its cache.
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

read-write ${CWD}

caps.drop all
seccomp
net none
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
