/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_JSON_READ_H
#define NOOK_JSON_READ_H

/*
 * A strict JSON reader (RFC 8259) for files nook is handed (an OCI bundle's config.json):
 * the whole text into a tree. Strict: one value and nothing after it but white space, no
 * comments, no trailing commas, no duplicate keys, valid UTF-8, no NUL in strings (they
 * become C strings), nesting at most JSON_READ_MAX_DEPTH deep. An error says what and where:
 * "line L, column C (byte B): expected ',' or '}'".
 *
 *   char err[256]; struct jnode *root = json_parse(text, len, err, sizeof err);
 *   const struct jnode *v = json_get(root, "ociVersion");   NULL: no such key
 *   json_free(root);
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSON_READ_MAX_DEPTH 64

enum jtype { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT };

struct jnode {
	enum jtype type;
	size_t offset; /* of its first byte in the text, for messages */
	unsigned line; /* 1-based */
	bool b;        /* JSON_BOOL */
	char *s;       /* JSON_STRING: the decoded string; JSON_NUMBER: its text */
	/* JSON_ARRAY and JSON_OBJECT: the elements (values), and for an object their keys. */
	struct jnode *items;
	char **keys;
	size_t n;
};

struct jnode *json_parse(const char *text, size_t len, char *err, size_t errlen);
void json_free(struct jnode *root);

/* The value of KEY in OBJ (an object; anything else has no keys), or NULL. */
const struct jnode *json_get(const struct jnode *obj, const char *key);
/* The name of a type, for messages: "a string", "an object", ... */
const char *json_type_name(enum jtype t);
/* An integer number (no fraction, no exponent) within the range: 0; else -1. */
int json_int64(const struct jnode *v, int64_t *out);
int json_uint64(const struct jnode *v, uint64_t *out);

#endif
