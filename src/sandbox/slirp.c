// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * User-mode networking: slirp4netns, started by the monitor for the child's user and network
 * namespaces. The payload waits until the tap device is configured and every port is published.
 * slirp4netns exits when its exit fd closes, which happens when nook exits, even by SIGKILL.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdnoreturn.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "sandbox/internal.h"
#include "spec.h"
#include "util/err.h"

#define READY_TIMEOUT_MS 10000
/* Older than any nook's start of slirp4netns and its forwards: a leftover, if nobody listens. */
#define STALE_API_DIR_SECONDS 60

extern char **environ;

static struct {
	pid_t pid;
	int exit_fd;   /* our end: closing it tells slirp4netns to exit */
	int log_fd;    /* memfd holding what slirp4netns printed */
	char dir[128]; /* private directory of the API socket, while it exists */
	char sock[160];
	int cleanup;
} slirp = {.pid = -1, .exit_fd = -1, .log_fd = -1, .cleanup = -1};

static void remove_api_socket(void)
{
	if (slirp.sock[0])
		unlink(slirp.sock);
	if (slirp.dir[0])
		rmdir(slirp.dir);
	slirp.sock[0] = slirp.dir[0] = '\0';
}

static void slirp_kill(void *arg)
{
	(void)arg;
	remove_api_socket();
	if (slirp.pid > 0) {
		kill(slirp.pid, SIGKILL);
		while (waitpid(slirp.pid, NULL, 0) < 0 && errno == EINTR)
			;
		slirp.pid = -1;
	}
}

/* The last line slirp4netns printed: its reason, when it failed. */
static const char *last_log_line(char *buf, size_t size)
{
	ssize_t n = pread(slirp.log_fd, buf, size - 1, 0);
	char *end, *start;

	if (n <= 0)
		return "no message";
	buf[n] = '\0';
	end = buf + n;
	while (end > buf && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(buf, '\n');
	return start ? start + 1 : buf;
}

/* Does anything listen on the socket NAME in DIR? (A full backlog counts as yes.) */
static bool api_socket_live(const char *dir, const char *name)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	autoclose int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || (size_t)snprintf(addr.sun_path, sizeof addr.sun_path, "%s/%s/slirp.sock", dir,
				       name) >= sizeof addr.sun_path)
		return true;
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0)
		return true;
	return errno != ECONNREFUSED && errno != ENOENT;
}

/*
 * A nook killed (SIGKILL) between making its API directory and removing it leaves them: the
 * next one to publish ports removes ours that are old and where nothing listens. A live one's
 * socket listens from slirp4netns's start to its removal, which takes well under a minute.
 */
static void sweep_api_dirs(const char *base)
{
	autoclose int fd = open(base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	time_t now = time(NULL);
	struct dirent *e;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd)))
		return;
	fd = -1; /* the DIR owns it now */
	while ((e = readdir(d))) {
		struct stat st;
		autoclose int sub = -1;

		if (strncmp(e->d_name, "slirp-", 6) != 0 || strlen(e->d_name) != 12 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
		    now - st.st_mtime < STALE_API_DIR_SECONDS || api_socket_live(base, e->d_name))
			continue;
		sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0)
			continue;
		(void)unlinkat(sub, "slirp.sock", 0);
		(void)unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/*
 * A private directory for the API socket, in the spec's directory (nook's own runtime dir,
 * made 0700 if missing, or /tmp); never a fixed name.
 */
static void make_api_dir(const struct net_spec *n)
{
	const char *base = n->api_dir;

	/* A socket's path must fit in sun_path (108 bytes): a deep runtime dir gives way to /tmp. */
	if (strlen(base) + sizeof "/slirp-XXXXXX/slirp.sock" > 108)
		base = "/tmp";
	if (strcmp(base, "/tmp") != 0) {
		if (mkdir(base, 0700) < 0 && errno != EEXIST)
			die_errno("cannot create nook's runtime directory %s", base);
		/* Only in nook's own directory: in /tmp a slirp-XXXXXX may be anyone's. */
		sweep_api_dirs(base);
	}
	/*
	 * mkdtemp, with the name told to nook's guard before the directory exists: should nook
	 * be killed the next moment, the guard removes it once the sandbox is gone.
	 */
	for (int tries = 0;; tries++) {
		char name[32];
		uint64_t r;

		if (getentropy(&r, sizeof r) < 0)
			die_errno("getentropy");
		snprintf(name, sizeof name, "slirp-%06llx", (unsigned long long)(r & 0xffffffULL));
		traces_announce_host(base, name);
		snprintf(slirp.dir, sizeof slirp.dir, "%s/%s", base, name);
		if (mkdir(slirp.dir, 0700) == 0)
			break;
		if (errno != EEXIST || tries == 100) {
			slirp.dir[0] = '\0';
			die_errno("cannot create a private directory for slirp4netns in %s", base);
		}
	}
	snprintf(slirp.sock, sizeof slirp.sock, "%s/slirp.sock", slirp.dir);
	traces_note_host(base, strrchr(slirp.dir, '/') + 1);
}

/* fds at or above 10, so that dup2 to 3 and 4 in the helper cannot clobber one another. */
static int high_fd(int fd)
{
	int h = fcntl(fd, F_DUPFD_CLOEXEC, 10);

	if (h < 0)
		die_errno("fcntl");
	close(fd);
	return h;
}

/*
 * slirp4netns --enable-sandbox needs capabilities (a mount namespace, pivot_root), which it has
 * only as root of a user namespace: so, like podman, run it as uid 0 of the sandbox's own user
 * namespace. Without root inside (--userns=single), it runs as the caller, unsandboxed.
 */
static noreturn void exec_slirp(pid_t child, const struct net_spec *n, int ready_w, int exit_r)
{
	char userns_path[64], userns_opt[80], netns[64], mtu[32], api[200];
	const char *argv[16];
	size_t k = 0;
	int fd;

	snprintf(userns_path, sizeof userns_path, "/proc/%d/ns/user", (int)child);
	snprintf(netns, sizeof netns, "/proc/%d/ns/net", (int)child);
	snprintf(mtu, sizeof mtu, "--mtu=%u", n->mtu);
	/* Its banner goes to stdout, its reasons to stderr: keep the reasons. */
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0 || dup2(fd, 0) < 0 || dup2(fd, 1) < 0 || dup2(slirp.log_fd, 2) < 0 ||
	    dup2(ready_w, 3) < 0 || dup2(exit_r, 4) < 0)
		_exit(127);
	if (n->slirp_sandbox) {
		fd = open(userns_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWUSER) < 0 || setresgid(0, 0, 0) < 0 ||
		    setresuid(0, 0, 0) < 0) {
			dprintf(2, "cannot become root in the sandbox's user namespace: %m\n");
			_exit(127);
		}
		/* The API socket it creates is owned by a subordinate id: let the monitor in. */
		umask(0);
	}
	argv[k++] = n->slirp4netns;
	argv[k++] = "--configure";
	argv[k++] = mtu;
	if (!n->host_loopback)
		argv[k++] = "--disable-host-loopback";
	if (n->slirp_sandbox) {
		argv[k++] = "--enable-sandbox";
	} else {
		snprintf(userns_opt, sizeof userns_opt, "--userns-path=%s", userns_path);
		argv[k++] = userns_opt;
	}
	argv[k++] = "--enable-seccomp";
	argv[k++] = "--ready-fd=3";
	argv[k++] = "--exit-fd=4";
	if (slirp.sock[0]) {
		snprintf(api, sizeof api, "--api-socket=%s", slirp.sock);
		argv[k++] = api;
	}
	argv[k++] = "--netns-type=path";
	argv[k++] = netns;
	argv[k++] = "tap0";
	argv[k] = NULL;
	execve(n->slirp4netns, (char *const *)argv, environ);
	dprintf(2, "cannot run %s: %m\n", n->slirp4netns);
	_exit(127);
}

static void spawn_slirp(pid_t child, const struct net_spec *n, int ready_w, int exit_r)
{
	slirp.pid = fork();
	if (slirp.pid < 0)
		die_errno("cannot start slirp4netns");
	if (slirp.pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		exec_slirp(child, n, ready_w, exit_r);
	}
}

static bool wait_ready(int ready_r, int child_pidfd)
{
	struct pollfd p = {.fd = ready_r, .events = POLLIN};
	char c, line[4096];
	int r;

	do
		r = poll(&p, 1, READY_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		die("--net=slirp: slirp4netns did not come up within %d s",
		    READY_TIMEOUT_MS / 1000);
	if (r < 0 || read(ready_r, &c, 1) != 1) {
		/* pid 1 failed (its mounts) and said why: slirp4netns lost its namespace with it. */
		if (sandbox_child_gone(child_pidfd, CHILD_GONE_MS))
			return false;
		die_hint("check /dev/net/tun and slirp4netns with: nook doctor",
			 "--net=slirp: slirp4netns failed: %s", last_log_line(line, sizeof line));
	}
	return true;
}

/* One request on the API socket: {"execute": "add_hostfwd", ...}; errors come back as "desc". */
static void add_hostfwd(const struct publish_spec *p)
{
	struct sockaddr_un addr = {.sun_family = AF_UNIX};
	autoclose int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char req[512], resp[2048];
	size_t got = 0;
	ssize_t n;
	char *desc;
	int len;

	strlcpy(addr.sun_path, slirp.sock, sizeof addr.sun_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
		die_errno("%s: cannot reach slirp4netns's API socket", p->origin);
	len = snprintf(req, sizeof req,
		       "{\"execute\": \"add_hostfwd\", \"arguments\": {\"proto\": \"%s\", "
		       "\"host_addr\": \"%s\", \"host_port\": %u, \"guest_addr\": \"%s\", "
		       "\"guest_port\": %u}}",
		       p->udp ? "udp" : "tcp", p->host_addr, p->host_port, SLIRP_GUEST_ADDR,
		       p->guest_port);
	if (write(fd, req, (size_t)len) != len || shutdown(fd, SHUT_WR) < 0)
		die_errno("%s: cannot talk to slirp4netns", p->origin);
	while (got < sizeof resp - 1 && (n = read(fd, resp + got, sizeof resp - 1 - got)) > 0)
		got += (size_t)n;
	resp[got] = '\0';
	if (strstr(resp, "\"return\""))
		return;
	desc = strstr(resp, "\"desc\"");
	if (desc && (desc = strchr(desc + 6, '"'))) {
		char *end = strchr(++desc, '"');

		if (end)
			*end = '\0';
	}
	/* slirp4netns only says "failed": find out whether the port is taken, to say so. */
	if (net_port_in_use(p))
		die("%s: host port %s:%u is already in use", p->origin, p->host_addr, p->host_port);
	die("%s: cannot publish host port %s:%u: %s", p->origin, p->host_addr, p->host_port,
	    desc ? desc : (got ? resp : "no answer from slirp4netns"));
}

bool slirp_start(pid_t child, int child_pidfd, const struct net_spec *n)
{
	bool up;

	int ready[2], exitp[2];

	slirp.log_fd = memfd_create("slirp4netns-log", MFD_CLOEXEC);
	if (slirp.log_fd < 0)
		die_errno("memfd_create");
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(exitp, O_CLOEXEC) < 0)
		die_errno("pipe");
	ready[1] = high_fd(ready[1]);
	exitp[0] = high_fd(exitp[0]);
	slirp.exit_fd = exitp[1];
	slirp.cleanup = cleanup_push(slirp_kill, NULL);
	if (n->npublish)
		make_api_dir(n);

	spawn_slirp(child, n, ready[1], exitp[0]);
	close(ready[1]);
	close(exitp[0]);
	up = wait_ready(ready[0], child_pidfd);
	close(ready[0]);
	if (!up)
		return false;
	if (slirp.sock[0])
		traces_note_host(slirp.dir, "slirp.sock");

	for (size_t i = 0; i < n->npublish; i++)
		add_hostfwd(&n->publish[i]);
	/* slirp4netns keeps the listening socket; its name is no longer needed on disk. */
	remove_api_socket();
	return true;
}

void slirp_stop(void)
{
	if (slirp.pid <= 0)
		return;
	/* EOF on its exit fd: slirp4netns shuts down by itself. */
	close(slirp.exit_fd);
	slirp.exit_fd = -1;
	while (waitpid(slirp.pid, NULL, 0) < 0 && errno == EINTR)
		;
	slirp.pid = -1;
	cleanup_pop(slirp.cleanup);
	close(slirp.log_fd);
}
