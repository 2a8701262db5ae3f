/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_OVERLAY_H
#define NOOK_POLICY_OVERLAY_H

#include <stdbool.h>
#include <sys/types.h>

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/* Where named overlays live: data_dir/overlays; NULL without a home. */
char *overlay_base_dir(const struct host_facts *h);

/* Fill s->overlay; the default is none over the host and tmp over an image. */
int overlay_build(const struct overlay_request *r, bool image, const struct host_facts *h,
		  struct spec *s);

/*
 * What --overlay-driver=auto decides by: the owners of the directories it may have to copy
 * up, as the host sees them (overlay_facts_read).
 */
struct overlay_owner {
	uid_t uid;
	gid_t gid;
	mode_t mode;
};
/* A top-level directory of the host's /, and the directories in it. */
struct overlay_top {
	char *name;
	struct overlay_owner owner;
	bool files;        /* on a filesystem of files (not proc, sysfs, a tmpfs...) */
	bool open_below;   /* it, or a directory in it, is writable by all (/var/tmp) */
	bool mapped_below; /* a directory in it has owners the sandbox maps (/home/USER) */
	/*
	 * The directories in it writable by all, of an owner outside the map, that hold no such
	 * directory themselves (/var/tmp): the kernel's overlay cannot copy them up, but one
	 * of their own takes writes in them (its top is its upper directory, made by nook).
	 */
	char **open_dirs;
	size_t nopen_dirs;
};
/* A directory the payload is likely to write in (the home, the working directory). */
struct overlay_place {
	char *path;                  /* absolute, without symlinks; NULL: none */
	struct overlay_owner *comps; /* the owner of each of its prefixes, "/a" first */
	size_t ncomps;               /* 0: it is not a directory (or is "/") */
};
struct overlay_facts {
	bool host;         /* the lower layer is the host's / (else an image) */
	bool image_mapped; /* an image whose root and top-level entries' owners are mapped */
	bool fuse_usable;  /* fuse-overlayfs installed, /dev/fuse there, nobody mapped */
	bool privileged;   /* the payload is root inside: it may write what root owns */
	struct overlay_top *tops;
	size_t ntops;
	struct overlay_place places[2]; /* the home, the working directory */
};

/*
 * The facts for s (its maps, payload, cwd and mounts built): "/"'s top-level directories and
 * the owners along the home and the working directory (over the host), or the image's.
 */
void overlay_facts_read(const struct host_facts *h, const struct spec *s, struct overlay_facts *f);
void overlay_facts_free(struct overlay_facts *f);
/*
 * --overlay-driver=auto: s->overlay.parts (see struct overlay_part) from the facts, and
 * fuse_overlayfs when a part may need it. Pure: the unit tests hand in facts of their own.
 * Over the host, a top-level directory of root's gets fuse-overlayfs where the payload may
 * write below it (root inside: all of them; else one writable by all, or holding such a
 * directory, and /var), the kernel's where what it holds is the sandbox's to copy up, and is
 * bound read-only where the payload can write nothing; the home's and the working directory's
 * trees, and a fuse-overlayfs top's open_dirs (/var/tmp: where jobs write), are kernel
 * overlays of their own where the one below would not copy them up.
 */
void overlay_plan(const struct overlay_facts *f, const struct host_facts *h, struct spec *s);

#endif
