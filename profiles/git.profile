# nook profile: git
# Git: version control.
#
# Writes: the directory nook was started in (${CWD}: the work tree, or where "git clone"
#   puts one) and /tmp, nothing else (the developer tools' rule: see make.profile and
#   nook-profile(5)). "git -C DIR" elsewhere needs --bind=DIR.
# Home: the host's, read-only: ~/.gitconfig and ~/.config/git are read, not written; keys,
#   tokens and stored credentials (~/.git-credentials, keyrings) are hidden. A hostile
#   repository (or a hook, or an alias) can neither read them nor write a start-up file.
# Read-only configuration: "git config --global" fails inside; edit it outside the
#   sandbox. A sandbox that could write it could set core.fsmonitor, core.pager or an alias
#   and run commands outside at the next git.
# Network: slirp (clone, fetch and push over HTTPS). SSH remotes need the keys: put
#   "include allow-ssh.inc" and "nowhitelist ${HOME}/.ssh" (which keeps the home as it is)
#   in ~/.config/nook/profiles/git.local. A token typed at the prompt works.
# No W^X: "git grep -P" uses PCRE2's JIT. No D-Bus, sound or X11 (gitk and git gui need
#   --x11).
include git.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}

caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
