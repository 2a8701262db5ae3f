#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The user namespace pool (nook-userns): keep-id and root sandboxes take a namespace mapped
# beforehand, each its own, checked by nook; the pool is per user, hidden from sandboxes,
# gone when idle; a fake pool is refused. Each test has a runtime directory (and so a pool)
# of its own.
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# stderr: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	need_subids
	RTD="$BATS_TEST_TMPDIR/rt"
	mkdir -m 700 "$RTD"
	SOCK="$RTD/nook/userns.sock"
	FAKE=
	BG=()
}

# The pools of this test's runtime directory: nook-userns holding its lock. Not the pool's
# children (the maker of a namespace, the process it maps), which inherit the lock and the name.
test_pools() {
	local p parent
	for p in $(pgrep -u "$(id -u)" -x nook-userns); do
		parent=$(ps -o ppid= -p "$p" 2>/dev/null | tr -d ' ')
		[ "$(cat "/proc/$parent/comm" 2>/dev/null)" != nook-userns ] || continue
		[ "$(readlink "/proc/$p/fd/4" 2>/dev/null)" != "$RTD/nook/userns.lock" ] || echo "$p"
	done
}

teardown() {
	local p
	[ -z "$FAKE" ] || kill "$FAKE" 2>/dev/null || true
	for p in "${BG[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in $(test_pools); do
		kill "$p" 2>/dev/null || true
	done
	return 0
}

nook_rt() {
	env XDG_RUNTIME_DIR="$RTD" "$NOOK" "$@"
}

# pool_userns PID: the user namespaces the pool PID holds, one a line.
pool_userns() {
	local fd
	for fd in "/proc/$1/fd/"*; do
		readlink "$fd" 2>/dev/null || true
	done | grep '^user:\[' || true
}

# wait_pool_ready: until the pool holds a namespace (an fd on a user namespace). The pool makes
# them at idle priority: on a busy machine (the suites run two at a time) that can take seconds.
wait_pool_ready() {
	local i p
	for ((i = 0; i < 600; i++)); do
		p=$(test_pools)
		if [ -n "$p" ] && [ -n "$(pool_userns "$p")" ]; then
			return 0
		fi
		sleep 0.05
	done
	echo "no pool with a namespace ready (pool: ${p:-none})" >&2
	{
		echo "nook-userns processes:"
		for p in $(pgrep -u "$(id -u)" -x nook-userns); do
			echo "$p: fd 4 -> $(readlink "/proc/$p/fd/4" 2>&1); $(pool_userns "$p" | wc -l) held"
		done
		ls -la "$RTD/nook"
	} >&2
	return 1
}

@test "the first start starts the pool; the next ones take its namespaces, each a new one" {
	run --separate-stderr nook_rt run --dry-run -- true
	expect_match "dry-run" "userns-pool $SOCK idle=30" "$output"
	run --separate-stderr nook_rt run -- true
	expect_eq "first start" 0 "$status"
	wait_pool_ready
	local pool ready got
	pool=$(test_pools)
	expect_eq "one pool" 1 "$(wc -w <<<"$pool")"
	expect_eq "its name" nook-userns "$(cat "/proc/$pool/comm")"
	# Out of the caller's session and process group, in /, with nothing of the caller's.
	[ "$(ps -o sid= -p "$pool")" -ne "$(ps -o sid= -p $$)" ] || { echo "the pool is in our session" >&2; return 1; }
	expect_eq "cwd" / "$(readlink "/proc/$pool/cwd")"
	ready=$(pool_userns "$pool")
	got=$(nook_rt run -- readlink /proc/self/ns/user)
	grep -qxF "$got" <<<"$ready" ||
		{ echo "the sandbox's $got is none of the pool's: $ready" >&2; return 1; }
	# The pool forgot it.
	! pool_userns "$pool" | grep -qxF "$got" || { echo "the pool still holds $got" >&2; return 1; }
	# The maps are the spec's, setgroups allowed (keep-id).
	run --separate-stderr nook_rt run -- sh -c 'cat /proc/self/uid_map /proc/self/setgroups'
	expect_eq "exit status" 0 "$status"
	expect_match "uid_map" "^ +0 +[0-9]+ +$(id -u)" "$output"
	expect_match "setgroups" "allow$" "$output"
	# The network namespace came with it, the pool's: handed over, forgotten, its loopback up.
	wait_pool_ready
	local nets
	nets=$(for fd in "/proc/$pool/fd/"*; do readlink "$fd" 2>/dev/null || true; done | grep '^net:\[' || true)
	[ -n "$nets" ] || { echo "the pool holds no network namespace" >&2; return 1; }
	# Its loopback is up before any sandbox has it: pid 1 has nothing left to do there.
	local fd netfd='' held='' users=()
	for fd in "/proc/$pool/fd/"*; do
		case "$(readlink "$fd" 2>/dev/null)" in
		user:*) users+=("$fd") ;;
		net:*) netfd=${netfd:-$fd} ;;
		esac
	done
	for fd in "${users[@]}"; do # the one that owns it
		held=$(nsenter --user="$fd" --net="$netfd" ip -o link show dev lo 2>/dev/null) && break
	done
	expect_match "lo in the pool's network namespace" '[<,]UP[,>]' "$held"
	run --separate-stderr nook_rt run -- sh -c 'readlink /proc/self/ns/net; cat /sys/class/net/lo/operstate 2>/dev/null || ip -br link show lo'
	expect_eq "exit status (net)" 0 "$status"
	grep -qxF "${lines[0]}" <<<"$nets" ||
		{ echo "the sandbox's ${lines[0]} is none of the pool's: $nets" >&2; return 1; }
	[ "${lines[0]}" != "$(readlink /proc/self/ns/net)" ] || { echo "the host's network namespace" >&2; return 1; }
	expect_match "loopback up" 'unknown|UP|UNKNOWN' "${lines[1]}"
	# --net=host asks for none: the host's network namespace.
	expect_eq "--net=host" "$(readlink /proc/self/ns/net)" "$(nook_rt run --net=host -- readlink /proc/self/ns/net)"
}

# wait_pool_holds N: until the pool holds N user namespaces (what it makes, it makes at idle
# priority, 20 ms after a request at the soonest for a second of the same maps).
wait_pool_holds() {
	local i p n=0
	for ((i = 0; i < 600; i++)); do
		p=$(test_pools)
		[ -z "$p" ] || n=$(pool_userns "$p" | wc -l)
		[ "$n" -lt "$1" ] || return 0
		sleep 0.05
	done
	echo "the pool holds $n user namespaces, not $1" >&2
	return 1
}

@test "the pool keeps two namespaces for each of the last two maps: keep-id and root in turn each find one" {
	run --separate-stderr nook_rt run -- true
	expect_eq "keep-id start" 0 "$status"
	run --separate-stderr nook_rt run --userns=root -- true
	expect_eq "root start" 0 "$status"
	wait_pool_holds 4
	local pool held ns mode
	pool=$(test_pools)
	held=$(pool_userns "$pool")
	# Two starts of each in a row: each takes one made beforehand, none waits for a refill.
	for mode in keep-id keep-id root root; do
		ns=$(nook_rt run --userns="$mode" -- readlink /proc/self/ns/user)
		grep -qxF "$ns" <<<"$held" ||
			{ echo "$mode: the sandbox's $ns is none the pool held: $held" >&2; return 1; }
		held=$(grep -vxF "$ns" <<<"$held" || true)
	done
	run --separate-stderr nook_rt run -- sh -c 'cat /proc/self/uid_map'
	expect_match "keep-id's map" "^ +0 +[0-9]+ +$(id -u)" "$output"
	run --separate-stderr nook_rt run --userns=root -- sh -c 'cat /proc/self/uid_map'
	expect_match "root's map" "^ +0 +$(id -u) +1" "$output"
	# And it fills up again, four at most.
	wait_pool_holds 4
	sleep 0.2
	expect_eq "held at most" 4 "$(pool_userns "$pool" | wc -l)"
}

@test "sandboxes running at once from the pool have user namespaces of their own" {
	local tag a b c
	tag=$(unique_tag)
	nook_rt run -- true || { echo "nook failed: $?" >&2; return 1; }
	wait_pool_ready
	env XDG_RUNTIME_DIR="$RTD" "$NOOK" run --bind="$BATS_TEST_TMPDIR" -- sh -c "readlink /proc/self/ns/user > $BATS_TEST_TMPDIR/a; exec sleep 100.$tag" &
	BG+=("$!")
	wait_for_file "$BATS_TEST_TMPDIR/a"
	wait_pool_ready
	env XDG_RUNTIME_DIR="$RTD" "$NOOK" run --userns=root --bind="$BATS_TEST_TMPDIR" -- sh -c "readlink /proc/self/ns/user > $BATS_TEST_TMPDIR/b; exec sleep 100.$tag" &
	BG+=("$!")
	wait_for_file "$BATS_TEST_TMPDIR/b"
	wait_pool_ready
	c=$(nook_rt run -- readlink /proc/self/ns/user)
	sleep 0.1
	a=$(cat "$BATS_TEST_TMPDIR/a")
	b=$(cat "$BATS_TEST_TMPDIR/b")
	[ -n "$a" ] && [ "$a" != "$b" ] && [ "$a" != "$c" ] && [ "$b" != "$c" ] ||
		{ echo "namespaces shared: a=$a b=$b c=$c" >&2; return 1; }
	expect_eq "none is nook's own" "" "$(printf '%s\n' "$a" "$b" "$c" | grep -xF "$(readlink /proc/self/ns/user)" || true)"
	# Root in one sees nothing of the other: its processes are in no pid namespace of its.
	run --separate-stderr nook_rt run --userns=root -- sh -c "ps -e -o args | grep -c '[s]leep 100.$tag' || true"
	expect_eq "root's sandbox sees no other sandbox's process" 0 "$output"
	kill "${BG[@]}" 2>/dev/null || true
	wait_no_procs "sleep 100.$tag"
}

@test "the pool is invisible to sandboxes, even one that binds the runtime directory" {
	nook_rt run -- true || { echo "nook failed: $?" >&2; return 1; }
	wait_pool_ready
	[ -S "$SOCK" ] || { echo "no socket at $SOCK" >&2; return 1; }
	local look='ls -A "$1/nook"; test -e "$1/nook/userns.sock" && echo visible; echo end'
	run --separate-stderr nook_rt run -- sh -c "$look" sh "$RTD"
	expect_eq "inside" end "$output"
	run --separate-stderr nook_rt run --bind="$RTD" -- sh -c "$look" sh "$RTD"
	expect_eq "inside, the runtime directory bound" end "$output"
	# Its process neither: no nook-userns in any sandbox's /proc.
	run --separate-stderr nook_rt run -- sh -c 'cat /proc/[0-9]*/comm'
	[[ "$output" != *nook-userns* ]] || { echo "a sandbox sees the pool: $output" >&2; return 1; }
}

@test "the pool exits when idle, and leaves nothing; --userns-pool=no starts none" {
	XDG_RUNTIME_DIR="$RTD" NOOK_USERNS_POOL_IDLE=1 "$NOOK" run -- true
	# Not wait_pool_ready: idle for 1 s, the pool may go before its maker (at idle priority)
	# has made a namespace on a busy machine. nook made its socket before it returned.
	[ -S "$SOCK" ] || [ -n "$(test_pools)" ] || { echo "no pool was started" >&2; return 1; }
	local i
	for ((i = 0; i < 50; i++)); do
		[ -n "$(test_pools)" ] || break
		sleep 0.1
	done
	expect_eq "the pool after 1 s idle" "" "$(test_pools)"
	[ ! -e "$SOCK" ] || { echo "$SOCK left behind" >&2; return 1; }
	run --separate-stderr nook_rt run --userns-pool=no -- true
	expect_eq "exit status" 0 "$status"
	sleep 0.2
	expect_eq "no pool after --userns-pool=no" "" "$(test_pools)"
	run --separate-stderr nook_rt run --userns-pool=no --dry-run -- true
	expect_match "dry-run" "userns-pool no" "$output"
	# --userns=single never asks.
	nook_rt run --userns=single -- true
	sleep 0.2
	expect_eq "no pool after --userns=single" "" "$(test_pools)"
}

@test "a stale socket (a pool killed with SIGKILL) is replaced by a new pool" {
	nook_rt run -- true || { echo "nook failed: $?" >&2; return 1; }
	wait_pool_ready
	kill -KILL "$(test_pools)"
	sleep 0.1
	[ -S "$SOCK" ] || { echo "the killed pool's socket is gone already" >&2; return 1; }
	run --separate-stderr nook_rt run -- true
	expect_eq "a start with the stale socket" 0 "$status"
	wait_pool_ready
	run --separate-stderr nook_rt run -- true
	expect_eq "a start from the new pool" 0 "$status"
}

# fake MODE: a fake pool at the socket's place; waits until it listens.
fake() {
	mkdir -p "$RTD/nook" && chmod 700 "$RTD/nook"
	"$NOOK_PYTHON" "$NOOK_SRC/tests/integration/helpers/fake_userns_pool.py" "$SOCK" "$1" \
		>"$BATS_TEST_TMPDIR/fake.out" &
	FAKE=$!
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q ready "$BATS_TEST_TMPDIR/fake.out" 2>/dev/null && return 0
		sleep 0.05
	done
	echo "the fake pool did not start" >&2
	return 1
}

@test "the pool is asked before the profile is read, and its answer taken only for the profile's maps and network" {
	local conf="$BATS_TEST_TMPDIR/config" host_net
	host_net=$(readlink /proc/self/ns/net)
	mkdir -p "$conf/nook/profiles"
	echo "net host" >"$conf/nook/profiles/hostnet.profile"
	# A pool that has none: each request is logged, and nook maps a namespace itself.
	fake none
	run --separate-stderr nook_rt run -- true
	expect_eq "exit status (default)" 0 "$status"
	expect_eq "one request, the command line's" "net" "$(grep -vx ready "$BATS_TEST_TMPDIR/fake.out" | xargs)"
	# The command line asks for a network namespace; the profile says net host: asked again.
	run --separate-stderr env XDG_CONFIG_HOME="$conf" XDG_RUNTIME_DIR="$RTD" "$NOOK" run --profile=hostnet -- readlink /proc/self/ns/net
	expect_eq "exit status (net host)" 0 "$status"
	expect_eq "the host's network namespace" "$host_net" "$output"
	expect_eq "asked ahead, then for the profile's" "net net nonet" "$(grep -vx ready "$BATS_TEST_TMPDIR/fake.out" | xargs)"
	kill "$FAKE"
	wait "$FAKE" 2>/dev/null || true
	FAKE=
	rm -f "$SOCK"
	# The real pool: what it handed over ahead (with a network namespace) is not used.
	nook_rt run -- true || { echo "nook failed: $?" >&2; return 1; }
	wait_pool_holds 2
	run --separate-stderr env XDG_CONFIG_HOME="$conf" XDG_RUNTIME_DIR="$RTD" "$NOOK" run --profile=hostnet -- readlink /proc/self/ns/net
	expect_eq "exit status (pool, net host)" 0 "$status"
	expect_eq "the host's network namespace (pool)" "$host_net" "$output"
	# The maps are still the spec's: pid 1 checks them, and the uid is the caller's.
	run --separate-stderr env XDG_CONFIG_HOME="$conf" XDG_RUNTIME_DIR="$RTD" "$NOOK" run --profile=hostnet -- id -u
	expect_eq "exit status (id)" 0 "$status"
	expect_eq "the caller's uid" "$(id -u)" "$output"
}

@test "a fake pool handing over a network namespace is refused" {
	fake netns
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_eq "nothing ran" "" "$output"
	expect_match "message" "^nook: the user namespace pool $SOCK handed over a namespace of another type: refused" "$stderr"
}

@test "a fake pool handing over a file is refused" {
	fake file
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_match "message" "^nook: the user namespace pool $SOCK handed over something that is no namespace: refused" "$stderr"
}

@test "a fake pool handing over a user namespace with another map is refused, before anything runs" {
	fake othermap
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_eq "nothing ran" "" "$output"
	expect_match "message" "^nook: the user namespace from the pool has another uid_map than the sandbox's: refused" "$stderr"
	# The same for root's maps.
	run --separate-stderr nook_rt run --userns=root -- echo ran
	expect_eq "exit status (root)" 125 "$status"
	expect_match "message (root)" "another uid_map than" "$stderr"
}

@test "a fake pool handing over a user namespace that is not a child of nook's is refused" {
	fake grandchild
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_match "message" "^nook: the user namespace pool $SOCK handed over a namespace that is not a child of nook's own: refused" "$stderr"
}

@test "a fake pool handing over a second user namespace where the network namespace goes is refused" {
	fake two
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_match "message" "^nook: the user namespace pool $SOCK handed over, for the network namespace, something else: refused" "$stderr"
	# Without a network namespace of its own a sandbox asks for the user namespace alone: it
	# passes the monitor's checks, and pid 1 finds it unmapped.
	run --separate-stderr nook_rt run --net=host -- echo ran
	expect_eq "exit status (--net=host)" 125 "$status"
	expect_eq "nothing ran (--net=host)" "" "$output"
	expect_match "message (--net=host)" "^nook: the user namespace from the pool has another uid_map" "$stderr"
}

@test "a fake pool handing over one descriptor too many is refused" {
	fake three
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_eq "nothing ran" "" "$output"
	expect_match "message" "^nook: the user namespace pool $SOCK sent more than 2 descriptors: refused" "$stderr"
}

@test "a fake pool handing over a network namespace its user namespace does not own (the host's) is refused" {
	fake foreignnet
	run --separate-stderr nook_rt run -- echo ran
	expect_eq "exit status" 125 "$status"
	expect_eq "nothing ran" "" "$output"
	expect_match "message" "^nook: the user namespace pool $SOCK handed over a network namespace that its user namespace does not own: refused" "$stderr"
}

@test "the pool's directory is private: another user's processes cannot reach its socket" {
	nook_rt run -- true || { echo "nook failed: $?" >&2; return 1; }
	wait_pool_ready
	expect_eq "mode of $RTD/nook" "700 $(id -u)" "$(stat -c '%a %u' "$RTD/nook")"
	# A runtime directory that is not private gets no pool (and no sandbox state).
	local open="$BATS_TEST_TMPDIR/open"
	mkdir -m 700 "$open" && mkdir -m 755 "$open/nook"
	run --separate-stderr env XDG_RUNTIME_DIR="$open" "$NOOK" run -- true
	sleep 0.2
	[ ! -e "$open/nook/userns.sock" ] || { echo "a pool in a directory others can search" >&2; return 1; }
}
