#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The checks of the OCI runtime-tools validation suite (its validation/NAME tests, which need
# Go and run as root) that nook oci can pass rootless, written again against a busybox bundle.
# Each test is named after the validation test it follows; docs/oci-validation.md has the
# suite's own results (tests/oci/runtime-tools) and why the rest fail. oci.bats covers the
# lifecycle, exec and podman; this file what the runtime-spec says a runtime MUST do.
# What the shells inside run is in single quotes on purpose: it expands there.
# shellcheck disable=SC2016
# stderr, stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common
load ../lib/oci

setup() {
	oci_setup || return 1
	# mkimage's root is mktemp's (0700): a uid other than 0 could not reach /bin.
	chmod 755 "$BUNDLE/rootfs"
}

teardown() {
	oci_teardown
	return 0
}

# write_config SCRIPT [JQ-FILTER]: the bundle's config.json (as oci.bats writes it), its
# process sh -c SCRIPT, as root of a user namespace mapping the caller's own id; /out is
# "$T/out", writable, /data is "$T/data".
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
		"env": ["PATH=/bin:/usr/bin"],
		"cwd": "/",
		"capabilities": {
			"bounding": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"effective": ["CAP_KILL", "CAP_NET_BIND_SERVICE"],
			"permitted": ["CAP_KILL", "CAP_NET_BIND_SERVICE"]
		},
		"noNewPrivileges": true
	},
	"root": {"path": "rootfs", "readonly": true},
	"hostname": "nook-oci-test",
	"mounts": [
		{"destination": "/proc", "type": "proc", "source": "proc"},
		{"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
		{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]},
		{"destination": "/out", "type": "bind", "source": $out, "options": ["rbind", "rw"]},
		{"destination": "/data", "type": "bind", "source": $data, "options": ["rbind", "rw"]}
	],
	"linux": {
		"uidMappings": [{"containerID": 0, "hostID": $uid, "size": 1}],
		"gidMappings": [{"containerID": 0, "hostID": $gid, "size": 1}],
		"namespaces": [{"type": "pid"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"},
			       {"type": "user"}, {"type": "network"}]
	}
}
EOF
	)
	jq -n --arg script "$script" --argjson uid "$(id -u)" --argjson gid "$(id -g)" \
		--arg out "$T/out" --arg data "$T/data" "$base | $filter" >"$BUNDLE/config.json"
}

# The maps of a container with subordinate ids: 0 is the caller, 1... its first range.
SUBID_MAPS='.linux.uidMappings = [{"containerID": 0, "hostID": $uid, "size": 1},
		{"containerID": 1, "hostID": $subuid, "size": $subuids}] |
	.linux.gidMappings = [{"containerID": 0, "hostID": $gid, "size": 1},
		{"containerID": 1, "hostID": $subgid, "size": $subgids}]'

# write_config_subids SCRIPT [JQ-FILTER]: write_config with SUBID_MAPS (needs a range).
write_config_subids() {
	local u g
	need_subids || return 1
	u=$(subid_ranges /etc/subuid | head -n 1)
	g=$(subid_ranges /etc/subgid | head -n 1)
	write_config "$1" "${2:-.}" || return 1
	jq --argjson uid "$(id -u)" --argjson gid "$(id -g)" \
		--argjson subuid "${u% *}" --argjson subuids "${u#* }" \
		--argjson subgid "${g% *}" --argjson subgids "${g#* }" \
		"$SUBID_MAPS" "$BUNDLE/config.json" >"$T/config.json" &&
		mv "$T/config.json" "$BUNDLE/config.json"
}

# create_container ID SCRIPT [JQ-FILTER]: written and created, not started; its stdio to a file
# (a command substitution would wait for the process).
create_container() {
	write_config "$2" "${3:-.}" || return 1
	oci create --bundle "$BUNDLE" "$1" >"$T/$1.out" 2>&1 || { cat "$T/$1.out" >&2; return 1; }
}

# create_refused ID: create of the bundle, expected to fail; status, output, stderr and
# stderr_lines as bats's run --separate-stderr sets them. Its stdio goes to files, so that a
# container created after all does not hold the test's output open.
create_refused() {
	status=0
	oci create --bundle "$BUNDLE" "$1" >"$T/refused.out" 2>"$T/refused.err" </dev/null ||
		status=$?
	output=$(cat "$T/refused.out")
	stderr=$(cat "$T/refused.err")
	# shellcheck disable=SC2034 # read by expect_nook_error, as run sets it
	mapfile -t stderr_lines <"$T/refused.err"
}

# The process of a container that stays until killed, SIGTERM included.
STAY='trap "" TERM; echo up >/out/up; while :; do sleep 1; done # '

@test "validation state: the state's fields when created, running and stopped; stopped when the program ends by itself" {
	create_container s1 'read x </out/go; echo ran >/out/ran # '"$TAG" \
		'.annotations = {"org.example.key": "value"}' || return 1
	mkfifo "$T/out/go"
	local st pid
	st=$(oci state s1)
	expect_match "ociVersion, a semantic version" '^[0-9]+\.[0-9]+\.[0-9]+' \
		"$(jq -r .ociVersion <<<"$st")"
	expect_eq "id" s1 "$(jq -r .id <<<"$st")"
	expect_eq "status" created "$(jq -r .status <<<"$st")"
	expect_eq "bundle: the absolute path" "$BUNDLE" "$(jq -r .bundle <<<"$st")"
	expect_eq "annotations: the config's" '{"org.example.key":"value"}' \
		"$(jq -c .annotations <<<"$st")"
	pid=$(jq -r .pid <<<"$st")
	[ "$pid" -gt 0 ] && kill -0 "$pid" || { echo "created: pid $pid is not a live process" >&2; return 1; }
	[ "$(readlink "/proc/$pid/ns/pid")" != "$(readlink /proc/self/ns/pid)" ] ||
		{ echo "the pid is not in a pid namespace of its own" >&2; return 1; }
	oci start s1
	expect_eq "status after start" running "$(state_of s1)"
	expect_eq "the same pid when running" "$pid" "$(oci state s1 | jq -r .pid)"
	echo >"$T/out/go"
	wait_for_file "$T/out/ran" || return 1
	wait_no_procs "$TAG" || return 1
	st=$(oci state s1)
	expect_eq "status once the program ended" stopped "$(jq -r .status <<<"$st")"
	expect_eq "the id and bundle stay" "s1 $BUNDLE" "$(jq -r '"\(.id) \(.bundle)"' <<<"$st")"
	oci delete s1
}

@test "validation create: an id in use is refused and that container is untouched; no id, no container" {
	create_container c1 "$STAY$TAG" || return 1
	local pid
	pid=$(oci state c1 | jq -r .pid)
	create_refused c1
	expect_nook_error
	expect_match "the message" 'c1' "$stderr"
	expect_eq "the first is still created" "created $pid" "$(oci state c1 | jq -r '"\(.status) \(.pid)"')"
	kill -0 "$pid" || { echo "the first container's process is gone" >&2; return 1; }
	local cmd
	for cmd in "create --bundle $BUNDLE" start state kill delete; do
		# shellcheck disable=SC2086 # the words of cmd; $BUNDLE is the test's, without blanks
		run --separate-stderr oci $cmd
		expect_nook_error || { echo "$cmd without an id" >&2; return 1; }
	done
	expect_eq "what is under --root" c1 "$(ls "$ROOT")"
	oci delete --force c1
}

@test "validation create: ids with characters other than letters, digits and _+-. are refused" {
	write_config true
	local id
	for id in 'a b' $'a\nb' 'a:b' 'a*' 'é' 'a\b' '$x' ..; do
		create_refused "$id"
		expect_nook_error || { echo "id [$id]" >&2; return 1; }
		expect_match "the message for [$id]" 'invalid container id' "$stderr"
	done
	# The message has the id escaped: a newline or an escape sequence stays in one line.
	create_refused $'a\nb\e[31m'
	expect_nook_error
	expect_match "escaped" 'invalid container id "a\\nb\\x1b\[31m"' "$stderr"
	[ ! -e "$ROOT" ] || [ -z "$(ls -A "$ROOT")" ] ||
		{ echo "something made under the root: $(ls -A "$ROOT")" >&2; return 1; }
	# The control: the characters allowed.
	oci create --bundle "$BUNDLE" 'Aa0_+-.z' >"$T/ok.out" 2>&1 || { cat "$T/ok.out" >&2; return 1; }
	oci delete 'Aa0_+-.z'
}

@test "validation start: only a created container starts, once; process.args run at start, not before" {
	run --separate-stderr oci start nope
	expect_nook_error
	expect_match "an unknown id" 'nope does not exist' "$stderr"
	create_container st1 'echo called >>/out/called' || return 1
	sleep 0.3
	[ ! -e "$T/out/called" ] || { echo "the program ran at create" >&2; return 1; }
	oci start st1
	wait_for_file "$T/out/called" || return 1
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(state_of st1)" = stopped ] && break
		sleep 0.1
	done
	expect_eq "state" stopped "$(state_of st1)"
	run --separate-stderr oci start st1
	expect_nook_error
	expect_match "a stopped container" 'is stopped, not created' "$stderr"
	sleep 0.3
	expect_eq "the program ran once" called "$(cat "$T/out/called")"
	oci delete st1
}

@test "validation killsig: the signal kill names is the one the process gets" {
	write_config 'for s in HUP INT USR1 USR2 TERM; do trap "echo $s >/out/$s" $s; done
		echo up >/out/up; while :; do sleep 0.1; done # '"$TAG"
	oci create --bundle "$BUNDLE" ks >"$T/ks.out" 2>&1
	oci start ks
	wait_for_file "$T/out/up" || return 1
	local sig
	for sig in HUP SIGINT USR1 12 TERM; do
		oci kill ks "$sig"
	done
	for sig in HUP INT USR1 USR2 TERM; do
		wait_for_file "$T/out/$sig" || return 1
		expect_eq "$sig" "$sig" "$(cat "$T/out/$sig")"
	done
	expect_eq "still running (it handles them all)" running "$(state_of ks)"
	oci kill ks KILL
	wait_no_procs "$TAG" || return 1
	oci delete ks
}

@test "validation kill_no_effect: kill of an unknown or stopped container is an error and changes nothing" {
	run --separate-stderr oci kill nope TERM
	expect_nook_error
	expect_match "unknown" 'nope does not exist' "$stderr"
	create_container k1 "$STAY$TAG" || return 1
	oci kill k1 KILL
	wait_no_procs "$TAG" || return 1
	local before
	before=$(oci state k1)
	run --separate-stderr oci kill k1 TERM
	expect_nook_error
	expect_match "stopped" 'not running' "$stderr"
	expect_eq "the state" "$before" "$(oci state k1)"
	oci delete k1
}

@test "validation delete: a running container is refused and keeps running; a created one's process is killed (runc's way); nothing is left" {
	write_config "$STAY$TAG"
	oci create --bundle "$BUNDLE" d1 >"$T/d1.out" 2>&1
	oci start d1
	wait_for_file "$T/out/up" || return 1
	local pid
	pid=$(oci state d1 | jq -r .pid)
	run --separate-stderr oci delete d1
	expect_nook_error
	expect_match "running" 'is running' "$stderr"
	expect_eq "still running" running "$(state_of d1)"
	kill -0 "$pid" || { echo "its process is gone" >&2; return 1; }
	oci kill d1 KILL
	wait_no_procs "$TAG" || return 1
	oci delete d1
	run --separate-stderr oci delete d1
	expect_nook_error
	expect_match "deleted twice" 'd1 does not exist' "$stderr"
	# Created, not started: delete ends its process (nook-oci(1); the runtime-spec would
	# refuse, runc and crun do the same as nook).
	create_container d2 "$STAY$TAG" || return 1
	pid=$(oci state d2 | jq -r .pid)
	oci delete d2
	# Gone, or a zombie its parent has yet to reap: delete waited for its end.
	[ ! -e "/proc/$pid" ] || [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = Z ] ||
		{ echo "the created container's process lives: $(cat "/proc/$pid/stat")" >&2; return 1; }
	expect_eq "what is left under --root" "" "$(ls -A "$ROOT")"
}

@test "validation pidfile: --pid-file has the state's pid, the container's process, before start" {
	write_config "$STAY$TAG"
	oci create --bundle "$BUNDLE" --pid-file "$T/p.pid" p1 >"$T/p1.out" 2>&1
	local pid
	pid=$(cat "$T/p.pid")
	expect_match "one number, no newline needed" '^[0-9]+$' "$pid"
	expect_eq "the state's pid" "$pid" "$(oci state p1 | jq -r .pid)"
	expect_match "its command line is still create's (it has not exec'd)" 'oci' \
		"$(tr '\0' ' ' <"/proc/$pid/cmdline")"
	oci start p1
	wait_for_file "$T/out/up" || return 1
	expect_match "after start it is the program" "$TAG" "$(tr '\0' ' ' <"/proc/$pid/cmdline")"
	oci delete --force p1
}

@test "validation hostname: the config's host name in the container's uts namespace, the caller's untouched" {
	run --separate-stderr run_container h1 'hostname' '.hostname = "hostname-specific"'
	expect_eq "output (stderr: $stderr)" "hostname-specific
exit 0" "$output"
	oci delete h1
	[ "$(hostname)" != hostname-specific ] || { echo "the caller's host name changed" >&2; return 1; }
	# None given: the new namespace keeps the name it was made with, the caller's.
	run --separate-stderr run_container h2 'hostname' 'del(.hostname)'
	expect_eq "no hostname (stderr: $stderr)" "$(hostname)
exit 0" "$output"
	oci delete h2
}

@test "validation process: args (empty and with blanks) exactly, cwd, env exactly" {
	write_config x '.process.args = ["/bin/sh", "-c", "for a; do echo \"[$a]\"; done; pwd; env | sort", "zero", "", "a b", " c"] |
		.process.cwd = "/data" | .process.env = ["PATH=/bin", "A=with space", "EMPTY="]'
	run --separate-stderr run_bundle p1
	expect_eq "output (stderr: $stderr)" "[]
[a b]
[ c]
/data
A=with space
EMPTY=
PATH=/bin
PWD=/data
SHLVL=1
exit 0" "$output"
	oci delete p1
}

@test "validation process_rlimits: each limit's soft and hard values are the config's; an unknown type, or hard below soft, is refused" {
	write_config 'for o in n c s t; do echo $(ulimit -S -$o)/$(ulimit -H -$o); done' \
		'.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 300, "hard": 400},
			{"type": "RLIMIT_CORE", "soft": 2048, "hard": 2048},
			{"type": "RLIMIT_STACK", "soft": 4194304, "hard": 8388608},
			{"type": "RLIMIT_CPU", "soft": 60, "hard": 120}]'
	run --separate-stderr run_bundle r1
	# busybox's ulimit: files, core in blocks of 512 bytes, stack in KiB, seconds.
	expect_eq "soft/hard of nofile core stack cpu (stderr: $stderr)" \
		"300/400 4/4 4096/8192 60/120 exit 0" "$(words "$output")"
	oci delete r1
	write_config true '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 400, "hard": 300}]'
	create_refused r3
	expect_nook_error
	expect_match "hard below soft" 'process\.rlimits\[0\]\.hard: 300 is below the soft limit 400' \
		"$stderr"
	write_config true '.process.rlimits = [{"type": "RLIMIT_TEST", "soft": 1, "hard": 1}]'
	create_refused r2
	expect_nook_error
	expect_match "the field" 'process\.rlimits\[0\]\.type: "RLIMIT_TEST": no such limit' "$stderr"
}

@test "validation mounts: a tmpfs's options and source name as mountinfo shows them; a read-only bind cannot be written, a writable one can" {
	local script='awk "\$5 == \"/mnt/t\" || \$5 == \"/tmp\" { print \$5, \$6, \$(NF - 1), \$NF }" /proc/self/mountinfo
		touch /mnt/ro/x 2>&1; touch /mnt/rw/x && echo rw-ok'
	mkdir -p "$T/data/sub"
	run --separate-stderr run_container m1 "$script" \
		'.mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "mytmp",
				"options": ["nosuid", "nodev", "noexec", "mode=1770", "size=128k"]},
			{"destination": "/mnt/ro", "type": "bind", "source": $data, "options": ["bind", "ro"]},
			{"destination": "/mnt/rw", "source": ($data + "/sub"), "options": ["rbind", "rw"]}]'
	expect_eq "stderr" "" "$stderr"
	expect_match "/tmp: the source tmpfs" '^/tmp rw,nosuid,nodev,relatime tmpfs ' "${lines[0]}"
	expect_match "/mnt/t: flags, source mytmp, size and mode" \
		'^/mnt/t rw,nosuid,nodev,noexec,relatime mytmp rw,size=128k,mode=1770' "${lines[1]}"
	expect_match "the read-only bind" 'Read-only file system' "${lines[2]}"
	expect_eq "the writable bind" "rw-ok exit 0" "${lines[3]} ${lines[4]}"
	[ ! -e "$T/data/x" ] && [ -e "$T/data/sub/x" ] ||
		{ echo "the binds were written wrong: $(ls -R "$T/data")" >&2; return 1; }
	oci delete m1
}

@test "validation linux_masked_paths: a masked file reads empty, a masked directory is empty and unwritable; absent ones are no error; a relative one is refused" {
	mkdir -p "$BUNDLE/rootfs/masked-dir/sub"
	echo secret >"$BUNDLE/rootfs/masked-file"
	echo secret >"$BUNDLE/rootfs/masked-dir/sub/file"
	run --separate-stderr run_container mp1 \
		'cat /masked-file | wc -c; ls -A /masked-dir | wc -l; touch /masked-dir/x 2>/dev/null || echo ro' \
		'.root.readonly = false | .linux.maskedPaths = ["/masked-file", "/masked-dir", "/not-there", "/masked-dir/sub/file"]'
	expect_eq "sizes, entries, write (stderr: $stderr)" "0 0 ro exit 0" "$(words "$output")"
	oci delete mp1
	# The control: unmasked, both have something to show.
	run --separate-stderr run_container mp2 'cat /masked-file | wc -c; ls -A /masked-dir | wc -l' \
		'.root.readonly = false'
	expect_eq "unmasked" "7 1 exit 0" "$(words "$output")"
	oci delete mp2
	write_config true '.linux.maskedPaths = ["masked-relpath"]'
	create_refused mp3
	expect_nook_error
	expect_match "relative" 'linux\.maskedPaths\[0\]: "masked-relpath" is not absolute' "$stderr"
}

@test "validation linux_readonly_paths: a read-only file and directory cannot be written, what is around them can; a relative one is refused" {
	mkdir -p "$BUNDLE/rootfs/ro-dir" "$BUNDLE/rootfs/rw-dir"
	echo data >"$BUNDLE/rootfs/ro-file"
	run --separate-stderr run_container rp1 \
		'echo x >>/ro-file 2>/dev/null || echo file-ro; touch /ro-dir/x 2>/dev/null || echo dir-ro
		touch /rw-dir/x && echo rw-ok; cat /ro-file' \
		'.root.readonly = false | .linux.readonlyPaths = ["/ro-file", "/ro-dir", "/not-there"]'
	expect_eq "output (stderr: $stderr)" "file-ro dir-ro rw-ok data exit 0" "$(words "$output")"
	oci delete rp1
	write_config true '.linux.readonlyPaths = ["readonly-relpath"]'
	create_refused rp2
	expect_nook_error
	expect_match "relative" 'linux\.readonlyPaths\[0\]: "readonly-relpath" is not absolute' "$stderr"
}

@test "validation process_user: uid, gid and additionalGids inside, through subordinate ids" {
	write_config_subids 'id -u; id -g; id -G; grep ^CapEff /proc/self/status' \
		'.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 1002]}' || return 1
	run --separate-stderr run_bundle u1
	expect_eq "uid gid groups caps (stderr: $stderr)" "1000 1001 1001 5 1002 CapEff: 0000000000000000 exit 0" \
		"$(words "$output")"
	oci delete u1
}

@test "validation linux_uid_mappings: the user namespace's maps are the config's" {
	write_config_subids 'cat /proc/self/uid_map /proc/self/gid_map' || return 1
	local u g
	u=$(subid_ranges /etc/subuid | head -n 1)
	g=$(subid_ranges /etc/subgid | head -n 1)
	run --separate-stderr run_bundle um1
	expect_eq "maps (stderr: $stderr)" \
		"0 $(id -u) 1 1 $u 0 $(id -g) 1 1 $g exit 0" "$(words "$output")"
	oci delete um1
}

@test "validation process_capabilities: the sets are the config's, for root and for another uid" {
	run --separate-stderr run_container pc1 'grep -E "^Cap(Prm|Eff|Bnd)" /proc/self/status' \
		'.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_NET_RAW"],
			"effective": ["CAP_CHOWN", "CAP_NET_RAW"], "permitted": ["CAP_CHOWN", "CAP_NET_RAW"]}'
	# CAP_CHOWN (0), CAP_NET_RAW (13).
	expect_eq "root (stderr: $stderr)" \
		"CapPrm: 0000000000002001 CapEff: 0000000000002001 CapBnd: 0000000000002001 exit 0" \
		"$(words "$output")"
	oci delete pc1
	write_config_subids 'grep -E "^Cap(Prm|Eff|Bnd|Amb)" /proc/self/status' \
		'.process.user = {"uid": 1000, "gid": 1000} |
		.process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"],
			"permitted": ["CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}' ||
		return 1
	run --separate-stderr run_bundle pc2
	expect_eq "uid 1000, CAP_KILL ambient (stderr: $stderr)" \
		"CapPrm: 0000000000000020 CapEff: 0000000000000020 CapBnd: 0000000000000020 CapAmb: 0000000000000020 exit 0" \
		"$(words "$output")"
	oci delete pc2
	# Sets that differ, each as given: what runtimetest checks of the default config.
	run --separate-stderr run_container pc3 'grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status' \
		'.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
			"effective": ["CAP_CHOWN", "CAP_KILL"], "permitted": ["CAP_CHOWN", "CAP_KILL"],
			"inheritable": ["CAP_KILL", "CAP_NET_RAW"], "ambient": ["CAP_KILL"]}'
	# root's exec under no_new_privs (the config's noNewPrivileges): permitted stays what it
	# was (not the bounding set, as root's file capabilities would make it); inheritable and
	# ambient stay. With the one set nook used to give, all five were 0x21 or 0.
	expect_eq "root, the sets apart (stderr: $stderr)" \
		"CapInh: 0000000000002020 CapPrm: 0000000000000021 CapEff: 0000000000000021 CapBnd: 0000000000002021 CapAmb: 0000000000000020 exit 0" \
		"$(words "$output")"
	oci delete pc3
}

@test "validation linux_sysctl: the container's namespaced sysctls are set inside, the caller's untouched; others are refused" {
	local before
	before=$(cat /proc/sys/net/ipv4/ip_forward)
	run --separate-stderr run_container sc1 \
		'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/msgmax' \
		'.linux.sysctl = {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}'
	expect_eq "inside (stderr: $stderr)" "1 4096 exit 0" "$(words "$output")"
	expect_eq "the caller's" "$before" "$(cat /proc/sys/net/ipv4/ip_forward)"
	oci delete sc1
	write_config true '.linux.sysctl = {"kernel.panic": "1"}'
	create_refused sc2
	expect_nook_error
	expect_match "not namespaced" 'linux\.sysctl\.kernel\.panic: not a sysctl of the container' "$stderr"
}

@test "validation config_updates_without_affect: config.json changed after create changes nothing of the container" {
	create_container cu 'hostname; echo "$V"' '.process.env += ["V=first"]' || return 1
	write_config 'echo changed' '.hostname = "changed" | .process.env += ["V=second"]'
	oci start cu
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(state_of cu)" = stopped ] && break
		sleep 0.1
	done
	expect_eq "what it ran" "nook-oci-test
first" "$(cat "$T/cu.out")"
	oci delete cu
}

@test "validation process_oom_score_adj: the process's score is the config's; one the caller may not set fails create, naming it" {
	local own
	own=$(cat /proc/self/oom_score_adj)
	run --separate-stderr run_container oo1 'cat /proc/self/oom_score_adj' \
		".process.oomScoreAdj = $((own + 500 > 1000 ? 1000 : own + 500))"
	expect_eq "raised (stderr: $stderr)" "$((own + 500 > 1000 ? 1000 : own + 500)) exit 0" \
		"$(words "$output")"
	oci delete oo1
	run --separate-stderr run_container oo2 'cat /proc/self/oom_score_adj'
	expect_eq "the control: the caller's" "$own exit 0" "$(words "$output")"
	oci delete oo2
	# Lowering it needs CAP_SYS_RESOURCE of the host: refused at create.
	if [ "$own" -gt -1000 ]; then
		write_config true '.process.oomScoreAdj = -1000'
		run --separate-stderr oci create --bundle "$BUNDLE" oo3
		expect_eq "status" 125 "$status"
		expect_match "named" 'process\.oomScoreAdj: cannot set -1000' "$stderr"
		expect_eq "nothing left" "" "$(find "$ROOT" -mindepth 1 -maxdepth 1 ! -name .seccomp)"
	fi
	write_config true '.process.oomScoreAdj = 1001'
	run --separate-stderr oci create --bundle "$BUNDLE" oo4
	expect_nook_error
	expect_match "out of range" 'process\.oomScoreAdj: 1001 is not from -1000 to 1000' "$stderr"
}

@test "validation linux_rootfs_propagation: the root's propagation inside is the config's" {
	# The root's line (mount point /), its optional fields: shared:N, unbindable, or none.
	local probe='awk '\''$5 == "/" { l = $0 } END { if (l ~ /shared:/) print "shared"; else if (l ~ /unbindable/) print "unbindable"; else print "private" }'\'' /proc/self/mountinfo'
	run --separate-stderr run_container rp1 "$probe" '.linux.rootfsPropagation = "rshared"'
	expect_match "shared (stderr: $stderr)" '^shared' "$output"
	oci delete rp1
	run --separate-stderr run_container rp2 "$probe" '.linux.rootfsPropagation = "unbindable"'
	expect_match "unbindable (stderr: $stderr)" '^unbindable' "$output"
	oci delete rp2
	run --separate-stderr run_container rp3 "$probe"
	expect_match "the control: private" '^private' "$output"
	oci delete rp3
	write_config true '.linux.rootfsPropagation = "sideways"'
	run --separate-stderr oci create --bundle "$BUNDLE" rp4
	expect_nook_error
	expect_match "refused" 'linux\.rootfsPropagation: "sideways" is not a propagation' "$stderr"
}
