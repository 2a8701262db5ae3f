// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder; the real checks land with the doctor commit. */
#include <stdio.h>

#include "cli/commands.h"

void doctor_help(FILE *out)
{
	fputs("Usage: nook doctor\n", out);
}

int cmd_doctor(int argc, char **argv)
{
	return 0;
}
