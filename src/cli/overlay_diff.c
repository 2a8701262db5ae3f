// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook overlay diff NAME: what an overlay's upper layer changes in its lower layer, one path
 * a line, as either driver merges the two (whiteouts, opacity, copy-up).
 *
 * Both layers are walked side by side from directory fd to directory fd, the upper with
 * O_NOFOLLOW, the lower with openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS); see overlay.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cli/overlay_store.h"
#include "policy/build.h"
#include "util/err.h"
#include "util/fsutil.h"

struct diff {
	const char *what;    /* "overlay diff NAME", for errors */
	FILE *out;           /* the report, printed only when the whole walk worked */
	struct pathbuf path; /* the sandbox path of what is being looked at */
	int depth;
	/*
	 * The kernel driver over the host mounts one overlay per top-level directory, its upper
	 * layer upper/DIR made by nook (mode 0755, owned by the caller), not copied up from
	 * /DIR: their own mode and owner say nothing of what the sandbox did.
	 */
	bool top_made_by_nook;
	struct idview uids, gids;
	int upper, lower; /* the roots of both layers */
	char *report;     /* what open_memstream made of out */
	char *error;      /* the first failure, printed by the caller: it may retry */
	int err;          /* its errno, 0 if none goes with it */
};

static void diff_emit(struct diff *d, char tag)
{
	autofree char *p = ovl_escaped(ovl_path_str(&d->path));

	fprintf(d->out, "%c %s\n", tag, p);
}

/* Record "overlay diff NAME: cannot VERB /path in the LAYER layer" and errno; returns -1. */
static int diff_fail(struct diff *d, const char *verb, const char *layer)
{
	autofree char *p = ovl_escaped(ovl_path_str(&d->path));

	d->err = errno;
	free(d->error);
	d->error = xasprintf("%s: cannot %s %s in the %s layer", d->what, verb, p, layer);
	return -1;
}

/*
 * Look NAME up in lower directory LOWER (an O_PATH fd, or -1 for none) without following a
 * symlink: 1 and *ST if it is there, 0 if not, -1 with errno.
 */
static int lower_stat(int lower, const char *name, struct stat *st)
{
	if (lower < 0)
		return 0;
	if (fstatat(lower, name, st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
}

/*
 * The lower directory NAME below LOWER, as an O_PATH fd. overlayfs merges a directory only
 * with a directory of the same name, never with what a lower symlink points to (an upper
 * bin/ over a lower bin -> usr/bin replaces the link), so no symlink is followed here at all,
 * and RESOLVE_BENEATH keeps even a racing rename of the lower from leading out of it.
 */
static int lower_open_dir(int lower, const char *name)
{
	return openat2_retry(lower, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0,
			     RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
}

struct item {
	const char *name; /* points into the names lists of diff_dir */
	bool deleted;     /* a whiteout, or a lower entry hidden by opacity */
	struct stat st;   /* the upper entry's, when !deleted */
};

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* The same name twice is one lower entry whited out and hidden by opacity: adjacent. */
	return c ? c : (int)x->deleted - (int)y->deleted;
}

static int diff_dir(struct diff *d, int upper, int lower, bool opaque);

/* Upper entry IT of directory UPPER (lower LOWER, OPAQUE): its line, then what is below it. */
static int diff_entry(struct diff *d, int upper, int lower, bool opaque, const struct item *it)
{
	autoclose int cupper = -1;
	autoclose int clower = -1;
	struct stat lst;
	bool copaque = false;
	int in_lower, r;

	in_lower = lower_stat(lower, it->name, &lst);
	if (in_lower < 0)
		return diff_fail(d, "look up", "lower");
	if (!S_ISDIR(it->st.st_mode)) {
		/* Any change to a lower file copies it up whole: it is there only if changed. */
		diff_emit(d, in_lower ? 'C' : 'A');
		return 0;
	}
	if (d->depth >= MAX_DEPTH) {
		d->err = 0;
		free(d->error);
		d->error = xasprintf("%s: the upper layer nests directories more than %d deep",
				     d->what, MAX_DEPTH);
		return -1;
	}
	cupper = openat(upper, it->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (cupper < 0)
		return diff_fail(d, "open", "upper");
	if (!in_lower) {
		diff_emit(d, 'A');
	} else if (!S_ISDIR(lst.st_mode)) {
		/* A directory replaced a file or a symlink: nothing of the lower shows below it. */
		diff_emit(d, 'C');
	} else {
		r = ovl_is_opaque(cupper);
		if (r < 0)
			return diff_fail(d, "read the xattrs of", "upper");
		/* Below an opaque directory nothing is merged: its subdirectories hide theirs too. */
		copaque = r || opaque;
		if (copaque || (!(d->top_made_by_nook && d->depth == 0) &&
				(it->st.st_mode != lst.st_mode ||
				 !ovl_same_owner(&d->uids, it->st.st_uid, lst.st_uid) ||
				 !ovl_same_owner(&d->gids, it->st.st_gid, lst.st_gid))))
			diff_emit(d, 'C');
		clower = lower_open_dir(lower, it->name);
		if (clower < 0)
			return diff_fail(d, "open", "lower");
	}
	d->depth++;
	r = diff_dir(d, cupper, clower, copaque);
	d->depth--;
	return r;
}

/*
 * Report what the upper directory UPPER changes in LOWER (an O_PATH fd, -1 when nothing of
 * the lower is below this point), in name order. OPAQUE: LOWER's entries are hidden.
 */
static int diff_dir(struct diff *d, int upper, int lower, bool opaque)
{
	struct names un = {0}, wh = {0}, ln = {0}, real = {0};
	struct item *items = NULL;
	size_t n = 0;
	int ret = -1;

	if (ovl_names_read(upper, &un) < 0) {
		diff_fail(d, "list", "upper");
		goto out;
	}
	/* Room for every upper entry and every lower one, deleted or not. */
	items = xcalloc(un.n + 1, sizeof *items);
	for (size_t i = 0; i < un.n; i++) {
		const char *name = un.v[i];
		struct stat st;
		size_t old;

		if (fstatat(upper, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			old = ovl_path_push(&d->path, name);
			diff_fail(d, "look up", "upper");
			ovl_path_pop(&d->path, old);
			goto out;
		}
		if (strcmp(name, OPAQUE_WHITEOUT) == 0)
			continue;
		/*
		 * fuse-overlayfs without mknod writes ".wh.X"; with it, and the kernel, a 0:0
		 * character device X. Like fuse-overlayfs, read every ".wh." name as a marker
		 * (it also leaves a 0:0 device ".wh..opq" beside ".wh..wh..opq").
		 */
		if (strncmp(name, WHITEOUT_PREFIX, strlen(WHITEOUT_PREFIX)) == 0) {
			if (name[strlen(WHITEOUT_PREFIX)])
				ovl_names_add(&wh, name + strlen(WHITEOUT_PREFIX));
			continue;
		}
		if (S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
			ovl_names_add(&wh, name);
			continue;
		}
		items[n++] = (struct item){.name = name, .st = st};
		ovl_names_add(&real, name);
	}
	if (real.n)
		qsort(real.v, real.n, sizeof *real.v, ovl_cmp_str);

	/* A whiteout is a change only if it hides something; an entry beside it wins. */
	for (size_t i = 0; i < wh.n; i++) {
		struct stat st;
		int r;

		if (ovl_names_has(&real, wh.v[i]))
			continue;
		r = lower_stat(lower, wh.v[i], &st);
		if (r < 0) {
			size_t old = ovl_path_push(&d->path, wh.v[i]);

			diff_fail(d, "look up", "lower");
			ovl_path_pop(&d->path, old);
			goto out;
		}
		if (r) {
			items = xreallocarray(items, n + 1, sizeof *items);
			items[n++] = (struct item){.name = wh.v[i], .deleted = true};
		}
	}
	if (opaque && lower >= 0) {
		if (ovl_names_read(lower, &ln) < 0) {
			diff_fail(d, "list", "lower");
			goto out;
		}
		items = xreallocarray(items, n + ln.n + 1, sizeof *items);
		for (size_t i = 0; i < ln.n; i++)
			if (!ovl_names_has(&real, ln.v[i]))
				items[n++] = (struct item){.name = ln.v[i], .deleted = true};
	}
	if (n)
		qsort(items, n, sizeof *items, cmp_item);

	for (size_t i = 0; i < n; i++) {
		size_t old;
		int r = 0;

		/* A lower entry both whited out and hidden by opacity is one deletion. */
		if (i > 0 && strcmp(items[i].name, items[i - 1].name) == 0)
			continue;
		old = ovl_path_push(&d->path, items[i].name);
		if (items[i].deleted)
			diff_emit(d, 'D');
		else
			r = diff_entry(d, upper, lower, opaque, &items[i]);
		ovl_path_pop(&d->path, old);
		if (r < 0)
			goto out;
	}
	ret = 0;
out:
	free(items);
	ovl_names_free(&un);
	ovl_names_free(&wh);
	ovl_names_free(&ln);
	ovl_names_free(&real);
	return ret;
}

/* Record "overlay diff NAME: cannot WHAT" and errno; returns -1. */
static int diff_fail_report(struct diff *d, const char *what)
{
	d->err = errno;
	free(d->error);
	d->error = xasprintf("%s: cannot %s the report", d->what, what);
	return -1;
}

/* Walk both layers; print the report only if the whole walk worked, else record why. */
static int diff_walk(struct diff *d)
{
	size_t len = 0;
	int r;

	free(d->error);
	d->error = NULL;
	free(d->report);
	d->report = NULL;
	d->depth = 0;
	ovl_path_pop(&d->path, 0);
	r = ovl_is_opaque(d->upper);
	if (r < 0)
		return diff_fail(d, "read the xattrs of", "upper");
	d->out = open_memstream(&d->report, &len);
	if (!d->out)
		return diff_fail_report(d, "make");
	r = diff_dir(d, d->upper, d->lower, r == 1);
	if (fclose(d->out) != 0 && r == 0)
		r = diff_fail_report(d, "make");
	if (r < 0)
		return -1;
	if (fwrite(d->report, 1, len, stdout) != len || fflush(stdout) != 0)
		return diff_fail_report(d, "write");
	return 0;
}

static void diff_report_error(const struct diff *d)
{
	errno = d->err;
	if (d->err)
		warn_errno("%s", d->error);
	else
		warnx_("%s", d->error);
}

/* In the user namespace: ids read there are already as a sandbox sees them. */
static int diff_in_userns(void *arg)
{
	struct diff *d = arg;

	d->uids.in_ns = d->gids.in_ns = true;
	if (diff_walk(d) == 0)
		return 0;
	diff_report_error(d);
	return -1;
}

int ovl_diff(const char *name)
{
	autofree char *what = xasprintf("overlay diff %s", name);
	autoclose int base = -1;
	autoclose int dir = -1;
	autoclose int upper = -1;
	autoclose int lower = -1;
	autofree char *shown = NULL;
	struct diff d = {.what = what};
	struct host_facts h;
	struct meta m;
	int r;

	if (ovl_open(what, name, &base, &dir) < 0)
		return EXIT_NOOK_FAILED;
	if (ovl_meta_read(dir, &m) < 0) {
		warn_errno("%s: cannot read its meta", what);
		return EXIT_NOOK_FAILED;
	}
	if (!m.lower) {
		warnx_("%s: its meta names no lower layer", what);
		ovl_meta_free(&m);
		return EXIT_NOOK_FAILED;
	}
	d.top_made_by_nook = m.driver && strcmp(m.driver, "kernel") == 0 &&
			     strcmp(m.lower, "/") == 0;
	shown = ovl_escaped(m.lower);
	/* The lower's own path was chosen by the user, as --rootfs was: follow it as they did. */
	lower = open(m.lower, O_PATH | O_DIRECTORY | O_CLOEXEC);
	ovl_meta_free(&m);
	if (lower < 0) {
		warn_errno("%s: cannot open its lower layer %s", what, shown);
		return EXIT_NOOK_FAILED;
	}
	upper = openat(dir, "upper", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (upper < 0) {
		warn_errno("%s: cannot open its upper layer", what);
		return EXIT_NOOK_FAILED;
	}
	host_facts_read(&h);
	ovl_idview_init(&d.uids, h.uid, h.subuid_path, h.username, h.uid,
			"/proc/sys/kernel/overflowuid");
	ovl_idview_init(&d.gids, h.gid, h.subgid_path, h.username, h.uid,
			"/proc/sys/kernel/overflowgid");
	host_facts_free(&h);
	d.upper = upper;
	d.lower = lower;
	d.path.s = xstrdup("");
	r = diff_walk(&d);
	/* What the caller may not read, a namespace with its subordinate ids may. */
	if (r < 0 && (d.err == EACCES || d.err == EPERM)) {
		int u = ovl_in_userns(what, diff_in_userns, &d);

		if (u != -2) {
			r = u;
			d.err = -1; /* the child said why */
		}
	}
	if (r < 0 && d.err != -1)
		diff_report_error(&d);
	free(d.path.s);
	free(d.report);
	free(d.error);
	return r < 0 ? EXIT_NOOK_FAILED : 0;
}
