#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Slurm with nook as its OCI runtime: a cluster of one node started by the test user
# (helpers/slurm-cluster: munged, slurmctld, slurmd, all unprivileged, in a directory of the
# test's), whose oci.conf calls nook-oci; `srun --container` and `sbatch --container` run the
# job in a nook container made from a busybox bundle, and scancel stops one.
# What the shells inside run is in single quotes on purpose: it expands there.
# shellcheck disable=SC2016
# stderr: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

CLUSTER_HELPER="$NOOK_SRC/tests/integration/helpers/slurm-cluster"

# What the suite needs, or a skip (a failure under CI, whose machine has it all).
need() {
	local missing="" p
	for p in munged mungekey slurmctld slurmd srun sbatch squeue scancel sinfo python3 jq; do
		command -v "$p" >/dev/null || missing+=" $p"
	done
	[ -z "$missing" ] ||
		lacks "missing:$missing (apt-get install slurmctld slurmd slurm-client munge jq python3)"
}

setup_file() {
	need || return 1
	# Short: slurmd's sockets live in it. Not under the bats directory: stop removes it.
	CLUSTER="$(mktemp -u "${TMPDIR:-/tmp}/nook-slurm.XXXXXX")"
	export CLUSTER
	export SLURM_CONF="$CLUSTER/slurm.conf"
	export OCI_ROOT="$CLUSTER/oci"
	export BUNDLE="$CLUSTER/bundle"
	# The runtime as Slurm's oci.conf names it: nook-oci, a link to nook.
	ln -sf "$NOOK" "$BATS_FILE_TMPDIR/nook-oci"
	"$CLUSTER_HELPER" start "$CLUSTER" "$BATS_FILE_TMPDIR/nook-oci"
	mkdir -p "$BUNDLE" "$CLUSTER/out"
	busybox_image_copy "$BUNDLE/rootfs"
	echo bundle-only >"$BUNDLE/rootfs/only-in-bundle"
	write_config "$BUNDLE/config.json"
}

teardown_file() {
	[ -n "${CLUSTER:-}" ] || return 0
	cd / || true
	"$CLUSTER_HELPER" stop "$CLUSTER"
}

setup() {
	need
	[ -f "${SLURM_CONF:-}" ] || { echo "the cluster did not start (setup_file)" >&2; return 1; }
	TAG=$(unique_tag)
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	rm -rf "${CLUSTER:?}/out"/*
}

teardown() {
	scancel --user="$(id -un)" 2>/dev/null || true
	kill_procs_matching "$TAG"
	return 0
}

# write_config FILE [JQ-FILTER]: a bundle's config.json: the busybox root read-only, root inside
# mapped to the caller's own id, its own pid, ipc, uts and mount namespaces (the host's
# network, as Slurm wants it), CAP_KILL alone, /out the cluster's out/, writable.
write_config() {
	local file="$1" filter="${2:-.}"
	jq -n --argjson uid "$(id -u)" --argjson gid "$(id -g)" --arg out "$CLUSTER/out" '{
		ociVersion: "1.0.2",
		process: {
			terminal: false, user: {uid: 0, gid: 0}, args: ["sh"], cwd: "/",
			env: ["PATH=/bin:/usr/bin"],
			capabilities: {bounding: ["CAP_KILL"], effective: ["CAP_KILL"],
				       permitted: ["CAP_KILL"]},
			noNewPrivileges: true
		},
		root: {path: "rootfs", readonly: true},
		hostname: "in-nook",
		mounts: [
			{destination: "/proc", type: "proc", source: "proc"},
			{destination: "/dev", type: "tmpfs", source: "tmpfs",
			 options: ["nosuid", "mode=755"]},
			{destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["nosuid", "nodev"]},
			{destination: "/out", type: "bind", source: $out, options: ["rbind", "rw"]}
		],
		linux: {
			uidMappings: [{containerID: 0, hostID: $uid, size: 1}],
			gidMappings: [{containerID: 0, hostID: $gid, size: 1}],
			namespaces: [{type: "pid"}, {type: "ipc"}, {type: "uts"}, {type: "mount"},
				     {type: "user"}]
		}
	} | '"$filter" >"$file"
}

# Nothing of the cluster's containers is left: no state under the runtime's root, no bundle
# Slurm wrote in its spool.
expect_no_containers() {
	expect_eq "the runtime's containers" "" "$(ls -A "$OCI_ROOT")"
	expect_eq "Slurm's bundles in the spool" "" \
		"$(find "$CLUSTER/spool" -maxdepth 1 -name 'oci-job*')"
}

@test "slurm: srun --container runs the step in a nook container (the bundle's root, host name, capabilities, id map), as the user, with the program's exit status" {
	run --separate-stderr timeout -k 5 120 srun --container="$BUNDLE" sh -c '
		cat /only-in-bundle; hostname; id -u
		grep CapEff /proc/self/status; cat /proc/self/uid_map
		readlink /proc/self/ns/pid; readlink /proc/self/ns/mnt
		[ -e "$1" ] || echo no-cluster-dir
		touch /out/written
		exit 3' sh "$CLUSTER"
	expect_eq "exit status (stderr: $stderr)" 3 "$status"
	expect_eq "the bundle's file" bundle-only "${lines[0]}"
	expect_eq "host name" in-nook "${lines[1]}"
	expect_eq "uid inside" 0 "${lines[2]}"
	expect_eq "capabilities: CAP_KILL alone" "CapEff: 0000000000000020" "$(words "${lines[3]}")"
	expect_eq "the id map: root is the caller" "0 $(id -u) 1" "$(words "${lines[4]}")"
	[ "${lines[5]}" != "$(readlink /proc/self/ns/pid)" ] ||
		{ echo "the step is in the host's pid namespace" >&2; return 1; }
	[ "${lines[6]}" != "$(readlink /proc/self/ns/mnt)" ] ||
		{ echo "the step is in the host's mount namespace" >&2; return 1; }
	expect_eq "the host's files" no-cluster-dir "${lines[7]}"
	expect_eq "the owner of what it wrote, outside" "$(id -u)" \
		"$(stat -c %u "$CLUSTER/out/written")"
	expect_match "srun's report" 'task 0: Exited with exit code 3' "$stderr"
	expect_no_containers
}

@test "slurm: srun --container with a config nook refuses fails the step with nook's line naming the field" {
	local bad="$T/bad"
	mkdir -p "$bad"
	ln -s "$BUNDLE/rootfs" "$bad/rootfs"
	write_config "$bad/config.json" '.process.rlimits = [{"type": "RLIMIT_NOPE", "hard": 1, "soft": 1}]'
	run --separate-stderr timeout -k 5 120 srun --container="$bad" true
	expect_eq "exit status (stderr: $stderr)" 125 "$status"
	expect_match "nook's error" 'nook: .*rlimits' "$stderr"
	expect_no_containers
}

@test "slurm: sbatch --container runs the batch script in a nook container; its output is the job's, its exit code sbatch --wait's" {
	run --separate-stderr timeout -k 5 120 sbatch --wait --container="$BUNDLE" \
		--output="$T/job.out" --wrap='hostname; cat /only-in-bundle; echo "$0"; exit 4'
	expect_eq "sbatch --wait's status (stderr: $stderr)" 4 "$status"
	expect_eq "the job's output" "in-nook bundle-only /tmp/slurm/startup" "$(words "$(cat "$T/job.out")")"
	expect_no_containers
}

@test "slurm: scancel stops a running container step: its pid 1 gets SIGTERM through nook oci run, nothing is left" {
	timeout -k 5 120 srun --container="$BUNDLE" sh -c '
		trap "echo terminated >/out/term; exit 7" TERM
		echo up >/out/up
		while :; do sleep 1; done # '"$TAG" >"$T/srun.out" 2>&1 &
	wait_for_file "$CLUSTER/out/up" 300 || { cat "$T/srun.out" >&2; return 1; }
	expect_eq "the runtime's container" running \
		"$("$NOOK" oci --root "$OCI_ROOT" list --format json | jq -r '.[0].status')"
	scancel --user="$(id -un)"
	wait_for_file "$CLUSTER/out/term" 100 || return 1
	wait || true
	wait_no_procs "$TAG" 100 || return 1
	local i
	for ((i = 0; i < 100; i++)); do
		[ -z "$(squeue -h)" ] && [ -z "$(ls -A "$OCI_ROOT")" ] && break
		sleep 0.1
	done
	expect_no_containers
}
