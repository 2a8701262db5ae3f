# nook profile: composite
# An ImageMagick command: the same sandbox as convert (see convert.profile).
include composite.local
include globals.local

include convert.profile
