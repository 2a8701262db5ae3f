/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_NAMES_H
#define NOOK_NAMES_H

/*
 * One {value, name} table per enum, ended by {0, NULL}: the option parser, the profile parser
 * and the spec printer all read the same table, so a new value is one line.
 */

#include <stddef.h>

struct enum_name {
	int value;
	const char *name;
};

/* The name of value, or "?". */
const char *enum_to_name(const struct enum_name *t, int value);
/* The value named name: 0, or -1 when the table has no such name. */
int enum_from_name(const struct enum_name *t, const char *name, int *value);
/* "a, b or c", for messages, into buf. */
const char *enum_choices(const struct enum_name *t, char *buf, size_t len);

#endif
