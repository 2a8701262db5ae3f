// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An OCI container's process: cloned by nook oci create into the config's namespaces, set up
 * there (the same mounts_build, filter and confinement as nook run's payload), then held on
 * the exec fifo until nook oci start; then it execs the program itself. No monitor, no pid 1
 * of nook's, no helpers: the engine (conmon) is the parent it is re-parented to, waits for it
 * and does the networking.
 */
#include "sandbox/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/filter.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bsd/unistd.h>

#include "sandbox/internal.h"
#include "sandbox/launch.h"
#include "util/err.h"
#include "util/fsutil.h"

/*
 * Without a user namespace of its own the container's namespaces are created with the
 * caller's privileges: those of root in an engine's user namespace (rootless podman runs the
 * runtime there), never an ordinary user's.
 */
static void check_privileges(const struct spec *s)
{
	cap_flag_value_t admin = CAP_CLEAR;
	cap_t caps;

	if (s->clone_flags & CLONE_NEWUSER)
		return;
	for (size_t i = 0; i < s->oci.njoin; i++)
		if (s->oci.join[i].flag == CLONE_NEWUSER)
			return;
	caps = cap_get_proc();
	if (caps)
		cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &admin);
	cap_free(caps);
	if (admin != CAP_SET)
		die_hint("add {\"type\": \"user\"} to linux.namespaces with uidMappings and "
			 "gidMappings, or run nook oci as root of a user namespace (as podman does)",
			 "config.json: linux.namespaces: no user namespace, and the caller lacks "
			 "CAP_SYS_ADMIN to create the others");
}

/* The config's namespaces to join, opened first (a path may be in one joined before it). */
static void join_namespaces(const struct spec *s)
{
	int fds[NS_JOIN_MAX];

	for (size_t i = 0; i < s->oci.njoin; i++) {
		fds[i] = open(s->oci.join[i].path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			die_errno("config.json: linux.namespaces: %s", s->oci.join[i].path);
	}
	for (size_t i = 0; i < s->oci.njoin; i++) {
		if (setns(fds[i], (int)s->oci.join[i].flag) < 0)
			die_errno("cannot join the %s namespace %s",
				  enum_to_name(namespace_names, (int)s->oci.join[i].flag),
				  s->oci.join[i].path);
		close(fds[i]);
	}
}

/* Written through the outer /proc: its sys files are those of the writer's namespaces. */
static void write_sysctls(const struct spec *s)
{
	for (size_t i = 0; i < s->oci.sysctl.n; i++) {
		const char *kv = s->oci.sysctl.v[i], *eq = strchr(kv, '=');
		autofree char *path = xasprintf("/proc/sys/%.*s", (int)(eq - kv), kv);
		autoclose int fd = -1;
		size_t len = strlen(eq + 1);

		for (char *p = path + strlen("/proc/sys/"); *p; p++)
			if (*p == '.')
				*p = '/';
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, eq + 1, len) != (ssize_t)len)
			die_errno("config.json: linux.sysctl: cannot set %.*s", (int)(eq - kv), kv);
	}
}

/* root.readonly: the root mount alone, once the mount points are made in it. */
static void root_readonly(void)
{
	struct mount_attr attr = {.attr_set = MOUNT_ATTR_RDONLY};

	if (mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof attr) < 0)
		die_errno("config.json: root.readonly: cannot make the root read-only");
}

/*
 * process.terminal: a pty of the container's devpts, its controlling terminal on fds 0-2; the
 * master goes to the engine through the console socket, as runc sends it (one fd).
 */
void oci_console_open(const struct spec *s, int console)
{
	struct pty_term term = {.echo = true};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} control;
	char name[] = "/dev/ptmx";
	struct iovec iov = {.iov_base = name, .iov_len = sizeof name - 1};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof control.buf,
	};
	struct cmsghdr *c;
	int master, slave;

	term.winsize.ws_row = s->oci.console_rows;
	term.winsize.ws_col = s->oci.console_cols;
	pty_open(&term, -1, &master, &slave);
	memset(&control, 0, sizeof control);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &master, sizeof master);
	if (sendmsg(console, &msg, MSG_NOSIGNAL) < 0)
		die_errno("--console-socket: cannot send the terminal");
	close(console);
	close(master);
	pty_payload(s, -1, slave);
}

void oci_confine(const struct spec *s, const struct oci_filters *f)
{
	if (s->oci.no_new_privs && no_new_privs() < 0)
		die_errno("cannot set no_new_privs");
	if (!s->oci.no_new_privs)
		oci_filters_load(s, f);
	payload_confine(s);
	if (s->oci.no_new_privs)
		oci_filters_load(s, f);
}

static noreturn void container_main(const struct spec *s, int fifo, int ready, int console)
{
	struct oci_filters filters;
	char go = 1;
	ssize_t n;

	/* Not the state directory above all: its flock (of the open file) would be held until the exec. */
	close_fds_but(STDERR_FILENO + 1, (const int[]){fifo, ready, console}, 3);
	oci_filters_compile(s, &filters);
	write_sysctls(s);
	mounts_build(s);
	if (s->oci.root_readonly)
		root_readonly();
	if ((s->clone_flags & CLONE_NEWUTS) && s->hostname[0] &&
	    sethostname(s->hostname, strlen(s->hostname)) < 0)
		die_errno("config.json: hostname: cannot set it");
	if (s->clone_flags & CLONE_NEWNET)
		net_loopback_up();
	if (s->drop_groups && setgroups(0, NULL) < 0)
		die_errno("cannot drop the supplementary groups");
	if (s->terminal == TERMINAL_PTY)
		oci_console_open(s, console);
	else if (s->terminal != TERMINAL_INHERIT && setsid() < 0)
		die_errno("cannot start a session");
	if (write(ready, &go, 1) != 1)
		_exit(EXIT_NOOK_FAILED);
	close(ready);

	/* created: until nook oci start writes the fifo, or the container is killed. */
	while ((n = read(fifo, &go, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		_exit(EXIT_NOOK_FAILED);
	close(fifo);

	umask(s->oci.umask);
	/* Only stdin, stdout and stderr go on, whatever the engine left open to the runtime. */
	closefrom(STDERR_FILENO + 1);
	oci_confine(s, &filters);
	payload_exec(s);
}

pid_t oci_create(const struct spec *s, const char *fifo, int console)
{
	const struct idmap_request maps = {
		.uid_map = &s->uid_map,
		.gid_map = &s->gid_map,
		.helpers = s->idmap_helpers,
		.newuidmap = s->newuidmap,
		.newgidmap = s->newgidmap,
	};
	autoclose int fifo_fd = -1;
	autoclose int pidfd = -1;
	int ready[2], go[2], status;
	char b = 1;
	pid_t pid;

	check_privileges(s);
	join_namespaces(s);
	/* Read and write: the open does not wait for a writer, and start's open finds a reader. */
	fifo_fd = open(fifo, O_RDWR | O_CLOEXEC);
	if (fifo_fd < 0)
		die_errno("cannot open the exec fifo %s", fifo);
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		die_errno("pipe");
	pid = clone_raw(s->clone_flags, &pidfd);
	if (pid < 0)
		die_errno("cannot create the container's namespaces");
	if (pid == 0) {
		cleanup_forget_all();
		close(ready[0]);
		close(go[1]);
		if (read(go[0], &b, 1) != 1)
			_exit(EXIT_NOOK_FAILED);
		close(go[0]);
		container_main(s, fifo_fd, ready[1], console);
	}
	close(ready[1]);
	close(go[0]);
	if (s->clone_flags & CLONE_NEWUSER)
		idmap_write(pid, &maps);
	if (write(go[1], &b, 1) != 1)
		die_errno("cannot start the container's process");
	close(go[1]);
	if (read(ready[0], &b, 1) != 1) {
		/* It said why on stderr: nook's one line. */
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		die("the container's process ended while it was set up (status %d)",
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	}
	close(ready[0]);
	return pid;
}

int oci_release(int dir, const char *name)
{
	autoclose int fd = openat(dir, name, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	char go = 1;

	if (fd < 0 || unlinkat(dir, name, 0) < 0)
		return -1;
	return write(fd, &go, 1) == 1 ? 0 : -1;
}
