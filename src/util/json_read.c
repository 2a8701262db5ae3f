// SPDX-License-Identifier: GPL-2.0-or-later
/* The JSON reader: recursive descent over the whole text, the depth bounded. */
#include "util/json_read.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

struct reader {
	const char *t;
	size_t len, pos;
	unsigned line;
	size_t line_start;
	char *err;
	size_t errlen;
	bool failed;
};

__attribute__((format(printf, 2, 3))) static void fail(struct reader *r, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	if (r->failed)
		return;
	r->failed = true;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	set_error(r->err, r->errlen, "line %u, column %zu (byte %zu): %s", r->line,
		  r->pos - r->line_start + 1, r->pos, what);
}

static void skip_space(struct reader *r)
{
	while (r->pos < r->len) {
		char c = r->t[r->pos];

		if (c == '\n') {
			r->line++;
			r->line_start = r->pos + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			return;
		}
		r->pos++;
	}
}

static int peek(struct reader *r)
{
	return r->pos < r->len ? (unsigned char)r->t[r->pos] : -1;
}

/* A readable name of the byte at the position, for "expected X, got Y". */
static const char *got(struct reader *r, char *buf, size_t len)
{
	int c = peek(r);

	if (c < 0)
		return "the end of the text";
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, len, "'%c'", c);
	else
		snprintf(buf, len, "byte 0x%02x", c);
	return buf;
}

static bool literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if (r->len - r->pos < n || memcmp(r->t + r->pos, word, n) != 0)
		return false;
	r->pos += n;
	return true;
}

/* Append code point CP as UTF-8. */
static void put_utf8(char *out, size_t *o, uint32_t cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | (cp >> 6));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		out[(*o)++] = (char)(0xe0 | (cp >> 12));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xf0 | (cp >> 18));
		out[(*o)++] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* The length of the valid UTF-8 sequence at P (at most N bytes), or 0 (RFC 3629). */
static size_t utf8_valid(const unsigned char *p, size_t n)
{
	size_t len;
	uint32_t cp, min;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xe0) == 0xc0)
		len = 2, cp = p[0] & 0x1f, min = 0x80;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f, min = 0x800;
	else if ((p[0] & 0xf8) == 0xf0)
		len = 4, cp = p[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static int hex4(struct reader *r, uint32_t *v)
{
	*v = 0;
	if (r->len - r->pos < 4) {
		fail(r, "a \\u escape needs four hex digits");
		return -1;
	}
	for (int i = 0; i < 4; i++) {
		char c = r->t[r->pos + (size_t)i];
		unsigned d;

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else {
			fail(r, "a \\u escape needs four hex digits");
			return -1;
		}
		*v = *v << 4 | d;
	}
	r->pos += 4;
	return 0;
}

/* One escape after the backslash, appended to out. */
static int escape(struct reader *r, char *out, size_t *o)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *e;
	uint32_t cp, lo;

	if (r->pos >= r->len) {
		fail(r, "the text ends inside a string");
		return -1;
	}
	e = strchr(from, r->t[r->pos]);
	if (e && *e) {
		out[(*o)++] = to[e - from];
		r->pos++;
		return 0;
	}
	if (r->t[r->pos] != 'u') {
		fail(r, "an unknown escape \\%c", r->t[r->pos]);
		return -1;
	}
	r->pos++;
	if (hex4(r, &cp) < 0)
		return -1;
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (!literal(r, "\\u") || hex4(r, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff) {
			fail(r, "a high surrogate \\u%04" PRIx32 " without its low one", cp);
			return -1;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	} else if (cp >= 0xdc00 && cp <= 0xdfff) {
		fail(r, "a low surrogate \\u%04" PRIx32 " alone", cp);
		return -1;
	} else if (cp == 0) {
		fail(r, "\\u0000 in a string (nook's strings cannot hold NUL)");
		return -1;
	}
	put_utf8(out, o, cp);
	return 0;
}

/* A string, the opening quote at the position; its decoded text, or NULL. */
static char *string(struct reader *r)
{
	/* Decoding never lengthens: every escape is at least as long as its UTF-8. */
	size_t start = ++r->pos, o = 0, end = start;
	autofree char *out = NULL;

	while (end < r->len && r->t[end] != '"')
		end += r->t[end] == '\\' ? 2 : 1;
	out = xmalloc((end > r->len ? r->len : end) - start + 1);
	for (;;) {
		unsigned char c;
		size_t n;

		if (r->pos >= r->len) {
			fail(r, "the text ends inside a string");
			return NULL;
		}
		c = (unsigned char)r->t[r->pos];
		if (c == '"')
			break;
		if (c == '\\') {
			r->pos++;
			if (escape(r, out, &o) < 0)
				return NULL;
			continue;
		}
		if (c < 0x20) {
			fail(r, "a control character (0x%02x) in a string: it must be escaped", c);
			return NULL;
		}
		n = utf8_valid((const unsigned char *)r->t + r->pos, r->len - r->pos);
		if (n == 0) {
			fail(r, "a string that is not valid UTF-8");
			return NULL;
		}
		memcpy(out + o, r->t + r->pos, n);
		o += n;
		r->pos += n;
	}
	r->pos++;
	out[o] = '\0';
	return steal_pointer(&out);
}

static bool digit(int c)
{
	return c >= '0' && c <= '9';
}

static char *number(struct reader *r)
{
	size_t start = r->pos;

	if (peek(r) == '-')
		r->pos++;
	if (peek(r) == '0') {
		r->pos++;
	} else if (digit(peek(r))) {
		while (digit(peek(r)))
			r->pos++;
	} else {
		fail(r, "a number needs a digit here");
		return NULL;
	}
	if (peek(r) == '.') {
		r->pos++;
		if (!digit(peek(r))) {
			fail(r, "a number needs a digit after '.'");
			return NULL;
		}
		while (digit(peek(r)))
			r->pos++;
	}
	if (peek(r) == 'e' || peek(r) == 'E') {
		r->pos++;
		if (peek(r) == '+' || peek(r) == '-')
			r->pos++;
		if (!digit(peek(r))) {
			fail(r, "a number needs a digit in its exponent");
			return NULL;
		}
		while (digit(peek(r)))
			r->pos++;
	}
	return xstrndup(r->t + start, r->pos - start);
}

static void node_clear(struct jnode *v)
{
	free(v->s);
	for (size_t i = 0; i < v->n; i++) {
		node_clear(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
}

static int value(struct reader *r, struct jnode *v, int depth);

/* The elements of an array or the members of an object, the bracket at the position. */
static int container(struct reader *r, struct jnode *v, int depth)
{
	bool object = v->type == JSON_OBJECT;
	char close = object ? '}' : ']', buf[16];
	size_t cap = 0;

	if (depth >= JSON_READ_MAX_DEPTH) {
		fail(r, "nested deeper than %d", JSON_READ_MAX_DEPTH);
		return -1;
	}
	r->pos++;
	skip_space(r);
	if (peek(r) == close) {
		r->pos++;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		skip_space(r);
		if (object) {
			if (peek(r) != '"') {
				fail(r, "expected a key (a string), got %s",
				     got(r, buf, sizeof buf));
				return -1;
			}
			key = string(r);
			if (!key)
				return -1;
			if (json_get(v, key)) {
				fail(r, "the key \"%s\" a second time", key);
				free(key);
				return -1;
			}
			skip_space(r);
			if (peek(r) != ':') {
				fail(r, "expected ':', got %s", got(r, buf, sizeof buf));
				free(key);
				return -1;
			}
			r->pos++;
			skip_space(r);
		}
		if (v->n == cap) {
			cap = cap ? cap * 2 : 4;
			v->items = xreallocarray(v->items, cap, sizeof *v->items);
			if (object)
				v->keys = xreallocarray(v->keys, cap, sizeof *v->keys);
		}
		memset(&v->items[v->n], 0, sizeof v->items[v->n]);
		if (object)
			v->keys[v->n] = key;
		v->n++;
		if (value(r, &v->items[v->n - 1], depth + 1) < 0)
			return -1;
		skip_space(r);
		if (peek(r) == close) {
			r->pos++;
			return 0;
		}
		if (peek(r) != ',') {
			fail(r, "expected ',' or '%c', got %s", close, got(r, buf, sizeof buf));
			return -1;
		}
		r->pos++;
		skip_space(r);
		if (peek(r) == close) {
			fail(r, "a comma before '%c'", close);
			return -1;
		}
	}
}

static int value(struct reader *r, struct jnode *v, int depth)
{
	char buf[16];
	int c;

	skip_space(r);
	v->offset = r->pos;
	v->line = r->line;
	c = peek(r);
	switch (c) {
	case '{':
	case '[':
		v->type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
		return container(r, v, depth);
	case '"':
		v->type = JSON_STRING;
		v->s = string(r);
		return v->s ? 0 : -1;
	case 't':
	case 'f':
	case 'n':
		if (literal(r, "true") || literal(r, "false")) {
			v->type = JSON_BOOL;
			v->b = c == 't';
			return 0;
		}
		if (literal(r, "null")) {
			v->type = JSON_NULL;
			return 0;
		}
		break;
	default:
		if (c == '-' || digit(c)) {
			v->type = JSON_NUMBER;
			v->s = number(r);
			return v->s ? 0 : -1;
		}
	}
	fail(r, "expected a value, got %s", got(r, buf, sizeof buf));
	return -1;
}

struct jnode *json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct reader r = {.t = text, .len = len, .line = 1, .err = err, .errlen = errlen};
	struct jnode *root = xcalloc(1, sizeof *root);
	char buf[16];

	if (value(&r, root, 0) == 0) {
		skip_space(&r);
		if (r.pos != r.len)
			fail(&r, "%s after the value", got(&r, buf, sizeof buf));
	}
	if (r.failed) {
		json_free(root);
		return NULL;
	}
	return root;
}

void json_free(struct jnode *root)
{
	if (!root)
		return;
	node_clear(root);
	free(root);
}

const struct jnode *json_get(const struct jnode *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (obj->keys[i] && strcmp(obj->keys[i], key) == 0)
			return &obj->items[i];
	return NULL;
}

const char *json_type_name(enum jtype t)
{
	static const char *const names[] = {
		[JSON_NULL] = "null",       [JSON_BOOL] = "a boolean", [JSON_NUMBER] = "a number",
		[JSON_STRING] = "a string", [JSON_ARRAY] = "an array", [JSON_OBJECT] = "an object",
	};
	return names[t];
}

static bool plain_integer(const struct jnode *v)
{
	return v && v->type == JSON_NUMBER && !strpbrk(v->s, ".eE");
}

int json_int64(const struct jnode *v, int64_t *out)
{
	char *end;
	long long n;

	if (!plain_integer(v))
		return -1;
	errno = 0;
	n = strtoll(v->s, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}

int json_uint64(const struct jnode *v, uint64_t *out)
{
	char *end;
	unsigned long long n;

	if (!plain_integer(v) || v->s[0] == '-')
		return -1;
	errno = 0;
	n = strtoull(v->s, &end, 10);
	if (errno || *end)
		return -1;
	*out = n;
	return 0;
}
