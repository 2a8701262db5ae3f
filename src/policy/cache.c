// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --cache=NAME:PATH: a directory kept across runs in nook's own store, bound at PATH. The store
 * (data_dir/caches/NAME/data) is hidden in every sandbox with nook's other state; only a
 * sandbox that names the cache sees it, at its PATH.
 */
#include "policy/cache.h"

#include <stdlib.h>
#include <string.h>

#include "host/expand.h"
#include "policy/fs.h"
#include "util/err.h"

char *cache_base_dir(const struct host_facts *h)
{
	return h->data_dir ? xasprintf("%s/caches", h->data_dir) : NULL;
}

/* Does a later entry of the list than I name the same PATH? Then that one wins. */
static bool replaced(const struct req_list *l, size_t i, const char *dest, const char *home)
{
	for (size_t k = i + 1; k < l->n; k++) {
		autofree char *other = expand_tilde(strchr(l->v[k].value, ':') + 1, home);

		if (strcmp(other, dest) == 0)
			return true;
	}
	return false;
}

/* Is PATH on a tmpfs of the spec so far (an emptied home, a private ~/.cache, a --tmpfs)? */
static bool on_tmpfs(const struct spec *s, const char *path)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_TMPFS && fs_under(path, s->mounts[i].dest))
			return true;
	return false;
}

/*
 * A mount needs a place: over the host's read-only home, the monitor makes PATH there first,
 * empty (as a profile's mkdir would). Elsewhere the sandbox makes it where it can (a tmpfs,
 * an overlay), or the mount fails saying so.
 */
static bool needs_host_mkdir(const struct request *ro, const struct host_facts *h,
			     const struct spec *s, const char *dest)
{
	if (ro->rootfs || ro->fs.private_home || ro->fs.private_dir || !h->home ||
	    !fs_below(dest, h->home) || on_tmpfs(s, dest))
		return false;
	for (size_t i = 0; i < s->host_mkdir.n; i++)
		if (strcmp(s->host_mkdir.v[i], dest) == 0)
			return false;
	return true;
}

int cache_build(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	const struct req_list *l = &ro->caches;
	autofree char *base = l->n ? cache_base_dir(h) : NULL;

	for (size_t i = 0; i < l->n; i++) {
		const struct req_value *c = &l->v[i];
		const char *colon = strchr(c->value, ':');
		autofree char *name = xstrndup(c->value, (size_t)(colon - c->value));
		autofree char *dest = expand_tilde(colon + 1, h->home);
		autofree char *origin = xasprintf("%s %s", c->origin, c->value);
		struct cache_spec *cs;

		if (!base) {
			warnx_("%s %s: no home directory to keep it in (set XDG_DATA_HOME)",
			       c->origin, c->value);
			return -1;
		}
		if (dest[0] != '/') {
			warnx_("%s %s: no home directory for ~", c->origin, c->value);
			return -1;
		}
		/* Every sandbox hides nook's own directories: a cache there would be hidden too. */
		if ((h->data_dir && fs_under(dest, h->data_dir)) ||
		    (h->config_dir && fs_under(dest, h->config_dir))) {
			warnx_("%s %s: PATH is in nook's own directories, which every sandbox hides",
			       c->origin, c->value);
			return -1;
		}
		if (replaced(l, i, dest, h->home))
			continue;
		s->caches = xreallocarray(s->caches, s->ncaches + 1, sizeof *s->caches);
		cs = &s->caches[s->ncaches++];
		cs->name = xstrdup(name);
		cs->dir = xasprintf("%s/%s", base, name);
		cs->dest = xstrdup(dest);
		if (needs_host_mkdir(ro, h, s, dest))
			strv_push(&s->host_mkdir, dest);
		{
			autofree char *data = xasprintf("%s/data", cs->dir);

			spec_add_mount(s, MOUNT_BIND, data, dest, MOUNT_F_NOSUID | MOUNT_F_NODEV,
				       origin);
		}
	}
	return 0;
}
