/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_BUILD_H
#define NOOK_BUILD_H

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/*
 * Turn a request into a spec: defaults, id maps, the mount list, the environment, with the
 * host's facts. On bad input prints "nook: ..." and returns -1; the spec is then to be freed.
 */
int spec_build(const struct request *ro, const struct host_facts *h, struct spec *s);

/*
 * The user namespace part of the spec that REQ would give on its own (its id maps, the pool,
 * a network namespace unless --net=host), for asking the pool before a profile is read: the
 * profile may change it, and the namespace is then not taken. Silent; -1 on failure.
 */
int spec_build_userns(const struct request *ro, const struct host_facts *h, struct spec *s);

/* The capabilities rootless podman gives a container; --userns=root keeps them. */
extern const int root_mode_caps[];
extern const int root_mode_caps_count;

#endif
