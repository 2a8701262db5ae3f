// SPDX-License-Identifier: GPL-2.0-or-later
#include "request/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <arpa/inet.h>

#include "request/values.h"
#include "util/err.h"
#include "util/sandbox_name.h"

/* The enum fields OPT_ENUM writes through an int. */
_Static_assert(sizeof(enum userns_mode) == sizeof(int), "enum size");
_Static_assert(sizeof(enum overlay_driver) == sizeof(int), "enum size");
_Static_assert(sizeof(enum userns_pool_choice) == sizeof(int), "enum size");
_Static_assert(sizeof(enum seccomp_action) == sizeof(int), "enum size");
_Static_assert(sizeof(enum pty_choice) == sizeof(int), "enum size");

static const struct enum_name seccomp_modes[] = {{0, "default"}, {1, "off"}, {0, NULL}};
static const struct enum_name only_none[] = {{0, "none"}, {0, NULL}};

static void set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* A host path as the user wrote it: absolute, or the home's ("~", "~/..."), kept raw. */
static bool home_or_absolute(const char *path)
{
	return path[0] == '/' || strcmp(path, "~") == 0 || strncmp(path, "~/", 2) == 0;
}

static int check_dest(const char *dest, char *err, size_t errlen)
{
	if (dest[0] != '/')
		return set_error(err, errlen, "destination '%s' is not an absolute path", dest);
	if (strcmp(dest, "/") == 0)
		return set_error(err, errlen,
				 "destination '/' would replace the root (use --rootfs)");
	return 0;
}

static struct mount_op *add_mount(struct request *ro, enum mount_kind kind, const struct origin *o,
				  const char *value)
{
	struct mount_op *m;

	ro->mounts = xreallocarray(ro->mounts, ro->nmounts + 1, sizeof *ro->mounts);
	m = &ro->mounts[ro->nmounts++];
	*m = (struct mount_op){.kind = kind, .mode = 0755};
	m->origin = xasprintf("%s %s", o->where, value);
	return m;
}

/* SRC[:DEST]: SRC as given (relative to where nook started, or "~/"), expanded by policy. */
static int add_bind(struct request *ro, const char *value, const struct origin *o, char *err,
		    size_t errlen, unsigned flags)
{
	const char *colon = strchr(value, ':');
	autofree char *src = colon ? xstrndup(value, (size_t)(colon - value)) : xstrdup(value);
	const char *dest = colon ? colon + 1 : value;
	struct mount_op *m;

	if (!src[0])
		return set_error(err, errlen, "empty source in '%s' (expected SRC[:DEST])", value);
	if (!colon && !home_or_absolute(src))
		return set_error(err, errlen,
				 "'%s' is relative: give SRC:DEST with an absolute DEST", value);
	if (colon && check_dest(dest, err, errlen) < 0)
		return -1;
	if (!colon && strcmp(src, "/") == 0)
		return check_dest(src, err, errlen);
	m = add_mount(ro, MOUNT_BIND, o, value);
	m->src = steal_pointer(&src);
	m->dest = xstrdup(dest);
	m->flags = flags | MOUNT_F_NOSUID | MOUNT_F_NODEV;
	return 0;
}

static int opt_bind(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	return add_bind(ro, v, o, e, n, 0);
}

static int opt_ro_bind(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	return add_bind(ro, v, o, e, n, MOUNT_F_RDONLY);
}

/* DEST[:size=N] */
static int opt_tmpfs(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	const char *colon = strchr(v, ':');
	autofree char *dest = colon ? xstrndup(v, (size_t)(colon - v)) : xstrdup(v);
	const char *size = NULL;
	struct mount_op *m;

	if (check_dest(dest, e, n) < 0)
		return -1;
	if (colon) {
		if (strncmp(colon + 1, "size=", 5) != 0)
			return set_error(e, n, "'%s': the only option is size=N", v);
		size = colon + 6;
		if (parse_tmpfs_size(size, e, n) < 0)
			return -1;
	}
	m = add_mount(ro, MOUNT_TMPFS, o, v);
	m->dest = steal_pointer(&dest);
	m->options = size ? xstrdup(size) : NULL;
	m->flags = MOUNT_F_NOSUID | MOUNT_F_NODEV;
	return 0;
}

static int opt_size(char **field, const char *v, char *e, size_t n)
{
	if (parse_tmpfs_size(v, e, n) < 0)
		return -1;
	set_str(field, v);
	return 0;
}

static int opt_tmpfs_size(struct request *ro, const char *v, const struct origin *o, char *e,
			  size_t n)
{
	return opt_size(&ro->tmpfs_size, v, e, n);
}

static int opt_shm_size(struct request *ro, const char *v, const struct origin *o, char *e,
			size_t n)
{
	return opt_size(&ro->shm_size, v, e, n);
}

/*
 * N, Ns, Nm, Nh or Nd, as timeout(1) takes it (whole numbers only), or firejail's hh:mm:ss;
 * above 0, up to a year.
 */
static int opt_timeout(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	static const struct {
		char suffix;
		unsigned long seconds;
	} units[] = {{'\0', 1}, {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}};
	char *end = NULL;
	unsigned long value;
	unsigned h, m, sec;
	int len = 0;

	if (sscanf(v, "%2u:%2u:%2u%n", &h, &m, &sec, &len) == 3 && v[len] == '\0' && m < 60 &&
	    sec < 60 && h + m + sec > 0) {
		ro->timeout = h * 3600 + m * 60 + sec;
		return 0;
	}
	errno = 0;
	value = v[0] >= '0' && v[0] <= '9' ? strtoul(v, &end, 10) : 0;
	for (size_t i = 0; end && errno == 0 && value > 0 && i < sizeof units / sizeof units[0];
	     i++)
		if (end[0] == units[i].suffix && (!end[0] || !end[1]) &&
		    value <= 366UL * 86400 / units[i].seconds) {
			ro->timeout = (unsigned)(value * units[i].seconds);
			return 0;
		}
	return set_error(e, n,
			 "'%s' is not a duration (N, Ns, Nm, Nh, Nd or hh:mm:ss; above 0, "
			 "up to a year)",
			 v);
}

/* NAME,...: names of the caller's environment */
static int opt_env_keep(struct request *ro, const char *v, const struct origin *o, char *e,
			size_t n)
{
	autofree char *copy = xstrdup(v);
	char *save = NULL;

	if (!v[0] || v[0] == ',' || v[strlen(v) - 1] == ',' || strstr(v, ",,"))
		return set_error(e, n, "malformed list '%s' (expected NAME,NAME,...)", v);
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		if (strchr(it, '='))
			return set_error(e, n, "'%s' is not a variable name", it);
		strv_push(&ro->env_keep, it);
	}
	return 0;
}

static int opt_env_file(struct request *ro, const char *v, const struct origin *o, char *e,
			size_t n)
{
	if (!v[0])
		return set_error(e, n, "empty path");
	req_list_push(&ro->env_files, v, o);
	return 0;
}

static int opt_rootfs(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	if (!v[0])
		return set_error(e, n, "empty path");
	set_str(&ro->rootfs, v);
	return 0;
}

static int opt_chdir(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	if (v[0] != '/')
		return set_error(e, n, "'%s' is not an absolute path", v);
	set_str(&ro->chdir, v);
	return 0;
}

/* RFC 1123 host name: what sethostname() accepts and what programs can parse back. */
static int check_hostname(const char *v, char *e, size_t n)
{
	size_t len = strlen(v);

	if (len == 0 || len > 64)
		return set_error(e, n, "'%s' must be 1 to 64 characters", v);
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return set_error(e, n, "'%s' may hold only letters, digits, '-' and '.'",
					 v);
	/* Labels: not empty, and no '-' at either end. */
	for (const char *label = v; label;) {
		const char *dot = strchr(label, '.');
		size_t l = dot ? (size_t)(dot - label) : strlen(label);

		if (l == 0 || label[0] == '-' || label[l - 1] == '-')
			return set_error(e, n, "'%s' is not a valid host name (RFC 1123)", v);
		label = dot ? dot + 1 : NULL;
	}
	return 0;
}

static int opt_userns(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	int mode;

	if (parse_enum(userns_mode_names, v, &mode, "mode", e, n) < 0)
		return -1;
	ro->userns = (enum userns_mode)mode;
	ro->userns_cli = o->cli;
	return 0;
}

/* USER[:GROUP]: names or numbers, looked up by the policy in the root's passwd and group. */
static int opt_user(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	const char *colon = strchr(v, ':');

	if (!v[0] || v[0] == ':' || (colon && (!colon[1] || strchr(colon + 1, ':'))))
		return set_error(e, n, "'%s' is not USER[:GROUP]", v);
	for (const char *p = v; *p; p++)
		if (iscntrl((unsigned char)*p) || isspace((unsigned char)*p) || *p == '/')
			return set_error(e, n,
					 "a user or group name holds no blank, control "
					 "character or '/'");
	set_str(&ro->user, v);
	return 0;
}

static int opt_hostname(struct request *ro, const char *v, const struct origin *o, char *e,
			size_t n)
{
	if (check_hostname(v, e, n) < 0)
		return -1;
	set_str(&ro->hostname, v);
	return 0;
}

static int check_name(const char *v, char *e, size_t n)
{
	if (!sandbox_name_valid(v))
		return set_error(e, n,
				 "'%s' is not a sandbox name (1-64 letters, digits, '_', '.' and "
				 "'-', starting with a letter or digit, not only digits)",
				 v);
	return 0;
}

static int opt_name(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	if (check_name(v, e, n) < 0)
		return -1;
	set_str(&ro->name, v);
	ro->name_cli = o->cli;
	return 0;
}

/* firejail's --join-or-start=NAME; without NAME, the one --name gives. */
static int opt_join_or_start(struct request *ro, const char *v, const struct origin *o, char *e,
			     size_t n)
{
	if (v[0] && check_name(v, e, n) < 0)
		return -1;
	if (v[0]) {
		set_str(&ro->name, v);
		ro->name_cli = o->cli;
	}
	ro->join_or_start = true;
	return 0;
}

static bool valid_env_name(const char *name, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '=' || name[i] == '\0')
			return false;
	return true;
}

static int opt_env(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	const char *eq = strchr(v, '=');

	if (!eq || !valid_env_name(v, (size_t)(eq - v)))
		return set_error(e, n, "'%s' is not KEY=VALUE", v);
	strv_push(&ro->env_edits, v);
	return 0;
}

static int opt_unsetenv(struct request *ro, const char *v, const struct origin *o, char *e,
			size_t n)
{
	if (!valid_env_name(v, strlen(v)))
		return set_error(e, n, "'%s' is not a variable name", v);
	strv_push(&ro->env_edits, v);
	return 0;
}

static int opt_seccomp(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	struct req_value *mode = &ro->sec.seccomp;
	int off;

	/* Kept with its origin: whether it may turn the filter off is the policy's to say. */
	if (parse_enum(seccomp_modes, v, &off, "value", e, n) < 0)
		return -1;
	free(mode->value);
	free(mode->origin);
	*mode = (struct req_value){
		.value = xstrdup(off ? "off" : "default"),
		.origin = xstrdup(o->where),
		.cli = o->cli,
	};
	return 0;
}

static int opt_seccomp_drop(struct request *ro, const char *v, const struct origin *o, char *e,
			    size_t n)
{
	return parse_syscall_list(v, &ro->sec.seccomp_drop, e, n);
}

static int opt_seccomp_allow(struct request *ro, const char *v, const struct origin *o, char *e,
			     size_t n)
{
	return parse_syscall_list(v, &ro->sec.seccomp_allow, e, n);
}

static int opt_protocol(struct request *ro, const char *v, const struct origin *o, char *e,
			size_t n)
{
	return parse_protocols(v, &ro->sec.protocols, e, n);
}

/* Kept in order with their origins: the policy decides what a profile's may undo. */
static void add_caps_edit(struct request *ro, bool keep, uint64_t mask, const char *v,
			  const struct origin *o)
{
	struct security_request *r = &ro->sec;

	r->caps = xreallocarray(r->caps, r->ncaps + 1, sizeof *r->caps);
	r->caps[r->ncaps++] = (struct caps_edit){
		.keep = keep,
		.mask = mask,
		.value = xstrdup(v),
		.origin = xstrdup(o->where),
		.cli = o->cli,
	};
}

static int opt_caps_keep(struct request *ro, const char *v, const struct origin *o, char *e,
			 size_t n)
{
	uint64_t mask = 0;

	if (parse_cap_list(v, &mask, NULL, e, n) < 0)
		return -1;
	add_caps_edit(ro, true, mask, v, o);
	return 0;
}

static int opt_caps_drop(struct request *ro, const char *v, const struct origin *o, char *e,
			 size_t n)
{
	uint64_t mask = 0;
	bool all = false;

	if (parse_cap_list(v, &mask, &all, e, n) < 0)
		return -1;
	add_caps_edit(ro, false, all ? UINT64_MAX : mask, v, o);
	return 0;
}

static int set_rlimit(struct request *ro, int resource, const char *v, char *e, size_t n)
{
	struct security_request *r = &ro->sec;
	uint64_t value;
	size_t i;

	if (parse_limit(v, &value, e, n) < 0)
		return -1;
	for (i = 0; i < r->nrlimits && r->rlimits[i].resource != resource; i++)
		;
	if (i == RLIMITS_MAX)
		return set_error(e, n, "too many limits");
	r->rlimits[i] = (struct rlimit_spec){.resource = resource, .value = value};
	if (i == r->nrlimits)
		r->nrlimits++;
	return 0;
}

#define RLIMIT_OPTION(fn, resource)                                                       \
	static int fn(struct request *ro, const char *v, const struct origin *o, char *e, \
		      size_t n)                                                           \
	{                                                                                 \
		return set_rlimit(ro, resource, v, e, n);                                 \
	}
RLIMIT_OPTION(opt_rlimit_nofile, RLIMIT_NOFILE)
RLIMIT_OPTION(opt_rlimit_nproc, RLIMIT_NPROC)
RLIMIT_OPTION(opt_rlimit_as, RLIMIT_AS)
RLIMIT_OPTION(opt_rlimit_fsize, RLIMIT_FSIZE)
RLIMIT_OPTION(opt_rlimit_cpu, RLIMIT_CPU)

static int opt_net(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	int mode;

	if (parse_enum(net_mode_names, v, &mode, "mode", e, n) < 0)
		return -1;
	ro->net.mode = (enum net_mode)mode;
	ro->net.mode_set = true;
	return 0;
}

static int opt_ipc(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	int mode;

	if (parse_enum(ipc_mode_names, v, &mode, "mode", e, n) < 0)
		return -1;
	ro->ipc = (enum ipc_mode)mode;
	ro->ipc_cli = o->cli;
	free(ro->ipc_where);
	ro->ipc_where = xstrdup(o->where);
	return 0;
}

static int opt_publish(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	struct net_request *r = &ro->net;
	struct publish_spec p;

	if (parse_publish(v, &p, e, n) < 0)
		return -1;
	p.origin = xasprintf("%s %s", o->where, v);
	r->publish = xreallocarray(r->publish, r->npublish + 1, sizeof *r->publish);
	r->publish[r->npublish++] = p;
	return 0;
}

static int opt_overlay(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	return parse_overlay(v, &ro->overlay, e, n);
}

static int opt_private(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	if (v[0] && !home_or_absolute(v))
		return set_error(e, n, "'%s' is not an absolute path", v);
	free(ro->fs.private_dir);
	ro->fs.private_dir = v[0] ? xstrdup(v) : NULL;
	ro->fs.private_home = true;
	return 0;
}

static bool ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);

	return n >= m && strcmp(s + n - m, end) == 0;
}

/* NAME:PATH: a NAME of nook's store, and where the sandbox sees it (kept raw: "~/.npm"). */
static int opt_cache(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	const char *colon = strchr(v, ':');
	autofree char *name = colon ? xstrndup(v, (size_t)(colon - v)) : NULL;
	const char *path = colon ? colon + 1 : NULL;

	if (!colon)
		return set_error(e, n, "'%s' is not NAME:PATH", v);
	if (!store_name_valid(name))
		return set_error(e, n,
				 "'%s': NAME must be 1-64 letters, digits, '_', '.' and '-' "
				 "(not tmp, none, . or .., and not starting with '-')",
				 v);
	if (!home_or_absolute(path))
		return set_error(e, n, "'%s': PATH must be absolute or start with ~/", v);
	/* The text is all there is to check: ".." would lead the mount elsewhere. */
	if (strcmp(path, "/") == 0 || strcmp(path, "~") == 0 || strstr(path, "//") ||
	    strstr(path, "/../") || strstr(path, "/./") || ends_with(path, "/..") ||
	    ends_with(path, "/."))
		return set_error(e, n,
				 "'%s': PATH must be a directory below / or ~ (not one of "
				 "them), without '.', '..' or '//'",
				 v);
	req_list_push(&ro->caches, v, o);
	return 0;
}

static int opt_private_etc(struct request *ro, const char *v, const struct origin *o, char *e,
			   size_t n)
{
	autofree char *copy = xstrdup(v);
	char *save = NULL;

	ro->fs.private_etc_set = true;
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save)) {
		if (strstr(it, "..") || it[0] == '/')
			return set_error(e, n, "'%s' is not a name under /etc", it);
		strv_push(&ro->fs.private_etc, it);
	}
	return 0;
}

static int opt_single_instance(struct request *ro, const char *v, const struct origin *o, char *e,
			       size_t n)
{
	if (!v[0])
		return set_error(e, n, "expected the path of a lock");
	set_str(&ro->single_instance, v);
	return 0;
}

static int opt_dns(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, v, buf) != 1 && inet_pton(AF_INET6, v, buf) != 1)
		return set_error(e, n, "'%s' is not an IP address", v);
	set_str(&ro->fs.dns, v);
	return 0;
}

static int opt_x11(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	if (v[0] == '\0')
		ro->fs.x11 = 1;
	else if (strcmp(v, "none") == 0)
		ro->fs.x11 = -1;
	else
		return set_error(e, n, "unknown value '%s' (only none)", v);
	return 0;
}

/* --dbus-user, --dbus-system: every value is kept with its origin; the policy decides. */
static int dbus_mode(struct req_list *l, const char *v, const struct origin *o, char *e, size_t n)
{
	int mode;

	if (parse_enum(dbus_mode_names, v, &mode, "value", e, n) < 0)
		return -1;
	req_list_push(l, v, o);
	return 0;
}

static int dbus_name(struct req_list *l, const char *v, const struct origin *o, char *e, size_t n)
{
	if (parse_dbus_name(v, e, n) < 0)
		return -1;
	req_list_push(l, v, o);
	return 0;
}

static int dbus_rule(struct req_list *l, const char *v, const struct origin *o, char *e, size_t n)
{
	if (parse_dbus_rule(v, e, n) < 0)
		return -1;
	req_list_push(l, v, o);
	return 0;
}

#define DBUS_OPTION(fn, check, list)                                                      \
	static int fn(struct request *ro, const char *v, const struct origin *o, char *e, \
		      size_t n)                                                           \
	{                                                                                 \
		return check(&ro->list, v, o, e, n);                                      \
	}
DBUS_OPTION(opt_dbus_user, dbus_mode, dbus_user.mode)
DBUS_OPTION(opt_dbus_user_own, dbus_name, dbus_user.own)
DBUS_OPTION(opt_dbus_user_talk, dbus_name, dbus_user.talk)
DBUS_OPTION(opt_dbus_user_see, dbus_name, dbus_user.see)
DBUS_OPTION(opt_dbus_user_call, dbus_rule, dbus_user.call)
DBUS_OPTION(opt_dbus_user_broadcast, dbus_rule, dbus_user.broadcast)
DBUS_OPTION(opt_dbus_system, dbus_mode, dbus_system.mode)
DBUS_OPTION(opt_dbus_system_own, dbus_name, dbus_system.own)
DBUS_OPTION(opt_dbus_system_talk, dbus_name, dbus_system.talk)
DBUS_OPTION(opt_dbus_system_see, dbus_name, dbus_system.see)
DBUS_OPTION(opt_dbus_system_call, dbus_rule, dbus_system.call)
DBUS_OPTION(opt_dbus_system_broadcast, dbus_rule, dbus_system.broadcast)

static int opt_profile(struct request *ro, const char *v, const struct origin *o, char *e, size_t n)
{
	if (!v[0])
		return set_error(e, n, "empty profile name");
	set_str(&ro->profile, v);
	ro->noprofile = false;
	return 0;
}

#define F(member) offsetof(struct request, member)
#define CALL(fn) OPT_CALL, fn, 0, NULL
#define CALL_OF(fn, values) OPT_CALL, fn, 0, values
#define TRUE_AT(member) OPT_TRUE, NULL, F(member), NULL
#define PATHS_AT(member) OPT_PATHS, NULL, F(member), NULL
#define ENUM_AT(member, values) OPT_ENUM, NULL, F(member), values
#define ACCEPTED OPT_ACCEPTED, NULL, 0, NULL

/* One row an option, on one line: tests/integration/manpage.bats reads them. */
/* clang-format off */
/* Kept in the order --help and the man page present them. */
const struct option_def run_option_defs[] = {
	{"rootfs", 0, "DIR", "use the image directory DIR as the root instead of the host's /", CALL(opt_rootfs), 0},
	{"overlay", 0, "tmp|NAME|none", "writable root: a throwaway or a named overlay (default: tmp with --rootfs, else none)", CALL(opt_overlay), 0},
	{"overlay-driver", 0, "auto|fuse|kernel", "overlay per directory with the kernel's overlayfs where it can copy up, else fuse-overlayfs (auto, the default), or with one of them", ENUM_AT(overlay.driver, overlay_driver_names), 0},
	{"bind", 0, "SRC[:DEST]", "bind host path SRC read-write at DEST (default: the same path)", CALL(opt_bind), 0},
	{"ro-bind", 0, "SRC[:DEST]", "bind host path SRC read-only at DEST", CALL(opt_ro_bind), 0},
	{"tmpfs", 0, "DEST[:size=N]", "mount a fresh tmpfs at DEST (of --tmpfs-size unless size=N)", CALL(opt_tmpfs), 0},
	{"tmpfs-size", 0, "SIZE", "size of /tmp, --tmpfs and private homes (default: 1g)", CALL(opt_tmpfs_size), 0},
	{"shm-size", 0, "SIZE", "size of /dev/shm (default: 64m)", CALL(opt_shm_size), 0},
	{"timeout", 0, "DURATION", "stop PROGRAM after DURATION (30, 30s, 5m, 1h): SIGTERM, then SIGKILL 5 s later; exit 124", CALL(opt_timeout), 0},
	{"chdir", 0, "DIR", "start PROGRAM in DIR (default: the current directory, else /)", CALL(opt_chdir), 0},
	{"userns", 0, "MODE", "id mapping: keep-id (default), root or single", CALL_OF(opt_userns, userns_mode_names), 0},
	{"userns-pool", 0, "auto|no", "take a user namespace mapped beforehand from your pool (auto, the default: keep-id and root), or map a new one (no)", ENUM_AT(userns_pool, userns_pool_names), OPT_CLI_ONLY},
	{"user", 0, "USER[:GROUP]", "run PROGRAM as USER (a uid, or a name in the root's /etc/passwd) and GROUP inside", CALL(opt_user), 0},
	{"hostname", 0, "NAME", "host name inside the sandbox (default: the host's)", CALL(opt_hostname), 0},
	{"ipc", 0, "private|host", "System V IPC and POSIX message queues: the sandbox's own (default), or the host's (a profile's: only with the X display, for MIT-SHM)", CALL_OF(opt_ipc, ipc_mode_names), 0},
	{"single-instance", 0, "LOCK", "refuse to start while PROGRAM runs outside nook, holding its lock LOCK (a link to HOST-PID)", CALL(opt_single_instance), 0},
	{"env", 0, "KEY=VALUE", "set an environment variable for PROGRAM", CALL(opt_env), 0},
	{"unsetenv", 0, "KEY", "remove an environment variable for PROGRAM", CALL(opt_unsetenv), 0},
	{"clearenv", 0, NULL, "start PROGRAM with an empty environment", TRUE_AT(clearenv), 0},
	{"env-keep", 0, "NAME,...", "keep these variables (with --clearenv: only these), never remove them", CALL(opt_env_keep), 0},
	{"env-file", 0, "FILE", "set the variables of FILE's KEY=VALUE lines", CALL(opt_env_file), 0},
	{"keep-groups", 0, NULL, "keep your supplementary groups (default: only your own group)", TRUE_AT(keep_groups), 0},
	{"net", 0, "MODE", "network: none (default: only lo), slirp or pasta (user-mode NAT), or host", CALL_OF(opt_net, net_mode_names), OPT_FOREIGN},
	{"publish", 'p', "[HOSTIP:]HOSTPORT:PORT[/udp]", "forward a host port (default on 127.0.0.1) into the sandbox; implies --net=slirp unless --net=pasta", CALL(opt_publish), 0},
	{"net-host-loopback", 0, NULL, "with --net=slirp or pasta, let 10.0.2.2 reach the host's 127.0.0.1", TRUE_AT(net.host_loopback), 0},
	{"seccomp", 0, "MODE", "system call filter: default, or off (not recommended)", CALL_OF(opt_seccomp, seccomp_modes), OPT_FOREIGN},
	{"seccomp-drop", 0, "SYSCALL,...", "deny these system calls too", CALL(opt_seccomp_drop), 0},
	{"seccomp-allow", 0, "SYSCALL,...", "take these out of the default filter", CALL(opt_seccomp_allow), 0},
	{"seccomp-error-action", 0, "ACTION", "for a denied call: errno (default), kill or log", ENUM_AT(sec.action, seccomp_action_names), 0},
	{"allow-userns", 0, NULL, "allow nested namespaces (for programs with their own sandbox)", TRUE_AT(sec.allow_userns), 0},
	{"allow-secondary-arch", 0, NULL, "allow (filtered) i386 and x32 system calls", TRUE_AT(sec.allow_secondary_arch), 0},
	{"protocol", 0, "FAMILY,...", "allow only these socket families: unix,inet,inet6,netlink,packet,bluetooth", CALL(opt_protocol), 0},
	{"memory-deny-write-execute", 0, NULL, "deny memory that is both writable and executable", TRUE_AT(sec.mdwe), 0},
	{"caps-keep", 0, "CAP,...", "give PROGRAM exactly these capabilities (inside its namespace)", CALL(opt_caps_keep), 0},
	{"caps-drop", 0, "CAP,...|all", "take these capabilities away from PROGRAM", CALL(opt_caps_drop), 0},
	{"rlimit-nofile", 0, "N", "limit open files", CALL(opt_rlimit_nofile), 0},
	{"rlimit-nproc", 0, "N", "limit processes of the user inside the sandbox (default: 4096)", CALL(opt_rlimit_nproc), 0},
	{"pids-limit", 0, "N", "the same as --rlimit-nproc: at most N processes and threads", CALL(opt_rlimit_nproc), 0},
	{"rlimit-as", 0, "N", "limit address space in bytes (K, M, G suffixes)", CALL(opt_rlimit_as), 0},
	{"rlimit-fsize", 0, "N", "limit the size of a written file in bytes (K, M, G)", CALL(opt_rlimit_fsize), 0},
	{"rlimit-cpu", 0, "N", "limit CPU time in seconds", CALL(opt_rlimit_cpu), 0},
	{"profile", 0, "NAME|PATH", "use this profile (default: the one named after PROGRAM, else default)", CALL(opt_profile), OPT_CLI_ONLY},
	{"noprofile", 0, NULL, "use no profile", TRUE_AT(noprofile), OPT_CLI_ONLY},
	{"strict-profile", 0, NULL, "make directives nook does not implement errors, not warnings", TRUE_AT(strict_profile), OPT_CLI_ONLY},
	{"blacklist", 0, "PATH", "hide PATH (also one that does not exist yet)", PATHS_AT(fs.blacklist), 0},
	{"noblacklist", 0, "PATH", "do not hide PATH (a pattern) when a blacklist names it", PATHS_AT(fs.noblacklist), 0},
	{"whitelist", 0, "PATH", "show only the whitelisted paths of PATH's top directory (home, ...)", PATHS_AT(fs.whitelist), 0},
	{"whitelist-ro", 0, "PATH", "as --whitelist, read-only", PATHS_AT(fs.whitelist_ro), 0},
	{"nowhitelist", 0, "PATH", "ignore whitelists of PATH (a pattern)", PATHS_AT(fs.nowhitelist), 0},
	{"read-only", 0, "PATH", "make PATH read-only", PATHS_AT(fs.read_only), 0},
	{"read-write", 0, "PATH", "make the host's PATH writable inside", PATHS_AT(fs.read_write), 0},
	{"noexec", 0, "PATH", "forbid executing files under PATH", PATHS_AT(fs.noexec), 0},
	{"mkdir", 0, "PATH", "create directory PATH on the host first (in the home or runtime dir)", PATHS_AT(fs.mkdir), 0},
	{"mkfile", 0, "PATH", "create empty file PATH on the host first (in the home or runtime dir)", PATHS_AT(fs.mkfile), 0},
	{"private", 0, "DIR", "an empty, throwaway home; or DIR as the home", CALL(opt_private), OPT_OPTIONAL_ARG},
	{"private-tmp", 0, NULL, "a private /tmp (always the case in nook)", ACCEPTED, 0},
	{"private-dev", 0, NULL, "a minimal /dev (always the case in nook)", ACCEPTED, 0},
	{"private-cache", 0, NULL, "an empty, throwaway ~/.cache", TRUE_AT(fs.private_cache), 0},
	{"cache", 0, "NAME:PATH", "keep PATH (~/.npm, ...) across runs in nook's cache NAME, writable", CALL(opt_cache), 0},
	{"private-etc", 0, "NAME,...", "an /etc holding only these entries of the host's", CALL(opt_private_etc), 0},
	{"dns", 0, "IP", "the name server in /etc/resolv.conf", CALL(opt_dns), 0},
	{"x11", 0, "none", "show the X server's socket and Xauthority; =none: hide X", CALL_OF(opt_x11, only_none), OPT_OPTIONAL_ARG | OPT_FOREIGN},
	{"wayland", 0, NULL, "show the Wayland compositor's socket", TRUE_AT(fs.wayland), 0},
	{"nosound", 0, NULL, "hide the PulseAudio and PipeWire sockets", TRUE_AT(fs.nosound), 0},
	{"no3d", 0, NULL, "no GPU (/dev/dri is never in nook's /dev)", ACCEPTED, 0},
	{"novideo", 0, NULL, "no cameras (/dev/video* are never in nook's /dev)", ACCEPTED, 0},
	{"nou2f", 0, NULL, "no U2F keys (/dev/hidraw* are never in nook's /dev)", ACCEPTED, 0},
	{"nodbus", 0, NULL, "hide the session and system D-Bus sockets", TRUE_AT(fs.nodbus), 0},
	{"dbus-user", 0, "none|filter|allow", "the session bus: none, filtered by xdg-dbus-proxy, or all of it (default: allow; filter with rules)", CALL_OF(opt_dbus_user, dbus_mode_names), 0},
	{"dbus-user.own", 0, "NAME", "with dbus-user filter: may own the name NAME (NAME.*: and the names below it)", CALL(opt_dbus_user_own), 0},
	{"dbus-user.talk", 0, "NAME", "with dbus-user filter: may call NAME and receive its signals", CALL(opt_dbus_user_talk), 0},
	{"dbus-user.see", 0, "NAME", "with dbus-user filter: may see NAME on the bus, not call it", CALL(opt_dbus_user_see), 0},
	{"dbus-user.call", 0, "NAME=RULE", "with dbus-user filter: may call the methods of NAME that RULE allows", CALL(opt_dbus_user_call), 0},
	{"dbus-user.broadcast", 0, "NAME=RULE", "with dbus-user filter: receives the signals of NAME that RULE allows", CALL(opt_dbus_user_broadcast), 0},
	{"dbus-system", 0, "none|filter|allow", "the system bus: none, filtered by xdg-dbus-proxy, or all of it (default: allow; filter with rules)", CALL_OF(opt_dbus_system, dbus_mode_names), 0},
	{"dbus-system.own", 0, "NAME", "as dbus-user.own, on the system bus", CALL(opt_dbus_system_own), 0},
	{"dbus-system.talk", 0, "NAME", "as dbus-user.talk, on the system bus", CALL(opt_dbus_system_talk), 0},
	{"dbus-system.see", 0, "NAME", "as dbus-user.see, on the system bus", CALL(opt_dbus_system_see), 0},
	{"dbus-system.call", 0, "NAME=RULE", "as dbus-user.call, on the system bus", CALL(opt_dbus_system_call), 0},
	{"dbus-system.broadcast", 0, "NAME=RULE", "as dbus-user.broadcast, on the system bus", CALL(opt_dbus_system_broadcast), 0},
	{"machine-id", 0, NULL, "a random /etc/machine-id", TRUE_AT(fs.machine_id), 0},
	{"name", 0, "NAME", "name the sandbox NAME, for nook list, enter and stop (default: PROGRAM's name)", CALL(opt_name), 0},
	{"join-or-start", 0, "NAME", "if sandbox NAME (else --name's) runs, run PROGRAM in it (nook enter), else start it", CALL(opt_join_or_start), OPT_OPTIONAL_ARG},
	{"nonewprivs", 0, NULL, "no_new_privs (always on in nook)", ACCEPTED, 0},
	{"pty", 0, "auto|always|never", "give PROGRAM a terminal of its own (default auto: when nook has one)", ENUM_AT(pty, pty_choice_names), OPT_CLI_ONLY},
	{"dry-run", 0, NULL, "print the sandbox spec and exit without running anything", TRUE_AT(dry_run), OPT_CLI_ONLY},
	{"json", 0, NULL, "with --dry-run: print the spec as one JSON object", TRUE_AT(json), OPT_CLI_ONLY},
	{"quiet", 'q', NULL, "do not print warnings", TRUE_AT(quiet), 0},
};
/* clang-format on */
const size_t run_option_count = sizeof run_option_defs / sizeof run_option_defs[0];

static int option_by_name(const void *a, const void *b)
{
	const struct option_def *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int option_named(const void *key, const void *elem)
{
	const struct option_def *const *def = elem;

	return strcmp(key, (*def)->name);
}

/*
 * By name, through an index sorted once: a profile's every line asks (a desktop profile and
 * its includes have hundreds), and the table is in --help's order.
 */
const struct option_def *option_find(const char *name)
{
	static const struct option_def *sorted[sizeof run_option_defs / sizeof run_option_defs[0]];
	static bool ready;
	const struct option_def **found;

	if (!ready) {
		ready = true;
		for (size_t i = 0; i < run_option_count; i++)
			sorted[i] = &run_option_defs[i];
		qsort(sorted, run_option_count, sizeof *sorted, option_by_name);
	}
	found = bsearch(name, sorted, run_option_count, sizeof *sorted, option_named);
	return found ? *found : NULL;
}

const struct option_def *option_find_short(char c)
{
	for (size_t i = 0; i < run_option_count; i++)
		if (c && run_option_defs[i].short_name == c)
			return &run_option_defs[i];
	return NULL;
}

bool option_value_known(const struct option_def *def, const char *value)
{
	int ignored;

	if (!def->values || (value[0] == '\0' && (def->flags & OPT_OPTIONAL_ARG)))
		return true;
	return enum_from_name(def->values, value, &ignored) == 0;
}

/* "unknown mode 'x'": the argument's name for MODE or ACTION; "value" for a list of values. */
static const char *noun(const struct option_def *def)
{
	static char buf[32];
	size_t i;

	for (i = 0; def->arg[i] && i + 1 < sizeof buf; i++) {
		if (!isupper((unsigned char)def->arg[i]))
			return "value";
		buf[i] = (char)tolower((unsigned char)def->arg[i]);
	}
	buf[i] = '\0';
	return buf;
}

int option_apply(const struct option_def *def, struct request *ro, const char *value,
		 const struct origin *o, char *err, size_t errlen)
{
	char *field = (char *)ro + def->field;
	int v;

	switch (def->kind) {
	case OPT_CALL:
		return def->apply(ro, value, o, err, errlen);
	case OPT_TRUE:
		*(bool *)field = true;
		return 0;
	case OPT_PATHS:
		if (!home_or_absolute(value))
			return set_error(err, errlen, "'%s' is not an absolute path", value);
		req_list_push((struct req_list *)field, value, o);
		return 0;
	case OPT_ENUM:
		if (parse_enum(def->values, value, &v, noun(def), err, errlen) < 0)
			return -1;
		*(int *)field = v;
		return 0;
	case OPT_ACCEPTED:
		return 0;
	}
	return set_error(err, errlen, "unknown option kind");
}
