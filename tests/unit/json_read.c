// SPDX-License-Identifier: GPL-2.0-or-later
/* The JSON reader: what it accepts, what it refuses and where it says the fault is. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/json_read.h"

static char err[256];

static struct jnode *parse(const char *text)
{
	err[0] = '\0';
	return json_parse(text, strlen(text), err, sizeof err);
}

/* The error for TEXT, or "parsed" when it was accepted. */
static const char *error_of(const char *text)
{
	struct jnode *v = parse(text);

	if (v) {
		json_free(v);
		return "parsed";
	}
	return err;
}

static void test_values(void)
{
	struct jnode *v = parse(" {\"a\": [1, -2.5e3, true, false, null, \"x\"],\n \"b\": {}, "
				"\"c\": []} ");
	const struct jnode *a;
	int64_t i;
	uint64_t u;

	ok(v != NULL, "an object with every kind of value parses (%s)", err);
	if (!v)
		return;
	a = json_get(v, "a");
	ok(a && a->type == JSON_ARRAY && a->n == 6, "the array and its six elements");
	is_str(a->items[1].s, "-2.5e3", "a number keeps its text");
	ok(json_int64(&a->items[0], &i) == 0 && i == 1, "an integer read as int64");
	ok(json_int64(&a->items[1], &i) < 0, "a number with a fraction is no integer");
	ok(json_uint64(&a->items[0], &u) == 0 && u == 1, "an integer read as uint64");
	ok(a->items[2].type == JSON_BOOL && a->items[2].b, "true");
	ok(a->items[3].type == JSON_BOOL && !a->items[3].b, "false");
	ok(a->items[4].type == JSON_NULL, "null");
	is_str(a->items[5].s, "x", "a string");
	is_int(json_get(v, "b")->line, 2, "a value knows its line");
	ok(json_get(v, "nope") == NULL, "a missing key is NULL");
	ok(json_get(a, "a") == NULL, "an array has no keys");
	json_free(v);

	v = parse("-1");
	ok(v && json_uint64(v, &u) < 0, "a negative number is no uint64");
	json_free(v);
	v = parse("18446744073709551616");
	ok(v && json_uint64(v, &u) < 0, "2^64 does not fit a uint64");
	json_free(v);
}

static void test_strings(void)
{
	struct jnode *v = parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\\u20ac\"");

	ok(v != NULL, "every escape (%s)", err);
	if (v)
		is_str(v->s, "a\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80\xe2\x82\xac",
		       "escapes decoded, surrogate pairs joined into UTF-8");
	json_free(v);
	v = parse("\"\xc3\xa9\xe2\x82\xac\"");
	ok(v && strcmp(v->s, "\xc3\xa9\xe2\x82\xac") == 0, "raw UTF-8 is kept");
	json_free(v);
	ok(strstr(error_of("\"\\u0000\""), "NUL") != NULL, "\\u0000 refused");
	ok(strstr(error_of("\"\\ud83d\""), "surrogate") != NULL, "a lone high surrogate refused");
	ok(strstr(error_of("\"\\ude00\""), "surrogate") != NULL, "a lone low surrogate refused");
	ok(strstr(error_of("\"\\x\""), "unknown escape") != NULL, "an unknown escape refused");
	ok(strstr(error_of("\"\\u12\""), "four hex") != NULL, "a short \\u refused");
	ok(strstr(error_of("\"a\tb\""), "control character") != NULL, "a raw tab refused");
	ok(strstr(error_of("\"\xc3\""), "UTF-8") != NULL, "a truncated sequence refused");
	ok(strstr(error_of("\"\xc0\xaf\""), "UTF-8") != NULL, "an overlong sequence refused");
	ok(strstr(error_of("\"\xed\xa0\x80\""), "UTF-8") != NULL, "an encoded surrogate refused");
	ok(strstr(error_of("\"abc"), "ends inside a string") != NULL, "an unterminated string");
	ok(strstr(error_of("\"abc\\"), "ends inside a string") != NULL,
	   "an unterminated string ending in a backslash");
}

static void test_errors(void)
{
	is_str(error_of("{\"a\": 1,\n  \"b\" 2}"),
	       "line 2, column 7 (byte 15): expected ':', got '2'",
	       "the message names line, column and byte");
	ok(strstr(error_of("[1, 2,]"), "a comma before ']'") != NULL, "a trailing comma");
	ok(strstr(error_of("{\"a\":1,}"), "a comma before '}'") != NULL,
	   "a trailing comma in an object");
	ok(strstr(error_of("{\"a\":1, \"a\":2}"), "\"a\" a second time") != NULL,
	   "a duplicate key");
	ok(strstr(error_of("{} {}"), "after the value") != NULL, "a second value");
	ok(strstr(error_of(""), "the end of the text") != NULL, "an empty text");
	ok(strstr(error_of("[1 2]"), "expected ',' or ']'") != NULL, "a missing comma");
	ok(strstr(error_of("{1:2}"), "expected a key") != NULL, "a key that is no string");
	ok(strstr(error_of("01"), "after the value") != NULL, "a leading zero");
	ok(strstr(error_of("1."), "after '.'") != NULL, "a fraction without digits");
	ok(strstr(error_of("1e"), "exponent") != NULL, "an exponent without digits");
	ok(strstr(error_of("+1"), "expected a value") != NULL, "a plus sign");
	ok(strstr(error_of("tru"), "expected a value") != NULL, "a cut literal");
	ok(strstr(error_of("// c\n{}"), "expected a value") != NULL, "no comments");
	ok(strcmp(error_of("[1]\n\t "), "parsed") == 0, "white space after the value");
}

static void test_depth(void)
{
	char deep[2 * JSON_READ_MAX_DEPTH + 3];
	size_t n = JSON_READ_MAX_DEPTH;

	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	ok(strcmp(error_of(deep), "parsed") == 0, "nesting of the maximum depth parses");
	memset(deep, '[', n + 1);
	memset(deep + n + 1, ']', n + 1);
	deep[2 * n + 2] = '\0';
	ok(strstr(error_of(deep), "nested deeper") != NULL, "one level more is refused");
}

int main(void)
{
	test_values();
	test_strings();
	test_errors();
	test_depth();
	return done_testing();
}
