// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook-userns: the caller's pool of user namespaces mapped beforehand. newuidmap and
 * newgidmap are two setuid execs, most of a keep-id start; the pool runs them ahead of time,
 * on a process that exists only to be mapped, and keeps the namespace in an fd once that
 * process is gone. Each namespace goes to one sandbox, ever: the pool forgets it as it hands
 * it over. One pool a user, started by nook when it found none; it exits when idle.
 *
 * The protocol, on a SOCK_SEQPACKET socket in the private runtime directory: a request is one
 * message, the op 'g' (get one) and the key, the maps and their helpers as userns_pool_key()
 * writes them. The answer is 'y' with the namespace's fd, or 'n'. A key with the line "net"
 * asks for a network namespace too, made in the user namespace once it is mapped, its lo up
 * (the clone of one is a good part of a start, and its setup is the same for every sandbox):
 * 'y' then has both fds, the user namespace's first. The start that started the pool hands
 * its key over on a pipe the pool inherits (want_first): prepared first.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "sandbox/launch.h"
#include "util/err.h"

/* The last maps asked for (their keys), and two namespaces at most of each waiting. */
#define POOL_KEYS 2
#define POOL_MAX (2 * POOL_KEYS)
/* How often the pool checks that its socket is still the one at its path. */
#define POOL_CHECK_MS 2000
/*
 * How long after a request the pool waits before it makes a second namespace for a key that
 * has one ready: the helpers' work would otherwise fall on the start that just asked, in
 * competition with it. A key with none ready is made at once (starts in quick succession
 * would otherwise never leave the pool the time to refill).
 */
#define POOL_REFILL_DELAY_MS 20

struct ready {
	char *key;
	int fd;    /* /proc/PID/ns/user of the process that was mapped */
	int netfd; /* a network namespace it owns, for a key with "net"; else -1 */
};

static struct ready pool[POOL_MAX];
static size_t npool;
/* The keys asked for, the latest first: what to prepare. */
static char *wanted[POOL_KEYS];
/* A key the helpers refused: not tried again (nook's own start says why). */
static char *refused;
/*
 * The namespace being made, by a child of the pool (the maker), so that requests are
 * answered meanwhile: its key, and the socket it sends the namespace back on (-1: none).
 */
static char *making;
static int maker_sock = -1;
static pid_t maker;

static void map_lines(FILE *f, const char *what, const struct id_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		fprintf(f, "%s %u %u %u\n", what, m->r[i].inside, m->r[i].outside, m->r[i].count);
}

char *userns_pool_key(const struct idmap_request *r, bool net)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die_errno("open_memstream");
	fprintf(f, "newuidmap %s\nnewgidmap %s\n", r->newuidmap, r->newgidmap);
	map_lines(f, "uid", r->uid_map);
	map_lines(f, "gid", r->gid_map);
	if (net)
		fputs("net\n", f);
	if (fclose(f) != 0)
		die_errno("open_memstream");
	return text;
}

/* The key back into a request; helper paths point into *buf. -1: not one of nook's keys. */
static int key_parse(char *buf, struct idmap_request *r, struct id_map *uid, struct id_map *gid,
		     bool *net)
{
	char *save = NULL;

	*net = false;
	memset(r, 0, sizeof *r);
	uid->n = gid->n = 0;
	r->uid_map = uid;
	r->gid_map = gid;
	r->helpers = true;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct id_range x;
		char what[4];

		if (strncmp(line, "newuidmap /", 11) == 0) {
			r->newuidmap = line + 10;
		} else if (strncmp(line, "newgidmap /", 11) == 0) {
			r->newgidmap = line + 10;
		} else if (strcmp(line, "net") == 0) {
			*net = true;
		} else if (sscanf(line, "%3s %u %u %u", what, &x.inside, &x.outside, &x.count) ==
			   4) {
			struct id_map *m = strcmp(what, "uid") == 0   ? uid
					   : strcmp(what, "gid") == 0 ? gid
								      : NULL;

			if (!m || m->n == ID_MAP_MAX)
				return -1;
			m->r[m->n++] = x;
		} else {
			return -1;
		}
	}
	return r->newuidmap && r->newgidmap && uid->n && gid->n ? 0 : -1;
}

/*
 * One namespace for KEY: a process that does nothing but exist in a new user namespace while
 * the helpers map it; its namespace is opened, and it is killed. -1: refused or failed. For a
 * key with "net", *NETFD: a network namespace made in it, by this process (the maker, which
 * exits once it has sent both), else -1.
 */
static int make_one(const char *key, int *netfd)
{
	autofree char *buf = xstrdup(key);
	struct idmap_request r;
	struct id_map uid, gid;
	char path[64];
	int fd = -1;
	bool net;
	pid_t self = getpid(), child;

	*netfd = -1;
	if (key_parse(buf, &r, &uid, &gid, &net) < 0)
		return -1;
	child = (pid_t)syscall(SYS_clone, (long)(CLONE_NEWUSER | SIGCHLD), 0L, NULL, NULL, 0L);
	if (child < 0)
		return -1;
	if (child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == self)
			for (;;)
				pause();
		_exit(1);
	}
	if (idmap_try(child, &r) == 0) {
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)child);
		fd = open(path, O_RDONLY | O_CLOEXEC);
	}
	kill(child, SIGKILL);
	while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
		;
	if (fd >= 0 && net) {
		/* Its owner is the user namespace: made from inside it, once mapped. */
		if (setns(fd, CLONE_NEWUSER) < 0 || unshare(CLONE_NEWNET) < 0 ||
		    (*netfd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0) {
			close(fd);
			return -1;
		}
		/* Off the start's path too (IPv6 brings ::1 up with it); pid 1 sees it is up. */
		(void)net_loopback_try();
	}
	return fd;
}

static void drop(size_t i)
{
	close(pool[i].fd);
	if (pool[i].netfd >= 0)
		close(pool[i].netfd);
	free(pool[i].key);
	pool[i] = pool[--npool];
}

static void answer(int conn, char c, int fd, int netfd);

static size_t count(const char *key)
{
	size_t n = making && strcmp(making, key) == 0;

	for (size_t i = 0; i < npool; i++)
		n += strcmp(pool[i].key, key) == 0;
	return n;
}

/* KEY was asked for: it comes first in what to prepare. */
static void want(const char *key)
{
	size_t i = 0;

	while (i < POOL_KEYS - 1 && wanted[i] && strcmp(wanted[i], key) != 0)
		i++;
	free(wanted[i]);
	memmove(wanted + 1, wanted, i * sizeof *wanted);
	wanted[0] = xstrdup(key);
}

/*
 * The next namespace to make, if any: one for each key asked for (the latest first), then a
 * second of each while there is room, so that a start which takes one leaves one (its
 * replacement is made after POOL_REFILL_DELAY_MS, not while it starts). A key not asked for
 * lately, or a second of another key, is evicted to make room for a first.
 */
static const char *next_to_make(void)
{
	for (size_t i = 0; i < POOL_KEYS && wanted[i]; i++) {
		if ((refused && strcmp(wanted[i], refused) == 0) || count(wanted[i]))
			continue;
		for (size_t k = 0; npool == POOL_MAX && k < npool; k++) {
			bool asked = false;

			for (size_t w = 0; w < POOL_KEYS && wanted[w]; w++)
				asked |= strcmp(pool[k].key, wanted[w]) == 0;
			if (!asked || count(pool[k].key) > 1) {
				drop(k);
				break;
			}
		}
		return npool < POOL_MAX ? wanted[i] : NULL;
	}
	for (size_t i = 0; i < POOL_KEYS && wanted[i] && npool < POOL_MAX; i++)
		if (!(refused && strcmp(wanted[i], refused) == 0) && count(wanted[i]) < 2)
			return wanted[i];
	return NULL;
}

/* Is a namespace ready for every key asked for lately? Then a refill can wait. */
static bool all_ready(void)
{
	for (size_t i = 0; i < POOL_KEYS && wanted[i]; i++)
		if (!count(wanted[i]) && !(refused && strcmp(wanted[i], refused) == 0))
			return false;
	return true;
}

/* Start the maker of KEY's namespace: it sends it back ('y' and the fd) or says 'n'. */
static void maker_start(const char *key)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return;
	maker = fork();
	if (maker == 0) {
		/*
		 * Only on a CPU nothing else wants: the helpers' execs would otherwise take it from
		 * the sandbox that is starting now. Starved, it leaves the pool empty, and nook maps
		 * its own namespace as without a pool. SCHED_IDLE ranks it only within its
		 * scheduler autogroup (its session): among the groups, the pool's session weighed
		 * as much as the starting sandbox's pid 1, which the scheduler preempted for it when
		 * pid 1 moved to a session of its own. So a session of its own, whose group has the
		 * weight of nice 19 (an unprivileged process may lower it; no file, no autogroups).
		 */
		const struct sched_param idle = {0};
		int fd, netfd;

		if (setsid() >= 0 &&
		    (fd = open("/proc/self/autogroup", O_WRONLY | O_CLOEXEC)) >= 0) {
			(void)!write(fd, "19", 2);
			close(fd);
		}
		(void)sched_setscheduler(0, SCHED_IDLE, &idle);
		fd = make_one(key, &netfd);

		answer(sv[1], fd >= 0 ? 'y' : 'n', fd, netfd);
		_exit(0);
	}
	close(sv[1]);
	if (maker < 0) {
		close(sv[0]);
		return;
	}
	maker_sock = sv[0];
	making = xstrdup(key);
}

/* The maker's answer: a namespace for the pool, unless there is no room left for it. */
static void maker_done(void)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} control;
	char c = 0;
	struct iovec iov = {&c, 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf};
	struct cmsghdr *cm;
	int fd = -1, netfd = -1;

	if (recvmsg(maker_sock, &msg, MSG_CMSG_CLOEXEC) == 1 && c == 'y' &&
	    (cm = CMSG_FIRSTHDR(&msg)) && cm->cmsg_type == SCM_RIGHTS) {
		if (cm->cmsg_len >= CMSG_LEN(sizeof(int)))
			memcpy(&fd, CMSG_DATA(cm), sizeof fd);
		if (cm->cmsg_len == CMSG_LEN(2 * sizeof(int)))
			memcpy(&netfd, CMSG_DATA(cm) + sizeof(int), sizeof netfd);
	}
	close(maker_sock);
	maker_sock = -1;
	while (waitpid(maker, NULL, 0) < 0 && errno == EINTR)
		;
	if (fd < 0) {
		free(refused);
		refused = making;
	} else if (npool < POOL_MAX) {
		pool[npool++] = (struct ready){making, fd, netfd};
	} else {
		close(fd);
		if (netfd >= 0)
			close(netfd);
		free(making);
	}
	making = NULL;
}

/* C, with FD and NETFD (each -1: none) */
static void answer(int conn, char c, int fd, int netfd)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} control;
	struct iovec iov = {&c, 1};
	struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
	int fds[2] = {fd, netfd};
	size_t n = fd < 0 ? 0 : netfd < 0 ? 1 : 2;

	if (n) {
		struct cmsghdr *cm;

		memset(&control, 0, sizeof control);
		msg.msg_control = control.buf;
		msg.msg_controllen = CMSG_SPACE(n * sizeof(int));
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(n * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, n * sizeof(int));
	}
	(void)sendmsg(conn, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* One request; only from a process of the caller's outside every sandbox. */
static void serve(int conn)
{
	static char buf[8192];
	const struct timeval wait = {.tv_sec = 1};
	ssize_t n;

	if (!state_peer_trusted(conn) ||
	    setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait) < 0)
		return;
	n = recv(conn, buf, sizeof buf - 1, 0);
	if (n < 2 || buf[0] != 'g')
		return;
	buf[n] = '\0';
	want(buf + 1);
	for (size_t i = 0; i < npool; i++) {
		if (strcmp(pool[i].key, buf + 1) != 0)
			continue;
		answer(conn, 'y', pool[i].fd, pool[i].netfd);
		drop(i);
		return;
	}
	answer(conn, 'n', -1, -1);
}

/* The key of the start that started the pool, from its parent (FD, closed): made first. */
static void want_first(int fd)
{
	static char buf[8192];
	size_t n = 0;
	ssize_t r;

	while (n < sizeof buf - 1 && (r = read(fd, buf + n, sizeof buf - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (n > 0)
		want(buf);
}

/* Is the socket at PATH still ours (not removed, nor replaced)? */
static bool still_ours(const char *path, const struct stat *own)
{
	struct stat st;

	return lstat(path, &st) == 0 && st.st_ino == own->st_ino && st.st_dev == own->st_dev;
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int userns_pool_main(int listen_fd, unsigned idle)
{
	struct sockaddr_un addr;
	socklen_t len = sizeof addr;
	struct stat own;
	long long last = now_ms();
	int conn;

	memset(&addr, 0, sizeof addr);
	if (getsockname(listen_fd, (struct sockaddr *)&addr, &len) < 0 ||
	    addr.sun_family != AF_UNIX || addr.sun_path[0] != '/' || lstat(addr.sun_path, &own) < 0)
		return EXIT_NOOK_FAILED;
	prctl(PR_SET_NAME, "nook-userns", 0, 0, 0);
	want_first(USERNS_POOL_FD + 2);
	for (;;) {
		struct pollfd p[2] = {{.fd = listen_fd, .events = POLLIN}, {.events = POLLIN}};
		long long left, wait = now_ms() - last;
		bool can_wait = all_ready();
		int r, timeout;

		if (maker_sock < 0 && (wait >= POOL_REFILL_DELAY_MS || !can_wait)) {
			const char *todo = next_to_make();

			if (todo)
				maker_start(todo);
		}
		left = last + (long long)idle * 1000 - now_ms();
		timeout = (int)(left < POOL_CHECK_MS ? left : POOL_CHECK_MS);
		if (maker_sock >= 0)
			timeout = -1;
		else if (wait < POOL_REFILL_DELAY_MS && next_to_make())
			timeout = (int)(POOL_REFILL_DELAY_MS - wait);
		p[1].fd = maker_sock;
		r = poll(p, 2, timeout);
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0 && p[1].revents)
			maker_done();
		if (r > 0 && p[0].revents) {
			conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
			if (conn >= 0) {
				serve(conn);
				close(conn);
				last = now_ms();
			}
		}
		if (r != 0)
			continue;
		if (now_ms() - last >= (long long)idle * 1000 || !still_ours(addr.sun_path, &own))
			break;
	}
	/* Gone from its path first: whoever connected before that is still answered. */
	if (still_ours(addr.sun_path, &own))
		unlink(addr.sun_path);
	fcntl(listen_fd, F_SETFL, O_NONBLOCK);
	while ((conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		serve(conn);
		close(conn);
	}
	return 0;
}
