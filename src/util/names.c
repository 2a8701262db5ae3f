// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/names.h"

#include <stdio.h>
#include <string.h>

const char *enum_to_name(const struct enum_name *t, int value)
{
	for (; t->name; t++)
		if (t->value == value)
			return t->name;
	return "?";
}

int enum_from_name(const struct enum_name *t, const char *name, int *value)
{
	for (; t->name; t++) {
		if (strcmp(t->name, name) == 0) {
			*value = t->value;
			return 0;
		}
	}
	return -1;
}

const char *enum_choices(const struct enum_name *t, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; t[i].name && used < len; i++) {
		const char *sep = i == 0 ? "" : (t[i + 1].name ? ", " : " or ");

		used += (size_t)snprintf(buf + used, len - used, "%s%s", sep, t[i].name);
	}
	return buf;
}
