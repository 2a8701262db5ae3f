# nook profile: firefox-esr
# Firefox ESR, as Debian names it: the same sandbox as firefox (see firefox.profile).
include firefox-esr.local
include globals.local

include firefox.profile
