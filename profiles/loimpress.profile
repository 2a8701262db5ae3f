# nook profile: loimpress
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include loimpress.local
include globals.local

include libreoffice.profile
