// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook oci exec: a new process in a running OCI container, confined as the container's own
 * process is (oci_launch.c). A helper joins its namespaces through a pidfd of that process,
 * all in one setns but the mount namespace, and forks the process, which joins that one too
 * (joining the pid namespace takes the fork); the helper reports its pid and exits, so that
 * it is re-parented to the engine's subreaper (conmon), or to nook oci exec when it waits.
 * nook oci exec itself stays where it was: its files (the pid file) are the caller's, its
 * capabilities are what the caller gave it, and LeakSanitizer, which traces its own process
 * at exit, works. The process takes the container's steps from the spec (supplementary
 * groups, terminal or session, umask, no_new_privs, the filter) and exec.c's (working
 * directory, user, capabilities, rlimits, Landlock, W^X).
 */
#include "sandbox/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/fsutil.h"

static const struct {
	const char *name;
	int flag;
} ns_files[] = {
	{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},  {"pid", CLONE_NEWPID},
	{"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS}, {"net", CLONE_NEWNET},
	{"cgroup", CLONE_NEWCGROUP},
};

/*
 * The namespaces of PID that are not this process's. Those it shares are left alone: setns
 * refuses the caller's own user namespace, and a rootless engine runs the runtime in the
 * user namespace its containers have.
 */
static int namespaces_of(pid_t pid)
{
	int flags = 0;

	for (size_t i = 0; i < sizeof ns_files / sizeof ns_files[0]; i++) {
		char path[64];
		struct stat theirs, ours;

		snprintf(path, sizeof path, "/proc/%ld/ns/%s", (long)pid, ns_files[i].name);
		if (stat(path, &theirs) < 0)
			die_errno("the container's %s namespace", ns_files[i].name);
		snprintf(path, sizeof path, "/proc/self/ns/%s", ns_files[i].name);
		if (stat(path, &ours) < 0)
			die_errno("%s", path);
		if (theirs.st_ino != ours.st_ino || theirs.st_dev != ours.st_dev)
			flags |= ns_files[i].flag;
	}
	return flags;
}

static noreturn void exec_child(const struct spec *s, int container, int console, int ready,
				unsigned preserve, const struct oci_filters *filters)
{
	cleanup_forget_all();
	/* The first PRESERVE after 2 stay (--preserve-fds). */
	close_fds_but(STDERR_FILENO + 1 + preserve, (const int[]){container, console, ready}, 3);
	/* Its root and working directory are now the container's root. */
	if (setns(container, CLONE_NEWNS) < 0)
		die_errno("cannot join the container's mount namespace");
	close(container);
	if (s->drop_groups && setgroups(0, NULL) < 0)
		die_errno("cannot drop the supplementary groups");
	if (s->terminal == TERMINAL_PTY)
		oci_console_open(s, console);
	else if (setsid() < 0)
		die_errno("cannot start a session");
	umask(s->oci.umask);
	if (s->oci.oom_score_adj_set)
		write_oom_score_adj(s->oci.oom_score_adj);
	oci_confine(s, filters);
	/* The pipe is close-on-exec: the byte is all the caller reads. */
	if (write(ready, &(char){1}, 1) != 1)
		_exit(EXIT_NOOK_FAILED);
	payload_exec(s);
}

pid_t oci_exec_start(const struct spec *s, pid_t container_pid, int container, int console,
		     unsigned preserve, bool wait)
{
	struct oci_filters filters;
	int ready[2], report[2], flags;
	sigset_t set;
	pid_t helper, pid = -1;
	ssize_t n;
	char b;

	flags = namespaces_of(container_pid);
	if (!(flags & CLONE_NEWNS))
		die("the container shares the caller's mount namespace: nothing to exec into");
	oci_filters_compile(s, &filters);
	/* Taken by oci_exec_wait: blocked before the fork, so that none is missed. */
	sandbox_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("sigprocmask");
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(report, O_CLOEXEC) < 0)
		die_errno("pipe");
	/* The process is re-parented to this one when the helper exits: it is waited for here. */
	if (wait && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		die_errno("prctl(PR_SET_CHILD_SUBREAPER)");
	helper = fork();
	if (helper < 0)
		die_errno("fork");
	if (helper == 0) {
		cleanup_forget_all();
		close(ready[0]);
		close(report[0]);
		/*
		 * Not dumpable before the container's user namespace is joined: until its exec
		 * (which makes it dumpable again) the process holds fds of the caller's, which no
		 * process of the container may take through ptrace or /proc/PID/fd, whatever
		 * capabilities it has there.
		 */
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
			die_errno("prctl(PR_SET_DUMPABLE)");
		if (setns(container, flags & ~CLONE_NEWNS) < 0)
			die_errno("cannot join the container's namespaces");
		pid = fork();
		if (pid < 0)
			die_errno("fork");
		if (pid == 0) {
			close(report[1]);
			exec_child(s, container, console, ready[1], preserve, &filters);
		}
		/* _exit: nothing of this process's is to be flushed or checked in there. */
		_exit(write(report[1], &pid, sizeof pid) == sizeof pid ? 0 : EXIT_NOOK_FAILED);
	}
	close(ready[1]);
	close(report[1]);
	oci_filters_free(&filters);
	n = read(report[0], &pid, sizeof pid);
	close(report[0]);
	while (waitpid(helper, NULL, 0) < 0 && errno == EINTR)
		;
	if (n != sizeof pid)
		return -1;
	/* One byte: set up, and at its exec. EOF before: it failed, and said why. */
	while ((n = read(ready[0], &b, 1)) < 0 && errno == EINTR)
		;
	close(ready[0]);
	if (n != 1) {
		if (wait)
			waitpid(pid, NULL, 0);
		return -1;
	}
	return pid;
}

void oci_wait_block(void)
{
	sigset_t set;

	sandbox_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("sigprocmask");
}

int oci_exec_wait(pid_t pid)
{
	autoclose int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	autoclose int sfd = -1;
	sigset_t set;

	sandbox_signal_set(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	if (sfd < 0 || pidfd < 0)
		die_errno("cannot wait for the process");
	for (;;) {
		struct signalfd_siginfo si;
		int status;

		if (read(sfd, &si, sizeof si) != sizeof si) {
			if (errno == EINTR)
				continue;
			die_errno("cannot wait for the process");
		}
		if (si.ssi_signo != SIGCHLD) {
			/* What the caller is sent, the process gets: conmon's stop, a ^C. */
			syscall(SYS_pidfd_send_signal, pidfd, (int)si.ssi_signo, NULL, 0);
			continue;
		}
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
}
