# nook profile: default
# Used for every program that has no profile of its own (nook looks for NAME.profile in
# ~/.config/nook/profiles, then in the system directory, then takes this one).
#
# nook's base sandbox already gives: the host's / read-only (the home too), a fresh /tmp,
# a minimal /dev (no GPU, input, camera or sound devices), its own pid, ipc and network
# namespaces (only lo: no network), no capabilities, the default system call filter.
# This profile adds what an unknown program should not have:
#  - the secrets of the home are hidden (keys, tokens, password stores, other programs'
#    browser and mail profiles, histories, nook's own configuration);
#  - the sockets through which it could act outside are hidden (systemd's user manager,
#    container engines, key agents);
#  - nodbus: the session bus can ask systemd to start any command outside the sandbox, and
#    the system bus reaches polkit, NetworkManager and the like;
#  - nosound: the sound server records the microphone as well as it plays.
# It keeps the rest of the home visible, read-only, so that the program finds its
# configuration. It may write the directory nook was started in (${CWD}), and /tmp, which
# vanishes with it: the same places as the developer tools' profiles, so that a build job
# may write the same places whether it is spelled "nook make" or "nook -- sh -c make" (a
# shell has no profile of its own: this one applies). Started in the home itself (or in
# /), nothing of it is writable: a profile never opens the home as a whole. Start a program
# you do not trust in an empty directory. Display: Wayland only. The compositor keeps its
# clients apart (but see nook-run(1), Displays, for compositors that offer screen capture
# or virtual keyboards to any client); X11 is not reachable, since any X client reads
# every key typed on the display: give an X11 program a profile of its own, or run it with
# --x11 (nook says so when a program without its display fails).
include default.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
# Read-only what runs later outside: it matters in the directory nook was started in, and
# where default.local makes more of the home writable.
include disable-autostart.inc

read-write ${CWD}

wayland
caps.drop all
seccomp
nodbus
nosound
