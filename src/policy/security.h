/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SECURITY_H
#define NOOK_SECURITY_H

/* Security policy: the default seccomp filter, capabilities, socket families, limits. */

#include <stdbool.h>
#include <stdint.h>

#include "request/request.h"
#include "spec.h"

/* One group of the default filter, as the man page explains it. */
struct seccomp_group {
	const char *name;
	const char *reason;
	const char *const *syscalls;   /* NULL-terminated */
};
extern const struct seccomp_group seccomp_default_groups[];

/* The rules that are not plain "deny this call"; --seccomp-allow takes them by these names. */
#define SECCOMP_RULE_CLONE_NS "clone"        /* clone() with namespace flags */
#define SECCOMP_RULE_UNSHARE_NS "unshare"    /* unshare() with namespace flags */
#define SECCOMP_RULE_CLONE3 "clone3"
#define SECCOMP_RULE_TTY_INJECT "ioctl"      /* TIOCSTI, TIOCLINUX */
#define SECCOMP_RULE_PERSONALITY "personality"

/*
 * Fill the spec's seccomp filter and limits (capabilities: policy/caps.h). Returns -1 after
 * printing "nook: ..." on bad input.
 */
int security_build(const struct security_request *r, bool quiet, struct spec *s);

#endif
