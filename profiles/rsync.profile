# nook profile: rsync
# rsync: copies and synchronises files, locally or with a remote host over SSH (ssh runs
# in this sandbox too).
#
# Writes: the directory nook was started in (${CWD}) and /tmp, nothing else (the developer
#   tools' rule: see make.profile and nook-profile(5)): copy into it ("rsync -a host:src/ .")
#   or add --bind=DIR for another destination; sources anywhere are read.
# Home: the host's, read-only; ~/.ssh read-only and the agent's socket (allow-ssh.inc,
#   whose whitelist of ~/.ssh is taken back so that the home stays as it is); every other
#   secret is hidden.
# Network: slirp. Sockets: unix, inet, inet6.
# W^X (no JIT). No D-Bus, sound or X11.
include rsync.local
include globals.local

include allow-ssh.inc
# allow-ssh.inc shows ~/.ssh through a whitelist, which would empty the home: here the
# home stays the host's, read-only, ~/.ssh in it.
nowhitelist ${HOME}/.ssh
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc

read-write ${CWD}

caps.drop all
seccomp
memory-deny-write-execute
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
