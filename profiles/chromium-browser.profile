# nook profile: chromium-browser
# Chromium under the name some distributions give it: the same sandbox as chromium (see
# chromium.profile).
include chromium-browser.local
include globals.local

include chromium.profile
