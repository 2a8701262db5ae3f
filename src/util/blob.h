/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_UTIL_BLOB_H
#define NOOK_UTIL_BLOB_H

/*
 * A flat record of numbers and strings, written and read back in the same order: what
 * nook keeps between its own runs (profile_cache.c). Reading checks every length against
 * what is left; a short or malformed record sets bad, and every read after it gives 0/NULL.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blob_out {
	char *buf;
	size_t len, cap;
};

void blob_put_u64(struct blob_out *b, uint64_t v);
/* S may be NULL, and reads back as NULL. */
void blob_put_str(struct blob_out *b, const char *s);
void blob_out_free(struct blob_out *b);

struct blob_in {
	const char *p, *end;
	bool bad;
};

uint64_t blob_get_u64(struct blob_in *b);
/* A number that must be at most MAX (an enum's last value, a count): else bad, and 0. */
uint64_t blob_get_max(struct blob_in *b, uint64_t max);
/* A new string (NULL as written, or when bad). */
char *blob_get_str(struct blob_in *b);

#endif
