// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/argv.h"

#include <string.h>

#include "request/options.h"
#include "util/err.h"

int options_parse_run(int argc, char **argv, struct request *ro)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct option_def *def;
		autofree char *name = NULL;
		autofree char *where = NULL;
		struct origin origin;
		const char *value = NULL;
		char err[512];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			options_print_help(stdout);
			return 1;
		}
		if (a[1] != '-') {
			def = a[2] == '\0' ? option_find_short(a[1]) : NULL;
			if (!def) {
				warnx_("unknown option '%s' (see 'nook --help')", a);
				return -1;
			}
		} else {
			const char *eq = strchr(a + 2, '=');

			name = eq ? xstrndup(a + 2, (size_t)(eq - a - 2)) : xstrdup(a + 2);
			def = option_find(name);
			if (!def) {
				warnx_("unknown option '--%s' (see 'nook --help')", name);
				return -1;
			}
			value = eq ? eq + 1 : NULL;
		}
		where = xasprintf("--%s", def->name);
		origin = (struct origin){.where = where, .cli = true};
		if ((def->flags & OPT_OPTIONAL_ARG) && !value) {
			value = "";
		} else if (def->arg && !value) {
			if (i + 1 >= argc) {
				warnx_("%s: missing argument %s", where, def->arg);
				return -1;
			}
			value = argv[++i];
		} else if (!def->arg && value) {
			warnx_("%s: takes no argument", where);
			return -1;
		}
		if (option_apply(def, ro, value ? value : "", &origin, err, sizeof err) < 0) {
			warnx_("%s: %s", where, err);
			return -1;
		}
	}

	for (; i < argc; i++)
		strv_push(&ro->argv, argv[i]);
	if (ro->argv.n == 0) {
		warnx_("no PROGRAM given (usage: nook run [OPTIONS] [--] PROGRAM [ARG...])");
		return -1;
	}
	return 0;
}

void options_print_help(FILE *out)
{
	fputs("Usage: nook run [OPTIONS] [--] PROGRAM [ARG...]\n"
	      "       nook [OPTIONS] PROGRAM [ARG...]\n"
	      "Run PROGRAM in a rootless sandbox: new user, mount, pid, ipc, uts, cgroup and\n"
	      "network namespaces, the host's / read-only (or an image), no capabilities.\n\n"
	      "Options:\n",
	      out);
	for (size_t i = 0; i < run_option_count; i++) {
		const struct option_def *d = &run_option_defs[i];
		char left[64], arg[64] = "";

		if (d->arg)
			snprintf(arg, sizeof arg, (d->flags & OPT_OPTIONAL_ARG) ? "[=%s]" : "=%s",
				 d->arg);
		if (d->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s", d->short_name, d->name, arg);
		else
			snprintf(left, sizeof left, "    --%s%s", d->name, arg);
		fprintf(out, "  %-26s %s\n", left, d->help);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", "show this help and exit");
}
