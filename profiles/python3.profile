# nook profile: python3
# The Python 3 interpreter, running scripts of the home.
#
# Home: every non-hidden entry of the home (~/src, ~/Documents, ... and virtual
#   environments kept there), writable; the user's site-packages (~/.local/lib/python3*),
#   read-only, so that what pip installed for the user imports, but nothing can be added
#   to what every later python outside runs; pyenv's and the virtual environments kept in
#   dotfiles, read-only too. Every other dotfile is hidden. The home itself is a throwaway
#   tmpfs.
# Network: none, but inet sockets on the sandbox's own loopback work (test servers); a
#   script that fetches needs --net=slirp, pip install needs --net=slirp too.
# W^X holds: CPython has no JIT, and ctypes' callbacks use libffi's static trampolines
#   (checked). No D-Bus, sound or X11.
include python3.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

whitelist ${HOME}/*
whitelist-ro ${HOME}/.local/lib/python3*
whitelist-ro ${CFG}/pip
# Interpreters and environments kept in dotfiles (pyenv, virtualenvwrapper, pipenv,
# poetry), read-only: a "python3" found there still runs, and cannot be replaced.
whitelist-ro ${HOME}/.pyenv
whitelist-ro ${HOME}/.virtualenvs
whitelist-ro ${HOME}/.local/share/virtualenvs
whitelist-ro ${HOME}/.cache/pypoetry/virtualenvs

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
