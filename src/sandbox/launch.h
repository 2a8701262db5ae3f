/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_LAUNCH_H
#define NOOK_LAUNCH_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"

/*
 * Execute a spec; returns nook's exit status (the payload's, or 125 when nook failed). With
 * s->join_or_start, SANDBOX_NAME_TAKEN when a live sandbox has its name (nothing was done).
 */
#define SANDBOX_NAME_TAKEN (-2)
int sandbox_run(const struct spec *s);

/*
 * The id maps of a user namespace, and how to write them: with newuidmap and newgidmap, whole
 * ranges; without them only the first range's one id (the kernel allows no more), and
 * setgroups is denied.
 */
struct idmap_request {
	const struct id_map *uid_map;
	const struct id_map *gid_map;
	bool helpers;
	const char *newuidmap; /* their paths, when helpers */
	const char *newgidmap;
	const char *subuid_file; /* where the ranges came from, for messages (or NULL) */
	const char *subgid_file;
};

/* The spec's maps and how to write them (pointing into S). */
struct idmap_request idmap_request_of(const struct spec *s);
/* Write the maps of child's user namespace (userns.c); dies with one line if refused. */
void idmap_write(pid_t child, const struct idmap_request *r);
/* The same with the helpers (r->helpers), for the pool: 0, or -1 when either failed; no message. */
int idmap_try(pid_t child, const struct idmap_request *r);

/*
 * The user namespace pool (sandbox/userns_pool.c): nook exec'd as USERNS_POOL_ARGV0 IDLE with
 * its listening socket at USERNS_POOL_FD (and its lock at the next fd) serves it until it has
 * been idle IDLE seconds. userns_pool_running: whether a pool answers at SOCKET (nook doctor).
 */
#define USERNS_POOL_ARGV0 "nook-userns"
#define USERNS_POOL_FD 3
int userns_pool_main(int listen_fd, unsigned idle);
/*
 * Ask the pool now for the namespace of S's maps (S: spec_build_userns's part of a spec), so
 * that it is handed over while the rest of the spec is made; sandbox_run takes it if the
 * spec's maps are these, else asks anew. Nothing happens without a pool (s->userns_pool).
 */
void userns_pool_ask(const struct spec *s);
bool userns_pool_running(const char *socket);

#endif
