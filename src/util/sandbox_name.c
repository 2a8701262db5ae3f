// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/sandbox_name.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

/* ASCII only: isalnum() of the locale would let other bytes through. */
static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool name_char(char c)
{
	return alnum(c) || c == '_' || c == '.' || c == '-';
}

static bool digits_only(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

bool sandbox_name_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len > SANDBOX_NAME_MAX || !alnum(name[0]) || digits_only(name))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!name_char(name[i]))
			return false;
	return true;
}

#define BASE_MAX 32

char *sandbox_name_base(const char *program)
{
	const char *slash = program ? strrchr(program, '/') : NULL;
	const char *p = slash ? slash + 1 : program ? program : "";
	char buf[BASE_MAX + 1];
	size_t n = 0;

	while (*p && !alnum(*p))
		p++;
	for (; *p && n < BASE_MAX; p++)
		buf[n++] = name_char(*p) ? *p : '-';
	buf[n] = '\0';
	if (n == 0 || digits_only(buf))
		return xstrdup("sandbox");
	return xstrdup(buf);
}

char *sandbox_name_next(const char *name)
{
	const char *dash = strrchr(name, '-');
	size_t base = strlen(name);
	unsigned long n = 2;
	char *next;

	/* "x-2" -> "x-3": a number after the last '-', without a leading 0, of a name before. */
	if (dash && dash > name && dash[1] >= '1' && dash[1] <= '9' && digits_only(dash + 1) &&
	    strlen(dash + 1) < 9) {
		n = strtoul(dash + 1, NULL, 10) + 1;
		base = (size_t)(dash - name);
	}
	next = xasprintf("%.*s-%lu", (int)base, name, n);
	if (strlen(next) > SANDBOX_NAME_MAX) {
		free(next);
		return NULL;
	}
	return next;
}
