// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * D-Bus for a sandbox over the host. A bus is reachable in full ("allow": its socket is bound
 * in, session.c), not at all ("none"), or through xdg-dbus-proxy ("filter"), which the monitor
 * starts outside (sandbox/dbus_proxy.c) with the rules of --dbus-user.own, .talk, .see, .call
 * and .broadcast, and whose socket is bound where the sandbox expects the bus, as flatpak does.
 * Which bus: the caller's DBUS_SESSION_BUS_ADDRESS (else the runtime dir's "bus") and
 * DBUS_SYSTEM_BUS_ADDRESS (else /run/dbus/system_bus_socket).
 */
#include "policy/dbus.h"

#include <stdlib.h>
#include <string.h>

#include "policy/fs.h"
#include "util/err.h"

/* The rules' kinds, as the options and directives name them and as the proxy takes them. */
static const struct {
	const char *kind;
	size_t offset;
} rule_kinds[] = {
	{"own", offsetof(struct dbus_request, own)},
	{"talk", offsetof(struct dbus_request, talk)},
	{"see", offsetof(struct dbus_request, see)},
	{"call", offsetof(struct dbus_request, call)},
	{"broadcast", offsetof(struct dbus_request, broadcast)},
};

#define RULES(r, i) ((const struct req_list *)((const char *)(r) + rule_kinds[i].offset))

static enum dbus_mode mode_of(const struct req_value *v)
{
	int m = DBUS_ALLOW;

	(void)enum_from_name(dbus_mode_names, v->value, &m);
	return (enum dbus_mode)m;
}

/* Where a value came from, as messages say it: "--dbus-user=filter", "FILE:LINE: dbus-user filter". */
static char *said(const char *option, const char *value, const struct req_value *v)
{
	return v->cli ? xasprintf("--%s=%s", option, value)
		      : xasprintf("%s: %s %s", v->origin, option, value);
}

/*
 * The mode: the command line's last --dbus-user; else none with nodbus; else the most
 * restrictive one of the profiles (as firejail: access once disabled is not relaxed to
 * filtering); else filter when rules are given; else allow. *why says what decided filter.
 */
static enum dbus_mode decide(const char *bus, const struct dbus_request *r, bool nodbus, char **why)
{
	const struct req_value *cli = NULL, *profile = NULL;

	for (size_t i = 0; i < r->mode.n; i++) {
		const struct req_value *v = &r->mode.v[i];

		if (v->cli)
			cli = v;
		else if (!profile || mode_of(v) < mode_of(profile))
			profile = v;
	}
	if (cli || (!nodbus && profile)) {
		const struct req_value *v = cli ? cli : profile;

		*why = said(bus, v->value, v);
		return mode_of(v);
	}
	if (nodbus)
		return DBUS_NONE;
	for (size_t k = 0; k < sizeof rule_kinds / sizeof rule_kinds[0]; k++) {
		const struct req_list *l = RULES(r, k);

		if (l->n) {
			autofree char *option = xasprintf("%s.%s", bus, rule_kinds[k].kind);

			*why = said(option, l->v[0].value, &l->v[0]);
			return DBUS_FILTER;
		}
	}
	return DBUS_ALLOW;
}

static bool in_strv(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

static int build_bus(const char *bus, const struct dbus_request *r, bool nodbus,
		     const char *address_var, const char *default_address, const char *dest,
		     const struct host_facts *h, struct spec *s, struct dbus_proxy_spec *d)
{
	autofree char *why = NULL;
	const char *address = host_getenv(h, address_var);

	d->mode = decide(bus, r, nodbus, &why);
	d->dest = xstrdup(dest);
	if (d->mode != DBUS_FILTER)
		return 0;
	if (!h->xdg_dbus_proxy) {
		warnx_("%s: xdg-dbus-proxy is not installed (apt-get install xdg-dbus-proxy); or give "
		       "--%s=none or --%s=allow",
		       why, bus, bus);
		return -1;
	}
	if (!address || !address[0])
		address = default_address;
	/* The proxy takes the address as an argument: one starting with '-' would be an option. */
	if (address[0] == '-') {
		warnx_("%s: %s is not a D-Bus address", why, address_var);
		return -1;
	}
	d->upstream = xstrdup(address);
	for (size_t k = 0; k < sizeof rule_kinds / sizeof rule_kinds[0]; k++) {
		const struct req_list *l = RULES(r, k);

		for (size_t i = 0; i < l->n; i++) {
			char *rule = xasprintf("--%s=%s", rule_kinds[k].kind, l->v[i].value);

			/* Profiles name a rule many times (includes): once is enough. */
			if (in_strv(&d->rules, rule))
				free(rule);
			else
				strv_push_owned(&d->rules, rule);
		}
	}
	if (!s->dbus_proxy) {
		s->dbus_proxy = xstrdup(h->xdg_dbus_proxy);
		/* No sandbox sees nook's own runtime dir; else a private directory of /tmp. */
		s->dbus_proxy_dir = xstrdup(h->nook_runtime_dir ? h->nook_runtime_dir : "/tmp");
	}
	return 0;
}

int dbus_build(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	autofree char *session_default = xasprintf("unix:path=%s/%s", h->runuser,
						   DBUS_SESSION_SOCKET);
	autofree char *session_dest = xasprintf("%s/%s", h->runuser, DBUS_SESSION_SOCKET);

	if (build_bus("dbus-user", &ro->dbus_user, ro->fs.nodbus, "DBUS_SESSION_BUS_ADDRESS",
		      session_default, session_dest, h, s, &s->dbus_user) < 0)
		return -1;
	return build_bus("dbus-system", &ro->dbus_system, ro->fs.nodbus, "DBUS_SYSTEM_BUS_ADDRESS",
			 "unix:path=" DBUS_SYSTEM_SOCKET, DBUS_SYSTEM_SOCKET, h, s,
			 &s->dbus_system);
}

/*
 * The caller's bus where its address names it ("unix:path=P", of each ';'-separated one),
 * when that is not where the sandbox's bus is: hidden, should a view or a bind show it.
 */
static void hide_caller_bus(struct spec *s, const char *address, const char *dest,
			    const char *origin)
{
	static const char prefix[] = "unix:path=";

	for (const char *a = address; a && *a; a += strcspn(a, ";"), a += *a == ';') {
		autofree char *path = NULL;

		if (strncmp(a, prefix, sizeof prefix - 1) != 0)
			continue;
		path = xstrndup(a + sizeof prefix - 1, strcspn(a + sizeof prefix - 1, ",;"));
		if (path[0] == '/' && strcmp(path, dest) != 0)
			fs_mask(s, path, MOUNT_F_OPTIONAL, origin);
	}
}

static void bus_mounts(const struct host_facts *h, struct spec *s, const struct dbus_proxy_spec *d,
		       const char *which, const char *bus, const char *address_var)
{
	autofree char *origin = NULL;

	if (!d->dest || d->mode == DBUS_ALLOW)
		return; /* not over the host (--rootfs): no bus at all; or the whole bus */
	origin = xasprintf("%s %s", bus, enum_to_name(dbus_mode_names, d->mode));
	hide_caller_bus(s, host_getenv(h, address_var), d->dest, origin);
	if (d->mode == DBUS_FILTER)
		spec_add_mount(s, MOUNT_DBUS_PROXY, which, d->dest, MOUNT_F_NOSUID | MOUNT_F_NODEV,
			       origin);
	else
		fs_mask(s, d->dest, MOUNT_F_OPTIONAL, origin);
}

void dbus_build_mounts(const struct host_facts *h, struct spec *s)
{
	bus_mounts(h, s, &s->dbus_user, "user", "dbus-user", "DBUS_SESSION_BUS_ADDRESS");
	bus_mounts(h, s, &s->dbus_system, "system", "dbus-system", "DBUS_SYSTEM_BUS_ADDRESS");
}
