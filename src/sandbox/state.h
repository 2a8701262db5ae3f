/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SANDBOX_STATE_H
#define NOOK_SANDBOX_STATE_H

/*
 * The caller's running sandboxes, by name: what nook list, enter and stop use. Each sandbox
 * with a name has two files in its state directory (spec.h's state_dir), made by its nook
 * (the monitor, and its keeper) and removed when it ends:
 *
 *   NAME   the entry: locked (flock) by the monitor and its keeper for as long as either
 *          lives, from before it has its name (a file made and locked under another, then
 *          renamed without replacing), so a free lock is a stale entry (both were killed),
 *          which whoever meets it removes. It holds the state (spec_state.h) for nook list,
 *          written once by the keeper when the payload runs; empty before.
 *   .NAME  the keeper's socket: it hands out the sandbox's namespaces, pidfds, state and
 *          filter.
 *
 * The keeper is a process of the monitor's, outside the sandbox, holding what `enter` needs
 * (sandbox/keeper.c). Nothing here is taken on trust from the files: enter and stop get
 * their handles from the keeper, and take them only from a process of the caller's own user
 * namespace, which no sandboxed process is.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec_state.h"
#include "util/strv.h"

/*
 * Open the state directory PATH, which must be the caller's with no access for others; with
 * CREATE, make it (and its parent) first. The fd, or -1 with a message in err (errno ENOENT:
 * there is none, so no sandbox runs).
 */
int state_dir_open(const char *path, bool create, char *err, size_t errlen);

/* The names of the live sandboxes, sorted; stale entries met on the way are removed. */
void state_list(int dir, struct strv *names);

enum state_status {
	STATE_GONE,     /* no such sandbox (a stale entry of that name is removed) */
	STATE_STARTING, /* it is being set up: no payload yet */
	STATE_RUNNING,  /* st is filled from its state file */
};
enum state_status state_read(int dir, const char *name, struct sandbox_state *st);

/* What a sandbox's keeper hands out. */
#define STATE_NS_MAX 8
struct sandbox_handle {
	int init_pidfd;    /* the sandbox's pid 1 */
	int monitor_pidfd; /* its nook run: gone once everything of the sandbox is */
	uint64_t ns_flags; /* CLONE_NEW* of ns[], in the order of namespace_names */
	int ns[STATE_NS_MAX];
	struct sandbox_state state;
	void *filter; /* the payload's seccomp filter (struct sock_filter[]), NULL: none */
	unsigned short filter_len;
};
/*
 * Ask NAME's keeper for its handles: STATE_RUNNING (h filled), STATE_STARTING (retry soon),
 * or STATE_GONE; -1 with a message in err when it is there but cannot be asked.
 */
int state_connect(int dir, const char *name, struct sandbox_handle *h, char *err, size_t errlen);
/*
 * NAME's keeper is gone (killed) while its nook run still runs: a pidfd of that nook run
 * (checked against its start time, as its entry has it), which passes SIGTERM on to the
 * sandbox and takes it down with its own end; else -1.
 */
int state_orphan_monitor(int dir, const char *name);
void sandbox_handle_free(struct sandbox_handle *h);

/*
 * Run h->state.spec's argv in the sandbox as its payload runs: its namespaces, root and cwd,
 * uid and gid, groups, capabilities, no_new_privs, seccomp filter, Landlock, rlimits and
 * environment; its terminal as spec->terminal and pty_fds say. Waits for it, passing signals
 * on, and returns its status as nook run would (125 when entering failed).
 */
int sandbox_enter(struct sandbox_handle *h);

#endif
