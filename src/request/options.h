/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_OPTIONS_H
#define NOOK_OPTIONS_H

/*
 * The one table of run options. The command line parser, --help, profile directives and the
 * man page test all read it, so an option exists in all of them or in none.
 */

#include <stddef.h>

#include "request/request.h"
#include "util/names.h"

enum option_kind {
	OPT_CALL,     /* apply() does it */
	OPT_TRUE,     /* the bool at field becomes true */
	OPT_PATHS,    /* the value, a path (absolute or "~/..."), joins the req_list at field */
	OPT_ENUM,     /* the value, one of values, is stored as an int-sized enum at field */
	OPT_ACCEPTED, /* what nook always does: accepted for firejail's profiles */
};

struct option_def {
	const char *name; /* long name without dashes: "bind" */
	char short_name;  /* 'q', or 0 */
	const char *arg;  /* argument's name for --help ("SRC[:DEST]"), NULL for a flag */
	const char *help; /* one line */
	enum option_kind kind;
	/* OPT_CALL: apply the value; on bad input write a message to err and return -1. */
	int (*apply)(struct request *ro, const char *value, const struct origin *o, char *err,
		     size_t errlen);
	size_t field; /* OPT_TRUE, OPT_PATHS, OPT_ENUM: offsetof(struct request, ...) */
	/* The values it takes, where they are a closed set (OPT_ENUM, and OPT_FOREIGN). */
	const struct enum_name *values;
	unsigned flags; /* OPT_* */
};

enum {
	OPT_CLI_ONLY = 1u << 0,     /* not a profile directive (--profile, --dry-run) */
	OPT_OPTIONAL_ARG = 1u << 1, /* "--x11" or "--x11=none"; the value is "" when absent */
	/* firejail's directive takes values nook does not ("net eth0", "x11 xephyr"): a
	 * profile line with one outside values is skipped with a warning, not an error. */
	OPT_FOREIGN = 1u << 2,
};

extern const struct option_def run_option_defs[];
extern const size_t run_option_count;

const struct option_def *option_find(const char *name);
const struct option_def *option_find_short(char c);

/* Apply one value of def to ro. Returns 0, or -1 with a message in err. */
int option_apply(const struct option_def *def, struct request *ro, const char *value,
		 const struct origin *o, char *err, size_t errlen);

/* Is value one of the option's values (always true without a closed set)? */
bool option_value_known(const struct option_def *def, const char *value);

#endif
