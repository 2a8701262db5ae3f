// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/argv.h"
#include "cli/named.h"
#include "cli/profile_cache.h"
#include "host/envfile.h"
#include "host/expand.h"
#include "policy/build.h"
#include "profile/profile.h"
#include "sandbox/launch.h"
#include "util/err.h"
#include "util/escape.h"

/*
 * The user namespace pool asked now, with the command line's maps, for a run that starts a
 * sandbox: it answers while the profile is read and the spec made (the wait was 0.15-0.2 ms
 * of a start). A profile that changes the maps or the network namespace gets its own.
 */
static void ask_pool_early(const struct request *cli, const struct host_facts *facts)
{
	struct spec s;

	if (cli->dry_run || cli->join_or_start)
		return;
	if (spec_build_userns(cli, facts, &s) == 0)
		userns_pool_ask(&s);
	spec_free(&s);
}

/*
 * Read the profile Q names into RO, and keep what it made in the profile cache: with the
 * files it looked for and read, the macros it expanded and what it printed (shown here too).
 */
static int load_profile(const struct profile_cache_query *q, struct request *ro)
{
	struct profile_loader loader;
	struct profile_probes probes = {0};
	struct strv macros = {0};
	bool keep = profile_cache_enabled(q->h);
	char *said = NULL;
	size_t said_len = 0;
	FILE *diag = keep ? open_memstream(&said, &said_len) : NULL;
	int r = 0;

	request_init(ro);
	ro->quiet = q->quiet;
	profile_loader_init(&loader, ro, q->env);
	loader.strict = q->strict;
	if (diag) {
		loader.diag = diag;
		loader.probes = &probes;
		expand_record_macros(&macros);
	}
	if (profile_load(&loader, q->path) < 0)
		r = -1;
	expand_record_macros(NULL);
	if (diag && fclose(diag) == 0 && said)
		fputs(said, stderr);
	if (r < 0) {
		autofree char *shown = str_escape(q->path);

		warnx_("%s: the profile has errors (see above)", shown);
	}
	ro->profile_path = xstrdup(q->path);
	/* Every file it read, includes too, for --dry-run. */
	ro->profile_files = loader.loaded;
	loader.loaded = (struct strv){0};
	profile_loader_free(&loader);
	if (r == 0 && diag && said)
		profile_cache_put(q, ro, &probes, &macros, said);
	profile_probes_free(&probes);
	strv_free(&macros);
	free(said);
	return r;
}

/*
 * The profile, then the command line over it: the command line is read twice, first to know
 * which profile and which ?CONDITIONs, then on top of what the profile set, so it wins.
 * A profile is found by PROGRAM's name (or default.profile) only over the host's root: it is
 * written for the host's files and the caller's home, and in an image (--rootfs) it would
 * change the sandbox of a program it was never meant for; there only --profile applies.
 * Returns 0, 1 (--help shown) or -1 (error reported).
 */
static int read_options(int argc, char **argv, const struct host_facts *facts, struct request *ro)
{
	struct request cli;
	struct profile_env env;
	autofree char *path = NULL;
	autofree char *program = NULL;
	int r;

	request_init(&cli);
	r = options_parse_run(argc, argv, &cli);
	if (r == 0)
		ask_pool_early(&cli, facts);
	if (r != 0 || cli.noprofile || (cli.rootfs && !cli.profile)) {
		*ro = cli;
		return r;
	}
	profile_env_init(&env, facts);
	profile_env_conditions(&env, &cli);
	program = xstrdup(cli.argv.v[0]);
	path = profile_find(&env, cli.profile ? cli.profile : basename(program));
	if (!path && cli.profile) {
		warnx_("--profile=%s: no such profile (looked in %s and %s)", cli.profile,
		       facts->profile_user_dir ? facts->profile_user_dir : "-",
		       facts->profile_system_dir);
		r = -1;
	} else if (!path) {
		path = profile_find(&env, "default");
	}
	if (r == 0 && path) {
		const struct profile_cache_query q = {
			.h = facts,
			.env = &env,
			.path = path,
			.strict = cli.strict_profile,
			.quiet = cli.quiet,
			.firejail = profile_is_firejail(&env, path),
		};

		if (profile_cache_get(&q, ro) < 0)
			r = load_profile(&q, ro);
		/* The command line over the profile: its values come last, tagged as its own. */
		if (r == 0)
			r = options_parse_run(argc, argv, ro);
		request_free(&cli);
	} else {
		*ro = cli;
	}
	return r;
}

/* --env-file: its lines join the request, as the command line's and profiles' values do. */
static int read_env_files(const struct host_facts *facts, struct request *ro)
{
	for (size_t i = 0; i < ro->env_files.n; i++) {
		autofree char *path = host_path(facts, ro->env_files.v[i].value);
		char err[512];

		if (host_read_env_file(path, &ro->env_file_sets, err, sizeof err) < 0) {
			warnx_("%s: %s", ro->env_files.v[i].origin, err);
			return -1;
		}
	}
	return 0;
}

/*
 * --join-or-start: PROGRAM in the live sandbox of that name, as nook enter runs it; else a new
 * sandbox of that name. Two at once: the one that loses the name joins the other's.
 */
static int join_or_start(const struct spec *s, enum pty_choice pty)
{
	for (int tries = 0; tries < 10; tries++) {
		autoclose int dir = state_dir_for("--join-or-start", true);
		int r;

		if (dir < 0 && errno != ENOENT)
			return EXIT_NOOK_FAILED;
		if (dir >= 0 && (r = enter_named(dir, s->name, &s->argv, pty)) != ENTER_NO_SANDBOX)
			return r;
		r = sandbox_run(s);
		if (r != SANDBOX_NAME_TAKEN)
			return r;
	}
	warnx_("--join-or-start=%s: the sandbox keeps appearing and ending; try again", s->name);
	return EXIT_NOOK_FAILED;
}

int cmd_run(int argc, char **argv)
{
	struct request ro;
	struct host_facts facts;
	struct spec spec;
	int r;

	host_facts_read(&facts);
	r = read_options(argc, argv, &facts, &ro);
	if (r != 0) {
		request_free(&ro);
		host_facts_free(&facts);
		return r > 0 ? 0 : EXIT_NOOK_FAILED;
	}

	/* Nothing but the spec is printed as JSON: a run's output is the program's. */
	if (ro.json && !ro.dry_run) {
		warnx_("--json: only with --dry-run (it prints the spec as JSON, and runs nothing)");
		request_free(&ro);
		host_facts_free(&facts);
		return EXIT_NOOK_FAILED;
	}
	if (read_env_files(&facts, &ro) < 0) {
		request_free(&ro);
		host_facts_free(&facts);
		return EXIT_NOOK_FAILED;
	}
	/* The generated name shown is the one free now; a run's is taken with its keeper. */
	if (ro.dry_run)
		host_state_names_read(&facts);
	r = spec_build(&ro, &facts, &spec);
	host_facts_free(&facts);
	if (r < 0) {
		r = EXIT_NOOK_FAILED;
	} else if (ro.dry_run && ro.json) {
		r = spec_print_json(&spec, stdout) == 0 && fflush(stdout) == 0 ? 0
									       : EXIT_NOOK_FAILED;
	} else if (ro.dry_run) {
		spec_print(&spec, stdout);
		r = fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
	} else if (spec.join_or_start) {
		r = join_or_start(&spec, ro.pty);
	} else {
		r = sandbox_run(&spec);
	}
	/*
	 * After a run, nook ends with its sandbox, and its memory with it: freeing the spec and
	 * the request a string at a time (thousands of them for a desktop profile) took 0.1 ms
	 * of every start. AddressSanitizer's build frees them, so that a use after free shows.
	 */
#ifndef __SANITIZE_ADDRESS__
	if (!ro.dry_run)
		return r;
#endif
	spec_free(&spec);
	request_free(&ro);
	return r;
}
