// SPDX-License-Identifier: GPL-2.0-or-later
#include <string.h>

#include "cli/commands.h"
#include "cli/argv.h"
#include "config.h"
#include "util/err.h"

void help_help(FILE *out)
{
	fputs("Usage: nook help [COMMAND]\n"
	      "Show the help of nook or of one of its commands.\n",
	      out);
}

void print_version(FILE *out)
{
	fprintf(out, "nook %s\n", NOOK_VERSION);
}

void print_main_help(FILE *out)
{
	fputs("nook - run programs in a rootless sandbox\n\n"
	      "Usage: nook COMMAND [ARG...]\n"
	      "       nook [OPTIONS] PROGRAM [ARG...]   (the same as 'nook run')\n\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < command_count; i++)
		fprintf(out, "  %-40s %s\n", commands[i].synopsis, commands[i].summary);
	fputs("\nGlobal options:\n"
	      "  -h, --help                               show this help and exit\n"
	      "  -V, --version                            show the version and exit\n\n",
	      out);
	options_print_help(out);
	fputs("\nExit status: PROGRAM's status; 128+N if it died of signal N; 125 if nook failed;\n"
	      "126 if PROGRAM could not be executed; 127 if it was not found. See nook-run(1).\n",
	      out);
}

int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc == 0) {
		print_main_help(stdout);
		return 0;
	}
	c = command_find(argv[0]);
	if (!c) {
		warnx_("help: unknown command '%s' (see nook --help)", argv[0]);
		return EXIT_NOOK_FAILED;
	}
	c->help(stdout);
	return 0;
}
