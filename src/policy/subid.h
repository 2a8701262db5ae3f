/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SUBID_H
#define NOOK_SUBID_H

#include <stddef.h>
#include <stdint.h>

#include "spec.h"

struct subid_ranges {
	struct {
		uint32_t start;
		uint32_t count;
	} r[ID_MAP_MAX];
	size_t n;
};

/*
 * Read the ranges of NAME (or of the decimal ID) from a subuid/subgid file, in file order.
 * Returns 0 (possibly with no ranges), or -1 with errno when the file cannot be read;
 * a missing file is not an error, it just has no ranges.
 */
int subid_read(const char *path, const char *name, uint32_t id, struct subid_ranges *out);

/* Build the map for a mode. Pure: the unit tests drive it directly. */
void subid_map_keep_id(uint32_t id, const struct subid_ranges *sub, struct id_map *out);
void subid_map_root(uint32_t id, const struct subid_ranges *sub, struct id_map *out);
void subid_map_single(uint32_t inside, uint32_t outside, struct id_map *out);

#endif
