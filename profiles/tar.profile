# nook profile: tar
# GNU tar: creates and unpacks archives (and runs gzip, xz, zstd... for compression).
#
# Writes: the directory nook was started in (${CWD}: where an archive is unpacked or made)
#   and /tmp, nothing else (the developer tools' rule: see make.profile and
#   nook-profile(5)). An archive with "../.bashrc" or ".config/autostart/x.desktop" in it
#   writes nowhere outside it; "tar -C DIR" elsewhere needs --bind=DIR.
# Home: the host's, read-only; dotfiles with secrets hidden. Nothing unpacked can be
#   executed inside (noexec).
# Network: none; sockets: unix only (no remote archives, "rmt").
# No interpreters or compilers; W^X. No D-Bus, sound or X11.
include tar.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

read-write ${CWD}

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix
nodbus
nosound
x11 none
machine-id
