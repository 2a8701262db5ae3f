// SPDX-License-Identifier: GPL-2.0-or-later
/* The monitor: nook's process outside the sandbox. */
#include "sandbox/launch.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
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

bool sandbox_child_gone(int pidfd, int timeout_ms)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	int r;

	do
		r = poll(&p, 1, timeout_ms);
	while (r < 0 && errno == EINTR);
	return r > 0;
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
pid_t clone_raw(uint64_t flags, int *pidfd)
{
	/* A sibling (CLONE_PARENT) gets the exit signal of its creator: clone3 wants none. */
	int sig = flags & CLONE_PARENT ? 0 : SIGCHLD;
	struct clone_args_v0 args = {
		.flags = flags | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.exit_signal = (uint64_t)sig,
	};
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);

	if (pid >= 0 || errno != ENOSYS)
		return pid;
#if defined(__s390x__) || defined(__s390__) || defined(__CRIS__)
	/* These take the stack first and the flags second. */
	return (pid_t)syscall(SYS_clone, (long)0, (long)(flags | CLONE_PIDFD | (uint64_t)sig),
			      pidfd, NULL, 0L);
#else
	return (pid_t)syscall(SYS_clone, (long)(flags | CLONE_PIDFD | (uint64_t)sig), (long)0,
			      pidfd, NULL, 0L);
#endif
}

/* What pid 1 starts from: the spec and its ends of the sockets and pipes to the monitor. */
struct pid1 {
	const struct spec *s;
	int sync[2], tap_ready[2], pty_sock[2], traces_sock[2], status[2];
	int userns; /* a namespace of the pool, joined by the intermediate; -1: a new one */
	int netns;  /* the pool's network namespace (owned by userns), joined with it; -1: none */
	struct pty_term term;
	struct sock_fprog filter; /* ready (prebuilt, or none) when filter_ready */
	bool filter_ready;
};

static noreturn void pid1_start(struct pid1 *p);

/* What the intermediate says back: pid 1's pid and pidfd (in the table it shares), or errno. */
struct mid_reply {
	pid_t pid;
	int pidfd, err;
};

/* The intermediate of clone_in_userns, gone by now or soon: its exit status is nothing. */
static void reap_intermediate(pid_t *mid)
{
	if (*mid <= 0)
		return;
	while (waitpid(*mid, NULL, 0) < 0 && errno == EINTR)
		;
	*mid = -1;
}

/*
 * pid 1 in a user namespace of the pool: only the sandbox may ever be in it, never the
 * monitor (which starts slirp4netns, the guard, the keeper). A short-lived intermediate, a
 * copy of us like fork but sharing our descriptors, joins it and clones pid 1 with the other
 * namespaces, which the pooled one then owns, as our child (CLONE_PARENT: PDEATHSIG, waitpid
 * and the pidfd as for a direct clone). Not on a stack of its own (CLONE_VM): pid 1 would run
 * on it, which AddressSanitizer cannot follow. The intermediate closes nothing: the table is
 * ours. Its exit is waited for later (*MID, reap_intermediate): that takes ~50 us, while
 * pid 1 is already on its way. -1 with errno.
 */
static pid_t clone_in_userns(struct pid1 *p, uint64_t flags, int *pidfd, pid_t *mid_out)
{
	struct mid_reply r = {.pid = -1, .pidfd = -1, .err = EAGAIN};
	int out[2], midfd = -1;
	pid_t mid;

	if (pipe2(out, O_CLOEXEC) < 0)
		return -1;
	mid = clone_raw(CLONE_FILES, &midfd);
	if (mid == 0) {
		if (setns(p->userns, CLONE_NEWUSER) < 0 ||
		    (p->netns >= 0 && setns(p->netns, CLONE_NEWNET) < 0)) {
			r.err = errno;
		} else {
			/* The pool's network namespace is the sandbox's: not another. */
			if (p->netns >= 0)
				flags &= ~(uint64_t)CLONE_NEWNET;
			r.pid = clone_raw((flags & ~(uint64_t)CLONE_NEWUSER) | CLONE_PARENT,
					  &r.pidfd);
			if (r.pid == 0)
				pid1_start(p);
			r.err = errno;
		}
		(void)!write(out[1], &r, sizeof r);
		_exit(0);
	}
	if (mid > 0) {
		if (read(out[0], &r, sizeof r) != (ssize_t)sizeof r)
			r = (struct mid_reply){.pid = -1, .pidfd = -1, .err = EAGAIN};
		close(midfd);
		*mid_out = mid;
		if (r.pid < 0)
			reap_intermediate(mid_out);
	}
	close(out[0]);
	close(out[1]);
	if (mid < 0)
		return -1;
	if (r.pid < 0) {
		errno = r.err;
		return -1;
	}
	*pidfd = r.pidfd;
	return r.pid;
}

/* The sandbox's pid 1, in a user namespace of the pool when p->userns >= 0; like fork. */
static pid_t clone_sandbox(struct pid1 *p, int *pidfd, pid_t *mid)
{
	pid_t pid;

	if (p->userns >= 0)
		return clone_in_userns(p, p->s->clone_flags, pidfd, mid);
	pid = clone_raw(p->s->clone_flags, pidfd);
	if (pid == 0)
		pid1_start(p);
	return pid;
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

/*
 * Wait for the child, passing signals on and relaying its pty. Returns nook's exit status: as
 * pid 1 reports it on STATUS_FD once the rest of the sandbox is gone (its own exit, which
 * tears the namespaces down, is not waited for), else pid 1's exit status (it failed, or was
 * killed, before the payload ended).
 */
static int monitor(pid_t child, const struct spec *s, const sigset_t *set, struct pty_relay *relay,
		   int status_fd)
{
	autoclose int sfd = signalfd(-1, set, SFD_CLOEXEC | SFD_NONBLOCK);
	autoclose int tfd = timer_start(s->timeout);
	bool timed_out = false, killing = false;
	int code;

	if (sfd < 0)
		die_errno("signalfd");
	for (;;) {
		/* The timer's slot polls nothing (fd -1) without --timeout; the status's after EOF. */
		struct pollfd p[3 + PTY_RELAY_FDS] = {{.fd = sfd, .events = POLLIN},
						      {.fd = tfd, .events = POLLIN},
						      {.fd = status_fd, .events = POLLIN}};
		int timeout = relay ? pty_relay_poll(relay, p + 3) : -1;
		int keeper = state_keeper_due(s);
		struct signalfd_siginfo si;

		if (keeper >= 0 && (timeout < 0 || keeper < timeout))
			timeout = keeper;

		if (poll(p, relay ? 3 + PTY_RELAY_FDS : 3, timeout) < 0) {
			if (errno == EINTR)
				continue;
			die_errno("waiting for the sandbox");
		}
		if (relay)
			pty_relay_io(relay, p + 3);
		if (p[1].revents && timer_fired(tfd, &killing))
			timed_out = true;
		if (p[2].revents) {
			if (read(status_fd, &code, sizeof code) == sizeof code)
				return timed_out ? EXIT_TIMED_OUT : code;
			status_fd = -1;
		}
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

/*
 * Work of the monitor's while pid 1 makes its mounts, which pid 1 waits for before it hardens:
 * a network helper to start, or a generated name's namespaces to hold (pid 1 made
 * non-dumpable could not give them: the sandbox would have no state, no list, no enter).
 */
static bool monitor_works_after_go(const struct spec *s)
{
	return user_mode_net(s) || state_late();
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

/*
 * pid 1, a copy of the monitor so far: its ends of the sockets, the pool's maps checked, the
 * filter compiled and the tap device made while the monitor writes the maps and starts the
 * helpers; then the go byte, and init_main.
 */
static noreturn void pid1_start(struct pid1 *p)
{
	const struct spec *s = p->s;
	struct sock_fprog filter;
	char go = 1;

	cleanup_forget_all();
	close(p->sync[1]);
	close(p->status[0]);
	if (p->pty_sock[0] >= 0)
		close(p->pty_sock[0]);
	close(p->traces_sock[0]);
	/* nook killed, even with SIGKILL: pid 1 dies, and with it the whole sandbox. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		_exit(EXIT_NOOK_FAILED);
	close(p->tap_ready[0]);
	if (p->userns >= 0) {
		close(p->userns);
		if (p->netns >= 0)
			close(p->netns);
	}
	/* A filter libseccomp compiles: while newuidmap runs. */
	if (p->filter_ready)
		filter = p->filter;
	else
		seccomp_compile_libseccomp(&s->seccomp, &filter);
	/* Before the monitor starts slirp4netns or pasta on it (no id map needed): say when. */
	if (user_mode_net(s)) {
		net_tap_create("tap0", s->net.mode == NET_SLIRP ? "--net=slirp" : "--net=pasta");
		if (write(p->tap_ready[1], &go, 1) != 1)
			_exit(EXIT_NOOK_FAILED);
	}
	close(p->tap_ready[1]);
	/*
	 * The bounding set, down to what the payload keeps and pid 1 itself (CAP_KILL): while
	 * the monitor checks the maps (or newuidmap runs), not on the payload's way to its exec,
	 * which would drop it again. Only where pid 1 execs nothing: fuse-overlayfs, its one
	 * helper, needs the set whole.
	 */
	if (s->overlay.mode == OVERLAY_NONE &&
	    caps_bound_to(s->caps_keep | (UINT64_C(1) << CAP_KILL)) < 0)
		die_errno("init: cannot drop capabilities from the bounding set");
	/* EOF instead of the go byte: the monitor failed or died before PDEATHSIG was set. */
	if (read(p->sync[0], &go, 1) != 1)
		_exit(EXIT_NOOK_FAILED);
	/* A second byte: the monitor's work after the go is done. pid 1 waits for it to harden. */
	if (!monitor_works_after_go(s)) {
		close(p->sync[0]);
		p->sync[0] = -1;
	}
	init_main(s, &filter, &p->term, p->pty_sock[1], p->traces_sock[1], p->sync[0],
		  p->status[1]);
}

/* pid 1 ended before the payload, having said why: nothing to add but the clean-up. */
static noreturn void pid1_failed(void)
{
	cleanup_run_all();
	exit(EXIT_NOOK_FAILED);
}

int sandbox_run(const struct spec *s)
{
	sigset_t set;
	struct pid1 p = {.s = s, .pty_sock = {-1, -1}, .userns = -1, .netns = -1};
	pid_t guard, mid = -1;
	struct pty_relay *relay = NULL;
	const struct idmap_request maps = idmap_request_of(s);
	int pidfd = -1;
	int handle, status;
	bool start_pool = false;
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
	/*
	 * A socket: the second byte (the network is up, the namespaces held) may find pid 1
	 * gone, without SIGPIPE.
	 */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, p.sync) < 0 ||
	    pipe2(p.tap_ready, O_CLOEXEC) < 0 || pipe2(p.status, O_CLOEXEC) < 0)
		die_errno("pipe");
	/* pid 1 sends the sandbox's pty over it; the caller's terminal's modes go by the clone. */
	pty_capture(s, &p.term);
	if (s->terminal == TERMINAL_PTY &&
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p.pty_sock) < 0)
		die_errno("socketpair");
	/* pid 1 sends what it creates on the host's filesystems, for removal at the end. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p.traces_sock) < 0)
		die_errno("socketpair");

	/* The prebuilt filter found here: in pid 1, each page its search writes would be a copy. */
	p.filter_ready = seccomp_compiled_already(&s->seccomp, &p.filter);
	p.userns = userns_pool_take(s, &maps, &start_pool, &p.netns);
	pid = clone_sandbox(&p, &pidfd, &mid);
	if (pid < 0 && p.userns >= 0) {
		/* EINVAL: nook is a container's init, which may not clone siblings. */
		close(p.userns);
		p.userns = -1;
		if (p.netns >= 0)
			close(p.netns);
		p.netns = -1;
		pid = clone_sandbox(&p, &pidfd, &mid);
	}
	if (pid < 0)
		clone_failed();

	child_pidfd = pidfd;
	handle = cleanup_push(kill_child, NULL);
	state_hold(pid, pidfd);
	dbus_proxy_start(s);
	guard = traces_guard(s, p.traces_sock[0], pidfd);
	traces_host_begin(p.traces_sock[1]);
	if (s->terminal == TERMINAL_PTY) {
		close(p.pty_sock[1]);
		relay = pty_relay_new(s, p.pty_sock[0], &set);
	}
	close(p.sync[0]);
	close(p.tap_ready[1]);
	/*
	 * The pool's namespace is what the spec says, or nothing goes on: checked here, from
	 * pid 1's /proc files, while pid 1 gets ready for the go byte (checked there, it was on
	 * pid 1's path: ~70 us).
	 */
	if (p.userns >= 0) {
		close(p.userns);
		if (p.netns >= 0)
			close(p.netns);
		userns_pool_check_maps(s, pid);
	} else {
		idmap_write(pid, &maps);
	}
	dbus_proxy_wait();
	/* pid 1 may have failed meanwhile (a missing /dev/net/tun), having said why: no SIGPIPE. */
	if (send(p.sync[1], &go, 1, MSG_NOSIGNAL) != 1) {
		if (errno != EPIPE && errno != ECONNRESET)
			die_errno("cannot start the sandbox");
		pid1_failed();
	}
	state_hold_late();
	if (state_late() && !user_mode_net(s))
		(void)send(p.sync[1], &go, 1, MSG_NOSIGNAL);
	reap_intermediate(&mid);
	/* Its helper comes up while pid 1 makes the mounts; pid 1 ended meanwhile: it said why. */
	if (user_mode_net(s)) {
		/* The child made its tap device, or died having said why (EOF): nothing to add. */
		if (read(p.tap_ready[0], &go, 1) != 1)
			pid1_failed();
		if (s->net.mode == NET_SLIRP ? slirp_start(pid, pidfd, &s->net)
					     : pasta_start(pid, pidfd, &s->net))
			(void)send(p.sync[1], &go, 1, MSG_NOSIGNAL);
	}
	close(p.tap_ready[0]);
	traces_host_end();
	close(p.sync[1]);
	/* The next start takes a namespace mapped beforehand; this one's work is done. */
	if (start_pool)
		userns_pool_start(s, &maps);

	close(p.status[1]);
	status = monitor(pid, s, &set, relay, p.status[0]);
	close(p.status[0]);
	state_sandbox_ended();
	if (relay)
		pty_relay_finish(relay);
	slirp_stop();
	pasta_stop();
	dbus_proxy_stop();
	/* The sandbox is gone, and its mounts over them: what it made on the host goes too. */
	if (guard > 0) {
		close(p.traces_sock[0]);
		while (waitpid(guard, NULL, 0) < 0 && errno == EINTR)
			;
	} else {
		/* No guard could start: the mounts over them go with pid 1's exit, not yet waited for. */
		while (guard < 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		traces_remove(p.traces_sock[0]);
	}
	cleanup_pop(handle);
	close(pidfd);
	child_pidfd = -1;
	state_finish();
	failure_hint(s, status);
	return status;
}
