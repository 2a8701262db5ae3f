#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Escape attempts from a default sandbox. Each denial is checked for the errno the filter gives
# (EPERM, or ENOSYS for clone3 and foreign architectures), and next to it a run where the rule
# is off shows the same probe going through: a test here can fail.
load ../lib/common
load helpers

# ---- the default deny list ----

@test "the default deny list holds every family of the policy" {
	local list name missing=()

	list=" $(default_deny_list) "
	for name in keyctl add_key request_key bpf perf_event_open userfaultfd \
		io_uring_setup io_uring_enter io_uring_register kexec_load kexec_file_load \
		init_module finit_module delete_module open_by_handle_at mount umount2 pivot_root \
		chroot fsopen fsconfig fsmount fspick move_mount open_tree mount_setattr setns \
		acct swapon swapoff reboot syslog iopl ioperm quotactl quotactl_fd; do
		[[ "$list" == *" $name "* ]] || missing+=("$name")
	done
	expect_eq "names missing from the seccomp-deny line" "" "${missing[*]}"

	run "$NOOK" run --dry-run -- true
	check_probe 0 'seccomp on action=errno arch=native' \
		'seccomp-deny-namespaces clone unshare' 'seccomp-enosys clone3' \
		'seccomp-enosys-unknown' 'seccomp-deny-socket vsock' \
		'seccomp-deny-ioctl TIOCSTI TIOCLINUX' 'seccomp-deny-personality .*ADDR_NO_RANDOMIZE.*'
}

@test "every call of the default deny list is refused with EPERM" {
	local list n

	list=$(default_deny_list)
	n=$(wc -w <<<"$list")
	[ "$n" -gt 30 ]
	# shellcheck disable=SC2086 # one argument per system call of the list
	run sandbox -- syscall $list
	check_probe 0
	expect_eq "calls refused with EPERM (of $n)" "$n" "$(count_lines 'DENIED [a-z0-9_]+ errno=EPERM')"
}

@test "the EPERM comes from the filter: with the kill action each call dies of SIGSYS" {
	local list n

	# Many of these are EPERM in the kernel too (no capability); only a kill tells them apart.
	list=$(default_deny_list)
	n=$(wc -w <<<"$list")
	# shellcheck disable=SC2086 # one argument per system call of the list
	run sandbox --seccomp-error-action=kill -- syscalls $list
	check_probe 0
	expect_eq "calls killed by SIGSYS (of $n)" "$n" "$(count_lines 'KILLED [a-z0-9_]+ signal=SIGSYS')"
}

@test "the deny list still holds as root inside (--userns=root)" {
	local list n

	list=$(default_deny_list)
	n=$(wc -w <<<"$list")
	# shellcheck disable=SC2086 # one argument per system call of the list
	run sandbox --userns=root --seccomp-error-action=kill -- syscalls $list
	check_probe 0
	expect_eq "calls killed by SIGSYS as root inside (of $n)" "$n" \
		"$(count_lines 'KILLED [a-z0-9_]+ signal=SIGSYS')"
}

@test "control: with --seccomp=off the same calls reach the kernel" {
	need_unfiltered 'ALLOWED keyctl ret=-1 errno=EOPNOTSUPP' syscall keyctl
	# shellcheck disable=SC2046 # one argument per system call of the list
	run sandbox --seccomp=off -- syscall $(default_deny_list)
	check_probe 1 'ALLOWED keyctl ret=-1 errno=EOPNOTSUPP' 'ALLOWED mount ret=-1 errno=EFAULT' \
		'ALLOWED bpf ret=-1 errno=E[A-Z]+' 'ALLOWED setns ret=-1 errno=EBADF'
}

@test "ordinary calls still work: getpid, openat, read, socket(AF_UNIX), mmap, fork, unshare(0)" {
	run sandbox -- ordinary
	check_probe 1 'ALLOWED getpid ret=2' 'ALLOWED openat ret=[0-9]+' 'ALLOWED read ret=[1-9][0-9]*' \
		'ALLOWED socket-unix ret=[0-9]+' 'ALLOWED mmap-rw ret=0' 'ALLOWED clone-fork ret=0' \
		'ALLOWED unshare-0 ret=0' 'ALLOWED unshare-files ret=0'
	check_no_line '.*errno=.*'
	check_no_line 'DENIED.*'
}

# ---- system calls newer than libseccomp ----

@test "a call libseccomp does not know (467, open_tree_attr) answers ENOSYS, as every number above" {
	require_nr_467
	run sandbox -- nr 467 470 600 1000 100000 1073741823
	check_probe 0 'DENIED nr\(467\) errno=ENOSYS' 'DENIED nr\(470\) errno=ENOSYS' \
		'DENIED nr\(1000\) errno=ENOSYS' 'DENIED nr\(1073741823\) errno=ENOSYS'
	expect_eq "numbers answering ENOSYS (of 6)" 6 "$(count_lines 'DENIED nr\([0-9]+\) errno=ENOSYS')"
	# Whatever the error action: ENOSYS makes programs fall back, as on an older kernel.
	run sandbox --seccomp-error-action=kill -- nr 467
	check_probe 0 'DENIED nr\(467\) errno=ENOSYS'
	run sandbox -- ordinary
	check_no_line 'DENIED.*'
}

@test "control: with --seccomp=off, or --seccomp-allow=467, call 467 reaches the kernel" {
	require_nr_467
	run sandbox --seccomp=off -- nr 467
	check_probe 1 'ALLOWED nr\(467\) ret=-1 errno=E[A-Z]+'
	check_no_line '.*errno=(ENOSYS|EPERM)'
	run sandbox --seccomp-allow=467 -- nr 467 470
	check_probe 1 'ALLOWED nr\(467\) ret=-1 errno=E[A-Z]+' 'DENIED nr\(470\) errno=ENOSYS'
}

@test "--seccomp-drop=467: EPERM, SIGSYS with the kill action; with --seccomp=off only it" {
	run sandbox --seccomp-drop=467 -- nr 467
	check_probe 0 'DENIED nr\(467\) errno=EPERM'
	run sandbox --seccomp-drop=467 --seccomp-error-action=kill -- nr 467
	expect_eq "nook's status when the filter kills call 467" 159 "$status"
	# getcwd (79) with a bad buffer is ERANGE in the kernel: the filter holds only 467.
	run sandbox --seccomp=off --seccomp-drop=467 -- nr 467 79
	check_probe 1 'DENIED nr\(467\) errno=EPERM' 'ALLOWED nr\(79\) ret=-1 errno=ERANGE'
}

@test "x32 (--allow-secondary-arch): 467 | 0x40000000 answers ENOSYS" {
	[ "$(uname -m)" = x86_64 ] || skip "x32 exists only on x86_64"
	local out

	out=$("$PROBE" x32-getpid 2>&1) || true
	[[ "$out" == "ALLOWED x32-getpid "* ]] || skip "no x32 in this kernel: $out (tests/unit/seccomp.c runs the filter on x32 numbers)"
	run sandbox --allow-secondary-arch -- x32-nr 467
	check_probe 0 'DENIED x32-nr\(467\) errno=ENOSYS'
	run sandbox --seccomp=off -- x32-nr 467
	check_probe 1 'ALLOWED x32-nr\(467\) ret=-1 errno=E[A-Z]+'
}

# ---- AF_VSOCK: the host's, whatever the network namespace ----

@test "socket(AF_VSOCK) fails with EAFNOSUPPORT unless --net=host" {
	run sandbox -- socket vsock
	check_probe 0 'DENIED socket-vsock errno=EAFNOSUPPORT'
	# A kernel without vsock says EAFNOSUPPORT too: the kill action shows it is the filter.
	run sandbox --seccomp-error-action=kill -- socket vsock
	expect_eq "nook's status when the filter kills socket(AF_VSOCK)" 159 "$status"
	run "$NOOK" run --dry-run -- true
	check_probe 0 'seccomp-deny-socket vsock'
	run "$NOOK" run --dry-run --net=host -- true
	check_no_line 'seccomp-deny-socket.*'
	# Other families are not affected.
	run sandbox -- socket unix
	check_probe 1 'ALLOWED socket-unix ret=[0-9]+'
}

@test "control: with --net=host socket(AF_VSOCK) is made" {
	local out

	out=$("$PROBE" socket vsock 2>&1) || true
	[[ "$out" == "ALLOWED socket-vsock "* ]] || skip "no AF_VSOCK on this host: $out"
	run sandbox --net=host -- socket vsock
	check_probe 1 'ALLOWED socket-vsock ret=[0-9]+'
	run sandbox --net=host --seccomp-error-action=kill -- socket vsock
	check_probe 1 'ALLOWED socket-vsock ret=[0-9]+'
}

# ---- the host's abstract unix sockets (--net=host) ----

# abstract_listener NAME: listen on the host's abstract unix socket @NAME, in the background
# (teardown ends it), and wait until it is there.
abstract_listener() {
	python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind("\0" + sys.argv[1])
s.listen(16)
print("ready", flush=True)
time.sleep(60)' "$1" >"$BATS_TEST_TMPDIR/listener" 3>&- &
	BG_PID=$!
	for _ in $(seq 100); do
		[ "$(cat "$BATS_TEST_TMPDIR/listener")" = ready ] && return 0
		sleep 0.05
	done
	echo "the listener on @$1 never became ready" >&2
	return 1
}

require_landlock_scope() {
	"$NOOK" run -q --net=host --dry-run -- true | grep -qx 'landlock scope abstract-unix-socket' ||
		skip "no Landlock ABI 6 (Linux 6.12) on this kernel (see nook doctor)"
}

@test "--net=host: the host's abstract unix sockets (an X server's name) are out of reach" {
	local name

	require_landlock_scope
	name="/tmp/.X11-unix/X$((70000 + RANDOM))"
	abstract_listener "$name"
	run sandbox --net=host -- connect-abstract "$name"
	check_probe 0 "DENIED connect-abstract\\(@$name\\) errno=EPERM"
	run sandbox --net=host --userns=root -- connect-abstract "$name"
	check_probe 0 "DENIED connect-abstract\\(@$name\\) errno=EPERM"
	# Control: the same probe outside any sandbox connects.
	run "$PROBE" connect-abstract "$name"
	check_probe 1 "ALLOWED connect-abstract\\(@$name\\) ret=0"
	# Inside, abstract sockets between the sandbox's own processes still work.
	run sandbox --net=host -- abstract-pair "nook-pair-$$-$RANDOM"
	check_probe 1 'ALLOWED abstract-pair\(@nook-pair-[0-9-]+\) ret=0'
}

@test "--net=host --x11 reaches the host's abstract sockets; --net=none has its own (netns)" {
	local name

	require_landlock_scope
	name="/tmp/.X11-unix/X$((70000 + RANDOM))"
	abstract_listener "$name"
	run sandbox --net=host --x11 -- connect-abstract "$name"
	check_probe 1 "ALLOWED connect-abstract\\(@$name\\) ret=0"
	run sandbox -- connect-abstract "$name"
	check_probe 0 "DENIED connect-abstract\\(@$name\\) errno=ECONNREFUSED"
	run "$NOOK" run -q --dry-run --net=host --x11 -- true
	check_probe 0 'landlock none'
	run "$NOOK" run -q --dry-run -- true
	check_probe 0 'landlock none'
}

# ---- terminal injection ----
# The filter, on a pty the probe makes its own. That no terminal of the caller's is inside
# at all (so TIOCSTI, tcsetpgrp and TIOCSETD reach only the sandbox's pty) is pty.bats's;
# the filter still matters with --pty=never, where the payload shares the caller's terminal.

@test "TIOCSTI on a pty is refused with EPERM, also with bits set above 32" {
	run sandbox -- tiocsti
	check_probe 0 'DENIED tiocsti\(0x5412\) errno=EPERM'
	run sandbox -- tiocsti high
	check_probe 0 'DENIED tiocsti\(0xdead00005412\) errno=EPERM'
}

@test "TIOCLINUX is refused with EPERM, also with bits set above 32" {
	run sandbox -- tioclinux
	check_probe 0 'DENIED tioclinux\(0x541c\) errno=EPERM'
	run sandbox -- tioclinux high
	check_probe 0 'DENIED tioclinux\(0xdead0000541c\) errno=EPERM'
}

@test "control: without the filter TIOCSTI reaches the kernel and injects" {
	need_unfiltered 'ALLOWED tiocsti\(0x5412\) ret=0' tiocsti
	run sandbox --seccomp=off -- tiocsti
	check_probe 1 'ALLOWED tiocsti\(0x5412\) ret=0'
	run sandbox --seccomp=off -- tiocsti high
	check_probe 1 'ALLOWED tiocsti\(0xdead00005412\) ret=0'
	run sandbox --seccomp=off -- tioclinux
	check_probe 1 'ALLOWED tioclinux\(0x541c\) ret=-1 errno=ENOTTY'
	run sandbox --seccomp-allow=ioctl -- tiocsti
	check_probe 1 'ALLOWED tiocsti\(0x5412\) ret=0'
}

# ---- other architectures ----

@test "an i386 system call (int \$0x80) is refused with ENOSYS and returns no pid" {
	require_ia32
	run sandbox -- int80-getpid
	check_probe 0 'DENIED int80-getpid errno=ENOSYS pid=[0-9]+'
	run sandbox --seccomp-error-action=kill -- int80-getpid
	expect_eq "nook's status when the filter kills an i386 call" 159 "$status"
}

@test "control: with --allow-secondary-arch the i386 call returns the pid" {
	require_ia32
	run sandbox --allow-secondary-arch -- int80-getpid
	check_probe 1 'ALLOWED int80-getpid ret=([0-9]+) pid=\1'
}

@test "an x32 system call (nr | 0x40000000) is refused by the filter" {
	[ "$(uname -m)" = x86_64 ] || skip "x32 exists only on x86_64"
	run sandbox -- x32-getpid
	check_probe 0 'DENIED x32-getpid errno=ENOSYS pid=[0-9]+'
	# The kernel may have no x32 and say ENOSYS itself: the kill action shows it is the filter.
	run sandbox --seccomp-error-action=kill -- x32-getpid
	expect_eq "nook's status when the filter kills an x32 call" 159 "$status"
}

# ---- namespaces ----

@test "no nested user namespace: unshare and clone with CLONE_NEWUSER EPERM, clone3 ENOSYS" {
	run sandbox -- unshare user
	check_probe 0 'DENIED unshare\(user\) errno=EPERM'
	run sandbox -- clone user
	check_probe 0 'DENIED clone\(user\) errno=EPERM'
	run sandbox -- clone3 user
	check_probe 0 'DENIED clone3\(user\) errno=ENOSYS'
	run sandbox -- clone3 none
	check_probe 0 'DENIED clone3\(none\) errno=ENOSYS'
}

@test "every other namespace flag of unshare and clone is refused by the filter" {
	local f

	for f in mnt net pid ipc uts cgroup time; do
		run sandbox -- unshare "$f"
		check_probe 0 "DENIED unshare\\($f\\) errno=EPERM"
		# Without CAP_SYS_ADMIN the kernel says EPERM too: the kill action shows the filter.
		run sandbox --seccomp-error-action=kill -- unshare "$f"
		expect_eq "nook's status after unshare($f) with the kill action" 159 "$status"
	done
	for f in mnt net pid ipc uts cgroup; do
		run sandbox --seccomp-error-action=kill -- clone "$f"
		expect_eq "nook's status after clone($f) with the kill action" 159 "$status"
	done
}

@test "control: --allow-userns lets unshare(CLONE_NEWUSER) and clone(CLONE_NEWUSER) through" {
	run sandbox --allow-userns -- unshare user
	check_probe 1 'ALLOWED unshare\(user\) ret=0'
	run sandbox --allow-userns -- clone user
	check_probe 1 'ALLOWED clone\(user\) ret=0'
	run sandbox --allow-userns -- unshare user,mnt
	check_probe 1 'ALLOWED unshare\(user,mnt\) ret=0'
	run sandbox --allow-userns -- unshare user,net
	check_probe 1 'ALLOWED unshare\(user,net\) ret=0'
}

@test "control: unshare and clone without namespace flags are allowed" {
	run sandbox -- unshare none
	check_probe 1 'ALLOWED unshare\(none\) ret=0'
	run sandbox -- unshare files
	check_probe 1 'ALLOWED unshare\(files\) ret=0'
	run sandbox -- clone none
	check_probe 1 'ALLOWED clone\(none\) ret=0'
}

# ---- ptrace and other processes ----

@test "ptrace between processes of the sandbox works" {
	run sandbox -- ptrace-traceme
	check_probe 1 'ALLOWED ptrace-traceme ret=0'
	run sandbox -- ptrace-attach-child
	check_probe 1 'ALLOWED ptrace-attach-child ret=0'
}

@test "host processes are not visible inside" {
	run sandbox -- kill "$$"
	check_probe 0 "DENIED kill\\($$,0\\) errno=ESRCH"
	run sandbox -- kill "$PPID"
	check_probe 0 "DENIED kill\\($PPID,0\\) errno=ESRCH"
	# Control: the same probe sees a process that is there.
	run sandbox -- kill 1
	check_probe 1 'ALLOWED kill\(1,0\) ret=0'
}

@test "nook's init (pid 1) cannot be traced" {
	run sandbox -- ptrace-attach 1
	check_probe 0 'DENIED ptrace-attach\(1\) errno=EPERM'
}

# ---- personality ----

@test "personality: ADDR_NO_RANDOMIZE, READ_IMPLIES_EXEC, MMAP_PAGE_ZERO are refused with EPERM" {
	run sandbox -- personality 0x0040000
	check_probe 0 'DENIED personality\(0x40000\) errno=EPERM'
	run sandbox -- personality 0x0400000
	check_probe 0 'DENIED personality\(0x400000\) errno=EPERM'
	run sandbox -- personality 0x0100000
	check_probe 0 'DENIED personality\(0x100000\) errno=EPERM'
}

@test "personality: the query (0xffffffff) and PER_LINUX work" {
	run sandbox -- personality 0xffffffff
	check_probe 1 'ALLOWED personality\(0xffffffff\) ret=0x0 now=0x0'
	run sandbox -- personality 0
	check_probe 1 'ALLOWED personality\(0x0\) ret=0x0 now=0x0'
}

@test "control: without the filter personality(ADDR_NO_RANDOMIZE) goes through" {
	need_unfiltered 'ALLOWED personality\(0x40000\) ret=0x0 now=0x40000' personality 0x0040000
	run sandbox --seccomp=off -- personality 0x0040000
	check_probe 1 'ALLOWED personality\(0x40000\) ret=0x0 now=0x40000'
	run sandbox --seccomp-allow=personality -- personality 0x0040000
	check_probe 1 'ALLOWED personality\(0x40000\) ret=0x0 now=0x40000'
}

@test "personality: the flags are refused with bit 31 set too (0x80040000 is not the query)" {
	# The kernel takes any value but 0xffffffff as a new personality, bit 31 or not.
	run sandbox -- personality 0x80040000
	check_probe 0 'DENIED personality\(0x80040000\) errno=EPERM'
	run sandbox -- personality 0x80400000
	check_probe 0 'DENIED personality\(0x80400000\) errno=EPERM'
	# Bit 31 without a flag is no query either; PER_LINUX32 alone is allowed.
	run sandbox -- personality 0x80000008
	check_probe 0 'DENIED personality\(0x80000008\) errno=EPERM'
	run sandbox -- personality 0x8
	check_probe 1 'ALLOWED personality\(0x8\) ret=0x0 now=0x8'
}

# ---- filesystem, capabilities, setuid, devices ----

@test "/proc/sys and /proc/sysrq-trigger are not writable, and stay unchanged" {
	local before

	before=$(cat /proc/sys/kernel/core_pattern)
	run sandbox -- write /proc/sys/kernel/core_pattern
	check_probe 0 'DENIED write\(/proc/sys/kernel/core_pattern\) errno=(EROFS|EACCES|EPERM)'
	run sandbox --userns=root -- write /proc/sys/kernel/core_pattern
	check_probe 0 'DENIED write\(/proc/sys/kernel/core_pattern\) errno=(EROFS|EACCES|EPERM)'
	expect_eq "host core_pattern" "$before" "$(cat /proc/sys/kernel/core_pattern)"
	if [ -e /proc/sysrq-trigger ]; then
		run sandbox -- write /proc/sysrq-trigger
		check_probe 0 'DENIED write\(/proc/sysrq-trigger\) errno=(EROFS|EACCES|EPERM)'
	else
		run sandbox -- write /proc/sysrq-trigger
		check_probe 0 'DENIED write\(/proc/sysrq-trigger\) errno=(ENOENT|EROFS|EACCES|EPERM)'
	fi
}

@test "/sys is not writable" {
	local dir=/sys/fs/cgroup/nook-security-probe-$$ f

	run sandbox -- mkdir "$dir"
	check_probe 0 "DENIED mkdir\\($dir\\) errno=(EROFS|EACCES|EPERM)"
	[ ! -e "$dir" ]
	for f in /sys/kernel/mm/transparent_hugepage/enabled /sys/kernel/uevent_helper \
		/sys/power/state; do
		[ -e "$f" ] || continue
		run sandbox -- write "$f"
		check_probe 0 "DENIED write\\($f\\) errno=(EROFS|EACCES|EPERM)"
	done
}

@test "no capability in any set" {
	run sandbox -- caps
	check_probe 0 'CapInh 0{16}' 'CapPrm 0{16}' 'CapEff 0{16}' 'CapBnd 0{16}' 'CapAmb 0{16}' \
		'DENIED capabilities all-sets-zero'
}

@test "setuid binaries do not raise privileges" {
	local su

	su=$(command -v su || true)
	[ -n "$su" ] && [ -u "$su" ] || skip "no setuid su on this host"
	run sandbox -- nosuid "$su"
	check_probe 0 "DENIED setuid\\($su\\) mount=nosuid"
	run sandbox -- exec-setuid "$su" root -c true
	check_probe 0 "DENIED setuid-exec\\($su\\) uid=$(id -u) euid=$(id -u)"
	# Control: the same probe outside a sandbox sees su become root (where setuid works at all).
	run "$PROBE" exec-setuid "$su" root -c true
	[ "$status" = 1 ] || skip "setuid has no effect on this host either: $output"
	check_probe 1 "ALLOWED setuid-exec\\($su\\) uid=$(id -u) euid=0 suid=0"
}

@test "mknod of a character device fails with EPERM" {
	run sandbox -- mknod /tmp/probe-null
	check_probe 0 'DENIED mknod\(/tmp/probe-null,c,1,3\) errno=EPERM'
	run sandbox --userns=root -- mknod /tmp/probe-null
	check_probe 0 'DENIED mknod\(/tmp/probe-null,c,1,3\) errno=EPERM'
}

@test "nook's binary cannot be overwritten through /proc/PID/exe" {
	local nook_sum probe_sum

	nook_sum=$(sha256sum <"$NOOK")
	probe_sum=$(sha256sum <"$PROBE")
	run sandbox -- write /proc/1/exe
	check_probe 0 'DENIED write\(/proc/1/exe\) errno=(EACCES|EPERM|ETXTBSY|EROFS)'
	run sandbox -- write /proc/self/exe
	check_probe 0 'DENIED write\(/proc/self/exe\) errno=(ETXTBSY|EACCES|EROFS)'
	run sandbox --userns=root -- write /proc/1/exe
	check_probe 0 'DENIED write\(/proc/1/exe\) errno=(EACCES|EPERM|ETXTBSY|EROFS)'
	expect_eq "sha256 of nook" "$nook_sum" "$(sha256sum <"$NOOK")"
	expect_eq "sha256 of the probe" "$probe_sum" "$(sha256sum <"$PROBE")"
}

@test "no file descriptor is inherited: only 0, 1 and 2" {
	run sandbox -- fds 7</dev/null 9>/dev/null
	check_probe 0 'DENIED inherited-fds only-0-1-2'
	# Control: the probe does see fds that are there.
	run "$PROBE" fds 7</dev/null
	check_probe 1 'ALLOWED inherited-fd 7 -> /dev/null'
}

# ---- seen from outside ----

teardown() {
	if [ -n "${BG_PID:-}" ]; then
		kill "$BG_PID" 2>/dev/null || true
		wait "$BG_PID" 2>/dev/null || true
	fi
}

@test "from the host: payload and nook's init both run with Seccomp 2 and NoNewPrivs 1" {
	local tag="nook-sec-$$-$RANDOM" payload="" init

	# fd 3 is bats' own; a background job holding it would stall the suite.
	"$NOOK" run -q --ro-bind "$PROBE_DIR" -- "$PROBE" sleep 60 "$tag" 3>&- &
	BG_PID=$!
	for _ in $(seq 100); do
		payload=$(pgrep -u "$(id -u)" -f -- "^$PROBE sleep 60 $tag\$" || true)
		[ -n "$payload" ] && break
		sleep 0.1
	done
	[ -n "$payload" ] || { echo "the payload never appeared" >&2; return 1; }
	init=$(awk '$1 == "PPid:" { print $2 }' "/proc/$payload/status")
	expect_match "init's command line" "nook" "$(tr '\0' ' ' <"/proc/$init/cmdline")"
	expect_eq "payload Seccomp" 2 "$(awk '$1 == "Seccomp:" { print $2 }' "/proc/$payload/status")"
	expect_eq "payload NoNewPrivs" 1 "$(awk '$1 == "NoNewPrivs:" { print $2 }' "/proc/$payload/status")"
	expect_eq "init Seccomp" 2 "$(awk '$1 == "Seccomp:" { print $2 }' "/proc/$init/status")"
	expect_eq "init NoNewPrivs" 1 "$(awk '$1 == "NoNewPrivs:" { print $2 }' "/proc/$init/status")"
	kill "$BG_PID"
	wait "$BG_PID" || true
	BG_PID=
	expect_eq "processes left behind" "" "$(procs_matching "$tag")"
}
