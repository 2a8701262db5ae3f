// SPDX-License-Identifier: GPL-2.0-or-later
/* nook: subcommand dispatch only. */
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "util/err.h"

int main(int argc, char **argv)
{
	const struct command *c;
	const char *self = strrchr(argv[0], '/');

	/* Started through an "integrate" link: argv[0] is the program to sandbox. */
	self = self ? self + 1 : argv[0];
	if (strcmp(self, "nook-userns") == 0) {
		int r = run_userns_pool(argc, argv);

		if (r >= 0)
			return r;
	}
	if (strcmp(self, "nook") != 0 && strncmp(self, "nook-", 5) != 0)
		return run_as_program(self, argc, argv);

	/* The OCI runtime's name for engines' --runtime: nook oci under another name. */
	if (strcmp(self, "nook-oci") == 0)
		return cmd_oci(argc - 1, argv + 1);
	if (argc < 2) {
		print_main_help(stderr);
		return EXIT_NOOK_FAILED;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_main_help(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		print_version(stdout);
		return 0;
	}
	c = command_find(argv[1]);
	if (c)
		return c->main(argc - 2, argv + 2);
	/* "nook [OPTIONS] PROGRAM [ARG...]": run, when the first word is no command. */
	return cmd_run(argc - 1, argv + 1);
}
