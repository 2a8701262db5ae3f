// SPDX-License-Identifier: GPL-2.0-or-later
/* The JSON writer: placement of commas and colons, escaping, misuse detected. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/json.h"

static char *buf;
static size_t len;
static FILE *mem;
static struct json j;

static void start(void)
{
	mem = open_memstream(&buf, &len);
	if (!mem) {
		perror("open_memstream");
		exit(99);
	}
	json_begin(&j, mem);
}

/* The text written, without its final newline; and json_finish()'s verdict in *ret. */
static char *finish(int *ret)
{
	*ret = json_finish(&j);
	fclose(mem);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

static void test_structure(void)
{
	char *text;
	int r;

	start();
	json_object(&j);
	json_kv_int(&j, "version", 1);
	json_key(&j, "list");
	json_array(&j);
	json_int(&j, -3);
	json_uint(&j, UINT64_MAX);
	json_bool(&j, true);
	json_null(&j);
	json_object(&j);
	json_end(&j);
	json_array(&j);
	json_end(&j);
	json_end(&j);
	json_kv_string(&j, "none", NULL);
	json_kv_bool(&j, "no", false);
	json_end(&j);
	text = finish(&r);
	is_str(text,
	       "{\"version\":1,\"list\":[-3,18446744073709551615,true,null,{},[]],"
	       "\"none\":null,\"no\":false}",
	       "nested object and array, commas placed");
	is_int(r, 0, "a balanced value finishes with 0");
	free(text);
}

static void test_escaping(void)
{
	char *text;
	int r;

	start();
	json_array(&j);
	json_string(&j, "quote \" backslash \\ slash /");
	json_string(&j, "tab\tnl\ncr\r nul-less \x01\x1f del\x7f");
	json_string(&j, "utf-8: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	json_string(&j, "bad: \xff \xc3 \xe0\x80\x80 \xed\xa0\x80 \xf4\x90\x80\x80 end");
	json_string_len(&j, "a\0b", 3);
	json_end(&j);
	text = finish(&r);
	is_str(text,
	       "[\"quote \\\" backslash \\\\ slash /\","
	       "\"tab\\u0009nl\\u000acr\\u000d nul-less \\u0001\\u001f del\\u007f\","
	       "\"utf-8: \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
	       "\"bad: \\ufffd \\ufffd \\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\\ufffd "
	       "\\ufffd\\ufffd\\ufffd\\ufffd end\","
	       "\"a\\u0000b\"]",
	       "escapes: quote, backslash, control characters as \\uXXXX, invalid UTF-8 as U+FFFD");
	is_int(r, 0, "escaped strings: balanced");
	free(text);

	start();
	json_object(&j);
	json_kv_string(&j, "k\"\n", "v");
	json_end(&j);
	text = finish(&r);
	is_str(text, "{\"k\\\"\\u000a\":\"v\"}", "keys are escaped too");
	free(text);
}

static void test_misuse(void)
{
	char *text;
	int r;

	start();
	json_object(&j);
	text = finish(&r);
	is_int(r, -1, "an object left open: -1");
	free(text);

	start();
	json_object(&j);
	json_int(&j, 1);
	json_end(&j);
	text = finish(&r);
	is_int(r, -1, "a value without a key in an object: -1");
	free(text);

	start();
	json_array(&j);
	json_key(&j, "k");
	json_end(&j);
	text = finish(&r);
	is_int(r, -1, "a key in an array: -1");
	free(text);

	start();
	json_int(&j, 1);
	json_int(&j, 2);
	text = finish(&r);
	is_int(r, -1, "two top-level values: -1");
	free(text);

	start();
	text = finish(&r);
	is_int(r, -1, "no value at all: -1");
	free(text);

	start();
	for (int i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_array(&j);
	for (int i = 0; i < JSON_MAX_DEPTH + 2; i++)
		json_end(&j);
	text = finish(&r);
	is_int(r, -1, "nested deeper than JSON_MAX_DEPTH: -1");
	free(text);

	start();
	json_object(&j);
	json_key(&j, "k");
	json_end(&j);
	text = finish(&r);
	is_int(r, -1, "a key without its value: -1");
	free(text);
}

int main(void)
{
	test_structure();
	test_escaping();
	test_misuse();
	return done_testing();
}
