# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# What the suites of nook oci (oci.bats, oci-validation.bats) share: a test's bundle (busybox,
# the config each suite writes), its state directory, and running a container as conmon does.

# oci_setup: T, TAG, ROOT (the runtime's --root), BUNDLE with its busybox rootfs; $T/out and
# $T/data for the configs' binds.
oci_setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	TAG=$(unique_tag)
	ROOT="$T/state"
	BUNDLE="$T/bundle"
	mkdir -p "$BUNDLE" "$T/out" "$T/data"
	busybox_image_copy "$BUNDLE/rootfs" || return 1
	command -v jq >/dev/null || lacks "jq is not installed (apt-get install jq)"
}

# oci_teardown: what a failed test left running.
oci_teardown() {
	kill_procs_matching "$TAG"
	# A container left created by a failed test: until its exec it has create's command line.
	kill_procs_matching "$ROOT"
}

oci() {
	timeout -k 5 30 "$NOOK" oci --root "$ROOT" "$@"
}

# The "status" of `nook oci state`.
state_of() {
	oci state "$1" | jq -r .status
}

# wait_stopped ID: until the container's state is "stopped" (up to 5 s). A created one has
# create's command line, not its program's: wait_no_procs cannot see it go.
wait_stopped() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(state_of "$1")" = stopped ] && return 0
		sleep 0.05
	done
	echo "container $1 is still $(state_of "$1") after 5 s" >&2
	return 1
}

# run_bundle ID: create, start and wait for the bundle's config as conmon would (a subreaper);
# prints what the process wrote to stdout, then its end ("exit N").
run_bundle() {
	timeout -k 5 60 "$NOOK_SRC/tests/integration/helpers/oci_reaper.py" "$T/$1.pid" \
		"$NOOK" oci --root "$ROOT" create --bundle "$BUNDLE" --pid-file "$T/$1.pid" "$1" -- \
		"$NOOK" oci --root "$ROOT" start "$1"
}

# run_container ID SCRIPT [JQ-FILTER]: the suite's write_config, then run_bundle.
run_container() {
	write_config "$2" "${3:-.}" || return 1
	run_bundle "$1"
}
