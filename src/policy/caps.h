/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_CAPS_H
#define NOOK_POLICY_CAPS_H

#include <stdbool.h>
#include <stdint.h>

#include "request/request.h"
#include "spec.h"

/*
 * PROGRAM's capabilities into s->caps_keep: BASE, what its id gives (root's: the podman set),
 * then each --caps-keep and --caps-drop in the order given. ROOT_FROM_CLI: the command line
 * asked for root (--userns=root), whose capabilities a profile's caps lines do not take away.
 */
void caps_build(const struct security_request *r, uint64_t base, bool root_from_cli, bool quiet,
		struct spec *s);

#endif
