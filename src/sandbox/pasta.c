// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User-mode networking: pasta (package passt), started by the monitor for the child's user and
 * network namespaces, the way slirp4netns is (slirp.c): the same tap0, addresses and DNS
 * forwarder. pasta binds the published ports itself, from its arguments, before it says it is
 * ready: no API socket, nothing on disk. It is killed with nook (PR_SET_PDEATHSIG, which its
 * own set-up keeps: it never changes its uid and only enters a child user namespace).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "spec.h"
#include "util/err.h"

#define READY_TIMEOUT_MS 10000
/* Room for the options, the "none" forwards, the target pid and NULL; two words a forward. */
#define PASTA_FIXED_ARGS 40

extern char **environ;

static struct {
	pid_t pid;
	int log_fd; /* memfd holding what pasta printed */
	int cleanup;
} pasta = {.pid = -1, .log_fd = -1, .cleanup = -1};

static void pasta_kill(void *arg)
{
	(void)arg;
	if (pasta.pid > 0) {
		kill(pasta.pid, SIGKILL);
		while (waitpid(pasta.pid, NULL, 0) < 0 && errno == EINTR)
			;
		pasta.pid = -1;
	}
}

/*
 * The last line pasta printed, its reason when it failed. Without a system logger it also
 * says, before each message, that it could not send it there: not a reason.
 */
static const char *last_log_line(char *buf, size_t size)
{
	ssize_t n = pread(pasta.log_fd, buf, size - 1, 0);
	char *end, *start, *pick = NULL;

	if (n <= 0)
		return "no message";
	buf[n] = '\0';
	end = buf + n;
	while (end > buf) {
		while (end > buf && (end[-1] == '\n' || end[-1] == ' '))
			*--end = '\0';
		start = end;
		while (start > buf && start[-1] != '\n')
			start--;
		if (start == end)
			break;
		if (strncmp(start, "Failed to send ", 15) != 0)
			return start;
		if (!pick)
			pick = start;
		end = start;
	}
	return pick ? pick : "no message";
}

/* "-t ADDR/HOSTPORT:PORT" or "-u ...": one forward, or "none" when there is none. */
static size_t forwards(const struct net_spec *n, bool udp, const char **argv, char (*bufs)[96],
		       size_t *nbuf)
{
	size_t k = 0;

	for (size_t i = 0; i < n->npublish; i++) {
		const struct publish_spec *p = &n->publish[i];

		if (p->udp != udp)
			continue;
		snprintf(bufs[*nbuf], sizeof bufs[0], "%s/%u:%u", p->host_addr, p->host_port,
			 p->guest_port);
		argv[k++] = udp ? "--udp-ports" : "--tcp-ports";
		argv[k++] = bufs[(*nbuf)++];
	}
	if (!k) {
		argv[k++] = udp ? "--udp-ports" : "--tcp-ports";
		argv[k++] = "none";
	}
	return k;
}

/*
 * pasta's defaults are made for an interactive namespace and are not nook's: it would forward
 * every port the sandbox listens on to the host (-t auto), every port the host listens on,
 * loopback included, into the sandbox (-T auto), and the gateway's address to the host's
 * loopback. Each is said explicitly here. --foreground keeps it nook's child (for
 * PR_SET_PDEATHSIG and waitpid); its pid goes to stdout (the ready pipe) once the interface
 * is configured and every port is bound; --log-file /dev/null keeps it from the system logger
 * once it runs (what it says while starting goes to stderr, kept in a memfd).
 */
static noreturn void exec_pasta(pid_t child, pid_t monitor, const struct net_spec *n, int ready_w)
{
	char mtu[16], runas[32], target[16], (*bufs)[96] = xcalloc(n->npublish + 1, sizeof *bufs);
	const char **argv = xcalloc(PASTA_FIXED_ARGS + 2 * n->npublish, sizeof *argv);
	size_t k = 0, nbuf = 0;
	int fd;

	/* Killed with the monitor; if it is already gone, the signal never comes. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != monitor)
		_exit(127);
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(ready_w, 1) < 0 || dup2(pasta.log_fd, 2) < 0)
		_exit(127);
	snprintf(mtu, sizeof mtu, "%u", n->mtu);
	/* As root, pasta would become nobody, who cannot enter the sandbox: stay the caller. */
	snprintf(runas, sizeof runas, "%u:%u", (unsigned)geteuid(), (unsigned)getegid());
	snprintf(target, sizeof target, "%d", (int)child);

	argv[k++] = n->pasta;
	argv[k++] = "--foreground";
	argv[k++] = "--quiet";
	argv[k++] = "--log-file";
	argv[k++] = "/dev/null";
	argv[k++] = "--runas";
	argv[k++] = runas;
	argv[k++] = "--pid";
	argv[k++] = "/proc/self/fd/1";
	argv[k++] = "--ipv4-only";
	argv[k++] = "--config-net";
	argv[k++] = "--ns-ifname";
	argv[k++] = "tap0";
	argv[k++] = "--address";
	argv[k++] = SLIRP_GUEST_ADDR;
	argv[k++] = "--netmask";
	argv[k++] = "24";
	argv[k++] = "--gateway";
	argv[k++] = SLIRP_GATEWAY_ADDR;
	argv[k++] = "--mtu";
	argv[k++] = mtu;
	argv[k++] = "--dns-forward";
	argv[k++] = SLIRP_DNS_ADDR;
	argv[k++] = "--no-dhcp";
	if (!n->host_loopback)
		argv[k++] = "--no-map-gw";
	argv[k++] = "--tcp-ns";
	argv[k++] = "none";
	argv[k++] = "--udp-ns";
	argv[k++] = "none";
	k += forwards(n, false, argv + k, bufs, &nbuf);
	k += forwards(n, true, argv + k, bufs, &nbuf);
	argv[k++] = target;
	argv[k] = NULL;
	execve(n->pasta, (char *const *)argv, environ);
	dprintf(2, "cannot run %s: %m\n", n->pasta);
	_exit(127);
}

static void spawn_pasta(pid_t child, const struct net_spec *n, int ready_w)
{
	pid_t monitor = getpid();

	pasta.pid = fork();
	if (pasta.pid < 0)
		die_errno("cannot start pasta");
	if (pasta.pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/*
		 * An ignored signal stays ignored across execve, and pasta (2023) refuses to start
		 * when SIGPIPE already was ("Couldn't install signal handlers"): as a Python
		 * program's child, say. Its defaults, then.
		 */
		signal(SIGPIPE, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		exec_pasta(child, monitor, n, ready_w);
	}
}

/* Which forward failed, when pasta could not bind one: the first whose port is taken. */
static void die_port_taken(const struct net_spec *n)
{
	for (size_t i = 0; i < n->npublish; i++) {
		const struct publish_spec *p = &n->publish[i];

		if (net_port_in_use(p))
			die("%s: host port %s:%u is already in use", p->origin, p->host_addr,
			    p->host_port);
	}
}

/* Its pid, then a newline, on the ready pipe: up, configured, every port bound. */
static bool wait_ready(const struct net_spec *n, int ready_r, int child_pidfd)
{
	struct pollfd p = {.fd = ready_r, .events = POLLIN};
	char buf[32] = "", line[4096];
	size_t got = 0;
	ssize_t r = 0;

	while (got < sizeof buf && !memchr(buf, '\n', got)) {
		int ret = poll(&p, 1, READY_TIMEOUT_MS);

		if (ret < 0 && errno == EINTR)
			continue;
		if (ret == 0)
			die("--net=pasta: pasta did not come up within %d s",
			    READY_TIMEOUT_MS / 1000);
		r = ret < 0 ? -1 : read(ready_r, buf + got, sizeof buf - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (memchr(buf, '\n', got))
		return true;
	/* It exited: its sockets are closed, so a port still taken is taken by another. */
	pasta_kill(NULL);
	/* pid 1 failed (its mounts) and said why: pasta lost its namespace with it. */
	if (sandbox_child_gone(child_pidfd, CHILD_GONE_MS))
		return false;
	die_port_taken(n);
	die_hint("check /dev/net/tun and pasta with: nook doctor", "--net=pasta: pasta failed: %s",
		 last_log_line(line, sizeof line));
}

bool pasta_start(pid_t child, int child_pidfd, const struct net_spec *n)
{
	int ready[2];
	bool up;

	pasta.log_fd = memfd_create("pasta-log", MFD_CLOEXEC);
	if (pasta.log_fd < 0)
		die_errno("memfd_create");
	if (pipe2(ready, O_CLOEXEC) < 0)
		die_errno("pipe");
	pasta.cleanup = cleanup_push(pasta_kill, NULL);
	spawn_pasta(child, n, ready[1]);
	close(ready[1]);
	up = wait_ready(n, ready[0], child_pidfd);
	close(ready[0]);
	return up;
}

void pasta_stop(void)
{
	if (pasta.pid <= 0)
		return;
	/* It keeps no state: SIGKILL. The tap device is persistent, so its exit is quick. */
	pasta_kill(NULL);
	cleanup_pop(pasta.cleanup);
	close(pasta.log_fd);
}
