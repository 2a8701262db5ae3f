// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A request as a blob and back (util/blob.h): what a profile made of it, kept by the profile
 * cache (cli/profile_cache.c). Every field, in the order of request.h: a field added there
 * and not here is caught by the sizes checked at the end of this file.
 */
#include "request/request.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util/blob.h"
#include "util/err.h"

static void put_list(struct blob_out *b, const struct req_list *l)
{
	blob_put_u64(b, l->n);
	for (size_t i = 0; i < l->n; i++) {
		blob_put_str(b, l->v[i].value);
		blob_put_str(b, l->v[i].origin);
		blob_put_u64(b, l->v[i].cli);
	}
}

static void put_strv(struct blob_out *b, const struct strv *v)
{
	blob_put_u64(b, v->n);
	for (size_t i = 0; i < v->n; i++)
		blob_put_str(b, v->v[i]);
}

static void get_list(struct blob_in *b, struct req_list *l)
{
	uint64_t n = blob_get_max(b, 1u << 20);

	for (uint64_t i = 0; i < n && !b->bad; i++) {
		autofree char *value = blob_get_str(b);
		autofree char *origin = blob_get_str(b);
		bool cli = blob_get_max(b, 1);

		if (!value || !origin) {
			b->bad = true;
			return;
		}
		req_list_push(l, value, &(struct origin){.where = origin, .cli = cli});
	}
}

static void get_strv(struct blob_in *b, struct strv *v)
{
	uint64_t n = blob_get_max(b, 1u << 20);

	for (uint64_t i = 0; i < n && !b->bad; i++) {
		char *s = blob_get_str(b);

		if (!s) {
			b->bad = true;
			return;
		}
		strv_push_owned(v, s);
	}
}

static void put_fs(struct blob_out *b, const struct fs_request *r)
{
	const struct req_list *lists[] = {&r->blacklist,    &r->noblacklist, &r->whitelist,
					  &r->whitelist_ro, &r->nowhitelist, &r->read_only,
					  &r->read_write,   &r->noexec,      &r->mkdir,
					  &r->mkfile};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		put_list(b, lists[i]);
	blob_put_u64(b, r->private_home);
	blob_put_str(b, r->private_dir);
	blob_put_u64(b, r->private_cache);
	blob_put_u64(b, r->private_etc_set);
	put_strv(b, &r->private_etc);
	blob_put_str(b, r->dns);
	blob_put_u64(b, (uint64_t)(int64_t)r->x11);
	blob_put_u64(b, r->nosound);
	blob_put_u64(b, r->nodbus);
	blob_put_u64(b, r->machine_id);
	blob_put_u64(b, r->wayland);
}

static void get_fs(struct blob_in *b, struct fs_request *r)
{
	struct req_list *lists[] = {&r->blacklist,    &r->noblacklist, &r->whitelist,
				    &r->whitelist_ro, &r->nowhitelist, &r->read_only,
				    &r->read_write,   &r->noexec,      &r->mkdir,
				    &r->mkfile};

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		get_list(b, lists[i]);
	r->private_home = blob_get_max(b, 1);
	r->private_dir = blob_get_str(b);
	r->private_cache = blob_get_max(b, 1);
	r->private_etc_set = blob_get_max(b, 1);
	get_strv(b, &r->private_etc);
	r->dns = blob_get_str(b);
	r->x11 = (int)(int64_t)blob_get_u64(b);
	if (r->x11 < -1 || r->x11 > 1)
		b->bad = true;
	r->nosound = blob_get_max(b, 1);
	r->nodbus = blob_get_max(b, 1);
	r->machine_id = blob_get_max(b, 1);
	r->wayland = blob_get_max(b, 1);
}

static void put_dbus(struct blob_out *b, const struct dbus_request *r)
{
	put_list(b, &r->mode);
	put_list(b, &r->own);
	put_list(b, &r->talk);
	put_list(b, &r->see);
	put_list(b, &r->call);
	put_list(b, &r->broadcast);
}

static void get_dbus(struct blob_in *b, struct dbus_request *r)
{
	get_list(b, &r->mode);
	get_list(b, &r->own);
	get_list(b, &r->talk);
	get_list(b, &r->see);
	get_list(b, &r->call);
	get_list(b, &r->broadcast);
}

static void put_security(struct blob_out *b, const struct security_request *r)
{
	blob_put_str(b, r->seccomp.value);
	blob_put_str(b, r->seccomp.origin);
	blob_put_u64(b, r->seccomp.cli);
	put_strv(b, &r->seccomp_drop);
	put_strv(b, &r->seccomp_allow);
	blob_put_u64(b, r->action);
	blob_put_u64(b, r->allow_userns);
	blob_put_u64(b, r->allow_secondary_arch);
	blob_put_u64(b, r->mdwe);
	blob_put_u64(b, r->protocols);
	blob_put_u64(b, r->ncaps);
	for (size_t i = 0; i < r->ncaps; i++) {
		blob_put_u64(b, r->caps[i].keep);
		blob_put_u64(b, r->caps[i].mask);
		blob_put_str(b, r->caps[i].value);
		blob_put_str(b, r->caps[i].origin);
		blob_put_u64(b, r->caps[i].cli);
	}
	blob_put_u64(b, r->nrlimits);
	for (size_t i = 0; i < r->nrlimits; i++) {
		blob_put_u64(b, (uint64_t)r->rlimits[i].resource);
		blob_put_u64(b, r->rlimits[i].value);
		blob_put_u64(b, r->rlimits[i].hard_apart);
		blob_put_u64(b, r->rlimits[i].hard);
	}
}

static void get_security(struct blob_in *b, struct security_request *r)
{
	r->seccomp.value = blob_get_str(b);
	r->seccomp.origin = blob_get_str(b);
	r->seccomp.cli = blob_get_max(b, 1);
	get_strv(b, &r->seccomp_drop);
	get_strv(b, &r->seccomp_allow);
	r->action = (enum seccomp_action)blob_get_max(b, SECCOMP_ACTION_LOG);
	r->allow_userns = blob_get_max(b, 1);
	r->allow_secondary_arch = blob_get_max(b, 1);
	r->mdwe = blob_get_max(b, 1);
	r->protocols = blob_get_u64(b);
	r->ncaps = blob_get_max(b, 1024);
	r->caps = r->ncaps ? xcalloc(r->ncaps, sizeof *r->caps) : NULL;
	for (size_t i = 0; i < r->ncaps; i++) {
		r->caps[i].keep = blob_get_max(b, 1);
		r->caps[i].mask = blob_get_u64(b);
		r->caps[i].value = blob_get_str(b);
		r->caps[i].origin = blob_get_str(b);
		r->caps[i].cli = blob_get_max(b, 1);
	}
	r->nrlimits = blob_get_max(b, RLIMITS_MAX);
	for (size_t i = 0; i < r->nrlimits; i++) {
		r->rlimits[i].resource = (int)blob_get_max(b, RLIM_NLIMITS - 1);
		r->rlimits[i].value = blob_get_u64(b);
		r->rlimits[i].hard_apart = blob_get_max(b, 1);
		r->rlimits[i].hard = blob_get_u64(b);
	}
}

void request_to_blob(const struct request *ro, struct blob_out *b)
{
	blob_put_u64(b, ro->userns);
	blob_put_u64(b, ro->userns_cli);
	blob_put_u64(b, ro->userns_pool);
	blob_put_str(b, ro->user);
	blob_put_str(b, ro->rootfs);
	blob_put_u64(b, ro->nmounts);
	for (size_t i = 0; i < ro->nmounts; i++) {
		const struct mount_op *m = &ro->mounts[i];

		blob_put_u64(b, m->kind);
		blob_put_str(b, m->src);
		blob_put_str(b, m->dest);
		blob_put_u64(b, m->flags);
		blob_put_u64(b, m->mode);
		blob_put_str(b, m->options);
		blob_put_str(b, m->origin);
	}
	blob_put_str(b, ro->hostname);
	blob_put_u64(b, ro->ipc);
	blob_put_str(b, ro->ipc_where);
	blob_put_u64(b, ro->ipc_cli);
	blob_put_str(b, ro->name);
	blob_put_u64(b, ro->name_cli);
	blob_put_u64(b, ro->join_or_start);
	blob_put_str(b, ro->chdir);
	put_strv(b, &ro->env_edits);
	blob_put_u64(b, ro->clearenv);
	put_strv(b, &ro->env_keep);
	put_list(b, &ro->env_files);
	put_strv(b, &ro->env_file_sets);
	blob_put_u64(b, ro->keep_groups);
	blob_put_str(b, ro->tmpfs_size);
	blob_put_str(b, ro->shm_size);
	blob_put_u64(b, ro->timeout);
	blob_put_str(b, ro->single_instance);
	blob_put_u64(b, ro->pty);
	put_security(b, &ro->sec);
	blob_put_u64(b, ro->net.mode_set);
	blob_put_u64(b, ro->net.mode);
	blob_put_u64(b, ro->net.host_loopback);
	blob_put_u64(b, ro->net.npublish);
	for (size_t i = 0; i < ro->net.npublish; i++) {
		const struct publish_spec *p = &ro->net.publish[i];

		blob_put_str(b, p->host_addr);
		blob_put_u64(b, p->host_port);
		blob_put_u64(b, p->guest_port);
		blob_put_u64(b, p->udp);
		blob_put_str(b, p->origin);
	}
	blob_put_u64(b, ro->overlay.mode_set);
	blob_put_u64(b, ro->overlay.mode);
	blob_put_str(b, ro->overlay.name);
	blob_put_u64(b, ro->overlay.driver);
	put_fs(b, &ro->fs);
	put_list(b, &ro->caches);
	put_dbus(b, &ro->dbus_user);
	put_dbus(b, &ro->dbus_system);
	blob_put_str(b, ro->profile);
	blob_put_str(b, ro->profile_path);
	put_strv(b, &ro->profile_files);
	put_list(b, &ro->profile_directives);
	blob_put_u64(b, ro->profile_firejail);
	blob_put_u64(b, ro->noprofile);
	blob_put_u64(b, ro->strict_profile);
	blob_put_u64(b, ro->quiet);
	blob_put_u64(b, ro->dry_run);
	blob_put_u64(b, ro->json);
	put_strv(b, &ro->argv);
}

int request_from_blob(struct blob_in *b, struct request *ro)
{
	request_init(ro);
	ro->userns = (enum userns_mode)blob_get_max(b, USERNS_SINGLE);
	ro->userns_cli = blob_get_max(b, 1);
	ro->userns_pool = (enum userns_pool_choice)blob_get_max(b, USERNS_POOL_NO);
	ro->user = blob_get_str(b);
	ro->rootfs = blob_get_str(b);
	ro->nmounts = blob_get_max(b, 1u << 16);
	ro->mounts = ro->nmounts ? xcalloc(ro->nmounts, sizeof *ro->mounts) : NULL;
	for (size_t i = 0; i < ro->nmounts; i++) {
		struct mount_op *m = &ro->mounts[i];

		m->kind = (enum mount_kind)blob_get_max(b, MOUNT_DIR);
		m->src = blob_get_str(b);
		m->dest = blob_get_str(b);
		m->flags = (unsigned)blob_get_max(b, UINT32_MAX);
		m->mode = (unsigned)blob_get_max(b, 07777);
		m->options = blob_get_str(b);
		m->origin = blob_get_str(b);
		if (!m->dest || !m->origin)
			b->bad = true;
	}
	ro->hostname = blob_get_str(b);
	ro->ipc = (enum ipc_mode)blob_get_max(b, IPC_MODE_HOST);
	ro->ipc_where = blob_get_str(b);
	ro->ipc_cli = blob_get_max(b, 1);
	ro->name = blob_get_str(b);
	ro->name_cli = blob_get_max(b, 1);
	ro->join_or_start = blob_get_max(b, 1);
	ro->chdir = blob_get_str(b);
	get_strv(b, &ro->env_edits);
	ro->clearenv = blob_get_max(b, 1);
	get_strv(b, &ro->env_keep);
	get_list(b, &ro->env_files);
	get_strv(b, &ro->env_file_sets);
	ro->keep_groups = blob_get_max(b, 1);
	ro->tmpfs_size = blob_get_str(b);
	ro->shm_size = blob_get_str(b);
	ro->timeout = (unsigned)blob_get_max(b, UINT32_MAX);
	ro->single_instance = blob_get_str(b);
	ro->pty = (enum pty_choice)blob_get_max(b, PTY_NEVER);
	get_security(b, &ro->sec);
	ro->net.mode_set = blob_get_max(b, 1);
	ro->net.mode = (enum net_mode)blob_get_max(b, NET_PASTA);
	ro->net.host_loopback = blob_get_max(b, 1);
	ro->net.npublish = blob_get_max(b, 1024);
	ro->net.publish = ro->net.npublish ? xcalloc(ro->net.npublish, sizeof *ro->net.publish)
					   : NULL;
	for (size_t i = 0; i < ro->net.npublish; i++) {
		struct publish_spec *p = &ro->net.publish[i];
		autofree char *addr = blob_get_str(b);

		if (!addr || strlen(addr) >= sizeof p->host_addr)
			b->bad = true;
		else
			strcpy(p->host_addr, addr);
		p->host_port = (uint16_t)blob_get_max(b, UINT16_MAX);
		p->guest_port = (uint16_t)blob_get_max(b, UINT16_MAX);
		p->udp = blob_get_max(b, 1);
		p->origin = blob_get_str(b);
	}
	ro->overlay.mode_set = blob_get_max(b, 1);
	ro->overlay.mode = (enum overlay_mode)blob_get_max(b, OVERLAY_NAMED);
	ro->overlay.name = blob_get_str(b);
	ro->overlay.driver = (enum overlay_driver)blob_get_max(b, OVERLAY_KERNEL);
	get_fs(b, &ro->fs);
	get_list(b, &ro->caches);
	get_dbus(b, &ro->dbus_user);
	get_dbus(b, &ro->dbus_system);
	ro->profile = blob_get_str(b);
	ro->profile_path = blob_get_str(b);
	get_strv(b, &ro->profile_files);
	get_list(b, &ro->profile_directives);
	ro->profile_firejail = blob_get_max(b, 1);
	ro->noprofile = blob_get_max(b, 1);
	ro->strict_profile = blob_get_max(b, 1);
	ro->quiet = blob_get_max(b, 1);
	ro->dry_run = blob_get_max(b, 1);
	ro->json = blob_get_max(b, 1);
	get_strv(b, &ro->argv);
	if (b->bad) {
		request_free(ro);
		return -1;
	}
	return 0;
}

/*
 * The layouts this file was written for (x86-64): a field added to request.h changes a size
 * here, and the build stops until it is saved and read above too.
 */
#if defined(__x86_64__) && defined(__LP64__)
_Static_assert(sizeof(struct request) == 1648, "struct request changed: see request_blob.c");
_Static_assert(sizeof(struct fs_request) == 304, "struct fs_request changed: see request_blob.c");
_Static_assert(sizeof(struct dbus_request) == 144, "struct dbus_request changed");
_Static_assert(sizeof(struct security_request) == 624, "struct security_request changed");
_Static_assert(sizeof(struct net_request) == 32, "struct net_request changed");
_Static_assert(sizeof(struct overlay_request) == 24, "struct overlay_request changed");
_Static_assert(sizeof(struct caps_edit) == 40, "struct caps_edit changed");
_Static_assert(sizeof(struct mount_op) == 48, "struct mount_op changed");
_Static_assert(sizeof(struct publish_spec) == 80, "struct publish_spec changed");
_Static_assert(sizeof(struct rlimit_spec) == 32, "struct rlimit_spec changed");
_Static_assert(sizeof(struct req_value) == 24, "struct req_value changed");
#endif
