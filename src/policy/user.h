/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_USER_H
#define NOOK_POLICY_USER_H

/*
 * Who the payload is inside: --user, looked up in the root's /etc/passwd and /etc/group; and
 * in an image (--rootfs) the user of the image's /etc/passwd that its uid names, with that
 * user's HOME, USER, LOGNAME, and a PATH for the image, rather than the caller's, which name
 * a home and programs of the host.
 */

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"
#include "util/strv.h"

/* What the payload's environment gets for its identity, before --env-file and --env. */
struct identity {
	struct strv sets;   /* "HOME=/root": replaces the caller's */
	struct strv unsets; /* "USER why": the caller's is removed (and listed, why) */
};

/* The PATH of an image's payload: podman's, root's and everyone's. */
#define IMAGE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * The payload's identity, after the id maps: --user's ids and groups into s (switch_user),
 * the variables into ID. ROOTFS: the image's canonical path, or NULL over the host's root
 * (then, without --user, the identity is the caller's and nothing is read; with it, HOME,
 * USER and LOGNAME are the user's of the host's /etc/passwd). Returns -1 after printing
 * "nook: ..." on bad input; ID is then empty.
 */
int user_build(const struct request *ro, const struct host_facts *h, const char *rootfs,
	       struct spec *s, struct identity *id);
void identity_free(struct identity *id);

#endif
