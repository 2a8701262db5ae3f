// SPDX-License-Identifier: GPL-2.0-or-later
/* subid_read() on real files, and the id maps built from the ranges. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy/subid.h"
#include "tap.h"

static char tmpdir[] = "/tmp/nook-unit-subid-XXXXXX";
static char path[64];

/* Write CONTENT to the one test file, replacing what was there. */
static const char *file_with(const char *content)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(99);
	}
	return path;
}

/* "start:count start:count ..." of what subid_read found, to compare as one string. */
static const char *ranges_str(const struct subid_ranges *s)
{
	static char buf[2048];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->n && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%" PRIu32 ":%" PRIu32,
					i ? " " : "", s->r[i].start, s->r[i].count);
	return buf;
}

/* "[inside outside count]..." of a map. */
static const char *map_str(const struct id_map *m)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->n && i < ID_MAP_MAX && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
					"[%" PRIu32 " %" PRIu32 " %" PRIu32 "]", m->r[i].inside,
					m->r[i].outside, m->r[i].count);
	return buf;
}

static struct subid_ranges ranges(size_t n, const uint32_t (*r)[2])
{
	struct subid_ranges s = {.n = n};

	for (size_t i = 0; i < n; i++) {
		s.r[i].start = r[i][0];
		s.r[i].count = r[i][1];
	}
	return s;
}

/*
 * What the kernel requires of a map: at most ID_MAP_MAX lines here, no empty line,
 * no line past id 2^32-2 (2^32-1 is the invalid id), no two lines sharing an inside id
 * nor (when CHECK_OUTSIDE) an outside id. Returns NULL or what is wrong.
 */
static const char *map_problem(const struct id_map *m, bool check_outside)
{
	static char why[256];

	if (m->n > ID_MAP_MAX)
		return "more than ID_MAP_MAX lines";
	for (size_t i = 0; i < m->n; i++) {
		const struct id_range *a = &m->r[i];

		if (a->count == 0)
			return "a line with count 0";
		if ((uint64_t)a->inside + a->count > UINT32_MAX ||
		    (uint64_t)a->outside + a->count > UINT32_MAX) {
			snprintf(why, sizeof why, "line %zu reaches id 2^32-1", i);
			return why;
		}
		for (size_t j = i + 1; j < m->n; j++) {
			const struct id_range *b = &m->r[j];

			if (a->inside < (uint64_t)b->inside + b->count &&
			    b->inside < (uint64_t)a->inside + a->count) {
				snprintf(why, sizeof why, "lines %zu and %zu overlap inside", i, j);
				return why;
			}
			if (check_outside && a->outside < (uint64_t)b->outside + b->count &&
			    b->outside < (uint64_t)a->outside + a->count) {
				snprintf(why, sizeof why, "lines %zu and %zu overlap outside", i,
					 j);
				return why;
			}
		}
	}
	return NULL;
}

/* Inside ids of ID mapped, or -1. */
static long long map_lookup(const struct id_map *m, uint32_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (id >= m->r[i].inside && id - m->r[i].inside < m->r[i].count)
			return (long long)m->r[i].outside + (id - m->r[i].inside);
	return -1;
}

static uint64_t map_total(const struct id_map *m)
{
	uint64_t t = 0;

	for (size_t i = 0; i < m->n; i++)
		t += m->r[i].count;
	return t;
}

static void test_read(void)
{
	struct subid_ranges s;
	int r;

	r = subid_read(file_with("tester:100000:65536\n"), "tester", 1001, &s);
	is_int(r, 0, "read: returns 0");
	is_str(ranges_str(&s), "100000:65536", "read: user name matches");

	r = subid_read(file_with("1001:200000:1000\n"), "tester", 1001, &s);
	is_str(ranges_str(&s), "200000:1000", "read: decimal uid matches");
	r = subid_read(file_with("1001:200000:1000\n"), NULL, 1001, &s);
	is_str(ranges_str(&s), "200000:1000", "read: decimal uid matches without a user name");

	r = subid_read(file_with("tester:300000:10\n"
				 "other:1:2\n"
				 "tester:100000:20\n"
				 "1001:500000:30\n"
				 "tester:400000:40"), /* no newline at the end */
		       "tester", 1001, &s);
	is_str(ranges_str(&s), "300000:10 100000:20 500000:30 400000:40",
	       "read: several ranges, in file order");

	r = subid_read(file_with("other:100000:65536\n"
				 "testers:200000:65536\n"
				 "teste:300000:65536\n"
				 "Tester:400000:65536\n"
				 "10010:500000:65536\n"
				 "100:600000:65536\n"
				 "1002:700000:65536\n"),
		       "tester", 1001, &s);
	is_int(r, 0, "read: other users' file returns 0");
	is_int(s.n, 0, "read: other users' lines (and name/uid prefixes) are ignored");

	s.n = 7;
	r = subid_read(file_with(""), "tester", 1001, &s);
	is_int(r, 0, "read: empty file returns 0");
	is_int(s.n, 0, "read: empty file has no ranges");
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"#tester:100000:65536",
		"# tester:100000:65536",
		"tester",
		"tester:",
		"tester:100000",
		"tester:100000:",
		":100000:65536",
		"tester:abc:65536",
		"tester:100000:xyz",
		"tester:100000:65536junk",
		"tester:0x10:65536",
		"tester:100000:0",
		"tester:-1:65536",
		"tester:100000:-1",
		"tester:4294967296:1",
		"tester:1:4294967296",
		"tester:4294967295:2",
		"tester:4294901761:65536",
		"tester:99999999999999999999999:1",
		"tester:1:99999999999999999999999",
	};
	struct subid_ranges s;
	char buf[4096] = "";

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int r;

		snprintf(buf, sizeof buf, "%s\n", bad[i]);
		r = subid_read(file_with(buf), "tester", 1001, &s);
		ok(r == 0 && s.n == 0, "malformed: '%s' is ignored (got %d, %zu ranges)", bad[i], r,
		   s.n);
	}

	/* Good lines around bad ones still count, in order. */
	buf[0] = '\0';
	strcat(buf, "tester:10:1\n");
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		strcat(buf, bad[i]);
		strcat(buf, "\n");
	}
	strcat(buf, "\n\ntester:4294901759:65536\n"); /* ends at 2^32-2, the last valid id */
	subid_read(file_with(buf), "tester", 1001, &s);
	is_str(ranges_str(&s), "10:1 4294901759:65536", "malformed: good lines around bad ones");

	/* 2^32-1 is (uid_t)-1; the kernel refuses a map line whose end wraps to 0. */
	subid_read(file_with("tester:4294901760:65536\n"), "tester", 1001, &s);
	is_int(s.n, 0, "malformed: a range that holds id 2^32-1 is ignored");
}

/* shadow's subid(5) lines have exactly three fields: newuidmap refuses anything else. */
static void test_fields(void)
{
	struct subid_ranges s;

	subid_read(file_with("tester::100000:65536\n"), "tester", 1001, &s);
	is_int(s.n, 0, "fields: an empty field ('tester::100000:65536') is malformed");
	subid_read(file_with("tester:100000::65536\n"), "tester", 1001, &s);
	is_int(s.n, 0, "fields: an empty field ('tester:100000::65536') is malformed");
	subid_read(file_with("tester:100000:65536:9\n"), "tester", 1001, &s);
	is_int(s.n, 0, "fields: a fourth field ('tester:100000:65536:9') is malformed");
}

static void test_read_errors(void)
{
	struct subid_ranges s;
	char missing[128];
	int r;

	snprintf(missing, sizeof missing, "%s/does-not-exist", tmpdir);
	s.n = 3;
	errno = 0;
	r = subid_read(missing, "tester", 1001, &s);
	is_int(r, 0, "errors: a missing file returns 0");
	is_int(s.n, 0, "errors: a missing file has no ranges");

	s.n = 3;
	errno = 0;
	r = subid_read(tmpdir, "tester", 1001, &s);
	is_int(r, -1, "errors: a directory cannot be read: -1");
	is_int(errno, EISDIR, "errors: ... with errno EISDIR");
	is_int(s.n, 0, "errors: ... and no ranges");
}

/* More ranges than a map can hold: the reader and the maps stay within ID_MAP_MAX. */
static void test_many_ranges(void)
{
	char buf[8192] = "";
	struct subid_ranges s;
	struct id_map m;

	for (int i = 0; i < 40; i++) {
		char line[64];

		snprintf(line, sizeof line, "tester:%d:1000\n", 100000 + i * 10000);
		strcat(buf, line);
	}
	subid_read(file_with(buf), "tester", 1001, &s);
	ok(s.n > 0 && s.n <= ID_MAP_MAX - 1, "many: at most ID_MAP_MAX-1 ranges kept (%zu)", s.n);
	ok(s.r[0].start == 100000 && s.r[s.n - 1].start == 100000 + (s.n - 1) * 10000,
	   "many: the first ones, in file order");

	subid_map_keep_id(1001, &s, &m);
	is_str(map_problem(&m, true), NULL, "many: keep-id map is valid (%zu lines)", m.n);
	is_int(map_lookup(&m, 1001), 1001, "many: keep-id still maps the caller to itself");
	subid_map_root(1001, &s, &m);
	is_str(map_problem(&m, true), NULL, "many: root map is valid (%zu lines)", m.n);
	is_int(map_lookup(&m, 0), 1001, "many: root map still maps 0 to the caller");
}

static void test_keep_id(void)
{
	static const uint32_t one[][2] = {{100000, 65536}};
	static const uint32_t small[][2] = {{100000, 500}};
	static const uint32_t two[][2] = {{100000, 500}, {200000, 1000}};
	static const uint32_t upto[][2] = {{100000, 1001}, {200000, 10}};
	struct subid_ranges s;
	struct id_map m;

	s = ranges(1, one);
	subid_map_keep_id(1001, &s, &m);
	is_str(map_str(&m), "[0 100000 1001][1001 1001 1][1002 101001 64535]",
	       "keep-id: uid 1001, 100000:65536");
	is_int(m.n, 3, "keep-id: exactly 3 lines");

	subid_map_keep_id(0, &s, &m);
	is_str(map_str(&m), "[0 0 1][1 100000 65536]", "keep-id: uid 0 (root caller)");

	s = ranges(1, small);
	subid_map_keep_id(1001, &s, &m);
	is_str(map_str(&m), "[0 100000 500][1001 1001 1]", "keep-id: range smaller than the uid");

	s = ranges(2, two);
	subid_map_keep_id(1001, &s, &m);
	is_str(map_str(&m), "[0 100000 500][500 200000 501][1001 1001 1][1002 200501 499]",
	       "keep-id: two ranges, the second split around the uid");

	s = ranges(2, upto);
	subid_map_keep_id(1001, &s, &m);
	is_str(map_str(&m), "[0 100000 1001][1001 1001 1][1002 200000 10]",
	       "keep-id: a range ending just below the uid");

	s = ranges(0, NULL);
	subid_map_keep_id(1001, &s, &m);
	is_str(map_str(&m), "[1001 1001 1]", "keep-id: no ranges: the caller only");
}

static void test_root(void)
{
	static const uint32_t one[][2] = {{100000, 65536}};
	static const uint32_t two[][2] = {{100000, 500}, {200000, 1000}};
	struct subid_ranges s;
	struct id_map m;

	s = ranges(1, one);
	subid_map_root(1001, &s, &m);
	is_str(map_str(&m), "[0 1001 1][1 100000 65536]", "root: uid 1001, 100000:65536");

	s = ranges(2, two);
	subid_map_root(1001, &s, &m);
	is_str(map_str(&m), "[0 1001 1][1 100000 500][501 200000 1000]", "root: two ranges");

	s = ranges(0, NULL);
	subid_map_root(1001, &s, &m);
	is_str(map_str(&m), "[0 1001 1]", "root: no ranges: the caller as 0 only");

	subid_map_single(0, 1001, &m);
	is_str(map_str(&m), "[0 1001 1]", "single: 0 -> 1001");
	subid_map_single(1001, 1001, &m);
	is_str(map_str(&m), "[1001 1001 1]", "single: 1001 -> 1001");
}

/* The invariants over a spread of callers and ranges, near the edges included. */
static void test_invariants(void)
{
	static const uint32_t uids[] = {0,    1,     499,   500,   501,        1000,
					1001, 65535, 65536, 65537, 4294967294u};
	static const uint32_t r1[][2] = {{100000, 65536}};
	static const uint32_t r2[][2] = {{100000, 500}, {200000, 1000}};
	static const uint32_t r3[][2] = {{100000, 1}, {200000, 1}, {300000, 1}};
	static const uint32_t r4[][2] = {{1000000, 1000000000}};
	static const uint32_t r5[][2] = {{1000000, 1000000000}, {2000000000, 2000000000}};
	static const struct {
		size_t n;
		const uint32_t (*r)[2];
		const char *name;
	} sets[] = {
		{1, r1, "100000:65536"},   {2, r2, "two"},
		{3, r3, "three of one"},   {1, r4, "1000000:10^9"},
		{2, r5, "almost all ids"},
	};
	int bad_keep = 0, bad_root = 0;

	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		struct subid_ranges s = ranges(sets[i].n, sets[i].r);
		uint64_t sub_total = 0;

		for (size_t k = 0; k < s.n; k++)
			sub_total += s.r[k].count;
		for (size_t j = 0; j < sizeof uids / sizeof uids[0]; j++) {
			uint32_t uid = uids[j];
			struct id_map m;
			const char *why;
			uint64_t want_total;

			subid_map_keep_id(uid, &s, &m);
			why = map_problem(&m, true);
			/* Every subordinate id is used, unless the ids run out below 2^32-1. */
			want_total = sub_total + 1;
			if (want_total > UINT32_MAX)
				want_total = UINT32_MAX;
			if (why || map_lookup(&m, uid) != uid || map_total(&m) != want_total) {
				diag("keep-id uid %" PRIu32 " ranges %s: %s, total %" PRIu64 ": %s",
				     uid, sets[i].name, why ? why : "valid", map_total(&m),
				     map_str(&m));
				bad_keep++;
			}

			subid_map_root(uid, &s, &m);
			why = map_problem(&m, true);
			if (why || map_lookup(&m, 0) != uid || map_total(&m) != want_total) {
				diag("root uid %" PRIu32 " ranges %s: %s, total %" PRIu64 ": %s",
				     uid, sets[i].name, why ? why : "valid", map_total(&m),
				     map_str(&m));
				bad_root++;
			}
		}
	}
	is_int(bad_keep, 0, "invariants: keep-id maps are valid, complete, caller kept");
	is_int(bad_root, 0, "invariants: root maps are valid, complete, 0 is the caller");
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	snprintf(path, sizeof path, "%s/subid", tmpdir);

	test_read();
	test_malformed();
	test_fields();
	test_read_errors();
	test_many_ranges();
	test_keep_id();
	test_root();
	test_invariants();

	unlink(path);
	rmdir(tmpdir);
	return done_testing();
}
