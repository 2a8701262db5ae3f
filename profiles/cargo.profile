# nook profile: cargo
# Cargo, Rust's build tool and package manager: fetches crates, builds (running their build
# scripts and procedural macros), tests, all in this sandbox.
#
# Writes: the directory nook was started in (${CWD}: the package or workspace, its target/)
#   and /tmp, nothing else of the host (the developer tools' rule: see make.profile and
#   nook-profile(5)); and cargo's download caches, ~/.cargo/registry and ~/.cargo/git,
#   which are nook's caches "cargo-registry" and "cargo-git" (nook-cache(1)): kept across
#   runs, never the ones cargo uses outside.
# Home: the host's, read-only: ~/.cargo/config.toml is read; ~/.cargo/credentials.toml
#   (registry tokens) is hidden; ~/.cargo/bin runs and cannot be replaced ("cargo install"
#   fails: use --root in the project). Cargo takes its package-cache lock read-only on a
#   read-only ~/.cargo. rustup's toolchains (~/.rustup) are read.
# Network: slirp (crates.io, git dependencies); --net=none with --offline or a vendored
#   tree. Sockets: unix, inet, inet6.
# No W^X: build scripts and tests run anything. No D-Bus, sound or X11.
include cargo.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}
cache cargo-registry:${HOME}/.cargo/registry
cache cargo-git:${HOME}/.cargo/git

caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
