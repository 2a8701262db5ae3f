#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Isolation from the caller's own session: a private /run and runtime dir with only the
# granted sockets, an environment that matches, no host groups, bounded tmpfs and processes.
# Each attempt is made for real, as the unprivileged user, against things set up here.
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# PIDS and MADE are each test's own: setup() empties them, teardown() reads them.
# shellcheck disable=SC2030,SC2031
# stderr and stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	# The shipped profiles, as installed.
	export NOOK_PROFILE_DIR="$NOOK_SRC/profiles"
	RT="/run/user/$(id -u)"
	MADE=()
	PIDS=()
	DIRS=()
	lock_runtime_dir
}

teardown() {
	local p f
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for f in "${MADE[@]}"; do
		rm -rf -- "$f"
	done
	# The directories listen() made for its sockets, deepest first, if empty.
	for f in "${DIRS[@]}"; do
		rmdir -- "$f" 2>/dev/null || true
	done
	return 0
}

# The session's runtime dir must exist (a desktop login makes it; helpers/run-tests makes it
# for the test user). Without it these tests would test nothing: fail under CI, skip by hand.
need_runtime_dir() {
	if [ -d "$RT" ] && [ -w "$RT" ]; then
		return 0
	fi
	[ -z "${CI:-}" ] || { echo "$RT is missing: helpers/run-tests must create it" >&2; return 1; }
	skip "$RT does not exist or is not writable (no login session)"
}

# listen PATH: a unix socket listening at PATH (made for this test, removed after).
listen() {
	local path="$1"
	[ ! -e "$path" ] || { echo "$path exists already: not replacing it" >&2; return 1; }
	local dir
	dir=$(dirname -- "$path")
	if [ ! -d "$dir" ]; then
		mkdir -p -- "$dir"
		DIRS=("$dir" "${DIRS[@]}")
	fi
	"$NOOK_PYTHON" -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
open(sys.argv[1] + ".ready", "w").close()
time.sleep(60)' "$path" &
	PIDS+=("$!")
	MADE+=("$path" "$path.ready")
	wait_for_file "$path.ready" || { echo "no listener at $path" >&2; return 1; }
	rm -f -- "$path.ready"
}

probe() {
	nook_t run --noprofile "$@"
}

@test "the host's /run/user/UID: systemd's manager and unknown sockets are unreachable" {
	need_runtime_dir
	listen "$RT/systemd/private"
	listen "$RT/nvim.1234.0"
	# The control: the listeners answer outside.
	expect_eq "outside: systemd/private" ok "$("$NOOK_PYTHON" "$NOOK_PYPROBE" unix "$RT/systemd/private")"
	run --separate-stderr probe -- "$NOOK_PYTHON" "$NOOK_PYPROBE" unix "$RT/systemd/private"
	expect_eq "exit status" 0 "$status"
	expect_eq "inside: systemd/private" ENOENT "$output"
	run --separate-stderr probe -- "$NOOK_PYTHON" "$NOOK_PYPROBE" unix "$RT/nvim.1234.0"
	expect_eq "inside: an editor's server socket" ENOENT "$output"
	# Under a profile too (the default one), and with XDG_RUNTIME_DIR pointing there.
	run --separate-stderr env XDG_RUNTIME_DIR="$RT" "$NOOK" run --profile=default -- \
		"$NOOK_PYTHON" "$NOOK_PYPROBE" unix "$RT/systemd/private"
	expect_eq "default.profile: systemd/private" ENOENT "$output"
}

@test "the runtime dir inside is private, the user's, writable (dconf), and XDG_RUNTIME_DIR names it" {
	run --separate-stderr env -u XDG_RUNTIME_DIR "$NOOK" run --noprofile -- sh -c \
		'echo "$XDG_RUNTIME_DIR"; stat -c "%a %u" "$XDG_RUNTIME_DIR"; mkdir "$XDG_RUNTIME_DIR/dconf" && echo x >"$XDG_RUNTIME_DIR/dconf/user" && echo written; ls -A "$XDG_RUNTIME_DIR"'
	expect_eq "exit status" 0 "$status"
	expect_eq "inside" "$RT
700 $(id -u)
written
dconf" "$output"
	[ ! -e "$RT/dconf/user" ] || [ "$(cat "$RT/dconf/user")" != x ] ||
		{ echo "the sandbox's dconf/user reached the host" >&2; return 1; }
}

@test "granted sockets are there: the session bus unless --nodbus, sound unless --nosound" {
	need_runtime_dir
	listen "$RT/bus"
	listen "$RT/pipewire-0"
	local check='for s in bus pipewire-0; do printf "%s=%s " "$s" "$("$0" "$1" unix "$2/$s")"; done'
	run --separate-stderr probe -- sh -c "$check" "$NOOK_PYTHON" "$NOOK_PYPROBE" "$RT"
	expect_eq "granted" "bus=ok pipewire-0=ok " "$output"
	run --separate-stderr probe --nodbus -- sh -c "$check" "$NOOK_PYTHON" "$NOOK_PYPROBE" "$RT"
	expect_eq "--nodbus" "bus=ENOENT pipewire-0=ok " "$output"
	run --separate-stderr probe --nosound --dbus-user=none -- sh -c "$check" "$NOOK_PYTHON" "$NOOK_PYPROBE" "$RT"
	expect_eq "--nosound --dbus-user=none" "bus=ENOENT pipewire-0=ENOENT " "$output"
}

@test "a whitelist under \${RUNUSER} brings that socket in, nothing else" {
	need_runtime_dir
	listen "$RT/gnupg/S.gpg-agent"
	listen "$RT/keyring/ssh"
	run --separate-stderr probe --whitelist="$RT/keyring/ssh" -- sh -c \
		'"$0" "$1" unix "$2/keyring/ssh"; "$0" "$1" unix "$2/gnupg/S.gpg-agent"; "$0" "$1" unix "$2/bus"' \
		"$NOOK_PYTHON" "$NOOK_PYPROBE" "$RT"
	expect_eq "exit status" 0 "$status"
	expect_eq "whitelisted, not, not granted here" "ok
ENOENT
ENOENT" "$output"
}

@test "ssh-agent: its socket and SSH_AUTH_SOCK stay outside (no profile, default, make, python3)" {
	local sock="$BATS_TEST_TMPDIR/agent.sock" out
	ssh-agent -a "$sock" -s >"$BATS_TEST_TMPDIR/agent.env"
	PIDS+=("$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$BATS_TEST_TMPDIR/agent.env")")
	# An agent in /tmp, as ssh-agent makes it by default, and one in the runtime dir.
	local tmpdir sock2
	tmpdir=$(mktemp -d /tmp/ssh-nooktest.XXXXXX)
	MADE+=("$tmpdir")
	sock2="$tmpdir/agent.1"
	ssh-agent -a "$sock2" -s >"$BATS_TEST_TMPDIR/agent2.env"
	PIDS+=("$(sed -n 's/^SSH_AGENT_PID=\([0-9]*\);.*/\1/p' "$BATS_TEST_TMPDIR/agent2.env")")
	SSH_AUTH_SOCK="$sock2" ssh-add -l >/dev/null 2>&1 || [ $? -eq 1 ] ||
		{ echo "the control agent does not answer" >&2; return 1; }
	for prof in --noprofile --profile=default --profile=make --profile=python3; do
		run --separate-stderr env SSH_AUTH_SOCK="$sock2" "$NOOK" run -q "$prof" -- \
			sh -c 'echo "[${SSH_AUTH_SOCK-unset}]"; ssh-add -l; echo "rc=$?"'
		expect_eq "$prof: SSH_AUTH_SOCK inside" "[unset]" "${lines[0]}"
		expect_eq "$prof: ssh-add -l cannot reach an agent (status 2)" "rc=2" "${lines[-1]}"
		# Named explicitly, the socket is still not there.
		out=$(SSH_AUTH_SOCK="$sock2" "$NOOK" run -q "$prof" --env-keep=SSH_AUTH_SOCK -- \
			sh -c 'ssh-add -l >/dev/null 2>&1; echo "rc=$?"')
		expect_eq "$prof: with the variable kept, the socket in /tmp is still not there" "rc=2" "$out"
	done
}

@test "--dry-run lists each removed variable with its reason" {
	run --separate-stderr env SSH_AUTH_SOCK=/tmp/ssh-x/agent.1 SSH_AGENT_PID=12 \
		WAYLAND_DISPLAY=wayland-0 DBUS_SESSION_BUS_ADDRESS="unix:path=$RT/bus" \
		"$NOOK" run --noprofile --nodbus --dry-run -- true
	expect_eq "exit status" 0 "$status"
	expect_line "SSH_AUTH_SOCK" "env-removed SSH_AUTH_SOCK ssh-agent's socket is not in the sandbox" "$output"
	expect_line "SSH_AGENT_PID" "env-removed SSH_AGENT_PID ssh-agent's socket is not in the sandbox" "$output"
	expect_line "WAYLAND_DISPLAY" "env-removed WAYLAND_DISPLAY the Wayland socket is not granted (--wayland)" "$output"
	expect_line "DBUS_SESSION_BUS_ADDRESS" "env-removed DBUS_SESSION_BUS_ADDRESS the session bus is not granted" "$output"
	expect_line "XDG_RUNTIME_DIR" "env XDG_RUNTIME_DIR=$RT" "$output"
	run --separate-stderr env SSH_AUTH_SOCK=/tmp/ssh-x/agent.1 "$NOOK" run --noprofile \
		--env-keep=SSH_AUTH_SOCK --dry-run -- true
	expect_line "--env-keep keeps it" "env SSH_AUTH_SOCK=/tmp/ssh-x/agent.1" "$output"
}

@test "--clearenv, --env-keep, --env-file build the environment; bad input is one line, 125" {
	printf 'A=1\n# a comment\n\nB=two words=x\n' >ok.env
	run --separate-stderr env KEEP=k DROP=d "$NOOK" run --noprofile --clearenv --env-keep=KEEP \
		--env-file=ok.env --env=A=3 -- /usr/bin/env
	expect_eq "exit status" 0 "$status"
	expect_eq "environment" "KEEP=k
A=3
B=two words=x" "$output"
	printf 'A=1\nnot a variable\n' >bad.env
	run --separate-stderr "$NOOK" run --noprofile --env-file=bad.env -- true
	expect_eq "malformed: exit status" 125 "$status"
	expect_eq "malformed: message" "nook: --env-file: $BATS_TEST_TMPDIR/bad.env:2: not KEY=VALUE" "$stderr"
	run --separate-stderr "$NOOK" run --noprofile --env-file=missing.env -- true
	expect_eq "missing: exit status" 125 "$status"
	expect_eq "missing: message" "nook: --env-file: $BATS_TEST_TMPDIR/missing.env: No such file or directory" "$stderr"
	for bad in --env-keep= --env-keep=A=1 --tmpfs-size=0 --tmpfs-size=big --shm-size=1x \
		--pids-limit=many --tmpfs=/tmp/x:mode=1; do
		run --separate-stderr "$NOOK" run --noprofile "$bad" -- true
		expect_eq "$bad: exit status" 125 "$status"
		expect_match "$bad: one line naming the option" "^nook: ${bad%%=*}" "$stderr"
		expect_eq "$bad: one line" 1 "${#stderr_lines[@]}"
	done
}

# helpers/run-tests (as root) gives the test user a supplementary group and a file only that
# group may read, as the docker socket is: NOOK_TEST_GROUP_FILE.
@test "no host groups inside: a group-only file is unreadable, unless --keep-groups" {
	local f="${NOOK_TEST_GROUP_FILE:-}" n
	if [ "${NOOK_TEST_NESTED:-}" = 1 ] && [ "$(id -G | wc -w)" -eq 1 ]; then
		lacks --nested "the sandbox around nook left the caller its own group only"
	fi
	if [ -z "$f" ] || [ ! -e "$f" ]; then
		[ -z "${CI:-}" ] || { echo "NOOK_TEST_GROUP_FILE is not set up: helpers/run-tests does it" >&2; return 1; }
		skip "no NOOK_TEST_GROUP_FILE (helpers/run-tests, as root, makes one)"
	fi
	cat "$f" >/dev/null || { echo "the control: the group cannot read $f outside" >&2; return 1; }
	run --separate-stderr probe -- sh -c 'cat "$0"; id -G' "$f"
	expect_match "inside: refused" "Permission denied" "$stderr"
	expect_eq "inside: only the own group" "$(id -g)" "$output"
	run --separate-stderr probe --keep-groups -- cat "$f"
	expect_eq "--keep-groups: exit status" 0 "$status"
	run --separate-stderr probe --dry-run -- true
	expect_line "spec" "groups own" "$output"
	# A single-id namespace cannot drop them: it says so, once.
	n=$(($(id -G | wc -w) - 1))
	run --separate-stderr probe --userns=single -- true
	expect_eq "single: a warning" "nook: warning: --userns=single: the sandbox keeps your $n supplementary group$([ "$n" -eq 1 ] || echo s) (a single-id namespace cannot drop them; see 'nook doctor')" "$stderr"
}

@test "/tmp, /dev, /dev/shm and --tmpfs are bounded: a dd stops at the size" {
	# /dev is the payload's own with --userns=single: it stops at 1 MiB, and at 1024 files.
	run --separate-stderr probe --userns=single -- sh -c \
		'dd if=/dev/zero of=/dev/fill bs=64k count=100 2>/dev/null; du -k /dev/fill | cut -f1; i=0; while [ $i -lt 2000 ] && true >/dev/f$i 2>/dev/null; do i=$((i + 1)); done; [ $i -lt 1024 ] && echo "files stopped"'
	expect_eq "--userns=single: /dev: no space past 1 MiB, no inode past 1024" "1024
files stopped" "$output"
	run --separate-stderr probe -- sh -c \
		'dd if=/dev/zero of=/dev/shm/fill bs=1M count=100 2>&1 | grep -c "No space left"; du -m /dev/shm/fill | cut -f1'
	expect_eq "/dev/shm: no space past 64m" "1
64" "$output"
	run --separate-stderr probe --tmpfs-size=8m --tmpfs=/tmp/small:size=2m -- sh -c \
		'dd if=/dev/zero of=/tmp/fill bs=1M count=20 2>/dev/null; du -m /tmp/fill | cut -f1; dd if=/dev/zero of=/tmp/small/fill bs=1M count=20 2>/dev/null; du -m /tmp/small/fill | cut -f1'
	expect_eq "--tmpfs-size=8m /tmp, --tmpfs size=2m" "8
2" "$output"
	run --separate-stderr probe -- df -k /tmp
	expect_match "/tmp: 1 GiB by default" " 1048576 " "${lines[1]}"
}

@test "a fork loop stops at the sandbox's process limit; the default is 4096" {
	run --separate-stderr probe -- awk '/^Max processes/ { print $3, $4 }' /proc/self/limits
	expect_eq "default limit (soft, hard)" "4096 4096" "$output"
	# 60 forks against a limit of 20: a fork fails (EAGAIN) well before.
	run --separate-stderr probe --pids-limit=20 -- "$NOOK_PYTHON" -c 'import os, time
n = 0
for i in range(60):
    try:
        pid = os.fork()
    except OSError as e:
        print("fork failed:", e.strerror)
        break
    if pid == 0:
        time.sleep(20)
        os._exit(0)
    n += 1
print(n)'
	expect_eq "the loop hit the limit" "fork failed: Resource temporarily unavailable" "${lines[0]:-}"
	[ "${lines[1]:-99}" -lt 20 ] || { echo "started ${lines[1]:-?} processes under a limit of 20" >&2; return 1; }
	# The user's own processes outside are not what counts: a new sandbox still starts.
	run --separate-stderr probe --pids-limit=20 -- true
	expect_eq "another sandbox starts" 0 "$status"
}

@test "slirp4netns's API socket is in no sandbox's view while ports are published" {
	need_runtime_dir
	local tag port
	tag="3.$(unique_tag)"
	port=$((20000 + RANDOM % 20000))
	XDG_RUNTIME_DIR="$RT" "$NOOK" run --noprofile -p "$port:80" -- sleep "$tag" 3>&- &
	PIDS+=("$!")
	# Wait for slirp4netns (the API socket exists while the ports are being added).
	local i
	for ((i = 0; i < 100; i++)); do
		pgrep -u "$(id -u)" -fx -- "sleep $tag" >/dev/null && break
		sleep 0.05
	done
	run --separate-stderr env XDG_RUNTIME_DIR="$RT" "$NOOK" run --noprofile -- \
		sh -c 'ls -A "$XDG_RUNTIME_DIR"; find /run /tmp -name "slirp*" 2>/dev/null'
	expect_eq "another sandbox sees nothing of nook's" "" "$output"
	[ ! -d "$RT/nook" ] || [ "$(stat -c %a "$RT/nook")" = 700 ] ||
		{ echo "$RT/nook is not 0700" >&2; return 1; }
}

@test "a bound home under default.profile: blacklisted paths cannot be made inside, and leave no trace" {
	local home="$BATS_TEST_TMPDIR/home" before after
	# nook's own directories (made to be hidden) are there already, as after any first run.
	mkdir -p "$home/.config/nook" "$home/.local/share/nook" "$home/proj"
	echo keep >"$home/proj/file"
	before=$(cd "$home" && find . | LC_ALL=C sort)
	run --separate-stderr env HOME="$home" "$NOOK" run --profile=default --bind="$home" -- sh -c \
		'for p in .netrc .bash_history .git-credentials .config/gh; do
			if mkdir "$HOME/$p" 2>/dev/null || touch "$HOME/$p" 2>/dev/null; then echo "made $p"; fi
		done; echo ran'
	expect_eq "exit status" 0 "$status"
	expect_eq "inside: none of them could be made" "ran" "$output"
	after=$(cd "$home" && find . | LC_ALL=C sort)
	expect_eq "the home after the sandbox" "$before" "$after"
	# The same after a failure inside (the payload killed by a signal).
	run --separate-stderr env HOME="$home" "$NOOK" run --profile=default --bind="$home" -- \
		sh -c 'kill -KILL $$'
	expect_eq "killed: exit status" 137 "$status"
	after=$(cd "$home" && find . | LC_ALL=C sort)
	expect_eq "the home after a killed payload" "$before" "$after"
	# And after nook itself is killed with SIGKILL, once the sandbox is gone.
	local tag i pid
	tag="4.$(unique_tag)"
	env HOME="$home" "$NOOK" run --profile=default --bind="$home" -- sleep "$tag" 3>&- &
	pid=$!
	# The placeholder shows on the host while pid 1 builds the mounts; killed right then.
	for ((i = 0; i < 2000; i++)); do
		[ -e "$home/.netrc" ] && break
		sleep 0.005
	done
	[ -e "$home/.netrc" ] || { echo "no placeholder while the sandbox runs: nothing tested" >&2; return 1; }
	kill -KILL "$pid"
	wait "$pid" || true
	# Bounded: 15 s (a loaded machine delays the guard, which acts once pid 1 is gone).
	for ((i = 0; i < 300; i++)); do
		after=$(cd "$home" && find . | LC_ALL=C sort)
		[ "$before" = "$after" ] && break
		sleep 0.05
	done
	expect_eq "the home after nook was killed" "$before" "$after"
}

# More placeholders than the socket to the guard holds, and than the fds a process may have:
# each reaches the guard (pid 1 waits for room) in one directory's fd, and each goes.
@test "a thousand blacklisted paths that do not exist in a writable bind: none can be made inside, none is left" {
	local w="$BATS_TEST_TMPDIR/w" i
	mkdir "$w"
	for ((i = 0; i < 1000; i++)); do
		printf 'blacklist %s/p%d\n' "$w" "$i"
	done >"$BATS_TEST_TMPDIR/many.profile"
	run --separate-stderr timeout -k 5 60 "$NOOK" run -q --profile="$BATS_TEST_TMPDIR/many.profile" \
		--bind="$w" -- sh -c 'for p in p0 p500 p999; do
			if mkdir "$1/$p" 2>/dev/null || touch "$1/$p" 2>/dev/null; then echo "made $p"; fi
		done; echo ran' sh "$w"
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "inside: none of them could be made" "ran" "$output" || return 1
	expect_eq "left in the bound directory" "0" "$(find "$w" -mindepth 1 | wc -l)"
}

# Wait (bounded: 10 s) until file $1 exists.
wait_file() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.05
	done
	echo "$1 never appeared" >&2
	return 1
}

@test "a placeholder two sandboxes mask stays while either runs, holds the second's mask, and goes with the last" {
	local w="$BATS_TEST_TMPDIR/w" a b i
	mkdir -p "$w"
	"$NOOK" run -q --bind="$w" --blacklist="$w/future" -- \
		sh -c "touch $w/a-ready; while [ ! -e $w/a-go ]; do sleep 0.05; done" 3>&- &
	a=$!
	wait_file "$w/a-ready" || return 1
	[ -d "$w/future" ] || { echo "no placeholder while the first runs: nothing tested" >&2; return 1; }
	"$NOOK" run -q --bind="$w" --blacklist="$w/future" -- \
		sh -c "touch $w/b-ready; while [ ! -e $w/b-go ]; do sleep 0.05; done
			mkdir $w/future/x 2>/dev/null && echo made || echo denied" >"$w/b-out" 3>&- &
	b=$!
	wait_file "$w/b-ready" || return 1
	touch "$w/a-go"
	wait "$a"
	# The first one's guard has had its chance to remove it (it acts within milliseconds).
	sleep 1
	[ -d "$w/future" ] || { echo "the first sandbox's end removed the placeholder under the second's mask" >&2; return 1; }
	touch "$w/b-go"
	wait "$b"
	expect_eq "the second sandbox, after the first ended, still cannot create the path" "denied" "$(cat "$w/b-out")" || return 1
	for ((i = 0; i < 100; i++)); do
		[ -e "$w/future" ] || break
		sleep 0.05
	done
	[ ! -e "$w/future" ] || { echo "left on the host after both ended: $(ls -la "$w")" >&2; return 1; }
}

@test "another sandbox of the user that does not use a placeholder does not keep it" {
	local w="$BATS_TEST_TMPDIR/w" other i
	mkdir -p "$w"
	"$NOOK" run -q -- sh -c "touch $w/other-ready; while [ ! -e $w/other-go ]; do sleep 0.05; done" 3>&- &
	other=$!
	wait_file "$w/other-ready" || return 1
	run --separate-stderr "$NOOK" run -q --bind="$w" --blacklist="$w/future" -- true
	expect_eq "exit status" 0 "$status" || { touch "$w/other-go"; return 1; }
	for ((i = 0; i < 100; i++)); do
		[ -e "$w/future" ] || break
		sleep 0.05
	done
	touch "$w/other-go"
	wait "$other"
	[ ! -e "$w/future" ] || { echo "left on the host while an unrelated sandbox ran" >&2; return 1; }
}
