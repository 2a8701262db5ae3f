// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/caps.h"

#include "util/err.h"

/*
 * The command line wins over a profile. --userns=root on the command line promises root's
 * capabilities, which a profile written for the default sandbox (where "caps.drop all"
 * changes nothing) would silently empty: then the profile's caps lines are not applied, and
 * each says so. To narrow root's capabilities, the command line has --caps-drop.
 */
void caps_build(const struct security_request *r, uint64_t base, bool root_from_cli, bool quiet,
		struct spec *s)
{
	uint64_t caps = base;

	for (size_t i = 0; i < r->ncaps; i++) {
		const struct caps_edit *e = &r->caps[i];

		if (root_from_cli && base && !e->cli) {
			if (!quiet)
				warnx_("warning: %s: caps-%s %s: not applied: --userns=root on the "
				       "command line keeps root's capabilities (narrow them with "
				       "--caps-drop)",
				       e->origin, e->keep ? "keep" : "drop", e->value);
			continue;
		}
		if (e->keep)
			caps = e->mask;
		else
			caps &= ~e->mask;
	}
	s->caps_keep = caps;
}
