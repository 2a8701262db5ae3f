# nook profile: ssh
# OpenSSH client: remote logins and commands.
#
# Home: only ~/.ssh, read-only (keys, config, known_hosts: see allow-ssh.inc; ssh cannot
#   record a new host key, it warns and goes on), and the agent's socket. The rest of the
#   home is a throwaway tmpfs: scp and sftp under this profile can only write /tmp; use
#   rsync (its profile allows the home's files) or --whitelist=DIR.
# Network: slirp (not the host's loopback: --net-host-loopback reaches its 127.0.0.1 as
#   10.0.2.2). Sockets: unix, inet, inet6.
# Not hidden: netcat and interpreters, which ProxyCommand may name. W^X (OpenSSH has no
#   JIT). No D-Bus, no sound, no X11 (forwarding with -X needs --x11).
include ssh.local
include globals.local

include allow-ssh.inc
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-exec.inc

caps.drop all
seccomp
memory-deny-write-execute
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
