// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Landlock for the payload: a ruleset that handles no file access, only a scope (ABI 6,
 * Linux 6.12), which is valid on its own. Scoped to abstract unix sockets, the payload and
 * what it starts can connect to abstract sockets made inside the sandbox only, not to the
 * host's (the X server's "@/tmp/.X11-unix/X0", D-Bus's, ...), which --net=host shares.
 * Pid 1 connects to nothing and the payload cannot trace it, so it is left as it is.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444 /* the same on every architecture */
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

/* <linux/landlock.h> of Linux 6.12; older headers lack the scope. */
struct nook_landlock_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net;
	uint64_t scoped;
};
#define NOOK_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (UINT64_C(1) << 0)

void landlock_apply(const struct spec *s)
{
	const struct nook_landlock_ruleset_attr attr = {
		.scoped = NOOK_LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET,
	};
	autoclose int fd = -1;

	if (!s->landlock_scope_unix)
		return;
	/* The policy asked for it because the kernel has it: failing here is an error. */
	fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (fd < 0)
		die_errno("Landlock: cannot create a ruleset scoping abstract unix sockets");
	/* no_new_privs is pid 1's, inherited at the fork. */
	if (syscall(SYS_landlock_restrict_self, fd, 0) < 0)
		die_errno("Landlock: cannot scope the sandbox's abstract unix sockets");
}
