# nook profile: npx
# npm's package runner: the same sandbox as npm (see npm.profile).
include npx.local
include globals.local

include npm.profile
