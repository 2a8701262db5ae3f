/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SUBID_H
#define NOOK_SUBID_H

#include <stddef.h>
#include <stdint.h>

#include "host/subid.h"
#include "spec.h"

/* Build the map for a mode. Pure: the unit tests drive it directly. */
void subid_map_keep_id(uint32_t id, const struct subid_ranges *sub, struct id_map *out);
void subid_map_root(uint32_t id, const struct subid_ranges *sub, struct id_map *out);
void subid_map_single(uint32_t inside, uint32_t outside, struct id_map *out);

#endif
