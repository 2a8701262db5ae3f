// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A named sandbox's keeper: a process of the monitor's, forked once pid 1 goes on, that lives
 * as long as the monitor and hands out what nook enter and nook stop need.
 *
 * Entering a sandbox means joining its pid 1's namespaces, and the kernel lets only a process
 * that may ptrace pid 1 do that (setns(2) with a pidfd checks it, and so does opening a file
 * of /proc/PID/ns). pid 1 is not dumpable once it has dropped its privileges, so that the
 * payload cannot read or trace it: after that nobody can join it. So the monitor opens its
 * namespaces while pid 1 still waits for its id maps (sandbox/state.c), and the keeper keeps
 * them. It also holds the seccomp filter the payload got, compiled from the same spec, and
 * pidfds of pid 1 and of the monitor, and learns the payload's pid from the payload itself.
 *
 * It serves them on DIR/.NAME, to a process of the caller's own user namespace only
 * (nothing sandboxed is there), and nook enter and stop take them only from such a process:
 * a sandbox that could reach the socket, or plant one, could neither get nor give anything.
 * What it hands out is in descriptors (sealed memfds for the state and the filter), never in
 * a file that someone else could have written.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "sandbox/state.h"
#include "util/err.h"
#include "util/sandbox_name.h"

#ifndef SO_PEERPIDFD
#define SO_PEERPIDFD 77
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

#define KEEPER_MAGIC 0x6e6f6f6bu /* "nook" */
#define KEEPER_FDS (4 + STATE_NS_MAX)

enum { REPLY_RUNNING, REPLY_STARTING, REPLY_ENDED };

/* The reply: this, then the fds: pid 1's and the monitor's pidfds, state, filter, ns[]. */
struct keeper_reply {
	uint32_t magic;
	uint32_t status;
	uint64_t ns_flags;
};

int proc_start_time(pid_t pid, uint64_t *start)
{
	char path[64], buf[1024];
	autoclose int fd = -1;
	const char *p;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, buf, sizeof buf - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	/* After the command's ")": the last one, the name may hold any. Field 22 is the 20th. */
	p = strrchr(buf, ')');
	/* Field 3, the state: a zombie (or one being reaped) has ended, whatever its start. */
	if (p && p[1] && (p[2] == 'Z' || p[2] == 'X')) {
		errno = ESRCH;
		return -1;
	}
	for (int field = 2; p && field < 22; field++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%lu", (unsigned long *)start) != 1)
		return -1;
	return 0;
}

/* The user and pid namespaces, as /proc/self/ns names them. */
enum { NS_USER, NS_PID, NS_COUNT };
static const struct {
	int flag;
	const char *name;
} peer_ns[NS_COUNT] = {{CLONE_NEWUSER, "user"}, {CLONE_NEWPID, "pid"}};

/*
 * Is the process of PIDFD (pid PID) in our namespace N? By its pidfd where it can: a pool
 * answers a start while that start waits, and each look at /proc is a path walk. Ours is
 * looked at once: a process's own user and pid namespaces never change.
 */
static bool same_ns(int pidfd, pid_t pid, int n)
{
	static struct stat own[NS_COUNT];
	static bool own_known[NS_COUNT];
	char path[64];
	struct stat st;
	int fd;
	bool got;

	if (!own_known[n]) {
		snprintf(path, sizeof path, "/proc/self/ns/%s", peer_ns[n].name);
		if (stat(path, &own[n]) < 0)
			return false;
		own_known[n] = true;
	}
	fd = pidfd_open_ns(pid, pidfd, peer_ns[n].flag);
	if (fd < 0)
		return false;
	got = fstat(fd, &st) == 0;
	close(fd);
	return got && st.st_ino == own[n].st_ino && st.st_dev == own[n].st_dev;
}

/*
 * Is the other end of SOCK a process of the caller's, outside every sandbox: same uid, same
 * user and pid namespaces as this one? A sandboxed process is in a user namespace of its own.
 * The peer's pidfd (taken at connect) must still be alive after a look at its /proc, so the
 * pid looked at was the peer's and not a new process's.
 */
bool state_peer_trusted(int sock)
{
	struct ucred cr;
	socklen_t len = sizeof cr;
	int pidfd = -1;
	bool ok;

	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.uid != getuid() ||
	    cr.pid <= 0)
		return false;
	len = sizeof pidfd;
	if (getsockopt(sock, SOL_SOCKET, SO_PEERPIDFD, &pidfd, &len) < 0)
		pidfd = (int)syscall(SYS_pidfd_open, cr.pid, 0);
	if (pidfd < 0)
		return false;
	ok = same_ns(pidfd, cr.pid, NS_USER) && same_ns(pidfd, cr.pid, NS_PID) &&
	     syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0;
	close(pidfd);
	return ok;
}

/* ---- the keeper ---- */

struct keeper {
	const struct spec *s;
	const char *name;
	int dir, entry;
	int report; /* the payload says it started, and who it is, on it */
	int init_pidfd, monitor_pidfd;
	pid_t init, monitor;
	int ns[STATE_NS_MAX];
	uint64_t ns_flags;
	int listen;
	int state, filter; /* sealed memfds; state -1 until the payload runs */
	bool ended;        /* pid 1 is gone: its namespaces are let go */
	struct proc_id procs[STATE_NPROCS];
};

static int sealed_memfd(const char *name, const void *data, size_t len)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -1;
	if ((len && write(fd, data, len) != (ssize_t)len) ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The state, for enter (a sealed memfd) and for list (the entry, empty until now). */
static void write_state(struct keeper *k)
{
	autofree char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	spec_state_write(f, k->s, k->name, k->procs);
	if (fclose(f) != 0)
		return;
	k->state = sealed_memfd("nook-state", text, len);
	/* Once, whole: a reader that sees part of it (or a short write) has no "end" line. */
	if (pwrite(k->entry, text, len, 0) < 0)
		return;
}

/* The payload's one message: the kernel adds its pid, as this namespace numbers it. */
static void payload_reported(struct keeper *k)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct ucred))];
	} control;
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof control.buf,
	};
	struct cmsghdr *c;
	struct ucred cr;
	ssize_t n = recvmsg(k->report, &msg, MSG_DONTWAIT);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	close(k->report);
	k->report = -1;
	c = n == 1 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (!c || c->cmsg_type != SCM_CREDENTIALS || c->cmsg_len != CMSG_LEN(sizeof cr))
		return; /* pid 1 failed before the payload: the monitor says why */
	memcpy(&cr, CMSG_DATA(c), sizeof cr);
	k->procs[STATE_PAYLOAD].pid = cr.pid;
	if (proc_start_time(cr.pid, &k->procs[STATE_PAYLOAD].start) < 0)
		return;
	write_state(k);
}

static void reply(struct keeper *k, int conn)
{
	struct keeper_reply r = {.magic = KEEPER_MAGIC, .status = REPLY_STARTING};
	int fds[KEEPER_FDS], n = 0;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof fds)];
	} control;
	struct iovec iov = {.iov_base = &r, .iov_len = sizeof r};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;

	if (!state_peer_trusted(conn))
		return;
	if (k->ended) {
		r.status = REPLY_ENDED;
	} else if (k->state >= 0) {
		r.status = REPLY_RUNNING;
		r.ns_flags = k->ns_flags;
		fds[n++] = k->init_pidfd;
		fds[n++] = k->monitor_pidfd;
		fds[n++] = k->state;
		fds[n++] = k->filter;
		for (int i = 0; i < STATE_NS_MAX; i++)
			if (k->ns[i] >= 0)
				fds[n++] = k->ns[i];
		memset(&control, 0, sizeof control);
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)n);
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)n);
		memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)n);
	}
	(void)sendmsg(conn, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/* Each fd the keeper keeps, moved above everything else; the rest is closed. */
static void keep_only(int **fds, size_t n)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	for (size_t i = 0; i < n; i++) {
		if (*fds[i] < 0)
			continue;
		*fds[i] = fcntl(*fds[i], F_DUPFD_CLOEXEC, 100 + (int)i);
	}
	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(1);
	syscall(SYS_close_range, 3, 99, 0);
	syscall(SYS_close_range, 100 + n, ~0U, 0);
}

static void filter_memfd(struct keeper *k)
{
	struct sock_fprog prog;

	seccomp_compile(&k->s->seccomp, &prog);
	/* Not freed: a prebuilt filter is static. */
	k->filter = sealed_memfd("nook-filter", prog.filter,
				 (size_t)prog.len * sizeof(struct sock_filter));
	if (k->filter < 0)
		_exit(1);
}

/* The socket's path: through the directory's fd, short whatever the directory's is. */
static void socket_path(int dir, const char *name, struct sockaddr_un *a)
{
	char sock[SANDBOX_NAME_MAX + 2];

	store_socket_name(name, sock, sizeof sock);
	*a = (struct sockaddr_un){.sun_family = AF_UNIX};
	snprintf(a->sun_path, sizeof a->sun_path, "/proc/self/fd/%d/%s", dir, sock);
}

int keeper_listen(int dir, const char *name)
{
	struct sockaddr_un a;
	char sock[SANDBOX_NAME_MAX + 2];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);

	/* One left by the keeper of a sandbox of this name that was killed: the name is ours. */
	store_socket_name(name, sock, sizeof sock);
	(void)unlinkat(dir, sock, 0);
	socket_path(dir, name, &a);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static noreturn void keeper_main(struct keeper *k)
{
	int *keep[6 + STATE_NS_MAX] = {&k->dir,        &k->entry,         &k->report,
				       &k->init_pidfd, &k->monitor_pidfd, &k->listen};
	size_t n = 6;

	for (int i = 0; i < STATE_NS_MAX; i++)
		keep[n++] = &k->ns[i];
	cleanup_forget_all();
	keep_only(keep, n);
	/* Out of the caller's session: the terminal's signals are the sandbox's business. */
	setsid();
	prctl(PR_SET_NAME, "nook-keeper", 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	k->procs[STATE_KEEPER].pid = getpid();
	(void)proc_start_time(getpid(), &k->procs[STATE_KEEPER].start);
	(void)proc_start_time(k->init, &k->procs[STATE_INIT].start);
	(void)proc_start_time(k->monitor, &k->procs[STATE_MONITOR].start);
	filter_memfd(k);

	for (;;) {
		struct pollfd p[4] = {{.fd = k->monitor_pidfd, .events = POLLIN},
				      {.fd = k->listen, .events = POLLIN},
				      {.fd = k->report, .events = POLLIN},
				      {.fd = k->ended ? -1 : k->init_pidfd, .events = POLLIN}};

		if (poll(p, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		/*
		 * pid 1 ended: the sandbox's mount namespace must go with it, its masks over the
		 * placeholders nook-guard removes (a lookup would meet the mask, not the directory).
		 */
		if (p[3].revents) {
			for (int i = 0; i < STATE_NS_MAX; i++)
				if (k->ns[i] >= 0) {
					close(k->ns[i]);
					k->ns[i] = -1;
				}
			k->ended = true;
		}
		if (p[2].revents)
			payload_reported(k);
		if (p[1].revents & POLLIN) {
			int conn = accept4(k->listen, NULL, NULL, SOCK_CLOEXEC);

			if (conn >= 0) {
				reply(k, conn);
				close(conn);
			}
		}
	}
	/* nook is gone: it removed the entry, or it was killed and we do (we hold the lock). */
	store_remove(k->dir, k->name, k->entry);
	_exit(0);
}

pid_t keeper_start(const struct spec *s, const char *name, const struct keeper_fds *f)
{
	struct keeper k = {
		.s = s,
		.name = name,
		.dir = f->dir,
		.entry = f->entry,
		.report = f->report,
		.init_pidfd = f->init_pidfd,
		.monitor_pidfd = f->monitor_pidfd,
		.init = f->init,
		.monitor = getpid(),
		.listen = f->listen,
		.state = -1,
		.filter = -1,
	};
	pid_t pid;

	k.ns_flags = f->ns_flags;
	memcpy(k.ns, f->ns, sizeof k.ns);
	k.procs[STATE_MONITOR].pid = k.monitor;
	k.procs[STATE_INIT].pid = k.init;
	pid = fork();
	if (pid == 0)
		keeper_main(&k);
	return pid;
}

/* ---- its clients: nook enter, stop ---- */

static int read_memfd(int fd, char **buf, size_t *len, size_t max)
{
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max)
		return -1;
	*buf = xmalloc((size_t)st.st_size + 1);
	n = pread(fd, *buf, (size_t)st.st_size, 0);
	if (n != st.st_size) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	(*buf)[n] = '\0';
	*len = (size_t)n;
	return 0;
}

/* The namespace fds are what they claim: each of its type, the user namespace not ours. */
static int check_namespaces(struct sandbox_handle *h)
{
	struct stat own, ns;
	int i = 0;

	for (const struct enum_name *e = namespace_names; e->name && i < STATE_NS_MAX; e++, i++) {
		if (h->ns[i] < 0)
			continue;
		if (ioctl(h->ns[i], NS_GET_NSTYPE) != e->value)
			return -1;
		if (e->value == CLONE_NEWUSER &&
		    (stat("/proc/self/ns/user", &own) < 0 || fstat(h->ns[i], &ns) < 0 ||
		     (own.st_ino == ns.st_ino && own.st_dev == ns.st_dev)))
			return -1;
	}
	return (h->ns_flags & CLONE_NEWUSER) ? 0 : -1;
}

static void close_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		close(fds[i]);
}

/* The filter's instructions from its memfd: none when it is empty (no filter). */
static int take_filter(struct sandbox_handle *h, int fd)
{
	char *filter = NULL;
	size_t len = 0;

	if (read_memfd(fd, &filter, &len, BPF_MAXINSNS * sizeof(struct sock_filter)) < 0)
		return -1;
	if (len % sizeof(struct sock_filter) != 0 || len == 0) {
		free(filter);
		return len == 0 ? 0 : -1;
	}
	h->filter = filter;
	h->filter_len = (unsigned short)(len / sizeof(struct sock_filter));
	return 0;
}

static int take_reply(struct sandbox_handle *h, int sock, char *err, size_t errlen)
{
	struct keeper_reply r = {0};
	int fds[KEEPER_FDS], n = 0, want = 4, next = 4, i = 0;
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof fds)];
	} control;
	struct iovec iov = {.iov_base = &r, .iov_len = sizeof r};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof control.buf,
	};
	struct cmsghdr *c;
	autofree char *text = NULL;
	size_t len = 0;
	ssize_t got;

	do
		got = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (got < 0 && errno == EINTR);
	c = got > 0 ? CMSG_FIRSTHDR(&msg) : NULL;
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
	if (n > KEEPER_FDS)
		n = 0;
	if (n)
		memcpy(fds, CMSG_DATA(c), sizeof(int) * (size_t)n);
	/*
	 * Hung up: its nook ended before its keeper could answer (the lock says, next time).
	 * Reset: the keeper died with our connection still in its queue (killed a moment ago;
	 * next time the socket refuses, and the caller says so). No answer yet: its keeper is
	 * not there yet.
	 */
	if ((got == 0 && n == 0) ||
	    (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNRESET)))
		return STATE_STARTING;
	if (got != (ssize_t)sizeof r || r.magic != KEEPER_MAGIC || (msg.msg_flags & MSG_CTRUNC)) {
		close_all(fds, n);
		return set_error(err, errlen, "its keeper's answer is not one");
	}
	if (r.status == REPLY_STARTING) {
		close_all(fds, n);
		return STATE_STARTING;
	}
	if (r.status == REPLY_ENDED) {
		close_all(fds, n);
		return set_error(err, errlen, "it is ending");
	}
	/* Never a process in the host's namespaces: a keeper holds at least these. */
	if ((r.ns_flags & (uint64_t)(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID)) !=
	    (uint64_t)(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID)) {
		close_all(fds, n);
		return set_error(err, errlen, "its keeper holds none of its namespaces");
	}
	for (const struct enum_name *e = namespace_names; e->name; e++)
		if (r.ns_flags & (uint64_t)e->value)
			want++;
	if (n != want ||
	    r.ns_flags & ~(uint64_t)(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC |
				     CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWNET)) {
		close_all(fds, n);
		return set_error(err, errlen, "its keeper sent %d descriptors, not %d", n, want);
	}
	h->init_pidfd = fds[0];
	h->monitor_pidfd = fds[1];
	h->ns_flags = r.ns_flags;
	for (const struct enum_name *e = namespace_names; e->name && i < STATE_NS_MAX; e++, i++)
		h->ns[i] = (r.ns_flags & (uint64_t)e->value) ? fds[next++] : -1;
	if (read_memfd(fds[2], &text, &len, 1 << 20) < 0 ||
	    spec_state_parse(text, len, &h->state, err, errlen) < 0 || take_filter(h, fds[3]) < 0) {
		close_all(fds + 2, 2);
		return set_error(err, errlen, "its keeper's state or filter cannot be read");
	}
	close_all(fds + 2, 2);
	if (h->state.spec.seccomp.enabled != (h->filter != NULL) || check_namespaces(h) < 0)
		return set_error(err, errlen,
				 "its keeper's namespaces or filter are not the sandbox's");
	return STATE_RUNNING;
}

static void handle_init(struct sandbox_handle *h)
{
	memset(h, 0, sizeof *h);
	h->init_pidfd = h->monitor_pidfd = -1;
	for (int i = 0; i < STATE_NS_MAX; i++)
		h->ns[i] = -1;
}

/* Is P the process it was (the same start time), or gone? */
static bool proc_is(const struct proc_id *p)
{
	uint64_t start;

	return p->pid > 0 && proc_start_time(p->pid, &start) == 0 && start == p->start;
}

int state_orphan_monitor(int dir, const char *name)
{
	struct sandbox_state st;
	int pidfd = -1;

	if (state_read(dir, name, &st) != STATE_RUNNING)
		return -1;
	/* Its keeper gone (killed), its nook run still there: that one, as it was. */
	if (!proc_is(&st.procs[STATE_KEEPER]) && st.procs[STATE_MONITOR].pid > 0) {
		pidfd = (int)syscall(SYS_pidfd_open, st.procs[STATE_MONITOR].pid, 0);
		/* Checked after the open: a pid taken by another process since has another start. */
		if (pidfd >= 0 && !proc_is(&st.procs[STATE_MONITOR])) {
			close(pidfd);
			pidfd = -1;
		}
	}
	sandbox_state_free(&st);
	return pidfd;
}

int state_connect(int dir, const char *name, struct sandbox_handle *h, char *err, size_t errlen)
{
	char sockname[SANDBOX_NAME_MAX + 2];
	struct sockaddr_un a;
	autoclose int sock = -1;
	struct stat st;
	int r;

	handle_init(h);
	if (!sandbox_name_valid(name) || !store_alive(dir, name))
		return STATE_GONE;
	/* A socket, not a link to another one (connect(2) would follow it). */
	store_socket_name(name, sockname, sizeof sockname);
	if (fstatat(dir, sockname, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return STATE_STARTING;
	if (!S_ISSOCK(st.st_mode) || st.st_uid != geteuid())
		return set_error(err, errlen, "its socket DIR/%s is not a socket of the caller's",
				 sockname);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return set_error(err, errlen, "socket: %s", strerror(errno));
	/* Its keeper answers once its nook has let pid 1 go: until then, "starting". */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){.tv_sec = 1},
		       sizeof(struct timeval)) < 0)
		return set_error(err, errlen, "setsockopt: %s", strerror(errno));
	socket_path(dir, name, &a);
	if (connect(sock, (struct sockaddr *)&a, sizeof a) < 0) {
		int orphan;

		/* Not listening yet (or any more: then the lock goes soon too); or never again. */
		if (errno != ENOENT && errno != ECONNREFUSED)
			return set_error(err, errlen, "cannot reach its keeper: %s",
					 strerror(errno));
		orphan = state_orphan_monitor(dir, name);
		if (orphan < 0)
			return STATE_STARTING;
		close(orphan);
		return set_error(err, errlen,
				 "its keeper is gone (killed?), and with it what enter needs to join "
				 "the sandbox; nook stop still ends it, through its nook run");
	}
	if (!state_peer_trusted(sock))
		return set_error(err, errlen,
				 "its socket DIR/.%s is not served by a process of the caller's "
				 "outside every sandbox: not trusted",
				 name);
	r = take_reply(h, sock, err, errlen);
	/* Another sandbox's keeper, its socket moved here: not the one asked for. */
	if (r == STATE_RUNNING && strcmp(h->state.name, name) != 0)
		r = set_error(err, errlen, "its socket is served by the keeper of another sandbox");
	if (r != STATE_RUNNING)
		sandbox_handle_free(h);
	return r;
}

void sandbox_handle_free(struct sandbox_handle *h)
{
	if (h->init_pidfd >= 0)
		close(h->init_pidfd);
	if (h->monitor_pidfd >= 0)
		close(h->monitor_pidfd);
	for (int i = 0; i < STATE_NS_MAX; i++)
		if (h->ns[i] >= 0)
			close(h->ns[i]);
	free(h->filter);
	sandbox_state_free(&h->state);
	handle_init(h);
}
