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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
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

static noreturn void clone_failed(void)
{
	if (errno == EPERM || errno == ENOSPC || errno == EUSERS)
		die_hint("check that unprivileged user namespaces are allowed: nook doctor",
			 "cannot create the sandbox's namespaces: %s", strerror(errno));
	die_errno("cannot create the sandbox's namespaces");
}

/* Wait for the child, passing signals on. Returns nook's exit status. */
static int monitor(pid_t child, const sigset_t *set)
{
	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(set, &si);
		int status;

		if (sig < 0) {
			if (errno == EINTR)
				continue;
			die_errno("waiting for the sandbox");
		}
		if (sig == SIGCHLD) {
			pid_t r = waitpid(child, &status, WNOHANG);

			if (r == child)
				return WIFEXITED(status) ? WEXITSTATUS(status)
							 : 128 + WTERMSIG(status);
			continue;
		}
		/*
		 * A signal from the terminal (^C, ^\, a resize) went to the whole foreground
		 * process group, the payload included; passing it on would deliver it twice.
		 */
		if (si.si_code == SI_KERNEL)
			continue;
		syscall(SYS_pidfd_send_signal, child_pidfd, sig, NULL, 0);
	}
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
		int fd = open(s->host_mkfile.v[i], O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0)
			die_errno("mkfile %s", s->host_mkfile.v[i]);
		close(fd);
	}
}

int sandbox_run(const struct spec *s)
{
	sigset_t set;
	int sync[2], tap_ready[2];
	struct clone_args_v0 args = {0};
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

	host_prepare(s);
	overlay_prepare(s);
	dbus_proxy_prepare(s);
	sandbox_signal_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		die_errno("sigprocmask");
	if (pipe2(sync, O_CLOEXEC) < 0 || pipe2(tap_ready, O_CLOEXEC) < 0)
		die_errno("pipe");

	args.flags = s->clone_flags | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)&pidfd;
	args.exit_signal = SIGCHLD;
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
	if (pid < 0)
		clone_failed();

	if (pid == 0) {
		cleanup_forget_all();
		close(sync[1]);
		/* nook killed, even with SIGKILL: pid 1 dies, and with it the whole sandbox. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			_exit(EXIT_NOOK_FAILED);
		/* The filter (prebuilt for the default policy, else compiled): while newuidmap runs. */
		seccomp_compile(&s->seccomp, &filter);
		/* Before the monitor starts slirp4netns on it (it needs no id map): say when. */
		close(tap_ready[0]);
		if (s->net.mode == NET_SLIRP) {
			net_tap_create("tap0");
			if (write(tap_ready[1], &go, 1) != 1)
				_exit(EXIT_NOOK_FAILED);
		}
		close(tap_ready[1]);
		/* EOF instead of the go byte: the monitor failed or died before PDEATHSIG was set. */
		if (read(sync[0], &go, 1) != 1)
			_exit(EXIT_NOOK_FAILED);
		close(sync[0]);
		init_main(s, &filter);
	}

	child_pidfd = pidfd;
	handle = cleanup_push(kill_child, NULL);
	dbus_proxy_start(s);
	close(sync[0]);
	close(tap_ready[1]);
	idmap_write(pid, &maps);
	if (s->net.mode == NET_SLIRP) {
		/* The child made its tap device, or died having said why (EOF): nothing to add. */
		if (read(tap_ready[0], &go, 1) != 1) {
			cleanup_run_all();
			exit(EXIT_NOOK_FAILED);
		}
		slirp_start(pid, &s->net);
	}
	close(tap_ready[0]);
	dbus_proxy_wait();
	if (write(sync[1], &go, 1) != 1)
		die_errno("cannot start the sandbox");
	close(sync[1]);

	status = monitor(pid, &set);
	slirp_stop();
	dbus_proxy_stop();
	cleanup_pop(handle);
	close(pidfd);
	child_pidfd = -1;
	return status;
}
