// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Which names a directory of the new root holds, read once for many lookups. A profile's
 * blacklist and read-only lines name some 230 paths, nearly all absent, a few dozen of them in
 * each of a few directories (the home, ~/.config, ~/.local/share): one lookup each, in a tree
 * cloned a moment ago, is 1.3 us, most of pid 1's mount time for a desktop profile. A
 * directory where two lookups found nothing is listed, and a name it lacks is then known
 * absent (and so is every name below a directory that is not there at all). Where lookups
 * find what they look for (a profile's masks of the programs in /usr/bin), nothing is read.
 *
 * Only an answer "absent" comes from here; anything listed is looked up as before. A listing
 * is trusted only where a lookup can find nothing more than readdir shows: a local
 * filesystem with exact names (not a case-folding directory, nor FUSE, nor a network one).
 * What the listing no longer shows is what pid 1 itself made since: mounts_stage forgets the
 * listings whenever it may have made a name (dirnames_forget), and keeps them across masks and
 * read-only remounts, which add none (a mask hides names: a stale listing then only sends a
 * lookup the slow way).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

#ifndef XFS_SUPER_MAGIC
#define XFS_SUPER_MAGIC 0x58465342
#endif
#ifndef FS_CASEFOLD_FL
#define FS_CASEFOLD_FL 0x40000000
#endif

/* The directories kept; what a profile names is in a few dozen. */
#define DIRS_KEPT 32
/*
 * A bigger directory is not listed: its lookups are fewer than its names (/usr/bin, which
 * a desktop profile's masks of programs name: 2,000 names, 100 KiB of directory, read and
 * sorted in ~0.3 ms). By the size the directory says it has, before any of it is read (a
 * few hundred names on ext4), then by the bytes of names read.
 */
#define LIST_MAX_DIR_SIZE (16 * 1024)
#define LIST_MAX_BYTES (16 * 1024)

struct dir_names {
	char *path; /* the directory, as the spec spells it */
	size_t len;
	unsigned missed; /* lookups of names in it that found nothing */
	bool listed;     /* names holds what is there (else: look each name up) */
	bool absent;     /* the directory itself is not there: nor is anything in it */
	char *buf;       /* the names, NUL-separated */
	char **names;    /* sorted, into buf */
	size_t n;
};

static struct dir_names dirs[DIRS_KEPT];
static size_t next_slot;

static void dir_free(struct dir_names *d)
{
	free(d->path);
	free(d->buf);
	free(d->names);
	*d = (struct dir_names){0};
}

void dirnames_forget(void)
{
	for (size_t i = 0; i < DIRS_KEPT; i++)
		dir_free(&dirs[i]);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A lookup finds what readdir lists, by the same bytes, on these. */
static bool exact_names(int fd)
{
	struct statfs fs;
	int flags = 0;

	if (fstatfs(fd, &fs) < 0)
		return false;
	switch ((unsigned long)fs.f_type) {
	case EXT4_SUPER_MAGIC: /* ext2 and ext3 too */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
		break;
	default:
		return false;
	}
	return ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0 && !(flags & FS_CASEFOLD_FL);
}

/* D's names, read inside ROOT; D stays unlisted where they cannot be had or trusted. */
static void dir_list(int root, struct dir_names *d)
{
	autoclose int fd = open_in_root(root, d->path, O_RDONLY | O_DIRECTORY);
	size_t used = 0, cap = 0;
	struct stat st;
	ssize_t got;

	/* ENOENT: a lookup of anything below fails the same way (not ENOTDIR: not a directory). */
	if (fd < 0 && errno == ENOENT)
		d->absent = true;
	if (fd < 0 || fstat(fd, &st) < 0 || st.st_size > LIST_MAX_DIR_SIZE || !exact_names(fd))
		return;
	for (;;) {
		char chunk[8192];

		got = syscall(SYS_getdents64, fd, chunk, sizeof chunk);
		if (got <= 0)
			break;
		for (ssize_t off = 0; off < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(chunk + off);
			size_t len = strlen(e->d_name) + 1;

			off += e->d_reclen;
			if (used + len > LIST_MAX_BYTES) {
				got = -1;
				break;
			}
			if (used + len > cap) {
				cap = cap ? 2 * cap : 4096;
				d->buf = xreallocarray(d->buf, cap, 1);
			}
			memcpy(d->buf + used, e->d_name, len);
			used += len;
			d->n++;
		}
		if (got < 0)
			break;
	}
	if (got < 0) {
		free(d->buf);
		d->buf = NULL;
		d->n = 0;
		return;
	}
	d->names = xreallocarray(NULL, d->n ? d->n : 1, sizeof *d->names);
	for (size_t i = 0, off = 0; i < d->n; i++) {
		d->names[i] = d->buf + off;
		off += strlen(d->buf + off) + 1;
	}
	qsort(d->names, d->n, sizeof *d->names, name_cmp);
	d->listed = true;
}

/* The entry of PATH's directory, made if there is none; NULL for a path without one. */
static struct dir_names *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct dir_names *d;
	size_t len;

	if (!slash || slash == path || !slash[1])
		return NULL;
	len = (size_t)(slash - path);
	for (size_t i = 0; i < DIRS_KEPT; i++)
		if (dirs[i].path && dirs[i].len == len && memcmp(dirs[i].path, path, len) == 0)
			return &dirs[i];
	d = &dirs[next_slot++ % DIRS_KEPT];
	dir_free(d);
	d->path = xstrndup(path, len);
	d->len = len;
	return d;
}

void dirnames_missed(const char *path)
{
	int saved = errno; /* the caller's lookup's, which it goes on to read */
	struct dir_names *d = dir_of(path);

	if (d)
		d->missed++;
	errno = saved;
}

/*
 * Is a directory further up known to lack the next name on the way to PATH (or to be absent
 * itself)? The home's listing answers for ~/.ssh/config as for ~/.ssh. Asked before PATH's
 * own directory gets an entry, which could push that listing out.
 */
static bool ancestor_lacks(const char *path)
{
	const char *dir_end = strrchr(path, '/');

	for (size_t i = 0; dir_end && i < DIRS_KEPT; i++) {
		const struct dir_names *d = &dirs[i];
		const char *name, *end;
		char key[256];

		/* A proper ancestor of PATH's directory, one that knows something. */
		if (!d->path || !(d->listed || d->absent) || (size_t)(dir_end - path) <= d->len ||
		    memcmp(d->path, path, d->len) != 0 || path[d->len] != '/')
			continue;
		if (d->absent)
			return true;
		name = path + d->len + 1;
		end = strchr(name, '/');
		/* Only a plain name: "", "." and ".." are not looked for in a listing. */
		if (end == name || (size_t)(end - name) >= sizeof key ||
		    (name[0] == '.' && (end == name + 1 || (name[1] == '.' && end == name + 2))))
			continue;
		memcpy(key, name, (size_t)(end - name));
		key[end - name] = '\0';
		name = key;
		if (!bsearch(&name, d->names, d->n, sizeof *d->names, name_cmp))
			return true;
	}
	return false;
}

bool dirnames_absent(int root, const char *path)
{
	struct dir_names *d;
	const char *base;

	if (ancestor_lacks(path))
		return true;
	d = dir_of(path);
	if (!d)
		return false;
	if (!d->listed && !d->absent && d->missed == 2) {
		d->missed++; /* listed once, whatever comes of it */
		dir_list(root, d);
	}
	if (d->absent)
		return true;
	if (!d->listed)
		return false;
	base = path + d->len + 1;
	return !bsearch(&base, d->names, d->n, sizeof *d->names, name_cmp);
}
