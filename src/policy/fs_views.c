// SPDX-License-Identifier: GPL-2.0-or-later
/* What a sandbox shows of the host: private homes, whitelists, writable paths, displays. */
#include "policy/fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/expand.h"
#include "policy/display.h"
#include "util/err.h"
#include "util/escape.h"

/*
 * The directory a whitelist empties, as firejail's: the home, the runtime dir, or one of a few
 * system directories. NULL elsewhere (/usr/lib, /dev): such a whitelist has nothing to empty.
 */
static const char *whitelist_top(const char *path, const struct session_facts *f)
{
	static const char *const tops[] = {
		"/usr/share", "/var", "/opt", "/srv", "/media", "/mnt", "/tmp", "/etc",
	};

	if (f->home && fs_under(path, f->home) && strcmp(path, f->home) != 0)
		return f->home;
	if (fs_under(path, f->runuser) && strcmp(path, f->runuser) != 0)
		return f->runuser;
	for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++)
		if (fs_under(path, tops[i]) && strcmp(path, tops[i]) != 0)
			return tops[i];
	return NULL;
}

static bool in_strv(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

/* The first whitelist under a directory empties it, once. */
static void empty_top(const struct fs_request *r, const struct session_facts *f, const char *top,
		      struct spec *s)
{
	bool home = f->home && strcmp(top, f->home) == 0;
	struct mount_op *m;

	if (home && (r->private_home || r->private_dir))
		return;
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, top,
			   MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL, "whitelist");
	m->mode = home ? 0700 : 0755;
	m->options = home ? xasprintf("uid=%u,gid=%u,size=%s", s->inside_uid, s->inside_gid,
				      f->tmpfs_size)
			  : xasprintf("size=%s", f->tmpfs_size);
}

/* One bind of a whitelist, and where it goes among the others. */
struct wl_bind {
	char *path;
	bool ro;
	int rank; /* of one path named twice, the higher is mounted last: it wins */
	size_t order;
};

static size_t path_depth(const char *p)
{
	size_t d = 0;

	for (; *p; p++)
		d += *p == '/';
	return d;
}

static int wl_bind_cmp(const void *a, const void *b)
{
	const struct wl_bind *x = a, *y = b;
	size_t dx = path_depth(x->path), dy = path_depth(y->path);
	int c;

	if (dx != dy)
		return dx < dy ? -1 : 1;
	c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/*
 * The whitelists' binds, outer ones first (a directory before what is in it), so that a
 * writable one inside a read-only one stays writable, whichever list names which. One path
 * named twice: the command line's wins over a profile's; of one origin, read-only wins.
 */
static void add_whitelists(const struct fs_request *r, const struct session_facts *f,
			   struct spec *s)
{
	struct strv tops = {0};
	const struct req_list *lists[2] = {&r->whitelist, &r->whitelist_ro};
	struct wl_bind *binds = NULL;
	size_t n = 0;

	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			struct strv expanded = {0};

			fs_expand(lists[l]->v[i].value, f->home, s, &expanded);
			for (size_t j = 0; j < expanded.n; j++) {
				const char *p = expanded.v[j];
				const char *top;

				if (fs_list_matches(&r->nowhitelist, p, false, f->home))
					continue;
				top = whitelist_top(p, f);
				if (!top)
					continue;
				/* The runtime dir is the sandbox's own already: nothing to empty. */
				if (strcmp(top, f->runuser) != 0 && !in_strv(&tops, top)) {
					strv_push(&tops, top);
					empty_top(r, f, top, s);
				}
				binds = xreallocarray(binds, n + 1, sizeof *binds);
				binds[n] = (struct wl_bind){
					.path = xstrdup(p),
					.ro = l == 1,
					.rank = (lists[l]->v[i].cli ? 2 : 0) + (l == 1),
					.order = n,
				};
				n++;
			}
			strv_free(&expanded);
		}
	}
	if (n)
		qsort(binds, n, sizeof *binds, wl_bind_cmp);
	for (size_t i = 0; i < n; i++) {
		spec_add_mount(s, MOUNT_BIND, binds[i].path, binds[i].path,
			       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL |
				       (binds[i].ro ? MOUNT_F_RDONLY : 0),
			       binds[i].ro ? "whitelist-ro" : "whitelist");
		free(binds[i].path);
	}
	free(binds);
	strv_free(&tops);
}

/* mkdir and mkfile create on the host: only in the home or the runtime dir, never via "..". */
static int add_host_creates(const struct req_list *list, const struct session_facts *f,
			    const char *what, struct strv *out)
{
	for (size_t i = 0; i < list->n; i++) {
		autofree char *path = expand_tilde(list->v[i].value, f->home);
		size_t len = strlen(path);

		/* The test below is on the text: ".." would walk out of it. */
		if (strstr(path, "/../") || strstr(path, "/./") ||
		    (len >= 3 && strcmp(path + len - 3, "/..") == 0)) {
			warnx_("%s %s: '..' and '.' are not allowed in the path", what, path);
			return -1;
		}
		if (!((f->home && fs_under(path, f->home)) || fs_under(path, f->runuser))) {
			warnx_("%s %s: only paths in the home directory or %s can be created", what,
			       path, f->runuser);
			return -1;
		}
		strv_push(out, path);
	}
	return 0;
}

/*
 * The first literal path of L (of a blacklist: one that no noblacklist undoes) below DIR, or
 * below REAL (DIR without symbolic links), that does not exist; NULL if none. Patterns name
 * only what exists. REAL_HOME, the home without links, finds "~/.config/x" below a DIR that
 * getcwd() gave without them.
 */
static char *missing_below(const struct req_list *l, const struct req_list *undo,
			   const struct session_facts *f, const char *dir, const char *real,
			   const char *real_home)
{
	/* A home path seen without its links can be below REAL only if the two meet. */
	bool via_real_home = f->home && real_home &&
			     (fs_under(real, real_home) || fs_under(real_home, real));
	size_t home_len = f->home ? strlen(f->home) : 0;

	for (size_t i = 0; i < l->n; i++) {
		const char *value = l->v[i].value;
		autofree char *tilde = NULL;
		autofree char *q_real = NULL;
		const char *q = value;
		struct stat st;

		/* Called for each list entry of each read-write directory: copies only where due. */
		if (value[0] == '~')
			q = tilde = expand_tilde(value, f->home);
		if (!fs_below(q, dir) && !fs_below(q, real)) {
			if (!via_real_home || !fs_below(q, f->home))
				continue;
			q_real = xasprintf("%s%s", real_home, q + home_len);
			if (!fs_below(q_real, real))
				continue;
		}
		if (strpbrk(q, "*?[") || (undo && fs_list_matches(undo, q, l->v[i].cli, f->home)))
			continue;
		if (lstat(q, &st) < 0 && errno == ENOENT)
			return tilde ? steal_pointer(&tilde) : xstrdup(q);
	}
	return NULL;
}

/* PATH as realpath() will give it once made: its nearest existing ancestor's, and the rest. */
static char *planned_realpath(const char *path)
{
	autofree char *dir = xstrdup(path);
	char *slash, *real;

	while ((slash = strrchr(dir, '/')) && slash != dir) {
		*slash = '\0';
		real = realpath(dir, NULL);
		if (real) {
			char *whole = xasprintf("%s%s", strcmp(real, "/") == 0 ? "" : real,
						path + (slash - dir));

			free(real);
			return whole;
		}
	}
	return NULL;
}

/*
 * read-write: the host's path over itself, writable. A profile's never opens "/", the home or
 * a directory above it (every file of the caller's, its start-up files, the places of the
 * secrets the includes hide), nor a directory that holds a path the profile hides, makes
 * read-only or noexec and that does not exist yet: the sandbox could create it there
 * (~/.config/autostart/x.desktop), or a mask would leave its placeholder on the host. Started
 * in the home, a profile's "read-write ${CWD}" is skipped without a word: that is the rule, not
 * a mistake. The command line's --read-write is the caller's own choice, taken as it is.
 */
static void add_read_write(const struct fs_request *r, const struct session_facts *f,
			   struct spec *s)
{
	autofree char *real_home = f->home ? realpath(f->home, NULL) : NULL;

	for (size_t i = 0; i < r->read_write.n; i++) {
		const struct req_value *v = &r->read_write.v[i];
		autofree char *path = expand_tilde(v->value, f->home);
		struct strv paths = {0};

		/* The directory nook was started in is a path, not a pattern, whatever its name. */
		if (f->cwd && strcmp(path, f->cwd) == 0)
			strv_push(&paths, path);
		else
			fs_expand(v->value, f->home, s, &paths);
		for (size_t j = 0; j < paths.n; j++) {
			const char *p = paths.v[j];
			bool is_cwd = f->cwd && strcmp(p, f->cwd) == 0;
			autofree char *real = NULL;
			autofree char *missing = NULL;
			autofree char *shown = NULL;
			autofree char *shown_missing = NULL;

			if (!v->cli) {
				/* Absent: nothing is bound (it is optional), nothing to check; but
				 * what the profile's mkdir makes before the sandbox starts is there. */
				real = realpath(p, NULL);
				if (!real && fs_planned(s, p))
					real = planned_realpath(p);
				if (!real)
					continue;
				if (strcmp(real, "/") == 0 ||
				    (f->home && fs_under(f->home, real)) ||
				    (real_home && fs_under(real_home, real))) {
					shown = str_escape(p);
					if (!f->quiet && !is_cwd)
						warnx_("warning: %s: read-write %s: skipped: a profile never "
						       "makes the home, or what holds it, writable as a "
						       "whole (--bind=%s on the command line does)",
						       v->origin, shown, shown);
					continue;
				}
				missing = missing_below(&r->blacklist, &r->noblacklist, f, p, real,
							real_home);
				if (!missing)
					missing = missing_below(&r->read_only, NULL, f, p, real,
								real_home);
				if (!missing)
					missing = missing_below(&r->noexec, NULL, f, p, real,
								real_home);
				if (missing) {
					shown = str_escape(p);
					shown_missing = str_escape(missing);
					if (!f->quiet)
						warnx_("warning: %s: read-write %s: skipped: it holds %s, "
						       "which the profile protects and which does not exist "
						       "yet: the sandbox could create it (--bind=%s on the "
						       "command line gives the directory anyway)",
						       v->origin, shown, shown_missing, shown);
					continue;
				}
			}
			spec_add_mount(s, MOUNT_BIND, p, p,
				       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL,
				       "read-write");
		}
		strv_free(&paths);
	}
}

static void add_private(const struct fs_request *r, const struct session_facts *f, struct spec *s)
{
	if (r->private_dir) {
		autofree char *dir = expand_tilde(r->private_dir, f->home);

		spec_add_mount(s, MOUNT_BIND, dir, f->home, MOUNT_F_NOSUID | MOUNT_F_NODEV,
			       "private");
	} else if (r->private_home) {
		struct mount_op *m = spec_add_mount(s, MOUNT_TMPFS, NULL, f->home,
						    MOUNT_F_NOSUID | MOUNT_F_NODEV, "private");

		m->mode = 0700;
		m->options = xasprintf("uid=%u,gid=%u,size=%s", s->inside_uid, s->inside_gid,
				       f->tmpfs_size);
	}
	if (r->private_etc_set) {
		spec_add_mount(s, MOUNT_TMPFS, NULL, "/etc", MOUNT_F_NOSUID | MOUNT_F_NODEV,
			       "private-etc");
		for (size_t i = 0; i < r->private_etc.n; i++) {
			autofree char *p = xasprintf("/etc/%s", r->private_etc.v[i]);

			spec_add_mount(s, MOUNT_BIND, p, p,
				       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV |
					       MOUNT_F_OPTIONAL,
				       "private-etc");
		}
	}
}

static void add_displays(const struct fs_request *r, const struct session_facts *f, struct spec *s)
{
	if (f->x11 && f->display) {
		autofree char *sock = display_x11_socket(f->display);
		/* Without $XAUTHORITY, X clients read ~/.Xauthority. */
		autofree char *xauth = f->xauthority && f->xauthority[0] == '/'
					       ? xstrdup(f->xauthority)
					       : (f->home ? xasprintf("%s/.Xauthority", f->home)
							  : NULL);

		if (sock)
			spec_add_mount(s, MOUNT_BIND, sock, sock,
				       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL,
				       f->x11_origin);
		if (xauth)
			spec_add_mount(s, MOUNT_BIND, xauth, xauth,
				       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV |
					       MOUNT_F_OPTIONAL,
				       f->x11_origin);
	}
	if (f->wayland && f->wayland_display) {
		/* The compositor's socket, in case a whitelist emptied the runtime dir. */
		autofree char *sock = display_wayland_socket(f->wayland_display, f->runuser);

		spec_add_mount(s, MOUNT_BIND, sock, sock,
			       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL,
			       f->wayland_origin);
	}
	if (r->x11 < 0) {
		strv_env_unset(&s->env, "DISPLAY");
		strv_env_unset(&s->env, "XAUTHORITY");
	}
}

int fs_build_views(const struct fs_request *r, const struct session_facts *f, struct spec *s)
{
	if (add_host_creates(&r->mkdir, f, "mkdir", &s->host_mkdir) < 0 ||
	    add_host_creates(&r->mkfile, f, "mkfile", &s->host_mkfile) < 0)
		return -1;
	if ((r->private_home || r->private_dir) && !f->home) {
		warnx_("private: the caller has no home directory");
		return -1;
	}
	add_private(r, f, s);
	add_whitelists(r, f, s);
	/* After the whitelists, which may empty the home it is in. */
	if (r->private_cache && f->home) {
		autofree char *cache = xasprintf("%s/.cache", f->home);
		struct mount_op *m = spec_add_mount(s, MOUNT_TMPFS, NULL, cache,
						    MOUNT_F_NOSUID | MOUNT_F_NODEV |
							    MOUNT_F_OPTIONAL,
						    "private-cache");

		m->mode = 0700;
		m->options = xasprintf("uid=%u,gid=%u,size=%s", s->inside_uid, s->inside_gid,
				       f->tmpfs_size);
	}
	add_read_write(r, f, s);
	add_displays(r, f, s);
	return 0;
}
