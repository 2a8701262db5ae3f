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
#include <sched.h>
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
	"user.overlay.opaque",         /* the kernel's, with userxattr */
	"trusted.overlay.opaque",      /* the kernel's, privileged (fuse-overlayfs tries it first) */
	"user.fuseoverlayfs.opaque",   /* fuse-overlayfs without privileges */
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

bool ovl_names_has(const struct names *ns, const char *name)
{
	return ns->n && bsearch(&name, ns->v, ns->n, sizeof *ns->v, ovl_cmp_str) != NULL;
}

/* ---- the overlays directory and an overlay's meta ---- */

int ovl_open(const char *what, const char *name, int *base, int *dir)
{
	struct host_facts facts;
	autofree char *path = NULL;
	autofree char *shown = NULL;

	host_facts_read(&facts);
	path = overlay_base_dir(&facts);
	host_facts_free(&facts);
	*base = *dir = -1;
	if (!path) {
		warnx_("%s: no home directory to find overlays in (set XDG_DATA_HOME)", what);
		return -1;
	}
	shown = ovl_escaped(path);
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

void ovl_meta_free(struct meta *m)
{
	free(m->lower);
	free(m->driver);
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
		return 0;    /* closing the fd lets it go again */
	return errno == EWOULDBLOCK ? 1 : -1;
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
	if (!h.newuidmap || !h.newgidmap ||
	    subid_read(h.subuid_path, h.username, h.uid, &su) < 0 || su.n == 0 ||
	    subid_read(h.subgid_path, h.username, h.uid, &sg) < 0 || sg.n == 0)
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
