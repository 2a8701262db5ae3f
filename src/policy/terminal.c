// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/terminal.h"

/*
 * A program that shares the caller's terminal can type into it (TIOCSTI), take its foreground
 * (tcsetpgrp) and read what the user types next at the shell, or change its modes and line
 * discipline; one that only has it as stdout can still read from it (terminals are opened
 * read-write). So by default no terminal of the caller's is handed in: each one among fds
 * 0-2 is replaced by a pty of the sandbox's own devpts, which nook relays, and without any
 * the payload still gets a session of its own, so that it has no controlling terminal.
 * A pipe or a file stays what it is: `nook run ls | grep x` must see a pipe, not a pty.
 */
void terminal_build(enum pty_choice choice, unsigned tty_fds, struct spec *s)
{
	const unsigned all = 1u << 0 | 1u << 1 | 1u << 2;

	s->pty_fds = 0;
	switch (choice) {
	case PTY_ALWAYS:
		s->terminal = TERMINAL_PTY;
		s->pty_fds = all;
		return;
	case PTY_NEVER:
		s->terminal = tty_fds & 1u ? TERMINAL_INHERIT : TERMINAL_NEW_SESSION;
		return;
	case PTY_AUTO:
		break;
	}
	s->pty_fds = tty_fds & all;
	s->terminal = s->pty_fds ? TERMINAL_PTY : TERMINAL_NEW_SESSION;
}
