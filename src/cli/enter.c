// SPDX-License-Identifier: GPL-2.0-or-later
/* nook enter: a command in a running sandbox, confined as its PROGRAM is (sandbox/enter.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/named.h"
#include "host/facts.h"
#include "policy/terminal.h"
#include "request/values.h"
#include "sandbox/state.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/sandbox_name.h"

/* How long a sandbox that is being set up is waited for. */
#define STARTING_WAIT_MS 10000

void enter_help(FILE *out)
{
	fputs("Usage: nook enter [--pty=auto|always|never] NAME [--] [COMMAND [ARG...]]\n"
	      "Run COMMAND (default: the sandbox's $SHELL, else /bin/sh) in the running sandbox\n"
	      "NAME, confined exactly as its PROGRAM is: its namespaces, root and working\n"
	      "directory, uid and gid, capabilities, no_new_privs, seccomp filter, rlimits and\n"
	      "environment (nook-enter(1)).\n\n"
	      "Options:\n"
	      "  --pty=auto|always|never  give COMMAND a terminal of the sandbox's own, as\n"
	      "                           nook run --pty does (default auto: when nook has one)\n"
	      "  -h, --help               show this help and exit\n\n"
	      "Exit status: COMMAND's status; 128+N if it died of signal N; 125 if nook failed\n"
	      "(no sandbox NAME); 126 if COMMAND could not be executed; 127 if it was not found.\n",
	      out);
}

/* The caller's own terminals among fds 0-2: what --pty=auto replaces. */
static unsigned tty_fds(void)
{
	unsigned fds = 0;

	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			fds |= 1u << fd;
	return fds;
}

static void sleep_ms(long ms)
{
	struct timespec t = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int state_handle_wait(int dir, const char *name, struct sandbox_handle *h, const char *what)
{
	long deadline = now_ms() + STARTING_WAIT_MS;
	char err[512];

	for (;;) {
		int r = state_connect(dir, name, h, err, sizeof err);

		if (r < 0) {
			warnx_("%s %s: %s", what, name, err);
			return -1;
		}
		if (r != STATE_STARTING)
			return r;
		if (now_ms() >= deadline) {
			warnx_("%s %s: it has not finished starting after %d s", what, name,
			       STARTING_WAIT_MS / 1000);
			return -1;
		}
		sleep_ms(10);
	}
}

int state_dir_for(const char *what, bool quiet_if_none)
{
	autofree char *path = host_state_dir(getuid());
	char err[512];
	int dir;

	if (!path) {
		errno = ENOENT;
		if (!quiet_if_none)
			warnx_("%s: no runtime directory, so no sandbox has a name (XDG_RUNTIME_DIR "
			       "is not set, and /run/user/%u is not the caller's own)",
			       what, (unsigned)getuid());
		return -1;
	}
	dir = state_dir_open(path, false, err, sizeof err);
	if (dir < 0 && (errno != ENOENT || !quiet_if_none))
		warnx_("%s: %s", what, err);
	return dir;
}

int enter_named(int dir, const char *name, const struct strv *argv, enum pty_choice pty)
{
	struct sandbox_handle h;
	struct spec *s;
	int r = state_handle_wait(dir, name, &h, "enter");

	if (r < 0)
		return EXIT_NOOK_FAILED;
	if (r == STATE_GONE)
		return ENTER_NO_SANDBOX;
	s = &h.state.spec;
	strv_free(&s->argv);
	if (argv && argv->n) {
		for (size_t i = 0; i < argv->n; i++)
			strv_push(&s->argv, argv->v[i]);
	} else {
		const char *shell = strv_env_get(&s->env, "SHELL");

		strv_push(&s->argv, shell && shell[0] == '/' ? shell : "/bin/sh");
	}
	/* As the payload's terminal was decided, for this caller's fds. */
	terminal_build(pty, tty_fds(), s);
	r = sandbox_enter(&h);
	sandbox_handle_free(&h);
	return r;
}

int cmd_enter(int argc, char **argv)
{
	enum pty_choice pty = PTY_AUTO;
	struct strv command = {0};
	autoclose int dir = -1;
	const char *name = NULL;
	char err[256];
	int i, r, v;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			enter_help(stdout);
			return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
		}
		if (strncmp(argv[i], "--pty=", 6) == 0 &&
		    parse_enum(pty_choice_names, argv[i] + 6, &v, "mode", err, sizeof err) == 0) {
			pty = (enum pty_choice)v;
			continue;
		}
		if (strncmp(argv[i], "--pty=", 6) == 0) {
			warnx_("enter: --pty: %s", err);
			return EXIT_NOOK_FAILED;
		}
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		{
			autofree char *shown = str_escape(argv[i]);

			warnx_("enter: unknown option '%s' (see 'nook enter --help')", shown);
		}
		return EXIT_NOOK_FAILED;
	}
	if (i >= argc) {
		warnx_("enter: no NAME given (usage: nook enter NAME [--] [COMMAND [ARG...]])");
		return EXIT_NOOK_FAILED;
	}
	name = argv[i++];
	if (!sandbox_name_valid(name)) {
		autofree char *shown = str_escape(name);

		warnx_("enter: '%s' is not a sandbox name (see nook list)", shown);
		return EXIT_NOOK_FAILED;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	for (; i < argc; i++)
		strv_push(&command, argv[i]);
	dir = state_dir_for("enter", true);
	r = dir < 0 && errno != ENOENT ? EXIT_NOOK_FAILED
	    : dir < 0                  ? ENTER_NO_SANDBOX
				       : enter_named(dir, name, &command, pty);
	if (r == ENTER_NO_SANDBOX) {
		warnx_("enter: no sandbox named %s runs (see nook list)", name);
		r = EXIT_NOOK_FAILED;
	}
	strv_free(&command);
	return r;
}
