/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_BUILD_H
#define NOOK_BUILD_H

#include <stdbool.h>
#include <sys/types.h>

#include "policy/request.h"
#include "spec.h"

/* The facts about this machine and caller that the policy depends on. */
struct host_facts {
	uid_t uid;
	gid_t gid;
	char *username;            /* NULL when the uid has no passwd entry */
	char *cwd;                 /* NULL when unknown */
	char *home;                /* $HOME, else the passwd entry's; NULL when unknown */
	char **environ;            /* the caller's environment */
	char *subuid_path;         /* /etc/subuid, or $NOOK_SUBUID_FILE */
	char *subgid_path;
	char *newuidmap;           /* full path, or NULL when not installed */
	char *newgidmap;
	char *slirp4netns;         /* full path, or NULL when not installed */
	char *fuse_overlayfs;
};

void host_facts_read(struct host_facts *h);
void host_facts_free(struct host_facts *h);

/*
 * Turn a request into a spec: defaults, id maps, the mount list, the environment.
 * On bad input prints "nook: ..." and returns -1; the spec is then to be freed.
 */
int spec_build(const struct run_options *ro, const struct host_facts *h, struct spec *s);

/* The capabilities rootless podman gives a container; --userns=root keeps them. */
extern const int root_mode_caps[];
extern const int root_mode_caps_count;

#endif
