// SPDX-License-Identifier: GPL-2.0-or-later
/* String vectors and the environment helpers on them; the escaper of printed strings. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/strv.h"

/* The vector as "a|b|c", checking the NULL terminator on the way. */
static const char *joined(const struct strv *s)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, s->v[i]);
	}
	if (s->n && s->v[s->n] != NULL)
		strcat(buf, "|<not NULL-terminated>");
	return buf;
}

static struct strv make(const char *const *items)
{
	struct strv s = {0};

	for (; *items; items++)
		strv_push(&s, *items);
	return s;
}

static void test_push(void)
{
	struct strv s = {0};
	char word[] = "copied";
	char *owned;

	strv_push(&s, word);
	word[0] = 'X';
	is_str(s.v[0], "copied", "push: copies the string");
	ok(s.v[0] != word, "push: not the caller's pointer");
	is_int(s.n, 1, "push: n is 1");
	ok(s.v[1] == NULL, "push: NULL-terminated");

	owned = xstrdup("owned");
	strv_push_owned(&s, owned);
	ok(s.v[1] == owned, "push_owned: takes the pointer");

	for (int i = 0; i < 20; i++) {
		char buf[16];

		snprintf(buf, sizeof buf, "s%d", i);
		strv_push(&s, buf);
	}
	is_int(s.n, 22, "push: grows past the first allocation");
	ok(s.cap >= s.n + 1, "push: room for the terminator (cap %zu)", s.cap);
	is_str(s.v[21], "s19", "push: last element");
	ok(s.v[22] == NULL, "push: still NULL-terminated after growing");
	is_str(s.v[2], "s0", "push: order kept");

	strv_free(&s);
	ok(s.v == NULL && s.n == 0 && s.cap == 0, "free: resets the vector");
	strv_free(&s);
	ok(s.v == NULL, "free: twice is harmless");
}

static void test_env_set(void)
{
	static const char *const init[] = {"A=1", "PATH=/bin", "B=2", NULL};
	struct strv s = make(init);

	strv_env_set(&s, "PATH=/usr/bin");
	is_str(joined(&s), "A=1|PATH=/usr/bin|B=2", "env_set: replaces in place");
	strv_env_set(&s, "C=3");
	is_str(joined(&s), "A=1|PATH=/usr/bin|B=2|C=3", "env_set: appends a new key");
	strv_env_set(&s, "A=");
	is_str(joined(&s), "A=|PATH=/usr/bin|B=2|C=3", "env_set: empty value replaces");
	strv_env_set(&s, "C=x=y");
	is_str(joined(&s), "A=|PATH=/usr/bin|B=2|C=x=y", "env_set: value may hold '='");
	strv_env_set(&s, "PATHX=1");
	is_str(joined(&s), "A=|PATH=/usr/bin|B=2|C=x=y|PATHX=1",
	       "env_set: PATHX is not PATH (appended)");
	strv_env_set(&s, "PAT=2");
	is_str(joined(&s), "A=|PATH=/usr/bin|B=2|C=x=y|PATHX=1|PAT=2",
	       "env_set: PAT is not PATH (appended)");
	strv_env_set(&s, "PATH=/sbin");
	is_str(joined(&s), "A=|PATH=/sbin|B=2|C=x=y|PATHX=1|PAT=2",
	       "env_set: PATH replaced, PATHX and PAT untouched");
	strv_free(&s);

	/* A key twice (execve allows it): after a set, only the new value may be seen. */
	{
		static const char *const dup[] = {"A=1", "B=2", "A=x", NULL};

		s = make(dup);
		strv_env_set(&s, "A=new");
		is_str(joined(&s), "A=new|B=2",
		       "env_set: a duplicated key ends up once, new value");
		strv_free(&s);
	}

	strv_env_set(&s, "ONLY=1");
	is_str(joined(&s), "ONLY=1", "env_set: on an empty vector");
	strv_free(&s);
}

static void test_env_unset(void)
{
	static const char *const init[] = {"A=1", "B=2", "C=3", "D=4", NULL};
	static const char *const prefix[] = {"PATHX=1", "PATH=2", "PAT=3", NULL};
	static const char *const dup[] = {"A=1", "B=2", "A=x", "C=3", NULL};
	struct strv s = make(init);

	strv_env_unset(&s, "Z");
	is_str(joined(&s), "A=1|B=2|C=3|D=4", "env_unset: missing key changes nothing");
	strv_env_unset(&s, "B");
	is_str(joined(&s), "A=1|C=3|D=4", "env_unset: middle");
	is_int(s.n, 3, "env_unset: n decremented");
	strv_env_unset(&s, "A");
	is_str(joined(&s), "C=3|D=4", "env_unset: first");
	strv_env_unset(&s, "D");
	is_str(joined(&s), "C=3", "env_unset: last");
	ok(s.v[1] == NULL, "env_unset: NULL terminator moved");
	strv_env_unset(&s, "C");
	is_int(s.n, 0, "env_unset: the only one");
	ok(s.v && s.v[0] == NULL, "env_unset: empty vector still NULL-terminated");
	strv_env_unset(&s, "C");
	is_int(s.n, 0, "env_unset: again on empty");
	strv_free(&s);

	strv_env_unset(&s, "X");
	is_int(s.n, 0, "env_unset: on a never-used vector");

	/* A caller can pass an environment holding a key twice; unsetenv(3) removes both. */
	s = make(dup);
	strv_env_unset(&s, "A");
	is_str(joined(&s), "B=2|C=3", "env_unset: every entry of a duplicated key");
	strv_free(&s);

	s = make(prefix);
	strv_env_unset(&s, "PATH");
	is_str(joined(&s), "PATHX=1|PAT=3", "env_unset: PATH leaves PATHX and PAT");
	strv_env_unset(&s, "PA");
	is_str(joined(&s), "PATHX=1|PAT=3", "env_unset: a key prefix matches nothing");
	strv_env_unset(&s, "PAT=3");
	is_str(joined(&s), "PATHX=1|PAT=3", "env_unset: 'KEY=VALUE' is not a key");
	strv_free(&s);
}

static void test_env_get(void)
{
	static const char *const init[] = {"PATHX=x", "PATH=/bin", "EMPTY=", "EQ=a=b", NULL};
	struct strv s = make(init);

	is_str(strv_env_get(&s, "PATH"), "/bin", "env_get: PATH, after PATHX");
	is_str(strv_env_get(&s, "PATHX"), "x", "env_get: PATHX");
	is_str(strv_env_get(&s, "PAT"), NULL, "env_get: PAT is not there");
	is_str(strv_env_get(&s, "EMPTY"), "", "env_get: empty value");
	is_str(strv_env_get(&s, "EQ"), "a=b", "env_get: value with '='");
	is_str(strv_env_get(&s, "NOPE"), NULL, "env_get: missing");
	is_str(strv_env_get(&s, ""), NULL, "env_get: empty key");
	strv_free(&s);
	is_str(strv_env_get(&s, "PATH"), NULL, "env_get: on an empty vector");
}

static void check_escape(const char *in, const char *want, const char *what)
{
	char *got = str_escape(in);

	is_str(got, want, "escape: %s", what);
	free(got);
}

static void test_escape(void)
{
	check_escape("plain /path-1_x.y", "plain /path-1_x.y", "printable ASCII as it is");
	check_escape("T\xc3\xa9l\xc3\xa9"
		     "chargements \xe2\x82\xac \xf0\x9f\x98\x80",
		     "T\xc3\xa9l\xc3\xa9"
		     "chargements \xe2\x82\xac \xf0\x9f\x98\x80",
		     "UTF-8 text as it is");
	check_escape("\x1b[31mred\x1b]0;title\x07", "\\x1b[31mred\\x1b]0;title\\x07",
		     "ESC and BEL as \\xNN");
	check_escape("a\nb\rc\td\x7f", "a\\nb\\x0dc\\x09d\\x7f", "newline, CR, tab, DEL");
	check_escape("back\\slash", "back\\\\slash", "a backslash doubled");
	check_escape("\xc2\x9b"
		     "2J",
		     "\\xc2\\x9b2J", "a C1 control (CSI) in UTF-8");
	check_escape("\x9b"
		     "2J",
		     "\\x9b2J", "a lone C1 byte");
	check_escape("\xc3(", "\\xc3(", "a truncated sequence");
	check_escape("\xc0\xaf", "\\xc0\\xaf", "an overlong '/'");
	check_escape("\xed\xa0\x80", "\\xed\\xa0\\x80", "a UTF-16 surrogate");
	check_escape("\xe2\x82", "\\xe2\\x82", "a sequence cut by the end");
	check_escape("", "", "the empty string");
}

int main(void)
{
	test_escape();
	test_push();
	test_env_set();
	test_env_unset();
	test_env_get();
	return done_testing();
}
