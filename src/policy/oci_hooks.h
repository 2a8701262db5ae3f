/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OCI_HOOKS_H
#define NOOK_POLICY_OCI_HOOKS_H

/* config.json's hooks (runtime-spec 1.x, "POSIX-platform Hooks") into the spec's. */

#include <stddef.h>

#include "spec.h"
#include "util/json_read.h"
#include "util/strv.h"

/*
 * Fill OUT from HOOKS (config.json's "hooks"; NULL: none). A stage or a key of a hook nook does
 * not know is one line in NOTES. Returns 0; -1 with the reason in ERR, naming the field
 * ("config.json: hooks.poststart[1].timeout: ..."), OUT then freed.
 */
int oci_hooks_build(const struct jnode *hooks, struct oci_hooks *out, struct strv *notes, char *err,
		    size_t errlen);

#endif
