# nook profile: zathura
# zathura, a keyboard-driven document viewer (PDF, PostScript, DjVu, comic books).
#
# Home: every non-hidden entry of the home, read-only (the documents); its history and
#   bookmarks (~/.local/share/zathura), writable; its configuration (~/.config/zathura),
#   read-only: zathurarc can map keys to shell commands. Every other dotfile is hidden;
#   the rest is a throwaway tmpfs.
# Network: none; sockets: unix only. Display: X11 and Wayland. Sound: no. D-Bus: the
#   session bus filtered by xdg-dbus-proxy to zathura's own names (SyncTeX forward search
#   from an editor reaches it), nothing else; no system bus.
# Nothing under the home, /tmp or /dev/shm can be executed; no compilers or interpreters.
#   A random machine-id.
include zathura.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist-ro ${CFG}/zathura
mkdir ${HOME}/.local/share/zathura
whitelist ${HOME}/.local/share/zathura
whitelist-ro ${HOME}/*
include whitelist-common.inc

x11
caps.drop all
seccomp
net none
protocol unix
dbus-user filter
dbus-user.own org.pwmt.zathura.*
dbus-system none
nosound
machine-id
