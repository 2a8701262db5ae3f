// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/oci_field.h"

#include <stdarg.h>
#include <stdio.h>

#include "util/err.h"

void oci_note(const struct oci_report *r, const char *fmt, ...)
{
	char *line;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		die("out of memory");
	va_end(ap);
	strv_push_owned(r->notes, line);
}

int oci_bad(const struct oci_report *r, const char *field, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	return set_error(r->err, r->errlen, "config.json: %s: %s", field, why);
}

int oci_want(const struct oci_report *r, const struct jnode *v, enum jtype t, const char *field,
	     bool required)
{
	if (!v)
		return required ? oci_bad(r, field, "missing, and required") : 0;
	if (v->type != t)
		return oci_bad(r, field, "must be %s, not %s", json_type_name(t),
			       json_type_name(v->type));
	return 0;
}
