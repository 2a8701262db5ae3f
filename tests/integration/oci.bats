#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nook oci, the OCI runtime: a hand-made bundle (busybox and a config.json written here)
# through create, start, state, kill and delete; what the config asks for really holds inside
# (read-only root, masked paths, capabilities); then podman with --runtime=nook-oci.
# What the shells inside run is in single quotes on purpose: it expands there.
# shellcheck disable=SC2016
# stderr, stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common
load ../lib/oci

setup() {
	oci_setup
}

teardown() {
	oci_teardown
	# This test's store only (not "system reset": it clears podman's directories that other
	# stores share); podman removes what the test's directory has of ids it maps.
	if [ -n "${PODMAN_STORE:-}" ]; then
		podman_ rm -af >/dev/null 2>&1 || true
		podman_ rmi -af >/dev/null 2>&1 || true
	fi
	return 0
}

# write_config SCRIPT [JQ-FILTER]: the bundle's config.json, its process sh -c SCRIPT, as
# root of a user namespace mapping the caller's own id; /out is "$T/out", writable.
write_config() {
	local script="$1" filter="${2:-.}" base
	base=$(
		cat <<'EOF'
{
	"ociVersion": "1.0.2",
	"process": {
		"terminal": false,
		"user": {"uid": 0, "gid": 0},
		"args": ["sh", "-c", $script],
		"env": ["PATH=/bin:/usr/bin", "NOOK_OCI_TEST=1"],
		"cwd": "/",
		"capabilities": {
			"bounding": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"effective": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"]
		},
		"rlimits": [{"type": "RLIMIT_NOFILE", "hard": 512, "soft": 512}],
		"noNewPrivileges": true
	},
	"root": {"path": "rootfs", "readonly": true},
	"hostname": "nook-oci-test",
	"mounts": [
		{"destination": "/proc", "type": "proc", "source": "proc"},
		{"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
		{"destination": "/dev/pts", "type": "devpts", "source": "devpts",
		 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
		{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]},
		{"destination": "/sys", "type": "none", "source": "/sys",
		 "options": ["rbind", "nosuid", "noexec", "nodev", "ro"]},
		{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup"},
		{"destination": "/out", "type": "bind", "source": $out, "options": ["rbind", "rw"]},
		{"destination": "/data", "type": "bind", "source": $data, "options": ["rbind", "rw"]}
	],
	"linux": {
		"uidMappings": [{"containerID": 0, "hostID": $uid, "size": 1}],
		"gidMappings": [{"containerID": 0, "hostID": $gid, "size": 1}],
		"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"},
			       {"type": "user"}, {"type": "network"}],
		"maskedPaths": ["/proc/version", "/proc/keys", "/sys/firmware"],
		"readonlyPaths": ["/proc/sys", "/proc/sysrq-trigger", "/data"]
	},
	"annotations": {"test.tag": "x"}
}
EOF
	)
	jq -n --arg script "$script" --argjson uid "$(id -u)" --argjson gid "$(id -g)" \
		--arg out "$T/out" --arg data "$T/data" "$base | $filter" >"$BUNDLE/config.json"
}

# run_container_tty ID SCRIPT [JQ-FILTER]: run_container, with a terminal: what came out of
# it (the master, sent to the console socket), then the end.
run_container_tty() {
	write_config "$2" "${3:-.} | .process.terminal = true" || return 1
	timeout -k 5 60 "$NOOK_SRC/tests/integration/helpers/oci_reaper.py" --console "$T/console" \
		"$T/$1.pid" "$NOOK" oci --root "$ROOT" create --bundle "$BUNDLE" --pid-file "$T/$1.pid" \
		--console-socket "$T/console" "$1" -- "$NOOK" oci --root "$ROOT" start "$1"
}

@test "oci lifecycle: create (created, the pid file's pid in namespaces of its own), start (running), kill (stopped), delete (nothing left)" {
	write_config 'echo ran >/out/ran; trap "exit 7" TERM; while :; do sleep 1; done # '"$TAG"
	# Its stdio is the container's: to a file, or a command substitution would wait for it.
	oci create --bundle "$BUNDLE" --pid-file "$T/pid" c1 >"$T/c1.out" 2>&1 ||
		{ cat "$T/c1.out" >&2; return 1; }
	local pid
	pid=$(cat "$T/pid")
	expect_eq "state after create" created "$(state_of c1)"
	expect_eq "the state's pid" "$pid" "$(oci state c1 | jq -r .pid)"
	expect_eq "the state's bundle" "$BUNDLE" "$(oci state c1 | jq -r .bundle)"
	expect_eq "the config's annotations in the state" x \
		"$(oci state c1 | jq -r '.annotations["test.tag"]')"
	local ns
	for ns in pid mnt user uts ipc net; do
		[ "$(readlink "/proc/$pid/ns/$ns")" != "$(readlink "/proc/self/ns/$ns")" ] ||
			{ echo "the container's $ns namespace is ours" >&2; return 1; }
	done
	# Created: set up, but the program has not run yet.
	[ ! -e "$T/out/ran" ] || { echo "the program ran before start" >&2; return 1; }
	oci start c1
	wait_for_file "$T/out/ran" || return 1
	expect_eq "state after start" running "$(state_of c1)"
	run --separate-stderr oci start c1
	expect_nook_error
	expect_match "a second start" 'is running, not created' "$stderr"
	run --separate-stderr oci delete c1
	expect_nook_error
	expect_match "delete of a running container" 'is running' "$stderr"
	oci kill c1 TERM
	wait_no_procs "$TAG" || return 1
	expect_eq "state after kill" stopped "$(state_of c1)"
	expect_eq "a stopped container's pid" 0 "$(oci state c1 | jq -r .pid)"
	expect_eq "list" "c1" "$(oci list --quiet)"
	oci delete c1
	run --separate-stderr oci state c1
	expect_nook_error
	expect_match "state after delete" 'c1 does not exist' "$stderr"
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
	if grep -F "$BUNDLE" /proc/self/mountinfo; then
		echo "a mount of the container is visible outside" >&2
		return 1
	fi
}

@test "oci: the pid is re-parented to the caller's subreaper, and its status is the program's" {
	run --separate-stderr run_container c2 'echo out; exit 3'
	expect_eq "stderr" "" "$stderr"
	expect_eq "output, then the end the subreaper saw" "out
exit 3" "$output"
	expect_eq "state" stopped "$(state_of c2)"
	oci delete c2
	# Not pid 1 of a namespace, which no signal of its own namespace kills.
	run --separate-stderr run_container c3 'kill -KILL $$' \
		'.linux.namespaces -= [{"type": "pid"}] | .mounts |= map(select(.type != "proc"))'
	expect_eq "killed by a signal (stderr: $stderr)" "signal 9" "$output"
	oci delete c3
	run --separate-stderr run_container c4 'exec /nonexistent'
	expect_eq "a program that is not there" "exit 127" "$output"
	oci delete c4
}

@test "oci: the environment, working directory, host name and limits are the config's, exactly" {
	run --separate-stderr run_container c5 'env | sort; pwd; hostname; ulimit -n' \
		'.process.cwd = "/tmp"'
	expect_eq "output" "NOOK_OCI_TEST=1
PATH=/bin:/usr/bin
PWD=/tmp
SHLVL=1
/tmp
nook-oci-test
512
exit 0" "$output"
	oci delete c5
}

@test "oci: root.readonly makes the root read-only (its mounts stay as the config says)" {
	run --separate-stderr run_container c6 \
		'touch /x 2>&1; touch /tmp/x && echo tmp-ok; touch /out/x && echo out-ok'
	expect_match "writing to the root" 'Read-only file system' "${lines[0]}"
	expect_eq "the tmpfs and the bind" "tmp-ok out-ok exit 0" "$(words "${lines[*]:1}")"
	[ ! -e "$BUNDLE/rootfs/x" ] || { echo "the root was written" >&2; return 1; }
	oci delete c6
	# The control: without readonly the same write goes through.
	run --separate-stderr run_container c7 'touch /x && echo root-ok' '.root.readonly = false'
	expect_eq "writable root" "root-ok exit 0" "$(words "$output")"
	oci delete c7
}

@test "oci: maskedPaths are hidden from inside, readonlyPaths cannot be written" {
	local script='cat /proc/version 2>/dev/null | wc -c; grep -c " /sys/firmware " /proc/self/mountinfo; touch /data/x 2>&1 || true'
	run --separate-stderr run_container c8 "$script"
	expect_eq "/proc/version's size, mounts at /sys/firmware" "0 1" "${lines[0]} ${lines[1]}"
	expect_match "a read-only path" 'Read-only file system' "${lines[2]}"
	[ ! -e "$T/data/x" ] || { echo "/data was written" >&2; return 1; }
	oci delete c8
	# The control: without them /proc/version has something to read, /data can be written.
	run --separate-stderr run_container c9 "$script" \
		'.linux.maskedPaths = [] | .linux.readonlyPaths = []'
	[ "${lines[0]}" -gt 0 ] || { echo "/proc/version is empty unmasked too: $output" >&2; return 1; }
	expect_eq "mounts at /sys/firmware" 0 "${lines[1]}"
	[ -e "$T/data/x" ] || { echo "/data could not be written without readonlyPaths" >&2; return 1; }
	oci delete c9
}

@test "oci: process.terminal: a pty of the container's devpts on fds 0-2, its master sent to --console-socket" {
	run --separate-stderr run_container_tty t1 \
		'tty; stty size; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo ttys; exit 4' \
		'.process.consoleSize = {"height": 33, "width": 101}'
	expect_eq "stderr" "" "$stderr"
	expect_eq "output" "/dev/pts/0
33 101
ttys
exit 4" "$output"
	oci delete t1
	# Either without the other is an error.
	write_config true '.process.terminal = true'
	run --separate-stderr oci create --bundle "$BUNDLE" t2
	expect_nook_error
	expect_match "no socket" 'process\.terminal: needs --console-socket' "$stderr"
	write_config true
	run --separate-stderr oci create --bundle "$BUNDLE" --console-socket "$T/console" t3
	expect_nook_error
	expect_match "no terminal" 'terminal is false' "$stderr"
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT" 2>/dev/null)"
}

@test "oci: the capabilities are the config's, in every set" {
	run --separate-stderr run_container c10 'grep ^Cap /proc/self/status'
	# CAP_KILL (5) and CAP_NET_BIND_SERVICE (10).
	expect_line "effective" "CapEff:	0000000000000420" "$output"
	expect_line "bounding" "CapBnd:	0000000000000420" "$output"
	expect_line "permitted" "CapPrm:	0000000000000420" "$output"
	oci delete c10
	run --separate-stderr run_container c11 'grep ^CapEff /proc/self/status' \
		'.process.capabilities = {}'
	expect_eq "none" "CapEff:	0000000000000000
exit 0" "$output"
	oci delete c11
}

@test "oci: linux.devices are the host's nodes, bound and usable; one the host lacks is refused naming it" {
	[ -c /dev/net/tun ] || lacks "/dev/net/tun (the test's device) is missing"
	local dev='.linux.devices = [{"path": "/dev/net/tun", "type": "c", "major": 10, "minor": 200, "fileMode": 438}]'
	run --separate-stderr run_container d1 \
		'stat -c "%F %t:%T" /dev/net/tun; cat /dev/net/tun 2>&1 | head -n 1' "$dev"
	expect_eq "the node" "character special file a:c8" "${lines[0]}"
	# Opened (no nodev, no EPERM): a tun device answers a read before TUNSETIFF with EBADFD.
	expect_match "opened" 'File descriptor in bad state' "${lines[1]}"
	oci delete d1
	run --separate-stderr run_container d2 'test -e /dev/net/tun; echo $?'
	expect_eq "the control: not there without linux.devices" "1
exit 0" "$output"
	oci delete d2
	write_config true "${dev/200/201}"
	run --separate-stderr oci create --bundle "$BUNDLE" d3
	expect_nook_error
	expect_match "another device" 'linux\.devices\[0\]: the host has no character device 10:201 at /dev/net/tun' "$stderr"
	write_config true '.linux.devices = [{"path": "/dev/f", "type": "p"}]'
	run --separate-stderr oci create --bundle "$BUNDLE" d4
	expect_nook_error
	expect_match "a fifo" 'linux\.devices\[0\]\.type: "p"' "$stderr"
	write_config true '.linux.devices = [{"path": "/dev/x", "type": "c", "major": -1, "minor": 0}]'
	run --separate-stderr oci create --bundle "$BUNDLE" d5
	expect_nook_error
	expect_match "a bad number" 'linux\.devices\[0\]\.major: "-1" is not a device number' "$stderr"
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT" 2>/dev/null)"
}

@test "oci: a bad config is refused naming its field; nothing is left" {
	write_config true 'del(.root.path)'
	run --separate-stderr oci create --bundle "$BUNDLE" bad1
	expect_nook_error
	expect_match "missing root.path" 'root\.path: missing' "$stderr"
	write_config true '.mounts[0].type = "nfs"'
	run --separate-stderr oci create --bundle "$BUNDLE" bad2
	expect_nook_error
	expect_match "unknown type" 'mounts\[0\]\.type: "nfs"' "$stderr"
	write_config true '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["getpid"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	run --separate-stderr oci create --bundle "$BUNDLE" bad3
	expect_nook_error
	expect_match "SCMP_ACT_NOTIFY" 'linux\.seccomp\.syscalls\[1\]\.action: SCMP_ACT_NOTIFY' "$stderr"
	write_config true '.linux.namespaces += [{"type": "uts", "path": "/proc/self/ns/net"}] |
		.linux.namespaces |= map(select(.type != "uts" or .path)) | del(.hostname)'
	run --separate-stderr oci create --bundle "$BUNDLE" bad6
	expect_nook_error
	expect_match "a namespace of another type" 'linux\.namespaces: /proc/self/ns/net is a net namespace, not a uts namespace' "$stderr"
	printf '{"ociVersion": "1.0.2",\n "root": }\n' >"$BUNDLE/config.json"
	run --separate-stderr oci create --bundle "$BUNDLE" bad4
	expect_nook_error
	expect_match "bad JSON" 'config\.json: line 2, column 10 \(byte 33\): expected a value' "$stderr"
	# A config that passes the policy but fails in the container: its process is gone too.
	write_config true '.mounts[7].source = "/nonexistent-'"$TAG"'"'
	run --separate-stderr oci create --bundle "$BUNDLE" bad5
	expect_eq "status" 125 "$status"
	expect_match "the mount's failure" 'mounts\[7\]' "$stderr"
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT" 2>/dev/null)"
}

# A filter that lets everything through but mkdir, which fails with ENOSPC (28).
DENY_MKDIR='.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW",
	"architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
	"syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28}]}'
MKDIR_DENIED="mkdir: can't create directory '/tmp/d': No space left on device mkdir 1"

@test "oci seccomp: the compiled program is kept under --root and used again, only from a directory of the caller's alone and for the same filter" {
	local probe='mkdir /tmp/d 2>&1; echo "mkdir $?"'
	run --separate-stderr run_container k1 "$probe" "$DENY_MKDIR"
	expect_eq "the filter, compiled (stderr: $stderr)" "$MKDIR_DENIED exit 0" "$(words "$output")"
	oci delete k1
	local cache="$ROOT/.seccomp" f
	expect_eq "the cache's mode" 700 "$(stat -c %a "$cache")"
	f=$(find "$cache" -type f)
	expect_eq "one program" 1 "$(wc -l <<<"$f")"
	expect_eq "its mode" 600 "$(stat -c %a "$f")"
	grep -q '^rule 3 28 mkdir mkdirat$' "$f" || { echo "not the filter's text: $(head -c 300 "$f")" >&2; return 1; }
	# Used again: its program replaced by one that allows everything (SECCOMP_RET_ALLOW), the
	# next container with the same filter makes its directory.
	# The text ends with the filter's one rule; the program follows it.
	local header
	header=$(($(grep -abo '^rule 3 28 mkdir mkdirat$' "$f" | cut -d: -f1) + 24))
	head -c "$header" "$f" >"$T/prog" && printf '\006\000\000\000\000\000\377\177' >>"$T/prog"
	cat "$T/prog" >"$f"
	run --separate-stderr run_container k2 "$probe" "$DENY_MKDIR"
	expect_eq "the kept program ran (stderr: $stderr)" "mkdir 0 exit 0" "$(words "$output")"
	oci delete k2
	# A directory others may write to is not used: compiled again.
	chmod 770 "$cache"
	run --separate-stderr run_container k3 "$probe" "$DENY_MKDIR"
	expect_eq "not from a shared directory (stderr: $stderr)" "$MKDIR_DENIED exit 0" "$(words "$output")"
	oci delete k3
	chmod 700 "$cache"
	# A file of another owner is not used (one of the caller's subordinate ids: unshare maps
	# them), though it holds the allow-everything program for the same text; it is replaced.
	if [ -n "$(subid_ranges /etc/subuid)" ] && command -v unshare >/dev/null; then
		cp "$T/prog" "$T/foreign"
		unshare --map-root-user --map-auto chown 1:1 "$T/foreign" || return 1
		[ "$(stat -c %u "$T/foreign")" != "$(id -u)" ] || { echo "chown did nothing" >&2; return 1; }
		mv -f "$T/foreign" "$f"
		run --separate-stderr run_container k6 "$probe" "$DENY_MKDIR"
		expect_eq "not another owner's (stderr: $stderr)" "$MKDIR_DENIED exit 0" "$(words "$output")"
		oci delete k6
		expect_eq "replaced by the caller's" "$(id -u)" "$(stat -c %u "$f")"
	elif [ -n "${CI:-}" ]; then
		echo "no subordinate range or unshare: CI has both" >&2
		return 1
	fi
	# A program kept for another text is not used, and is replaced.
	sed -i 's/^rule 3 28 mkdir mkdirat$/rule 3 27 mkdir mkdirat/' "$f"
	run --separate-stderr run_container k4 "$probe" "$DENY_MKDIR"
	expect_eq "not for another filter (stderr: $stderr)" "$MKDIR_DENIED exit 0" "$(words "$output")"
	oci delete k4
	grep -q '^rule 3 28 mkdir mkdirat$' "$f" || { echo "not replaced" >&2; return 1; }
	[ "$(stat -c %s "$f")" -gt "$header" ] || { echo "no program kept" >&2; return 1; }
	# The control: another filter, another program.
	run --separate-stderr run_container k5 "$probe" "${DENY_MKDIR/28/1}"
	expect_match "another filter (stderr: $stderr)" "Operation not permitted mkdir 1 exit 0" "$(words "$output")"
	expect_eq "two programs" 2 "$(find "$cache" -type f | wc -l)"
}

@test "oci seccomp: linux.seccomp's rules with their errno, conditions on arguments, a default ERRNO with an allow list" {
	local probe='mkdir /tmp/d 2>&1; echo "mkdir $?"; linux32 true; echo "linux32 $?"; linux64 true; echo "linux64 $?"; grep ^Seccomp_filters /proc/self/status'
	# The control: no filter, everything works.
	run --separate-stderr run_container s1 "$probe"
	expect_eq "no filter (stderr: $stderr)" "mkdir 0 linux32 0 linux64 0 Seccomp_filters: 0 exit 0" \
		"$(words "$output")"
	oci delete s1
	run --separate-stderr run_container s2 "$probe" "$DENY_MKDIR"
	expect_eq "mkdir denied with errno 28 (stderr: $stderr)" \
		"$MKDIR_DENIED linux32 0 linux64 0 Seccomp_filters: 1 exit 0" "$(words "$output")"
	oci delete s2
	# personality(PER_LINUX32) alone denied: linux32 fails, linux64 (personality(PER_LINUX)) not.
	run --separate-stderr run_container s3 "$probe" '.linux.seccomp = {
		"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["personality"],
		"action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]}'
	expect_eq "only personality(8) denied (stderr: $stderr)" \
		"mkdir 0 linux32 1 linux64 0 Seccomp_filters: 1 exit 0" "$(words "$output")"
	expect_match "with EPERM, the default errnoRet" 'personality\(0x8\): Operation not permitted' \
		"$stderr"
	oci delete s3
	# Everything is ENOSPC but what is allowed, which mkdir is not; unknown names are skipped.
	# sigaltstack: AddressSanitizer's, in nook's last steps before the exec.
	local allow='["sigaltstack", "arch_prctl", "brk", "clone", "close", "dup2", "dup3", "execve", "exit",
		"exit_group", "fcntl", "futex", "getpid", "getppid", "getrandom", "getuid", "geteuid",
		"getgid", "getegid", "ioctl", "lseek", "mmap", "mprotect", "munmap", "newfstatat",
		"fstat", "stat", "statx", "openat", "open", "read", "readlink", "rseq", "rt_sigaction",
		"rt_sigprocmask", "rt_sigreturn", "sendfile", "set_robust_list", "set_tid_address",
		"uname", "wait4", "write", "writev", "prlimit64", "prctl", "no_such_call_of_nook"]'
	run --separate-stderr run_container s4 'echo hi; mkdir /tmp/d 2>&1; echo "mkdir $?"' \
		'.linux.seccomp = {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 28,
		"syscalls": [{"names": '"$allow"', "action": "SCMP_ACT_ALLOW"}]}'
	expect_eq "an allow list (stderr: $stderr)" "hi $MKDIR_DENIED exit 0" "$(words "$output")"
	oci delete s4
}

@test "oci seccomp: without process.noNewPrivileges the filter is loaded before the capabilities go" {
	run --separate-stderr run_container n1 \
		'mkdir /tmp/d 2>&1; echo "mkdir $?"; grep -E "^(CapEff|NoNewPrivs|Seccomp):" /proc/self/status' \
		"$DENY_MKDIR"' | .process.noNewPrivileges = false'
	expect_eq "denied; no no_new_privs; the config's capabilities (stderr: $stderr)" \
		"$MKDIR_DENIED CapEff: 0000000000000420 NoNewPrivs: 0 Seccomp: 2 exit 0" \
		"$(words "$output")"
	oci delete n1
	# With the annotation, nook's default filter instead, which keeps no_new_privs.
	run --separate-stderr run_container n2 \
		'mkdir /tmp/d 2>&1; echo "mkdir $?"; grep -E "^(NoNewPrivs|Seccomp_filters):" /proc/self/status' \
		"$DENY_MKDIR"' | .process.noNewPrivileges = false | .annotations["run.nook.seccomp"] = "default"'
	expect_eq "nook's filter, not the config's (stderr: $stderr)" \
		"mkdir 0 NoNewPrivs: 1 Seccomp_filters: 1 exit 0" "$(words "$output")"
	oci delete n2
	# exec: as the config says, or with --no-new-privs; the filter either way.
	start_container n3 'echo up >/out/up; while :; do sleep 1; done # '"$TAG" \
		"$DENY_MKDIR"' | .process.noNewPrivileges = false' || return 1
	local probe='grep -E "^(NoNewPrivs|Seccomp_filters):" /proc/self/status'
	expect_eq "exec" "NoNewPrivs: 0 Seccomp_filters: 1" "$(words "$(oci exec n3 sh -c "$probe")")"
	expect_eq "exec --no-new-privs" "NoNewPrivs: 1 Seccomp_filters: 1" \
		"$(words "$(oci exec --no-new-privs n3 sh -c "$probe")")"
	oci delete --force n3
}

@test "oci: container ids are checked: no path, no dot first, bounded length" {
	write_config true
	local id
	for id in ../x a/b .hidden '' "$(printf 'a%.0s' {1..1025})"; do
		run --separate-stderr oci create --bundle "$BUNDLE" "$id"
		expect_nook_error || { echo "id [$id]" >&2; return 1; }
		expect_match "the message" 'invalid container id' "$stderr"
	done
	run --separate-stderr oci state ../x
	expect_nook_error
	[ ! -e "$ROOT" ] || [ -z "$(ls -A "$ROOT")" ] ||
		{ echo "something made under the root: $(ls -A "$ROOT")" >&2; return 1; }
	[ ! -e "$T/x" ] || { echo "../x made" >&2; return 1; }
}

@test "oci: kill takes signal names and numbers; delete --force ends a running container" {
	write_config 'while :; do sleep 1; done # '"$TAG"
	oci create --bundle "$BUNDLE" k1
	run --separate-stderr oci kill k1 SIGNOPE
	expect_nook_error
	expect_match "a bad signal" 'SIGNOPE: no such signal' "$stderr"
	# Created, not started: KILL ends it (pid 1 of its namespace, it has no handlers).
	oci kill k1 9
	wait_stopped k1 || return 1
	run --separate-stderr oci kill k1 KILL
	expect_nook_error
	expect_match "kill of a stopped container" 'not running' "$stderr"
	oci delete k1
	oci create --bundle "$BUNDLE" k2
	oci start k2
	expect_eq "state" running "$(state_of k2)"
	oci delete --force k2
	wait_no_procs "$TAG" || return 1
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
}

@test "oci: --log --log-format json has the notes and the errors as runc's JSON lines" {
	write_config true
	oci --log "$T/log" --log-format json create --bundle "$BUNDLE" l1
	expect_match "the cgroup mount's note" \
		'^\{"level":"warning","msg":"container l1: mounts\[5\]: cgroup at /sys/fs/cgroup: [^"]*","time":"[0-9T:Z-]+"\}$' \
		"$(grep cgroup "$T/log")"
	run --separate-stderr oci --log "$T/log" --log-format json state nope
	expect_nook_error
	expect_match "the error" '^\{"level":"error","msg":"container nope does not exist","time"' \
		"$(tail -n 1 "$T/log")"
	oci delete l1
}

# start_container ID SCRIPT [JQ-FILTER]: created and started; SCRIPT must write /out/up, then stay.
start_container() {
	write_config "$2" "${3:-.}" || return 1
	oci create --bundle "$BUNDLE" "$1" >"$T/$1.out" 2>&1 || { cat "$T/$1.out" >&2; return 1; }
	oci start "$1" || return 1
	wait_for_file "$T/out/up"
}

# What the container's process finds (a user namespace: the default filter denies it), then up.
STAY='unshare -U true >/out/unshare 2>&1; echo $? >>/out/unshare; echo up >/out/up; while :; do sleep 1; done # '

@test "oci exec: the container's namespaces, root and host name; no more capabilities than it; its filter; the exit status" {
	touch "$BUNDLE/rootfs/etc/exec-marker"
	start_container e1 "$STAY$TAG" '.annotations["run.nook.seccomp"] = "default"' || return 1
	local cpid
	cpid=$(oci state e1 | jq -r .pid)
	run --separate-stderr oci exec --env HOST_DIR="$NOOK_SRC" e1 sh -c 'tr "\0" " " </proc/1/cmdline; echo
		hostname; [ -e /etc/exec-marker ] && echo root; [ -e "$HOST_DIR/meson.build" ] || echo no-host
		grep -E "^Cap(Eff|Bnd|Prm)" /proc/self/status; unshare -U true 2>&1; echo $?'
	expect_eq "status (stderr: $stderr)" 0 "$status"
	expect_match "pid 1 is the container's process" "^sh -c .*$TAG" "${lines[0]}"
	expect_eq "host name, root, not the host's files" "nook-oci-test root no-host" \
		"${lines[1]} ${lines[2]} ${lines[3]}"
	expect_eq "the capabilities: the container's (CAP_KILL, CAP_NET_BIND_SERVICE)" \
		"CapPrm:	0000000000000420 CapEff:	0000000000000420 CapBnd:	0000000000000420" \
		"${lines[4]} ${lines[5]} ${lines[6]}"
	expect_eq "the filter: a user namespace is denied as it is to the container's process" \
		"$(cat "$T/out/unshare")" "${lines[7]}
${lines[8]}"
	expect_eq "denied" 1 "${lines[8]}"
	expect_eq "the pid namespace" "$(readlink "/proc/$cpid/ns/pid")" \
		"$(oci exec e1 sh -c 'readlink /proc/self/ns/pid')"
	# More capabilities asked for than the container has: not given.
	expect_eq "--cap" "CapEff:	0000000000000420" \
		"$(oci exec --cap CAP_SYS_ADMIN --cap CAP_DAC_OVERRIDE e1 grep ^CapEff /proc/self/status)"
	jq '.process | .args = ["grep", "^CapEff", "/proc/self/status"] |
		.capabilities = {"bounding": ["CAP_SYS_ADMIN", "CAP_KILL", "CAP_SETUID"],
			"effective": ["CAP_SYS_ADMIN", "CAP_KILL", "CAP_SETUID"],
			"permitted": ["CAP_SYS_ADMIN", "CAP_KILL", "CAP_SETUID"]}' \
		"$BUNDLE/config.json" >"$T/process.json"
	expect_eq "--process asking for more: what it asks that the container has" "CapEff:	0000000000000020" \
		"$(oci exec --process "$T/process.json" e1)"
	# The exit status, and a signal's.
	run --separate-stderr oci exec e1 sh -c 'exit 7'
	expect_eq "exit 7 (stderr: $stderr)" 7 "$status"
	run --separate-stderr oci exec e1 sh -c 'kill -TERM $$'
	expect_eq "killed by SIGTERM" 143 "$status"
	run -127 --separate-stderr oci exec e1 /nonexistent
	expect_eq "a program that is not there" 127 "$status"
	oci delete --force e1
}

@test "oci exec: the config's own filter applies to the process; the control: without it" {
	start_container e2 'echo up >/out/up; while :; do sleep 1; done # '"$TAG" "$DENY_MKDIR" ||
		return 1
	run --separate-stderr oci exec e2 sh -c 'mkdir /tmp/d 2>&1; echo "mkdir $?"
		grep ^Seccomp_filters /proc/self/status'
	expect_eq "exec: mkdir denied (stderr: $stderr)" "$MKDIR_DENIED Seccomp_filters: 1" \
		"$(words "$output")"
	oci delete --force e2
	rm -f "$T/out/up"
	start_container e3 'echo up >/out/up; while :; do sleep 1; done # '"$TAG" || return 1
	run --separate-stderr oci exec e3 sh -c 'mkdir /tmp/d 2>&1; echo "mkdir $?"'
	expect_eq "exec without a filter: mkdir works (stderr: $stderr)" "mkdir 0" "$output"
	oci delete --force e3
}

@test "oci exec: the control: without the filter's annotation a user namespace is allowed, in the container and in exec" {
	start_container e2 "$STAY$TAG" || return 1
	expect_eq "the container's process" 0 "$(cat "$T/out/unshare")"
	expect_eq "exec" 0 "$(oci exec e2 sh -c 'unshare -U true 2>&1; echo $?')"
	# Without the config create kept (an older nook's container) there is nothing to go by.
	rm "$ROOT/e2/config.json"
	run --separate-stderr oci exec e2 true
	expect_nook_error
	expect_match "no config" 'container e2: no config kept' "$stderr"
	oci delete --force e2
}

@test "oci exec --detach --pid-file: returns while the process runs; the pid file has its host pid; ps lists it" {
	start_container e3 "$STAY$TAG" || return 1
	local cpid pid
	cpid=$(oci state e3 | jq -r .pid)
	oci exec --detach --pid-file "$T/x.pid" e3 sh -c 'echo $$ >/out/inner; exec sleep 30 # '"$TAG"
	pid=$(cat "$T/x.pid")
	kill -0 "$pid" || { echo "the detached process is gone" >&2; return 1; }
	wait_for_file "$T/out/inner" || return 1
	expect_eq "the pid file's process is the one in the container" "$(cat "$T/out/inner")" \
		"$(awk '/^NSpid:/ { print $NF }' "/proc/$pid/status")"
	expect_eq "in the container's pid namespace" "$(readlink "/proc/$cpid/ns/pid")" \
		"$(readlink "/proc/$pid/ns/pid")"
	local json
	json=$(oci ps --format json e3)
	expect_eq "ps json: the container's process and exec's" "true true" \
		"$(jq -r --argjson a "$cpid" --argjson b "$pid" '[index($a) != null, index($b) != null] | join(" ")' <<<"$json")"
	local p
	for p in $(jq -r '.[]' <<<"$json"); do
		[ ! -e "/proc/$p" ] || [ "$(readlink "/proc/$p/ns/pid")" = "$(readlink "/proc/$cpid/ns/pid")" ] ||
			{ echo "ps lists $p, not of the container" >&2; return 1; }
	done
	expect_match "ps table" "(^|
)$pid +[0-9]+ +sleep 30(\$|
)" "$(oci ps e3)"
	oci delete --force e3
	run --separate-stderr oci ps e3
	expect_nook_error
}

@test "oci exec --tty --console-socket: a pty of the container's devpts, its master sent, as conmon takes it" {
	start_container e4 "$STAY$TAG" || return 1
	run --separate-stderr timeout -k 5 60 "$NOOK_SRC/tests/integration/helpers/oci_reaper.py" \
		--console "$T/console" "$T/x.pid" "$NOOK" oci --root "$ROOT" exec --detach --tty \
		--console-socket "$T/console" --pid-file "$T/x.pid" e4 \
		sh -c 'tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo ttys; exit 4' -- true
	expect_eq "stderr" "" "$stderr"
	expect_eq "output" "/dev/pts/0
ttys
exit 4" "$output"
	run --separate-stderr oci exec --tty e4 true
	expect_nook_error
	expect_match "--tty without a socket" 'needs --console-socket' "$stderr"
	oci delete --force e4
}

@test "oci exec: signals to exec reach the process; --preserve-fds keeps the caller's fds, and only those" {
	start_container e6 "$STAY$TAG" || return 1
	echo secret >"$T/fd3"
	expect_eq "--preserve-fds 1" secret "$(oci exec --preserve-fds 1 e6 cat /proc/self/fd/3 3<"$T/fd3")"
	run --separate-stderr oci exec e6 cat /proc/self/fd/3 3<"$T/fd3"
	expect_eq "without: fd 3 closed (stderr: $stderr)" 1 "$status"
	# Not through a pipe: a command substitution would wait for the process's stdout.
	# nook itself, not timeout's wrapper, gets the signal.
	"$NOOK" oci --root "$ROOT" exec e6 sh -c 'trap "echo term >/out/sig; exit 9" TERM; echo >/out/ready; i=0; while [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done # '"$TAG" \
		>"$T/e6.out" 2>&1 &
	local waiter=$!
	wait_for_file "$T/out/ready" || return 1
	kill -TERM "$waiter"
	local st=0
	wait "$waiter" || st=$?
	expect_eq "exec's status: the process's" 9 "$st"
	expect_eq "the process got SIGTERM" term "$(cat "$T/out/sig")"
	oci delete --force e6
}

@test "oci exec into a created or a stopped container is refused, naming its status" {
	write_config "$STAY$TAG"
	oci create --bundle "$BUNDLE" e5 >"$T/e5.out" 2>&1
	run --separate-stderr oci exec e5 touch /out/ran
	expect_nook_error
	expect_match "created" 'container e5 is created, not running' "$stderr"
	oci kill e5 KILL
	wait_stopped e5 || return 1
	run --separate-stderr oci exec e5 touch /out/ran
	expect_nook_error
	expect_match "stopped" 'container e5 is stopped, not running' "$stderr"
	[ ! -e "$T/out/ran" ] || { echo "exec ran something" >&2; return 1; }
	run --separate-stderr oci exec nope true
	expect_nook_error
	expect_match "no such container" 'container nope does not exist' "$stderr"
	oci delete e5
}

@test "oci create/run --preserve-fds N: the process keeps the caller's fds 3 to 2+N, no others; one not open is refused" {
	echo "from fd 3" >"$T/in"
	write_config 'cat <&3; echo "to fd 4" >&4; ls /proc/self/fd | sort -n | tr "\n" " "'
	run --separate-stderr timeout -k 5 30 "$NOOK" oci --root "$ROOT" run --preserve-fds 2 \
		--bundle "$BUNDLE" pf1 3<"$T/in" 4>"$T/out4" 5>"$T/out5"
	expect_eq "status (stderr: $stderr)" 0 "$status"
	expect_eq "fd 3 read, and the fds open" "from fd 3
0 1 2 3 4 5 " "$output"
	expect_eq "fd 4 written" "to fd 4" "$(cat "$T/out4")"
	# The control: fd 5 (beyond N) is not the caller's there (5 above is ls's own).
	write_config 'echo x >&5 && echo wrote'
	run --separate-stderr timeout -k 5 30 "$NOOK" oci --root "$ROOT" run --preserve-fds 2 \
		--bundle "$BUNDLE" pf2 3<"$T/in" 4>"$T/out4" 5>"$T/out5"
	expect_eq "fd 5 closed" "" "$output$(cat "$T/out5")"
	run --separate-stderr oci create --preserve-fds 2 --bundle "$BUNDLE" pf3 3<"$T/in" 4>&-
	expect_nook_error
	expect_match "not open" 'preserve-fds 2: fd 4 is not open' "$stderr"
}

@test "oci run: create, start and wait in one command: the program's streams and exit status, the container deleted after (--keep: stopped), a signal passed on; --detach returns" {
	write_config 'read line; echo "got $line"; echo err >&2; exit 5'
	run --separate-stderr timeout -k 5 30 "$NOOK" oci --root "$ROOT" run --bundle "$BUNDLE" \
		--pid-file "$T/r1.pid" r1 <<<"input"
	expect_eq "exit status (stderr: $stderr)" 5 "$status"
	expect_eq "stdout" "got input" "$output"
	expect_eq "stderr" err "$stderr"
	[ -s "$T/r1.pid" ] || { echo "no --pid-file" >&2; return 1; }
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"

	write_config 'exit 0'
	oci run --keep --bundle "$BUNDLE" r2
	expect_eq "state with --keep" stopped "$(state_of r2)"
	oci delete r2

	# pid 1 of its pid namespace: the TERM it gets from run is the one it handles.
	write_config 'trap "echo term >/out/term; exit 9" TERM; echo up >/out/up
		while :; do sleep 1; done # '"$TAG"
	# nook itself is $!: not the oci function's shell, nor timeout.
	"$NOOK" oci --root "$ROOT" run --bundle "$BUNDLE" r3 >"$T/r3.out" 2>&1 &
	local runner=$!
	wait_for_file "$T/out/up" || return 1
	kill -TERM "$runner"
	local rc=0
	wait "$runner" || rc=$?
	expect_eq "run's status after TERM (output: $(cat "$T/r3.out"))" 9 "$rc"
	expect_eq "the program got the signal" term "$(cat "$T/out/term")"
	wait_no_procs "$TAG" || return 1

	rm -f "$T/out/up"
	write_config 'echo up >/out/up; while :; do sleep 1; done # '"$TAG"
	oci run --detach --bundle "$BUNDLE" r4 >/dev/null 2>&1
	wait_for_file "$T/out/up" || return 1
	expect_eq "state after run --detach" running "$(state_of r4)"
	oci delete --force r4
	wait_no_procs "$TAG" || return 1
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"

	run --separate-stderr oci create --keep --bundle "$BUNDLE" r5
	expect_nook_error
	expect_match "run's option to create" 'an option of run only' "$stderr"
}

# ---- run.nook.profile ----

# The test's profile: what a container can be given, and one line of each kind it cannot.
write_test_profile() {
	mkdir -p "$BUNDLE/rootfs/etc" "$BUNDLE/rootfs/home/u"
	echo secret >"$BUNDLE/rootfs/etc/secret"
	echo hidden >"$BUNDLE/rootfs/home/u/hidden"
	cat >"$T/test.profile" <<'EOF2'
# ${HOME} is the container process's HOME.
blacklist /etc/secret
blacklist ${HOME}/hid*
caps.drop all
seccomp.drop mkdir,mkdirat
nonewprivs
rlimit-nofile 100
whitelist /tmp
net none
EOF2
}

# What each line of the profile changes, from inside.
PROFILE_PROBE='cat /etc/secret 2>/dev/null | wc -c; cat /home/u/hidden 2>/dev/null | wc -c
grep -E "^(CapEff|NoNewPrivs)" /proc/self/status; mkdir /tmp/d 2>/dev/null; echo mkdir $?
ulimit -n'

# run_container_log ID SCRIPT [JQ-FILTER]: run_container with --log "$T/log".
run_container_log() {
	write_config "$2" "${3:-.}" || return 1
	timeout -k 5 60 "$NOOK_SRC/tests/integration/helpers/oci_reaper.py" "$T/$1.pid" \
		"$NOOK" oci --root "$ROOT" --log "$T/log" create --bundle "$BUNDLE" \
		--pid-file "$T/$1.pid" "$1" -- "$NOOK" oci --root "$ROOT" start "$1"
}

@test "oci: run.nook.profile: blacklist masks the image's files (\${HOME} the process's), caps.drop all, seccomp.drop, nonewprivs, the lower rlimit; the directives not applied are noted" {
	write_test_profile
	local env='.process.env += ["HOME=/home/u"]'
	run --separate-stderr run_container_log p1 "$PROFILE_PROBE" \
		"$env"' | .annotations["run.nook.profile"] = "'"$T/test.profile"'"'
	expect_eq "stderr" "" "$stderr"
	expect_eq "with the profile" "0 0 CapEff: 0000000000000000 NoNewPrivs: 1 mkdir 1 100 exit 0" \
		"$(words "$output")"
	expect_match "whitelist's note" \
		"annotations\.run\.nook\.profile: $T/test\.profile:8: whitelist: not applied: a view of the host's files" \
		"$(grep 'container p1:' "$T/log")"
	expect_match "net's note" "test\.profile:9: net: not applied: the engine makes" \
		"$(grep 'container p1:' "$T/log")"
	expect_eq "notes of the lines applied" "" \
		"$(grep 'container p1:' "$T/log" | grep -E 'profile:[1-7]:')"
	oci delete p1
	# The control: the same container without the annotation.
	run --separate-stderr run_container p2 "$PROFILE_PROBE" "$env"
	expect_eq "without it" "7 7 CapEff: 0000000000000420 NoNewPrivs: 1 mkdir 0 512 exit 0" \
		"$(words "$output")"
	oci delete p2
	# The config's limit lower than the profile's: the config's.
	run --separate-stderr run_container p3 'ulimit -n' \
		'.process.rlimits[0] = {"type": "RLIMIT_NOFILE", "hard": 64, "soft": 64}
		| .annotations["run.nook.profile"] = "'"$T/test.profile"'"'
	expect_eq "the lower limit" "64 exit 0" "$(words "$output")"
	oci delete p3
}

@test "oci exec: a container with run.nook.profile: exec's process is confined by the profile too" {
	write_test_profile
	local env='.process.env += ["HOME=/home/u"]'
	start_container x1 "echo up >/out/up; while :; do sleep 1; done # $TAG" \
		"$env"' | .annotations["run.nook.profile"] = "'"$T/test.profile"'"' || return 1
	run --separate-stderr oci exec --cap CAP_KILL x1 sh -c "$PROFILE_PROBE"
	expect_eq "exec (stderr: $stderr)" "0 0 CapEff: 0000000000000000 NoNewPrivs: 1 mkdir 1 100" \
		"$(words "$output")"
	# --process with limits and capabilities of its own: the profile's still hold.
	jq '.process | .args = ["sh", "-c", "grep ^CapEff /proc/self/status; ulimit -n"] |
		.rlimits = [{"type": "RLIMIT_NOFILE", "hard": 300, "soft": 300}]' \
		"$BUNDLE/config.json" >"$T/process.json"
	expect_eq "--process" "CapEff: 0000000000000000 100" \
		"$(words "$(oci exec --process "$T/process.json" x1)")"
	# The profile changed since create: exec would confine otherwise, and is refused.
	cp "$T/test.profile" "$T/test.profile.orig"
	sed -i '/^caps.drop all$/d' "$T/test.profile"
	run --separate-stderr oci exec x1 sh -c "$PROFILE_PROBE"
	expect_nook_error
	expect_eq "nothing ran" "" "$output"
	expect_match "refused" "container x1: its profile \($T/test\.profile\) changed since the container was created: exec refused" "$stderr"
	mv "$T/test.profile.orig" "$T/test.profile"
	run --separate-stderr oci exec x1 sh -c "$PROFILE_PROBE"
	expect_eq "as it was: exec again (stderr: $stderr)" "0 0 CapEff: 0000000000000000 NoNewPrivs: 1 mkdir 1 100" \
		"$(words "$output")"
	oci delete --force x1
	# The control: exec into the same container without the profile.
	rm "$T/out/up"
	start_container x2 "echo up >/out/up; while :; do sleep 1; done # $TAG" "$env" || return 1
	run --separate-stderr oci exec x2 sh -c "$PROFILE_PROBE"
	expect_eq "exec without (stderr: $stderr)" "7 7 CapEff: 0000000000000420 NoNewPrivs: 1 mkdir 0 512" \
		"$(words "$output")"
	oci delete --force x2
}

@test "oci: run.nook.profile by a shipped profile's name (make): its blacklists, caps and filter apply; its other lines are noted" {
	export NOOK_PROFILE_DIR="$NOOK_SRC/profiles"
	mkdir -p "$BUNDLE/rootfs/root/.ssh"
	echo key >"$BUNDLE/rootfs/root/.ssh/id_rsa"
	local probe='grep ^CapEff /proc/self/status; cat /root/.ssh/id_rsa 2>/dev/null | wc -c
		unshare -U true 2>/dev/null; echo unshare $?'
	run --separate-stderr run_container_log s1 "$probe" '.annotations["run.nook.profile"] = "make"'
	expect_eq "make's profile (stderr: $stderr)" "CapEff: 0000000000000000 0 unshare 1 exit 0" \
		"$(words "$output")"
	expect_match "its read-write's note names its file and line" \
		'profiles/make\.profile:[0-9]+: read-write: not applied' "$(grep 'container s1:' "$T/log")"
	oci delete s1
	run --separate-stderr run_container s2 "$probe"
	expect_eq "without it" "CapEff: 0000000000000420 4 unshare 0 exit 0" "$(words "$output")"
	oci delete s2
}

@test "oci: run.nook.profile that is not found, has errors or is relative: create fails naming the annotation (and the line); nothing is left" {
	write_config true '.annotations["run.nook.profile"] = "nope-'"$TAG"'"'
	run --separate-stderr oci create --bundle "$BUNDLE" r1
	expect_nook_error
	expect_match "not found" "annotations\.run\.nook\.profile: nope-$TAG: no such profile" "$stderr"
	printf 'caps.drop all\nrlimit-nofile lots\n' >"$T/bad.profile"
	write_config true '.annotations["run.nook.profile"] = "'"$T/bad.profile"'"'
	run --separate-stderr oci create --bundle "$BUNDLE" r2
	expect_nook_error
	expect_match "its error" "annotations\.run\.nook\.profile: $T/bad\.profile:2: rlimit-nofile" "$stderr"
	write_config true '.annotations["run.nook.profile"] = "x/y.profile"'
	run --separate-stderr oci create --bundle "$BUNDLE" r3
	expect_nook_error
	expect_match "relative" 'annotations\.run\.nook\.profile: x/y\.profile: a path must be absolute' \
		"$stderr"
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT" 2>/dev/null)"
}

# write_hook: $T/hook.sh, and the same as /hook.sh in the container's root. Run as
# `hook STAGE DIR [EXIT]`: appends STAGE to DIR/log; keeps its stdin (the state) in
# DIR/STAGE.json, its environment in DIR/STAGE.env (not createContainer's), its host name,
# uid and root's entries in DIR/STAGE.where; then exits with EXIT (default 0). HOOK_SLEEP in
# its env: it sleeps that long first.
write_hook() {
	cat >"$T/hook.sh" <<'EOF'
#!/bin/sh
[ -z "$HOOK_SLEEP" ] || sleep "$HOOK_SLEEP"
echo "$1" >>"$2/log"
cat >"$2/$1.json"
# createContainer's $$ is of the container's pid namespace, its /proc still the host's.
[ "$1" = createContainer ] || tr '\0' '\n' <"/proc/$$/environ" >"$2/$1.env"
{ hostname; id -u; ls /; } >"$2/$1.where"
exit "${3:-0}"
EOF
	chmod 755 "$T/hook.sh"
	cp "$T/hook.sh" "$BUNDLE/rootfs/hook.sh"
}

# hook_json STAGE [EXIT] [JQ-FILTER]: one hook of STAGE as config.json has it, run on the
# host but for startContainer (in the container, where /out is "$T/out").
hook_json() {
	local path="$T/hook.sh" dir="$T/out"
	if [ "$1" = startContainer ]; then
		path=/hook.sh
		dir=/out
	fi
	jq -nc --arg path "$path" --arg stage "$1" --arg dir "$dir" --arg exit "${2:-0}" \
		'{path: $path, args: ["hook", $stage, $dir, $exit],
		  env: ["PATH=/bin:/usr/bin", "HOOK_VAR=a b"]} | '"${3:-.}"
}

# all_hooks: a jq filter that gives the config one hook of each stage.
all_hooks() {
	local stage filter='.hooks = {}'
	for stage in prestart createRuntime createContainer startContainer poststart poststop; do
		filter+=" | .hooks.$stage = [$(hook_json "$stage")]"
	done
	printf '%s' "$filter"
}

# The stages in $T/out/log, on one line.
hooks_ran() {
	tr '\n' ' ' <"$T/out/log" | sed 's/ $//'
}

@test "oci hooks: every stage, in the runtime-spec's order, each with the state of its moment on stdin, its args, exactly its env" {
	write_hook
	write_config 'echo ran >/out/ran; while :; do sleep 1; done # '"$TAG" "$(all_hooks)"
	oci create --bundle "$BUNDLE" --pid-file "$T/pid" h1 >"$T/h1.out" 2>&1 ||
		{ cat "$T/h1.out" >&2; return 1; }
	local pid stage
	pid=$(cat "$T/pid")
	expect_eq "the hooks of create" "prestart createRuntime createContainer" "$(hooks_ran)"
	for stage in prestart createRuntime createContainer; do
		expect_eq "$stage: status, pid, id, bundle, annotation" \
			"creating $pid h1 $BUNDLE x" \
			"$(jq -r '"\(.status) \(.pid) \(.id) \(.bundle) \(.annotations["test.tag"])"' \
				"$T/out/$stage.json")"
	done
	expect_eq "exactly its env" "PATH=/bin:/usr/bin
HOOK_VAR=a b" "$(cat "$T/out/createRuntime.env")"
	# The runtime's hooks run as the caller, in the host's uts namespace; createContainer in
	# the container's namespaces (its user namespace: uid 0), before its host name is set.
	expect_eq "createRuntime: host name and uid" "$(hostname) $(id -u)" \
		"$(head -2 "$T/out/createRuntime.where" | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "createContainer's uid" 0 "$(sed -n 2p "$T/out/createContainer.where")"
	[ ! -e "$T/out/startContainer.json" ] ||
		{ echo "startContainer ran at create" >&2; return 1; }
	oci start h1
	expect_eq "after start" "prestart createRuntime createContainer startContainer poststart" \
		"$(hooks_ran)"
	expect_eq "startContainer: status, pid" "created $pid" \
		"$(jq -r '"\(.status) \(.pid)"' "$T/out/startContainer.json")"
	expect_eq "poststart: status, pid" "running $pid" \
		"$(jq -r '"\(.status) \(.pid)"' "$T/out/poststart.json")"
	# startContainer: in the container, its root (where /hook.sh and /out are) and host name.
	expect_eq "startContainer's host name" nook-oci-test \
		"$(head -1 "$T/out/startContainer.where")"
	grep -qx hook.sh "$T/out/startContainer.where" ||
		{ echo "startContainer did not see the container's root" >&2; return 1; }
	expect_eq "startContainer: exactly its env" "PATH=/bin:/usr/bin
HOOK_VAR=a b" "$(cat "$T/out/startContainer.env")"
	wait_for_file "$T/out/ran" || return 1
	oci kill h1 KILL
	wait_no_procs "$TAG" || return 1
	oci delete h1
	expect_eq "after delete" \
		"prestart createRuntime createContainer startContainer poststart poststop" \
		"$(hooks_ran)"
	expect_eq "poststop: status, pid, id" "stopped 0 h1" \
		"$(jq -r '"\(.status) \(.pid) \(.id)"' "$T/out/poststop.json")"
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
}

@test "oci hooks: a failing prestart, createRuntime or createContainer hook fails create, naming it; no process, no state is left" {
	write_hook
	local stage
	for stage in prestart createRuntime createContainer; do
		write_config 'true # '"$TAG" \
			".hooks.$stage = [$(hook_json "$stage"), $(hook_json "$stage" 3)]"
		rm -f "$T/out/log"
		run --separate-stderr oci create --bundle "$BUNDLE" f1
		expect_nook_error || return 1
		expect_match "$stage: the message" \
			"^nook: hook hooks\.$stage\[1\] \($T/hook\.sh\): exited with status 3\$" \
			"$stderr"
		expect_eq "$stage: both ran" "$stage $stage" "$(hooks_ran)"
		wait_no_procs "$ROOT" || return 1
		expect_eq "$stage: what is left under --root" "" "$(ls -A "$ROOT")"
	done
	write_config true '.hooks.createRuntime = [{"path": "/nonexistent-'"$TAG"'"}]'
	run --separate-stderr oci create --bundle "$BUNDLE" f2
	expect_nook_error
	expect_match "a hook that is not there" \
		'hooks\.createRuntime\[0\] \(/nonexistent-.*\): cannot run it: No such file' "$stderr"
	write_config true \
		'.hooks.poststart = [{"path": "/bin/true"}, {"path": "/bin/true", "timeout": 0}]'
	run --separate-stderr oci create --bundle "$BUNDLE" f3
	expect_nook_error
	expect_match "a bad timeout" \
		'config\.json: hooks\.poststart\[1\]\.timeout: must be more than 0' "$stderr"
	write_config true '.hooks.prestart = [{"path": "hook.sh"}]'
	run --separate-stderr oci create --bundle "$BUNDLE" f4
	expect_nook_error
	expect_match "a relative path" 'hooks\.prestart\[0\]\.path: must be an absolute path' \
		"$stderr"
	wait_no_procs "$ROOT" || return 1
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
}

@test "oci hooks: a hook past its timeout is killed and fails the operation within about the timeout" {
	write_hook
	write_config 'true # '"$TAG" ".hooks.createRuntime = [$(hook_json createRuntime 0 \
		'.timeout = 1 | .env += ["HOOK_SLEEP=30"]')]"
	local t0=$SECONDS
	run --separate-stderr oci create --bundle "$BUNDLE" t1
	expect_nook_error
	expect_match "the message" \
		'hooks\.createRuntime\[0\] .*: still running after its timeout of 1 s: killed' "$stderr"
	[ $((SECONDS - t0)) -lt 10 ] || { echo "create took $((SECONDS - t0)) s" >&2; return 1; }
	wait_no_procs "$ROOT" || return 1
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
}

@test "oci hooks: a failing startContainer hook fails start, the container stopped; poststart and poststop failures only warn" {
	write_hook
	write_config 'echo ran >/out/ran # '"$TAG" \
		".hooks.startContainer = [$(hook_json startContainer 5)]"
	oci create --bundle "$BUNDLE" s1 >"$T/s1.out" 2>&1 || { cat "$T/s1.out" >&2; return 1; }
	run --separate-stderr oci start s1
	expect_nook_error
	expect_match "start's message" 'container s1: its startContainer hooks failed' "$stderr"
	grep -q 'hook hooks\.startContainer\[0\] (/hook\.sh): exited with status 5' "$T/s1.out" ||
		{ cat "$T/s1.out" >&2; return 1; }
	wait_no_procs "$TAG" || return 1
	expect_eq "state" stopped "$(state_of s1)"
	[ ! -e "$T/out/ran" ] || { echo "the program ran" >&2; return 1; }
	oci delete s1
	rm -f "$T/out/log"
	write_config 'while :; do sleep 1; done # '"$TAG" \
		".hooks.poststart = [$(hook_json poststart 6)] |
		 .hooks.poststop = [$(hook_json poststop 4), $(hook_json poststop)]"
	oci create --bundle "$BUNDLE" s2 >"$T/s2.out" 2>&1 || { cat "$T/s2.out" >&2; return 1; }
	run --separate-stderr oci start s2
	expect_eq "start's status (stderr: $stderr)" 0 "$status"
	expect_match "poststart warns" \
		'^nook: warning: container s2: hook hooks\.poststart\[0\] .*: exited with status 6$' \
		"$stderr"
	expect_eq "state" running "$(state_of s2)"
	run --separate-stderr oci delete --force s2
	expect_eq "delete's status (stderr: $stderr)" 0 "$status"
	expect_match "poststop warns" \
		'^nook: warning: container s2: hook hooks\.poststop\[0\] .*: exited with status 4$' \
		"$stderr"
	expect_eq "every hook ran" "poststart poststop poststop" "$(hooks_ran)"
	wait_no_procs "$TAG" || return 1
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
}

@test "oci: nook-oci is nook oci" {
	ln -s "$NOOK" "$T/nook-oci"
	run "$T/nook-oci" --version
	expect_match "version" '^nook-oci version ' "$output"
	run "$T/nook-oci" features
	expect_eq "features is JSON" 1.0.0 "$(jq -r .ociVersionMin <<<"$output")"
	expect_eq "seccomp, its actions" "true SCMP_ACT_ERRNO" \
		"$(jq -r '"\(.linux.seccomp.enabled) \(.linux.seccomp.actions | index("SCMP_ACT_ERRNO") as $i | .[$i])"' <<<"$output")"
	expect_eq "features: the hook stages" \
		"prestart createRuntime createContainer startContainer poststart poststop" \
		"$(jq -r '.hooks | join(" ")' <<<"$output")"
}

# ---- podman ----

podman_() {
	timeout -k 5 120 podman --log-level=error --root "$PODMAN_STORE/storage" \
		--runroot "$PODMAN_STORE/run" --storage-driver=vfs "$@"
}

# Podman's storage in the test's directory, the busybox image imported, nook-oci linked.
podman_setup() {
	command -v podman >/dev/null || skip "podman is not installed"
	PODMAN_STORE="$T/podman"
	mkdir -p "$PODMAN_STORE"
	ln -s "$NOOK" "$T/nook-oci"
	tar cf "$T/image.tar" --numeric-owner --owner=0 --group=0 -C "$BUNDLE/rootfs" . ||
		return 1
	podman_ import -q "$T/image.tar" localhost/nook-oci-test >/dev/null
}

@test "podman --runtime=nook-oci run --rm: true, output, exit status" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	podman_setup || return 1
	local run=(podman_ --runtime="$T/nook-oci" run --rm --network=none localhost/nook-oci-test)
	run --separate-stderr "${run[@]}" true
	expect_eq "true (stderr: $stderr)" 0 "$status"
	run --separate-stderr "${run[@]}" echo hi
	expect_eq "echo hi (stderr: $stderr)" "0 hi" "$status $output"
	run --separate-stderr "${run[@]}" sh -c 'exit 3'
	expect_eq "exit 3 (stderr: $stderr)" 3 "$status"
	run --separate-stderr "${run[@]}" sh -c 'grep ^CapEff /proc/self/status; hostname; id -u'
	expect_eq "stderr" "" "$stderr"
	expect_eq "podman's capabilities" "CapEff:	00000000800405fb" "${lines[0]}"
	expect_eq "uid" 0 "${lines[2]}"
	# -t: the terminal through conmon's console socket.
	run --separate-stderr "${run[@]:0:5}" -t "${run[@]:5}" sh -c 'tty; exit 5'
	expect_eq "run -t (stderr: $stderr)" "5 /dev/pts/0" "$status $(tr -d '\r' <<<"$output")"
	# -i: the caller's stdin through conmon to the container's.
	run --separate-stderr "${run[@]:0:5}" -i "${run[@]:5}" sh -c 'cat; exit 6' <<<"piped in"
	expect_eq "run -i (stderr: $stderr)" "6 piped in" "$status $output"
	expect_eq "podman's containers left" "" "$(podman_ ps -aq)"
}

@test "podman --runtime=nook-oci: podman's seccomp profile and --security-opt seccomp=FILE are loaded" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	podman_setup || return 1
	local run=(podman_ --runtime="$T/nook-oci" run --rm --network=none)
	local probe='grep -E "^(NoNewPrivs|Seccomp|Seccomp_filters):" /proc/self/status; mkdir /tmp/d 2>&1; echo "mkdir $?"'
	# podman's default profile, one filter, loaded without no_new_privs (podman's default).
	run --separate-stderr "${run[@]}" localhost/nook-oci-test sh -c "$probe"
	expect_eq "podman's profile (stderr: $stderr)" \
		"NoNewPrivs: 0 Seccomp: 2 Seccomp_filters: 1 mkdir 0" "$(words "$output")"
	# The control: unconfined, no filter.
	run --separate-stderr "${run[@]}" --security-opt seccomp=unconfined localhost/nook-oci-test \
		sh -c "$probe"
	expect_eq "unconfined (stderr: $stderr)" "NoNewPrivs: 0 Seccomp: 0 Seccomp_filters: 0 mkdir 0" \
		"$(words "$output")"
	# A profile of the user's: mkdir fails with its errno.
	cat >"$T/profile.json" <<'EOF'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 28}]}
EOF
	run --separate-stderr "${run[@]}" --security-opt seccomp="$T/profile.json" \
		--security-opt no-new-privileges localhost/nook-oci-test sh -c "$probe"
	expect_eq "--security-opt seccomp=FILE (stderr: $stderr)" \
		"NoNewPrivs: 1 Seccomp: 2 Seccomp_filters: 1 mkdir: can't create directory '/tmp/d': No space left on device mkdir 1" \
		"$(words "$output")"
	expect_eq "podman's containers left" "" "$(podman_ ps -aq)"
}

@test "podman --runtime=nook-oci: run -d, ps, stop (SIGTERM, then SIGKILL after the timeout), logs, rm" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	podman_setup || return 1
	local p=(podman_ --runtime="$T/nook-oci") id
	id=$("${p[@]}" run -d --network=none --annotation run.nook.seccomp=default \
		localhost/nook-oci-test sh -c 'trap "echo term; exit 9" TERM; while :; do sleep 0.2; done')
	expect_match "podman ps, through nook oci state" "^${id:0:12} Up" \
		"$("${p[@]}" ps --format '{{.ID}} {{.Status}}')"
	"${p[@]}" stop -t 10 "$id" >/dev/null
	expect_match "stopped by SIGTERM, which it handles" '^Exited \(9\)' \
		"$("${p[@]}" ps -a --format '{{.Status}}')"
	expect_eq "its output" term "$("${p[@]}" logs "$id")"
	"${p[@]}" rm "$id" >/dev/null
	# pid 1 without a handler: SIGTERM does nothing, SIGKILL after the timeout.
	id=$("${p[@]}" run -d --network=none --annotation run.nook.seccomp=default \
		localhost/nook-oci-test sleep 1000)
	"${p[@]}" stop -t 1 "$id" >/dev/null
	expect_match "killed" '^Exited \(137\)' "$("${p[@]}" ps -a --format '{{.Status}}')"
	"${p[@]}" rm "$id" >/dev/null
	expect_eq "podman's containers left" "" "$("${p[@]}" ps -aq)"
}

@test "podman --runtime=nook-oci: exec (output, exit status, -d, -t, --user, --env, --workdir)" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	# mkimage's root is mktemp's (0700): a uid other than 0 could not reach /bin.
	chmod 755 "$BUNDLE/rootfs"
	podman_setup || return 1
	local p=(podman_ --runtime="$T/nook-oci") id
	id=$("${p[@]}" run -d --network=none localhost/nook-oci-test sleep 1000)
	run --separate-stderr "${p[@]}" exec "$id" echo hi
	expect_eq "exec echo hi (stderr: $stderr)" "0 hi" "$status $output"
	run --separate-stderr "${p[@]}" exec "$id" sh -c 'exit 7'
	expect_eq "exec exit 7 (stderr: $stderr)" 7 "$status"
	run --separate-stderr "${p[@]}" exec -t "$id" tty
	expect_match "exec -t (stderr: $stderr)" '^/dev/pts/[0-9]+' "$output"
	run --separate-stderr "${p[@]}" exec -u 1000:1000 -e FOO=bar -w /tmp "$id" \
		sh -c 'id -u; id -g; echo $FOO; pwd; grep ^CapEff /proc/self/status'
	expect_eq "exec -u -e -w (stderr: $stderr)" "1000 1000 bar /tmp CapEff: 0000000000000000" \
		"$(words "$output")"
	"${p[@]}" exec -d "$id" sh -c 'echo detached >/tmp/d'
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$("${p[@]}" exec "$id" cat /tmp/d 2>/dev/null)" = detached ] && break
		sleep 0.1
	done
	expect_eq "exec -d ran" detached "$("${p[@]}" exec "$id" cat /tmp/d)"
	"${p[@]}" rm -f -t 0 "$id" >/dev/null
	expect_eq "podman's containers left" "" "$("${p[@]}" ps -aq)"
}

# The engine does the networking: podman attaches slirp4netns to the container nook made.
# Traffic stays on loopback: a published port of 127.0.0.1, and the host's loopback through
# slirp's 10.0.2.2, reachable only when podman allows it.
@test "podman --runtime=nook-oci: --network=slirp4netns, -p 127.0.0.1:PORT, the host's loopback only with allow_host_loopback" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	command -v slirp4netns >/dev/null || lacks "slirp4netns is not installed"
	need_dev net/tun "podman's slirp4netns"
	podman_setup || return 1
	local p=(podman_ --runtime="$T/nook-oci") id i
	local host_port=$((26000 + BATS_TEST_NUMBER * 10)) pub_port=$((26001 + BATS_TEST_NUMBER * 10))
	mkdir "$T/www" && echo "from the host" >"$T/www/f"
	timeout 60 python3 -m http.server -b 127.0.0.1 -d "$T/www" "$host_port" \
		>/dev/null 2>&1 3>&- &
	local server=$!
	id=$("${p[@]}" run -d --network=slirp4netns -p "127.0.0.1:$pub_port:8080" \
		--annotation run.nook.seccomp=default localhost/nook-oci-test \
		sh -c 'mkdir /tmp/www && echo "from $(hostname)" >/tmp/www/f && exec httpd -f -p 8080 -h /tmp/www')
	local got=""
	for ((i = 0; i < 50; i++)); do
		got=$(curl -s --max-time 2 "http://127.0.0.1:$pub_port/f") && [ -n "$got" ] && break
		sleep 0.1
	done
	expect_eq "the published port reaches the container's server" "from ${id:0:12}" "$got"
	"${p[@]}" rm -f -t 0 "$id" >/dev/null
	run --separate-stderr "${p[@]}" run --rm --network=slirp4netns:allow_host_loopback=true \
		--annotation run.nook.seccomp=default localhost/nook-oci-test \
		wget -qO- "http://10.0.2.2:$host_port/f"
	expect_eq "the host's loopback, allowed (stderr: $stderr)" "0 from the host" "$status $output"
	run --separate-stderr "${p[@]}" run --rm --network=slirp4netns \
		--annotation run.nook.seccomp=default localhost/nook-oci-test \
		wget -qO- "http://10.0.2.2:$host_port/f"
	expect_match "the control: podman's default keeps it closed" 'unreachable' "$output $stderr"
	kill "$server" 2>/dev/null || true
	wait "$server" 2>/dev/null || true
}

@test "podman --runtime=nook-oci --annotation run.nook.profile=FILE: the profile holds in run and in exec; the control without it" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	# In the image podman imports.
	write_test_profile
	podman_setup || return 1
	local p=(podman_ --runtime="$T/nook-oci") id
	local opts=(--network=none --env HOME=/home/u --annotation run.nook.seccomp=default)
	run --separate-stderr "${p[@]}" run --rm "${opts[@]}" \
		--annotation run.nook.profile="$T/test.profile" localhost/nook-oci-test sh -c "$PROFILE_PROBE"
	expect_eq "run (stderr: $stderr)" "0 0 CapEff: 0000000000000000 NoNewPrivs: 1 mkdir 1 100" \
		"$(words "$output")"
	id=$("${p[@]}" run -d "${opts[@]}" --annotation run.nook.profile="$T/test.profile" \
		localhost/nook-oci-test sleep 1000)
	run --separate-stderr "${p[@]}" exec "$id" sh -c "$PROFILE_PROBE"
	expect_eq "exec (stderr: $stderr)" "0 0 CapEff: 0000000000000000 NoNewPrivs: 1 mkdir 1 100" \
		"$(words "$output")"
	"${p[@]}" rm -f -t 0 "$id" >/dev/null
	# The control: podman's capabilities, the files readable, mkdir allowed.
	run --separate-stderr "${p[@]}" run --rm "${opts[@]}" localhost/nook-oci-test \
		sh -c "$PROFILE_PROBE"
	expect_match "run without it (stderr: $stderr)" \
		'^7 7 CapEff: 00000000800405fb NoNewPrivs: 1 mkdir 0 [0-9]+$' "$(words "$output")"
	expect_eq "podman's containers left" "" "$("${p[@]}" ps -aq)"
}

@test "podman --runtime=nook-oci --hooks-dir: the hooks of podman's hooks.d run, with podman's container's state" {
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman needs newuidmap"
	podman_setup || return 1
	write_hook
	mkdir "$T/hooks.d"
	local stage
	for stage in prestart poststart; do
		jq -n --arg path "$T/hook.sh" --arg stage "$stage" --arg dir "$T/out" \
			'{version: "1.0.0", when: {always: true}, stages: [$stage],
			  hook: {path: $path, args: ["hook", $stage, $dir],
				 env: ["PATH=/bin:/usr/bin"], timeout: 30}}' \
			>"$T/hooks.d/$stage.json"
	done
	run --separate-stderr podman_ --runtime="$T/nook-oci" --hooks-dir "$T/hooks.d" run --rm \
		--network=none --annotation run.nook.seccomp=default localhost/nook-oci-test \
		sh -c 'echo hi'
	expect_eq "run (stderr: $stderr)" "0 hi" "$status $output"
	expect_eq "the hooks that ran" "prestart poststart" "$(hooks_ran)"
	expect_match "prestart: status, podman's id" '^creating [0-9a-f]{64}$' \
		"$(jq -r '"\(.status) \(.id)"' "$T/out/prestart.json")"
	expect_eq "podman's containers left" "" "$(podman_ ps -aq)"
}
