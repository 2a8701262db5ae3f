/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_SESSION_H
#define NOOK_POLICY_SESSION_H

/*
 * The caller's desktop session, as a sandbox over the host sees it: a private /run and
 * runtime directory holding only the sockets that are granted, and an environment that
 * names nothing the sandbox does not have.
 */

#include "host/facts.h"
#include "policy/display.h"
#include "policy/user.h"
#include "request/request.h"
#include "spec.h"

/* The private /run, the runtime directory and the granted sockets: before the views. */
void session_build_mounts(const struct request *ro, const struct host_facts *h,
			  const struct display_grant *g, struct spec *s);

/*
 * The environment: the caller's (or none, --clearenv), --env-keep, the payload's identity
 * (ID: in an image, its user's HOME, USER, LOGNAME and PATH), --env-file, --env, --unsetenv.
 */
void session_build_env(const struct request *ro, const struct host_facts *h,
		       const struct identity *id, struct spec *s);

/*
 * Then, after every mount: what points at something the sandbox lacks is removed (listed in
 * s->env_removed, for --dry-run), unless --env-keep names it; XDG_RUNTIME_DIR is the
 * sandbox's own runtime directory. With a display and no accessibility bus, GTK is told so
 * (NO_AT_BRIDGE=1, GTK_A11Y=none) unless the caller or the options set them.
 */
void session_prune_env(const struct request *ro, const struct host_facts *h,
		       const struct display_grant *g, struct spec *s);

#endif
