// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/json.h"

#include <inttypes.h>
#include <string.h>

void json_begin(struct json *j, FILE *out)
{
	memset(j, 0, sizeof *j);
	j->out = out;
	j->first[0] = true;
}

/* Before any value: the comma after a sibling; a value in an object must follow its key. */
static bool before_value(struct json *j)
{
	if (j->broken)
		return false;
	if (j->after_key) {
		j->after_key = false;
		return true;
	}
	if (j->object[j->depth] && j->depth > 0) {
		j->broken = true;
		return false;
	}
	if (j->depth == 0 && !j->first[0]) {
		j->broken = true; /* a second top-level value */
		return false;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	return true;
}

static void begin_container(struct json *j, bool object)
{
	if (!before_value(j))
		return;
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->broken = true;
		return;
	}
	fputc(object ? '{' : '[', j->out);
	j->depth++;
	j->first[j->depth] = true;
	j->object[j->depth] = object;
}

void json_object(struct json *j)
{
	begin_container(j, true);
}

void json_array(struct json *j)
{
	begin_container(j, false);
}

void json_end(struct json *j)
{
	if (j->broken || j->depth == 0 || j->after_key) {
		j->broken = true;
		return;
	}
	fputc(j->object[j->depth] ? '}' : ']', j->out);
	j->depth--;
}

/* The length of the valid UTF-8 sequence at P (at most LEFT bytes), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *p, size_t left)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	/* No overlong forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (n > left || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < n; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return n;
}

static void write_string(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	fputc('"', out);
	while (i < len) {
		size_t n = utf8_len(p + i, len - i);

		if (n == 0) {
			fputs("\\ufffd", out);
			i++;
		} else if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', out);
			fputc(p[i++], out);
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			fprintf(out, "\\u%04x", p[i++]);
		} else {
			fwrite(p + i, 1, n, out);
			i += n;
		}
	}
	fputc('"', out);
}

void json_key(struct json *j, const char *key)
{
	if (j->broken || j->depth == 0 || !j->object[j->depth] || j->after_key) {
		j->broken = true;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	write_string(j->out, key, strlen(key));
	fputc(':', j->out);
	j->after_key = true;
}

void json_string_len(struct json *j, const char *s, size_t len)
{
	if (before_value(j))
		write_string(j->out, s, len);
}

void json_string(struct json *j, const char *s)
{
	if (!s)
		json_null(j);
	else
		json_string_len(j, s, strlen(s));
}

void json_int(struct json *j, int64_t v)
{
	if (before_value(j))
		fprintf(j->out, "%" PRId64, v);
}

void json_uint(struct json *j, uint64_t v)
{
	if (before_value(j))
		fprintf(j->out, "%" PRIu64, v);
}

void json_bool(struct json *j, bool v)
{
	if (before_value(j))
		fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	if (before_value(j))
		fputs("null", j->out);
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

int json_finish(struct json *j)
{
	fputc('\n', j->out);
	return j->broken || j->depth != 0 || j->first[0] ? -1 : 0;
}
