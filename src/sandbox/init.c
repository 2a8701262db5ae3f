// SPDX-License-Identifier: GPL-2.0-or-later
/* pid 1 of the sandbox: sets it up, starts the payload, reaps, passes signals on. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <grp.h>
#include <unistd.h>

#include <bsd/unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

static int exit_status(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* pid 1 keeps only CAP_KILL (to pass signals to a payload that changed its uid). */
static void harden_self(void)
{
	if (caps_apply(UINT64_C(1) << CAP_KILL, false) < 0)
		die_errno("init: cannot drop capabilities");
	/* Not ptrace-able, and its /proc files not readable, by the payload. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die_errno("init: cannot clear the dumpable flag");
}

/*
 * The payload execs its program only once pid 1 is hardened: until then /proc/1/status shows
 * pid 1's full capability sets. A word of memory shared until that exec, waited on with a
 * futex: no descriptor to keep through the payload's closefrom, and no wait at all when pid 1
 * is done first.
 */
static _Atomic uint32_t *hardened;

static void hardened_init(void)
{
	void *p = mmap(NULL, sizeof *hardened, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED)
		die_errno("init: mmap");
	hardened = p;
}

static void hardened_done(void)
{
	atomic_store(hardened, 1);
	syscall(SYS_futex, hardened, FUTEX_WAKE, 1, NULL, NULL, 0);
}

void init_wait_hardened(void)
{
	while (atomic_load(hardened) == 0)
		syscall(SYS_futex, hardened, FUTEX_WAIT, 0, NULL, NULL, 0);
}

/*
 * Whatever the caller leaked to nook stays out of the sandbox: only the sockets to nook stay,
 * the pty's (if any) at fd 3, then the traces' (moved to 4 or 3), then the monitor's
 * readiness (if any), then a named overlay's lock, then the payload's end of a named
 * sandbox's report socket (sandbox/state.c), then where the payload's status goes.
 */
static int close_inherited(int keep, int *traces_sock, int *monitor_ready, int *status_fd)
{
	int next, after, parked = fcntl(*status_fd, F_DUPFD_CLOEXEC, 10);

	if (parked < 0)
		die_errno("init: fcntl");
	close(*status_fd);
	overlay_lock_park();
	state_report_park();
	/* Out of the way of the fixed fds, as the two above. */
	if (*monitor_ready >= 0) {
		int fd = fcntl(*monitor_ready, F_DUPFD_CLOEXEC, 10);

		if (fd < 0)
			die_errno("init: fcntl");
		close(*monitor_ready);
		*monitor_ready = fd;
	}
	if (keep >= 0 && keep != STDERR_FILENO + 1) {
		if (*traces_sock == STDERR_FILENO + 1)
			*traces_sock = fcntl(*traces_sock, F_DUPFD_CLOEXEC, 10);
		if (dup3(keep, STDERR_FILENO + 1, O_CLOEXEC) < 0)
			die_errno("init: dup3");
		if (keep <= STDERR_FILENO)
			close(keep);
		keep = STDERR_FILENO + 1;
	}
	next = keep >= 0 ? keep + 1 : STDERR_FILENO + 1;
	if (*traces_sock != next) {
		if (*traces_sock < 0 || dup3(*traces_sock, next, O_CLOEXEC) < 0)
			die_errno("init: dup3");
		*traces_sock = next;
	}
	after = next + 1;
	if (*monitor_ready >= 0) {
		if (dup3(*monitor_ready, after, O_CLOEXEC) < 0)
			die_errno("init: dup3");
		close(*monitor_ready);
		*monitor_ready = after++;
	}
	after = state_report_keep(overlay_lock_keep(after));
	if (dup3(parked, after, O_CLOEXEC) < 0)
		die_errno("init: dup3");
	*status_fd = after;
	closefrom(after + 1);
	return keep;
}

/*
 * The payload ended with STATUS: the rest of the sandbox goes (pid 1 is its reaper: nothing
 * of it runs once wait says ECHILD), then the monitor hears the status, and nook can return
 * while the kernel still tears down the namespaces in pid 1's exit. Everything else pid 1
 * holds is closed first, so that the monitor sees the pty's and the sockets' ends as well.
 */
static noreturn void finish(int status, int status_fd)
{
	int code = exit_status(status);

	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	if (status_fd > 0)
		close_range(0, (unsigned)status_fd - 1, 0);
	close_range((unsigned)status_fd + 1, ~0u, 0);
	(void)!write(status_fd, &code, sizeof code);
	_exit(code);
}

noreturn void init_main(const struct spec *s, const struct sock_fprog *filter,
			const struct pty_term *term, int pty_sock, int traces_sock,
			int monitor_ready, int status_fd)
{
	sigset_t set;
	pid_t payload;
	int master = -1, slave = -1;
	char up;

	pty_sock = close_inherited(pty_sock, &traces_sock, &monitor_ready, &status_fd);
	traces_host_begin(traces_sock);
	mounts_build(s);
	/* Each trace went to the monitor (and its guard) as it was made. */
	traces_host_end();
	/*
	 * A container's filter may refuse sethostname (podman's does): the name is the
	 * sandbox's label, nothing guards on it, so the sandbox keeps the container's.
	 */
	if ((s->clone_flags & CLONE_NEWUTS) && sethostname(s->hostname, strlen(s->hostname)) < 0) {
		if (errno != EPERM)
			die_errno("cannot set the host name");
		warnx_("warning: cannot set the host name to %s (the container around nook refuses "
		       "sethostname): the sandbox keeps the container's",
		       s->hostname);
	}
	if (s->clone_flags & CLONE_NEWNET)
		net_loopback_up();
	/*
	 * The monitor's work while the mounts were made is done: slirp4netns or pasta is up, a
	 * generated name's namespaces are held (not once pid 1 is no longer dumpable). EOF: it
	 * failed, and said so.
	 */
	if (monitor_ready >= 0) {
		if (read(monitor_ready, &up, 1) != 1)
			_exit(EXIT_NOOK_FAILED);
		close(monitor_ready);
	}
	/*
	 * pasta, told not to map 10.0.2.2 to the host's loopback, would connect to whatever has
	 * that address out there: nothing goes there, as with slirp4netns.
	 */
	if (s->net.mode == NET_PASTA && !s->net.host_loopback)
		net_reject_route(SLIRP_GATEWAY_ADDR);
	/* The caller's supplementary groups (docker, libvirt, ...) are keys to the host. */
	if (s->drop_groups && setgroups(0, NULL) < 0)
		die_errno("cannot drop the supplementary groups");
	/* The whole sandbox out of the caller's session: its terminal's signals stay outside. */
	if (s->terminal != TERMINAL_INHERIT && setsid() < 0)
		die_errno("init: cannot start a session");
	if (s->terminal == TERMINAL_PTY)
		pty_open(term, pty_sock, &master, &slave);

	/*
	 * One filter for pid 1 and the payload: loaded before the fork, so the kernel prepares
	 * it once. What the payload does after the fork (dropping capabilities, limits, exec)
	 * is all allowed by it; so is what pid 1 does.
	 */
	if (no_new_privs() < 0)
		die_errno("init: cannot set no_new_privs");
	seccomp_install(filter);

	hardened_init();
	payload = fork();
	if (payload < 0)
		die_errno("cannot start the payload");
	if (payload == 0) {
		state_report_payload();
		pty_payload(s, master, slave);
		exec_payload(s);
	}
	state_report_close();
	if (s->terminal == TERMINAL_PTY)
		pty_init_fds(s, master, slave);

	harden_self();
	hardened_done();
	sandbox_signal_set(&set);
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&set, &si);
		int status;
		pid_t p;

		if (sig < 0)
			continue;
		if (sig == SIGCHLD) {
			/* Orphans are reparented to us; reap them all. The payload's end is ours. */
			while ((p = waitpid(-1, &status, WNOHANG)) > 0)
				if (p == payload)
					finish(status, status_fd);
			continue;
		}
		/* The terminal delivered it to the payload's process group already. */
		if (si.si_code == SI_KERNEL)
			continue;
		kill(payload, sig);
	}
}
