/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_FS_H
#define NOOK_POLICY_FS_H

/*
 * The filesystem view of profiles (and their options): what to hide, show, make read-only,
 * and the desktop's sockets. Turned into mount operations by fs_build_*().
 */

#include <stdbool.h>

#include "spec.h"
#include "util/strv.h"

struct fs_request {
	struct strv blacklist, noblacklist;
	/* How many of blacklist came from a profile: a profile's noblacklist undoes only those. */
	size_t blacklist_from_profile, noblacklist_from_profile;
	struct strv whitelist, whitelist_ro, nowhitelist;
	struct strv read_only, read_write, noexec;
	struct strv mkdir, mkfile;
	bool private_home;
	char *private_dir;          /* private DIR: DIR is the home */
	bool private_cache;
	bool private_etc_set;
	struct strv private_etc;    /* names under /etc kept */
	char *dns;
	int x11;                    /* 0: as it is, 1: x11, -1: x11 none */
	bool nosound, nodbus, dbus_user_none, dbus_system_none, machine_id, wayland;
	char *name;
};

/* What the policy needs of the caller's session. */
struct session_facts {
	const char *home;
	unsigned uid;
	const char *display;        /* $DISPLAY */
	const char *xauthority;     /* $XAUTHORITY */
	const char *wayland_display;/* $WAYLAND_DISPLAY */
};

void fs_request_free(struct fs_request *r);

/* Expand "~/" against home; returns a new string. */
char *expand_tilde(const char *path, const char *home);

/* The views before the caller's own --bind/--tmpfs (private, whitelist, read-only, ...). */
int fs_build_views(const struct fs_request *r, const struct session_facts *f, struct spec *s);
/* What must stay hidden whatever was bound: after everything else. */
int fs_build_masks(const struct fs_request *r, const struct session_facts *f, struct spec *s);

#endif
