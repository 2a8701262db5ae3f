/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SECURITY_H
#define NOOK_SECURITY_H

/* Security policy: seccomp lists, capabilities, socket families, resource limits. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"
#include "util/strv.h"

struct security_request {
	bool seccomp_off;
	struct strv seccomp_drop;      /* deny these too */
	struct strv seccomp_allow;     /* take these out of the default list */
	enum seccomp_action action;
	bool allow_userns;
	bool allow_secondary_arch;
	bool mdwe;
	uint64_t protocols;            /* 0: not restricted */
	bool caps_set;                 /* --caps-keep given: caps is the whole set */
	uint64_t caps_keep;
	uint64_t caps_drop;
	struct rlimit_spec rlimits[RLIMITS_MAX];
	size_t nrlimits;
};

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

/* Parsers for option values; on bad input they write a message to err and return -1. */
int parse_syscall_list(const char *value, struct strv *out, char *err, size_t errlen);
int parse_cap_list(const char *value, uint64_t *mask, bool *all, char *err, size_t errlen);
int parse_protocols(const char *value, uint64_t *mask, char *err, size_t errlen);
int parse_limit(const char *value, uint64_t *out, char *err, size_t errlen);
int parse_seccomp_action(const char *value, enum seccomp_action *out, char *err, size_t errlen);

void security_request_init(struct security_request *r);
void security_request_free(struct security_request *r);

/*
 * Fill the spec's seccomp filter, capabilities and limits. caps_base is what the id mode
 * gives (the podman set for root mode). Returns -1 after printing "nook: ..." on bad input.
 */
int security_build(const struct security_request *r, uint64_t caps_base, bool quiet,
		   struct spec *s);

#endif
