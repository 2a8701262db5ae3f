/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_REQUEST_VALUES_H
#define NOOK_REQUEST_VALUES_H

/* Parsers of option values; on bad input they write a message to err and return -1. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "request/request.h"
#include "util/names.h"
#include "util/strv.h"

/* One of the table's names: "unknown WHAT 'x' (expected a, b or c)" otherwise. */
int parse_enum(const struct enum_name *t, const char *value, int *out, const char *what, char *err,
	       size_t errlen);
/*
 * Names libseccomp knows, or numbers below SYSCALL_NR_LIMIT (the native architecture's, for
 * calls newer than libseccomp); an unknown name's message gives its number where it is known.
 */
#define SYSCALL_NR_LIMIT 1024
int parse_syscall_list(const char *value, struct strv *out, char *err, size_t errlen);
int parse_cap_list(const char *value, uint64_t *mask, bool *all, char *err, size_t errlen);
int parse_protocols(const char *value, uint64_t *mask, char *err, size_t errlen);
/* N, N[KMG] (powers of 1024), or "unlimited". */
int parse_limit(const char *value, uint64_t *out, char *err, size_t errlen);
/* [HOSTIP:]HOSTPORT:PORT[/tcp|/udp]; HOSTIP defaults to 127.0.0.1. */
int parse_publish(const char *value, struct publish_spec *out, char *err, size_t errlen);
/* tmp, none or NAME (see store_name_valid). */
int parse_overlay(const char *value, struct overlay_request *r, char *err, size_t errlen);
/*
 * A NAME in nook's store, of a named overlay or a cache: [A-Za-z0-9_.-]{1,64}, not "-x" (an
 * option to the commands that take it), ".", "..", tmp or none (--overlay's own values). One
 * rule for both, so a name is a file name of the store and never a path.
 */
bool store_name_valid(const char *name);
/* A tmpfs size as the kernel takes it: N, N[kmg] or N% (of RAM); not 0. */
int parse_tmpfs_size(const char *value, char *err, size_t errlen);
/*
 * D-Bus, as xdg-dbus-proxy takes them (its --own=NAME, --call=NAME=RULE): NAME a well-known
 * bus name, or NAME.* for it and the names below it; RULE [METHOD][@PATH], METHOD "*",
 * INTERFACE.* or INTERFACE.METHOD, PATH an object path (a final slash-star: and its subtree).
 */
int parse_dbus_name(const char *value, char *err, size_t errlen);
int parse_dbus_rule(const char *value, char *err, size_t errlen);

#endif
