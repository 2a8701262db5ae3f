// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/err.h"

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

int mkdir_p(char *path, mode_t mode)
{
	/* Most often it is all there already: one call, not one per component. */
	if (mkdir(path, mode) == 0 || errno == EEXIST)
		return 0;
	for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(path, mode) < 0 && errno != EEXIST)
			return -1;
		if (!slash)
			return 0;
		*slash = '/';
	}
}

int openat2_retry(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how = {.flags = flags, .mode = mode, .resolve = resolve};
	int fd = -1;

	for (int tries = 0; tries < 16; tries++) {
		fd = (int)syscall(SYS_openat2, dirfd, path, &how, sizeof how);
		if (fd >= 0 || errno != EAGAIN)
			break;
	}
	return fd;
}

#define MAX_LINKS 40 /* as the kernel's path walk */
#define MAX_DEPTH 64

static void close_dirs(int *dirs, size_t *depth)
{
	while (*depth > 0)
		close(dirs[(*depth)--]);
}

int openat_in_root_walk(int root, const char *rel, int flags)
{
	int dirs[MAX_DEPTH]; /* dirs[0]: ROOT (not ours); dirs[1..depth]: opened here */
	size_t depth = 0;
	char *todo = xstrdup(rel);
	const char *p = todo;
	int links = 0, fd = -1, err = 0;

	dirs[0] = root;
	/* As openat2: an empty path names nothing (no AT_EMPTY_PATH). */
	if (!rel[0]) {
		free(todo);
		errno = ENOENT;
		return -1;
	}
	for (;;) {
		autofree char *name = NULL;
		const char *rest;
		struct stat st;
		int f;

		p += strspn(p, "/");
		if (!*p) {
			fd = openat(dirs[depth], ".", flags | O_CLOEXEC);
			err = errno;
			break;
		}
		name = xstrndup(p, strcspn(p, "/"));
		rest = p + strlen(name);
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			if (strcmp(name, "..") == 0 && depth > 0)
				close(dirs[depth--]);
			p = rest;
			continue;
		}
		f = openat(dirs[depth], name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (f < 0 || fstat(f, &st) < 0) {
			err = errno;
			if (f >= 0)
				close(f);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlinkat(f, "", target, sizeof target - 1);
			char *next;

			close(f);
			if (n <= 0 || ++links > MAX_LINKS) {
				err = n < 0 ? errno : ELOOP;
				break;
			}
			target[n] = '\0';
			if (target[0] == '/')
				close_dirs(dirs, &depth);
			next = xasprintf("%s%s", target, rest);
			free(todo);
			todo = next;
			p = todo;
			continue;
		}
		if (!rest[strspn(rest, "/")]) {
			close(f);
			fd = openat(dirs[depth], name, flags | O_NOFOLLOW | O_CLOEXEC);
			err = errno;
			break;
		}
		if (!S_ISDIR(st.st_mode) || depth + 1 >= MAX_DEPTH) {
			close(f);
			err = S_ISDIR(st.st_mode) ? ELOOP : ENOTDIR;
			break;
		}
		dirs[++depth] = f;
		p = rest;
	}
	close_dirs(dirs, &depth);
	free(todo);
	errno = err;
	return fd;
}

int openat_in_root(int root, const char *rel, int flags)
{
	/* Asked once: where openat2 is missing, every call would fail the same way. */
	static bool no_openat2;
	int fd = -1;

	if (!no_openat2) {
		fd = openat2_retry(root, rel, (uint64_t)(flags | O_CLOEXEC), 0,
				   RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
		if (fd >= 0 || errno != ENOSYS)
			return fd;
		no_openat2 = true;
	}
	return openat_in_root_walk(root, rel, flags);
}

void close_fds_but(unsigned from, const int *keep, size_t n)
{
	for (;;) {
		unsigned next = ~0u;

		for (size_t i = 0; i < n; i++)
			if (keep[i] >= (int)from && (unsigned)keep[i] < next)
				next = (unsigned)keep[i];
		if (next > from)
			syscall(SYS_close_range, from, next == ~0u ? ~0u : next - 1, 0);
		if (next == ~0u)
			return;
		from = next + 1;
	}
}

DIR *dir_from_fd(int fd)
{
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	if (!d && fd >= 0)
		close(fd);
	return d;
}
