/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_HOST_PASSWD_H
#define NOOK_HOST_PASSWD_H

/*
 * The users and groups of a root filesystem (an image, or the host's /), read from its
 * etc/passwd and etc/group as plain data for the policy: who --user names, which groups that
 * user is in, what HOME the payload gets. Nothing here asks NSS: the sandbox sees the files.
 */

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/strv.h"

struct passwd_entry {
	char *name;
	uint32_t uid;
	uint32_t gid;
	char *home;
};

struct group_entry {
	char *name;
	uint32_t gid;
	struct strv members; /* the user names of its fourth field */
};

struct root_ids {
	struct passwd_entry *users;
	size_t nusers;
	struct group_entry *groups;
	size_t ngroups;
	char *passwd_file; /* the file read (or looked for), for messages */
	char *group_file;
	int passwd_errno; /* 0: read; ENOENT: there is none; else why it was not read */
	int group_errno;
};

/*
 * Read ROOT's etc/passwd and etc/group, each resolved inside ROOT, so that a symlink in an
 * image stays in the image; only a regular file is read (never a FIFO or a device). UPPER,
 * when not NULL, is the upper layer of a named overlay over ROOT: its file, or its whiteout,
 * is what the sandbox sees, so it comes first. Lines that do not parse are skipped.
 */
void host_read_root_ids(const char *root, const char *upper, struct root_ids *out);
void root_ids_free(struct root_ids *ids);

/* Lookups; NULL when there is no such entry. */
const struct passwd_entry *root_ids_user_by_name(const struct root_ids *ids, const char *name);
const struct passwd_entry *root_ids_user_by_uid(const struct root_ids *ids, uint32_t uid);
const struct group_entry *root_ids_group_by_name(const struct root_ids *ids, const char *name);

/*
 * LINE (cut into fields in place) as a user of passwd(5): e's name and home point into LINE.
 * False for what is no user: a comment, NIS's "+" and "-" lines, a line short of fields or
 * with an id that is not one.
 */
bool host_passwd_line(char *line, struct passwd_entry *e);

/* A decimal id that a kernel map can hold: not -1, which means "no id" (passwd, --user). */
bool host_parse_id(const char *s, uint32_t *out);

#endif
