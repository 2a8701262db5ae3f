# nook profile: 7za
# A 7-Zip command of another name: the same sandbox as 7z (see 7z.profile).
include 7za.local
include globals.local

include 7z.profile
