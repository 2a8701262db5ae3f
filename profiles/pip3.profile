# nook profile: pip3
# pip, Python's package installer, as its own command: python3's sandbox (see
# python3.profile: the project writable), with the network to reach the package index and
# pip's cache, ~/.cache/pip, which is nook's cache "pip" (nook-cache(1)): kept across runs,
# never the one pip uses outside. It installs into a virtual environment in the project
# (.venv/bin/pip install ...); "pip install --user" and system-wide installs fail (the home
# and the system are read-only).
include pip3.local
include globals.local

cache pip:${HOME}/.cache/pip
# The index needs the network, which python3.profile does not have.
net slirp
ignore net
include python3.profile
