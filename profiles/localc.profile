# nook profile: localc
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include localc.local
include globals.local

include libreoffice.profile
