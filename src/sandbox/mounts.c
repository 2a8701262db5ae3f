// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sandbox's filesystem, built in the child's own mount namespace with the fd-based mount
 * API: every host tree is cloned while host paths still mean what the caller meant, and every
 * destination is opened inside the new root with RESOLVE_IN_ROOT, so a symlink planted in an
 * image or a bound directory resolves inside the sandbox, never out of it. Then pivot_root;
 * or, for a root over the host's / as it is, the copy of the host's tree that clone() gave
 * pid 1 is made that root in place (in_place).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

/* Where the new root is attached while it is built: any directory of our private tree. */
#define STAGING "/tmp"

/* The root is pid 1's own copy of the host's tree, made the spec's root where it is. */
static bool root_in_place;

/* Split "/a/b/c" into a freshly allocated parent "/a/b" and a pointer to "c". */
static char *split_parent(const char *path, const char **base)
{
	char *parent = xstrdup(path);
	char *slash;

	/* Trailing slashes name the same thing. */
	for (size_t len = strlen(parent); len > 1 && parent[len - 1] == '/'; len--)
		parent[len - 1] = '\0';
	slash = strrchr(parent, '/');
	*base = path + (slash - parent) + 1;
	if (slash == parent)
		parent[1] = '\0';
	else
		*slash = '\0';
	return parent;
}

/*
 * Hold PATH inside ROOT for the sandbox's life (traces_hold), and, when it is a placeholder
 * another nook made, the placeholders above it. -1 with EAGAIN: a guard removed it meanwhile.
 * Nothing on a tmpfs of the sandbox's own needs it (on_own_tmpfs): nothing there outlives
 * the sandbox, and it costs five calls a mount point (the base sandbox's /dev has a dozen).
 */
static int hold(int root, const char *path, enum trace_use use)
{
	autofree char *parent = NULL;
	autoclose int pfd = -1;
	const char *base;
	int r;

	parent = split_parent(path, &base);
	if (strcmp(parent, path) == 0)
		return 0;
	pfd = open_in_root(root, parent, O_PATH | O_DIRECTORY);
	if (pfd < 0)
		return 0;
	r = traces_hold(pfd, base, use);
	if (r == 1)
		return hold(root, parent, TRACE_PATH) < 0 ? -1 : 0;
	return r;
}

/*
 * Open directory PATH inside ROOT, creating what is missing of it (mode 0755); held as USE
 * says when it is there already.
 */
static int mkdirs_once(int root, const char *path, enum trace_use use)
{
	autofree char *parent = NULL;
	autoclose int pfd = -1;
	const char *base;
	int fd;

	fd = open_in_root(root, path, O_PATH | O_DIRECTORY);
	if (fd >= 0) {
		if (!on_own_tmpfs(fd) && hold(root, path, use) < 0) {
			close(fd);
			return -1;
		}
		return fd;
	}
	if (errno != ENOENT)
		return fd;
	parent = split_parent(path, &base);
	if (strcmp(parent, path) == 0)
		return -1;
	pfd = mkdirs_once(root, parent, TRACE_PATH);
	if (pfd < 0)
		return -1;
	traces_announce(pfd, base);
	if (mkdirat(pfd, base, 0755) == 0) {
		traces_note(pfd, base);
		use = TRACE_CREATED;
	} else if (errno != EEXIST) {
		return -1;
	}
	if (hold(root, path, use) < 0)
		return -1;
	return open_in_root(root, path, O_PATH | O_DIRECTORY);
}

/* Guards only remove: after one took what we were about to use, the next try makes it anew. */
#define HOLD_TRIES 4

static int mkdirs_in_root(int root, const char *path, enum trace_use use)
{
	int fd = -1;

	for (int i = 0; i < HOLD_TRIES && fd < 0; i++)
		if ((fd = mkdirs_once(root, path, use)) < 0 && errno != EAGAIN)
			break;
	return fd;
}

/* One try of mount_point(): -1 with EAGAIN to try again. */
static int mount_point_once(int root, const struct mount_op *m, bool is_dir)
{
	autofree char *parent = NULL;
	autoclose int pfd = -1;
	enum trace_use use = TRACE_TARGET;
	const char *base;
	int fd;

	fd = open_in_root(root, m->dest, O_PATH);
	if (fd >= 0 || errno != ENOENT)
		goto out;
	parent = split_parent(m->dest, &base);
	pfd = mkdirs_in_root(root, parent, TRACE_PATH);
	if (pfd < 0)
		die_errno("%s: cannot create directory %s in the sandbox", m->origin, parent);
	traces_announce(pfd, base);
	if (is_dir) {
		if (mkdirat(pfd, base, 0755) == 0) {
			traces_note(pfd, base);
			use = TRACE_CREATED;
		} else if (errno != EEXIST) {
			die_errno("%s: cannot create mount point %s", m->origin, m->dest);
		}
	} else {
		int f = openat(pfd, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
			       0644);

		if (f < 0 && errno != EEXIST)
			die_errno("%s: cannot create mount point %s", m->origin, m->dest);
		if (f >= 0) {
			close(f);
			traces_note(pfd, base);
			use = TRACE_CREATED;
		}
	}
	fd = open_in_root(root, m->dest, O_PATH);
out:
	if (fd < 0) {
		if (errno == ENOENT)
			die("%s: %s is a symlink to nowhere inside the sandbox", m->origin,
			    m->dest);
		die_errno("%s: cannot open %s inside the sandbox", m->origin, m->dest);
	}
	if (!on_own_tmpfs(fd) && hold(root, m->dest, use) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Open the mount point DEST inside ROOT, creating it (a directory, or an empty file when the
 * thing mounted there is not a directory) if it does not exist.
 */
static int mount_point(int root, const struct mount_op *m, bool is_dir)
{
	int fd = -1;

	for (int i = 0; i < HOLD_TRIES && fd < 0; i++)
		if ((fd = mount_point_once(root, m, is_dir)) < 0 && errno != EAGAIN)
			break;
	if (fd < 0)
		die_errno("%s: cannot hold mount point %s", m->origin, m->dest);
	return fd;
}

/*
 * What masks show and what file mounts hold, made in one small tmpfs for the whole start
 * (a filesystem each cost ~40 us): an empty mode-0 directory and an empty mode-0 file for the
 * masks, and a file for each MOUNT_FILE with its contents. Each mount is a clone of one of
 * them, two calls instead of a filesystem. The tmpfs is attached out of the way, on the old
 * root's /dev, detached at pivot_root (covered by the spec's /dev, a root made in place:
 * root_here), as a clone's source must be in our namespace; it is made read-only, nosuid,
 * nodev and noexec once written, and each clone gets its mount's own flags.
 * What one mask shows, all may share: the masks' two are read-only and empty.
 */
static struct {
	int mnt; /* the tmpfs, attached; -1: not made (nothing to mask or hold) */
	dev_t dev;
	ino_t dir_ino, file_ino; /* the masks' directory and file */
} sources = {-1, 0, 0, 0};

#define SOURCE_FLAGS (MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC)

/* The name of MOUNT_FILE I's file in the sources. */
static void source_name(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "file%zu", i);
}

/* Is ST what a mask shows already (a second name of a masked path: /bin/x and /usr/bin/x)? */
static bool masked_already(const struct stat *st)
{
	return sources.mnt >= 0 && st->st_dev == sources.dev &&
	       (st->st_ino == sources.dir_ino || st->st_ino == sources.file_ino);
}

static void sources_make(const struct spec *s)
{
	bool masks = false;
	struct mount_op fs = {.kind = MOUNT_TMPFS,
			      .dest = "/dev",
			      .origin = "the masks' and files' source",
			      .mode = 0755};
	struct mount_attr attr = {.attr_set = mount_attrs(SOURCE_FLAGS)};
	unsigned long pages = 4;
	size_t nfiles = 0;
	struct stat st;
	autofree char *size = NULL;
	int mnt;

	for (size_t i = 0; i < s->nmounts; i++) {
		masks |= s->mounts[i].kind == MOUNT_MASK;
		if (s->mounts[i].kind == MOUNT_FILE) {
			pages += strlen(s->mounts[i].src) / 4096 + 1;
			nfiles++;
		}
	}
	if (!masks && !nfiles)
		return;
	size = xasprintf("size=%luk", pages * 4);
	fs.options = size;
	mnt = mount_new_fs(&fs, "tmpfs");
	if (move_mount(mnt, "", AT_FDCWD, "/dev", MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die_errno("cannot stage the sandbox's masks and files");
	if (mkdirat(mnt, "mask", 0) < 0 || fstatat(mnt, "mask", &st, 0) < 0)
		die_errno("cannot make what masks show");
	sources.dir_ino = st.st_ino;
	sources.dev = st.st_dev;
	{
		int f = openat(mnt, "mask-file", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0);

		if (f < 0 || fstat(f, &st) < 0)
			die_errno("cannot make what masks show");
		sources.file_ino = st.st_ino;
		close(f);
	}
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];
		size_t len;
		char name[32];
		int f;

		if (m->kind != MOUNT_FILE)
			continue;
		len = strlen(m->src);
		source_name(name, sizeof name, i);
		f = openat(mnt, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		if (f < 0 || write(f, m->src, len) != (ssize_t)len || fchmod(f, 0644) < 0)
			die_errno("%s: cannot write %s", m->origin, m->dest);
		close(f);
	}
	/* Read-only once written; clones keep the flags. */
	if (mount_setattr(mnt, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
		die_errno("cannot make the sandbox's masks and files read-only");
	sources.mnt = mnt;
}

/*
 * A clone of NAME in the sources, with M's flags where they differ from the sources', but
 * read-only whatever they say: the sources' tmpfs is shared by every mask and file.
 */
static int source_clone(const char *name, const struct mount_op *m)
{
	unsigned want = (m->flags & ~(unsigned)MOUNT_F_OPTIONAL) | MOUNT_F_RDONLY;
	int tree = open_tree(sources.mnt, name, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

	if (tree < 0)
		die_errno("%s: cannot mount %s", m->origin, m->dest);
	if (want != SOURCE_FLAGS) {
		struct mount_attr attr = {.attr_set = mount_attrs(want),
					  .attr_clr = mount_attrs(SOURCE_FLAGS & ~want)};

		if (mount_setattr(tree, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0)
			die_errno("%s: cannot mount %s", m->origin, m->dest);
	}
	return tree;
}

/* A read-only mount of one small file holding m->src: MOUNT_FILE I of the spec. */
static int file_tree(const struct mount_op *m, size_t i)
{
	char name[32];

	source_name(name, sizeof name, i);
	return source_clone(name, m);
}

/* A fresh empty directory or file for M, read-only with M's flags. */
static int mask_tree(const struct mount_op *m, bool dir)
{
	return source_clone(dir ? "mask" : "mask-file", m);
}

static bool is_directory(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Cover what is at dest inside the new root with a read-only copy of itself. */
static void make_readonly(int root, const struct mount_op *m)
{
	struct mount_attr attr = {.attr_set = mount_attrs(m->flags)};
	autoclose int target = -1;
	autoclose int tree = -1;

	if (dirnames_absent(root, m->dest))
		errno = ENOENT;
	else if ((target = open_in_root(root, m->dest, O_PATH)) < 0 && errno == ENOENT)
		dirnames_missed(m->dest);
	if (target < 0) {
		if (errno == ENOENT && (m->flags & MOUNT_F_OPTIONAL))
			return;
		die_errno("%s: cannot open %s inside the sandbox", m->origin, m->dest);
	}
	/*
	 * A file on a mount with these flags already (the home under the read-only root): a copy
	 * would add nothing. A directory may have mounts below it without them: those get one.
	 */
	if (!is_directory(target) && mount_has_flags(target, m->flags))
		return;
	tree = open_tree(target, "",
			 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
	if (tree < 0 ||
	    mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
		die_errno("%s: cannot make %s read-only", m->origin, m->dest);
	if (move_mount(tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		die_errno("%s: cannot make %s read-only", m->origin, m->dest);
}

/*
 * Can nothing made at PATH (inside the root) last or be made at all? Its nearest existing
 * ancestor is on a tmpfs the sandbox made (gone with it), or on a read-only mount, where
 * mkdir fails with EROFS for pid 1 and the payload alike: asked once, instead of trying.
 * A profile names a hundred absent paths in a few dozen directories of a read-only home:
 * the answers for the last parents are kept until place() may have made something writable
 * or made a directory (needless_forget). A mask or a read-only remount only takes writes
 * away: an answer kept across one is at worst a "no" where mkdir will now fail.
 */
#define NEEDLESS_KEPT 32

static struct {
	char *parent;
	bool needless;
} needless_kept[NEEDLESS_KEPT];
static size_t needless_next;

static void needless_forget(void)
{
	for (size_t i = 0; i < NEEDLESS_KEPT; i++) {
		free(needless_kept[i].parent);
		needless_kept[i].parent = NULL;
	}
}

/* pid 1 may have made a name or something writable: what was learnt of the tree goes. */
static void tree_changed(void)
{
	needless_forget();
	dirnames_forget();
}

/* The answer kept for directory DIR (its nearest existing ancestor's), if any. */
static const bool *needless_known(const char *dir)
{
	for (size_t i = 0; i < NEEDLESS_KEPT; i++)
		if (needless_kept[i].parent && strcmp(needless_kept[i].parent, dir) == 0)
			return &needless_kept[i].needless;
	return NULL;
}

static bool placeholder_needless(int root, const char *path)
{
	const char *base;
	autofree char *parent = split_parent(path, &base);
	autofree char *p = NULL;
	const bool *known = needless_known(parent);
	size_t slot;
	bool needless = false;

	if (known)
		return *known;
	p = xstrdup(path);
	for (char *slash = strrchr(p, '/'); slash; slash = strrchr(p, '/')) {
		autoclose int fd = -1;
		struct statfs fs;

		*slash = '\0';
		/* An absent directory has its parent's answer: kept, or listed as absent there. */
		if (p[0] && strcmp(p, parent) != 0 && (known = needless_known(p))) {
			needless = *known;
			break;
		}
		if (p[0] && dirnames_absent(root, p))
			continue;
		fd = open_in_root(root, p[0] ? p : "/", O_PATH | O_DIRECTORY);
		if (fd < 0 && errno == ENOENT && p[0])
			dirnames_missed(p);
		if (fd >= 0) {
			needless = on_own_tmpfs(fd) ||
				   (fstatfs(fd, &fs) == 0 && (fs.f_flags & ST_RDONLY));
			break;
		}
		if (!p[0])
			break;
	}
	slot = needless_next++ % NEEDLESS_KEPT;
	free(needless_kept[slot].parent);
	needless_kept[slot].parent = parent;
	needless_kept[slot].needless = needless;
	parent = NULL;
	return needless;
}

/*
 * Hide what is at dest: an empty, read-only, mode-0 tmpfs over a directory, an empty mode-0
 * file over anything else. A dest that does not exist gets a directory there first, wherever
 * it could be made (a writable bind, an overlay): so it cannot be created later, and a
 * blacklist holds for paths that do not exist yet. Where nothing can be made (a read-only
 * filesystem), nobody inside can create it either.
 */
static void mask(int root, const struct mount_op *m)
{
	autoclose int target = -1;
	autoclose int mnt = -1;
	struct stat st;

	/* What could be a placeholder (another nook's, or one a guard may take): held. */
	for (int i = 0;; i++) {
		if (dirnames_absent(root, m->dest)) {
			errno = ENOENT;
			break;
		}
		target = open_in_root(root, m->dest, O_PATH);
		if (target < 0 && errno == ENOENT)
			dirnames_missed(m->dest);
		if (target < 0 || fstat(target, &st) < 0 ||
		    !(S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0)) ||
		    hold(root, m->dest, TRACE_TARGET) == 0)
			break;
		close(target);
		target = -1;
		if (errno != EAGAIN || i + 1 == HOLD_TRIES)
			die_errno("%s: cannot hold %s", m->origin, m->dest);
	}
	if (target < 0 && errno == ENOENT) {
		/* Optional: only if it is there. Else: what pid 1, with its capabilities, cannot
		 * create, the payload cannot either. */
		if (m->flags & MOUNT_F_OPTIONAL)
			return;
		if (placeholder_needless(root, m->dest))
			return;
		tree_changed();
		target = mkdirs_in_root(root, m->dest, TRACE_TARGET);
		if (target < 0 && errno == EAGAIN)
			die("%s: cannot hold a placeholder at %s: other sandboxes keep removing it",
			    m->origin, m->dest);
		if (target < 0)
			return;
	}
	/* A path the sandbox cannot even reach needs no mask. */
	if (target < 0 && (errno == EACCES || errno == ENOTDIR || errno == ELOOP))
		return;
	if (target < 0 || fstat(target, &st) < 0)
		die_errno("%s: cannot open %s inside the sandbox", m->origin, m->dest);
	/* Hidden already under another of its names (/bin is /usr/bin on merged-/usr systems). */
	if (masked_already(&st))
		return;
	/* The policy gives every mask read-only, nosuid, nodev and noexec; the spec says so. */
	mnt = mask_tree(m, S_ISDIR(st.st_mode));
	mount_attach(mnt, target, m);
}

static void make_symlink(int root, const struct mount_op *m)
{
	autofree char *parent = NULL;
	autoclose int pfd = -1;
	const char *base;

	parent = split_parent(m->dest, &base);
	pfd = mkdirs_in_root(root, parent, TRACE_PATH);
	if (pfd < 0 || symlinkat(m->src, pfd, base) < 0)
		die_errno("%s: cannot create symlink %s", m->origin, m->dest);
}

/*
 * A proc of the sandbox's own pid namespace. Inside a container (podman covers parts of its
 * /proc) or a sandbox that made /proc/sys read-only, the kernel refuses a new one that would
 * show what those locked mounts cover (mount_too_revealing). Then the /proc nook was started
 * with, read-only and with its covers: it lists the processes of the pid namespace around
 * nook's too, and gives the payload what /proc gives about them (nook-run(1), NESTING).
 */
static int proc_tree(const struct mount_op *m)
{
	autoclose int fs = fsopen("proc", FSOPEN_CLOEXEC);
	struct mount_op outer = *m;
	int mnt = -1;

	if (fs >= 0)
		mount_set_source(fs, m);
	if (fs >= 0 && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)mount_attrs(m->flags));
	if (mnt >= 0)
		return mnt;
	if (errno != EPERM)
		die_errno("%s: cannot mount proc at %s", m->origin, m->dest);
	warnx_("warning: the kernel refuses the sandbox a /proc of its own (the container or "
	       "sandbox around nook covers parts of its /proc): the sandbox gets that /proc "
	       "read-only, showing the processes around it");
	outer.src = "/proc";
	outer.flags |= MOUNT_F_RDONLY;
	return mount_clone_tree(&outer);
}

/*
 * A sysfs shows the network namespace of its mounter, which must own that namespace: where
 * it does not (a namespace the engine made and the container joins from inside another user
 * namespace), the host's /sys, bound read-only, as runc and crun do rootless.
 */
static int sysfs_tree(const struct mount_op *m)
{
	autoclose int fs = fsopen("sysfs", FSOPEN_CLOEXEC);
	struct mount_op outer = *m;
	int mnt = -1;

	if (fs >= 0)
		mount_set_source(fs, m);
	if (fs >= 0 && fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
		mnt = fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)mount_attrs(m->flags));
	if (mnt >= 0)
		return mnt;
	if (errno != EPERM)
		die_errno("%s: cannot mount sysfs at %s", m->origin, m->dest);
	outer.src = "/sys";
	outer.flags |= MOUNT_F_RDONLY;
	return mount_clone_tree(&outer);
}

/*
 * A directory of the payload's (a runtime directory) on a tmpfs the sandbox made above it:
 * what was there is fresh and empty, so nothing outlives the sandbox or needs holding.
 */
static void make_dir(const struct spec *s, int root, const struct mount_op *m)
{
	autofree char *parent = NULL;
	autoclose int pfd = -1;
	const char *base;

	parent = split_parent(m->dest, &base);
	pfd = mkdirs_in_root(root, parent, TRACE_PATH);
	if (pfd < 0)
		die_errno("%s: cannot create directory %s in the sandbox", m->origin, parent);
	if (!on_own_tmpfs(pfd))
		die("%s: %s is not on a tmpfs of the sandbox's", m->origin, parent);
	if (mkdirat(pfd, base, 0700) < 0 ||
	    fchownat(pfd, base, s->inside_uid, s->inside_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fchmodat(pfd, base, m->mode, 0) < 0)
		die_errno("%s: cannot make directory %s", m->origin, m->dest);
}

static void place(const struct spec *s, int root, const struct mount_op *m, int tree)
{
	autoclose int target = -1;
	autoclose int mnt = -1;

	/* Masks and read-only remounts make no name and nothing writable: what was learnt holds. */
	if (m->kind != MOUNT_MASK && m->kind != MOUNT_RESTRICT)
		tree_changed();
	switch (m->kind) {
	case MOUNT_BIND:
	case MOUNT_DBUS_PROXY:
	case MOUNT_FILE:
		if (tree < 0)
			return; /* optional and absent */
		/* An optional file mount covers only what is there (a D-Bus machine-id). */
		if (m->kind == MOUNT_FILE && (m->flags & MOUNT_F_OPTIONAL)) {
			target = open_in_root(root, m->dest, O_PATH);
			if (target < 0)
				return;
			mount_attach(tree, target, m);
			return;
		}
		target = mount_point(root, m, is_directory(tree));
		mount_attach(tree, target, m);
		return;
	case MOUNT_TMPFS:
		mnt = mount_new_fs(m, "tmpfs");
		break;
	case MOUNT_PROC:
		mnt = proc_tree(m);
		break;
	case MOUNT_SYSFS:
		mnt = sysfs_tree(m);
		break;
	case MOUNT_DEVPTS:
		mnt = mount_new_fs(m, "devpts");
		break;
	case MOUNT_MQUEUE:
		mnt = mount_new_fs(m, "mqueue");
		break;
	case MOUNT_SYMLINK:
		make_symlink(root, m);
		return;
	case MOUNT_DIR:
		make_dir(s, root, m);
		return;
	case MOUNT_RESTRICT:
		make_readonly(root, m);
		return;
	case MOUNT_MASK:
		mask(root, m);
		return;
	case MOUNT_ROOT:
		die("%s: a second root in the spec", m->origin);
	}
	if (m->flags & MOUNT_F_OPTIONAL) {
		/* Where it can be: there already, or made where the sandbox's tree allows. */
		target = open_in_root(root, m->dest, O_PATH | O_DIRECTORY);
		if (target < 0 && errno == ENOENT)
			target = mkdirs_in_root(root, m->dest, TRACE_TARGET);
		if (target < 0)
			return;
	} else {
		target = mount_point(root, m, true);
	}
	mount_attach(mnt, target, m);
}

/*
 * Our root becomes the root of our mount namespace. A caller in a chroot (a user whose
 * session root put there, who joins a user namespace of the pool: only a new one is refused
 * in a chroot) gives pid 1 a copy of the whole tree, with its root somewhere inside: a
 * pivot_root from there would detach only the chroot's mount and leave the new root attached
 * in the rest, for a payload with CAP_SYS_CHROOT to walk up into with "..". From the
 * namespace's root, the pivot detaches all of it. -1, or the fd of the namespace.
 */
static int to_namespace_root(void)
{
	int ns = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	int err;

	if (ns >= 0 && setns(ns, CLONE_NEWNS) < 0) {
		err = errno;
		close(ns);
		errno = err;
		ns = -1;
	}
	return ns;
}

/*
 * Is our root the root of our mount namespace, not a directory a chroot made the root? Then
 * nothing of the namespace lies outside it. Compared with where to_namespace_root() moves it,
 * and moved back when they differ: the host's paths are the caller's, from its chroot.
 */
static bool root_is_namespace_root(void)
{
	struct statx before, after;
	autoclose int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	autoclose int ns = -1;

	if (root < 0 || statx(root, "", AT_EMPTY_PATH, STATX_INO | STATX_MNT_ID, &before) < 0 ||
	    !(before.stx_mask & STATX_MNT_ID) || (ns = to_namespace_root()) < 0)
		return false;
	if (statx(AT_FDCWD, "/", 0, STATX_INO | STATX_MNT_ID, &after) == 0 &&
	    after.stx_mnt_id == before.stx_mnt_id && after.stx_ino == before.stx_ino)
		return true;
	if (fchdir(root) < 0 || chroot(".") < 0)
		die_errno("cannot return to the caller's root");
	return false;
}

/*
 * The clone() of pid 1 copied the caller's whole tree: for a root over the host's / (no
 * image, no overlay), that copy is the root already, once restricted with the spec's flags.
 * Cloning it again and pivoting into the clone would end in the old copy's detach, which
 * waits for an RCU grace period (0.05 to 0.9 ms on a VM's idle vCPUs). What pid 1 stages
 * (the sources of masks and files) is stacked on its /dev, which the spec's own /dev covers:
 * without one, or in a chroot, the clone and the pivot as for any other root.
 */
static bool in_place(const struct spec *s)
{
	if (strcmp(s->mounts[0].src, "/") != 0 || s->overlay.mode != OVERLAY_NONE ||
	    s->oci.enabled || !spec_mounted_at(s, "/dev", MOUNT_TMPFS))
		return false;
	return root_is_namespace_root();
}

/*
 * Our own tree made the root (M): restricted, once the host's paths are cloned from it. The
 * sources of masks and files are made before anything is placed (sources_make): made later,
 * they would be stacked on the spec's /dev.
 */
static int root_here(const struct mount_op *m)
{
	struct mount_attr attr = {.attr_set = mount_attrs(m->flags)};
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		die_errno("%s: cannot open /", m->origin);
	if (attr.attr_set &&
	    mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0)
		die_errno("%s: cannot restrict the mount of %s", m->origin, m->src);
	return fd;
}

int mounts_stage(const struct spec *s)
{
	autofree int *trees = NULL;
	const char *staging;
	bool attached = false;
	int root;

	if (s->nmounts == 0 || s->mounts[0].kind != MOUNT_ROOT)
		die("the spec has no root filesystem");
	/* Nothing we mount may propagate back to the host's mount namespace. */
	if (mount(NULL, "/", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		die_errno("cannot make the mount tree private");
	root_in_place = in_place(s);

	trees = xcalloc(s->nmounts, sizeof *trees);
	/*
	 * Every host path first: an overlay root is attached at STAGING while it is built, and a
	 * bind of STAGING's path (--bind /tmp, a working directory of /tmp) cloned after that
	 * would be the staged tree, with the host's /proc and /sys below it, not the host's /tmp.
	 */
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		trees[i] = -1;
		if (m->kind == MOUNT_ROOT && s->overlay.mode == OVERLAY_NONE && !root_in_place)
			trees[i] = mount_clone_tree(m);
		else if (m->kind == MOUNT_BIND)
			trees[i] = mount_clone_tree(m);
		else if (m->kind == MOUNT_DBUS_PROXY)
			trees[i] = dbus_proxy_tree(m);
	}
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_ROOT && s->overlay.mode != OVERLAY_NONE)
			trees[i] = overlay_root(s, &s->mounts[i], STAGING, &attached);
	if (root_in_place) {
		trees[0] = root_here(&s->mounts[0]);
		attached = true;
	}
	/* After every host path is cloned: the sources cover the old root's /dev. */
	sources_make(s);
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_FILE)
			trees[i] = file_tree(&s->mounts[i], i);
	root = trees[0];
	if (!is_directory(root))
		die("%s: %s is not a directory", s->mounts[0].origin, s->mounts[0].src);
	/*
	 * An OCI container's root over its own directory, as runc builds it: its createContainer
	 * hooks, which run before the pivot_root, see the host's /tmp, and the container's root
	 * where the bundle has it. Our private tree either way; the pivot goes by the fd.
	 */
	staging = s->oci.enabled && !attached ? s->mounts[0].src : STAGING;
	if (!attached && move_mount(root, "", AT_FDCWD, staging, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die_errno("cannot attach the new root at %s", staging);

	for (size_t i = 1; i < s->nmounts; i++) {
		place(s, root, &s->mounts[i], trees[i]);
		if (trees[i] >= 0)
			close(trees[i]);
	}
	tree_changed();
	return root;
}

void mounts_enter_root(int root)
{
	int ns;

	if (root_in_place) {
		if (chdir("/") < 0)
			die_errno("chdir /");
		close(root);
		return;
	}
	/* pivot_root(".", "."): the old root ends up stacked on "." and is detached at once. */
	ns = to_namespace_root();
	if (ns < 0)
		die_errno(
			"cannot enter the root of the sandbox's mount namespace (/proc/self/ns/mnt)");
	close(ns);
	if (fchdir(root) < 0)
		die_errno("cannot enter the new root");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die_errno("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die_errno("cannot detach the old root");
	if (chdir("/") < 0)
		die_errno("chdir /");
	close(root);
}

void mounts_build(const struct spec *s)
{
	mounts_enter_root(mounts_stage(s));
}
