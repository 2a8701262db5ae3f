// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/overlay.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

char *overlay_base_dir(const struct host_facts *h)
{
	return h->data_dir ? xasprintf("%s/overlays", h->data_dir) : NULL;
}

int overlay_build(const struct overlay_request *r, bool image, const struct host_facts *h,
		  struct spec *s)
{
	struct overlay_spec *o = &s->overlay;

	o->mode = r->mode_set ? r->mode : (image ? OVERLAY_TMP : OVERLAY_NONE);
	o->driver = r->driver;
	if (o->mode == OVERLAY_NONE)
		return 0;
	if (o->driver == OVERLAY_FUSE) {
		if (!h->fuse_overlayfs) {
			warnx_("--overlay: fuse-overlayfs is not installed (apt-get install "
			       "fuse-overlayfs), or use --overlay-driver=kernel");
			return -1;
		}
		o->fuse_overlayfs = xstrdup(h->fuse_overlayfs);
	}
	if (o->mode == OVERLAY_NAMED) {
		autofree char *base = overlay_base_dir(h);

		if (!base) {
			warnx_("--overlay=%s: no home directory to keep it in (set XDG_DATA_HOME)",
			       r->name);
			return -1;
		}
		o->name = xstrdup(r->name);
		o->dir = xasprintf("%s/%s", base, r->name);
	}
	/* Writable now: the overlay, not the host or the image, takes the writes. */
	s->mounts[0].flags &= ~(unsigned)MOUNT_F_RDONLY;
	return 0;
}
