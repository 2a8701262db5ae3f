// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One instance per profile, for programs whose own check fails across a pid namespace.
 * Chromium's lock is a link to "HOST-PID": a Chromium outside nook looks for the pid inside
 * the sandbox, finds no Chromium there, takes the lock as stale and opens the profile a
 * second time (a database corruption risk). Started through nook, a second instance finds
 * the first one's socket (the profiles share a directory for it) and hands its arguments
 * over; the one case left is a Chromium that runs outside nook: then nook refuses to start.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/escape.h"

/* The pid at the end of a lock's target ("host-1234", "127.0.0.1:+1234"), or 0. */
static pid_t lock_pid(const char *target)
{
	size_t len = strlen(target), start = len;
	long v;

	while (start > 0 && target[start - 1] >= '0' && target[start - 1] <= '9')
		start--;
	if (start == len || start == 0 || (target[start - 1] != '-' && target[start - 1] != '+') ||
	    len - start > 9)
		return 0;
	v = strtol(target + start, NULL, 10);
	return v > 1 ? (pid_t)v : 0;
}

void instance_check(const struct spec *s)
{
	char target[256], exe[PATH_MAX], proc[64];
	ssize_t n;
	pid_t pid;

	if (!s->single_instance || s->argv.n == 0)
		return;
	n = readlink(s->single_instance, target, sizeof target - 1);
	if (n <= 0)
		return; /* no lock: nothing runs */
	target[n] = '\0';
	pid = lock_pid(target);
	if (pid == 0)
		return;
	/* A sandboxed instance wrote a pid of its own namespace: here it is no such program. */
	snprintf(proc, sizeof proc, "/proc/%d/exe", (int)pid);
	n = readlink(proc, exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	if (strcmp(path_base(exe), path_base(s->argv.v[0])) != 0)
		return;
	{
		autofree char *lock = str_escape(s->single_instance);
		autofree char *program = str_escape(path_base(s->argv.v[0]));

		die("%s already runs outside nook (pid %d, its lock %s): a second instance would "
		    "open the same profile; quit it first, or start it through nook",
		    program, (int)pid, lock);
	}
}
