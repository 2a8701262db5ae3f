// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * --overlay-driver=auto: overlay_plan() from facts of the tests' own (owners, maps, payload),
 * over the host, over an image and for a NAME.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy/overlay.h"
#include "tap.h"
#include "util/err.h"

#define ROOT_OWNED                   \
	{                            \
		0, 0, S_IFDIR | 0755 \
	}
#define CALLERS                            \
	{                                  \
		1000, 1000, S_IFDIR | 0755 \
	}

/* The caller 1000 as itself, subordinate ids 100000-165535 for the rest: keep-id's maps. */
static void keep_id_maps(struct spec *s)
{
	struct id_map m = {.r = {{0, 100000, 1000}, {1000, 1000, 1}, {1001, 101000, 64535}},
			   .n = 3};

	s->uid_map = m;
	s->gid_map = m;
}

/* --userns=single: the caller alone, nobody (65534) not mapped. */
static void single_maps(struct spec *s)
{
	struct id_map m = {.r = {{1000, 1000, 1}}, .n = 1};

	s->uid_map = m;
	s->gid_map = m;
}

static struct mount_op own_tmp = {.kind = MOUNT_TMPFS, .dest = "/tmp"};

static void spec_for(struct spec *s, const char *lower, enum overlay_mode mode, uid_t inside)
{
	static struct mount_op ops[2];

	spec_init(s);
	ops[0] = (struct mount_op){.kind = MOUNT_ROOT, .src = (char *)lower, .dest = "/"};
	ops[1] = own_tmp;
	s->mounts = ops;
	s->nmounts = 2;
	s->inside_uid = inside;
	s->overlay.mode = mode;
	s->overlay.driver = OVERLAY_AUTO;
}

/* The spec's parts as --dry-run prints them, and fuse-overlayfs's path when it has one. */
static const char *parts_str(const struct spec *s)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->overlay.nparts; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s=%s", i ? " " : "",
					s->overlay.parts[i].path,
					enum_to_name(overlay_part_names,
						     s->overlay.parts[i].driver));
	if (s->overlay.fuse_overlayfs)
		snprintf(buf + len, sizeof buf - len, " %s", s->overlay.fuse_overlayfs);
	return buf;
}

/* Let spec_free() free what overlay_plan() made, and not the tests' static mounts. */
static void spec_done(struct spec *s)
{
	s->mounts = NULL;
	s->nmounts = 0;
	spec_free(s);
}

static char *var_open[] = {"tmp"};

static struct overlay_top tops[] = {
	{.name = "etc", .owner = ROOT_OWNED, .files = true},
	{.name = "usr", .owner = ROOT_OWNED, .files = true},
	{.name = "var",
	 .owner = ROOT_OWNED,
	 .files = true,
	 .open_below = true,
	 .open_dirs = var_open,
	 .nopen_dirs = 1},
	{.name = "home", .owner = ROOT_OWNED, .files = true, .mapped_below = true},
	{.name = "tmp", .owner = ROOT_OWNED, .files = false, .open_below = true},
	{.name = "sys", .owner = ROOT_OWNED, .files = false},
	{.name = "srv", .owner = ROOT_OWNED, .files = true},
	{.name = "data", .owner = CALLERS, .files = true},
};

/* The same, but /var/tmp holds a directory writable by all of root's: no open_dirs. */
static struct overlay_top deep_tops[] = {
	{.name = "etc", .owner = ROOT_OWNED, .files = true},
	{.name = "usr", .owner = ROOT_OWNED, .files = true},
	{.name = "var", .owner = ROOT_OWNED, .files = true, .open_below = true},
	{.name = "home", .owner = ROOT_OWNED, .files = true, .mapped_below = true},
	{.name = "tmp", .owner = ROOT_OWNED, .files = false, .open_below = true},
	{.name = "sys", .owner = ROOT_OWNED, .files = false},
	{.name = "srv", .owner = ROOT_OWNED, .files = true},
	{.name = "data", .owner = CALLERS, .files = true},
};

static struct overlay_owner home_comps[] = {ROOT_OWNED, CALLERS};
static struct overlay_owner cwd_comps[] = {ROOT_OWNED, {0, 0, S_IFDIR | 01777}, CALLERS, CALLERS};
static struct overlay_owner shared_comps[] = {ROOT_OWNED, {0, 0, S_IFDIR | 01777}};
static struct overlay_owner usr_comps[] = {ROOT_OWNED, ROOT_OWNED};

static void host_facts_for(struct overlay_facts *f, bool usable, bool privileged)
{
	memset(f, 0, sizeof *f);
	f->host = true;
	f->fuse_usable = usable;
	f->privileged = privileged;
	f->tops = tops;
	f->ntops = sizeof tops / sizeof tops[0];
	f->places[0] = (struct overlay_place){"/home/tester", home_comps, 2};
	f->places[1] = (struct overlay_place){"/var/tmp/proj/sub", cwd_comps, 4};
}

static void test_host(void)
{
	struct host_facts h = {.fuse_overlayfs = "/usr/bin/fuse-overlayfs"};
	struct overlay_facts f;
	struct spec s;

	/* keep-id: the payload is the caller. */
	spec_for(&s, "/", OVERLAY_TMP, 1000);
	keep_id_maps(&s);
	host_facts_for(&f, true, false);
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s),
	       "/=ro /var=fuse /home=kernel /data=kernel /var/tmp=kernel /usr/bin/fuse-overlayfs",
	       "keep-id: / read-only; /var (writable by all below) fuse; /home (the caller's "
	       "inside) and the caller's /data the kernel's; /var/tmp (writable by all, holding "
	       "no such directory) the kernel's on top, the working directory's tree in it; the "
	       "sandbox's own /tmp and /sys (not of files) not");
	spec_done(&s);

	/* The home's tree is inside /home's overlay, which copies it up: no part of its own. */
	spec_for(&s, "/", OVERLAY_TMP, 1000);
	keep_id_maps(&s);
	host_facts_for(&f, true, false);
	f.places[1] = (struct overlay_place){"/usr/share", usr_comps, 2};
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s),
	       "/=ro /var=fuse /home=kernel /data=kernel /var/tmp=kernel /usr/bin/fuse-overlayfs",
	       "keep-id: a working directory of root's where the payload cannot write: nothing more");
	spec_done(&s);

	/* A working directory of root's writable by all makes its top fuse-overlayfs's. */
	spec_for(&s, "/", OVERLAY_TMP, 1000);
	keep_id_maps(&s);
	host_facts_for(&f, true, false);
	f.places[1] = (struct overlay_place){"/srv/shared", shared_comps, 2};
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s),
	       "/=ro /var=fuse /home=kernel /srv=fuse /data=kernel /var/tmp=kernel "
	       "/usr/bin/fuse-overlayfs",
	       "keep-id: the working directory /srv/shared (root's, writable by all): /srv fuse");
	spec_done(&s);

	/* A directory writable by all in /var/tmp: /var/tmp stays fuse-overlayfs's (it copies up). */
	spec_for(&s, "/", OVERLAY_TMP, 1000);
	keep_id_maps(&s);
	host_facts_for(&f, true, false);
	f.tops = deep_tops;
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s),
	       "/=ro /var=fuse /home=kernel /data=kernel /var/tmp/proj=kernel "
	       "/usr/bin/fuse-overlayfs",
	       "keep-id: /var/tmp holding a directory writable by all of root's: no part of its "
	       "own; the working directory's tree the kernel's");
	spec_done(&s);

	/* Root inside: fuse-overlayfs for all, the kernel's where it can copy up. */
	spec_for(&s, "/", OVERLAY_TMP, 0);
	keep_id_maps(&s);
	host_facts_for(&f, true, true);
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s),
	       "/=fuse /sys=ro /data=kernel /home/tester=kernel /var/tmp/proj=kernel "
	       "/usr/bin/fuse-overlayfs",
	       "root: / fuse; /sys read-only; the caller's /data, home and working directory's tree "
	       "the kernel's on top");
	spec_done(&s);

	/* single: nobody is not mapped, fuse-overlayfs could copy up nothing of root's. */
	spec_for(&s, "/", OVERLAY_TMP, 1000);
	single_maps(&s);
	host_facts_for(&f, false, false);
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "/=ro /var=kernel /home=kernel /data=kernel /var/tmp=kernel",
	       "single: no fuse-overlayfs; /var the kernel's (writable by all below), and "
	       "/var/tmp its own, which the working directory's tree is in");
	spec_done(&s);

	/* A NAME over the host: one driver, fuse-overlayfs, for its upper layer's sake. */
	spec_for(&s, "/", OVERLAY_NAMED, 1000);
	keep_id_maps(&s);
	host_facts_for(&f, true, false);
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "/=fuse /usr/bin/fuse-overlayfs", "NAME over the host: fuse");
	spec_done(&s);

	spec_for(&s, "/", OVERLAY_NAMED, 1000);
	single_maps(&s);
	host_facts_for(&f, false, false);
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "/=kernel /usr/bin/fuse-overlayfs",
	       "NAME over the host without a usable fuse-overlayfs: the kernel's (its path kept: "
	       "a NAME made with fuse-overlayfs keeps it)");
	spec_done(&s);

	/* Not auto, no overlay: nothing. */
	spec_for(&s, "/", OVERLAY_TMP, 1000);
	s.overlay.driver = OVERLAY_KERNEL;
	host_facts_for(&f, true, false);
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "", "--overlay-driver=kernel: no parts");
	spec_done(&s);
}

static void test_image(void)
{
	struct host_facts h = {.fuse_overlayfs = "/usr/bin/fuse-overlayfs"};
	struct overlay_facts f = {.fuse_usable = true};
	struct spec s;

	spec_for(&s, "/srv/img", OVERLAY_TMP, 1000);
	keep_id_maps(&s);
	f.image_mapped = true;
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "/=kernel", "an image the sandbox maps: the kernel's");
	spec_done(&s);

	spec_for(&s, "/srv/img", OVERLAY_TMP, 1000);
	keep_id_maps(&s);
	f.image_mapped = false;
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "/=fuse /usr/bin/fuse-overlayfs",
	       "an image of ids outside the map (root's): fuse-overlayfs");
	spec_done(&s);

	spec_for(&s, "/srv/img", OVERLAY_TMP, 1000);
	single_maps(&s);
	f.fuse_usable = false;
	overlay_plan(&f, &h, &s);
	is_str(parts_str(&s), "/=kernel", "no usable fuse-overlayfs: the kernel's");
	spec_done(&s);
}

int main(void)
{
	test_host();
	test_image();
	return done_testing();
}
