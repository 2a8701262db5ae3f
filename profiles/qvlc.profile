# nook profile: qvlc
# VLC under another interface: the same sandbox as vlc (see vlc.profile).
include qvlc.local
include globals.local

include vlc.profile
