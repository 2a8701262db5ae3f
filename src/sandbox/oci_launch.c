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
#include <poll.h>
#include <linux/filter.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
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
		const char *want = enum_to_name(namespace_names, (int)s->oci.join[i].flag);
		int type;

		fds[i] = open(s->oci.join[i].path, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0)
			die_errno("config.json: linux.namespaces: %s", s->oci.join[i].path);
		/* setns would say only EINVAL. */
		type = ioctl(fds[i], NS_GET_NSTYPE);
		if (type != (int)s->oci.join[i].flag) {
			const char *is = type < 0 ? NULL : enum_to_name(namespace_names, type);

			die("config.json: linux.namespaces: %s is %s%s%s, not a %s namespace",
			    s->oci.join[i].path, type < 0 ? "no namespace" : "a ", is ? is : "",
			    type < 0 ? ""
			    : is     ? " namespace"
				     : "namespace of another type",
			    want);
		}
	}
	for (size_t i = 0; i < s->oci.njoin; i++) {
		if (setns(fds[i], (int)s->oci.join[i].flag) < 0)
			die_errno("config.json: linux.namespaces: cannot join the %s namespace %s",
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

void write_oom_score_adj(int value)
{
	char text[16];
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
	int n = snprintf(text, sizeof text, "%d", value);

	/* Lowering it needs CAP_SYS_RESOURCE (in the initial namespace): raising never does. */
	if (fd < 0 || write(fd, text, (size_t)n) != n)
		die_errno("config.json: process.oomScoreAdj: cannot set %d", value);
	close(fd);
}

/* All of LEN bytes, or -1 (EOF: the other end gave up). */
static int read_all(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

static int write_all(int fd, const void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* The largest state the container's process takes from create: the annotations are in it. */
#define STATE_TEXT_MAX (16u << 20)

/* One state text from create: its length, then it. NULL when create gave up. */
static char *state_receive(int from, size_t *len)
{
	autofree char *text = NULL;

	if (read_all(from, len, sizeof *len) < 0 || *len > STATE_TEXT_MAX)
		return NULL;
	text = xmalloc(*len + 1);
	if (read_all(from, text, *len) < 0)
		return NULL;
	text[*len] = '\0';
	return steal_pointer(&text);
}

static int state_send(int to, const char *text, size_t len)
{
	return write_all(to, &len, sizeof len) < 0 || write_all(to, text, len) < 0 ? -1 : 0;
}

/*
 * The container's process. GO: from create (the id maps are written; then, once the runtime's
 * hooks ran, the states its own hooks read); READY: to create ('h': the mounts are staged,
 * the runtime's hooks may run; then set up); FIFO: start's go; STARTED: to start, at the exec.
 */
static noreturn void container_main(const struct spec *s, int fifo, int started, int go, int ready,
				    int console)
{
	const struct oci_hooks *hooks = &s->oci.hooks;
	autofree char *creating = NULL, *created = NULL;
	size_t creating_len, created_len;
	struct oci_filters filters;
	char err[1024], b = 'h';
	int root;
	ssize_t n;

	/* Not the state directory above all: its flock (of the open file) would be held until the exec. */
	/* The engine's fds after 2 (--preserve-fds) are below create's own: kept. */
	close_fds_but(STDERR_FILENO + 1 + s->oci.preserve_fds,
		      (const int[]){fifo, started, go, ready, console}, 5);
	oci_filters_compile(s, &filters);
	write_sysctls(s);
	root = mounts_stage(s);
	/* createRuntime (and prestart): create runs them now; createContainer after them. */
	if (write(ready, &b, 1) != 1)
		_exit(EXIT_NOOK_FAILED);
	creating = state_receive(go, &creating_len);
	created = creating ? state_receive(go, &created_len) : NULL;
	if (!created)
		_exit(EXIT_NOOK_FAILED); /* a hook of create's failed: it says so */
	close(go);
	/* A failure's reason goes to create, which says it as its own (one line). */
	err[0] = 'e';
	if (oci_hooks_run(hooks, OCI_HOOK_CREATE_CONTAINER, creating, creating_len, NULL, err + 1,
			  sizeof err - 1) < 0) {
		if (write_all(ready, err, strlen(err)) < 0)
			die("%s", err + 1);
		_exit(EXIT_NOOK_FAILED);
	}
	mounts_enter_root(root);
	if (s->oci.root_readonly)
		root_readonly();
	/* Within the container's own mount namespace: nothing of it reaches the host's. */
	if (s->oci.root_propagation && mount(NULL, "/", NULL, s->oci.root_propagation, NULL) < 0)
		die_errno("config.json: linux.rootfsPropagation: cannot apply it");
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
	/* Before create returns: a value the caller may not set fails create, naming it. */
	if (s->oci.oom_score_adj_set)
		write_oom_score_adj(s->oci.oom_score_adj);
	b = 1;
	if (write(ready, &b, 1) != 1)
		_exit(EXIT_NOOK_FAILED);
	close(ready);

	/* created: until nook oci start writes the fifo, or the container is killed. */
	while ((n = read(fifo, &b, 1)) < 0 && errno == EINTR)
		;
	if (n != 1)
		_exit(EXIT_NOOK_FAILED);
	close(fifo);

	umask(s->oci.umask);
	/* Only stdin, stdout and stderr go on, whatever the engine left open to the runtime. */
	close_fds_but(STDERR_FILENO + 1 + s->oci.preserve_fds, &started, 1);
	oci_confine(s, &filters);
	/* As runc and crun: confined as the program is, in its root, right before its exec. */
	if (oci_hooks_run(hooks, OCI_HOOK_START_CONTAINER, created, created_len, NULL, err,
			  sizeof err) < 0)
		die("%s", err);
	/* start returns now (the fifo is close-on-exec: a failed exec is our exit status). */
	if (write(started, &b, 1) != 1)
		_exit(EXIT_NOOK_FAILED);
	payload_exec(s);
}

/* The runtime's namespaces of each kind the config joins, for its hooks to run in. */
static void runtime_namespaces(const struct spec *s, struct oci_ns_restore *r)
{
	static const struct enum_name proc_names[] = {
		{CLONE_NEWNS, "mnt"},    {CLONE_NEWNET, "net"},
		{CLONE_NEWIPC, "ipc"},   {CLONE_NEWUTS, "uts"},
		{CLONE_NEWPID, "pid"},   {CLONE_NEWCGROUP, "cgroup"},
		{CLONE_NEWUSER, "user"}, {0, NULL},
	};

	r->n = 0;
	/* Back out of a joined user namespace there is no way: then the hooks run in them. */
	for (size_t i = 0; i < s->oci.njoin; i++)
		if (s->oci.join[i].flag == CLONE_NEWUSER)
			return;
	for (size_t i = 0; i < s->oci.njoin; i++) {
		autofree char *path = NULL;

		/* A hook forked after the join is in a joined pid namespace already, for good. */
		if (s->oci.join[i].flag == CLONE_NEWPID)
			continue;
		path = xasprintf("/proc/self/ns/%s",
				 enum_to_name(proc_names, (int)s->oci.join[i].flag));

		r->fd[r->n] = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd[r->n] < 0)
			die_errno("%s", path);
		r->n++;
	}
}

/* The container's process is gone or to go: its pid reaped, and why said. */
static noreturn void create_failed(pid_t pid, const char *why)
{
	int status;

	if (why)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (why)
		die("%s", why);
	/* It said why on stderr: nook's one line. */
	die("the container's process ended while it was set up (status %d)",
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

pid_t oci_create(const struct spec *s, const char *fifo, const char *started, int console,
		 const struct oci_state_doc *state)
{
	const struct idmap_request maps = idmap_request_of(s);
	struct oci_ns_restore restore;
	autoclose int fifo_fd = -1, started_fd = -1;
	autoclose int pidfd = -1;
	autofree char *creating = NULL, *created = NULL;
	size_t creating_len, created_len;
	int ready[2], go[2];
	char b = 1, err[1024];
	ssize_t n;
	pid_t pid;

	check_privileges(s);
	runtime_namespaces(s, &restore);
	join_namespaces(s);
	/* Read and write: the open does not wait for a writer, and start's open finds a reader. */
	fifo_fd = open(fifo, O_RDWR | O_CLOEXEC);
	if (fifo_fd < 0)
		die_errno("cannot open the exec fifo %s", fifo);
	started_fd = open(started, O_RDWR | O_CLOEXEC);
	if (started_fd < 0)
		die_errno("cannot open the fifo %s", started);
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0)
		die_errno("pipe");
	pid = clone_raw(s->clone_flags, &pidfd);
	if (pid < 0)
		die_errno("cannot create the container's namespaces");
	if (pid == 0) {
		cleanup_forget_all();
		close(ready[0]);
		close(go[1]);
		for (size_t i = 0; i < restore.n; i++)
			close(restore.fd[i]);
		if (read(go[0], &b, 1) != 1)
			_exit(EXIT_NOOK_FAILED);
		container_main(s, fifo_fd, started_fd, go[0], ready[1], console);
	}
	close(ready[1]);
	close(go[0]);
	if (s->clone_flags & CLONE_NEWUSER)
		idmap_write(pid, &maps);
	if (write(go[1], &b, 1) != 1)
		die_errno("cannot start the container's process");
	if (read(ready[0], &b, 1) != 1)
		create_failed(pid, NULL);

	/* Its mounts are staged: prestart and createRuntime, here, in the runtime's namespaces. */
	creating = oci_state_text(state, "creating", pid, &creating_len);
	created = oci_state_text(state, "created", pid, &created_len);
	if (oci_hooks_run(&s->oci.hooks, OCI_HOOK_PRESTART, creating, creating_len, &restore, err,
			  sizeof err) < 0 ||
	    oci_hooks_run(&s->oci.hooks, OCI_HOOK_CREATE_RUNTIME, creating, creating_len, &restore,
			  err, sizeof err) < 0)
		create_failed(pid, err);
	for (size_t i = 0; i < restore.n; i++)
		close(restore.fd[i]);
	/* A process that died meanwhile closed its end: SIGPIPE must not end create unsaid. */
	signal(SIGPIPE, SIG_IGN);
	if (state_send(go[1], creating, creating_len) < 0 ||
	    state_send(go[1], created, created_len) < 0)
		create_failed(pid, NULL);
	/* One byte: set up; 'e' and a reason: a createContainer hook failed. */
	n = read(ready[0], err, sizeof err - 1);
	if (n > 1 && err[0] == 'e') {
		err[n] = '\0';
		create_failed(pid, err + 1);
	}
	if (n != 1)
		create_failed(pid, NULL);
	close(go[1]);
	close(ready[0]);
	return pid;
}

int oci_release(int dir, const char *name, const char *started)
{
	autoclose int done = openat(dir, started, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	autoclose int fd = -1;
	struct pollfd p = {.fd = done, .events = POLLIN};
	char go = 1;
	ssize_t n;

	if (done < 0)
		return -1;
	fd = openat(dir, name, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || unlinkat(dir, name, 0) < 0 || write(fd, &go, 1) != 1)
		return -1;
	/* No timeout: the startContainer hooks have theirs. EOF first: it ended before. */
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			return -1;
	while ((n = read(done, &go, 1)) < 0 && errno == EINTR)
		;
	if (n != 1) {
		errno = n == 0 ? EPIPE : errno;
		return -1;
	}
	unlinkat(dir, started, 0);
	return 0;
}
