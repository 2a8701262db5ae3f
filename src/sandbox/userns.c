// SPDX-License-Identifier: GPL-2.0-or-later
/* The user namespace's id maps, written from the monitor. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox/launch.h"
#include "util/err.h"

/* How long a child whose /proc files vanished under us may take to finish exiting. */
#define CHILD_EXIT_WAIT_MS 500

extern char **environ;

/*
 * A write to the child's /proc files, or a helper, failed: if it is because the child died
 * having said why (nook's failure status), that line is the only one: exit with its status.
 * errno is kept for the caller's message otherwise.
 */
static void exit_if_child_failed(pid_t child)
{
	int saved = errno;
	autoclose int fd = (int)syscall(SYS_pidfd_open, child, 0);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	siginfo_t si = {0};

	if (fd >= 0 && poll(&p, 1, CHILD_EXIT_WAIT_MS) == 1 &&
	    waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	    si.si_pid == child && si.si_code == CLD_EXITED && si.si_status == EXIT_NOOK_FAILED) {
		cleanup_run_all();
		exit(EXIT_NOOK_FAILED);
	}
	errno = saved;
}

/* argv: helper PID inside outside count [inside outside count...] */
static pid_t spawn_helper(const char *helper, pid_t child, const struct id_map *m)
{
	char numbers[1 + 3 * ID_MAP_MAX][12];
	char *argv[2 + 3 * ID_MAP_MAX + 1];
	size_t n = 0, k = 0;
	pid_t pid;
	int r;

	argv[n++] = (char *)helper;
	snprintf(numbers[k], sizeof numbers[k], "%d", (int)child);
	argv[n++] = numbers[k++];
	for (size_t i = 0; i < m->n; i++) {
		const uint32_t v[3] = {m->r[i].inside, m->r[i].outside, m->r[i].count};

		for (int j = 0; j < 3; j++) {
			snprintf(numbers[k], sizeof numbers[k], "%u", v[j]);
			argv[n++] = numbers[k++];
		}
	}
	argv[n] = NULL;
	r = posix_spawn(&pid, helper, NULL, NULL, argv, environ);
	if (r != 0) {
		errno = r;
		return -1;
	}
	return pid;
}

static pid_t spawn_or_die(const char *helper, pid_t child, const struct id_map *m)
{
	pid_t pid = spawn_helper(helper, child, m);

	if (pid < 0)
		die_errno("cannot run %s", helper);
	return pid;
}

static void wait_helper(pid_t pid, pid_t child, const char *helper, const char *file)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die_errno("waiting for %s", helper);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	exit_if_child_failed(child);
	die_hint("check the range in the file named, or run with --userns=single (nook doctor)",
		 "%s refused the id map (%s %d): the ranges come from %s", helper,
		 WIFEXITED(status) ? "exit status" : "signal",
		 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
		 file ? file : "the subordinate id file");
}

static void write_proc(pid_t child, const char *name, const char *text)
{
	char path[64];
	int fd;
	size_t len = strlen(text);

	snprintf(path, sizeof path, "/proc/%d/%s", (int)child, name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		exit_if_child_failed(child);
		die_errno("cannot write %s", path);
	}
	close(fd);
}

struct idmap_request idmap_request_of(const struct spec *s)
{
	return (struct idmap_request){
		.uid_map = &s->uid_map,
		.gid_map = &s->gid_map,
		.helpers = s->idmap_helpers,
		.newuidmap = s->newuidmap,
		.newgidmap = s->newgidmap,
		.subuid_file = s->subuid_file,
		.subgid_file = s->subgid_file,
	};
}

void idmap_write(pid_t child, const struct idmap_request *r)
{
	char line[64];

	if (r->helpers) {
		/* Each helper is an exec of a setuid binary: start both, then wait for both. */
		pid_t u = spawn_or_die(r->newuidmap, child, r->uid_map);
		pid_t g = spawn_or_die(r->newgidmap, child, r->gid_map);

		wait_helper(u, child, r->newuidmap, r->subuid_file);
		wait_helper(g, child, r->newgidmap, r->subgid_file);
		return;
	}
	/* Without helpers the kernel accepts one line, our own id, and only with setgroups denied. */
	write_proc(child, "setgroups", "deny");
	snprintf(line, sizeof line, "%u %u 1\n", r->uid_map->r[0].inside, r->uid_map->r[0].outside);
	write_proc(child, "uid_map", line);
	snprintf(line, sizeof line, "%u %u 1\n", r->gid_map->r[0].inside, r->gid_map->r[0].outside);
	write_proc(child, "gid_map", line);
}

/* Whether a helper ran and succeeded: never dies (the pool keeps going). */
static bool helper_ok(pid_t pid)
{
	int status;

	if (pid < 0)
		return false;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int idmap_try(pid_t child, const struct idmap_request *r)
{
	pid_t u = spawn_helper(r->newuidmap, child, r->uid_map);
	pid_t g = spawn_helper(r->newgidmap, child, r->gid_map);
	bool ok = helper_ok(u);

	return helper_ok(g) && ok ? 0 : -1;
}
