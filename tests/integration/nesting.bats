#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Sandboxes inside sandboxes (nook in nook, bwrap and podman in nook, nook in rootless podman,
# nook's own suites in nook), the wall-clock limit (--timeout) and what nook leaves when it is
# killed.
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
	# -q: in a nested run of this suite the outer nook warns of its own single map too.
	run_unfiltered --separate-stderr timeout -k 5 60 "$NOOK" run -q --allow-userns -- "$NOOK" run -- \
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

# Rootless podman inside nook --allow-userns: no_new_privs keeps its newuidmap from working, and
# podman, unlike nook, does not fall back to a single-id map by itself while the user has a
# range: /etc/subuid and /etc/subgid are hidden (--blacklist). Its storage is under a writable
# HOME (vfs: no /dev/fuse inside nook, and a host's storage.conf may name fuse-overlayfs), its
# temporary files in the sandbox's /tmp (/var/tmp is the host's, read-only), no network of its
# own (--network=none; slirp4netns and pasta need /dev/net/tun), and no session keyring, which
# runc makes unless told (keyctl is in nook's deny list): containers.conf keyring = false.
# podman first copies the map of the namespace it runs in into its own: a single-id sandbox's
# ("UID UID 1": nook nested, or without a subordinate range) has no root for it.
@test "podman in nook: podman run --rm IMAGE echo ok, as the caller, inside nook --allow-userns" {
	command -v podman >/dev/null || skip "podman is not installed"
	command -v runc >/dev/null || command -v crun >/dev/null || skip "neither runc nor crun is installed"
	need_subids
	"$NOOK_SRC/tests/lib/mkimage-busybox" "$T/root" >&2 || return 1
	tar cf "$T/image.tar" --numeric-owner --owner=0 --group=0 -C "$T/root" . || return 1
	mkdir "$T/home"
	# runc where it is installed: podman would pick crun first, which refuses cgroup v1
	# hybrid hosts ("cgroups in hybrid mode not supported") even with --cgroups=disabled.
	local runtime=""
	if command -v runc >/dev/null; then
		runtime='runtime = "runc"\n'
	fi
	printf '[containers]\nkeyring = false\n[engine]\nevents_logger = "file"\ncgroup_manager = "cgroupfs"\n%b' \
		"$runtime" >"$T/containers.conf"
	run --separate-stderr timeout -k 5 120 "$NOOK" run -q --allow-userns \
		--blacklist=/etc/subuid --blacklist=/etc/subgid --bind="$T" --env=HOME="$T/home" \
		--env=TMPDIR=/tmp --env=CONTAINERS_CONF="$T/containers.conf" -- sh -c '
		podman --storage-driver=vfs import -q "$1" localhost/nook-in-nook >/dev/null &&
		podman --storage-driver=vfs run --rm --network=none localhost/nook-in-nook echo ok' sh "$T/image.tar"
	expect_eq "exit status" 0 "$status" || { printf 'stderr: %s\n' "$stderr" >&2; return 1; }
	expect_eq "output" "ok" "$output" || { printf 'stderr: %s\n' "$stderr" >&2; return 1; }
	# The control: with the caller's range visible, podman insists on newuidmap and fails.
	run --separate-stderr timeout -k 5 120 "$NOOK" run -q --allow-userns --bind="$T" \
		--env=HOME="$T/home" --env=TMPDIR=/tmp --env=CONTAINERS_CONF="$T/containers.conf" -- \
		podman --storage-driver=vfs run --rm --network=none localhost/nook-in-nook echo ok
	if [ "$status" -eq 0 ] && [ -n "$(subid_ranges /etc/subuid)" ]; then
		echo "podman ran with /etc/subuid visible: the blacklist above proves nothing" >&2
		return 1
	fi
	# Its storage holds files of only the caller's id: bats can remove it.
	run timeout -k 5 60 "$NOOK" run -q --allow-userns --blacklist=/etc/subuid --blacklist=/etc/subgid \
		--bind="$T" --env=HOME="$T/home" --env=CONTAINERS_CONF="$T/containers.conf" -- \
		podman --storage-driver=vfs system reset -f
}

# The core launcher's suites, run by bats inside nook --allow-userns as they run outside, with
# NOOK_TEST_NESTED=1: what the sandbox around takes away (newuidmap under no_new_privs,
# /dev/fuse, /dev/net/tun, calls its filter refuses whatever the inner nook allows) is a skip
# that says so; everything else must pass. The tree and the build are there read-only (the
# busybox image is made first, outside); the home and /var/tmp are tmpfs of the sandbox.
NESTED_SUITES=(cli userns mounts process privileges)
# Passed (not skipped) inside nook, of the 127 tests of these suites: 102 when this was written.
NESTED_PASS_FLOOR=90

@test "nook's own suites run inside nook: cli, userns, mounts, process and privileges pass, with only the skips nesting explains" {
	local suites=() f start end passed path
	busybox_image >/dev/null || return 1
	# The caller's PATH, without what bats put first for its own helpers.
	path=${PATH#"${BATS_LIBEXEC:-}":}
	for f in "${NESTED_SUITES[@]}"; do
		suites+=("$NOOK_SRC/tests/integration/$f.bats")
	done
	start=$(date +%s)
	# A clean environment inside (nothing of this bats run's own), CI passed on: a skip that is
	# not nesting's fails there as it does outside.
	run --separate-stderr timeout -k 5 150 "$NOOK" run -q --allow-userns --tmpfs="$HOME" \
		--tmpfs=/var/tmp --ro-bind="$NOOK_SRC" --ro-bind="$NOOK_BUILD" --ro-bind="$NOOK" -- \
		env -i HOME="$HOME" USER="$(id -un)" LOGNAME="$(id -un)" LANG=C.UTF-8 PATH="$path" \
		${CI:+CI="$CI"} NOOK="$NOOK" NOOK_SRC="$NOOK_SRC" NOOK_BUILD="$NOOK_BUILD" \
		NOOK_TEST_NESTED=1 bats --tap "${suites[@]}"
	end=$(date +%s)
	passed=$(grep -E '^ok [0-9]+ ' <<<"$output" | grep -vc ' # skip' || true)
	printf '# inside nook: %s passed, %s skipped, %s failed in %s s\n' "$passed" \
		"$(grep -c '^ok .* # skip' <<<"$output" || true)" \
		"$(grep -c '^not ok ' <<<"$output" || true)" "$((end - start))" >&3
	if [ "$status" -ne 0 ] || grep -q '^not ok ' <<<"$output"; then
		printf 'bats inside nook: status %s\n%s\nstderr: %s\n' "$status" \
			"$(grep -v '^ok ' <<<"$output")" "$stderr" >&2
		return 1
	fi
	# Every test ran: the plan's count of ok lines.
	expect_eq "tests run" "$(sed -n 's/^1\.\.//p' <<<"$output")" "$(grep -c '^ok ' <<<"$output")" ||
		return 1
	# Every skip is one nesting explains, or one the suites make outside too.
	expect_eq "skips that are not nesting's" "" "$(grep '^ok .* # skip' <<<"$output" |
		grep -v -e ' # skip inside nook: ' -e ' # skip pid 1 is not dumpable' || true)" || return 1
	if [ "$passed" -lt "$NESTED_PASS_FLOOR" ]; then
		printf 'only %s passed inside nook (at least %s expected):\n%s\n' "$passed" \
			"$NESTED_PASS_FLOOR" "$(grep ' # skip' <<<"$output")" >&2
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
	# Inside nook its setuid newuidmap cannot work: there it is the case below, podman in nook.
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman with its default options needs newuidmap"
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
	# Inside nook its setuid newuidmap cannot work: there it is the case below, podman in nook.
	[ "${NOOK_TEST_NESTED:-}" != 1 ] ||
		lacks --nested "rootless podman with its default options needs newuidmap"
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
