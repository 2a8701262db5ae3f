# nook profile: magick
# An ImageMagick command: the same sandbox as convert (see convert.profile).
include magick.local
include globals.local

include convert.profile
