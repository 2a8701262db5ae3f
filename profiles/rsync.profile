# nook profile: rsync
# rsync: copies and synchronises files, locally or with a remote host over SSH (ssh runs
# in this sandbox too).
#
# Home: every non-hidden entry of the home, writable (what is copied from and to); ~/.ssh
#   read-only and the agent's socket (allow-ssh.inc); every other dotfile is hidden. The
#   home itself is a throwaway tmpfs; paths outside it are read-only (add --bind=DIR).
# Network: slirp. Sockets: unix, inet, inet6.
# W^X (no JIT). No D-Bus, sound or X11.
include rsync.local
include globals.local

include allow-ssh.inc
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc

whitelist ${HOME}/*

caps.drop all
seccomp
memory-deny-write-execute
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
