/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SPEC_STATE_H
#define NOOK_SPEC_STATE_H

/*
 * The state of a running sandbox, as its keeper writes it (sandbox/keeper.c) for nook list
 * and hands it to nook enter: the processes that make it, and the part of its spec that
 * `list` shows and `enter` applies. One fact a line, "KEY VALUE", the value escaped (a
 * backslash, a newline and every other control character as \\, \n and \xNN), so a value
 * cannot forge a line; a list is its key repeated. The first line is "nook-state 1", the last
 * "end": a reader that sees part of it knows.
 */

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "spec.h"

/* A process, as /proc/PID/stat gives it: a pid with another start time is another process. */
struct proc_id {
	pid_t pid;      /* 0: not known (yet) */
	uint64_t start; /* field 22 of /proc/PID/stat: clock ticks after boot */
};

enum { STATE_MONITOR, STATE_KEEPER, STATE_INIT, STATE_PAYLOAD, STATE_NPROCS };

struct sandbox_state {
	char *name;
	/* nook run (the monitor), its keeper, the sandbox's pid 1 and the payload, on the host. */
	struct proc_id procs[STATE_NPROCS];
	char *root; /* what "/" is: the host's ("/") or the image's directory */
	/*
	 * Of the spec: namespaces, userns, uid, gid, drop_groups, switch_user, set_groups and
	 * groups, caps_keep, seccomp.enabled and .mdwe, landlock_scope_unix, rlimits, cwd,
	 * cwd_required, env, argv, profile, overlay.mode and .name, net.mode. The rest is empty.
	 */
	struct spec spec;
};

/* The state of S, named NAME, with its processes. Returns 0, or -1 if writing failed. */
int spec_state_write(FILE *out, const struct spec *s, const char *name,
		     const struct proc_id procs[STATE_NPROCS]);
/* Parse LEN bytes of TEXT into ST (initialised here). 0; or -1 with a message in err. */
int spec_state_parse(const char *text, size_t len, struct sandbox_state *st, char *err,
		     size_t errlen);
void sandbox_state_free(struct sandbox_state *st);

#endif
