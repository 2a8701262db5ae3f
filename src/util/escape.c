// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/escape.h"

#include <string.h>

#include "util/err.h"

/*
 * The length of the UTF-8 sequence at p if it is a well-formed one that is not a C1 control
 * (U+0080..U+009F: some terminals obey those too), else 0. Stops at the terminating NUL, which
 * is never a continuation byte.
 */
static size_t utf8_printable(const unsigned char *p)
{
	size_t n;

	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* C1 controls; overlong forms; UTF-16 surrogates; beyond U+10FFFF. */
	if ((p[0] == 0xc2 && p[1] < 0xa0) || (p[0] == 0xe0 && p[1] < 0xa0) ||
	    (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] >= 0x90))
		return 0;
	return n;
}

char *str_escape(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	/* At most four bytes out for one in. */
	char *out = xmalloc(strlen(s) * 4 + 1), *o = out;

	while (*p) {
		size_t n;

		if (*p == '\\') {
			*o++ = '\\';
			*o++ = '\\';
			p++;
		} else if (*p == '\n') {
			*o++ = '\\';
			*o++ = 'n';
			p++;
		} else if (*p >= 0x20 && *p < 0x7f) {
			*o++ = (char)*p++;
		} else if (*p >= 0x80 && (n = utf8_printable(p)) > 0) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 0xf];
			p++;
		}
	}
	*o = '\0';
	return out;
}

void fput_escaped(const char *s, FILE *out)
{
	autofree char *e = str_escape(s);

	fputs(e, out);
}
