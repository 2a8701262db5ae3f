// SPDX-License-Identifier: GPL-2.0-or-later
/* nook profile list | show NAME | check FILE... */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "request/options.h"
#include "policy/build.h"
#include "profile/profile.h"
#include "util/err.h"

void profile_help(FILE *out)
{
	fputs("Usage: nook profile list\n"
	      "       nook profile show NAME\n"
	      "       nook profile check FILE...\n"
	      "list:  the profiles nook can find, and where (the user's override the system's)\n"
	      "show:  the sandbox spec NAME gives, as --dry-run prints it\n"
	      "check: lint profiles: 'file:line: message' for each error; exit 1 if any\n",
	      out);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const struct profile_env *env)
{
	const char *dirs[2] = {env->host->profile_user_dir, env->host->profile_system_dir};
	struct strv names = {0};

	for (int i = 0; i < 2; i++) {
		DIR *d = dirs[i] ? opendir(dirs[i]) : NULL;
		struct dirent *e;

		while (d && (e = readdir(d))) {
			size_t n = strlen(e->d_name);

			if (n > 8 && strcmp(e->d_name + n - 8, ".profile") == 0)
				strv_push_owned(&names, strndup(e->d_name, n - 8));
		}
		if (d)
			closedir(d);
	}
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp);
	for (size_t i = 0; i < names.n; i++) {
		autofree char *path = NULL;

		if (i > 0 && strcmp(names.v[i], names.v[i - 1]) == 0)
			continue;
		path = profile_find(env, names.v[i]);
		printf("%-24s %s\n", names.v[i], path ? path : "?");
	}
	strv_free(&names);
	return 0;
}

/* Lint one file: its own errors, then what a spec built from it would refuse (conflicts). */
static int check(const struct profile_env *env, const char *file)
{
	struct request ro;
	struct profile_loader l;
	struct spec spec;
	int errors;

	request_init(&ro);
	profile_loader_init(&l, &ro, env);
	l.lint = true;
	profile_load(&l, file);
	errors = l.errors;
	profile_loader_free(&l);
	if (errors == 0) {
		ro.quiet = true;
		/* What a run would only warn about (a profile's "seccomp off") is an error here. */
		ro.strict_profile = true;
		strv_push(&ro.argv, "true");
		if (spec_build(&ro, env->host, &spec) < 0) {
			warnx_("%s: the directives conflict (see above)", file);
			errors++;
		}
		spec_free(&spec);
	}
	request_free(&ro);
	return errors;
}

int cmd_profile(int argc, char **argv)
{
	struct host_facts facts;
	struct profile_env env;
	int r = 0;

	if (argc == 0 || strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) {
		profile_help(argc ? stdout : stderr);
		return argc ? 0 : EXIT_NOOK_FAILED;
	}
	host_facts_read(&facts);
	profile_env_init(&env, &facts);
	if (strcmp(argv[0], "list") == 0 && argc == 1) {
		r = list(&env);
	} else if (strcmp(argv[0], "show") == 0 && argc == 2) {
		autofree char *opt = xasprintf("--profile=%s", argv[1]);
		char *run_argv[] = {opt, "--dry-run", "--", argv[1], NULL};

		r = cmd_run(4, run_argv);
	} else if (strcmp(argv[0], "check") == 0 && argc >= 2) {
		int errors = 0;

		for (int i = 1; i < argc; i++)
			errors += check(&env, argv[i]);
		r = errors ? 1 : 0;
	} else {
		warnx_("profile: expected list, show NAME or check FILE... (see nook help profile)");
		r = EXIT_NOOK_FAILED;
	}
	host_facts_free(&facts);
	return r;
}
