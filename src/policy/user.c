// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/user.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/passwd.h"
#include "policy/overlay.h"
#include "util/err.h"

void identity_free(struct identity *id)
{
	strv_free(&id->sets);
	strv_free(&id->unsets);
}

/*
 * The upper layer of the named overlay the sandbox runs on: a user added there by an earlier
 * run (useradd in a CI job's setup) is one the payload has. NULL without one.
 */
static char *named_upper(const struct request *ro, const struct host_facts *h)
{
	autofree char *base = NULL;

	if (!ro->overlay.mode_set || ro->overlay.mode != OVERLAY_NAMED)
		return NULL;
	base = overlay_base_dir(h);
	return base ? xasprintf("%s/%s/upper", base, ro->overlay.name) : NULL;
}

/*
 * HOME, USER, LOGNAME of UID, as the root's passwd names them, or defaults; and in an IMAGE
 * its PATH (over the host's root, the caller's PATH fits already).
 */
static void identity_env(const struct root_ids *ids, uint32_t uid, bool image, struct identity *id)
{
	const struct passwd_entry *pw = root_ids_user_by_uid(ids, uid);
	const char *name = pw ? pw->name : uid == 0 ? "root" : NULL;

	/* An entry without an absolute home: where login(1) would put the user, "/". */
	if (pw && pw->home[0] == '/')
		strv_push_owned(&id->sets, xasprintf("HOME=%s", pw->home));
	else
		strv_push(&id->sets, uid == 0 ? "HOME=/root" : "HOME=/");
	if (name) {
		strv_push_owned(&id->sets, xasprintf("USER=%s", name));
		strv_push_owned(&id->sets, xasprintf("LOGNAME=%s", name));
	} else {
		strv_push_owned(&id->unsets,
				xasprintf("USER uid %u has no entry in %s", uid, ids->passwd_file));
		strv_push_owned(&id->unsets, xasprintf("LOGNAME uid %u has no entry in %s", uid,
						       ids->passwd_file));
	}
	if (image)
		strv_push(&id->sets, "PATH=" IMAGE_PATH);
}

/* The inside ids of a map, "0-65536" or "1000", ranges that meet joined, for messages. */
static const char *map_ids(const struct id_map *m, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->n && used < len; i++) {
		uint32_t first = m->r[i].inside, last = first + m->r[i].count - 1;

		while (i + 1 < m->n && m->r[i + 1].inside == last + 1)
			last += m->r[++i].count;
		if (first == last)
			used += (size_t)snprintf(buf + used, len - used, "%s%u", used ? ", " : "",
						 first);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%u-%u",
						 used ? ", " : "", first, last);
	}
	return buf;
}

/* Why a name was not found: the file has no such entry, or there is none, or it is unreadable. */
static const char *why_missing(int err)
{
	static char buf[128];

	if (err == 0)
		return "";
	if (err == ENOENT)
		return " (there is no such file)";
	snprintf(buf, sizeof buf, " (cannot read it: %s)", strerror(err));
	return buf;
}

/* The user's groups: its own, then those of the root's /etc/group that list its name. */
static void user_groups(const struct root_ids *ids, const char *name, uint32_t gid, struct spec *s,
			bool quiet)
{
	s->groups = xcalloc(ids->ngroups + 1, sizeof *s->groups);
	s->groups[s->ngroups++] = gid;
	for (size_t i = 0; name && i < ids->ngroups; i++) {
		const struct group_entry *g = &ids->groups[i];
		bool member = false, have = false;

		for (size_t k = 0; k < g->members.n && !member; k++)
			member = strcmp(g->members.v[k], name) == 0;
		for (size_t k = 0; k < s->ngroups && !have; k++)
			have = s->groups[k] == g->gid;
		if (!member || have)
			continue;
		/* setgroups() refuses an id the namespace does not map: without it, say so. */
		if (!id_map_contains(&s->gid_map, g->gid)) {
			if (!quiet)
				warnx_("warning: --user: %s's group %s (%u) of %s is not mapped in the "
				       "sandbox; the payload is not in it",
				       name, g->name, g->gid, ids->group_file);
			continue;
		}
		s->groups[s->ngroups++] = g->gid;
	}
}

/*
 * --user=USER[:GROUP]: a number, or a name of the root's passwd (group); the ids must be in
 * the sandbox's maps, or the kernel refuses to change to them.
 */
static int resolve_user(const struct request *ro, const struct root_ids *ids, struct spec *s)
{
	autofree char *user = xstrndup(ro->user, strcspn(ro->user, ":"));
	const char *group = strchr(ro->user, ':') ? strchr(ro->user, ':') + 1 : NULL;
	const struct passwd_entry *pw = NULL;
	uint32_t uid, gid;
	char ids_buf[256];

	if (host_parse_id(user, &uid)) {
		pw = root_ids_user_by_uid(ids, uid);
	} else {
		pw = root_ids_user_by_name(ids, user);
		if (!pw) {
			warnx_("--user=%s: no user '%s' in %s%s", ro->user, user, ids->passwd_file,
			       why_missing(ids->passwd_errno));
			return -1;
		}
		uid = pw->uid;
	}
	if (group && !host_parse_id(group, &gid)) {
		const struct group_entry *g = root_ids_group_by_name(ids, group);

		if (!g) {
			warnx_("--user=%s: no group '%s' in %s%s", ro->user, group, ids->group_file,
			       why_missing(ids->group_errno));
			return -1;
		}
		gid = g->gid;
	} else if (!group) {
		/* A uid without an entry: its own number as its group, as the kernel has no other. */
		gid = pw ? pw->gid : uid;
	}
	if (!id_map_contains(&s->uid_map, uid)) {
		warnx_("--user=%s: uid %u is not mapped in the sandbox (its uid map holds %s; see "
		       "ID MAPPING in nook-run(1))",
		       ro->user, uid, map_ids(&s->uid_map, ids_buf, sizeof ids_buf));
		return -1;
	}
	if (!id_map_contains(&s->gid_map, gid)) {
		warnx_("--user=%s: gid %u is not mapped in the sandbox (its gid map holds %s; see "
		       "ID MAPPING in nook-run(1))",
		       ro->user, gid, map_ids(&s->gid_map, ids_buf, sizeof ids_buf));
		return -1;
	}
	s->switch_user = true;
	s->inside_uid = uid;
	s->inside_gid = gid;
	/* A namespace of one id has setgroups denied; the one group it maps is all there is. */
	s->set_groups = s->userns != USERNS_SINGLE;
	if (s->set_groups)
		user_groups(ids, pw ? pw->name : NULL, gid, s, ro->quiet);
	return 0;
}

int user_build(const struct request *ro, const struct host_facts *h, const char *rootfs,
	       struct spec *s, struct identity *id)
{
	autofree char *upper = NULL;
	struct root_ids ids;
	int r = 0;

	memset(id, 0, sizeof *id);
	if (!rootfs && !ro->user)
		return 0;
	if (rootfs)
		upper = named_upper(ro, h);
	/* Over the host's root the sandbox sees the host's /etc. */
	host_read_root_ids(rootfs ? rootfs : "/", upper, &ids);
	if (ids.passwd_errno && ids.passwd_errno != ENOENT && !ro->quiet)
		warnx_("warning: cannot read %s: %s; the payload's HOME is %s", ids.passwd_file,
		       strerror(ids.passwd_errno), s->inside_uid == 0 ? "/root" : "/");
	if (ro->user)
		r = resolve_user(ro, &ids, s);
	if (r == 0)
		identity_env(&ids, s->inside_uid, rootfs != NULL, id);
	root_ids_free(&ids);
	return r;
}
