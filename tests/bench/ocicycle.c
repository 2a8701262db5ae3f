// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ocicycle: one container's life through an OCI runtime, as conmon drives it, with nothing
 * of an engine around it, for tests/bench/oci to time under runbench.
 *
 *   ocicycle [-t TIMES] PIDFILE CREATE-COMMAND... -- START-COMMAND... -- DELETE-COMMAND...
 *
 * It becomes a child subreaper, runs the create command (which must write PIDFILE and exit;
 * the container's process is then re-parented to this one, as to conmon), runs the start
 * command, waits for the container's process and runs the delete command. Every step must
 * succeed (the container's process too must exit 0): anything else is one line on stderr and
 * exit status 1, which runbench reports as a failed run. The commands are executed from
 * their argv arrays, never through a shell; their stdio are this process's.
 *
 * With -t, one line "CREATE START WAIT DELETE" (ms, wall time of each step) is appended to
 * TIMES for each cycle, so that the script can say where the time goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* One line "ocicycle: WHAT[: strerror(ERR)]" and exit status 1. */
__attribute__((format(printf, 2, 3))) static void fail(int err, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (err)
		fprintf(stderr, "ocicycle: %s: %s\n", what, strerror(err));
	else
		fprintf(stderr, "ocicycle: %s\n", what);
	exit(1);
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The container's process, once known, and its status once reaped: it may end (true does)
 * while this process still waits for the start command. */
static pid_t container;
static int container_status;
static int container_reaped;

/* Wait for PID; every other child (the runtime's helpers re-parented to this subreaper, the
 * container's process) is reaped on the way. Returns PID's wait status. */
static int wait_for(pid_t pid)
{
	if (pid == container && container_reaped)
		return container_status;
	for (;;) {
		int st;
		pid_t got = waitpid(-1, &st, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			fail(errno, "waiting for the %s's process",
			     pid == container ? "container" : "runtime");
		}
		if (got == container) {
			container_status = st;
			container_reaped = 1;
		}
		if (got == pid)
			return st;
	}
}

/* Run ARGV (NULL-terminated) and require exit status 0. */
static void run(char **argv, const char *step)
{
	pid_t pid = fork();
	if (pid < 0)
		fail(errno, "fork for %s", step);
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "ocicycle: executing %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int st = wait_for(pid);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail(0, "the %s command failed", step);
}

static pid_t read_pid(const char *file)
{
	char buf[32];
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail(errno, "opening the pid file %s", file);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		fail(n < 0 ? errno : 0, "reading the pid file %s", file);
	buf[n] = '\0';
	char *end;
	long pid = strtol(buf, &end, 10);
	if (pid <= 0 || (*end != '\0' && *end != '\n'))
		fail(0, "no pid in %s", file);
	return (pid_t)pid;
}

int main(int argc, char **argv)
{
	const char *times = NULL;
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-t") == 0) {
		times = argv[i + 1];
		i += 2;
	}
	if (argc - i < 6) {
		fputs("usage: ocicycle [-t TIMES] PIDFILE CREATE... -- START... -- DELETE...\n",
		      stderr);
		return 1;
	}
	const char *pidfile = argv[i++];
	/* The three commands: argv cut at the two "--" in place. */
	char **cmd[3];
	int k = 0;
	cmd[k++] = &argv[i];
	for (; i < argc && k < 3; i++) {
		if (strcmp(argv[i], "--") == 0) {
			argv[i] = NULL;
			cmd[k++] = &argv[i + 1];
		}
	}
	if (k != 3 || !cmd[1][0] || !cmd[2][0] || !cmd[0][0])
		fail(0, "usage: ocicycle [-t TIMES] PIDFILE CREATE... -- START... -- DELETE...");

	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		fail(errno, "prctl(PR_SET_CHILD_SUBREAPER)");
	if (unlink(pidfile) < 0 && errno != ENOENT)
		fail(errno, "removing the old pid file %s", pidfile);

	double t0 = now_ms();
	run(cmd[0], "create");
	container = read_pid(pidfile);
	double t1 = now_ms();
	run(cmd[1], "start");
	double t2 = now_ms();
	int st = wait_for(container);
	double t3 = now_ms();
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		run(cmd[2], "delete");
		fail(0, "the container's process %s",
		     WIFEXITED(st) ? "exited non-zero" : "was killed");
	}
	run(cmd[2], "delete");
	double t4 = now_ms();

	if (times) {
		FILE *f = fopen(times, "ae");
		if (!f)
			fail(errno, "opening %s", times);
		fprintf(f, "%.3f %.3f %.3f %.3f\n", t1 - t0, t2 - t1, t3 - t2, t4 - t3);
		if (fclose(f) != 0)
			fail(errno, "writing %s", times);
	}
	return 0;
}
