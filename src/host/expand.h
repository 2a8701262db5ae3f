/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_HOST_EXPAND_H
#define NOOK_HOST_EXPAND_H

/*
 * The one place where "~" and profiles' ${MACROS} become paths, from the host's facts.
 * Options and profile lines keep what the user wrote; these turn it into host paths.
 */

#include <stddef.h>

#include "host/facts.h"
#include "util/strv.h"

/* "~" and "~/..." against home (unchanged without a home); returns a new string. */
char *expand_tilde(const char *path, const char *home);

/*
 * A host path as the user gave it: "~" expanded, and a relative path taken from the
 * directory nook was started in. Returns a new string.
 */
char *host_path(const struct host_facts *h, const char *raw);

/* The most values one argument may expand to: eight ${PATH} would be millions. */
#define EXPAND_MAX_VALUES 256

/*
 * Expand ${MACRO}s and a leading "~" of a profile argument into out: ${PATH} yields one value
 * per directory of $PATH, the others one each; each macro the argument holds is expanded once,
 * and what it expands to never again. Returns -1 with a message for an unknown or
 * unterminated macro, or more than EXPAND_MAX_VALUES values.
 */
int expand_macros(const struct host_facts *h, const char *arg, struct strv *out, char *err,
		  size_t errlen);

/*
 * While NAMES is set (NULL: no more), expand_macros adds to it the name of each macro it
 * expands ("HOME" for a leading "~"), once: what a profile's result depends on.
 */
void expand_record_macros(struct strv *names);

/* MACRO's values now, one a line (NULL: not a macro, or no value), for comparing. */
char *expand_macro_text(const struct host_facts *h, const char *macro);

#endif
