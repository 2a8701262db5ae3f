// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/expand.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fsutil.h"

char *expand_tilde(const char *path, const char *home)
{
	if (home && (strcmp(path, "~") == 0 || strncmp(path, "~/", 2) == 0))
		return xasprintf("%s%s", home, path + 1);
	return xstrdup(path);
}

char *host_path(const struct host_facts *h, const char *raw)
{
	autofree char *path = expand_tilde(raw, h->home);

	if (path[0] == '/' || !h->cwd)
		return steal_pointer(&path);
	return xasprintf("%s/%s", h->cwd, path);
}

/*
 * ${CFG}: where programs keep their configuration, as they follow $XDG_CONFIG_HOME (firejail's
 * ${CFG} is its own /etc/firejail). Hand-made facts may have a home and no config_home.
 */
static char *config_home(const struct host_facts *h)
{
	if (h->config_home)
		return xstrdup(h->config_home);
	return h->home ? xasprintf("%s/.config", h->home) : NULL;
}

/* ${CFG}/user-dirs.dirs, under h->files_root (an image's, resolved in it) where there is one. */
static FILE *open_user_dirs(const struct host_facts *h)
{
	autofree char *cfg = config_home(h);
	autofree char *path = cfg ? xasprintf("%s/user-dirs.dirs", cfg) : NULL;
	autoclose int root = -1;
	FILE *f;
	int fd;

	if (!path || !h->files_root)
		return path ? fopen(path, "re") : NULL;
	root = open(h->files_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fd = root >= 0 ? openat_in_root(root, path, O_RDONLY) : -1;
	f = fd >= 0 ? fdopen(fd, "re") : NULL;
	if (!f && fd >= 0)
		close(fd);
	return f;
}

/* XDG_DOWNLOAD_DIR="$HOME/Downloads" in ${CFG}/user-dirs.dirs, or home/fallback. */
static char *xdg_user_dir(const struct host_facts *h, const char *key, const char *fallback)
{
	FILE *f = open_user_dirs(h);
	char line[1024];
	size_t klen = strlen(key);
	char *found = NULL;

	while (f && !found && fgets(line, sizeof line, f)) {
		char *v, *end;

		if (strncmp(line, key, klen) != 0 || line[klen] != '=')
			continue;
		v = line + klen + 1;
		if (*v == '"')
			v++;
		end = strchr(v, '"');
		if (end)
			*end = '\0';
		v[strcspn(v, "\n")] = '\0';
		if (h->home && strncmp(v, "$HOME", 5) == 0)
			found = xasprintf("%s%s", h->home, v + 5);
		else if (v[0] == '/')
			found = xstrdup(v);
	}
	if (f)
		fclose(f);
	return found ? found : (h->home ? xasprintf("%s/%s", h->home, fallback) : NULL);
}

static char *macro_value(const struct host_facts *h, const char *name)
{
	static const struct {
		const char *macro, *key, *fallback;
	} xdg[] = {
		{"DESKTOP", "XDG_DESKTOP_DIR", "Desktop"},
		{"DOCUMENTS", "XDG_DOCUMENTS_DIR", "Documents"},
		{"DOWNLOADS", "XDG_DOWNLOAD_DIR", "Downloads"},
		{"MUSIC", "XDG_MUSIC_DIR", "Music"},
		{"PICTURES", "XDG_PICTURES_DIR", "Pictures"},
		{"VIDEOS", "XDG_VIDEOS_DIR", "Videos"},
	};

	if (strcmp(name, "HOME") == 0)
		return h->home ? xstrdup(h->home) : NULL;
	if (strcmp(name, "CFG") == 0)
		return config_home(h);
	if (strcmp(name, "RUNUSER") == 0)
		return xstrdup(h->runuser);
	if (strcmp(name, "CWD") == 0)
		return h->cwd ? xstrdup(h->cwd) : NULL;
	for (size_t i = 0; i < sizeof xdg / sizeof xdg[0]; i++)
		if (strcmp(name, xdg[i].macro) == 0)
			return xdg_user_dir(h, xdg[i].key, xdg[i].fallback);
	return NULL;
}

static struct strv *recorded;

void expand_record_macros(struct strv *names)
{
	recorded = names;
}

static void record(const char *name)
{
	if (!recorded)
		return;
	for (size_t i = 0; i < recorded->n; i++)
		if (strcmp(recorded->v[i], name) == 0)
			return;
	strv_push(recorded, name);
}

/* The values of macro NAME into vals: ${PATH} one per absolute directory, the others one. */
static int macro_values(const struct host_facts *h, const char *name, struct strv *vals, char *err,
			size_t errlen)
{
	char *value;

	record(name);
	if (strcmp(name, "PATH") == 0) {
		autofree char *path = xstrdup(h->path);
		char *save = NULL;

		for (char *d = strtok_r(path, ":", &save); d; d = strtok_r(NULL, ":", &save))
			if (d[0] == '/')
				strv_push(vals, d);
		return 0;
	}
	value = macro_value(h, name);
	/* getcwd() fails when the directory was removed (or is out of reach): say so. */
	if (!value && strcmp(name, "CWD") == 0)
		return set_error(err, errlen,
				 "${CWD}: the directory nook was started in is unknown "
				 "(removed, or not reachable from the root)");
	if (!value)
		return set_error(err, errlen, "unknown macro ${%s}", name);
	strv_push_owned(vals, value);
	return 0;
}

/* A + the LEN bytes at B + C, in one allocation: this runs for every path of every profile. */
static char *concat3(const char *a, const char *b, size_t len, const char *c)
{
	size_t la = strlen(a), lc = strlen(c);
	char *r = xreallocarray(NULL, la + len + lc + 1, 1);

	memcpy(r, a, la);
	memcpy(r + la, b, len);
	memcpy(r + la + len, c, lc + 1);
	return r;
}

/*
 * Left to right over what the user wrote, never over what was substituted: a value holding
 * "${...}" (a user-dirs.dirs line can) stays as it is, so no value expands into itself. The
 * partial results multiply with each ${PATH}; their number is checked before they are made.
 */
int expand_macros(const struct host_facts *h, const char *arg, struct strv *out, char *err,
		  size_t errlen)
{
	struct strv done = {0}, next = {0}, vals = {0};
	const char *p = arg, *m;
	const char *home = "";
	int r = 0;

	if (h->home && (strcmp(arg, "~") == 0 || strncmp(arg, "~/", 2) == 0)) {
		home = h->home;
		p = arg + 1;
		record("HOME");
	}
	/* Most lines name no macro, or one at their start: no partial results to keep. */
	if (!strstr(p, "${")) {
		strv_push_owned(out, concat3(home, "", 0, p));
		return 0;
	}
	strv_push(&done, home);
	while (r == 0 && (m = strstr(p, "${"))) {
		const char *end = strchr(m, '}');
		autofree char *name = NULL;

		if (!end) {
			r = set_error(err, errlen, "unterminated macro in '%s'", arg);
			break;
		}
		name = xstrndup(m + 2, (size_t)(end - m - 2));
		strv_free(&vals);
		r = macro_values(h, name, &vals, err, errlen);
		if (r == 0 && vals.n && done.n > EXPAND_MAX_VALUES / vals.n)
			r = set_error(err, errlen, "'%s' expands to more than %d values", arg,
				      EXPAND_MAX_VALUES);
		for (size_t i = 0; r == 0 && i < done.n; i++)
			for (size_t k = 0; k < vals.n; k++)
				strv_push_owned(&next,
						concat3(done.v[i], p, (size_t)(m - p), vals.v[k]));
		strv_free(&done);
		done = next;
		next = (struct strv){0};
		p = end + 1;
	}
	for (size_t i = 0; r == 0 && i < done.n; i++)
		strv_push_owned(out, concat3(done.v[i], p, strlen(p), ""));
	strv_free(&done);
	strv_free(&vals);
	return r;
}

char *expand_macro_text(const struct host_facts *h, const char *macro)
{
	struct strv vals = {0};
	struct strv *was = recorded;
	char err[64];
	char *text = NULL;
	size_t len = 0;

	recorded = NULL;
	if (strcmp(macro, "HOME") == 0 && !h->home) {
		recorded = was;
		return NULL;
	}
	if (macro_values(h, macro, &vals, err, sizeof err) == 0) {
		for (size_t i = 0; i < vals.n; i++) {
			size_t n = strlen(vals.v[i]);

			text = xreallocarray(text, len + n + 2, 1);
			memcpy(text + len, vals.v[i], n);
			len += n;
			text[len++] = '\n';
			text[len] = '\0';
		}
		if (!text)
			text = xstrdup("");
	}
	strv_free(&vals);
	recorded = was;
	return text;
}
