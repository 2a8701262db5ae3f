/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OCI_H
#define NOOK_POLICY_OCI_H

/*
 * An OCI bundle's config.json (runtime-spec 1.x) into a spec: a pure function of the parsed
 * config and a few facts of the machine, so that unit tests give facts of their own.
 */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "request/request.h"
#include "spec.h"
#include "util/json_read.h"
#include "util/strv.h"

struct oci_host {
	const char *bundle; /* absolute: root.path and relative sources are under it */
	uid_t uid;          /* the caller's ids */
	gid_t gid;
	const char *newuidmap; /* NULL: not installed (only a map of the caller's own id) */
	const char *newgidmap;
	/*
	 * Is there a device node of TYPE ('c' or 'b') MAJOR:MINOR at PATH on the host? The
	 * config's linux.devices are the host's nodes, bound; NULL: not checked (the nodes were
	 * when the container was created).
	 */
	bool (*has_device)(const char *path, char type, unsigned major, unsigned minor);
	/*
	 * The profile of the annotation run.nook.profile, read (cli/oci_profile.c) and applied
	 * over the config (policy/oci_profile.c); NULL: the config has no such annotation.
	 */
	const struct request *profile;
};

/* The annotation that replaces the config's seccomp section by nook's default filter. */
#define OCI_ANNOTATION_SECCOMP "run.nook.seccomp"
/* The annotation that applies a nook profile (NAME, or an absolute path) over the config. */
#define OCI_ANNOTATION_PROFILE "run.nook.profile"

/*
 * Fill S from CONFIG. What nook does not do, or does otherwise than the config says, is one
 * line each in NOTES (for the runtime's log). Returns 0; -1 with the reason in ERR, naming the
 * field ("mounts[3].type: ..."), when the config is invalid or asks for what nook cannot do
 * and the runtime-spec does not let it ignore.
 */
int oci_spec_build(const struct jnode *config, const struct oci_host *h, struct spec *s,
		   struct strv *notes, char *err, size_t errlen);

#endif
