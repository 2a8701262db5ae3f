// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/fs.h"

#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include "host/expand.h"
#include "util/err.h"

/* Patterns name what exists now; a plain path may name what does not exist yet. */
void fs_expand(const char *value, const char *home, struct strv *out)
{
	autofree char *pattern = expand_tilde(value, home);
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

bool fs_list_matches(const struct req_list *l, const char *path, bool cli_only, const char *home)
{
	for (size_t i = 0; i < l->n; i++) {
		autofree char *pattern = NULL;

		if (cli_only && !l->v[i].cli)
			continue;
		pattern = expand_tilde(l->v[i].value, home);
		if (strcmp(pattern, path) == 0 || fnmatch(pattern, path, 0) == 0)
			return true;
	}
	return false;
}

void fs_add_each(const struct req_list *list, enum mount_kind kind, unsigned flags,
		 const char *origin, const char *home, struct spec *s)
{
	for (size_t i = 0; i < list->n; i++) {
		struct strv expanded = {0};

		fs_expand(list->v[i].value, home, &expanded);
		for (size_t j = 0; j < expanded.n; j++)
			spec_add_mount(s, kind, kind == MOUNT_BIND ? expanded.v[j] : NULL,
				       expanded.v[j], flags | MOUNT_F_OPTIONAL, origin);
		strv_free(&expanded);
	}
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
