/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OVERLAY_H
#define NOOK_POLICY_OVERLAY_H

#include <stdbool.h>

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/* Where named overlays live: data_dir/overlays; NULL without a home. */
char *overlay_base_dir(const struct host_facts *h);

/* Fill s->overlay; the default is none over the host and tmp over an image. */
int overlay_build(const struct overlay_request *r, bool image, const struct host_facts *h,
		  struct spec *s);

#endif
