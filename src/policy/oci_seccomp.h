/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OCI_SECCOMP_H
#define NOOK_POLICY_OCI_SECCOMP_H

/*
 * linux.seccomp of an OCI config (runtime-spec 1.x, config-linux.md "Seccomp") into plain
 * data, without libseccomp: what can be checked without it is (actions, comparisons,
 * architectures, flags, numbers, the shape of names); whether this libseccomp knows a system
 * call is the sandbox's to find out (sandbox/seccomp_oci.c skips those it does not, as runc
 * and crun do).
 */

#include <stddef.h>

#include "spec.h"
#include "util/json_read.h"
#include "util/strv.h"

/*
 * SECCOMP (linux.seccomp, an object; NULL or empty: no filter) into OUT, enabled. What is
 * ignored is one line in NOTES. Returns 0; -1 with the reason in ERR naming the field
 * ("linux.seccomp.syscalls[3].args[0].op: ..."), for what is malformed or what nook cannot do
 * (SCMP_ACT_NOTIFY and its listener).
 */
int oci_seccomp_build(const struct jnode *seccomp, struct oci_seccomp *out, struct strv *notes,
		      char *err, size_t errlen);

#endif
