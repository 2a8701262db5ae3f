// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook overlay: list, diff and remove the named overlays that --overlay=NAME keeps in
 * $XDG_DATA_HOME/nook/overlays/NAME/ (upper/, work/, meta, lock).
 *
 * An upper layer is written by a sandboxed program: it may hold symlinks to anywhere, names
 * with newlines, directories nested thousands deep or without permissions. So every walk
 * here goes from directory fd to directory fd with O_NOFOLLOW and fstatat(AT_SYMLINK_NOFOLLOW),
 * never builds a path to hand to the kernel, and escapes what it prints.
 *
 * This file has list and rm and the command itself; overlay_diff.c has diff, and
 * overlay_store.c what the three share (sizes and removal with nook cache, too).
 */
#include <errno.h>
#include <fcntl.h>
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
#include "policy/overlay.h"
#include "request/values.h"
#include "util/err.h"
#include "util/json.h"

/* ---- list ---- */

struct row {
	char *name;
	char size[16];
	char last[32];
	char *lower; /* escaped */
	bool in_use;
	bool unreadable; /* size "?": part of the upper layer could not be read */
	/* The same, raw, for --json. */
	uint64_t bytes;
	char last_utc[32]; /* RFC 3339, or "" */
	char *lower_raw;   /* NULL: unknown */
	char *driver;      /* NULL: unknown */
};

static void row_free(struct row *row)
{
	free(row->name);
	free(row->lower);
	free(row->lower_raw);
	free(row->driver);
}

static void row_fill(struct row *row, int base, const char *name)
{
	autoclose int dir = -1;
	autoclose int upper = -1;
	struct meta m;

	row->name = xstrdup(name);
	strcpy(row->size, "?");
	strcpy(row->last, "-");
	dir = openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0) {
		row->lower = xstrdup("?");
		row->unreadable = true;
		return;
	}
	if (ovl_meta_read(dir, &m) == 0) {
		struct tm tm;

		if (localtime_r(&m.mtime.tv_sec, &tm))
			strftime(row->last, sizeof row->last, "%Y-%m-%d %H:%M", &tm);
		if (m.have_mtime && gmtime_r(&m.mtime.tv_sec, &tm))
			strftime(row->last_utc, sizeof row->last_utc, "%Y-%m-%dT%H:%M:%SZ", &tm);
		row->lower = ovl_escaped(m.lower ? m.lower : "-");
		row->lower_raw = m.lower ? xstrdup(m.lower) : NULL;
		row->driver = m.driver ? xstrdup(m.driver) : NULL;
		ovl_meta_free(&m);
	} else {
		row->lower = xstrdup("-");
	}
	row->in_use = ovl_lock_held(dir) == 1;
	upper = openat(dir, "upper", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (upper < 0 && errno == ENOENT) {
		strcpy(row->size, "-");
	} else if (upper >= 0) {
		uint64_t total;

		row->unreadable = !ovl_tree_size(upper, &total);
		if (!row->unreadable)
			ovl_human_size(total, row->size, sizeof row->size);
		row->bytes = row->unreadable ? 0 : total;
	} else {
		row->unreadable = true;
	}
}

/*
 * --json: {"version": 1, "dir": PATH, "overlays": [{"name", "dir", "size", "last_use",
 * "lower", "driver", "in_use"}, ...]}; the schema is in nook-overlay(1).
 */
static int list_json(const char *path, const struct row *rows, size_t n)
{
	struct json j;

	json_begin(&j, stdout);
	json_object(&j);
	json_kv_int(&j, "version", 1);
	json_kv_string(&j, "dir", path);
	json_key(&j, "overlays");
	json_array(&j);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		autofree char *dir = xasprintf("%s/%s", path, r->name);

		json_object(&j);
		json_kv_string(&j, "name", r->name);
		json_kv_string(&j, "dir", dir);
		json_key(&j, "size");
		if (r->unreadable)
			json_null(&j);
		else
			json_uint(&j, r->bytes);
		json_kv_string(&j, "last_use", r->last_utc[0] ? r->last_utc : NULL);
		json_kv_string(&j, "lower", r->lower_raw);
		json_kv_string(&j, "driver", r->driver);
		json_kv_bool(&j, "in_use", r->in_use);
		json_end(&j);
	}
	json_end(&j);
	json_end(&j);
	return json_finish(&j);
}

static int overlay_list(bool retry, bool json);

static int list_in_userns(void *arg)
{
	const bool *json = arg;

	return overlay_list(false, *json) == 0 ? 0 : -1;
}

/* RETRY: if a size cannot be read, list again from a namespace that can read it. */
static int overlay_list(bool retry, bool json)
{
	struct host_facts facts;
	autofree char *path = NULL;
	autoclose int base = -1;
	struct names ns = {0};
	struct row *rows = NULL;
	size_t n = 0;
	int wname = 4, wsize = 4;
	bool unreadable = false;

	host_facts_read(&facts);
	path = overlay_base_dir(&facts);
	host_facts_free(&facts);
	if (!path) {
		warnx_("overlay list: no home directory to find overlays in (set XDG_DATA_HOME)");
		return EXIT_NOOK_FAILED;
	}
	if (ovl_store_list("overlay list", path, &base, &ns) < 0)
		return EXIT_NOOK_FAILED;
	rows = xcalloc(ns.n + 1, sizeof *rows);
	for (size_t i = 0; i < ns.n; i++) {
		struct stat st;

		/* Only what --overlay=NAME could have made: skip strays and leftovers. */
		if (!store_name_valid(ns.v[i]) ||
		    fstatat(base, ns.v[i], &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode))
			continue;
		row_fill(&rows[n], base, ns.v[i]);
		if ((int)strlen(rows[n].name) > wname)
			wname = (int)strlen(rows[n].name);
		if ((int)strlen(rows[n].size) > wsize)
			wsize = (int)strlen(rows[n].size);
		unreadable |= rows[n].unreadable;
		n++;
	}
	ovl_names_free(&ns);
	/* The caller may not read what a sandbox made as another of its ids; its namespace may. */
	if (unreadable && retry) {
		int u = ovl_in_userns("overlay list", list_in_userns, &json);

		if (u != -2) {
			for (size_t i = 0; i < n; i++)
				row_free(&rows[i]);
			free(rows);
			return u < 0 ? EXIT_NOOK_FAILED : 0;
		}
	}
	if (json && list_json(path, rows, n) < 0)
		die("overlay list: the JSON list is malformed (a bug)");
	if (!json)
		printf("%-*s  %*s  %-16s  %s\n", wname, "NAME", wsize, "SIZE", "LAST USE", "LOWER");
	for (size_t i = 0; i < n; i++) {
		if (!json)
			printf("%-*s  %*s  %-16s  %s%s\n", wname, rows[i].name, wsize, rows[i].size,
			       rows[i].last, rows[i].lower, rows[i].in_use ? "  in-use" : "");
		row_free(&rows[i]);
	}
	free(rows);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn_errno("overlay list: cannot write the list");
		return EXIT_NOOK_FAILED;
	}
	return 0;
}

/* ---- rm ---- */

static int overlay_rm(const char *name)
{
	autofree char *what = xasprintf("overlay rm %s", name);
	autoclose int base = -1;
	autoclose int dir = -1;

	if (ovl_open(what, name, &base, &dir) < 0 || ovl_store_rm(what, base, dir, name) < 0)
		return EXIT_NOOK_FAILED;
	return 0;
}

/* ---- the command ---- */

void overlay_help(FILE *out)
{
	fputs("Usage: nook overlay list [--json]\n"
	      "       nook overlay diff NAME\n"
	      "       nook overlay rm NAME\n"
	      "Manage the named overlays that 'nook run --overlay=NAME' keeps, in\n"
	      "$XDG_DATA_HOME/nook/overlays (default ~/.local/share/nook/overlays).\n\n"
	      "Commands:\n"
	      "  list        one line per overlay, by name: NAME, SIZE (apparent size of its\n"
	      "              upper layer; ? if unreadable), LAST USE, LOWER (the tree it\n"
	      "              overlays), then in-use while a sandbox runs on it; --json: one\n"
	      "              JSON object, for programs (nook-overlay(1))\n"
	      "  diff NAME   what the overlay changes in its lower layer, one path a line, in\n"
	      "              path order: A added, C changed (for a directory: made opaque, or\n"
	      "              its mode or owner changed), D deleted; control characters and\n"
	      "              '\\' in paths print as \\xNN\n"
	      "  rm NAME     remove the overlay and everything written to it; refused while a\n"
	      "              sandbox runs on it\n\n"
	      "Options:\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 on success; 125 on a bad argument, an unknown or busy overlay, or\n"
	      "another failure.\n",
	      out);
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

/* The NAME argument of SUB: exactly one, valid. NULL after the error. */
static const char *name_arg(const char *sub, int argc, char **argv)
{
	autofree char *shown = NULL;

	if (argc < 1) {
		warnx_("overlay %s: missing NAME (see 'nook overlay --help')", sub);
		return NULL;
	}
	if (argc > 1) {
		shown = ovl_escaped(argv[1]);
		warnx_("overlay %s: unexpected argument '%s' (it takes one NAME)", sub, shown);
		return NULL;
	}
	if (!store_name_valid(argv[0])) {
		shown = ovl_escaped(argv[0]);
		warnx_("overlay %s: invalid NAME '%s' (1-64 letters, digits, '_', '.' and '-'; "
		       "not tmp, none, . or ..)",
		       sub, shown);
		return NULL;
	}
	return argv[0];
}

int cmd_overlay(int argc, char **argv)
{
	const char *sub, *name;

	if (argc < 1) {
		warnx_("overlay: missing subcommand (list, diff NAME or rm NAME; see 'nook overlay "
		       "--help')");
		return EXIT_NOOK_FAILED;
	}
	sub = argv[0];
	if (is_help(sub) || (argc == 2 && is_help(argv[1]))) {
		overlay_help(stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
	}
	if (strcmp(sub, "list") == 0) {
		bool json = argc > 1 && strcmp(argv[1], "--json") == 0;

		if (argc > 1 && !json) {
			autofree char *shown = ovl_escaped(argv[1]);

			warnx_("overlay list: unexpected argument '%s' (it takes only --json)",
			       shown);
			return EXIT_NOOK_FAILED;
		}
		if (argc > 2) {
			autofree char *shown = ovl_escaped(argv[2]);

			warnx_("overlay list: unexpected argument '%s' (it takes only --json)",
			       shown);
			return EXIT_NOOK_FAILED;
		}
		return overlay_list(true, json);
	}
	if (strcmp(sub, "diff") == 0) {
		name = name_arg(sub, argc - 1, argv + 1);
		return name ? ovl_diff(name) : EXIT_NOOK_FAILED;
	}
	if (strcmp(sub, "rm") == 0) {
		name = name_arg(sub, argc - 1, argv + 1);
		return name ? overlay_rm(name) : EXIT_NOOK_FAILED;
	}
	{
		autofree char *shown = ovl_escaped(sub);

		warnx_("overlay: unknown subcommand '%s' (expected list, diff NAME or rm NAME)",
		       shown);
	}
	return EXIT_NOOK_FAILED;
}
