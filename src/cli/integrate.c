// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook integrate [--remove] PROGRAM: ~/.local/bin/PROGRAM -> nook, so that launching PROGRAM
 * goes through nook; and the other half, run_as_program(), for when nook is started as PROGRAM.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "host/facts.h"
#include "util/err.h"
#include "util/fsutil.h"

void integrate_help(FILE *out)
{
	fputs("Usage: nook integrate PROGRAM\n"
	      "       nook integrate --remove PROGRAM\n"
	      "Put (or remove) a symlink ~/.local/bin/PROGRAM -> nook: PROGRAM started from a shell\n"
	      "or a menu then runs in a sandbox, under its profile (~/.local/bin must come first\n"
	      "in PATH).\n",
	      out);
}

static char *self_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		die_errno("cannot find nook's own path");
	buf[n] = '\0';
	return xstrdup(buf);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_our_link(const char *link, const char *self)
{
	char target[PATH_MAX];
	ssize_t n = readlink(link, target, sizeof target - 1);

	if (n <= 0)
		return false;
	target[n] = '\0';
	return strcmp(target, self) == 0;
}

int cmd_integrate(int argc, char **argv)
{
	struct host_facts facts;
	bool remove_it = argc == 2 && strcmp(argv[0], "--remove") == 0;
	const char *program = remove_it ? argv[1] : (argc == 1 ? argv[0] : NULL);
	autofree char *self = NULL, *dir = NULL, *link = NULL;

	if (argc == 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0)) {
		integrate_help(stdout);
		return 0;
	}
	if (!program || !program[0] || strchr(program, '/') || program[0] == '-' ||
	    strcmp(program, ".") == 0 || strcmp(program, "..") == 0) {
		warnx_("integrate: expected PROGRAM or --remove PROGRAM (a name, not a path)");
		return EXIT_NOOK_FAILED;
	}
	host_facts_read(&facts);
	if (!facts.home) {
		host_facts_free(&facts);
		warnx_("integrate: no home directory (HOME is not set, and no passwd entry has one)");
		return EXIT_NOOK_FAILED;
	}
	self = self_path();
	dir = xasprintf("%s/.local/bin", facts.home);
	host_facts_free(&facts);
	link = xasprintf("%s/%s", dir, program);
	if (remove_it) {
		if (!is_our_link(link, self)) {
			warnx_("integrate --remove: %s is not nook's link", link);
			return EXIT_NOOK_FAILED;
		}
		if (unlink(link) < 0)
			die_errno("integrate --remove: %s", link);
		return 0;
	}
	if (is_our_link(link, self))
		return 0;
	if (access(link, F_OK) == 0 || errno != ENOENT) {
		warnx_("integrate: %s exists already; not replacing it", link);
		return EXIT_NOOK_FAILED;
	}
	if (mkdir_p(dir, 0755) < 0)
		die_errno("integrate: mkdir %s", dir);
	if (symlink(self, link) < 0)
		die_errno("integrate: cannot create %s", link);
	printf("%s -> %s\n", link, self);
	return 0;
}

/*
 * Started as PROGRAM (through an integrate link): run the real PROGRAM, the next one of that
 * name along $PATH that is not nook, in a sandbox under PROGRAM's profile; or, inside a nook
 * sandbox already (a sandboxed shell or browser starting PROGRAM), that program itself.
 */
int run_as_program(const char *name, int argc, char **argv)
{
	struct host_facts facts;
	autofree char *self = self_path();
	autofree char *dirs = NULL;
	char *save = NULL;
	bool inside;

	host_facts_read(&facts);
	dirs = xstrdup(facts.path);
	inside = facts.in_nook;
	host_facts_free(&facts);

	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		autofree char *candidate = xasprintf("%s/%s", d, name);
		autofree char *real = NULL;

		if (access(candidate, X_OK) < 0 || !(real = realpath(candidate, NULL)) ||
		    strcmp(real, self) == 0 || strcmp(base_name(real), "nook") == 0)
			continue;
		if (inside) {
			int err;

			execv(candidate, argv);
			err = errno;
			warn_errno("%s: cannot run %s", name, candidate);
			return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
		}
		{
			char **run_argv = xcalloc((size_t)argc + 3, sizeof *run_argv);
			int r;

			run_argv[0] = "--";
			run_argv[1] = candidate;
			for (int i = 1; i < argc; i++)
				run_argv[i + 1] = argv[i];
			r = cmd_run(argc + 1, run_argv);
			free(run_argv);
			return r;
		}
	}
	warnx_("%s: no program of that name along PATH but nook itself", name);
	return EXIT_NOT_FOUND;
}
