// SPDX-License-Identifier: GPL-2.0-or-later
/* The commands of nook, for dispatch (main.c) and help (help.c). */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli/argv.h"
#include "cli/commands.h"
#include "sandbox/launch.h"

const struct command commands[] = {
	{"run", "run [OPTIONS] [--] PROGRAM [ARG...]", "run PROGRAM in a sandbox", cmd_run,
	 options_print_help},
	{"list", "list [--json]", "list the running sandboxes", cmd_list, list_help},
	{"enter", "enter NAME [--] [COMMAND...]", "run COMMAND in the running sandbox NAME",
	 cmd_enter, enter_help},
	{"stop", "stop [--timeout=S] NAME...", "stop the running sandbox NAME", cmd_stop,
	 stop_help},
	{"doctor", "doctor [--json]", "check what nook needs on this machine", cmd_doctor,
	 doctor_help},
	{"overlay", "overlay list [--json]|diff NAME|rm NAME", "manage named overlays", cmd_overlay,
	 overlay_help},
	{"cache", "cache list [--json]|rm NAME", "manage the caches of --cache", cmd_cache,
	 cache_help},
	{"profile", "profile list|show NAME|check FILE...", "list, show and lint profiles",
	 cmd_profile, profile_help},
	{"integrate", "integrate [--remove] PROGRAM|--all",
	 "launch PROGRAM through nook from now on", cmd_integrate, integrate_help},
	{"oci", "oci [OPTIONS] COMMAND [ARG...]", "an OCI runtime: run a bundle (for podman)",
	 cmd_oci, oci_help},
	{"help", "help [COMMAND]", "show the help of a command", cmd_help, help_help},
};

const size_t command_count = sizeof commands / sizeof commands[0];

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < command_count; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int run_userns_pool(int argc, char **argv)
{
	int listening = 0;
	socklen_t len = sizeof listening;
	char *end;
	unsigned long idle;

	if (argc != 2 || strcmp(argv[0], USERNS_POOL_ARGV0) != 0)
		return -1;
	idle = strtoul(argv[1], &end, 10);
	if (*end || !idle || idle > 3600 ||
	    getsockopt(USERNS_POOL_FD, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) < 0 ||
	    !listening)
		return -1;
	return userns_pool_main(USERNS_POOL_FD, (unsigned)idle);
}
