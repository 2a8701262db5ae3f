#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Processes: pid 1, the pid namespace, reaping, hostname, network, exit codes, signals, and
# that nothing of the sandbox outlives nook.
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	TAG=$(unique_tag)
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

# start_bg CMD...: run CMD in the background, away from bats' descriptors; sets BG_PID (CMD's
# own pid). A shell without job control starts background commands with SIGINT and SIGQUIT
# ignored, which exec keeps (and nook passes on, as it should: think of nohup); put them back
# to the default, as a terminal would have them.
start_bg() {
	"$NOOK_PYTHON" -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGQUIT):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@" </dev/null >"$T/bg.out" 2>"$T/bg.err" 3>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# running PID: PID (a child of ours) has not ended (a zombie has).
running() {
	local st
	st=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "${st:0:1}" != Z ]
}

# wait_status PID [TENTHS]: wait for the background PID (ours) to end, at most TENTHS/10 s;
# sets BG_STATUS. Fails if it is still running.
wait_status() {
	local pid="$1" tenths="${2:-100}" i
	for ((i = 0; i < tenths; i++)); do
		running "$pid" || break
		sleep 0.1
	done
	if running "$pid"; then
		echo "process $pid still running after $((tenths / 10)) s" >&2
		return 1
	fi
	BG_STATUS=0
	wait "$pid" || BG_STATUS=$?
}

# ---- pid namespace ----

@test "pid 1 inside is nook's init and the payload is pid 2" {
	run --separate-stderr nook_t run -- sh -c 'echo $$; tr "\0" "\n" < /proc/1/cmdline' "$TAG"
	expect_eq "exit status" 0 "$status"
	expect_eq "payload pid" 2 "${lines[0]}"
	local cmdline
	cmdline=$(printf '%s\n' "${lines[@]:1}")
	expect_eq "pid 1's command line" "$NOOK
run
--
sh
-c
echo \$\$; tr \"\\0\" \"\\n\" < /proc/1/cmdline
$TAG" "$cmdline"
	run --separate-stderr nook_t run -- cat /proc/1/comm
	expect_eq "pid 1's comm" "$(basename "$NOOK")" "$output"
}

@test "only the sandbox's processes are visible (ps, /proc); a host process is not" {
	start_bg sleep "1000.$TAG"
	local host_pid=$BG_PID
	# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
	run --separate-stderr nook_t run -- sh -c \
		'for d in /proc/[0-9]*; do printf "%s " "${d#/proc/}"; tr "\0" " " < $d/cmdline; echo; done'
	expect_eq "exit status" 0 "$status"
	if grep -q "$TAG" <<<"$output"; then
		echo "the host's 'sleep 1000.$TAG' is visible inside: $output" >&2
		false
	fi
	# pid 1 (nook), 2 (sh) and the subshells of the loop: nothing else.
	local pids
	pids=$(awk '{ print $1 }' <<<"$output" | sort -n | tr '\n' ' ')
	expect_match "pids inside" '^1 2 ([0-9]+ )*$' "$pids"
	[ "${#lines[@]}" -le 4 ] || { echo "too many processes inside: $output" >&2; false; }
	run --separate-stderr nook_t run -- ps -e -o pid=,args=
	expect_eq "exit status" 0 "$status"
	! grep -q "$TAG" <<<"$output" || { echo "ps shows the host's process: $output" >&2; false; }
	# nook's init and ps itself.
	expect_eq "ps -e: processes" 2 "${#lines[@]}"
	kill "$host_pid"
}

@test "/proc is the sandbox's own: its pid namespace, mounted fresh" {
	local host_ns
	host_ns=$(readlink /proc/self/ns/pid)
	run --separate-stderr nook_t run -- sh -c 'readlink /proc/self/ns/pid; readlink /proc/self; stat -f -c %T /proc'
	expect_eq "exit status" 0 "$status"
	[ "${lines[0]}" != "$host_ns" ] || { echo "same pid namespace as the host: $host_ns" >&2; false; }
	# readlink /proc/self: the pid of readlink in the sandbox's namespace, a small number.
	[ "${lines[1]}" -lt 10 ] || { echo "/proc/self is ${lines[1]}: not the sandbox's pid namespace" >&2; false; }
	expect_eq "fs type at /proc" "proc" "${lines[2]}"
}

@test "a zombie reparented to pid 1 is reaped" {
	# The subshell exits at once; its sleep is reparented to pid 1 and exits 0.2 s later.
	run --separate-stderr nook_t run -- sh -c '(sleep 0.2 &); sleep 1; ps -e -o stat=,pid=,args='
	expect_eq "exit status" 0 "$status"
	if grep -q '^Z' <<<"$output"; then
		echo "a zombie remains: $output" >&2
		false
	fi
	# Control: the check sees a zombie when its parent does not reap it (here: a sleep that
	# exec'd over the shell that started the child).
	run --separate-stderr nook_t run -- sh -c '(sleep 0.1 & exec sleep 0.8) & sleep 0.5; ps -e -o stat=,args='
	grep -q '^Z' <<<"$output" || { echo "control: no zombie listed: $output" >&2; false; }
}

@test "many orphans are all reaped" {
	# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
	run --separate-stderr nook_t run -- sh -c \
		'i=0; while [ $i -lt 20 ]; do (true &); i=$((i+1)); done; sleep 0.5; ps -e -o stat= | grep -c ^Z; true'
	expect_eq "exit status" 0 "$status"
	expect_eq "zombies" 0 "$output"
}

# ---- uts ----

@test "the host name is the host's by default, in a UTS namespace of its own; --hostname x sets it; the host's is unchanged" {
	local before
	before=$(uname -n)
	run --separate-stderr nook_t run -- sh -c 'uname -n; cat /proc/sys/kernel/hostname; readlink /proc/self/ns/uts'
	expect_eq "default" "$before $before" "${lines[0]} ${lines[1]}"
	[ "${lines[2]}" != "$(readlink /proc/self/ns/uts)" ] || { echo "the host's UTS namespace" >&2; return 1; }
	run --separate-stderr nook_t run --hostname x -- uname -n
	expect_eq "--hostname x" "x" "$output"
	run --separate-stderr nook_t run --hostname a-b.c9 -- uname -n
	expect_eq "--hostname a-b.c9" "a-b.c9" "$output"
	expect_eq "host's hostname" "$before" "$(uname -n)"
}

@test "root inside cannot change the host name (no CAP_SYS_ADMIN); the host's is unchanged" {
	local before
	before=$(uname -n)
	run --separate-stderr nook_t run --userns=root -- sh -c \
		"$NOOK_PYTHON $NOOK_PYPROBE sethostname evil; uname -n"
	expect_eq "sethostname; uname -n" "EPERM $before" "$(words "$output")"
	expect_eq "host's hostname" "$before" "$(uname -n)"
}

# ---- network ----

@test "only lo exists, and it is UP" {
	run --separate-stderr nook_t run -- sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	expect_eq "interfaces in /proc/net/dev" "lo" "$output"
	if command -v ip >/dev/null; then
		run --separate-stderr nook_t run -- ip -o link
		expect_eq "exit status" 0 "$status"
		expect_eq "ip -o link: lines" 1 "${#lines[@]}"
		expect_match "lo" '^1: lo: <[A-Z_,]*UP[A-Z_,]*>' "$output"
	fi
	run --separate-stderr nook_t run -- sh -c 'ls /proc/sys/net/ipv4/conf'
	expect_eq "ipv4 conf" "all default lo" "$(words "$output")"
}

@test "loopback works inside: a TCP listener and a client on 127.0.0.1" {
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" loopback
	expect_eq "exit status" 0 "$status"
	expect_eq "loopback" "ok hello" "$output"
}

@test "the host's loopback is not reachable: a listener on the host's 127.0.0.1 refuses inside" {
	# A host listener that accepts for at most 15 s, and writes its port.
	start_bg timeout 15 "$NOOK_PYTHON" -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(5)
open(sys.argv[1] + ".tmp", "w").write(str(s.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(15)
while True:
    c, _ = s.accept(); c.close()
' "$T/port" "$TAG"
	wait_for_file "$T/port"
	local port
	port=$(cat "$T/port")
	# Control: from the host, it answers.
	expect_eq "host connect" "ok" "$("$NOOK_PYTHON" "$NOOK_PYPROBE" connect 127.0.0.1 "$port")"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" connect 127.0.0.1 "$port"
	expect_eq "exit status" 0 "$status"
	expect_eq "connect inside" "ECONNREFUSED" "$output"
}

@test "no route out: connecting to a non-loopback address fails at once" {
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" connect 192.0.2.1 80
	expect_eq "exit status" 0 "$status"
	expect_eq "connect 192.0.2.1" "ENETUNREACH" "$output"
}

@test "the network, ipc, uts, cgroup and mount namespaces are new" {
	local ns host inside
	for ns in net ipc uts cgroup mnt pid user; do
		host=$(readlink "/proc/self/ns/$ns")
		inside=$(nook_t run -- readlink "/proc/self/ns/$ns")
		[ -n "$inside" ] && [ "$inside" != "$host" ] ||
			{ echo "$ns namespace: host $host, inside [$inside]" >&2; return 1; }
	done
}

@test "--ipc=host: the host's ipc namespace, the others still new" {
	local ns host inside
	host=$(readlink /proc/self/ns/ipc)
	inside=$(nook_t run --ipc=host -- readlink /proc/self/ns/ipc)
	expect_eq "--ipc=host: the ipc namespace" "$host" "$inside" || return 1
	inside=$(nook_t run --ipc=private -- readlink /proc/self/ns/ipc)
	[ -n "$inside" ] && [ "$inside" != "$host" ] ||
		{ echo "--ipc=private: host $host, inside [$inside]" >&2; return 1; }
	for ns in net uts cgroup mnt pid user; do
		host=$(readlink "/proc/self/ns/$ns")
		inside=$(nook_t run --ipc=host -- readlink "/proc/self/ns/$ns")
		[ -n "$inside" ] && [ "$inside" != "$host" ] ||
			{ echo "--ipc=host: $ns namespace: host $host, inside [$inside]" >&2; return 1; }
	done
}

# ---- exit codes ----

@test "exit codes: 0, 1, 42 and 255 pass through" {
	local code
	for code in 0 1 42 255; do
		run --separate-stderr nook_t run -- sh -c "exit $code"
		expect_eq "exit $code" "$code" "$status"
		# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
		expect_eq "stderr" "" "$stderr"
	done
}

@test "exit codes: a payload killed by SIGTERM gives 143, by SIGKILL 137, by SIGSEGV 139" {
	run --separate-stderr nook_t run -- sh -c 'kill -TERM $$'
	expect_eq "SIGTERM" 143 "$status"
	run --separate-stderr nook_t run -- sh -c 'kill -KILL $$'
	expect_eq "SIGKILL" 137 "$status"
	run --separate-stderr nook_t run -- sh -c 'kill -SEGV $$'
	expect_eq "SIGSEGV" 139 "$status"
}

@test "exit codes: 125 for a bad option and for a setup error" {
	run --separate-stderr nook_t run --bogus -- true
	expect_nook_error 125
	run --separate-stderr nook_t run --bind "$T/missing:/tmp/m" -- true
	expect_nook_error 125
	run --separate-stderr nook_t run --chdir /nonexistent -- true
	expect_nook_error 125
}

@test "exit codes: 126 for a file that cannot be executed" {
	echo 'echo hi' >"$T/noexec"
	chmod 644 "$T/noexec"
	run --separate-stderr nook_t run --ro-bind "$T/noexec:/tmp/noexec" -- /tmp/noexec
	expect_eq "non-executable file" 126 "$status"
	expect_eq "stdout" "" "$output"
	expect_match "stderr" '^nook: .*/tmp/noexec' "$stderr"
	run --separate-stderr nook_t run -- /usr
	expect_eq "a directory" 126 "$status"
	# noexec mount: /dev/shm is a tmpfs without noexec... /proc is noexec.
	run --separate-stderr nook_t run -- /proc/self/status
	expect_eq "a file on a noexec mount" 126 "$status"
}

@test "exit codes: 127 for a missing program (by path and by name)" {
	run -127 --separate-stderr env PATH="$NOOK_CLEAN_PATH" timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" run -- "nook-no-such-program-$TAG"
	expect_eq "by name" 127 "$status"
	expect_eq "stdout" "" "$output"
	expect_match "stderr names it" "^nook: .*nook-no-such-program-$TAG" "$stderr"
	# shellcheck disable=SC2154 # stderr_lines: set by bats's run --separate-stderr
	expect_eq "stderr lines" 1 "${#stderr_lines[@]}"
	run -127 --separate-stderr nook_t run -- /nonexistent/program
	expect_eq "by path" 127 "$status"
}

@test "exit codes: 127 for a missing program even when \$PATH has a directory the caller cannot search" {
	# glibc's execvp remembers EACCES from such a directory and returns it in the end; a
	# shell says "command not found" (127) all the same, and so should nook.
	local locked=/root/bin
	[ -d /root ] && ! [ -x /root ] || skip "needs an unsearchable directory (/root is searchable)"
	run -127 --separate-stderr env PATH="$locked:$NOOK_CLEAN_PATH" bash -c "nook-no-such-program-$TAG"
	expect_eq "control: bash says 127" 127 "$status"
	run -127 --separate-stderr env PATH="$locked:$NOOK_CLEAN_PATH" timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" run -- "nook-no-such-program-$TAG"
	expect_eq "exit status" 127 "$status"
}

@test "a program found on \$PATH inside runs (PATH is the payload's environment)" {
	run --separate-stderr env PATH=/nonexistent:/usr/bin:/bin timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" run -- id -u
	expect_eq "exit status" 0 "$status"
	expect_eq "id -u" "$(id -u)" "$output"
}

# ---- signals ----

# run_signalled SIG TRAP: start nook with a payload that writes $T/out/ready and waits,
# trapping SIG (writing $T/out/got-SIG, exit 0) when TRAP is "trap"; send SIG to nook.
run_signalled() {
	local sig="$1" trap="$2" script
	mkdir -p "$T/out"
	script="touch $T/out/ready; while :; do sleep 0.1; done"
	if [ "$trap" = trap ]; then
		script="trap 'echo $sig > $T/out/got-$sig; exit 0' $sig; $script"
	fi
	start_bg "$NOOK" run --bind "$T/out" -- sh -c "$script" "sleep-$TAG"
	wait_for_file "$T/out/ready"
	kill "-$sig" "$BG_PID"
	wait_status "$BG_PID"
}

@test "SIGTERM to nook reaches the payload: trapped -> marker and exit 0" {
	run_signalled TERM trap
	expect_eq "nook's exit status" 0 "$BG_STATUS"
	expect_eq "marker" "TERM" "$(cat "$T/out/got-TERM" 2>/dev/null)"
	expect_eq "stderr" "" "$(drop_nested_warning <"$T/bg.err")"
}

@test "SIGTERM to nook, untrapped: the payload dies of it, nook exits 143" {
	run_signalled TERM plain
	expect_eq "nook's exit status" 143 "$BG_STATUS"
	wait_no_procs "$TAG"
}

@test "SIGINT, SIGHUP, SIGUSR1, SIGUSR2, SIGQUIT to nook reach the payload" {
	local sig
	for sig in INT HUP USR1 USR2 QUIT; do
		rm -rf "$T/out"
		run_signalled "$sig" trap
		expect_eq "SIG$sig: nook's exit status" 0 "$BG_STATUS"
		expect_eq "SIG$sig: marker" "$sig" "$(cat "$T/out/got-$sig" 2>/dev/null)"
	done
}

@test "SIGINT and SIGHUP to nook, untrapped: 130 and 129" {
	run_signalled HUP plain
	expect_eq "SIGHUP" 129 "$BG_STATUS"
	rm -rf "$T/out"
	run_signalled INT plain
	expect_eq "SIGINT" 130 "$BG_STATUS"
}

@test "SIGKILL to nook leaves no process of the sandbox alive" {
	mkdir -p "$T/out"
	start_bg "$NOOK" run --bind "$T/out" -- sh -c "sleep 1000.$TAG & touch $T/out/ready; exec sleep 1001.$TAG"
	wait_for_file "$T/out/ready"
	# Both sleeps run: the test would see them survive.
	local i
	for ((i = 0; i < 50; i++)); do
		pgrep -u "$(id -u)" -f "^sleep 1001.$TAG" >/dev/null && break
		sleep 0.1
	done
	expect_match "payload before the kill" '[0-9]' "$(pgrep -u "$(id -u)" -f "^sleep 100[01].$TAG" | tr '\n' ' ')"
	kill -KILL "$BG_PID"
	wait_status "$BG_PID"
	expect_eq "nook's status" 137 "$BG_STATUS"
	wait_no_procs "$TAG" 50
}

@test "when the payload exits, what it left running in the sandbox is killed too" {
	run --separate-stderr nook_t run -- sh -c "sleep 1000.$TAG & sleep 1001.$TAG & exit 0"
	expect_eq "exit status" 0 "$status"
	# nook returned: nothing of the sandbox may be left, not even for a moment.
	local left
	left=$(procs_matching "$TAG")
	[ -z "$left" ] || { ps -o pid,stat,args -p "$(words "$left" | tr ' ' ,)" >&2; false; }
}

@test "a daemonized grandchild (setsid, double fork) is killed too" {
	run --separate-stderr nook_t run -- sh -c \
		"setsid sh -c 'sleep 1000.$TAG & exit 0' </dev/null >/dev/null 2>&1; sleep 0.2; exit 3"
	expect_eq "exit status" 3 "$status"
	local left
	left=$(procs_matching "$TAG")
	[ -z "$left" ] || { ps -o pid,stat,args -p "$(words "$left" | tr ' ' ,)" >&2; false; }
}

@test "nook's exit status is the payload's, not that of a process it left behind" {
	run --separate-stderr nook_t run -- sh -c "(sleep 0.3; exit 9) & exit 4"
	expect_eq "exit status" 4 "$status"
}

@test "the payload cannot kill nook's init (SIGKILL to pid 1, even as root inside)" {
	run --separate-stderr nook_t run --userns=root -- sh -c \
		'kill -KILL 1; sleep 0.3; kill -0 1 && echo alive'
	expect_eq "exit status" 0 "$status"
	expect_eq "output" "alive" "$output"
}

# ---- one instance ----

@test "--single-instance: refused (125, one line) while the program holds its lock outside nook; a sandbox's own pid or a dead one is no obstacle" {
	local lock="$BATS_TEST_TMPDIR/lock" tag sp
	tag="5.$(unique_tag)"
	sleep "$tag" &
	sp=$!
	ln -s "$(uname -n)-$sp" "$lock"
	run --separate-stderr nook_t run -q --single-instance="$lock" -- sleep 0
	kill "$sp"
	wait "$sp" || true
	expect_eq "exit status" 125 "$status" || return 1
	expect_eq "one line" 1 "${#stderr_lines[@]}" || return 1
	expect_match "names the program, its pid and the lock" "^nook: sleep already runs outside nook \\(pid $sp, its lock $lock\\)" "$stderr" || return 1
	# Another program holding it: not this one's lock.
	sleep "$tag" &
	sp=$!
	ln -sfn "$(uname -n)-$sp" "$lock"
	run --separate-stderr nook_t run -q --single-instance="$lock" -- true
	kill "$sp"
	wait "$sp" || true
	expect_eq "another program's pid: runs" 0 "$status" || return 1
	# What a sandboxed instance writes (its own pid 2), and a dead pid: runs.
	for target in "$(uname -n)-2" "127.0.0.1:+$sp"; do
		ln -sfn "$target" "$lock"
		run --separate-stderr nook_t run -q --single-instance="$lock" -- sleep 0
		expect_eq "lock -> $target: runs" 0 "$status" || return 1
	done
	run --separate-stderr nook_t run -q --single-instance= -- true
	expect_eq "empty value: exit status" 125 "$status"
}
