# nook profile: go
# The Go tool: fetches modules, builds, tests and runs Go programs, all in this sandbox.
#
# Writes: the directory nook was started in (${CWD}: the module) and /tmp, nothing else of
#   the host (the developer tools' rule: see make.profile and nook-profile(5)); and Go's
#   caches, the module cache (~/go/pkg/mod) and the build cache (~/.cache/go-build), which
#   are nook's caches "go-mod" and "go-build" (nook-cache(1)): kept across runs, never the
#   ones go uses outside. A GOPATH, GOMODCACHE or GOCACHE set elsewhere is the host's,
#   read-only. "go install" fails (~/go/bin is read-only): use GOBIN in the project.
# Home: the host's, read-only ("go env -w" fails); keys, tokens and histories hidden.
# Network: slirp (the module proxy, version control); --net=none with GOFLAGS=-mod=vendor
#   or a filled module cache (GOPROXY=off). Sockets: unix, inet, inet6.
# No W^X: tests run anything (cgo). No D-Bus, sound or X11.
include go.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}
cache go-mod:${HOME}/go/pkg/mod
cache go-build:${HOME}/.cache/go-build

caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
