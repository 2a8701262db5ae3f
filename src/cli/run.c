// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "policy/build.h"
#include "sandbox/launch.h"
#include "util/err.h"

int cmd_run(int argc, char **argv)
{
	struct run_options ro;
	struct host_facts facts;
	struct spec spec;
	int r;

	run_options_init(&ro);
	r = options_parse_run(argc, argv, &ro);
	if (r != 0) {
		run_options_free(&ro);
		return r > 0 ? 0 : EXIT_NOOK_FAILED;
	}

	host_facts_read(&facts);
	r = spec_build(&ro, &facts, &spec);
	host_facts_free(&facts);
	if (r < 0) {
		r = EXIT_NOOK_FAILED;
	} else if (ro.dry_run) {
		spec_print(&spec, stdout);
		r = fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
	} else {
		r = sandbox_run(&spec);
	}
	spec_free(&spec);
	run_options_free(&ro);
	return r;
}
