#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The filesystem: read-only host root, fresh /tmp and /dev, binds, tmpfs, their order,
# symlinks planted at destinations, --rootfs, the working directory and the environment.
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	HOST_TMP_FILE=""
	HOME_DIR=""
}

teardown() {
	[ -z "$HOST_TMP_FILE" ] || rm -f "$HOST_TMP_FILE"
	[ -z "$HOME_DIR" ] || rm -rf "$HOME_DIR"
	return 0
}

# The mount at PATH inside, from mountinfo: "mount-point options" (last match: the top one).
# shellcheck disable=SC2016 # for the awk and the shell inside the sandbox
MOUNTINFO_AT='awk -v p="$0" '"'"'$5 == p { line = $5 " " $6 } END { print line }'"'"' /proc/self/mountinfo'

# ---- the host root ----

@test "the host root is read-only inside: /usr, /etc, \$HOME cannot be written" {
	local tag
	tag=nook-ro-$(unique_tag)
	[ -d "$HOME" ] && [ -w "$HOME" ] || skip "HOME ($HOME) is not a writable directory"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" write "/usr/$tag" x
	expect_eq "write /usr/$tag" "EROFS" "$output"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" write "$HOME/$tag" x
	expect_eq "write \$HOME/$tag" "EROFS" "$output"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" mkdir "$HOME/$tag"
	expect_eq "mkdir \$HOME/$tag" "EROFS" "$output"
	run --separate-stderr nook_t run -- sh -c "touch $HOME/$tag"
	[ "$status" -ne 0 ] || { echo "touch \$HOME/$tag succeeded" >&2; false; }
	[ ! -e "$HOME/$tag" ] || { rm -rf "${HOME:?}/$tag"; echo "\$HOME/$tag appeared on the host" >&2; false; }
	# Also a file the caller may write on the host: the mount, not the permissions, refuses.
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" open "$HOME/.profile" w
	[ ! -e "$HOME/.profile" ] || expect_eq "open \$HOME/.profile for writing" "EROFS" "$output"
}

@test "the root and every mount under it are read-only, nosuid and nodev (mountinfo)" {
	run --separate-stderr nook_t run -- sh -c 'cat /proc/self/mountinfo'
	expect_eq "exit status" 0 "$status"
	local root
	root=$(awk '$5 == "/" { print $6 }' <<<"$output" | tail -n1)
	expect_match "options of /" '(^|,)ro(,|$)' "$root"
	expect_match "options of /" 'nosuid' "$root"
	expect_match "options of /" 'nodev' "$root"
	# Every mount of the host tree, /sys and /boot... included, not only the top.
	local bad
	# /run is the sandbox's own tmpfs (its runtime dir in it), like /tmp.
	bad=$(awk '$5 !~ "^/(proc|dev|tmp|run)(/|$)" && $6 !~ /(^|,)ro(,|$)/ { print $5, $6 }' <<<"$output")
	expect_eq "writable host mounts" "" "$bad"
}

# ---- /tmp and /dev ----

@test "/tmp inside is a fresh, empty, writable tmpfs; nothing of it reaches the host" {
	HOST_TMP_FILE=$(mktemp /tmp/nook-host-XXXXXX)
	local name
	name=$(basename "$HOST_TMP_FILE")
	run --separate-stderr nook_t run -- sh -c \
		"ls -A /tmp; echo --; stat -f -c %T /tmp; echo inside > /tmp/$name.new && cat /tmp/$name.new"
	expect_eq "exit status" 0 "$status"
	expect_eq "ls -A /tmp; fs type; write" "--
tmpfs
inside" "$output"
	[ ! -e "/tmp/$name.new" ] || { rm -f "/tmp/$name.new"; echo "/tmp/$name.new reached the host" >&2; false; }
}

@test "/dev holds exactly the minimal set" {
	run --separate-stderr nook_t run -- ls -A /dev
	expect_eq "exit status" 0 "$status"
	expect_eq "ls -A /dev" ".nook fd full null ptmx pts random shm stderr stdin stdout tty urandom zero" \
		"$(words "$output")"
	# Nothing of the host's /dev beyond that: no disk, no kmsg, no mem.
	# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
	run --separate-stderr nook_t run -- sh -c \
		'for d in sda vda nvme0n1 kmsg mem kvm loop0 console tty0 fuse; do [ -e /dev/$d ] && echo $d; done; true'
	expect_eq "host devices visible" "" "$output"
}

@test "/dev/.nook, the file that tells a program it runs in nook: empty, read-only, in every sandbox" {
	local img
	run --separate-stderr nook_t run -- sh -c \
		'[ -f /dev/.nook ] && [ ! -L /dev/.nook ] && wc -c < /dev/.nook; stat -f -c %T /dev/.nook'
	expect_eq "over the host" "0 tmpfs" "$(words "$output")" || return 1
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" write /dev/.nook x
	expect_eq "write /dev/.nook" "EROFS" "$output" || return 1
	run --separate-stderr nook_t run --userns=root -- sh -c 'rm -f /dev/.nook; [ -f /dev/.nook ] && echo there'
	expect_eq "root inside cannot remove it" "there" "$output" || return 1
	# On the host it is not there, and a user (not root) cannot make it. Inside nook (the
	# suites run nested) the host is a sandbox: there it is.
	if [ "${NOOK_TEST_NESTED:-}" = 1 ]; then
		[ -f /dev/.nook ] || { echo "no /dev/.nook in the sandbox the suite runs in" >&2; return 1; }
	else
		[ ! -e /dev/.nook ] || { echo "/dev/.nook exists on the host" >&2; return 1; }
	fi
	if [ "$(id -u)" -ne 0 ] && touch /dev/.nook 2>/dev/null; then
		rm -f /dev/.nook
		echo "the user could create /dev/.nook on the host" >&2
		return 1
	fi
	need_dev fuse
	img=$(busybox_image)
	run --separate-stderr nook_t run --rootfs "$img" -- /bin/sh -c '[ -f /dev/.nook ] && echo there'
	expect_eq "in an image" "there" "$output" || return 1
}

@test "/dev/null, /dev/zero, /dev/urandom work; writing /dev/full fails with ENOSPC" {
	run --separate-stderr nook_t run -- sh -c \
		'echo gone > /dev/null && wc -c < /dev/null; head -c 4 /dev/zero | od -An -tx1; head -c 16 /dev/urandom | wc -c'
	expect_eq "exit status" 0 "$status"
	expect_eq "null, zero, urandom" "0 00 00 00 00 16" "$(words "$output")"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" write /dev/full x
	expect_eq "write /dev/full" "ENOSPC" "$output"
}

@test "the payload cannot add files to /dev" {
	# Owned by root inside: a single-id sandbox has no root, and its /dev is the caller's.
	need_subids
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" write /dev/evil x
	expect_eq "create /dev/evil" "EACCES" "$output"
	run --separate-stderr nook_t run -- sh -c 'ls -ld /dev | cut -d" " -f1'
	expect_eq "mode of /dev" "drwxr-xr-x" "$output"
}

@test "/dev/pts is a private devpts: a pty opens and passes data; not the host's instance" {
	run --separate-stderr nook_t run -- ls -A /dev/pts
	expect_eq "ls -A /dev/pts (fresh instance)" "ptmx" "$output"
	run --separate-stderr nook_t run -- "$NOOK_PYTHON" "$NOOK_PYPROBE" pty
	expect_eq "exit status" 0 "$status"
	expect_eq "pty" "ok /dev/pts/0 ping" "$output"
	if [ -d /dev/pts ]; then
		run --separate-stderr nook_t run -- stat -c %d /dev/pts
		[ "$output" != "$(stat -c %d /dev/pts)" ] ||
			{ echo "/dev/pts inside is the host's devpts (device $output)" >&2; false; }
	fi
	run --separate-stderr nook_t run -- readlink /dev/ptmx
	expect_eq "/dev/ptmx" "pts/ptmx" "$output"
}

@test "/dev/shm is a writable tmpfs of the sandbox" {
	run --separate-stderr nook_t run -- sh -c 'stat -f -c %T /dev/shm; echo x > /dev/shm/f && cat /dev/shm/f'
	expect_eq "exit status" 0 "$status"
	expect_eq "/dev/shm" "tmpfs x" "$(words "$output")"
}

# ---- --bind, --ro-bind, --tmpfs ----

@test "--bind SRC:DEST: the host dir is writable at DEST and writes are visible on the host" {
	mkdir "$T/src"
	echo from-host >"$T/src/in"
	run --separate-stderr nook_t run --bind "$T/src:/tmp/a/b/dest" -- \
		sh -c 'cat /tmp/a/b/dest/in && echo from-sandbox > /tmp/a/b/dest/out'
	expect_eq "exit status" 0 "$status"
	expect_eq "read inside" "from-host" "$output"
	expect_eq "written inside, read on the host" "from-sandbox" "$(cat "$T/src/out")"
}

@test "--bind SRC (one path) binds SRC at the same path" {
	mkdir "$T/same"
	run --separate-stderr nook_t run --bind "$T/same" -- sh -c "echo x > $T/same/f"
	expect_eq "exit status" 0 "$status"
	expect_eq "on the host" "x" "$(cat "$T/same/f")"
}

@test "--bind of a relative SRC is relative to the caller's directory" {
	mkdir "$T/rel"
	echo rel >"$T/rel/f"
	run --separate-stderr nook_t run --bind rel:/tmp/r -- cat /tmp/r/f
	expect_eq "exit status" 0 "$status"
	expect_eq "content" "rel" "$output"
}

@test "binds land where asked: the mount is at DEST, over an existing directory too" {
	mkdir "$T/w"
	touch "$T/w/marker"
	local dest=/mnt
	[ -d "$dest" ] || dest=/srv
	[ -d "$dest" ] || skip "neither /mnt nor /srv exists on the host"
	run --separate-stderr nook_t run --bind "$T/w:$dest" -- sh -c "ls -A $dest; $MOUNTINFO_AT" "$dest"
	expect_eq "exit status" 0 "$status"
	expect_eq "ls -A $dest" "marker" "${lines[0]}"
	expect_match "mount point in mountinfo" "^$dest rw" "${lines[1]}"
	# The mount is at DEST exactly, not at its parent.
	run --separate-stderr nook_t run --bind "$T/w:$dest" -- sh -c "$MOUNTINFO_AT" /
	expect_match "root still ro" '^/ ro' "$output"
}

@test "--ro-bind: readable, not writable; the host dir is unchanged" {
	mkdir "$T/ro"
	echo data >"$T/ro/f"
	run --separate-stderr nook_t run --ro-bind "$T/ro:/tmp/ro" -- sh -c \
		"cat /tmp/ro/f; $NOOK_PYTHON $NOOK_PYPROBE write /tmp/ro/f changed; $NOOK_PYTHON $NOOK_PYPROBE write /tmp/ro/new x"
	expect_eq "exit status" 0 "$status"
	expect_eq "read, overwrite, create" "data EROFS EROFS" "$(words "$output")"
	expect_eq "host file" "data" "$(cat "$T/ro/f")"
	[ ! -e "$T/ro/new" ] || { echo "$T/ro/new was created" >&2; false; }
}

@test "--bind and --ro-bind of a file, onto an existing file and onto a new path" {
	echo one >"$T/file"
	echo two >"$T/rofile"
	run --separate-stderr nook_t run --bind "$T/file:/tmp/sub/file" --ro-bind "$T/rofile:/etc/hostname" -- \
		sh -c "cat /tmp/sub/file /etc/hostname; [ -f /tmp/sub/file ] && echo regular; echo changed > /tmp/sub/file; $NOOK_PYTHON $NOOK_PYPROBE write /etc/hostname x"
	expect_eq "exit status" 0 "$status"
	expect_eq "file binds" "one two regular EROFS" "$(words "$output")"
	expect_eq "host file written through the bind" "changed" "$(cat "$T/file")"
	expect_eq "ro file unchanged" "two" "$(cat "$T/rofile")"
}

@test "--bind keeps nosuid and nodev on the bound tree" {
	mkdir "$T/b"
	run --separate-stderr nook_t run --bind "$T/b:/tmp/b" -- sh -c "$MOUNTINFO_AT" /tmp/b
	expect_eq "exit status" 0 "$status"
	expect_match "options" '^/tmp/b rw,.*nosuid' "$output"
	expect_match "options" 'nodev' "$output"
}

@test "--tmpfs DEST: empty, writable, hides what was there; the host is untouched" {
	run --separate-stderr nook_t run --tmpfs /usr/share -- \
		sh -c 'ls -A /usr/share; stat -f -c %T /usr/share; echo w > /usr/share/x && cat /usr/share/x'
	expect_eq "exit status" 0 "$status"
	expect_eq "--tmpfs /usr/share" "tmpfs w" "$(words "$output")"
	[ ! -e /usr/share/x ] || { echo "/usr/share/x appeared on the host" >&2; false; }
	[ -d "$HOME" ] || return 0
	run --separate-stderr nook_t run --tmpfs "$HOME" -- sh -c "ls -A $HOME; touch $HOME/t && echo ok"
	expect_eq "--tmpfs \$HOME" "ok" "$output"
	[ ! -e "$HOME/t" ] || { rm -f "$HOME/t"; echo "\$HOME/t appeared on the host" >&2; false; }
}

@test "the order of mount options is respected: a later --tmpfs hides an earlier --bind, and back" {
	mkdir "$T/a"
	echo from-bind >"$T/a/f"
	run --separate-stderr nook_t run --bind "$T/a:/tmp/x" --tmpfs /tmp/x -- ls -A /tmp/x
	expect_eq "exit status" 0 "$status"
	expect_eq "--bind then --tmpfs" "" "$output"
	run --separate-stderr nook_t run --tmpfs /tmp/x --bind "$T/a:/tmp/x" -- ls -A /tmp/x
	expect_eq "exit status" 0 "$status"
	expect_eq "--tmpfs then --bind" "f" "$output"
	# Two binds on one path: the last wins.
	mkdir "$T/b"
	echo from-b >"$T/b/g"
	run --separate-stderr nook_t run --ro-bind "$T/b:/tmp/x" --bind "$T/a:/tmp/x" -- ls -A /tmp/x
	expect_eq "--ro-bind b then --bind a" "f" "$output"
	run --separate-stderr nook_t run --bind "$T/a:/tmp/x" --ro-bind "$T/b:/tmp/x" -- ls -A /tmp/x
	expect_eq "--bind a then --ro-bind b" "g" "$output"
}

@test "a user mount can cover a default one (--tmpfs /dev/shm, --bind over /tmp)" {
	mkdir "$T/tmp"
	echo t >"$T/tmp/f"
	run --separate-stderr nook_t run --bind "$T/tmp:/tmp" -- cat /tmp/f
	expect_eq "--bind over /tmp" "t" "$output"
}

@test "--bind of a missing source: 125, one line naming it; nothing is created" {
	run --separate-stderr nook_t run --bind "$T/missing:/tmp/m" -- true
	expect_nook_error 125
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_match "names the source" "$T/missing" "$stderr"
	[ ! -e "$T/missing" ] || { echo "$T/missing was created" >&2; false; }
}

# ---- symlinks planted at destinations ----

# The host dir the planted links point to, $OUT. Not under /tmp when possible: nook builds the
# new root while it is attached over its own /tmp, where a link followed the host's way could
# not reach a target under /tmp anyway; a target under $HOME it could.
make_outside() {
	if [ -d "$HOME" ] && [ -w "$HOME" ] && [[ "$HOME" != /tmp/* ]]; then
		OUT=$(mktemp -d "$HOME/.nook-test-outside.XXXXXX")
		HOME_DIR="$OUT"
	else
		OUT="$T/outside"
		mkdir "$OUT"
	fi
	echo host-canary >"$OUT/canary"
}

# An image in $T/img with links that, followed on the host, lead to $OUT: absolute with
# "..", relative with many "..", and one to $OUT's parent. A bind source in $T/x.
plant_image() {
	make_outside
	busybox_image_copy "$T/img"
	mkdir -p "$T/x"
	echo bind-src >"$T/x/src-file"
	ln -s "/../../../..$OUT" "$T/img/evil"
	ln -s "../../../../../../../../../../..$OUT" "$T/img/evil-rel"
	ln -s "/../../..$(dirname "$OUT")" "$T/img/evil-dir"
}

# The host dir must be exactly as planted: nothing created in it, nothing mounted over it.
outside_untouched() {
	expect_eq "host dir $OUT ($OVNAME)" "canary" "$(ls -A "$OUT")"
	expect_eq "host canary ($OVNAME)" "host-canary" "$(cat "$OUT/canary")"
}

# With --rootfs the root is a throwaway overlay by default, where mount points can be made;
# with --overlay=none it is the read-only image. The links are tried with both, the default
# (fuse-overlayfs) last.
OVERLAY_MODES="none default"
set_overlay() {
	OVNAME="overlay $1"
	case "$1" in
	default)
		need_dev fuse
		OV=()
		;;
	*) OV=("--overlay=$1") ;;
	esac
}

@test "symlink at a --tmpfs destination (absolute, relative): not followed out of the image" {
	plant_image
	local link ov
	for ov in $OVERLAY_MODES; do
		set_overlay "$ov"
		for link in evil evil-rel; do
			run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --tmpfs "/$link" -- /bin/sh -c "ls -A /$link"
			outside_untouched
			# Either refused, or mounted inside the image; never over the host's dir.
			if [ "$status" -ne 0 ]; then
				expect_nook_error 125
			else
				expect_eq "/$link inside ($OVNAME)" "" "$output"
			fi
			# A new mount point behind the link: followed on the host, it would appear there.
			run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --tmpfs "/$link/sub" -- /bin/true
			outside_untouched
			[ "$status" -eq 0 ] || expect_nook_error 125
		done
	done
}

@test "symlink at a --tmpfs destination: when its target exists in the image, the mount lands there" {
	plant_image
	mkdir -p "$T/img$OUT"
	echo image-canary >"$T/img$OUT/image-canary"
	local link ov
	for ov in $OVERLAY_MODES; do
		set_overlay "$ov"
		for link in evil evil-rel; do
			run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --tmpfs "/$link" -- /bin/sh -c \
				"ls -A $OUT; echo -; stat -f -c %T $OUT"
			expect_eq "exit status ($OVNAME)" 0 "$status" || { echo "stderr: $stderr" >&2; false; }
			expect_eq "the image's $OUT is the tmpfs ($OVNAME)" "- tmpfs" "$(words "$output")"
			outside_untouched
			expect_eq "image dir on the host" "image-canary" "$(ls -A "$T/img$OUT")"
		done
	done
}

@test "symlink on the way to a --bind destination (evil/sub): nothing created or mounted on the host" {
	plant_image
	local link ov
	for ov in $OVERLAY_MODES; do
		set_overlay "$ov"
		for link in evil evil-rel; do
			run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --bind "$T/x:/$link/sub" -- \
				/bin/sh -c "ls -A /$link/sub"
			outside_untouched
			if [ "$status" -ne 0 ]; then
				expect_nook_error 125
			else
				expect_eq "/$link/sub inside ($OVNAME)" "src-file" "$output"
			fi
			run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --bind "$T/x/src-file:/$link/file" -- /bin/true
			outside_untouched
		done
	done
	# With the mount point present in the image: the bind lands in the image.
	mkdir -p "$T/img$OUT/sub"
	for ov in $OVERLAY_MODES; do
		set_overlay "$ov"
		run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --bind "$T/x:/evil/sub" -- \
			/bin/sh -c "ls -A $OUT/sub"
		expect_eq "exit status ($OVNAME)" 0 "$status" || { echo "stderr: $stderr" >&2; false; }
		expect_eq "bound inside the image ($OVNAME)" "src-file" "$output"
		outside_untouched
		expect_eq "image dir on the host" "" "$(ls -A "$T/img$OUT/sub")"
	done
}

@test "a destination under a symlinked directory (evil-dir/OUT/deep) stays in the image" {
	plant_image
	local base ov
	base=$(basename "$OUT")
	for ov in $OVERLAY_MODES; do
		set_overlay "$ov"
		run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --tmpfs "/evil-dir/$base/deep" -- /bin/true
		outside_untouched
		run --separate-stderr nook_t run "${OV[@]}" --rootfs "$T/img" --bind "$T/x:/evil-dir/$base/deeper/sub" -- /bin/true
		outside_untouched
	done
}

@test "host root: a symlink inside a bound dir does not lead a later mount out of the sandbox" {
	# $T/w/link points to the host dir $OUT. Inside, $OUT is part of the read-only root (or
	# hidden under the fresh /tmp): a mount point cannot be made there, and must not be made
	# on the host instead.
	make_outside
	OVNAME="host root"
	mkdir -p "$T/w"
	ln -s "$OUT" "$T/w/link"
	run --separate-stderr nook_t run --bind "$T/w:/tmp/w" --tmpfs /tmp/w/link/sub -- true
	outside_untouched
	run --separate-stderr nook_t run --bind "$T/w:/tmp/w" --bind "$T/w:/tmp/w/link/sub2" -- true
	outside_untouched
	run --separate-stderr nook_t run --bind "$T/w:/tmp/w" --tmpfs /tmp/w/link -- true
	outside_untouched
	expect_eq "the link itself" "$OUT" "$(readlink "$T/w/link")"
}

# ---- --rootfs ----

@test "--rootfs with the busybox image: the image's files; writes never reach the image" {
	need_dev fuse
	local img
	img=$(busybox_image)
	run --separate-stderr nook_t run --rootfs "$img" -- /bin/sh -c 'cat /etc/passwd'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; false; }
	expect_eq "/etc/passwd" "$(cat "$img/etc/passwd")" "$output"
	# The default root is a throwaway overlay: writes may succeed inside, and are discarded.
	local before
	before=$(cat "$img/etc/passwd")
	run --separate-stderr nook_t run --rootfs "$img" -- /bin/sh -c \
		'echo evil >> /etc/passwd; touch /etc/x /x; true'
	expect_eq "image passwd on the host" "$before" "$(cat "$img/etc/passwd")"
	[ ! -e "$img/etc/x" ] && [ ! -e "$img/x" ] || { echo "a file appeared in the image" >&2; false; }
	run --separate-stderr nook_t run --rootfs "$img" -- /bin/sh -c 'cat /etc/x 2>/dev/null; echo next-run'
	expect_eq "nothing kept from one run to the next" "next-run" "$output"
}

@test "--rootfs --overlay=none: the image is read-only" {
	local img
	img=$(busybox_image)
	run --separate-stderr nook_t run --overlay=none --rootfs "$img" -- /bin/sh -c \
		'cat /etc/passwd >/dev/null && echo read; touch /etc/x 2>/dev/null && echo wrote; touch /x 2>/dev/null && echo wrote-root; echo done'
	expect_eq "exit status" 0 "$status"
	expect_eq "read, writes refused" "read done" "$(words "$output")"
	[ ! -e "$img/etc/x" ] && [ ! -e "$img/x" ] || { echo "a file appeared in the image" >&2; false; }
}

@test "--rootfs of an image under /tmp works with the default overlay" {
	need_dev fuse
	busybox_image_copy "$T/img"
	[[ "$T/img" == /tmp/* ]] || skip "BATS_TEST_TMPDIR is not under /tmp"
	run --separate-stderr nook_t run --rootfs "$T/img" -- /bin/sh -c 'echo ok'
	expect_eq "exit status" 0 "$status" || { echo "stderr: $stderr" >&2; false; }
	expect_eq "output" "ok" "$output"
}

@test "--rootfs: the host's files are not visible; /proc, /dev and /tmp are the sandbox's" {
	need_dev fuse
	local img
	img=$(busybox_image)
	run --separate-stderr nook_t run --rootfs "$img" -- /bin/sh -c \
		'[ -e /usr/bin/python3 ] && echo host-python; [ -d /home/nooktest ] && echo host-home; ls -A /dev | wc -l; ls -A /tmp | wc -l; cat /proc/1/cmdline | tr "\0" " "'
	expect_eq "exit status" 0 "$status"
	expect_eq "files" "14 0" "${lines[0]} ${lines[1]}"
	expect_match "pid 1" "nook" "${lines[2]}"
}

@test "--rootfs of a missing dir or of a regular file: 125 and one 'nook:' line" {
	run --separate-stderr nook_t run --rootfs "$T/nonexistent" -- /bin/true
	expect_nook_error 125
	echo file >"$T/file"
	run --separate-stderr nook_t run --rootfs "$T/file" -- /bin/true
	expect_nook_error 125
}

@test "--rootfs: a relative path is relative to the caller's directory" {
	need_dev fuse
	busybox_image_copy "$T/img"
	run --separate-stderr nook_t run --rootfs img -- /bin/sh -c 'echo ok'
	expect_eq "exit status" 0 "$status"
	expect_eq "output" "ok" "$output"
}

# ---- working directory ----

@test "--chdir DIR starts the payload in DIR; a missing DIR is 125" {
	run --separate-stderr nook_t run --chdir /usr/share -- pwd
	expect_eq "exit status" 0 "$status"
	expect_eq "pwd" "/usr/share" "$output"
	run --separate-stderr nook_t run --chdir /nonexistent/dir -- pwd
	expect_nook_error 125
	expect_match "names the dir" '/nonexistent/dir' "$stderr"
	# A directory that exists only inside the sandbox.
	run --separate-stderr nook_t run --tmpfs /tmp/made --chdir /tmp/made -- pwd
	expect_eq "--chdir into a --tmpfs" "/tmp/made" "$output"
}

@test "--chdir to a file is 125" {
	run --separate-stderr nook_t run --chdir /etc/passwd -- pwd
	expect_nook_error 125
}

@test "default cwd: the caller's cwd when it is visible inside" {
	[ -d "$HOME" ] && [ -w "$HOME" ] || skip "HOME ($HOME) is not a writable directory"
	HOME_DIR=$(mktemp -d "$HOME/nook-cwd.XXXXXX")
	cd "$HOME_DIR"
	run --separate-stderr nook_t run -- pwd
	expect_eq "exit status" 0 "$status"
	expect_eq "pwd" "$HOME_DIR" "$output"
	cd /usr/share
	run --separate-stderr nook_t run -- pwd
	expect_eq "pwd from /usr/share" "/usr/share" "$output"
}

@test "default cwd: / when the caller's cwd is not visible (--rootfs, or under the host's /tmp)" {
	local img
	mkdir "$T/here"
	cd "$T/here"
	run --separate-stderr nook_t run -- pwd
	expect_eq "pwd from a dir under the host's /tmp" "/" "$output"
	expect_eq "stderr" "" "$stderr"
	need_dev fuse
	img=$(busybox_image)
	cd /usr/share
	run --separate-stderr nook_t run --rootfs "$img" -- /bin/sh -c pwd
	expect_eq "exit status" 0 "$status"
	expect_eq "pwd with --rootfs" "/" "$output"
}

# ---- environment ----

@test "--env K=V sets, --unsetenv K removes, the rest passes through unchanged" {
	export NOOK_T_PASS="pass me" NOOK_T_DROP=drop NOOK_T_OVER=old
	# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
	run --separate-stderr nook_t run --env NOOK_T_NEW=new --env NOOK_T_OVER=new \
		--unsetenv NOOK_T_DROP --env 'NOOK_T_EQ=a=b' -- sh -c \
		'echo "$NOOK_T_PASS|$NOOK_T_NEW|$NOOK_T_OVER|${NOOK_T_DROP-unset}|$NOOK_T_EQ"'
	expect_eq "exit status" 0 "$status"
	expect_eq "variables" "pass me|new|new|unset|a=b" "$output"
}

@test "the environment is exactly the caller's, plus the edits and its own runtime dir" {
	export NOOK_T_A=1 NOOK_T_B=2
	local want got
	# "_" is the shell's: the path of the last command it started.
	want=$( (env -0 | grep -zv -e '^NOOK_T_B=' -e '^_=' -e '^XDG_RUNTIME_DIR='
		printf 'XDG_RUNTIME_DIR=/run/user/%s\0' "$(id -u)") | sort -z | tr '\0' '\n')
	got=$(nook_t run --unsetenv NOOK_T_B -- env -0 | grep -zv '^_=' | sort -z | tr '\0' '\n')
	[ "$want" = "$got" ] || {
		echo "environment: < outside, > inside" >&2
		diff <(echo "$want") <(echo "$got") >&2
		false
	}
}

@test "--env: later edits win; --unsetenv then --env sets" {
	run --separate-stderr nook_t run --env NOOK_T=1 --env NOOK_T=2 -- printenv NOOK_T
	expect_eq "--env twice" "2" "$output"
	run --separate-stderr nook_t run --env NOOK_T=1 --unsetenv NOOK_T --env NOOK_T=3 -- printenv NOOK_T
	expect_eq "set, unset, set" "3" "$output"
	run --separate-stderr nook_t run --env NOOK_T=1 --unsetenv NOOK_T -- printenv NOOK_T
	expect_eq "set, unset: status" 1 "$status"
}
