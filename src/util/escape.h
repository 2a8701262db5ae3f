/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_ESCAPE_H
#define NOOK_ESCAPE_H

#include <stdio.h>

/*
 * A string from a file or an argument, made safe for one line of a terminal: control
 * characters (C0, DEL, and C1 as UTF-8 encodes them) and bytes that are not UTF-8 become
 * \xNN, a newline \n and a backslash \\; the rest, valid UTF-8 text, stays as it is. So
 * nothing printed can move the cursor, recolour the terminal or forge a line of its own.
 */
char *str_escape(const char *s);
void fput_escaped(const char *s, FILE *out);

#endif
