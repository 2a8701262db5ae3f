/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_DESKTOP_ENTRY_H
#define NOOK_CLI_DESKTOP_ENTRY_H

/*
 * Desktop entries (the freedesktop.org Desktop Entry Specification) as nook integrate reads
 * and writes them: which program an entry starts, and the copy of an entry whose every Exec
 * line starts its program through nook. Text in, text out: no file is read here. The text
 * comes from files anyone may have written, so it is bounded and checked before it is used.
 */

#include <stdbool.h>
#include <stddef.h>

#include "util/strv.h"

/* The longest desktop file and line nook reads; a longer one is refused. */
#define DESKTOP_FILE_MAX (1024 * 1024)
#define DESKTOP_LINE_MAX (64 * 1024)

/* The key nook marks its copies with, in their [Desktop Entry] group. */
#define DESKTOP_MARK_KEY "X-Nook-Integrated"
/* The program a copy was made for (nook integrate PROGRAM). */
#define DESKTOP_PROGRAM_KEY "X-Nook-Program"

/*
 * The programs of the [Desktop Entry] group's Exec and TryExec as they name them (a path or a
 * name; an "env NAME=VALUE..." before the program skipped), pushed on NAMES. Returns 0, or -1 with a message
 * in err when TEXT is no desktop entry nook reads: too long, a control character, a NUL, an
 * Exec it cannot split, no [Desktop Entry] group.
 */
int desktop_entry_programs(const char *text, size_t len, struct strv *names, char *err,
			   size_t errlen);

/*
 * The copy of the desktop entry TEXT that nook integrate PROGRAM writes: every Exec line of
 * [Desktop Entry] and of the [Desktop Action ...] groups starts its program through NOOK (an
 * absolute path), the rest of the line kept as it is (arguments, field codes); "--" after
 * NOOK when the program is a name (it could be one of nook's commands), and --profile=PROFILE
 * when PROFILE is not NULL and the line's program has another base name (nook would choose
 * the profile by that name: an entry of gimp saying Exec=gimp-2.10); the
 * DBusActivatable key dropped (a launcher would start the program by D-Bus, not by Exec);
 * DESKTOP_MARK_KEY=true and DESKTOP_PROGRAM_KEY=PROGRAM added after the [Desktop Entry] line,
 * and a comment naming SOURCE (when it is printable) on top. Every other line stays as it
 * is. Returns the text (to be freed), or NULL with a message in err.
 */
char *desktop_entry_rewrite(const char *text, size_t len, const char *nook, const char *program,
			    const char *profile, const char *source, char *err, size_t errlen);

/*
 * Is TEXT a copy that nook integrate wrote (DESKTOP_MARK_KEY=true in its [Desktop Entry])? Its
 * PROGRAM goes to *program (to be freed; "" when the copy does not name one) when program is
 * not NULL.
 */
bool desktop_entry_is_ours(const char *text, size_t len, char **program);

/*
 * ARG as one argument of an Exec line: quoted as the specification asks when it holds a
 * reserved character, "%" written "%%", then escaped as a desktop file's string value
 * ("\" as "\\"). NULL when it cannot be written (a control character).
 */
char *desktop_exec_quote(const char *arg);

#endif
