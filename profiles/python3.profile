# nook profile: python3
# The Python 3 interpreter, running scripts of the project.
#
# Writes: the directory nook was started in (${CWD}: the project, its virtual environment
#   if it keeps one there, __pycache__) and /tmp, nothing else (the developer tools' rule:
#   see make.profile and nook-profile(5)). "python3 -m pip" runs without a cache (pip says
#   so and goes on); pip and pip3, under their own profiles, have nook's cache "pip".
# Home: the host's, read-only: the user's site-packages (~/.local/lib/python3*), pyenv and
#   the virtual environments kept in dotfiles import and run, and nothing can be added to
#   what every later python outside runs. Keys, tokens and histories are hidden.
# Network: none, but inet sockets on the sandbox's own loopback work (test servers); a
#   script that fetches needs --net=slirp; pip install from an index too (pip.profile and
#   pip3.profile have it).
# W^X holds: CPython has no JIT, and ctypes' callbacks use libffi's static trampolines
#   (checked). No D-Bus, sound or X11.
include python3.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
