/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_FS_H
#define NOOK_POLICY_FS_H

/*
 * The filesystem view of profiles (and their options): what to show (fs_views.c), what to
 * hide or restrict (fs_masks.c), turned into mount operations.
 */

#include <stdbool.h>

#include "request/request.h"
#include "spec.h"
#include "util/strv.h"

/* What the policy needs of the caller's session. */
struct session_facts {
	const char *home;
	const char *runuser;         /* /run/user/UID */
	const char *display;         /* $DISPLAY, as the payload will have it */
	const char *xauthority;      /* $XAUTHORITY */
	const char *wayland_display; /* $WAYLAND_DISPLAY */
	bool x11, wayland;           /* the displays granted (policy/display.h) */
	const char *x11_origin;      /* what granted them, for --dry-run */
	const char *wayland_origin;
	const char *tmpfs_size; /* size= of the tmpfs mounts the payload can write */
	const char *cwd;        /* the directory nook was started in; NULL: unknown */
	bool quiet;             /* --quiet: no warnings */
};

/* The views before the caller's own --bind/--tmpfs (private, whitelist, read-only, ...). */
int fs_build_views(const struct fs_request *r, const struct session_facts *f, struct spec *s);
/* What must stay hidden whatever was bound: after everything else. */
int fs_build_masks(const struct fs_request *r, const struct session_facts *f, struct spec *s);

/* fs_match.c: the paths a list names, and matching against patterns. */
/*
 * A value with "~" expanded; a pattern ("~/.mozilla*") becomes what exists now and, with S,
 * what the start makes before the mounts (S's host_mkdir, with the directories above them,
 * and host_mkfile), so that a first run is the same sandbox as the next.
 */
void fs_expand(const char *value, const char *home, const struct spec *s, struct strv *out);
/* Will the start make path (a host_mkdir of S or a directory above one, a host_mkfile)? */
bool fs_planned(const struct spec *s, const char *path);
/* Does a pattern of l (of the command line only, with cli_only) match path? */
bool fs_list_matches(const struct req_list *l, const char *path, bool cli_only, const char *home);
/* A mount of kind for each path a list names (optional: only what exists). */
void fs_add_each(const struct req_list *list, enum mount_kind kind, unsigned flags,
		 const char *origin, const char *home, struct spec *s);
/* Hide path (once, however often it is named): read-only, empty, nothing executable. */
void fs_mask(struct spec *s, const char *path, unsigned extra_flags, const char *origin);
/* Forget the directory listings fs_expand keeps for one build. */
void fs_expand_forget(void);
/* The second and later masks of one path go (fs_mask adds without looking). */
void fs_masks_dedupe(struct spec *s);
/* Does a mask of the spec so far hide path (a mask of it, or of a directory above it)? */
bool fs_hidden(const struct spec *s, const char *path);
/* Is path dir or below it? */
bool fs_under(const char *path, const char *dir);
/* Is path below dir, and not dir itself? */
bool fs_below(const char *path, const char *dir);

#endif
