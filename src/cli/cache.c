// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook cache: list and remove the caches that --cache=NAME:PATH keeps in
 * $XDG_DATA_HOME/nook/caches/NAME/ (data/, meta, lock).
 *
 * data/ is written by sandboxed programs: it may hold symlinks to anywhere, names with
 * newlines, trees nested thousands deep or without permissions. The walks are those of the
 * overlays (overlay_store.c): directory fd to directory fd, nothing followed, what is printed
 * escaped. A cache is in use while a sandbox holds its lock, shared (sandbox/cache.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/overlay_store.h"
#include "policy/cache.h"
#include "request/values.h"
#include "util/err.h"

struct cache_row {
	char *name;
	bool have_size; /* false: "?", part of data/ could not be read */
	uint64_t size;
	bool have_mtime;
	struct timespec mtime; /* the last use: each sandbox rewrites meta */
	char *path;            /* raw, as meta has it; NULL: unknown */
	bool in_use;
};

static char *base_dir(const char *what)
{
	struct host_facts facts;
	char *path;

	host_facts_read(&facts);
	path = cache_base_dir(&facts);
	host_facts_free(&facts);
	if (!path)
		warnx_("%s: no home directory to find caches in (set XDG_DATA_HOME)", what);
	return path;
}

static void row_fill(struct cache_row *row, int base, const char *name)
{
	autoclose int dir = -1;
	autoclose int data = -1;
	struct meta m;

	row->name = xstrdup(name);
	dir = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		return;
	if (ovl_meta_read(dir, &m) == 0) {
		row->have_mtime = m.have_mtime;
		row->mtime = m.mtime;
		row->path = m.path;
		m.path = NULL;
		ovl_meta_free(&m);
	}
	row->in_use = ovl_lock_held(dir) == 1;
	data = openat(dir, "data", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (data < 0 && errno == ENOENT) {
		row->have_size = true; /* nothing kept yet */
		return;
	}
	if (data >= 0)
		row->have_size = ovl_tree_size(data, &row->size);
}

/* S as a JSON string: '"', '\' and control characters escaped, what is not UTF-8 as U+FFFD. */
static void json_string(const char *s, FILE *out)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', out);
	while (*p) {
		size_t len = 0;

		if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fprintf(out, "\\u%04x", *p++);
			continue;
		}
		if (*p < 0x80) {
			fputc(*p++, out);
			continue;
		}
		/* The length a lead byte announces, then its continuation bytes; no overlongs. */
		if (*p >= 0xc2 && *p <= 0xdf)
			len = 2;
		else if (*p >= 0xe0 && *p <= 0xef)
			len = 3;
		else if (*p >= 0xf0 && *p <= 0xf4)
			len = 4;
		for (size_t i = 1; i < len; i++)
			if ((p[i] & 0xc0) != 0x80)
				len = 0;
		if (len == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
			len = 0;
		if (len == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90)))
			len = 0;
		if (len == 0) {
			fputs("\\ufffd", out);
			p++;
			continue;
		}
		fwrite(p, 1, len, out);
		p += len;
	}
	fputc('"', out);
}

static void print_json(const struct cache_row *rows, size_t n)
{
	fputc('[', stdout);
	for (size_t i = 0; i < n; i++) {
		const struct cache_row *r = &rows[i];

		fputs(i ? ",\n " : "\n ", stdout);
		fputs("{\"name\": ", stdout);
		json_string(r->name, stdout);
		if (r->have_size)
			printf(", \"size\": %" PRIu64, r->size);
		else
			fputs(", \"size\": null", stdout);
		if (r->have_mtime)
			printf(", \"last_use\": %lld", (long long)r->mtime.tv_sec);
		else
			fputs(", \"last_use\": null", stdout);
		fputs(", \"path\": ", stdout);
		if (r->path)
			json_string(r->path, stdout);
		else
			fputs("null", stdout);
		printf(", \"in_use\": %s}", r->in_use ? "true" : "false");
	}
	fputs(n ? "\n]\n" : "]\n", stdout);
}

static void print_table(const struct cache_row *rows, size_t n)
{
	int wname = 4, wsize = 4;
	char(*sizes)[16] = xcalloc(n + 1, sizeof *sizes);

	for (size_t i = 0; i < n; i++) {
		if (rows[i].have_size)
			ovl_human_size(rows[i].size, sizes[i], sizeof sizes[i]);
		else
			strcpy(sizes[i], "?");
		if ((int)strlen(rows[i].name) > wname)
			wname = (int)strlen(rows[i].name);
		if ((int)strlen(sizes[i]) > wsize)
			wsize = (int)strlen(sizes[i]);
	}
	printf("%-*s  %*s  %-16s  %s\n", wname, "NAME", wsize, "SIZE", "LAST USE", "PATH");
	for (size_t i = 0; i < n; i++) {
		char last[32] = "-";
		struct tm tm;
		autofree char *path = ovl_escaped(rows[i].path ? rows[i].path : "-");

		if (rows[i].have_mtime && localtime_r(&rows[i].mtime.tv_sec, &tm))
			strftime(last, sizeof last, "%Y-%m-%d %H:%M", &tm);
		printf("%-*s  %*s  %-16s  %s%s\n", wname, rows[i].name, wsize, sizes[i], last, path,
		       rows[i].in_use ? "  in-use" : "");
	}
	free(sizes);
}

static int cache_list(bool json, bool retry);

static int list_in_userns(void *arg)
{
	return cache_list(*(bool *)arg, false) == 0 ? 0 : -1;
}

/* RETRY: if a size cannot be read, list again from a namespace that can read it. */
static int cache_list(bool json, bool retry)
{
	autofree char *path = base_dir("cache list");
	autoclose int base = -1;
	struct names ns = {0};
	struct cache_row *rows = NULL;
	size_t n = 0;
	bool unreadable = false;
	int ret = 0;

	if (!path)
		return EXIT_NOOK_FAILED;
	if (ovl_store_list("cache list", path, &base, &ns) < 0)
		return EXIT_NOOK_FAILED;
	rows = xcalloc(ns.n + 1, sizeof *rows);
	for (size_t i = 0; i < ns.n; i++) {
		struct stat st;

		/* Only what --cache=NAME:PATH could have made. */
		if (!store_name_valid(ns.v[i]) ||
		    fstatat(base, ns.v[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		row_fill(&rows[n], base, ns.v[i]);
		unreadable |= !rows[n].have_size;
		n++;
	}
	ovl_names_free(&ns);
	/* The caller may not read what a sandbox made as another of its ids; its namespace may. */
	if (unreadable && retry) {
		int u = ovl_in_userns("cache list", list_in_userns, &json);

		if (u != -2) {
			ret = u < 0 ? EXIT_NOOK_FAILED : 0;
			goto out;
		}
	}
	if (json)
		print_json(rows, n);
	else
		print_table(rows, n);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn_errno("cache list: cannot write the list");
		ret = EXIT_NOOK_FAILED;
	}
out:
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].path);
	}
	free(rows);
	return ret;
}

static int cache_rm(const char *name)
{
	autofree char *what = xasprintf("cache rm %s", name);
	autofree char *path = base_dir(what);
	autoclose int base = -1;
	autoclose int dir = -1;

	if (!path || ovl_store_open(what, "cache", path, name, &base, &dir) < 0 ||
	    ovl_store_rm(what, base, dir, name) < 0)
		return EXIT_NOOK_FAILED;
	return 0;
}

void cache_help(FILE *out)
{
	fputs("Usage: nook cache list [--json]\n"
	      "       nook cache rm NAME\n"
	      "Manage the caches that 'nook run --cache=NAME:PATH' keeps, in\n"
	      "$XDG_DATA_HOME/nook/caches (default ~/.local/share/nook/caches).\n\n"
	      "Commands:\n"
	      "  list        one line per cache, by name: NAME, SIZE (apparent size of what it\n"
	      "              holds; ? if unreadable), LAST USE, PATH (where its last sandbox\n"
	      "              had it), then in-use while a sandbox uses it\n"
	      "  rm NAME     remove the cache and everything in it; refused while a sandbox\n"
	      "              uses it\n\n"
	      "Options:\n"
	      "  --json      list as a JSON array of objects: name, size (bytes; null if\n"
	      "              unreadable), last_use (seconds since the epoch; null if unknown),\n"
	      "              path (null if unknown), in_use (true or false)\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 on success; 125 on a bad argument, an unknown or busy cache, or\n"
	      "another failure.\n",
	      out);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cmd_cache(int argc, char **argv)
{
	const char *sub;

	if (argc < 1) {
		warnx_("cache: missing subcommand (list or rm NAME; see 'nook cache --help')");
		return EXIT_NOOK_FAILED;
	}
	sub = argv[0];
	if (is_help(sub) || (argc == 2 && is_help(argv[1]))) {
		cache_help(stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
	}
	if (strcmp(sub, "list") == 0) {
		bool json = argc >= 2 && strcmp(argv[1], "--json") == 0;
		int extra = json ? 2 : 1;

		if (argc > extra) {
			autofree char *shown = ovl_escaped(argv[extra]);

			warnx_("cache list: unexpected argument '%s' (it takes only --json)",
			       shown);
			return EXIT_NOOK_FAILED;
		}
		return cache_list(json, true);
	}
	if (strcmp(sub, "rm") == 0) {
		if (argc < 2) {
			warnx_("cache rm: missing NAME (see 'nook cache --help')");
			return EXIT_NOOK_FAILED;
		}
		if (argc > 2) {
			autofree char *shown = ovl_escaped(argv[2]);

			warnx_("cache rm: unexpected argument '%s' (it takes one NAME)", shown);
			return EXIT_NOOK_FAILED;
		}
		if (!store_name_valid(argv[1])) {
			autofree char *shown = ovl_escaped(argv[1]);

			warnx_("cache rm: invalid NAME '%s' (1-64 letters, digits, '_', '.' and '-'; "
			       "not tmp, none, . or ..)",
			       shown);
			return EXIT_NOOK_FAILED;
		}
		return cache_rm(argv[1]);
	}
	{
		autofree char *shown = ovl_escaped(sub);

		warnx_("cache: unknown subcommand '%s' (expected list or rm NAME)", shown);
	}
	return EXIT_NOOK_FAILED;
}
