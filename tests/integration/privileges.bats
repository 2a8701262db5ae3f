#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Privileges: capabilities, no_new_privs, leaked descriptors, setuid binaries, devices, the
# kernel's knobs, and pid 1. Where the default seccomp filter would also refuse a call, the
# test runs again with --seccomp=off, so that it checks the mechanism it is named after.
bats_require_minimum_version 1.5.0
load ../lib/common

PODMAN_CAPS=00000000800405fb

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	TAG=$(unique_tag)
}

teardown() {
	# Files chowned to subordinate ids by a root-mode payload: give them back to the caller.
	if [ -d "$T/suid" ]; then
		nook_t run -q --userns=root --bind "$T/suid" -- chown -R 0:0 "$T/suid" >/dev/null 2>&1 || true
	fi
	kill_procs_matching "$TAG"
	return 0
}

# caps_of MODE-ARGS...: "CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs" of the payload.
caps_of() {
	nook_t run -q "$@" -- cat /proc/self/status |
		awk '$1 ~ /^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):$/ { printf "%s%s=%s", sep, $1, $2; sep = " " } END { print "" }'
}

@test "keep-id: NoNewPrivs is 1 and every capability set is empty" {
	expect_eq "keep-id" \
		"CapInh:=0000000000000000 CapPrm:=0000000000000000 CapEff:=0000000000000000 CapBnd:=0000000000000000 CapAmb:=0000000000000000 NoNewPrivs:=1" \
		"$(caps_of)"
}

@test "single: NoNewPrivs is 1 and every capability set is empty" {
	expect_eq "single" \
		"CapInh:=0000000000000000 CapPrm:=0000000000000000 CapEff:=0000000000000000 CapBnd:=0000000000000000 CapAmb:=0000000000000000 NoNewPrivs:=1" \
		"$(caps_of --userns=single)"
}

@test "root: exactly the podman set ($PODMAN_CAPS), none ambient or inheritable, NoNewPrivs 1" {
	expect_eq "root" \
		"CapInh:=0000000000000000 CapPrm:=$PODMAN_CAPS CapEff:=$PODMAN_CAPS CapBnd:=$PODMAN_CAPS CapAmb:=0000000000000000 NoNewPrivs:=1" \
		"$(caps_of --userns=root)"
	# Decoded, for the reader: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP
	# NET_BIND_SERVICE SYS_CHROOT SETFCAP.
	if command -v capsh >/dev/null; then
		expect_eq "decoded" "0x$PODMAN_CAPS=cap_chown,cap_dac_override,cap_fowner,cap_fsetid,cap_kill,cap_setgid,cap_setuid,cap_setpcap,cap_net_bind_service,cap_sys_chroot,cap_setfcap" \
			"$(capsh --decode=$PODMAN_CAPS)"
	fi
}

@test "the capability sets survive no exec: a grandchild has no more than the payload" {
	run --separate-stderr nook_t run -- sh -c 'sh -c "grep CapEff /proc/self/status"'
	expect_eq "keep-id grandchild" "CapEff:	0000000000000000" "$output"
	run --separate-stderr nook_t run --userns=root -- sh -c 'sh -c "grep -E \"CapEff|CapPrm\" /proc/self/status"'
	expect_eq "root grandchild" "CapPrm: $PODMAN_CAPS CapEff: $PODMAN_CAPS" "$(words "$output")"
}

@test "nook's init (pid 1) keeps only CAP_KILL, with NoNewPrivs" {
	run --separate-stderr nook_t run -- cat /proc/1/status
	expect_eq "exit status" 0 "$status"
	local got
	got=$(awk '$1 ~ /^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):$/ { printf "%s ", $2 }' <<<"$output")
	expect_eq "pid 1 CapInh CapPrm CapEff CapBnd CapAmb NoNewPrivs" \
		"0000000000000000 0000000000000020 0000000000000020 0000000000000020 0000000000000000 1 " "$got"
}

@test "no descriptor leaks in: fds 5 and 9 of the caller are closed inside" {
	exec 5</etc/hostname 9>/dev/null
	run --separate-stderr nook_t run -- ls /proc/self/fd
	exec 5<&- 9>&-
	expect_eq "exit status" 0 "$status"
	# 0 1 2, and the directory ls itself opened.
	expect_eq "fds of the payload" "0 1 2 3" "$(words "$output")"
}

@test "no descriptor leaks in: the fds of a payload that opens nothing, listed by its child" {
	exec 5</etc/hostname 9>/dev/null 200</etc/passwd
	# "; true": bash must not exec ls in its own place.
	run --separate-stderr nook_t run -- bash -c 'ls /proc/$$/fd; true'
	exec 5<&- 9>&- 200<&-
	expect_eq "exit status" 0 "$status"
	expect_eq "fds of the payload" "0 1 2" "$(words "$output")"
}

@test "no descriptor leaks into nook's init (pid 1)" {
	exec 5</etc/hostname 9>/dev/null
	run --separate-stderr nook_t run -- ls /proc/1/fd
	exec 5<&- 9>&-
	if [ "$status" -ne 0 ]; then
		# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
		expect_match "refused" 'Permission denied' "$stderr"
		# Not dumpable: only real root outside can list it; and from the host?
		local nook_pid init_pid listing
		"$NOOK" run -- sleep "1000.$TAG" </dev/null >/dev/null 2>&1 3>&- 5</etc/hostname 9>/dev/null &
		nook_pid=$!
		for ((i = 0; i < 50; i++)); do
			init_pid=$(pgrep -P "$nook_pid" | head -n1)
			[ -n "$init_pid" ] && break
			sleep 0.1
		done
		# Once the payload runs, pid 1 is set up: before, its fds are those of the set-up.
		for ((i = 0; i < 50; i++)); do
			pgrep -u "$(id -u)" -f "^sleep 1000.$TAG" >/dev/null && break
			sleep 0.1
		done
		listing=$(ls "/proc/$init_pid/fd" 2>/dev/null) || true
		kill -KILL "$nook_pid"
		wait "$nook_pid" || true
		if [ -z "$listing" ]; then
			skip "pid 1 is not dumpable: its fds are readable only by real root, and this runs as $(id -un)"
		fi
		expect_eq "fds of pid 1 (from the host)" "0 1 2" "$(words "$listing")"
		return
	fi
	expect_eq "fds of pid 1" "0 1 2" "$(words "$output")"
}

@test "a setuid binary inside does not raise privileges (nosuid and no_new_privs)" {
	need_subids
	mkdir "$T/suid"
	cp "$(command -v busybox)" "$T/suid/busybox"
	# Root mode: chown to inside uid 1 (the first subordinate id on the host), then setuid.
	# Seen from keep-id mode, that owner is root.
	run --separate-stderr nook_t run --userns=root --bind "$T/suid" -- \
		sh -c "chown 1:1 $T/suid/busybox && chmod 6755 $T/suid/busybox"
	expect_eq "prepare" 0 "$status"
	run --separate-stderr nook_t run --bind "$T/suid" -- stat -c '%u %A' "$T/suid/busybox"
	expect_eq "inside keep-id: a setuid-root binary" "0 -rwsr-sr-x" "$output"

	# Control: on the host (no nosuid on its filesystem), exec does take the file's owner as
	# the saved uid (busybox then drops the effective one itself: "Uid: real eff saved fs").
	local host_owner
	host_owner=$(stat -c %u "$T/suid/busybox")
	if ! findmnt -no OPTIONS -T "$T/suid" | grep -q nosuid; then
		run "$T/suid/busybox" grep '^Uid:' /proc/self/status
		expect_match "control on the host: saved uid" "^Uid: $(id -u) [0-9]+ $host_owner " "$(words "$output")"
	fi

	# Inside: it runs, as the caller.
	local u
	u=$(id -u)
	run --separate-stderr nook_t run --bind "$T/suid" -- "$T/suid/busybox" grep '^Uid:' /proc/self/status
	expect_eq "exit status" 0 "$status"
	expect_eq "Uid inside (keep-id)" "Uid: $u $u $u $u" "$(words "$output")"
	run --separate-stderr nook_t run -q --seccomp=off --bind "$T/suid" -- "$T/suid/busybox" grep '^Uid:' /proc/self/status
	expect_eq "Uid inside (keep-id, no seccomp)" "Uid: $u $u $u $u" "$(words "$output")"
}

@test "the host's setuid-root programs do not give root inside" {
	local prog
	prog=$(command -v su || true)
	[ -n "$prog" ] && [ -u "$prog" ] || skip "no setuid su on the host"
	run --separate-stderr nook_t run -- sh -c "$prog -c 'id -u' root </dev/null"
	[ "$status" -ne 0 ] || { echo "su succeeded inside: $output" >&2; false; }
	[ "$output" != 0 ] || { echo "su gave uid 0 inside" >&2; false; }
	# Started inside, su stays the caller's: its status shows no 0 anywhere.
	run --separate-stderr nook_t run -- sh -c \
		"$prog root </dev/null >/dev/null 2>&1 & sleep 0.3; grep -E '^(Uid|CapEff):' /proc/\$!/status 2>/dev/null; wait"
	if [ -n "$output" ]; then
		expect_eq "su's ids inside" "Uid: $(id -u) $(id -u) $(id -u) $(id -u) CapEff: 0000000000000000" "$(words "$output")"
	fi
}

@test "mount and umount fail with EPERM inside, in every mode, with and without seccomp" {
	local mode sc
	for mode in keep-id single root; do
		for sc in default off; do
			run --separate-stderr nook_t run -q --userns=$mode --seccomp=$sc -- sh -c \
				"$NOOK_PYTHON $NOOK_PYPROBE mount /tmp; $NOOK_PYTHON $NOOK_PYPROBE umount /tmp; $NOOK_PYTHON $NOOK_PYPROBE umount /proc"
			expect_eq "mount, umount /tmp, umount /proc ($mode, seccomp $sc)" "EPERM EPERM EPERM" "$(words "$output")"
		done
	done
}

@test "root inside cannot remount the read-only root writable" {
	run --separate-stderr nook_t run -q --userns=root --seccomp=off -- sh -c \
		"mount -o remount,rw / 2>/dev/null; mount -o remount,rw,bind / 2>/dev/null; touch /usr/.nook-$TAG 2>&1 | grep -c 'Read-only'"
	expect_eq "touch after remount attempts" "1" "$output"
	[ ! -e "/usr/.nook-$TAG" ] || { echo "/usr/.nook-$TAG was created on the host" >&2; false; }
}

@test "mknod of a character device fails (EPERM), also as root inside and without seccomp" {
	local mode sc dev=EPERM
	# Not root: /dev is not the caller's to write in (EACCES) where the sandbox has a root to
	# own it; a single-id sandbox's /dev is the caller's, and mknod is refused itself.
	! nook_maps_subids || dev=EACCES
	for mode in keep-id root; do
		for sc in default off; do
			run --separate-stderr nook_t run -q --userns=$mode --seccomp=$sc -- sh -c \
				"$NOOK_PYTHON $NOOK_PYPROBE mknod /tmp/null c 1 3; $NOOK_PYTHON $NOOK_PYPROBE mknod /dev/mem2 c 1 1; $NOOK_PYTHON $NOOK_PYPROBE mknod /tmp/sda b 8 0"
			case "$mode" in
			root) expect_eq "mknod /tmp/null, /dev/mem2, /tmp/sda ($mode, seccomp $sc)" "EPERM EPERM EPERM" "$(words "$output")" ;;
			*) expect_eq "mknod /tmp/null, /dev/mem2, /tmp/sda ($mode, seccomp $sc)" "EPERM $dev EPERM" "$(words "$output")" ;;
			esac
		done
	done
}

@test "writing /proc/sys/kernel/hostname fails; the host name stays" {
	local before
	before=$(uname -n)
	for mode in keep-id root; do
		run --separate-stderr nook_t run -q --userns=$mode --seccomp=off -- sh -c \
			"$NOOK_PYTHON $NOOK_PYPROBE write /proc/sys/kernel/hostname evil; uname -n"
		expect_match "write /proc/sys/kernel/hostname ($mode)" '^E(ACCES|PERM|ROFS)$' "${lines[0]}"
		expect_eq "hostname inside ($mode)" "$before" "${lines[1]}"
	done
	expect_eq "host name" "$before" "$(uname -n)"
}

@test "/sys is read-only, with every mount under it" {
	run --separate-stderr nook_t run -- cat /proc/self/mountinfo
	expect_eq "exit status" 0 "$status"
	local sys writable
	sys=$(awk '$5 == "/sys" { print $6 }' <<<"$output" | tail -n1)
	[ -n "$sys" ] || skip "no /sys mount inside"
	expect_match "/sys options" '(^|,)ro(,|$)' "$sys"
	writable=$(awk '$5 ~ "^/sys(/|$)" && $6 !~ /(^|,)ro(,|$)/ { print $5, $6 }' <<<"$output")
	expect_eq "writable mounts under /sys" "" "$writable"
	run --separate-stderr nook_t run -q --userns=root --seccomp=off -- sh -c \
		"$NOOK_PYTHON $NOOK_PYPROBE mkdir /sys/fs/cgroup/nook-$TAG; $NOOK_PYTHON $NOOK_PYPROBE mkdir /sys/nook-$TAG"
	expect_eq "mkdir under /sys as root inside" "EROFS EROFS" "$(words "$output")"
}

@test "the payload cannot ptrace pid 1 nor read its environment (keep-id, root, no seccomp)" {
	local mode sc
	for mode in keep-id root; do
		for sc in default off; do
			run --separate-stderr nook_t run -q --userns=$mode --seccomp=$sc -- sh -c \
				"$NOOK_PYTHON $NOOK_PYPROBE ptrace 1; $NOOK_PYTHON $NOOK_PYPROBE open /proc/1/environ; $NOOK_PYTHON $NOOK_PYPROBE open /proc/1/mem; readlink /proc/1/root || echo no-root"
			expect_eq "ptrace, environ, mem, root of pid 1 ($mode, seccomp $sc)" "EPERM EACCES EACCES no-root" "$(words "$output")"
		done
	done
}

@test "control: ptrace of the payload's own child works (the probe can succeed)" {
	run --separate-stderr nook_t run -q --seccomp=off -- sh -c \
		"sleep 5 & $NOOK_PYTHON $NOOK_PYPROBE ptrace \$!; kill \$!"
	expect_eq "ptrace a child" "ok" "$output"
}

@test "keep-id: the payload cannot become root: setuid(0) and setgid fail" {
	# EPERM where 0 is mapped (to a subordinate id); a single-id map has no 0 (EINVAL).
	need_subids
	run --separate-stderr nook_t run -q --seccomp=off -- "$NOOK_PYTHON" "$NOOK_PYPROBE" setuid 0
	expect_eq "setuid(0)" "EPERM" "$output"
}

@test "the kernel's knobs: /proc/sysrq-trigger and /proc/sys (even the netns's own) are not writable" {
	run --separate-stderr nook_t run -q --userns=root --seccomp=off -- sh -c \
		"for f in /proc/sysrq-trigger /proc/sys/kernel/core_pattern /proc/sys/net/ipv4/ip_forward; do [ -e \$f ] || continue; echo \$f \$($NOOK_PYTHON $NOOK_PYPROBE open \$f w); done"
	expect_eq "exit status" 0 "$status"
	[ -n "$output" ] || skip "none of the knobs exists here"
	local f w
	while read -r f w; do
		expect_match "open $f for writing" '^E(ACCES|PERM|ROFS)$' "$w"
	done <<<"$output"
}
