// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/subid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "owner:start:count", owner being a user name or a decimal id (shadow's subid(5)). */
static int parse_number(const char *s, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

/* Exactly three non-empty fields, as newuidmap requires; anything else is not a range. */
static int parse_line(char *line, const char *name, uint32_t id, uint32_t *start, uint32_t *count)
{
	char *fields[3], *rest = line;
	char idbuf[16];
	unsigned long long vs, vc;

	line[strcspn(line, "\n")] = '\0';
	for (int i = 0; i < 3; i++) {
		fields[i] = strsep(&rest, ":");
		if (!fields[i] || !fields[i][0])
			return 0;
	}
	if (rest)
		return 0;
	snprintf(idbuf, sizeof idbuf, "%" PRIu32, id);
	if (!(name && strcmp(fields[0], name) == 0) && strcmp(fields[0], idbuf) != 0)
		return 0;
	if (parse_number(fields[1], &vs) < 0 || parse_number(fields[2], &vc) < 0 || vc == 0)
		return 0;
	/* The last id of the range must be a valid id: (uid_t)-1 is not one. */
	if (vs > UINT32_MAX || vc > UINT32_MAX || vs + vc > UINT32_MAX)
		return 0;
	*start = (uint32_t)vs;
	*count = (uint32_t)vc;
	return 1;
}

int subid_read(const char *path, const char *name, uint32_t id, struct subid_ranges *out)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;

	out->n = 0;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	while (getline(&line, &cap, f) > 0 && out->n < ID_MAP_MAX - 1) {
		uint32_t start, count;

		if (line[0] == '#')
			continue;
		if (parse_line(line, name, id, &start, &count)) {
			out->r[out->n].start = start;
			out->r[out->n].count = count;
			out->n++;
		}
	}
	free(line);
	if (ferror(f)) {
		int e = errno;

		fclose(f);
		errno = e;
		return -1;
	}
	fclose(f);
	return 0;
}
