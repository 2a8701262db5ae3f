# nook profile: lomath
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include lomath.local
include globals.local

include libreoffice.profile
