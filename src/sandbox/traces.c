// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What pid 1 creates on filesystems that outlive the sandbox: mount points in a writable bind,
 * and the placeholders that keep a blacklisted path from being created while the sandbox
 * runs. Each is sent to the monitor (its parent directory as an fd, its name, its inode), which
 * removes it once the sandbox is gone, so the host keeps no directory named .netrc or
 * .bash_history. Only what is still the same inode and still empty is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

/* One message: the parent's fd rides along (SCM_RIGHTS). */
struct trace_msg {
	dev_t dev;
	ino_t ino;
	char name[256];
};

struct trace {
	int dirfd;
	struct trace_msg m;
};

static struct trace *traces;
static size_t ntraces;

void traces_note(int dirfd, const char *name)
{
	struct statfs fs;
	struct stat st;
	int fd;

	/* On a throwaway filesystem nothing created lasts. */
	if (fstatfs(dirfd, &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC))
		return;
	if (strlen(name) >= sizeof traces->m.name ||
	    fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return;
	fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return;
	traces = xreallocarray(traces, ntraces + 1, sizeof *traces);
	traces[ntraces] = (struct trace){.dirfd = fd, .m = {.dev = st.st_dev, .ino = st.st_ino}};
	strcpy(traces[ntraces].m.name, name);
	ntraces++;
}

void traces_send(int sock)
{
	for (size_t i = 0; i < ntraces; i++) {
		union {
			char buf[CMSG_SPACE(sizeof(int))];
			struct cmsghdr align;
		} u;
		struct iovec iov = {&traces[i].m, sizeof traces[i].m};
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
		memcpy(CMSG_DATA(c), &traces[i].dirfd, sizeof(int));
		/* Best effort: what cannot be sent (too many fds in flight) is left, not fatal. */
		if (sendmsg(sock, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			break;
	}
	for (size_t i = 0; i < ntraces; i++)
		close(traces[i].dirfd);
	free(traces);
	traces = NULL;
	ntraces = 0;
	close(sock);
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

void traces_remove(int sock)
{
	struct trace *got = NULL;
	size_t n = 0;
	struct trace t;

	while (receive(sock, &t)) {
		got = xreallocarray(got, n + 1, sizeof *got);
		got[n++] = t;
	}
	close(sock);
	/* Deepest first: a placeholder's parents were made before it. */
	while (n-- > 0) {
		struct stat st;

		t = got[n];
		if (t.dirfd < 0)
			continue;
		if (fstatat(t.dirfd, t.m.name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    st.st_dev == t.m.dev && st.st_ino == t.m.ino) {
			if (S_ISDIR(st.st_mode))
				unlinkat(t.dirfd, t.m.name, AT_REMOVEDIR); /* fails unless empty */
			else if (S_ISREG(st.st_mode) && st.st_size == 0)
				unlinkat(t.dirfd, t.m.name, 0);
		}
		close(t.dirfd);
	}
	free(got);
}
