// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook stop: SIGTERM to a sandbox's pid 1 (which passes it to PROGRAM), SIGKILL after the
 * timeout, then the wait until its nook run, which ends last of all that is the sandbox's
 * (PROGRAM, fuse-overlayfs, slirp4netns or pasta, xdg-dbus-proxy), has exited. By the pidfds
 * its keeper hands out: never a pid that another process could have by now.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/named.h"
#include "sandbox/state.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/sandbox_name.h"

#define DEFAULT_TIMEOUT 10
/* After SIGKILL, and for nook run to finish: what it takes, or something is wrong. */
#define KILL_WAIT_MS 10000
#define MONITOR_WAIT_MS 30000

void stop_help(FILE *out)
{
	fputs("Usage: nook stop [--timeout=SECONDS] NAME...\n"
	      "Stop the running sandbox NAME: SIGTERM to its pid 1, which passes it on to its\n"
	      "PROGRAM, then SIGKILL to the whole sandbox if it still runs after SECONDS\n"
	      "(default 10; 0: at once). Returns once everything of the sandbox is gone: its\n"
	      "processes, fuse-overlayfs, slirp4netns or pasta, xdg-dbus-proxy and its nook run\n"
	      "(nook-stop(1)).\n\n"
	      "Options:\n"
	      "  --timeout=SECONDS  how long PROGRAM has to end after SIGTERM (default 10)\n"
	      "  -h, --help         show this help and exit\n\n"
	      "Exit status: 0 when every NAME is gone; 125 on a bad argument, a NAME that does\n"
	      "not run, or a sandbox that could not be stopped.\n",
	      out);
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* Wait until the process of PIDFD has ended, until DEADLINE (ms). True if it has. */
static bool wait_gone(int pidfd, int64_t deadline)
{
	for (;;) {
		struct pollfd p = {.fd = pidfd, .events = POLLIN};
		int64_t left = deadline - now_ms();
		int r;

		if (left < 0)
			left = 0;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return true;
		if (r == 0)
			return false;
		if (errno != EINTR)
			return false;
	}
}

static int parse_timeout(const char *v, unsigned *out)
{
	char *end;
	unsigned long n;

	if (v[0] < '0' || v[0] > '9')
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || (*end && strcmp(end, "s") != 0) || n > 86400)
		return -1;
	*out = (unsigned)n;
	return 0;
}

int cmd_stop(int argc, char **argv)
{
	unsigned timeout = DEFAULT_TIMEOUT;
	struct strv names = {0};
	struct sandbox_handle *h;
	int *orphans; /* nook runs whose keeper is gone, by pidfd; -1: it has its keeper */
	autoclose int dir = -1;
	int64_t deadline;
	int r = 0;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			stop_help(stdout);
			strv_free(&names);
			return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
		}
		if (strncmp(a, "--timeout=", 10) == 0 && parse_timeout(a + 10, &timeout) == 0)
			continue;
		if (strcmp(a, "--timeout") == 0 && i + 1 < argc &&
		    parse_timeout(argv[i + 1], &timeout) == 0) {
			i++;
			continue;
		}
		if (strncmp(a, "--timeout", 9) == 0) {
			autofree char *shown = str_escape(a);

			warnx_("stop: '%s': the timeout is a whole number of seconds, 0 to 86400",
			       shown);
			strv_free(&names);
			return EXIT_NOOK_FAILED;
		}
		if (!sandbox_name_valid(a)) {
			autofree char *shown = str_escape(a);

			warnx_("stop: '%s' is not a sandbox name (see nook list)", shown);
			strv_free(&names);
			return EXIT_NOOK_FAILED;
		}
		strv_push(&names, a);
	}
	if (names.n == 0) {
		warnx_("stop: no NAME given (usage: nook stop [--timeout=SECONDS] NAME...)");
		return EXIT_NOOK_FAILED;
	}
	dir = state_dir_for("stop", true);
	h = xcalloc(names.n, sizeof *h);
	orphans = xcalloc(names.n, sizeof *orphans);
	/* SIGTERM to each first: they end side by side, within one timeout. */
	for (size_t i = 0; i < names.n; i++) {
		int s = STATE_GONE;

		h[i].init_pidfd = h[i].monitor_pidfd = -1;
		orphans[i] = dir >= 0 ? state_orphan_monitor(dir, names.v[i]) : -1;
		if (orphans[i] >= 0) {
			/* Its keeper is gone: its nook run passes SIGTERM on to pid 1. */
			if (syscall(SYS_pidfd_send_signal, orphans[i], SIGTERM, NULL, 0) < 0 &&
			    errno != ESRCH) {
				warn_errno("stop %s: cannot signal its nook run", names.v[i]);
				r = EXIT_NOOK_FAILED;
			}
			continue;
		}
		if (dir >= 0)
			s = state_handle_wait(dir, names.v[i], &h[i], "stop");
		if (s == STATE_GONE)
			warnx_("stop: no sandbox named %s runs (see nook list)", names.v[i]);
		if (s != STATE_RUNNING) {
			h[i].init_pidfd = -1;
			r = EXIT_NOOK_FAILED;
			continue;
		}
		if (syscall(SYS_pidfd_send_signal, h[i].init_pidfd, SIGTERM, NULL, 0) < 0 &&
		    errno != ESRCH) {
			warn_errno("stop %s: cannot signal its pid 1", names.v[i]);
			r = EXIT_NOOK_FAILED;
		}
	}
	deadline = now_ms() + (int64_t)timeout * 1000;
	for (size_t i = 0; i < names.n; i++) {
		if (orphans[i] >= 0) {
			/* nook run killed: its pid 1 dies with it (PDEATHSIG), and the sandbox too. */
			if (!wait_gone(orphans[i], deadline)) {
				syscall(SYS_pidfd_send_signal, orphans[i], SIGKILL, NULL, 0);
				if (!wait_gone(orphans[i], now_ms() + KILL_WAIT_MS)) {
					warnx_("stop %s: its nook run still runs after SIGKILL",
					       names.v[i]);
					r = EXIT_NOOK_FAILED;
				}
			}
			close(orphans[i]);
			continue;
		}
		if (h[i].init_pidfd < 0)
			continue;
		if (!wait_gone(h[i].init_pidfd, deadline)) {
			/* pid 1 of its pid namespace: with it goes everything in the sandbox. */
			syscall(SYS_pidfd_send_signal, h[i].init_pidfd, SIGKILL, NULL, 0);
			if (!wait_gone(h[i].init_pidfd, now_ms() + KILL_WAIT_MS)) {
				warnx_("stop %s: its pid 1 still runs after SIGKILL", names.v[i]);
				r = EXIT_NOOK_FAILED;
				continue;
			}
		}
		if (!wait_gone(h[i].monitor_pidfd, now_ms() + MONITOR_WAIT_MS)) {
			warnx_("stop %s: the sandbox is gone, but its nook run (pid %ld) still runs",
			       names.v[i], (long)h[i].state.procs[STATE_MONITOR].pid);
			r = EXIT_NOOK_FAILED;
		}
	}
	for (size_t i = 0; i < names.n; i++)
		if (h[i].init_pidfd >= 0)
			sandbox_handle_free(&h[i]);
	free(h);
	free(orphans);
	strv_free(&names);
	return r;
}
