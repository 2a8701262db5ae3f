// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/user.h"

#include <errno.h>
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

/* HOME, USER, LOGNAME and PATH of UID, as the image's passwd names them, or defaults. */
static void identity_env(const struct root_ids *ids, uint32_t uid, struct identity *id)
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
		strv_push_owned(&id->unsets, xasprintf("USER uid %u has no entry in %s", uid,
						       ids->passwd_file));
		strv_push_owned(&id->unsets, xasprintf("LOGNAME uid %u has no entry in %s", uid,
						       ids->passwd_file));
	}
	strv_push(&id->sets, "PATH=" IMAGE_PATH);
}

int user_build(const struct request *ro, const struct host_facts *h, const char *rootfs,
	       struct spec *s, struct identity *id)
{
	autofree char *upper = NULL;
	struct root_ids ids;

	memset(id, 0, sizeof *id);
	if (!rootfs)
		return 0;
	upper = named_upper(ro, h);
	host_read_root_ids(rootfs, upper, &ids);
	if (ids.passwd_errno && ids.passwd_errno != ENOENT && !ro->quiet)
		warnx_("warning: --rootfs: cannot read %s: %s; the payload's HOME is %s",
		       ids.passwd_file, strerror(ids.passwd_errno),
		       s->inside_uid == 0 ? "/root" : "/");
	identity_env(&ids, s->inside_uid, id);
	root_ids_free(&ids);
	return 0;
}
