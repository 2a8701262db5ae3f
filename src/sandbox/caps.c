// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#include "sandbox/internal.h"

/*
 * What the bounding set may still hold: everything, until caps_bound_to() drops some. A fork
 * inherits both, so the payload does not drop again what pid 1 dropped before it: each drop
 * is a new set of credentials (~1 us), and there are some 40.
 */
static uint64_t bounding_at_most = ~UINT64_C(0);

int caps_bound_to(uint64_t keep)
{
	int last = (int)cap_max_bits();

	for (int c = 0; c < last && c < 64; c++) {
		uint64_t bit = UINT64_C(1) << c;

		if (!(keep & bit) && (bounding_at_most & bit) && cap_drop_bound(c) < 0 &&
		    errno != EINVAL)
			return -1;
	}
	bounding_at_most &= keep;
	return 0;
}

/*
 * The bounding set down to KEEP first (dropping from it needs CAP_SETPCAP, which capset then
 * drops), and no ambient capability left.
 */
static int drop_bounding_and_ambient(uint64_t keep)
{
	if (caps_bound_to(keep) < 0)
		return -1;
	/* One call (libcap's cap_reset_ambient asks about each capability first). */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return -1;
	return 0;
}

int caps_apply_sets(uint64_t bounding, uint64_t effective, uint64_t permitted, uint64_t inheritable,
		    uint64_t ambient)
{
	int last = (int)cap_max_bits();
	cap_t caps;
	int r = 0;

	if (drop_bounding_and_ambient(bounding) < 0)
		return -1;
	caps = cap_init();
	if (!caps)
		return -1;
	for (int c = 0; r == 0 && c < last && c < 64; c++) {
		cap_value_t v = c;
		uint64_t bit = UINT64_C(1) << c;

		if (((effective & bit) && cap_set_flag(caps, CAP_EFFECTIVE, 1, &v, CAP_SET) < 0) ||
		    ((permitted & bit) && cap_set_flag(caps, CAP_PERMITTED, 1, &v, CAP_SET) < 0) ||
		    ((inheritable & bit) &&
		     cap_set_flag(caps, CAP_INHERITABLE, 1, &v, CAP_SET) < 0))
			r = -1;
	}
	if (r == 0 && cap_set_proc(caps) < 0)
		r = -1;
	cap_free(caps);
	for (int c = 0; r == 0 && c < last && c < 64; c++)
		if ((ambient & (UINT64_C(1) << c)) && cap_set_ambient(c, CAP_SET) < 0)
			r = -1;
	return r;
}

int no_new_privs(void)
{
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

int caps_apply(uint64_t keep, bool ambient)
{
	/* A payload that is not uid 0 inside loses its capabilities at exec, unless ambient. */
	return caps_apply_sets(keep, keep, keep, ambient ? keep : 0, ambient ? keep : 0);
}
