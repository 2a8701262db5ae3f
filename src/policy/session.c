// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Isolation from the caller's own session. The runtime directory (/run/user/UID) holds the
 * session's sockets: systemd's user manager (which starts any command outside), agents,
 * editor servers, the session bus. A sandbox over the host gets its own, empty /run and
 * runtime directory, into which only granted sockets are bound, as flatpak does.
 */
#include "policy/session.h"

#include <stdlib.h>
#include <string.h>

#include "policy/dbus.h"
#include "policy/fs.h"
#include "util/err.h"

static void grant(struct spec *s, const char *path, unsigned flags, const char *why)
{
	spec_add_mount(s, MOUNT_BIND, path, path,
		       flags | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_OPTIONAL, why);
}

static void grant_in_runuser(struct spec *s, const char *runuser, const char *name, const char *why)
{
	autofree char *p = name[0] == '/' ? xstrdup(name) : xasprintf("%s/%s", runuser, name);

	grant(s, p, 0, why);
}

void session_build_mounts(const struct request *ro, const struct host_facts *h,
			  const struct display_grant *g, struct spec *s)
{
	const struct fs_request *r = &ro->fs;
	const char *root_owned = id_map_contains(&s->uid_map, 0) && id_map_contains(&s->gid_map, 0)
					 ? "uid=0,gid=0,"
					 : "";
	const char *wayland = host_getenv(h, "WAYLAND_DISPLAY");
	struct mount_op *m;

	/*
	 * The runtime dir a directory of /run's tmpfs, which has room for both (16 MiB and the
	 * runtime dir's 64): a tmpfs of its own was 0.05-0.1 ms of every start.
	 */
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, "/run", MOUNT_F_NOSUID | MOUNT_F_NODEV,
			   "private /run");
	if (h->runuser && fs_below(h->runuser, "/run")) {
		m->options = xasprintf("%ssize=80m", root_owned);
		m = spec_add_mount(s, MOUNT_DIR, NULL, h->runuser, 0, "private runtime dir");
	} else {
		m->options = xasprintf("%ssize=16m", root_owned);
		m = spec_add_mount(s, MOUNT_TMPFS, NULL, h->runuser, MOUNT_F_NOSUID | MOUNT_F_NODEV,
				   "private runtime dir");
		m->options = xasprintf("uid=%u,gid=%u,size=64m", s->inside_uid, s->inside_gid);
	}
	m->mode = 0700;

	/* What keeps working without a grant: the host's name resolution, read-only. */
	if (h->resolv_conf && fs_under(h->resolv_conf, "/run"))
		grant(s, h->resolv_conf, MOUNT_F_RDONLY, "resolv.conf");
	/* The whole bus; a filtered one is the proxy's socket, bound later (dbus.c). */
	if (s->dbus_user.mode == DBUS_ALLOW)
		grant_in_runuser(s, h->runuser, DBUS_SESSION_SOCKET, "session bus");
	if (s->dbus_system.mode == DBUS_ALLOW)
		grant(s, DBUS_SYSTEM_SOCKET, 0, "system bus");
	if (!r->nosound) {
		grant_in_runuser(s, h->runuser, "pulse/native", "sound");
		grant_in_runuser(s, h->runuser, "pipewire-0", "sound");
	}
	if (g->wayland && wayland && !strchr(wayland, '\n'))
		grant_in_runuser(s, h->runuser, wayland,
				 g->wayland_by_default ? "wayland: firejail's default" : "wayland");
}

/* Is a path the sandbox sees? /run, /tmp and /dev/shm are its own: only what is bound there. */
static bool present(const struct spec *s, const char *path)
{
	static const char *const private_dirs[] = {"/run", "/tmp", "/dev", "/var/run"};
	bool private = false;

	if (path[0] != '/')
		return false;
	for (size_t i = 0; i < sizeof private_dirs / sizeof private_dirs[0]; i++)
	private = private || fs_under(path, private_dirs[i]);
	if (!private)
		return true;
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		if (m->kind == MOUNT_BIND && fs_under(path, m->dest) &&
		    strcmp(m->dest, "/dev") != 0)
			return true;
	}
	return false;
}

static bool in_strv(const struct strv *v, const char *name)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], name) == 0)
			return true;
	return false;
}

static void remove_var(struct spec *s, const struct request *ro, const char *name, const char *why)
{
	if (!strv_env_get(&s->env, name) || in_strv(&ro->env_keep, name))
		return;
	strv_env_unset(&s->env, name);
	strv_push_owned(&s->env_removed, xasprintf("%s %s", name, why));
}

/* A variable naming a socket (VALUE, or VALUE's part before the first ':'), gone if absent. */
static void check_socket_var(struct spec *s, const struct request *ro, const char *name,
			     const char *prefix, const char *why)
{
	const char *v = strv_env_get(&s->env, name);
	autofree char *path = NULL;

	if (!v)
		return;
	if (prefix && strncmp(v, prefix, strlen(prefix)) == 0)
		v += strlen(prefix);
	else if (prefix)
		return;
	path = xstrndup(v, strcspn(v, ":"));
	if (!present(s, path))
		remove_var(s, ro, name, why);
}

static void apply_edits(const struct strv *edits, struct strv *env)
{
	for (size_t i = 0; i < edits->n; i++) {
		const char *edit = edits->v[i];

		if (strchr(edit, '='))
			strv_env_set(env, edit);
		else
			strv_env_unset(env, edit);
	}
}

/* The identity's variables replace the caller's, but for those --env-keep keeps. */
static void apply_identity(const struct request *ro, const struct identity *id, struct spec *s)
{
	for (size_t i = 0; i < id->sets.n; i++) {
		autofree char *name = xstrndup(id->sets.v[i], strcspn(id->sets.v[i], "="));

		if (!in_strv(&ro->env_keep, name))
			strv_env_set(&s->env, id->sets.v[i]);
	}
	for (size_t i = 0; i < id->unsets.n; i++) {
		autofree char *name = xstrndup(id->unsets.v[i], strcspn(id->unsets.v[i], " "));

		remove_var(s, ro, name, id->unsets.v[i] + strlen(name) + 1);
	}
}

void session_build_env(const struct request *ro, const struct host_facts *h,
		       const struct identity *id, struct spec *s)
{
	if (!ro->clearenv) {
		for (char **e = h->environ; e && *e; e++)
			strv_push(&s->env, *e);
	} else {
		for (size_t i = 0; i < ro->env_keep.n; i++) {
			const char *v = host_getenv(h, ro->env_keep.v[i]);
			autofree char *kv = v ? xasprintf("%s=%s", ro->env_keep.v[i], v) : NULL;

			if (kv)
				strv_env_set(&s->env, kv);
		}
	}
	apply_identity(ro, id, s);
	apply_edits(&ro->env_file_sets, &s->env);
	apply_edits(&ro->env_edits, &s->env);
}

/* Does the request set or unset the variable (--env, --unsetenv, --env-file)? */
static bool edited(const struct request *ro, const char *name)
{
	const struct strv *lists[] = {&ro->env_edits, &ro->env_file_sets};
	size_t n = strlen(name);

	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			if (strncmp(lists[l]->v[i], name, n) == 0 &&
			    (lists[l]->v[i][n] == '=' || lists[l]->v[i][n] == '\0'))
				return true;
	return false;
}

/*
 * The accessibility bus (AT-SPI) is not the sandbox's: through it any client reads what the
 * others show and can inject input. GTK, not finding it, warns at every start; these say
 * there is none: NO_AT_BRIDGE for GTK 3's atk-bridge, GTK_A11Y for GTK 4. Not where the
 * environment has them already, the options name them (--unsetenv too), or a view or a bind
 * gives the bus's directory.
 */
static void quiet_a11y(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	static const char *const vars[] = {"NO_AT_BRIDGE=1", "GTK_A11Y=none"};
	autofree char *bus_dir = xasprintf("%s/at-spi", h->runuser);

	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_BIND && fs_under(bus_dir, s->mounts[i].dest))
			return;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		autofree char *name = xstrndup(vars[i], strcspn(vars[i], "="));

		if (!strv_env_get(&s->env, name) && !edited(ro, name))
			strv_env_set(&s->env, vars[i]);
	}
}

/*
 * A variable naming what the sandbox has of its own (its runtime dir, the D-Bus proxy's
 * socket): set, unless --clearenv left it out (--env-keep brings it back).
 */
static void set_own_var(struct spec *s, const struct request *ro, const char *name,
			const char *path)
{
	bool bus = strncmp(name, "DBUS_", 5) == 0;
	autofree char *kv = xasprintf("%s=%s%s", name, bus ? "unix:path=" : "", path);

	if (!ro->clearenv || in_strv(&ro->env_keep, name))
		strv_env_set(&s->env, kv);
}

/* Is the compositor's socket granted, but hidden by a blacklist (firejail's wayland-*)? */
static bool wayland_hidden(const struct spec *s, const struct host_facts *h)
{
	const char *wayland = strv_env_get(&s->env, "WAYLAND_DISPLAY");
	autofree char *socket = wayland ? display_wayland_socket(wayland, h->runuser) : NULL;

	return socket && fs_hidden(s, socket);
}

void session_prune_env(const struct request *ro, const struct host_facts *h,
		       const struct display_grant *g, struct spec *s)
{
	if (ro->rootfs)
		return;

	/* The runtime directory is the sandbox's own, wherever the caller's was (or none). */
	set_own_var(s, ro, "XDG_RUNTIME_DIR", h->runuser);
	if (s->dbus_user.mode == DBUS_NONE)
		remove_var(s, ro, "DBUS_SESSION_BUS_ADDRESS", "the session bus is not granted");
	else if (s->dbus_user.mode == DBUS_FILTER)
		set_own_var(s, ro, "DBUS_SESSION_BUS_ADDRESS", s->dbus_user.dest);
	else
		check_socket_var(s, ro, "DBUS_SESSION_BUS_ADDRESS",
				 "unix:path=", "the session bus socket is not in the sandbox");
	if (s->dbus_system.mode == DBUS_NONE)
		remove_var(s, ro, "DBUS_SYSTEM_BUS_ADDRESS", "the system bus is not granted");
	else if (s->dbus_system.mode == DBUS_FILTER)
		set_own_var(s, ro, "DBUS_SYSTEM_BUS_ADDRESS", s->dbus_system.dest);
	check_socket_var(s, ro, "SSH_AUTH_SOCK", NULL, "ssh-agent's socket is not in the sandbox");
	if (!strv_env_get(&s->env, "SSH_AUTH_SOCK"))
		remove_var(s, ro, "SSH_AGENT_PID", "ssh-agent's socket is not in the sandbox");
	check_socket_var(s, ro, "GPG_AGENT_INFO", NULL, "gpg-agent's socket is not in the sandbox");
	check_socket_var(s, ro, "GNOME_KEYRING_CONTROL", NULL,
			 "the keyring's directory is not in the sandbox");
	check_socket_var(s, ro, "PULSE_SERVER",
			 "unix:", "the sound server's socket is not in the sandbox");
	if (!g->wayland)
		remove_var(s, ro, "WAYLAND_DISPLAY",
			   "the Wayland socket is not granted (--wayland)");
	else if (wayland_hidden(s, h))
		remove_var(s, ro, "WAYLAND_DISPLAY", "the Wayland socket is hidden (blacklist)");
	if (display_shown(g, h))
		quiet_a11y(ro, h, s);
}
