# nook profile: 7zz
# A 7-Zip command of another name: the same sandbox as 7z (see 7z.profile).
include 7zz.local
include globals.local

include 7z.profile
