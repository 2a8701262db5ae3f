#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Networking: --net=none|slirp|pasta|host, --publish, --net-host-loopback.
#
# Network rule for this file: traffic only to 127.0.0.0/8 and to the sandbox's own 10.0.2.x
# addresses (10.0.2.2 is slirp's alias for the host's loopback; with --net=pasta it is the
# host's loopback with --net-host-loopback and a reject route inside without). No name
# lookups, nothing external. Every server is bounded in time (python3 timeouts under
# `timeout`), every loop in count, and ports come from 24000 + 10 * test number, so no two
# tests share one.
bats_require_minimum_version 1.5.0
load ../lib/common

# --- helpers --------------------------------------------------------------------------------

setup() {
	command -v python3 >/dev/null || skip "python3 is not installed"
	command -v ip >/dev/null || skip "ip (iproute2) is not installed"
	command -v ss >/dev/null || skip "ss (iproute2) is not installed"
	BG=()
	# nook puts slirp4netns's API socket in $XDG_RUNTIME_DIR (else /tmp): a private one per
	# test, so that whatever it leaves behind can be seen.
	export XDG_RUNTIME_DIR="$BATS_TEST_TMPDIR/xdg"
	mkdir -m 700 "$XDG_RUNTIME_DIR"
}

# What a sandbox left in $XDG_RUNTIME_DIR: nothing but nook's own directory, empty (it stays:
# other sandboxes may be using it).
# nook's own directories stay (empty): nook/, and nook/sandboxes/ of named sandboxes.
runtime_leftovers() {
	find "$XDG_RUNTIME_DIR" -mindepth 1 ! -path "$XDG_RUNTIME_DIR/nook" \
		! -path "$XDG_RUNTIME_DIR/nook/sandboxes" ! -path "$XDG_RUNTIME_DIR/nook/userns.sock" \
		! -path "$XDG_RUNTIME_DIR/nook/userns.lock"
}

teardown() {
	local p
	# SIGTERM first: `timeout` passes it on to its command (SIGKILL would orphan that), and
	# nook passes it on to the sandbox. SIGKILL only for what is left after 5 s.
	for p in ${BG[@]+"${BG[@]}"}; do
		kill -TERM "$p" 2>/dev/null || true
	done
	wait_gone 5 ${BG[@]+"${BG[@]}"} || true
	for p in ${BG[@]+"${BG[@]}"}; do
		kill -KILL "$p" 2>/dev/null || true
	done
	for p in ${BG[@]+"${BG[@]}"}; do
		wait "$p" 2>/dev/null || true
	done
}

# tport N: this test's port number N (0-9).
tport() {
	echo $((24000 + BATS_TEST_NUMBER * 10 + $1))
}

# bg OUTFILE CMD...: start CMD in the background (fd 3 closed, or bats waits for it); $BGPID.
bg() {
	local out="$1"
	shift
	"$@" >"$out" 2>&1 3>&- &
	BGPID=$!
	BG+=("$BGPID")
}

# alive PID: the process exists and is not a zombie.
alive() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ "$st" != Z* ]]
}

# wait_gone SECONDS PID...: until none of the PIDs is alive; false on timeout.
wait_gone() {
	local secs="$1" i p any
	shift
	for ((i = 0; i < secs * 10; i++)); do
		any=
		for p in "$@"; do
			alive "$p" && any=1
		done
		[ -z "$any" ] && return 0
		sleep 0.1
	done
	return 1
}

# cmdline_pids STRING: live processes (any user) whose command line contains STRING.
# Reads /proc directly, so the search itself never matches.
cmdline_pids() {
	local f pid cmd
	for f in /proc/[0-9]*/cmdline; do
		pid=${f#/proc/}
		pid=${pid%/cmdline}
		cmd=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
		[[ "$cmd" == *"$1"* ]] && echo "$pid"
	done
	return 0
}

# need_pasta: skip without pasta (package passt), except in CI, where it must be installed.
need_pasta() {
	[ -x /usr/bin/pasta ] && return 0
	[ -z "${CI:-}" ] || { echo "pasta is missing: helpers/install-deps installs passt" >&2; return 1; }
	skip "pasta is not installed (package passt)"
}

# pasta_child NOOKPID: the pid of nook's pasta (its program is pasta, or passt.avx2 that pasta
# re-executes: found by its arguments), or nothing.
pasta_child() {
	local p
	for p in $(pgrep -P "$1" || true); do
		[[ "$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)" == *" --config-net --ns-ifname tap0 "* ]] &&
			echo "$p"
	done
	return 0
}

# listeners tcp|udp PORT: local address:port of each host listener on PORT.
listeners() {
	local flag=-Hltn
	[ "$1" = udp ] && flag=-Hlun
	ss "$flag" "sport = :$2" | awk '{print $4}'
}

# wait_listen tcp|udp PORT: until something listens on PORT (up to 10 s).
wait_listen() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ -n "$(listeners "$1" "$2")" ] && return 0
		sleep 0.1
	done
	echo "nothing listens on $1 port $2 after 10 s" >&2
	return 1
}

# Host-side TCP server: ADDR PORT; answers every connection with "banner-PORT", quits after
# 20 s without a connection.
PY_TCP_SERVER='import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(8)
s.settimeout(20)
try:
    while True:
        c, _ = s.accept()
        c.sendall(b"banner-%s\n" % sys.argv[2].encode())
        c.close()
except socket.timeout:
    pass'

# TCP client, one try: ADDR PORT; prints "connected LINE" or "fail ERROR ERRNO".
PY_TCP_CLIENT='import socket, sys
s = socket.socket()
s.settimeout(3)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    print("connected", s.makefile().readline().strip())
except Exception as e:
    print("fail", type(e).__name__, getattr(e, "errno", None))'

# TCP client with retries (the server inside may not listen yet): ADDR PORT EXPECTED;
# prints "ok" or the last thing seen.
PY_TCP_RETRY='import socket, sys, time
last = "nothing"
for i in range(50):
    try:
        s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=1)
        s.settimeout(2)
        line = s.makefile().readline().strip()
        s.close()
        if line == sys.argv[3]:
            print("ok")
            sys.exit(0)
        last = "read [%s]" % line
    except Exception as e:
        last = "%s %s" % (type(e).__name__, e)
    time.sleep(0.2)
print(last)'

# TCP server for inside the sandbox: PORT; 0.0.0.0, one connection, answers "inside-PORT",
# prints "served"; quits after 15 s.
PY_INSIDE_TCP='import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.listen(8)
s.settimeout(15)
try:
    c, a = s.accept()
    c.sendall(b"inside-%s\n" % sys.argv[1].encode())
    c.close()
    print("served", a[0])
except socket.timeout:
    print("no connection within 15 s")'

# UDP echo server for inside: PORT; answers "echo:DATA", logs what it got, stops on "quit"
# or after 10 s of silence.
PY_INSIDE_UDP='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", int(sys.argv[1])))
s.settimeout(10)
try:
    while True:
        d, a = s.recvfrom(200)
        s.sendto(b"echo:" + d, a)
        print("got", d.decode(), "from", "%s:%d" % a, flush=True)
        if d == b"quit":
            break
except socket.timeout:
    print("udp server: 10 s of silence", flush=True)'

# UDP client: ADDR PORT MESSAGE [TRIES]; sends until an answer comes (0.5 s each try),
# prints it or "no answer".
PY_UDP_CLIENT='import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
tries = int(sys.argv[4]) if len(sys.argv) > 4 else 20
for i in range(tries):
    s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))
    try:
        print(s.recv(200).decode())
        break
    except socket.timeout:
        pass
else:
    print("no answer")'

# Abstract unix socket server on the host: NAME (without the NUL); quits after 20 s idle.
PY_ABSTRACT_SERVER='import socket, sys
s = socket.socket(socket.AF_UNIX)
s.bind("\0" + sys.argv[1])
s.listen(8)
s.settimeout(20)
try:
    while True:
        c, _ = s.accept()
        c.sendall(b"abstract-ok\n")
        c.close()
except socket.timeout:
    pass'

# Abstract unix socket client: NAME; prints "connected LINE" or "fail ERROR ERRNO".
PY_ABSTRACT_CLIENT='import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(3)
try:
    s.connect("\0" + sys.argv[1])
    print("connected", s.makefile().readline().strip())
except Exception as e:
    print("fail", type(e).__name__, getattr(e, "errno", None))'

# --- --net=none -------------------------------------------------------------------------------

@test "default (--net=none): only lo, up, and no default route" {
	local links lo routes
	links=$(timeout 20 "$NOOK" run -- ip -o link show | awk -F': ' '{print $2}')
	expect_eq "interfaces inside" "lo" "$links"
	lo=$(timeout 20 "$NOOK" run -- ip -o link show dev lo)
	expect_match "lo flags" '[<,]UP[,>]' "$lo"
	expect_match "lo flags" 'LOWER_UP' "$lo"
	routes=$(timeout 20 "$NOOK" run -- sh -c 'ip -4 route show default; ip -6 route show default')
	expect_eq "default routes inside" "" "$routes"
	# Same with --net=none spelled out.
	links=$(timeout 20 "$NOOK" run --net=none -- ip -o link show | awk -F': ' '{print $2}')
	expect_eq "interfaces inside with --net=none" "lo" "$links"
}

# --- --net=slirp ------------------------------------------------------------------------------

@test "--net=slirp: tap0 10.0.2.100/24, default via 10.0.2.2, mtu 65520" {
	need_dev net/tun
	local addr route link
	addr=$(timeout 30 "$NOOK" run --net=slirp -- ip -o -4 addr show dev tap0 | awk '{print $4}')
	expect_eq "tap0 IPv4 address" "10.0.2.100/24" "$addr"
	route=$(timeout 30 "$NOOK" run --net=slirp -- ip -4 route show default)
	expect_match "default route" '^default via 10\.0\.2\.2 dev tap0( |$)' "$route"
	link=$(timeout 30 "$NOOK" run --net=slirp -- ip -o link show dev tap0)
	expect_match "tap0 mtu" ' mtu 65520 ' "$link"
	expect_match "tap0 state" '[<,]UP[,>]' "$link"
}

@test "--net=slirp: /etc/resolv.conf is exactly 'nameserver 10.0.2.3', read-only, host copy unchanged" {
	need_dev net/tun
	local before after got opts wrote
	before=$(sha256sum </etc/resolv.conf 2>/dev/null || echo absent)
	got=$(timeout 30 "$NOOK" run --net=slirp -- sh -c 'cat /etc/resolv.conf; echo END')
	expect_eq "/etc/resolv.conf inside (then END)" $'nameserver 10.0.2.3\nEND' "$got"
	# shellcheck disable=SC2016 # an awk program
	opts=$(timeout 30 "$NOOK" run --net=slirp -- awk '$5 == "/etc/resolv.conf" {print $6}' /proc/self/mountinfo)
	expect_match "mount options of /etc/resolv.conf inside" '^ro(,|$)' "$opts"
	wrote=$(timeout 30 "$NOOK" run --net=slirp -- sh -c \
		'if { echo "nameserver 127.0.0.9" >> /etc/resolv.conf; } 2>/dev/null; then echo writable; else echo refused; fi; cat /etc/resolv.conf')
	expect_eq "append to /etc/resolv.conf inside, then its content" $'refused\nnameserver 10.0.2.3' "$wrote"
	# Also as root inside (--userns=root).
	wrote=$(timeout 30 "$NOOK" run --userns=root --net=slirp -- sh -c \
		'if { echo "nameserver 127.0.0.9" > /etc/resolv.conf; } 2>/dev/null; then echo writable; else echo refused; fi')
	expect_eq "overwrite /etc/resolv.conf as root inside" "refused" "$wrote"
	after=$(sha256sum </etc/resolv.conf 2>/dev/null || echo absent)
	expect_eq "sha256 of the host's /etc/resolv.conf before/after" "$before" "$after"
}

@test "--net=slirp with a --rootfs image that has no /etc/resolv.conf" {
	need_dev net/tun
	local img got
	img=$(busybox_image)
	[ ! -e "$img/etc/resolv.conf" ] || skip "the busybox image has an /etc/resolv.conf"
	run timeout 30 "$NOOK" run --rootfs "$img" --net=slirp -- /bin/busybox cat /etc/resolv.conf
	expect_eq "exit status" 0 "$status" || { echo "output: $output" >&2; return 1; }
	expect_eq "/etc/resolv.conf inside the image" "nameserver 10.0.2.3" "$output"
	# Nothing written into the image on the host (a mount point, say).
	[ ! -e "$img/etc/resolv.conf" ] || { echo "the run created $img/etc/resolv.conf on the host" >&2; return 1; }
}

# --- the host's loopback ----------------------------------------------------------------------

@test "host 127.0.0.1 is not reachable at 10.0.2.2 by default, and is with --net-host-loopback" {
	need_dev net/tun
	local p got
	p=$(tport 0)
	bg "$BATS_TEST_TMPDIR/server.log" timeout 30 python3 -c "$PY_TCP_SERVER" 127.0.0.1 "$p"
	wait_listen tcp "$p"
	# Control: the server answers on the host.
	got=$(timeout 10 python3 -c "$PY_TCP_CLIENT" 127.0.0.1 "$p")
	expect_eq "host client to 127.0.0.1:$p" "connected banner-$p" "$got"
	# Default: 10.0.2.2 does not lead to the host's loopback.
	got=$(timeout 30 "$NOOK" run --net=slirp -- python3 -c "$PY_TCP_CLIENT" 10.0.2.2 "$p")
	expect_match "sandbox client to 10.0.2.2:$p (default)" '^fail ' "$got"
	# -p implies slirp: the same without --net=slirp.
	got=$(timeout 30 "$NOOK" run -p "$(tport 1):80" -- python3 -c "$PY_TCP_CLIENT" 10.0.2.2 "$p")
	expect_match "sandbox client to 10.0.2.2:$p (with -p)" '^fail ' "$got"
	# The sandbox's own 127.0.0.1 is its own loopback, not the host's.
	got=$(timeout 30 "$NOOK" run --net=slirp --net-host-loopback -- python3 -c "$PY_TCP_CLIENT" 127.0.0.1 "$p")
	expect_match "sandbox client to its own 127.0.0.1:$p" '^fail ConnectionRefusedError' "$got"
	# --net-host-loopback: it does (the control that proves the check above can fail).
	got=$(timeout 30 "$NOOK" run --net=slirp --net-host-loopback -- python3 -c "$PY_TCP_CLIENT" 10.0.2.2 "$p")
	expect_eq "sandbox client to 10.0.2.2:$p (--net-host-loopback)" "connected banner-$p" "$got"
}

@test "host abstract unix socket: unreachable with --net=none and --net=slirp; --net=host: Landlock, or reachable" {
	local name got mode i
	name="nook-test-$$-$RANDOM$RANDOM"
	bg "$BATS_TEST_TMPDIR/server.log" timeout 30 python3 -c "$PY_ABSTRACT_SERVER" "$name"
	for ((i = 0; i < 100; i++)); do
		grep -q "@$name" /proc/net/unix && break
		sleep 0.1
	done
	# Control: reachable on the host.
	got=$(timeout 10 python3 -c "$PY_ABSTRACT_CLIENT" "$name")
	expect_eq "host client to @$name" "connected abstract-ok" "$got"
	# --net=host shares the host's namespace: Landlock (ABI 6) scopes the host's abstract
	# sockets out, unless --x11; without it they are reachable, the proof this can fail.
	got=$(timeout 30 "$NOOK" run --net=host -- python3 -c "$PY_ABSTRACT_CLIENT" "$name")
	if "$NOOK" run -q --net=host --dry-run -- true | grep -qx 'landlock scope abstract-unix-socket'; then
		expect_eq "sandbox (--net=host, Landlock) client to @$name" "fail PermissionError 1" "$got"
		got=$(timeout 30 "$NOOK" run --net=host --x11 -- python3 -c "$PY_ABSTRACT_CLIENT" "$name")
		expect_eq "sandbox (--net=host --x11) client to @$name" "connected abstract-ok" "$got"
	else
		expect_eq "sandbox (--net=host, no Landlock) client to @$name" "connected abstract-ok" "$got"
	fi
	# Abstract sockets belong to the network namespace.
	for mode in none slirp; do
		[ "$mode" != slirp ] || need_dev net/tun
		got=$(timeout 30 "$NOOK" run --net=$mode -- python3 -c "$PY_ABSTRACT_CLIENT" "$name")
		expect_eq "sandbox (--net=$mode) client to @$name" "fail ConnectionRefusedError 111" "$got"
	done
}

# --- --publish --------------------------------------------------------------------------------

@test "--publish TCP: a server inside answers on 127.0.0.1:HOSTPORT, bound on 127.0.0.1 only" {
	need_dev net/tun
	local hp gp got l rc=0
	hp=$(tport 0)
	gp=$(tport 1)
	bg "$BATS_TEST_TMPDIR/nook.log" timeout 40 "$NOOK" run --publish "$hp:$gp" -- \
		python3 -c "$PY_INSIDE_TCP" "$gp"
	wait_listen tcp "$hp" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	l=$(listeners tcp "$hp")
	expect_eq "host listeners on port $hp (ss -ltn)" "127.0.0.1:$hp" "$l"
	got=$(timeout 30 python3 -c "$PY_TCP_RETRY" 127.0.0.1 "$hp" "inside-$gp")
	expect_eq "host client to 127.0.0.1:$hp" "ok" "$got"
	wait "$BGPID" || rc=$?
	expect_eq "nook exit status" 0 "$rc" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	expect_match "inside server log" $'(^|\n)served ' "$(cat "$BATS_TEST_TMPDIR/nook.log")"
	# Gone with the sandbox.
	l=$(listeners tcp "$hp")
	expect_eq "host listeners on port $hp after the sandbox ended" "" "$l"
}

@test "--publish HOSTIP: 127.0.0.2:HOSTPORT:PORT binds 127.0.0.2 only and works" {
	need_dev net/tun
	local hp gp got l rc=0
	hp=$(tport 0)
	gp=$(tport 1)
	bg "$BATS_TEST_TMPDIR/nook.log" timeout 40 "$NOOK" run -p "127.0.0.2:$hp:$gp/tcp" -- \
		python3 -c "$PY_INSIDE_TCP" "$gp"
	wait_listen tcp "$hp" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	l=$(listeners tcp "$hp")
	expect_eq "host listeners on port $hp" "127.0.0.2:$hp" "$l"
	got=$(timeout 10 python3 -c "$PY_TCP_CLIENT" 127.0.0.1 "$hp")
	expect_match "host client to 127.0.0.1:$hp (not published there)" '^fail ConnectionRefusedError' "$got"
	got=$(timeout 30 python3 -c "$PY_TCP_RETRY" 127.0.0.2 "$hp" "inside-$gp")
	expect_eq "host client to 127.0.0.2:$hp" "ok" "$got"
	wait "$BGPID" || rc=$?
	expect_eq "nook exit status" 0 "$rc" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
}

# slirp4netns drops UDP replies to 10.0.2.2 unless the host's loopback is reachable: nook refuses
# a UDP publish without --net-host-loopback rather than open the host's 127.0.0.1 silently.
@test "--publish UDP without --net-host-loopback is refused: 125, one line naming the option; nothing left" {
	local hp
	hp=$(tport 0)
	run --separate-stderr timeout 20 "$NOOK" run --publish "$hp:53/udp" -- true
	expect_eq "exit status" 125 "$status"
	expect_eq "stdout" "" "$output"
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_match "the message" '^nook: --publish [^ ]+/udp: .*--net-host-loopback' "$stderr"
	expect_eq "lines on stderr" 1 "$(printf '%s\n' "$stderr" | wc -l)"
	expect_eq "host UDP sockets on port $hp" "" "$(listeners udp "$hp")"
}

@test "--publish UDP with --net-host-loopback: a UDP echo server inside answers a host client on 127.0.0.1" {
	need_dev net/tun
	local hp gp got rc=0
	hp=$(tport 0)
	gp=$(tport 1)
	bg "$BATS_TEST_TMPDIR/nook.log" timeout 40 "$NOOK" run --net-host-loopback --publish "$hp:$gp/udp" -- \
		python3 -c "$PY_INSIDE_UDP" "$gp"
	wait_listen udp "$hp" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	got=$(timeout 20 python3 -c "$PY_UDP_CLIENT" 127.0.0.1 "$hp" "ping-$hp")
	timeout 5 python3 -c "$PY_UDP_CLIENT" 127.0.0.1 "$hp" quit 2 >/dev/null || true
	wait "$BGPID" || rc=$?
	expect_eq "answer to the host client" "echo:ping-$hp" "$got" || {
		cat "$BATS_TEST_TMPDIR/nook.log" >&2
		return 1
	}
}

@test "--publish: a host port already in use fails cleanly (125, one line, nothing left)" {
	need_dev net/tun
	local p
	p=$(tport 0)
	bg "$BATS_TEST_TMPDIR/server.log" timeout 30 python3 -c "$PY_TCP_SERVER" 127.0.0.1 "$p"
	wait_listen tcp "$p"
	run timeout 30 "$NOOK" run --publish "$p:80" -- true
	expect_eq "exit status" 125 "$status"
	expect_eq "output" "nook: --publish $p:80: host port 127.0.0.1:$p is already in use" "$output"
	expect_eq "slirp4netns processes with an API socket in \$XDG_RUNTIME_DIR" "" \
		"$(cmdline_pids "--api-socket=$XDG_RUNTIME_DIR/")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
	# The same for UDP.
	bg "$BATS_TEST_TMPDIR/udp.log" timeout 30 python3 -c \
		'import socket, sys, time; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", int(sys.argv[1]))); time.sleep(20)' "$(tport 1)"
	wait_listen udp "$(tport 1)"
	# -q: a UDP port may come with a warning of its own (see the next test); not the point here.
	run timeout 30 "$NOOK" run -q --net-host-loopback -p "$(tport 1):80/udp" -- true
	expect_eq "exit status (udp)" 125 "$status"
	expect_eq "output (udp)" "nook: --publish $(tport 1):80/udp: host port 127.0.0.1:$(tport 1) is already in use" "$output"
	expect_eq "slirp4netns processes with an API socket in \$XDG_RUNTIME_DIR (udp)" "" \
		"$(cmdline_pids "--api-socket=$XDG_RUNTIME_DIR/")"
	expect_eq "left in \$XDG_RUNTIME_DIR (udp)" "" "$(runtime_leftovers)"
}

@test "--publish: a SIGKILL of nook while it publishes leaves no API directory (its guard removes it)" {
	need_dev net/tun
	local rt="$XDG_RUNTIME_DIR/nook" attempt spin hits=0 pid i
	# Killed while it starts slirp4netns or adds forwards: the window is short, so a few tries.
	for ((attempt = 0; attempt < 10; attempt++)); do
		"$NOOK" run -q -p "$(tport 0):80" -p "$(tport 1):81" -p "$(tport 2):82" -- true \
			</dev/null >/dev/null 2>&1 3>&- &
		pid=$!
		for ((spin = 0; spin < 20000; spin++)); do
			compgen -G "$rt/slirp-*" >/dev/null && break
			kill -0 "$pid" 2>/dev/null || break
		done
		compgen -G "$rt/slirp-*" >/dev/null && hits=$((hits + 1))
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		for ((i = 0; i < 100; i++)); do
			compgen -G "$rt/slirp-*" >/dev/null || break
			sleep 0.05
		done
		expect_eq "try $attempt: left in \$XDG_RUNTIME_DIR/nook" "" "$(compgen -G "$rt/slirp-*" || true)"
	done
	[ "$hits" -gt 0 ] || { echo "the API directory was never seen before the kill: nothing tested" >&2; return 1; }
	wait_no_procs "--api-socket=$rt/" 50
}

@test "--publish: a stale API directory (no listener, over a minute old) is swept; a young one stays" {
	need_dev net/tun
	local rt="$XDG_RUNTIME_DIR/nook" old young
	mkdir -p "$rt" && chmod 700 "$rt"
	old="$rt/slirp-Old123" young="$rt/slirp-New123"
	mkdir -m 700 "$old" "$young"
	"$NOOK_PYTHON" -c 'import socket, sys
for p in sys.argv[1:]: socket.socket(socket.AF_UNIX).bind(p)' "$old/slirp.sock" "$young/slirp.sock"
	touch -d '2 minutes ago' "$old"
	run timeout 30 "$NOOK" run -q -p "$(tport 3):80" -- true
	expect_eq "exit status" 0 "$status" || { echo "$output" >&2; return 1; }
	[ ! -e "$old" ] || { echo "the stale $old was not swept" >&2; return 1; }
	[ -e "$young" ] || { echo "the young $young was swept" >&2; return 1; }
	rm -rf "$young"
}

@test "--publish with a long \$XDG_RUNTIME_DIR: works, or says why not" {
	need_dev net/tun
	local long hp
	hp=$(tport 0)
	# 100 characters: the API socket's path would not fit in sun_path (108 bytes).
	long="$BATS_TEST_TMPDIR/$(printf 'd%.0s' $(seq $((99 - ${#BATS_TEST_TMPDIR}))))"
	mkdir -m 700 "$long"
	run env XDG_RUNTIME_DIR="$long" timeout 30 "$NOOK" run -p "$hp:80" -- true
	if [ "$status" -ne 0 ]; then
		expect_match "output when it cannot (exit $status)" 'too long' "$output"
	fi
	expect_eq "left in the long \$XDG_RUNTIME_DIR" "" \
		"$(find "$long" -mindepth 1 ! -path "$long/nook" ! -path "$long/nook/sandboxes")"
}

# --- option errors ----------------------------------------------------------------------------

@test "malformed --publish values and bad combinations exit 125 naming the option" {
	local v bad=0
	for v in abc 80 0:80 70000:80 1.2.3:80:80 80:80/sctp :80 80: 80:0 80:70000 1.2.3.4:80:80:80; do
		run "$NOOK" run --publish "$v" -- true
		if [ "$status" -ne 125 ] || [[ "$output" != "nook: --publish: "*"'$v'"* ]] ||
			[ "${#lines[@]}" -ne 1 ]; then
			printf -- "--publish %s: expected exit 125 and one line \"nook: --publish: ...'%s'...\", got %s [%s]\n" \
				"$v" "$v" "$status" "$output" >&2
			bad=1
		fi
	done
	run "$NOOK" run -p abc -- true
	expect_eq "-p abc: exit status" 125 "$status" || bad=1
	expect_match "-p abc: output" '^nook: --publish: ' "$output" || bad=1
	for v in none host; do
		run "$NOOK" run --net=$v --publish 8080:80 -- true
		expect_eq "--net=$v --publish 8080:80: exit status" 125 "$status" || bad=1
		expect_eq "--net=$v --publish 8080:80: output" \
			"nook: --publish 8080:80: needs --net=slirp or --net=pasta (the sandbox has --net=$v)" \
			"$output" || bad=1
	done
	for v in "" --net=none --net=host; do
		run "$NOOK" run $v --net-host-loopback -- true
		expect_eq "$v --net-host-loopback: exit status" 125 "$status" || bad=1
		expect_eq "$v --net-host-loopback: output" \
			"nook: --net-host-loopback: needs --net=slirp or --net=pasta" "$output" || bad=1
	done
	run "$NOOK" run --net=bogus -- true
	expect_eq "--net=bogus: exit status" 125 "$status" || bad=1
	expect_match "--net=bogus: output" "^nook: --net: .*'bogus'" "$output" || bad=1
	[ "$bad" -eq 0 ]
}

@test "the network's helper starts while pid 1 mounts: the payload starts once it is up; a failed mount is one line" {
	need_dev net/tun
	local mode i
	# The payload sees the configured network at once, every time.
	for i in 1 2 3; do
		run --separate-stderr nook_t run --net=slirp -- sh -c 'ip -4 route show default'
		expect_eq "slirp: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
		expect_eq "slirp: the default route, at once" "default via 10.0.2.2 dev tap0 " "$output" ||
			return 1
	done
	# pid 1 fails while the helper starts: its line only (the helper lost the namespace).
	for mode in slirp pasta; do
		[ "$mode" = slirp ] || need_pasta
		for i in 1 2 3 4 5; do
			run --separate-stderr nook_t run -q --net="$mode" \
				--bind=/etc/hostname:/usr/nonexistent-nook/x -- true
			expect_eq "$mode: exit status" 125 "$status" || return 1
			expect_eq "$mode: one line, pid 1's" \
				"nook: --bind /etc/hostname:/usr/nonexistent-nook/x: cannot create directory /usr/nonexistent-nook in the sandbox: Read-only file system" \
				"$stderr" || return 1
		done
	done
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

# --- no leftovers -----------------------------------------------------------------------------

@test "--net=slirp: slirp4netns is gone as soon as the sandbox ends" {
	need_dev net/tun
	local tag nook_pid slirp init rc=0 i
	tag="2.$$$RANDOM"
	"$NOOK" run --net=slirp -- sleep "$tag" >"$BATS_TEST_TMPDIR/nook.log" 2>&1 3>&- &
	nook_pid=$!
	# shellcheck disable=SC2030 # BG is each test's own: setup() empties it, teardown() reads it
	BG+=("$nook_pid")
	for ((i = 0; i < 100; i++)); do
		slirp=$(pgrep -P "$nook_pid" -x slirp4netns || true)
		[ -n "$slirp" ] && break
		sleep 0.05
	done
	init=$(pgrep -P "$nook_pid" -x nook || true)
	[ -n "$slirp" ] || { echo "no slirp4netns child of nook ($nook_pid) seen" >&2; return 1; }
	wait_gone 20 "$nook_pid" || { echo "nook did not end within 20 s" >&2; return 1; }
	wait "$nook_pid" || rc=$?
	expect_eq "nook exit status" 0 "$rc"
	# nook waits for slirp4netns: nothing to wait for here.
	alive "$slirp" && { echo "slirp4netns ($slirp) still runs after nook ended" >&2; return 1; }
	expect_eq "processes referring to the sandbox's netns" "" "$(cmdline_pids "/proc/$init/ns/net ")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

@test "SIGKILL of nook: slirp4netns, the sandbox and the API socket all go" {
	need_dev net/tun
	local tag nook_pid slirp init payload hp i
	hp=$(tport 0)
	tag="45.$$$RANDOM"
	"$NOOK" run -p "$hp:80" -- sleep "$tag" >"$BATS_TEST_TMPDIR/nook.log" 2>&1 3>&- &
	nook_pid=$!
	# shellcheck disable=SC2030,SC2031 # BG is each test's own: setup() empties it, teardown() reads it
	BG+=("$nook_pid")
	for ((i = 0; i < 200; i++)); do
		init=$(pgrep -P "$nook_pid" -x nook || true)
		payload=
		[ -z "$init" ] || payload=$(pgrep -P "$init" -x sleep || true)
		[ -n "$payload" ] && break
		sleep 0.05
	done
	[ -n "$payload" ] || { echo "payload 'sleep $tag' never appeared" >&2; cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	expect_match "payload's command line" "^sleep $tag" "$(tr '\0' ' ' </proc/"$payload"/cmdline)"
	slirp=$(pgrep -P "$nook_pid" -x slirp4netns || true)
	[ -n "$slirp" ] || { echo "no slirp4netns child of nook ($nook_pid)" >&2; return 1; }
	expect_eq "host listeners on $hp while running" "127.0.0.1:$hp" "$(listeners tcp "$hp")"

	kill -KILL "$nook_pid"
	wait "$nook_pid" 2>/dev/null || true
	if ! wait_gone 10 "$slirp" "$init" "$payload"; then
		echo "10 s after SIGKILL of nook, still alive:" >&2
		ps -o pid,stat,args -p "$slirp,$init,$payload" >&2 || true
		return 1
	fi
	expect_eq "processes matching 'sleep $tag'" "" "$(procs_matching "sleep $tag")"
	expect_eq "processes with an API socket in \$XDG_RUNTIME_DIR" "" \
		"$(cmdline_pids "--api-socket=$XDG_RUNTIME_DIR/")"
	expect_eq "host listeners on $hp after" "" "$(listeners tcp "$hp")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

# --- --net=host -------------------------------------------------------------------------------

@test "--net=host (the weak option): the host's interfaces are visible" {
	local host inside n
	host=$(ip -o link show | awk -F': ' '{print $2}' | sort)
	n=$(printf '%s\n' "$host" | wc -l)
	[ "$n" -gt 1 ] || skip "the host has no interface but lo"
	inside=$(timeout 20 "$NOOK" run --net=host -- ip -o link show | awk -F': ' '{print $2}' | sort)
	expect_eq "interfaces inside with --net=host" "$host" "$inside"
	# Control: a private network namespace does not show them.
	inside=$(timeout 20 "$NOOK" run -- ip -o link show | awk -F': ' '{print $2}' | sort)
	expect_eq "interfaces inside with the default" "lo" "$inside"
}

# --- --userns=single --------------------------------------------------------------------------

@test "--userns=single --net=slirp works, warns once that slirp4netns is unsandboxed; -q silences it" {
	need_dev net/tun
	local out err
	# --keep-groups: the warning about groups in a single-id namespace is not the point here.
	out=$(timeout 30 "$NOOK" run --userns=single --keep-groups --net=slirp -- ip -o -4 addr show dev tap0 2>"$BATS_TEST_TMPDIR/err")
	err=$(cat "$BATS_TEST_TMPDIR/err")
	expect_match "tap0 address" ' 10\.0\.2\.100/24 ' "$out"
	expect_eq "stderr lines" 1 "$(grep -c '' "$BATS_TEST_TMPDIR/err")" || { echo "stderr: $err" >&2; return 1; }
	expect_match "the warning" '^nook: warning: --net=slirp: .*slirp4netns runs without its own sandbox' "$err"
	out=$(timeout 30 "$NOOK" run -q --userns=single --net=slirp -- ip -o -4 addr show dev tap0 2>"$BATS_TEST_TMPDIR/err")
	expect_match "tap0 address (-q)" ' 10\.0\.2\.100/24 ' "$out"
	expect_eq "stderr with -q" "" "$(cat "$BATS_TEST_TMPDIR/err")"
	out=$(timeout 30 "$NOOK" run -q --userns=single --net=slirp --dry-run -- true 2>&1)
	expect_match "--dry-run" $'(^|\n)net slirp .* slirp-sandbox=no(\n|$)' "$out"
	# Control: the default mode has root inside, so slirp4netns sandboxes itself, silently.
	out=$(timeout 30 "$NOOK" run --net=slirp -- true 2>&1)
	expect_eq "output of the default mode" "" "$out"
}

# --- --dry-run --------------------------------------------------------------------------------

@test "--dry-run --net=slirp -p 8080:80 shows the net, publish and resolv.conf lines" {
	# slirp-sandbox=yes: root inside, which a single-id map does not give.
	need_subids
	run timeout 20 "$NOOK" run --dry-run --net=slirp -p 8080:80 -- true
	expect_eq "exit status" 0 "$status"
	expect_match "net line" $'(^|\n)net slirp [^\n]* mtu=65520 host-loopback=no slirp-sandbox=yes(\n|$)' "$output"
	expect_match "publish line" $'(^|\n)publish 127\\.0\\.0\\.1:8080 -> 80/tcp(\n|$)' "$output"
	expect_match "resolv.conf line" $'(^|\n)mount file /etc/resolv\\.conf ro[^\n]*(\n|$)' "$output"
	run timeout 20 "$NOOK" run --dry-run --net-host-loopback -p 127.0.0.2:8080:53/udp -- true
	expect_eq "exit status" 0 "$status"
	expect_match "net line (host loopback)" $'(^|\n)net slirp [^\n]* host-loopback=yes ' "$output"
	expect_match "publish line (udp)" $'(^|\n)publish 127\\.0\\.0\\.2:8080 -> 53/udp(\n|$)' "$output"
	# Nothing was started: nothing listens on 8080 because of it, no API socket directory.
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

# --- --net=pasta ------------------------------------------------------------------------------
# pasta (package passt) in place of slirp4netns: the same tap0, addresses and DNS forwarder.

@test "--net=pasta: tap0 10.0.2.100/24, default via 10.0.2.2 (rejected itself), mtu 65520, resolv.conf" {
	local out
	need_pasta
	out=$(timeout 30 "$NOOK" run --net=pasta -- sh -c \
		'ip -o -4 addr show dev tap0; ip -4 route show; ip -o link show dev tap0; cat /etc/resolv.conf')
	expect_match "tap0 IPv4 address" $'(^|\n)[0-9]+: tap0 +inet 10\\.0\\.2\\.100/24 ' "$out" || return 1
	expect_match "default route" $'(^|\n)default via 10\\.0\\.2\\.2 dev tap0( |\n|$)' "$out" || return 1
	# Without --net-host-loopback, 10.0.2.2 leads nowhere: pasta would connect out to it.
	expect_match "reject route to 10.0.2.2" $'(^|\n)unreachable 10\\.0\\.2\\.2( |\n|$)' "$out" || return 1
	expect_match "tap0 mtu" ' mtu 65520 ' "$out" || return 1
	expect_match "tap0 flags" 'tap0: <[^>]*[<,]UP[,>]' "$out" || return 1
	expect_match "/etc/resolv.conf" $'(^|\n)nameserver 10\\.0\\.2\\.3$' "$out" || return 1
	# With --net-host-loopback no reject route; and as root inside, and with one id mapped.
	out=$(timeout 30 "$NOOK" run --net=pasta --net-host-loopback -- ip -4 route show)
	expect_eq "routes with --net-host-loopback" \
		$'default via 10.0.2.2 dev tap0 \n10.0.2.0/24 dev tap0 proto kernel scope link src 10.0.2.100 ' \
		"$out" || return 1
	out=$(timeout 30 "$NOOK" run -q --userns=root --net=pasta -- ip -o -4 addr show dev tap0)
	expect_match "tap0 address (--userns=root)" ' 10\.0\.2\.100/24 ' "$out" || return 1
	run --separate-stderr timeout 30 "$NOOK" run --userns=single --keep-groups --net=pasta -- \
		ip -o -4 addr show dev tap0
	expect_match "tap0 address (--userns=single)" ' 10\.0\.2\.100/24 ' "$output" || return 1
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_eq "stderr (--userns=single): pasta sandboxes itself anyway" "" "$stderr"
}

@test "--net=pasta from a caller that ignores SIGPIPE (pasta would refuse to start): works" {
	local out
	need_pasta
	# An ignored signal stays ignored across execve: bash passes SIG_IGN on to nook.
	out=$(trap '' PIPE && timeout 30 "$NOOK" run --net=pasta -- ip -o -4 addr show dev tap0 2>&1)
	expect_match "tap0 address" ' 10\.0\.2\.100/24 ' "$out" || return 1
	# The control: Debian 12's pasta itself, started so, refuses (a later one may not).
	out=$(trap '' PIPE && timeout 10 pasta --version 2>&1 | grep -v '^Failed to send')
	if [[ "$out" != *"Couldn't install signal handlers"* ]]; then
		echo "# this pasta starts with SIGPIPE ignored: the control proves nothing" >&3
	fi
}

@test "--net=pasta: host 127.0.0.1 is not reachable by default, and is at 10.0.2.2 with --net-host-loopback" {
	local p got
	need_pasta
	p=$(tport 0)
	bg "$BATS_TEST_TMPDIR/server.log" timeout 40 python3 -c "$PY_TCP_SERVER" 127.0.0.1 "$p"
	wait_listen tcp "$p"
	got=$(timeout 10 python3 -c "$PY_TCP_CLIENT" 127.0.0.1 "$p")
	expect_eq "host client to 127.0.0.1:$p" "connected banner-$p" "$got"
	# Default: 10.0.2.2 is refused at once inside (EHOSTUNREACH), nothing leaves.
	got=$(timeout 30 "$NOOK" run --net=pasta -- python3 -c "$PY_TCP_CLIENT" 10.0.2.2 "$p")
	expect_eq "sandbox client to 10.0.2.2:$p (default)" "fail OSError 113" "$got"
	# The sandbox's own 127.0.0.1 is its own: pasta forwards no host port into it.
	got=$(timeout 30 "$NOOK" run --net=pasta --net-host-loopback -- python3 -c "$PY_TCP_CLIENT" 127.0.0.1 "$p")
	expect_match "sandbox client to its own 127.0.0.1:$p" '^fail ConnectionRefusedError' "$got"
	# The control for that: pasta's own default (-T auto) would have forwarded it.
	got=$(timeout 30 pasta --quiet --foreground --ipv4-only --config-net --tcp-ports none \
		--udp-ports none -- python3 -c "$PY_TCP_CLIENT" 127.0.0.1 "$p" 2>/dev/null | grep -v '^Failed to send')
	expect_eq "standalone pasta with its default -T auto, client to 127.0.0.1:$p" "connected banner-$p" "$got"
	# --net-host-loopback: 10.0.2.2 is the host's 127.0.0.1.
	got=$(timeout 30 "$NOOK" run --net=pasta --net-host-loopback -- python3 -c "$PY_TCP_CLIENT" 10.0.2.2 "$p")
	expect_eq "sandbox client to 10.0.2.2:$p (--net-host-loopback)" "connected banner-$p" "$got"
}

@test "--net=pasta --publish TCP: two servers inside answer on 127.0.0.1, bound there only" {
	local hp1 hp2 gp1 gp2 got rc=0
	need_pasta
	hp1=$(tport 0) hp2=$(tport 1) gp1=$(tport 2) gp2=$(($(tport 3) - 5000))
	# The second forward goes to a lower port inside: TCP translates either way.
	# shellcheck disable=SC2016 # the inner shell expands its own arguments
	bg "$BATS_TEST_TMPDIR/nook.log" timeout 40 "$NOOK" run --net=pasta -p "$hp1:$gp1" -p "$hp2:$gp2" -- \
		sh -c 'python3 -c "$1" "$2" & python3 -c "$1" "$3"; wait' sh "$PY_INSIDE_TCP" "$gp1" "$gp2"
	wait_listen tcp "$hp1" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	expect_eq "host listeners on port $hp1" "127.0.0.1:$hp1" "$(listeners tcp "$hp1")"
	expect_eq "host listeners on port $hp2" "127.0.0.1:$hp2" "$(listeners tcp "$hp2")"
	# On a failure, what the servers inside said (a bind refused, a timeout) and pasta's state.
	got=$(timeout 30 python3 -c "$PY_TCP_RETRY" 127.0.0.1 "$hp1" "inside-$gp1")
	expect_eq "host client to 127.0.0.1:$hp1" "ok" "$got" ||
		{ listeners tcp "$hp1" >&2; cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	got=$(timeout 30 python3 -c "$PY_TCP_RETRY" 127.0.0.1 "$hp2" "inside-$gp2")
	expect_eq "host client to 127.0.0.1:$hp2" "ok" "$got" ||
		{ listeners tcp "$hp2" >&2; cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	wait "$BGPID" || rc=$?
	expect_eq "nook exit status" 0 "$rc" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	expect_match "inside server log" $'(^|\n)served ' "$(cat "$BATS_TEST_TMPDIR/nook.log")"
	expect_eq "host listeners on port $hp1 after the sandbox ended" "" "$(listeners tcp "$hp1")"
}

@test "--net=pasta --publish UDP, without --net-host-loopback: a UDP echo server inside answers" {
	local hp gp got rc=0
	need_pasta
	hp=$(tport 0)
	gp=$(tport 1)
	bg "$BATS_TEST_TMPDIR/nook.log" timeout 40 "$NOOK" run --net=pasta --publish "$hp:$gp/udp" -- \
		python3 -c "$PY_INSIDE_UDP" "$gp"
	wait_listen udp "$hp" || { cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	expect_eq "host UDP sockets on port $hp" "127.0.0.1:$hp" "$(listeners udp "$hp")"
	got=$(timeout 20 python3 -c "$PY_UDP_CLIENT" 127.0.0.1 "$hp" "ping-$hp")
	timeout 5 python3 -c "$PY_UDP_CLIENT" 127.0.0.1 "$hp" quit 2 >/dev/null || true
	wait "$BGPID" || rc=$?
	expect_eq "answer to the host client" "echo:ping-$hp" "$got" || {
		cat "$BATS_TEST_TMPDIR/nook.log" >&2
		return 1
	}
}

@test "--net=pasta --publish: a host port in use, a UDP port to a lower one, one port twice: 125, one line" {
	local p
	need_pasta
	p=$(tport 0)
	bg "$BATS_TEST_TMPDIR/server.log" timeout 30 python3 -c "$PY_TCP_SERVER" 127.0.0.1 "$p"
	wait_listen tcp "$p"
	run --separate-stderr timeout 30 "$NOOK" run --net=pasta -p "$(tport 1):81" --publish "$p:80" -- true
	expect_nook_error 125 || return 1
	expect_eq "the message" "nook: --publish $p:80: host port 127.0.0.1:$p is already in use" "$stderr"
	expect_eq "host listeners on port $(tport 1) (bound by pasta before it failed)" "" \
		"$(listeners tcp "$(tport 1)")"
	expect_eq "pasta processes for tap0" "" "$(cmdline_pids " --ns-ifname tap0 ")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
	# Debian 12's pasta loses the replies of a UDP port forwarded to a lower one.
	run --separate-stderr timeout 30 "$NOOK" run --net=pasta -p "$(tport 2):53/udp" -- true
	expect_nook_error 125 || return 1
	expect_match "the message (udp)" "^nook: --publish $(tport 2):53/udp: pasta loses the replies .*--net=slirp\$" "$stderr"
	run --separate-stderr timeout 30 "$NOOK" run --net=pasta -p "$(tport 2):80" -p "127.0.0.2:$(tport 2):81" -- true
	expect_nook_error 125 || return 1
	expect_eq "the message (twice)" \
		"nook: --publish 127.0.0.2:$(tport 2):81: pasta forwards a host port only once (--publish $(tport 2):80 has it too)" \
		"$stderr"
}

@test "--net=pasta: pasta is gone as soon as the sandbox ends; nothing left" {
	local nook_pid pasta init rc=0 i hp
	need_pasta
	hp=$(tport 0)
	"$NOOK" run --net=pasta -p "$hp:80" -- sleep 2 >"$BATS_TEST_TMPDIR/nook.log" 2>&1 3>&- &
	nook_pid=$!
	# shellcheck disable=SC2030,SC2031 # BG is each test's own: setup() empties it, teardown() reads it
	BG+=("$nook_pid")
	for ((i = 0; i < 100; i++)); do
		pasta=$(pasta_child "$nook_pid")
		[ -n "$pasta" ] && break
		sleep 0.05
	done
	[ -n "$pasta" ] || { echo "no pasta child of nook ($nook_pid) seen" >&2; return 1; }
	init=$(pgrep -P "$nook_pid" -x nook || true)
	expect_match "pasta's target: the sandbox's pid 1 ($init)" " $init\$" \
		"$(tr '\0' ' ' <"/proc/$pasta/cmdline" | sed 's/ $//')" || return 1
	wait_gone 20 "$nook_pid" || { echo "nook did not end within 20 s" >&2; return 1; }
	wait "$nook_pid" || rc=$?
	expect_eq "nook exit status" 0 "$rc"
	# nook waits for pasta: nothing to wait for here.
	alive "$pasta" && { echo "pasta ($pasta) still runs after nook ended" >&2; return 1; }
	expect_eq "pasta processes for tap0" "" "$(cmdline_pids " --ns-ifname tap0 ")"
	expect_eq "host listeners on $hp after" "" "$(listeners tcp "$hp")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

@test "SIGKILL of nook with --net=pasta: pasta, the sandbox and the published port all go" {
	local tag nook_pid pasta init payload hp i
	need_pasta
	hp=$(tport 0)
	tag="46.$$$RANDOM"
	"$NOOK" run --net=pasta -p "$hp:80" -- sleep "$tag" >"$BATS_TEST_TMPDIR/nook.log" 2>&1 3>&- &
	nook_pid=$!
	# shellcheck disable=SC2030,SC2031 # BG is each test's own: setup() empties it, teardown() reads it
	BG+=("$nook_pid")
	for ((i = 0; i < 200; i++)); do
		init=$(pgrep -P "$nook_pid" -x nook || true)
		payload=
		[ -z "$init" ] || payload=$(pgrep -P "$init" -x sleep || true)
		[ -n "$payload" ] && break
		sleep 0.05
	done
	[ -n "$payload" ] || { echo "payload 'sleep $tag' never appeared" >&2; cat "$BATS_TEST_TMPDIR/nook.log" >&2; return 1; }
	pasta=$(pasta_child "$nook_pid")
	[ -n "$pasta" ] || { echo "no pasta child of nook ($nook_pid)" >&2; return 1; }
	expect_eq "host listeners on $hp while running" "127.0.0.1:$hp" "$(listeners tcp "$hp")"

	kill -KILL "$nook_pid"
	wait "$nook_pid" 2>/dev/null || true
	if ! wait_gone 10 "$pasta" "$init" "$payload"; then
		echo "10 s after SIGKILL of nook, still alive:" >&2
		ps -o pid,stat,args -p "$pasta,$init,$payload" >&2 || true
		return 1
	fi
	expect_eq "processes matching 'sleep $tag'" "" "$(procs_matching "sleep $tag")"
	expect_eq "pasta processes for tap0" "" "$(cmdline_pids " --ns-ifname tap0 ")"
	expect_eq "host listeners on $hp after" "" "$(listeners tcp "$hp")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

@test "--net=pasta without pasta: one line naming the package, 125, for --dry-run too" {
	local v
	# nook finds its helpers in fixed directories: an outer sandbox hides pasta there.
	for v in "" --dry-run; do
		run --separate-stderr timeout 60 "$NOOK" run -q --allow-userns --blacklist=/usr/bin/pasta -- \
			"$NOOK" run -q $v --net=pasta -- true
		expect_nook_error 125 || return 1
		expect_eq "the message ($v)" "nook: --net=pasta: pasta is not installed (package passt)" "$stderr"
	done
}

@test "--dry-run --net=pasta: the net and publish lines, resolv.conf, and the same in JSON" {
	local json
	need_pasta
	run timeout 20 "$NOOK" run --dry-run --net=pasta -p 8080:80 -p 127.0.0.2:5353:5353/udp -- true
	expect_eq "exit status" 0 "$status"
	expect_match "net line" $'(^|\n)net pasta /[^ ]*/pasta mtu=65520 host-loopback=no(\n|$)' "$output"
	expect_match "publish line" $'(^|\n)publish 127\\.0\\.0\\.1:8080 -> 80/tcp(\n|$)' "$output"
	expect_match "publish line (udp)" $'(^|\n)publish 127\\.0\\.0\\.2:5353 -> 5353/udp(\n|$)' "$output"
	expect_match "resolv.conf line" $'(^|\n)mount file /etc/resolv\\.conf ro[^\n]*\\(--net=pasta\\)(\n|$)' "$output"
	run timeout 20 "$NOOK" run --dry-run --net=pasta --net-host-loopback -- true
	expect_match "net line (host loopback)" $'(^|\n)net pasta [^\n]* host-loopback=yes(\n|$)' "$output"
	command -v jq >/dev/null || skip "jq is not installed"
	json=$(timeout 20 "$NOOK" run -q --dry-run --json --net=pasta -p 8080:80 -- true)
	expect_eq "net in JSON" \
		'pasta null true 65520 false false 127.0.0.1 8080 80 tcp' \
		"$(jq -r '.net | "\(.mode) \(.slirp4netns) \(.pasta | startswith("/")) \(.mtu) \(.host_loopback) \(.slirp_sandbox) \(.publish[0].host_addr) \(.publish[0].host_port) \(.publish[0].port) \(.publish[0].protocol)"' <<<"$json")"
	expect_eq "left in \$XDG_RUNTIME_DIR" "" "$(runtime_leftovers)"
}

# Neither slirp4netns nor pasta checks a packet's destination: a raw socket in the sandbox could
# send one to 127.0.0.1 through tap0. CAP_NET_RAW/CAP_NET_ADMIN with user-mode networking are
# therefore refused from the command line and not kept from a profile, unless the host's
# loopback is opened knowingly.
@test "CAP_NET_RAW with --net=slirp|pasta: refused from the command line, not kept from a profile" {
	local mode prof
	need_dev net/tun
	for mode in slirp pasta; do
		run --separate-stderr timeout 20 "$NOOK" run --net=$mode --caps-keep=net_raw -- true
		expect_eq "--net=$mode --caps-keep=net_raw: exit status" 125 "$status"
		# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
		expect_match "the message" "^nook: --caps-keep: .*--net-host-loopback" "$stderr"
		expect_eq "lines on stderr" 1 "$(printf '%s\n' "$stderr" | wc -l)"
	done
	prof=$BATS_TEST_TMPDIR/raw.profile
	printf 'net slirp\ncaps.keep net_raw\n' >"$prof"
	run --separate-stderr timeout 30 "$NOOK" run --profile="$prof" -- python3 -c '
import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    print("raw socket made")
except PermissionError:
    print("denied")'
	expect_eq "a raw socket inside (profile's caps.keep net_raw, --net=slirp)" "denied" "$output"
	expect_match "the warning" "^nook: warning: $prof:2: CAP_NET_RAW .*not kept" "$stderr"
	# The control: with the host's loopback opened knowingly, the profile's capability is kept.
	run --separate-stderr timeout 30 "$NOOK" run --profile="$prof" --net-host-loopback -- python3 -c '
import socket
socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
print("raw socket made")'
	expect_eq "the same with --net-host-loopback" "raw socket made" "$output"
}
