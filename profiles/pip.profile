# nook profile: pip
# pip under its other name: the same sandbox as pip3 (see pip3.profile).
include pip.local
include globals.local

include pip3.profile
