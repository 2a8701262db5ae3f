# nook profile: lodraw
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include lodraw.local
include globals.local

include libreoffice.profile
