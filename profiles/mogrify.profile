# nook profile: mogrify
# An ImageMagick command: the same sandbox as convert (see convert.profile).
include mogrify.local
include globals.local

include convert.profile
