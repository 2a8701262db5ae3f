// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The fd-based mount API, as the mount list (mounts.c) and the overlay root (overlay.c) use
 * it: a filesystem or a copy of a tree is made detached and restricted while nothing can see
 * it yet, and only then attached, by fd, at a mount point opened inside the new root.
 * Failures die with one line naming what asked for the mount (m->origin).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/fsutil.h"

/* RESOLVE_IN_ROOT: a symlink planted in an image or a bound directory stays inside ROOT. */
int open_in_root(int root, const char *path, int flags)
{
	return openat2_retry(root, path, (uint64_t)(flags | O_CLOEXEC), 0,
			     RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

/* The spec's mount flags, as the mount API sets them and as statfs() reports them. */
static const struct {
	unsigned spec;
	uint64_t attr;
	unsigned long st;
} mount_flag_bits[] = {
	{MOUNT_F_RDONLY, MOUNT_ATTR_RDONLY, ST_RDONLY},
	{MOUNT_F_NOSUID, MOUNT_ATTR_NOSUID, ST_NOSUID},
	{MOUNT_F_NODEV, MOUNT_ATTR_NODEV, ST_NODEV},
	{MOUNT_F_NOEXEC, MOUNT_ATTR_NOEXEC, ST_NOEXEC},
};

uint64_t mount_attrs(unsigned flags)
{
	uint64_t a = 0;

	for (size_t i = 0; i < sizeof mount_flag_bits / sizeof mount_flag_bits[0]; i++)
		if (flags & mount_flag_bits[i].spec)
			a |= mount_flag_bits[i].attr;
	return a;
}

bool mount_has_flags(int fd, unsigned flags)
{
	struct statfs fs;
	unsigned long want = 0;

	for (size_t i = 0; i < sizeof mount_flag_bits / sizeof mount_flag_bits[0]; i++)
		if (flags & mount_flag_bits[i].spec)
			want |= mount_flag_bits[i].st;
	return fstatfs(fd, &fs) == 0 && (fs.f_flags & want) == want;
}

/* A detached copy of the host tree at SRC, with FLAGS applied to it and every submount. */
int mount_clone_tree(const struct mount_op *m)
{
	struct mount_attr attr = {.attr_set = mount_attrs(m->flags)};
	int fd;

	fd = open_tree(AT_FDCWD, m->src, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (fd < 0) {
		if (errno == ENOENT && (m->flags & MOUNT_F_OPTIONAL))
			return -1;
		die_errno("%s: cannot open %s", m->origin, m->src);
	}
	if (attr.attr_set &&
	    mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
		die_errno("%s: cannot restrict the mount of %s", m->origin, m->src);
	return fd;
}

/*
 * The tmpfs instances this sandbox made (the st_dev of each): what is created on them is gone
 * with the sandbox. A tmpfs of the host's bound in (/dev/shm, a /tmp on tmpfs, the tmpfs of a
 * sandbox nook runs in) outlives it like any other filesystem.
 */
static dev_t *own_tmpfs;
static size_t n_own_tmpfs;

bool on_own_tmpfs(int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return false;
	for (size_t i = 0; i < n_own_tmpfs; i++)
		if (own_tmpfs[i] == st.st_dev)
			return true;
	return false;
}

/*
 * The source a new filesystem FS (an fsopen fd) is named by, which /proc/self/mountinfo shows:
 * the spec's, else the kernel's "none". A ROOT (fuse-overlayfs) has a path there, not a name.
 */
void mount_set_source(int fs, const struct mount_op *m)
{
	if (m->kind == MOUNT_ROOT || !m->src)
		return;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "source", m->src, 0) < 0)
		die_errno("%s: source %s", m->origin, m->src);
}

/* A new, detached filesystem of TYPE with "key=value,flag" OPTIONS. */
int mount_new_fs(const struct mount_op *m, const char *type)
{
	struct stat st;
	autoclose int fs = fsopen(type, FSOPEN_CLOEXEC);
	autofree char *opts = m->options ? xstrdup(m->options) : NULL;
	char *save = NULL;
	int mnt;

	if (fs < 0)
		die_errno("%s: cannot create a %s filesystem for %s", m->origin, type, m->dest);
	mount_set_source(fs, m);
	if (m->kind == MOUNT_TMPFS) {
		char mode[16];

		snprintf(mode, sizeof mode, "%o", m->mode);
		if (fsconfig(fs, FSCONFIG_SET_STRING, "mode", mode, 0) < 0)
			die_errno("%s: tmpfs mode %s", m->origin, mode);
	}
	for (char *o = opts ? strtok_r(opts, ",", &save) : NULL; o;
	     o = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(o, '=');
		int r;

		if (eq) {
			*eq = '\0';
			r = fsconfig(fs, FSCONFIG_SET_STRING, o, eq + 1, 0);
		} else {
			r = fsconfig(fs, FSCONFIG_SET_FLAG, o, NULL, 0);
		}
		if (r < 0)
			die_errno("%s: %s option %s", m->origin, type, o);
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		die_errno("%s: cannot create a %s filesystem for %s", m->origin, type, m->dest);
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)mount_attrs(m->flags));
	if (mnt < 0)
		die_errno("%s: cannot mount %s at %s", m->origin, type, m->dest);
	if (strcmp(type, "tmpfs") == 0 && fstat(mnt, &st) == 0) {
		own_tmpfs = xreallocarray(own_tmpfs, n_own_tmpfs + 1, sizeof *own_tmpfs);
		own_tmpfs[n_own_tmpfs++] = st.st_dev;
	}
	return mnt;
}

/* Mount detached TREE on the mount point TARGET (an O_PATH fd). */
void mount_attach(int tree, int target, const struct mount_op *m)
{
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		die_errno("%s: cannot mount at %s", m->origin, m->dest);
}
