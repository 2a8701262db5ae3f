#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# tests/root/nss-user.sh NOOK USER (as root): helpers/run-tests runs it after the suites.
#
# nook is linked statically (meson's static_libc), and an NSS module loaded into a static
# program brings the shared libc with it: getpwuid() there crashed nook (SIGSEGV) for a user
# that /etc/passwd does not list, where nsswitch.conf names libnss-systemd's module after the
# files. nook reads /etc/passwd itself where the files come first, and asks getent(1)
# otherwise (src/host/caller.c). Each case runs nook as a user, with a nsswitch.conf of its
# own bound over /etc's in a mount namespace of this script's:
#   - an id no source lists, "files systemd": nook runs, without a name (a one-id map);
#   - the same id, "systemd files": the same;
#   - USER (in /etc/passwd, with a subordinate range), "systemd files": getent names it, and
#     the spec maps its range (uid-map ... 100000-style lines), as getpwuid would have.
# Prints one line; exit status 0 when every case held, 1 otherwise.
set -euo pipefail
trap 'echo "nss-user: line $LINENO: a command failed"' ERR

user=$2
dir=$(mktemp -d /tmp/nook-nss.XXXXXX)
trap 'rm -f -- "$dir/nook" "$dir/nsswitch.conf" "$dir/out"; rmdir -- "$dir"' EXIT
# A copy any user can run: the build's directory may be its owner's alone.
chmod 0755 "$dir"
cp -- "$1" "$dir/nook"
nook=$dir/nook conf=$dir/nsswitch.conf out=$dir/out

fail() {
	echo "nss-user: $*"
	exit 1
}

# The module must be there, or the first case would not try what crashed.
# (awk reads it all: ldconfig killed by SIGPIPE would end the script, pipefail and set -e.)
module=$(ldconfig -p | awk '$1 == "libnss_systemd.so.2" && !m { m = $NF } END { print m }')
[ -n "$module" ] || fail "libnss_systemd.so.2 is not installed (package libnss-systemd)"
uid=4242
while getent passwd "$uid" >/dev/null; do uid=$((uid + 1)); done
: >"$conf"
chmod 0644 "$conf"

# run_as ID SOURCES: nook run --dry-run as ID (its own group), with "passwd: SOURCES".
run_as() {
	printf 'passwd: %s\ngroup: files\n' "$2" >"$conf"
	# shellcheck disable=SC2016 # the inner shell expands its own arguments
	unshare -m sh -c 'mount --bind "$1" /etc/nsswitch.conf && cd / &&
		exec env -i PATH=/usr/bin:/bin HOME=/ setpriv --reuid="$2" --regid="$2" \
			--clear-groups "$3" run --noprofile --dry-run -- true' sh "$conf" "$1" "$nook" \
		>"$out" 2>&1
}

for sources in "files systemd" "systemd files"; do
	run_as "$uid" "$sources" || fail "uid $uid (no passwd entry), passwd: $sources: exit status $?: $(head -3 "$out")"
	grep -q "has no subordinate ids" "$out" ||
		fail "uid $uid, passwd: $sources: no one-id map: $(head -3 "$out")"
done
user_uid=$(id -u "$user")
run_as "$user_uid" "systemd files" ||
	fail "$user, passwd: systemd files: exit status $?: $(head -3 "$out")"
# The range of /etc/subuid, found by the name getent gave: more than one line of uid-map.
[ "$(grep -c '^uid-map ' "$out")" -gt 1 ] ||
	fail "$user, passwd: systemd files: its subordinate range is not mapped: $(grep '^uid-map' "$out")"
echo "nss-user: nook ran for an id without an entry and for $user named by NSS first ($module)"
