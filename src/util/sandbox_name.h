/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SANDBOX_NAME_H
#define NOOK_SANDBOX_NAME_H

/*
 * The name of a running sandbox (--name, nook list, enter, stop): 1 to 64 letters, digits,
 * '_', '.' and '-', starting with a letter or a digit, and not digits alone (which would read
 * as a pid). So a name is one file name of nook's runtime directory, never a path, never an
 * option, and never one of the directory's own entries (which start with a '.').
 */

#include <stdbool.h>

#define SANDBOX_NAME_MAX 64

bool sandbox_name_valid(const char *name);
/*
 * What a sandbox without --name is called: PROGRAM's base name, its other characters '-', cut
 * to 32 characters, without what leads before its first letter or digit ("sandbox" when
 * nothing is left, or only digits). Always valid.
 */
char *sandbox_name_base(const char *program);
/*
 * The name after NAME when NAME is taken: "x" -> "x-2", "x-2" -> "x-3". NULL when it would be
 * longer than SANDBOX_NAME_MAX.
 */
char *sandbox_name_next(const char *name);

#endif
