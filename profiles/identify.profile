# nook profile: identify
# An ImageMagick command: the same sandbox as convert (see convert.profile).
include identify.local
include globals.local

include convert.profile
