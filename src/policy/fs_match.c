// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/fs.h"

#include <dirent.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host/expand.h"
#include "util/err.h"

/*
 * The names in one directory, read once for all the patterns that end in it: desktop
 * profiles mask dozens of ${PATH}/NAME* patterns, and each glob() would read /usr/bin again.
 * Kept for one spec build (fs_expand_forget), and only while the directory is the same one.
 * Found by the directory itself, not its path: /bin is /usr/bin on merged-/usr systems.
 */
struct dir_names {
	char *dir;
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	struct strv names;
};

static struct dir_names *dir_cache;
static size_t dir_cache_n;

static const struct strv *names_in(const char *dir)
{
	struct dir_names *d = NULL;
	struct dirent *e;
	struct stat st;
	DIR *dh;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return NULL;
	for (size_t i = 0; i < dir_cache_n; i++) {
		struct dir_names *c = &dir_cache[i];

		if (c->dev == st.st_dev && c->ino == st.st_ino &&
		    c->mtime.tv_sec == st.st_mtim.tv_sec && c->mtime.tv_nsec == st.st_mtim.tv_nsec)
			return &c->names;
		if (strcmp(c->dir, dir) == 0)
			d = c;
	}
	dh = opendir(dir);
	if (!dh)
		return NULL;
	if (!d) {
		dir_cache = xreallocarray(dir_cache, dir_cache_n + 1, sizeof *dir_cache);
		d = &dir_cache[dir_cache_n++];
		*d = (struct dir_names){.dir = xstrdup(dir)};
	}
	strv_free(&d->names);
	d->dev = st.st_dev;
	d->ino = st.st_ino;
	d->mtime = st.st_mtim;
	while ((e = readdir(dh)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			strv_push(&d->names, e->d_name);
	closedir(dh);
	return &d->names;
}

void fs_expand_forget(void)
{
	for (size_t i = 0; i < dir_cache_n; i++) {
		free(dir_cache[i].dir);
		strv_free(&dir_cache[i].names);
	}
	free(dir_cache);
	dir_cache = NULL;
	dir_cache_n = 0;
}

/* PATTERN with wildcards in its last component only: the common case, from the cache. */
static bool expand_last(const char *pattern, struct strv *out)
{
	const char *slash = strrchr(pattern, '/');
	autofree char *dir = NULL;
	const struct strv *names;
	size_t lit;

	if (!slash || slash == pattern || strpbrk(pattern, "\\") ||
	    strcspn(pattern, "*?[") < (size_t)(slash - pattern))
		return false;
	dir = xstrndup(pattern, (size_t)(slash - pattern));
	names = names_in(dir);
	/* What comes before the first wildcard ("gcc" of "gcc*") rules most names out cheaply. */
	lit = strcspn(slash + 1, "*?[");
	for (size_t i = 0; names && i < names->n; i++)
		/* As glob(): a leading dot is matched only by a dot. */
		if (strncmp(names->v[i], slash + 1, lit) == 0 &&
		    fnmatch(slash + 1, names->v[i], FNM_PERIOD | FNM_NOESCAPE) == 0)
			strv_push_owned(out, xasprintf("%s/%s", dir, names->v[i]));
	return true;
}

static bool in_strv(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

/*
 * PATH if it matches PATTERN as glob() would and does not exist yet: the start will make it,
 * and glob() could not find it.
 */
static void add_if_planned(const char *pattern, const char *path, struct strv *out)
{
	struct stat st;

	if (fnmatch(pattern, path, FNM_PATHNAME | FNM_PERIOD | FNM_NOESCAPE) == 0 &&
	    !in_strv(out, path) && lstat(path, &st) < 0)
		strv_push(out, path);
}

/*
 * What the start makes before the mounts (a profile's mkdir, with the directories above it
 * that mkdir -p makes, its mkfile, a cache's directory) is matched as if it existed, so that
 * the first run, which makes it, shows what the later runs show.
 */
static void expand_planned(const char *pattern, const struct spec *s, struct strv *out)
{
	for (size_t i = 0; i < s->host_mkdir.n; i++) {
		autofree char *p = xstrdup(s->host_mkdir.v[i]);

		for (char *c = strchr(p + 1, '/'); c; c = strchr(c + 1, '/')) {
			*c = '\0';
			add_if_planned(pattern, p, out);
			*c = '/';
		}
		add_if_planned(pattern, p, out);
	}
	for (size_t i = 0; i < s->host_mkfile.n; i++)
		add_if_planned(pattern, s->host_mkfile.v[i], out);
}

bool fs_planned(const struct spec *s, const char *path)
{
	for (size_t i = 0; i < s->host_mkdir.n; i++)
		if (fs_under(s->host_mkdir.v[i], path))
			return true;
	return in_strv(&s->host_mkfile, path);
}

/* Patterns name what exists now, or will; a plain path may name what does not exist yet. */
void fs_expand(const char *value, const char *home, const struct spec *s, struct strv *out)
{
	autofree char *pattern = expand_tilde(value, home);
	glob_t g;

	if (!strpbrk(pattern, "*?[")) {
		strv_push_owned(out, pattern);
		pattern = NULL;
		return;
	}
	if (!expand_last(pattern, out)) {
		if (glob(pattern, GLOB_NOSORT | GLOB_NOESCAPE, NULL, &g) == 0)
			for (size_t i = 0; i < g.gl_pathc; i++)
				strv_push(out, g.gl_pathv[i]);
		globfree(&g);
	}
	if (s)
		expand_planned(pattern, s, out);
}

bool fs_list_matches(const struct req_list *l, const char *path, bool cli_only, const char *home)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *value = l->v[i].value;
		autofree char *expanded = NULL;
		const char *pattern = value;

		if (cli_only && !l->v[i].cli)
			continue;
		/* Called for each path of each list: "~" costs a copy only where it is. */
		if (value[0] == '~')
			pattern = expanded = expand_tilde(value, home);
		/* fnmatch() without flags: what precedes the first wildcard must match as it is. */
		if (strncmp(pattern, path, strcspn(pattern, "*?[\\")) != 0)
			continue;
		if (strcmp(pattern, path) == 0 || fnmatch(pattern, path, 0) == 0)
			return true;
	}
	return false;
}

void fs_add_each(const struct req_list *list, enum mount_kind kind, unsigned flags,
		 const char *origin, const char *home, struct spec *s)
{
	/* One list for every line, its paths handed to the spec: a profile has hundreds. */
	struct strv expanded = {0};

	for (size_t i = 0; i < list->n; i++) {
		expanded.n = 0;
		fs_expand(list->v[i].value, home, s, &expanded);
		for (size_t j = 0; j < expanded.n; j++) {
			spec_add_mount_owned(s, kind, kind == MOUNT_BIND ? expanded.v[j] : NULL,
					     expanded.v[j], flags | MOUNT_F_OPTIONAL, origin);
			expanded.v[j] = NULL;
		}
	}
	strv_free(&expanded);
}

bool fs_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

bool fs_below(const char *path, const char *dir)
{
	return fs_under(path, dir) && strcmp(path, dir) != 0;
}
