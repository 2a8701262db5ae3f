/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_PROFILE_CACHE_H
#define NOOK_CLI_PROFILE_CACHE_H

/*
 * The profile cache: what reading a profile made of the request, kept in the caller's private
 * runtime directory ($XDG_RUNTIME_DIR/nook/profile-cache), and taken instead of reading it
 * again while everything it came from is as it was (see profile_cache.c).
 */

#include <stdbool.h>

#include "host/facts.h"
#include "profile/profile.h"
#include "request/request.h"
#include "util/strv.h"

/* What a load depends on besides the files it read and the macros it expanded. */
struct profile_cache_query {
	const struct host_facts *h;
	const struct profile_env *env;
	const char *path; /* the profile found */
	bool strict, quiet, firejail;
};

/* Is there a cache at all: a private runtime directory, and NOOK_PROFILE_CACHE is not "off". */
bool profile_cache_enabled(const struct host_facts *h);

/*
 * A load kept for Q whose files and macros are still as they were: into RO (initialized here),
 * its messages printed to stderr as the load printed them. 0, or -1 (none: load the profile).
 */
int profile_cache_get(const struct profile_cache_query *q, struct request *ro);

/*
 * Keep the load that made RO (before the command line goes over it): the files it looked for
 * and read (PROBES), the macros it expanded (MACROS), what it printed (MESSAGES). Nothing is
 * kept for a file changed in the last seconds, which a change within the same timestamp
 * could leave unnoticed.
 */
void profile_cache_put(const struct profile_cache_query *q, const struct request *ro,
		       const struct profile_probes *probes, const struct strv *macros,
		       const char *messages);

#endif
