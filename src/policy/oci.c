// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.json into a spec. Straight to the spec, not through a request: a request is what a
 * user asks of nook's defaults (the host's root, the home's masks, nook's capabilities), while
 * a config describes the whole container and leaves nothing to defaults. What both need is
 * shared at the spec's level: the mount kinds, the filter (security_build), the maps' writer.
 */
#include "policy/oci.h"

#include <ctype.h>
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "policy/oci_profile.h"
#include "policy/oci_seccomp.h"
#include "policy/oci_field.h"
#include "policy/oci_hooks.h"
#include "policy/security.h"
#include "request/request.h"
#include "util/err.h"
#include "util/fsutil.h"

struct ctx {
	const struct oci_host *h;
	struct spec *s;
	struct oci_report r;
};

/* A note, a refusal naming a field, a field of a type: policy/oci_field.c's, for this config. */
#define note(c, ...) oci_note(&(c)->r, __VA_ARGS__)
#define bad(c, ...) oci_bad(&(c)->r, __VA_ARGS__)
#define want(c, v, t, field, required) oci_want(&(c)->r, v, t, field, required)

/* Every key of OBJ that is not in KNOWN gets a note: nook does not look at it. */
static void unknown_keys(struct ctx *c, const struct jnode *obj, const char *field,
			 const char *const *known)
{
	for (size_t i = 0; obj && obj->type == JSON_OBJECT && i < obj->n; i++) {
		const char *const *k = known;

		while (*k && strcmp(*k, obj->keys[i]) != 0)
			k++;
		if (!*k)
			note(c, "%s%s%s: not supported, ignored", field, field[0] ? "." : "",
			     obj->keys[i]);
	}
}

/* An empty object, array or string, or null: nothing asked. */
static bool empty(const struct jnode *v)
{
	return !v || v->type == JSON_NULL ||
	       ((v->type == JSON_OBJECT || v->type == JSON_ARRAY) && v->n == 0) ||
	       (v->type == JSON_STRING && !v->s[0]);
}

/* PATH as the host sees it: relative ones are under the bundle. */
static char *bundle_path(struct ctx *c, const char *path)
{
	return path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", c->h->bundle, path);
}

/* ---- namespaces and id maps ---- */

static const struct {
	const char *oci;
	uint64_t flag;
} ns_types[] = {
	{"pid", CLONE_NEWPID},       {"network", CLONE_NEWNET}, {"mount", CLONE_NEWNS},
	{"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},     {"user", CLONE_NEWUSER},
	{"cgroup", CLONE_NEWCGROUP},
};

static int namespaces(struct ctx *c, const struct jnode *list)
{
	uint64_t seen = 0;
	char field[128];

	if (want(c, list, JSON_ARRAY, "linux.namespaces", false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		const struct jnode *ns = &list->items[i];
		const struct jnode *type = json_get(ns, "type"), *path = json_get(ns, "path");
		size_t t = 0;

		snprintf(field, sizeof field, "linux.namespaces[%zu]", i);
		if (want(c, ns, JSON_OBJECT, field, true) < 0)
			return -1;
		snprintf(field, sizeof field, "linux.namespaces[%zu].type", i);
		if (want(c, type, JSON_STRING, field, true) < 0)
			return -1;
		while (t < sizeof ns_types / sizeof ns_types[0] && strcmp(ns_types[t].oci, type->s))
			t++;
		if (t == sizeof ns_types / sizeof ns_types[0])
			return bad(c, field, "\"%s\": nook cannot create or join it", type->s);
		if (seen & ns_types[t].flag)
			return bad(c, field, "\"%s\" a second time", type->s);
		seen |= ns_types[t].flag;
		snprintf(field, sizeof field, "linux.namespaces[%zu].path", i);
		if (want(c, path, JSON_STRING, field, false) < 0)
			return -1;
		if (empty(path)) {
			c->s->clone_flags |= ns_types[t].flag;
			continue;
		}
		if (path->s[0] != '/')
			return bad(c, field, "\"%s\" is not absolute", path->s);
		/* The user namespace first: the others are joined with its privileges. */
		if (ns_types[t].flag == CLONE_NEWUSER && c->s->oci.njoin) {
			memmove(c->s->oci.join + 1, c->s->oci.join,
				c->s->oci.njoin * sizeof c->s->oci.join[0]);
			c->s->oci.join[0] = (struct ns_join){ns_types[t].flag, xstrdup(path->s)};
		} else {
			c->s->oci.join[c->s->oci.njoin] = (struct ns_join){ns_types[t].flag,
									   xstrdup(path->s)};
		}
		c->s->oci.njoin++;
	}
	/* Without a mount namespace of its own nook would mount over the caller's tree. */
	if (!(c->s->clone_flags & CLONE_NEWNS))
		return bad(c, "linux.namespaces",
			   "nook needs a new mount namespace (a \"mount\" entry without a path)");
	return 0;
}

static int id_map(struct ctx *c, const struct jnode *list, const char *name, struct id_map *m)
{
	char field[128];

	if (want(c, list, JSON_ARRAY, name, false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		const char *keys[] = {"containerID", "hostID", "size"};
		uint64_t v[3];

		if (m->n == ID_MAP_MAX)
			return bad(c, name, "more than %d ranges", ID_MAP_MAX);
		for (int k = 0; k < 3; k++) {
			const struct jnode *n = json_get(&list->items[i], keys[k]);

			snprintf(field, sizeof field, "%s[%zu].%s", name, i, keys[k]);
			if (want(c, n, JSON_NUMBER, field, true) < 0)
				return -1;
			if (json_uint64(n, &v[k]) < 0 || v[k] > UINT32_MAX)
				return bad(c, field, "%s is not an id", n->s);
		}
		m->r[m->n++] = (struct id_range){(uint32_t)v[0], (uint32_t)v[1], (uint32_t)v[2]};
	}
	return 0;
}

/* A map of the caller's own id alone: written without the setuid helpers. */
static bool own_id_only(const struct id_map *m, uint32_t id)
{
	return m->n == 1 && m->r[0].count == 1 && m->r[0].outside == id;
}

static int user_namespace(struct ctx *c, const struct jnode *linux_)
{
	struct spec *s = c->s;

	if (id_map(c, json_get(linux_, "uidMappings"), "linux.uidMappings", &s->uid_map) < 0 ||
	    id_map(c, json_get(linux_, "gidMappings"), "linux.gidMappings", &s->gid_map) < 0)
		return -1;
	if (!(s->clone_flags & CLONE_NEWUSER)) {
		if (s->uid_map.n || s->gid_map.n)
			note(c, "linux.uidMappings, gidMappings: no new user namespace, ignored");
		s->uid_map.n = s->gid_map.n = 0;
		return 0;
	}
	if (!s->uid_map.n || !s->gid_map.n)
		return bad(c, "linux.uidMappings", "a new user namespace needs both maps");
	if (own_id_only(&s->uid_map, c->h->uid) && own_id_only(&s->gid_map, c->h->gid)) {
		s->userns = USERNS_SINGLE;
		return 0;
	}
	if (!c->h->newuidmap || !c->h->newgidmap)
		return bad(c, "linux.uidMappings",
			   "maps beyond the caller's own id need newuidmap and newgidmap "
			   "(package uidmap)");
	s->idmap_helpers = true;
	s->newuidmap = xstrdup(c->h->newuidmap);
	s->newgidmap = xstrdup(c->h->newgidmap);
	s->userns = USERNS_ROOT;
	return 0;
}

/* ---- mounts ---- */

struct mount_option {
	const char *name;
	unsigned set, clear; /* MOUNT_F_* */
};

static const struct mount_option flag_options[] = {
	{"ro", MOUNT_F_RDONLY, 0},
	{"rw", 0, MOUNT_F_RDONLY},
	{"nosuid", MOUNT_F_NOSUID, 0},
	{"suid", 0, MOUNT_F_NOSUID},
	{"nodev", MOUNT_F_NODEV, 0},
	{"dev", 0, MOUNT_F_NODEV},
	{"noexec", MOUNT_F_NOEXEC, 0},
	{"exec", 0, MOUNT_F_NOEXEC},
	{"bind", 0, 0},
	{"rbind", 0, 0},
	{"newinstance", 0, 0}, /* every devpts nook mounts is a new instance */
};

/* Propagation and time options: nook's mounts are private (slave) and keep relatime. */
static const char *const quiet_options[] = {
	"private",    "rprivate",   "slave",       "rslave",        "shared",
	"rshared",    "unbindable", "runbindable", "relatime",      "norelatime",
	"atime",      "noatime",    "strictatime", "nostrictatime", "diratime",
	"nodiratime", "sync",       "async",       "defaults",      NULL,
};

/* The filesystem options nook passes on, by filesystem. */
static const char *const tmpfs_options[] = {"size", "nr_inodes", "nr_blocks", "uid", "gid", NULL};
static const char *const devpts_options[] = {"ptmxmode", "mode", "gid", "uid", NULL};

static bool in_list(const char *const *list, const char *name, size_t len)
{
	for (; *list; list++)
		if (strlen(*list) == len && strncmp(*list, name, len) == 0)
			return true;
	return false;
}

static int mount_options(struct ctx *c, const struct jnode *opts, const char *field,
			 const char *const *fs_options, struct mount_op *m, bool *bind)
{
	struct strv pass = {0};
	char item[160];

	if (want(c, opts, JSON_ARRAY, field, false) < 0)
		return -1;
	for (size_t i = 0; opts && i < opts->n; i++) {
		const struct jnode *o = &opts->items[i];
		const char *eq;
		size_t f = 0;

		snprintf(item, sizeof item, "%s[%zu]", field, i);
		if (want(c, o, JSON_STRING, item, true) < 0) {
			strv_free(&pass);
			return -1;
		}
		if (strcmp(o->s, "bind") == 0 || strcmp(o->s, "rbind") == 0)
			*bind = true;
		while (f < sizeof flag_options / sizeof flag_options[0] &&
		       strcmp(flag_options[f].name, o->s) != 0)
			f++;
		if (f < sizeof flag_options / sizeof flag_options[0]) {
			m->flags = (m->flags | flag_options[f].set) & ~flag_options[f].clear;
			continue;
		}
		if (in_list(quiet_options, o->s, strlen(o->s)))
			continue;
		eq = strchr(o->s, '=');
		if (eq && strncmp(o->s, "mode", 4) == 0 && eq == o->s + 4 &&
		    m->kind == MOUNT_TMPFS) {
			char *end;
			unsigned long mode = strtoul(eq + 1, &end, 8);

			if (!eq[1] || *end || mode > 07777) {
				strv_free(&pass);
				return bad(c, item, "\"%s\": not an octal mode", o->s);
			}
			m->mode = (unsigned)mode;
			continue;
		}
		if (eq && fs_options && in_list(fs_options, o->s, (size_t)(eq - o->s)) &&
		    !strchr(eq + 1, ',')) {
			strv_push(&pass, o->s);
			continue;
		}
		note(c, "%s: \"%s\" not supported, ignored", item, o->s);
	}
	if (pass.n) {
		size_t len = 0;

		for (size_t i = 0; i < pass.n; i++)
			len += strlen(pass.v[i]) + 1;
		m->options = xcalloc(1, len);
		for (size_t i = 0; i < pass.n; i++) {
			if (i)
				strcat(m->options, ",");
			strcat(m->options, pass.v[i]);
		}
	}
	strv_free(&pass);
	return 0;
}

static const struct {
	const char *type;
	enum mount_kind kind;
	const char *const *options;
} fs_types[] = {
	{"tmpfs", MOUNT_TMPFS, tmpfs_options}, {"proc", MOUNT_PROC, NULL},
	{"sysfs", MOUNT_SYSFS, NULL},          {"devpts", MOUNT_DEVPTS, devpts_options},
	{"mqueue", MOUNT_MQUEUE, NULL},        {"bind", MOUNT_BIND, NULL},
	{"rbind", MOUNT_BIND, NULL},           {"none", MOUNT_BIND, NULL},
};

static int one_mount(struct ctx *c, const struct jnode *j, size_t i)
{
	const struct jnode *dest = json_get(j, "destination"), *type = json_get(j, "type");
	const struct jnode *src = json_get(j, "source");
	static const char *const known[] = {"destination", "type",        "source", "options",
					    "uidMappings", "gidMappings", NULL};
	char field[128], origin[48];
	enum mount_kind kind = MOUNT_BIND;
	const char *const *fs_options = NULL;
	struct mount_op *m;
	bool bind = false;
	size_t t = 0;

	snprintf(field, sizeof field, "mounts[%zu]", i);
	snprintf(origin, sizeof origin, "config.json mounts[%zu]", i);
	if (want(c, j, JSON_OBJECT, field, true) < 0)
		return -1;
	unknown_keys(c, j, field, known);
	snprintf(field, sizeof field, "mounts[%zu].destination", i);
	if (want(c, dest, JSON_STRING, field, true) < 0)
		return -1;
	if (dest->s[0] != '/')
		return bad(c, field, "\"%s\" is not absolute", dest->s);
	snprintf(field, sizeof field, "mounts[%zu].source", i);
	if (want(c, src, JSON_STRING, field, false) < 0)
		return -1;
	snprintf(field, sizeof field, "mounts[%zu].type", i);
	if (want(c, type, JSON_STRING, field, false) < 0)
		return -1;
	if (type && type->s[0]) {
		if (strcmp(type->s, "cgroup") == 0 || strcmp(type->s, "cgroup2") == 0) {
			/* Rootless without a delegated cgroup there is nothing to show. */
			note(c, "mounts[%zu]: %s at %s: nook mounts no cgroup filesystem, skipped",
			     i, type->s, dest->s);
			return 0;
		}
		while (t < sizeof fs_types / sizeof fs_types[0] &&
		       strcmp(fs_types[t].type, type->s))
			t++;
		if (t == sizeof fs_types / sizeof fs_types[0])
			return bad(c, field, "\"%s\": nook cannot mount this filesystem", type->s);
		kind = fs_types[t].kind;
		fs_options = fs_types[t].options;
	}
	m = spec_add_mount(c->s, kind, NULL, dest->s, 0, origin);
	snprintf(field, sizeof field, "mounts[%zu].options", i);
	if (mount_options(c, json_get(j, "options"), field, fs_options, m, &bind) < 0)
		return -1;
	/* "bind" in the options makes a bind mount of whatever type is named (runc does). */
	if (bind && m->kind != MOUNT_BIND) {
		m->kind = MOUNT_BIND;
		free(m->options);
		m->options = NULL;
	}
	if (m->kind == MOUNT_BIND) {
		snprintf(field, sizeof field, "mounts[%zu].source", i);
		if (empty(src))
			return bad(c, field, "a bind mount needs a source");
		m->src = bundle_path(c, src->s);
	} else if (!empty(src)) {
		/* A new filesystem's name, which mountinfo shows (runc passes it to mount(2)). */
		m->src = xstrdup(src->s);
	}
	if (json_get(j, "uidMappings") || json_get(j, "gidMappings"))
		return bad(c, field, "id-mapped mounts are not supported");
	return 0;
}

static int mounts(struct ctx *c, const struct jnode *list)
{
	if (want(c, list, JSON_ARRAY, "mounts", false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++)
		if (one_mount(c, &list->items[i], i) < 0)
			return -1;
	return 0;
}

/* The devices runtime-spec says every container has: the host's, bound (no mknod rootless). */
static const char *const default_devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty", NULL,
};

static void dev_links(struct ctx *c)
{
	static const char *const links[][2] = {
		{"/dev/fd", "/proc/self/fd"},
		{"/dev/stdin", "/proc/self/fd/0"},
		{"/dev/stdout", "/proc/self/fd/1"},
		{"/dev/stderr", "/proc/self/fd/2"},
	};

	/* Only on a /dev of the container's own: over the image's /dev they may be there. */
	if (!spec_mounted_at(c->s, "/dev", MOUNT_TMPFS))
		return;
	for (const char *const *d = default_devices; *d; d++)
		if (!spec_mounted_at(c->s, *d, MOUNT_BIND))
			spec_add_mount(c->s, MOUNT_BIND, *d, *d, MOUNT_F_NOSUID | MOUNT_F_NOEXEC,
				       "runtime-spec default device");
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		spec_add_mount(c->s, MOUNT_SYMLINK, links[i][1], links[i][0], 0,
			       "runtime-spec default link");
	if (spec_mounted_at(c->s, "/dev/pts", MOUNT_DEVPTS))
		spec_add_mount(c->s, MOUNT_SYMLINK, "pts/ptmx", "/dev/ptmx", 0,
			       "runtime-spec default link");
}

/*
 * linux.devices: without privileges no node can be made, so each is the host's node at the
 * same path, bound, and must be the device the config names. Its mode and owner are the host's.
 */
static int devices(struct ctx *c, const struct jnode *list)
{
	char field[128];

	if (want(c, list, JSON_ARRAY, "linux.devices", false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		const struct jnode *d = &list->items[i];
		const struct jnode *path = json_get(d, "path"), *type = json_get(d, "type");
		const struct jnode *major = json_get(d, "major"), *minor = json_get(d, "minor");
		uint64_t num[2];
		char t;

		snprintf(field, sizeof field, "linux.devices[%zu]", i);
		if (want(c, d, JSON_OBJECT, field, true) < 0)
			return -1;
		snprintf(field, sizeof field, "linux.devices[%zu].path", i);
		if (want(c, path, JSON_STRING, field, true) < 0)
			return -1;
		if (path->s[0] != '/')
			return bad(c, field, "\"%s\" is not absolute", path->s);
		snprintf(field, sizeof field, "linux.devices[%zu].type", i);
		if (want(c, type, JSON_STRING, field, true) < 0)
			return -1;
		if (strcmp(type->s, "p") == 0)
			return bad(c, field, "\"p\": nook cannot make a fifo device");
		if (strcmp(type->s, "c") != 0 && strcmp(type->s, "u") != 0 &&
		    strcmp(type->s, "b") != 0)
			return bad(c, field, "\"%s\" is not c, u, b or p", type->s);
		t = type->s[0] == 'b' ? 'b' : 'c';
		for (int k = 0; k < 2; k++) {
			const struct jnode *n = k ? minor : major;

			snprintf(field, sizeof field, "linux.devices[%zu].%s", i,
				 k ? "minor" : "major");
			if (want(c, n, JSON_NUMBER, field, true) < 0)
				return -1;
			if (json_uint64(n, &num[k]) < 0 || num[k] > (k ? 0xfffffu : 0xfffu))
				return bad(c, field, "\"%s\" is not a device number", n->s);
		}
		snprintf(field, sizeof field, "linux.devices[%zu]", i);
		if (c->h->has_device &&
		    !c->h->has_device(path->s, t, (unsigned)num[0], (unsigned)num[1]))
			return bad(c, field,
				   "the host has no %s device %" PRIu64 ":%" PRIu64
				   " at %s; nook binds the host's node, it cannot make one",
				   t == 'b' ? "block" : "character", num[0], num[1], path->s);
		if (json_get(d, "fileMode") || json_get(d, "uid") || json_get(d, "gid"))
			note(c, "%s: fileMode, uid and gid are the host node's", field);
		if (!spec_mounted_at(c->s, path->s, MOUNT_BIND))
			spec_add_mount(c->s, MOUNT_BIND, path->s, path->s,
				       MOUNT_F_NOSUID | MOUNT_F_NOEXEC, field);
	}
	return 0;
}

static int path_list(struct ctx *c, const struct jnode *list, const char *name,
		     enum mount_kind kind, unsigned flags)
{
	char field[128];

	if (want(c, list, JSON_ARRAY, name, false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		snprintf(field, sizeof field, "%s[%zu]", name, i);
		if (want(c, &list->items[i], JSON_STRING, field, true) < 0)
			return -1;
		if (list->items[i].s[0] != '/')
			return bad(c, field, "\"%s\" is not absolute", list->items[i].s);
		spec_add_mount(c->s, kind, NULL, list->items[i].s, flags, field);
	}
	return 0;
}

static int root(struct ctx *c, const struct jnode *r)
{
	const struct jnode *path = json_get(r, "path"), *ro = json_get(r, "readonly");
	static const char *const known[] = {"path", "readonly", NULL};
	autofree char *abs = NULL;

	if (want(c, r, JSON_OBJECT, "root", true) < 0 ||
	    want(c, path, JSON_STRING, "root.path", true) < 0 ||
	    want(c, ro, JSON_BOOL, "root.readonly", false) < 0)
		return -1;
	unknown_keys(c, r, "root", known);
	if (!path->s[0])
		return bad(c, "root.path", "empty");
	abs = bundle_path(c, path->s);
	spec_add_mount(c->s, MOUNT_ROOT, abs, "/", 0, "config.json root.path");
	c->s->oci.root_readonly = ro && ro->b;
	return 0;
}

/* ---- the process ---- */

static int strings(struct ctx *c, const struct jnode *list, const char *field, struct strv *out)
{
	char item[160];

	if (want(c, list, JSON_ARRAY, field, false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		snprintf(item, sizeof item, "%s[%zu]", field, i);
		if (want(c, &list->items[i], JSON_STRING, item, true) < 0)
			return -1;
		strv_push(out, list->items[i].s);
	}
	return 0;
}

static int cap_set(struct ctx *c, const struct jnode *caps, const char *set, uint64_t *bits)
{
	const struct jnode *list = json_get(caps, set);
	char field[128];

	*bits = 0;
	snprintf(field, sizeof field, "process.capabilities.%s", set);
	if (want(c, list, JSON_ARRAY, field, false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		char name[64];
		cap_value_t v;
		size_t k;

		snprintf(field, sizeof field, "process.capabilities.%s[%zu]", set, i);
		if (want(c, &list->items[i], JSON_STRING, field, true) < 0)
			return -1;
		for (k = 0; list->items[i].s[k] && k + 1 < sizeof name; k++)
			name[k] = (char)tolower((unsigned char)list->items[i].s[k]);
		name[k] = '\0';
		if (cap_from_name(name, &v) < 0 || v < 0 || v >= 64) {
			/* A newer kernel's capability: this one cannot give it anyway. */
			note(c, "%s: unknown capability %s, ignored", field, list->items[i].s);
			continue;
		}
		*bits |= UINT64_C(1) << v;
	}
	return 0;
}

/*
 * Each set as the config says, as runc applies them: the bounding set is the spec's
 * caps_keep (what a profile or exec narrows), the others are taken within it.
 */
static int capabilities(struct ctx *c, const struct jnode *caps)
{
	uint64_t bounding, effective, permitted, inheritable, ambient;

	if (want(c, caps, JSON_OBJECT, "process.capabilities", false) < 0)
		return -1;
	c->s->oci.caps.exact = true;
	if (!caps) {
		c->s->caps_keep = 0;
		return 0;
	}
	if (cap_set(c, caps, "bounding", &bounding) < 0 ||
	    cap_set(c, caps, "effective", &effective) < 0 ||
	    cap_set(c, caps, "permitted", &permitted) < 0 ||
	    cap_set(c, caps, "inheritable", &inheritable) < 0 ||
	    cap_set(c, caps, "ambient", &ambient) < 0)
		return -1;
	/* What the kernel would refuse is left out, and said: capset(2), PR_CAP_AMBIENT. */
	if (effective & ~permitted)
		note(c, "process.capabilities.effective: 0x%" PRIx64 " not permitted, left out",
		     effective & ~permitted);
	if (inheritable & ~bounding)
		note(c, "process.capabilities.inheritable: 0x%" PRIx64 " not in bounding, left out",
		     inheritable & ~bounding);
	if (ambient & ~(permitted & inheritable & bounding))
		note(c,
		     "process.capabilities.ambient: 0x%" PRIx64
		     " not in permitted, inheritable and bounding, left out",
		     ambient & ~(permitted & inheritable & bounding));
	c->s->caps_keep = bounding;
	c->s->oci.caps.effective = effective & permitted;
	c->s->oci.caps.permitted = permitted;
	c->s->oci.caps.inheritable = inheritable & bounding;
	c->s->oci.caps.ambient = ambient & permitted & inheritable & bounding;
	return 0;
}

static int oom_score_adj(struct ctx *c, const struct jnode *v)
{
	int64_t n;

	if (!v)
		return 0;
	if (want(c, v, JSON_NUMBER, "process.oomScoreAdj", false) < 0)
		return -1;
	if (json_int64(v, &n) < 0 || n < -1000 || n > 1000)
		return bad(c, "process.oomScoreAdj", "%s is not from -1000 to 1000", v->s);
	c->s->oci.oom_score_adj_set = true;
	c->s->oci.oom_score_adj = (int)n;
	return 0;
}

static int rlimits(struct ctx *c, const struct jnode *list)
{
	char field[128];

	if (want(c, list, JSON_ARRAY, "process.rlimits", false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		const struct jnode *r = &list->items[i], *type = json_get(r, "type");
		const struct jnode *soft = json_get(r, "soft"), *hard = json_get(r, "hard");
		uint64_t sv, hv;
		int res;

		snprintf(field, sizeof field, "process.rlimits[%zu].type", i);
		if (want(c, type, JSON_STRING, field, true) < 0)
			return -1;
		{
			char lower[32];
			size_t k;

			for (k = 0; type->s[k] && k + 1 < sizeof lower; k++)
				lower[k] = (char)tolower((unsigned char)type->s[k]);
			lower[k] = '\0';
			if (strncmp(lower, "rlimit_", 7) != 0 ||
			    enum_from_name(rlimit_names, lower + 7, &res) < 0)
				return bad(c, field, "\"%s\": no such limit", type->s);
		}
		snprintf(field, sizeof field, "process.rlimits[%zu].soft", i);
		if (want(c, soft, JSON_NUMBER, field, true) < 0)
			return -1;
		if (json_uint64(soft, &sv) < 0)
			return bad(c, field, "%s is not a limit", soft->s);
		snprintf(field, sizeof field, "process.rlimits[%zu].hard", i);
		if (want(c, hard, JSON_NUMBER, field, true) < 0)
			return -1;
		if (json_uint64(hard, &hv) < 0)
			return bad(c, field, "%s is not a limit", hard->s);
		if (sv > hv)
			return bad(c, field, "%" PRIu64 " is below the soft limit %" PRIu64, hv,
				   sv);
		if (c->s->nrlimits == RLIMITS_MAX)
			return bad(c, "process.rlimits", "more than %d", RLIMITS_MAX);
		c->s->rlimits[c->s->nrlimits++] = (struct rlimit_spec){.resource = res,
								       .value = sv,
								       .hard_apart = sv != hv,
								       .hard = hv};
	}
	return 0;
}

static int user(struct ctx *c, const struct jnode *u)
{
	const struct jnode *uid = json_get(u, "uid"), *gid = json_get(u, "gid");
	const struct jnode *groups = json_get(u, "additionalGids"), *um = json_get(u, "umask");
	static const char *const known[] = {"uid", "gid", "additionalGids", "umask", NULL};
	struct spec *s = c->s;
	uint64_t v;

	if (want(c, u, JSON_OBJECT, "process.user", true) < 0 ||
	    want(c, uid, JSON_NUMBER, "process.user.uid", true) < 0 ||
	    want(c, gid, JSON_NUMBER, "process.user.gid", true) < 0 ||
	    want(c, groups, JSON_ARRAY, "process.user.additionalGids", false) < 0 ||
	    want(c, um, JSON_NUMBER, "process.user.umask", false) < 0)
		return -1;
	unknown_keys(c, u, "process.user", known);
	if (json_uint64(uid, &v) < 0 || v > UINT32_MAX - 1)
		return bad(c, "process.user.uid", "%s is not an id", uid->s);
	s->inside_uid = (uid_t)v;
	if (json_uint64(gid, &v) < 0 || v > UINT32_MAX - 1)
		return bad(c, "process.user.gid", "%s is not an id", gid->s);
	s->inside_gid = (gid_t)v;
	s->oci.umask = 022;
	if (um) {
		if (json_uint64(um, &v) < 0 || v > 0777)
			return bad(c, "process.user.umask", "%s is not a umask", um->s);
		s->oci.umask = (unsigned)v;
	}
	s->switch_user = true;
	/* A single-id map denies setgroups: the process keeps the one group it has. */
	s->set_groups = s->userns != USERNS_SINGLE || !(s->clone_flags & CLONE_NEWUSER);
	s->drop_groups = s->set_groups;
	for (size_t i = 0; groups && i < groups->n; i++) {
		char field[128];

		snprintf(field, sizeof field, "process.user.additionalGids[%zu]", i);
		if (want(c, &groups->items[i], JSON_NUMBER, field, true) < 0)
			return -1;
		if (json_uint64(&groups->items[i], &v) < 0 || v > UINT32_MAX - 1)
			return bad(c, field, "%s is not an id", groups->items[i].s);
		if (!s->set_groups)
			return bad(c, field, "a user namespace that maps one id cannot set groups");
		s->groups = xreallocarray(s->groups, s->ngroups + 1, sizeof *s->groups);
		s->groups[s->ngroups++] = (uint32_t)v;
	}
	return 0;
}

static int console_size(struct ctx *c, const struct jnode *size)
{
	const struct jnode *h = json_get(size, "height"), *w = json_get(size, "width");
	uint64_t rows, cols;

	if (want(c, size, JSON_OBJECT, "process.consoleSize", false) < 0 || !size)
		return 0;
	if (want(c, h, JSON_NUMBER, "process.consoleSize.height", true) < 0 ||
	    want(c, w, JSON_NUMBER, "process.consoleSize.width", true) < 0)
		return -1;
	if (json_uint64(h, &rows) < 0 || rows > 65535 || json_uint64(w, &cols) < 0 || cols > 65535)
		return bad(c, "process.consoleSize", "not a size");
	c->s->oci.console_rows = (unsigned short)rows;
	c->s->oci.console_cols = (unsigned short)cols;
	return 0;
}

static int process(struct ctx *c, const struct jnode *p)
{
	static const char *const known[] = {
		"terminal",
		"consoleSize",
		"user",
		"args",
		"env",
		"cwd",
		"capabilities",
		"rlimits",
		"noNewPrivileges",
		"apparmorProfile",
		"oomScoreAdj",
		"selinuxLabel",
		NULL,
	};
	const struct jnode *args = json_get(p, "args"), *cwd = json_get(p, "cwd");
	const struct jnode *term = json_get(p, "terminal"), *nnp = json_get(p, "noNewPrivileges");
	struct spec *s = c->s;

	if (want(c, p, JSON_OBJECT, "process", true) < 0)
		return -1;
	unknown_keys(c, p, "process", known);
	if (want(c, args, JSON_ARRAY, "process.args", true) < 0 ||
	    strings(c, args, "process.args", &s->argv) < 0)
		return -1;
	if (s->argv.n == 0)
		return bad(c, "process.args", "empty");
	if (strings(c, json_get(p, "env"), "process.env", &s->env) < 0)
		return -1;
	/* strv's v is NULL until the first push: the process gets an environment, empty. */
	if (!s->env.v)
		s->env.v = xcalloc(1, sizeof *s->env.v);
	if (want(c, cwd, JSON_STRING, "process.cwd", true) < 0)
		return -1;
	if (cwd->s[0] != '/')
		return bad(c, "process.cwd", "\"%s\" is not absolute", cwd->s);
	s->cwd = xstrdup(cwd->s);
	s->cwd_required = true;
	if (user(c, json_get(p, "user")) < 0 || capabilities(c, json_get(p, "capabilities")) < 0 ||
	    rlimits(c, json_get(p, "rlimits")) < 0)
		return -1;
	if (want(c, term, JSON_BOOL, "process.terminal", false) < 0 ||
	    want(c, nnp, JSON_BOOL, "process.noNewPrivileges", false) < 0)
		return -1;
	/* A session of its own: the caller's terminal's signals are the engine's to pass on. */
	s->terminal = TERMINAL_NEW_SESSION;
	if (term && term->b) {
		/* Opened in the container's own devpts: its name inside is /dev/pts/N. */
		if (!spec_mounted_at(s, "/dev/pts", MOUNT_DEVPTS))
			return bad(c, "process.terminal", "needs a devpts mount at /dev/pts");
		s->terminal = TERMINAL_PTY;
		s->pty_fds = 7;
		if (console_size(c, json_get(p, "consoleSize")) < 0)
			return -1;
	}
	s->oci.no_new_privs = nnp && nnp->b;
	if (oom_score_adj(c, json_get(p, "oomScoreAdj")) < 0)
		return -1;
	for (const char *const *k = (const char *const[]){"apparmorProfile", "selinuxLabel", NULL};
	     *k; k++)
		if (json_get(p, *k) && !empty(json_get(p, *k)))
			note(c, "process.%s: not supported, ignored", *k);
	return 0;
}

/* ---- linux ---- */

static int sysctls(struct ctx *c, const struct jnode *obj)
{
	if (want(c, obj, JSON_OBJECT, "linux.sysctl", false) < 0)
		return -1;
	for (size_t i = 0; obj && i < obj->n; i++) {
		char field[128];

		snprintf(field, sizeof field, "linux.sysctl.%s", obj->keys[i]);
		if (want(c, &obj->items[i], JSON_STRING, field, true) < 0)
			return -1;
		/* Only what the container's own namespaces hold: the rest is the host's. */
		if (strncmp(obj->keys[i], "net.", 4) != 0 &&
		    strncmp(obj->keys[i], "kernel.msg", 10) != 0 &&
		    strncmp(obj->keys[i], "kernel.shm", 10) != 0 &&
		    strcmp(obj->keys[i], "kernel.sem") != 0 &&
		    strncmp(obj->keys[i], "fs.mqueue.", 10) != 0)
			return bad(c, field, "not a sysctl of the container's namespaces");
		if (strstr(obj->keys[i], "..") || strchr(obj->keys[i], '/') ||
		    strchr(obj->items[i].s, '\n'))
			return bad(c, field, "not a sysctl name or value");
		strv_push_owned(&c->s->oci.sysctl,
				xasprintf("%s=%s", obj->keys[i], obj->items[i].s));
	}
	return 0;
}

static bool annotation_is(const struct jnode *config, const char *key, const char *value)
{
	const struct jnode *v = json_get(json_get(config, "annotations"), key);

	return v && v->type == JSON_STRING && strcmp(v->s, value) == 0;
}

static int seccomp(struct ctx *c, const struct jnode *config, const struct jnode *sc)
{
	struct request ro;
	struct spec *s = c->s;
	const struct jnode *a = json_get(json_get(config, "annotations"), OCI_ANNOTATION_SECCOMP);
	int r;

	if (a && (a->type != JSON_STRING || strcmp(a->s, "default") != 0))
		return bad(c, "annotations." OCI_ANNOTATION_SECCOMP,
			   "the only value is \"default\" (nook's default filter)");
	if (!annotation_is(config, OCI_ANNOTATION_SECCOMP, "default")) {
		/* The config's own filter, as runc and crun load it (policy/oci_seccomp.c). */
		s->seccomp.enabled = false;
		return oci_seccomp_build(sc, &s->oci.seccomp, c->r.notes, c->r.err, c->r.errlen);
	}
	if (sc && !empty(sc))
		note(c, "linux.seccomp: replaced by nook's default filter (%s=default)",
		     OCI_ANNOTATION_SECCOMP);
	/* nook's own default, as nook run builds it; its limits are the config's, set after. */
	request_init(&ro);
	ro.quiet = true;
	s->net.mode = (s->clone_flags & CLONE_NEWNET) ? NET_NONE : NET_HOST;
	r = security_build(&ro, s);
	request_free(&ro);
	return r < 0 ? bad(c, "linux.seccomp", "nook's default filter cannot be built") : 0;
}

static int root_propagation(struct ctx *c, const struct jnode *v)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} kinds[] = {
		{"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
		{"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
		{"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
		{"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
	};

	if (want(c, v, JSON_STRING, "linux.rootfsPropagation", false) < 0 || empty(v))
		return v && v->type != JSON_STRING ? -1 : 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(v->s, kinds[i].name) == 0) {
			c->s->oci.root_propagation = kinds[i].flags;
			return 0;
		}
	return bad(c, "linux.rootfsPropagation", "\"%s\" is not a propagation", v->s);
}

static int linux_section(struct ctx *c, const struct jnode *config, const struct jnode *l)
{
	static const char *const known[] = {
		"namespaces",    "uidMappings", "gidMappings",       "maskedPaths",
		"readonlyPaths", "sysctl",      "seccomp",           "resources",
		"cgroupsPath",   "devices",     "rootfsPropagation", "mountLabel",
		"intelRdt",      "personality", "timeOffsets",       NULL,
	};

	if (want(c, l, JSON_OBJECT, "linux", true) < 0)
		return -1;
	unknown_keys(c, l, "linux", known);
	if (namespaces(c, json_get(l, "namespaces")) < 0 || user_namespace(c, l) < 0)
		return -1;
	if (sysctls(c, json_get(l, "sysctl")) < 0 || seccomp(c, config, json_get(l, "seccomp")) < 0)
		return -1;
	if (root_propagation(c, json_get(l, "rootfsPropagation")) < 0)
		return -1;
	for (const char *const *k =
		     (const char *const[]){"resources", "cgroupsPath", "mountLabel", NULL};
	     *k; k++)
		if (!empty(json_get(l, *k)))
			note(c, "linux.%s: not applied (no cgroup or device control rootless)", *k);
	if (!empty(json_get(l, "intelRdt")))
		return bad(c, "linux.intelRdt", "not supported");
	if (!empty(json_get(l, "personality")))
		return bad(c, "linux.personality", "not supported");
	if (!empty(json_get(l, "timeOffsets")))
		return bad(c, "linux.timeOffsets", "not supported (no time namespace)");
	return 0;
}

/* run.nook.profile, over everything the config made: read by the caller, for exec too. */
static int profile(struct ctx *c, const struct jnode *config)
{
	if (!json_get(json_get(config, "annotations"), OCI_ANNOTATION_PROFILE))
		return 0;
	if (!c->h->profile)
		return bad(c, "annotations." OCI_ANNOTATION_PROFILE, "the profile was not read");
	return oci_profile_apply(c->h->profile, c->s, c->r.notes, c->r.err, c->r.errlen);
}

int oci_spec_build(const struct jnode *config, const struct oci_host *h, struct spec *s,
		   struct strv *notes, char *err, size_t errlen)
{
	struct ctx c = {.h = h, .s = s, .r = {.notes = notes, .err = err, .errlen = errlen}};
	static const char *const known[] = {"ociVersion",  "root",       "mounts", "process",
					    "hostname",    "domainname", "linux",  "hooks",
					    "annotations", NULL};
	const struct jnode *version = json_get(config, "ociVersion");
	const struct jnode *hostname = json_get(config, "hostname");
	const struct jnode *l = json_get(config, "linux");

	if (want(&c, config, JSON_OBJECT, "the top level", true) < 0 ||
	    want(&c, version, JSON_STRING, "ociVersion", true) < 0)
		return -1;
	if (strncmp(version->s, "1.", 2) != 0)
		return bad(&c, "ociVersion", "\"%s\": nook reads 1.x", version->s);
	unknown_keys(&c, config, "", known);
	s->oci.enabled = true;
	/* The engine does the networking: the namespaces are the config's, nothing of nook's. */
	s->net.mode = NET_HOST;
	if (linux_section(&c, config, l) < 0 || root(&c, json_get(config, "root")) < 0 ||
	    mounts(&c, json_get(config, "mounts")) < 0)
		return -1;
	dev_links(&c);
	if (devices(&c, json_get(l, "devices")) < 0)
		return -1;
	if (path_list(&c, json_get(l, "maskedPaths"), "linux.maskedPaths", MOUNT_MASK,
		      MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC |
			      MOUNT_F_OPTIONAL) < 0 ||
	    path_list(&c, json_get(l, "readonlyPaths"), "linux.readonlyPaths", MOUNT_RESTRICT,
		      MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC |
			      MOUNT_F_OPTIONAL) < 0)
		return -1;
	if (process(&c, json_get(config, "process")) < 0)
		return -1;
	if (profile(&c, config) < 0)
		return -1;
	/* nook's own filter (the annotation's, a profile's) is made for a process that cannot
	 * gain privileges by an exec. */
	if (!s->oci.no_new_privs && s->seccomp.enabled) {
		note(&c,
		     "process.noNewPrivileges: set all the same, for nook's own filter (%s or "
		     "%s)",
		     OCI_ANNOTATION_SECCOMP, OCI_ANNOTATION_PROFILE);
		s->oci.no_new_privs = true;
	}
	if (want(&c, hostname, JSON_STRING, "hostname", false) < 0)
		return -1;
	if (!empty(hostname) && !(s->clone_flags & CLONE_NEWUTS))
		return bad(&c, "hostname", "setting it needs a new uts namespace");
	s->hostname = xstrdup(empty(hostname) ? "" : hostname->s);
	if (!empty(json_get(config, "domainname")))
		note(&c, "domainname: not supported, ignored");
	return oci_hooks_build(json_get(config, "hooks"), &s->oci.hooks, notes, err, errlen);
}
