/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_CACHE_H
#define NOOK_POLICY_CACHE_H

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/* Where caches live: data_dir/caches, beside the overlays; NULL without a home. */
char *cache_base_dir(const struct host_facts *h);

/*
 * The request's caches into s: a writable bind of each at its PATH, after the caller's own
 * mounts, and what the monitor makes and locks. The last one given for a PATH wins (the
 * command line's over a profile's). On bad input prints "nook: ..." and returns -1.
 */
int cache_build(const struct request *ro, const struct host_facts *h, struct spec *s);

#endif
