/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SECURITY_H
#define NOOK_SECURITY_H

/* Security policy: the default seccomp filter, capabilities, socket families, limits. */

#include <stdbool.h>
#include <stdint.h>

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/* One group of the default filter, as the man page explains it. */
struct seccomp_group {
	const char *name;
	const char *reason;
	const char *const *syscalls; /* NULL-terminated */
};
extern const struct seccomp_group seccomp_default_groups[];

/* The rules that are not plain "deny this call"; --seccomp-allow takes them by these names. */
#define SECCOMP_RULE_CLONE_NS "clone"     /* clone() with namespace flags */
#define SECCOMP_RULE_UNSHARE_NS "unshare" /* unshare() with namespace flags */
#define SECCOMP_RULE_CLONE3 "clone3"
#define SECCOMP_RULE_TTY_INJECT "ioctl" /* TIOCSTI, TIOCLINUX */
#define SECCOMP_RULE_PERSONALITY "personality"

/*
 * Fill the spec's seccomp filter and limits from ro->sec, for the network the spec has already
 * (s->net.mode); capabilities: policy/caps.h. Returns -1 after printing "nook: ..." on bad
 * input.
 */
int security_build(const struct request *ro, struct spec *s);

/*
 * Landlock, for the network the spec has already: with the host's network namespace the
 * sandbox could connect to the host's abstract unix sockets (the X server's among them), so
 * they are scoped out where the kernel can (h->landlock_abi), unless --x11 asks for X.
 */
void landlock_build(const struct request *ro, const struct host_facts *h, struct spec *s);

#endif
