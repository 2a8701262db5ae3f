#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The desktop programs of the shipped profiles, run for real: each one under its own profile
# (`nook PROGRAM`, from the source tree's profiles/), on an X server of the test's own (Xvfb)
# that lets in only the clients holding its MIT cookie, which xauth writes into
# ~/.Xauthority under the host's name, as display managers do. Each test proves a window
# (xdotool) showing a file of the home (its title, and a screenshot of the screen where the
# file's colour fills its part), that what the program saves lands where the user expects it
# and lasts, and that ~/.ssh is out of the program's reach.
#
# Every test has its own HOME under /var/tmp (not under $BATS_TEST_TMPDIR: the sandbox's /tmp
# is its own, see profiles.bats), with the XDG variables in it, so that nothing of the test
# user's real home is touched (not even Mesa's shader cache, which follows XDG_CACHE_HOME).
# Every test has its own X server on a free display (-displayfd), and stops the program and
# the server it started (teardown). A program gets at most $APP_TIMEOUT s to show a window.
# No network: the browsers open file:// pages of ~/Downloads, with Chromium's background
# services turned off.
#
# A program that is not installed skips its test, but under CI, which installs them all
# (helpers/install-deps --test), fails it.
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# stderr: set by bats's run --separate-stderr. (bats 1.8's run sets a global i: no loop around a
# run counts with i.)
# shellcheck disable=SC2154
# APP_PID, XVFB_PID and WID are each test's own: setup() empties them, teardown() reads them.
# shellcheck disable=SC2030,SC2031
bats_require_minimum_version 1.5.0
load ../lib/common

PROFILES="$NOOK_SRC/profiles"
DESKTOP_PY="$NOOK_SRC/tests/integration/helpers/desktop.py"
APP_TIMEOUT=60
# Chromium without what would reach for the network, or for a GPU nook's /dev does not have.
CHROMIUM_FLAGS=(--no-first-run --disable-background-networking --disable-component-update
	--disable-sync --disable-gpu)

setup() {
	TD=$(mktemp -d /var/tmp/nook-desktop.XXXXXX) || return 1
	export HOME="$TD/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export XDG_CACHE_HOME="$HOME/.cache"
	export XDG_STATE_HOME="$HOME/.local/state"
	export NOOK_PROFILE_DIR="$PROFILES"
	export PATH="$NOOK_CLEAN_PATH"
	unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XAUTHORITY SSH_AUTH_SOCK
	mkdir -p "$HOME/.ssh" "$HOME/Documents" "$HOME/Downloads" "$HOME/Pictures" "$HOME/work" \
		"$XDG_CONFIG_HOME" || return 1
	# The user's folders, as xdg-user-dirs-update writes them at a desktop login.
	printf 'XDG_%s_DIR="$HOME/%s"\n' DOCUMENTS Documents DOWNLOAD Downloads PICTURES Pictures \
		>"$XDG_CONFIG_HOME/user-dirs.dirs"
	SECRET="$HOME/.ssh/id_test"
	SECRET_TEXT="nook-test-secret-$(unique_tag)"
	printf '%s\n' "$SECRET_TEXT" >"$SECRET"
	chmod 700 "$HOME/.ssh"
	chmod 600 "$SECRET"
	APP_PID=
	XVFB_PID=
	BUS_PID=
	WID=
	cd "$HOME" || return 1
}

teardown() {
	stop_app
	if [ -n "${BUS_PID:-}" ]; then
		kill -TERM "$BUS_PID" 2>/dev/null || true
		wait "$BUS_PID" 2>/dev/null || true
	fi
	if [ -n "${XVFB_PID:-}" ]; then
		kill -TERM "$XVFB_PID" 2>/dev/null || true
		wait "$XVFB_PID" 2>/dev/null || true
	fi
	cd /
	# Placeholders of blacklists are mode 0: make everything removable first.
	[ -z "${TD:-}" ] || { chmod -R u+rwX "$TD" 2>/dev/null; rm -rf "$TD"; }
	return 0
}

# need PROGRAM...: skip the test when one of them is not installed; under CI, fail it.
need() {
	local p
	for p in "$@"; do
		command -v "$p" >/dev/null 2>&1 && continue
		if [ -n "${CI:-}" ]; then
			printf '%s is not installed (helpers/install-deps --test installs it)\n' "$p" >&2
			return 1
		fi
		skip "$p is not installed"
	done
}

# start_x: an X server of the test's own on a free display, started as a display manager
# starts one: with -auth, a file of the server's holding a random MIT cookie; the same cookie
# goes into ~/.Xauthority for the host's name (the sandbox keeps it, so the entry matches
# inside too), and XAUTHORITY names that file. Sets DISPLAY and XVFB_PID.
start_x() {
	local cookie n i
	need Xvfb xauth xdotool import || return 1
	cookie=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	: >"$TD/server.auth"
	: >"$HOME/.Xauthority"
	: >"$TD/display"
	# The server reads every cookie of its file, whatever display the entry names.
	# -noreset: an X server resets when its last client leaves, and refuses connections
	# meanwhile; a desktop always has a client (its window manager), this one would not.
	xauth -q -f "$TD/server.auth" add :0 MIT-MAGIC-COOKIE-1 "$cookie" || return 1
	Xvfb -displayfd 4 -auth "$TD/server.auth" -nolisten tcp -noreset -screen 0 1280x800x24 \
		4>"$TD/display" </dev/null >"$TD/xvfb.log" 2>&1 3>&- &
	XVFB_PID=$!
	# Xvfb writes the display's number, and a newline, once it takes connections.
	n=
	for ((i = 0; i < 100; i++)); do
		read -r n <"$TD/display" && [[ "$n" =~ ^[0-9]+$ ]] && break
		n=
		kill -0 "$XVFB_PID" 2>/dev/null || break
		sleep 0.1
	done
	[ -n "$n" ] || { echo "Xvfb did not start:" >&2; cat "$TD/xvfb.log" >&2; return 1; }
	export DISPLAY=":$n"
	xauth -q -f "$HOME/.Xauthority" add "$(hostname)/unix:$n" MIT-MAGIC-COOKIE-1 "$cookie" ||
		return 1
	export XAUTHORITY="$HOME/.Xauthority"
}

# launch LOG ARGS...: nook ARGS in the background, for at most $APP_TIMEOUT s, its output in
# $TD/LOG (which wait_window shows when no window comes); sets APP_PID.
launch() {
	APP_LOG="$TD/$1"
	shift
	timeout -k 5 "$APP_TIMEOUT" "$NOOK" "$@" </dev/null >"$APP_LOG" 2>&1 3>&- &
	APP_PID=$!
}

# wait_window XDOTOOL-SEARCH-ARGS...: wait for a visible window that `xdotool search` finds
# with these arguments (--class RE, --name RE), for at most $APP_TIMEOUT s, and no longer than
# the program lives; sets WID to the first one found.
wait_window() {
	local i
	WID=
	for ((i = 0; i < APP_TIMEOUT / 5; i++)); do
		WID=$(timeout 5 xdotool search --sync --onlyvisible "$@" 2>/dev/null | head -n 1) || true
		[ -n "$WID" ] && return 0
		kill -0 "$APP_PID" 2>/dev/null || break
	done
	printf 'no window (xdotool search %s) within %s s; the program said:\n' "$*" "$APP_TIMEOUT" >&2
	tail -n 40 "$APP_LOG" >&2
	return 1
}

# stop_app: end the program started by launch as the end of a session does: SIGTERM to nook,
# which passes it on; after 10 s, SIGKILL.
stop_app() {
	local i
	[ -n "${APP_PID:-}" ] || return 0
	kill -TERM "$APP_PID" 2>/dev/null || true
	for ((i = 0; i < 100; i++)); do
		kill -0 "$APP_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$APP_PID" 2>/dev/null || true
	wait "$APP_PID" 2>/dev/null || true
	APP_PID=
}

# screen_share R G B: the per mille of the screen's pixels that are of colour R G B, from a
# screenshot of the root window.
screen_share() {
	import -window root -depth 8 "rgb:$TD/screen.rgb" || return 1
	"$NOOK_PYTHON" "$DESKTOP_PY" share "$TD/screen.rgb" "$@"
}

# image_share FILE R G B: the same for an image file.
image_share() {
	local f="$1"
	shift
	stream -map rgb -storage-type char "$f" "$TD/image.rgb" || return 1
	"$NOOK_PYTHON" "$DESKTOP_PY" share "$TD/image.rgb" "$@"
}

# expect_share WHAT MIN SHARE: SHARE (per mille) is at least MIN; otherwise keep the
# screenshot next to the test's output for a look.
expect_share() {
	local what="$1" min="$2" got="$3"
	[ -n "$got" ] && [ "$got" -ge "$min" ] && return 0
	printf '%s: expected at least %s per mille of its colour, got %s\n' "$what" "$min" "$got" >&2
	import -window root "$BATS_TEST_TMPDIR/screen.png" 2>/dev/null &&
		printf 'screenshot: %s\n' "$BATS_TEST_TMPDIR/screen.png" >&2
	return 1
}

# expect_secret_hidden PROFILE: a shell under PROFILE cannot read ~/.ssh's key, nor list it.
expect_secret_hidden() {
	local profile="$1"
	run --separate-stderr nook_t --quiet --profile="$profile" -- sh -c \
		'cat ~/.ssh/id_test; ls -A ~/.ssh'
	if [ "$status" -eq 0 ] || [[ "$output" == *"$SECRET_TEXT"* ]] || [[ "$output" == *id_test* ]]; then
		printf '%s: ~/.ssh is visible (status %s): %s\n' "$profile" "$status" "$output" >&2
		return 1
	fi
}

# expect_profile PROGRAM: `nook PROGRAM` picks the source tree's PROGRAM.profile.
expect_profile() {
	run --separate-stderr "$NOOK" run --dry-run -- "$1"
	expect_line "$1: profile used" "profile $PROFILES/$1.profile" "$output"
}

# userns PID: the user namespace of process PID.
userns() {
	readlink "/proc/$1/ns/user"
}

# descendants PID: the processes below PID, one a line.
descendants() {
	local child
	for child in $(pgrep -P "$1"); do
		printf '%s\n' "$child"
		descendants "$child"
	done
}

# args PID: the command line of process PID, its words joined by spaces, and one at the end
# (Chromium rewrites the command line of its children as one string).
args() {
	{ tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null
	echo " "
}

# the_process COMM: the process of this test's program (started by launch) named COMM.
the_process() {
	local p
	for p in $(descendants "$APP_PID"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] && { printf '%s\n' "$p"; return 0; }
	done
	printf 'no process %s below the test'"'"'s nook\n' "$1" >&2
	return 1
}

# --- the X server, and a program without a profile of its own -------------------------------

@test "desktop: the X server lets in only a client with its cookie; xterm (default.profile) gets a window with --x11 only, and its shell cannot read ~/.ssh" {
	need xterm
	start_x
	run xdotool getdisplaygeometry
	expect_eq "a client with the cookie" "1280 800" "$output" || return 1
	run env XAUTHORITY=/dev/null xdotool getdisplaygeometry
	[ "$status" -ne 0 ] || { echo "a client without the cookie got in" >&2; return 1; }
	# default.profile keeps the display out.
	cd "$HOME/work"
	run --separate-stderr nook_t --quiet xterm -e true
	[ "$status" -ne 0 ] || { echo "xterm ran without --x11" >&2; return 1; }
	# With --x11: the shell in its window tries the key, and writes what happened into the
	# directory nook was started in (default.profile lets it write there).
	launch xterm.log --x11 xterm -title nook-xterm -e sh -c \
		'cat ~/.ssh/id_test >out 2>&1; echo "status $?" >>out; exec sleep 60'
	wait_window --class '^xterm$'
	wait_window --name '^nook-xterm$'
	wait_for_file "$HOME/work/out" || return 1
	# The file is made by the redirection, before cat runs: its status line comes after.
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q '^status ' "$HOME/work/out" && break
		sleep 0.1
	done
	grep -q '^status [1-9]' "$HOME/work/out" && ! grep -qF "$SECRET_TEXT" "$HOME/work/out" ||
		{ echo "the xterm's shell read the key:" >&2; cat "$HOME/work/out" >&2; return 1; }
}

# --- the browsers ---------------------------------------------------------------------------

@test "firefox-esr: a window of its own profile shows a page of ~/Downloads; its content processes run in sandboxes of their own" {
	need firefox-esr
	expect_profile firefox-esr
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" html "$HOME/Downloads/page.html" nook-page
	launch firefox.log firefox-esr "file://$HOME/Downloads/page.html"
	wait_window --class firefox
	wait_window --name '^nook-page'
	sleep 1
	expect_share "firefox-esr's page on the screen" 250 "$(screen_share 0 0 255)" || return 1
	# Firefox's own sandbox works inside nook's: each web content process has a user
	# namespace of its own, which neither the main process nor the host has.
	local main p tabs=0
	main=$(the_process firefox-esr) || return 1
	[ "$(userns "$main")" != "$(userns $$)" ] ||
		{ echo "firefox-esr runs in the host's user namespace" >&2; return 1; }
	for p in $(descendants "$APP_PID"); do
		[[ "$(args "$p")" == *" -contentproc "*" tab "* ]] || continue
		tabs=$((tabs + 1))
		[ "$(userns "$p")" != "$(userns "$main")" ] ||
			{ echo "content process $p shares firefox-esr's user namespace" >&2; return 1; }
	done
	[ "$tabs" -ge 1 ] || { echo "no web content process" >&2; return 1; }
}

# start_bus: a session bus of the test's own, as a desktop session has; sets
# DBUS_SESSION_BUS_ADDRESS and BUS_PID.
start_bus() {
	local i
	need dbus-daemon xdg-dbus-proxy || return 1
	dbus-daemon --session --nofork --address="unix:path=$TD/bus" </dev/null >/dev/null 2>&1 3>&- &
	BUS_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -S "$TD/bus" ] && break
		sleep 0.1
	done
	[ -S "$TD/bus" ] || { echo "dbus-daemon did not start" >&2; return 1; }
	export DBUS_SESSION_BUS_ADDRESS="unix:path=$TD/bus"
}

# firefox_mains: the main processes (not content processes) of firefox-esr of this user.
firefox_mains() {
	local p
	for p in $(pgrep -u "$(id -u)" -x firefox-esr); do
		[[ "$(args "$p")" == *" -contentproc "* ]] || printf '%s\n' "$p"
	done
}

@test "firefox-esr: one instance a profile, through its own D-Bus remote: a second start, through nook or not, opens a window in the running sandbox" {
	need firefox-esr
	expect_profile firefox-esr
	start_x
	start_bus
	local out page
	for page in a b c; do
		"$NOOK_PYTHON" "$DESKTOP_PY" html "$HOME/Downloads/$page.html" "nook-page-$page"
	done
	launch firefox.log firefox-esr "file://$HOME/Downloads/a.html"
	wait_window --name '^nook-page-a'
	# The profile owns org.mozilla.firefox.* through the proxy: a second firefox finds it.
	out=$(timeout 60 "$NOOK" firefox-esr --new-window "file://$HOME/Downloads/b.html" </dev/null 2>&1) ||
		{ printf 'the second nook firefox-esr failed:\n%s\n' "$out" >&2; return 1; }
	wait_window --name '^nook-page-b' || return 1
	out=$(timeout 60 firefox-esr --new-window "file://$HOME/Downloads/c.html" </dev/null 2>&1) ||
		{ printf 'firefox-esr outside nook failed:\n%s\n' "$out" >&2; return 1; }
	wait_window --name '^nook-page-c' || return 1
	expect_eq "one firefox-esr on the profile" 1 "$(firefox_mains | wc -l)"
}

@test "firefox-esr: --headless --screenshot saves into ~/Downloads; the profile it makes lasts, a second run uses it, and no new one piles up in ~/.cache" {
	need firefox-esr
	local round root before
	"$NOOK_PYTHON" "$DESKTOP_PY" html "$HOME/Downloads/page.html" nook-page
	for round in 1 2; do
		run --separate-stderr timeout -k 5 "$APP_TIMEOUT" "$NOOK" firefox-esr --headless \
			--screenshot "$HOME/Downloads/shot$round.png" "file://$HOME/Downloads/page.html"
		expect_eq "run $round: exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
		[ -s "$HOME/Downloads/shot$round.png" ] || { echo "run $round: no ~/Downloads/shot$round.png" >&2; return 1; }
		expect_share "run $round: the screenshot" 500 \
			"$(image_share "$HOME/Downloads/shot$round.png" 0 0 255)" || return 1
		# Where this version keeps its profiles: ~/.config/mozilla/firefox from Firefox 147,
		# ~/.mozilla/firefox before.
		root=
		for root in "$XDG_CONFIG_HOME/mozilla/firefox" "$HOME/.mozilla/firefox"; do
			[ -f "$root/profiles.ini" ] && break
			root=
		done
		[ -n "$root" ] || { echo "run $round: no profiles.ini on the host" >&2; return 1; }
		if [ "$round" = 1 ]; then
			before=$(ls "$root" "$XDG_CACHE_HOME/mozilla/firefox")
			grep -q '^Path=' "$root/profiles.ini" || return 1
		fi
	done
	expect_eq "the profiles and caches after a second run" "$before" \
		"$(ls "$root" "$XDG_CACHE_HOME/mozilla/firefox")" || return 1
	# Each cache belongs to a profile of profiles.ini.
	local c
	for c in "$XDG_CACHE_HOME"/mozilla/firefox/*; do
		grep -qxF "Path=${c##*/}" "$root/profiles.ini" ||
			{ echo "a cache without a profile: $c" >&2; return 1; }
	done
	expect_secret_hidden firefox-esr
}

@test "chromium: a window of its own profile shows a page of ~/Downloads, its renderers in sandboxes of their own; its profile lasts" {
	need chromium
	expect_profile chromium
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" html "$HOME/Downloads/page.html" nook-page
	launch chromium.log chromium "${CHROMIUM_FLAGS[@]}" "file://$HOME/Downloads/page.html"
	wait_window --class chromium
	wait_window --name '^nook-page'
	sleep 1
	expect_share "chromium's page on the screen" 250 "$(screen_share 0 0 255)" || return 1
	# Its namespace sandbox works inside nook's (no setuid helper, no --no-sandbox): each
	# renderer has a user namespace of its own.
	local browser p renderers=0
	browser=$(the_process chromium) || return 1
	[ "$(userns "$browser")" != "$(userns $$)" ] ||
		{ echo "chromium runs in the host's user namespace" >&2; return 1; }
	for p in $(descendants "$APP_PID"); do
		[[ "$(args "$p")" == *" --type=renderer "* ]] || continue
		renderers=$((renderers + 1))
		[ "$(userns "$p")" != "$(userns "$browser")" ] ||
			{ echo "renderer $p shares the browser's user namespace" >&2; return 1; }
	done
	[ "$renderers" -ge 1 ] || { echo "no renderer process" >&2; return 1; }
	# Chromium writes its preferences some seconds after the start (sooner than a loaded
	# machine lets it shut down in stop_app's 10 s): waited for, 30 s at most.
	local i
	for ((i = 0; i < 300; i++)); do
		[ -f "$XDG_CONFIG_HOME/chromium/Default/Preferences" ] && break
		sleep 0.1
	done
	stop_app
	[ -f "$XDG_CONFIG_HOME/chromium/Default/Preferences" ] ||
		{ echo "no ~/.config/chromium/Default/Preferences on the host" >&2; return 1; }
	# A second start, on the profile the first one left (its lock included), gets a window.
	launch chromium2.log chromium "${CHROMIUM_FLAGS[@]}" "file://$HOME/Downloads/page.html"
	wait_window --name '^nook-page'
}

# browsers ON-THE-HOST: the Chromium browser processes (not their helpers, --type=...) of this
# test's home, one pid a line.
chromium_browsers() {
	local p
	for p in $(pgrep -u "$(id -u)" -x chromium); do
		[[ "$(args "$p")" == *" --type="* ]] && continue
		[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$HOME" ] || continue
		printf '%s\n' "$p"
	done
}

@test "chromium: one instance a profile: a second start, through nook or not, opens a window in the running sandbox; one running outside nook makes nook refuse (125, one line)" {
	need chromium
	expect_profile chromium
	[ -d "/run/user/$(id -u)" ] && [ -w "/run/user/$(id -u)" ] ||
		{ echo "no runtime directory /run/user/$(id -u) (helpers/run-tests makes one)" >&2; return 1; }
	start_x
	local out
	for page in a b c d; do
		"$NOOK_PYTHON" "$DESKTOP_PY" html "$HOME/Downloads/$page.html" "nook-page-$page"
	done
	launch chromium.log chromium "${CHROMIUM_FLAGS[@]}" "file://$HOME/Downloads/a.html"
	wait_window --name '^nook-page-a'
	# A second nook chromium: Chromium's own message, its page in a window of the first.
	out=$(timeout 60 "$NOOK" chromium "${CHROMIUM_FLAGS[@]}" --new-window "file://$HOME/Downloads/b.html" </dev/null 2>&1) ||
		{ printf 'the second nook chromium failed:\n%s\n' "$out" >&2; return 1; }
	expect_match "the second start hands over" "Opening in existing browser session" "$out" || return 1
	wait_window --name '^nook-page-b' || return 1
	# A Chromium outside nook: the same.
	out=$(timeout 60 chromium "${CHROMIUM_FLAGS[@]}" --new-window "file://$HOME/Downloads/c.html" </dev/null 2>&1) ||
		{ printf 'chromium outside nook failed:\n%s\n' "$out" >&2; return 1; }
	expect_match "outside nook, it hands over too" "Opening in existing browser session" "$out" || return 1
	wait_window --name '^nook-page-c' || return 1
	expect_eq "one browser process on the profile" 1 "$(chromium_browsers | wc -l)" || return 1
	stop_app
	# The other way round: one outside nook first; nook refuses, whatever its lock says.
	chromium "${CHROMIUM_FLAGS[@]}" "file://$HOME/Downloads/d.html" </dev/null >"$TD/outside.log" 2>&1 3>&- &
	APP_PID=$!
	wait_window --name '^nook-page-d' || return 1
	run --separate-stderr timeout 60 "$NOOK" chromium "${CHROMIUM_FLAGS[@]}" "file://$HOME/Downloads/a.html"
	expect_eq "nook chromium while one runs outside: exit status" 125 "$status" || return 1
	expect_eq "one line" 1 "${#stderr_lines[@]}" || return 1
	expect_match "it says why" "^nook: chromium already runs outside nook \(pid [0-9]+, its lock .*/chromium/SingletonLock\)" "$stderr" || return 1
	expect_eq "still one browser process on the profile" 1 "$(chromium_browsers | wc -l)"
}

@test "chromium: --headless --screenshot saves into ~/Downloads, and leaves no throwaway profile in ~/.cache; ~/.ssh is hidden" {
	need chromium
	local round
	"$NOOK_PYTHON" "$DESKTOP_PY" html "$HOME/Downloads/page.html" nook-page
	for round in 1 2; do
		run --separate-stderr timeout -k 5 "$APP_TIMEOUT" "$NOOK" chromium --headless \
			"${CHROMIUM_FLAGS[@]}" --screenshot="$HOME/Downloads/shot$round.png" \
			"file://$HOME/Downloads/page.html"
		expect_eq "run $round: exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
		[ -s "$HOME/Downloads/shot$round.png" ] || { echo "run $round: no ~/Downloads/shot$round.png" >&2; return 1; }
		expect_share "run $round: the screenshot" 500 \
			"$(image_share "$HOME/Downloads/shot$round.png" 0 0 255)" || return 1
	done
	# Headless Chromium makes a new profile at every start (in ~/.cache/chromium-headless,
	# ~/.config/chromium-headless): in the sandbox's throwaway home, not on the host.
	[ ! -e "$XDG_CACHE_HOME/chromium-headless" ] && [ ! -e "$XDG_CONFIG_HOME/chromium-headless" ] ||
		{ echo "headless profiles on the host:" >&2; ls -A "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" >&2; return 1; }
	expect_secret_hidden chromium
}

# --- media players --------------------------------------------------------------------------

@test "mpv: a window shows a picture of ~/Pictures; its screenshot key saves into ~/Pictures, its watch-later position lasts; ~/.ssh is hidden" {
	need mpv
	expect_profile mpv
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" png "$HOME/Pictures/test.png"
	# Where mpv 0.35 keeps watch-later positions, as an earlier run (nook's mkdir, or mpv's own
	# outside) leaves it.
	mkdir -p "$XDG_CONFIG_HOME/mpv/watch_later" "$XDG_STATE_HOME/mpv"
	launch mpv.log mpv --image-display-duration=inf --screenshot-directory="$HOME/Pictures" \
		"$HOME/Pictures/test.png"
	wait_window --class mpv
	wait_window --name 'test\.png'
	sleep 1
	expect_share "the picture on the screen" 40 "$(screen_share 0 200 0)" || return 1
	xdotool key --window "$WID" s
	wait_for_file "$HOME/Pictures/mpv-shot0001.jpg" 100 ||
		{ tail -n 20 "$APP_LOG" >&2; return 1; }
	# Shift+Q: quit, keeping the position, where this version of mpv keeps it.
	xdotool key --window "$WID" shift+q
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$APP_PID" 2>/dev/null || break
		sleep 0.1
	done
	compgen -G "$XDG_CONFIG_HOME/mpv/watch_later/*" >/dev/null ||
		compgen -G "$XDG_STATE_HOME/mpv/watch_later/*" >/dev/null ||
		{ echo "no watch-later file on the host" >&2; tail -n 20 "$APP_LOG" >&2; return 1; }
	expect_secret_hidden mpv
}

@test "vlc: a window shows a picture of ~/Pictures; its snapshot (Shift+S) lands in ~/Pictures, the user's folder; ~/.ssh is hidden" {
	need vlc
	expect_profile vlc
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" png "$HOME/Pictures/test.png"
	launch vlc.log vlc --no-qt-privacy-ask --no-video-title-show --image-duration=-1 \
		"$HOME/Pictures/test.png"
	wait_window --class vlc
	wait_window --name 'test\.png'
	local i w snap=
	for ((i = 0; i < 50; i++)); do
		[ "$(screen_share 0 200 0)" -ge 20 ] && break
		sleep 0.2
	done
	expect_share "the picture on the screen" 20 "$(screen_share 0 200 0)" || return 1
	# The snapshot key goes to the focused window (no window manager here to focus one).
	for ((i = 0; i < 10; i++)); do
		for w in $(xdotool search --onlyvisible --class vlc); do
			xdotool windowfocus --sync "$w" key shift+s 2>/dev/null || true
		done
		sleep 1
		snap=$(find "$HOME/Pictures" -name 'vlcsnap-*.png' | head -n 1)
		[ -z "$snap" ] || break
	done
	[ -n "$snap" ] || { echo "no snapshot in ~/Pictures" >&2; tail -n 20 "$APP_LOG" >&2; return 1; }
	expect_share "the snapshot" 500 "$(image_share "$snap" 0 200 0)" || return 1
	expect_secret_hidden vlc
}

# --- document and image viewers -------------------------------------------------------------

@test "evince: a window shows a PDF of ~/Downloads; it cannot write there, --read-write=DIR lets it; ~/.ssh is hidden" {
	need evince
	expect_profile evince
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" pdf "$HOME/Downloads/test.pdf" nook
	launch evince.log evince "$HOME/Downloads/test.pdf"
	wait_window --class evince
	wait_window --name 'test\.pdf'
	sleep 1
	expect_share "the PDF's rectangle on the screen" 10 "$(screen_share 0 0 255)" || return 1
	stop_app
	# A viewer: a hostile PDF cannot change the documents. "Save a copy" needs a directory
	# made writable, as the profile's header says.
	run --separate-stderr nook_t --quiet --profile=evince -- sh -c 'echo x >~/Downloads/new'
	[ "$status" -ne 0 ] && [ ! -e "$HOME/Downloads/new" ] ||
		{ echo "evince's profile wrote into ~/Downloads" >&2; return 1; }
	run --separate-stderr nook_t --quiet --profile=evince --read-write="$HOME/Documents" -- \
		sh -c 'cp ~/Downloads/test.pdf ~/Documents/copy.pdf'
	expect_eq "a copy with --read-write" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	cmp -s "$HOME/Downloads/test.pdf" "$HOME/Documents/copy.pdf" || return 1
	expect_secret_hidden evince
}

@test "zathura: a window shows a PDF of ~/Documents, and its history of it lasts; ~/.ssh is hidden" {
	need zathura
	expect_profile zathura
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" pdf "$HOME/Documents/test.pdf" nook
	launch zathura.log zathura "$HOME/Documents/test.pdf"
	wait_window --class zathura
	wait_window --name 'test\.pdf'
	sleep 1
	expect_share "the PDF's rectangle on the screen" 10 "$(screen_share 0 0 255)" || return 1
	stop_app
	grep -qF "[$HOME/Documents/test.pdf]" "$XDG_DATA_HOME/zathura/history" ||
		{ echo "no history of the file in ~/.local/share/zathura/history" >&2; return 1; }
	expect_secret_hidden zathura
}

@test "feh: without XAUTHORITY (the cookie read from ~/.Xauthority), a window shows a picture of ~/Pictures; ~/.ssh is hidden" {
	need feh
	expect_profile feh
	start_x
	unset XAUTHORITY
	"$NOOK_PYTHON" "$DESKTOP_PY" png "$HOME/Pictures/test.png"
	launch feh.log feh "$HOME/Pictures/test.png"
	wait_window --class feh
	wait_window --name 'test\.png'
	sleep 1
	expect_share "the picture on the screen" 40 "$(screen_share 0 200 0)" || return 1
	expect_secret_hidden feh
}

# --- editors --------------------------------------------------------------------------------

@test "libreoffice: Writer's window opens a text of ~/Documents; converted, the document is saved next to it; its settings last; ~/.ssh is hidden" {
	need lowriter libreoffice soffice
	expect_profile lowriter
	start_x
	printf 'A letter written under nook.\n' >"$HOME/Documents/letter.txt"
	launch lowriter.log lowriter "$HOME/Documents/letter.txt"
	wait_window --class libreoffice
	wait_window --name '^letter\.txt'
	stop_app
	[ -f "$XDG_CONFIG_HOME/libreoffice/4/user/registrymodifications.xcu" ] ||
		{ echo "no user profile in ~/.config/libreoffice on the host" >&2; return 1; }
	# In the directory of the document, as from a file manager: the PDF lands beside it.
	cd "$HOME/Documents"
	run --separate-stderr timeout -k 5 "$APP_TIMEOUT" "$NOOK" libreoffice --headless \
		--convert-to pdf letter.txt
	expect_eq "convert to PDF" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "the PDF's first bytes" "%PDF" "$(head -c 4 "$HOME/Documents/letter.pdf")" || return 1
	cd "$HOME"
	run --separate-stderr timeout -k 5 "$APP_TIMEOUT" "$NOOK" soffice --headless \
		--convert-to odt --outdir "$HOME/Documents" "$HOME/Documents/letter.txt"
	expect_eq "save as ODT" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	[ -s "$HOME/Documents/letter.odt" ] || { echo "no ~/Documents/letter.odt" >&2; return 1; }
	expect_secret_hidden libreoffice
}

@test "thunderbird: a window shows a message of ~/Downloads; its profile is made in ~/.thunderbird and lasts; attachments can be saved into ~/Downloads, nowhere else; ~/.ssh is hidden" {
	need thunderbird
	expect_profile thunderbird
	start_x
	printf '%s\r\n' 'From: nook <nook@example.org>' 'To: user@example.org' \
		'Subject: nook-letter' 'Date: Wed, 02 Dec 2026 08:00:00 +0000' \
		'Content-Type: text/plain; charset=utf-8' '' 'A letter read under nook.' \
		>"$HOME/Downloads/letter.eml"
	launch thunderbird.log thunderbird "$HOME/Downloads/letter.eml"
	wait_window --class thunderbird
	wait_window --name '^nook-letter'
	stop_app
	# Thunderbird 153 makes its profile in ~/.thunderbird, whatever XDG_CONFIG_HOME says.
	[ -f "$HOME/.thunderbird/profiles.ini" ] ||
		{ echo "no ~/.thunderbird/profiles.ini on the host" >&2; return 1; }
	[ ! -e "$XDG_CONFIG_HOME/thunderbird" ] ||
		{ echo "an unused ~/.config/thunderbird was made" >&2; return 1; }
	local before
	before=$(cd "$HOME/.thunderbird" && ls -d -- */)
	launch thunderbird2.log thunderbird
	wait_window --class thunderbird
	stop_app
	expect_eq "the profiles after a second start" "$before" \
		"$(cd "$HOME/.thunderbird" && ls -d -- */)" || return 1
	# What "Save As" writes: ~/Downloads, and only there.
	run --separate-stderr nook_t --quiet --profile=thunderbird -- sh -c \
		'cp ~/Downloads/letter.eml ~/Downloads/saved.eml && echo saved
		echo x >~/Documents/x 2>/dev/null || echo documents-unreachable'
	expect_eq "saving" "saved
documents-unreachable" "$output" || return 1
	[ -s "$HOME/Downloads/saved.eml" ] || { echo "no ~/Downloads/saved.eml on the host" >&2; return 1; }
	[ ! -e "$HOME/Documents/x" ] || { echo "Documents/x reached the host" >&2; return 1; }
	expect_secret_hidden thunderbird
}

@test "gimp: a window opens a picture of ~/Pictures; a script exports a changed copy into ~/Pictures; ~/.ssh is hidden" {
	need gimp
	expect_profile gimp
	start_x
	"$NOOK_PYTHON" "$DESKTOP_PY" png "$HOME/Pictures/test.png"
	launch gimp.log gimp --no-splash "$HOME/Pictures/test.png"
	wait_window --class gimp
	wait_window --name '^\[test\]'
	stop_app
	local in="$HOME/Pictures/test.png" out="$HOME/Pictures/flipped.png"
	run --separate-stderr timeout -k 5 "$APP_TIMEOUT" "$NOOK" gimp -i -b "
		(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$in\" \"$in\")))
		       (layer (car (gimp-image-get-active-drawable img))))
		  (gimp-image-flip img ORIENTATION-HORIZONTAL)
		  (gimp-file-save RUN-NONINTERACTIVE img layer \"$out\" \"$out\"))" -b '(gimp-quit 0)'
	expect_eq "gimp -i -b" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	[ -s "$out" ] || { echo "no ~/Pictures/flipped.png" >&2; return 1; }
	expect_share "the exported picture" 500 "$(image_share "$out" 0 200 0)" || return 1
	[ -d "$XDG_CONFIG_HOME/GIMP" ] || { echo "no ~/.config/GIMP on the host" >&2; return 1; }
	expect_secret_hidden gimp
}
