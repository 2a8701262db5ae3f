/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_HOST_SUBID_H
#define NOOK_HOST_SUBID_H

/* The caller's subordinate id ranges, from shadow's subuid(5) and subgid(5) files. */

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

#endif
