// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The caches a sandbox uses (--cache=NAME:PATH), in the monitor, before the sandbox starts:
 * each one's directory made, its lock held shared for as long as nook runs, its use noted.
 * Any number of sandboxes may share a cache; nook cache rm takes the lock exclusively without
 * waiting, so it refuses a cache in use, and it removes the lock file last.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/fsutil.h"

/* A removal that keeps winning the race: give up rather than loop. */
#define HOLD_TRIES 16

/* The locks, open until nook exits; the sandbox's pid 1 closes its copies at once. */
static int *held;
static size_t nheld;

/*
 * Make cache C's directory, open its lock and take it shared, then make its data directory.
 * Returns the lock's fd, or -1 when a nook cache rm removed the directory meanwhile (try
 * again); dies on anything else.
 */
static int lock_once(const struct cache_spec *c)
{
	autofree char *dir = xstrdup(c->dir);
	autofree char *lock = xasprintf("%s/lock", c->dir);
	autofree char *data = xasprintf("%s/data", c->dir);
	autoclose int fd = -1;
	struct stat held_st, there;

	if (mkdir_p(dir, 0700) < 0)
		die_errno("--cache %s: cannot create %s", c->name, dir);
	fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == ENOENT)
		return -1;
	if (fd < 0)
		die_errno("--cache %s: cannot open its lock", c->name);
	/* Waits only while a nook cache rm is removing it. */
	while (flock(fd, LOCK_SH) < 0)
		if (errno != EINTR)
			die_errno("--cache %s: cannot lock it", c->name);
	/*
	 * That rm may have emptied the directory and unlinked the lock while we waited: hold the
	 * lock file that is there now, not one that was removed. The data directory only after
	 * that, so that nothing is made in a directory being removed.
	 */
	if (fstat(fd, &held_st) < 0)
		die_errno("--cache %s: cannot lock it", c->name);
	if (lstat(lock, &there) < 0 || there.st_dev != held_st.st_dev ||
	    there.st_ino != held_st.st_ino)
		return -1;
	if (mkdir(data, 0700) < 0 && errno != EEXIST)
		die_errno("--cache %s: cannot create %s", c->name, data);
	return steal_fd(&fd);
}

/* The last use and where, for nook cache list: written whole, then renamed over the old. */
static void note_use(const struct cache_spec *c)
{
	autofree char *tmp = xasprintf("%s/meta.%d", c->dir, (int)getpid());
	autofree char *meta = xasprintf("%s/meta", c->dir);
	autofree char *text = xasprintf("path %s\n", c->dest);
	autoclose int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);

	/* Only nook cache list reads it: a failure here costs nothing else. */
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text) ||
	    rename(tmp, meta) < 0)
		unlink(tmp);
}

void caches_hold(const struct spec *s)
{
	for (size_t i = 0; i < s->ncaches; i++) {
		const struct cache_spec *c = &s->caches[i];
		int fd = -1;

		for (int tries = 0; fd < 0; tries++) {
			if (tries == HOLD_TRIES)
				die("--cache %s: removed again and again while the sandbox started",
				    c->name);
			fd = lock_once(c);
		}
		held = xreallocarray(held, nheld + 1, sizeof *held);
		held[nheld++] = fd;
		note_use(c);
	}
}
