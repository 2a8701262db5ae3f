/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OCI_PROFILE_H
#define NOOK_POLICY_OCI_PROFILE_H

/*
 * The annotation run.nook.profile: a nook profile over a container's spec, which config.json
 * filled already. The profile is read by the command line (cli/oci_profile.c) as nook run
 * reads it, against the container's facts; here it only takes away:
 *   blacklist           the path masked (as linux.maskedPaths), unless a noblacklist names it
 *   read-only, noexec   the path made so in place (as linux.readonlyPaths)
 *   tmpfs               a fresh tmpfs there
 *   caps.keep, caps.drop  the container's capabilities, no more than the profile leaves
 *   seccomp, seccomp.drop, "!call", protocol, memory-deny-write-execute: nook's filter, as
 *                       nook run builds it, in addition to the config's own
 *   rlimit-*            the lower of the profile's and the config's
 *   nonewprivs          what nook always sets
 * Paths are the container's, and patterns are matched against its root's files. Every other
 * directive is not applied, and each says so in a note naming its line.
 */

#include <stddef.h>

#include "request/request.h"
#include "spec.h"
#include "util/strv.h"

/* Apply PROFILE over S. Returns 0; -1 with the reason in ERR. */
int oci_profile_apply(const struct request *profile, struct spec *s, struct strv *notes, char *err,
		      size_t errlen);

#endif
