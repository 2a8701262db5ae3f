/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_JSON_H
#define NOOK_JSON_H

/*
 * A small streaming JSON writer (RFC 8259) for the --json outputs: one value, compact, on one
 * line. It places the commas and colons, so a caller cannot produce invalid JSON by forgetting
 * one; strings are escaped here only:
 *
 *   struct json j; json_begin(&j, stdout);
 *   json_object(&j); json_key(&j, "version"); json_int(&j, 1); json_end(&j);
 *   if (json_finish(&j) < 0) ... the nesting was unbalanced
 *
 * Strings are taken as UTF-8: '"' and '\' are escaped, control characters (and DEL) are
 * written as \uXXXX, and a byte that is not part of valid UTF-8 becomes U+FFFD, so the output
 * is always valid JSON, whatever a path or an environment variable holds.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool first[JSON_MAX_DEPTH];  /* nothing written yet in this object or array */
	bool object[JSON_MAX_DEPTH]; /* an object (keys expected), or an array */
	bool after_key;              /* a key was written; its value comes next */
	bool broken;                 /* misuse: too deep, a key outside an object, ... */
};

void json_begin(struct json *j, FILE *out);
/* Ends the line. Returns 0, or -1 when the calls did not make exactly one balanced value. */
int json_finish(struct json *j);

void json_object(struct json *j);
void json_array(struct json *j);
void json_end(struct json *j); /* of the innermost object or array */
void json_key(struct json *j, const char *key);

void json_string(struct json *j, const char *s); /* NULL writes null */
/* The first LEN bytes of S (which may hold no NUL). */
void json_string_len(struct json *j, const char *s, size_t len);
void json_int(struct json *j, int64_t v);
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* A key and its value in one call. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_bool(struct json *j, const char *key, bool v);

#endif
