/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_UTIL_HASH_H
#define NOOK_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * FNV-1a, 64 bits: H (FNV1A64_INIT to start) carried on over LEN bytes of DATA. It tells a
 * change or names a file; it is no defence against someone who chooses the data.
 */
#define FNV1A64_INIT UINT64_C(14695981039346656037)
uint64_t fnv1a64(uint64_t h, const void *data, size_t len);

#endif
