#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Desktop policy: which display a sandbox gets (firejail's profiles: the display and the
# network unless they say otherwise; nook's own: what they name; default.profile: Wayland),
# dconf's directory, the accessibility bridge, and the one line nook prints after a program
# that failed without its display. Against a real X server: an Xvfb this file starts as the
# test user, with a cookie (XAUTHORITY under /tmp, which no sandbox sees unless it is bound).
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# stderr and stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

PROFILES="$NOOK_SRC/profiles"

# What the suite needs, or a skip (a failure under CI, whose machine has it all).
need() {
	local missing="" p
	for p in "$@"; do
		command -v "$p" >/dev/null || missing+=" $p"
	done
	[ -z "$missing" ] && return 0
	[ -z "${CI:-}" ] || { echo "missing:$missing (helpers/install-deps --test)" >&2; return 1; }
	skip "missing:$missing"
}

need_firejail_profiles() {
	[ -f /etc/firejail/feh.profile ] && return 0
	[ -z "${CI:-}" ] ||
		{ echo "/etc/firejail has no profiles (apt-get install firejail-profiles)" >&2; return 1; }
	skip "firejail's profiles are not installed (apt-get install firejail-profiles)"
}

# An X server of the file's own, on a free display (Xvfb picks it), with a cookie.
setup_file() {
	if ! command -v Xvfb >/dev/null || ! command -v xauth >/dev/null ||
		! command -v mcookie >/dev/null; then
		return 0
	fi
	XDIR=$(mktemp -d /tmp/nook-x11-test.XXXXXX) || return 1
	export XDIR
	local cookie n i
	cookie=$(mcookie)
	xauth -q -f "$XDIR/server" add :0 . "$cookie" || return 1
	Xvfb -displayfd 5 -auth "$XDIR/server" -nolisten tcp 5>"$XDIR/display" \
		</dev/null >/dev/null 2>"$XDIR/log" 3>&- &
	echo "$!" >"$XDIR/pid"
	disown "$!"
	for ((i = 0; i < 100; i++)); do
		[ -s "$XDIR/display" ] && break
		sleep 0.1
	done
	n=$(cat "$XDIR/display")
	[ -n "$n" ] || { echo "Xvfb did not start: $(cat "$XDIR/log")" >&2; return 1; }
	xauth -q -f "$XDIR/cookie" add ":$n" . "$cookie" || return 1
	echo ":$n" >"$XDIR/DISPLAY"
}

teardown_file() {
	[ -n "${XDIR:-}" ] || return 0
	kill "$(cat "$XDIR/pid")" 2>/dev/null || true
	rm -rf -- "$XDIR"
}

setup() {
	need Xvfb xauth mcookie
	if [ -z "${XDIR:-}" ] || [ ! -s "$XDIR/DISPLAY" ]; then
		echo "the X server did not start (setup_file)" >&2
		return 1
	fi
	TD=$(mktemp -d /var/tmp/nook-desktop-policy.XXXXXX) || return 1
	export HOME="$TD/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export NOOK_PROFILE_DIR="$PROFILES"
	export PATH="$NOOK_CLEAN_PATH"
	unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY SSH_AUTH_SOCK NO_AT_BRIDGE GTK_A11Y
	DISPLAY=$(cat "$XDIR/DISPLAY")
	export DISPLAY XAUTHORITY="$XDIR/cookie"
	XSOCK="/tmp/.X11-unix/X${DISPLAY#:}"
	RT="/run/user/$(id -u)"
	MADE=()
	PIDS=()
	mkdir -p "$HOME/.config/firejail" "$HOME/.config/nook/profiles" "$HOME/work" || return 1
	cd "$HOME/work" || return 1
}

teardown() {
	local p f
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for f in "${MADE[@]}"; do
		rm -rf -- "$f"
	done
	cd /
	[ -z "${TD:-}" ] || { chmod -R u+rwX "$TD" 2>/dev/null; rm -rf "$TD"; }
	return 0
}

# A profile in firejail's language, as a user keeps in ~/.config/firejail: no x11, no net.
firejail_like_profile() {
	cat >"$1" <<'EOF'
# Firejail profile for a test program
include nt.local
include globals.local
caps.drop all
netfilter
nonewprivs
noroot
seccomp
EOF
}

# The stderr lines that are nook's line after a failure.
hint_lines() {
	printf '%s\n' "$stderr" | grep -c '^nook: .* had no .*display' || true
}

# ---- firejail's profiles ---------------------------------------------------------------------

@test "a firejail profile of ~/.config/firejail: the X display (socket and cookie) works inside, as under firejail" {
	need xdpyinfo
	firejail_like_profile "$HOME/.config/firejail/nt.profile"
	# The control: the same profile's text among nook's own gives no display.
	firejail_like_profile "$HOME/.config/nook/profiles/nt-copy.profile"
	run --separate-stderr nook_t run --profile=nt-copy -- xdpyinfo
	[ "$status" -ne 0 ] || { echo "nook's own profile reached the X server" >&2; return 1; }
	run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" -- xdpyinfo
	expect_eq "xdpyinfo under firejail's profile" 0 "$status" ||
		{ printf '%s\n' "$stderr" >&2; return 1; }
	expect_match "xdpyinfo" "name of display: +$DISPLAY" "$output" || return 1
	if command -v xdotool >/dev/null; then
		run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" -- \
			xdotool getdisplaygeometry
		expect_eq "xdotool getdisplaygeometry" 0 "$status" ||
			{ printf '%s\n' "$stderr" >&2; return 1; }
		expect_match "the geometry" '^[0-9]+ [0-9]+$' "$output" || return 1
	fi
	# The socket and the cookie are the host's, bound: the sandbox's /tmp is its own.
	run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" -- \
		sh -c 'test -S "$1" && test -r "$XAUTHORITY" && echo both' sh "$XSOCK"
	expect_eq "the socket and the cookie inside" both "$output"
}

@test "a firejail profile has the network through slirp4netns (never the host's) unless it says net none; --dry-run shows it; the command line wins" {
	need slirp4netns
	firejail_like_profile "$HOME/.config/firejail/nt.profile"
	run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" --dry-run -- prog
	expect_eq "dry-run" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_match "net" $'(^|\n)net slirp ' "$output" || return 1
	expect_line "the X socket" "mount bind $XSOCK $XSOCK rw,nosuid,nodev,optional (x11: firejail's default)" "$output" || return 1
	expect_line "the cookie" "mount bind $XAUTHORITY $XAUTHORITY ro,nosuid,nodev,optional (x11: firejail's default)" "$output" || return 1
	# Inside: slirp4netns's tap0, up.
	run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" -- \
		sh -c 'grep -c "tap0:" /proc/net/dev'
	expect_eq "tap0 inside" 1 "$output" || { printf '%s\n' "$stderr" >&2; return 1; }
	# "net none" in the profile, and --net=none over it.
	printf 'net none\n' >>"$HOME/.config/firejail/nt.profile"
	run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" --dry-run -- prog
	expect_match "net none in the profile" $'(^|\n)net none(\n|$)' "$output" || return 1
	firejail_like_profile "$HOME/.config/firejail/nt.profile"
	run --separate-stderr nook_t run --profile="$HOME/.config/firejail/nt.profile" --net=none --x11=none --dry-run -- prog
	expect_match "--net=none over the profile" $'(^|\n)net none(\n|$)' "$output" || return 1
	[[ "$output" != *"/tmp/.X11-unix"* ]] || { echo "--x11=none: the X socket is bound" >&2; return 1; }
	[[ "$output" != *$'\nenv DISPLAY='* ]] || { echo "--x11=none: DISPLAY is set" >&2; return 1; }
	# A profile of nook's (the same text among nook's profiles): nothing it does not name.
	firejail_like_profile "$HOME/.config/nook/profiles/nt-copy.profile"
	run --separate-stderr nook_t run --profile=nt-copy --dry-run -- prog
	expect_match "nook's profile" $'(^|\n)net none(\n|$)' "$output" || return 1
	[[ "$output" != *"/tmp/.X11-unix"* ]] || { echo "nook's profile: the X socket is bound" >&2; return 1; }
	# A link among nook's profiles to one of firejail's: firejail's (where the file is).
	ln -s "$HOME/.config/firejail/nt.profile" "$HOME/.config/nook/profiles/nt-link.profile"
	run --separate-stderr nook_t run --profile=nt-link --dry-run -- prog
	expect_match "a link to firejail's" $'(^|\n)net slirp ' "$output"
}

@test "firejail's own profiles in /etc/firejail: feh.profile shows the display (and says net none), curl.profile has the network, less.profile (x11 none) no display" {
	need_firejail_profiles
	need xdpyinfo slirp4netns
	run --separate-stderr nook_t run -q --profile=/etc/firejail/feh.profile -- xdpyinfo
	expect_eq "xdpyinfo under feh.profile" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_match "xdpyinfo" "name of display: +$DISPLAY" "$output" || return 1
	run --separate-stderr nook_t run -q --profile=/etc/firejail/feh.profile --dry-run -- feh
	expect_match "feh: net none" $'(^|\n)net none(\n|$)' "$output" || return 1
	run --separate-stderr nook_t run -q --profile=/etc/firejail/curl.profile --dry-run -- curl
	expect_match "curl: net slirp" $'(^|\n)net slirp ' "$output" || return 1
	run --separate-stderr nook_t run -q --profile=/etc/firejail/less.profile --dry-run -- less
	expect_eq "less: dry-run" 0 "$status" || return 1
	[[ "$output" != *"/tmp/.X11-unix"* ]] || { echo "x11 none: the X socket is bound" >&2; return 1; }
	[[ "$output" != *$'\nenv DISPLAY='* ]] || { echo "x11 none: DISPLAY is set" >&2; return 1; }
}

@test "nook's own GUI profile (feh of the tree) keeps nook's defaults: x11 as it says, no network, no Wayland it does not name" {
	run --separate-stderr env WAYLAND_DISPLAY=wayland-nt "$NOOK" run --profile=feh --dry-run -- feh
	expect_eq "dry-run" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_match "net none" $'(^|\n)net none(\n|$)' "$output" || return 1
	expect_line "its x11" "mount bind $XSOCK $XSOCK rw,nosuid,nodev,optional (x11)" "$output" || return 1
	[[ "$output" != *"wayland-nt"*"firejail"* ]] && [[ "$output" != *"firejail's default"* ]] ||
		{ echo "nook's profile got firejail's defaults" >&2; return 1; }
	expect_line "no Wayland" "env-removed WAYLAND_DISPLAY the Wayland socket is not granted (--wayland)" "$output"
}

# ---- default.profile and the line after a failure --------------------------------------------

@test "default.profile gives Wayland, not X11: a program that needs X fails, and nook says why in one line after it; -q silences it; --x11 gives it the display" {
	local needs_x='test -S "/tmp/.X11-unix/X${DISPLAY#:}" || exit 3'
	run --separate-stderr env WAYLAND_DISPLAY=wayland-nt "$NOOK" run --dry-run -- sh -c "$needs_x"
	expect_line "default.profile: Wayland" "mount bind $RT/wayland-nt $RT/wayland-nt rw,nosuid,nodev,optional (wayland)" "$output" || return 1
	[[ "$output" != *"mount bind /tmp/.X11-unix"* ]] ||
		{ echo "default.profile binds the X socket" >&2; return 1; }
	expect_line "dry-run: the hint" "failure-hint sh had no X display (X11 is not granted by default.profile): --x11 gives it the X server" "$output" || return 1

	run --separate-stderr nook_t run -- sh -c "$needs_x"
	expect_eq "without X" 3 "$status" || return 1
	expect_eq "the last line" "nook: sh had no X display (X11 is not granted by default.profile): --x11 gives it the X server" "${stderr_lines[${#stderr_lines[@]} - 1]}" || return 1
	expect_eq "one line" 1 "$(hint_lines)" || return 1
	run --separate-stderr nook_t run -q -- sh -c "$needs_x"
	expect_eq "-q: the status" 3 "$status" || return 1
	expect_eq "-q: nothing" "" "$stderr" || return 1
	run --separate-stderr nook_t run --x11 -- sh -c "$needs_x"
	expect_eq "--x11" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "--x11: no line" 0 "$(hint_lines)" || return 1
	# Killed by a signal: a failure too.
	run --separate-stderr nook_t run -- sh -c 'kill -TERM $$'
	expect_eq "killed" 143 "$status" || return 1
	expect_eq "killed: the line" 1 "$(hint_lines)" || return 1
	# Not after a success, nor a failure with the display there, nor a program never started.
	run --separate-stderr nook_t run -- true
	expect_eq "success: no line" 0 "$(hint_lines)" || return 1
	run --separate-stderr nook_t run --x11 -- sh -c 'exit 4'
	expect_eq "failure with X: the status" 4 "$status" || return 1
	expect_eq "failure with X: no line" 0 "$(hint_lines)" || return 1
	run -127 --separate-stderr nook_t run -- /nonexistent/prog
	expect_eq "not found" 127 "$status" || return 1
	expect_eq "not found: no line" 0 "$(hint_lines)" || return 1
	# Without a display of the caller's: nothing to say.
	run --separate-stderr env -u DISPLAY "$NOOK" run -- sh -c 'exit 3'
	expect_eq "no display of the caller's: no line" 0 "$(hint_lines)"
}

@test "xterm without a profile of its own: xterm's own message, then nook's one line; with --x11 it runs" {
	need xterm
	run --separate-stderr nook_t xterm -e true
	[ "$status" -ne 0 ] || { echo "xterm ran without the X server" >&2; return 1; }
	expect_match "xterm's own message" "Can't open display" "$stderr" || return 1
	expect_eq "the last line" "nook: xterm had no X display (X11 is not granted by default.profile): --x11 gives it the X server" "${stderr_lines[${#stderr_lines[@]} - 1]}" || return 1
	expect_eq "one line" 1 "$(hint_lines)" || return 1
	run --separate-stderr nook_t --x11 xterm -e true
	expect_eq "xterm --x11" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "xterm --x11: no line" 0 "$(hint_lines)"
}

# ---- dconf and the accessibility bus ---------------------------------------------------------

@test "dconf: gsettings set and dconf write under a GUI profile print no dconf-CRITICAL, also where the profile binds the host's dconf/ read-only; the host's file is not touched" {
	need gsettings dconf
	[ -d "$RT" ] && [ -w "$RT" ] || {
		[ -z "${CI:-}" ] || { echo "$RT is missing" >&2; return 1; }
		skip "$RT does not exist (no login session)"
	}
	lock_runtime_dir
	if [ ! -e "$RT/dconf" ]; then
		mkdir -m 700 "$RT/dconf" && MADE+=("$RT/dconf")
	fi
	if [ ! -e "$RT/dconf/user" ]; then
		printf '\0\0' >"$RT/dconf/user" && MADE+=("$RT/dconf/user")
	fi
	local before
	before=$(od -An -tx1 "$RT/dconf/user")
	# The host's dconf/ bound read-only: dconf cannot open dconf/user for writing there.
	printf 'x11\nwhitelist-ro ${RUNUSER}/dconf\n' >"$HOME/.config/nook/profiles/nt-dconf.profile"
	run --separate-stderr nook_t run --profile=nt-dconf -- gsettings set org.gnome.desktop.interface gtk-theme NookTest
	[[ "$stderr" != *"dconf-CRITICAL"* ]] || { printf '%s\n' "$stderr" >&2; return 1; }
	run --separate-stderr nook_t run --profile=nt-dconf -- \
		sh -c 'echo x >"$XDG_RUNTIME_DIR/dconf/user" && echo written'
	expect_eq "dconf/user inside" written "$output" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "the host's dconf/user" "$before" "$(od -An -tx1 "$RT/dconf/user")" || {
		ls -la "$RT/dconf" >&2
		return 1
	}
	# A shipped GUI profile.
	run --separate-stderr nook_t run --profile=eog -- gsettings set org.gnome.desktop.interface gtk-theme NookTest
	[[ "$stderr" != *"dconf-CRITICAL"* ]] || { printf '%s\n' "$stderr" >&2; return 1; }
	run --separate-stderr nook_t run --profile=eog -- dconf write /org/nook/test 1
	[[ "$stderr" != *"dconf-CRITICAL"* ]] || { printf '%s\n' "$stderr" >&2; return 1; }
}

@test "accessibility: a GTK program with a display and a filtered session bus does not warn about the accessibility bus (NO_AT_BRIDGE=1, GTK_A11Y=none), unless the caller sets them" {
	need dbus-daemon xdg-dbus-proxy
	/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0"); from gi.repository import Gtk' 2>/dev/null || {
		[ -z "${CI:-}" ] || { echo "GTK 3's introspection data is missing (gir1.2-gtk-3.0)" >&2; return 1; }
		skip "GTK 3's introspection data is missing (gir1.2-gtk-3.0)"
	}
	run --separate-stderr nook_t run --x11 -- sh -c 'echo "$NO_AT_BRIDGE $GTK_A11Y"'
	expect_eq "with a display" "1 none" "$output" || return 1
	run --separate-stderr env NO_AT_BRIDGE=0 "$NOOK" run --x11 -- sh -c 'echo "$NO_AT_BRIDGE $GTK_A11Y"'
	expect_eq "the caller's own" "0 none" "$output" || return 1
	run --separate-stderr nook_t run --noprofile -- sh -c 'echo "${NO_AT_BRIDGE-unset}"'
	expect_eq "without a display" "unset" "$output" || return 1

	# A session bus of the test's own, filtered: GTK asks it for the accessibility bus.
	dbus-daemon --session --address="unix:path=$TD/bus.sock" --fork --print-pid=4 \
		4>"$TD/bus.pid" 3>&- || return 1
	PIDS+=("$(cat "$TD/bus.pid")")
	export DBUS_SESSION_BUS_ADDRESS="unix:path=$TD/bus.sock"
	export XDG_RUNTIME_DIR="$TD/rt"
	mkdir -m 700 "$XDG_RUNTIME_DIR"
	cat >"$HOME/work/gtk.py" <<'EOF'
import gi
gi.require_version("Gtk", "3.0")
from gi.repository import Gtk, GLib
w = Gtk.Window()
w.show_all()
GLib.timeout_add(300, Gtk.main_quit)
Gtk.main()
print("shown")
EOF
	# The control: the bridge on, it warns.
	run --separate-stderr nook_t run --x11 --dbus-user=filter --unsetenv=NO_AT_BRIDGE -- /usr/bin/python3 "$HOME/work/gtk.py"
	expect_eq "the control" shown "$output" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_match "the control warns" "AT-SPI" "$stderr" || return 1
	run --separate-stderr nook_t run --x11 --dbus-user=filter -- /usr/bin/python3 "$HOME/work/gtk.py"
	expect_eq "the window" shown "$output" || { printf '%s\n' "$stderr" >&2; return 1; }
	[[ "$stderr" != *"AT-SPI"* && "$stderr" != *"accessibility bus"* ]] ||
		{ printf '%s\n' "$stderr" >&2; return 1; }
}
