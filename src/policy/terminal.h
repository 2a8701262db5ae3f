/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_TERMINAL_H
#define NOOK_POLICY_TERMINAL_H

#include "spec.h"

/* s->terminal and s->pty_fds from --pty and which of nook's fds 0-2 are terminals (bit n). */
void terminal_build(enum pty_choice choice, unsigned tty_fds, struct spec *s);

#endif
