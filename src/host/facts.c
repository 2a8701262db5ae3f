// SPDX-License-Identifier: GPL-2.0-or-later
#include "host/facts.h"

#include <dirent.h>
#include <errno.h>
#include <linux/landlock.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "config.h"
#include "host/caller.h"
#include "util/err.h"

const char *const host_helper_dirs[] = {"/usr/bin", "/bin", "/usr/sbin", "/sbin", NULL};

char *host_find_helper(const char *name)
{
	for (size_t i = 0; host_helper_dirs[i]; i++) {
		char *p = xasprintf("%s/%s", host_helper_dirs[i], name);

		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444 /* the same on every architecture */
#endif

int host_landlock_abi(void)
{
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);

	return abi >= 0 ? (int)abi : -errno;
}

/*
 * An XDG base directory: the variable when it holds an absolute path (the base directory
 * specification ignores a relative one), without trailing slashes; else home/fallback.
 */
static char *xdg_home(const char *var, const char *home, const char *fallback)
{
	const char *v = getenv(var);

	if (v && v[0] == '/') {
		size_t n = strlen(v);

		while (n > 1 && v[n - 1] == '/')
			n--;
		return xstrndup(v, n);
	}
	return home ? xasprintf("%s/%s", home, fallback) : NULL;
}

/* nook's own directory in an XDG base directory. */
static char *xdg_dir(const char *var, const char *home, const char *fallback)
{
	autofree char *base = xdg_home(var, home, fallback);

	return base ? xasprintf("%s/nook", strcmp(base, "/") == 0 ? "" : base) : NULL;
}

/* The caller's supplementary groups other than its own: what setgroups() would take away. */
static int count_other_groups(gid_t own)
{
	int n = getgroups(0, NULL);
	autofree gid_t *groups = NULL;
	int others = 0;

	if (n <= 0)
		return 0;
	groups = xcalloc((size_t)n, sizeof *groups);
	n = getgroups(n, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] != own)
			others++;
	return others;
}

static bool on_nosuid_mount(const char *path)
{
	struct statvfs st;

	return path && statvfs(path, &st) == 0 && (st.f_flag & ST_NOSUID);
}

/* Do two paths name the same directory (by their canonical names)? */
static bool same_dir(const char *a, const char *b)
{
	autofree char *ra = realpath(a, NULL);
	autofree char *rb = realpath(b, NULL);

	return ra && rb && strcmp(ra, rb) == 0;
}

char *host_profile_system_dir(const char *env_dir, const char *exe)
{
	if (env_dir && env_dir[0] == '/')
		return xstrdup(env_dir);
	if (exe && exe[0] == '/') {
		autofree char *copy = xstrdup(exe);

		if (same_dir(dirname(copy), NOOK_BUILD_ROOT))
			return xstrdup(NOOK_SOURCE_ROOT "/profiles");
	}
	return xstrdup(NOOK_SYSCONFDIR "/nook/profiles");
}

bool host_in_nook(void)
{
	struct stat st;
	struct statvfs vfs;

	return lstat(HOST_NOOK_MARKER, &st) == 0 && S_ISREG(st.st_mode) &&
	       statvfs(HOST_NOOK_MARKER, &vfs) == 0 && (vfs.f_flag & ST_RDONLY);
}

char *host_state_dir(uid_t uid)
{
	const char *e = getenv("XDG_RUNTIME_DIR");
	autofree char *run = NULL;
	struct stat st;

	if (e && e[0] == '/')
		return xasprintf("%s/nook/sandboxes", e);
	run = xasprintf("/run/user/%u", (unsigned)uid);
	if (lstat(run, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == uid && !(st.st_mode & 077))
		return xasprintf("%s/nook/sandboxes", run);
	return NULL;
}

void host_state_names_read(struct host_facts *h)
{
	DIR *d = h->state_dir ? opendir(h->state_dir) : NULL;
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			strv_push(&h->state_names, e->d_name);
	closedir(d);
}

void host_facts_read(struct host_facts *h)
{
	char exe[PATH_MAX];
	ssize_t exe_len;
	extern char **environ;
	char *pw_home = NULL;
	struct utsname un;
	struct rlimit rl;
	const char *e;

	memset(h, 0, sizeof *h);
	h->uid = getuid();
	h->gid = getgid();
#if NOOK_STATIC_LIBC
	/* Not getpwuid(): a static nook must not load NSS modules (host/caller.h). */
	(void)caller_entry(h->uid, &caller_lookup_host, &h->username, &pw_home);
#else
	{
		const struct passwd *pw = getpwuid(h->uid);

		if (pw) {
			h->username = xstrdup(pw->pw_name);
			pw_home = pw->pw_dir ? xstrdup(pw->pw_dir) : NULL;
		}
	}
#endif
	h->cwd = getcwd(NULL, 0);
	/* su, cron and CI runners may leave HOME unset or relative: then the passwd entry. */
	e = getenv("HOME");
	if (e && e[0] == '/')
		h->home = xstrdup(e);
	else if (pw_home && pw_home[0] == '/')
		h->home = xstrdup(pw_home);
	free(pw_home);
	h->environ = environ;
	e = getenv("PATH");
	h->path = xstrdup(e ? e : "/usr/local/bin:/usr/bin:/bin");
	h->runuser = xasprintf("/run/user/%u", (unsigned)h->uid);
	if (uname(&un) == 0 && un.nodename[0])
		h->hostname = xstrdup(un.nodename);
	e = getenv("XDG_RUNTIME_DIR");
	if (e && e[0] == '/')
		h->nook_runtime_dir = xasprintf("%s/nook", e);
	h->state_dir = host_state_dir(h->uid);
	h->config_home = xdg_home("XDG_CONFIG_HOME", h->home, ".config");
	h->config_dir = xdg_dir("XDG_CONFIG_HOME", h->home, ".config");
	h->data_dir = xdg_dir("XDG_DATA_HOME", h->home, ".local/share");
	h->data_home = xdg_home("XDG_DATA_HOME", h->home, ".local/share");
	e = getenv("XDG_DATA_DIRS");
	h->data_dirs = xstrdup(e && e[0] ? e : "/usr/local/share:/usr/share");
	if (h->config_dir)
		h->profile_user_dir = xasprintf("%s/profiles", h->config_dir);
	exe_len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	exe[exe_len > 0 ? exe_len : 0] = '\0';
	h->profile_system_dir = host_profile_system_dir(getenv("NOOK_PROFILE_DIR"), exe);
	/* Test hooks; they can only ask for less than /etc/subuid grants (newuidmap checks). */
	e = getenv("NOOK_SUBUID_FILE");
	h->subuid_path = xstrdup(e ? e : "/etc/subuid");
	e = getenv("NOOK_SUBGID_FILE");
	h->subgid_path = xstrdup(e ? e : "/etc/subgid");
	h->newuidmap = host_find_helper("newuidmap");
	h->newgidmap = host_find_helper("newgidmap");
	/* Inside another sandbox the setuid helpers may be there and still unable to work. */
	h->no_new_privs = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
	h->in_nook = host_in_nook();
	h->helpers_nosuid = on_nosuid_mount(h->newuidmap) || on_nosuid_mount(h->newgidmap);
	h->slirp4netns = host_find_helper("slirp4netns");
	h->pasta = host_find_helper("pasta");
	h->fuse_overlayfs = host_find_helper("fuse-overlayfs");
	h->fuse_dev = access("/dev/fuse", R_OK | W_OK) == 0;
	h->xdg_dbus_proxy = host_find_helper("xdg-dbus-proxy");
	/* Often a link into /run (systemd-resolved, resolvconf), which sandboxes replace. */
	h->resolv_conf = realpath("/etc/resolv.conf", NULL);
	h->ngroups = count_other_groups(h->gid);
	h->nproc_max = getrlimit(RLIMIT_NPROC, &rl) == 0 ? (uint64_t)rl.rlim_max : UINT64_MAX;
	h->landlock_abi = host_landlock_abi();
	if (h->landlock_abi < 0)
		h->landlock_abi = 0;
	for (int fd = 0; fd < 3; fd++)
		if (isatty(fd))
			h->tty_fds |= 1u << fd;
}

const char *host_getenv(const struct host_facts *h, const char *name)
{
	size_t len = strlen(name);

	for (char **e = h->environ; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

void host_facts_free(struct host_facts *h)
{
	char **owned[] = {
		&h->username,
		&h->cwd,
		&h->home,
		&h->path,
		&h->runuser,
		&h->hostname,
		&h->nook_runtime_dir,
		&h->state_dir,
		&h->config_home,
		&h->files_root,
		&h->config_dir,
		&h->data_dir,
		&h->data_home,
		&h->data_dirs,
		&h->profile_user_dir,
		&h->profile_system_dir,
		&h->subuid_path,
		&h->subgid_path,
		&h->newuidmap,
		&h->newgidmap,
		&h->slirp4netns,
		&h->pasta,
		&h->fuse_overlayfs,
		&h->xdg_dbus_proxy,
		&h->resolv_conf,
	};

	for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
		free(*owned[i]);
	strv_free(&h->state_names);
	memset(h, 0, sizeof *h);
}

bool host_has_device(const char *path, char type, unsigned major, unsigned minor)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return false;
	if (!(type == 'b' ? S_ISBLK(st.st_mode) : S_ISCHR(st.st_mode)))
		return false;
	return major(st.st_rdev) == major && minor(st.st_rdev) == minor;
}
