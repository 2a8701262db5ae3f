# nook profile: soffice
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include soffice.local
include globals.local

include libreoffice.profile
