// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * D-Bus filtering: one xdg-dbus-proxy for the filtered buses (the one flatpak and firejail
 * run), started by the monitor. Its sockets are in a private directory of nook's runtime dir,
 * which no sandbox sees; pid 1 binds them where the sandbox expects the buses
 * (MOUNT_DBUS_PROXY, mounts.c).
 *
 * The order: the directory before the clone (pid 1 must know the sockets' paths); the proxy
 * right after it, so that it comes up while the id maps are written, and so that its cleanup
 * (kill it) runs before the launcher's (reap every child); its ready byte before pid 1 is let
 * go to mount.
 *
 * The proxy's --fd is the write end of a pipe whose read end only the monitor keeps: the
 * proxy writes one byte there when its sockets listen, and exits when the read end closes,
 * that is when nook is done or dies, even by SIGKILL (it then removes its sockets itself).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

#define READY_TIMEOUT_MS 10000
/* A directory of a proxy that was never removed (nook killed) is empty: gone after this. */
#define STALE_SECONDS 60
#define DIR_PREFIX "dbus-"

extern char **environ;

static struct {
	pid_t pid;
	int sync_fd;      /* the read end of its --fd: its ready byte; closing it stops it */
	int log_fd;       /* memfd holding what it printed */
	char dir[128];    /* the private directory of its sockets, while it exists */
	char user[160];   /* its socket for the session bus ("" if not filtered) */
	char system[160]; /* and for the system bus */
	int cleanup;
} proxy = {.pid = -1, .sync_fd = -1, .log_fd = -1, .cleanup = -1};

static void remove_sockets(void)
{
	if (proxy.user[0])
		unlink(proxy.user);
	if (proxy.system[0])
		unlink(proxy.system);
	if (proxy.dir[0])
		rmdir(proxy.dir);
	proxy.dir[0] = '\0';
}

static void reap(void)
{
	while (waitpid(proxy.pid, NULL, 0) < 0 && errno == EINTR)
		;
	proxy.pid = -1;
}

static void proxy_kill(void *arg)
{
	(void)arg;
	if (proxy.pid > 0) {
		kill(proxy.pid, SIGKILL);
		reap();
	}
	remove_sockets();
}

/* The last line the proxy printed: why it failed. */
static const char *last_log_line(char *buf, size_t size)
{
	ssize_t n = pread(proxy.log_fd, buf, size - 1, 0);
	char *end, *start;

	if (n <= 0)
		return "it exited without a message";
	buf[n] = '\0';
	end = buf + n;
	while (end > buf && (end[-1] == '\n' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(buf, '\n');
	start = start ? start + 1 : buf;
	/* Its words, not the terminal's: nothing that could be a control sequence. */
	for (char *c = start; *c; c++)
		if ((unsigned char)*c < ' ' || *c == 0x7f)
			*c = '?';
	return start;
}

/*
 * Directories of proxies whose nook was killed: the proxy removed its sockets when it saw its
 * fd close, the empty directory stays. A live one is not empty for long: its proxy makes its
 * sockets at once, or nook gives up after READY_TIMEOUT_MS.
 */
static void remove_stale(const char *base)
{
	DIR *d = opendir(base);
	struct dirent *e;
	time_t now = time(NULL);

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		struct stat st;

		if (strncmp(e->d_name, DIR_PREFIX, strlen(DIR_PREFIX)) != 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
		    now - st.st_mtime < STALE_SECONDS)
			continue;
		/* Only an empty one goes: rmdir refuses the others. */
		(void)unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR);
	}
	closedir(d);
}

/* A private directory for the sockets in the spec's directory (nook's runtime dir, or /tmp). */
static void make_dir(const char *base)
{
	/* A socket's path must fit in sun_path (108 bytes): a deep runtime dir gives way to /tmp. */
	if (strlen(base) + sizeof "/" DIR_PREFIX "XXXXXX/system" > 108)
		base = "/tmp";
	if (strcmp(base, "/tmp") != 0) {
		if (mkdir(base, 0700) < 0 && errno != EEXIST)
			die_errno("cannot create nook's runtime directory %s", base);
		remove_stale(base);
	}
	snprintf(proxy.dir, sizeof proxy.dir, "%s/" DIR_PREFIX "XXXXXX", base);
	if (!mkdtemp(proxy.dir)) {
		proxy.dir[0] = '\0';
		die_errno("cannot create a private directory for xdg-dbus-proxy in %s", base);
	}
}

/* In the new process: its stdio, fd 3 for --fd, its own session (no terminal's signals). */
static noreturn void exec_proxy(const char *path, char *const *argv, int sync_w)
{
	sigset_t none;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* ^C at the terminal is for the payload, which may well ignore it; not for the bus. */
	setsid();
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(proxy.log_fd, 2) < 0 ||
	    dup2(sync_w, 3) < 0)
		_exit(127);
	execve(path, argv, environ);
	dprintf(2, "cannot run %s: %s\n", path, strerror(errno));
	_exit(127);
}

void dbus_proxy_prepare(const struct spec *s)
{
	if (!s->dbus_proxy)
		return;
	proxy.log_fd = memfd_create("xdg-dbus-proxy-log", MFD_CLOEXEC);
	if (proxy.log_fd < 0)
		die_errno("memfd_create");
	proxy.cleanup = cleanup_push(proxy_kill, NULL);
	make_dir(s->dbus_proxy_dir);
	if (s->dbus_user.mode == DBUS_FILTER)
		snprintf(proxy.user, sizeof proxy.user, "%s/user", proxy.dir);
	if (s->dbus_system.mode == DBUS_FILTER)
		snprintf(proxy.system, sizeof proxy.system, "%s/system", proxy.dir);
}

/* "ADDRESS PATH --filter RULES...": the arguments of one bus. */
static void add_bus(struct strv *argv, const struct dbus_proxy_spec *d, const char *sock)
{
	if (!sock[0])
		return;
	strv_push(argv, d->upstream);
	strv_push(argv, sock);
	strv_push(argv, "--filter");
	for (size_t i = 0; i < d->rules.n; i++)
		strv_push(argv, d->rules.v[i]);
}

void dbus_proxy_start(const struct spec *s)
{
	struct strv argv = {0};
	int sync[2], w, w2;

	if (!proxy.dir[0])
		return;
	if (pipe2(sync, O_CLOEXEC) < 0)
		die_errno("pipe");
	proxy.sync_fd = sync[0];
	/* At or above 10: the dup2s to 0, 1, 2 and 3 in the new process cannot clobber it. */
	w = fcntl(sync[1], F_DUPFD_CLOEXEC, 10);
	if (w < 0)
		die_errno("fcntl");
	close(sync[1]);
	/* Again, now after the launcher's, which reaps every child: it runs first, killing it. */
	w2 = cleanup_push(proxy_kill, NULL);
	cleanup_pop(proxy.cleanup);
	proxy.cleanup = w2;

	strv_push(&argv, s->dbus_proxy);
	strv_push(&argv, "--fd=3");
	add_bus(&argv, &s->dbus_user, proxy.user);
	add_bus(&argv, &s->dbus_system, proxy.system);
	proxy.pid = fork();
	if (proxy.pid < 0)
		die_errno("cannot start xdg-dbus-proxy");
	if (proxy.pid == 0)
		exec_proxy(s->dbus_proxy, argv.v, w);
	close(w);
	strv_free(&argv);
}

void dbus_proxy_wait(void)
{
	struct pollfd p = {.fd = proxy.sync_fd, .events = POLLIN};
	char c, line[4096];
	int r;

	if (proxy.pid <= 0)
		return;
	do
		r = poll(&p, 1, READY_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		die("D-Bus filter: xdg-dbus-proxy did not come up within %d s",
		    READY_TIMEOUT_MS / 1000);
	if (r < 0 || read(proxy.sync_fd, &c, 1) != 1) {
		reap();
		die("D-Bus filter: xdg-dbus-proxy failed: %s", last_log_line(line, sizeof line));
	}
}

void dbus_proxy_stop(void)
{
	if (!proxy.dir[0])
		return;
	/* Its fd's other end closed: it removes its sockets and exits. */
	close(proxy.sync_fd);
	proxy.sync_fd = -1;
	if (proxy.pid > 0)
		reap();
	remove_sockets();
	cleanup_pop(proxy.cleanup);
	close(proxy.log_fd);
	proxy.log_fd = -1;
}

int dbus_proxy_tree(const struct mount_op *m)
{
	struct mount_op bind = *m;
	const char *sock = strcmp(m->src, "system") == 0 ? proxy.system : proxy.user;

	if (!sock[0])
		die("%s: no xdg-dbus-proxy serves the %s bus", m->origin, m->src);
	bind.src = (char *)sock;
	bind.flags &= ~(unsigned)MOUNT_F_OPTIONAL;
	return mount_clone_tree(&bind);
}
