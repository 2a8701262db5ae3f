// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook overlay: list, diff and remove the named overlays that --overlay=NAME keeps in
 * $XDG_DATA_HOME/nook/overlays/NAME/ (upper/, work/, meta, lock).
 *
 * An upper layer is written by a sandboxed program: it may hold symlinks to anywhere, names
 * with newlines, directories nested thousands deep or without permissions. So every walk
 * here goes from directory fd to directory fd with O_NOFOLLOW and fstatat(AT_SYMLINK_NOFOLLOW),
 * never builds a path to hand to the kernel, and escapes what it prints.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/openat2.h>
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
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "policy/build.h"
#include "policy/overlay.h"
#include "policy/subid.h"
#include "sandbox/internal.h"
#include "util/err.h"

/* Deeper than any real tree; past it diff fails rather than exhaust fds or stack. */
#define MAX_DEPTH 256
/*
 * rm must remove whatever a sandbox made, however deep: below this depth it moves the
 * subtree up to the overlay's directory and takes it from there, so it holds at most this
 * many fds at once and never refuses.
 */
#define RM_DEPTH 64
/* meta is a few short lines; anything bigger was not written by nook. */
#define META_MAX 65536

/* The whiteout and opacity markers of both drivers (see overlayfs.rst, fuse-overlayfs). */
#define WHITEOUT_PREFIX ".wh."
#define OPAQUE_WHITEOUT ".wh..wh..opq"
static const char *const opaque_xattrs[] = {
	"user.overlay.opaque",         /* the kernel's, with userxattr */
	"trusted.overlay.opaque",      /* the kernel's, privileged (fuse-overlayfs tries it first) */
	"user.fuseoverlayfs.opaque",   /* fuse-overlayfs without privileges */
};

/* ---- small helpers ---- */

/* S with control characters, DEL and '\' as \xNN: one entry stays one line, unforgeable. */
static char *escaped(const char *s)
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

/* A path grown and shrunk as a walk goes down and up: "" is the root, then "/etc", ... */
struct pathbuf {
	char *s;
	size_t len, cap;
};

static size_t path_push(struct pathbuf *p, const char *name)
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

static void path_pop(struct pathbuf *p, size_t old)
{
	p->len = old;
	p->s[old] = '\0';
}

/* The root itself shows as "/". */
static const char *path_str(const struct pathbuf *p)
{
	return p->len ? p->s : "/";
}

struct names {
	char **v;
	size_t n, cap;
};

static void names_add(struct names *ns, const char *name)
{
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof *ns->v);
	}
	ns->v[ns->n++] = xstrdup(name);
}

static void names_free(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof *ns);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The entries of directory FD but "." and "..", sorted. FD may be O_PATH; a fresh open of "."
 * gives readdir an offset of its own, so FD can be listed again. -1 with errno on failure.
 */
static int names_read(int fd, struct names *ns)
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
			names_add(ns, de->d_name);
	}
	err = errno;
	closedir(dir);
	if (err) {
		names_free(ns);
		errno = err;
		return -1;
	}
	if (ns->n)
		qsort(ns->v, ns->n, sizeof *ns->v, cmp_str);
	return 0;
}

static bool names_has(const struct names *ns, const char *name)
{
	return ns->n && bsearch(&name, ns->v, ns->n, sizeof *ns->v, cmp_str) != NULL;
}

/* ---- the overlays directory and an overlay's meta ---- */

/* Open the overlays directory into *BASE and overlay NAME's into *DIR; WHAT prefixes errors. */
static int overlay_open(const char *what, const char *name, int *base, int *dir)
{
	autofree char *path = overlay_base_dir();
	autofree char *shown = NULL;

	*base = *dir = -1;
	if (!path) {
		warnx_("%s: no home directory to find overlays in (set XDG_DATA_HOME)", what);
		return -1;
	}
	shown = escaped(path);
	/* The base is the user's own configuration: following symlinks to it is theirs to ask. */
	*base = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (*base < 0 && errno == ENOENT) {
		warnx_("%s: no such overlay (%s does not exist)", what, shown);
		return -1;
	}
	if (*base < 0) {
		warn_errno("%s: cannot open %s", what, shown);
		return -1;
	}
	*dir = openat(*base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*dir < 0) {
		if (errno == ENOENT)
			warnx_("%s: no such overlay in %s", what, shown);
		else if (errno == ENOTDIR || errno == ELOOP)
			warnx_("%s: %s/%s is not an overlay directory", what, shown, name);
		else
			warn_errno("%s: cannot open %s/%s", what, shown, name);
		close(*base);
		*base = -1;
		return -1;
	}
	return 0;
}

struct meta {
	char *lower;           /* NULL when meta has no lower line */
	char *driver;          /* NULL when meta has no driver line */
	bool have_mtime;
	struct timespec mtime; /* the last use: the mechanism touches meta at every run */
};

static void meta_free(struct meta *m)
{
	free(m->lower);
	free(m->driver);
	memset(m, 0, sizeof *m);
}

/* Read DIR's meta; -1 with errno (ENOENT: there is none). Unknown lines are for newer nooks. */
static int meta_read(int dir, struct meta *m)
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
		}
	}
	return 0;
}

/* 1 if a sandbox holds DIR's lock, 0 if not (or there is no lock file), -1 with errno. */
static int lock_held(int dir)
{
	autoclose int fd = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return 0;    /* closing the fd lets it go again */
	return errno == EWOULDBLOCK ? 1 : -1;
}

/* ---- opacity, shared by diff ---- */

/* 1 if upper directory FD is opaque in either driver's encoding, 0 if not, -1 with errno. */
static int is_opaque(int fd)
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

/*
 * A sandbox with subordinate ids leaves files owned by them (fuse-overlayfs copies a
 * directory of root's up as the sandbox's nobody, a payload running as another user makes
 * mode-0700 directories), which the caller can neither read nor remove. Root of a user
 * namespace mapping the caller and its subordinate ids, as --userns=root does, can.
 *
 * Run FN(ARG) there, in a forked child. Returns what FN returned (0, or -1 after it printed
 * why), or -2 when there is no such namespace to be had (no ranges, no newuidmap), with
 * nothing printed.
 */
static int in_userns(const char *what, int (*fn)(void *arg), void *arg)
{
	struct host_facts h;
	struct subid_ranges su, sg;
	struct spec sp;
	int ready[2], go[2], status;
	char byte = 0;
	pid_t pid;
	int ret = -2;

	host_facts_read(&h);
	if (!h.newuidmap || !h.newgidmap ||
	    subid_read(h.subuid_path, h.username, h.uid, &su) < 0 || su.n == 0 ||
	    subid_read(h.subgid_path, h.username, h.uid, &sg) < 0 || sg.n == 0)
		goto out;
	memset(&sp, 0, sizeof sp);
	sp.idmap_helpers = true;
	sp.newuidmap = h.newuidmap;
	sp.newgidmap = h.newgidmap;
	subid_map_root(h.uid, &su, &sp.uid_map);
	subid_map_root(h.gid, &sg, &sp.gid_map);
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
		idmap_write(pid, &sp);
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

/*
 * Owners as a sandbox sees them. Outside its ids, every id is nobody (the overflow id) to
 * it: so when fuse-overlayfs copies up a directory of root's, it chowns the copy to the
 * subordinate id that is nobody inside. That copy has not changed owner for the sandbox.
 */
struct idview {
	uint32_t self;
	struct subid_ranges sub;
	uint32_t nobody[2];    /* the host ids of nobody inside, under --userns=root and keep-id */
	size_t nnobody;
	bool in_ns;            /* read from inside our own such namespace: already its view */
};

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

/* SELF: the caller's uid or gid; FILE's lines name the caller by USER or by UID. */
static void idview_init(struct idview *v, uint32_t self, const char *file, const char *user,
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

static bool same_owner(const struct idview *v, uint32_t a, uint32_t b)
{
	return a == b || (!v->in_ns && id_is_nobody(v, a) && id_is_nobody(v, b));
}

/* ---- diff ---- */

struct diff {
	const char *what;      /* "overlay diff NAME", for errors */
	FILE *out;             /* the report, printed only when the whole walk worked */
	struct pathbuf path;   /* the sandbox path of what is being looked at */
	int depth;
	/*
	 * The kernel driver over the host mounts one overlay per top-level directory, its upper
	 * layer upper/DIR made by nook (mode 0755, owned by the caller), not copied up from
	 * /DIR: their own mode and owner say nothing of what the sandbox did.
	 */
	bool top_made_by_nook;
	struct idview uids, gids;
	int upper, lower;      /* the roots of both layers */
	char *report;          /* what open_memstream made of out */
	char *error;           /* the first failure, printed by the caller: it may retry */
	int err;               /* its errno, 0 if none goes with it */
};

static void diff_emit(struct diff *d, char tag)
{
	autofree char *p = escaped(path_str(&d->path));

	fprintf(d->out, "%c %s\n", tag, p);
}

/* Record "overlay diff NAME: cannot VERB /path in the LAYER layer" and errno; returns -1. */
static int diff_fail(struct diff *d, const char *verb, const char *layer)
{
	autofree char *p = escaped(path_str(&d->path));

	d->err = errno;
	free(d->error);
	d->error = xasprintf("%s: cannot %s %s in the %s layer", d->what, verb, p, layer);
	return -1;
}

/*
 * Look NAME up in lower directory LOWER (an O_PATH fd, or -1 for none) without following a
 * symlink: 1 and *ST if it is there, 0 if not, -1 with errno.
 */
static int lower_stat(int lower, const char *name, struct stat *st)
{
	if (lower < 0)
		return 0;
	if (fstatat(lower, name, st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

/*
 * The lower directory NAME below LOWER, as an O_PATH fd. overlayfs merges a directory only
 * with a directory of the same name, never with what a lower symlink points to (an upper
 * bin/ over a lower bin -> usr/bin replaces the link), so no symlink is followed here at all,
 * and RESOLVE_BENEATH keeps even a racing rename of the lower from leading out of it.
 */
static int lower_open_dir(int lower, const char *name)
{
	struct open_how how = {
		.flags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	for (int tries = 0; tries < 16; tries++) {
		fd = (int)syscall(SYS_openat2, lower, name, &how, sizeof how);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

struct item {
	const char *name;      /* points into the names lists of diff_dir */
	bool deleted;          /* a whiteout, or a lower entry hidden by opacity */
	struct stat st;        /* the upper entry's, when !deleted */
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* The same name twice is one lower entry whited out and hidden by opacity: adjacent. */
	return c ? c : (int)x->deleted - (int)y->deleted;
}

static int diff_dir(struct diff *d, int upper, int lower, bool opaque);

/* Upper entry IT of directory UPPER (lower LOWER, OPAQUE): its line, then what is below it. */
static int diff_entry(struct diff *d, int upper, int lower, bool opaque, const struct item *it)
{
	autoclose int cupper = -1;
	autoclose int clower = -1;
	struct stat lst;
	bool copaque = false;
	int in_lower, r;

	in_lower = lower_stat(lower, it->name, &lst);
	if (in_lower < 0)
		return diff_fail(d, "look up", "lower");
	if (!S_ISDIR(it->st.st_mode)) {
		/* Any change to a lower file copies it up whole: it is there only if changed. */
		diff_emit(d, in_lower ? 'C' : 'A');
		return 0;
	}
	if (d->depth >= MAX_DEPTH) {
		d->err = 0;
		free(d->error);
		d->error = xasprintf("%s: the upper layer nests directories more than %d deep",
				     d->what, MAX_DEPTH);
		return -1;
	}
	cupper = openat(upper, it->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cupper < 0)
		return diff_fail(d, "open", "upper");
	if (!in_lower) {
		diff_emit(d, 'A');
	} else if (!S_ISDIR(lst.st_mode)) {
		/* A directory replaced a file or a symlink: nothing of the lower shows below it. */
		diff_emit(d, 'C');
	} else {
		r = is_opaque(cupper);
		if (r < 0)
			return diff_fail(d, "read the xattrs of", "upper");
		/* Below an opaque directory nothing is merged: its subdirectories hide theirs too. */
		copaque = r || opaque;
		if (copaque || (!(d->top_made_by_nook && d->depth == 0) &&
				(it->st.st_mode != lst.st_mode ||
				 !same_owner(&d->uids, it->st.st_uid, lst.st_uid) ||
				 !same_owner(&d->gids, it->st.st_gid, lst.st_gid))))
			diff_emit(d, 'C');
		clower = lower_open_dir(lower, it->name);
		if (clower < 0)
			return diff_fail(d, "open", "lower");
	}
	d->depth++;
	r = diff_dir(d, cupper, clower, copaque);
	d->depth--;
	return r;
}

/*
 * Report what the upper directory UPPER changes in LOWER (an O_PATH fd, -1 when nothing of
 * the lower is below this point), in name order. OPAQUE: LOWER's entries are hidden.
 */
static int diff_dir(struct diff *d, int upper, int lower, bool opaque)
{
	struct names un = {0}, wh = {0}, ln = {0}, real = {0};
	struct item *items = NULL;
	size_t n = 0;
	int ret = -1;

	if (names_read(upper, &un) < 0) {
		diff_fail(d, "list", "upper");
		goto out;
	}
	/* Room for every upper entry and every lower one, deleted or not. */
	items = xcalloc(un.n + 1, sizeof *items);
	for (size_t i = 0; i < un.n; i++) {
		const char *name = un.v[i];
		struct stat st;
		size_t old;

		if (fstatat(upper, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			old = path_push(&d->path, name);
			diff_fail(d, "look up", "upper");
			path_pop(&d->path, old);
			goto out;
		}
		if (strcmp(name, OPAQUE_WHITEOUT) == 0)
			continue;
		/*
		 * fuse-overlayfs without mknod writes ".wh.X"; with it, and the kernel, a 0:0
		 * character device X. Like fuse-overlayfs, read every ".wh." name as a marker
		 * (it also leaves a 0:0 device ".wh..opq" beside ".wh..wh..opq").
		 */
		if (strncmp(name, WHITEOUT_PREFIX, strlen(WHITEOUT_PREFIX)) == 0) {
			if (name[strlen(WHITEOUT_PREFIX)])
				names_add(&wh, name + strlen(WHITEOUT_PREFIX));
			continue;
		}
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
			names_add(&wh, name);
			continue;
		}
		items[n++] = (struct item){.name = name, .st = st};
		names_add(&real, name);
	}
	if (real.n)
		qsort(real.v, real.n, sizeof *real.v, cmp_str);

	/* A whiteout is a change only if it hides something; an entry beside it wins. */
	for (size_t i = 0; i < wh.n; i++) {
		struct stat st;
		int r;

		if (names_has(&real, wh.v[i]))
			continue;
		r = lower_stat(lower, wh.v[i], &st);
		if (r < 0) {
			size_t old = path_push(&d->path, wh.v[i]);

			diff_fail(d, "look up", "lower");
			path_pop(&d->path, old);
			goto out;
		}
		if (r) {
			items = xreallocarray(items, n + 1, sizeof *items);
			items[n++] = (struct item){.name = wh.v[i], .deleted = true};
		}
	}
	if (opaque && lower >= 0) {
		if (names_read(lower, &ln) < 0) {
			diff_fail(d, "list", "lower");
			goto out;
		}
		items = xreallocarray(items, n + ln.n + 1, sizeof *items);
		for (size_t i = 0; i < ln.n; i++)
			if (!names_has(&real, ln.v[i]))
				items[n++] = (struct item){.name = ln.v[i], .deleted = true};
	}
	if (n)
		qsort(items, n, sizeof *items, cmp_item);

	for (size_t i = 0; i < n; i++) {
		size_t old;
		int r = 0;

		/* A lower entry both whited out and hidden by opacity is one deletion. */
		if (i > 0 && strcmp(items[i].name, items[i - 1].name) == 0)
			continue;
		old = path_push(&d->path, items[i].name);
		if (items[i].deleted)
			diff_emit(d, 'D');
		else
			r = diff_entry(d, upper, lower, opaque, &items[i]);
		path_pop(&d->path, old);
		if (r < 0)
			goto out;
	}
	ret = 0;
out:
	free(items);
	names_free(&un);
	names_free(&wh);
	names_free(&ln);
	names_free(&real);
	return ret;
}

/* Record "overlay diff NAME: cannot WHAT" and errno; returns -1. */
static int diff_fail_report(struct diff *d, const char *what)
{
	d->err = errno;
	free(d->error);
	d->error = xasprintf("%s: cannot %s the report", d->what, what);
	return -1;
}

/* Walk both layers; print the report only if the whole walk worked, else record why. */
static int diff_walk(struct diff *d)
{
	size_t len = 0;
	int r;

	free(d->error);
	d->error = NULL;
	free(d->report);
	d->report = NULL;
	d->depth = 0;
	path_pop(&d->path, 0);
	r = is_opaque(d->upper);
	if (r < 0)
		return diff_fail(d, "read the xattrs of", "upper");
	d->out = open_memstream(&d->report, &len);
	if (!d->out)
		return diff_fail_report(d, "make");
	r = diff_dir(d, d->upper, d->lower, r == 1);
	if (fclose(d->out) != 0 && r == 0)
		r = diff_fail_report(d, "make");
	if (r < 0)
		return -1;
	if (fwrite(d->report, 1, len, stdout) != len || fflush(stdout) != 0)
		return diff_fail_report(d, "write");
	return 0;
}

static void diff_report_error(const struct diff *d)
{
	errno = d->err;
	if (d->err)
		warn_errno("%s", d->error);
	else
		warnx_("%s", d->error);
}

/* In the user namespace: ids read there are already as a sandbox sees them. */
static int diff_in_userns(void *arg)
{
	struct diff *d = arg;

	d->uids.in_ns = d->gids.in_ns = true;
	if (diff_walk(d) == 0)
		return 0;
	diff_report_error(d);
	return -1;
}

static int overlay_diff(const char *name)
{
	autofree char *what = xasprintf("overlay diff %s", name);
	autoclose int base = -1;
	autoclose int dir = -1;
	autoclose int upper = -1;
	autoclose int lower = -1;
	autofree char *shown = NULL;
	struct diff d = {.what = what};
	struct host_facts h;
	struct meta m;
	int r;

	if (overlay_open(what, name, &base, &dir) < 0)
		return EXIT_NOOK_FAILED;
	if (meta_read(dir, &m) < 0) {
		warn_errno("%s: cannot read its meta", what);
		return EXIT_NOOK_FAILED;
	}
	if (!m.lower) {
		warnx_("%s: its meta names no lower layer", what);
		meta_free(&m);
		return EXIT_NOOK_FAILED;
	}
	d.top_made_by_nook = m.driver && strcmp(m.driver, "kernel") == 0 &&
			     strcmp(m.lower, "/") == 0;
	shown = escaped(m.lower);
	/* The lower's own path was chosen by the user, as --rootfs was: follow it as they did. */
	lower = open(m.lower, O_PATH | O_DIRECTORY | O_CLOEXEC);
	meta_free(&m);
	if (lower < 0) {
		warn_errno("%s: cannot open its lower layer %s", what, shown);
		return EXIT_NOOK_FAILED;
	}
	upper = openat(dir, "upper", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (upper < 0) {
		warn_errno("%s: cannot open its upper layer", what);
		return EXIT_NOOK_FAILED;
	}
	host_facts_read(&h);
	idview_init(&d.uids, h.uid, h.subuid_path, h.username, h.uid,
		    "/proc/sys/kernel/overflowuid");
	idview_init(&d.gids, h.gid, h.subgid_path, h.username, h.uid,
		    "/proc/sys/kernel/overflowgid");
	host_facts_free(&h);
	d.upper = upper;
	d.lower = lower;
	d.path.s = xstrdup("");
	r = diff_walk(&d);
	/* What the caller may not read, a namespace with its subordinate ids may. */
	if (r < 0 && (d.err == EACCES || d.err == EPERM)) {
		int u = in_userns(what, diff_in_userns, &d);

		if (u != -2) {
			r = u;
			d.err = -1;    /* the child said why */
		}
	}
	if (r < 0 && d.err != -1)
		diff_report_error(&d);
	free(d.path.s);
	free(d.report);
	free(d.error);
	return r < 0 ? EXIT_NOOK_FAILED : 0;
}

/* ---- list ---- */

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
	void *seen;            /* tsearch tree of the hard-linked inodes counted */
	bool incomplete;       /* something could not be read: the total is a lower bound */
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
			die("overlay list: out of memory");
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

	if (names_read(fd, &ns) < 0) {
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
	names_free(&ns);
}

/* N bytes as du -h prints them: 1024-based, rounded up, one decimal below 10 (4.0K, 12M). */
static void human_size(uint64_t n, char *buf, size_t size)
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

struct row {
	char *name;
	char size[16];
	char last[32];
	char *lower;           /* escaped */
	bool in_use;
	bool unreadable;       /* size "?": part of the upper layer could not be read */
};

static void row_fill(struct row *row, int base, const char *name)
{
	autoclose int dir = -1;
	autoclose int upper = -1;
	struct meta m;

	row->name = xstrdup(name);
	strcpy(row->size, "?");
	strcpy(row->last, "-");
	dir = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0) {
		row->lower = xstrdup("?");
		row->unreadable = true;
		return;
	}
	if (meta_read(dir, &m) == 0) {
		struct tm tm;

		if (localtime_r(&m.mtime.tv_sec, &tm))
			strftime(row->last, sizeof row->last, "%Y-%m-%d %H:%M", &tm);
		row->lower = escaped(m.lower ? m.lower : "-");
		meta_free(&m);
	} else {
		row->lower = xstrdup("-");
	}
	row->in_use = lock_held(dir) == 1;
	upper = openat(dir, "upper", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (upper < 0 && errno == ENOENT) {
		strcpy(row->size, "-");
	} else if (upper >= 0) {
		struct sizer s = {0};
		struct stat st;

		/* du counts the directory itself too. */
		if (fstat(upper, &st) == 0)
			size_add(&s, &st);
		else
			s.incomplete = true;
		size_walk(&s, upper, 0);
		tdestroy(s.seen, free);
		if (!s.incomplete)
			human_size(s.total, row->size, sizeof row->size);
		row->unreadable = s.incomplete;
	} else {
		row->unreadable = true;
	}
}

static int overlay_list(bool retry);

static int list_in_userns(void *arg)
{
	return overlay_list(false) == 0 ? 0 : -1;
}

/* RETRY: if a size cannot be read, list again from a namespace that can read it. */
static int overlay_list(bool retry)
{
	autofree char *path = overlay_base_dir();
	autoclose int base = -1;
	struct names ns = {0};
	struct row *rows = NULL;
	size_t n = 0;
	int wname = 4, wsize = 4;
	bool unreadable = false;

	if (!path) {
		warnx_("overlay list: no home directory to find overlays in (set XDG_DATA_HOME)");
		return EXIT_NOOK_FAILED;
	}
	base = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (base < 0 && errno != ENOENT) {
		autofree char *shown = escaped(path);

		warn_errno("overlay list: cannot open %s", shown);
		return EXIT_NOOK_FAILED;
	}
	if (base >= 0 && names_read(base, &ns) < 0) {
		autofree char *shown = escaped(path);

		warn_errno("overlay list: cannot list %s", shown);
		return EXIT_NOOK_FAILED;
	}
	rows = xcalloc(ns.n + 1, sizeof *rows);
	for (size_t i = 0; i < ns.n; i++) {
		struct stat st;

		/* Only what --overlay=NAME could have made: skip strays and leftovers. */
		if (!overlay_name_valid(ns.v[i]) ||
		    fstatat(base, ns.v[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		row_fill(&rows[n], base, ns.v[i]);
		if ((int)strlen(rows[n].name) > wname)
			wname = (int)strlen(rows[n].name);
		if ((int)strlen(rows[n].size) > wsize)
			wsize = (int)strlen(rows[n].size);
		unreadable |= rows[n].unreadable;
		n++;
	}
	names_free(&ns);
	/* The caller may not read what a sandbox made as another of its ids; its namespace may. */
	if (unreadable && retry) {
		int u = in_userns("overlay list", list_in_userns, NULL);

		if (u != -2) {
			for (size_t i = 0; i < n; i++) {
				free(rows[i].name);
				free(rows[i].lower);
			}
			free(rows);
			return u < 0 ? EXIT_NOOK_FAILED : 0;
		}
	}
	printf("%-*s  %*s  %-16s  %s\n", wname, "NAME", wsize, "SIZE", "LAST USE", "LOWER");
	for (size_t i = 0; i < n; i++) {
		printf("%-*s  %*s  %-16s  %s%s\n", wname, rows[i].name, wsize, rows[i].size,
		       rows[i].last, rows[i].lower, rows[i].in_use ? "  in-use" : "");
		free(rows[i].name);
		free(rows[i].lower);
	}
	free(rows);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn_errno("overlay list: cannot write the list");
		return EXIT_NOOK_FAILED;
	}
	return 0;
}

/* ---- rm ---- */

struct rm {
	const char *what;
	int top;               /* the overlay's directory, where too-deep subtrees are moved */
	unsigned moved;        /* subtrees moved up in this pass: another pass is needed */
	unsigned counter;
	struct pathbuf path;   /* relative to the overlay's directory, for errors */
	char *error;           /* the first failure, printed by the caller: it may retry */
	int err;               /* its errno */
};

/* Record "overlay rm NAME: cannot VERB upper/x/yWHY" and errno; returns -1. */
static int rm_fail(struct rm *r, const char *verb, const char *why)
{
	autofree char *p = escaped(r->path.len ? r->path.s + 1 : ".");

	r->err = errno;
	free(r->error);
	r->error = xasprintf("%s: cannot %s %s%s", r->what, verb, p, why);
	return -1;
}

/* rm_fail for removing top-level entry NAME, or the overlay's directory (NULL). */
static int rm_fail_at(struct rm *r, const char *name)
{
	int err = errno;

	path_pop(&r->path, 0);
	if (name)
		path_push(&r->path, name);
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

	if (names_read(fd, &ns) < 0) {
		rm_fail(r, "list", "");
		return -1;
	}
	for (size_t i = 0; i < ns.n; i++) {
		const char *name = ns.v[i];
		size_t old = path_push(&r->path, name);
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
		path_pop(&r->path, old);
	}
	ret = 0;
out:
	names_free(&ns);
	return ret;
}

/*
 * Remove overlay directory DIR (NAME in BASE): the layers first and meta last, so that a
 * removal that fails half-way still leaves an overlay that says what it was made over.
 */
static int rm_all(struct rm *r, int base, int dir, const char *name)
{
	do {
		r->moved = 0;
		path_pop(&r->path, 0);
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

static int overlay_rm(const char *name)
{
	autofree char *what = xasprintf("overlay rm %s", name);
	autoclose int base = -1;
	autoclose int dir = -1;
	autoclose int lock = -1;
	struct rm r = {.what = what};
	int ret;

	if (overlay_open(what, name, &base, &dir) < 0)
		return EXIT_NOOK_FAILED;
	/*
	 * Held until the directory is gone: a sandbox starting meanwhile finds the overlay in
	 * use instead of a half-removed upper layer. No lock file: nothing can hold it.
	 */
	lock = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (lock < 0 && errno != ENOENT) {
		warn_errno("%s: cannot open its lock", what);
		return EXIT_NOOK_FAILED;
	}
	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			warnx_("%s: in use by a running sandbox", what);
		else
			warn_errno("%s: cannot lock it", what);
		return EXIT_NOOK_FAILED;
	}
	r.top = dir;
	r.path.s = xstrdup("");
	ret = rm_all(&r, base, dir, name);
	/* What the caller may not remove, a namespace with its subordinate ids may. */
	if (ret < 0 && (r.err == EACCES || r.err == EPERM)) {
		struct rm_job job = {.r = &r, .base = base, .dir = dir, .name = name};

		ret = in_userns(what, rm_in_userns, &job);
		if (ret == -1) {
			/* The child said why. */
			free(r.error);
			free(r.path.s);
			return EXIT_NOOK_FAILED;
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
	return ret < 0 ? EXIT_NOOK_FAILED : 0;
}

/* ---- the command ---- */

void overlay_help(FILE *out)
{
	fputs("Usage: nook overlay list\n"
	      "       nook overlay diff NAME\n"
	      "       nook overlay rm NAME\n"
	      "Manage the named overlays that 'nook run --overlay=NAME' keeps, in\n"
	      "$XDG_DATA_HOME/nook/overlays (default ~/.local/share/nook/overlays).\n\n"
	      "Commands:\n"
	      "  list        one line per overlay, by name: NAME, SIZE (apparent size of its\n"
	      "              upper layer; ? if unreadable), LAST USE, LOWER (the tree it\n"
	      "              overlays), then in-use while a sandbox runs on it\n"
	      "  diff NAME   what the overlay changes in its lower layer, one path a line, in\n"
	      "              path order: A added, C changed (for a directory: made opaque, or\n"
	      "              its mode or owner changed), D deleted; control characters and\n"
	      "              '\\' in paths print as \\xNN\n"
	      "  rm NAME     remove the overlay and everything written to it; refused while a\n"
	      "              sandbox runs on it\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 on success; 125 on a bad argument, an unknown or busy overlay, or\n"
	      "another failure.\n", out);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* The NAME argument of SUB: exactly one, valid. NULL after the error. */
static const char *name_arg(const char *sub, int argc, char **argv)
{
	autofree char *shown = NULL;

	if (argc < 1) {
		warnx_("overlay %s: missing NAME (see 'nook overlay --help')", sub);
		return NULL;
	}
	if (argc > 1) {
		shown = escaped(argv[1]);
		warnx_("overlay %s: unexpected argument '%s' (it takes one NAME)", sub, shown);
		return NULL;
	}
	if (!overlay_name_valid(argv[0])) {
		shown = escaped(argv[0]);
		warnx_("overlay %s: invalid NAME '%s' (1-64 letters, digits, '_', '.' and '-'; "
		       "not tmp, none, . or ..)", sub, shown);
		return NULL;
	}
	return argv[0];
}

int cmd_overlay(int argc, char **argv)
{
	const char *sub, *name;

	if (argc < 1) {
		warnx_("overlay: missing subcommand (list, diff NAME or rm NAME; see 'nook overlay "
		       "--help')");
		return EXIT_NOOK_FAILED;
	}
	sub = argv[0];
	if (is_help(sub) || (argc == 2 && is_help(argv[1]))) {
		overlay_help(stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
	}
	if (strcmp(sub, "list") == 0) {
		if (argc > 1) {
			autofree char *shown = escaped(argv[1]);

			warnx_("overlay list: unexpected argument '%s' (it takes none)", shown);
			return EXIT_NOOK_FAILED;
		}
		return overlay_list(true);
	}
	if (strcmp(sub, "diff") == 0) {
		name = name_arg(sub, argc - 1, argv + 1);
		return name ? overlay_diff(name) : EXIT_NOOK_FAILED;
	}
	if (strcmp(sub, "rm") == 0) {
		name = name_arg(sub, argc - 1, argv + 1);
		return name ? overlay_rm(name) : EXIT_NOOK_FAILED;
	}
	{
		autofree char *shown = escaped(sub);

		warnx_("overlay: unknown subcommand '%s' (expected list, diff NAME or rm NAME)",
		       shown);
	}
	return EXIT_NOOK_FAILED;
}
