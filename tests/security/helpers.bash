# SPDX-License-Identifier: GPL-2.0-or-later
# Shared by the security suites, after ../lib/common: `load helpers`.
# NOOK_PROBE comes from meson (tests/security/meson.build): the probe program's build path.

: "${NOOK_PROBE:?run the suites through meson test}"
PROBE="$NOOK_PROBE"
# Bound read-only at its own path: the build directory may sit under /tmp, a fresh tmpfs inside.
PROBE_DIR="${NOOK_PROBE%/*}"

# sandbox [NOOK-OPTION...] -- PROBE-ARG...: run the probe in a sandbox made with these options.
sandbox() {
	local opts=()

	while [ $# -gt 0 ] && [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	[ $# -gt 0 ] && shift
	"$NOOK" run -q --ro-bind "$PROBE_DIR" "${opts[@]}" -- "$PROBE" "$@"
}

# The plain deny list of the default filter, as nook resolves it (space-separated names).
default_deny_list() {
	"$NOOK" run --dry-run -- true | sed -n 's/^seccomp-deny //p'
}

# check_probe STATUS [LINE-ERE...]: the last `run` ended with STATUS and, for each ERE, some
# whole line of its output matches it. On failure, say what was expected and what was seen.
# shellcheck disable=SC2154 # status, output: set by bats's run
check_probe() {
	local want="$1" re ok=1

	shift
	[ "$status" = "$want" ] || ok=0
	for re in "$@"; do
		grep -qxE -- "$re" <<<"$output" || ok=0
	done
	if [ "$ok" = 0 ]; then
		{
			printf 'expected: status %s' "$want"
			[ $# -gt 0 ] && printf ', a line matching /%s/' "$@"
			printf '\ngot: status %s, output:\n%s\n' "$status" "$output"
		} >&2
		return 1
	fi
}

# check_no_line ERE: no line of the last `run`'s output matches ERE.
check_no_line() {
	if grep -qxE -- "$1" <<<"$output"; then
		printf 'expected no line matching /%s/, got:\n%s\n' "$1" "$output" >&2
		return 1
	fi
}

# count_lines ERE: how many lines of the last `run`'s output match ERE.
count_lines() {
	grep -cxE -- "$1" <<<"$output" || true
}

# Skip unless the kernel has open_tree_attr (467, Linux 6.15): outside any sandbox it must reach
# the kernel and fail there (EFAULT for its NULL path), not ENOSYS.
require_nr_467() {
	local out

	out=$("$PROBE" nr 467 2>&1) || true
	[[ "$out" == "ALLOWED nr(467) ret=-1 errno="* ]] ||
		skip "no system call 467 (open_tree_attr, Linux 6.15) in this kernel: $out"
}

# Skip unless i386 system calls (int $0x80) work here at all, outside any sandbox: x86_64 with
# IA32 emulation in the kernel (and no outer filter refusing them).
require_ia32() {
	[ "$(uname -m)" = x86_64 ] || skip "i386 system calls exist only on x86_64"
	local out

	out=$("$PROBE" int80-getpid 2>&1) || true
	[[ "$out" == "ALLOWED int80-getpid "* ]] || skip "no i386 system calls on this kernel: $out"
}

# need_unfiltered ERE PROBE-ARG...: a control that lets a call through nook's filter needs it
# to reach the kernel here, without nook: the probe run bare prints a line matching ERE. Inside
# nook (the suites run nested) the filter around stays on, whatever the inner one allows.
need_unfiltered() {
	local re="$1" out
	shift
	out=$("$PROBE" "$@" 2>&1) || true # its status: 1 when the call went through
	grep -qxE -- "$re" <<<"$out" && return 0
	lacks --nested "refused here, without nook too: $(head -n 3 <<<"$out" | tr '\n' ' ')"
}
