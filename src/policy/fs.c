// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/fs.h"

#include <fnmatch.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"

void fs_request_free(struct fs_request *r)
{
	struct strv *lists[] = {&r->blacklist, &r->noblacklist, &r->whitelist, &r->whitelist_ro,
				&r->nowhitelist, &r->read_only, &r->read_write, &r->noexec,
				&r->mkdir, &r->mkfile, &r->private_etc};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		strv_free(lists[i]);
	free(r->private_dir);
	free(r->dns);
	free(r->name);
	memset(r, 0, sizeof *r);
}

char *expand_tilde(const char *path, const char *home)
{
	if (home && (strcmp(path, "~") == 0 || strncmp(path, "~/", 2) == 0))
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

/* Patterns ("~/.mozilla*") name what exists now; a plain path may name what does not yet. */
static void expand_glob(const char *pattern, struct strv *out)
{
	glob_t g;

	if (!strpbrk(pattern, "*?[")) {
		strv_push(out, pattern);
		return;
	}
	if (glob(pattern, GLOB_NOSORT | GLOB_NOESCAPE, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			strv_push(out, g.gl_pathv[i]);
	globfree(&g);
}

static bool matches_any(const struct strv *patterns, const char *path)
{
	for (size_t i = 0; i < patterns->n; i++)
		if (strcmp(patterns->v[i], path) == 0 || fnmatch(patterns->v[i], path, 0) == 0)
			return true;
	return false;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/*
 * The directory a whitelist empties, as firejail's: the home, the runtime dir, or one of a few
 * system directories. NULL elsewhere (/usr/lib, /dev): such a whitelist has nothing to empty.
 */
static char *whitelist_top(const char *path, const struct session_facts *f, const char *runuser)
{
	static const char *const tops[] = {
		"/usr/share", "/var", "/opt", "/srv", "/media", "/mnt", "/tmp", "/etc",
	};

	if (f->home && under(path, f->home) && strcmp(path, f->home) != 0)
		return xstrdup(f->home);
	if (under(path, runuser) && strcmp(path, runuser) != 0)
		return xstrdup(runuser);
	for (size_t i = 0; i < sizeof tops / sizeof tops[0]; i++)
		if (under(path, tops[i]) && strcmp(path, tops[i]) != 0)
			return xstrdup(tops[i]);
	return NULL;
}

static void add_whitelists(const struct fs_request *r, const struct session_facts *f,
			   struct spec *s)
{
	autofree char *runuser = xasprintf("/run/user/%u", f->uid);
	struct strv paths = {0}, tops = {0};
	const struct strv *lists[2] = {&r->whitelist, &r->whitelist_ro};

	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			struct strv expanded = {0};

			expand_glob(lists[l]->v[i], &expanded);
			for (size_t j = 0; j < expanded.n; j++) {
				autofree char *top = NULL;
				const char *p = expanded.v[j];

				if (matches_any(&r->nowhitelist, p))
					continue;
				top = whitelist_top(p, f, runuser);
				if (!top)
					continue;
				/* The first whitelist under a directory empties it, once. */
				if (!matches_any(&tops, top)) {
					struct mount_op *m;
					bool home = f->home && strcmp(top, f->home) == 0;

					strv_push(&tops, top);
					if (!(home && (r->private_home || r->private_dir))) {
						m = spec_add_mount(s, MOUNT_TMPFS, NULL, top,
								   MOUNT_F_NOSUID | MOUNT_F_NODEV |
									   MOUNT_F_OPTIONAL,
								   "whitelist");
						m->mode = home ? 0700 : 0755;
						if (home)
							m->options = xasprintf("uid=%u,gid=%u",
									       s->inside_uid,
									       s->inside_gid);
					}
				}
				strv_push(&paths, p);
				spec_add_mount(s, MOUNT_BIND, p, p,
					       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL |
						       (l == 1 ? MOUNT_F_RDONLY : 0),
					       l == 1 ? "whitelist-ro" : "whitelist");
			}
			strv_free(&expanded);
		}
	}
	strv_free(&paths);
	strv_free(&tops);
}

static void add_each(const struct strv *list, enum mount_kind kind, unsigned flags,
		     const char *origin, struct spec *s)
{
	for (size_t i = 0; i < list->n; i++) {
		struct strv expanded = {0};

		expand_glob(list->v[i], &expanded);
		for (size_t j = 0; j < expanded.n; j++)
			spec_add_mount(s, kind, kind == MOUNT_BIND ? expanded.v[j] : NULL,
				       expanded.v[j], flags | MOUNT_F_OPTIONAL, origin);
		strv_free(&expanded);
	}
}

static int check_host_path(const char *path, const struct session_facts *f, const char *what)
{
	autofree char *runuser = xasprintf("/run/user/%u", f->uid);

	/* The test below is on the text: ".." would walk out of it. */
	if (strstr(path, "/../") || strstr(path, "/./") ||
	    (strlen(path) >= 3 && strcmp(path + strlen(path) - 3, "/..") == 0)) {
		warnx_("%s %s: '..' and '.' are not allowed in the path", what, path);
		return -1;
	}

	if ((f->home && under(path, f->home)) || under(path, runuser))
		return 0;
	warnx_("%s %s: only paths in the home directory or %s can be created", what, path, runuser);
	return -1;
}

int fs_build_views(const struct fs_request *r, const struct session_facts *f, struct spec *s)
{
	for (size_t i = 0; i < r->mkdir.n; i++) {
		if (check_host_path(r->mkdir.v[i], f, "mkdir") < 0)
			return -1;
		strv_push(&s->host_mkdir, r->mkdir.v[i]);
	}
	for (size_t i = 0; i < r->mkfile.n; i++) {
		if (check_host_path(r->mkfile.v[i], f, "mkfile") < 0)
			return -1;
		strv_push(&s->host_mkfile, r->mkfile.v[i]);
	}

	if ((r->private_home || r->private_dir) && !f->home) {
		warnx_("private: the caller has no home directory");
		return -1;
	}
	if (r->private_dir) {
		spec_add_mount(s, MOUNT_BIND, r->private_dir, f->home, MOUNT_F_NOSUID | MOUNT_F_NODEV,
			       "private");
	} else if (r->private_home) {
		struct mount_op *m = spec_add_mount(s, MOUNT_TMPFS, NULL, f->home,
						    MOUNT_F_NOSUID | MOUNT_F_NODEV, "private");

		m->mode = 0700;
		m->options = xasprintf("uid=%u,gid=%u", s->inside_uid, s->inside_gid);
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

	add_whitelists(r, f, s);
	/* After the whitelists, which may empty the home it is in. */
	if (r->private_cache && f->home) {
		autofree char *cache = xasprintf("%s/.cache", f->home);
		struct mount_op *m = spec_add_mount(s, MOUNT_TMPFS, NULL, cache,
						    MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL,
						    "private-cache");

		m->mode = 0700;
		m->options = xasprintf("uid=%u,gid=%u", s->inside_uid, s->inside_gid);
	}
	add_each(&r->read_write, MOUNT_BIND, MOUNT_F_NOSUID | MOUNT_F_NODEV, "read-write", s);

	if (r->x11 > 0 && f->display) {
		/* ":N" or "host:N.S": the local socket of display N. */
		const char *colon = strrchr(f->display, ':');
		unsigned n;

		if (colon && sscanf(colon + 1, "%u", &n) == 1) {
			autofree char *sock = xasprintf("/tmp/.X11-unix/X%u", n);

			spec_add_mount(s, MOUNT_BIND, sock, sock,
				       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL, "x11");
		}
		{
			/* Without $XAUTHORITY, X clients read ~/.Xauthority. */
			autofree char *xauth = f->xauthority && f->xauthority[0] == '/'
						       ? xstrdup(f->xauthority)
						       : (f->home ? xasprintf("%s/.Xauthority", f->home) : NULL);

			if (xauth)
				spec_add_mount(s, MOUNT_BIND, xauth, xauth,
					       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV |
						       MOUNT_F_OPTIONAL, "x11");
		}
	}
	if (r->wayland && f->wayland_display) {
		/* The compositor's socket, in case a whitelist emptied the runtime dir. */
		autofree char *sock = f->wayland_display[0] == '/'
					      ? xstrdup(f->wayland_display)
					      : xasprintf("/run/user/%u/%s", f->uid, f->wayland_display);

		spec_add_mount(s, MOUNT_BIND, sock, sock,
			       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL, "wayland");
	}
	if (r->x11 < 0) {
		strv_env_unset(&s->env, "DISPLAY");
		strv_env_unset(&s->env, "XAUTHORITY");
	}
	if (r->name && !s->hostname_set) {
		free(s->hostname);
		s->hostname = xstrdup(r->name);
	}
	return 0;
}

static void mask(struct spec *s, const char *path, const char *origin)
{
	/* Profiles name one path many times (through ${PATH}, includes): one mount is enough. */
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_MASK && strcmp(s->mounts[i].dest, path) == 0)
			return;
	spec_add_mount(s, MOUNT_MASK, NULL, path, 0, origin);
}

int fs_build_masks(const struct fs_request *r, const struct session_facts *f, struct spec *s)
{
	autofree char *runuser = xasprintf("/run/user/%u", f->uid);

	/* Read-only and noexec after the binds, so that they hold on a bound directory too. */
	add_each(&r->read_only, MOUNT_RESTRICT, MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		 "read-only", s);
	add_each(&r->noexec, MOUNT_RESTRICT, MOUNT_F_NOEXEC | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		 "noexec", s);
	for (size_t i = 0; i < r->blacklist.n; i++) {
		/* The command line's blacklist stands against a profile's noblacklist. */
		struct strv undo = {.v = r->noblacklist.v, .n = r->noblacklist.n};
		struct strv expanded = {0};

		if (i >= r->blacklist_from_profile && r->blacklist_from_profile > 0) {
			undo.v = r->noblacklist.v + r->noblacklist_from_profile;
			undo.n = r->noblacklist.n - r->noblacklist_from_profile;
		}
		expand_glob(r->blacklist.v[i], &expanded);
		for (size_t j = 0; j < expanded.n; j++)
			if (!matches_any(&undo, expanded.v[j]))
				mask(s, expanded.v[j], "blacklist");
		strv_free(&expanded);
	}
	if (r->nosound) {
		static const char *const sound[] = {"pulse", "pipewire-0", "pipewire-0-manager"};

		for (size_t i = 0; i < sizeof sound / sizeof sound[0]; i++) {
			autofree char *p = xasprintf("%s/%s", runuser, sound[i]);

			mask(s, p, "nosound");
		}
	}
	if (r->nodbus || r->dbus_user_none) {
		autofree char *bus = xasprintf("%s/bus", runuser);

		mask(s, bus, r->nodbus ? "nodbus" : "dbus-user none");
		strv_env_unset(&s->env, "DBUS_SESSION_BUS_ADDRESS");
	}
	if (r->nodbus || r->dbus_system_none)
		mask(s, "/run/dbus/system_bus_socket", r->nodbus ? "nodbus" : "dbus-system none");

	if (r->dns) {
		autofree char *text = xasprintf("nameserver %s\n", r->dns);

		spec_add_mount(s, MOUNT_FILE, text, "/etc/resolv.conf",
			       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC, "dns");
	}
	if (r->machine_id) {
		char id[34];
		unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();

		/* Not a secret: just not the host's, so the sandbox cannot be tied to it. */
		if (getentropy(id, 16) < 0)
			for (int i = 0; i < 16; i++)
				id[i] = (char)rand_r(&seed);
		for (int i = 15; i >= 0; i--) {
			unsigned char b = (unsigned char)id[i];

			id[2 * i] = "0123456789abcdef"[b >> 4];
			id[2 * i + 1] = "0123456789abcdef"[b & 15];
		}
		id[32] = '\n';
		id[33] = '\0';
		spec_add_mount(s, MOUNT_FILE, id, "/etc/machine-id",
			       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC,
			       "machine-id");
		/* D-Bus keeps its own copy; where it is a file of its own, cover it too. */
		spec_add_mount(s, MOUNT_FILE, id, "/var/lib/dbus/machine-id",
			       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC |
				       MOUNT_F_OPTIONAL, "machine-id");
	}
	return 0;
}
