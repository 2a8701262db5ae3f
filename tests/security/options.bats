#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The security options do what they say; each is shown against a run without it.
load ../lib/common
load helpers
bats_require_minimum_version 1.5.0

# ---- --seccomp-drop, --seccomp-allow, --seccomp-error-action ----

@test "--seccomp-drop=getcwd makes getcwd EPERM" {
	run sandbox --seccomp-drop=getcwd -- syscall getcwd
	check_probe 0 'DENIED getcwd errno=EPERM'
	# getcwd(bad pointer, 0) is ERANGE in the kernel: EPERM can only be the filter.
	run sandbox -- syscall getcwd
	check_probe 1 'ALLOWED getcwd ret=-1 errno=ERANGE'
}

@test "--seccomp-allow=mount lets mount reach the kernel, and only mount" {
	run sandbox --seccomp-allow=mount -- syscall mount umount2 bpf
	# mount(bad pointer, ...) is EFAULT in the kernel, EPERM from the filter.
	check_probe 1 'ALLOWED mount ret=-1 errno=EFAULT' 'DENIED bpf errno=EPERM'
	run sandbox --seccomp-allow=mount --seccomp-error-action=kill -- syscalls umount2
	check_probe 0 'KILLED umount2 signal=SIGSYS'
	run sandbox -- syscall mount
	check_probe 0 'DENIED mount errno=EPERM'
}

@test "--seccomp-allow takes the special rules out by name (clone3, unshare, personality)" {
	need_unfiltered 'ALLOWED clone3\(none\) ret=0' clone3 none
	run sandbox --seccomp-allow=clone3 -- clone3 none
	check_probe 1 'ALLOWED clone3\(none\) ret=0'
	run sandbox --seccomp-allow=unshare -- unshare user
	check_probe 1 'ALLOWED unshare\(user\) ret=0'
	run sandbox --seccomp-allow=unshare -- clone user
	check_probe 0 'DENIED clone\(user\) errno=EPERM'
	run sandbox --seccomp-allow=personality -- personality 0x0400000
	check_probe 1 'ALLOWED personality\(0x400000\) ret=0x0 now=0x400000'
}

@test "--seccomp-error-action=kill: a denied call kills the payload (159 = 128 + SIGSYS)" {
	run sandbox --seccomp-error-action=kill -- syscall keyctl
	expect_eq "nook's status" 159 "$status"
	check_no_line '(ALLOWED|DENIED) .*'
	# Control: an allowed call is not affected.
	run sandbox --seccomp-error-action=kill -- syscall getcwd
	check_probe 1 'ALLOWED getcwd ret=-1 errno=ERANGE'
}

@test "--seccomp-error-action=log: a denied call is let through (and logged)" {
	need_unfiltered 'ALLOWED keyctl ret=-1 errno=EOPNOTSUPP' syscall keyctl
	run sandbox --seccomp-error-action=log -- syscall keyctl mount
	check_probe 1 'ALLOWED keyctl ret=-1 errno=EOPNOTSUPP' 'ALLOWED mount ret=-1 errno=EFAULT'
}

# ---- a profile cannot switch the base filter off ----

@test "a profile's seccomp.drop adds to the default filter: mount, bpf, io_uring, unshare(user) stay denied" {
	local p="$BATS_TEST_TMPDIR/drop.profile"

	# firejail's dnscrypt-proxy.profile has such a line; in firejail it replaces the default list.
	printf 'seccomp.drop kcmp\n' >"$p"
	run sandbox --profile="$p" -- syscall kcmp mount bpf io_uring_setup keyctl
	check_probe 0 'DENIED kcmp errno=EPERM' 'DENIED mount errno=EPERM' 'DENIED bpf errno=EPERM' \
		'DENIED io_uring_setup errno=EPERM' 'DENIED keyctl errno=EPERM'
	run sandbox --profile="$p" -- unshare user
	check_probe 0 'DENIED unshare\(user\) errno=EPERM'
	# Control: --seccomp=off on the command line removes the base filter; the profile's list stays.
	run sandbox --profile="$p" --seccomp=off -- syscall kcmp mount
	check_probe 1 'DENIED kcmp errno=EPERM' 'ALLOWED mount ret=-1 errno=EFAULT'
}

@test "a profile's seccomp off is refused: a warning naming its line, and the filter stays" {
	local p="$BATS_TEST_TMPDIR/off.profile"
	local warning="nook: $p:2: warning: seccomp off: only --seccomp=off on the command line turns the filter off; the default filter stays"

	printf 'hostname x\nseccomp off\n' >"$p"
	run --separate-stderr "$NOOK" run --ro-bind "$PROBE_DIR" --profile="$p" -- "$PROBE" syscall mount unshare
	check_probe 0 'DENIED mount errno=EPERM' 'DENIED unshare errno=EPERM'
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_line "stderr" "$warning" "$stderr"
	# --strict-profile: an error, nothing runs.
	run --separate-stderr "$NOOK" run --strict-profile --ro-bind "$PROBE_DIR" --profile="$p" -- \
		"$PROBE" syscall mount
	expect_eq "status with --strict-profile" 125 "$status"
	expect_eq "stdout with --strict-profile" "" "$output"
	expect_line "stderr with --strict-profile" \
		"nook: $p:2: seccomp off: only --seccomp=off on the command line turns the filter off" "$stderr"
	# nook profile check says so too.
	run --separate-stderr "$NOOK" profile check "$p"
	expect_eq "status of nook profile check" 1 "$status"
	# Control: the command line's --seccomp=off is obeyed.
	run sandbox --profile="$p" --seccomp=off -- syscall mount
	check_probe 1 'ALLOWED mount ret=-1 errno=EFAULT'
}

# ---- --protocol ----

@test "--protocol=unix: AF_INET, AF_INET6, AF_NETLINK, AF_PACKET are EAFNOSUPPORT, AF_UNIX works" {
	local f

	for f in inet inet6 netlink packet; do
		run sandbox --protocol=unix -- socket "$f"
		check_probe 0 "DENIED socket-$f errno=EAFNOSUPPORT"
	done
	run sandbox --protocol=unix -- socket unix
	check_probe 1 'ALLOWED socket-unix ret=[0-9]+'
}

@test "control: without --protocol AF_INET works; --protocol=unix,inet allows exactly those" {
	run sandbox -- socket inet
	check_probe 1 'ALLOWED socket-inet ret=[0-9]+'
	run sandbox --protocol=unix,inet -- socket inet
	check_probe 1 'ALLOWED socket-inet ret=[0-9]+'
	run sandbox --protocol=unix,inet -- socket inet6
	check_probe 0 'DENIED socket-inet6 errno=EAFNOSUPPORT'
}

# ---- --memory-deny-write-execute ----

@test "--memory-deny-write-execute: W+X mmap, mprotect(PROT_EXEC), pkey_mprotect, shmat(SHM_EXEC) EPERM" {
	local p

	for p in mmap-wx mprotect-x pkey_mprotect-x shmat-x; do
		run sandbox --memory-deny-write-execute -- "$p"
		check_probe 0 "DENIED $p errno=EPERM"
	done
}

@test "control: without --memory-deny-write-execute the same mappings are made" {
	local p

	for p in mmap-wx mprotect-x pkey_mprotect-x shmat-x; do
		run sandbox -- "$p"
		check_probe 1 "ALLOWED $p ret=0"
	done
}

@test "--memory-deny-write-execute: ordinary programs still run" {
	run "$NOOK" run -q --memory-deny-write-execute -- sh -c 'echo ok'
	check_probe 0 'ok'
	run sandbox --memory-deny-write-execute -- ordinary
	check_no_line 'DENIED.*'
	check_no_line '.*errno=.*'
}

@test "--memory-deny-write-execute: no W+X memory through READ_IMPLIES_EXEC either" {
	# Under READ_IMPLIES_EXEC every readable mapping gets PROT_EXEC from the kernel.
	run sandbox --memory-deny-write-execute -- rie-mmap 0x0400000
	check_probe 0 'DENIED mmap-rw-after-personality\(0x400000\) perms=rw-p personality-errno=EPERM'
	# With bit 31 set the value is still a personality to the kernel, not the query.
	run sandbox --memory-deny-write-execute -- rie-mmap 0x80400000
	check_probe 0 'DENIED mmap-rw-after-personality\(0x80400000\) perms=rw-p personality-errno=EPERM'
	# Control: unfiltered, the same steps give rwx memory.
	need_unfiltered 'ALLOWED mmap-rw-after-personality\(0x400000\) perms=rwxp personality-ret=0' \
		rie-mmap 0x0400000
	run sandbox --seccomp=off -- rie-mmap 0x0400000
	check_probe 1 'ALLOWED mmap-rw-after-personality\(0x400000\) perms=rwxp personality-ret=0'
}

# ---- resource limits ----

@test "--rlimit-nofile=16: the 17th descriptor fails with EMFILE; ulimit -n says 16" {
	run sandbox --rlimit-nofile=16 -- nofile
	check_probe 0 'DENIED nofile last-fd=15 errno=EMFILE'
	run "$NOOK" run -q --rlimit-nofile=16 -- sh -c 'ulimit -n; ulimit -Hn'
	check_probe 0
	expect_eq "ulimit -n, ulimit -Hn" "16
16" "$output"
	run sandbox -- nofile
	check_probe 0 'DENIED nofile last-fd=([2-9][0-9]|[0-9]{3,}) errno=EMFILE'
}

@test "--rlimit-nproc=8: fork fails with EAGAIN before 8 processes" {
	run sandbox --rlimit-nproc=8 -- nproc 50
	check_probe 0 'DENIED nproc forked=[0-7] errno=EAGAIN'
	run sandbox -- nproc 50
	check_probe 1 'ALLOWED nproc forked=50'
}

@test "--rlimit-as=64M: a 128M allocation fails, a 16M one works" {
	run sandbox --rlimit-as=64M -- alloc 128M
	check_probe 0 'DENIED alloc\(128M\) errno=ENOMEM'
	run sandbox --rlimit-as=64M -- alloc 16M
	check_probe 1 'ALLOWED alloc\(16M\) ret=0'
	run sandbox -- alloc 128M
	check_probe 1 'ALLOWED alloc\(128M\) ret=0'
}

@test "--rlimit-fsize=1K: writing 2K stops at 1K with EFBIG, or SIGXFSZ" {
	run sandbox --rlimit-fsize=1K -- fsize /tmp/probe-fsize 2K
	check_probe 0 'DENIED fsize wrote=1024 size=1024 errno=EFBIG'
	run "$NOOK" run -q --rlimit-fsize=1K -- sh -c 'head -c 2048 /dev/zero >/tmp/f; echo "status $?"'
	check_probe 0 'status 153'
	run sandbox -- fsize /tmp/probe-fsize 2K
	check_probe 1 'ALLOWED fsize wrote=2048 size=2048'
}

@test "--rlimit-cpu=1: a busy loop is killed within seconds" {
	local start=$SECONDS

	run timeout 10 "$NOOK" run -q --ro-bind "$PROBE_DIR" --rlimit-cpu=1 -- "$PROBE" spin
	# 137 = SIGKILL (hard limit), 152 = SIGXCPU (soft limit); 124 would be timeout's.
	[[ "$status" == 137 || "$status" == 152 ]] ||
		{ echo "status $status, expected 137 or 152 after $((SECONDS - start))s" >&2; return 1; }
	[ $((SECONDS - start)) -lt 10 ]
}

# ---- capabilities ----

@test "--caps-keep=net_raw gives exactly CAP_NET_RAW (0x2000) in keep-id mode" {
	run sandbox --caps-keep=net_raw -- caps
	check_probe 1 'CapEff 0000000000002000' 'CapPrm 0000000000002000' 'CapAmb 0000000000002000' \
		'CapBnd 0000000000002000'
}

# shellcheck disable=SC2030 # status, output: each test's own, as bad_value()'s are its own run's
@test "--userns=root --caps-drop=all leaves no capability" {
	run sandbox --userns=root --caps-drop=all -- caps
	check_probe 0 'CapEff 0{16}' 'CapPrm 0{16}' 'CapBnd 0{16}' 'CapAmb 0{16}' \
		'DENIED capabilities all-sets-zero'
	# Control: root mode without the option has some.
	run sandbox --userns=root -- caps
	check_probe 1 'CapEff 0*[1-9a-f][0-9a-f]*'
}

# ---- bad values ----

# bad_value OPTION=VALUE: nook exits 125 with exactly one line, "nook: --OPTION: ...".
# shellcheck disable=SC2031 # status, output: set by the run above, not by a test before
bad_value() {
	local opt="${1%%=*}"

	run --separate-stderr "$NOOK" run "$1" -- true
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	if [ "$status" != 125 ] || [ -n "$output" ] || [ "$(wc -l <<<"$stderr")" != 1 ] ||
		[[ "$stderr" != "nook: $opt: "* ]]; then
		printf '%s: expected status 125 and one line "nook: %s: ...", got status %s\nstdout: %s\nstderr: %s\n' \
			"$1" "$opt" "$status" "$output" "$stderr" >&2
		return 1
	fi
}

# ---- --ipc ----

# A System V segment of the caller's on the host, made for one test; its id in $seg.
host_segment() {
	seg=$(ipcmk -M 4096 | awk '{print $NF}')
	[[ "$seg" =~ ^[0-9]+$ ]] || { echo "ipcmk made no segment: [$seg]" >&2; return 1; }
}

# What the sandbox sees of segment $seg: its ipcs line, then what shmat(2) of its id does.
see_segment() { # NOOK-OPTION...
	"$NOOK" run -q "$@" -- "$NOOK_PYTHON" -c '
import ctypes, os, subprocess, sys
seg = sys.argv[1]
for line in subprocess.run(["ipcs", "-m"], capture_output=True, text=True).stdout.splitlines():
    if line.split()[1:2] == [seg]:
        print("listed")
libc = ctypes.CDLL(None, use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
r = libc.shmat(int(seg), None, 0)
print("attached" if r not in (None, ctypes.c_void_p(-1).value)
      else "shmat: " + os.strerror(ctypes.get_errno()))
' "$seg"
}

@test "the sandbox's own ipc namespace: a host System V segment is neither listed nor attached inside" {
	host_segment || return 1
	run --separate-stderr see_segment
	local own_status="$status" own="$output"
	run --separate-stderr see_segment --ipc=host
	ipcrm -m "$seg"
	expect_eq "default: exit status" 0 "$own_status" || return 1
	expect_eq "default: the host's segment" "shmat: Invalid argument" "$own" || return 1
	# Control: the host's namespace shows it, so the test above could have failed.
	expect_eq "--ipc=host: exit status" 0 "$status" || return 1
	expect_eq "--ipc=host: the host's segment" "listed
attached" "$output"
}

@test "a profile's ipc host without the X display: the sandbox keeps its own ipc namespace" {
	local prof="$BATS_TEST_TMPDIR/ipc.profile"
	printf 'x11\nipc host\n' >"$prof"
	unset DISPLAY WAYLAND_DISPLAY
	host_segment || return 1
	run --separate-stderr "$NOOK" run -q --profile="$prof" --dry-run -- true
	local dry="$output"
	run --separate-stderr see_segment --profile="$prof"
	ipcrm -m "$seg"
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "the host's segment" "shmat: Invalid argument" "$output" || return 1
	grep -qx 'ipc private' <<<"$dry" || { echo "--dry-run: $dry" >&2; return 1; }
	# Control: with a DISPLAY (no server is needed to build the spec), the profile's holds.
	run --separate-stderr env DISPLAY=:99 "$NOOK" run -q --profile="$prof" --dry-run -- true
	expect_match "with the X display" "ipc host \\(.*ipc.profile:2, with the X display\\)" "$output"
}

@test "bad values exit 125 with one line naming the option" {
	bad_value --seccomp-drop=no_such_call
	bad_value --seccomp-allow=no_such_call
	bad_value --caps-keep=cap_no_such
	bad_value --caps-drop=no_such
	bad_value --protocol=ipx
	bad_value --seccomp-drop=getcwd,,getpid
	bad_value --seccomp-drop=getcwd,
	bad_value --seccomp-allow=,mount
	bad_value --caps-drop=net_raw,
	bad_value --protocol=unix,,inet
	bad_value --protocol=
	bad_value --rlimit-nofile=12Q
	bad_value --rlimit-nproc=12Q
	bad_value --rlimit-as=12Q
	bad_value --rlimit-fsize=12Q
	bad_value --rlimit-cpu=12Q
	bad_value --rlimit-as=-1
	bad_value --rlimit-as=99999999999999999999
	bad_value --seccomp-drop=99999999
	bad_value --seccomp-drop=1024
	bad_value --seccomp-drop=12x
	bad_value --seccomp-allow=-1
	bad_value --seccomp-drop=open_tree_attr
	bad_value --seccomp=maybe
	bad_value --seccomp-error-action=trap
}
