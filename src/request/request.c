// SPDX-License-Identifier: GPL-2.0-or-later
#include "request/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

void req_list_push(struct req_list *l, const char *value, const struct origin *o)
{
	/* Doubling: a desktop profile pushes hundreds of paths to a list. */
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->v[l->n++] = (struct req_value){
		.value = xstrdup(value),
		.origin = xstrdup(o->where),
		.cli = o->cli,
	};
}

void req_list_free(struct req_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].value);
		free(l->v[i].origin);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

const char *req_list_str(const struct req_list *l)
{
	static char buf[4096];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s", i ? "|" : "",
					l->v[i].value);
	return buf;
}

static void fs_request_free(struct fs_request *r)
{
	struct req_list *lists[] = {&r->blacklist,    &r->noblacklist, &r->whitelist,
				    &r->whitelist_ro, &r->nowhitelist, &r->read_only,
				    &r->read_write,   &r->noexec,      &r->mkdir,
				    &r->mkfile};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		req_list_free(lists[i]);
	strv_free(&r->private_etc);
	free(r->private_dir);
	free(r->dns);
}

static void dbus_request_free(struct dbus_request *r)
{
	struct req_list *lists[] = {&r->mode, &r->own, &r->talk, &r->see, &r->call, &r->broadcast};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		req_list_free(lists[i]);
}

void request_init(struct request *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->userns = USERNS_KEEP_ID;
}

void request_free(struct request *ro)
{
	free(ro->name);
	for (size_t i = 0; i < ro->nmounts; i++) {
		free(ro->mounts[i].src);
		free(ro->mounts[i].dest);
		free(ro->mounts[i].origin);
		free(ro->mounts[i].options);
	}
	free(ro->mounts);
	free(ro->rootfs);
	free(ro->user);
	free(ro->hostname);
	free(ro->ipc_where);
	free(ro->single_instance);
	free(ro->chdir);
	free(ro->profile);
	free(ro->profile_path);
	strv_free(&ro->profile_files);
	req_list_free(&ro->profile_directives);
	strv_free(&ro->env_edits);
	strv_free(&ro->env_keep);
	req_list_free(&ro->env_files);
	strv_free(&ro->env_file_sets);
	free(ro->tmpfs_size);
	free(ro->shm_size);
	strv_free(&ro->argv);
	free(ro->sec.seccomp.value);
	free(ro->sec.seccomp.origin);
	strv_free(&ro->sec.seccomp_drop);
	strv_free(&ro->sec.seccomp_allow);
	for (size_t i = 0; i < ro->sec.ncaps; i++) {
		free(ro->sec.caps[i].value);
		free(ro->sec.caps[i].origin);
	}
	free(ro->sec.caps);
	for (size_t i = 0; i < ro->net.npublish; i++)
		free(ro->net.publish[i].origin);
	free(ro->net.publish);
	free(ro->overlay.name);
	req_list_free(&ro->caches);
	fs_request_free(&ro->fs);
	dbus_request_free(&ro->dbus_user);
	dbus_request_free(&ro->dbus_system);
	memset(ro, 0, sizeof *ro);
}
