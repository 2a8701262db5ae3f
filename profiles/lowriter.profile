# nook profile: lowriter
# A LibreOffice launcher: the same sandbox as libreoffice (see libreoffice.profile).
include lowriter.local
include globals.local

include libreoffice.profile
