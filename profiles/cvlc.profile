# nook profile: cvlc
# VLC under another interface: the same sandbox as vlc (see vlc.profile).
include cvlc.local
include globals.local

include vlc.profile
