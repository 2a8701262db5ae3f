// SPDX-License-Identifier: GPL-2.0-or-later
/* What a sandbox shows of the host: private homes, whitelists, writable paths, displays. */
#include "policy/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/expand.h"
#include "util/err.h"

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

static void add_whitelists(const struct fs_request *r, const struct session_facts *f,
			   struct spec *s)
{
	struct strv tops = {0};
	const struct req_list *lists[2] = {&r->whitelist, &r->whitelist_ro};

	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			struct strv expanded = {0};

			fs_expand(lists[l]->v[i].value, f->home, &expanded);
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
				spec_add_mount(s, MOUNT_BIND, p, p,
					       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL |
						       (l == 1 ? MOUNT_F_RDONLY : 0),
					       l == 1 ? "whitelist-ro" : "whitelist");
			}
			strv_free(&expanded);
		}
	}
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

static void add_private(const struct fs_request *r, const struct session_facts *f,
			struct spec *s)
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
					       MOUNT_F_OPTIONAL, "private-etc");
		}
	}
}

static void add_displays(const struct fs_request *r, const struct session_facts *f,
			 struct spec *s)
{
	if (r->x11 > 0 && f->display) {
		/* ":N" or "host:N.S": the local socket of display N. */
		const char *colon = strrchr(f->display, ':');
		/* Without $XAUTHORITY, X clients read ~/.Xauthority. */
		autofree char *xauth = f->xauthority && f->xauthority[0] == '/'
					       ? xstrdup(f->xauthority)
					       : (f->home ? xasprintf("%s/.Xauthority", f->home) : NULL);
		unsigned n;

		if (colon && sscanf(colon + 1, "%u", &n) == 1) {
			autofree char *sock = xasprintf("/tmp/.X11-unix/X%u", n);

			spec_add_mount(s, MOUNT_BIND, sock, sock,
				       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL, "x11");
		}
		if (xauth)
			spec_add_mount(s, MOUNT_BIND, xauth, xauth,
				       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV |
					       MOUNT_F_OPTIONAL, "x11");
	}
	if (r->wayland && f->wayland_display) {
		/* The compositor's socket, in case a whitelist emptied the runtime dir. */
		autofree char *sock = f->wayland_display[0] == '/'
					      ? xstrdup(f->wayland_display)
					      : xasprintf("%s/%s", f->runuser, f->wayland_display);

		spec_add_mount(s, MOUNT_BIND, sock, sock,
			       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL, "wayland");
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
						    MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL,
						    "private-cache");

		m->mode = 0700;
		m->options = xasprintf("uid=%u,gid=%u,size=%s", s->inside_uid, s->inside_gid,
				       f->tmpfs_size);
	}
	fs_add_each(&r->read_write, MOUNT_BIND, MOUNT_F_NOSUID | MOUNT_F_NODEV, "read-write",
		    f->home, s);
	add_displays(r, f, s);
	return 0;
}
