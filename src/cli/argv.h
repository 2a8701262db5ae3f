/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_ARGV_H
#define NOOK_CLI_ARGV_H

#include <stdio.h>

#include "request/request.h"

/*
 * Parse argv[0..argc) as "[OPTIONS] [--] PROGRAM [ARG...]" into ro, through the option table.
 * Options end at "--" or at the first argument that is not an option: what follows is
 * PROGRAM and its arguments, untouched. Returns 0, 1 when --help was asked (usage printed),
 * or -1 after printing "nook: ...".
 */
int options_parse_run(int argc, char **argv, struct request *ro);

/* nook run --help: the option table. */
void options_print_help(FILE *out);

#endif
