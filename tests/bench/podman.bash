# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034 # the variables are read by the scripts that source this file
#
# tests/bench/podman.bash: rootless podman as a peer in the benchmarks, sourced by startup,
# overlay and net (as the unprivileged user). podman is optional: when it is not installed,
# has no usable image or fails its warm-up run, the scripts leave it out with a note and
# never abort.
#
# The image: $NOOK_BENCH_PODMAN_IMAGE (default localhost/nook-bench-busybox), made once with
#   tests/lib/mkimage-busybox DIR
#   tar cf busybox.tar --numeric-owner --owner=0 --group=0 -C DIR .
#   podman import busybox.tar localhost/nook-bench-busybox
# When it is missing, podman_use_image imports a temporary one from mkimage-busybox
# and podman_cleanup removes it. overlay always imports its own image (podman_import), so
# that both sides start the very same tree.
#
# NOOK_BENCH_PODMAN=0 leaves podman out (to see the other figures without podman's runs
# among them).
#
# podman's configuration is the user's own (~/.config/containers). On a host with cgroup v1
# or hybrid cgroups, rootless podman needs runtime = "runc", cgroup_manager = "cgroupfs" and
# events_logger = "file" in containers.conf; see tests/bench/README.md.
#
# Every podman run gets --log-level=error (podman warns on stderr about things such as "/"
# not being a shared mount, and runbench fails a run that writes to stderr) and a label
# nook-bench=PID, so that podman_cleanup can remove whatever a killed run left behind.

podman_ok=0          # 1 once podman_use_image/podman_import has a working image
podman_img=
podman_note=         # why podman is left out, when it is
podman_desc=         # one line: version, runtime, storage, cgroups
podman_label="nook-bench=$$"
podman_tmp_images=() # images this run imported, removed by podman_cleanup
podman=(podman --log-level=error)
podman_run=()        # podman run --rm --label ..., for runbench argv arrays
podman_driver=       # the storage driver and its mount program (podman_describe)
podman_mount_program=
podman_shm_ok=0      # podman_shm_store: a second store on a tmpfs, same driver
podman_shm_dir=
podman_shm_run=()

# podman_cleanup: remove the containers this run left behind and the images it imported.
podman_cleanup() {
	command -v podman >/dev/null 2>&1 || return 0
	local ids i
	ids=$("${podman[@]}" ps -aq --filter "label=$podman_label" 2>/dev/null) || ids=
	if [ -n "$ids" ]; then
		# shellcheck disable=SC2086 # one id per word
		"${podman[@]}" rm -f $ids >/dev/null 2>&1 || true
	fi
	for i in ${podman_tmp_images[@]+"${podman_tmp_images[@]}"}; do
		"${podman[@]}" rmi -f "$i" >/dev/null 2>&1 || true
	done
	podman_tmp_images=()
	if [ -n "$podman_shm_dir" ] && [ -d "$podman_shm_dir" ]; then
		local store=("${podman[@]}" --root "$podman_shm_dir/root" --runroot "$podman_shm_dir/run")
		ids=$("${store[@]}" ps -aq --filter "label=$podman_label" 2>/dev/null) || ids=
		# shellcheck disable=SC2086 # one id per word
		[ -z "$ids" ] || "${store[@]}" rm -f $ids >/dev/null 2>&1 || true
		"${store[@]}" rmi -af >/dev/null 2>&1 || true
		# The layers belong to ids of the user namespace: remove them from inside it.
		"${podman[@]}" unshare rm -rf -- "$podman_shm_dir" 2>/dev/null || rm -rf -- "$podman_shm_dir" 2>/dev/null || true
		podman_shm_dir=
	fi
}

# podman_describe: fill podman_desc.
podman_describe() {
	local info
	info=$("${podman[@]}" info --format '{{.Version.Version}}|{{.Host.OCIRuntime.Name}}|{{.Host.CgroupManager}}|{{.Host.CgroupsVersion}}|{{.Store.GraphDriverName}}|{{.Store.GraphRoot}}' 2>/dev/null) || info=
	local mp
	mp=$("${podman[@]}" info --format '{{index .Store.GraphOptions "overlay.mount_program"}}' 2>/dev/null | sed -n 's/.*Executable:\([^ ]*\).*/\1/p' | head -n1) || mp=
	IFS='|' read -r v rt cg cgv drv root <<<"$info"
	podman_driver=$drv
	podman_mount_program=$mp
	podman_desc="podman ${v:-?}, runtime ${rt:-?}, cgroups ${cgv:-?} via ${cg:-?}, storage ${drv:-?}${mp:+ through $(basename -- "$mp")} in ${root:-?}"
}

# podman_graphroot: where podman keeps its images and containers' layers.
podman_graphroot() {
	"${podman[@]}" info --format '{{.Store.GraphRoot}}' 2>/dev/null || echo '?'
}

# podman_check IMAGE: a warm-up run of `podman run --rm --network=none IMAGE /bin/true`.
# Sets podman_ok, podman_img and podman_run, or podman_note.
podman_check() {
	local img="$1" err
	err=$(timeout 120 "${podman[@]}" run --rm --label "$podman_label" --network=none "$img" /bin/true 2>&1 >/dev/null) || {
		podman_note="podman left out: its warm-up run failed: $(printf '%s\n' "${err:-no message}" | head -n1)"
		return 1
	}
	if [ -n "$err" ]; then
		podman_note="podman left out: its warm-up run wrote to stderr: $(printf '%s\n' "$err" | head -n1)"
		return 1
	fi
	podman_ok=1
	podman_img=$img
	podman_run=("${podman[@]}" run --rm --label "$podman_label")
	podman_describe
}

# podman_import DIR TAG [KEEP-TAR]: import the tree DIR as image TAG (removed by
# podman_cleanup) and check it. The tarball is DIR/../.podman-import.PID.tar; it is kept
# when KEEP-TAR is given (the caller removes it).
podman_import() {
	local dir="$1" tag="$2" keep="${3:-}" tar err
	tar="$(dirname -- "$dir")/.podman-import.$$.tar"
	tar cf "$tar" --numeric-owner --owner=0 --group=0 -C "$dir" . 2>/dev/null || {
		rm -f -- "$tar"
		podman_note="podman left out: cannot make a tarball of $dir"
		return 1
	}
	err=$(timeout 300 "${podman[@]}" import "$tar" "$tag" 2>&1 >/dev/null) || {
		rm -f -- "$tar"
		podman_note="podman left out: podman import failed: $(printf '%s\n' "${err:-no message}" | head -n1)"
		return 1
	}
	[ -n "$keep" ] || rm -f -- "$tar"
	podman_tmp_images+=("$tag")
	podman_check "$tag"
}

# podman_shm_store TARBALL TAG: a second, throwaway podman store (--root, --runroot) in a
# new directory under /dev/shm, with the storage the issues name, overlay through
# fuse-overlayfs (when fuse-overlayfs is installed; else the user's driver and mount
# program), and TARBALL imported into it as TAG. The container's upper layer is then on a
# tmpfs, like nook's --overlay=tmp. Sets podman_shm_ok, podman_shm_run and podman_shm_desc;
# podman_cleanup removes the store.
podman_shm_desc=""
podman_shm_store() {
	local tar="$1" tag="$2" store err driver="$podman_driver" program="$podman_mount_program"
	[ "$podman_ok" -eq 1 ] && [ -n "$podman_driver" ] || return 1
	[ -d /dev/shm ] && [ -w /dev/shm ] || return 1
	if [ -x /usr/bin/fuse-overlayfs ]; then
		driver=overlay
		program=/usr/bin/fuse-overlayfs
	fi
	podman_shm_desc="$driver${program:+ through $program}"
	podman_shm_dir=$(mktemp -d /dev/shm/nook-bench-podman.XXXXXX) || return 1
	store=("${podman[@]}" --root "$podman_shm_dir/root" --runroot "$podman_shm_dir/run"
		--storage-driver "$driver")
	[ -z "$program" ] || store+=(--storage-opt "$driver.mount_program=$program")
	err=$(timeout 300 "${store[@]}" import "$tar" "$tag" 2>&1 >/dev/null) || {
		podman_note="podman on /dev/shm left out: podman import failed: $(printf '%s\n' "${err:-no message}" | head -n1)"
		return 1
	}
	err=$(timeout 120 "${store[@]}" run --rm --label "$podman_label" --network=none "$tag" /bin/true 2>&1 >/dev/null) || err=${err:-failed}
	if [ -n "$err" ]; then
		podman_note="podman on /dev/shm left out: its warm-up run failed: $(printf '%s\n' "$err" | head -n1)"
		return 1
	fi
	podman_shm_ok=1
	podman_shm_run=("${store[@]}" run --rm --label "$podman_label")
}

# podman_use_image WORKDIR MKIMAGE: use $NOOK_BENCH_PODMAN_IMAGE if podman has it, else
# import a temporary busybox image made by MKIMAGE in WORKDIR.
podman_use_image() {
	local work="$1" mkimage="$2" img=${NOOK_BENCH_PODMAN_IMAGE:-localhost/nook-bench-busybox}
	if [ "${NOOK_BENCH_PODMAN:-1}" = 0 ]; then
		podman_note="podman left out: NOOK_BENCH_PODMAN=0"
		return 1
	fi
	if ! command -v podman >/dev/null 2>&1; then
		podman_note="podman left out: not installed"
		return 1
	fi
	if timeout 60 "${podman[@]}" image exists "$img" 2>/dev/null; then
		podman_check "$img"
		return
	fi
	if ! [ -x "$mkimage" ] || ! command -v busybox >/dev/null 2>&1; then
		podman_note="podman left out: no image $img, and no busybox/mkimage-busybox to make one"
		return 1
	fi
	"$mkimage" "$work/podman-img" >/dev/null 2>&1 || {
		podman_note="podman left out: no image $img, and mkimage-busybox failed"
		return 1
	}
	podman_import "$work/podman-img" "localhost/nook-bench-tmp:$$"
	local rc=$?
	rm -rf -- "$work/podman-img"
	return "$rc"
}

# podman_netmode: what podman's default rootless network is, from inside a container:
# slirp4netns makes a tap0 with 10.0.2.100; pasta copies the host's interface and address.
podman_netmode() {
	local out
	out=$(timeout 60 "${podman_run[@]}" "$podman_img" sh -c 'ls /sys/class/net; ip -o -4 addr show' 2>/dev/null) || {
		echo "unknown (the probe run failed)"
		return
	}
	if printf '%s\n' "$out" | grep -q 'tap0.*10\.0\.2\.100'; then
		echo "slirp4netns (tap0, 10.0.2.100/24)"
	elif command -v pasta >/dev/null 2>&1 && ! printf '%s\n' "$out" | grep -q tap0; then
		echo "pasta, by the look of it (no tap0; interfaces: $(printf '%s\n' "$out" | grep -v ' ' | grep -v '^lo$' | tr '\n' ' '))"
	else
		echo "unknown (interfaces: $(printf '%s\n' "$out" | grep -v ' ' | tr '\n' ' '))"
	fi
}

# podman_stage_env: as root, the environment the unprivileged re-run needs for podman:
# XDG_RUNTIME_DIR ($NOOK_BENCH_XDG_RUNTIME_DIR, else /run/user/UID when the user owns it;
# else unset, and podman picks its own) and NOOK_BENCH_PODMAN_IMAGE. Prints VAR=VALUE words.
podman_stage_env() {
	local user="$1" uid d
	uid=$(id -u -- "$user")
	d=${NOOK_BENCH_XDG_RUNTIME_DIR:-}
	if [ -z "$d" ] && [ -d "/run/user/$uid" ] && [ "$(stat -c %u "/run/user/$uid")" = "$uid" ]; then
		d=/run/user/$uid
	fi
	[ -z "$d" ] || printf 'XDG_RUNTIME_DIR=%s\n' "$d"
	[ -z "${NOOK_BENCH_PODMAN_IMAGE:-}" ] || printf 'NOOK_BENCH_PODMAN_IMAGE=%s\n' "$NOOK_BENCH_PODMAN_IMAGE"
	[ -z "${NOOK_BENCH_PODMAN:-}" ] || printf 'NOOK_BENCH_PODMAN=%s\n' "$NOOK_BENCH_PODMAN"
}
