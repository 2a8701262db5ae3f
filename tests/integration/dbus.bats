#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# D-Bus: none, filter (xdg-dbus-proxy, with dbus-user.own, .talk, .see, .call, .broadcast) and
# allow, against two private buses this file starts as the test user: a "session" bus and a
# "system" one (a second session-type dbus-daemon, named by DBUS_SYSTEM_BUS_ADDRESS: a real
# system bus needs root). On each, services of its own own a name, answer methods and send
# signals (helpers/dbus_service.py). Each test tries from inside to reach what its rules do
# not allow, with gdbus, dbus-send, dbus-monitor and python3-dbus, after a control that shows
# the same attempt succeeding without the filter.
# The buses live under /var/tmp, which every sandbox over the host sees: a test also checks
# that their sockets are not reachable by their own paths where the bus is not granted.
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# stderr and stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
# PIDS is each test's own: setup() empties it, teardown() reads it.
# shellcheck disable=SC2030,SC2031
bats_require_minimum_version 1.5.0
load ../lib/common

# The helpers need python3-dbus and python3-gi: Debian's python3.
DBUS_PY=/usr/bin/python3
HELPERS="$NOOK_SRC/tests/integration/helpers"
# Names, on each bus a service of its own: one the rules grant, one they do not.
TALK=org.nook.Test.Talk
HIDDEN=org.nook.Test.Hidden
SYS_TALK=org.nook.Sys.Talk
SYS_HIDDEN=org.nook.Sys.Hidden

# A bus of its own: dbus-daemon with a config file that lets everyone do everything, so that
# whatever is refused is refused by the proxy.
start_bus() {
	local name="$1" dir="$2"
	cat >"$dir/$name.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/$name.sock</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
	dbus-daemon --config-file="$dir/$name.conf" --fork --print-pid=4 4>"$dir/$name.pid" 3>&- ||
		return 1
	cat "$dir/$name.pid" >>"$dir/pids"
}

# start_service ADDRESS NAME: a service owning NAME, until it says it is ready (10 s at most).
start_service() {
	local address="$1" name="$2" dir="$BUSDIR" i
	"$DBUS_PY" "$HELPERS/dbus_service.py" "$address" "$name" "$dir/$name.ready" \
		</dev/null >/dev/null 2>"$dir/$name.log" 3>&- &
	echo "$!" >>"$dir/pids"
	# Not a job of the test's shell: its end is not reported.
	disown "$!"
	for ((i = 0; i < 100; i++)); do
		[ -e "$dir/$name.ready" ] && return 0
		sleep 0.1
	done
	echo "service $name did not start: $(cat "$dir/$name.log")" >&2
	return 1
}

# What the suite needs, or a skip (a failure under CI, whose machine has it all).
need() {
	local missing=""
	for p in dbus-daemon gdbus dbus-send dbus-monitor xdg-dbus-proxy; do
		command -v "$p" >/dev/null || missing+=" $p"
	done
	"$DBUS_PY" -c 'import dbus, dbus.mainloop.glib, gi' 2>/dev/null || missing+=" python3-dbus/python3-gi"
	[ -z "$missing" ] && return 0
	[ -z "${CI:-}" ] || { echo "missing:$missing (helpers/install-deps --test)" >&2; return 1; }
	skip "missing:$missing"
}

setup_file() {
	need || return 0
	BUSDIR="$(mktemp -d /var/tmp/nook-dbus-test.XXXXXX)"
	export BUSDIR
	export SESSION_ADDR="unix:path=$BUSDIR/session.sock"
	export SYSTEM_ADDR="unix:path=$BUSDIR/system.sock"
	start_bus session "$BUSDIR"
	start_bus system "$BUSDIR"
	start_service "$SESSION_ADDR" "$TALK"
	start_service "$SESSION_ADDR" "$HIDDEN"
	start_service "$SYSTEM_ADDR" "$SYS_TALK"
	start_service "$SYSTEM_ADDR" "$SYS_HIDDEN"
}

teardown_file() {
	local p
	[ -n "${BUSDIR:-}" ] || return 0
	touch "$BUSDIR/pids"
	while read -r p; do
		kill "$p" 2>/dev/null || true
	done <"$BUSDIR/pids"
	rm -rf -- "$BUSDIR"
}

setup() {
	need
	if [ -z "${BUSDIR:-}" ] || [ ! -S "$BUSDIR/session.sock" ]; then
		echo "the test buses did not start (setup_file)" >&2
		return 1
	fi
	cd "$BATS_TEST_TMPDIR" || return 1
	export DBUS_SESSION_BUS_ADDRESS="$SESSION_ADDR"
	export DBUS_SYSTEM_BUS_ADDRESS="$SYSTEM_ADDR"
	# nook's own runtime dir (the proxy's sockets): this test's. The sandbox's is always RT.
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/rt"
	mkdir -m 700 "$XDG_RUNTIME_DIR"
	RT="/run/user/$(id -u)"
	PIDS=()
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
	done
	return 0
}

box() {
	nook_t run -q --noprofile "$@"
}

# gdbus call BUS DEST [PATH [METHOD]]: a call of Ping (or METHOD) at /org/nook/Test (or PATH).
CALL='gdbus call --$0 --dest "$1" --object-path "${2:-/org/nook/Test}" --method "${3:-org.nook.Test.Ping}" 2>&1'
# dbus-send to the bus driver: BUS METHOD [ARG...]
DRIVER='b=$0 m=$1; shift; dbus-send --$b --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.$m "$@" 2>&1'

# What is left in nook's runtime directory but nook/sandboxes/ (named sandboxes' entries) and
# the user namespace pool's socket and lock (the pool outlives sandboxes).
nook_dir_left() {
	find "$XDG_RUNTIME_DIR/nook" -mindepth 1 -maxdepth 1 ! -name sandboxes ! -name userns.sock \
		! -name userns.lock -printf '%f\n'
}

@test "filter: the talked-to name answers; another one is not listed, and no call reaches it" {
	local unique
	# The control: without a filter, both answer, by name and by unique name.
	expect_eq "outside: $HIDDEN" "('pong $HIDDEN',)" "$(sh -c "$CALL" session "$HIDDEN")"
	unique="$(sh -c "$DRIVER" session GetNameOwner "string:$HIDDEN" | tr -d ' ')"
	expect_match "outside: its unique name" '^:[0-9]+\.[0-9]+$' "$unique"
	run --separate-stderr box --dbus-user=allow -- sh -c "$CALL" session "$HIDDEN"
	expect_eq "allow: $HIDDEN" "('pong $HIDDEN',)" "$output"

	run --separate-stderr box --dbus-user=filter --dbus-user.talk="$TALK" -- sh -c '
		echo "$DBUS_SESSION_BUS_ADDRESS"
		sh -c "$0" session '"$TALK"'
		sh -c "$0" session '"$HIDDEN"'
		sh -c "$0" session '"$unique"'
		sh -c "$1" session ListNames | tr -s " \n" "\n\n" | grep -c "^org\.nook\."
		sh -c "$1" session ListNames | grep -o "org\.nook\.[A-Za-z.]*"
		sh -c "$1" session NameHasOwner string:'"$HIDDEN"'
		sh -c "$1" session GetNameOwner string:'"$HIDDEN"' | grep -o "Error [A-Za-z.]*"' \
		"$CALL" "$DRIVER"
	expect_eq "exit status" 0 "$status"
	expect_eq "the variable names the proxy's socket" "unix:path=$RT/bus" "${lines[0]}"
	expect_eq "talk: it answers" "('pong $TALK',)" "${lines[1]}"
	expect_match "by its name: unknown" "ServiceUnknown" "${lines[2]}"
	expect_match "by its unique name: unknown" "ServiceUnknown|NameHasNoOwner|AccessDenied" "${lines[3]}"
	expect_eq "ListNames: one of ours" "1" "${lines[4]}"
	expect_eq "ListNames: the talked-to one" "$TALK" "${lines[5]}"
	expect_eq "NameHasOwner: no" "boolean false" "$(words "${lines[6]}")"
	expect_eq "GetNameOwner: refused" "Error org.freedesktop.DBus.Error.NameHasNoOwner" "${lines[7]}"
}

@test "filter: a seen name is listed and refuses every call" {
	run --separate-stderr box --dbus-user.see="$HIDDEN" -- sh -c '
		sh -c "$1" session NameHasOwner string:'"$HIDDEN"'
		sh -c "$0" session '"$HIDDEN"'
		sh -c "$0" session '"$HIDDEN"' /org/nook/Test org.nook.Other.Secret
		sh -c "$0" session '"$TALK"'
		true' "$CALL" "$DRIVER"
	expect_eq "exit status" 0 "$status"
	expect_eq "NameHasOwner: yes" "boolean true" "$(words "${lines[0]}")"
	expect_match "Ping: denied" "AccessDenied" "${lines[1]}"
	expect_match "Secret: denied" "AccessDenied" "${lines[2]}"
	expect_match "an unlisted name: unknown" "ServiceUnknown" "${lines[3]}"
}

@test "filter: own allows RequestName for that name (and those below it with .*) only" {
	# $0: the driver call, $1: the name.
	local req='sh -c "$0" session RequestName "string:$1" uint32:4 | tr -s " " | sed "s/^ //; s/: .*//"'
	run --separate-stderr box --dbus-user.own=org.nook.Mine --dbus-user.own=org.nook.Tree.* -- sh -c '
		for n in org.nook.Mine org.nook.Tree org.nook.Tree.Leaf org.nook.Mine.Sub org.nook.Minefield '"$TALK"'; do
			printf "%s: %s\n" "$n" "$(sh -c "$1" "$0" "$n")"
		done' "$DRIVER" "$req"
	expect_eq "exit status" 0 "$status"
	expect_eq "RequestName results" "org.nook.Mine: uint32 1
org.nook.Tree: uint32 1
org.nook.Tree.Leaf: uint32 1
org.nook.Mine.Sub: Error org.freedesktop.DBus.Error.ServiceUnknown
org.nook.Minefield: Error org.freedesktop.DBus.Error.ServiceUnknown
$TALK: Error org.freedesktop.DBus.Error.ServiceUnknown" "$output"
	# The control: without a filter, the bus lets anyone have any name.
	run --separate-stderr box -- sh -c 'sh -c "$1" "$0" org.nook.Minefield' "$DRIVER" "$req"
	expect_eq "allow: RequestName of any name" "uint32 1" "$output"
}

@test "filter: a call rule allows the interface and path it names, nothing else" {
	run --separate-stderr box --dbus-user.call="$TALK=org.nook.Test.Ping@/org/nook/Test" -- sh -c '
		sh -c "$0" session '"$TALK"'
		sh -c "$0" session '"$TALK"' /org/nook/Test org.nook.Other.Secret
		sh -c "$0" session '"$TALK"' /org/nook/Test/Sub
		sh -c "$0" session '"$HIDDEN"'
		true' "$CALL"
	expect_eq "exit status" 0 "$status"
	expect_eq "its method at its path" "('pong $TALK',)" "${lines[0]}"
	expect_match "another interface: denied" "AccessDenied" "${lines[1]}"
	expect_match "another path: denied" "AccessDenied" "${lines[2]}"
	expect_match "another name: unknown" "ServiceUnknown" "${lines[3]}"
	# A subtree and a whole interface.
	run --separate-stderr box --dbus-user.call="$TALK=org.nook.Test.*@/org/nook/Test/*" -- sh -c '
		sh -c "$0" session '"$TALK"' /org/nook/Test/Sub
		sh -c "$0" session '"$TALK"' /org/nook/Test org.nook.Other.Secret' "$CALL"
	expect_eq "subtree: below the path" "('sub $TALK',)" "${lines[0]}"
	expect_match "subtree: still not another interface" "AccessDenied" "${lines[1]}"
	# The control: talk allows all of it.
	run --separate-stderr box --dbus-user.talk="$TALK" -- sh -c "$CALL" session "$TALK" \
		/org/nook/Test org.nook.Other.Secret
	expect_eq "talk: every interface" "('secret $TALK',)" "$output"
}

@test "filter: signals arrive only as the rules allow; monitoring the bus is refused" {
	local listen=("$DBUS_PY" "$HELPERS/dbus_listen.py" session 1)
	# The control: on the bus itself, all four kinds arrive.
	expect_eq "outside" "org.nook.Other.Tock $HIDDEN
org.nook.Other.Tock $TALK
org.nook.Test.Tick $HIDDEN
org.nook.Test.Tick $TALK" "$("${listen[@]}")"
	run --separate-stderr box --dbus-user.broadcast="$TALK=org.nook.Test.*@/org/nook/Test" -- "${listen[@]}"
	expect_eq "broadcast rule: that interface of that name" "org.nook.Test.Tick $TALK" "$output"
	run --separate-stderr box --dbus-user.broadcast="$TALK=*@/elsewhere" -- "${listen[@]}"
	expect_eq "broadcast rule of another path: nothing" "none" "$output"
	run --separate-stderr box --dbus-user.talk="$TALK" -- "${listen[@]}"
	expect_eq "talk: every signal of that name" "org.nook.Other.Tock $TALK
org.nook.Test.Tick $TALK" "$output"
	run --separate-stderr box --dbus-user.see="$TALK" -- "${listen[@]}"
	expect_eq "see: none" "none" "$output"
	# Eavesdropping (BecomeMonitor, else eavesdrop=true match rules) sees nothing of others.
	run --separate-stderr box --dbus-user.talk="$TALK" -- sh -c \
		'timeout 1 dbus-monitor --session "interface=org.nook.Test" 2>&1; true'
	if grep -q "$HIDDEN" <<<"$output"; then
		echo "dbus-monitor inside saw $HIDDEN's traffic:" >&2
		printf '%s\n' "$output" | head -20 >&2
		return 1
	fi
	# The control: outside, it does.
	run timeout 1 dbus-monitor --session "interface=org.nook.Test"
	expect_match "outside: dbus-monitor sees $HIDDEN's signals" "$HIDDEN" "$output"
}

@test "filter: the system bus (DBUS_SYSTEM_BUS_ADDRESS) has rules of its own" {
	expect_eq "outside: $SYS_HIDDEN" "('pong $SYS_HIDDEN',)" "$(sh -c "$CALL" system "$SYS_HIDDEN")"
	# A session rule for the system's name does not count on the system bus.
	run --separate-stderr box --dbus-system.talk="$SYS_TALK" --dbus-user.talk="$SYS_HIDDEN" -- sh -c '
		echo "$DBUS_SYSTEM_BUS_ADDRESS"
		sh -c "$0" system '"$SYS_TALK"'
		sh -c "$0" system '"$SYS_HIDDEN"'
		sh -c "$1" system ListNames | grep -o "org\.nook\.[A-Za-z.]*"
		'"$DBUS_PY $HELPERS/dbus_listen.py"' system 1' "$CALL" "$DRIVER"
	expect_eq "exit status" 0 "$status"
	expect_eq "the variable names the proxy's socket" "unix:path=/run/dbus/system_bus_socket" \
		"${lines[0]}"
	expect_eq "talk: it answers" "('pong $SYS_TALK',)" "${lines[1]}"
	expect_match "the other: unknown" "ServiceUnknown" "${lines[2]}"
	expect_eq "ListNames" "$SYS_TALK" "${lines[3]}"
	expect_eq "signals: the talked-to name's" "org.nook.Other.Tock $SYS_TALK" "${lines[4]}"
	expect_eq "signals: the talked-to name's (2)" "org.nook.Test.Tick $SYS_TALK" "${lines[5]}"
	expect_eq "signals: nothing else" 6 "${#lines[@]}"
	# The session bus was filtered too (a rule was given): the system's names are not on it.
	run --separate-stderr box --dbus-system=filter -- sh -c "$CALL" system "$SYS_TALK"
	expect_match "dbus-system filter without rules: nothing but the bus" "ServiceUnknown" "$output"
}

@test "none: no socket, no variable, and the caller's bus not reachable by its own path" {
	# probe PYTHON PROBE PATH...: connect to each path, then the variables.
	local probe='py=$0 pr=$1; shift; for p in "$@"; do "$py" "$pr" unix "$p"; done; echo "[${DBUS_SESSION_BUS_ADDRESS-unset}] [${DBUS_SYSTEM_BUS_ADDRESS-unset}]"'
	local args=("$NOOK_PYTHON" "$NOOK_PYPROBE" "$BUSDIR/session.sock" "$BUSDIR/system.sock")
	# The control: allowed, the buses' sockets are reachable where the variables say.
	run --separate-stderr box -- sh -c "$probe" "${args[@]}"
	expect_eq "allow" "ok
ok
[$SESSION_ADDR] [$SYSTEM_ADDR]" "$output"
	run --separate-stderr box --dbus-user=none --dbus-system=none -- sh -c "$probe" "${args[@]}" \
		"$RT/bus" /run/dbus/system_bus_socket
	expect_eq "none" "EACCES
EACCES
ENOENT
ENOENT
[unset] [unset]" "$output"
	# nodbus, and a bind of the socket at its own path: still nothing (as with a profile's
	# "whitelist ${RUNUSER}/bus": the buses are settled after the views and binds).
	run --separate-stderr box --nodbus --bind="$BUSDIR/session.sock" -- sh -c "$probe" \
		"${args[@]}" "$RT/bus" /run/dbus/system_bus_socket
	expect_eq "--nodbus, the socket bound" "EACCES
EACCES
ENOENT
ENOENT
[unset] [unset]" "$output"
	# filter: only the proxy's sockets, where the sandbox expects the buses.
	run --separate-stderr box --dbus-user=filter --dbus-system=filter -- sh -c "$probe" \
		"${args[@]}" "$RT/bus" /run/dbus/system_bus_socket
	expect_eq "filter" "EACCES
EACCES
ok
ok
[unix:path=$RT/bus] [unix:path=/run/dbus/system_bus_socket]" "$output"
	run --separate-stderr box --dbus-user=none --dbus-system=none -- sh -c 'ls -A "$XDG_RUNTIME_DIR"; ls -A /run/dbus 2>&1'
	expect_eq "none: the runtime dir is empty, /run/dbus does not exist" \
		"ls: cannot access '/run/dbus': No such file or directory" "$output"
}

# The proxy of the sandbox that runs: the xdg-dbus-proxy whose sockets are in $1/nook.
proxy_of() {
	pgrep -u "$(id -u)" -f -- "xdg-dbus-proxy --fd=3 .* $1/nook/dbus-" || true
}

@test "the proxy and its sockets are gone after the sandbox, also after kill -9 of nook" {
	local tag pid proxy dir i
	box --dbus-user=filter --dbus-system=filter -- true
	expect_eq "after a normal exit: no proxy" "" "$(proxy_of "$XDG_RUNTIME_DIR")"
	expect_eq "after a normal exit: no socket directory" "" "$(nook_dir_left)"
	# A failing payload, and nook failing after the proxy started (a bad --chdir).
	run --separate-stderr box --dbus-user=filter -- sh -c 'exit 7'
	expect_eq "payload's status" 7 "$status"
	run --separate-stderr box --dbus-user=filter --chdir=/nonexistent -- true
	expect_eq "a failing sandbox: status" 125 "$status"

	tag="5.$(unique_tag)"
	"$NOOK" run -q --noprofile --dbus-user=filter -- sleep "$tag" 3>&- &
	pid=$!
	PIDS+=("$pid")
	# The payload itself (-x: not nook's own command line, which names it too) runs only once
	# the proxy listens.
	for ((i = 0; i < 200; i++)); do
		pgrep -u "$(id -u)" -fx -- "sleep $tag" >/dev/null && break
		sleep 0.05
	done
	proxy="$(proxy_of "$XDG_RUNTIME_DIR")"
	[ -n "$proxy" ] || { echo "no proxy while the sandbox runs" >&2; return 1; }
	dir="$(ls -d "$XDG_RUNTIME_DIR"/nook/dbus-*)"
	[ -S "$dir/user" ] || { echo "no socket $dir/user while the sandbox runs" >&2; return 1; }
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null || true
	wait_no_procs "sleep $tag"
	# It stops when its --fd closes, and removes its socket.
	wait_no_procs "xdg-dbus-proxy --fd=3 .* $XDG_RUNTIME_DIR/nook/dbus-"
	expect_eq "after kill -9: the socket removed by the proxy" "" "$(ls -A "$dir")"
	# The empty directory, once it is old, goes with the next filtered sandbox.
	touch -d '2 minutes ago' "$dir"
	box --dbus-user=filter -- true
	expect_eq "the stale directory is removed" "" "$(nook_dir_left)"

	# nook itself failing while the proxy runs: newuidmap refuses a range not granted.
	need_subids
	printf '%s:300000:65536\n' "$(id -un)" >subuid
	run --separate-stderr env NOOK_SUBUID_FILE="$PWD/subuid" timeout -k 5 30 "$NOOK" run -q --noprofile \
		--dbus-user=filter -- true
	expect_eq "nook failing: status" 125 "$status"
	expect_eq "after a failure: no proxy" "" "$(proxy_of "$XDG_RUNTIME_DIR")"
	expect_eq "after a failure: no socket directory" "" "$(nook_dir_left)"
}

@test "profiles: firejail's directives; in profiles none wins, the command line wins over them" {
	cat >bus.profile <<EOF
dbus-user filter
dbus-user.talk $TALK
dbus-user.call $HIDDEN=org.nook.Other.Secret@/org/nook/Test
dbus-system none
EOF
	run --separate-stderr nook_t run -q --profile=./bus.profile -- sh -c '
		sh -c "$0" session '"$TALK"'
		sh -c "$0" session '"$HIDDEN"'
		sh -c "$0" session '"$HIDDEN"' /org/nook/Test org.nook.Other.Secret
		test -e /run/dbus/system_bus_socket && echo system || echo no-system' "$CALL"
	expect_eq "stderr" "" "$stderr"
	expect_eq "the profile's filter" "('pong $TALK',)
Error: GDBus.Error:org.freedesktop.DBus.Error.AccessDenied: org.freedesktop.DBus.Error.AccessDenied
('secret $HIDDEN',)
no-system" "$output"
	run --separate-stderr nook_t run -q --profile=./bus.profile --dbus-user=allow -- sh -c "$CALL" session "$HIDDEN"
	expect_eq "--dbus-user=allow over it" "('pong $HIDDEN',)" "$output"
	printf 'dbus-user none\n' >>bus.profile
	run --separate-stderr nook_t run -q --profile=./bus.profile -- sh -c 'echo "[${DBUS_SESSION_BUS_ADDRESS-unset}]"'
	expect_eq "a later none wins over filter" "[unset]" "$output"
	printf 'dbus-user none\ndbus-user filter\n' >order.profile
	run --separate-stderr nook_t run -q --profile=./order.profile -- sh -c 'echo "[${DBUS_SESSION_BUS_ADDRESS-unset}]"'
	expect_eq "an earlier none too (access once disabled is not relaxed)" "[unset]" "$output"
	run --separate-stderr nook_t run -q --profile=./order.profile --dbus-user=filter --dbus-user.talk="$TALK" -- sh -c "$CALL" session "$TALK"
	expect_eq "... but the command line's filter is" "('pong $TALK',)" "$output"
}

@test "shipped profiles: each GUI program's session bus filtered to its own names and portals" {
	local want portal p names unrun=""
	# ask NAME...: RequestName of each; a file chooser call and an OpenURI call to the portal
	# (UnknownMethod: the call reached the service; AccessDenied: the proxy refused it); can
	# the test's service be seen; is there a system bus.
	local ask='for n in "$@"; do
			printf "%s %s\n" "$n" "$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.RequestName "string:$n" uint32:4 2>&1 | tr -s " " | sed "s/^ //; s/: .*//")"
		done
		for m in FileChooser.OpenFile OpenURI.OpenURI; do
			printf "%s %s\n" "$m" "$(dbus-send --session --print-reply --dest=org.freedesktop.portal.Desktop /org/freedesktop/portal/desktop "org.freedesktop.portal.$m" 2>&1 | sed -n "s/^Error org\.freedesktop\.DBus\.Error\.\([A-Za-z]*\).*/\1/p")"
		done
		dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:'"$TALK"' | tr -s " " | sed "s/^ //"
		echo "system: ${DBUS_SYSTEM_BUS_ADDRESS-unset} $(test -e /run/dbus/system_bus_socket && echo socket || echo no-socket)"'
	export NOOK_PROFILE_DIR="$NOOK_SRC/profiles"
	# The profiles make their directories in the home: this test's.
	export HOME="$BATS_TEST_TMPDIR/home"
	mkdir "$HOME"
	start_service "$SESSION_ADDR" org.freedesktop.portal.Desktop
	PIDS+=("$(tail -n 1 "$BUSDIR/pids")")
	for p in firefox chromium mpv vlc evince okular zathura; do
		case "$p" in
		firefox) want="org.mozilla.firefox.ZGVmYXVsdA__ uint32 1
org.mpris.MediaPlayer2.firefox.instance1 uint32 1
org.mpris.MediaPlayer2.vlc Error org.freedesktop.DBus.Error.ServiceUnknown" portal=UnknownMethod ;;
		chromium) want="org.mpris.MediaPlayer2.chromium.instance1 uint32 1
org.mozilla.firefox.x Error org.freedesktop.DBus.Error.ServiceUnknown" portal=UnknownMethod ;;
		mpv) want="org.mpris.MediaPlayer2.mpv.instance1 uint32 1
org.mpris.MediaPlayer2.chromium.instance1 Error org.freedesktop.DBus.Error.ServiceUnknown" portal=ServiceUnknown ;;
		vlc) want="org.mpris.MediaPlayer2.vlc uint32 1
org.mpris.MediaPlayer2.mpv Error org.freedesktop.DBus.Error.ServiceUnknown" portal=ServiceUnknown ;;
		evince | okular) want="org.mpris.MediaPlayer2.$p Error org.freedesktop.DBus.Error.ServiceUnknown" portal=UnknownMethod ;;
		zathura) want="org.pwmt.zathura.PID-12 uint32 1
org.pwmt.zathura2 Error org.freedesktop.DBus.Error.ServiceUnknown" portal=ServiceUnknown ;;
		esac
		# A profile with the network needs /dev/net/tun: said at the end, after the others.
		if ! dev_usable net/tun &&
			"$NOOK" run -q --profile="$p" --dry-run -- true | grep -q '^net slirp'; then
			unrun+=" $p"
			continue
		fi
		mapfile -t names < <(printf '%s\n' "$want" | cut -d' ' -f1)
		run --separate-stderr nook_t run -q --profile="$p" -- sh -c "$ask" sh "${names[@]}"
		expect_eq "$p: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
		expect_eq "$p" "$want
FileChooser.OpenFile $portal
OpenURI.OpenURI $([ "$portal" = UnknownMethod ] && echo AccessDenied || echo ServiceUnknown)
boolean false
system: unset no-socket" "$output"
	done
	[ -z "$unrun" ] || need_dev net/tun "the profiles with the network, not run:$unrun"
}

@test "bad names and rules: one line naming the option, status 125" {
	local bad
	for bad in --dbus-user.talk=org --dbus-user.own=:1.5 --dbus-user.see='org.a b' \
		--dbus-user.call=org.a.B --dbus-user.call=org.a.B=org.Get --dbus-user.call=org.a.B= \
		--dbus-system.broadcast=org.a.B=@nopath --dbus-system=maybe --dbus-user=; do
		run --separate-stderr "$NOOK" run --noprofile "$bad" -- true
		expect_nook_error 125 || { echo "for $bad" >&2; return 1; }
		expect_match "$bad: names the option" "^nook: ${bad%%=*}: " "$stderr"
	done
	printf 'dbus-system.call org.a.B=org.a.B.Get@/a//b\n' >bad.profile
	run --separate-stderr "$NOOK" run --profile=./bad.profile -- true
	expect_eq "a profile's bad rule: status" 125 "$status"
	expect_match "a profile's bad rule: file and line" "bad.profile:1: dbus-system.call: 'org.a.B.Get@/a//b': RULE is" "${stderr_lines[0]}"
}

@test "--dry-run: the proxy, its rules and where its sockets are bound" {
	run --separate-stderr "$NOOK" run --noprofile --dbus-user.talk="$TALK" --dbus-system=none --dry-run -- true
	expect_eq "exit status" 0 "$status"
	expect_line "the session bus" "dbus-user filter $SESSION_ADDR -> $RT/bus --talk=$TALK" "$output"
	expect_line "the system bus" "dbus-system none" "$output"
	expect_line "the proxy" "dbus-proxy $(command -v xdg-dbus-proxy) dir=$XDG_RUNTIME_DIR/nook" "$output"
	expect_line "its socket" "mount dbus-proxy user $RT/bus rw,nosuid,nodev (dbus-user filter)" "$output"
	expect_line "the variable" "env DBUS_SESSION_BUS_ADDRESS=unix:path=$RT/bus" "$output"
}
