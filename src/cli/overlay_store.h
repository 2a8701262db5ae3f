/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_OVERLAY_STORE_H
#define NOOK_CLI_OVERLAY_STORE_H

/*
 * What nook overlay list, diff and rm, and nook cache list and rm, share (overlay_store.c):
 * the directories of nook's store, an entry's meta and lock, sizes, removal, the walk's
 * building blocks, and the ways around ids that are not the caller's. Every walk goes from
 * directory fd to directory fd; see overlay.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "policy/subid.h"

/* Deeper than any real tree; past it diff fails rather than exhaust fds or stack. */
#define MAX_DEPTH 256

/* The whiteout and opacity markers of both drivers (see overlayfs.rst, fuse-overlayfs). */
#define WHITEOUT_PREFIX ".wh."
#define OPAQUE_WHITEOUT ".wh..wh..opq"

/* ---- small helpers ---- */

/* S with control characters, DEL and '\' as \xNN: one entry stays one line, unforgeable. */
char *ovl_escaped(const char *s);

/* A path grown and shrunk as a walk goes down and up: "" is the root, then "/etc", ... */
struct pathbuf {
	char *s;
	size_t len, cap;
};

size_t ovl_path_push(struct pathbuf *p, const char *name);
void ovl_path_pop(struct pathbuf *p, size_t old);
/* The root itself shows as "/". */
const char *ovl_path_str(const struct pathbuf *p);

struct names {
	char **v;
	size_t n, cap;
};

void ovl_names_add(struct names *ns, const char *name);
void ovl_names_free(struct names *ns);
/* strcmp for qsort and bsearch over an array of char *. */
int ovl_cmp_str(const void *a, const void *b);
/*
 * The entries of directory FD but "." and "..", sorted. FD may be O_PATH; a fresh open of "."
 * gives readdir an offset of its own, so FD can be listed again. -1 with errno on failure.
 */
int ovl_names_read(int fd, struct names *ns);
/*
 * For "WHAT list": open the store directory PATH (*base -1 when it does not exist yet) and
 * read its names. Returns 0, or -1 after printing "nook: WHAT: ...".
 */
int ovl_store_list(const char *what, const char *path, int *base, struct names *ns);
bool ovl_names_has(const struct names *ns, const char *name);

/* ---- nook's store: the overlays and caches directories, an entry's meta ---- */

/*
 * Open a directory of nook's store, PATH (the overlays, the caches), into *BASE and its entry
 * NAME into *DIR; KIND ("overlay", "cache") names it in errors, WHAT prefixes them.
 */
int ovl_store_open(const char *what, const char *kind, const char *path, const char *name,
		   int *base, int *dir);
/* The same for the overlays directory and overlay NAME. */
int ovl_open(const char *what, const char *name, int *base, int *dir);

struct meta {
	char *lower;  /* NULL when meta has no lower line */
	char *driver; /* NULL when meta has no driver line */
	char *path;   /* a cache's PATH at its last use; NULL when there is no path line */
	bool have_mtime;
	struct timespec mtime; /* the last use: the mechanism touches meta at every run */
};

void ovl_meta_free(struct meta *m);
/* Read DIR's meta; -1 with errno (ENOENT: there is none). Unknown lines are for newer nooks. */
int ovl_meta_read(int dir, struct meta *m);

/* 1 if a sandbox holds DIR's lock, 0 if not (or there is no lock file), -1 with errno. */
int ovl_lock_held(int dir);

/* ---- sizes ---- */

/*
 * The apparent size of directory FD and everything under it, into *TOTAL, as du
 * --apparent-size counts it (a hard-linked inode once). False when part of it could not be
 * read: *TOTAL is then a lower bound.
 */
bool ovl_tree_size(int fd, uint64_t *total);
/* N bytes as du -h prints them: 1024-based, rounded up, one decimal below 10 (4.0K, 12M). */
void ovl_human_size(uint64_t n, char *buf, size_t size);

/* ---- removal ---- */

/*
 * Remove entry NAME of a store directory (DIR in BASE): everything in it, then meta, lock and
 * the directory. Refused while a sandbox holds its lock; what the caller may not remove is
 * removed from a user namespace with its subordinate ids. Returns 0, or -1 after saying why.
 */
int ovl_store_rm(const char *what, int base, int dir, const char *name);

/* ---- opacity, shared by diff ---- */

/* 1 if upper directory FD is opaque in either driver's encoding, 0 if not, -1 with errno. */
int ovl_is_opaque(int fd);

/* ---- a user namespace with the caller's subordinate ids ---- */

/*
 * A sandbox with subordinate ids leaves files owned by them (fuse-overlayfs copies a
 * directory of root's up as the sandbox's nobody, a payload running as another user makes
 * mode-0700 directories), which the caller can neither read nor remove. Root of a user
 * namespace mapping the caller and its subordinate ids, as --userns=root does, can.
 *
 * Run FN(ARG) there, in a forked child. Returns what FN returned (0, or -1 after it printed
 * why), or -2 when there is no such namespace to be had (no ranges, no newuidmap), with
 * nothing printed.
 */
int ovl_in_userns(const char *what, int (*fn)(void *arg), void *arg);

/*
 * Owners as a sandbox sees them. Outside its ids, every id is nobody (the overflow id) to
 * it: so when fuse-overlayfs copies up a directory of root's, it chowns the copy to the
 * subordinate id that is nobody inside. That copy has not changed owner for the sandbox.
 */
struct idview {
	uint32_t self;
	struct subid_ranges sub;
	uint32_t nobody[2]; /* the host ids of nobody inside, under --userns=root and keep-id */
	size_t nnobody;
	bool in_ns; /* read from inside our own such namespace: already its view */
};

/*
 * SELF: the caller's uid or gid; FILE's lines name the caller by USER or by UID; OVERFLOW:
 * the /proc/sys/kernel file with the overflow id.
 */
void ovl_idview_init(struct idview *v, uint32_t self, const char *file, const char *user,
		     uint32_t uid, const char *overflow);
/* Whether ids A and B are the same owner to the sandbox. */
bool ovl_same_owner(const struct idview *v, uint32_t a, uint32_t b);

/* ---- overlay_diff.c ---- */

/* nook overlay diff NAME; returns nook's exit status. */
int ovl_diff(const char *name);

#endif
