#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nook overlay list|diff|rm on overlay directories built here by hand, in a private
# XDG_DATA_HOME: upper layers with every whiteout and opacity encoding of the kernel overlay
# and of fuse-overlayfs, and upper layers written by real overlay mounts in `unshare -Urm`.
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/data"
	export TZ=UTC
	OV="$XDG_DATA_HOME/nook/overlays"
	LOWER="$BATS_TEST_TMPDIR/lower"
	TAG=$(unique_tag)
	mkdir -p "$LOWER"
}

teardown() {
	kill_procs_matching "sleep 30.$TAG"
	# What a failed test left owned by subordinate ids, only root of such a namespace removes.
	if [ -d "$OV" ]; then
		unshare -Ur --map-users=auto --map-groups=auto rm -rf "$OV" 2>/dev/null || true
	fi
	# Mode-000 directories made by a test must not stop bats from cleaning up; \; so that
	# find can enter each directory once it has been opened up.
	find "$BATS_TEST_TMPDIR" -type d ! -perm -u=rwx -exec chmod u+rwx {} \; 2>/dev/null || true
}

# mk_overlay NAME LOWERDIR [DRIVER]: the directory the mechanism would have made.
mk_overlay() {
	local dir="$OV/$1"
	mkdir -p "$OV"
	mkdir -m 0700 "$dir" "$dir/upper" "$dir/work"
	printf 'lower %s\ndriver %s\ncreated %s\n' "$2" "${3:-fuse}" "$(date +%s)" >"$dir/meta"
	: >"$dir/lock"
}

# set_xattr PATH NAME VALUE, without following a symlink (python: attr may not be installed).
set_xattr() {
	"$NOOK_PYTHON" -c 'import os, sys; os.setxattr(sys.argv[1], sys.argv[2], sys.argv[3].encode(), follow_symlinks=False)' "$@"
}

# hold_lock NAME: a process holds NAME's lock, as a running sandbox does, until teardown.
# flock -o: flock itself holds it, so killing flock (and its sleep) lets it go.
hold_lock() {
	flock -o "$OV/$1/lock" sleep "30.$TAG" &
	local i
	for ((i = 0; i < 100; i++)); do
		flock -n "$OV/$1/lock" true || return 0
		sleep 0.1
	done
	echo "hold_lock: $OV/$1/lock was not taken within 10 s" >&2
	return 1
}

release_lock() {
	kill_procs_matching "sleep 30.$TAG"
	wait_no_procs "sleep 30.$TAG"
}

@test "diff decodes each whiteout and opacity encoding, and follows no symlink" {
	local L="$LOWER" outside="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$L"/etc/sub "$L"/opq-kernel/d "$L"/opq-fuse/sub "$L"/opq-marker "$L"/not-opq \
		"$L"/modedir "$L"/dir-to-file "$L"/dir-link "$outside"
	touch "$L"/etc/{hostname,passwd,gone-dev,gone-wh,both} "$L"/etc/sub/deep \
		"$L"/opq-kernel/{a,d/x} "$L"/opq-fuse/{a,b,sub/k} "$L"/opq-marker/{a,b} "$L"/not-opq/a \
		"$L"/file-to-dir "$L"/dir-to-file/x "$L"/dir-link/y "$outside"/secret
	ln -s /etc "$L"/link    # absolute: on the host it is the host's /etc
	ln -s etc "$L"/rel
	mk_overlay enc "$L"
	local U="$OV/enc/upper"
	mkdir -p "$U"/etc/sub "$U"/opq-kernel "$U"/opq-fuse "$U"/opq-marker "$U"/not-opq \
		"$U"/modedir "$U"/file-to-dir "$U"/link "$U"/rel "$U"/newdir
	echo changed >"$U"/etc/hostname
	mknod "$U"/etc/gone-dev c 0 0          # kernel, and fuse-overlayfs when it can mknod
	touch "$U"/etc/.wh.gone-wh             # fuse-overlayfs without mknod
	touch "$U"/etc/both "$U"/etc/.wh.both  # an entry beside its whiteout wins
	touch "$U"/.wh.never-in-lower          # hides nothing: no line
	mknod "$U"/never-either c 0 0
	touch "$U"/etc/sub/new
	set_xattr "$U"/opq-kernel user.overlay.opaque y
	touch "$U"/opq-kernel/{a,new}
	set_xattr "$U"/opq-fuse user.fuseoverlayfs.opaque y
	touch "$U"/opq-fuse/b
	mkdir "$U"/opq-fuse/sub   # nothing below an opaque directory is merged: k is gone
	touch "$U"/opq-marker/.wh..wh..opq
	mknod "$U"/opq-marker/.wh..opq c 0 0   # fuse-overlayfs leaves this one beside it
	mknod "$U"/opq-marker/a c 0 0          # whited out and hidden: one D
	set_xattr "$U"/not-opq user.overlay.opaque x   # "x": has xattr whiteouts, not opaque
	touch "$U"/not-opq/n
	chmod 0700 "$U"/modedir
	touch "$U"/file-to-dir/f
	echo file >"$U"/dir-to-file
	touch "$U"/link/passwd "$U"/rel/hostname "$U"/newdir/f
	ln -s "$outside" "$U"/out
	ln -s "$outside" "$U"/dir-link
	run --separate-stderr "$NOOK" overlay diff enc
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr"
	expect_eq "diff" "C /dir-link
C /dir-to-file
C /etc/both
D /etc/gone-dev
D /etc/gone-wh
C /etc/hostname
A /etc/sub/new
C /file-to-dir
A /file-to-dir/f
C /link
A /link/passwd
C /modedir
A /newdir
A /newdir/f
A /not-opq/n
C /opq-fuse
D /opq-fuse/a
C /opq-fuse/b
C /opq-fuse/sub
D /opq-fuse/sub/k
C /opq-kernel
C /opq-kernel/a
D /opq-kernel/d
A /opq-kernel/new
C /opq-marker
D /opq-marker/a
D /opq-marker/b
A /out
C /rel
A /rel/hostname" "$output"
}

# overlay_session DRIVER: mount an overlay of $LOWER with upper/work in overlay "real" in a
# user namespace, make the same changes through it as a sandbox would, unmount.
overlay_session() {
	local dir="$OV/real" mnt="$BATS_TEST_TMPDIR/mnt" script="$BATS_TEST_TMPDIR/session.sh"
	# unshare --map-users=auto maps the subordinate ids through newuidmap, as nook does.
	need_subids
	[ "$1" != fuse ] || need_dev fuse
	mkdir -p "$LOWER"/dir/sub "$LOWER"/odir/x "$LOWER"/rdir "$LOWER"/cdir "$LOWER"/gdir "$mnt"
	echo a >"$LOWER"/file
	echo b >"$LOWER"/dir/f
	echo c >"$LOWER"/odir/x/y
	echo d >"$LOWER"/rdir/z
	echo e >"$LOWER"/mv
	mk_overlay real "$LOWER" "$1"
	cat >"$script" <<'EOF'
set -eu
driver=$1 lower=$2 upper=$3 work=$4 m=$5
if [ "$driver" = fuse ]; then
	fuse-overlayfs -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$m"
else
	mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work,userxattr" "$m"
fi
echo new >"$m/newfile"
echo mod >>"$m/file"
rm "$m/dir/f"
rm -r "$m/dir/sub"
rm -r "$m/odir"
mkdir "$m/odir"
echo n >"$m/odir/n"
mv "$m/mv" "$m/mv2"
chmod 0700 "$m/rdir"
chown 1 "$m/cdir"
chgrp 1 "$m/gdir"
mkdir "$m/newdir"
echo q >"$m/newdir/q"
ln -s /etc/passwd "$m/link"
if [ "$driver" = fuse ]; then fusermount3 -u "$m"; else umount "$m"; fi
EOF
	# Subordinate ids, so that chown works as in a sandbox with --userns=root.
	unshare -Urm --map-users=auto --map-groups=auto sh "$script" "$1" "$LOWER" "$dir/upper" "$dir/work" "$mnt"
}

REAL_DIFF="C /cdir
D /dir/f
D /dir/sub
C /file
C /gdir
A /link
D /mv
A /mv2
A /newdir
A /newdir/q
A /newfile
C /odir
A /odir/n
D /odir/x
C /rdir"

@test "diff reads an upper layer written by fuse-overlayfs" {
	overlay_session fuse
	run --separate-stderr "$NOOK" overlay diff real
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "diff" "$REAL_DIFF" "$output"
}

@test "diff reads an upper layer written by the kernel overlay" {
	# shellcheck disable=SC2016 # $1 is for sh -c
	if ! unshare -Urm sh -c 'cd "$1" && mkdir -p l u w m &&
		mount -t overlay overlay -o lowerdir=l,upperdir=u,workdir=w,userxattr m' sh \
		"$BATS_TEST_TMPDIR"; then
		skip "the kernel overlay does not mount in a user namespace here"
	fi
	overlay_session kernel
	# What the kernel writes: a 0:0 device for a whiteout, user.overlay.opaque for opacity.
	[ -c "$OV/real/upper/mv" ]
	run --separate-stderr "$NOOK" overlay diff real
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "diff" "$REAL_DIFF" "$output"
}

@test "diff over the host with the kernel driver skips the top-level directories nook made" {
	# That driver mounts one overlay per top-level directory, over upper/DIR made by nook:
	# its mode and owner are nook's, not a change the sandbox made.
	mk_overlay hostk / kernel
	mkdir -m 0700 "$OV/hostk/upper/etc"
	touch "$OV/hostk/upper/etc/nook-probe.$TAG"
	run --separate-stderr "$NOOK" overlay diff hostk
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "diff" "A /etc/nook-probe.$TAG" "$output"
	# The same upper layer from fuse-overlayfs is a copy-up whose mode (0700) differs.
	sed -i 's/^driver kernel$/driver fuse/' "$OV/hostk/meta"
	run --separate-stderr "$NOOK" overlay diff hostk
	expect_eq "exit status" 0 "$status"
	expect_eq "diff" "C /etc
A /etc/nook-probe.$TAG" "$output"
}

# subid_session DIR MNT SCRIPT: run sh SCRIPT with fuse-overlayfs of / mounted at MNT, upper
# and work in DIR, as root of a namespace with subordinate ids as --userns=root maps them.
subid_session() {
	# shellcheck disable=SC2016 # $1... are for sh -c
	unshare -Urm --map-users=auto --map-groups=auto sh -c '
		fuse-overlayfs -o "lowerdir=/,upperdir=$1/upper,workdir=$1/work" "$2" || exit 1
		sh -c "$3" sh "$2" "$4"
		fusermount3 -u "$2"' sh "$1" "$2" "$3" "$TAG"
}

@test "files of subordinate ids: diff, list and rm see them as the sandbox does" {
	local dir="$OV/subids" mnt="$BATS_TEST_TMPDIR/mnt"
	need_subids
	need_dev fuse
	mkdir -p "$mnt"
	mk_overlay subids /
	# /tmp is root's, nobody in the namespace: its copy-up is owned by the subordinate id
	# that is nobody there, which is no change of owner for the sandbox.
	# shellcheck disable=SC2016 # for the sandbox's sh
	subid_session "$dir" "$mnt" 'echo x >"$1/tmp/nook-probe.$2"'
	[ "$(stat -c %u "$dir/upper/tmp")" != "$(id -u)" ]
	run --separate-stderr "$NOOK" overlay diff subids
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "diff" "A /tmp/nook-probe.$TAG" "$output"

	# A mode-0700 directory of id 5, which the caller cannot read; and /tmp given to id 5,
	# a change of owner the sandbox sees.
	# shellcheck disable=SC2016 # for the sandbox's sh
	subid_session "$dir" "$mnt" 'p="$1/tmp/nook-pd.$2" && mkdir "$p" && echo s >"$p/secret" &&
		chmod 0600 "$p/secret" && chown -R 5:5 "$p" && chmod 0700 "$p" && chown 5 "$1/tmp"'
	if ls "$dir/upper/tmp/nook-pd.$TAG" >/dev/null 2>&1; then
		echo "the caller can read nook-pd: this test would prove nothing" >&2
		return 1
	fi
	run --separate-stderr "$NOOK" overlay diff subids
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr"
	expect_eq "diff" "C /tmp
A /tmp/nook-pd.$TAG
A /tmp/nook-pd.$TAG/secret
A /tmp/nook-probe.$TAG" "$output"

	local size
	# shellcheck disable=SC2016 # $1 is for sh -c
	size=$(unshare -Ur --map-users=auto --map-groups=auto sh -c \
		'du -sh --apparent-size "$1" | cut -f1' sh "$dir/upper")
	run --separate-stderr "$NOOK" overlay list
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr"
	expect_match "list" "^subids +$size +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}  /\$" \
		"${lines[1]}"

	# Without subordinate ids there is no such namespace: one line, and the overlay keeps
	# its meta, so that it still says what it was made over.
	run --separate-stderr env NOOK_SUBUID_FILE=/dev/null "$NOOK" overlay rm subids
	expect_nook_error 125
	expect_eq "stderr" \
		"nook: overlay rm subids: cannot open upper/tmp/nook-pd.$TAG: Permission denied" \
		"$stderr"
	[ -f "$dir/meta" ]
	[ -f "$dir/lock" ]
	run --separate-stderr env NOOK_SUBUID_FILE=/dev/null "$NOOK" overlay list
	expect_match "list without the namespace" "^subids +\\? " "${lines[1]}"

	run --separate-stderr "$NOOK" overlay rm subids
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr"
	[ ! -e "$dir" ]
}

@test "diff escapes control characters and backslashes: a name cannot forge a line" {
	mk_overlay esc "$LOWER"
	# No "/" can be in a name, but a newline and a forged "C name" line can.
	touch "$OV/esc/upper/x"$'\n''C forged' "$OV/esc/upper/back\\slash" "$OV/esc/upper/del"$'\x7f'
	run --separate-stderr "$NOOK" overlay diff esc
	expect_eq "exit status" 0 "$status"
	expect_eq "diff" 'A /back\x5cslash
A /del\x7f
A /x\x0aC forged' "$output"
}

@test "diff walks 256 nested directories and fails with one line past them" {
	mk_overlay deep "$LOWER"
	local path="$OV/deep/upper" i
	for ((i = 0; i < 256; i++)); do path="$path/d"; done
	mkdir -p "$path"
	run --separate-stderr "$NOOK" overlay diff deep
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "lines" 256 "${#lines[@]}"
	expect_match "last line" '^A (/d){256}$' "${lines[255]}"
	mkdir "$path/d"
	run --separate-stderr "$NOOK" overlay diff deep
	expect_nook_error 125
	expect_eq "stderr" "nook: overlay diff deep: the upper layer nests directories more than 256 deep" \
		"$stderr"
}

@test "list with no overlays directory prints only the header" {
	run --separate-stderr "$NOOK" overlay list
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_eq "output" "NAME  SIZE  LAST USE          LOWER" "$output"
	mkdir -p "$OV"
	run --separate-stderr "$NOOK" overlay list
	expect_eq "exit status" 0 "$status"
	expect_eq "output" "NAME  SIZE  LAST USE          LOWER" "$output"
}

@test "list shows name, size, last use, lower and in-use, sorted by name" {
	mk_overlay beta /
	mk_overlay alpha "$LOWER"
	mkdir -m 0700 "$OV/gamma-no-meta" "$OV/gamma-no-meta/upper"
	# Only what --overlay=NAME could have made is listed.
	mkdir "$OV/not a name" "$OV/tmp"
	touch "$OV/a-file"
	ln -s "$OV/alpha" "$OV/a-link"
	truncate -s 12M "$OV/alpha/upper/big"
	echo hello >"$OV/alpha/upper/f"
	head -c 3000 /dev/zero >"$OV/gamma-no-meta/upper/f"
	ln "$OV/gamma-no-meta/upper/f" "$OV/gamma-no-meta/upper/f2"   # counted once, as du does
	touch -d '2024-03-05 06:07:08 UTC' "$OV/alpha/meta"
	touch -d '2023-12-31 23:59:59 UTC' "$OV/beta/meta"
	hold_lock beta
	run --separate-stderr "$NOOK" overlay list
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr"
	local sa sb sg
	sa=$(du -sh --apparent-size "$OV/alpha/upper" | cut -f1)
	sb=$(du -sh --apparent-size "$OV/beta/upper" | cut -f1)
	sg=$(du -sh --apparent-size "$OV/gamma-no-meta/upper" | cut -f1)
	expect_eq "alpha's size" 13M "$sa"
	expect_eq "list" "$(printf '%-13s  %4s  %-16s  %s\n' NAME SIZE 'LAST USE' LOWER \
		alpha "$sa" '2024-03-05 06:07' "$LOWER")
$(printf '%-13s  %4s  %-16s  %s  in-use\n' beta "$sb" '2023-12-31 23:59' /)
$(printf '%-13s  %4s  %-16s  %s\n' gamma-no-meta "$sg" - -)" "$output"
	release_lock
	run --separate-stderr "$NOOK" overlay list
	expect_eq "beta is no longer in use" \
		"$(printf '%-13s  %4s  %-16s  %s' beta "$sb" '2023-12-31 23:59' /)" "${lines[2]}"
}

@test "rm refuses an overlay in use, and removes it once it is not" {
	mk_overlay busy "$LOWER"
	echo data >"$OV/busy/upper/file"
	hold_lock busy
	run --separate-stderr "$NOOK" overlay rm busy
	expect_nook_error 125
	expect_eq "stderr" "nook: overlay rm busy: in use by a running sandbox" "$stderr"
	expect_eq "the upper layer is intact" data "$(cat "$OV/busy/upper/file")"
	[ -f "$OV/busy/meta" ]
	[ -f "$OV/busy/lock" ]
	release_lock
	run --separate-stderr "$NOOK" overlay rm busy
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stdout" "" "$output"
	[ ! -e "$OV/busy" ]
}

@test "rm removes mode-000 directories and symlinks, never what the symlinks point to" {
	local outside="$BATS_TEST_TMPDIR/outside"
	mkdir -p "$outside/dir"
	echo keep >"$outside/file"
	echo keep >"$outside/dir/inner"
	mk_overlay gone "$LOWER"
	mk_overlay other "$LOWER"
	local U="$OV/gone/upper"
	mkdir -p "$U/a/b/c" "$OV/gone/work/work"
	echo x >"$U/a/b/c/f"
	mknod "$OV/gone/work/work/#5e" c 0 0
	ln -s "$outside/file" "$U/file-link"
	ln -s "$outside/dir" "$U/dir-link"
	ln -s "$outside/dir" "$U/a/b/dir-link"
	ln "$outside/file" "$U/hardlink"
	mkfifo "$U/fifo"
	chmod 000 "$U/a/b/c" "$U/a/b" "$OV/gone/work/work"
	run --separate-stderr "$NOOK" overlay rm gone
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr"
	[ ! -e "$OV/gone" ]
	[ ! -L "$OV/gone" ]
	expect_eq "the file a symlink pointed to" keep "$(cat "$outside/file")"
	expect_eq "the directory a symlink pointed to" keep "$(cat "$outside/dir/inner")"
	expect_eq "the other overlay" "other" "$(ls "$OV")"
}

@test "rm removes a tree nested deeper than it keeps directories open, and without a lock" {
	mk_overlay deep "$LOWER"
	rm "$OV/deep/lock"
	local path="$OV/deep/upper" i
	for ((i = 0; i < 300; i++)); do path="$path/d"; done
	mkdir -p "$path"
	touch "$path/f"
	chmod 000 "$path"
	# 128 fds: fewer than a directory fd per level would need.
	# shellcheck disable=SC2016 # $0 is for bash -c
	run --separate-stderr bash -c 'ulimit -n 128 && exec "$0" overlay rm deep' "$NOOK"
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; return 1; }
	[ ! -e "$OV/deep" ]
}

@test "each wrong use is one nook: line and exit status 125" {
	mk_overlay there "$LOWER"
	local long
	long=$(printf 'a%.0s' {1..65})
	check() {
		local want="$1"
		shift
		run --separate-stderr "$NOOK" overlay "$@"
		expect_nook_error 125 || { echo "for: overlay $*" >&2; return 1; }
		expect_eq "stderr of overlay $*" "$want" "$stderr"
	}
	check "nook: overlay: missing subcommand (list, diff NAME or rm NAME; see 'nook overlay --help')"
	check "nook: overlay: unknown subcommand 'frob' (expected list, diff NAME or rm NAME)" frob
	check "nook: overlay list: unexpected argument 'x' (it takes only --json)" list x
	check "nook: overlay diff: missing NAME (see 'nook overlay --help')" diff
	check "nook: overlay rm: missing NAME (see 'nook overlay --help')" rm
	check "nook: overlay diff: unexpected argument 'more' (it takes one NAME)" diff there more
	check "nook: overlay rm: unexpected argument 'more' (it takes one NAME)" rm there more
	local bad
	for bad in tmp none . .. a/b '' "$long" 'sp ace' "../there"; do
		check "nook: overlay diff: invalid NAME '$bad' (1-64 letters, digits, '_', '.' and '-'; not tmp, none, . or ..)" diff "$bad"
		check "nook: overlay rm: invalid NAME '$bad' (1-64 letters, digits, '_', '.' and '-'; not tmp, none, . or ..)" rm "$bad"
	done
	check "nook: overlay diff: invalid NAME 'a\\x0ab' (1-64 letters, digits, '_', '.' and '-'; not tmp, none, . or ..)" diff $'a\nb'
	check "nook: overlay diff nope: no such overlay in $OV" diff nope
	check "nook: overlay rm nope: no such overlay in $OV" rm nope
	ln -s "$OV/there" "$OV/link"
	check "nook: overlay rm link: $OV/link is not an overlay directory" rm link
	[ -d "$OV/there/upper" ]
	rm "$OV/there/meta"
	check "nook: overlay diff there: cannot read its meta: No such file or directory" diff there
	printf 'driver fuse\n' >"$OV/there/meta"
	check "nook: overlay diff there: its meta names no lower layer" diff there
	printf 'lower %s\n' "$BATS_TEST_TMPDIR/no-such-lower" >"$OV/there/meta"
	check "nook: overlay diff there: cannot open its lower layer $BATS_TEST_TMPDIR/no-such-lower: No such file or directory" diff there
}

@test "nook help overlay and nook overlay --help print the usage and exit 0" {
	run --separate-stderr "$NOOK" help overlay
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_eq "first line" "Usage: nook overlay list [--json]" "${lines[0]}"
	expect_line "diff" "       nook overlay diff NAME" "$output"
	expect_line "rm" "       nook overlay rm NAME" "$output"
	local help="$output"
	run --separate-stderr "$NOOK" overlay --help
	expect_eq "exit status" 0 "$status"
	expect_eq "nook overlay --help is nook help overlay" "$help" "$output"
	run --separate-stderr "$NOOK" overlay diff -h
	expect_eq "exit status" 0 "$status"
	expect_eq "nook overlay diff -h is nook help overlay" "$help" "$output"
	run --separate-stderr "$NOOK" --help
	expect_match "nook --help lists overlay" 'overlay list \[--json\]\|diff NAME\|rm NAME +manage named overlays' \
		"$output"
}
