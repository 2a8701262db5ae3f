// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/passwd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fsutil.h"

bool host_parse_id(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v >= UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Split LINE at ':' into exactly N fields (the last one may be missing in group lines). */
static size_t split(char *line, char **fields, size_t n)
{
	size_t i = 0;

	line[strcspn(line, "\n")] = '\0';
	for (char *rest = line; rest && i < n; i++)
		fields[i] = strsep(&rest, ":");
	return i;
}

bool host_passwd_line(char *line, struct passwd_entry *e)
{
	char *f[7] = {NULL};

	/* name:password:uid:gid:gecos:home:shell; NIS's "+" and "-" lines are not users. */
	if (split(line, f, 7) != 7 || !f[0][0] || f[0][0] == '+' || f[0][0] == '-' ||
	    f[0][0] == '#' || !host_parse_id(f[2], &e->uid) || !host_parse_id(f[3], &e->gid))
		return false;
	e->name = f[0];
	e->home = f[5];
	return true;
}

static void add_user(struct root_ids *ids, char *line)
{
	struct passwd_entry e;

	if (!host_passwd_line(line, &e))
		return;
	e.name = xstrdup(e.name);
	e.home = xstrdup(e.home);
	ids->users = xreallocarray(ids->users, ids->nusers + 1, sizeof *ids->users);
	ids->users[ids->nusers++] = e;
}

static void add_group(struct root_ids *ids, char *line)
{
	char *f[4] = {NULL};
	struct group_entry e = {0};
	char *save = NULL;

	/* name:password:gid:member,member */
	if (split(line, f, 4) < 3 || !f[0][0] || f[0][0] == '+' || f[0][0] == '-' ||
	    f[0][0] == '#' || !host_parse_id(f[2], &e.gid))
		return;
	e.name = xstrdup(f[0]);
	if (f[3])
		for (char *m = strtok_r(f[3], ",", &save); m; m = strtok_r(NULL, ",", &save))
			strv_push(&e.members, m);
	ids->groups = xreallocarray(ids->groups, ids->ngroups + 1, sizeof *ids->groups);
	ids->groups[ids->ngroups++] = e;
}

/*
 * Open REL under the directory ROOT as the sandbox would resolve it, if it is a regular
 * file. Returns the fd, or -1 with errno (ENOENT: nothing there; ENOENT too for what is not
 * a regular file, such as an overlay's whiteout device).
 */
static int open_regular(int root, const char *rel, bool *present)
{
	struct stat st;
	int fd, path;

	*present = false;
	path = openat_in_root(root, rel, O_PATH);
	if (path < 0)
		return -1;
	*present = true;
	if (fstat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(path);
		errno = ENOENT;
		return -1;
	}
	close(path);
	/* O_NONBLOCK: should it have become a FIFO meanwhile, the open does not hang. */
	fd = openat_in_root(root, rel, O_RDONLY | O_NONBLOCK);
	return fd;
}

/*
 * The fd of etc/NAME as the sandbox sees it: the upper layer's when it has one (or a
 * whiteout, fuse-overlayfs's .wh.NAME or the kernel's device: then there is none), else
 * the root's; *FROM_UPPER says which. -1 with errno. (An upper etc made opaque, by removing
 * the directory and making it again, is not looked at: the root's file is read then.)
 */
static int open_etc_file(int root, int upper, const char *name, bool *from_upper)
{
	autofree char *rel = xasprintf("etc/%s", name);
	autofree char *wh = xasprintf("etc/.wh.%s", name);
	bool present;
	int fd;

	*from_upper = upper >= 0;
	if (upper >= 0) {
		fd = open_regular(upper, rel, &present);
		if (fd >= 0 || present)
			return fd;
		fd = open_regular(upper, wh, &present);
		if (present) {
			if (fd >= 0)
				close(fd);
			errno = ENOENT;
			return -1;
		}
	}
	*from_upper = false;
	return open_regular(root, rel, &present);
}

/* Read etc/NAME into IDS with ADD; *FILE becomes its path. Returns 0 or an errno. */
static int read_lines(const char *root_path, int root, const char *upper_path, int upper,
		      const char *name, char **file, struct root_ids *ids,
		      void (*add)(struct root_ids *, char *))
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	bool from_upper;
	int fd = open_etc_file(root, upper, name, &from_upper);
	int err = fd < 0 ? errno : 0;
	const char *base = from_upper ? upper_path : root_path;

	*file = xasprintf("%s%setc/%s", base, base[strlen(base) - 1] == '/' ? "" : "/", name);
	if (fd < 0)
		return err;
	f = fdopen(fd, "r");
	if (!f) {
		err = errno;
		close(fd);
		return err;
	}
	while (getline(&line, &cap, f) >= 0)
		add(ids, line);
	if (ferror(f))
		err = errno ? errno : EIO;
	free(line);
	fclose(f);
	return err;
}

void host_read_root_ids(const char *root, const char *upper, struct root_ids *out)
{
	autoclose int rootfd = -1;
	autoclose int upperfd = -1;
	int err;

	memset(out, 0, sizeof *out);
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	err = errno;
	/* A named overlay used for the first time has no upper layer yet. */
	if (upper)
		upperfd = open(upper, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		out->passwd_file = xasprintf("%s/etc/passwd", root);
		out->group_file = xasprintf("%s/etc/group", root);
		out->passwd_errno = out->group_errno = err;
		return;
	}
	out->passwd_errno = read_lines(root, rootfd, upper, upperfd, "passwd", &out->passwd_file,
				       out, add_user);
	out->group_errno = read_lines(root, rootfd, upper, upperfd, "group", &out->group_file, out,
				      add_group);
}

void root_ids_free(struct root_ids *ids)
{
	for (size_t i = 0; i < ids->nusers; i++) {
		free(ids->users[i].name);
		free(ids->users[i].home);
	}
	free(ids->users);
	for (size_t i = 0; i < ids->ngroups; i++) {
		free(ids->groups[i].name);
		strv_free(&ids->groups[i].members);
	}
	free(ids->groups);
	free(ids->passwd_file);
	free(ids->group_file);
	memset(ids, 0, sizeof *ids);
}

/* The first entry wins, as getpwnam() takes it. */
const struct passwd_entry *root_ids_user_by_name(const struct root_ids *ids, const char *name)
{
	for (size_t i = 0; i < ids->nusers; i++)
		if (strcmp(ids->users[i].name, name) == 0)
			return &ids->users[i];
	return NULL;
}

const struct passwd_entry *root_ids_user_by_uid(const struct root_ids *ids, uint32_t uid)
{
	for (size_t i = 0; i < ids->nusers; i++)
		if (ids->users[i].uid == uid)
			return &ids->users[i];
	return NULL;
}

const struct group_entry *root_ids_group_by_name(const struct root_ids *ids, const char *name)
{
	for (size_t i = 0; i < ids->ngroups; i++)
		if (strcmp(ids->groups[i].name, name) == 0)
			return &ids->groups[i];
	return NULL;
}
