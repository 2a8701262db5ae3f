// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What nook overlay list, diff and rm share: escaping, paths and name lists for the walks,
 * an overlay's directory, meta and lock, opacity, and a user namespace with the caller's
 * subordinate ids for what a sandbox left owned by them.
 *
 * The rules of overlay.c hold here too: from directory fd to directory fd with O_NOFOLLOW
 * and fstatat(AT_SYMLINK_NOFOLLOW), no path handed to the kernel, everything printed escaped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <search.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cli/overlay_store.h"
#include "policy/build.h"
#include "policy/overlay.h"
#include "policy/subid.h"
#include "sandbox/launch.h"
#include "util/err.h"

/* meta is a few short lines; anything bigger was not written by nook. */
#define META_MAX 65536

/* The opacity xattrs of both drivers; OPAQUE_WHITEOUT is the other marker (see overlayfs.rst). */
static const char *const opaque_xattrs[] = {
	"user.overlay.opaque",       /* the kernel's, with userxattr */
	"trusted.overlay.opaque",    /* the kernel's, privileged (fuse-overlayfs tries it first) */
	"user.fuseoverlayfs.opaque", /* fuse-overlayfs without privileges */
};

/* ---- small helpers ---- */

char *ovl_escaped(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		n += (*p < 0x20 || *p == 0x7f || *p == '\\') ? 4 : 1;
	out = o = xmalloc(n + 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == '\\') {
			snprintf(o, 5, "\\x%02x", *p);
			o += 4;
		} else {
			*o++ = (char)*p;
		}
	}
	*o = '\0';
	return out;
}

size_t ovl_path_push(struct pathbuf *p, const char *name)
{
	size_t old = p->len, n = strlen(name);

	if (p->len + n + 2 > p->cap) {
		p->cap = (p->len + n + 2) * 2;
		p->s = xreallocarray(p->s, p->cap, 1);
	}
	p->s[p->len++] = '/';
	memcpy(p->s + p->len, name, n + 1);
	p->len += n;
	return old;
}

void ovl_path_pop(struct pathbuf *p, size_t old)
{
	p->len = old;
	p->s[old] = '\0';
}

const char *ovl_path_str(const struct pathbuf *p)
{
	return p->len ? p->s : "/";
}

void ovl_names_add(struct names *ns, const char *name)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	ns->v[ns->n++] = xstrdup(name);
}

void ovl_names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof *ns);
}

int ovl_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ovl_names_read(int fd, struct names *ns)
{
	int dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *dir;
	int err;

	if (dfd < 0)
		return -1;
	dir = fdopendir(dfd);
	if (!dir) {
		err = errno;
		close(dfd);
		errno = err;
		return -1;
	}
	for (;;) {
		errno = 0;
		de = readdir(dir);
		if (!de)
			break;
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			ovl_names_add(ns, de->d_name);
	}
	err = errno;
	closedir(dir);
	if (err) {
		ovl_names_free(ns);
		errno = err;
		return -1;
	}
	if (ns->n)
		qsort(ns->v, ns->n, sizeof *ns->v, ovl_cmp_str);
	return 0;
}

int ovl_store_list(const char *what, const char *path, int *base, struct names *ns)
{
	*base = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*base < 0 && errno != ENOENT) {
		autofree char *shown = ovl_escaped(path);

		warn_errno("%s: cannot open %s", what, shown);
		return -1;
	}
	if (*base >= 0 && ovl_names_read(*base, ns) < 0) {
		autofree char *shown = ovl_escaped(path);

		warn_errno("%s: cannot list %s", what, shown);
		return -1;
	}
	return 0;
}

bool ovl_names_has(const struct names *ns, const char *name)
{
	return ns->n && bsearch(&name, ns->v, ns->n, sizeof *ns->v, ovl_cmp_str) != NULL;
}

/* ---- the overlays directory and an overlay's meta ---- */

int ovl_store_open(const char *what, const char *kind, const char *path, const char *name,
		   int *base, int *dir)
{
	autofree char *shown = ovl_escaped(path);
	const char *article = strchr("aeiou", kind[0]) ? "an" : "a";

	*base = *dir = -1;
	/* The base is the user's own configuration: following symlinks to it is theirs to ask. */
	*base = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*base < 0 && errno == ENOENT) {
		warnx_("%s: no such %s (%s does not exist)", what, kind, shown);
		return -1;
	}
	if (*base < 0) {
		warn_errno("%s: cannot open %s", what, shown);
		return -1;
	}
	*dir = openat(*base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*dir < 0) {
		if (errno == ENOENT)
			warnx_("%s: no such %s in %s", what, kind, shown);
		else if (errno == ENOTDIR || errno == ELOOP)
			warnx_("%s: %s/%s is not %s %s directory", what, shown, name, article,
			       kind);
		else
			warn_errno("%s: cannot open %s/%s", what, shown, name);
		close(*base);
		*base = -1;
		return -1;
	}
	return 0;
}

int ovl_open(const char *what, const char *name, int *base, int *dir)
{
	struct host_facts facts;
	autofree char *path = NULL;

	host_facts_read(&facts);
	path = overlay_base_dir(&facts);
	host_facts_free(&facts);
	*base = *dir = -1;
	if (!path) {
		warnx_("%s: no home directory to find overlays in (set XDG_DATA_HOME)", what);
		return -1;
	}
	return ovl_store_open(what, "overlay", path, name, base, dir);
}

void ovl_meta_free(struct meta *m)
{
	free(m->lower);
	free(m->driver);
	free(m->path);
	memset(m, 0, sizeof *m);
}

int ovl_meta_read(int dir, struct meta *m)
{
	autoclose int fd = -1;
	autofree char *buf = NULL;
	struct stat st;
	size_t got = 0;
	char *line, *save = NULL;

	memset(m, 0, sizeof *m);
	/* O_NONBLOCK: a fifo planted as meta must not hang us; it is refused below. */
	fd = openat(dir, "meta", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return -1;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	m->have_mtime = true;
	m->mtime = st.st_mtim;
	buf = xmalloc(META_MAX + 1);
	while (got < META_MAX) {
		ssize_t n = read(fd, buf + got, META_MAX - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "lower ", 6) == 0 && line[6]) {
			free(m->lower);
			m->lower = xstrdup(line + 6);
		} else if (strncmp(line, "driver ", 7) == 0 && line[7]) {
			free(m->driver);
			m->driver = xstrdup(line + 7);
		} else if (strncmp(line, "path ", 5) == 0 && line[5]) {
			free(m->path);
			m->path = xstrdup(line + 5);
		}
	}
	return 0;
}

int ovl_lock_held(int dir)
{
	autoclose int fd = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0; /* closing the fd lets it go again */
	return errno == EWOULDBLOCK ? 1 : -1;
}

/* ---- sizes, shared by list ---- */

struct inode_key {
	dev_t dev;
	ino_t ino;
};

static int cmp_inode(const void *a, const void *b)
{
	const struct inode_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

struct sizer {
	uint64_t total;
	void *seen;      /* tsearch tree of the hard-linked inodes counted */
	bool incomplete; /* something could not be read: the total is a lower bound */
};

/* Add ST to the total, a hard-linked inode once, as du --apparent-size does. */
static void size_add(struct sizer *s, const struct stat *st)
{
	if (st->st_nlink > 1 && !S_ISDIR(st->st_mode)) {
		struct inode_key *k = xmalloc(sizeof *k);
		struct inode_key **found;

		k->dev = st->st_dev;
		k->ino = st->st_ino;
		found = tsearch(k, &s->seen, cmp_inode);
		if (!found)
			die("out of memory");
		if (*found != k) {
			free(k);
			return;
		}
	}
	s->total += (uint64_t)st->st_size;
}

static void size_walk(struct sizer *s, int fd, int depth)
{
	struct names ns = {0};

	if (ovl_names_read(fd, &ns) < 0) {
		s->incomplete = true;
		return;
	}
	for (size_t i = 0; i < ns.n; i++) {
		struct stat st;
		int child;

		if (fstatat(fd, ns.v[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			s->incomplete = true;
			continue;
		}
		size_add(s, &st);
		if (!S_ISDIR(st.st_mode))
			continue;
		if (depth >= MAX_DEPTH) {
			s->incomplete = true;
			continue;
		}
		child = openat(fd, ns.v[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			s->incomplete = true;
			continue;
		}
		size_walk(s, child, depth + 1);
		close(child);
	}
	ovl_names_free(&ns);
}

void ovl_human_size(uint64_t n, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	uint64_t unit = 1;

	if (n < 1024) {
		snprintf(buf, size, "%" PRIu64, n);
		return;
	}
	for (size_t e = 0; e < sizeof units - 1; e++) {
		uint64_t whole;

		unit *= 1024;
		if (n / unit < 10) {
			/* Split so that nothing overflows even for exabytes. */
			uint64_t tenths = n / unit * 10 + ((n % unit) * 10 + unit - 1) / unit;

			if (tenths < 100)
				snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", tenths / 10,
					 tenths % 10, units[e]);
			else
				snprintf(buf, size, "10%c", units[e]);
			return;
		}
		whole = n / unit + (n % unit != 0);
		if (whole < 1024 || e == sizeof units - 2) {
			snprintf(buf, size, "%" PRIu64 "%c", whole, units[e]);
			return;
		}
	}
}

bool ovl_tree_size(int fd, uint64_t *total)
{
	struct sizer s = {0};
	struct stat st;

	/* du counts the directory itself too. */
	if (fstat(fd, &st) == 0)
		size_add(&s, &st);
	else
		s.incomplete = true;
	size_walk(&s, fd, 0);
	tdestroy(s.seen, free);
	*total = s.total;
	return !s.incomplete;
}

/* ---- removal, shared by rm ---- */

/*
 * rm must remove whatever a sandbox made, however deep: below this depth it moves the
 * subtree up to the entry's directory and takes it from there, so it holds at most this
 * many fds at once and never refuses.
 */
#define RM_DEPTH 64

struct rm {
	const char *what;
	int top;        /* the entry's directory, where too-deep subtrees are moved */
	unsigned moved; /* subtrees moved up in this pass: another pass is needed */
	unsigned counter;
	struct pathbuf path; /* relative to the overlay's directory, for errors */
	char *error;         /* the first failure, printed by the caller: it may retry */
	int err;             /* its errno */
};

/* Record "WHAT: cannot VERB upper/x/yWHY" and errno; returns -1. */
static int rm_fail(struct rm *r, const char *verb, const char *why)
{
	autofree char *p = ovl_escaped(r->path.len ? r->path.s + 1 : ".");

	r->err = errno;
	free(r->error);
	r->error = xasprintf("%s: cannot %s %s%s", r->what, verb, p, why);
	return -1;
}

/* rm_fail for removing top-level entry NAME, or the entry's directory (NULL). */
static int rm_fail_at(struct rm *r, const char *name)
{
	int err = errno;

	ovl_path_pop(&r->path, 0);
	if (name)
		ovl_path_push(&r->path, name);
	errno = err;
	return rm_fail(r, "remove", "");
}

/* Move directory NAME of FD to the top as a fresh name; the next pass removes it there. */
static int rm_move_up(struct rm *r, int fd, const char *name)
{
	for (;;) {
		char tmp[32];

		snprintf(tmp, sizeof tmp, "deep~%u", r->counter++);
		if (renameat2(fd, name, r->top, tmp, RENAME_NOREPLACE) == 0) {
			r->moved++;
			return 0;
		}
		if (errno != EEXIST)
			return rm_fail(r, "move", " up to remove it");
	}
}

/* Remove everything in directory FD; at the top (DEPTH 0) all but meta and lock. */
static int rm_tree(struct rm *r, int fd, int depth)
{
	struct names ns = {0};
	int ret = -1;

	if (ovl_names_read(fd, &ns) < 0) {
		rm_fail(r, "list", "");
		return -1;
	}
	for (size_t i = 0; i < ns.n; i++) {
		const char *name = ns.v[i];
		size_t old = ovl_path_push(&r->path, name);
		struct stat st;
		int child, err;

		if (depth == 0 && (strcmp(name, "meta") == 0 || strcmp(name, "lock") == 0))
			goto next;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				goto next;
			rm_fail(r, "look up", "");
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			/* A symlink goes, never what it points to. */
			if (unlinkat(fd, name, 0) < 0 && errno != ENOENT) {
				rm_fail(r, "remove", "");
				goto out;
			}
			goto next;
		}
		/*
		 * Listing needs r, removing entries w, reaching them x; the kernel overlay's
		 * work/work is mode 000. AT_SYMLINK_NOFOLLOW: glibc refuses rather than follow.
		 */
		if ((st.st_mode & S_IRWXU) != S_IRWXU &&
		    fchmodat(fd, name, S_IRWXU, AT_SYMLINK_NOFOLLOW) < 0) {
			rm_fail(r, "open up", " to remove it");
			goto out;
		}
		if (depth + 1 >= RM_DEPTH) {
			if (rm_move_up(r, fd, name) < 0)
				goto out;
			goto next;
		}
		child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			rm_fail(r, "open", "");
			goto out;
		}
		err = rm_tree(r, child, depth + 1);
		close(child);
		if (err < 0)
			goto out;
		if (unlinkat(fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
			rm_fail(r, "remove", "");
			goto out;
		}
next:
		ovl_path_pop(&r->path, old);
	}
	ret = 0;
out:
	ovl_names_free(&ns);
	return ret;
}

/*
 * Remove entry directory DIR (NAME in BASE): its contents first and meta last, so that a
 * removal that fails half-way still leaves an entry that says what it was.
 */
static int rm_all(struct rm *r, int base, int dir, const char *name)
{
	do {
		r->moved = 0;
		ovl_path_pop(&r->path, 0);
		if (rm_tree(r, dir, 0) < 0)
			return -1;
	} while (r->moved);
	if (unlinkat(dir, "meta", 0) < 0 && errno != ENOENT)
		return rm_fail_at(r, "meta");
	if (unlinkat(dir, "lock", 0) < 0 && errno != ENOENT)
		return rm_fail_at(r, "lock");
	if (unlinkat(base, name, AT_REMOVEDIR) < 0)
		return rm_fail_at(r, NULL);
	return 0;
}

struct rm_job {
	struct rm *r;
	int base, dir;
	const char *name;
};

static int rm_in_userns(void *arg)
{
	struct rm_job *j = arg;

	if (rm_all(j->r, j->base, j->dir, j->name) == 0)
		return 0;
	errno = j->r->err;
	warn_errno("%s", j->r->error);
	return -1;
}

int ovl_store_rm(const char *what, int base, int dir, const char *name)
{
	autoclose int lock = -1;
	struct rm r = {.what = what};
	int ret;

	/*
	 * Held until the directory is gone: a sandbox starting meanwhile finds the entry in use
	 * instead of a half-removed one. No lock file: nothing can hold it.
	 */
	lock = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (lock < 0 && errno != ENOENT) {
		warn_errno("%s: cannot open its lock", what);
		return -1;
	}
	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			warnx_("%s: in use by a running sandbox", what);
		else
			warn_errno("%s: cannot lock it", what);
		return -1;
	}
	r.top = dir;
	r.path.s = xstrdup("");
	ret = rm_all(&r, base, dir, name);
	/* What the caller may not remove, a namespace with its subordinate ids may. */
	if (ret < 0 && (r.err == EACCES || r.err == EPERM)) {
		struct rm_job job = {.r = &r, .base = base, .dir = dir, .name = name};

		ret = ovl_in_userns(what, rm_in_userns, &job);
		if (ret == -1) {
			/* The child said why. */
			free(r.error);
			free(r.path.s);
			return -1;
		}
		if (ret == -2)
			ret = -1;
	}
	if (ret < 0) {
		errno = r.err;
		warn_errno("%s", r.error);
	}
	free(r.error);
	free(r.path.s);
	return ret < 0 ? -1 : 0;
}

/* ---- opacity, shared by diff ---- */

int ovl_is_opaque(int fd)
{
	struct stat st;
	char val[8];

	for (size_t i = 0; i < sizeof opaque_xattrs / sizeof opaque_xattrs[0]; i++) {
		ssize_t n = fgetxattr(fd, opaque_xattrs[i], val, sizeof val);

		/* Only "y": the kernel's "x" marks a directory with xattr whiteouts, not opacity. */
		if (n >= 1 && val[0] == 'y')
			return 1;
		/* trusted.* reads as ENODATA without CAP_SYS_ADMIN; ERANGE: not a "y". */
		if (n < 0 && errno != ENODATA && errno != ENOTSUP && errno != ERANGE)
			return -1;
	}
	if (fstatat(fd, OPAQUE_WHITEOUT, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/* ---- a user namespace with the caller's subordinate ids ---- */

int ovl_in_userns(const char *what, int (*fn)(void *arg), void *arg)
{
	struct host_facts h;
	struct subid_ranges su, sg;
	struct id_map uid_map, gid_map;
	struct idmap_request maps;
	int ready[2], go[2], status;
	char byte = 0;
	pid_t pid;
	int ret = -2;

	host_facts_read(&h);
	if (!h.newuidmap || !h.newgidmap || subid_read(h.subuid_path, h.username, h.uid, &su) < 0 ||
	    su.n == 0 || subid_read(h.subgid_path, h.username, h.uid, &sg) < 0 || sg.n == 0)
		goto out;
	subid_map_root(h.uid, &su, &uid_map);
	subid_map_root(h.gid, &sg, &gid_map);
	maps = (struct idmap_request){
		.uid_map = &uid_map,
		.gid_map = &gid_map,
		.helpers = true,
		.newuidmap = h.newuidmap,
		.newgidmap = h.newgidmap,
		.subuid_file = h.subuid_path,
		.subgid_file = h.subgid_path,
	};
	if (pipe2(ready, O_CLOEXEC) < 0)
		goto out;
	if (pipe2(go, O_CLOEXEC) < 0) {
		close(ready[0]);
		close(ready[1]);
		goto out;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		close(go[1]);
		cleanup_forget_all();
		/* Nothing may outlive nook: if it dies, the child dies too. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || unshare(CLONE_NEWUSER) < 0)
			_exit(2);
		if (write(ready[1], &byte, 1) != 1 || read(go[0], &byte, 1) != 1)
			_exit(2);
		_exit(fn(arg) == 0 ? 0 : 1);
	}
	close(ready[1]);
	close(go[0]);
	if (pid > 0 && read(ready[0], &byte, 1) == 1) {
		/* Dies with one line if a helper refuses; the child then reads EOF and exits. */
		idmap_write(pid, &maps);
		if (write(go[1], &byte, 1) != 1)
			kill(pid, SIGKILL);
	}
	close(ready[0]);
	close(go[1]);
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR)
				die_errno("%s: waiting for its child", what);
		/* 2: the namespace could not be made; the caller reports its own error. */
		if (WIFEXITED(status) && WEXITSTATUS(status) <= 1)
			ret = WEXITSTATUS(status) == 0 ? 0 : -1;
	}
out:
	host_facts_free(&h);
	return ret;
}

/* The outside id of INSIDE under map M, if M maps it. */
static bool map_outside(const struct id_map *m, uint32_t inside, uint32_t *out)
{
	for (size_t i = 0; i < m->n; i++) {
		if (inside >= m->r[i].inside && inside - m->r[i].inside < m->r[i].count) {
			*out = m->r[i].outside + (inside - m->r[i].inside);
			return true;
		}
	}
	return false;
}

static uint32_t read_overflow(const char *path)
{
	char buf[32] = "";
	autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;

	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (uint32_t)strtoul(buf, NULL, 10) : 65534;
}

void ovl_idview_init(struct idview *v, uint32_t self, const char *file, const char *user,
		     uint32_t uid, const char *overflow)
{
	uint32_t ov = read_overflow(overflow);
	struct id_map m;

	memset(v, 0, sizeof *v);
	v->self = self;
	if (subid_read(file, user, uid, &v->sub) < 0)
		v->sub.n = 0;
	if (v->sub.n == 0)
		return;
	subid_map_root(self, &v->sub, &m);
	if (map_outside(&m, ov, &v->nobody[v->nnobody]))
		v->nnobody++;
	subid_map_keep_id(self, &v->sub, &m);
	if (map_outside(&m, ov, &v->nobody[v->nnobody]))
		v->nnobody++;
}

static bool id_is_nobody(const struct idview *v, uint32_t id)
{
	if (id == v->self)
		return false;
	for (size_t i = 0; i < v->nnobody; i++)
		if (id == v->nobody[i])
			return true;
	for (size_t i = 0; i < v->sub.n; i++)
		if (id >= v->sub.r[i].start && id - v->sub.r[i].start < v->sub.r[i].count)
			return false;
	return true;
}

bool ovl_same_owner(const struct idview *v, uint32_t a, uint32_t b)
{
	return a == b || (!v->in_ns && id_is_nobody(v, a) && id_is_nobody(v, b));
}
