#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nook doctor on the CI machine: user namespaces, nooktest's subordinate range 100000:65536,
# uidmap, fuse-overlayfs, slirp4netns and pasta (passt) are all there, /dev/fuse and
# /dev/net/tun are 0666.
load ../lib/common

CHECKS=("user namespaces" "mount API" "proc" "host name" "subordinate uids" "subordinate gids" "newuidmap"
	"newgidmap" "groups" "/dev/fuse" "fuse-overlayfs" "kernel overlay" "/dev/net/tun" "slirp4netns"
	"pasta" "xdg-dbus-proxy" "seccomp" "Landlock" "userns pool")

# doctor [ENV=VALUE...]: run `nook doctor`, setting $out, $err and $rc.
doctor() {
	rc=0
	out="$(env TMPDIR="$BATS_TEST_TMPDIR" "$@" "$NOOK" doctor 2>"$BATS_TEST_TMPDIR/stderr")" || rc=$?
	err="$(cat "$BATS_TEST_TMPDIR/stderr")"
}

# The report line of check $1.
line_of() {
	printf '%s\n' "$out" | grep -F -- "$1: " | head -n 1
}

# Inside nook (--allow-userns): no_new_privs keeps newuidmap and newgidmap from working, and the
# sandbox's /dev has neither fuse nor net/tun. Each is a warning that says so; the rest as outside.
expect_nested_lines() {
	local h d
	for h in newuidmap newgidmap; do
		expect_match "$h" "^warn +$h: +no_new_privs is set on nook \\(it runs inside a sandbox\\), so /[^ ]*/$h cannot gain privileges: nook maps only the caller's own id; fix: " \
			"$(line_of "$h")" || return 1
	done
	for d in /dev/fuse /dev/net/tun; do
		expect_match "$d" "^warn +$d: +$d does not exist: nook runs inside a sandbox \\(no_new_privs is set\\) whose /dev has none.*; fix: .*give that sandbox $d\$" \
			"$(line_of "$d")" || return 1
	done
}

@test "doctor passes on this machine, with a line per check in order" {
	doctor
	expect_eq "exit status" 0 "$rc" || { printf '%s\n%s\n' "$out" "$err" >&2; return 1; }
	expect_eq "stderr" "" "$err"
	expect_eq "number of lines" "${#CHECKS[@]}" "$(printf '%s\n' "$out" | wc -l)"
	local i=0 line
	while IFS= read -r line; do
		expect_match "line $((i + 1))" "^(ok    |warn  |FAIL  )${CHECKS[i]}: +[^ ]" "$line"
		i=$((i + 1))
	done <<<"$out"
}

@test "the required checks and the machine's setup are reported ok" {
	doctor
	expect_match "user namespaces" '^ok +user namespaces: ' "$(line_of "user namespaces")"
	expect_match "mount API" '^ok +mount API: ' "$(line_of "mount API")"
	expect_match "proc" '^ok +proc: +a fresh proc mounts in new user, pid and mount namespaces$' \
		"$(line_of "proc")"
	expect_match "host name" '^ok +host name: +sethostname works in a new uts namespace$' \
		"$(line_of "host name")"
	expect_match "subordinate uids" '^ok +subordinate uids: +100000-165535 \(65536 ids\) in /etc/subuid$' \
		"$(line_of "subordinate uids")"
	expect_match "subordinate gids" '^ok +subordinate gids: +100000-165535 \(65536 ids\)' \
		"$(line_of "subordinate gids")"
	if [ "${NOOK_TEST_NESTED:-}" = 1 ]; then
		# Inside nook: what the sandbox around it takes away, said as such.
		expect_nested_lines
	else
		expect_match "newuidmap" '^ok +newuidmap: +/[^ ]*/newuidmap \(' "$(line_of "newuidmap")"
		expect_match "newgidmap" '^ok +newgidmap: +/[^ ]*/newgidmap \(' "$(line_of "newgidmap")"
		expect_match "groups" '^ok +groups: +[0-9]+ supplementary groups?, dropped inside' \
			"$(line_of "groups")"
		expect_match "/dev/fuse" '^ok +/dev/fuse: ' "$(line_of "/dev/fuse")"
		expect_match "/dev/net/tun" '^ok +/dev/net/tun: ' "$(line_of "/dev/net/tun")"
	fi
	expect_match "fuse-overlayfs" '^ok +fuse-overlayfs: .*version' "$(line_of "fuse-overlayfs")"
	expect_match "slirp4netns" '^ok +slirp4netns: .*version' "$(line_of "slirp4netns")"
	# Debian 12's pasta says "pasta unknown version".
	expect_match "pasta" '^ok +pasta: +/[^ ]*/pasta \(pasta .*version.*\)$' "$(line_of "pasta")"
	expect_match "xdg-dbus-proxy" '^ok +xdg-dbus-proxy: +/[^ ]*/xdg-dbus-proxy \(xdg-dbus-proxy [0-9.]+\)$' \
		"$(line_of "xdg-dbus-proxy")"
	expect_match "seccomp" '^ok +seccomp: ' "$(line_of "seccomp")"
}

@test "inside nook: newuidmap, newgidmap, /dev/fuse and /dev/net/tun are warnings naming the sandbox" {
	# line_of reads out: this test's own (bash's dynamic scope).
	local out st=0
	out=$(timeout -k 5 60 "$NOOK" run -q --allow-userns -- "$NOOK" doctor 2>"$BATS_TEST_TMPDIR/stderr") || st=$?
	expect_eq "exit status (all of them are warnings)" 0 "$st"
	expect_eq "stderr" "" "$(cat "$BATS_TEST_TMPDIR/stderr")"
	expect_nested_lines
	expect_match "user namespaces" '^ok +user namespaces: ' "$(line_of "user namespaces")"
	expect_match "proc" '^ok +proc: ' "$(line_of "proc")"
}

@test "Landlock: the ABI, and whether --net=host is kept from the host's abstract sockets" {
	local spec

	doctor
	spec="$("$NOOK" run -q --net=host --dry-run -- true)"
	if grep -qx 'landlock scope abstract-unix-socket' <<<"$spec"; then
		expect_match "Landlock" \
			"^ok +Landlock: +ABI version [0-9]+: with --net=host the host's abstract unix sockets are scoped out\$" \
			"$(line_of "Landlock")"
	else
		expect_match "Landlock" "^warn +Landlock: .*abstract unix sockets.*; fix: " "$(line_of "Landlock")"
	fi
}

@test "no subordinate uids (NOOK_SUBUID_FILE=/dev/null) is a warning that names the file" {
	doctor NOOK_SUBUID_FILE=/dev/null
	expect_eq "exit status" 0 "$rc"
	expect_match "subordinate uids" \
		"^warn +subordinate uids: +/dev/null has no subordinate uids for $(id -un);.*fix: sudo usermod --add-subuids 100000-165535 $(id -un)\$" \
		"$(line_of "subordinate uids")"
	expect_match "subordinate gids" '^ok ' "$(line_of "subordinate gids")"
}

@test "only another user's range: a warning, and the suggested range does not overlap it" {
	local f="$BATS_TEST_TMPDIR/subuid"
	printf 'someoneelse:100000:65536\n' >"$f"
	doctor NOOK_SUBUID_FILE="$f" NOOK_SUBGID_FILE="$f"
	expect_eq "exit status" 0 "$rc"
	expect_match "subordinate uids" \
		"^warn +subordinate uids: +$f has no subordinate uids for $(id -un);.*--add-subuids 165536-231071 " \
		"$(line_of "subordinate uids")"
	expect_match "subordinate gids" \
		"^warn +subordinate gids: +$f has no subordinate gids for .*--add-subgids 165536-231071 " \
		"$(line_of "subordinate gids")"
	# Without a gid range the sandbox cannot drop supplementary groups: doctor says so.
	if [ "$(id -G | wc -w)" -gt 1 ]; then
		expect_match "groups" '^warn +groups: +[0-9]+ supplementary groups? stay inside' \
			"$(line_of "groups")"
	fi
}

@test "doctor --bogus: exit 125 with one nook: line and no report" {
	rc=0
	out="$("$NOOK" doctor --bogus 2>"$BATS_TEST_TMPDIR/stderr")" || rc=$?
	err="$(cat "$BATS_TEST_TMPDIR/stderr")"
	expect_eq "exit status" 125 "$rc"
	expect_eq "stdout" "" "$out"
	expect_eq "stderr lines" 1 "$(printf '%s\n' "$err" | wc -l)"
	expect_match "stderr" "^nook: doctor: .*--bogus" "$err"
}

@test "doctor with a stray argument after --help is refused too" {
	# shellcheck disable=SC2030 # rc is this test's own, as it is every test's
	rc=0
	"$NOOK" doctor --help extra >/dev/null 2>&1 || rc=$?
	expect_eq "exit status" 125 "$rc"
}

@test "nook help doctor and nook doctor --help print the usage" {
	local a b c rc1=0 rc2=0
	a="$("$NOOK" help doctor)" || rc1=$?
	b="$("$NOOK" doctor --help)" || rc2=$?
	c="$("$NOOK" doctor -h)"
	expect_eq "help doctor status" 0 "$rc1"
	expect_eq "doctor --help status" 0 "$rc2"
	expect_eq "first line" "Usage: nook doctor [--json]" "$(head -n 1 <<<"$a")"
	expect_eq "help doctor vs doctor --help" "$a" "$b"
	expect_eq "doctor -h vs doctor --help" "$b" "$c"
	local name
	for name in "${CHECKS[@]}"; do
		expect_match "help mentions $name" "$name" "$a"
	done
	expect_match "exit statuses" "0 if .*1 if .*125 if" "$(tr '\n' ' ' <<<"$a")"
}

@test "doctor leaves no temporary directory behind in TMPDIR" {
	local t="$BATS_TEST_TMPDIR/tmp" before after
	mkdir "$t"
	touch "$t/marker"
	before="$(ls -A "$t")"
	doctor TMPDIR="$t"
	after="$(ls -A "$t")"
	# shellcheck disable=SC2031 # rc: set by doctor() above, in this test
	expect_eq "exit status" 0 "$rc"
	# The overlay check ran there, so the comparison below means something.
	expect_match "kernel overlay" "kernel overlay: .*under $t" "$(line_of "kernel overlay")"
	expect_eq "TMPDIR contents" "$before" "$after"
}

@test "an unusable TMPDIR is a warning for the overlay check only" {
	doctor TMPDIR="$BATS_TEST_TMPDIR/does-not-exist"
	# shellcheck disable=SC2031 # rc: set by doctor() above, in this test
	expect_eq "exit status" 0 "$rc"
	expect_match "kernel overlay" \
		"^warn +kernel overlay: +not tested: cannot create a directory in $BATS_TEST_TMPDIR/does-not-exist" \
		"$(line_of "kernel overlay")"
}

@test "doctor leaves no process behind and is quick" {
	local tag="nook-doctor-test-$$-$RANDOM" start end ms rc=0
	start=$(date +%s%N)
	# A unique argv[0], inherited by doctor's forked probes, to find any that survive.
	(exec -a "$tag" "$NOOK" doctor >/dev/null 2>&1) || rc=$?
	end=$(date +%s%N)
	ms=$(((end - start) / 1000000))
	expect_eq "exit status" 0 "$rc"
	expect_eq "processes left (argv[0] $tag)" "" "$(procs_matching "$tag")"
	expect_eq "--version helpers left" "" \
		"$(procs_matching 'fuse-overlayfs --version'; procs_matching 'slirp4netns --version'
			procs_matching 'pasta --version')"
	# It takes tens of milliseconds; a second means something waits that should not.
	if [ "$ms" -ge 1000 ]; then
		printf 'doctor took %d ms, expected well under 1000\n' "$ms" >&2
		return 1
	fi
}

# The AppArmor profile nook installs for Ubuntu's restricted user namespaces: it must parse,
# attach to the installed nook, and grant `userns,`. Debian 12's apparmor_parser (3.0) knows
# neither abi 4.0 nor the userns rule (AppArmor 4.0, Ubuntu 24.04): there the rest of the
# profile is parsed, and the rule is checked as text.
@test "the AppArmor profile parses, attaches to the installed nook and grants userns" {
	local parser=/usr/sbin/apparmor_parser profile="$NOOK_BUILD/profiles/nook.apparmor"
	if [ ! -x "$parser" ]; then
		[ -z "${CI:-}" ] || { echo "apparmor_parser missing: helpers/install-deps installs apparmor" >&2; return 1; }
		skip "apparmor_parser is not installed (package apparmor)"
	fi
	[ -f "$profile" ] || { echo "no $profile in the build" >&2; return 1; }
	expect_match "attachment" "^profile nook /[^ ]*/bin/nook flags=\(unconfined\) \{$" \
		"$(grep '^profile ' "$profile")"
	expect_eq "the userns rule" "  userns," "$(grep -x '  userns,' "$profile")"
	local checked="$profile"
	if [ ! -e /etc/apparmor.d/abi/4.0 ]; then
		checked="$BATS_TEST_TMPDIR/nook.abi3"
		sed -e 's|<abi/4.0>|<abi/3.0>|' -e '/^  userns,$/d' "$profile" >"$checked"
	fi
	run "$parser" --skip-kernel-load --skip-cache --quiet "$checked"
	expect_eq "apparmor_parser on $checked" 0 "$status" || { echo "$output" >&2; return 1; }
	# And a broken profile is refused, so the check above can fail.
	printf 'profile broken /x {\n  nonsense-rule,\n}\n' >"$BATS_TEST_TMPDIR/broken"
	run "$parser" --skip-kernel-load --skip-cache --quiet "$BATS_TEST_TMPDIR/broken"
	[ "$status" -ne 0 ] || { echo "apparmor_parser accepted a broken profile" >&2; return 1; }
}
