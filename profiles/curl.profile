# nook profile: curl
# curl: transfers data from or to servers (HTTP, FTP, SFTP, ...).
#
# Network: slirp (the Internet; not the host's loopback: add --net-host-loopback to reach
#   the host's 127.0.0.1 as 10.0.2.2). Sockets: unix, inet, inet6.
# Home: only ${DOWNLOADS} (writable: run "curl -O" there) and ~/.curlrc (read-only); the
#   rest of the home is a throwaway tmpfs. Output to stdout works from anywhere; to save
#   elsewhere or upload a file from elsewhere, add --whitelist=DIR (or put it in
#   curl.local). file:// URLs see only what the sandbox sees.
# Nothing it writes can be executed; no interpreters, compilers or netcat to hand to an
#   exploit; no D-Bus, sound or X11; W^X (curl has no JIT).
include curl.local
include globals.local

# The home is a whitelist: ~/.netrc is not there anyway. Without this, its placeholder
# (an unreadable directory) makes the program warn that it cannot read it.
noblacklist ${HOME}/.netrc
include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

mkdir ${DOWNLOADS}
whitelist ${DOWNLOADS}
whitelist-ro ${HOME}/.curlrc
whitelist-ro ${CFG}/.curlrc

caps.drop all
seccomp
memory-deny-write-execute
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
