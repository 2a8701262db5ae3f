# nook profile: convert
# ImageMagick's converter (convert, and magick for ImageMagick 7): reads and writes some
# 200 image formats, and hands PostScript, PDF and SVG to delegates (Ghostscript,
# rsvg...): a large parser of untrusted input with a history of command injection
# ("ImageTragick").
#
# Home: every non-hidden entry of the home, writable (inputs and outputs); its
#   configuration (~/.config/ImageMagick: policy.xml, delegates.xml) read-only, so an
#   image cannot rewrite which commands later runs outside run. Every other dotfile is
#   hidden and the home itself is a throwaway tmpfs. Outside the home: read-only.
# Network: none: no URL inputs (url:, http:, https: fail), no exfiltration by a delegate.
# Hidden: interpreters and compilers (the delegates are C programs and /bin/sh).
#   W^X (no JIT). No D-Bus, sound or X11 (no "display", no screen capture).
include convert.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc
include disable-devel.inc
include disable-interpreters.inc
include disable-exec.inc

whitelist ${HOME}/*
whitelist-ro ${CFG}/ImageMagick
whitelist-ro ${HOME}/.magick

caps.drop all
seccomp
memory-deny-write-execute
net none
protocol unix
nodbus
nosound
x11 none
machine-id
