// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monitor's part of a named sandbox (sandbox/state.h): its entry, reserved before
 * anything else is done, so that a second sandbox of the same name fails at once (a
 * generated name's, with the keeper); pid 1's namespaces, opened while it waits for its id
 * maps (a generated name's, while it makes its mounts); its keeper, started once the sandbox
 * has lived KEEPER_DELAY_MS; the payload's report of its pid, through pid 1; the entry's
 * removal at the end.
 */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "sandbox/launch.h"
#include "sandbox/state.h"
#include "util/err.h"
#include "util/sandbox_name.h"

static struct {
	int dir, entry; /* the state directory; the entry, our lock on it held */
	char *name;
	int report[2]; /* [0] the keeper's end, [1] pid 1's (then the payload's) */
	int listen;    /* the keeper's socket, made here so that it goes before the entry does */
	int cleanup;
	uint64_t clone_flags;
	pid_t init;
	int init_pidfd;
	uint64_t ns_flags;
	int ns[STATE_NS_MAX];
	bool failed; /* pid 1 ended before its namespaces were held */
	bool keeper; /* started: it holds what is above, and removes the entry if we die */
	bool late;   /* a generated name: namespaces held after the go, entry with keeper */
	struct timespec held; /* when pid 1's namespaces were held */
} st = {.dir = -1,
	.entry = -1,
	.report = {-1, -1},
	.listen = -1,
	.cleanup = -1,
	.init_pidfd = -1,
	.ns = {-1, -1, -1, -1, -1, -1, -1, -1}};

/*
 * A keeper is a fork of the monitor, and its work (its set-up, the state it writes when the
 * payload reports) runs on the CPUs that pid 1 and the payload need: a sandbox that ends
 * sooner than this never gets one. A nook enter or stop of it meanwhile waits in the socket's
 * backlog for the keeper's answer, and nook list shows it starting.
 */
#define KEEPER_DELAY_MS 20

_Static_assert(STATE_NS_MAX == sizeof((struct keeper_fds){0}.ns) / sizeof(int),
	       "keeper_fds.ns has STATE_NS_MAX entries");

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* A start that failed before its keeper: the entry goes with it. */
static void state_cleanup(void *arg)
{
	(void)arg;
	if (st.entry >= 0 && st.dir >= 0)
		store_remove(st.dir, st.name, st.entry);
}

/* The entry, locked under a name of its own, then given NAME by rename: never unlocked. */
static int make_entry(const char *tmp)
{
	st.entry = openat(st.dir, tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (st.entry < 0 || flock(st.entry, LOCK_EX | LOCK_NB) < 0)
		return -1;
	return 0;
}

static void unmake_entry(const char *tmp)
{
	if (st.entry >= 0)
		(void)unlinkat(st.dir, tmp, 0);
	close_fd(&st.entry);
	close_fd(&st.dir);
}

/*
 * The entry under S's name and the keeper's socket. A generated name (reserved when the
 * keeper is due) takes the next that is free, and nothing dies for it: -1, and the sandbox
 * has no state.
 */
static int reserve_entry(const struct spec *s)
{
	char tmp[64], err[512];
	struct timespec now;

	st.dir = state_dir_open(s->state_dir, true, err, sizeof err);
	if (st.dir < 0) {
		/* A generated name is a convenience: without a state, the sandbox has none. */
		if (s->name_generated)
			return -1;
		die("--name=%s: %s", s->name, err);
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(tmp, sizeof tmp, ".new-%ld-%ld", (long)getpid(), (long)now.tv_nsec);
	if (make_entry(tmp) < 0) {
		int e = errno;

		unmake_entry(tmp);
		if (s->name_generated)
			return -1;
		errno = e;
		die_errno("--name=%s: cannot make its state in %s", s->name, s->state_dir);
	}
	st.name = xstrdup(s->name);
	for (int tries = 0;; tries++) {
		char *next;

		if (renameat2(st.dir, tmp, st.dir, st.name, RENAME_NOREPLACE) == 0)
			break;
		if (errno != EEXIST || tries > 1000) {
			int e = errno;

			unmake_entry(tmp);
			if (s->name_generated)
				return -1;
			errno = e;
			die_errno("--name=%s: cannot make its state in %s", st.name, s->state_dir);
		}
		/* A stale entry is removed by looking at it; a live one keeps the name. */
		if (!store_alive(st.dir, st.name))
			continue;
		if (s->name_generated && (next = sandbox_name_next(st.name))) {
			free(st.name);
			st.name = next;
			continue;
		}
		unmake_entry(tmp);
		if (s->name_generated)
			return -1;
		if (s->join_or_start) {
			free(st.name);
			st.name = NULL;
			return SANDBOX_NAME_TAKEN;
		}
		die("--name=%s: a sandbox of that name is running (nook enter %s runs a command "
		    "in it)",
		    st.name, st.name);
	}
	st.cleanup = cleanup_push(state_cleanup, NULL);
	st.listen = keeper_listen(st.dir, st.name);
	if (st.listen < 0) {
		if (s->name_generated)
			return -1;
		die_errno("--name=%s: cannot make its socket in %s", st.name, s->state_dir);
	}
	return 0;
}

int state_reserve(const struct spec *s)
{
	int one = 1;

	if (!s->name)
		return 0;
	st.clone_flags = s->clone_flags;
	/*
	 * A generated name's entry waits for the keeper: most sandboxes of a moment (a build's
	 * compiler, a test) end before it, and making and removing it (~0.1 ms) was on the
	 * start's path and its end's. A --name is taken now, or the start fails at once.
	 */
	if (s->name_generated)
		st.late = true;
	else if (reserve_entry(s) == SANDBOX_NAME_TAKEN)
		return SANDBOX_NAME_TAKEN;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st.report) < 0 ||
	    setsockopt(st.report[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof one) < 0)
		die_errno("cannot make the sandbox's state");
	return 0;
}

/*
 * By its pidfd (PIDFD_GET_*_NAMESPACE, Linux 6.11), else through /proc/PID/ns/. Both want
 * what ptrace wants: pid 1 here is still a plain copy of this process.
 */
int pidfd_open_ns(pid_t pid, int pidfd, int flag)
{
	static const struct {
		int flag;
		unsigned nr; /* of _IO(0xFF, nr) */
		const char *file;
	} t[] = {
		{CLONE_NEWCGROUP, 1, "cgroup"}, {CLONE_NEWIPC, 2, "ipc"},
		{CLONE_NEWNS, 3, "mnt"},        {CLONE_NEWNET, 4, "net"},
		{CLONE_NEWPID, 5, "pid"},       {CLONE_NEWUSER, 9, "user"},
		{CLONE_NEWUTS, 10, "uts"},
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		char path[64];
		int fd;

		if (t[i].flag != flag)
			continue;
		/* close-on-exec, as the kernel's open_namespace() makes it */
		fd = ioctl(pidfd, _IO(0xFF, t[i].nr), 0);
		if (fd >= 0)
			return fd;
		snprintf(path, sizeof path, "/proc/%ld/ns/%s", (long)pid, t[i].file);
		return open(path, O_RDONLY | O_CLOEXEC);
	}
	errno = EINVAL;
	return -1;
}

/* The namespaces held so far go: the sandbox ended before it could be entered. */
static void state_let_go(void)
{
	for (int i = 0; i < STATE_NS_MAX; i++)
		close_fd(&st.ns[i]);
	st.ns_flags = 0;
	st.failed = true;
}

/* pid 1's namespaces, by its pidfd, while it is still dumpable; false: it is gone. */
static bool hold_namespaces(void)
{
	int i = 0;

	for (const struct enum_name *ns = namespace_names; ns->name && i < STATE_NS_MAX;
	     ns++, i++) {
		st.ns[i] = -1;
		if (!(st.clone_flags & (uint64_t)ns->value))
			continue;
		st.ns[i] = pidfd_open_ns(st.init, st.init_pidfd, ns->value);
		/* Gone, or a zombie (its /proc/PID/ns is no more): it failed and said why. */
		if (st.ns[i] < 0 && (errno == ESRCH || errno == ENOENT))
			return false;
		if (st.ns[i] < 0) {
			/* A generated name's sandbox goes on without a state. */
			if (st.late)
				return false;
			die_errno("cannot hold the sandbox's %s namespace", ns->name);
		}
		st.ns_flags |= (uint64_t)ns->value;
	}
	for (; i < STATE_NS_MAX; i++)
		st.ns[i] = -1;
	/* pid 1 still lives: those were its namespaces, not a new process's of the same pid. */
	if (syscall(SYS_pidfd_send_signal, st.init_pidfd, 0, NULL, 0) < 0) {
		if (st.late)
			return false;
		die_errno("cannot hold the sandbox's namespaces");
	}
	return true;
}

void state_hold(pid_t init, int init_pidfd)
{
	if (st.entry < 0 && !st.late)
		return;
	/* pid 1 has its end: EOF on ours once it and the payload are gone. */
	close_fd(&st.report[1]);
	st.init = init;
	st.init_pidfd = init_pidfd;
	clock_gettime(CLOCK_MONOTONIC, &st.held);
	/* Those it has of its own: the host's are not the sandbox's to give. */
	if (!st.late && !hold_namespaces())
		state_let_go(); /* No keeper, nothing to enter. */
}

void state_hold_late(void)
{
	/*
	 * pid 1 makes its mounts first, and is not dumpable only after them: its namespaces
	 * are opened while it works, not while it waits for the go.
	 */
	if (st.late && !st.failed && !hold_namespaces())
		state_let_go();
}

bool state_late(void)
{
	return st.late;
}

static void state_keeper_start(const struct spec *s)
{
	struct keeper_fds f;
	pid_t keeper;

	f = (struct keeper_fds){
		.dir = st.dir,
		.entry = st.entry,
		.report = st.report[0],
		.listen = st.listen,
		.init_pidfd = st.init_pidfd,
		.monitor_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0),
		.init = st.init,
		.ns_flags = st.ns_flags,
	};
	memcpy(f.ns, st.ns, sizeof f.ns);
	if (f.monitor_pidfd < 0)
		die_errno("cannot start the sandbox's keeper: pidfd_open");
	keeper = keeper_start(s, st.name, &f);
	if (keeper < 0)
		die_errno("cannot start the sandbox's keeper");
	close(f.monitor_pidfd);
	close_fd(&st.report[0]);
	close_fd(&st.listen);
	for (int i = 0; i < STATE_NS_MAX; i++)
		close_fd(&st.ns[i]);
	/* The keeper removes the entry if we die from here on. */
	cleanup_pop(st.cleanup);
	st.cleanup = -1;
	st.keeper = true;
}

int state_keeper_due(const struct spec *s)
{
	struct timespec now;
	long ms;

	if ((st.entry < 0 && !st.late) || st.failed || st.keeper)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - st.held.tv_sec) * 1000 + (now.tv_nsec - st.held.tv_nsec) / 1000000;
	if (ms < KEEPER_DELAY_MS)
		return (int)(KEEPER_DELAY_MS - ms);
	if (st.late && st.entry < 0 && reserve_entry(s) < 0) {
		state_let_go();
		close_fd(&st.report[0]);
		state_finish();
		free(st.name);
		st.name = NULL;
		return -1;
	}
	state_keeper_start(s);
	return -1;
}

void state_sandbox_ended(void)
{
	/*
	 * Without a keeper, the namespaces it would have held go now, as it lets them go when
	 * pid 1 ends: the mount namespace must not outlive the sandbox (nook-guard removes what
	 * its masks cover).
	 */
	if ((st.entry >= 0 || st.late) && !st.keeper) {
		for (int i = 0; i < STATE_NS_MAX; i++)
			close_fd(&st.ns[i]);
		close_fd(&st.report[0]);
	}
}

void state_finish(void)
{
	if (st.entry < 0)
		return;
	store_remove(st.dir, st.name, st.entry);
	if (st.cleanup >= 0)
		cleanup_pop(st.cleanup);
	st.cleanup = -1;
	close_fd(&st.listen);
	close_fd(&st.entry);
	close_fd(&st.dir);
	free(st.name);
	st.name = NULL;
}

/* ---- in pid 1, and the payload ---- */

void state_report_park(void)
{
	int fd;

	if (st.report[1] < 0)
		return;
	fd = fcntl(st.report[1], F_DUPFD_CLOEXEC, 10);
	if (fd < 0)
		die_errno("init: fcntl");
	close(st.report[1]);
	st.report[1] = fd;
}

int state_report_keep(int at)
{
	if (st.report[1] < 0)
		return at;
	if (st.report[1] != at) {
		if (dup3(st.report[1], at, O_CLOEXEC) < 0)
			die_errno("init: dup3");
		close(st.report[1]);
		st.report[1] = at;
	}
	return at + 1;
}

void state_report_payload(void)
{
	char byte = 0;

	/* The kernel adds who sent it (SO_PASSCRED): the keeper learns the payload's pid. */
	if (st.report[1] >= 0)
		(void)send(st.report[1], &byte, 1, MSG_DONTWAIT | MSG_NOSIGNAL);
	close_fd(&st.report[1]);
}

void state_report_close(void)
{
	close_fd(&st.report[1]);
}
