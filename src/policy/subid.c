// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/subid.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

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

static void add(struct id_map *m, uint32_t inside, uint32_t outside, uint32_t count)
{
	if (m->n < ID_MAP_MAX)
		m->r[m->n++] = (struct id_range){inside, outside, count};
}

static int by_inside(const void *a, const void *b)
{
	const struct id_range *x = a, *y = b;

	return x->inside < y->inside ? -1 : x->inside > y->inside;
}

/*
 * The caller's id maps to itself; the subordinate ids fill 0, 1, 2, ... around it, so that
 * files the caller owns keep their owner inside and an image's system ids still exist.
 */
void subid_map_keep_id(uint32_t id, const struct subid_ranges *sub, struct id_map *out)
{
	uint32_t next = 0;

	out->n = 0;
	for (size_t i = 0; i < sub->n; i++) {
		uint32_t start = sub->r[i].start, count = sub->r[i].count;

		while (count > 0 && out->n < ID_MAP_MAX - 1) {
			uint32_t chunk = count;

			if (next == id)
				next++;
			if (next < id && (uint64_t)next + chunk > id)
				chunk = id - next;
			if ((uint64_t)next + chunk > UINT32_MAX)
				chunk = UINT32_MAX - next;
			if (chunk == 0)
				break;
			add(out, next, start, chunk);
			next += chunk;
			start += chunk;
			count -= chunk;
		}
	}
	add(out, id, id, 1);
	qsort(out->r, out->n, sizeof out->r[0], by_inside);
}

void subid_map_root(uint32_t id, const struct subid_ranges *sub, struct id_map *out)
{
	uint32_t next = 1;

	out->n = 0;
	add(out, 0, id, 1);
	for (size_t i = 0; i < sub->n; i++) {
		uint32_t count = sub->r[i].count;

		if ((uint64_t)next + count > UINT32_MAX)
			count = UINT32_MAX - next;
		if (count == 0)
			break;
		add(out, next, sub->r[i].start, count);
		next += count;
	}
}

void subid_map_single(uint32_t inside, uint32_t outside, struct id_map *out)
{
	out->n = 0;
	add(out, inside, outside, 1);
}
