// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook enter: a new process in a running sandbox, confined as its payload is. The namespaces
 * come from the sandbox's keeper (sandbox/keeper.c), which opened them while pid 1 was still
 * joinable; joining the pid namespace takes a fork, so the process that enters is this one's
 * child, and this one waits for it, relaying its terminal and passing signals on, as the
 * monitor does for the payload. The child takes the same steps as pid 1 and the payload:
 * supplementary groups dropped, the pty of the sandbox's own devpts, no_new_privs and the
 * payload's seccomp filter (the same instructions), then exec.c's steps (working directory,
 * --user, capabilities, rlimits, Landlock, W^X) and the spec's environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsd/unistd.h>

#include "sandbox/internal.h"
#include "sandbox/state.h"
#include "util/err.h"

/* The user namespace first: it gives the rights the others need. The mount one last. */
static void join_namespaces(const struct sandbox_handle *h)
{
	static const int order[] = {CLONE_NEWUSER, CLONE_NEWIPC,    CLONE_NEWUTS, CLONE_NEWNET,
				    CLONE_NEWPID,  CLONE_NEWCGROUP, CLONE_NEWNS};

	for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
		int i = 0;

		for (const struct enum_name *e = namespace_names; e->name && i < STATE_NS_MAX;
		     e++, i++) {
			if (e->value != order[k] || h->ns[i] < 0)
				continue;
			if (setns(h->ns[i], e->value) < 0)
				die_errno("enter %s: cannot join its %s namespace", h->state.name,
					  e->name);
		}
	}
}

/* The process in the sandbox: pid 1's steps for the payload, then the payload's own. */
static noreturn void entered(struct sandbox_handle *h, const struct pty_term *term, int pty_sock,
			     int alive)
{
	const struct spec *s = &h->state.spec;
	struct sock_fprog filter = {.len = h->filter_len, .filter = h->filter};
	struct pollfd p = {.fd = alive, .events = POLLIN};
	int master = -1, slave = -1;

	cleanup_forget_all();
	if (s->drop_groups && setgroups(0, NULL) < 0)
		die_errno("cannot drop the supplementary groups");
	if (s->terminal == TERMINAL_PTY)
		pty_open(term, pty_sock, &master, &slave);
	if (no_new_privs() < 0)
		die_errno("cannot set no_new_privs");
	seccomp_install(&filter);
	pty_payload(s, master, slave);
	payload_confine(s);
	/* It goes with nook enter, as a payload goes with nook run (set after --user's setuid). */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || poll(&p, 1, 0) != 0)
		_exit(EXIT_NOOK_FAILED);
	closefrom(STDERR_FILENO + 1);
	payload_exec(s);
}

/* Wait for the entered process, as the monitor waits for pid 1. Returns the exit status. */
static int wait_entered(pid_t child, int pidfd, const struct spec *s, const sigset_t *set,
			struct pty_relay *relay)
{
	autoclose int sfd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);

	if (sfd < 0)
		die_errno("signalfd");
	for (;;) {
		struct pollfd p[1 + PTY_RELAY_FDS] = {{.fd = sfd, .events = POLLIN}};
		int timeout = relay ? pty_relay_poll(relay, p + 1) : -1;
		struct signalfd_siginfo si;

		if (poll(p, relay ? 1 + PTY_RELAY_FDS : 1, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("waiting for the entered process");
		}
		if (relay)
			pty_relay_io(relay, p + 1);
		if (!p[0].revents)
			continue;
		while (read(sfd, &si, sizeof si) == sizeof si) {
			int sig = (int)si.ssi_signo;
			int status;

			if (sig == SIGCHLD) {
				if (waitpid(child, &status, WNOHANG) != child)
					continue;
				return WIFEXITED(status) ? WEXITSTATUS(status)
							 : 128 + WTERMSIG(status);
			}
			if (relay && pty_relay_signal(relay, sig))
				continue;
			/* From the terminal, to its foreground group: the process has it already. */
			if (s->terminal == TERMINAL_INHERIT && si.ssi_code == SI_KERNEL)
				continue;
			syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
		}
	}
}

int sandbox_enter(struct sandbox_handle *h)
{
	const struct spec *s = &h->state.spec;
	int pty_sock[2] = {-1, -1}, alive[2];
	struct pty_relay *relay = NULL;
	struct pty_term term;
	autoclose int pidfd = -1;
	sigset_t set;
	pid_t child;
	int status;

	pty_capture(s, &term);
	if (s->terminal == TERMINAL_PTY &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pty_sock) < 0)
		die_errno("socketpair");
	/* Its end closes when nook enter ends, however: the entered process then goes too. */
	if (pipe2(alive, O_CLOEXEC) < 0)
		die_errno("pipe");
	sandbox_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("sigprocmask");
	join_namespaces(h);
	child = fork();
	if (child < 0)
		die_errno("enter %s: fork", h->state.name);
	if (child == 0) {
		close(alive[1]);
		if (pty_sock[0] >= 0)
			close(pty_sock[0]);
		entered(h, &term, pty_sock[1], alive[0]);
	}
	close(alive[0]);
	if (pty_sock[1] >= 0)
		close(pty_sock[1]);
	pidfd = (int)syscall(SYS_pidfd_open, child, 0);
	/*
	 * This process is in the sandbox's user namespace now, with every capability there, and
	 * stays out of its pid namespace, where nothing can name it. It keeps CAP_KILL, for a
	 * process that --user made another uid, and is no more dumpable than pid 1.
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 ||
	    caps_apply(UINT64_C(1) << CAP_KILL, false) < 0)
		die_errno("enter %s: cannot drop the capabilities of nook enter", h->state.name);
	if (s->terminal == TERMINAL_PTY)
		relay = pty_relay_new(s, pty_sock[0], &set);
	status = wait_entered(child, pidfd, s, &set, relay);
	if (relay)
		pty_relay_finish(relay);
	close(alive[1]);
	return status;
}
