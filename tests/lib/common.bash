# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the bats suites: `load ../lib/common`.
# The environment comes from meson (tests/meson.build): NOOK, NOOK_SRC, NOOK_BUILD.

: "${NOOK:?run the suites through meson test}"
: "${NOOK_BUILD:?run the suites through meson test}"

# Images are built once per build directory and shared by every suite.
NOOK_IMAGES="$NOOK_BUILD/test-images"

# The system's profile directory is an empty one unless a suite sets its own: nook run from
# its build directory reads the source tree's profiles/ (host/facts.c), whose default.profile
# would apply to every run of the suites that test the launcher itself.
export NOOK_PROFILE_DIR="$NOOK_BUILD/test-no-profiles"
mkdir -p "$NOOK_PROFILE_DIR"

# ---- What a test needs, and the suites run inside nook ----
#
# nesting.bats runs suites inside `nook run --allow-userns` with NOOK_TEST_NESTED=1. There
# the sandbox around nook takes some things away, whatever the machine has: no_new_privs makes
# the setuid newuidmap useless (nook maps only the caller's own id, with one warning), its /dev
# has no fuse nor net/tun, its filter stays on under the inner nook's --seccomp=off.

# lacks [--nested] REASON: this test cannot run here. By hand, skip; under CI (CI set), whose
# machine has it all, fail instead. With --nested, REASON comes from the sandbox around nook:
# in a nested run (NOOK_TEST_NESTED=1) that is a skip, under CI too.
lacks() {
	local nested=0
	if [ "$1" = --nested ]; then
		nested=1
		shift
	fi
	if [ "$nested" = 1 ] && [ "${NOOK_TEST_NESTED:-}" = 1 ]; then
		skip "inside nook: $1"
	fi
	if [ -n "${CI:-}" ]; then
		printf '%s (a CI machine must have it: helpers/run-tests sets it up)\n' "$1" >&2
		return 1
	fi
	skip "$1"
}

# nook_maps_subids: whether nook maps subordinate ids here (keep-id through newuidmap, as its
# --dry-run says). nook is asked, not /etc/subuid: inside a sandbox the file is there and
# newuidmap cannot use it. Otherwise NOOK_IDMAP_WHY is why, as nook says it.
nook_maps_subids() {
	local out
	NOOK_IDMAP_WHY=""
	out=$("$NOOK" run --dry-run -- true 2>&1) ||
		{ NOOK_IDMAP_WHY="nook run --dry-run failed: $out"; return 1; }
	if grep -qx 'userns keep-id' <<<"$out" && grep -q '^idmap-helpers /' <<<"$out"; then
		return 0
	fi
	NOOK_IDMAP_WHY=$(grep -m1 '^nook: ' <<<"$out")
	[ -n "$NOOK_IDMAP_WHY" ] || NOOK_IDMAP_WHY="nook maps only the caller's own id here"
	return 1
}

# need_subids: nook maps subordinate ids here, or the test is not for this machine (lacks).
need_subids() {
	nook_maps_subids && return 0
	case "$NOOK_IDMAP_WHY" in
	*"no_new_privs is set on nook"* | *"on a nosuid mount"*) lacks --nested "${NOOK_IDMAP_WHY#nook: }" ;;
	*) lacks "${NOOK_IDMAP_WHY#nook: }" ;;
	esac
}

# dev_usable NAME, need_dev NAME [WHAT]: the device /dev/NAME opens for reading and writing (or the
# test is not for this machine): fuse for fuse-overlayfs (the default overlay driver, so also
# for --rootfs), net/tun for --net=slirp.
dev_usable() {
	{ [ -c "/dev/$1" ] && : <>"/dev/$1"; } 2>/dev/null
}

need_dev() {
	local dev="/dev/$1" what="${2:+, for $2}"
	dev_usable "$1" && return 0
	if [ ! -e "$dev" ] && [ "${NOOK_TEST_NESTED:-}" = 1 ]; then
		lacks --nested "no $dev (nook's /dev has none)$what"
	fi
	lacks "$dev is missing or not accessible (chmod 666 $dev)$what"
}

# not_in_nook: the test runs outside any nook sandbox (no /dev/.nook): inside one, an integrate
# link runs its program itself, in that sandbox (nook-integrate(1)).
not_in_nook() {
	[ -e /dev/.nook ] || return 0
	lacks --nested "/dev/.nook is there: an integrate link runs its program itself"
}

# The warning of a nook that maps one id because it runs inside a sandbox, as itself or as
# root.
NESTED_IDMAP_WARNING="^nook: no_new_privs is set on nook \(it runs inside a sandbox\), so the setuid newuidmap cannot work; mapping only the caller's own id, as (itself|root) \(see 'nook doctor'\)\$"

# drop_nested_warning < TEXT: TEXT without that warning's lines in a nested run; as it is
# otherwise. For what a test reads from a file (a background nook's stderr, a terminal's
# screen).
drop_nested_warning() {
	if [ "${NOOK_TEST_NESTED:-}" = 1 ]; then
		grep -Ev -- "$NESTED_IDMAP_WARNING" || true
	else
		cat
	fi
}

# In a nested run every sandbox nook makes prints that warning first: bats's run drops exactly
# its lines from output, lines, stderr and stderr_lines, so that the tests of the other lines
# hold as they are. run_unfiltered keeps them (for the tests of the warning itself).
# shellcheck disable=SC2034,SC2154 # output, lines, stderr, stderr_lines: bats's run's
if [ "${NOOK_TEST_NESTED:-}" = 1 ] && ! declare -F run_unfiltered >/dev/null; then
	eval "run_unfiltered() $(declare -f run | tail -n +2)"
	_drop_warning_lines() {
		local -n text_="$1" list_="$2"
		local line kept=() out=""
		[[ "$text_" == *"no_new_privs is set on nook"* ]] || return 0
		for line in "${list_[@]}"; do
			[[ "$line" =~ $NESTED_IDMAP_WARNING ]] || kept+=("$line")
		done
		list_=("${kept[@]}")
		while IFS= read -r line || [ -n "$line" ]; do
			[[ "$line" =~ $NESTED_IDMAP_WARNING ]] || out+="$line"$'\n'
		done <<<"$text_"
		text_="${out%$'\n'}"
	}
	run() {
		local rc=0
		run_unfiltered "$@" || rc=$?
		_drop_warning_lines output lines
		_drop_warning_lines stderr stderr_lines
		return "$rc"
	}
elif ! declare -F run_unfiltered >/dev/null; then
	run_unfiltered() { run "$@"; }
fi

# A busybox-static root: /bin/busybox and its applets, /proc /dev /tmp /etc, passwd/group.
busybox_image() {
	local dir="$NOOK_IMAGES/busybox"
	if [ ! -x "$dir/bin/busybox" ]; then
		"$NOOK_SRC/tests/lib/mkimage-busybox" "$dir" >&2 || return 1
	fi
	printf '%s\n' "$dir"
}

# Print what was expected and what was seen, so a failure explains itself without a rerun.
expect_eq() {
	local what="$1" want="$2" got="$3"
	if [ "$want" != "$got" ]; then
		printf '%s: expected [%s], got [%s]\n' "$what" "$want" "$got" >&2
		return 1
	fi
}

expect_match() {
	local what="$1" pattern="$2" got="$3"
	if ! [[ "$got" =~ $pattern ]]; then
		printf '%s: expected to match /%s/, got [%s]\n' "$what" "$pattern" "$got" >&2
		return 1
	fi
}

# No process of ours may survive a test: list processes whose command line contains $1.
procs_matching() {
	pgrep -u "$(id -u)" -f -- "$1" || true
}

# words TEXT: the words of TEXT (split at blanks and newlines) joined by single spaces, as
# $(echo $TEXT) gives them, without expanding a * or ? of TEXT as a file name pattern.
words() {
	local IFS=$' \t\n' w
	read -r -a w -d '' <<<"$1" || true
	printf '%s\n' "${w[*]}"
}

# ---- Shared by cli, userns, mounts, process and privileges (the core launcher suites). ----

# probe.py ACTION ...: tries one thing (mount, ptrace, mknod, pty, connect, ...) and prints
# "ok" or the errno name. It lives in the source tree, which the host-root sandbox can read.
# shellcheck disable=SC2034 # used by the suites that load this file
NOOK_PYPROBE="$NOOK_SRC/tests/integration/helpers/probe.py"
# shellcheck disable=SC2034 # used by the suites that load this file
NOOK_PYTHON=$(command -v python3 2>/dev/null || echo /usr/bin/python3)

# A PATH without directories the caller cannot search: glibc's execvp reports EACCES, not
# ENOENT, when one of them is on the way, which is not what a test of 127 is about.
# shellcheck disable=SC2034 # used by the suites that load this file
NOOK_CLEAN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Digits only, unique enough on one machine: `sleep 1000.$(unique_tag)` names a process that
# pgrep -f can find, and nothing else on the machine has in its command line.
unique_tag() {
	printf '%s%05d%05d\n' "$$" "$RANDOM" "$RANDOM"
}

# wait_for_file FILE [TENTHS]: wait until FILE exists, at most TENTHS/10 s (default 10 s).
wait_for_file() {
	local file="$1" tenths="${2:-100}" i
	for ((i = 0; i < tenths; i++)); do
		[ -e "$file" ] && return 0
		sleep 0.1
	done
	printf 'wait_for_file: %s did not appear within %d.%d s\n' "$file" $((tenths / 10)) \
		$((tenths % 10)) >&2
	return 1
}

# wait_no_procs PATTERN [TENTHS]: wait until no process of ours has PATTERN in its command
# line; on timeout print the survivors and fail.
wait_no_procs() {
	local pattern="$1" tenths="${2:-50}" i left
	for ((i = 0; i < tenths; i++)); do
		left=$(procs_matching "$pattern")
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	printf 'still running after %d.%d s:\n' $((tenths / 10)) $((tenths % 10)) >&2
	# shellcheck disable=SC2086
	ps -o pid,ppid,stat,args -p "$(echo $left | tr ' ' ,)" >&2 || true
	return 1
}

# kill_procs_matching PATTERN: SIGKILL what a failed test left behind (teardown).
kill_procs_matching() {
	local p
	for p in $(procs_matching "$1"); do
		kill -KILL "$p" 2>/dev/null || true
	done
}

# busybox_image_copy DEST: a private copy of the busybox image, to plant things in.
busybox_image_copy() {
	local src
	src=$(busybox_image) || return 1
	cp -a "$src" "$1"
}

# status_field NAME < /proc/PID/status: the value of "NAME:\tvalue".
status_field() {
	awk -v k="$1:" '$1 == k { print $2 }'
}

# subid_ranges FILE: the caller's subordinate ranges in FILE, "start count" a line, matched
# by user name or uid as shadow's subid(5) does.
subid_ranges() {
	awk -F: -v n="$(id -un)" -v u="$(id -u)" \
		'$1 !~ /^#/ && NF >= 3 && ($1 == n || $1 == u) { print $2, $3 }' "$1"
}

# keep_id_map ID < ranges: the map keep-id must give, "inside outside count" a line by
# inside id: ID maps to itself, the subordinate ranges fill 0, 1, 2, ... around it.
keep_id_map() {
	awk -v id="$1" '
		BEGIN { next_id = 0 }
		{
			start = $1; count = $2
			while (count > 0) {
				if (next_id == id) next_id++
				chunk = count
				if (next_id < id && next_id + chunk > id) chunk = id - next_id
				print next_id, start, chunk
				next_id += chunk; start += chunk; count -= chunk
			}
		}
		END { print id, id, 1 }' | sort -n -k1,1
}

# root_map ID < ranges: the map root mode must give: 0 is ID, 1... the subordinate ranges.
root_map() {
	awk -v id="$1" 'BEGIN { print 0, id, 1; n = 1 } { print n, $1, $2; n += $2 }'
}

# normalize_map < /proc/PID/uid_map: "inside outside count" with single spaces.
normalize_map() {
	awk '{ print $1, $2, $3 }'
}

# expect_nook_error: after `run --separate-stderr`, nook failed the way every nook error must
# look: status $1 (default 125), nothing on stdout, one stderr line starting "nook: ",
# optionally followed by one "nook: hint: " line.
# shellcheck disable=SC2154 # status, output, stderr, stderr_lines: set by bats's run
expect_nook_error() {
	local want="${1:-125}" n
	expect_eq "exit status" "$want" "$status" || { printf 'stderr: %s\n' "$stderr" >&2; return 1; }
	expect_eq "stdout" "" "$output" || return 1
	n=$(printf '%s\n' "$stderr" | wc -l)
	if [ -z "$stderr" ] || [ "$n" -gt 2 ]; then
		printf 'stderr: expected 1 line (or 2 with a hint), got %d: [%s]\n' "$n" "$stderr" >&2
		return 1
	fi
	expect_match "stderr line 1" '^nook: ' "${stderr_lines[0]}" || return 1
	if [ "$n" -eq 2 ]; then
		expect_match "stderr line 2" '^nook: hint: ' "${stderr_lines[1]}" || return 1
	fi
}

# expect_line WHAT LINE TEXT: TEXT has a line that is exactly LINE.
expect_line() {
	local what="$1" want="$2" got="$3"
	if ! printf '%s\n' "$got" | grep -qxF -- "$want"; then
		printf '%s: expected a line [%s] in:\n%s\n' "$what" "$want" "$got" >&2
		return 1
	fi
}

# nook_t ARGS...: nook, bounded in time, so that a hang fails the test instead of the suite.
# Exit statuses pass through (124 means the time ran out).
NOOK_TIMEOUT=${NOOK_TIMEOUT:-30}
nook_t() {
	timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" "$@"
}

# The session's runtime dir (/run/user/UID) is one per user: the suites that put sockets in it
# (session, profile-fs, dbus) take this lock, so that meson's parallel suites do not see each
# other's. Held until the test ends (its fd closes with the test's process).
lock_runtime_dir() {
	local rt
	rt="/run/user/$(id -u)"
	[ -d "$rt" ] && [ -w "$rt" ] || return 0
	exec {NOOK_RT_LOCK_FD}>>"$rt/.nook-tests.lock"
	flock -w 120 "$NOOK_RT_LOCK_FD" || { echo "cannot lock $rt for the test" >&2; return 1; }
}
