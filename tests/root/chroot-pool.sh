#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/root/chroot-pool.sh NOOK USER (as root): helpers/run-tests runs it after the suites.
#
# A user whose session root put in a chroot (a directory of the host's tree made the root,
# then runuser) cannot create a user namespace there (the kernel refuses it: a chroot could be
# left with the capabilities it gives), but can join one of the pool's (setns has no such
# check), and the pool's socket is in the runtime directory that the chroot shows. The
# sandbox's root is then the chroot's, and pid 1's mount namespace, copied from the caller's,
# holds the whole host tree around it: pid 1 must not make that copy the root in place (the
# clone and pivot_root leave only the chroot's tree). The payload has every capability of its
# user namespace (--userns=root) and no filter, and tries the classic escape: chroot into a
# directory, walk up past the root with "..", chroot there. It must find itself contained.
# Prints one line; exit status 0 when the escape failed, 1 when it worked or could not be tried.
set -euo pipefail

nook=$1 user=$2
uid=$(id -u "$user")
home=$(getent passwd "$user" | cut -d: -f6)
dir=$(mktemp -d /var/tmp/nook-chroot.XXXXXX)
# Searchable, as most directories around a chroot are: nothing but the escape stops a walk up.
chmod 0755 "$dir"
root=$dir/root
# Only outside the chroot: seen from inside, it means the escape worked.
marker=/nook-chroot-outside.$$

# Never rm -r: $root holds binds of the host's /usr, /etc, /home, ... until they are gone. A
# lazy unmount takes them out of the tree even while something still uses them; what is
# left is two empty directories and a file.
cleanup() {
	umount -R -l "$root" 2>/dev/null || true
	rm -f -- "$dir/err" "$marker"
	rmdir -- "$root" "$dir" 2>/dev/null || true
}
trap cleanup EXIT

fail() {
	echo "chroot-pool: $*"
	exit 1
}

as_user() {
	runuser -u "$user" -- env -i HOME="$home" PATH=/usr/bin:/bin XDG_RUNTIME_DIR="/run/user/$uid" "$@"
}

escape='
import os, sys
os.makedirs("/tmp/escape", exist_ok=True)
os.chroot("/tmp/escape")
for _ in range(64):
    os.chdir("..")
os.chroot(".")
print("escaped" if os.path.exists(sys.argv[1]) else "contained")
'

touch "$marker"
mkdir "$root"
mount -t tmpfs -o mode=0755 tmpfs "$root"
for d in usr etc proc dev sys run tmp var home; do
	mkdir "$root/$d"
	mount --rbind "/$d" "$root/$d"
done
for l in bin sbin lib lib32 lib64 libx32; do
	if [ -L "/$l" ]; then
		ln -s "$(readlink "/$l")" "$root/$l"
	fi
done

# The escape works from this chroot for whoever has CAP_SYS_CHROOT: root itself.
got=$(chroot "$root" python3 -c "$escape" "$marker") || fail "python3 failed in the chroot"
[ "$got" = escaped ] || fail "the escape did not work for root in the chroot ($got): nothing tested"

# A pool, started outside, with a root namespace ready (it makes them at idle priority).
as_user "$nook" run -q --userns=root --noprofile -- true || fail "nook failed outside the chroot"
# Without one nook would create a user namespace: refused in a chroot (exit status 125).
for ((i = 0; i < 100; i++)); do
	rc=0
	got=$(chroot "$root" runuser -u "$user" -- env -i HOME="$home" PATH=/usr/bin:/bin \
		XDG_RUNTIME_DIR="/run/user/$uid" "$nook" run -q --userns=root --noprofile \
		--seccomp=off -- python3 -c "$escape" "$marker" 2>"$dir/err") || rc=$?
	[ "$rc" -eq 125 ] || break
	sleep 0.1
done
[ "$rc" -ne 125 ] || fail "nook never ran in the chroot: $(cat "$dir/err")"
[ "$rc" -eq 0 ] || fail "the payload failed (exit status $rc): $(cat "$dir/err")"
[ "$got" = contained ] || fail "a payload with CAP_SYS_CHROOT left the chroot: $got"
echo "chroot-pool: contained"
