// SPDX-License-Identifier: GPL-2.0-or-later
/* openat_in_root_walk(): the by-hand RESOLVE_IN_ROOT finds what openat2 finds, or fails alike. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "util/err.h"
#include "util/fsutil.h"

static char tmpdir[] = "/tmp/nook-unit-fsutil-XXXXXX";

static void make(const char *kind, const char *rel, const char *target)
{
	autofree char *p = xasprintf("%s/%s", tmpdir, rel);
	int r = 0;

	if (strcmp(kind, "dir") == 0) {
		r = mkdir(p, 0755);
	} else if (strcmp(kind, "link") == 0) {
		r = symlink(target, p);
	} else {
		FILE *f = fopen(p, "w");

		r = f && fputs(rel, f) >= 0 && fclose(f) == 0 ? 0 : -1;
	}
	if (r < 0) {
		perror(p);
		exit(99);
	}
}

/* What REL names: "ino N", or "errno E". */
static char *what(int fd)
{
	struct stat st;

	if (fd < 0)
		return xasprintf("errno %d", errno);
	if (fstat(fd, &st) < 0) {
		perror("fstat");
		exit(99);
	}
	close(fd);
	return xasprintf("ino %lu", (unsigned long)st.st_ino);
}

/* What REL under ROOT is meant to name: the inode of EXPECT (a plain path), or an errno. */
static char *expected(int root, const char *expect)
{
	if (expect[0] == '-') {
		errno = atoi(expect + 1);
		return what(-1);
	}
	return what(openat(root, expect, O_PATH | O_NOFOLLOW | O_CLOEXEC));
}

int main(void)
{
	static const struct {
		const char *path, *expect; /* a path without symlinks, or "-ERRNO" */
	} cases[] = {
		{"a/b/file", "a/b/file"},
		{"/a/b/file", "a/b/file"},
		{"a//b/./file", "a/b/file"},
		{"abs/file", "a/b/file"},
		{"rel/file", "a/b/file"},
		{"up/b/file", "a/b/file"},
		{"a/dotdot", "a/b/file"},
		{"a/b/../../a/b/file", "a/b/file"},
		{"../../a/b/file", "a/b/file"},
		{"chain", "a/b/file"},
		{"a", "a"},
		{".", "."},
		{"loop", "-40"},
		{"a/b/file/x", "-20"},
		{"nothing", "-2"},
		{"a/nothing/file", "-2"},
		{"", "-2"},
		{"a/b/hostlink", "-2"},
	};
	int root;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	make("dir", "a", NULL);
	make("dir", "a/b", NULL);
	make("file", "a/b/file", NULL);
	make("link", "abs", "/a/b"); /* absolute: from the root */
	make("link", "rel", "a/b/../b");
	make("link", "up", "../../../../a"); /* ".." stops at the root */
	make("link", "a/dotdot", "../../../../a/b/file");
	make("link", "loop", "loop");
	make("link", "chain", "abs/../b/file");
	make("link", "a/b/hostlink", "/etc/hostname"); /* the root has no /etc */
	root = open(tmpdir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0) {
		perror(tmpdir);
		return 99;
	}
	_Static_assert(ELOOP == 40 && ENOTDIR == 20 && ENOENT == 2, "the errnos of the table");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		autofree char *want = expected(root, cases[i].expect);
		autofree char *walk = what(openat_in_root_walk(root, cases[i].path, O_PATH));
		autofree char *kernel = what(
			openat2_retry(root, cases[i].path, O_PATH | O_CLOEXEC, 0,
				      RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS));

		is_str(walk, want, "'%s': the walk finds %s", cases[i].path, cases[i].expect);
		/* And so does the kernel, where it has openat2 (valgrind does not know it). */
		if (strcmp(kernel, "errno 38") != 0)
			is_str(kernel, want, "'%s': openat2 finds %s too", cases[i].path,
			       cases[i].expect);
	}
	{
		autofree char *a = what(openat_in_root_walk(root, "a/b/file", O_RDONLY));
		autofree char *cmd = xasprintf("rm -rf '%s'", tmpdir);

		ok(strncmp(a, "ino ", 4) == 0, "O_RDONLY: a readable fd");
		close(root);
		if (system(cmd) != 0)
			diag("could not remove %s", tmpdir);
	}
	return done_testing();
}
