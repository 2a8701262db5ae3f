// SPDX-License-Identifier: GPL-2.0-or-later
/* The default seccomp filters, compiled when nook was built (see src/tools/gen_seccomp.c). */
#include <linux/filter.h>
#include <string.h>

#include "sandbox/internal.h"
#include "seccomp_default.h"

bool seccomp_prebuilt(const char *key, struct sock_fprog *prog)
{
	for (size_t i = 0; i < sizeof nook_prebuilt_filters / sizeof nook_prebuilt_filters[0];
	     i++) {
		if (strcmp(key, nook_prebuilt_filters[i].key) != 0)
			continue;
		prog->len = nook_prebuilt_filters[i].len;
		/* The kernel copies the program; it never writes it. */
		prog->filter = (struct sock_filter *)nook_prebuilt_filters[i].filter;
		return true;
	}
	return false;
}
