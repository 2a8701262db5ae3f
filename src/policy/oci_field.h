/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OCI_FIELD_H
#define NOOK_POLICY_OCI_FIELD_H

/*
 * What every reader of config.json's parts (policy/oci*.c) says the same way: a note for the
 * runtime's log, and a refusal naming the field, "config.json: FIELD: why".
 */

#include <stdbool.h>
#include <stddef.h>

#include "util/json_read.h"
#include "util/strv.h"

/* The errors and notes of one config: where oci_bad and oci_note write. */
struct oci_report {
	struct strv *notes;
	char *err;
	size_t errlen;
};

/* One line in R's notes. */
__attribute__((format(printf, 2, 3))) void oci_note(const struct oci_report *r, const char *fmt,
						    ...);
/* "config.json: FIELD: why" into R's err; returns -1. */
__attribute__((format(printf, 3, 4))) int oci_bad(const struct oci_report *r, const char *field,
						  const char *fmt, ...);
/* V of type T, or an error naming FIELD; a missing V (NULL) is fine unless REQUIRED. */
int oci_want(const struct oci_report *r, const struct jnode *v, enum jtype t, const char *field,
	     bool required);

#endif
