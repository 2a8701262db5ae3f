# nook profile: wget
# GNU Wget: downloads files over HTTP(S) and FTP, recursively if asked.
#
# Network: slirp (the Internet; add --net-host-loopback for the host's 127.0.0.1 as
#   10.0.2.2). Sockets: unix, inet, inet6.
# Home: only ${DOWNLOADS} (writable: wget saves into the current directory, so run it
#   there, or use -O - or -P ${DOWNLOADS}), ~/.wgetrc (read-only) and ~/.wget-hsts (its HSTS
#   database, writable: it only ever adds protection). The rest of the home is a throwaway
#   tmpfs; add --whitelist=DIR to save elsewhere.
# Nothing it writes can be executed; no interpreters, compilers or netcat; no D-Bus, sound
#   or X11; W^X (wget has no JIT).
include wget.local
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
whitelist-ro ${HOME}/.wgetrc
mkfile ${HOME}/.wget-hsts
whitelist ${HOME}/.wget-hsts

caps.drop all
seccomp
memory-deny-write-execute
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
