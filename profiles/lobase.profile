# nook profile: lobase
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include lobase.local
include globals.local

include libreoffice.profile
