// SPDX-License-Identifier: GPL-2.0-or-later
/* --user: the payload takes the uid, gid and groups the spec names, before exec. */
#include <errno.h>
#include <grp.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

_Static_assert(sizeof(gid_t) == sizeof(uint32_t), "the spec's groups are gid_t");

/*
 * Called before caps_apply(), which then keeps what the spec says: the capabilities must
 * survive the change of uid (PR_SET_KEEPCAPS, reset by exec), and the effective set, which
 * the kernel clears with the uid, must be raised again for caps_apply to drop the bounding
 * set.
 */
void user_switch(const struct spec *s)
{
	cap_t caps;

	if (!s->switch_user)
		return;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		die_errno("--user: cannot keep the capabilities across the change of uid");
	if (s->set_groups && setgroups(s->ngroups, (const gid_t *)s->groups) < 0)
		die_errno("--user: cannot set the supplementary groups");
	if (setresgid(s->inside_gid, s->inside_gid, s->inside_gid) < 0)
		die_errno("--user: cannot change to gid %u", (unsigned)s->inside_gid);
	if (setresuid(s->inside_uid, s->inside_uid, s->inside_uid) < 0)
		die_errno("--user: cannot change to uid %u", (unsigned)s->inside_uid);
	caps = cap_get_proc();
	if (!caps || cap_fill(caps, CAP_EFFECTIVE, CAP_PERMITTED) < 0 || cap_set_proc(caps) < 0)
		die_errno("--user: cannot raise the capabilities to drop them");
	cap_free(caps);
}
