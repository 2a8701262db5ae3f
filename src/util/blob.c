// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/blob.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

/* A string's length, or this for NULL. */
#define BLOB_NULL UINT64_MAX

static void put(struct blob_out *b, const void *data, size_t len)
{
	if (b->len + len > b->cap) {
		while (b->len + len > b->cap)
			b->cap = b->cap ? 2 * b->cap : 4096;
		b->buf = xreallocarray(b->buf, b->cap, 1);
	}
	memcpy(b->buf + b->len, data, len);
	b->len += len;
}

void blob_put_u64(struct blob_out *b, uint64_t v)
{
	put(b, &v, sizeof v);
}

void blob_put_str(struct blob_out *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	blob_put_u64(b, s ? (uint64_t)len : BLOB_NULL);
	if (s)
		put(b, s, len);
}

void blob_out_free(struct blob_out *b)
{
	free(b->buf);
	*b = (struct blob_out){0};
}

uint64_t blob_get_u64(struct blob_in *b)
{
	uint64_t v;

	if (b->bad || (size_t)(b->end - b->p) < sizeof v) {
		b->bad = true;
		return 0;
	}
	memcpy(&v, b->p, sizeof v);
	b->p += sizeof v;
	return v;
}

uint64_t blob_get_max(struct blob_in *b, uint64_t max)
{
	uint64_t v = blob_get_u64(b);

	if (v > max) {
		b->bad = true;
		return 0;
	}
	return v;
}

char *blob_get_str(struct blob_in *b)
{
	uint64_t len = blob_get_u64(b);
	char *s;

	if (b->bad || len == BLOB_NULL)
		return NULL;
	if (len > (uint64_t)(b->end - b->p) || memchr(b->p, '\0', (size_t)len)) {
		b->bad = true;
		return NULL;
	}
	s = xstrndup(b->p, (size_t)len);
	b->p += len;
	return s;
}
