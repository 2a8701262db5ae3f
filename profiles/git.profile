# nook profile: git
# Git: version control.
#
# Home: every non-hidden entry of the home (~/src, ~/Documents, ...: the work trees),
#   writable, and ~/.gitconfig and ~/.config/git, read-only. Every dotfile but those is
#   hidden: a hostile repository (or a hook, or an alias) cannot read keys and tokens or
#   write a shell start-up file. The home itself is a throwaway tmpfs: a repository
#   created directly in it vanishes; work in a directory of the home, or outside it (the
#   rest of the host is read-only: add --bind=DIR for a work tree elsewhere).
# Read-only configuration: "git config --global" fails inside; edit it outside the
#   sandbox. A sandbox that could write it could set core.fsmonitor, core.pager or an alias
#   and run commands outside at the next git.
# Network: slirp (clone, fetch and push over HTTPS). SSH remotes need the keys: put
#   "include allow-ssh.inc" in ~/.config/nook/profiles/git.local. Credential helpers
#   that store secrets (~/.git-credentials, keyrings) are hidden; a token typed at the
#   prompt works.
# No W^X: "git grep -P" uses PCRE2's JIT. No D-Bus, sound or X11 (gitk and git gui need
#   --x11).
include git.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

whitelist ${HOME}/*
whitelist-ro ${HOME}/.gitconfig
whitelist-ro ${CFG}/git
whitelist-ro ${HOME}/.gitignore
whitelist-ro ${HOME}/.gitignore_global
whitelist-ro ${HOME}/.gitattributes

caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
