# nook profile: ffprobe
# FFmpeg's media inspector: the same sandbox as ffmpeg (see ffmpeg.profile).
include ffprobe.local
include globals.local

include ffmpeg.profile
