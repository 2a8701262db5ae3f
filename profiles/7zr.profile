# nook profile: 7zr
# A 7-Zip command of another name: the same sandbox as 7z (see 7z.profile).
include 7zr.local
include globals.local

include 7z.profile
