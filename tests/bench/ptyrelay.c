// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ptyrelay PROGRAM [ARG...]: run PROGRAM on a new pty and copy its output to stdout, with
 * nothing else: no input, no window size, no signals. The plain pty that tests/bench/pty
 * measures nook's relay against (next to script(1), which does more). Exits with
 * PROGRAM's status (128+N for a signal).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[64 * 1024];
	int master, status;
	pid_t pid;

	if (argc < 2) {
		fputs("usage: ptyrelay PROGRAM [ARG...]\n", stderr);
		return 2;
	}
	master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0) {
		perror("ptyrelay: posix_openpt");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("ptyrelay: fork");
		return 1;
	}
	if (pid == 0) {
		int slave;

		setsid();
		slave = open(ptsname(master), O_RDWR);
		if (slave < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
			perror("ptyrelay: slave");
			_exit(1);
		}
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		if (slave > 2)
			close(slave);
		execvp(argv[1], argv + 1);
		perror("ptyrelay: exec");
		_exit(127);
	}
	for (;;) {
		ssize_t n = read(master, buf, sizeof buf);
		char *p = buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* EIO: every slave is closed */
		while (n > 0) {
			ssize_t w = write(STDOUT_FILENO, p, (size_t)n);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				perror("ptyrelay: write");
				return 1;
			}
			p += w;
			n -= w;
		}
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("ptyrelay: waitpid");
		return 1;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
