/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_NAMED_H
#define NOOK_CLI_NAMED_H

/* What list, enter, stop and run's --join-or-start share (cli/enter.c). */

#include <stdbool.h>

#include "sandbox/state.h"
#include "spec.h"
#include "util/strv.h"

/*
 * The caller's state directory, opened for WHAT ("list", ...): its fd; -1 with errno ENOENT
 * when there is none (nothing runs; said unless QUIET_IF_NONE), else -1 after a message.
 */
int state_dir_for(const char *what, bool quiet_if_none);
/*
 * NAME's handles, once it has started (up to 10 s): STATE_RUNNING or STATE_GONE; -1 after a
 * message ("WHAT NAME: why").
 */
int state_handle_wait(int dir, const char *name, struct sandbox_handle *h, const char *what);
/*
 * Run ARGV (none: the sandbox's $SHELL, else /bin/sh) in sandbox NAME, with a terminal as PTY
 * says; its exit status, or ENTER_NO_SANDBOX (nothing said) when NAME does not run.
 */
#define ENTER_NO_SANDBOX (-1)
int enter_named(int dir, const char *name, const struct strv *argv, enum pty_choice pty);

#endif
