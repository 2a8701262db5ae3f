// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The monitor's side of the user namespace pool (userns_pool.c): ask it for a namespace,
 * check what comes back, start the pool when there was none; and pid 1's check that the
 * namespace it joined has exactly the spec's maps. Nothing the pool says is trusted: the fd
 * must be a user namespace of ours, a direct child of nook's own, and its maps the spec's.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "sandbox/launch.h"
#include "sandbox/state.h"
#include "util/err.h"

#define POOL_HINT "stop the process that serves it; --userns-pool=no starts without the pool"

/* How long nook waits for the pool's answer before it maps a namespace itself. */
static const struct timeval answer_wait = {.tv_sec = 1};

static bool pool_address(const char *path, struct sockaddr_un *a)
{
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof a->sun_path)
		return false;
	strcpy(a->sun_path, path);
	return true;
}

/* Does the sandbox get a network namespace of its own (from the pool, with its userns)? */
static bool wants_netns(const struct spec *s)
{
	return (s->clone_flags & CLONE_NEWNET) != 0;
}

/* A request: OP ('g': get one) and the key. */
static char *request_text(char op, const struct spec *s, const struct idmap_request *maps)
{
	autofree char *key = userns_pool_key(maps, wants_netns(s));

	return xasprintf("%c%s", op, key);
}

/* Dies unless FD is a user namespace of ours whose parent is nook's own user namespace. */
static void check_received(int fd, const char *path)
{
	struct stat self, parent_st;
	uid_t owner = (uid_t)-1;
	int type = ioctl(fd, NS_GET_NSTYPE);
	autoclose int parent = -1;

	if (type != CLONE_NEWUSER)
		die_hint(POOL_HINT, "the user namespace pool %s handed over %s: refused", path,
			 type < 0 ? "something that is no namespace"
				  : "a namespace of another type");
	if (ioctl(fd, NS_GET_OWNER_UID, &owner) < 0 || owner != getuid())
		die_hint(POOL_HINT,
			 "the user namespace pool %s handed over a namespace of uid %d: refused",
			 path, (int)owner);
	parent = ioctl(fd, NS_GET_PARENT);
	if (parent < 0 || fstat(parent, &parent_st) < 0 || stat("/proc/self/ns/user", &self) < 0 ||
	    parent_st.st_ino != self.st_ino || parent_st.st_dev != self.st_dev)
		die_hint(POOL_HINT,
			 "the user namespace pool %s handed over a namespace that is not a child of "
			 "nook's own: refused",
			 path);
}

/* Dies unless NETFD is a network namespace that the user namespace USERFD owns. */
static void check_received_net(int netfd, int userfd, const char *path)
{
	struct stat owner_st, user_st;
	autoclose int owner = -1;

	if (ioctl(netfd, NS_GET_NSTYPE) != CLONE_NEWNET)
		die_hint(POOL_HINT,
			 "the user namespace pool %s handed over, for the network namespace, "
			 "something else: refused",
			 path);
	owner = ioctl(netfd, NS_GET_USERNS);
	if (owner < 0 || fstat(owner, &owner_st) < 0 || fstat(userfd, &user_st) < 0 ||
	    owner_st.st_ino != user_st.st_ino || owner_st.st_dev != user_st.st_dev)
		die_hint(POOL_HINT,
			 "the user namespace pool %s handed over a network namespace that its user "
			 "namespace does not own: refused",
			 path);
}

/* Connect to the pool at PATH and send it KEY: the socket, or -1 (*start: no pool answers). */
static int pool_ask(const char *path, const char *key, bool *start)
{
	struct sockaddr_un a;
	struct ucred cr;
	socklen_t len = sizeof cr;
	ssize_t n = (ssize_t)strlen(key);
	int sock;

	*start = false;
	if (!pool_address(path, &a))
		return -1;
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return -1;
	if (connect(sock, (struct sockaddr *)&a, sizeof a) < 0) {
		*start = errno == ENOENT || errno == ECONNREFUSED;
		close(sock);
		return -1;
	}
	if (getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &cr, &len) < 0 || cr.uid != getuid())
		die_hint(POOL_HINT, "the user namespace pool %s is served by uid %d: refused", path,
			 (int)cr.uid);
	if (setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &answer_wait, sizeof answer_wait) < 0 ||
	    send(sock, key, (size_t)n, MSG_NOSIGNAL) != n) {
		close(sock);
		return -1;
	}
	return sock;
}

/* The request userns_pool_ask sent ahead: its pool, its key and the socket of its answer. */
static struct {
	char *path, *key;
	int sock;
} asked = {NULL, NULL, -1};

static void asked_forget(void)
{
	if (asked.sock >= 0)
		close(asked.sock);
	asked.sock = -1;
	free(asked.path);
	free(asked.key);
	asked.path = asked.key = NULL;
}

void userns_pool_ask(const struct spec *s)
{
	struct idmap_request maps = idmap_request_of(s);
	bool start;

	asked_forget();
	if (!s->userns_pool)
		return;
	asked.path = xstrdup(s->userns_pool);
	asked.key = request_text('g', s, &maps);
	asked.sock = pool_ask(asked.path, asked.key, &start);
}

int userns_pool_take(const struct spec *s, const struct idmap_request *maps, bool *start,
		     int *netns)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} control;
	autofree char *key = NULL;
	autoclose int sock = -1;
	char reply = 0;
	struct iovec iov = {&reply, 1};
	struct msghdr msg = {.msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = control.buf,
			     .msg_controllen = sizeof control.buf};
	struct cmsghdr *c;
	int fd = -1, netfd = -1, nfds = 0, want = wants_netns(s) ? 2 : 1;
	ssize_t n;

	*start = false;
	*netns = -1;
	if (!s->userns_pool) {
		asked_forget();
		return -1;
	}
	key = request_text('g', s, maps);
	/* Asked for these maps ahead: the answer waits on that socket. Else anew. */
	if (asked.sock >= 0 && strcmp(asked.path, s->userns_pool) == 0 &&
	    strcmp(asked.key, key) == 0) {
		sock = asked.sock;
		asked.sock = -1;
	} else {
		sock = pool_ask(s->userns_pool, key, start);
	}
	asked_forget();
	if (sock < 0)
		return -1;
	n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	if (n != 1)
		return -1;
	for (c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int got;

			memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof got);
			if (nfds == 0)
				fd = got;
			else if (nfds == 1)
				netfd = got;
			else
				close(got);
			nfds++;
		}
	}
	if (reply != 'y' || (msg.msg_flags & MSG_CTRUNC)) {
		if (fd >= 0)
			close(fd);
		if (netfd >= 0)
			close(netfd);
		if (reply == 'y')
			die_hint(POOL_HINT,
				 "the user namespace pool %s sent more than 2 descriptors: refused",
				 s->userns_pool);
		return -1;
	}
	if (fd >= 0)
		check_received(fd, s->userns_pool);
	if (nfds != want)
		die_hint(POOL_HINT,
			 "the user namespace pool %s sent %d descriptors, not %d: refused",
			 s->userns_pool, nfds, want);
	if (netfd >= 0)
		check_received_net(netfd, fd, s->userns_pool);
	*netns = netfd;
	return fd;
}

/* The pool's own process: a session of its own, nothing of the caller's but its socket. */
static noreturn void pool_exec(int sock, int lock, int first, unsigned idle)
{
	char idle_arg[16];
	char *argv[] = {(char *)USERNS_POOL_ARGV0, idle_arg, NULL};
	char *envp[] = {NULL};
	sigset_t none;
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	snprintf(idle_arg, sizeof idle_arg, "%u", idle);
	/* Above the fds they go to first: one of them may be where the other goes (the lock at 3). */
	sock = fcntl(sock, F_DUPFD_CLOEXEC, USERNS_POOL_FD + 3);
	lock = fcntl(lock, F_DUPFD_CLOEXEC, USERNS_POOL_FD + 3);
	first = fcntl(first, F_DUPFD_CLOEXEC, USERNS_POOL_FD + 3);
	if (null < 0 || sock < 0 || lock < 0 || first < 0 || dup2(null, 0) < 0 ||
	    dup2(null, 1) < 0 || dup2(null, 2) < 0 || dup2(sock, USERNS_POOL_FD) < 0 ||
	    dup2(lock, USERNS_POOL_FD + 1) < 0 || dup2(first, USERNS_POOL_FD + 2) < 0 ||
	    chdir("/") < 0)
		_exit(1);
	closefrom(USERNS_POOL_FD + 3);
	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	umask(077);
	execve("/proc/self/exe", argv, envp);
	_exit(1);
}

void userns_pool_start(const struct spec *s, const struct idmap_request *maps)
{
	struct sockaddr_un a;
	autofree char *dir = NULL;
	autofree char *key = NULL;
	autoclose int dirfd = -1;
	autoclose int lock = -1;
	autoclose int sock = -1;
	int first[2] = {-1, -1};
	char err[256];
	pid_t pid;

	if (!s->userns_pool || !pool_address(s->userns_pool, &a))
		return;
	dir = xstrndup(s->userns_pool, (size_t)(strrchr(s->userns_pool, '/') - s->userns_pool));
	dirfd = state_dir_open(dir, true, err, sizeof err);
	if (dirfd < 0)
		return;
	/* Held by the pool as long as it lives: whoever gets it knows no pool runs. */
	lock = openat(dirfd, "userns.lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (lock < 0 || flock(lock, LOCK_EX | LOCK_NB) < 0)
		return;
	/* A pool killed with SIGKILL left its socket. */
	(void)unlinkat(dirfd, strrchr(s->userns_pool, '/') + 1, 0);
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&a, sizeof a) < 0 || listen(sock, 64) < 0)
		return;
	/*
	 * This start's maps, to be prepared first: handed to the pool as it starts, not as a
	 * request, which the pool could only check while this nook still runs (it may be gone).
	 */
	key = userns_pool_key(maps, wants_netns(s));
	if (pipe2(first, O_CLOEXEC) < 0)
		return;
	(void)!write(first[1], key, strlen(key));
	close(first[1]);
	pid = fork();
	if (pid == 0) {
		if (setsid() < 0 || fork() != 0)
			_exit(0);
		pool_exec(sock, lock, first[0], s->userns_pool_idle);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	close(first[0]);
}

bool userns_pool_running(const char *path)
{
	struct sockaddr_un a;
	autoclose int sock = -1;

	if (!path || !pool_address(path, &a))
		return false;
	sock = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	return sock >= 0 && connect(sock, (struct sockaddr *)&a, sizeof a) == 0;
}

/*
 * FILE, read whole into BUF (at most SIZE - 1 bytes; what does not fit is an error): a
 * /proc file, which stdio would read through a buffer from the heap.
 */
static bool read_small(const char *file, char *buf, size_t size)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r = 1;

	while (fd >= 0 && n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		n += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	buf[n] = '\0';
	return fd >= 0 && r == 0;
}

/* MAP's lines, in any order, are exactly M's: the kernel may have sorted them. */
static void check_map(const char *file, const struct id_map *m)
{
	char text[ID_MAP_MAX * 40];
	bool seen[ID_MAP_MAX] = {false};
	size_t n = 0;
	char *p = text, *end;
	bool ok = read_small(file, text, sizeof text);

	while (ok) {
		unsigned long v[3];
		size_t i = 0;

		while (*p == ' ' || *p == '\n')
			p++;
		if (!*p)
			break;
		for (int k = 0; ok && k < 3; k++) {
			errno = 0;
			v[k] = strtoul(p, &end, 10);
			ok = end != p && errno == 0 && v[k] <= UINT32_MAX;
			p = end;
		}
		while (ok && i < m->n &&
		       (seen[i] || m->r[i].inside != v[0] || m->r[i].outside != v[1] ||
			m->r[i].count != v[2]))
			i++;
		ok = ok && i < m->n;
		if (ok)
			seen[i] = true;
		n++;
	}
	if (!ok || n != m->n)
		die_hint(POOL_HINT,
			 "the user namespace from the pool has another %s than the sandbox's: "
			 "refused",
			 strrchr(file, '/') + 1);
}

void userns_pool_check_maps(const struct spec *s, pid_t init)
{
	char text[16], uid_map[64], gid_map[64], setgroups[64];
	bool read_ok;

	snprintf(uid_map, sizeof uid_map, "/proc/%ld/uid_map", (long)init);
	snprintf(gid_map, sizeof gid_map, "/proc/%ld/gid_map", (long)init);
	snprintf(setgroups, sizeof setgroups, "/proc/%ld/setgroups", (long)init);
	read_ok = read_small(setgroups, text, sizeof text);
	check_map(uid_map, &s->uid_map);
	check_map(gid_map, &s->gid_map);
	if (!read_ok || strncmp(text, "allow", 5) != 0)
		die_hint(POOL_HINT,
			 "the user namespace from the pool has setgroups denied, unlike the "
			 "sandbox's: refused");
}
