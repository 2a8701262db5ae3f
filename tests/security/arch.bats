#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# --allow-secondary-arch lets i386 system calls (int $0x80) in, "filtered": every rule of the
# filter must hold for them as it does for native calls. Multiplexed and differently numbered
# i386 calls (socketcall, ipc, mmap2) are where such rules slip.
load ../lib/common
load helpers

setup() {
	require_ia32
}

@test "i386: every call of the default deny list is refused with EPERM" {
	local list n absent

	list=$(default_deny_list)
	n=$(wc -w <<<"$list")
	# shellcheck disable=SC2086 # one argument per system call of the list
	run sandbox --allow-secondary-arch -- i386-syscall $list
	check_probe 0
	absent=$(count_lines 'ABSENT i386-[a-z0-9_]+')
	expect_eq "i386 calls refused with EPERM (of $n, $absent absent on i386)" "$((n - absent))" \
		"$(count_lines 'DENIED i386-[a-z0-9_]+ errno=EPERM')"
}

@test "i386: a call libseccomp does not know (467) answers ENOSYS, as every number above" {
	require_nr_467
	run sandbox --allow-secondary-arch -- i386-nr 467 470 1000 100000
	check_probe 0 'DENIED i386-nr\(467\) errno=ENOSYS' 'DENIED i386-nr\(100000\) errno=ENOSYS'
	expect_eq "i386 numbers answering ENOSYS (of 4)" 4 \
		"$(count_lines 'DENIED i386-nr\([0-9]+\) errno=ENOSYS')"
	# Control: without the filter the i386 call reaches the kernel.
	run sandbox --seccomp=off -- i386-nr 467
	check_probe 1 'ALLOWED i386-nr\(467\) ret=-1 errno=E[A-Z]+'
	check_no_line '.*errno=(ENOSYS|EPERM)'
}

@test "control: i386 calls reach the kernel when the filter is off" {
	run sandbox --seccomp=off -- i386-syscall keyctl mount setns
	check_probe 1 'ALLOWED i386-keyctl ret=-1 errno=E[A-Z]+' 'ALLOWED i386-mount ret=-1 errno=EFAULT'
}

@test "i386: TIOCSTI, CLONE_NEWUSER (unshare, clone) and personality flags are refused" {
	run sandbox --allow-secondary-arch -- tiocsti i386
	check_probe 0 'DENIED i386-tiocsti\(0x5412\) errno=EPERM'
	run sandbox --allow-secondary-arch -- i386-unshare user
	check_probe 0 'DENIED i386-unshare\(user\) errno=EPERM'
	run sandbox --allow-secondary-arch -- i386-clone user
	check_probe 0 'DENIED i386-clone\(user\) errno=EPERM'
	run sandbox --allow-secondary-arch -- i386-clone none
	check_probe 1 'ALLOWED i386-clone\(none\) ret=0'
	run sandbox --allow-secondary-arch -- i386-personality 0x0040000
	check_probe 0 'DENIED i386-personality\(0x40000\) errno=EPERM'
	# Controls: without the filter the same probes go through.
	run sandbox --seccomp=off -- tiocsti i386
	check_probe 1 'ALLOWED i386-tiocsti\(0x5412\) ret=0'
	run sandbox --seccomp=off -- i386-personality 0x0040000
	check_probe 1 'ALLOWED i386-personality\(0x40000\) ret=0'
}

@test "i386: socket(AF_VSOCK) is refused unless --net=host; socketcall(SYS_SOCKET) still works" {
	run sandbox --allow-secondary-arch -- i386-socket-vsock direct
	check_probe 0 'DENIED i386-socket-vsock errno=EAFNOSUPPORT'
	run sandbox --allow-secondary-arch --seccomp-error-action=kill -- i386-socket-vsock direct
	expect_eq "nook's status when the filter kills i386 socket(AF_VSOCK)" 159 "$status"
	# socketcall's arguments are in memory: refusing it would take every socket from i386
	# programs (their C library uses it), so it stays allowed (see nook-run(1)).
	run sandbox --allow-secondary-arch -- i386-socket-inet socketcall
	check_probe 1 'ALLOWED i386-socketcall-inet ret=[0-9]+'
	run sandbox --allow-secondary-arch -- i386-socket-inet direct
	check_probe 1 'ALLOWED i386-socket-inet ret=[0-9]+'
	local out
	out=$("$PROBE" i386-socket-vsock direct 2>&1) || true
	[[ "$out" == "ALLOWED i386-socket-vsock "* ]] || skip "no AF_VSOCK on this host: $out"
	run sandbox --allow-secondary-arch --net=host -- i386-socket-vsock direct
	check_probe 1 'ALLOWED i386-socket-vsock ret=[0-9]+'
}

@test "i386 with --protocol=unix: socket() and socketcall(SYS_SOCKET) of AF_INET are refused" {
	run sandbox --allow-secondary-arch --protocol=unix -- i386-socket-inet direct
	check_probe 0 'DENIED i386-socket-inet errno=EAFNOSUPPORT'
	run sandbox --allow-secondary-arch --protocol=unix -- i386-socket-inet socketcall
	check_probe 0 'DENIED i386-socketcall-inet errno=EAFNOSUPPORT'
	run sandbox --allow-secondary-arch -- i386-socket-inet socketcall
	check_probe 1 'ALLOWED i386-socketcall-inet ret=[0-9]+'
}

@test "i386 with --memory-deny-write-execute: mprotect(PROT_EXEC) and ipc(SHMAT, SHM_EXEC) are refused" {
	run sandbox --allow-secondary-arch --memory-deny-write-execute -- i386-mprotect-x
	check_probe 0 'DENIED i386-mprotect-x errno=EPERM'
	run sandbox --allow-secondary-arch --memory-deny-write-execute -- i386-shmat-x
	check_probe 0 'DENIED i386-ipc-shmat-x errno=EPERM'
	run sandbox --allow-secondary-arch -- i386-mprotect-x
	check_probe 1 'ALLOWED i386-mprotect-x ret=0'
}

@test "i386 with --memory-deny-write-execute: mmap2(PROT_WRITE|PROT_EXEC) is refused" {
	run sandbox --allow-secondary-arch --memory-deny-write-execute -- i386-mmap2-wx
	check_probe 0 'DENIED i386-mmap2-wx errno=EPERM'
	# Control: without the option the mapping is made.
	run sandbox --allow-secondary-arch -- i386-mmap2-wx
	check_probe 1 'ALLOWED i386-mmap2-wx ret=[0-9]+'
}
