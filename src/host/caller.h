/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_HOST_CALLER_H
#define NOOK_HOST_CALLER_H

/*
 * The caller's passwd entry (its name, for /etc/subuid, and its home), as getpwuid() gives
 * it, without loading NSS modules into nook: glibc's modules bring the shared libc with them,
 * and a static nook (meson's static_libc) crashes in the second libc. Where nsswitch.conf's
 * passwd line names files first (or compat, or there is no such line), /etc/passwd is read as
 * NSS reads it first; an id that is not there is asked of getent(1), which loads the modules
 * in a process of its own. A nook with a shared libc asks getpwuid() instead (host/facts.c).
 */

#include <stdint.h>

struct caller_lookup {
	const char *nsswitch;      /* nsswitch.conf */
	const char *passwd;        /* the files source's passwd */
	const char *const *getent; /* getent(1)'s paths, tried in order; NULL-terminated */
};

/* The host's: /etc/nsswitch.conf, /etc/passwd, getent in /usr/bin or /bin. */
extern const struct caller_lookup caller_lookup_host;

/*
 * UID's name and home (either may be NULL when the entry has none), malloc'ed. 0, or -1 when
 * no source has UID (or getent could not be run).
 */
int caller_entry(uint32_t uid, const struct caller_lookup *how, char **name, char **home);

#endif
