#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The user namespace: id maps in each mode, the ids the payload runs with, file ownership
# across the boundary, groups, and the fallback when there are no subordinate ids.
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	UID_=$(id -u)
	GID_=$(id -g)
	cd "$BATS_TEST_TMPDIR" || return 1
}

teardown() {
	# Files a root-mode test chowned to subordinate ids: give them back so bats can delete them.
	if [ -d "$BATS_TEST_TMPDIR/shared" ]; then
		nook_t run -q --userns=root --bind "$BATS_TEST_TMPDIR/shared" -- \
			chown -R 0:0 "$BATS_TEST_TMPDIR/shared" >/dev/null 2>&1 || true
	fi
}

@test "keep-id: uid_map and gid_map inside hold the whole subordinate range around the caller" {
	need_subids
	local want_u want_g
	want_u=$(subid_ranges /etc/subuid | keep_id_map "$UID_")
	want_g=$(subid_ranges /etc/subgid | keep_id_map "$GID_")
	run --separate-stderr nook_t run -- cat /proc/self/uid_map
	expect_eq "exit status" 0 "$status"
	expect_eq "uid_map" "$want_u" "$(normalize_map <<<"$output")"
	run --separate-stderr nook_t run -- cat /proc/self/gid_map
	expect_eq "gid_map" "$want_g" "$(normalize_map <<<"$output")"
}

@test "keep-id: for a single range, exactly 3 lines: below, the caller, above" {
	need_subids
	local ranges start count
	ranges=$(subid_ranges /etc/subuid)
	[ "$(wc -l <<<"$ranges")" -eq 1 ] || skip "$(id -un) has several subuid ranges"
	read -r start count <<<"$ranges"
	[ "$count" -gt "$UID_" ] || skip "the subuid range ($count) is smaller than the uid ($UID_)"
	run --separate-stderr nook_t run -- cat /proc/self/uid_map
	expect_eq "uid_map" "0 $start $UID_
$UID_ $UID_ 1
$((UID_ + 1)) $((start + UID_)) $((count - UID_))" "$(normalize_map <<<"$output")"
}

@test "root: uid_map and gid_map are '0 CALLER 1' then the subordinate range from 1" {
	need_subids
	local want_u want_g
	want_u=$(subid_ranges /etc/subuid | root_map "$UID_")
	want_g=$(subid_ranges /etc/subgid | root_map "$GID_")
	run --separate-stderr nook_t run --userns=root -- cat /proc/self/uid_map
	expect_eq "exit status" 0 "$status"
	expect_eq "uid_map" "$want_u" "$(normalize_map <<<"$output")"
	run --separate-stderr nook_t run --userns=root -- cat /proc/self/gid_map
	expect_eq "gid_map" "$want_g" "$(normalize_map <<<"$output")"
}

@test "single: one line, the caller's own ids" {
	# --keep-groups: a single-id namespace cannot drop supplementary groups and says so.
	run --separate-stderr nook_t run --userns=single --keep-groups -- cat /proc/self/uid_map /proc/self/gid_map
	expect_eq "exit status" 0 "$status"
	expect_eq "maps" "$UID_ $UID_ 1
$GID_ $GID_ 1" "$(normalize_map <<<"$output")"
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_eq "stderr" "" "$stderr"
}

@test "id -u / id -g inside: the caller in keep-id and single, 0 in root mode" {
	run --separate-stderr nook_t run -- sh -c 'id -u; id -g'
	expect_eq "keep-id" "$UID_ $GID_" "$(words "$output")"
	run --separate-stderr nook_t run --userns=single -- sh -c 'id -u; id -g'
	expect_eq "single" "$UID_ $GID_" "$(words "$output")"
	run --separate-stderr nook_t run --userns=root -- sh -c 'id -u; id -g'
	expect_eq "root" "0 0" "$(words "$output")"
	# Real, effective, saved and filesystem ids alike.
	run --separate-stderr nook_t run -- grep -E '^(Uid|Gid):' /proc/self/status
	expect_eq "keep-id status ids" "Uid: $UID_ $UID_ $UID_ $UID_ Gid: $GID_ $GID_ $GID_ $GID_" \
		"$(words "$output")"
	run --separate-stderr nook_t run --userns=root -- grep -E '^(Uid|Gid):' /proc/self/status
	expect_eq "root status ids" "Uid: 0 0 0 0 Gid: 0 0 0 0" "$(words "$output")"
}

@test "no subordinate ids (NOOK_SUBUID_FILE=/dev/null): single mode, ONE warning naming the file" {
	# Where nook cannot use newuidmap at all, the warning names that cause, not the file.
	need_subids
	NOOK_SUBUID_FILE=/dev/null run --separate-stderr nook_t run --keep-groups -- cat /proc/self/uid_map
	expect_eq "exit status" 0 "$status"
	expect_eq "uid_map" "$UID_ $UID_ 1" "$(normalize_map <<<"$output")"
	# shellcheck disable=SC2154 # stderr_lines: set by bats's run --separate-stderr
	expect_eq "stderr lines" 1 "${#stderr_lines[@]}"
	expect_match "warning" '^nook: .*/dev/null' "$stderr"

	NOOK_SUBGID_FILE=/dev/null run --separate-stderr nook_t run --keep-groups -- cat /proc/self/gid_map
	expect_eq "gid_map" "$GID_ $GID_ 1" "$(normalize_map <<<"$output")"
	expect_eq "stderr lines" 1 "${#stderr_lines[@]}"
	expect_match "warning" '^nook: .*/dev/null' "$stderr"

	NOOK_SUBUID_FILE=/dev/null run --separate-stderr nook_t run --dry-run -- true
	expect_line "dry-run" "userns single" "$output"
}

@test "no subordinate ids: -q silences the warning, the fallback stays" {
	NOOK_SUBUID_FILE=/dev/null run --separate-stderr nook_t run -q -- cat /proc/self/uid_map
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_eq "uid_map" "$UID_ $UID_ 1" "$(normalize_map <<<"$output")"
}

@test "no subordinate ids with --userns=root: single map, but the payload is 0 inside" {
	NOOK_SUBUID_FILE=/dev/null run --separate-stderr nook_t run -q --userns=root -- \
		sh -c 'id -u; cat /proc/self/uid_map'
	expect_eq "exit status" 0 "$status"
	expect_eq "id -u" 0 "${lines[0]}"
	expect_eq "uid_map" "0 $UID_ 1" "$(normalize_map <<<"${lines[1]}")"
}

@test "NOOK_SUBUID_FILE with two ranges: keep-id splits them around the caller" {
	need_subids
	local start count f="$BATS_TEST_TMPDIR/subuid"
	read -r start count < <(subid_ranges /etc/subuid | head -n1)
	[ "$count" -ge 2000 ] || skip "the first subuid range is too small ($count)"
	# Both within /etc/subuid, so newuidmap accepts them.
	printf '%s:%d:1000\n%s:%d:500\n' "$(id -un)" "$start" "$UID_" $((start + 1000)) >"$f"
	run --separate-stderr env NOOK_SUBUID_FILE="$f" timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" run -- cat /proc/self/uid_map
	expect_eq "exit status" 0 "$status"
	expect_eq "uid_map" "$(subid_ranges "$f" | keep_id_map "$UID_")" \
		"$(normalize_map <<<"$output")"
	expect_eq "lines" 4 "$(wc -l <<<"$output")"
}

@test "a range newuidmap refuses: 125, and the message names the file the ranges came from" {
	need_subids
	local f="$BATS_TEST_TMPDIR/subuid-bad"
	# Ids nobody granted us: newuidmap checks /etc/subuid and must refuse.
	printf '%s:3000000000:1000\n' "$(id -un)" >"$f"
	run --separate-stderr env NOOK_SUBUID_FILE="$f" timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" run -- true
	expect_eq "exit status" 125 "$status"
	expect_eq "stdout" "" "$output"
	local nook_lines
	nook_lines=$(grep '^nook: ' <<<"$stderr" | grep -v '^nook: hint: ')
	expect_eq "nook's error lines" 1 "$(grep -c . <<<"$nook_lines")"
	expect_match "names $f" "$f" "$nook_lines"
}

@test "keep-id: a file the caller owns on the host is the caller's inside; root's is nobody's" {
	local f="$BATS_TEST_TMPDIR/mine"
	echo hi >"$f"
	run --separate-stderr nook_t run --ro-bind "$f:/tmp/mine" -- stat -c '%u:%g' /tmp/mine /etc/passwd
	expect_eq "exit status" 0 "$status"
	expect_eq "owner of the caller's file" "$UID_:$GID_" "${lines[0]}"
	# Host root is not mapped: the overflow id.
	expect_eq "owner of /etc/passwd" "65534:65534" "${lines[1]}"
}

@test "root mode: the caller's file is root's inside" {
	local f="$BATS_TEST_TMPDIR/mine"
	echo hi >"$f"
	run --separate-stderr nook_t run --userns=root --ro-bind "$f:/tmp/mine" -- stat -c '%u:%g' /tmp/mine
	expect_eq "owner inside" "0:0" "$output"
}

@test "files created inside a --bind dir belong to the caller on the host (keep-id and root)" {
	local d="$BATS_TEST_TMPDIR/shared"
	mkdir "$d"
	run --separate-stderr nook_t run --bind "$d" -- touch "$d/keep"
	expect_eq "exit status" 0 "$status"
	run --separate-stderr nook_t run -q --userns=root --bind "$d" -- touch "$d/root"
	expect_eq "exit status" 0 "$status"
	expect_eq "host owner (keep-id)" "$UID_:$GID_" "$(stat -c '%u:%g' "$d/keep")"
	expect_eq "host owner (root)" "$UID_:$GID_" "$(stat -c '%u:%g' "$d/root")"
}

@test "root mode: chown 1:1 inside shows on the host as the first subordinate ids" {
	need_subids
	local d="$BATS_TEST_TMPDIR/shared" ustart gstart
	ustart=$(subid_ranges /etc/subuid | head -n1 | cut -d' ' -f1)
	gstart=$(subid_ranges /etc/subgid | head -n1 | cut -d' ' -f1)
	mkdir "$d"
	run --separate-stderr nook_t run --userns=root --bind "$d" -- \
		sh -c "touch $d/f && chown 1:1 $d/f && stat -c %u:%g $d/f"
	expect_eq "exit status" 0 "$status"
	expect_eq "owner inside" "1:1" "$output"
	expect_eq "owner on the host" "$ustart:$gstart" "$(stat -c '%u:%g' "$d/f")"
	# The same file seen in keep-id mode: host $ustart is inside 0.
	run --separate-stderr nook_t run --bind "$d" -- stat -c %u:%g "$d/f"
	expect_eq "owner inside keep-id" "0:0" "$output"
}

@test "keep-id: the payload cannot chown a file to another id or become another user" {
	need_subids
	local d="$BATS_TEST_TMPDIR/shared"
	mkdir "$d"
	touch "$d/f"
	run --separate-stderr nook_t run --bind "$d" -- chown 0 "$d/f"
	[ "$status" -ne 0 ] || { echo "chown 0 succeeded in keep-id mode" >&2; false; }
	expect_eq "host owner unchanged" "$UID_" "$(stat -c %u "$d/f")"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" setuid 0
	expect_eq "setuid(0)" "EPERM" "$output"
}

# inside_id ID < map: the id inside that host ID maps to ("inside outside count" lines), or 65534.
inside_id() {
	awk -v id="$1" '$2 <= id && id < $2 + $3 { print $1 + id - $2; found = 1; exit }
		END { if (!found) print 65534 }'
}

@test "groups: only the caller's own group inside, unless --keep-groups; single denies setgroups" {
	need_subids
	local map want g
	run --separate-stderr nook_t run -- id -G
	expect_eq "exit status" 0 "$status"
	expect_eq "id -G (keep-id): the own group only" "$GID_" "$output"
	map=$(subid_ranges /etc/subgid | keep_id_map "$GID_")
	# With --keep-groups the supplementary groups are inherited, seen through the map.
	want=$(for g in $(id -G); do inside_id "$g" <<<"$map"; done | sort -n | tr '\n' ' ')
	run --separate-stderr nook_t run --keep-groups -- id -G
	expect_eq "id -G (keep-id, --keep-groups)" "$want" "$(tr ' ' '\n' <<<"$output" | sort -n | tr '\n' ' ')"
	expect_eq "primary group" "$GID_" "$(id -g)"
	run --separate-stderr nook_t run -- id -g
	expect_eq "id -g (keep-id)" "$GID_" "$output"

	run --separate-stderr nook_t run -q --userns=single -- cat /proc/self/setgroups
	expect_eq "setgroups in single mode" "deny" "$output"
	run --separate-stderr nook_t run --userns=root -- id -G
	expect_eq "id -G in root mode: 0 only" "0" "$output"
	run --separate-stderr nook_t run --userns=root --keep-groups -- id -G
	want=$(for g in $(id -G); do inside_id "$g" <<<"$(subid_ranges /etc/subgid | root_map "$GID_")"
		done | sort -n | tr '\n' ' ')
	expect_eq "id -G in root mode, --keep-groups" "$want" "$(tr ' ' '\n' <<<"$output" | sort -n | tr '\n' ' ')"
}

@test "the user namespace is a new one, owned by the caller" {
	local host_ns
	host_ns=$(readlink /proc/self/ns/user)
	run --separate-stderr nook_t run -- readlink /proc/self/ns/user
	expect_eq "exit status" 0 "$status"
	[ "$output" != "$host_ns" ] || { echo "same user namespace as the host: $output" >&2; false; }
	expect_match "ns link" '^user:\[[0-9]+\]$' "$output"
}

@test "the payload cannot rewrite its own id maps" {
	run --separate-stderr nook_t run --userns=root -- sh -c \
		'echo "0 0 1" > /proc/self/uid_map 2>/dev/null && echo written || echo refused'
	expect_eq "writing uid_map" "refused" "$output"
	run --separate-stderr nook_t run -- cat /proc/self/uid_map
	expect_match "map unchanged" "$UID_ +$UID_ +1" "$output"
}
