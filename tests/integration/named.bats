#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Named sandboxes (issue 15): --name, nook list, nook enter, nook stop, --join-or-start; the
# state in the runtime directory, its removal (also after kill -9), and that nothing inside a
# sandbox can use enter, or what enter trusts, to get out.
#
# Each test has a runtime directory of its own (XDG_RUNTIME_DIR), so it lists only its own
# sandboxes, whatever the other suites run meanwhile. Sandboxed payloads are sleeps named
# with a tag, which teardown kills if a test failed before stopping them.
# What the shells inside run is in single quotes on purpose: it expands there.
# shellcheck disable=SC2016
# stderr: set by bats's run --separate-stderr; BG_PIDS: each test's own, as teardown's.
# shellcheck disable=SC2154,SC2030,SC2031
bats_require_minimum_version 1.5.0
load ../lib/common

HELPER="$NOOK_SRC/tests/integration/helpers/named.py"

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	TAG=$(unique_tag)
	export XDG_RUNTIME_DIR="$T/run"
	mkdir -m 700 "$XDG_RUNTIME_DIR"
	STATE="$XDG_RUNTIME_DIR/nook/sandboxes"
	BG_PIDS=()
}

teardown() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	kill_procs_matching "$TAG"
	return 0
}

# start NAME [OPTIONS...] -- PROGRAM...: nook run --name=NAME in the background (BG_PID), away
# from bats' descriptors; returns once `nook list` shows it running, with its PROGRAM's pid.
start() {
	local name="$1" i
	shift
	"$NOOK" run -q --name="$name" "$@" </dev/null >"$T/$name.out" 2>"$T/$name.err" 3>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
	for ((i = 0; i < 300; i++)); do
		[ "$(payload_pid "$name")" != null ] && return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "sandbox $name did not start: $(cat "$T/$name.err")" >&2
	return 1
}

# payload_pid NAME: its PROGRAM's pid on the host, from nook list --json ("null": none).
payload_pid() {
	"$NOOK" list --json | jq -r --arg n "$1" '(.[] | select(.name == $n) | .pid) // null'
}

# expect_listed_entered NAME ERR: a generated name's sandbox NAME (its nook's stderr in ERR)
# is listed within 30 s, entered into its payload's namespaces, and stopped.
expect_listed_entered() {
	local try out ns
	for ((try = 0; try < 300; try++)); do
		[ "$(payload_pid "$1")" != null ] && break
		sleep 0.1
	done
	[ "$(payload_pid "$1")" != null ] || { echo "not listed: $(cat "$2")" >&2; return 1; }
	out=$(timeout 30 "$NOOK" enter "$1" -- readlink /proc/self/ns/pid /proc/self/ns/mnt </dev/null)
	ns=$(readlink "/proc/$(payload_pid "$1")/ns/pid" "/proc/$(payload_pid "$1")/ns/mnt")
	expect_eq "entered: the payload's pid and mount namespaces" "$ns" "$out" || return 1
	run --separate-stderr nook_t stop "$1"
	expect_eq "stopped" 0 "$status"
}

# in_sandbox NAME SCRIPT: what `sh -c SCRIPT` prints when nook enter runs it in NAME.
in_sandbox() {
	timeout 30 "$NOOK" enter "$1" -- sh -c "$2" </dev/null
}

# The checks run by an entered process: its namespaces, ids, capabilities, filter, cwd, root
# and limits against those of the payload, whose pid inside the sandbox is in /tmp/payload.pid.
COMPARE='P=$(cat /tmp/payload.pid)
for n in user mnt pid ipc uts cgroup net; do
	a=$(readlink /proc/self/ns/$n); b=$(readlink /proc/$P/ns/$n)
	[ -n "$a" ] && [ "$a" = "$b" ] && echo "ns $n same" || echo "ns $n differs: [$a] [$b]"
done
for f in Uid Gid Groups CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs Seccomp Seccomp_filters; do
	a=$(grep "^$f:" /proc/self/status); b=$(grep "^$f:" /proc/$P/status)
	[ -n "$a" ] && [ "$a" = "$b" ] && echo "$f same" || echo "$f differs: [$a] [$b]"
done
for l in cwd root; do
	a=$(readlink /proc/self/$l); b=$(readlink /proc/$P/$l)
	[ -n "$a" ] && [ "$a" = "$b" ] && echo "$l same" || echo "$l differs: [$a] [$b]"
done
a=$(grep "open files" /proc/self/limits); b=$(grep "open files" /proc/$P/limits)
[ "$a" = "$b" ] && echo "nofile same" || echo "nofile differs: [$a] [$b]"'

# What COMPARE prints when everything is the same.
SAME="ns user same
ns mnt same
ns pid same
ns ipc same
ns uts same
ns cgroup same
ns net same
Uid same
Gid same
Groups same
CapInh same
CapPrm same
CapEff same
CapBnd same
CapAmb same
NoNewPrivs same
Seccomp same
Seccomp_filters same
cwd same
root same
nofile same"

# The payload of the sandboxes that COMPARE is run in: it says its pid, then sleeps.
PAYLOAD='echo $$ >/tmp/payload.pid; exec sleep 1000.'

# check_entered NAME: an entered process of NAME has all that its payload has, seen from the
# inside (COMPARE), and the same namespaces seen from the host.
check_entered() {
	local name="$1" pid out n
	out=$(in_sandbox "$name" "$COMPARE") || { echo "nook enter $name failed" >&2; return 1; }
	expect_eq "enter $name: the same as its payload" "$SAME" "$out" || return 1
	pid=$(payload_pid "$name")
	out=$(in_sandbox "$name" 'for n in user mnt pid ipc uts cgroup net; do readlink /proc/self/ns/$n; done')
	for n in user mnt pid ipc uts cgroup net; do
		expect_line "enter $name: the $n namespace of the payload (pid $pid), seen from the host" \
			"$(readlink "/proc/$pid/ns/$n")" "$out" || return 1
	done
	# A host process is in none of them.
	if grep -qxF "$(readlink /proc/self/ns/user)" <<<"$out"; then
		echo "enter $name: the entered process is in the host's user namespace" >&2
		return 1
	fi
}

@test "--name names the sandbox, not its host name; a generated name otherwise; --dry-run shows both" {
	run --separate-stderr nook_t run -q --name=web-1 --dry-run -- true
	expect_eq "exit status" 0 "$status" || return 1
	expect_line "the name" "name web-1" "$output" || return 1
	expect_line "where its state goes" "state-dir $STATE" "$output" || return 1
	expect_line "the host name stays the host's" "hostname $(uname -n)" "$output" || return 1
	run --separate-stderr nook_t run -q --name=web-1 -- cat /proc/sys/kernel/hostname
	expect_eq "the host name inside" "$(uname -n)" "$output" || return 1
	# Without --name: PROGRAM's, and the next one while it is taken.
	ln -s "$(command -v sleep)" "$T/prog$TAG"
	run --separate-stderr nook_t run -q --dry-run -- "$T/prog$TAG" 1
	expect_line "a generated name" "name prog$TAG (generated)" "$output" || return 1
	start "prog$TAG" -- sleep "1000.$TAG"
	run --separate-stderr nook_t run -q --dry-run -- "$T/prog$TAG" 1
	expect_line "the next one, prog is taken" "name prog$TAG-2 (generated)" "$output" || return 1
	"$NOOK" run -q --ro-bind="$T" -- "$T/prog$TAG" "1000.$TAG" </dev/null >/dev/null 2>&1 3>&- &
	BG_PIDS+=("$!")
	for ((i = 0; i < 100; i++)); do
		[ "$(payload_pid "prog$TAG-2")" != null ] && break
		sleep 0.1
	done
	expect_eq "the second, listed" "prog$TAG prog$TAG-2" \
		"$("$NOOK" list --json | jq -r '[.[].name] | join(" ")')" || return 1
	# --json: the same, and null without a runtime directory.
	expect_eq "--dry-run --json" "web-1 false false $STATE" \
		"$(nook_t run -q --name=web-1 --dry-run --json -- true |
			jq -r '.name | "\(.name) \(.generated) \(.join_or_start) \(.state_dir)"')" || return 1
	# (Without XDG_RUNTIME_DIR, /run/user/UID if it is the caller's: here it may be.)
	if [ ! -d "/run/user/$(id -u)" ]; then
		expect_eq "--dry-run --json: no runtime directory" null \
			"$(env -u XDG_RUNTIME_DIR "$NOOK" run -q --dry-run --json -- true | jq -c .name)"
	fi
}

@test "a bad name, or a name without a runtime directory: one line, 125, nothing runs" {
	local bad
	for bad in 1234 -x .x 'a b' "$(printf 'a%.0s' {1..65})" 'a/b'; do
		run --separate-stderr nook_t run --name="$bad" -- touch "$T/ran"
		expect_nook_error 125 || { echo "--name=$bad" >&2; return 1; }
	done
	[ ! -e "$T/ran" ] || { echo "a sandbox ran" >&2; return 1; }
	# No XDG_RUNTIME_DIR, and /run/user/UID not given (HOME elsewhere does not matter).
	if [ ! -d "/run/user/$(id -u)" ]; then
		run --separate-stderr env -u XDG_RUNTIME_DIR nook_t run --name=x -- touch "$T/ran"
		expect_nook_error 125 || return 1
		expect_match "why" "no runtime directory" "$stderr" || return 1
	fi
	run --separate-stderr nook_t run --join-or-start -- true
	expect_nook_error 125 || return 1
	run --separate-stderr nook_t enter -- x
	expect_nook_error 125 || return 1
	run --separate-stderr nook_t enter 'a b'
	expect_nook_error 125
}

@test "two live sandboxes cannot share a name: the second says so in one line, 125, and starts nothing" {
	start web -- sleep "1000.$TAG"
	run --separate-stderr nook_t run --name=web -- touch "$T/second"
	expect_nook_error 125 || return 1
	expect_eq "the message" \
		"nook: --name=web: a sandbox of that name is running (nook enter web runs a command in it)" \
		"$stderr" || return 1
	[ ! -e "$T/second" ] || { echo "the second sandbox ran" >&2; return 1; }
	# Once it is gone, the name is free again at once.
	run --separate-stderr nook_t stop web
	expect_eq "stop" 0 "$status" || return 1
	run --separate-stderr nook_t run --name=web -- true
	expect_eq "the name again" 0 "$status" || { echo "$stderr" >&2; return 1; }
	run --separate-stderr nook_t run --name=web -- true
	expect_eq "and again, right after" 0 "$status"
}

@test "nook list: one line per sandbox of each kind (host root, image with an overlay, network), and --json" {
	local img pid json
	img=$(busybox_image)
	start host -- sleep "1000.$TAG"
	start image --rootfs="$img" --overlay=tmp -- sh -c "exec sleep 1000.$TAG"
	start net --net=slirp -- sleep "1000.$TAG"
	run --separate-stderr nook_t list
	expect_eq "exit status" 0 "$status" || return 1
	expect_eq "the header" "NAME PID UPTIME PROFILE ROOT OVERLAY NET COMMAND" \
		"$(words "${lines[0]}")" || return 1
	expect_eq "three, by name" "host image net" "$(awk 'NR > 1 { print $1 }' <<<"$output" | paste -sd' ')" ||
		return 1
	expect_match "host" "^host +$(payload_pid host) +[0-9]+s +- +host +none +none +sleep 1000\.$TAG$" \
		"$(grep '^host ' <<<"$output")" || return 1
	expect_match "image" "^image +[0-9]+ +[0-9]+s +- +$img +tmp +none +sh -c exec sleep 1000\.$TAG$" \
		"$(grep '^image ' <<<"$output")" || return 1
	expect_match "net" "^net +[0-9]+ +[0-9]+s +- +host +none +slirp +sleep 1000\.$TAG$" \
		"$(grep '^net ' <<<"$output")" || return 1
	# PID is the payload's on the host: its command line is the sandbox's.
	pid=$(payload_pid host)
	expect_eq "the payload's command line" "sleep 1000.$TAG" "$(tr '\0' ' ' <"/proc/$pid/cmdline" | sed 's/ $//')" ||
		return 1
	json=$("$NOOK" list --json)
	expect_eq "one line of JSON" 1 "$(wc -l <<<"$json")" || return 1
	expect_eq "--json" "image running $img tmp none sh|-c|exec sleep 1000.$TAG" \
		"$(jq -r '.[] | select(.name == "image") | "\(.name) \(.state) \(.root) \(.overlay) \(.net) \(.command | join("|"))"' <<<"$json")" ||
		return 1
	expect_eq "--json: keys" "command init_pid monitor_pid name net overlay pid profile root started state uptime" \
		"$(jq -r '.[0] | keys | join(" ")' <<<"$json")" || return 1
	expect_eq "--json: the monitor is nook run" "$(jq -r '.[] | select(.name == "net") | .monitor_pid' <<<"$json")" \
		"$(for p in "${BG_PIDS[@]}"; do echo "$p"; done | sed -n 3p)" || return 1
	expect_eq "--json: types" "number number number number number string" \
		"$(jq -r '.[0] | [.pid, .init_pid, .monitor_pid, .started, .uptime, .root] | map(type) | join(" ")' <<<"$json")"
}

@test "nook enter, host root: the payload's namespaces, ids, capabilities, filter, cwd, root and limits" {
	start host --chdir=/usr --rlimit-nofile=123 -- sh -c "$PAYLOAD$TAG"
	check_entered host
}

@test "nook enter, an image with an overlay, --userns=root: the same, and uid 0 with its capabilities" {
	local img out
	img=$(busybox_image)
	start image --rootfs="$img" --overlay=tmp --userns=root -- sh -c "$PAYLOAD$TAG"
	check_entered image || return 1
	out=$(in_sandbox image 'id -u; grep ^CapEff /proc/self/status; echo x >/written; cat /written')
	expect_eq "root inside, podman's capabilities, the overlay's writable root" "0
CapEff:	00000000800405fb
x" "$out"
}

@test "nook enter, --net=slirp and --user: the same, the sandbox's network, and --user's uid" {
	local out
	start net --net=slirp -- sh -c "$PAYLOAD$TAG"
	check_entered net || return 1
	out=$(in_sandbox net 'ip -o -4 addr show tap0 | awk "{ print \$4 }"')
	expect_eq "the sandbox's tap0" "10.0.2.100/24" "$out" || return 1
	start user --userns=root --user=65534 -- sh -c "$PAYLOAD$TAG"
	check_entered user || return 1
	expect_eq "--user's uid" "65534" "$(in_sandbox user 'id -u')"
}

@test "nook enter: the spec's environment, not the caller's; exit statuses as nook run's" {
	start env --env="NOOKT_SET=set$TAG" -- sleep "1000.$TAG"
	expect_eq "--env of the sandbox, not the caller's of nook enter" "set$TAG-" \
		"$(NOOKT_CALLER=caller timeout 30 "$NOOK" enter env -- sh -c 'echo "$NOOKT_SET-$NOOKT_CALLER"' </dev/null)" ||
		return 1
	run --separate-stderr nook_t enter env -- sh -c 'exit 7'
	expect_eq "COMMAND's status" 7 "$status" || return 1
	run --separate-stderr nook_t enter env -- sh -c 'kill -TERM $$'
	expect_eq "killed by a signal: 128+N" 143 "$status" || return 1
	run -127 --separate-stderr nook_t enter env -- /nonexistent/cmd
	expect_eq "not found" 127 "$status" || return 1
	run --separate-stderr nook_t enter env -- /etc/passwd
	expect_eq "not executable" 126 "$status" || return 1
	run --separate-stderr nook_t enter nosuch -- true
	expect_nook_error 125 || return 1
	expect_eq "no such sandbox" "nook: enter: no sandbox named nosuch runs (see nook list)" "$stderr" || return 1
	# Without COMMAND: the sandbox's $SHELL, reading stdin.
	expect_eq "the default shell" "in-shell" \
		"$(echo 'echo in-shell' | SHELL=/nonexistent timeout 30 "$NOOK" enter env)"
}

@test "nook enter: the same seccomp filter (unshare denied), and --allow-userns's (allowed) as a control" {
	start filtered -- sleep "1000.$TAG"
	start allowing --allow-userns -- sleep "1000.$TAG"
	expect_eq "the default filter denies a user namespace" EPERM \
		"$(timeout 30 "$NOOK" enter filtered -- "$NOOK_PYTHON" "$HELPER" unshare </dev/null)" ||
		return 1
	expect_eq "the filter of --allow-userns allows it" ok \
		"$(timeout 30 "$NOOK" enter allowing -- "$NOOK_PYTHON" "$HELPER" unshare </dev/null)"
}

@test "nook enter with a terminal: a pty of the sandbox's own, never the caller's" {
	local out host_devpts
	command -v script >/dev/null || skip "script (util-linux) is not installed"
	start tty -- sleep "1000.$TAG"
	host_devpts=$(stat -c %d /dev/pts/ptmx)
	# stdin open and silent: at an end of file the relay would send the terminal's EOF
	# character, which the pty may echo (as ^@ before the line discipline is set).
	out=$(timeout 30 script -qec "$NOOK enter tty -- sh -c 'tty; stat -L -c %d /proc/self/fd/0; ls /dev/pts | paste -sd\" \"'" /dev/null < <(sleep 40) | tr -d '\r')
	# The payload has none (no terminal): the entered process's is the devpts's first, of the
	# sandbox's devpts instance, not the host's (where script's is).
	expect_eq "a pty of the sandbox's own devpts" "/dev/pts/0
$(sed -n 2p <<<"$out")
0 ptmx" "$out" || return 1
	[ "$(sed -n 2p <<<"$out")" != "$host_devpts" ] ||
		{ echo "stdin is on the host's devpts" >&2; return 1; }
	# The control: --pty=never hands in the caller's terminal, on the host's devpts.
	out=$(timeout 30 script -qec "$NOOK enter --pty=never tty -- stat -L -c %d /proc/self/fd/0" /dev/null </dev/null | tr -d '\r')
	expect_eq "--pty=never: the caller's terminal" "$host_devpts" "$out" || return 1
	run --separate-stderr nook_t enter --pty=never tty -- sh -c 'tty'
	expect_eq "--pty=never without a terminal: none" "not a tty" "$output"
}

@test "nook stop: SIGTERM, SIGKILL after the timeout; returns when nothing of the sandbox is left" {
	local img t0 t1 pids helpers p
	img=$(busybox_image)
	start host -- sleep "1000.$TAG"
	# fuse, not auto (the kernel's overlay for the caller's image): a daemon to see go.
	start image --rootfs="$img" --overlay=tmp --overlay-driver=fuse -- sh -c "exec sleep 1000.$TAG"
	start net --net=slirp -- sleep "1000.$TAG"
	start stubborn -- sh -c "trap '' TERM; sleep 1000.$TAG & wait; sleep 1000.$TAG"
	pids=("${BG_PIDS[@]}")
	# The helpers: the image's fuse-overlayfs (pid 1's child), the network's slirp4netns
	# (nook's). Other users of this machine's test user have theirs: these, by pid.
	helpers=$(pgrep -P "$("$NOOK" list --json | jq -r '.[] | select(.name == "image") | .init_pid')" -x fuse-overlayfs
		pgrep -P "${pids[2]}" -x slirp4netns)
	expect_eq "two helpers" 2 "$(wc -w <<<"$helpers")" || return 1
	run --separate-stderr nook_t stop host image net
	expect_eq "stop" 0 "$status" || { echo "$stderr" >&2; return 1; }
	for p in "${pids[@]:0:3}"; do
		if kill -0 "$p" 2>/dev/null && [ "$(ps -o stat= -p "$p" | cut -c1)" != Z ]; then
			echo "nook run (pid $p) is still running after nook stop" >&2
			return 1
		fi
	done
	expect_eq "the first three are gone" "stubborn" "$("$NOOK" list --json | jq -r '[.[].name] | join(" ")')" ||
		return 1
	# SIGTERM is ignored: SIGKILL after the timeout, and nook run says so (137).
	t0=$(date +%s%N)
	run --separate-stderr nook_t stop --timeout=1 stubborn
	t1=$(date +%s%N)
	expect_eq "stop stubborn" 0 "$status" || return 1
	[ $(((t1 - t0) / 1000000)) -ge 900 ] || { echo "stopped before the timeout" >&2; return 1; }
	[ $(((t1 - t0) / 1000000)) -lt 8000 ] || { echo "took $(((t1 - t0) / 1000000)) ms" >&2; return 1; }
	wait "${pids[3]}" || BG_STATUS=$?
	expect_eq "nook run of the stubborn one: SIGKILL" 137 "${BG_STATUS:-0}" || return 1
	# Nothing left: no payload, no slirp4netns, no fuse-overlayfs of ours, no state.
	wait_no_procs "$TAG" 30 || return 1
	for p in $helpers; do
		! kill -0 "$p" 2>/dev/null || { echo "helper $p is left: $(ps -o args= -p "$p")" >&2; return 1; }
	done
	expect_eq "the state directory is empty" "" "$(ls -A "$STATE")" || return 1
	run --separate-stderr nook_t stop host
	expect_nook_error 125 || return 1
	run --separate-stderr nook_t stop --timeout=x host
	expect_nook_error 125
}

@test "kill -9 of nook: its sandbox ends, its keeper removes its state; both killed: list shows no ghost" {
	local pid keeper i
	start k9 -- sleep "1000.$TAG"
	kill -KILL "$BG_PID"
	for ((i = 0; i < 50; i++)); do
		[ -z "$(ls -A "$STATE")" ] && break
		sleep 0.1
	done
	expect_eq "the state removed by the keeper" "" "$(ls -A "$STATE")" || return 1
	expect_eq "listed" "" "$("$NOOK" list --json | jq -r '.[].name')" || return 1
	wait_no_procs "$TAG" 30 || return 1
	# nook and its keeper both killed: the entry stays, stale (its lock is free).
	start ghost -- sleep "1000.$TAG"
	keeper=$(pgrep -u "$(id -u)" -x nook-keeper -P "$BG_PID")
	[ -n "$keeper" ] || { echo "no keeper of nook $BG_PID" >&2; return 1; }
	kill -STOP "$keeper"
	kill -KILL "$BG_PID"
	# (The keeper's command line is its nook's: only the payload.)
	wait_no_procs "^sleep 1000\\.$TAG" 30 || { kill -KILL "$keeper"; return 1; }
	kill -KILL "$keeper"
	sleep 0.2
	[ -e "$STATE/ghost" ] || { echo "the stale entry was removed already: nothing tested" >&2; return 1; }
	run --separate-stderr nook_t list
	expect_eq "list: no ghost" "NAME PID UPTIME PROFILE ROOT OVERLAY NET COMMAND" "$(words "$output")" || return 1
	expect_eq "list removed it" "" "$(ls -A "$STATE")" || return 1
	# The name is free.
	run --separate-stderr nook_t run --name=ghost -- true
	expect_eq "the name again" 0 "$status"
}

@test "nook enter at once, before the keeper starts (20 ms after pid 1): it waits, then enters; a sandbox that ends sooner leaves no entry" {
	local out i
	"$NOOK" run -q --name=early -- sleep "1000.$TAG" </dev/null >/dev/null 2>"$T/early.err" 3>&- &
	BG_PIDS+=("$!")
	# Not start(): that waits for list to show the payload, which the keeper writes.
	for ((i = 0; i < 500; i++)); do
		[ -e "$STATE/early" ] && break
		sleep 0.01
	done
	out=$(timeout 30 "$NOOK" enter early -- readlink /proc/self/ns/pid </dev/null)
	expect_eq "entered: the payload's pid namespace" "$(readlink "/proc/$(payload_pid early)/ns/pid")" "$out" || return 1
	run --separate-stderr nook_t stop early
	expect_eq "stopped" 0 "$status" || return 1
	# Over before its keeper was due: the monitor removes the entry and the socket itself.
	run --separate-stderr nook_t run -q --name=quick -- true
	expect_eq "quick: its status" 0 "$status" || return 1
	expect_eq "quick: nothing left in the state directory" "" "$(ls -A "$STATE")"
}

@test "a generated name is taken when the keeper starts: nothing is made in the state directory before the payload runs or in the first 20 ms; one that runs on is listed and entered" {
	local out
	run --separate-stderr nook_t run -q --name=first -- true
	expect_eq "a named one: its status" 0 "$status" || return 1
	[ -d "$STATE" ] || { echo "no state directory $STATE" >&2; return 1; }
	# Each payload leaves a mark; one inotify queue orders it with what the state directory
	# got. A --name, the control, is taken before the start: before its payload's mark.
	mkdir "$T/marks"
	out=$(python3 "$HELPER" order "$STATE" "$T/marks" 1 \
		"$NOOK" run -q --name="named$TAG" --bind="$T/marks" -- touch "$T/marks/m")
	expect_match "a --name: its entry made before its payload ran" \
		'^runs 1 failed 0 early 1 late 0 soon [01]$' "$out" || return 1
	# A generated name's, only once its keeper is due, 20 ms after the clone: never seen
	# sooner after the start, and mostly not at all. (Before the payload's mark it may be,
	# when a loaded machine takes longer than that to run it.)
	out=$(python3 "$HELPER" order "$STATE" "$T/marks" 10 \
		"$NOOK" run -q --bind="$T/marks" -- touch "$T/marks/m")
	expect_match "short sandboxes of a generated name" \
		'^runs 10 failed 0 early [0-9]+ late [0-9]+ soon 0$' "$out" || return 1
	# One that runs on gets its entry with its keeper: listed under its program's name, entered.
	"$NOOK" run -q -- sleep "1000.$TAG" </dev/null >/dev/null 2>"$T/sleep.err" 3>&- &
	BG_PIDS+=("$!")
	expect_listed_entered sleep "$T/sleep.err" || return 1
	expect_eq "nothing left in the state directory" "" "$(ls -A "$STATE")"
}

@test "a generated name's sandbox is listed and entered even when nook is slow after the go: pid 1 stays dumpable until its namespaces are held" {
	# strace holds nook's monitor back 0.3 s after each of its sends (the go byte among
	# them), while pid 1 makes its mounts and would harden: its namespaces, held after the
	# go, could no longer be opened, and the sandbox would have no state.
	strace -o /dev/null -e trace=sendto -e inject=sendto:delay_exit=300000 \
		"$NOOK" run -q -- sleep "1000.$TAG" </dev/null >/dev/null 2>"$T/slow.err" 3>&- &
	BG_PIDS+=("$!")
	expect_listed_entered sleep "$T/slow.err"
}

@test "a killed keeper: enter says what is gone, in one line; stop still ends the sandbox through its nook run" {
	local keeper status_run=0
	start orphan -- sleep "1000.$TAG"
	keeper=$(pgrep -u "$(id -u)" -x nook-keeper -P "$BG_PID")
	[ -n "$keeper" ] || { echo "no keeper of nook $BG_PID" >&2; return 1; }
	kill -KILL "$keeper"
	run --separate-stderr timeout 20 "$NOOK" enter orphan -- true
	expect_nook_error 125 || return 1
	expect_match "enter" '^nook: enter orphan: its keeper is gone \(killed\?\).*nook stop still ends it' \
		"$stderr" || return 1
	run --separate-stderr nook_t stop --timeout=5 orphan
	expect_eq "stop (stderr: $stderr)" 0 "$status" || return 1
	wait "$BG_PID" || status_run=$?
	# SIGTERM through nook run to pid 1 and the payload: nook run returns its status.
	expect_eq "nook run's status" 143 "$status_run" || return 1
	wait_no_procs "$TAG" 30 || return 1
	expect_eq "nothing listed" "" "$("$NOOK" list --json | jq -r '.[].name')"
	# The control: with its keeper, a sandbox is entered.
	start kept -- sleep "1000.$TAG"
	expect_eq "enter with a keeper" ok "$(in_sandbox kept 'echo ok')"
}

@test "--join-or-start: the second runs its program in the first's sandbox; alone, it starts one" {
	local out first second
	"$NOOK" run -q --join-or-start=ed -- sh -c "$PAYLOAD$TAG" </dev/null >/dev/null 2>"$T/ed.err" 3>&- &
	BG_PIDS+=("$!")
	for ((i = 0; i < 100; i++)); do
		[ "$(payload_pid ed)" != null ] && break
		sleep 0.1
	done
	out=$(timeout 30 "$NOOK" run -q --join-or-start=ed -- sh -c 'cat /tmp/payload.pid; readlink /proc/self/ns/pid' </dev/null)
	first=$(readlink "/proc/$(payload_pid ed)/ns/pid")
	expect_eq "joined: sees the first's /tmp and pid namespace" "$(in_sandbox ed 'cat /tmp/payload.pid')
$first" "$out" || return 1
	# The profile directive, firejail's spelling.
	printf 'join-or-start ed\n' >"$T/ed.profile"
	out=$(timeout 30 "$NOOK" run -q --profile="$T/ed.profile" -- sh -c 'readlink /proc/self/ns/pid' </dev/null)
	expect_eq "joined by the profile's directive" "$first" "$out" || return 1
	run --separate-stderr nook_t stop ed
	# Nothing of that name runs: a new sandbox.
	second=$(timeout 30 "$NOOK" run -q --join-or-start=ed -- sh -c 'readlink /proc/self/ns/pid' </dev/null)
	[ -n "$second" ] && [ "$second" != "$first" ] ||
		{ echo "not a new sandbox: [$second] [$first]" >&2; return 1; }
}

@test "inside a sandbox the state directory is not there, or hidden; a bind of the runtime dir is masked" {
	local out
	start s -- sleep "1000.$TAG"
	out=$(timeout 30 "$NOOK" run -q -- sh -c "ls -A '$STATE' 2>&1; ls -A '$XDG_RUNTIME_DIR/nook' 2>&1; true" </dev/null)
	expect_match "not there" "No such file or directory" "$out" || return 1
	out=$(timeout 30 "$NOOK" run -q --bind="$XDG_RUNTIME_DIR" -- sh -c "ls -A '$STATE' 2>&1; touch '$STATE/x' 2>&1; true" </dev/null)
	expect_match "the runtime dir bound: nook's part of it masked" \
		"^ls: cannot (open directory|access) .*: (Permission denied|No such file or directory)
touch: cannot touch .*: (Permission denied|No such file or directory|Read-only file system)$" "$out" || return 1
	expect_eq "nothing written" ".s s" "$(cd "$STATE" && find . -mindepth 1 -printf '%P\n' | sort | paste -sd' ')" || return 1
	out=$(in_sandbox s "ls -A '$STATE' 2>&1; true")
	expect_match "nor from an entered process" "No such file or directory" "$out"
}

@test "a sandbox that can write the state directory cannot use enter to get out" {
	local out state fake i
	start victim -- sleep "1000.$TAG"
	# A sandbox given the directory (--private: no mask of nook's state; bound elsewhere).
	out=$(timeout 30 "$NOOK" run -q --name=attacker --private --bind="$STATE:/tmp/state" -- sh -c '
		ls -A /tmp/state | grep victim | sort | paste -sd" "
		'"$NOOK_PYTHON $HELPER"' ask /tmp/state/.victim' </dev/null)
	expect_eq "it sees the entry and the socket; the keeper answers it nothing" ".victim victim
bytes 0 fds 0" "$out" || return 1
	# It rewrites the state: no filter, every capability, the host's namespaces. enter does not
	# read the file: the keeper's state and filter apply.
	state=$(cat "$STATE/victim")
	sed -e 's/^seccomp 1$/seccomp 0/' -e 's/^caps .*/caps ffffffffff/' "$STATE/victim" >"$T/weak"
	timeout 30 "$NOOK" run -q --private --bind="$STATE:/tmp/state" -- \
		sh -c "cat >/tmp/state/victim" <"$T/weak" || return 1
	out=$(in_sandbox victim 'grep -E "^(Seccomp|CapBnd):" /proc/self/status')
	expect_eq "the entered process keeps its filter and has no capability" "CapBnd:	0000000000000000
Seccomp:	2" "$out" || return 1
	# It moves its own sandbox's socket in place of the victim's (a link, or the socket
	# itself): enter does not go into the attacker's sandbox instead.
	timeout 30 "$NOOK" run -q --name=attacker --private --bind="$STATE:/tmp/state" -- sh -c \
		'rm /tmp/state/.victim; ln -s .attacker /tmp/state/.victim; sleep 1000.'"$TAG" \
		</dev/null >/dev/null 2>&1 3>&- &
	BG_PIDS+=("$!")
	for ((i = 0; i < 100; i++)); do
		[ -L "$STATE/.victim" ] && [ -S "$STATE/.attacker" ] && break
		sleep 0.1
	done
	run --separate-stderr nook_t enter victim -- touch "$T/escaped"
	expect_nook_error 125 || return 1
	expect_match "a link" "not a socket of the caller's" "$stderr" || return 1
	rm "$STATE/.victim"
	ln "$STATE/.attacker" "$STATE/.victim"
	run --separate-stderr nook_t enter victim -- touch "$T/escaped"
	expect_nook_error 125 || return 1
	expect_match "another's socket" "served by the keeper of another sandbox" "$stderr" || return 1
	[ ! -e "$T/escaped" ] || { echo "enter ran the command" >&2; return 1; }
	# It plants a symlink for the entry: enter and list do not follow it.
	timeout 30 "$NOOK" run -q --private --bind="$STATE:/tmp/state" -- \
		sh -c "rm /tmp/state/victim; ln -s /etc/passwd /tmp/state/victim" </dev/null || return 1
	run --separate-stderr nook_t enter victim -- touch "$T/escaped"
	expect_nook_error 125 || return 1
	expect_eq "list" "attacker" "$("$NOOK" list --json | jq -r '.[].name')" || return 1
	# It poses as a keeper: its own socket, a state without a filter, its own namespaces.
	printf '%s\n' "$state" | sed 's/^seccomp 1$/seccomp 0/' >"$T/fake"
	fake="$T/fake.out"
	"$NOOK" run -q --private --bind="$STATE:/tmp/state" -- \
		"$NOOK_PYTHON" "$HELPER" serve /tmp/state/.fake /dev/stdin <"$T/fake" >"$fake" 2>&1 3>&- &
	BG_PIDS+=("$!")
	wait_for_file "$STATE/.fake" 100 || return 1
	# An entry for it, as its monitor would have made it, locked by a process of ours.
	printf '%s\n' "$state" | sed 's/^name .*/name fake/' >"$STATE/fake"
	chmod 600 "$STATE/fake"
	flock "$STATE/fake" sleep "1000.$TAG" &
	BG_PIDS+=("$!")
	sleep 0.2
	run --separate-stderr nook_t enter fake -- touch "$T/escaped"
	expect_nook_error 125 || return 1
	expect_match "why" "not served by a process of the caller's outside every sandbox" "$stderr" ||
		return 1
	[ ! -e "$T/escaped" ] || { echo "enter ran the command" >&2; return 1; }
	run --separate-stderr nook_t stop fake
	expect_nook_error 125 || return 1
	expect_match "the fake keeper was asked" "served" "$(cat "$fake")"
}

@test "another user's sandboxes are not listed: each user's runtime directory is its own" {
	local other="$T/other-run"
	# One test user here: another user's runtime directory is another XDG_RUNTIME_DIR (and
	# /run/user/UID is mode 0700, the other user's own; nook reads only the caller's).
	start mine -- sleep "1000.$TAG"
	mkdir -m 700 "$other"
	expect_eq "another runtime directory: nothing" "[]" \
		"$(XDG_RUNTIME_DIR="$other" "$NOOK" list --json)" || return 1
	run --separate-stderr env XDG_RUNTIME_DIR="$other" "$NOOK" enter mine -- true
	expect_nook_error 125 || return 1
	# A state directory that is not private to the caller is not trusted.
	chmod 755 "$STATE"
	run --separate-stderr nook_t list
	expect_nook_error 125 || return 1
	expect_match "why" "not a private directory of the caller's" "$stderr" || return 1
	run --separate-stderr nook_t enter mine -- true
	expect_nook_error 125 || return 1
	chmod 700 "$STATE"
	expect_eq "private again: listed" "mine" "$("$NOOK" list --json | jq -r '.[].name')"
}

@test "nook list with 20 sandboxes running: all listed, quickly" {
	local i t0 t1 n
	for ((i = 1; i <= 20; i++)); do
		"$NOOK" run -q --name="many-$i" -- sleep "1000.$TAG" </dev/null >/dev/null 2>&1 3>&- &
		BG_PIDS+=("$!")
	done
	for ((i = 0; i < 600; i++)); do
		n=$("$NOOK" list --json | jq '[.[] | select(.state == "running")] | length')
		[ "$n" = 20 ] && break
		sleep 0.1
	done
	expect_eq "running" 20 "$n" || return 1
	t0=$(date +%s%N)
	"$NOOK" list >/dev/null
	t1=$(date +%s%N)
	# The benchmark (tests/bench/named) has the figure; this only catches a gross slowdown.
	[ $(((t1 - t0) / 1000000)) -lt 1000 ] || { echo "nook list took $(((t1 - t0) / 1000000)) ms" >&2; return 1; }
	# shellcheck disable=SC2046 # one word a name
	run --separate-stderr nook_t stop $(seq -f 'many-%g' 1 20)
	expect_eq "stop all" 0 "$status" || return 1
	expect_eq "none left" "" "$(ls -A "$STATE")"
}
