// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/overlay.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fsutil.h"

/* The id an unmapped owner shows as (/proc/sys/kernel/overflowuid, overflowgid). */
#define OVERFLOW_ID 65534

char *overlay_base_dir(const struct host_facts *h)
{
	return h->data_dir ? xasprintf("%s/overlays", h->data_dir) : NULL;
}

int overlay_build(const struct overlay_request *r, bool image, const struct host_facts *h,
		  struct spec *s)
{
	struct overlay_spec *o = &s->overlay;

	o->mode = r->mode_set ? r->mode : (image ? OVERLAY_TMP : OVERLAY_NONE);
	o->driver = r->driver;
	if (o->mode == OVERLAY_NONE)
		return 0;
	/* auto: its parts come once the rest of the spec is known (overlay_plan). */
	if (o->driver == OVERLAY_FUSE) {
		if (!h->fuse_overlayfs) {
			warnx_("--overlay: fuse-overlayfs is not installed (apt-get install "
			       "fuse-overlayfs), or use --overlay-driver=kernel");
			return -1;
		}
		o->fuse_overlayfs = xstrdup(h->fuse_overlayfs);
	}
	if (o->mode == OVERLAY_NAMED) {
		autofree char *base = overlay_base_dir(h);

		if (!base) {
			warnx_("--overlay=%s: no home directory to keep it in (set XDG_DATA_HOME)",
			       r->name);
			return -1;
		}
		o->name = xstrdup(r->name);
		o->dir = xasprintf("%s/%s", base, r->name);
	}
	/* Writable now: the overlay, not the host or the image, takes the writes. */
	s->mounts[0].flags &= ~(unsigned)MOUNT_F_RDONLY;
	return 0;
}

/* ---- --overlay-driver=auto ---- */

static bool owner_of(const char *path, struct overlay_owner *o)
{
	struct stat st;

	if (lstat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return false;
	o->uid = st.st_uid;
	o->gid = st.st_gid;
	o->mode = st.st_mode;
	return true;
}

/* Not proc, sysfs, cgroups, devpts or a tmpfs: their files are the kernel's, or the moment's. */
static bool holds_files(const char *path)
{
	static const long pseudo[] = {
		0x9fa0,     /* proc */
		0x62656572, /* sysfs */
		0x27e0eb,   /* cgroup */
		0x63677270, /* cgroup2 */
		0x1cd1,     /* devpts */
		0x01021994, /* tmpfs, devtmpfs */
	};
	struct statfs sf;

	if (statfs(path, &sf) < 0)
		return false;
	for (size_t i = 0; i < sizeof pseudo / sizeof pseudo[0]; i++)
		if ((long)sf.f_type == pseudo[i])
			return false;
	return true;
}

static void place_read(const char *given, struct overlay_place *p)
{
	char *real = given ? realpath(given, NULL) : NULL;
	size_t n = 0;

	if (!real)
		return;
	p->path = real;
	for (const char *c = real + 1; *c; c++)
		n += *c == '/';
	n += real[1] != '\0';
	p->comps = xcalloc(n ? n : 1, sizeof *p->comps);
	for (size_t i = 0, at = 1; i < n; i++) {
		autofree char *prefix = NULL;

		while (real[at] && real[at] != '/')
			at++;
		prefix = xasprintf("%.*s", (int)at, real);
		if (!owner_of(prefix, &p->comps[i])) {
			n = 0;
			break;
		}
		at++;
	}
	p->ncomps = n;
}

static bool mapped(const struct spec *s, const struct overlay_owner *o)
{
	return id_map_has_outside(&s->uid_map, o->uid) && id_map_has_outside(&s->gid_map, o->gid);
}

/* The next directory in D (not "." or ".."), with its stat; NULL at the end. */
static struct dirent *next_subdir(DIR *d, struct stat *st)
{
	struct dirent *e;

	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' &&
		    (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		if ((e->d_type == DT_DIR || e->d_type == DT_UNKNOWN) &&
		    fstatat(dirfd(d), e->d_name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISDIR(st->st_mode))
			return e;
	}
	return NULL;
}

/* Does directory NAME in AT hold a directory writable by all of an owner outside the map? */
static bool holds_open_dir(const struct spec *s, int at, const char *name)
{
	DIR *d = dir_from_fd(openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	struct stat st;
	bool open = d == NULL;

	while (d && !open && next_subdir(d, &st))
		open = (st.st_mode & S_IWOTH) &&
		       !mapped(s, &(struct overlay_owner){st.st_uid, st.st_gid, st.st_mode});
	if (d)
		closedir(d);
	return open;
}

/* The directories in top-level directory T: writable by all; the sandbox's own. */
static void top_read(const struct spec *s, const char *path, mode_t mode, struct overlay_top *t)
{
	DIR *d = opendir(path);
	struct dirent *e;
	struct stat st;

	t->open_below = (mode & S_IWOTH) != 0;
	while (d && (e = next_subdir(d, &st))) {
		if (st.st_mode & S_IWOTH)
			t->open_below = true;
		if (mapped(s, &(struct overlay_owner){st.st_uid, st.st_gid, st.st_mode})) {
			t->mapped_below = true;
		} else if (st.st_mode & S_IWOTH) {
			if (!holds_open_dir(s, dirfd(d), e->d_name)) {
				t->open_dirs = xreallocarray(t->open_dirs, t->nopen_dirs + 1,
							     sizeof *t->open_dirs);
				t->open_dirs[t->nopen_dirs++] = xstrdup(e->d_name);
			}
		}
	}
	if (d)
		closedir(d);
}

/* Does the spec mount a filesystem of its own (a tmpfs, proc...) on top-level directory NAME? */
static bool own_filesystem_at(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		if ((m->kind == MOUNT_TMPFS || m->kind == MOUNT_PROC || m->kind == MOUNT_DEVPTS ||
		     m->kind == MOUNT_MQUEUE) &&
		    m->dest[0] == '/' && strcmp(m->dest + 1, name) == 0)
			return true;
	}
	return false;
}

void overlay_facts_read(const struct host_facts *h, const struct spec *s, struct overlay_facts *f)
{
	const char *lower = s->mounts[0].src;
	struct overlay_owner root;
	DIR *d;
	struct dirent *e;

	memset(f, 0, sizeof *f);
	f->host = strcmp(lower, "/") == 0;
	f->fuse_usable = h->fuse_overlayfs && h->fuse_dev &&
			 id_map_contains(&s->uid_map, OVERFLOW_ID) &&
			 id_map_contains(&s->gid_map, OVERFLOW_ID);
	f->privileged = s->inside_uid == 0;
	if (!f->host)
		f->image_mapped = owner_of(lower, &root) && mapped(s, &root);
	d = opendir(lower);
	while (d && (e = readdir(d))) {
		autofree char *path = NULL;
		struct overlay_top t = {0};
		struct stat st;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", f->host ? "" : lower, e->d_name);
		if (lstat(path, &st) < 0 || S_ISLNK(st.st_mode))
			continue;
		if (!f->host) {
			/* An image: is everything at its top the sandbox's to copy up? */
			if (!mapped(s, &(struct overlay_owner){st.st_uid, st.st_gid, st.st_mode}))
				f->image_mapped = false;
			continue;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		t.name = xstrdup(e->d_name);
		t.owner = (struct overlay_owner){st.st_uid, st.st_gid, st.st_mode};
		t.files = holds_files(path);
		/* Only what the payload might write in needs a look inside. */
		if (t.files && !mapped(s, &t.owner) && !f->privileged &&
		    !own_filesystem_at(s, e->d_name))
			top_read(s, path, st.st_mode, &t);
		f->tops = xreallocarray(f->tops, f->ntops + 1, sizeof *f->tops);
		f->tops[f->ntops++] = t;
	}
	if (d)
		closedir(d);
	if (f->host) {
		place_read(h->home, &f->places[0]);
		place_read(s->cwd, &f->places[1]);
	}
}

void overlay_facts_free(struct overlay_facts *f)
{
	for (size_t i = 0; i < f->ntops; i++) {
		free(f->tops[i].name);
		for (size_t j = 0; j < f->tops[i].nopen_dirs; j++)
			free(f->tops[i].open_dirs[j]);
		free(f->tops[i].open_dirs);
	}
	free(f->tops);
	for (size_t i = 0; i < 2; i++) {
		free(f->places[i].path);
		free(f->places[i].comps);
	}
	memset(f, 0, sizeof *f);
}

static void add_part(struct overlay_spec *o, const char *path, enum overlay_part_driver driver)
{
	o->parts = xreallocarray(o->parts, o->nparts + 1, sizeof *o->parts);
	o->parts[o->nparts].path = xstrdup(path);
	o->parts[o->nparts].driver = driver;
	o->nparts++;
}

static const struct overlay_top *top_named(const struct overlay_facts *f, const char *name,
					   size_t len)
{
	for (size_t i = 0; i < f->ntops; i++)
		if (strlen(f->tops[i].name) == len && strncmp(f->tops[i].name, name, len) == 0)
			return &f->tops[i];
	return NULL;
}

/* Is PATH, or a directory above it, a part below the top level already? */
static bool covered(const struct overlay_spec *o, const char *path)
{
	for (size_t i = 0; i < o->nparts; i++) {
		const char *p = o->parts[i].path;
		size_t n = strlen(p);

		if (p[1] && strchr(p + 1, '/') && strncmp(path, p, n) == 0 &&
		    (path[n] == '/' || path[n] == '\0'))
			return true;
	}
	return false;
}

enum top_use { TOP_OWN = -1 };

/*
 * A place the payload writes in (the home, the working directory) over the host. Pass 1: a
 * place whose own directory is root's (unmapped) and writable by all below the top level
 * makes its top-level directory fuse-overlayfs's, which can copy it up. Pass 2: its own tree (its topmost
 * ancestor from which every directory down to it has mapped owners) gets a kernel overlay of
 * its own where the top-level directory's mount would not copy it up itself.
 */
static void place_plan(const struct overlay_facts *f, const struct spec *s,
		       const struct overlay_place *p, int *tops, int pass, struct overlay_spec *o)
{
	const struct overlay_top *top;
	size_t k, at = 0, depth = 0;
	autofree char *tree = NULL;
	int *use;

	if (p->ncomps < 2)
		return;
	top = top_named(f, p->path + 1, strcspn(p->path + 1, "/"));
	if (!top || tops[top - f->tops] == TOP_OWN)
		return;
	use = &tops[top - f->tops];
	for (k = p->ncomps; k > 0 && mapped(s, &p->comps[k - 1]); k--)
		;
	if (k == p->ncomps) {
		if (pass == 1 && f->fuse_usable && top->files && (p->comps[k - 1].mode & S_IWOTH))
			*use = OVERLAY_PART_FUSE;
		return;
	}
	/* comps[k] is the tree's top, at depth k + 1. */
	if (pass == 1 || k == 0 || (k == 1 && *use == OVERLAY_PART_KERNEL))
		return;
	while (depth <= k) {
		at++;
		while (p->path[at] && p->path[at] != '/')
			at++;
		depth++;
	}
	tree = xasprintf("%.*s", (int)at, p->path);
	if (!covered(o, tree))
		add_part(o, tree, OVERLAY_PART_KERNEL);
}

void overlay_plan(const struct overlay_facts *f, const struct host_facts *h, struct spec *s)
{
	struct overlay_spec *o = &s->overlay;
	autofree int *tops = NULL;
	bool privileged = f->privileged && f->fuse_usable;
	int base;

	if (o->mode == OVERLAY_NONE || o->driver != OVERLAY_AUTO)
		return;
	/* A NAME made with fuse-overlayfs before keeps it (the sandbox reads its meta file). */
	if ((f->fuse_usable || (o->mode == OVERLAY_NAMED && h->fuse_overlayfs)) &&
	    !o->fuse_overlayfs)
		o->fuse_overlayfs = xstrdup(h->fuse_overlayfs);
	/*
	 * One driver for the whole: an image whose files the sandbox can copy up, or not; a NAME
	 * over the host (its upper layer outlives this run's choices: fuse-overlayfs, which can
	 * copy up everything, unless it cannot be used).
	 */
	if (!f->host || o->mode == OVERLAY_NAMED) {
		bool kernel = f->host ? !f->fuse_usable : f->image_mapped || !f->fuse_usable;

		add_part(o, "/", kernel ? OVERLAY_PART_KERNEL : OVERLAY_PART_FUSE);
		if (kernel && o->mode != OVERLAY_NAMED) {
			free(o->fuse_overlayfs);
			o->fuse_overlayfs = NULL;
		}
		return;
	}
	/*
	 * Over the host, a base for "/" and a mount on top for each top-level directory that
	 * needs another. Root inside may write anywhere fuse-overlayfs lets it: fuse-overlayfs
	 * over all of "/" (the top-level files and / itself writable too), the kernel's on top
	 * where it can copy up, and on what is not of files (/sys: read-only). Any other payload
	 * writes where the host lets it (see overlay.h): "/" read-only, as --overlay=none binds
	 * it, with overlays on top.
	 */
	base = privileged ? OVERLAY_PART_FUSE : OVERLAY_PART_RO;
	tops = xcalloc(f->ntops ? f->ntops : 1, sizeof *tops);
	for (size_t i = 0; i < f->ntops; i++) {
		const struct overlay_top *t = &f->tops[i];

		if (own_filesystem_at(s, t->name))
			tops[i] = TOP_OWN;
		else if (!t->files)
			tops[i] = OVERLAY_PART_RO;
		else if (mapped(s, &t->owner))
			tops[i] = OVERLAY_PART_KERNEL;
		else if (privileged)
			tops[i] = OVERLAY_PART_FUSE;
		else if (f->fuse_usable && (t->open_below || strcmp(t->name, "var") == 0))
			tops[i] = OVERLAY_PART_FUSE;
		else if (t->mapped_below || (t->open_below && !f->fuse_usable))
			tops[i] = OVERLAY_PART_KERNEL;
		else
			tops[i] = OVERLAY_PART_RO;
	}
	for (size_t i = 0; i < 2; i++)
		place_plan(f, s, &f->places[i], tops, 1, o);
	add_part(o, "/", (enum overlay_part_driver)base);
	for (size_t i = 0; i < f->ntops; i++)
		if (tops[i] != TOP_OWN && tops[i] != base) {
			autofree char *path = xasprintf("/%s", f->tops[i].name);

			add_part(o, path, (enum overlay_part_driver)tops[i]);
		}
	/*
	 * Where jobs write (/var/tmp): an overlay whose top is its own upper directory, with
	 * nothing below it to copy up that the payload could write in. On fuse-overlayfs's top,
	 * the kernel's speed; on the kernel's, a directory it could not copy up made writable.
	 * Not for root inside, which writes what root owns there.
	 */
	for (size_t i = 0; i < f->ntops && !f->privileged; i++) {
		if (tops[i] != OVERLAY_PART_FUSE && tops[i] != OVERLAY_PART_KERNEL)
			continue;
		for (size_t j = 0; j < f->tops[i].nopen_dirs; j++) {
			autofree char *path = xasprintf("/%s/%s", f->tops[i].name,
							f->tops[i].open_dirs[j]);

			add_part(o, path, OVERLAY_PART_KERNEL);
		}
	}
	/* The trees the payload writes in, as kernel overlays on top, the home's first. */
	for (size_t i = 0; i < 2; i++)
		place_plan(f, s, &f->places[i], tops, 2, o);
	if (!f->fuse_usable) {
		free(o->fuse_overlayfs);
		o->fuse_overlayfs = NULL;
	}
}
