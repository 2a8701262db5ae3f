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
 * overlay_store.c what the three share.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <search.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/overlay_store.h"
#include "policy/overlay.h"
#include "request/values.h"
#include "util/err.h"
#include "util/json.h"

/*
 * rm must remove whatever a sandbox made, however deep: below this depth it moves the
 * subtree up to the overlay's directory and takes it from there, so it holds at most this
 * many fds at once and never refuses.
 */
#define RM_DEPTH 64

/* ---- list ---- */

struct inode_key {
	dev_t dev;
	ino_t ino;
};

static int cmp_inode(const void *a, const void *b)
{
	const struct inode_key *x = a, *y = b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

struct sizer {
	uint64_t total;
	void *seen;            /* tsearch tree of the hard-linked inodes counted */
	bool incomplete;       /* something could not be read: the total is a lower bound */
};

/* Add ST to the total, a hard-linked inode once, as du --apparent-size does. */
static void size_add(struct sizer *s, const struct stat *st)
{
	if (st->st_nlink > 1 && !S_ISDIR(st->st_mode)) {
		struct inode_key *k = xmalloc(sizeof *k);
		struct inode_key **found;

		k->dev = st->st_dev;
		k->ino = st->st_ino;
		found = tsearch(k, &s->seen, cmp_inode);
		if (!found)
			die("overlay list: out of memory");
		if (*found != k) {
			free(k);
			return;
		}
	}
	s->total += (uint64_t)st->st_size;
}

static void size_walk(struct sizer *s, int fd, int depth)
{
	struct names ns = {0};

	if (ovl_names_read(fd, &ns) < 0) {
		s->incomplete = true;
		return;
	}
	for (size_t i = 0; i < ns.n; i++) {
		struct stat st;
		int child;

		if (fstatat(fd, ns.v[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			s->incomplete = true;
			continue;
		}
		size_add(s, &st);
		if (!S_ISDIR(st.st_mode))
			continue;
		if (depth >= MAX_DEPTH) {
			s->incomplete = true;
			continue;
		}
		child = openat(fd, ns.v[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			s->incomplete = true;
			continue;
		}
		size_walk(s, child, depth + 1);
		close(child);
	}
	ovl_names_free(&ns);
}

/* N bytes as du -h prints them: 1024-based, rounded up, one decimal below 10 (4.0K, 12M). */
static void human_size(uint64_t n, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	uint64_t unit = 1;

	if (n < 1024) {
		snprintf(buf, size, "%" PRIu64, n);
		return;
	}
	for (size_t e = 0; e < sizeof units - 1; e++) {
		uint64_t whole;

		unit *= 1024;
		if (n / unit < 10) {
			/* Split so that nothing overflows even for exabytes. */
			uint64_t tenths = n / unit * 10 + ((n % unit) * 10 + unit - 1) / unit;

			if (tenths < 100)
				snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c", tenths / 10,
					 tenths % 10, units[e]);
			else
				snprintf(buf, size, "10%c", units[e]);
			return;
		}
		whole = n / unit + (n % unit != 0);
		if (whole < 1024 || e == sizeof units - 2) {
			snprintf(buf, size, "%" PRIu64 "%c", whole, units[e]);
			return;
		}
	}
}

struct row {
	char *name;
	char size[16];
	char last[32];
	char *lower;           /* escaped */
	bool in_use;
	bool unreadable;       /* size "?": part of the upper layer could not be read */
	/* The same, raw, for --json. */
	uint64_t bytes;
	char last_utc[32];     /* RFC 3339, or "" */
	char *lower_raw;       /* NULL: unknown */
	char *driver;          /* NULL: unknown */
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
		struct sizer s = {0};
		struct stat st;

		/* du counts the directory itself too. */
		if (fstat(upper, &st) == 0)
			size_add(&s, &st);
		else
			s.incomplete = true;
		size_walk(&s, upper, 0);
		tdestroy(s.seen, free);
		if (!s.incomplete)
			human_size(s.total, row->size, sizeof row->size);
		row->bytes = s.total;
		row->unreadable = s.incomplete;
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
	base = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (base < 0 && errno != ENOENT) {
		autofree char *shown = ovl_escaped(path);

		warn_errno("overlay list: cannot open %s", shown);
		return EXIT_NOOK_FAILED;
	}
	if (base >= 0 && ovl_names_read(base, &ns) < 0) {
		autofree char *shown = ovl_escaped(path);

		warn_errno("overlay list: cannot list %s", shown);
		return EXIT_NOOK_FAILED;
	}
	rows = xcalloc(ns.n + 1, sizeof *rows);
	for (size_t i = 0; i < ns.n; i++) {
		struct stat st;

		/* Only what --overlay=NAME could have made: skip strays and leftovers. */
		if (!overlay_name_valid(ns.v[i]) ||
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

struct rm {
	const char *what;
	int top;               /* the overlay's directory, where too-deep subtrees are moved */
	unsigned moved;        /* subtrees moved up in this pass: another pass is needed */
	unsigned counter;
	struct pathbuf path;   /* relative to the overlay's directory, for errors */
	char *error;           /* the first failure, printed by the caller: it may retry */
	int err;               /* its errno */
};

/* Record "overlay rm NAME: cannot VERB upper/x/yWHY" and errno; returns -1. */
static int rm_fail(struct rm *r, const char *verb, const char *why)
{
	autofree char *p = ovl_escaped(r->path.len ? r->path.s + 1 : ".");

	r->err = errno;
	free(r->error);
	r->error = xasprintf("%s: cannot %s %s%s", r->what, verb, p, why);
	return -1;
}

/* rm_fail for removing top-level entry NAME, or the overlay's directory (NULL). */
static int rm_fail_at(struct rm *r, const char *name)
{
	int err = errno;

	ovl_path_pop(&r->path, 0);
	if (name)
		ovl_path_push(&r->path, name);
	errno = err;
	return rm_fail(r, "remove", "");
}

/* Move directory NAME of FD to the top as a fresh name; the next pass removes it there. */
static int rm_move_up(struct rm *r, int fd, const char *name)
{
	for (;;) {
		char tmp[32];

		snprintf(tmp, sizeof tmp, "deep~%u", r->counter++);
		if (renameat2(fd, name, r->top, tmp, RENAME_NOREPLACE) == 0) {
			r->moved++;
			return 0;
		}
		if (errno != EEXIST)
			return rm_fail(r, "move", " up to remove it");
	}
}

/* Remove everything in directory FD; at the top (DEPTH 0) all but meta and lock. */
static int rm_tree(struct rm *r, int fd, int depth)
{
	struct names ns = {0};
	int ret = -1;

	if (ovl_names_read(fd, &ns) < 0) {
		rm_fail(r, "list", "");
		return -1;
	}
	for (size_t i = 0; i < ns.n; i++) {
		const char *name = ns.v[i];
		size_t old = ovl_path_push(&r->path, name);
		struct stat st;
		int child, err;

		if (depth == 0 && (strcmp(name, "meta") == 0 || strcmp(name, "lock") == 0))
			goto next;
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno == ENOENT)
				goto next;
			rm_fail(r, "look up", "");
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			/* A symlink goes, never what it points to. */
			if (unlinkat(fd, name, 0) < 0 && errno != ENOENT) {
				rm_fail(r, "remove", "");
				goto out;
			}
			goto next;
		}
		/*
		 * Listing needs r, removing entries w, reaching them x; the kernel overlay's
		 * work/work is mode 000. AT_SYMLINK_NOFOLLOW: glibc refuses rather than follow.
		 */
		if ((st.st_mode & S_IRWXU) != S_IRWXU &&
		    fchmodat(fd, name, S_IRWXU, AT_SYMLINK_NOFOLLOW) < 0) {
			rm_fail(r, "open up", " to remove it");
			goto out;
		}
		if (depth + 1 >= RM_DEPTH) {
			if (rm_move_up(r, fd, name) < 0)
				goto out;
			goto next;
		}
		child = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (child < 0) {
			rm_fail(r, "open", "");
			goto out;
		}
		err = rm_tree(r, child, depth + 1);
		close(child);
		if (err < 0)
			goto out;
		if (unlinkat(fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
			rm_fail(r, "remove", "");
			goto out;
		}
next:
		ovl_path_pop(&r->path, old);
	}
	ret = 0;
out:
	ovl_names_free(&ns);
	return ret;
}

/*
 * Remove overlay directory DIR (NAME in BASE): the layers first and meta last, so that a
 * removal that fails half-way still leaves an overlay that says what it was made over.
 */
static int rm_all(struct rm *r, int base, int dir, const char *name)
{
	do {
		r->moved = 0;
		ovl_path_pop(&r->path, 0);
		if (rm_tree(r, dir, 0) < 0)
			return -1;
	} while (r->moved);
	if (unlinkat(dir, "meta", 0) < 0 && errno != ENOENT)
		return rm_fail_at(r, "meta");
	if (unlinkat(dir, "lock", 0) < 0 && errno != ENOENT)
		return rm_fail_at(r, "lock");
	if (unlinkat(base, name, AT_REMOVEDIR) < 0)
		return rm_fail_at(r, NULL);
	return 0;
}

struct rm_job {
	struct rm *r;
	int base, dir;
	const char *name;
};

static int rm_in_userns(void *arg)
{
	struct rm_job *j = arg;

	if (rm_all(j->r, j->base, j->dir, j->name) == 0)
		return 0;
	errno = j->r->err;
	warn_errno("%s", j->r->error);
	return -1;
}

static int overlay_rm(const char *name)
{
	autofree char *what = xasprintf("overlay rm %s", name);
	autoclose int base = -1;
	autoclose int dir = -1;
	autoclose int lock = -1;
	struct rm r = {.what = what};
	int ret;

	if (ovl_open(what, name, &base, &dir) < 0)
		return EXIT_NOOK_FAILED;
	/*
	 * Held until the directory is gone: a sandbox starting meanwhile finds the overlay in
	 * use instead of a half-removed upper layer. No lock file: nothing can hold it.
	 */
	lock = openat(dir, "lock", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (lock < 0 && errno != ENOENT) {
		warn_errno("%s: cannot open its lock", what);
		return EXIT_NOOK_FAILED;
	}
	if (lock >= 0 && flock(lock, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			warnx_("%s: in use by a running sandbox", what);
		else
			warn_errno("%s: cannot lock it", what);
		return EXIT_NOOK_FAILED;
	}
	r.top = dir;
	r.path.s = xstrdup("");
	ret = rm_all(&r, base, dir, name);
	/* What the caller may not remove, a namespace with its subordinate ids may. */
	if (ret < 0 && (r.err == EACCES || r.err == EPERM)) {
		struct rm_job job = {.r = &r, .base = base, .dir = dir, .name = name};

		ret = ovl_in_userns(what, rm_in_userns, &job);
		if (ret == -1) {
			/* The child said why. */
			free(r.error);
			free(r.path.s);
			return EXIT_NOOK_FAILED;
		}
		if (ret == -2)
			ret = -1;
	}
	if (ret < 0) {
		errno = r.err;
		warn_errno("%s", r.error);
	}
	free(r.error);
	free(r.path.s);
	return ret < 0 ? EXIT_NOOK_FAILED : 0;
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
	      "another failure.\n", out);
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
	if (!overlay_name_valid(argv[0])) {
		shown = ovl_escaped(argv[0]);
		warnx_("overlay %s: invalid NAME '%s' (1-64 letters, digits, '_', '.' and '-'; "
		       "not tmp, none, . or ..)", sub, shown);
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

			warnx_("overlay list: unexpected argument '%s' (it takes only --json)", shown);
			return EXIT_NOOK_FAILED;
		}
		if (argc > 2) {
			autofree char *shown = ovl_escaped(argv[2]);

			warnx_("overlay list: unexpected argument '%s' (it takes only --json)", shown);
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
