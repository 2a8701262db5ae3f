// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/overlay.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"

bool overlay_name_valid(const char *name)
{
	size_t len = strlen(name);

	/* Not "-x" either: "nook overlay rm -x" would read it as an option. */
	if (len == 0 || len > 64 || name[0] == '-' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strcmp(name, "tmp") == 0 || strcmp(name, "none") == 0)
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == len;
}

int parse_overlay(const char *value, struct overlay_request *r, char *err, size_t errlen)
{
	free(r->name);
	r->name = NULL;
	r->mode_set = true;
	if (strcmp(value, "tmp") == 0) {
		r->mode = OVERLAY_TMP;
	} else if (strcmp(value, "none") == 0) {
		r->mode = OVERLAY_NONE;
	} else if (overlay_name_valid(value)) {
		r->mode = OVERLAY_NAMED;
		r->name = xstrdup(value);
	} else {
		return set_error(err, errlen, "'%s' is not tmp, none or a NAME of letters, digits, "
			    "'_', '.' and '-' (at most 64)", value);
	}
	return 0;
}

int parse_overlay_driver(const char *value, enum overlay_driver *out, char *err, size_t errlen)
{
	if (strcmp(value, "fuse") == 0)
		*out = OVERLAY_FUSE;
	else if (strcmp(value, "kernel") == 0)
		*out = OVERLAY_KERNEL;
	else
		return set_error(err, errlen, "unknown driver '%s' (expected fuse or kernel)", value);
	return 0;
}

char *overlay_base_dir(void)
{
	const char *data = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (data && data[0] == '/')
		return xasprintf("%s/nook/overlays", data);
	if (!home || home[0] != '/') {
		struct passwd *pw = getpwuid(getuid());

		home = pw ? pw->pw_dir : NULL;
	}
	return home ? xasprintf("%s/.local/share/nook/overlays", home) : NULL;
}

void overlay_request_free(struct overlay_request *r)
{
	free(r->name);
	memset(r, 0, sizeof *r);
}

int overlay_build(const struct overlay_request *r, bool image, const char *fuse_overlayfs,
		  struct spec *s)
{
	struct overlay_spec *o = &s->overlay;

	o->mode = r->mode_set ? r->mode : (image ? OVERLAY_TMP : OVERLAY_NONE);
	o->driver = r->driver;
	if (o->mode == OVERLAY_NONE)
		return 0;
	if (o->driver == OVERLAY_FUSE) {
		if (!fuse_overlayfs) {
			warnx_("--overlay: fuse-overlayfs is not installed (apt-get install "
			       "fuse-overlayfs), or use --overlay-driver=kernel");
			return -1;
		}
		o->fuse_overlayfs = xstrdup(fuse_overlayfs);
	}
	if (o->mode == OVERLAY_NAMED) {
		autofree char *base = overlay_base_dir();

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
