#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nook in CI jobs (issue #11): which profile applies (by name only over the host's root), the
# command line's --userns=root against a profile's capability lines, the image's identity
# (HOME, USER, PATH from its /etc/passwd), --user inside an image, and the JSON outputs.
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# stderr and stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

# What --userns=root gives PROGRAM, as --dry-run's caps line names them.
ROOT_CAPS="caps cap_chown cap_dac_override cap_fowner cap_fsetid cap_kill cap_setgid cap_setuid cap_setpcap cap_net_bind_service cap_sys_chroot cap_setfcap"

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	# A home of the test's own (no user profiles), and a system profile directory of its own.
	export HOME="$T/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export NOOK_PROFILE_DIR="$T/profiles"
	export PATH="$NOOK_CLEAN_PATH"
	mkdir -p "$HOME" "$NOOK_PROFILE_DIR"
}

teardown() {
	# A named overlay holds files of subordinate ids, which only nook can remove.
	if [ -d "$XDG_DATA_HOME/nook/overlays" ]; then
		nook_t overlay rm ci-job >/dev/null 2>&1 || true
	fi
	return 0
}

# profile NAME LINE...: $NOOK_PROFILE_DIR/NAME holding the lines.
profile() {
	local name="$1"
	shift
	printf '%s\n' "$@" >"$NOOK_PROFILE_DIR/$name"
}

# A profile for sh and a default one that both drop every capability and name the host.
profiles_that_drop_caps() {
	profile sh.profile 'caps.drop all' 'hostname from-sh-profile'
	profile default.profile 'caps.drop all' 'hostname from-default-profile'
}

# ---- which profile ----

@test "--rootfs: no profile is applied by PROGRAM's name, nor the default one" {
	need_dev fuse
	local img
	img=$(busybox_image)
	profiles_that_drop_caps
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --dry-run -- sh -c true
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_line "no profile" "profile none" "$output" || return 1
	expect_line "root's capabilities, as --userns=root promises" "$ROOT_CAPS" "$output" || return 1
	expect_line "the host name is not the profile's" "hostname $(uname -n)" "$output" || return 1
	# And for real: the capabilities are there, the name is the host's.
	run --separate-stderr nook_t run --rootfs="$img" --userns=root -- \
		sh -c 'hostname; grep CapEff /proc/self/status'
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "host name and CapEff" "$(uname -n)
CapEff:	00000000800405fb" "$output"
}

@test "over the host's root the profiles named after PROGRAM and default still apply" {
	profiles_that_drop_caps
	run --separate-stderr nook_t run --dry-run -- sh -c true
	expect_line "sh.profile" "profile $NOOK_PROFILE_DIR/sh.profile" "$output" || return 1
	expect_line "its host name" "hostname from-sh-profile" "$output" || return 1
	run --separate-stderr nook_t run --dry-run -- true
	expect_line "default.profile" "profile $NOOK_PROFILE_DIR/default.profile" "$output"
}

@test "--rootfs with --profile: the profile named applies" {
	local img
	img=$(busybox_image)
	profile mine.profile 'hostname mine'
	run --separate-stderr nook_t run -q --rootfs="$img" --profile=mine --dry-run -- sh
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_line "the profile" "profile $NOOK_PROFILE_DIR/mine.profile" "$output" || return 1
	expect_line "its host name" "hostname mine" "$output"
}

@test "--dry-run names every file the profile read, includes too, each once" {
	mkdir -p "$NOOK_PROFILE_DIR/sub"
	profile top.profile 'include sub/a.inc' 'include sub/b.inc' 'include sub/a.inc'
	profile sub/a.inc 'nosound'
	profile sub/b.inc 'include a.inc' 'nodbus'
	run --separate-stderr nook_t run -q --profile=top --dry-run -- true
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "the profile lines" "profile $NOOK_PROFILE_DIR/top.profile
profile-file $NOOK_PROFILE_DIR/top.profile
profile-file $NOOK_PROFILE_DIR/sub/a.inc
profile-file $NOOK_PROFILE_DIR/sub/b.inc" "$(grep '^profile' <<<"$output")"
	# Without a profile: one line.
	run --separate-stderr nook_t run -q --noprofile --dry-run -- true
	expect_eq "--noprofile" "profile none" "$(grep '^profile' <<<"$output")"
}

@test "--userns=root on the command line wins over --profile's caps.drop all, which one line names" {
	local img
	img=$(busybox_image)
	profile mine.profile 'hostname mine' 'caps.drop all'
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --profile=mine --dry-run -- sh
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_line "root's capabilities kept" "$ROOT_CAPS" "$output" || return 1
	expect_line "the rest of the profile applies" "hostname mine" "$output" || return 1
	expect_eq "one warning naming FILE:LINE" "nook: warning: $NOOK_PROFILE_DIR/mine.profile:2: caps-drop all: not applied: --userns=root on the command line keeps root's capabilities (narrow them with --caps-drop)" "$stderr" || return 1
	# The command line narrows them itself; -q silences the warning.
	run --separate-stderr nook_t run -q --rootfs="$img" --userns=root --profile=mine \
		--caps-drop=all --dry-run -- sh
	expect_line "--caps-drop=all on the command line" "caps none" "$output" || return 1
	expect_eq "-q: no warning" "" "$stderr" || return 1
	# userns root from the profile itself: its caps lines apply.
	profile rootish.profile 'userns root' 'caps.drop all'
	run --separate-stderr nook_t run -q --rootfs="$img" --profile=rootish --dry-run -- sh
	expect_line "profile's own userns root + caps.drop all" "caps none" "$output"
}

# ---- the identity of an image ----

@test "--rootfs --userns=root: HOME, USER, LOGNAME and PATH are root's of the image" {
	need_dev fuse
	local img
	img=$(busybox_image)
	run --separate-stderr nook_t run --rootfs="$img" --userns=root -- \
		sh -c 'echo "$HOME|$USER|$LOGNAME|$PATH"; cd && pwd'
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "identity" "/root|root|root|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
/root" "$output"
}

@test "--rootfs: the image's passwd entry of the payload's uid gives HOME and USER; --env wins" {
	need_dev fuse
	local uid
	uid=$(id -u)
	busybox_image_copy "$T/img"
	mkdir -p "$T/img/home/builder"
	printf 'builder:x:%s:%s::/home/builder:/bin/sh\n' "$uid" "$(id -g)" >>"$T/img/etc/passwd"
	# keep-id: the caller's uid inside, which is builder in this image.
	run --separate-stderr nook_t run --rootfs="$T/img" -- sh -c 'echo "$HOME|$USER|$LOGNAME"'
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "builder's identity" "/home/builder|builder|builder" "$output" || return 1
	run --separate-stderr nook_t run --rootfs="$T/img" --env=HOME=/tmp --env=USER=me -- \
		sh -c 'echo "$HOME|$USER"'
	expect_eq "--env wins" "/tmp|me" "$output"
}

@test "--rootfs: a uid without an entry gets HOME=/, no USER, and --dry-run says why" {
	need_dev fuse
	local img
	img=$(busybox_image)
	run --separate-stderr env USER=caller LOGNAME=caller "$NOOK" run --rootfs="$img" -- \
		sh -c 'echo "$HOME|${USER-unset}|${LOGNAME-unset}|$PATH"'
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "identity without an entry" \
		"/|unset|unset|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$output" ||
		return 1
	run --separate-stderr env USER=caller "$NOOK" run --rootfs="$img" --dry-run -- sh
	expect_line "why USER is gone" "env-removed USER uid $(id -u) has no entry in $img/etc/passwd" \
		"$output"
}

# ---- --user ----

@test "--rootfs --userns=root --user=1000:1000: id is 1000/1000, root's files are not writable" {
	need_subids
	need_dev fuse
	local img
	img=$(busybox_image)
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --user=1000:1000 -- sh -c '
		id
		grep -E "^Cap(Prm|Eff|Amb)" /proc/self/status
		touch /etc/passwd 2>/dev/null && echo "wrote /etc/passwd"
		echo x 2>/dev/null >/root/x && echo "wrote /root/x"
		mkdir /x 2>/dev/null && echo "made /x"
		touch /tmp/mine && echo "/tmp: writable"'
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "ids, capabilities, writes" "uid=1000 gid=1000 groups=1000
CapPrm:	0000000000000000
CapEff:	0000000000000000
CapAmb:	0000000000000000
/tmp: writable" "$output"
}

@test "--user=nobody: the image's user and group; install as root, then use as a user" {
	need_subids
	need_dev fuse
	busybox_image_copy "$T/img"
	run --separate-stderr nook_t run --rootfs="$T/img" --userns=root --user=nobody -- id
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "id" "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)" "$output" || return 1
	# A user with supplementary groups, added by a first run as root to a named overlay.
	run --separate-stderr nook_t run --rootfs="$T/img" --userns=root --overlay=ci-job -- sh -c '
		echo "builder:x:1000:1000::/home/builder:/bin/sh" >>/etc/passwd
		printf "builder:x:1000:\nstaff:x:50:builder\n" >>/etc/group
		mkdir -p /home/builder && chown 1000:1000 /home/builder'
	expect_eq "setup as root: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	run --separate-stderr nook_t run --rootfs="$T/img" --userns=root --overlay=ci-job \
		--user=builder -- sh -c 'id; echo "$HOME|$USER"; touch ~/built && echo home-ok'
	expect_eq "as builder: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	# The kernel keeps the groups sorted.
	expect_eq "as builder" "uid=1000(builder) gid=1000(builder) groups=50(staff),1000(builder)
/home/builder|builder
home-ok" "$output" || return 1
	run --separate-stderr nook_t run --rootfs="$T/img" --userns=root --overlay=ci-job \
		--user=builder:staff -- id -g
	expect_eq "builder:staff" "50" "$output" || return 1
	# The image itself never saw the user.
	run grep -c builder "$T/img/etc/passwd"
	expect_eq "the image's passwd" "0" "$output"
}

@test "--user: an id outside the sandbox's map, a name the image lacks: one line, 125" {
	need_subids
	local img
	img=$(busybox_image)
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --user=70000 -- id
	expect_nook_error || return 1
	expect_eq "message" "nook: --user=70000: uid 70000 is not mapped in the sandbox (its uid map holds 0-65536; see ID MAPPING in nook-run(1))" "$stderr" || return 1
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --user=0:70000 -- id
	expect_nook_error || return 1
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --user=builder -- id
	expect_nook_error || return 1
	expect_eq "message" "nook: --user=builder: no user 'builder' in $img/etc/passwd" "$stderr" ||
		return 1
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --user=root:wheel -- id
	expect_nook_error || return 1
	# A single-id namespace maps only the caller.
	run --separate-stderr nook_t run --rootfs="$img" --userns=single --user=0 -- id
	expect_nook_error || return 1
	expect_match "single: names the map" "uid map holds $(id -u);" "$stderr"
}

@test "--user: bad values are one line and 125" {
	local v
	for v in "" ":" "1000:" ":1000" "a:b:c" "a b" "a/b"; do
		run --separate-stderr nook_t run --user="$v" -- true
		expect_nook_error || { echo "for --user='$v'" >&2; return 1; }
	done
}

@test "--user over the host's root: a mapped uid; HOME and USER of the host's passwd" {
	need_subids
	run --separate-stderr nook_t run --user=0 -- sh -c 'id -u; echo "$HOME|$USER"'
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "root inside" "0
/root|root" "$output" || return 1
	run --separate-stderr nook_t run --dry-run --user=0 -- true
	expect_line "switch" "switch-user uid=0 gid=0 groups=0" "$output"
}

# ---- JSON ----

# The keys of --dry-run --json's object, as nook-run(1) documents them.
SPEC_KEYS="argv caches caps cwd cwd_required dbus_proxy dbus_proxy_dir dbus_system dbus_user env env_removed failure_hint gid gid_map groups host_mkdir host_mkdir_try host_mkfile hostname idmap_helpers ipc_host landlock mounts name namespaces net no_new_privs overlay profile profile_files rlimits seccomp setgroups single_instance switch_user terminal timeout uid uid_map userns userns_pool version"

@test "--dry-run --json: one object with the documented keys and types, the same facts as the lines" {
	local json text
	profile mine.profile 'include mine.inc' 'hostname mine'
	profile mine.inc 'nosound'
	json=$(nook_t run -q --profile=mine --dry-run --json --bind="$T:/srv" --env=LANG=C \
		--rlimit-cpu=unlimited -- sh -c 'echo hi')
	text=$(nook_t run -q --profile=mine --dry-run --bind="$T:/srv" --env=LANG=C \
		--rlimit-cpu=unlimited -- sh -c 'echo hi')
	expect_eq "one line" 1 "$(wc -l <<<"$json")" || return 1
	expect_eq "keys" "$SPEC_KEYS" "$(jq -r 'keys | join(" ")' <<<"$json")" || return 1
	expect_eq "version" 1 "$(jq '.version' <<<"$json")" || return 1
	expect_eq "types" "string array array string string array array number number string null array array array array object string object string boolean array boolean object array object array array" \
		"$(jq -r '[.profile, .profile_files, .namespaces, .userns, .setgroups,
			.uid_map, .gid_map, .uid, .gid, .groups, .switch_user, .mounts, .host_mkdir,
			.host_mkfile, .host_mkdir_try, .overlay, .hostname, .net, .cwd, .cwd_required,
			.caps, .no_new_privs, .seccomp, .rlimits, .env, .env_removed, .argv]
			| map(type) | join(" ")' <<<"$json")" || return 1
	# Only where a program may fail for want of its display (none here: no DISPLAY).
	expect_eq "failure_hint" null "$(jq -r '.failure_hint' <<<"$json")" || return 1
	# The helpers exist only with a subordinate range.
	expect_match "idmap_helpers" '^(null|object)$' "$(jq -r '.idmap_helpers | type' <<<"$json")" ||
		return 1
	# The pool's socket and idle time, as the userns-pool line says ("no": null).
	expect_eq "userns_pool" "$(sed -n 's/^userns-pool //p' <<<"$text")" \
		"$(jq -r 'if .userns_pool == null then "no" else "\(.userns_pool.socket) idle=\(.userns_pool.idle)" end' <<<"$json")" ||
		return 1
	expect_eq "a mount's keys" "content dest flags kind mode options origin src" \
		"$(jq -r '.mounts | map(keys | join(" ")) | unique | join("|")' <<<"$json")" || return 1
	# The same facts as the lines.
	expect_eq "profile files" "$(sed -n 's/^profile-file //p' <<<"$text")" \
		"$(jq -r '.profile_files[]' <<<"$json")" || return 1
	expect_eq "namespaces" "$(sed -n 's/^namespaces //p' <<<"$text")" \
		"$(jq -r '.namespaces | join(" ")' <<<"$json")" || return 1
	expect_eq "mounts" "$(grep -c '^mount ' <<<"$text")" "$(jq '.mounts | length' <<<"$json")" ||
		return 1
	expect_eq "the bind" "$T /srv" \
		"$(jq -r '.mounts[] | select(.kind == "bind" and .dest == "/srv") | "\(.src) \(.dest)"' <<<"$json")" ||
		return 1
	expect_eq "hostname" "mine" "$(jq -r .hostname <<<"$json")" || return 1
	expect_eq "ipc" "$(sed -n 's/^ipc //p' <<<"$text")" \
		"$(jq -r 'if .ipc_host == null then "private" else "host (\(.ipc_host))" end' <<<"$json")" ||
		return 1
	expect_eq "caps" "$(sed -n 's/^caps //p' <<<"$text")" \
		"$(jq -r 'if .caps == [] then "none" else .caps | join(" ") end' <<<"$json")" || return 1
	# (A value may hold a newline, which the lines print as \n: compare names and one value.)
	expect_eq "env names" "$(sed -n 's/^env \([^=]*\)=.*/\1/p' <<<"$text")" \
		"$(jq -r '.env | keys_unsorted[]' <<<"$json")" || return 1
	expect_eq "env LANG" "C" "$(jq -r .env.LANG <<<"$json")" || return 1
	expect_eq "argv" "sh|-c|echo hi" "$(jq -r '.argv | join("|")' <<<"$json")" || return 1
	expect_eq "rlimit cpu unlimited" "null" \
		"$(jq -c '.rlimits[] | select(.resource == "cpu") | .value' <<<"$json")" || return 1
	expect_eq "seccomp" "true errno" "$(jq -r '"\(.seccomp.enabled) \(.seccomp.action)"' <<<"$json")"
}

@test "--dry-run --json: an image with --user; strings are escaped, invalid UTF-8 is U+FFFD" {
	need_subids
	local img json
	img=$(busybox_image)
	json=$(nook_t run -q --rootfs="$img" --userns=root --user=nobody --dry-run --json \
		--env=$'ODD=a"b\\c\nd\x01\xff' -- id)
	expect_eq "switch_user" '{"uid":65534,"gid":65534,"groups":[65534]}' \
		"$(jq -c .switch_user <<<"$json")" || return 1
	expect_eq "uid_map" '[{"inside":0,"outside":'"$(id -u)"',"count":1},{"inside":1,"outside":'"$(subid_ranges /etc/subuid | head -1 | cut -d' ' -f1)"',"count":65536}]' \
		"$(jq -c .uid_map <<<"$json")" || return 1
	# The caller made the image: the kernel's overlay (--overlay-driver=auto).
	expect_eq "overlay" '{"mode":"tmp","name":null,"driver":"auto","dir":null,"fuse_overlayfs":null,"parts":[{"path":"/","driver":"kernel"}]}' \
		"$(jq -c .overlay <<<"$json")" || return 1
	expect_eq "HOME" "/" "$(jq -r .env.HOME <<<"$json")" || return 1
	expect_eq "the value, decoded" "61 22 62 5c 63 0a 64 01 ef bf bd" \
		"$(jq -j .env.ODD <<<"$json" | od -An -tx1 | xargs)" || return 1
	grep -qF '"ODD":"a\"b\\c\u000ad\u0001\ufffd"' <<<"$json" ||
		{ echo "raw: $json" >&2; return 1; }
}

@test "--json without --dry-run: one line, 125" {
	run --separate-stderr nook_t run --json -- true
	expect_nook_error || return 1
	expect_eq "message" "nook: --json: only with --dry-run (it prints the spec as JSON, and runs nothing)" \
		"$stderr"
}

@test "doctor --json: the checks of the lines, as documented; the same exit status" {
	local json lines rc_json rc_lines
	json=$(nook_t doctor --json) && rc_json=0 || rc_json=$?
	lines=$(nook_t doctor) && rc_lines=0 || rc_lines=$?
	expect_eq "exit status" "$rc_lines" "$rc_json" || return 1
	expect_eq "one line" 1 "$(wc -l <<<"$json")" || return 1
	expect_eq "keys" "checks ok version" "$(jq -r 'keys | join(" ")' <<<"$json")" || return 1
	expect_eq "version" 1 "$(jq .version <<<"$json")" || return 1
	expect_eq "a check's keys" "about detail name required result" \
		"$(jq -r '.checks | map(keys | join(" ")) | unique | join("|")' <<<"$json")" || return 1
	expect_eq "results" "$(awk '{ print tolower($1) }' <<<"$lines")" \
		"$(jq -r '.checks[].result' <<<"$json")" || return 1
	expect_eq "names" "$(sed -E 's/^[a-zA-Z]+ +([^:]+):.*/\1/' <<<"$lines")" \
		"$(jq -r '.checks[].name' <<<"$json")" || return 1
	expect_eq "ok" "$([ "$rc_lines" = 0 ] && echo true || echo false)" "$(jq .ok <<<"$json")" ||
		return 1
	run --separate-stderr nook_t doctor --json extra
	expect_nook_error
}

@test "overlay list --json: names, sizes in bytes, the lower layer unescaped; bad arguments 125" {
	local json dir="$XDG_DATA_HOME/nook/overlays/ci-job" lower="$T/lower"$'\t'"dir\\x"
	run --separate-stderr nook_t overlay list --json
	expect_eq "none yet" "{\"version\":1,\"dir\":\"$XDG_DATA_HOME/nook/overlays\",\"overlays\":[]}" \
		"$output" || return 1
	# What --overlay=ci-job makes (as overlay-cli.bats does it), over a lower layer whose name
	# the table escapes.
	mkdir -p "$dir/upper/d" "$dir/work"
	printf 'lower %s\ndriver fuse\ncreated %s\n' "$lower" "$(date +%s)" >"$dir/meta"
	: >"$dir/lock"
	printf '12345' >"$dir/upper/d/f"
	expect_match "the table escapes it" 'lower\\x09dir\\x5cx' "$(nook_t overlay list)" || return 1
	json=$(nook_t overlay list --json)
	expect_eq "the overlay" "ci-job|fuse|false" \
		"$(jq -r '.overlays[] | "\(.name)|\(.driver)|\(.in_use)"' <<<"$json")" || return 1
	expect_eq "its lower layer, raw" "$lower" "$(jq -j '.overlays[0].lower' <<<"$json")" || return 1
	expect_eq "its directory" "$XDG_DATA_HOME/nook/overlays/ci-job" \
		"$(jq -r '.overlays[0].dir' <<<"$json")" || return 1
	# du --apparent-size counts the directories too.
	expect_eq "size in bytes" "$(du -sb --apparent-size "$XDG_DATA_HOME/nook/overlays/ci-job/upper" | cut -f1)" \
		"$(jq '.overlays[0].size' <<<"$json")" || return 1
	expect_match "last use, UTC" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' \
		"$(jq -r '.overlays[0].last_use' <<<"$json")" || return 1
	for bad in "--json x" "x" "--jsn"; do
		# shellcheck disable=SC2086 # the words of $bad are the arguments
		run --separate-stderr nook_t overlay list $bad
		expect_nook_error || { echo "for: overlay list $bad" >&2; return 1; }
	done
}

# ---- a package installed in an image, as a CI job's setup does ----

@test "dpkg -i of a package in a busybox image with the host's dpkg: root's capabilities, no profile by name" {
	# The postinst chowns to 1000: an id of the subordinate range.
	need_subids
	need_dev fuse
	local img f binds=() script
	command -v dpkg-deb >/dev/null && [ -x /usr/bin/dpkg ] && [ -x /usr/bin/tar ] &&
		[ -d /usr/lib/x86_64-linux-gnu ] && [ -e /usr/lib64/ld-linux-x86-64.so.2 ] ||
		skip "needs the host's dpkg, GNU tar and an x86_64 Debian layout"
	img=$(busybox_image)
	# A package whose maintainer script chowns a file: dpkg and it need CAP_CHOWN.
	mkdir -p "$T/pkg/DEBIAN" "$T/pkg/usr/share/nook-hello"
	printf 'Package: nook-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: nook tests <nobody@localhost>\nDescription: installed by the CI tests\n' \
		>"$T/pkg/DEBIAN/control"
	echo hello >"$T/pkg/usr/share/nook-hello/greeting"
	printf '#!/bin/sh\nset -e\nchown 1000:1000 /usr/share/nook-hello/greeting\n' >"$T/pkg/DEBIAN/postinst"
	chmod 755 "$T/pkg/DEBIAN/postinst"
	dpkg-deb --root-owner-group -b "$T/pkg" "$T/hello.deb" >/dev/null
	# The host's dpkg and what it runs, with their libraries; busybox gives the rest.
	for f in dpkg dpkg-deb dpkg-query dpkg-split tar; do
		binds+=(--ro-bind="/usr/bin/$f:/usr/bin/$f")
	done
	binds+=(--ro-bind=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu --ro-bind=/usr/lib64:/lib64
		--ro-bind="$T/hello.deb:/tmp/hello.deb")
	script='mkdir -p /var/lib/dpkg/info /var/lib/dpkg/updates /usr/local/sbin &&
		touch /var/lib/dpkg/status &&
		printf "#!/bin/sh\n" >/usr/local/sbin/ldconfig && chmod 755 /usr/local/sbin/ldconfig &&
		/usr/bin/dpkg -i /tmp/hello.deb >/dev/null &&
		/usr/bin/dpkg-query -W -f="\${Status}\n" nook-hello && ls -n /usr/share/nook-hello/greeting'
	# Profiles named after sh, and a default one, that would drop every capability.
	profiles_that_drop_caps
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --overlay=tmp "${binds[@]}" -- \
		sh -c "$script"
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_match "installed, chowned by its postinst" \
		'^install ok installed.-rw-r--r-- +1 1000 +1000 .* /usr/share/nook-hello/greeting$' \
		"$(tr '\n' '.' <<<"$output" | sed 's/\.$//')" || return 1
	# An explicit profile that drops them: the command line's --userns=root still wins.
	run --separate-stderr nook_t run -q --rootfs="$img" --userns=root --profile=sh "${binds[@]}" -- \
		sh -c "$script"
	expect_eq "--profile=sh: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	# And the capabilities are what made it work: without them, the postinst cannot chown.
	run --separate-stderr nook_t run --rootfs="$img" --userns=root --caps-drop=all "${binds[@]}" -- \
		sh -c "$script"
	[ "$status" -ne 0 ] || { echo "installed without capabilities: $output" >&2; return 1; }
	expect_match "what failed" "Operation not permitted" "$stderr"
}
