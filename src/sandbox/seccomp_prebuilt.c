// SPDX-License-Identifier: GPL-2.0-or-later
/* The default seccomp filter, compiled when nook was built (see src/tools/gen_seccomp.c). */
#include <linux/filter.h>
#include <string.h>

#include "sandbox/internal.h"
#include "seccomp_default.h"

bool seccomp_prebuilt(const char *key, struct sock_fprog *prog)
{
	if (strcmp(key, nook_default_filter_key) != 0)
		return false;
	prog->len = (unsigned short)(sizeof nook_default_filter / sizeof nook_default_filter[0]);
	/* The kernel copies the program; it never writes it. */
	prog->filter = (struct sock_filter *)nook_default_filter;
	return true;
}
