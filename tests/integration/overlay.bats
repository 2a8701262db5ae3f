#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The overlay root: --overlay=tmp|NAME|none and --overlay-driver=fuse|kernel, over a busybox
# image and over the host's /. Writes go to the upper layer (a tmpfs for tmp, a directory
# under $XDG_DATA_HOME for NAME), never to the lower; one NAME serves one sandbox at a time and
# stays tied to its lower and driver; the fuse daemon dies with the sandbox; errors are one
# "nook:" line and leave nothing behind.
#
# The helpers between the tests read status, output and lines of the run they make themselves,
# not of a test's before them, as SC2030 and SC2031 take it (each @test being a subshell):
# shellcheck disable=SC2030,SC2031
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	# Never the real ~/.local/share: every named overlay of a test lives under its own tmpdir.
	export XDG_DATA_HOME="$T/data"
	OVL="$XDG_DATA_HOME/nook/overlays"
	TAG=$(unique_tag)
	IMG=""
	FIX=""
	BG=""
}

teardown() {
	if [ -n "$BG" ]; then
		kill -KILL "$BG" 2>/dev/null || true
		wait "$BG" 2>/dev/null || true
	fi
	kill_procs_matching "$TAG"
	clean_overlays
	[ -z "$FIX" ] || rm -rf "$FIX"
	return 0
}

# ---- helpers ----

# Named overlays hold files owned by subordinate ids, which only root inside can remove.
clean_overlays() {
	local d
	for d in "$OVL"/*/; do
		[ -d "$d" ] || continue
		"$NOOK" run -q --userns=root --bind "${d%/}:/tmp/o" -- rm -rf /tmp/o/upper /tmp/o/work \
			>/dev/null 2>&1 || true
	done
}

# make_fixture DIR: files and a directory to overwrite, delete, rename and link.
make_fixture() {
	mkdir -p "$1/dir/sub" &&
		echo old >"$1/old" && echo del >"$1/del" && echo ren >"$1/ren" &&
		echo deep >"$1/dir/sub/f" && echo keep >"$1/keep"
}

# image: a private copy of the busybox image with the fixture at /ovt (sets IMG).
image() {
	IMG="$T/img"
	busybox_image_copy "$IMG" && make_fixture "$IMG/ovt"
}

# need_driver DRIVER: what the driver needs (fuse: /dev/fuse).
need_driver() {
	# auto runs fuse-overlayfs over the host's root-owned directories.
	[ "$1" = kernel ] || need_dev fuse
}

# host_fixture [DRIVER]: the fixture on the host, where the overlay shows it (not under /tmp:
# the sandbox has its own /tmp) and in a tree the caller owns (the kernel driver cannot copy up
# a directory owned by an id outside the map). Sets FIX.
host_fixture() {
	local top
	{ [ -d "$HOME" ] && [ -w "$HOME" ] && [ "$(stat -c %u "$HOME")" = "$(id -u)" ]; } ||
		skip "HOME ($HOME) is not a writable directory of the caller's"
	case "$HOME/" in /tmp/*) skip "HOME ($HOME) is under /tmp, which the sandbox replaces" ;; esac
	# The kernel driver binds a top-level directory that holds mounts read-only (nook-run(1)):
	# inside nook, the writable home is one.
	top="/$(cut -d/ -f2 <<<"$HOME")"
	if [ "${1:-}" = kernel ] && awk -v t="$top/" 'index($5, t) == 1 { f = 1 } END { exit !f }' \
		/proc/self/mountinfo; then
		lacks --nested "$top holds mounts, so the kernel driver binds it read-only"
	fi
	FIX=$(mktemp -d "$HOME/.nook-ovt.XXXXXX") && make_fixture "$FIX"
}

# Run inside as root, with the fixture's directory as $1: change everything (MODIFY), then
# show it (SHOW). SHOW alone, on the next run of a NAME, must print the same.
# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
MODIFY='set -e; d=$1
echo new >"$d/new"
echo over >"$d/old"
rm "$d/del"
mv "$d/ren" "$d/ren2"
mv "$d/dir" "$d/dir2"
ln "$d/keep" "$d/hard"
echo more >>"$d/hard"
ln -s new "$d/sym"
chmod 640 "$d/old"
chown 1000:1000 "$d/new"
set +e'
# The directory is listed before the link counts are read: fuse-overlayfs (with static_nlink,
# see nook-run(1)) counts a file's links among the names of its directory it has loaded.
# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
SHOW='d=$1
ls "$d" >/dev/null
echo "new: $(cat "$d/new") $(stat -c %u:%g "$d/new")"
echo "old: $(cat "$d/old") $(stat -c %a "$d/old")"
if [ -e "$d/del" ]; then echo "del: present"; else echo "del: gone"; fi
echo "ren: $(cat "$d/ren2") $(if [ -e "$d/ren" ]; then echo old-name-present; else echo moved; fi)"
echo "dir: $(cat "$d/dir2/sub/f") $(if [ -e "$d/dir" ]; then echo old-name-present; else echo moved; fi)"
echo "hard:" $(stat -c %h "$d/hard") $(stat -c %h "$d/keep") $(cat "$d/keep")
echo "sym: $(readlink "$d/sym") $(cat "$d/sym")"
echo "ls:" $(ls "$d")'
SHOW_WANT='new: new 1000:1000
old: over 640
del: gone
ren: ren moved
dir: deep moved
hard: 2 2 keep more
sym: new new
ls: dir2 hard keep new old ren2 sym'

# tree_state DIR: every entry (type, mode, owner, size, mtime, link target) and every file's
# checksum, to compare a lower layer before and after.
tree_state() {
	(
		cd "$1" || exit 1
		find . -printf '%p %y %m %U:%G %s %T@ %l\n' | LC_ALL=C sort
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum
	)
}

# expect_same WHAT BEFORE AFTER: with a diff when not.
expect_same() {
	if [ "$2" != "$3" ]; then
		printf '%s changed:\n' "$1" >&2
		diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -n 40 >&2
		return 1
	fi
}

# Where a leaked upper layer would be: the shared temporary directories, the runtime
# directory, the data directories.
leftover_places() {
	printf '%s\n' /tmp /var/tmp "$XDG_DATA_HOME" "$HOME/.local/share/nook"
	[ -z "${XDG_RUNTIME_DIR:-}" ] || printf '%s\n' "$XDG_RUNTIME_DIR"
}

places_state() {
	local d
	leftover_places | while read -r d; do
		[ -d "$d" ] && find "$d" -mindepth 1 -maxdepth 1 -printf '%p\n' 2>/dev/null
	done | LC_ALL=C sort
	return 0
}

# expect_no_leftovers BEFORE: no new entry in the places (in /tmp, which the suites running
# at the same time share, a new entry counts if it holds layers or our marker), no file
# named ovt-mark-$TAG anywhere there or under $HOME, and no nook directory in XDG_DATA_HOME.
expect_no_leftovers() {
	local e bad="" found
	while read -r e; do
		[ -n "$e" ] || continue
		case "$e" in
		/tmp/* | /var/tmp/*)
			# Other suites run beside this one and make their own entries there: only an
			# entry holding a layer, or what this test wrote inside, is a leftover.
			find "$e" -maxdepth 4 \( -name "ovt-mark-$TAG" -o -name upper -o -name work \) \
				-print -quit 2>/dev/null | grep -q . && bad="$bad $e"
			;;
		*) bad="$bad $e" ;;
		esac
	done < <(comm -13 <(printf '%s\n' "$1") <(places_state))
	expect_eq "new entries that look like an upper layer" "" "${bad# }" || return 1
	found=$( (leftover_places; printf '%s\n' "$HOME") | while read -r e; do
		[ -d "$e" ] && find "$e" -maxdepth 8 -name "ovt-mark-$TAG" -print 2>/dev/null
	done)
	expect_eq "files written inside, found outside" "" "$found" || return 1
	# nook makes its own (empty) state directory, to hide it; a throwaway layer leaves nothing in it.
	if [ -e "$XDG_DATA_HOME/nook" ]; then
		expect_eq "what $XDG_DATA_HOME/nook holds" "" "$(ls -A "$XDG_DATA_HOME/nook")" || return 1
	fi
}

# pidns_of PID: "pid:[N]".
pidns_of() {
	readlink "/proc/$1/ns/pid"
}

# procs_in_pidns NS: the live processes (a zombie has no namespaces) in NS that we may see,
# which includes our subordinate ids'.
procs_in_pidns() {
	find /proc/[0-9]*/ns/pid -maxdepth 0 -printf '%p %l\n' 2>/dev/null |
		awk -v ns="$1" '$2 == ns { split($1, a, "/"); print a[3] }'
}

# wait_pidns_empty NS [TENTHS]
wait_pidns_empty() {
	local ns="$1" tenths="${2:-50}" i left
	for ((i = 0; i < tenths; i++)); do
		left=$(procs_in_pidns "$ns")
		[ -z "$left" ] && return 0
		sleep 0.1
	done
	printf 'still in %s after %d.%d s:\n' "$ns" $((tenths / 10)) $((tenths % 10)) >&2
	# shellcheck disable=SC2086
	ps -o pid,user,stat,args -p "$(echo $left | tr ' ' ,)" >&2 || true
	return 1
}

# fuse_daemons_in NS: fuse-overlayfs processes in pid namespace NS.
fuse_daemons_in() {
	local p
	for p in $(procs_in_pidns "$1"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = fuse-overlayfs ] && echo "$p"
	done
	return 0
}

# wait_pid_of PATTERN [TENTHS]: print the pid of our process whose whole command line is
# PATTERN (a regex), once it exists.
wait_pid_of() {
	local i p
	for ((i = 0; i < ${2:-100}; i++)); do
		p=$(pgrep -u "$(id -u)" -f -- "^$1\$" | head -n1)
		[ -n "$p" ] && { echo "$p"; return 0; }
		sleep 0.1
	done
	echo "no process [$1] within $((${2:-100} / 10)) s" >&2
	return 1
}

# fuse_mounts: the fuse mounts the host sees.
fuse_mounts() {
	grep -E ' - fuse(\.[^ ]*)? ' /proc/self/mountinfo || true
	findmnt -rn -t fuse,fuse.fuse-overlayfs 2>/dev/null || true
}

# outside_uid ID: the host uid of ID inside in --userns=root.
outside_uid() {
	subid_ranges /etc/subuid | root_map "$(id -u)" |
		awk -v id="$1" '$1 <= id && id < $1 + $3 { print $2 + id - $1; exit }'
}

# dry NOOK-ARGS...: the --dry-run spec in $output.
dry() {
	run --separate-stderr "$NOOK" run --dry-run "$@" -- true
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_eq "dry-run exit status ($*)" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
}

# root_opts: the options of the "mount root" line of the dry-run spec in $output.
root_opts() {
	awk '$1 == "mount" && $2 == "root" { print $5 }' <<<"$output"
}

# ---- writes over an image (--rootfs): visible inside, the image unchanged, nothing left ----

# image_tmp DRIVER NOOK-ARGS...: MODIFY and SHOW over the image in one run, then compare.
image_tmp() {
	local drv="$1" before places
	shift
	need_driver "$drv"
	# MODIFY chowns to 1000: an id of the subordinate range.
	need_subids
	image
	before=$(tree_state "$IMG")
	places=$(places_state)
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay-driver="$drv" "$@" -- \
		sh -c "$MODIFY
$SHOW
echo mark >/etc/ovt-mark-$TAG && cat /etc/ovt-mark-$TAG" sh /ovt
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "the changes, seen inside" "$SHOW_WANT
mark" "$output" || { echo "stderr: $stderr" >&2; return 1; }
	expect_same "the image" "$before" "$(tree_state "$IMG")"
	expect_no_leftovers "$places"
}

@test "fuse, image, --overlay=tmp: write, overwrite, delete, rename, link, chmod, chown are seen inside; the image is unchanged; nothing is left" {
	image_tmp fuse --overlay=tmp
}

@test "kernel, image, --overlay=tmp: write, overwrite, delete, rename, link, chmod, chown are seen inside; the image is unchanged; nothing is left" {
	image_tmp kernel --overlay=tmp
}

@test "fuse, image, the default with --rootfs is a throwaway overlay: writes work, the image is unchanged" {
	image_tmp fuse
}

@test "kernel, image, the default with --rootfs is a throwaway overlay: writes work, the image is unchanged" {
	image_tmp kernel
}

@test "auto, image, --overlay=tmp: write, overwrite, delete, rename, link, chmod, chown are seen inside; the image is unchanged; nothing is left" {
	image_tmp auto --overlay=tmp
}

@test "auto, image, the default with --rootfs is a throwaway overlay: writes work, the image is unchanged" {
	image_tmp auto
}

# ---- writes over the host: visible inside, the host unchanged, nothing left ----

host_tmp() {
	local drv="$1" before places
	need_driver "$drv"
	need_subids
	host_fixture "$drv"
	before=$(tree_state "$FIX")
	places=$(places_state)
	run --separate-stderr "$NOOK" run --userns=root --overlay=tmp --overlay-driver="$drv" -- \
		sh -c "$MODIFY
$SHOW
echo mark >/etc/ovt-mark-$TAG && cat /etc/ovt-mark-$TAG" sh "$FIX"
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "the changes, seen inside" "$SHOW_WANT
mark" "$output" || { echo "stderr: $stderr" >&2; return 1; }
	expect_same "the host's $FIX" "$before" "$(tree_state "$FIX")"
	[ ! -e "/etc/ovt-mark-$TAG" ] || { echo "/etc/ovt-mark-$TAG reached the host" >&2; return 1; }
	expect_no_leftovers "$places"
}

@test "fuse, host, --overlay=tmp --userns=root: the changes are seen inside; the host is unchanged; nothing is left" {
	host_tmp fuse
}

@test "kernel, host, --overlay=tmp --userns=root: the changes are seen inside; the host is unchanged; nothing is left" {
	host_tmp kernel
}

@test "auto, host, --overlay=tmp --userns=root: the changes are seen inside; the host is unchanged; nothing is left" {
	host_tmp auto
}

# keep-id (the default): the caller is not root inside. It writes where it owns files; the
# files of ids outside the map (the host's root's) stay as unwritable as on the host.
keep_id_host() {
	local drv="$1"
	need_driver "$drv"
	host_fixture "$drv"
	run --separate-stderr "$NOOK" run --overlay=tmp --overlay-driver="$drv" -- sh -c "
		echo mine >'$FIX/new' && cat '$FIX/new'
		echo over >'$FIX/old' && cat '$FIX/old'
		rm '$FIX/del' && echo deleted
		stat -c %u '$FIX/new'
		touch /etc/ovt-mark-$TAG 2>/dev/null && echo wrote-etc || echo etc-refused
		rm -f /etc/hostname 2>/dev/null && echo removed-root-file || echo root-file-refused
		stat -c %u /etc"
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "writes as the caller" "mine
over
deleted
$(id -u)
etc-refused
root-file-refused
65534" "$output"
	# shellcheck disable=SC2012 # the fixture's own plain names
	expect_eq "the host's $FIX" "del dir keep old ren" "$(ls "$FIX" | tr '\n' ' ' | sed 's/ $//')"
}

@test "fuse, host, keep-id: the caller writes its own files, not root's; /etc shows as nobody's" {
	keep_id_host fuse
}

@test "kernel, host, keep-id: the caller writes its own files, not root's; /etc shows as nobody's" {
	keep_id_host kernel
}

@test "auto, host, keep-id: the caller writes its own files, not root's; /etc shows as nobody's" {
	keep_id_host auto
}

# keep_id_image DRIVER: in keep-id the image's files (copied by the caller) are the caller's.
keep_id_image() {
	local drv="$1"
	need_driver "$drv"
	image
	run --separate-stderr "$NOOK" run --rootfs "$IMG" --overlay-driver="$drv" -- \
		sh -c 'id -u; stat -c %u /etc/passwd; echo x >>/etc/passwd && tail -n1 /etc/passwd; rm /ovt/del && echo deleted'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "id, owner, append, delete" "$(id -u)
$(id -u)
x
deleted" "$output"
	expect_eq "the image's /etc/passwd" "nobody:x:65534:65534:nobody:/:/bin/false" "$(tail -n1 "$IMG/etc/passwd")"
	[ -e "$IMG/ovt/del" ] || { echo "$IMG/ovt/del was deleted on the host" >&2; return 1; }
}

@test "fuse, image, keep-id: the image's files are the caller's, and writable" {
	keep_id_image fuse
}

@test "kernel, image, keep-id: the image's files are the caller's, and writable" {
	keep_id_image kernel
}

@test "auto, image, keep-id: the image's files are the caller's, and writable" {
	keep_id_image auto
}

# root_and_daemon DRIVER: the root is the overlay (its type in mountinfo, rw); fuse-overlayfs
# runs in the sandbox's pid namespace with fuse, and there is none with kernel.
# auto: the caller's image is the kernel's.
root_and_daemon() {
	local drv="$1" fstype=overlay
	[ "$drv" != fuse ] || fstype=fuse
	need_driver "$drv"
	image
	# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
	run --separate-stderr "$NOOK" run --rootfs "$IMG" --overlay-driver="$drv" -- sh -c \
		'awk '\''$5 == "/" { for (i = 7; $i != "-"; i++); print $(i + 1), $6 }'\'' /proc/self/mountinfo | tail -n1; cat /proc/[0-9]*/comm | sort -u | tr "\n" " "'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_match "type and options of /" "^$fstype rw," "${lines[0]}"
	if [ "$drv" = fuse ]; then
		expect_match "processes inside" '(^| )fuse-overlayfs ' "${lines[1]}"
	else
		[[ "${lines[1]}" != *fuse-overlayfs* ]] || { echo "a fuse-overlayfs inside: ${lines[1]}" >&2; return 1; }
	fi
}

@test "fuse, image: the root is a fuse mount, and fuse-overlayfs runs inside the sandbox's pid namespace" {
	root_and_daemon fuse
}

@test "kernel, image: the root is an overlay mount, and no fuse-overlayfs runs" {
	root_and_daemon kernel
}

@test "auto, image (the caller's): the root is the kernel's overlay, and no fuse-overlayfs runs" {
	root_and_daemon auto
}

# ---- ownership over the host ----

@test "fuse, kernel and auto, host, --userns=root: host root's files show as nobody, the caller's as root" {
	local drv
	host_fixture kernel
	for drv in fuse kernel auto; do
		need_driver "$drv"
		run --separate-stderr "$NOOK" run --userns=root --overlay=tmp --overlay-driver="$drv" -- \
			stat -c '%u:%g' /usr/share /etc/hostname "$FIX/old"
		expect_eq "$drv: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
		expect_eq "$drv: owners of /usr/share, /etc/hostname, $FIX/old" "65534:65534
65534:65534
0:0" "$output"
	done
}

# ---- NAME: the changes survive, meta, owners, locking ----

# named_image DRIVER: MODIFY in one run, SHOW in the next.
# auto: meta names the driver it chose, the kernel for the caller's image.
named_image() {
	local drv="$1" before uid made="$1"
	need_driver "$drv"
	need_subids
	[ "$drv" != auto ] || made=kernel
	image
	before=$(tree_state "$IMG")
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay=keep --overlay-driver="$drv" -- \
		sh -c "$MODIFY
echo x >/x && chown 1000:1000 /x; ls -l /proc/\$\$/fd/ | grep -c overlays || true" sh /ovt
	expect_eq "run 1: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "run 1: descriptors of the overlay's directory inside" 0 "$output"
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay=keep --overlay-driver="$drv" -- \
		sh -c "$SHOW" sh /ovt
	expect_eq "run 2: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "run 2: the changes of run 1" "$SHOW_WANT" "$output"
	expect_eq "meta" "lower $IMG
driver $made" "$(head -n2 "$OVL/keep/meta")"
	uid=$(outside_uid 1000)
	expect_eq "owner of upper/x on the host (1000 inside)" "$uid:$uid" "$(stat -c %u:%g "$OVL/keep/upper/x")"
	expect_eq "owner of upper/ovt/new on the host (1000 inside)" "$uid" "$(stat -c %u "$OVL/keep/upper/ovt/new")"
	expect_same "the image" "$before" "$(tree_state "$IMG")"
}

@test "fuse, image, --overlay=NAME: the changes (a deletion too) survive into the next run; meta; chown 1000 is a subordinate id on the host" {
	named_image fuse
}

@test "kernel, image, --overlay=NAME: the changes (a deletion too) survive into the next run; meta; chown 1000 is a subordinate id on the host" {
	named_image kernel
}

@test "auto, image, --overlay=NAME: the changes (a deletion too) survive into the next run; meta names the kernel; chown 1000 is a subordinate id on the host" {
	named_image auto
}

# auto: meta names the driver it chose over the host, fuse-overlayfs.
named_host() {
	local drv="$1" before uid made="$1"
	need_driver "$drv"
	need_subids
	[ "$drv" != auto ] || made=fuse
	host_fixture "$drv"
	before=$(tree_state "$FIX")
	run --separate-stderr "$NOOK" run --userns=root --overlay=keep --overlay-driver="$drv" -- \
		sh -c "$MODIFY
echo mark >/etc/ovt-mark-$TAG" sh "$FIX"
	expect_eq "run 1: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	run --separate-stderr "$NOOK" run --userns=root --overlay=keep --overlay-driver="$drv" -- \
		sh -c "$SHOW
cat /etc/ovt-mark-$TAG" sh "$FIX"
	expect_eq "run 2: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "run 2: the changes of run 1" "$SHOW_WANT
mark" "$output"
	expect_eq "meta" "lower /
driver $made" "$(head -n2 "$OVL/keep/meta")"
	uid=$(outside_uid 1000)
	expect_eq "owner of upper$FIX/new on the host (1000 inside)" "$uid" "$(stat -c %u "$OVL/keep/upper$FIX/new")"
	expect_same "the host's $FIX" "$before" "$(tree_state "$FIX")"
	[ ! -e "/etc/ovt-mark-$TAG" ] || { echo "/etc/ovt-mark-$TAG reached the host" >&2; return 1; }
}

@test "fuse, host, --overlay=NAME --userns=root: the changes survive into the next run; meta; the host is unchanged" {
	named_host fuse
}

@test "kernel, host, --overlay=NAME --userns=root: the changes survive into the next run; meta; the host is unchanged" {
	named_host kernel
}

@test "auto, host, --overlay=NAME --userns=root: the changes survive into the next run; meta names fuse; the host is unchanged" {
	named_host auto
}

# named_busy DRIVER: a second sandbox on a NAME in use is refused; after the first, it works.
named_busy() {
	local drv="$1" i
	need_driver "$drv"
	image
	timeout 30 "$NOOK" run --rootfs "$IMG" --overlay=busy --overlay-driver="$drv" -- sleep "5.$TAG" \
		</dev/null >"$T/first.out" 2>"$T/first.err" 3>&- &
	BG=$!
	wait_pid_of "sleep 5\\.$TAG" || { cat "$T/first.err" >&2; return 1; }
	run --separate-stderr "$NOOK" run --rootfs "$IMG" --overlay=busy --overlay-driver="$drv" -- echo second
	expect_nook_error 125
	expect_eq "stderr" "nook: --overlay=busy: in use by another sandbox" "$stderr"
	# Over the host, or with the other driver, the lock comes first too: no meta complaint.
	run --separate-stderr "$NOOK" run --overlay=busy -- echo third
	expect_nook_error 125
	expect_eq "stderr (over the host)" "nook: --overlay=busy: in use by another sandbox" "$stderr"
	i=0
	wait "$BG" || i=$?
	BG=""
	expect_eq "the first sandbox's exit status" 0 "$i" || { cat "$T/first.err" >&2; return 1; }
	expect_eq "the first sandbox's stderr" "" "$(drop_nested_warning <"$T/first.err")"
	run --separate-stderr "$NOOK" run --rootfs "$IMG" --overlay=busy --overlay-driver="$drv" -- echo again
	expect_eq "after the first ended: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "after the first ended: output" "again" "$output"
}

@test "fuse, --overlay=NAME: a second sandbox on it is refused (125, in use) while the first runs; then it works" {
	named_busy fuse
}

@test "kernel, --overlay=NAME: a second sandbox on it is refused (125, in use) while the first runs; then it works" {
	named_busy kernel
}

@test "auto, --overlay=NAME: a second sandbox on it is refused (125, in use) while the first runs; then it works" {
	named_busy auto
}

@test "--overlay=NAME: after SIGKILL of nook the sandbox dies and NAME is free again (no stale lock)" {
	local pid ns
	need_driver fuse
	image
	"$NOOK" run --rootfs "$IMG" --overlay=killed -- sleep "1000.$TAG" </dev/null >/dev/null 2>"$T/err" 3>&- &
	BG=$!
	pid=$(wait_pid_of "sleep 1000\\.$TAG") || { cat "$T/err" >&2; return 1; }
	ns=$(pidns_of "$pid")
	kill -KILL "$BG"
	wait "$BG" 2>/dev/null || true
	BG=""
	wait_pidns_empty "$ns"
	run --separate-stderr "$NOOK" run --rootfs "$IMG" --overlay=killed -- echo free
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "output" "free" "$output"
}

# The lock's fds of process $1 (readable: --userns=single runs everything as the caller).
lock_fds_of() {
	find "/proc/$1/fd" -mindepth 1 -lname "$OVL/$2/lock" 2>/dev/null | wc -l
}

@test "fuse, --overlay=NAME: fuse-overlayfs holds the lock, the payload not; after SIGKILL of nook, NAME stays in use while pid 1 or fuse-overlayfs is there" {
	local name="dying$TAG" attempt left payload daemon
	need_driver fuse
	image
	"$NOOK" run -q --rootfs "$IMG" --overlay="$name" --overlay-driver=fuse --userns=single -- \
		sleep "1000.$TAG" </dev/null >/dev/null 2>"$T/err" 3>&- &
	BG=$!
	payload=$(wait_pid_of "sleep 1000\\.$TAG") || { cat "$T/err" >&2; return 1; }
	daemon=$(pgrep -f -- "^fuse-overlayfs .*upperdir=$OVL/$name/upper")
	expect_eq "the lock's fds in fuse-overlayfs ($daemon)" 1 "$(lock_fds_of "$daemon" "$name")"
	expect_eq "the lock's fds in the payload" 0 "$(lock_fds_of "$payload" "$name")"
	kill -KILL "$BG"
	wait "$BG" 2>/dev/null || true
	BG=""
	# Pid 1 (nook's command line) or fuse-overlayfs (upperdir=.../$name/upper) of the first
	# seen while holding the lock was there while NAME was free: a process's command line is
	# gone (exit_mm) before its fds are closed (exit_files). The payload writes nothing but
	# through fuse-overlayfs. First the lock itself, as soon as it is free...
	for ((attempt = 0; attempt < 500; attempt++)); do
		left=$(flock -n "$OVL/$name/lock" pgrep -f -- "$name") && break
		[ -z "$left" ] || {
			echo "processes of the first sandbox on $name while its lock was free: $left" >&2
			return 1
		}
		sleep 0.01
	done
	# ...then nook: a retry at once, as after a --timeout kill, finds NAME free.
	for ((attempt = 0; attempt < 100; attempt++)); do
		run --separate-stderr timeout -k 5 30 "$NOOK" run -q --rootfs "$IMG" --overlay="$name" \
			--overlay-driver=fuse --userns=single -- echo free
		left=$(pgrep -f -- "$name" || true)
		[ "$status" -ne 0 ] || break
		expect_eq "stderr while the first sandbox dies" \
			"nook: --overlay=$name: in use by another sandbox" "$stderr"
		sleep 0.05
	done
	expect_eq "the retry's exit status (100 tries)" 0 "$status" || { echo "left: $left" >&2; return 1; }
	expect_eq "output" "free" "$output"
	expect_eq "processes of the first sandbox on $name while the second had it" "" "$left"
}

@test "--overlay=NAME made over one lower or driver is refused over another (125, one line), and left as it was" {
	local meta upper
	need_driver fuse
	image
	mkdir "$T/other"
	cp -a "$IMG/." "$T/other/"
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay=tied --overlay-driver=fuse -- sh -c 'echo 1 >/one'
	expect_eq "first run: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	meta=$(cat "$OVL/tied/meta")
	upper=$(ls -A "$OVL/tied/upper")
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$T/other" --overlay=tied -- sh -c 'echo 2 >/two'
	expect_nook_error 125
	# shellcheck disable=SC2154 # stderr_lines: set by bats's run --separate-stderr
	expect_match "another lower" "^nook: --overlay=tied.*$IMG.*$T/other" "${stderr_lines[0]}"
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay=tied --overlay-driver=kernel -- sh -c 'echo 2 >/two'
	expect_nook_error 125
	expect_match "another driver" "^nook: --overlay=tied.*kernel" "${stderr_lines[0]}"
	run --separate-stderr "$NOOK" run --userns=root --overlay=tied -- sh -c 'echo 2 >/two'
	expect_nook_error 125
	expect_match "over the host" "^nook: --overlay=tied" "${stderr_lines[0]}"
	# auto keeps the driver the NAME was made with: no refusal, and the change of run 1.
	run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay=tied -- cat /one
	expect_eq "auto over the same lower: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "auto over the same lower: run 1's file" 1 "$output"
	expect_eq "meta afterwards" "$meta" "$(cat "$OVL/tied/meta")"
	expect_eq "upper afterwards" "$upper" "$(ls -A "$OVL/tied/upper")"
}

@test "--overlay=NAME: the same lower spelled otherwise (a trailing slash, a relative path) is the same lower" {
	need_driver fuse
	image
	run --separate-stderr "$NOOK" run --rootfs "$IMG" --overlay=spell -- true
	expect_eq "first run: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	run --separate-stderr "$NOOK" run --rootfs img --overlay=spell -- true
	expect_eq "relative path: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	run --separate-stderr "$NOOK" run --rootfs "$IMG/" --overlay=spell -- true
	expect_eq "trailing slash: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
}

# ---- the fuse daemon does not outlive the sandbox ----

# killed DRIVER NOOK-ARGS...: start `sleep 1000.TAG` (after a look into /var: auto's
# fuse-overlayfs there starts beside the payload), SIGKILL nook, wait for the end.
killed() {
	local drv="$1" pid ns daemons mounts i
	shift
	need_driver "$drv"
	mounts=$(fuse_mounts)
	"$NOOK" run --overlay=tmp --overlay-driver="$drv" "$@" -- sh -c "ls /var >/dev/null; exec sleep 1000.$TAG" \
		</dev/null >/dev/null 2>"$T/err" 3>&- &
	BG=$!
	pid=$(wait_pid_of "sleep 1000\\.$TAG") || { cat "$T/err" >&2; return 1; }
	ns=$(pidns_of "$pid")
	daemons=$(fuse_daemons_in "$ns")
	[ -n "$daemons" ] || { echo "no fuse-overlayfs in the sandbox's $ns" >&2; return 1; }
	kill -KILL "$BG"
	wait "$BG" 2>/dev/null || true
	BG=""
	wait_pidns_empty "$ns" 50
	wait_no_procs "1000.$TAG" 50
	for i in $daemons; do
		[ ! -e "/proc/$i" ] || [ "$(cat "/proc/$i/comm" 2>/dev/null)" != fuse-overlayfs ] ||
			{ echo "fuse-overlayfs $i survived" >&2; return 1; }
	done
	expect_eq "fuse mounts on the host" "$mounts" "$(fuse_mounts)"
	expect_eq "findmnt -t fuse.fuse-overlayfs" "" "$(findmnt -rn -t fuse.fuse-overlayfs 2>/dev/null)"
}

@test "fuse, image: after SIGKILL of nook, fuse-overlayfs and the sandbox are gone, no fuse mount remains" {
	image
	killed fuse --rootfs "$IMG"
	expect_eq "fuse-overlayfs over $IMG" "" "$(pgrep -f "lowerdir=$IMG" || true)"
}

@test "fuse, host: after SIGKILL of nook, fuse-overlayfs and the sandbox are gone, no fuse mount remains" {
	killed fuse
}

@test "auto, host: after SIGKILL of nook, fuse-overlayfs (of /var) and the sandbox are gone, no fuse mount remains" {
	killed auto
}

# exited DRIVER NOOK-ARGS...: a normal run; the daemon was there inside (once /var was looked
# into: auto's starts beside the payload), and is gone when nook returns.
exited() {
	local drv="$1" ns
	shift
	need_driver "$drv"
	run --separate-stderr "$NOOK" run --overlay=tmp --overlay-driver="$drv" "$@" -- \
		sh -c 'ls /var >/dev/null; readlink /proc/self/ns/pid; cat /proc/[0-9]*/comm | grep -c fuse-overlayfs'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	ns=${lines[0]}
	expect_match "the sandbox's pid namespace" '^pid:\[[0-9]+\]$' "$ns"
	expect_eq "fuse-overlayfs processes inside" 1 "${lines[1]}"
	# nook returns when the sandbox has ended: no wait.
	expect_eq "processes left in $ns" "" "$(procs_in_pidns "$ns")"
}

@test "fuse, image: after a normal exit no fuse-overlayfs remains" {
	image
	exited fuse --rootfs "$IMG"
	expect_eq "fuse-overlayfs over $IMG" "" "$(pgrep -f "lowerdir=$IMG" || true)"
}

@test "fuse, host: after a normal exit no fuse-overlayfs remains" {
	exited fuse
}

@test "auto, host: after a normal exit no fuse-overlayfs (of /var) remains" {
	exited auto
}

# ---- errors: 125, one line, nothing left behind ----

@test "--overlay with an invalid NAME, --overlay-driver=bogus: 125, one line, nothing created" {
	local a long
	long=$(printf 'a%.0s' $(seq 65))
	for a in --overlay=.. --overlay=. --overlay=a/b --overlay= "--overlay=$long" "--overlay=a b" \
		--overlay=/abs --overlay-driver=bogus --overlay-driver=; do
		run --separate-stderr "$NOOK" run "$a" -- true
		expect_nook_error 125 || { echo "for $a" >&2; return 1; }
		expect_match "$a: names the option" '^nook: --overlay' "${stderr_lines[0]}"
		[ ! -e "$XDG_DATA_HOME" ] || { echo "$a created $XDG_DATA_HOME" >&2; return 1; }
	done
	# 64 is the limit, and allowed.
	dry "--overlay=${long:1}"
	expect_match "64 characters" "^overlay ${long:1} " "$(grep '^overlay ' <<<"$output")"
}

@test "--rootfs that does not exist or is a file: 125, one line about --rootfs, with every overlay mode and driver; nothing created" {
	local r m bad=""
	: >"$T/file"
	for r in "$T/none" "$T/file"; do
		for m in "--overlay=tmp --overlay-driver=fuse" "--overlay=tmp --overlay-driver=kernel" \
			"--overlay=bad --overlay-driver=fuse" "--overlay=bad --overlay-driver=kernel" --overlay=none; do
			# shellcheck disable=SC2086
			run --separate-stderr "$NOOK" run --rootfs "$r" $m -- true
			if ! expect_nook_error 125 2>/dev/null || [[ "${stderr_lines[0]}" != "nook: --rootfs"* ]] ||
				[ -e "$XDG_DATA_HOME" ]; then
				bad+="
--rootfs ${r#"$T/"} $m: status $status, $(printf '%s' "$stderr" | tr '\n' '|')"
				[ ! -e "$XDG_DATA_HOME" ] || bad+=" (and it created $(find "$XDG_DATA_HOME" -mindepth 3 -maxdepth 3))"
				rm -rf "$XDG_DATA_HOME"
			fi
		done
	done
	expect_eq "cases without one 'nook: --rootfs' line, or with something created" "" "$bad"
}

@test "fuse: without /dev/fuse (nook nested in a sandbox, whose /dev has none) nook says so with the way out" {
	run --separate-stderr "$NOOK" run -q --allow-userns --seccomp=off --ro-bind "$NOOK:/tmp/nook" -- \
		/tmp/nook run --userns=single --overlay=tmp --overlay-driver=fuse -- true
	if [ "$status" -ne 125 ] || [[ "${stderr_lines[0]:-}" != *fuse* ]]; then
		skip "a nested nook does not get as far as the overlay here: status $status, $stderr"
	fi
	expect_nook_error 125
	expect_eq "line 1" "nook: --overlay: cannot open /dev/fuse: No such file or directory" "${stderr_lines[0]}"
	expect_match "the hint names the kernel driver" '^nook: hint: .*--overlay-driver=kernel' "${stderr_lines[1]}"
	# The kernel driver is the way out that the hint names.
	run --separate-stderr "$NOOK" run -q --allow-userns --seccomp=off --ro-bind "$NOOK:/tmp/nook" -- \
		/tmp/nook run --userns=single --overlay=tmp --overlay-driver=kernel --dry-run -- true
	expect_eq "nested --overlay-driver=kernel --dry-run: exit status" 0 "$status"
	# auto, the default, does without it.
	run --separate-stderr "$NOOK" run -q --allow-userns --seccomp=off --ro-bind "$NOOK:/tmp/nook" -- \
		/tmp/nook run --userns=single --overlay=tmp -- echo ran
	expect_eq "nested auto: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "nested auto: output" ran "$output"
}

# ---- --dry-run ----

@test "--dry-run: an overlay line with the driver (and the dir of a NAME); the root is not ro; nothing is created" {
	local drv
	for drv in fuse kernel; do
		dry --overlay=tmp --overlay-driver="$drv"
		expect_match "tmp, $drv" "^overlay tmp driver=$drv( |$)" "$(grep '^overlay ' <<<"$output")"
		expect_match "tmp, $drv: root options" '^rw,' "$(root_opts)"
		dry --overlay=named1 --overlay-driver="$drv"
		expect_match "NAME, $drv" "^overlay named1 driver=$drv dir=$OVL/named1( |$)" "$(grep '^overlay ' <<<"$output")"
		expect_match "NAME, $drv: root options" '^rw,' "$(root_opts)"
	done
	[ ! -e "$XDG_DATA_HOME" ] || { echo "--dry-run created $XDG_DATA_HOME" >&2; return 1; }
	dry --overlay=none
	expect_eq "none" "overlay none" "$(grep '^overlay ' <<<"$output")"
	expect_match "none: root options" '^ro,' "$(root_opts)"
	dry
	expect_eq "default over the host" "overlay none" "$(grep '^overlay ' <<<"$output")"
	expect_match "default over the host: root options" '^ro,' "$(root_opts)"
	image
	dry --rootfs "$IMG"
	# The caller made the image: every file is the sandbox's to copy up, the kernel's overlay.
	expect_eq "default with --rootfs" "overlay tmp driver=auto /=kernel" "$(grep '^overlay ' <<<"$output")"
	expect_match "default with --rootfs: root options" '^rw,' "$(root_opts)"
	dry --rootfs "$IMG" --overlay=none
	expect_match "--rootfs --overlay=none: root options" '^ro,' "$(root_opts)"
}

# ---- a realistic job: the host's package tools in a throwaway overlay ----

realistic() {
	local drv="$1" before
	need_driver "$drv"
	before=$(find /usr/share/doc -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum)
	run --separate-stderr timeout 60 "$NOOK" run --userns=root --overlay=tmp --overlay-driver="$drv" -- sh -c '
		apt-get --version | head -n1
		dpkg -l | grep -c "^ii" | sed "s/^[1-9][0-9]*$/some/"
		rm -rf /usr/share/doc && echo removed; ls /usr/share/doc 2>&1 | grep -c "No such file"'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $(head -n5 <<<"$stderr")" >&2; return 1; }
	expect_match "apt-get --version" '^apt [0-9]' "${lines[0]}"
	expect_eq "dpkg -l, rm -rf /usr/share/doc" "some
removed
1" "$(printf '%s\n' "${lines[@]:1}")" || { echo "stderr: $(head -n5 <<<"$stderr")" >&2; return 1; }
	expect_eq "the host's /usr/share/doc" "$before" \
		"$(find /usr/share/doc -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum)"
}

@test "fuse, host, --overlay=tmp --userns=root: apt-get and dpkg run; rm -rf /usr/share/doc inside leaves the host's intact" {
	command -v apt-get >/dev/null && [ -d /usr/share/doc ] || skip "not a Debian-like host"
	realistic fuse
}

# The kernel's overlay cannot copy up a file whose owner is outside the id map (the host's
# root): such files stay unchangeable (EACCES, EOVERFLOW), as nook(1) documents. fuse can.
@test "kernel, host, --overlay=tmp --userns=root: the caller's own files change; the host root's cannot (documented limit); the host is intact" {
	command -v apt-get >/dev/null && [ -d /usr/share/doc ] || skip "not a Debian-like host"
	local before
	before=$(find /usr/share/doc -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum)
	run --separate-stderr timeout 60 "$NOOK" run --userns=root --overlay=tmp --overlay-driver=kernel -- sh -c '
		apt-get --version | head -n1
		rm -rf /usr/share/doc 2>/dev/null && echo removed || echo refused
		echo new > /etc/nook-kernel-test && cat /etc/nook-kernel-test'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $(head -n5 <<<"$stderr")" >&2; return 1; }
	expect_match "apt-get --version" '^apt [0-9]' "${lines[0]}"
	expect_eq "rm of root's files, a new file" "refused
new" "$(printf '%s\n' "${lines[@]:1}")"
	expect_eq "the host's /usr/share/doc" "$before" \
		"$(find /usr/share/doc -printf '%p %s %T@\n' 2>/dev/null | LC_ALL=C sort | sha256sum)"
	[ ! -e /etc/nook-kernel-test ]
}

@test "auto, host, --overlay=tmp --userns=root: apt-get and dpkg run; rm -rf /usr/share/doc inside leaves the host's intact" {
	command -v apt-get >/dev/null && [ -d /usr/share/doc ] || skip "not a Debian-like host"
	realistic auto
}

# ---- a directory of root's below the top level: the kernel cannot copy it up ----

# var_tmp_mkdir DRIVER USERNS: mkdir in /var/tmp (root's, writable by all) and a file in it.
var_tmp_mkdir() {
	local w="/var/tmp/ovt-w-$TAG"
	[ -d /var/tmp ] || skip "no /var/tmp"
	run --separate-stderr "$NOOK" run --userns="$2" --overlay=tmp --overlay-driver="$1" -- \
		sh -c "mkdir '$w' && echo in >'$w/f' && cat '$w/f' && stat -c %a /var/tmp"
	[ ! -e "$w" ] || { rm -rf "$w"; echo "$w reached the host" >&2; return 1; }
}

@test "fuse and auto, host, keep-id and root: mkdir in /var/tmp (root's directory, copied up) works; the host's /var/tmp is unchanged" {
	local drv u
	for drv in fuse auto; do
		for u in keep-id root; do
			var_tmp_mkdir "$drv" "$u"
			expect_eq "$drv, $u: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
			expect_eq "$drv, $u: the file, /var/tmp's mode" "in
$(stat -c %a /var/tmp)" "$output"
		done
	done
}

# The documented limit of the kernel driver: EOVERFLOW, or EROFS where /var holds mounts (it
# is then bound read-only). The test fails if the kernel one day copies it up: then say so.
@test "kernel, host, keep-id: mkdir in /var/tmp fails (root's directory cannot be copied up: EOVERFLOW, or read-only), the host unchanged" {
	var_tmp_mkdir kernel keep-id
	expect_eq "exit status" 1 "$status"
	expect_match "why" "(Value too large for defined data type|Read-only file system)" "$stderr"
}

# ---- auto: which directory is whose ----

# fs_types PATH...: the filesystem type of each path inside, one a line.
# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
FS_TYPES='for p; do stat -f -c %T "$p"; done'

@test "auto, host, keep-id: the home is the kernel's overlay, /var fuse-overlayfs's, /usr and /etc read-only; writes stay inside" {
	local before
	host_fixture
	before=$(tree_state "$FIX")
	run --separate-stderr "$NOOK" run --overlay=tmp -- sh -c "$FS_TYPES
echo new >'$FIX/new' && cat '$FIX/new'
touch /etc/ovt-mark-$TAG 2>&1 | grep -c 'Read-only'
echo v >/var/tmp/ovt-mark-$TAG && cat /var/tmp/ovt-mark-$TAG" sh "$FIX" /var/tmp /usr /etc
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "home" overlayfs "${lines[0]}"
	# /var/tmp: an overlay of its own unless it holds a directory writable by all of root's.
	if "$NOOK" run --overlay=tmp --dry-run -- true | grep -q '^overlay .* /var/tmp=kernel'; then
		expect_eq "/var/tmp" overlayfs "${lines[1]}"
	else
		expect_match "/var/tmp" '^fuse' "${lines[1]}"
	fi
	[[ "${lines[2]}" != overlayfs && "${lines[2]}" != fuse* ]] || { echo "/usr is ${lines[2]}" >&2; return 1; }
	[[ "${lines[3]}" != overlayfs && "${lines[3]}" != fuse* ]] || { echo "/etc is ${lines[3]}" >&2; return 1; }
	expect_eq "writes" "new
1
v" "$(printf '%s\n' "${lines[@]:4}")"
	expect_same "the host's $FIX" "$before" "$(tree_state "$FIX")"
	[ ! -e "/var/tmp/ovt-mark-$TAG" ] || { echo "/var/tmp/ovt-mark-$TAG reached the host" >&2; return 1; }
}

@test "auto, host, keep-id: a working directory of the caller's below root's /var/tmp is the kernel's overlay of its own; writes stay inside" {
	local d
	d=$(mktemp -d /var/tmp/ovt-cwd.XXXXXX) || skip "cannot make a directory in /var/tmp"
	FIX=$d
	mkdir "$d/sub" && echo old >"$d/sub/f"
	cd "$d/sub" || return 1
	run --separate-stderr "$NOOK" run --overlay=tmp -- sh -c "$FS_TYPES
echo new >f && cat f && mkdir -p deep/er && echo x >deep/er/y && cat deep/er/y" sh "$d" "$d/sub"
	cd "$T" || return 1
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "the tree, its subdirectory" "overlayfs
overlayfs" "$(printf '%s\n' "${lines[@]:0:2}")"
	expect_eq "writes" "new
x" "$(printf '%s\n' "${lines[@]:2}")"
	expect_eq "the host's $d/sub" "f" "$(ls "$d/sub")"
	expect_eq "the host's $d/sub/f" old "$(cat "$d/sub/f")"
}

# A job writing in /var/tmp itself runs at the kernel overlay's speed: /var/tmp gets an overlay
# whose top is its own upper directory (nothing to copy up), unless it holds a directory
# writable by all of an id outside the map (that one the kernel could not copy up: fuse's /var).
@test "auto, host, keep-id: /var/tmp (root's, writable by all) is the kernel's overlay of its own when it can be; writes in it work and stay inside" {
	local open plan w="/var/tmp/ovt-vt-$TAG"
	[ -d /var/tmp ] && [ "$(stat -c %u /var/tmp)" = 0 ] || skip "no /var/tmp of root's"
	open=$(find /var/tmp -mindepth 1 -maxdepth 1 -type d -perm -0002 ! -uid "$(id -u)" 2>/dev/null | head -1)
	plan=$("$NOOK" run --overlay=tmp --dry-run -- true | grep '^overlay ')
	if [ -n "$open" ]; then
		[[ "$plan" != *" /var/tmp=kernel"* ]] || { echo "/var/tmp holds $open, yet: $plan" >&2; return 1; }
		skip "this host's /var/tmp holds $open (writable by all, not ours): /var/tmp stays fuse-overlayfs's"
	fi
	expect_match "the plan" ' /var=fuse .* /var/tmp=kernel' "$plan"
	run --separate-stderr "$NOOK" run --overlay=tmp -- sh -c "stat -f -c %T /var/tmp; stat -c %a /var/tmp
mkdir '$w' && echo in >'$w/f' && cat '$w/f'
rm /var/tmp/.nook-no-such-$TAG 2>&1 | grep -c 'No such'"
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "/var/tmp: the kernel's overlay, its mode kept; a file written and read" "overlayfs
$(stat -c %a /var/tmp)
in
1" "$output"
	[ ! -e "$w" ] || { rm -rf "$w"; echo "$w reached the host" >&2; return 1; }
}

# The overlay root is built at a staging directory (/tmp) of pid 1's tree: a bind of that path
# (a working directory of /tmp, --bind /tmp/...) must still be the host's directory, never the
# staged tree with the host's /proc and /sys below it.
@test "fuse, kernel and auto, host, --overlay=tmp: binds of /tmp and below are the host's, not the tree being built; no proc but the sandbox's" {
	local drv d
	d=$(mktemp -d /tmp/ovt-stage.XXXXXX) || skip "cannot make a directory in /tmp"
	FIX=$d
	echo mark >"$d/mark"
	for drv in fuse kernel auto; do
		run --separate-stderr "$NOOK" run --overlay=tmp --overlay-driver=$drv --bind "$d" \
			--bind /tmp:/tmp/host-tmp -- sh -c \
			"cat '$d/mark' '/tmp/host-tmp/${d#/tmp/}/mark'; awk '\$3 == \"proc\" && \$2 !~ /^\/proc/' /proc/self/mounts | wc -l; ls -d /tmp/host-tmp/proc 2>&1 | grep -c 'No such'"
		expect_eq "$drv: exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
		expect_eq "$drv: the host's file in both binds; no proc outside /proc; none in the bind of /tmp" "mark
mark
0
1" "$output"
	done
}

@test "auto, host, --userns=root: / is fuse-overlayfs's, the home the kernel's overlay on it; root's files are writable inside" {
	host_fixture
	run --separate-stderr "$NOOK" run --userns=root --overlay=tmp -- sh -c "$FS_TYPES
echo x >/etc/ovt-mark-$TAG && cat /etc/ovt-mark-$TAG" sh / "$FIX"
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_match "/" '^fuse' "${lines[0]}"
	expect_eq "home" overlayfs "${lines[1]}"
	expect_eq "a file in /etc" x "${lines[2]}"
	[ ! -e "/etc/ovt-mark-$TAG" ] || { echo "/etc/ovt-mark-$TAG reached the host" >&2; return 1; }
}

@test "auto, --dry-run: the parts by payload and lower: keep-id, root, single, an image, a NAME" {
	image
	dry --overlay=tmp
	expect_match "keep-id" '^overlay tmp driver=auto /=ro( .*)? /var=fuse( |$)' "$(grep '^overlay ' <<<"$output")"
	dry --overlay=tmp --userns=root
	expect_match "root" '^overlay tmp driver=auto /=fuse ' "$(grep '^overlay ' <<<"$output")"
	dry --overlay=tmp --userns=single
	expect_match "single: nobody is not mapped, fuse-overlayfs could copy up nothing of root's" \
		'^overlay tmp driver=auto /=ro( /[^ =]+=(kernel|ro))*$' "$(grep '^overlay ' <<<"$output")"
	dry --rootfs "$IMG"
	expect_eq "the caller's image" "overlay tmp driver=auto /=kernel" "$(grep '^overlay ' <<<"$output")"
	dry --overlay=made
	expect_match "a NAME over the host" "^overlay made driver=auto dir=$OVL/made /=fuse " "$(grep '^overlay ' <<<"$output")"
	run --separate-stderr "$NOOK" run --dry-run --json --overlay=tmp -- true
	expect_eq "--json parts" '{"path":"/","driver":"ro"}' \
		"$(jq -c '.overlay.parts[0]' <<<"$output")"
	[ ! -e "$XDG_DATA_HOME" ] || { echo "--dry-run created $XDG_DATA_HOME" >&2; return 1; }
}

@test "auto, --overlay=NAME: one made with the kernel (or fuse) keeps it under auto" {
	local drv
	image
	for drv in kernel fuse; do
		run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay="k$drv" --overlay-driver="$drv" -- sh -c 'echo 1 >/one'
		expect_eq "$drv: made" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
		# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
		run --separate-stderr "$NOOK" run --userns=root --rootfs "$IMG" --overlay="k$drv" -- sh -c 'cat /one; awk '\''$5 == "/" { for (i = 7; $i != "-"; i++); print $(i + 1) }'\'' /proc/self/mountinfo | tail -n1'
		expect_eq "$drv: reused under auto" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
		expect_eq "$drv: run 1's file" 1 "${lines[0]}"
		expect_match "$drv: the root's type" "^$([ "$drv" = kernel ] && echo overlay || echo fuse)" "${lines[1]}"
		expect_eq "$drv: meta" "driver $drv" "$(sed -n 2p "$OVL/k$drv/meta")"
	done
}
