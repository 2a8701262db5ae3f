// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/caller.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/passwd.h"
#include "util/err.h"

static const char *const getent_paths[] = {"/usr/bin/getent", "/bin/getent", NULL};

const struct caller_lookup caller_lookup_host = {
	.nsswitch = "/etc/nsswitch.conf",
	.passwd = "/etc/passwd",
	.getent = getent_paths,
};

/* Does the passwd database begin with the files (NSS's default without a passwd line)? */
static bool files_first(const char *nsswitch)
{
	FILE *f = fopen(nsswitch, "re");
	char line[1024];
	bool first = true;

	if (!f)
		return true;
	while (fgets(line, sizeof line, f)) {
		char *p = line + strspn(line, " \t");
		size_t n;

		if (strncmp(p, "passwd", 6) != 0)
			continue;
		p += 6 + strspn(p + 6, " \t");
		if (*p != ':')
			continue;
		p += 1 + strspn(p + 1, " \t");
		n = strcspn(p, " \t\n#[");
		first = (n == 5 && strncmp(p, "files", 5) == 0) ||
			(n == 6 && strncmp(p, "compat", 6) == 0);
		break;
	}
	fclose(f);
	return first;
}

/* LINE a passwd entry of UID (NIS's "+" and "-" lines are none: getent answers for those). */
static bool take_entry(char *line, uint32_t uid, char **name, char **home)
{
	struct passwd_entry e;

	if (!host_passwd_line(line, &e) || e.uid != uid)
		return false;
	*name = xstrdup(e.name);
	*home = e.home[0] ? xstrdup(e.home) : NULL;
	return true;
}

static bool from_file(const char *passwd, uint32_t uid, char **name, char **home)
{
	FILE *f = fopen(passwd, "re");
	char *line = NULL;
	size_t cap = 0;
	bool found = false;

	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0)
		found = take_entry(line, uid, name, home);
	free(line);
	fclose(f);
	return found;
}

/* getent passwd UID, its first line of output read back (an entry is far below 4 KiB). */
static bool from_getent(const char *const *paths, uint32_t uid, char **name, char **home)
{
	extern char **environ;
	const char *path = NULL;
	char id[16], buf[4096];
	char *argv[] = {"getent", "passwd", id, NULL};
	posix_spawn_file_actions_t fa;
	int out[2], status = -1;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int r;

	for (const char *const *p = paths; *p && !path; p++)
		if (access(*p, X_OK) == 0)
			path = *p;
	if (!path || pipe2(out, O_CLOEXEC) < 0)
		return false;
	snprintf(id, sizeof id, "%u", (unsigned)uid);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	r = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out[1]);
	if (r == 0)
		while (len < sizeof buf - 1 &&
		       ((n = read(out[0], buf + len, sizeof buf - 1 - len)) > 0 ||
			(n < 0 && errno == EINTR)))
			len += n > 0 ? (size_t)n : 0;
	/* Before the wait: a getent that wrote more than that must not block on a full pipe. */
	close(out[0]);
	while (r == 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	buf[len] = '\0';
	return r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
	       take_entry(buf, uid, name, home);
}

int caller_entry(uint32_t uid, const struct caller_lookup *how, char **name, char **home)
{
	*name = *home = NULL;
	if (files_first(how->nsswitch) && from_file(how->passwd, uid, name, home))
		return 0;
	return from_getent(how->getent, uid, name, home) ? 0 : -1;
}
