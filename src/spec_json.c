// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The spec as one JSON object, for programs (nook run --dry-run --json): every fact
 * spec_print() prints, under stable names, every key present in every spec (null or empty
 * when it does not apply), so a consumer never has to guess. A change that removes or
 * renames a key, or changes its type, raises "version"; adding a key does not.
 * The schema is documented in nook-run(1), under --json.
 */
#include "spec.h"

#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>

#include "util/err.h"
#include "util/json.h"

static void strv_array(struct json *j, const char *key, const struct strv *v)
{
	json_key(j, key);
	json_array(j);
	for (size_t i = 0; i < v->n; i++)
		json_string(j, v->v[i]);
	json_end(j);
}

/* Bit n of MASK for each entry of NAMES that is set, as an array of the names. */
static void flag_array(struct json *j, const char *key, const struct enum_name *names,
		       uint64_t mask)
{
	json_key(j, key);
	json_array(j);
	for (const struct enum_name *n = names; n->name; n++)
		if (mask & (uint64_t)n->value)
			json_string(j, n->name);
	json_end(j);
}

static void id_map(struct json *j, const char *key, const struct id_map *m)
{
	json_key(j, key);
	json_array(j);
	for (size_t i = 0; i < m->n; i++) {
		json_object(j);
		json_kv_uint(j, "inside", m->r[i].inside);
		json_kv_uint(j, "outside", m->r[i].outside);
		json_kv_uint(j, "count", m->r[i].count);
		json_end(j);
	}
	json_end(j);
}

static void identity(struct json *j, const struct spec *s)
{
	json_kv_string(j, "userns", userns_mode_name(s->userns));
	json_key(j, "idmap_helpers");
	if (s->idmap_helpers) {
		json_object(j);
		json_kv_string(j, "newuidmap", s->newuidmap);
		json_kv_string(j, "newgidmap", s->newgidmap);
		json_end(j);
	} else {
		json_null(j);
	}
	/* The kernel forbids setgroups() where the maps were written without the helpers. */
	json_kv_string(j, "setgroups", s->idmap_helpers ? "allow" : "deny");
	json_key(j, "userns_pool");
	if (s->userns_pool) {
		json_object(j);
		json_kv_string(j, "socket", s->userns_pool);
		json_kv_uint(j, "idle", s->userns_pool_idle);
		json_end(j);
	} else {
		json_null(j);
	}
	id_map(j, "uid_map", &s->uid_map);
	id_map(j, "gid_map", &s->gid_map);
	json_kv_uint(j, "uid", s->inside_uid);
	json_kv_uint(j, "gid", s->inside_gid);
	json_kv_string(j, "groups", s->drop_groups ? "own" : "keep");
	json_key(j, "switch_user");
	if (s->switch_user) {
		json_object(j);
		json_kv_uint(j, "uid", s->inside_uid);
		json_kv_uint(j, "gid", s->inside_gid);
		json_key(j, "groups");
		if (s->set_groups) {
			json_array(j);
			for (size_t i = 0; i < s->ngroups; i++)
				json_uint(j, s->groups[i]);
			json_end(j);
		} else {
			json_null(j);
		}
		json_end(j);
	} else {
		json_null(j);
	}
}

static void mounts(struct json *j, const struct spec *s)
{
	json_key(j, "mounts");
	json_array(j);
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];
		char mode[16];

		json_object(j);
		json_kv_string(j, "kind", mount_kind_name(m->kind));
		/* A file mount's src is its text, not a path. */
		json_kv_string(j, "src", m->kind == MOUNT_FILE ? NULL : m->src);
		json_kv_string(j, "dest", m->dest);
		json_kv_string(j, "content", m->kind == MOUNT_FILE ? m->src : NULL);
		flag_array(j, "flags", mount_flag_names, m->flags);
		snprintf(mode, sizeof mode, "%04o", m->mode);
		json_kv_string(j, "mode",
			       m->kind == MOUNT_TMPFS || m->kind == MOUNT_DIR ? mode : NULL);
		json_kv_string(j, "options", m->options);
		json_kv_string(j, "origin", m->origin);
		json_end(j);
	}
	json_end(j);
}

static void overlay(struct json *j, const struct overlay_spec *o)
{
	static const char *const modes[] = {
		[OVERLAY_NONE] = "none",
		[OVERLAY_TMP] = "tmp",
		[OVERLAY_NAMED] = "named",
	};

	json_key(j, "overlay");
	json_object(j);
	json_kv_string(j, "mode", modes[o->mode]);
	json_kv_string(j, "name", o->mode == OVERLAY_NAMED ? o->name : NULL);
	json_kv_string(j, "driver",
		       o->mode == OVERLAY_NONE ? NULL
					       : enum_to_name(overlay_driver_names, o->driver));
	json_kv_string(j, "dir", o->mode == OVERLAY_NAMED ? o->dir : NULL);
	json_kv_string(j, "fuse_overlayfs", o->mode != OVERLAY_NONE ? o->fuse_overlayfs : NULL);
	json_key(j, "parts");
	json_array(j);
	for (size_t i = 0; i < o->nparts; i++) {
		json_object(j);
		json_kv_string(j, "path", o->parts[i].path);
		json_kv_string(j, "driver", enum_to_name(overlay_part_names, o->parts[i].driver));
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

static void net(struct json *j, const struct net_spec *n)
{
	bool slirp = n->mode == NET_SLIRP, pasta = n->mode == NET_PASTA;

	json_key(j, "net");
	json_object(j);
	json_kv_string(j, "mode", enum_to_name(net_mode_names, n->mode));
	json_kv_string(j, "slirp4netns", slirp ? n->slirp4netns : NULL);
	json_kv_string(j, "pasta", pasta ? n->pasta : NULL);
	json_key(j, "mtu");
	if (slirp || pasta)
		json_uint(j, n->mtu);
	else
		json_null(j);
	json_kv_bool(j, "host_loopback", n->host_loopback);
	json_kv_bool(j, "slirp_sandbox", slirp && n->slirp_sandbox);
	json_key(j, "publish");
	json_array(j);
	for (size_t i = 0; i < n->npublish; i++) {
		const struct publish_spec *p = &n->publish[i];

		json_object(j);
		json_kv_string(j, "host_addr", p->host_addr);
		json_kv_uint(j, "host_port", p->host_port);
		json_kv_uint(j, "port", p->guest_port);
		json_kv_string(j, "protocol", p->udp ? "udp" : "tcp");
		json_end(j);
	}
	json_end(j);
	json_end(j);
}

static void caps(struct json *j, uint64_t keep)
{
	json_key(j, "caps");
	json_array(j);
	for (int c = 0; c < 64; c++) {
		if (keep & (UINT64_C(1) << c)) {
			char *name = cap_to_name((cap_value_t)c);

			json_string(j, name ? name : "?");
			cap_free(name);
		}
	}
	json_end(j);
}

static void seccomp(struct json *j, const struct seccomp_spec *sc)
{
	bool on = sc->enabled;

	json_key(j, "seccomp");
	json_object(j);
	json_kv_bool(j, "enabled", on);
	json_kv_string(j, "action", on ? enum_to_name(seccomp_action_names, sc->action) : NULL);
	json_key(j, "arch");
	json_array(j);
	if (on)
		json_string(j, "native");
	if (on && sc->secondary_arch)
		json_string(j, "secondary");
	json_end(j);
	json_key(j, "deny");
	json_array(j);
	for (size_t i = 0; on && i < sc->deny.n; i++)
		json_string(j, sc->deny.v[i]);
	json_end(j);
	json_key(j, "deny_namespaces");
	json_array(j);
	if (on && sc->deny_ns_clone)
		json_string(j, "clone");
	if (on && sc->deny_ns_unshare)
		json_string(j, "unshare");
	json_end(j);
	json_key(j, "enosys");
	json_array(j);
	if (on && sc->clone3_enosys)
		json_string(j, "clone3");
	json_end(j);
	json_key(j, "deny_ioctl");
	json_array(j);
	if (on && sc->deny_tty_inject) {
		json_string(j, "TIOCSTI");
		json_string(j, "TIOCLINUX");
	}
	json_end(j);
	json_kv_bool(j, "enosys_unknown", on && sc->enosys_unknown);
	strv_array(j, "enosys_except", &sc->enosys_except);
	json_key(j, "deny_socket");
	json_array(j);
	if (on && sc->deny_vsock)
		json_string(j, "vsock");
	json_end(j);
	json_kv_bool(j, "deny_personality", on && sc->deny_personality_flags);
	json_kv_bool(j, "memory_deny_write_execute", on && sc->mdwe);
	/* null: every family; else the families allowed. */
	json_key(j, "protocols");
	if (on && sc->protocols) {
		json_array(j);
		for (const struct enum_name *f = socket_family_names; f->name; f++)
			if (sc->protocols & (UINT64_C(1) << f->value))
				json_string(j, f->name);
		json_end(j);
	} else {
		json_null(j);
	}
	json_end(j);
}

static void dbus_bus(struct json *j, const char *key, const struct dbus_proxy_spec *b)
{
	json_key(j, key);
	json_object(j);
	json_kv_string(j, "mode", enum_to_name(dbus_mode_names, b->mode));
	json_kv_string(j, "upstream", b->mode == DBUS_FILTER ? b->upstream : NULL);
	json_kv_string(j, "dest", b->mode == DBUS_FILTER ? b->dest : NULL);
	strv_array(j, "rules", &b->rules);
	json_end(j);
}

static void caches(struct json *j, const struct spec *s)
{
	json_key(j, "caches");
	json_array(j);
	for (size_t i = 0; i < s->ncaches; i++) {
		json_object(j);
		json_kv_string(j, "name", s->caches[i].name);
		json_kv_string(j, "dir", s->caches[i].dir);
		json_kv_string(j, "dest", s->caches[i].dest);
		json_end(j);
	}
	json_end(j);
}

static void terminal(struct json *j, const struct spec *s)
{
	static const char *const fds[] = {"stdin", "stdout", "stderr"};

	json_key(j, "terminal");
	json_object(j);
	json_kv_string(j, "mode", enum_to_name(terminal_mode_names, s->terminal));
	json_key(j, "pty_fds");
	json_array(j);
	for (int fd = 0; fd < 3; fd++)
		if (s->terminal == TERMINAL_PTY && (s->pty_fds & (1u << fd)))
			json_string(j, fds[fd]);
	json_end(j);
	json_end(j);
}

static void rlimits(struct json *j, const struct spec *s)
{
	json_key(j, "rlimits");
	json_array(j);
	for (size_t i = 0; i < s->nrlimits; i++) {
		const struct rlimit_spec *r = &s->rlimits[i];

		json_object(j);
		json_kv_string(j, "resource", rlimit_name(r->resource));
		json_key(j, "value");
		if (r->value == RLIM_INFINITY)
			json_null(j);
		else
			json_uint(j, r->value);
		/* Only an OCI config's limit has a hard one apart: nook run's have none. */
		if (r->hard_apart) {
			json_key(j, "hard");
			if (r->hard == RLIM_INFINITY)
				json_null(j);
			else
				json_uint(j, r->hard);
		}
		json_end(j);
	}
	json_end(j);
}

static void env(struct json *j, const struct spec *s)
{
	json_key(j, "env");
	json_object(j);
	for (size_t i = 0; i < s->env.n; i++) {
		const char *e = s->env.v[i];
		const char *eq = strchr(e, '=');
		autofree char *name = xstrndup(e, eq ? (size_t)(eq - e) : strlen(e));

		json_key(j, name);
		json_string(j, eq ? eq + 1 : NULL);
	}
	json_end(j);
	json_key(j, "env_removed");
	json_array(j);
	for (size_t i = 0; i < s->env_removed.n; i++) {
		const char *e = s->env_removed.v[i];
		size_t len = strcspn(e, " ");

		json_object(j);
		json_key(j, "name");
		json_string_len(j, e, len);
		json_kv_string(j, "why", e[len] ? e + len + 1 : "");
		json_end(j);
	}
	json_end(j);
}

/* "name": {"name": ..., "generated": ..., "join_or_start": ..., "state_dir": ...}, or null. */
static void name(struct json *j, const struct spec *s)
{
	json_key(j, "name");
	if (!s->name) {
		json_null(j);
		return;
	}
	json_object(j);
	json_kv_string(j, "name", s->name);
	json_kv_bool(j, "generated", s->name_generated);
	json_kv_bool(j, "join_or_start", s->join_or_start);
	json_kv_string(j, "state_dir", s->state_dir);
	json_end(j);
}

int spec_print_json(const struct spec *s, FILE *out)
{
	struct json j;

	json_begin(&j, out);
	json_object(&j);
	json_kv_int(&j, "version", 1);
	json_kv_string(&j, "profile", s->profile);
	strv_array(&j, "profile_files", &s->profile_files);
	flag_array(&j, "namespaces", namespace_names, s->clone_flags);
	identity(&j, s);
	mounts(&j, s);
	strv_array(&j, "host_mkdir", &s->host_mkdir);
	strv_array(&j, "host_mkfile", &s->host_mkfile);
	strv_array(&j, "host_mkdir_try", &s->host_mkdir_try);
	overlay(&j, &s->overlay);
	json_kv_string(&j, "hostname", s->hostname);
	json_kv_string(&j, "ipc_host", s->ipc_host);
	name(&j, s);
	net(&j, &s->net);
	json_kv_string(&j, "cwd", s->cwd);
	json_kv_bool(&j, "cwd_required", s->cwd_required);
	caps(&j, s->caps_keep);
	json_kv_bool(&j, "no_new_privs", true);
	seccomp(&j, &s->seccomp);
	json_key(&j, "landlock");
	if (s->landlock_scope_unix)
		json_string(&j, "abstract-unix-socket");
	else
		json_null(&j);
	rlimits(&j, s);
	caches(&j, s);
	dbus_bus(&j, "dbus_user", &s->dbus_user);
	dbus_bus(&j, "dbus_system", &s->dbus_system);
	json_kv_string(&j, "dbus_proxy", s->dbus_proxy);
	json_kv_string(&j, "dbus_proxy_dir", s->dbus_proxy_dir);
	terminal(&j, s);
	json_key(&j, "timeout");
	if (s->timeout)
		json_uint(&j, s->timeout);
	else
		json_null(&j);
	json_key(&j, "single_instance");
	if (s->single_instance)
		json_string(&j, s->single_instance);
	else
		json_null(&j);
	env(&j, s);
	strv_array(&j, "argv", &s->argv);
	json_kv_string(&j, "failure_hint", s->failure_hint);
	json_end(&j);
	return json_finish(&j);
}
