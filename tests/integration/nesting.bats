#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Sandboxes inside sandboxes (nook in nook, bwrap in nook, nook in rootless podman), the
# wall-clock limit (--timeout) and what nook leaves when it is killed.
# What the shells inside run is in single quotes on purpose: it expands there.
# shellcheck disable=SC2016
# stderr, stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	TAG=$(unique_tag)
}

teardown() {
	kill_procs_matching "$TAG"
	if [ -n "${PODMAN_IMAGE:-}" ]; then
		podman --log-level=error rmi -f "$PODMAN_IMAGE" >/dev/null 2>&1 || true
	fi
	return 0
}

# ---- nesting ----

@test "nook in nook: the inner one maps one id (one warning naming no_new_privs), mounts its own proc, and its status comes back" {
	run --separate-stderr timeout -k 5 60 "$NOOK" run --allow-userns -- "$NOOK" run -- \
		sh -c 'cat /proc/self/uid_map; readlink /proc/self; exit 7'
	expect_eq "status of the inner payload, through both" 7 "$status"
	expect_match "the inner uid map: the caller's own id only" \
		"^ *$(id -u) +$(id -u) +1\$" "$(head -n 1 <<<"$output")"
	# A pid of the inner pid namespace: its own proc, not the outer one bound in.
	expect_match "/proc/self inside (a small pid of the inner namespace)" '^[0-9]$' \
		"$(sed -n 2p <<<"$output")"
	expect_eq "lines on stderr" 1 "${#stderr_lines[@]}"
	expect_match "the warning names the cause" 'no_new_privs.*newuidmap' "${stderr_lines[0]}"
	[[ "$stderr" != *subuid* ]] || {
		echo "the warning blames /etc/subuid: $stderr" >&2
		return 1
	}
}

@test "nook in nook, --net=slirp without /dev/net/tun: the one error (and its hint), never a second line about the id map" {
	local attempt
	# The child fails opening /dev/net/tun while the monitor writes its id map: a race,
	# so a few times (each a fraction of a second).
	for ((attempt = 0; attempt < 10; attempt++)); do
		run --separate-stderr timeout -k 5 60 "$NOOK" run -q --allow-userns -- \
			"$NOOK" run -q --net=slirp -- true
		expect_nook_error 125 || return 1
		expect_match "the error (run $attempt)" '^nook: --net=slirp: cannot open /dev/net/tun' \
			"${stderr_lines[0]}"
	done
}

@test "bwrap in nook, with all of its namespaces" {
	command -v bwrap >/dev/null || skip "bwrap is not installed"
	run --separate-stderr timeout -k 5 60 "$NOOK" run -q --allow-userns -- \
		bwrap --unshare-all --ro-bind / / --proc /proc --dev /dev \
		sh -c 'test -r /proc/self/uid_map && exit 5'
	if [ "$status" -ne 5 ]; then
		printf 'expected status 5, got %s; stderr: %s\n' "$status" "$stderr" >&2
		return 1
	fi
}

# An image podman can import: busybox, with /lib and /lib64 leading to the /usr that the
# container gets from the host (nook's libraries).
podman_image() {
	local root="$T/podman-root"
	"$NOOK_SRC/tests/lib/mkimage-busybox" "$root" >&2 || return 1
	ln -s usr/lib "$root/lib"
	ln -s usr/lib64 "$root/lib64"
	tar cf "$T/image.tar" --numeric-owner --owner=0 --group=0 -C "$root" . || return 1
	PODMAN_IMAGE="localhost/nook-nesting-$TAG"
	timeout 60 podman --log-level=error import -q "$T/image.tar" "$PODMAN_IMAGE" >/dev/null
}

@test "nook in rootless podman (default options): it runs, with a warning for each fallback" {
	command -v podman >/dev/null || skip "podman is not installed"
	command -v runc >/dev/null || skip "runc is not installed (podman needs it on this host)"
	podman_image || skip "podman cannot import an image here"
	local nookdir
	nookdir=$(dirname "$NOOK")
	run --separate-stderr timeout -k 5 120 podman --log-level=error --runtime=runc run --rm \
		-v /usr:/usr:ro -v "$nookdir:/nook:ro" "$PODMAN_IMAGE" \
		/nook/nook run -- sh -c 'test -r /proc/self/status && exit 3'
	if [ "$status" -ne 3 ]; then
		printf 'expected status 3, got %s; stderr: %s\n' "$status" "$stderr" >&2
		return 1
	fi
	expect_match "the proc fallback is announced" 'refuses the sandbox a /proc' "$stderr"
	expect_match "the host name fallback is announced" 'cannot set the host name' "$stderr"
}

@test "nook doctor in rootless podman (default options): proc and host name are warnings naming the fallback and the fix" {
	command -v podman >/dev/null || skip "podman is not installed"
	command -v runc >/dev/null || skip "runc is not installed (podman needs it on this host)"
	podman_image || skip "podman cannot import an image here"
	local nookdir
	nookdir=$(dirname "$NOOK")
	run --separate-stderr timeout -k 5 120 podman --log-level=error --runtime=runc run --rm \
		-v /usr:/usr:ro -v "$nookdir:/nook:ro" "$PODMAN_IMAGE" /nook/nook doctor
	expect_eq "exit status (no required check fails)" 0 "$status" ||
		{ printf '%s\n%s\n' "$output" "$stderr" >&2; return 1; }
	expect_match "proc" '^warn +proc: .*the /proc around nook, read-only.*; fix: .*unmask' \
		"$(grep -F 'proc: ' <<<"$output")"
	expect_match "host name" '^warn +host name: .*keeps the host name around nook.*; fix: .*seccomp' \
		"$(grep -F 'host name: ' <<<"$output")"
}

# ---- --timeout ----

@test "--timeout: SIGTERM first (a payload that traps it gets it), and nook exits 124" {
	local start end
	start=$(date +%s)
	run --separate-stderr timeout -k 5 30 "$NOOK" run -q --timeout=1 -- \
		sh -c 'trap "echo got TERM; exit 3" TERM; sleep "30.$1" & wait' sh "$TAG"
	end=$(date +%s)
	expect_eq "status" 124 "$status"
	expect_eq "what the payload printed" "got TERM" "$output"
	expect_eq "stderr" "" "$stderr"
	[ $((end - start)) -lt 5 ] || {
		echo "it took $((end - start)) s, not about 1" >&2
		return 1
	}
}

@test "--timeout: a payload that ignores SIGTERM is killed after the grace, and nothing of it is left" {
	local start end
	start=$(date +%s)
	run --separate-stderr timeout -k 5 30 "$NOOK" run -q --timeout=1s -- \
		sh -c 'trap "" TERM; sleep "30.$1"' sh "$TAG"
	end=$(date +%s)
	expect_eq "status" 124 "$status"
	# 1 s, then the 5 s grace.
	if [ $((end - start)) -lt 5 ] || [ $((end - start)) -gt 12 ]; then
		echo "it took $((end - start)) s, not about 6" >&2
		return 1
	fi
	wait_no_procs "sleep 30.$TAG"
}

@test "--timeout: a payload that ends first keeps its status; a bad value is one line and 125" {
	run --separate-stderr "$NOOK" run -q --timeout=30 -- sh -c 'exit 4'
	expect_eq "status" 4 "$status"
	run --separate-stderr "$NOOK" run -q --timeout=5x -- true
	expect_eq "status" 125 "$status"
	expect_eq "stderr" "nook: --timeout: '5x' is not a duration (N, Ns, Nm, Nh, Nd or hh:mm:ss; above 0, up to a year)" "$stderr"
}
