# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the bats suites: `load ../lib/common`.
# The environment comes from meson (tests/meson.build): NOOK, NOOK_SRC, NOOK_BUILD.

: "${NOOK:?run the suites through meson test}"
: "${NOOK_BUILD:?run the suites through meson test}"

# Images are built once per build directory and shared by every suite.
NOOK_IMAGES="$NOOK_BUILD/test-images"

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
