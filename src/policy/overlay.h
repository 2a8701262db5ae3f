/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OVERLAY_H
#define NOOK_POLICY_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

struct overlay_request {
	bool mode_set;
	enum overlay_mode mode;
	char *name;
	enum overlay_driver driver;
};

/* tmp, none or NAME ([A-Za-z0-9_.-]{1,64}, not tmp, none, ".", ".."). */
int parse_overlay(const char *value, struct overlay_request *r, char *err, size_t errlen);
int parse_overlay_driver(const char *value, enum overlay_driver *out, char *err, size_t errlen);
bool overlay_name_valid(const char *name);

/* $XDG_DATA_HOME/nook/overlays, or ~/.local/share/nook/overlays; NULL without a home. */
char *overlay_base_dir(void);

void overlay_request_free(struct overlay_request *r);

/* Fill s->overlay; the default is none over the host and tmp over an image. */
int overlay_build(const struct overlay_request *r, bool image, const char *fuse_overlayfs,
		  struct spec *s);

#endif
