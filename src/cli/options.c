// SPDX-License-Identifier: GPL-2.0-or-later
#include "cli/options.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "policy/security.h"
#include "util/err.h"

static void set_str(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

/* Host paths may be relative to where nook was started; the sandbox needs them absolute. */
static char *absolute(const char *path)
{
	autofree char *cwd = NULL;

	if (path[0] == '/')
		return xstrdup(path);
	cwd = getcwd(NULL, 0);
	if (!cwd)
		return xstrdup(path);
	return xasprintf("%s/%s", cwd, path);
}

static int check_dest(const char *dest, char *err, size_t errlen)
{
	if (dest[0] != '/')
		return set_error(err, errlen, "destination '%s' is not an absolute path", dest);
	if (strcmp(dest, "/") == 0)
		return set_error(err, errlen, "destination '/' would replace the root (use --rootfs)");
	return 0;
}

static struct mount_op *add_mount(struct run_options *ro, enum mount_kind kind, const char *origin,
				  const char *value)
{
	struct mount_op *m;

	ro->mounts = xreallocarray(ro->mounts, ro->nmounts + 1, sizeof *ro->mounts);
	m = &ro->mounts[ro->nmounts++];
	*m = (struct mount_op){.kind = kind, .mode = 0755};
	m->origin = xasprintf("%s %s", origin, value);
	return m;
}

static int add_bind(struct run_options *ro, const char *raw, const char *origin, char *err,
		    size_t errlen, unsigned flags)
{
	const char *home = getenv("HOME");
	autofree char *expanded = expand_tilde(raw, home && home[0] == '/' ? home : NULL);
	const char *value = expanded;
	const char *colon = strchr(value, ':');
	autofree char *src = colon ? strndup(value, (size_t)(colon - value)) : xstrdup(value);
	const char *dest = colon ? colon + 1 : value;
	struct mount_op *m;

	if (!src)
		return set_error(err, errlen, "out of memory");
	if (!src[0])
		return set_error(err, errlen, "empty source in '%s' (expected SRC[:DEST])", value);
	if (!colon && src[0] != '/')
		return set_error(err, errlen, "'%s' is relative: give SRC:DEST with an absolute DEST", value);
	if (check_dest(dest, err, errlen) < 0)
		return -1;
	m = add_mount(ro, MOUNT_BIND, origin, value);
	m->src = absolute(src);
	m->dest = xstrdup(dest);
	m->flags = flags | MOUNT_F_NOSUID | MOUNT_F_NODEV;
	return 0;
}

static int opt_bind(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return add_bind(ro, v, o, e, n, 0);
}

static int opt_ro_bind(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return add_bind(ro, v, o, e, n, MOUNT_F_RDONLY);
}

static int opt_tmpfs(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	struct mount_op *m;

	if (check_dest(v, e, n) < 0)
		return -1;
	m = add_mount(ro, MOUNT_TMPFS, o, v);
	m->dest = xstrdup(v);
	m->flags = MOUNT_F_NOSUID | MOUNT_F_NODEV;
	return 0;
}

static int opt_rootfs(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	const char *home = getenv("HOME");
	autofree char *path = expand_tilde(v, home && home[0] == '/' ? home : NULL);

	if (!v[0])
		return set_error(e, n, "empty path");
	free(ro->rootfs);
	ro->rootfs = absolute(path);
	return 0;
}

static int opt_userns(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (strcmp(v, "keep-id") == 0)
		ro->userns = USERNS_KEEP_ID;
	else if (strcmp(v, "root") == 0)
		ro->userns = USERNS_ROOT;
	else if (strcmp(v, "single") == 0)
		ro->userns = USERNS_SINGLE;
	else
		return set_error(e, n, "unknown mode '%s' (expected keep-id, root or single)", v);
	return 0;
}

static int opt_chdir(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
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
			return set_error(e, n, "'%s' may hold only letters, digits, '-' and '.'", v);
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

static int opt_hostname(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (check_hostname(v, e, n) < 0)
		return -1;
	set_str(&ro->hostname, v);
	return 0;
}

static int valid_env_name(const char *name, size_t len)
{
	if (len == 0)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (name[i] == '=' || name[i] == '\0')
			return 0;
	return 1;
}

static int opt_env(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	const char *eq = strchr(v, '=');

	if (!eq || !valid_env_name(v, (size_t)(eq - v)))
		return set_error(e, n, "'%s' is not KEY=VALUE", v);
	strv_push(&ro->env_edits, v);
	return 0;
}

static int opt_unsetenv(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (!valid_env_name(v, strlen(v)))
		return set_error(e, n, "'%s' is not a variable name", v);
	strv_push(&ro->env_edits, v);
	return 0;
}

static int opt_quiet(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->quiet = true;
	return 0;
}

static int opt_dry_run(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->dry_run = true;
	return 0;
}

static int opt_seccomp(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (strcmp(v, "default") == 0)
		ro->sec.seccomp_off = false;
	else if (strcmp(v, "off") == 0)
		ro->sec.seccomp_off = true;
	else
		return set_error(e, n, "unknown value '%s' (expected default or off)", v);
	return 0;
}

static int opt_seccomp_drop(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return parse_syscall_list(v, &ro->sec.seccomp_drop, e, n);
}

static int opt_seccomp_allow(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return parse_syscall_list(v, &ro->sec.seccomp_allow, e, n);
}

static int opt_seccomp_action(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return parse_seccomp_action(v, &ro->sec.action, e, n);
}

static int opt_allow_userns(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->sec.allow_userns = true;
	return 0;
}

static int opt_secondary_arch(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->sec.allow_secondary_arch = true;
	return 0;
}

static int opt_protocol(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return parse_protocols(v, &ro->sec.protocols, e, n);
}

static int opt_mdwe(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->sec.mdwe = true;
	return 0;
}

static int opt_caps_keep(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	uint64_t mask = 0;

	if (parse_cap_list(v, &mask, NULL, e, n) < 0)
		return -1;
	ro->sec.caps_set = true;
	ro->sec.caps_keep = mask;
	ro->sec.caps_drop &= ~mask;
	return 0;
}

static int opt_caps_drop(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	uint64_t mask = 0;
	bool all = false;

	if (parse_cap_list(v, &mask, &all, e, n) < 0)
		return -1;
	ro->sec.caps_drop |= all ? UINT64_MAX : mask;
	return 0;
}

static int set_rlimit(struct run_options *ro, int resource, const char *v, char *e, size_t n)
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
	r->rlimits[i] = (struct rlimit_spec){resource, value};
	if (i == r->nrlimits)
		r->nrlimits++;
	return 0;
}

static int opt_rlimit_nofile(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return set_rlimit(ro, RLIMIT_NOFILE, v, e, n);
}

static int opt_rlimit_nproc(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return set_rlimit(ro, RLIMIT_NPROC, v, e, n);
}

static int opt_rlimit_as(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return set_rlimit(ro, RLIMIT_AS, v, e, n);
}

static int opt_rlimit_fsize(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return set_rlimit(ro, RLIMIT_FSIZE, v, e, n);
}

static int opt_rlimit_cpu(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return set_rlimit(ro, RLIMIT_CPU, v, e, n);
}

static int opt_net(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (parse_net_mode(v, &ro->net.mode, e, n) < 0)
		return -1;
	ro->net.mode_set = true;
	return 0;
}

static int opt_net_host_loopback(struct run_options *ro, const char *v, const char *o, char *e,
				 size_t n)
{
	ro->net.host_loopback = true;
	return 0;
}

static int opt_publish(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	struct net_request *r = &ro->net;
	struct publish_spec p;

	if (parse_publish(v, &p, e, n) < 0)
		return -1;
	p.origin = xasprintf("%s %s", o, v);
	r->publish = xreallocarray(r->publish, r->npublish + 1, sizeof *r->publish);
	r->publish[r->npublish++] = p;
	return 0;
}

static int opt_overlay(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return parse_overlay(v, &ro->overlay, e, n);
}

static int opt_overlay_driver(struct run_options *ro, const char *v, const char *o, char *e,
			      size_t n)
{
	return parse_overlay_driver(v, &ro->overlay.driver, e, n);
}

/* A path of a profile directive or its option: "~/" is the home, and it must be absolute. */
static int path_value(const char *v, char **out, char *e, size_t n)
{
	const char *home = getenv("HOME");

	*out = expand_tilde(v, home && home[0] == '/' ? home : NULL);
	if ((*out)[0] != '/') {
		free(*out);
		*out = NULL;
		return set_error(e, n, "'%s' is not an absolute path", v);
	}
	return 0;
}

static int push_path(struct strv *list, const char *v, char *e, size_t n)
{
	char *p;

	if (path_value(v, &p, e, n) < 0)
		return -1;
	strv_push_owned(list, p);
	return 0;
}

#define PATH_LIST_OPTION(fn, field)                                                          \
	static int fn(struct run_options *ro, const char *v, const char *o, char *e, size_t n) \
	{                                                                                     \
		return push_path(&ro->fs.field, v, e, n);                                     \
	}
PATH_LIST_OPTION(opt_blacklist, blacklist)
PATH_LIST_OPTION(opt_noblacklist, noblacklist)
PATH_LIST_OPTION(opt_whitelist, whitelist)
PATH_LIST_OPTION(opt_whitelist_ro, whitelist_ro)
PATH_LIST_OPTION(opt_nowhitelist, nowhitelist)
PATH_LIST_OPTION(opt_read_only, read_only)
PATH_LIST_OPTION(opt_read_write, read_write)
PATH_LIST_OPTION(opt_noexec, noexec)
PATH_LIST_OPTION(opt_mkdir, mkdir)
PATH_LIST_OPTION(opt_mkfile, mkfile)

static int opt_private(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	free(ro->fs.private_dir);
	ro->fs.private_dir = NULL;
	ro->fs.private_home = true;
	return v[0] ? path_value(v, &ro->fs.private_dir, e, n) : 0;
}

static int opt_private_cache(struct run_options *ro, const char *v, const char *o, char *e,
			     size_t n)
{
	ro->fs.private_cache = true;
	return 0;
}

/* /tmp and /dev are always private in nook: accepted for firejail's profiles. */
static int opt_accepted(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	return 0;
}

static int opt_private_etc(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
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

static int opt_dns(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	unsigned char buf[16];

	if (inet_pton(AF_INET, v, buf) != 1 && inet_pton(AF_INET6, v, buf) != 1)
		return set_error(e, n, "'%s' is not an IP address", v);
	set_str(&ro->fs.dns, v);
	return 0;
}

static int opt_x11(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (v[0] == '\0')
		ro->fs.x11 = 1;
	else if (strcmp(v, "none") == 0)
		ro->fs.x11 = -1;
	else
		return set_error(e, n, "unknown value '%s' (only none)", v);
	return 0;
}

static int opt_wayland(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->fs.wayland = true;
	return 0;
}

static int opt_nosound(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->fs.nosound = true;
	return 0;
}

static int opt_nodbus(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->fs.nodbus = true;
	return 0;
}

static int opt_dbus_user(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (strcmp(v, "none") != 0)
		return set_error(e, n, "only 'none' is supported (firejail's filter is not)");
	ro->fs.dbus_user_none = true;
	return 0;
}

static int opt_dbus_system(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (strcmp(v, "none") != 0)
		return set_error(e, n, "only 'none' is supported (firejail's filter is not)");
	ro->fs.dbus_system_none = true;
	return 0;
}

static int opt_machine_id(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->fs.machine_id = true;
	return 0;
}

static int opt_name(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	/* A sandbox's name is its host name, unless --hostname says otherwise. */
	if (check_hostname(v, e, n) < 0)
		return -1;
	set_str(&ro->fs.name, v);
	return 0;
}

static int opt_profile(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	if (!v[0])
		return set_error(e, n, "empty profile name");
	set_str(&ro->profile, v);
	ro->noprofile = false;
	return 0;
}

static int opt_noprofile(struct run_options *ro, const char *v, const char *o, char *e, size_t n)
{
	ro->noprofile = true;
	return 0;
}

static int opt_strict_profile(struct run_options *ro, const char *v, const char *o, char *e,
			      size_t n)
{
	ro->strict_profile = true;
	return 0;
}

/* Kept in the order --help and the man page present them. */
const struct option_def run_option_defs[] = {
	{"rootfs", 0, "DIR", "use the image directory DIR as the root instead of the host's /", opt_rootfs, 0},
	{"overlay", 0, "tmp|NAME|none", "writable root: a throwaway or a named overlay (default: tmp with --rootfs, else none)", opt_overlay, 0},
	{"overlay-driver", 0, "fuse|kernel", "overlay with fuse-overlayfs (default) or the kernel's overlayfs", opt_overlay_driver, 0},
	{"bind", 0, "SRC[:DEST]", "bind host path SRC read-write at DEST (default: the same path)", opt_bind, 0},
	{"ro-bind", 0, "SRC[:DEST]", "bind host path SRC read-only at DEST", opt_ro_bind, 0},
	{"tmpfs", 0, "DEST", "mount a fresh tmpfs at DEST", opt_tmpfs, 0},
	{"chdir", 0, "DIR", "start PROGRAM in DIR (default: the current directory, else /)", opt_chdir, 0},
	{"userns", 0, "MODE", "id mapping: keep-id (default), root or single", opt_userns, 0},
	{"hostname", 0, "NAME", "host name inside the sandbox (default: nook)", opt_hostname, 0},
	{"env", 0, "KEY=VALUE", "set an environment variable for PROGRAM", opt_env, 0},
	{"unsetenv", 0, "KEY", "remove an environment variable for PROGRAM", opt_unsetenv, 0},
	{"net", 0, "MODE", "network: none (default: only lo), slirp (user-mode NAT) or host", opt_net, 0},
	{"publish", 'p', "[HOSTIP:]HOSTPORT:PORT[/udp]", "forward a host port (default on 127.0.0.1) into the sandbox; implies --net=slirp", opt_publish, 0},
	{"net-host-loopback", 0, NULL, "with --net=slirp, let 10.0.2.2 reach the host's 127.0.0.1", opt_net_host_loopback, 0},
	{"seccomp", 0, "MODE", "system call filter: default, or off (not recommended)", opt_seccomp, 0},
	{"seccomp-drop", 0, "SYSCALL,...", "deny these system calls too", opt_seccomp_drop, 0},
	{"seccomp-allow", 0, "SYSCALL,...", "take these out of the default filter", opt_seccomp_allow, 0},
	{"seccomp-error-action", 0, "ACTION", "for a denied call: errno (default), kill or log", opt_seccomp_action, 0},
	{"allow-userns", 0, NULL, "allow nested namespaces (for programs with their own sandbox)", opt_allow_userns, 0},
	{"allow-secondary-arch", 0, NULL, "allow (filtered) i386 and x32 system calls", opt_secondary_arch, 0},
	{"protocol", 0, "FAMILY,...", "allow only these socket families: unix,inet,inet6,netlink,packet,bluetooth", opt_protocol, 0},
	{"memory-deny-write-execute", 0, NULL, "deny memory that is both writable and executable", opt_mdwe, 0},
	{"caps-keep", 0, "CAP,...", "give PROGRAM exactly these capabilities (inside its namespace)", opt_caps_keep, 0},
	{"caps-drop", 0, "CAP,...|all", "take these capabilities away from PROGRAM", opt_caps_drop, 0},
	{"rlimit-nofile", 0, "N", "limit open files", opt_rlimit_nofile, 0},
	{"rlimit-nproc", 0, "N", "limit processes of the user inside the sandbox", opt_rlimit_nproc, 0},
	{"rlimit-as", 0, "N", "limit address space in bytes (K, M, G suffixes)", opt_rlimit_as, 0},
	{"rlimit-fsize", 0, "N", "limit the size of a written file in bytes (K, M, G)", opt_rlimit_fsize, 0},
	{"rlimit-cpu", 0, "N", "limit CPU time in seconds", opt_rlimit_cpu, 0},
	{"profile", 0, "NAME|PATH", "use this profile (default: the one named after PROGRAM, else default)", opt_profile, OPT_CLI_ONLY},
	{"noprofile", 0, NULL, "use no profile", opt_noprofile, OPT_CLI_ONLY},
	{"strict-profile", 0, NULL, "make directives nook does not implement errors, not warnings", opt_strict_profile, OPT_CLI_ONLY},
	{"blacklist", 0, "PATH", "hide PATH (also one that does not exist yet)", opt_blacklist, 0},
	{"noblacklist", 0, "PATH", "do not hide PATH (a pattern) when a blacklist names it", opt_noblacklist, 0},
	{"whitelist", 0, "PATH", "show only the whitelisted paths of PATH's top directory (home, ...)", opt_whitelist, 0},
	{"whitelist-ro", 0, "PATH", "as --whitelist, read-only", opt_whitelist_ro, 0},
	{"nowhitelist", 0, "PATH", "ignore whitelists of PATH (a pattern)", opt_nowhitelist, 0},
	{"read-only", 0, "PATH", "make PATH read-only", opt_read_only, 0},
	{"read-write", 0, "PATH", "make the host's PATH writable inside", opt_read_write, 0},
	{"noexec", 0, "PATH", "forbid executing files under PATH", opt_noexec, 0},
	{"mkdir", 0, "PATH", "create directory PATH on the host first (in the home or runtime dir)", opt_mkdir, 0},
	{"mkfile", 0, "PATH", "create empty file PATH on the host first (in the home or runtime dir)", opt_mkfile, 0},
	{"private", 0, "DIR", "an empty, throwaway home; or DIR as the home", opt_private, OPT_OPTIONAL_ARG},
	{"private-tmp", 0, NULL, "a private /tmp (always the case in nook)", opt_accepted, 0},
	{"private-dev", 0, NULL, "a minimal /dev (always the case in nook)", opt_accepted, 0},
	{"private-cache", 0, NULL, "an empty, throwaway ~/.cache", opt_private_cache, 0},
	{"private-etc", 0, "NAME,...", "an /etc holding only these entries of the host's", opt_private_etc, 0},
	{"dns", 0, "IP", "the name server in /etc/resolv.conf", opt_dns, 0},
	{"x11", 0, "none", "show the X server's socket and Xauthority; =none: hide X", opt_x11, OPT_OPTIONAL_ARG},
	{"wayland", 0, NULL, "show the Wayland compositor's socket (when a whitelist hides the runtime dir)", opt_wayland, 0},
	{"nosound", 0, NULL, "hide the PulseAudio and PipeWire sockets", opt_nosound, 0},
	{"no3d", 0, NULL, "no GPU (/dev/dri is never in nook's /dev)", opt_accepted, 0},
	{"novideo", 0, NULL, "no cameras (/dev/video* are never in nook's /dev)", opt_accepted, 0},
	{"nou2f", 0, NULL, "no U2F keys (/dev/hidraw* are never in nook's /dev)", opt_accepted, 0},
	{"nodbus", 0, NULL, "hide the session and system D-Bus sockets", opt_nodbus, 0},
	{"dbus-user", 0, "none", "hide the session bus", opt_dbus_user, 0},
	{"dbus-system", 0, "none", "hide the system bus", opt_dbus_system, 0},
	{"machine-id", 0, NULL, "a random /etc/machine-id", opt_machine_id, 0},
	{"name", 0, "NAME", "the sandbox's name (its host name, unless --hostname)", opt_name, 0},
	{"nonewprivs", 0, NULL, "no_new_privs (always on in nook)", opt_accepted, 0},
	{"dry-run", 0, NULL, "print the sandbox spec and exit without running anything", opt_dry_run, OPT_CLI_ONLY},
	{"quiet", 'q', NULL, "do not print warnings", opt_quiet, 0},
};
const size_t run_option_count = sizeof run_option_defs / sizeof run_option_defs[0];

const struct option_def *option_find(const char *name)
{
	for (size_t i = 0; i < run_option_count; i++)
		if (strcmp(run_option_defs[i].name, name) == 0)
			return &run_option_defs[i];
	return NULL;
}

static const struct option_def *option_find_short(char c)
{
	for (size_t i = 0; i < run_option_count; i++)
		if (run_option_defs[i].short_name == c)
			return &run_option_defs[i];
	return NULL;
}

int options_parse_run(int argc, char **argv, struct run_options *ro)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const struct option_def *def;
		autofree char *name = NULL;
		autofree char *origin = NULL;
		const char *value = NULL;
		char err[512];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			options_print_help(stdout);
			return 1;
		}
		if (a[1] != '-') {
			def = a[2] == '\0' ? option_find_short(a[1]) : NULL;
			if (!def) {
				warnx_("unknown option '%s' (see 'nook --help')", a);
				return -1;
			}
		} else {
			const char *eq = strchr(a + 2, '=');

			name = eq ? strndup(a + 2, (size_t)(eq - a - 2)) : xstrdup(a + 2);
			if (!name)
				die("out of memory");
			def = option_find(name);
			if (!def) {
				warnx_("unknown option '--%s' (see 'nook --help')", name);
				return -1;
			}
			value = eq ? eq + 1 : NULL;
		}
		origin = xasprintf("--%s", def->name);
		if ((def->flags & OPT_OPTIONAL_ARG) && !value) {
			value = "";
		} else if (def->arg && !value) {
			if (i + 1 >= argc) {
				warnx_("%s: missing argument %s", origin, def->arg);
				return -1;
			}
			value = argv[++i];
		} else if (!def->arg && value) {
			warnx_("%s: takes no argument", origin);
			return -1;
		}
		if (def->apply(ro, value ? value : "", origin, err, sizeof err) < 0) {
			warnx_("%s: %s", origin, err);
			return -1;
		}
	}

	for (; i < argc; i++)
		strv_push(&ro->argv, argv[i]);
	if (ro->argv.n == 0) {
		warnx_("no PROGRAM given (usage: nook run [OPTIONS] [--] PROGRAM [ARG...])");
		return -1;
	}
	return 0;
}

void options_print_help(FILE *out)
{
	fputs("Usage: nook run [OPTIONS] [--] PROGRAM [ARG...]\n"
	      "       nook [OPTIONS] PROGRAM [ARG...]\n"
	      "Run PROGRAM in a rootless sandbox: new user, mount, pid, ipc, uts, cgroup and\n"
	      "network namespaces, the host's / read-only (or an image), no capabilities.\n\n"
	      "Options:\n", out);
	for (size_t i = 0; i < run_option_count; i++) {
		const struct option_def *d = &run_option_defs[i];
		char left[64];

		char arg[64] = "";

		if (d->arg)
			snprintf(arg, sizeof arg, (d->flags & OPT_OPTIONAL_ARG) ? "[=%s]" : "=%s",
				 d->arg);
		if (d->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s", d->short_name, d->name, arg);
		else
			snprintf(left, sizeof left, "    --%s%s", d->name, arg);
		fprintf(out, "  %-26s %s\n", left, d->help);
	}
	fprintf(out, "  %-26s %s\n", "-h, --help", "show this help and exit");
}
