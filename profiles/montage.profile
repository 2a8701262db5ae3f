# nook profile: montage
# An ImageMagick command: the same sandbox as convert (see convert.profile).
include montage.local
include globals.local

include convert.profile
