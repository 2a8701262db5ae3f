// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/expand.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

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

/* XDG_DOWNLOAD_DIR="$HOME/Downloads" in ~/.config/user-dirs.dirs, or home/fallback. */
static char *xdg_user_dir(const struct host_facts *h, const char *key, const char *fallback)
{
	autofree char *path = h->home ? xasprintf("%s/.config/user-dirs.dirs", h->home) : NULL;
	FILE *f = path ? fopen(path, "re") : NULL;
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
		if (strncmp(v, "$HOME", 5) == 0)
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
		return h->home ? xasprintf("%s/.config", h->home) : NULL;
	if (strcmp(name, "RUNUSER") == 0)
		return xstrdup(h->runuser);
	for (size_t i = 0; i < sizeof xdg / sizeof xdg[0]; i++)
		if (strcmp(name, xdg[i].macro) == 0)
			return xdg_user_dir(h, xdg[i].key, xdg[i].fallback);
	return NULL;
}

static int expand(const struct host_facts *h, const char *arg, struct strv *out, char *err,
		  size_t errlen)
{
	const char *m = strstr(arg, "${");
	const char *end;
	autofree char *name = NULL, *value = NULL, *prefix = NULL;

	if (!m) {
		strv_push_owned(out, expand_tilde(arg, h->home));
		return 0;
	}
	end = strchr(m, '}');
	if (!end)
		return set_error(err, errlen, "unterminated macro in '%s'", arg);
	name = xstrndup(m + 2, (size_t)(end - m - 2));
	prefix = xstrndup(arg, (size_t)(m - arg));
	if (strcmp(name, "PATH") == 0) {
		autofree char *path = xstrdup(h->path);
		char *save = NULL;

		for (char *d = strtok_r(path, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			autofree char *next = xasprintf("%s%s%s", prefix, d, end + 1);

			if (d[0] == '/' && expand(h, next, out, err, errlen) < 0)
				return -1;
		}
		return 0;
	}
	value = macro_value(h, name);
	if (!value)
		return set_error(err, errlen, "unknown macro ${%s}", name);
	{
		autofree char *next = xasprintf("%s%s%s", prefix, value, end + 1);

		return expand(h, next, out, err, errlen);
	}
}

int expand_macros(const struct host_facts *h, const char *arg, struct strv *out, char *err,
		  size_t errlen)
{
	return expand(h, arg, out, err, errlen);
}
