// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The state directory and its entries (sandbox/state.h): opened without following links,
 * accepted only when they are the caller's and private; an entry alive while its lock is
 * held, and removed only by whoever holds that lock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "sandbox/state.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/sandbox_name.h"

/* A leftover of a start or a removal that was killed midway, once nobody can be at it. */
#define LEFTOVER_AGE 60

/* The caller's, and nobody else's. */
static bool private_to_caller(const struct stat *st)
{
	return st->st_uid == geteuid() && !(st->st_mode & 077);
}

int state_dir_open(const char *path, bool create, char *err, size_t errlen)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		autofree char *p = xstrdup(path);

		if (mkdir_p(p, 0700) < 0) {
			int e = errno;

			set_error(err, errlen, "cannot create %s: %s", p, strerror(e));
			errno = e;
			return -1;
		}
		fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		int e = errno;

		set_error(err, errlen, "%s: %s", path, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0 || !private_to_caller(&st)) {
		set_error(err, errlen,
			  "%s: not a private directory of the caller's (owner %u, mode %04o); not "
			  "trusted",
			  path, (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int store_entry_open(int dir, const char *name)
{
	struct stat st;
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || !private_to_caller(&st))) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

void store_socket_name(const char *name, char *buf, size_t len)
{
	/* Never a sandbox's name: those start with a letter or a digit. */
	snprintf(buf, len, ".%s", name);
}

void store_remove(int dir, const char *name, int entry)
{
	struct stat by_name, held;
	char sock[SANDBOX_NAME_MAX + 2];

	/*
	 * Only the entry whose lock we hold: NAME may be another sandbox's by now. Nobody can
	 * change what NAME is while we hold its lock (removing needs the lock, and a new entry
	 * needs NAME free), so the check holds until the unlink.
	 */
	if (fstat(entry, &held) < 0 || fstatat(dir, name, &by_name, AT_SYMLINK_NOFOLLOW) < 0 ||
	    by_name.st_ino != held.st_ino || by_name.st_dev != held.st_dev)
		return;
	store_socket_name(name, sock, sizeof sock);
	(void)unlinkat(dir, sock, 0);
	(void)unlinkat(dir, name, 0);
}

/*
 * Is NAME a live sandbox? 1: its lock is held. 0: no entry, or a stale one (removed here). A
 * free lock never comes back: an entry is locked before it gets its name, and a remover
 * holds it.
 */
int store_alive(int dir, const char *name)
{
	autoclose int entry = store_entry_open(dir, name);

	if (entry < 0)
		return 0;
	if (flock(entry, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? 1 : 0;
	/* Ours now. A stale entry: its monitor and keeper are gone, so is its sandbox. */
	store_remove(dir, name, entry);
	return 0;
}

/*
 * What a start or a removal killed midway leaves, once it is old: an entry not yet named
 * (.new-*) whose lock is free, a keeper's socket (.NAME) without its entry.
 */
static void remove_leftover(int dir, const char *name)
{
	autoclose int fd = -1;
	struct stat st;

	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0 || st.st_uid != geteuid() ||
	    st.st_mtime > time(NULL) - LEFTOVER_AGE)
		return;
	if (strncmp(name, ".new-", 5) == 0 && S_ISREG(st.st_mode)) {
		fd = store_entry_open(dir, name);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			(void)unlinkat(dir, name, 0);
	} else if (S_ISSOCK(st.st_mode) && sandbox_name_valid(name + 1) &&
		   fstatat(dir, name + 1, &st, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT) {
		(void)unlinkat(dir, name, 0);
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void state_list(int dir, struct strv *names)
{
	DIR *d = dir_from_fd(fcntl(dir, F_DUPFD_CLOEXEC, 3));
	struct strv all = {0};
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			strv_push(&all, e->d_name);
	closedir(d);
	for (size_t i = 0; i < all.n; i++) {
		if (all.v[i][0] == '.')
			remove_leftover(dir, all.v[i]);
		else if (sandbox_name_valid(all.v[i]) && store_alive(dir, all.v[i]))
			strv_push(names, all.v[i]);
	}
	strv_free(&all);
	if (names->n)
		qsort(names->v, names->n, sizeof *names->v, by_name);
}

char *store_read_entry(int entry, size_t *len)
{
	struct stat st;
	char *buf;
	ssize_t n;

	if (fstat(entry, &st) < 0 || st.st_size > (1 << 20))
		return NULL;
	buf = xmalloc((size_t)st.st_size + 1);
	n = pread(entry, buf, (size_t)st.st_size, 0);
	if (n < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

enum state_status state_read(int dir, const char *name, struct sandbox_state *st)
{
	autoclose int entry = -1;
	autofree char *text = NULL;
	size_t len = 0;
	char err[256];

	memset(st, 0, sizeof *st);
	if (!sandbox_name_valid(name) || !store_alive(dir, name))
		return STATE_GONE;
	entry = store_entry_open(dir, name);
	if (entry < 0)
		return STATE_GONE;
	text = store_read_entry(entry, &len);
	/*
	 * Empty until its keeper writes it, in one write(2) that a reader may see part of: the
	 * parser wants the last line, "end".
	 */
	if (!text || spec_state_parse(text, len, st, err, sizeof err) < 0) {
		sandbox_state_free(st);
		return STATE_STARTING;
	}
	return STATE_RUNNING;
}
