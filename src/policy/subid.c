// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/subid.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

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
