// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What pid 1 creates on filesystems that outlive the sandbox: mount points in a writable bind,
 * and the placeholders that keep a blacklisted path from being created while the sandbox
 * runs. Each is sent to the monitor (its parent directory as an fd, its name, its inode), which
 * removes it once the sandbox is gone, so the host keeps no directory named .netrc or
 * .bash_history. Only what is still the same inode and still empty is removed.
 *
 * Sandboxes of one user share placeholders: the second one finds the first's there and puts
 * its mask on it. Removing it then would detach that mask (the kernel unmounts what is
 * mounted on a removed directory in every namespace), so each pid 1 holds a shared flock on
 * every placeholder it uses until it ends, and a guard removes only what it can lock
 * exclusively. A placeholder bears nook's mark (an xattr): a sandbox that finds one of
 * another's adopts it, so whichever ends last removes it.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <bsd/unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/fsutil.h"

/* What marks a placeholder as nook's: another sandbox that finds it may remove it too. */
#define TRACE_MARK "user.nook.placeholder"

/* One message: the parent's fd rides along (SCM_RIGHTS). */
struct trace_msg {
	dev_t dev;
	ino_t ino;
	bool sockets; /* a directory of nook's own: the sockets in it go first */
	char name[256];
};

struct trace {
	int dirfd;
	struct trace_msg m;
	/* Where they are collected: the directory of dirfd, and whether an earlier trace in
	 * the same directory owns that fd (one fd a directory, not one a trace). */
	dev_t dir_dev;
	ino_t dir_ino;
	bool shares_fd;
	bool removed;
};

static int host_sock = -1;

void traces_host_begin(int sock)
{
	host_sock = sock;
}

void traces_host_end(void)
{
	if (host_sock >= 0)
		close(host_sock);
	host_sock = -1;
}

/*
 * A trace that is not sent is one the host keeps: when the queue is full (the guard reads
 * behind a sandbox that makes hundreds of placeholders, on a loaded machine), wait for room,
 * SEND_PATIENCE_MS at most; after one wait in vain (no guard reads: it could not be forked, and
 * the monitor reads only at the end) the rest are sent as there is room, without waiting.
 */
#define SEND_PATIENCE_MS 5000

static bool send_stalled;

static void send_waiting(int sock, const struct msghdr *msg)
{
	struct timespec start, now;
	bool started = false;

	while (sendmsg(sock, msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		struct pollfd p = {.fd = sock, .events = POLLOUT};
		/* Too many fds in flight: it ends as the guard receives them, POLLOUT or not. */
		bool refs = errno == ETOOMANYREFS;

		if ((errno != EAGAIN && !refs && errno != EINTR) || send_stalled)
			return;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!started) {
			start = now;
			started = true;
		} else if ((now.tv_sec - start.tv_sec) * 1000 +
				   (now.tv_nsec - start.tv_nsec) / 1000000 >=
			   SEND_PATIENCE_MS) {
			send_stalled = true;
			return;
		}
		poll(&p, refs ? 0 : 1, 10);
	}
}

static void send_one(int sock, const struct trace *t)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {(void *)&t->m, sizeof t->m};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof u.buf,
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &t->dirfd, sizeof(int));
	send_waiting(sock, &msg);
}

void traces_announce(int dirfd, const char *name)
{
	struct trace t = {.dirfd = dirfd};

	/* Before the create: a SIGKILL between it and traces_note must not lose it. */
	if (host_sock < 0 || strlen(name) >= sizeof t.m.name || on_own_tmpfs(dirfd))
		return;
	strcpy(t.m.name, name);
	send_one(host_sock, &t);
}

void traces_note(int dirfd, const char *name)
{
	struct trace t = {.dirfd = dirfd};
	struct stat st;

	/*
	 * Only while nook's guard listens (pid 1's mounts); an OCI container has none, and its
	 * mount points stay, as runc's. On the sandbox's own tmpfs nothing created lasts (a
	 * host's tmpfs bound in does).
	 */
	if (host_sock < 0 || strlen(name) >= sizeof t.m.name || on_own_tmpfs(dirfd) ||
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	t.m.dev = st.st_dev;
	t.m.ino = st.st_ino;
	/* Sent at once: should nook die the next moment, its guard knows of it. */
	strcpy(t.m.name, name);
	send_one(host_sock, &t);
}

/* What pid 1 holds locked until it ends: never closed, never inherited (close-on-exec). */
static int *held;
static size_t nheld;

int traces_hold(int pdir, const char *name, enum trace_use use)
{
	struct stat st;
	bool marked = false;
	char v;
	int fd = openat(pdir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	/* Only an empty file or a directory, on a filesystem that outlives the sandbox. */
	if (fstat(fd, &st) < 0 ||
	    !(S_ISDIR(st.st_mode) || (S_ISREG(st.st_mode) && st.st_size == 0)) || on_own_tmpfs(fd))
		goto not_held;
	if (use == TRACE_CREATED)
		fsetxattr(fd, TRACE_MARK, "1", 1, 0); /* unmarkable: then only locked */
	else if (fgetxattr(fd, TRACE_MARK, &v, sizeof v) >= 0)
		marked = true; /* another nook's, still there: ours to remove too, if we are last */
	else if (errno == ENODATA || use == TRACE_PATH)
		goto not_held; /* the user's own */
	if (flock(fd, LOCK_SH) < 0 || fstat(fd, &st) < 0)
		goto not_held;
	if (st.st_nlink == 0) {
		/* A guard removed it between our open and our lock. */
		close(fd);
		errno = EAGAIN;
		return -1;
	}
	if (marked)
		traces_note(pdir, name);
	held = xreallocarray(held, nheld + 1, sizeof *held);
	held[nheld++] = fd;
	return marked;
not_held:
	close(fd);
	return 0;
}

void traces_announce_host(const char *dir, const char *name)
{
	struct trace t = {.dirfd = -1, .m = {.sockets = true}};

	if (host_sock < 0 || strlen(name) >= sizeof t.m.name)
		return;
	t.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t.dirfd < 0)
		return;
	strcpy(t.m.name, name);
	send_one(host_sock, &t);
	close(t.dirfd);
}

void traces_note_host(const char *dir, const char *name)
{
	struct trace t = {.dirfd = -1};
	struct stat st;

	if (host_sock < 0 || strlen(name) >= sizeof t.m.name)
		return;
	t.dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (t.dirfd < 0)
		return;
	if (fstatat(t.dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		t.m.dev = st.st_dev;
		t.m.ino = st.st_ino;
		t.m.sockets = S_ISDIR(st.st_mode);
		strcpy(t.m.name, name);
		send_one(host_sock, &t);
	}
	close(t.dirfd);
}

static bool receive(int sock, struct trace *t)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {&t->m, sizeof t->m};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = u.buf,
		.msg_controllen = sizeof u.buf,
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(sock, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);

	if (n <= 0)
		return false;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int)))
		return n == sizeof t->m ? (t->dirfd = -1, true) : false;
	memcpy(&t->dirfd, CMSG_DATA(c), sizeof(int));
	t->m.name[sizeof t->m.name - 1] = '\0';
	return n == sizeof t->m || (close(t->dirfd), t->dirfd = -1, true);
}

/* The sockets in DIR (slirp4netns's API socket, which nook may not have noted yet). */
static void remove_sockets(int at, const char *dir)
{
	DIR *d = dir_from_fd(openat(at, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISSOCK(st.st_mode))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}

/*
 * What is queued on sock, appended to the list. Traces in one directory share the fd of the
 * first: a sandbox may make thousands of placeholders in one home, more than the fds a process
 * may hold.
 */
static void collect(int sock, struct trace **got, size_t *n)
{
	struct trace t;
	struct stat st;

	while (receive(sock, &t)) {
		t.dir_dev = 0;
		t.dir_ino = 0;
		t.shares_fd = false;
		t.removed = false;
		if (t.dirfd >= 0 && fstat(t.dirfd, &st) == 0) {
			t.dir_dev = st.st_dev;
			t.dir_ino = st.st_ino;
			for (size_t i = 0; i < *n; i++) {
				const struct trace *o = &(*got)[i];

				if (o->dirfd >= 0 && !o->shares_fd && o->dir_dev == st.st_dev &&
				    o->dir_ino == st.st_ino) {
					close(t.dirfd);
					t.dirfd = o->dirfd;
					t.shares_fd = true;
					break;
				}
			}
		}
		*got = xreallocarray(*got, *n + 1, sizeof **got);
		(*got)[(*n)++] = t;
	}
}

/*
 * Removing NAME needs an exclusive lock on it: a sandbox that still has a mask or a mount on
 * it holds a shared one (traces_hold), and removing it would detach that mount in its
 * namespace too. The fd keeps the lock until the removal is done. -1: leave it.
 */
static int lock_for_removal(const struct trace *t)
{
	int fd = openat(t->dirfd, t->m.name,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Remove one trace if it is still ours. False: not now (a directory not yet empty). */
/* What remove_one() did: the trace is done with, or to be tried again. */
enum removal { REMOVAL_DONE, REMOVAL_NOT_EMPTY, REMOVAL_COVERED };

static enum removal remove_one(const struct trace *t)
{
	struct stat st, dir;
	int lock = -1;
	bool done = true;

	if (fstatat(t->dirfd, t->m.name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return REMOVAL_DONE;
	/*
	 * Another filesystem than its directory's, and not the one it was made on: a mount is
	 * still on it, in the sandbox's namespace, which a process of nook's still holds for a
	 * moment (nook-keeper lets it go when pid 1 ends). Once it goes, the mount goes.
	 */
	if (fstat(t->dirfd, &dir) == 0 && st.st_dev != dir.st_dev && st.st_dev != t->m.dev)
		return REMOVAL_COVERED;
	/* ino 0: announced before it was made; an empty one of that name is ours. */
	if (!((st.st_dev == t->m.dev && st.st_ino == t->m.ino) || t->m.ino == 0))
		return REMOVAL_DONE;
	/* nook's own directories (slirp4netns's) and sockets are this sandbox's alone. */
	if (!t->m.sockets && !S_ISSOCK(st.st_mode) && (lock = lock_for_removal(t)) < 0)
		return REMOVAL_DONE;
	if (S_ISDIR(st.st_mode) && t->m.sockets)
		remove_sockets(t->dirfd, t->m.name);
	if (S_ISDIR(st.st_mode))
		done = unlinkat(t->dirfd, t->m.name, AT_REMOVEDIR) == 0 || errno != ENOTEMPTY;
	else if ((S_ISREG(st.st_mode) && st.st_size == 0) || S_ISSOCK(st.st_mode))
		unlinkat(t->dirfd, t->m.name, 0);
	if (lock >= 0)
		close(lock);
	return done ? REMOVAL_DONE : REMOVAL_NOT_EMPTY;
}

/* How long a mount may stay on a trace after pid 1's end (see REMOVAL_COVERED). */
#define COVERED_PATIENCE_MS 3000

static void remove_collected(int sock, struct trace *got, size_t n)
{
	bool progress = true;

	collect(sock, &got, &n);
	close(sock);
	/*
	 * A directory goes once what was made in it is gone: its own placeholders (sent after
	 * it), or what another sandbox adopted there and removes later. Passes until none helps.
	 * Waited for a while: a mount still on a trace, and a directory of nook's own where a
	 * socket came after its sockets went (slirp4netns, started by a nook that was killed a
	 * moment later, binds its API socket while pid 1 is already gone: it dies soon after).
	 */
	for (int waited = 0; progress && waited <= COVERED_PATIENCE_MS;) {
		bool covered = false;

		progress = false;
		for (size_t i = n; i-- > 0;) {
			enum removal r;

			if (got[i].dirfd < 0 || got[i].removed)
				continue;
			r = remove_one(&got[i]);
			if (r == REMOVAL_DONE) {
				got[i].removed = true;
				progress = true;
			}
			covered |= r == REMOVAL_COVERED ||
				   (r == REMOVAL_NOT_EMPTY && got[i].m.sockets);
		}
		if (!progress && covered) {
			poll(NULL, 0, 10);
			waited += 10;
			progress = true;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (got[i].dirfd >= 0 && !got[i].shares_fd)
			close(got[i].dirfd);
	free(got);
}

void traces_remove(int sock)
{
	remove_collected(sock, NULL, 0);
}

/*
 * Whether pid 1 may leave anything on the host: only where something is bound writable
 * (a bind, a named overlay's upper layer). Elsewhere nothing is forked for it.
 */
static bool may_leave_traces(const struct spec *s)
{
	/* slirp4netns's API socket; pasta makes no file. */
	if (s->overlay.mode == OVERLAY_NAMED || (s->net.mode == NET_SLIRP && s->net.npublish > 0))
		return true;
	/*
	 * pid 1 makes something on the host only inside a writable bind of the host's: the
	 * mount point or placeholder of a later mount below it. A writable bind with nothing
	 * below it (a session's socket, the working directory alone) leaves nothing to remove.
	 */
	for (size_t i = 0; i < s->nmounts; i++) {
		const char *dir = s->mounts[i].dest;
		size_t n = strlen(dir);

		if (s->mounts[i].kind != MOUNT_BIND || (s->mounts[i].flags & MOUNT_F_RDONLY))
			continue;
		for (size_t j = i + 1; j < s->nmounts; j++) {
			const char *d = s->mounts[j].dest;

			if (d && strncmp(d, dir, n) == 0 && (d[n] == '/' || (n == 1 && d[1])))
				return true;
		}
	}
	return false;
}

pid_t traces_guard(const struct spec *s, int sock, int pidfd)
{
	struct trace *got = NULL;
	size_t n = 0;
	pid_t pid;
	int null;

	if (!may_leave_traces(s))
		return 0;
	pid = fork();
	if (pid != 0)
		return pid; /* -1: the monitor removes them itself */
	/*
	 * The guard: it outlives a nook killed with SIGKILL (no PDEATHSIG), out of the caller's
	 * session (the terminal's signals are the sandbox's business), holding nothing but the
	 * traces and pid 1's pidfd: no terminal, no pipe a caller waits on, no helper's exit fd.
	 */
	cleanup_forget_all();
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup3(sock, 3, 0) < 0 || dup3(pidfd, 4, 0) < 0 || dup2(null, 0) < 0 ||
	    dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(1);
	closefrom(5);
	setsid();
	prctl(PR_SET_NAME, "nook-guard", 0, 0, 0);
	/* Read as they come (a socket's queue holds a few hundred), remove once pid 1 is gone. */
	for (bool open_ = true;;) {
		struct pollfd p[2] = {{.fd = 4, .events = POLLIN},
				      {.fd = open_ ? 3 : -1, .events = POLLIN}};

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		if (p[1].revents & POLLIN)
			collect(3, &got, &n);
		/* Every writer closed (pid 1 made its mounts): only its end is awaited now. */
		if (p[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			open_ = false;
	}
	remove_collected(3, got, n);
	_exit(0);
}
