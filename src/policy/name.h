/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_NAME_H
#define NOOK_POLICY_NAME_H

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/*
 * The sandbox's name: --name (or a profile's name), else PROGRAM's base name, or the first of
 * NAME-2, NAME-3, ... that no sandbox of the caller's has now; and where its state goes.
 * Without a state directory a sandbox has no name: --name and --join-or-start are then an
 * error. Prints "nook: ..." and returns -1 on bad input.
 */
int name_build(const struct request *ro, const struct host_facts *h, struct spec *s);

#endif
