// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/envfile.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

int host_read_env_file(const char *path, struct strv *out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int n = 0, r = 0;

	if (!f)
		return set_error(err, errlen, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		const char *eq;
		char *text = line;

		n++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		while (isspace((unsigned char)*text))
			text++;
		if (!text[0] || text[0] == '#')
			continue;
		eq = strchr(text, '=');
		if ((size_t)len != strlen(line)) {
			r = set_error(err, errlen, "%s:%d: a NUL byte in the line", path, n);
			break;
		}
		if (!eq || eq == text || strcspn(text, " \t") < (size_t)(eq - text)) {
			r = set_error(err, errlen, "%s:%d: not KEY=VALUE", path, n);
			break;
		}
		strv_push(out, text);
	}
	if (r == 0 && ferror(f))
		r = set_error(err, errlen, "%s: %s", path, strerror(errno));
	free(line);
	fclose(f);
	return r;
}
