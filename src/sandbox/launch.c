// SPDX-License-Identifier: GPL-2.0-or-later
/* The monitor: nook's process outside the sandbox. */
#include "sandbox/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/fsutil.h"

static const int forwarded_signals[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

void sandbox_signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	for (size_t i = 0; i < sizeof forwarded_signals / sizeof forwarded_signals[0]; i++)
		sigaddset(set, forwarded_signals[i]);
}

/* Not in glibc 2.36's headers as a type; the kernel's layout (v0, 64 bytes). */
struct clone_args_v0 {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
};

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

static int child_pidfd = -1;

static void kill_child(void *arg)
{
	(void)arg;
	if (child_pidfd >= 0)
		syscall(SYS_pidfd_send_signal, child_pidfd, SIGKILL, NULL, 0);
	/* Reap it, so nothing is left when nook exits. */
	while (wait(NULL) > 0 || errno == EINTR)
		;
}

/*
 * clone3, or clone where clone3 gives ENOSYS: an outer sandbox's filter does that (nook's own
 * does, since clone3's flags are in memory a filter cannot read), and so do older kernels.
 * clone with the same flags, no new stack and SIGCHLD returns twice like fork; CLONE_PIDFD
 * works there too, the pidfd coming back through the parent_tid argument.
 */
pid_t clone_sandbox(uint64_t flags, int *pidfd)
{
	struct clone_args_v0 args = {
		.flags = flags | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);

	if (pid >= 0 || errno != ENOSYS)
		return pid;
#if defined(__s390x__) || defined(__s390__) || defined(__CRIS__)
	/* These take the stack first and the flags second. */
	return (pid_t)syscall(SYS_clone, (long)0, (long)(flags | CLONE_PIDFD | SIGCHLD), pidfd,
			      NULL, 0L);
#else
	return (pid_t)syscall(SYS_clone, (long)(flags | CLONE_PIDFD | SIGCHLD), (long)0, pidfd,
			      NULL, 0L);
#endif
}

static noreturn void clone_failed(void)
{
	if (errno == EPERM || errno == ENOSPC || errno == EUSERS)
		die_hint("check that unprivileged user namespaces are allowed: nook doctor",
			 "cannot create the sandbox's namespaces: %s", strerror(errno));
	die_errno("cannot create the sandbox's namespaces");
}

/* A timer that fires once, SECONDS from now; -1 (no fd) for none. */
static int timer_start(unsigned seconds)
{
	struct itimerspec when = {.it_value = {.tv_sec = (time_t)seconds}};
	int fd;

	if (!seconds)
		return -1;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0 || timerfd_settime(fd, 0, &when, NULL) < 0)
		die_errno("--timeout: cannot start the timer");
	return fd;
}

/*
 * --timeout ran out: SIGTERM to the sandbox (pid 1 passes it to the payload), and the timer
 * set again for the SIGKILL that ends it all. Returns true once the timer has fired.
 */
static bool timer_fired(int tfd, bool *killing)
{
	struct itimerspec grace = {.it_value = {.tv_sec = SPEC_TIMEOUT_GRACE}};
	uint64_t n;

	if (read(tfd, &n, sizeof n) != sizeof n)
		return false;
	if (*killing) {
		syscall(SYS_pidfd_send_signal, child_pidfd, SIGKILL, NULL, 0);
		return true;
	}
	*killing = true;
	syscall(SYS_pidfd_send_signal, child_pidfd, SIGTERM, NULL, 0);
	if (timerfd_settime(tfd, 0, &grace, NULL) < 0)
		syscall(SYS_pidfd_send_signal, child_pidfd, SIGKILL, NULL, 0);
	return true;
}

/* Wait for the child, passing signals on and relaying its pty. Returns nook's exit status. */
static int monitor(pid_t child, const struct spec *s, const sigset_t *set, struct pty_relay *relay)
{
	autoclose int sfd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
	autoclose int tfd = timer_start(s->timeout);
	bool timed_out = false, killing = false;

	if (sfd < 0)
		die_errno("signalfd");
	for (;;) {
		/* The timer's slot polls nothing (fd -1) without --timeout. */
		struct pollfd p[2 + PTY_RELAY_FDS] = {{.fd = sfd, .events = POLLIN},
						      {.fd = tfd, .events = POLLIN}};
		int timeout = relay ? pty_relay_poll(relay, p + 2) : -1;
		struct signalfd_siginfo si;

		if (poll(p, relay ? 2 + PTY_RELAY_FDS : 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("waiting for the sandbox");
		}
		if (relay)
			pty_relay_io(relay, p + 2);
		if (p[1].revents && timer_fired(tfd, &killing))
			timed_out = true;
		if (!p[0].revents)
			continue;
		while (read(sfd, &si, sizeof si) == sizeof si) {
			int sig = (int)si.ssi_signo;
			int status;

			if (sig == SIGCHLD) {
				if (waitpid(child, &status, WNOHANG) != child)
					continue;
				if (timed_out)
					return EXIT_TIMED_OUT;
				return WIFEXITED(status) ? WEXITSTATUS(status)
							 : 128 + WTERMSIG(status);
				continue;
			}
			if (relay && pty_relay_signal(relay, sig))
				continue;
			/*
			 * A signal from the terminal (^C, ^\, a resize) went to the whole foreground
			 * process group: with the caller's terminal inherited, the payload's too,
			 * and passing it on would deliver it twice. In a session of its own, the
			 * payload got nothing.
			 */
			if (s->terminal == TERMINAL_INHERIT && si.ssi_code == SI_KERNEL)
				continue;
			syscall(SYS_pidfd_send_signal, child_pidfd, sig, NULL, 0);
		}
	}
}

/* A tap device served by a helper the monitor starts: slirp4netns or pasta. */
static bool user_mode_net(const struct spec *s)
{
	return s->net.mode == NET_SLIRP || s->net.mode == NET_PASTA;
}

/* A profile's mkdir and mkfile: made on the host, so that whitelists have something to show. */
static void host_prepare(const struct spec *s)
{
	for (size_t i = 0; i < s->host_mkdir.n; i++) {
		autofree char *p = xstrdup(s->host_mkdir.v[i]);

		if (mkdir_p(p, 0700) < 0)
			die_errno("mkdir %s", p);
	}
	/* nook's own directories, so that they can be hidden: where the home allows it. */
	for (size_t i = 0; i < s->host_mkdir_try.n; i++) {
		autofree char *p = xstrdup(s->host_mkdir_try.v[i]);

		(void)mkdir_p(p, 0700);
	}
	for (size_t i = 0; i < s->host_mkfile.n; i++) {
		int fd = open(s->host_mkfile.v[i], O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
			      0600);

		if (fd < 0)
			die_errno("mkfile %s", s->host_mkfile.v[i]);
		close(fd);
	}
}

/*
 * The policy's hint, after a payload that failed: it exited non-zero or was killed. Not when
 * it never ran (126, 127), nook failed (125) or --timeout ended it (124).
 */
static void failure_hint(const struct spec *s, int status)
{
	if (!s->failure_hint || status == 0 ||
	    (status >= EXIT_TIMED_OUT && status <= EXIT_NOT_FOUND))
		return;
	fputs("nook: ", stderr);
	fput_escaped(s->failure_hint, stderr);
	fputc('\n', stderr);
}

int sandbox_run(const struct spec *s)
{
	sigset_t set;
	int sync[2], tap_ready[2];
	int pty_sock[2] = {-1, -1}, traces_sock[2];
	pid_t guard;
	struct pty_term term;
	struct pty_relay *relay = NULL;
	struct sock_fprog filter;
	const struct idmap_request maps = {
		.uid_map = &s->uid_map,
		.gid_map = &s->gid_map,
		.helpers = s->idmap_helpers,
		.newuidmap = s->newuidmap,
		.newgidmap = s->newgidmap,
		.subuid_file = s->subuid_file,
		.subgid_file = s->subgid_file,
	};
	int pidfd = -1;
	int handle, status;
	pid_t pid;
	char go = 1;

	/* A name that is taken: before anything is made or started. */
	if (state_reserve(s) == SANDBOX_NAME_TAKEN)
		return SANDBOX_NAME_TAKEN;
	instance_check(s);
	host_prepare(s);
	caches_hold(s);
	overlay_prepare(s);
	dbus_proxy_prepare(s);
	sandbox_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("sigprocmask");
	if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(tap_ready, O_CLOEXEC) < 0)
		die_errno("pipe");
	/* pid 1 sends the sandbox's pty over it; the caller's terminal's modes go by the clone. */
	pty_capture(s, &term);
	if (s->terminal == TERMINAL_PTY &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pty_sock) < 0)
		die_errno("socketpair");
	/* pid 1 sends what it creates on the host's filesystems, for removal at the end. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, traces_sock) < 0)
		die_errno("socketpair");

	pid = clone_sandbox(s->clone_flags, &pidfd);
	if (pid < 0)
		clone_failed();

	if (pid == 0) {
		cleanup_forget_all();
		close(sync[1]);
		if (pty_sock[0] >= 0)
			close(pty_sock[0]);
		close(traces_sock[0]);
		/* nook killed, even with SIGKILL: pid 1 dies, and with it the whole sandbox. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			_exit(EXIT_NOOK_FAILED);
		/* The filter (prebuilt for the default policy, else compiled): while newuidmap runs. */
		seccomp_compile(&s->seccomp, &filter);
		/* Before the monitor starts slirp4netns or pasta on it (no id map needed): say when. */
		close(tap_ready[0]);
		if (user_mode_net(s)) {
			net_tap_create("tap0",
				       s->net.mode == NET_SLIRP ? "--net=slirp" : "--net=pasta");
			if (write(tap_ready[1], &go, 1) != 1)
				_exit(EXIT_NOOK_FAILED);
		}
		close(tap_ready[1]);
		/* EOF instead of the go byte: the monitor failed or died before PDEATHSIG was set. */
		if (read(sync[0], &go, 1) != 1)
			_exit(EXIT_NOOK_FAILED);
		close(sync[0]);
		init_main(s, &filter, &term, pty_sock[1], traces_sock[1]);
	}

	child_pidfd = pidfd;
	handle = cleanup_push(kill_child, NULL);
	state_hold(pid, pidfd);
	dbus_proxy_start(s);
	guard = traces_guard(s, traces_sock[0], pidfd);
	traces_host_begin(traces_sock[1]);
	if (s->terminal == TERMINAL_PTY) {
		close(pty_sock[1]);
		relay = pty_relay_new(s, pty_sock[0], &set);
	}
	close(sync[0]);
	close(tap_ready[1]);
	idmap_write(pid, &maps);
	if (user_mode_net(s)) {
		/* The child made its tap device, or died having said why (EOF): nothing to add. */
		if (read(tap_ready[0], &go, 1) != 1) {
			cleanup_run_all();
			exit(EXIT_NOOK_FAILED);
		}
		if (s->net.mode == NET_SLIRP)
			slirp_start(pid, &s->net);
		else
			pasta_start(pid, &s->net);
	}
	close(tap_ready[0]);
	traces_host_end();
	dbus_proxy_wait();
	if (write(sync[1], &go, 1) != 1)
		die_errno("cannot start the sandbox");
	close(sync[1]);
	state_keeper_start(s);

	status = monitor(pid, s, &set, relay);
	if (relay)
		pty_relay_finish(relay);
	slirp_stop();
	pasta_stop();
	dbus_proxy_stop();
	/* The sandbox is gone, and its mounts over them: what it made on the host goes too. */
	if (guard > 0) {
		close(traces_sock[0]);
		while (waitpid(guard, NULL, 0) < 0 && errno == EINTR)
			;
	} else {
		traces_remove(traces_sock[0]);
	}
	cleanup_pop(handle);
	close(pidfd);
	child_pidfd = -1;
	state_finish();
	failure_hint(s, status);
	return status;
}
