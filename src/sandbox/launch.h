/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_LAUNCH_H
#define NOOK_LAUNCH_H

#include <signal.h>
#include <sys/types.h>

#include "spec.h"

/* Execute a spec; returns nook's exit status (the payload's, or 125 when nook failed). */
int sandbox_run(const struct spec *s);

/* Write the uid and gid maps of child's user namespace, as the spec says (userns.c). */
void idmap_write(pid_t child, const struct spec *s);

/* The signals nook passes on to the payload, plus SIGCHLD: blocked, and taken by sigwaitinfo. */
void sandbox_signal_set(sigset_t *set);

#endif
