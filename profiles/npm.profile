# nook profile: npm
# npm, Node.js's package manager: installs a project's dependencies, and runs their install
# scripts and the project's own (npm test, npm run build), all in this sandbox.
#
# Writes: the directory nook was started in (${CWD}: the project, its node_modules) and
#   /tmp, nothing else of the host (the developer tools' rule: see make.profile and
#   nook-profile(5)); and npm's cache, ~/.npm, which is nook's cache "npm" (nook-cache(1)):
#   kept across runs and shared by the sandboxes that name it, never the one npm uses
#   outside. "npm install -g" fails (the system's prefix is read-only): install into the
#   project.
# Home: the host's, read-only; ~/.npmrc (registry tokens) is hidden, as every other secret,
#   so its settings do not apply: put them in the project's .npmrc, or in NPM_CONFIG_*
#   variables given to this job alone.
# Network: slirp (the registry); --net=none for a job that installs only from the project
#   or the cache (npm ci --offline). npm's own update check is off. Sockets: unix, inet,
#   inet6.
# No W^X (node's JIT). No D-Bus, sound or X11.
include npm.local
include globals.local

include disable-secrets.inc
include disable-sockets.inc
include disable-autostart.inc

read-write ${CWD}
cache npm:${HOME}/.npm
env NPM_CONFIG_UPDATE_NOTIFIER=false

caps.drop all
seccomp
net slirp
protocol unix,inet,inet6
nodbus
nosound
x11 none
machine-id
