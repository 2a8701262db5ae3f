// SPDX-License-Identifier: GPL-2.0-or-later
/* host_read_root_ids(): an image's etc/passwd and etc/group, resolved inside the image. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "host/passwd.h"
#include "tap.h"
#include "util/err.h"

static char tmpdir[] = "/tmp/nook-unit-passwd-XXXXXX";

static char *P(const char *rel)
{
	return xasprintf("%s/%s", tmpdir, rel);
}

static void put(const char *rel, const char *content)
{
	autofree char *p = P(rel);
	FILE *f = fopen(p, "w");

	if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
		perror(p);
		exit(99);
	}
}

static void dir(const char *rel)
{
	autofree char *p = P(rel);

	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		perror(p);
		exit(99);
	}
}

static void test_image(void)
{
	autofree char *img = P("img");
	autofree char *want_file = P("img/etc/passwd");
	const struct passwd_entry *u;
	const struct group_entry *g;
	struct root_ids ids;

	dir("img");
	dir("img/etc");
	put("img/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
			      "# a comment\n"
			      "+nis\n"
			      "broken:x:12\n"
			      "neg:x:-1:0::/:/bin/sh\n"
			      "big:x:4294967295:0::/:/bin/sh\n"
			      "builder:x:1000:1000:Builder,,,:/home/builder:/bin/bash\n"
			      "builder:x:1001:1001::/second:/bin/sh\n"
			      "nohome:x:1002:100::::\n"
			      "last:x:7:7::/last:/bin/sh");
	put("img/etc/group", "root:x:0:\n"
			     "users:x:100:builder,nohome\n"
			     "builder:x:1000:\n"
			     "short:x:5\n"
			     "bad:x:z:builder\n");
	host_read_root_ids(img, NULL, &ids);
	is_int(ids.passwd_errno, 0, "image: passwd read");
	is_int(ids.group_errno, 0, "image: group read");
	is_str(ids.passwd_file, want_file, "image: the file named for messages");
	is_int(ids.nusers, 5, "image: 5 users (comments, NIS, short, -1 and 2^32-1 skipped)");
	u = root_ids_user_by_name(&ids, "builder");
	ok(u && u->uid == 1000 && u->gid == 1000 && strcmp(u->home, "/home/builder") == 0,
	   "image: builder is 1000:1000 at /home/builder (the first entry wins)");
	u = root_ids_user_by_uid(&ids, 1002);
	ok(u && strcmp(u->name, "nohome") == 0 && u->home[0] == '\0', "image: by uid, empty home");
	u = root_ids_user_by_uid(&ids, 7);
	ok(u && strcmp(u->home, "/last") == 0, "image: a last line without its newline");
	ok(!root_ids_user_by_name(&ids, "nis") && !root_ids_user_by_name(&ids, "+nis"),
	   "image: no NIS line");
	is_int(ids.ngroups, 4, "image: 4 groups (a bad gid skipped)");
	g = root_ids_group_by_name(&ids, "users");
	ok(g && g->gid == 100 && g->members.n == 2 && strcmp(g->members.v[1], "nohome") == 0,
	   "image: users has builder and nohome");
	g = root_ids_group_by_name(&ids, "short");
	ok(g && g->gid == 5 && g->members.n == 0, "image: a group line without members");
	root_ids_free(&ids);
}

static void test_symlinks_and_odd_files(void)
{
	autofree char *img = P("links");
	autofree char *fifo = P("links/etc/group");
	struct root_ids ids;

	dir("links");
	dir("links/etc");
	dir("links/usr");
	put("links/usr/passwd", "inside:x:5:5::/in:/bin/sh\n");
	/* Absolute: resolved in the image, not on the host (whose /usr/passwd does not exist). */
	{
		autofree char *link = P("links/etc/passwd");

		if (symlink("/usr/passwd", link) < 0 || mkfifo(fifo, 0644) < 0) {
			perror("links");
			exit(99);
		}
	}
	host_read_root_ids(img, NULL, &ids);
	is_int(ids.passwd_errno, 0, "symlink: an absolute link is followed inside the image");
	ok(ids.nusers == 1 && strcmp(ids.users[0].name, "inside") == 0,
	   "symlink: the image's file");
	is_int(ids.group_errno, ENOENT, "a FIFO is not read (and does not hang): none");
	root_ids_free(&ids);

	{
		autofree char *none = P("nonexistent");

		host_read_root_ids(none, NULL, &ids);
		is_int(ids.passwd_errno, ENOENT, "no root: ENOENT");
		root_ids_free(&ids);
	}
	{
		autofree char *empty = P("empty");

		dir("empty");
		host_read_root_ids(empty, NULL, &ids);
		ok(ids.passwd_errno == ENOENT && ids.group_errno == ENOENT && ids.nusers == 0,
		   "an image without etc: no users, ENOENT");
		root_ids_free(&ids);
	}
}

static void test_upper(void)
{
	autofree char *img = P("img");
	autofree char *upper = P("upper");
	autofree char *want = P("upper/etc/passwd");
	autofree char *missing = P("no-upper");
	struct root_ids ids;

	dir("upper");
	dir("upper/etc");
	put("upper/etc/passwd",
	    "root:x:0:0:root:/root:/bin/sh\nadded:x:2000:2000::/home/added:/bin/sh\n");
	/* fuse-overlayfs's whiteout of group: the image's group is gone in the overlay. */
	put("upper/etc/.wh.group", "");
	host_read_root_ids(img, upper, &ids);
	ok(root_ids_user_by_name(&ids, "added") && !root_ids_user_by_name(&ids, "builder"),
	   "upper: its passwd is the one the sandbox sees");
	is_str(ids.passwd_file, want, "upper: named as the upper layer's file");
	is_int(ids.group_errno, ENOENT, "upper: a .wh. whiteout hides the image's group");
	root_ids_free(&ids);

	host_read_root_ids(img, missing, &ids);
	ok(root_ids_user_by_name(&ids, "builder") && ids.group_errno == 0,
	   "no upper layer yet: the image's files");
	root_ids_free(&ids);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	test_image();
	test_symlinks_and_odd_files();
	test_upper();
	{
		autofree char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		if (system(cmd) != 0)
			diag("could not remove %s", tmpdir);
	}
	return done_testing();
}
