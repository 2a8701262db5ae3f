// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/name.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/sandbox_name.h"

static bool taken(const struct strv *names, const char *name)
{
	for (size_t i = 0; i < names->n; i++)
		if (strcmp(names->v[i], name) == 0)
			return true;
	return false;
}

int name_build(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	char *name;

	if (ro->join_or_start && !ro->name) {
		warnx_("--join-or-start: which sandbox? (--join-or-start=NAME, or --name=NAME)");
		return -1;
	}
	if (!h->state_dir) {
		/* A profile's name is a convenience: without a runtime directory, none. */
		if (ro->name && !ro->name_cli && !ro->quiet)
			warnx_("warning: the profile's name %s is ignored: no runtime directory to "
			       "keep the sandbox's state in (XDG_RUNTIME_DIR is not set, and %s is "
			       "not the caller's own)",
			       ro->name, h->runuser);
		if (!ro->name || !ro->name_cli)
			return 0;
		warnx_("--%s=%s: no runtime directory to keep the sandbox's state in "
		       "(XDG_RUNTIME_DIR is not set, and %s is not the caller's own)",
		       ro->join_or_start ? "join-or-start" : "name", ro->name, h->runuser);
		return -1;
	}
	s->state_dir = xstrdup(h->state_dir);
	if (ro->name) {
		s->name = xstrdup(ro->name);
		s->join_or_start = ro->join_or_start;
		return 0;
	}
	/* Live or stale: a stale one goes when the launcher meets it, the next name is fine. */
	name = sandbox_name_base(ro->argv.n ? ro->argv.v[0] : NULL);
	for (int i = 0; name && taken(&h->state_names, name) && i < 100000; i++) {
		char *next = sandbox_name_next(name);

		free(name);
		name = next;
	}
	s->name = name ? name : xstrdup("sandbox");
	s->name_generated = true;
	return 0;
}
