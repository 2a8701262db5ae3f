/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_OPTIONS_H
#define NOOK_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "policy/request.h"

/*
 * The one table of run options. The command line parser, --help, the man page test and (later)
 * profile directives all read it, so an option exists in all of them or in none.
 */
struct option_def {
	const char *name;       /* long name without dashes: "bind" */
	char short_name;        /* 'q', or 0 */
	const char *arg;        /* argument's name for --help ("SRC[:DEST]"), NULL for a flag */
	const char *help;       /* one line */
	/* Apply the value; on bad input write a message to err and return -1. */
	int (*apply)(struct run_options *ro, const char *value, const char *origin,
		     char *err, size_t errlen);
	unsigned flags;         /* OPT_* */
};

enum {
	OPT_CLI_ONLY = 1u << 0,       /* not a profile directive (--profile, --dry-run) */
	OPT_OPTIONAL_ARG = 1u << 1,   /* "--x11" or "--x11=none"; the value is "" when absent */
};

extern const struct option_def run_option_defs[];
extern const size_t run_option_count;

const struct option_def *option_find(const char *name);

/*
 * Parse argv[0..argc) as "[OPTIONS] [--] PROGRAM [ARG...]" into ro.
 * Options end at "--" or at the first argument that is not an option: what follows is
 * PROGRAM and its arguments, untouched. Returns 0, 1 when --help was asked (usage printed),
 * or -1 after printing "nook: ...".
 */
int options_parse_run(int argc, char **argv, struct run_options *ro);

void options_print_help(FILE *out);

#endif
