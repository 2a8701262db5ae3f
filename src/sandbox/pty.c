// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sandbox's own terminal: a pty of its private devpts, opened by pid 1 and handed to the
 * monitor, which relays it to the caller's terminal (as machinectl shell and podman run -t
 * do). No terminal of the caller's is ever inside, so nothing there can type into it
 * (TIOCSTI), take its foreground (tcsetpgrp), change its line discipline or read what the
 * user types next at the shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

/* Large enough that bulk output costs few system calls; a pty passes at most 4 KiB a read. */
#define RELAY_BUF (64 * 1024)
/* After stdin's end: the first wait for a quiet pty before its end-of-file character, and
 * the longest (it doubles after each one sent). */
#define EOF_FIRST_MS 20
#define EOF_LAST_MS 1000
/* In the background, how long input typed for the shell is left alone before looking again. */
#define BACKGROUND_RETRY_MS 100

/* The caller's terminal among the fds the pty replaces: stdin's first. -1: none. */
static int caller_terminal(unsigned pty_fds)
{
	for (int fd = 0; fd < 3; fd++)
		if ((pty_fds & (1u << fd)) && isatty(fd))
			return fd;
	return -1;
}

void pty_capture(const struct spec *s, struct pty_term *t)
{
	int fd = caller_terminal(s->pty_fds);

	memset(t, 0, sizeof *t);
	if (fd >= 0) {
		t->have_termios = tcgetattr(fd, &t->termios) == 0;
		(void)ioctl(fd, TIOCGWINSZ, &t->winsize);
	}
	t->echo = (s->pty_fds & 1u) && isatty(STDIN_FILENO);
}

void pty_open(const struct pty_term *t, int sock, int *master, int *slave)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
	} control;
	char byte = 0;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof control.buf,
	};
	struct cmsghdr *c;
	struct termios tio;
	int unlock = 0;

	/* The sandbox's own devpts instance (newinstance), never the host's. */
	*master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		die_errno("cannot open the sandbox's terminal /dev/pts/ptmx");
	if (ioctl(*master, TIOCSPTLCK, &unlock) < 0)
		die_errno("cannot unlock the sandbox's terminal");
	/* From the master, not by a path someone could have put something else at. */
	*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		die_errno("cannot open the sandbox's terminal (TIOCGPTPEER)");
	/* The caller's modes (erase character, UTF-8, ...) and size, as ssh and script(1) do. */
	if (!t->have_termios && tcgetattr(*slave, &tio) < 0)
		die_errno("cannot read the modes of the sandbox's terminal");
	if (t->have_termios)
		tio = t->termios;
	/* Input nobody types is not echoed back into the output (script(1) does the same). */
	if (!t->echo)
		tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	if (tcsetattr(*slave, TCSANOW, &tio) < 0)
		die_errno("cannot set the modes of the sandbox's terminal");
	if (t->winsize.ws_row && ioctl(*slave, TIOCSWINSZ, &t->winsize) < 0)
		die_errno("cannot set the size of the sandbox's terminal");
	/* An OCI container hands its master to the engine itself (oci_launch.c). */
	if (sock < 0)
		return;

	memset(&control, 0, sizeof control);
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), (int[2]){*master, *slave}, 2 * sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1)
		die_errno("cannot hand the sandbox's terminal to nook");
	close(sock);
}

void pty_payload(const struct spec *s, int master, int slave)
{
	if (s->terminal == TERMINAL_INHERIT)
		return;
	/* A session of its own: no controlling terminal of the caller's, whatever its fds are. */
	if (setsid() < 0)
		die_errno("cannot start a session for %s", s->argv.v[0]);
	if (s->terminal != TERMINAL_PTY)
		return;
	/* Its session leader, with the pty as controlling terminal: job control works inside. */
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		die_errno("cannot make the sandbox's terminal the controlling one");
	for (int fd = 0; fd < 3; fd++)
		if ((s->pty_fds & (1u << fd)) && dup2(slave, fd) < 0)
			die_errno("cannot put the sandbox's terminal on fd %d", fd);
	/* Both are close-on-exec; nothing inside needs the master. */
	close(master);
	close(slave);
}

void pty_init_fds(const struct spec *s, int master, int slave)
{
	/* pid 1 keeps no terminal of the caller's either: its last words go through the pty. */
	for (int fd = 0; fd < 3; fd++)
		if ((s->pty_fds & (1u << fd)) && dup2(slave, fd) < 0)
			die_errno("init: cannot put the sandbox's terminal on fd %d", fd);
	close(master);
	close(slave);
}

/* ---- the monitor's side ---- */

enum { P_SOCK, P_IN, P_MASTER };
_Static_assert(P_MASTER + 1 == PTY_RELAY_FDS, "PTY_RELAY_FDS");

struct pty_relay {
	int sock;      /* pid 1 sends the pty over it; -1 once it has (or died) */
	int master;    /* -1 until then, and after a hangup */
	int slave;     /* kept to ask how much input the payload has not read yet */
	int in;        /* nook's stdin, when the pty's input comes from it; -1: not, or ended */
	int out;       /* where the pty's output goes */
	int tty;       /* the caller's terminal, whose size the pty follows; -1: none */
	bool in_tty;   /* in is the caller's terminal: raw while nook is in its foreground */
	bool in_muted; /* in is the shell's for now: nook is in the background */
	int eof_wait;  /* in ended: ms of quiet before the next end-of-file character; 0: not */
	bool quiet;    /* no output since the last look */
	bool line_end; /* the last byte passed on ended a line */
	int timeout;   /* poll's, as the state above asks */
	size_t in_len, in_off;
	char in_buf[RELAY_BUF];
	char out_buf[RELAY_BUF];
};

/* The caller's terminal while it is in raw mode, and its modes before: for every way out. */
static volatile sig_atomic_t raw_fd = -1;
static struct termios cooked;
static int cleanup_handle = -1;

static void raw_enter(int fd)
{
	struct termios raw;

	if (raw_fd >= 0 || tcgetattr(fd, &cooked) < 0)
		return;
	raw = cooked;
	/* Keys go to the pty as bytes (^C, ^Z included); the pty does the output processing. */
	cfmakeraw(&raw);
	raw_fd = fd;
	/* In the background this stops nook (SIGTTOU) until the shell gives it the terminal. */
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		raw_fd = -1;
}

static void raw_leave(void)
{
	int fd = raw_fd;

	if (fd < 0)
		return;
	raw_fd = -1;
	(void)tcsetattr(fd, TCSANOW, &cooked);
}

static void raw_leave_cleanup(void *arg)
{
	(void)arg;
	raw_leave();
}

/* A signal that ends nook: the terminal back first. tcsetattr is async-signal-safe. */
static void fatal_signal(int sig)
{
	if (raw_fd >= 0)
		(void)tcsetattr(raw_fd, TCSANOW, &cooked);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void resize(const struct pty_relay *r)
{
	struct winsize ws;

	if (r->tty >= 0 && r->master >= 0 && ioctl(r->tty, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(r->master, TIOCSWINSZ, &ws);
}

/*
 * Raw mode, and reading the caller's terminal, only while nook is its foreground job (or it
 * is not nook's controlling terminal at all). In the background nook leaves the terminal to
 * the shell, as a background job that does not read does: a read would stop nook (SIGTTIN)
 * and with it the relay of the payload's output. bash's `fg` of a running job sends no
 * signal, so the relay looks again when a key is typed. Returns whether nook may read.
 */
static bool take_terminal(struct pty_relay *r)
{
	pid_t fg;

	if (!r->in_tty)
		return true;
	fg = tcgetpgrp(r->in);
	if (fg < 0 || fg == getpgrp()) {
		raw_enter(r->in);
		return true;
	}
	/* Stopped by SIGSTOP and continued in the background: the shell has put back its modes. */
	raw_fd = -1;
	return false;
}

/* The caller's terminal, or the reader of the output, went away: so does the pty's. */
static void hang_up(struct pty_relay *r)
{
	/* The master's last close hangs up the pty: SIGHUP to the payload's session. */
	if (r->master >= 0)
		close(r->master);
	if (r->slave >= 0)
		close(r->slave);
	r->master = r->slave = -1;
	r->in = -1;
	r->eof_wait = 0;
	raw_leave();
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EAGAIN) {
			/* Someone made it non-blocking: wait, as a blocking write would. */
			struct pollfd p = {.fd = fd, .events = POLLOUT};

			(void)poll(&p, 1, -1);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The pty's output, as much as it has up to the buffer, in one write. Returns the bytes. */
static size_t output(struct pty_relay *r)
{
	size_t len = 0;
	bool gone = false;

	while (len < sizeof r->out_buf) {
		ssize_t n = read(r->master, r->out_buf + len, sizeof r->out_buf - len);

		if (n > 0) {
			len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* EAGAIN: that is all for now. EIO: hung up (not while we hold the slave). */
		gone = n == 0 || errno != EAGAIN;
		break;
	}
	if (len)
		r->quiet = false;
	if ((len && write_all(r->out, r->out_buf, len) < 0) || gone)
		hang_up(r);
	return len;
}

static void input_ended(struct pty_relay *r)
{
	/* A terminal reads 0 or EIO only once it is hung up. */
	if (r->in_tty) {
		hang_up(r);
		return;
	}
	r->in = -1;
	r->eof_wait = EOF_FIRST_MS;
}

static void input(struct pty_relay *r, bool readable)
{
	if (readable && r->in_len == 0) {
		ssize_t n;

		if (!take_terminal(r)) {
			r->in_muted = true;
			return;
		}
		n = read(r->in, r->in_buf, sizeof r->in_buf);

		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return;
		if (n <= 0) {
			input_ended(r);
			return;
		}
		r->in_len = (size_t)n;
		r->in_off = 0;
	}
	while (r->in_off < r->in_len) {
		ssize_t n = write(r->master, r->in_buf + r->in_off, r->in_len - r->in_off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return; /* EAGAIN: the payload reads slower than we do; POLLOUT */
		r->in_off += (size_t)n;
	}
	if (r->in_len)
		r->line_end = r->in_buf[r->in_len - 1] == '\n';
	r->in_len = r->in_off = 0;
}

/*
 * stdin (a pipe or a file) ended: the pty's end-of-file character tells the payload, once it
 * has read all that came before and has been quiet a while. A program that changes its
 * terminal's modes (a shell around each command) turns one sent early into a NUL byte, and
 * a pipe at its end gives every later reader an end of file too: so it is sent again each
 * time the last one was read, less and less often. Returns poll's timeout.
 */
static int send_eof(struct pty_relay *r)
{
	struct termios t;
	int unread = 0;
	char eof[2];

	if (!r->eof_wait || r->master < 0 || r->in_len)
		return -1;
	if (!r->quiet || (ioctl(r->slave, FIONREAD, &unread) == 0 && unread > 0)) {
		r->quiet = true;
		return r->eof_wait;
	}
	if (tcgetattr(r->slave, &t) < 0 || t.c_cc[VEOF] == _POSIX_VDISABLE) {
		r->eof_wait = 0;
		return -1;
	}
	eof[0] = eof[1] = (char)t.c_cc[VEOF];
	/* After a line without its end, the first one only passes that line on. */
	if (write(r->master, eof, (t.c_lflag & ICANON) && !r->line_end ? 2 : 1) > 0)
		r->line_end = true;
	r->quiet = false;
	r->eof_wait = r->eof_wait * 2 < EOF_LAST_MS ? r->eof_wait * 2 : EOF_LAST_MS;
	return r->eof_wait;
}

static void receive(struct pty_relay *r)
{
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(2 * sizeof(int))];
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
	int fds[2];
	ssize_t n;

	n = recvmsg(r->sock, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0 && errno == EINTR)
		return;
	close(r->sock);
	r->sock = -1;
	/* pid 1 failed before it could send it: it has said why, and SIGCHLD follows. */
	if (n <= 0)
		return;
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof fds))
		die("the sandbox did not send its terminal");
	memcpy(fds, CMSG_DATA(c), sizeof fds);
	r->master = fds[0];
	r->slave = fds[1];
	if (fcntl(r->master, F_SETFL, O_NONBLOCK) < 0)
		die_errno("cannot relay the sandbox's terminal");
	/* A resize since the capture: SIGWINCH before now had no pty to go to. */
	resize(r);
	(void)take_terminal(r);
}

struct pty_relay *pty_relay_new(const struct spec *s, int sock, sigset_t *set)
{
	/* What would end nook (and leave the terminal raw) unless caught. */
	static const int fatal[] = {
		SIGALRM,   SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO,   SIGPWR,  SIGSYS,
		SIGSTKFLT, SIGSEGV,   SIGBUS,  SIGILL,  SIGFPE,  SIGABRT, SIGTRAP,
	};
	struct sigaction sa = {.sa_handler = fatal_signal};
	struct pty_relay *r = xcalloc(1, sizeof *r);

	r->sock = sock;
	r->master = r->slave = -1;
	r->in = s->pty_fds & 1u ? STDIN_FILENO : -1;
	r->in_tty = r->in >= 0 && isatty(r->in);
	/* stdout, else stderr; with neither, the echo of what is typed goes to the terminal. */
	r->out = s->pty_fds & 2u ? STDOUT_FILENO : s->pty_fds & 4u ? STDERR_FILENO : STDIN_FILENO;
	r->tty = caller_terminal(s->pty_fds);
	r->line_end = true;
	r->timeout = -1;

	/* Only the monitor's: pid 1 and the payload were cloned before. */
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
		sigaction(sig, &sa, NULL);
	/* The reader of the output went away: EPIPE, and the pty is hung up. */
	signal(SIGPIPE, SIG_IGN);
	sigaddset(set, SIGTSTP);
	sigaddset(set, SIGCONT);
	if (sigprocmask(SIG_BLOCK, set, NULL) < 0)
		die_errno("sigprocmask");
	cleanup_handle = cleanup_push(raw_leave_cleanup, NULL);
	return r;
}

int pty_relay_poll(struct pty_relay *r, struct pollfd *p)
{
	p[P_SOCK] = (struct pollfd){.fd = r->sock, .events = POLLIN};
	p[P_IN] = (struct pollfd){.fd = -1};
	p[P_MASTER] = (struct pollfd){.fd = r->master, .events = POLLIN};
	if (r->master < 0)
		return -1;
	if (r->in_len)
		p[P_MASTER].events |= POLLOUT;
	else if (r->in >= 0 && !r->in_muted)
		p[P_IN] = (struct pollfd){.fd = r->in, .events = POLLIN};
	return r->in_muted ? BACKGROUND_RETRY_MS : r->timeout;
}

void pty_relay_io(struct pty_relay *r, const struct pollfd *p)
{
	r->in_muted = false;
	if (p[P_SOCK].revents)
		receive(r);
	if (p[P_MASTER].revents & (POLLIN | POLLHUP | POLLERR))
		output(r);
	if (r->master >= 0 && r->in >= 0 && ((p[P_IN].revents) || (p[P_MASTER].revents & POLLOUT)))
		input(r, p[P_IN].revents != 0);
	r->timeout = send_eof(r);
}

bool pty_relay_signal(struct pty_relay *r, int sig)
{
	switch (sig) {
	case SIGWINCH:
		resize(r);
		return true;
	case SIGTSTP:
		/*
		 * kill -TSTP (^Z is the pty's now, and stops the job inside): give the shell its
		 * terminal back as it was, and stop. The payload runs on until it needs the relay.
		 */
		raw_leave();
		kill(getpid(), SIGSTOP);
		return true;
	case SIGCONT:
		/* fg: raw again; bg: nook stays off the terminal. The size may have changed. */
		(void)take_terminal(r);
		resize(r);
		return true;
	}
	return false;
}

void pty_relay_finish(struct pty_relay *r)
{
	/* The sandbox is gone: what the payload wrote last is still in the pty (EAGAIN: all). */
	while (r->master >= 0 && output(r) > 0)
		;
	raw_leave();
	cleanup_pop(cleanup_handle);
	cleanup_handle = -1;
	if (r->sock >= 0)
		close(r->sock);
	hang_up(r);
	free(r);
}
