// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile parser: profile_load() into a run_options, with a hand-made profile_env, the
 * diagnostics ("nook: FILE:LINE: ...") caught in memory; includes, ignore, quiet, conditions,
 * macros, firejail's spellings, the unsupported table; profile_find() and profile_env_init().
 */
#include <errno.h>
#include <ftw.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/capability.h>
#include <time.h>
#include <unistd.h>

#include "request/options.h"
#include "config.h"
#include "policy/caps.h"
#include "profile/profile.h"
#include "tap.h"
#include "util/err.h"

static char tmpdir[] = "/tmp/nook-unit-profile-XXXXXX";
static char *home;     /* tmpdir/home: ${HOME}, and $HOME for "~/" */
static char *user_dir; /* tmpdir/user */
static char *sys_dir;  /* tmpdir/system */

static struct host_facts hfacts;
static struct profile_env env;

/* What the last load() gave. */
static struct request ro;
static bool ro_live;
static int load_r, load_errors, load_warnings;
static char *diag_text;    /* everything written to loader.diag */
static struct strv loaded; /* loader.loaded, copied */

/* Directives the option table has and this file tests (see test_coverage). */
static struct strv tested;

enum { LINT = 1, STRICT = 2, QUIET = 4 };

/* The capabilities the last load() gives a payload that had BASE. */
static uint64_t caps_from(uint64_t base)
{
	struct spec s;

	spec_init(&s);
	caps_build(&ro.sec, base, false, true, &s);
	return s.caps_keep;
}

static char *P(const char *rel)
{
	return xasprintf("%s/%s", tmpdir, rel);
}

static void mkdirs(const char *path)
{
	autofree char *p = xstrdup(path);

	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST) {
			perror(p);
			exit(99);
		}
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST) {
		perror(p);
		exit(99);
	}
}

/* Write CONTENT into tmpdir/REL (its directories made); returns the full path (to free). */
static char *put(const char *rel, const char *content)
{
	char *p = P(rel);
	autofree char *dir = xstrdup(p);
	FILE *f;

	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	f = fopen(p, "w");
	if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
		perror(p);
		exit(99);
	}
	return p;
}

static void rm(const char *rel)
{
	autofree char *p = P(rel);

	unlink(p);
}

/* Hand-made host facts: the strings are the test's own, never freed through hfacts. */
static void env_reset(void)
{
	memset(&hfacts, 0, sizeof hfacts);
	hfacts.home = home;
	hfacts.uid = 4242;
	hfacts.path = "/usr/bin:/bin";
	hfacts.runuser = "/run/user/4242";
	hfacts.profile_user_dir = user_dir;
	hfacts.profile_system_dir = sys_dir;
	memset(&env, 0, sizeof env);
	env.host = &hfacts;
}

static void ro_reset(void)
{
	if (ro_live)
		request_free(&ro);
	request_init(&ro);
	ro_live = true;
}

/* profile_load(PATH) into a fresh ro; FLAGS: LINT, STRICT, QUIET (ro.quiet before loading). */
static int load_file(const char *path, unsigned flags)
{
	struct profile_loader l;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		perror("open_memstream");
		exit(99);
	}
	ro_reset();
	ro.quiet = flags & QUIET;
	profile_loader_init(&l, &ro, &env);
	l.lint = flags & LINT;
	l.strict = flags & STRICT;
	l.diag = f;
	load_r = profile_load(&l, path);
	load_errors = l.errors;
	load_warnings = l.warnings;
	strv_free(&loaded);
	for (size_t i = 0; i < l.loaded.n; i++)
		strv_push(&loaded, l.loaded.v[i]);
	profile_loader_free(&l);
	fclose(f);
	free(diag_text);
	diag_text = buf;
	return load_r;
}

/* TEXT as tmpdir/p/t.profile, loaded. */
static const char *T_PROFILE = "p/t.profile";

static int load(const char *text, unsigned flags)
{
	autofree char *p = put(T_PROFILE, text);

	return load_file(p, flags);
}

/* The line "nook: tmpdir/REL:LINE: TEXT\n" a diagnostic must be, as a static string. */
static const char *msg(const char *rel, int line, const char *text)
{
	static char buf[4][2048];
	static int which;
	char *b = buf[which++ % 4];

	snprintf(b, sizeof buf[0], "nook: %s/%s:%d: %s\n", tmpdir, rel, line, text);
	return b;
}

static const char *msg2(const char *a, const char *b)
{
	static char buf[4][8192];
	static int which;
	char *out = buf[which++ % 4];

	snprintf(out, sizeof buf[0], "%s%s", a, b);
	return out;
}

/* What loader.diag got is WANT; on a mismatch both are shown as "# " lines. */
static void diag_show(const char *want)
{
	diag("expected:\n%s", want[0] ? want : "(nothing)");
	diag("seen:\n%s", diag_text[0] ? diag_text : "(nothing)");
}

#define is_diag(want, ...) \
	((void)(ok(strcmp(diag_text, (want)) == 0, __VA_ARGS__) || (diag_show(want), false)))

/* A clean load: returned 0, no error, no warning, nothing printed. */
static void clean(const char *what)
{
	if (!ok(load_r == 0 && load_errors == 0 && load_warnings == 0 && diag_text[0] == '\0',
		"%s: loads cleanly", what))
		diag("r=%d errors=%d warnings=%d diag=[%s]", load_r, load_errors, load_warnings,
		     diag_text);
}

static const char *strv_str(const struct strv *v)
{
	static char buf[4096];

	buf[0] = '\0';
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			strncat(buf, "|", sizeof buf - strlen(buf) - 1);
		strncat(buf, v->v[i], sizeof buf - strlen(buf) - 1);
	}
	return buf;
}

static const char *mount_str(const struct mount_op *m)
{
	static char buf[2048];

	snprintf(buf, sizeof buf, "%s %s %s %s%s%s%s", mount_kind_name(m->kind),
		 m->src ? m->src : "-", m->dest ? m->dest : "-",
		 m->flags & MOUNT_F_RDONLY ? "ro" : "rw",
		 m->flags & MOUNT_F_NOSUID ? ",nosuid" : "",
		 m->flags & MOUNT_F_NODEV ? ",nodev" : "",
		 m->flags & MOUNT_F_NOEXEC ? ",noexec" : "");
	return buf;
}

static const char *mounts_str(void)
{
	static char buf[4096];

	buf[0] = '\0';
	for (size_t i = 0; i < ro.nmounts; i++) {
		if (i)
			strncat(buf, "; ", sizeof buf - strlen(buf) - 1);
		strncat(buf, mount_str(&ro.mounts[i]), sizeof buf - strlen(buf) - 1);
	}
	return buf;
}

static long long rlimit_of(int resource)
{
	for (size_t i = 0; i < ro.sec.nrlimits; i++)
		if (ro.sec.rlimits[i].resource == resource)
			return (long long)ro.sec.rlimits[i].value;
	return -1;
}

/* What the last "seccomp MODE" recorded, and from where: "off (profile)". */
static const char *seccomp_mode(void)
{
	static char buf[64];
	const struct req_value *m = &ro.sec.seccomp;

	if (!m->value)
		return "(not given)";
	snprintf(buf, sizeof buf, "%s (%s)", m->value, m->cli ? "command line" : "profile");
	return buf;
}

static void mark(const char *name)
{
	strv_push(&tested, name);
}

/* ---- every directive of the option table ---- */

static void test_mount_directives(void)
{
	autofree char *origin = NULL;

	mark("bind");
	load("bind /srv/a:/mnt/b\n", 0);
	clean("bind");
	is_str(mounts_str(), "bind /srv/a /mnt/b rw,nosuid,nodev",
	       "bind SRC:DEST: a read-write bind");
	origin = xasprintf("%s/%s:1 /srv/a:/mnt/b", tmpdir, T_PROFILE);
	if (ro.nmounts == 1)
		is_str(ro.mounts[0].origin, origin,
		       "bind: the origin names the profile's file:line");

	mark("ro-bind");
	load("ro-bind /srv/a\n", 0);
	clean("ro-bind");
	is_str(mounts_str(), "bind /srv/a /srv/a ro,nosuid,nodev", "ro-bind SRC: read-only at SRC");

	mark("tmpfs");
	load("tmpfs /scratch\n", 0);
	clean("tmpfs");
	is_str(mounts_str(), "tmpfs - /scratch rw,nosuid,nodev", "tmpfs DEST");

	mark("tmpfs-size");
	mark("shm-size");
	load("tmpfs /scratch:size=5m\ntmpfs-size 2g\nshm-size 10%\n", 0);
	clean("tmpfs-size/shm-size");
	is_str(ro.nmounts ? ro.mounts[0].options : NULL, "5m", "tmpfs DEST:size=N");
	is_str(ro.tmpfs_size, "2g", "tmpfs-size SIZE");
	is_str(ro.shm_size, "10%", "shm-size SIZE");
	load("tmpfs-size 0\n", 0);
	is_int(load_r, -1, "tmpfs-size 0: an error");
	load("tmpfs /x:mode=1777\n", 0);
	is_int(load_r, -1, "tmpfs DEST:OTHER: an error");

	mark("rootfs");
	load("rootfs /images/alpine\n", 0);
	clean("rootfs");
	is_str(ro.rootfs, "/images/alpine", "rootfs DIR");

	mark("overlay");
	load("overlay tmp\n", 0);
	clean("overlay");
	ok(ro.overlay.mode_set && ro.overlay.mode == OVERLAY_TMP, "overlay tmp: mode tmp");
	load("overlay work-1\n", 0);
	ok(ro.overlay.mode == OVERLAY_NAMED, "overlay NAME: a named overlay");
	is_str(ro.overlay.name, "work-1", "overlay NAME: the name");

	mark("overlay-driver");
	load("overlay-driver kernel\n", 0);
	clean("overlay-driver");
	is_int(ro.overlay.driver, OVERLAY_KERNEL, "overlay-driver kernel");

	mark("cache");
	load("cache npm:${HOME}/.npm\ncache pip:~/.cache/pip\n", 0);
	clean("cache");
	free(origin);
	origin = xasprintf("npm:%s/.npm|pip:~/.cache/pip", home);
	is_str(req_list_str(&ro.caches), origin, "cache NAME:PATH: ${HOME} expanded, ~ kept raw");
	ok(ro.caches.n == 2 && !ro.caches.v[0].cli, "cache: a profile's, not the command line's");
	load("cache npm\n", 0);
	is_diag(msg(T_PROFILE, 1, "cache: 'npm' is not NAME:PATH"), "cache NAME alone: an error");

	mark("chdir");
	load("chdir /srv\n", 0);
	clean("chdir");
	is_str(ro.chdir, "/srv", "chdir DIR");
}

static void test_identity_directives(void)
{
	mark("userns");
	load("userns root\n", 0);
	clean("userns");
	is_int(ro.userns, USERNS_ROOT, "userns root");
	load("userns single\n", 0);
	is_int(ro.userns, USERNS_SINGLE, "userns single");
	ok(!ro.userns_cli, "userns: a profile's is not the command line's");

	mark("user");
	load("user builder:users\n", 0);
	clean("user");
	is_str(ro.user, "builder:users", "user builder:users: kept as written");
	load("user 1000:\n", 0);
	is_int(load_errors, 1, "user 1000: (an empty GROUP) is an error");

	mark("hostname");
	load("hostname box-1\n", 0);
	clean("hostname");
	is_str(ro.hostname, "box-1", "hostname NAME");

	mark("ipc");
	load("ipc host\n", 0);
	clean("ipc host");
	ok(ro.ipc == IPC_MODE_HOST && !ro.ipc_cli, "ipc host: the host's, as a profile's");
	is_str(ro.ipc_where, msg2(tmpdir, "/p/t.profile:1"), "ipc host: where it was said");
	load("ipc host\nipc private\n", 0);
	ok(ro.ipc == IPC_MODE_PRIVATE, "ipc private after ipc host: its own");
	load("ipc shared\n", 0);
	is_int(load_r, -1, "ipc shared: an error");

	mark("single-instance");
	load("single-instance /home/tester/.config/chromium/SingletonLock\n", 0);
	clean("single-instance");
	is_str(ro.single_instance, "/home/tester/.config/chromium/SingletonLock",
	       "single-instance LOCK");

	mark("timeout");
	load("timeout 01:30:00\n", 0);
	clean("timeout 01:30:00");
	is_int((int)ro.timeout, 5400, "timeout hh:mm:ss (firejail's)");
	load("timeout 5m\n", 0);
	clean("timeout 5m");
	is_int((int)ro.timeout, 300, "timeout 5m");

	mark("name");
	load("name sbx\n", 0);
	clean("name");
	is_str(ro.name, "sbx", "name NAME: the sandbox's name");
	is_str(ro.hostname, NULL, "name NAME: not the host name");
	load("name -x\n", QUIET);
	is_int(load_errors, 1, "name -x: not a sandbox name");
	load("name 123\n", QUIET);
	is_int(load_errors, 1, "name 123: not a sandbox name (digits alone)");

	mark("join-or-start");
	load("join-or-start web\n", 0);
	clean("join-or-start");
	is_str(ro.name, "web", "join-or-start NAME: firejail's, the name too");
	ok(ro.join_or_start, "join-or-start NAME: join if it runs");

	mark("env");
	mark("unsetenv");
	load("env A=1\nunsetenv B\nenv C=x=y\n", 0);
	clean("env/unsetenv");
	is_str(strv_str(&ro.env_edits), "A=1|B|C=x=y", "env KEY=VALUE, unsetenv KEY, in order");

	mark("clearenv");
	mark("env-keep");
	mark("env-file");
	mark("keep-groups");
	load("clearenv\nenv-keep HOME,TERM\nenv-file /etc/app.env\nkeep-groups\n", 0);
	clean("clearenv/env-keep/env-file/keep-groups");
	ok(ro.clearenv && ro.keep_groups, "clearenv, keep-groups");
	is_str(strv_str(&ro.env_keep), "HOME|TERM", "env-keep NAME,...");
	is_str(req_list_str(&ro.env_files), "/etc/app.env", "env-file FILE");
	ok(ro.env_files.n == 1 && !ro.env_files.v[0].cli, "env-file: tagged as the profile's");
	load("env-keep A=1\n", 0);
	is_int(load_r, -1, "env-keep KEY=VALUE: an error");

	mark("pids-limit");
	load("pids-limit 64\n", 0);
	clean("pids-limit");
	is_int(rlimit_of(RLIMIT_NPROC), 64, "pids-limit N is RLIMIT_NPROC");

	mark("quiet");
	load("quiet\n", 0);
	clean("quiet");
	ok(ro.quiet, "quiet: run_options.quiet");
}

static void test_net_directives(void)
{
	mark("net");
	load("net slirp\n", 0);
	clean("net");
	ok(ro.net.mode_set && ro.net.mode == NET_SLIRP, "net slirp");
	load("net pasta\n", 0);
	ok(ro.net.mode_set && ro.net.mode == NET_PASTA, "net pasta");
	load("net host\n", 0);
	ok(ro.net.mode_set && ro.net.mode == NET_HOST, "net host");
	load("net none\n", 0);
	ok(ro.net.mode_set && ro.net.mode == NET_NONE, "net none");

	mark("publish");
	load("publish 8080:80\npublish 127.0.0.2:5353:53/udp\n", 0);
	clean("publish");
	is_int(ro.net.npublish, 2, "publish: two forwards");
	if (ro.net.npublish == 2) {
		is_int(ro.net.publish[0].host_port, 8080, "publish 8080:80: host port");
		is_int(ro.net.publish[0].guest_port, 80, "publish 8080:80: port inside");
		is_str(ro.net.publish[1].host_addr, "127.0.0.2", "publish IP:..: host address");
		ok(ro.net.publish[1].udp, "publish .../udp: udp");
	}

	mark("net-host-loopback");
	load("net-host-loopback\n", 0);
	clean("net-host-loopback");
	ok(ro.net.host_loopback, "net-host-loopback");

	mark("dns");
	load("dns 9.9.9.9\n", 0);
	clean("dns");
	is_str(ro.fs.dns, "9.9.9.9", "dns IP");
}

static void test_security_directives(void)
{
	mark("seccomp");
	load("seccomp.drop chroot\nseccomp\n", 0);
	clean("seccomp (no argument)");
	is_str(seccomp_mode(), "default (profile)", "seccomp (no argument): seccomp default");

	/*
	 * nook's own values, "seccomp off" = --seccomp=off (profile.h: "X ARG" means --X=ARG).
	 * The parser records it with its origin; the policy refuses it from a profile (unit-build).
	 */
	load("seccomp off\n", 0);
	clean("seccomp off");
	is_str(seccomp_mode(), "off (profile)", "seccomp off: recorded as a profile's");
	{
		autofree char *where = xasprintf("%s/%s:1", tmpdir, T_PROFILE);

		is_str(ro.sec.seccomp.origin, where, "seccomp off: its origin is the file:line");
	}
	load("seccomp.drop chroot\nseccomp off\nseccomp default\n", 0);
	ok(load_r == 0, "seccomp default: loads");
	is_str(seccomp_mode(), "default (profile)", "seccomp default: the last one counts");

	mark("seccomp-drop");
	load("seccomp-drop chroot,swapon\n", 0);
	clean("seccomp-drop");
	is_str(strv_str(&ro.sec.seccomp_drop), "chroot|swapon", "seccomp-drop LIST");
	is_str(seccomp_mode(), "(not given)", "seccomp-drop: the default filter stays");

	mark("seccomp-allow");
	load("seccomp-allow mount\n", 0);
	clean("seccomp-allow");
	is_str(strv_str(&ro.sec.seccomp_allow), "mount", "seccomp-allow LIST");

	mark("seccomp-error-action");
	load("seccomp-error-action kill\n", 0);
	clean("seccomp-error-action");
	is_int(ro.sec.action, SECCOMP_ACTION_KILL, "seccomp-error-action kill");
	load("seccomp.error-action log\n", 0);
	clean("seccomp.error-action (firejail's spelling)");
	is_int(ro.sec.action, SECCOMP_ACTION_LOG, "seccomp.error-action log");

	mark("allow-userns");
	load("allow-userns\n", 0);
	clean("allow-userns");
	ok(ro.sec.allow_userns, "allow-userns");

	mark("allow-secondary-arch");
	load("allow-secondary-arch\n", 0);
	clean("allow-secondary-arch");
	ok(ro.sec.allow_secondary_arch, "allow-secondary-arch");

	mark("protocol");
	load("protocol unix,inet6\n", 0);
	clean("protocol");
	is_int(ro.sec.protocols, (UINT64_C(1) << AF_UNIX) | (UINT64_C(1) << AF_INET6),
	       "protocol unix,inet6: the mask");

	mark("memory-deny-write-execute");
	load("memory-deny-write-execute\n", 0);
	clean("memory-deny-write-execute");
	ok(ro.sec.mdwe, "memory-deny-write-execute");

	mark("caps-keep");
	load("caps-keep chown,net_raw\n", 0);
	clean("caps-keep");
	is_int(ro.sec.ncaps, 1, "caps-keep: one edit");
	ok(ro.sec.ncaps == 1 && ro.sec.caps[0].keep && !ro.sec.caps[0].cli &&
		   strstr(ro.sec.caps[0].origin, ".profile:1"),
	   "caps-keep: a keep, from FILE:1");
	is_int(caps_from(UINT64_C(1) << CAP_KILL),
	       (UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_NET_RAW),
	       "caps-keep chown,net_raw: exactly these");

	mark("caps-drop");
	load("caps-drop net_raw\n", 0);
	clean("caps-drop");
	is_int(caps_from((UINT64_C(1) << CAP_NET_RAW) | (UINT64_C(1) << CAP_KILL)),
	       UINT64_C(1) << CAP_KILL, "caps-drop net_raw");

	mark("rlimit-nofile");
	mark("rlimit-nproc");
	mark("rlimit-as");
	mark("rlimit-fsize");
	mark("rlimit-cpu");
	load("rlimit-nofile 100\nrlimit-nproc 50\nrlimit-as 2M\nrlimit-fsize 1K\nrlimit-cpu 7\n",
	     0);
	clean("rlimit-*");
	is_int(rlimit_of(RLIMIT_NOFILE), 100, "rlimit-nofile 100");
	is_int(rlimit_of(RLIMIT_NPROC), 50, "rlimit-nproc 50");
	is_int(rlimit_of(RLIMIT_AS), 2 << 20, "rlimit-as 2M");
	is_int(rlimit_of(RLIMIT_FSIZE), 1024, "rlimit-fsize 1K");
	is_int(rlimit_of(RLIMIT_CPU), 7, "rlimit-cpu 7");
}

static void test_fs_directives(void)
{
	static const struct {
		const char *name;
		size_t off;
	} lists[] = {
		{"blacklist", offsetof(struct fs_request, blacklist)},
		{"noblacklist", offsetof(struct fs_request, noblacklist)},
		{"whitelist", offsetof(struct fs_request, whitelist)},
		{"whitelist-ro", offsetof(struct fs_request, whitelist_ro)},
		{"nowhitelist", offsetof(struct fs_request, nowhitelist)},
		{"read-only", offsetof(struct fs_request, read_only)},
		{"read-write", offsetof(struct fs_request, read_write)},
		{"noexec", offsetof(struct fs_request, noexec)},
		{"mkdir", offsetof(struct fs_request, mkdir)},
		{"mkfile", offsetof(struct fs_request, mkfile)},
	};
	autofree char *want = xasprintf("/srv/x|%s/.ssh", home);

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		autofree char *text = xasprintf("%s /srv/x\n%s ~/.ssh\n", lists[i].name,
						lists[i].name);
		const struct req_list *v;

		mark(lists[i].name);
		load(text, 0);
		v = (const struct req_list *)((const char *)&ro.fs + lists[i].off);
		clean(lists[i].name);
		is_str(req_list_str(v), want, "%s PATH and %s ~/PATH: the list", lists[i].name,
		       lists[i].name);
	}
	load("blacklist relative/x\n", 0);
	is_int(load_r, -1, "blacklist of a relative path: an error");
	is_diag(msg(T_PROFILE, 1, "blacklist: 'relative/x' is not an absolute path"),
		"blacklist of a relative path: the message");

	mark("private");
	load("private\n", 0);
	clean("private");
	ok(ro.fs.private_home && !ro.fs.private_dir, "private: an empty home");
	load("private /srv/h\n", 0);
	clean("private DIR");
	ok(ro.fs.private_home, "private DIR: private");
	is_str(ro.fs.private_dir, "/srv/h", "private DIR: the directory");

	mark("private-cache");
	load("private-cache\n", 0);
	clean("private-cache");
	ok(ro.fs.private_cache, "private-cache");

	mark("private-etc");
	load("private-etc passwd,group,ssl\n", 0);
	clean("private-etc");
	ok(ro.fs.private_etc_set, "private-etc: set");
	is_str(strv_str(&ro.fs.private_etc), "passwd|group|ssl", "private-etc NAMES");
	load("private-etc ../shadow\n", 0);
	is_diag(msg(T_PROFILE, 1, "private-etc: '../shadow' is not a name under /etc"),
		"private-etc ../x: refused");

	mark("x11");
	load("x11\n", 0);
	clean("x11");
	is_int(ro.fs.x11, 1, "x11: show X");
	load("x11 none\n", 0);
	clean("x11 none");
	is_int(ro.fs.x11, -1, "x11 none: hide X");

	mark("nosound");
	mark("nodbus");
	mark("machine-id");
	load("nosound\nnodbus\nmachine-id\n", 0);
	clean("nosound, nodbus, machine-id");
	ok(ro.fs.nosound, "nosound");
	ok(ro.fs.nodbus, "nodbus");
	ok(ro.fs.machine_id, "machine-id");

	mark("dbus-user");
	mark("dbus-system");
	load("dbus-user none\ndbus-system filter\ndbus-user allow\n", 0);
	clean("dbus-user none, dbus-system filter, dbus-user allow");
	is_str(req_list_str(&ro.dbus_user.mode), "none|allow", "dbus-user: each value, in order");
	is_str(req_list_str(&ro.dbus_system.mode), "filter", "dbus-system filter");
	ok(ro.dbus_user.mode.n == 2 && !ro.dbus_user.mode.v[0].cli &&
		   strstr(ro.dbus_user.mode.v[0].origin, "t.profile:1"),
	   "dbus-user: the profile's line");

	/* firejail's rules, in its spelling: dbus-user.own NAME, ... */
	{
		static const char *const kinds[] = {"own", "talk", "see", "call", "broadcast"};

		for (size_t i = 0; i < 5; i++) {
			autofree char *u = xasprintf("dbus-user.%s", kinds[i]);
			autofree char *y = xasprintf("dbus-system.%s", kinds[i]);

			mark(u);
			mark(y);
		}
	}
	load("dbus-user.own org.mozilla.firefox.*\n"
	     "dbus-user.talk org.freedesktop.Notifications\n"
	     "dbus-user.see org.example.Seen\n"
	     "dbus-user.call org.freedesktop.portal.*=*\n"
	     "dbus-user.broadcast org.freedesktop.portal.*=@/org/freedesktop/portal/*\n"
	     "dbus-system.own org.example.Sys\n"
	     "dbus-system.talk org.freedesktop.login1\n"
	     "dbus-system.see org.freedesktop.NetworkManager\n"
	     "dbus-system.call org.freedesktop.login1=org.freedesktop.login1.Manager.Inhibit@/org/freedesktop/login1\n"
	     "dbus-system.broadcast org.freedesktop.UPower=org.freedesktop.DBus.Properties.*\n",
	     0);
	clean("dbus-user.* and dbus-system.* rules");
	is_str(req_list_str(&ro.dbus_user.own), "org.mozilla.firefox.*", "dbus-user.own");
	is_str(req_list_str(&ro.dbus_user.talk), "org.freedesktop.Notifications", "dbus-user.talk");
	is_str(req_list_str(&ro.dbus_user.see), "org.example.Seen", "dbus-user.see");
	is_str(req_list_str(&ro.dbus_user.call), "org.freedesktop.portal.*=*", "dbus-user.call");
	is_str(req_list_str(&ro.dbus_user.broadcast),
	       "org.freedesktop.portal.*=@/org/freedesktop/portal/*", "dbus-user.broadcast");
	is_str(req_list_str(&ro.dbus_system.own), "org.example.Sys", "dbus-system.own");
	is_str(req_list_str(&ro.dbus_system.talk), "org.freedesktop.login1", "dbus-system.talk");
	is_str(req_list_str(&ro.dbus_system.see), "org.freedesktop.NetworkManager",
	       "dbus-system.see");
	is_str(req_list_str(&ro.dbus_system.call),
	       "org.freedesktop.login1=org.freedesktop.login1.Manager.Inhibit@/org/freedesktop/login1",
	       "dbus-system.call");
	is_str(req_list_str(&ro.dbus_system.broadcast),
	       "org.freedesktop.UPower=org.freedesktop.DBus.Properties.*", "dbus-system.broadcast");

	load("dbus-user.talk org\n", 0);
	is_int(load_r, -1, "dbus-user.talk with a one-element name: an error");
	is_diag(msg(T_PROFILE, 1,
		    "dbus-user.talk: 'org' is not a D-Bus name (like "
		    "org.example.App, or org.example.* for it and the names below it)"),
		"dbus-user.talk: the message names the value");
	load("dbus-system.call org.example.A\n", 0);
	is_diag(msg(T_PROFILE, 1, "dbus-system.call: 'org.example.A' is not NAME=RULE"),
		"dbus-system.call without a rule: an error");
	load("dbus-user.log\ndbus-system.log\n", 0);
	is_int(load_warnings, 2, "dbus-user.log, dbus-system.log: skipped with a warning each");

	/* What nook always does: accepted, nothing to set. */
	{
		static const char *const always[] = {"private-tmp", "private-dev", "wayland",
						     "no3d",        "novideo",     "nou2f",
						     "nonewprivs"};

		for (size_t i = 0; i < sizeof always / sizeof always[0]; i++) {
			autofree char *text = xasprintf("%s\n", always[i]);

			mark(always[i]);
			load(text, 0);
			clean(always[i]);
			ok(ro.nmounts == 0 && ro.fs.blacklist.n == 0 && !ro.fs.private_home,
			   "%s: accepted, nothing changes", always[i]);
		}
	}
}

/* Every directive of the option table (not CLI-only) was tested above. */
static void test_coverage(void)
{
	for (size_t i = 0; i < run_option_count; i++) {
		const struct option_def *d = &run_option_defs[i];
		bool found = false;

		if (d->flags & OPT_CLI_ONLY) {
			autofree char *text = xasprintf("%s%s\n", d->name, d->arg ? " x" : "");

			load(text, LINT);
			ok(load_r == -1, "%s (command line only) is not a profile directive",
			   d->name);
			continue;
		}
		for (size_t j = 0; j < tested.n && !found; j++)
			found = strcmp(tested.v[j], d->name) == 0;
		ok(found, "directive %s has a test in this file", d->name);
	}
}

/* ---- the line syntax ---- */

static void test_syntax(void)
{
	load("# a comment\n\n   \t\n   # indented comment\n\t  hostname   spaced \t \r\nenv  A=1\n",
	     0);
	clean("comments, blank lines, spaces and a CR");
	is_str(ro.hostname, "spaced", "leading/trailing spaces and tabs are not part of the value");
	is_str(strv_str(&ro.env_edits), "A=1", "several spaces between directive and argument");

	load("hostname\ttabbed\n", 0);
	is_str(ro.hostname, "tabbed", "a tab between directive and argument");

	load("hostname a\nhostname last-wins", 0);
	clean("no newline at the end");
	is_str(ro.hostname, "last-wins", "the last line without a newline is read; later wins");

	load("\n\nhostname\n", 0);
	is_int(load_r, -1, "a directive without its argument: an error");
	is_int(load_errors, 1, "a directive without its argument: one error");
	is_diag(msg(T_PROFILE, 3, "hostname needs an argument (NAME)"),
		"a directive without its argument: the message and line");

	/* net, x11, dbus-user and dbus-system have firejail forms of their own: still an error */
	load("\nnet\n", 0);
	is_diag(msg(T_PROFILE, 2, "net needs an argument (MODE)"),
		"net without its argument: an error");
	load("dbus-user\n", 0);
	is_diag(msg(T_PROFILE, 1, "dbus-user needs an argument (none|filter|allow)"),
		"dbus-user without its argument: an error");
	load("dbus-user bogus\n", 0);
	is_diag(msg(T_PROFILE, 1,
		    "dbus-user: unknown value 'bogus' (expected none, filter or allow)"),
		"dbus-user with a value it does not take: an error (none of firejail's)");

	load("nosound yes\n", 0);
	is_int(load_r, -1, "a flag with an argument: an error");
	is_diag(msg(T_PROFILE, 1, "nosound takes no argument"),
		"a flag with an argument: the message");
	ok(!ro.fs.nosound, "a flag with an argument is not applied");

	load("# x\nhostname -bad-\n", 0);
	is_int(load_r, -1, "a bad argument: an error");
	is_diag(msg(T_PROFILE, 2, "hostname: '-bad-' is not a valid host name (RFC 1123)"),
		"a bad argument: the option's own message with file:line");

	load("frobnicate 1\nhostname ok\n", 0);
	is_int(load_r, 0, "an unknown directive: not an error");
	is_int(load_warnings, 1, "an unknown directive: one warning");
	is_diag(msg(T_PROFILE, 1, "warning: unknown directive 'frobnicate'; skipped"),
		"an unknown directive: the warning");
	is_str(ro.hostname, "ok", "an unknown directive: the rest is read");

	load("frobnicate 1\n", LINT);
	is_int(load_r, -1, "an unknown directive in lint mode: an error");
	is_diag(msg(T_PROFILE, 1, "unknown directive 'frobnicate'"),
		"an unknown directive in lint mode: the message");

	load("frobnicate\n", STRICT);
	is_int(load_r, -1, "an unknown directive with --strict-profile: an error");

	load("--hostname x\n", 0);
	is_int(load_warnings + load_errors, 1, "a command line option is no directive");
	ok(ro.hostname == NULL, "--hostname x in a profile sets nothing");
}

/* ---- firejail's spellings ---- */

static void test_firejail_spellings(void)
{
	load("caps.drop all\n", 0);
	clean("caps.drop all");
	is_int(caps_from(UINT64_MAX), 0, "caps.drop all: every capability dropped");

	load("caps.drop chown,sys_admin\n", 0);
	is_int(caps_from(UINT64_MAX),
	       ~((UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_SYS_ADMIN)), "caps.drop LIST");

	load("caps.keep chown,net_bind_service\n", 0);
	clean("caps.keep");
	is_int(caps_from(0), (UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_NET_BIND_SERVICE),
	       "caps.keep LIST");

	load("rmenv SECRET\n", 0);
	clean("rmenv");
	is_str(strv_str(&ro.env_edits), "SECRET", "rmenv KEY = unsetenv KEY");

	load("seccomp.drop chroot\nseccomp\n", 0);
	is_str(seccomp_mode(), "default (profile)", "seccomp: the default filter");

	load("seccomp chroot,!mount\n", 0);
	clean("seccomp LIST");
	is_str(seccomp_mode(), "(not given)", "seccomp chroot,!mount: the default filter");
	is_str(strv_str(&ro.sec.seccomp_drop), "chroot", "seccomp chroot,!mount: chroot denied");
	is_str(strv_str(&ro.sec.seccomp_allow), "mount", "seccomp chroot,!mount: mount allowed");

	/*
	 * firejail's seccomp.drop is a pure deny list; nook's base filter stays whatever a profile
	 * says (firejail's own dnscrypt-proxy.profile would let namespaces and io_uring back in):
	 * seccomp.drop x is the default filter and x denied too, as seccomp-drop x.
	 */
	load("seccomp.drop swapon,chroot\n", 0);
	clean("seccomp.drop");
	is_str(seccomp_mode(), "(not given)", "seccomp.drop x: the default filter stays");
	is_str(strv_str(&ro.sec.seccomp_drop), "swapon|chroot", "seccomp.drop x: x denied too");
	load("seccomp.drop kcmp,!mount\n", 0);
	clean("seccomp.drop with !x");
	is_str(strv_str(&ro.sec.seccomp_allow), "mount",
	       "seccomp.drop !x: x allowed, as in seccomp");

	load("seccomp.drop nosuchcall\n", 0);
	is_int(load_r, -1, "seccomp.drop of an unknown call: an error");
	is_diag(msg(T_PROFILE, 1,
		    "seccomp-drop: unknown system call 'nosuchcall' (one "
		    "newer than libseccomp is given by its number)"),
		"seccomp.drop of an unknown call: the message");

	/* An empty list must not turn the filter off without a word. */
	load("seccomp.drop\n", 0);
	ok(load_r == -1 && !ro.sec.seccomp.value,
	   "seccomp.drop without an argument: an error, the filter stays");
	if (load_r == 0)
		diag("seen: r=0, seccomp=%s, diag=[%s]", seccomp_mode(), diag_text);

	load("bind /srv/a,/mnt/b\n", 0);
	clean("bind a,b");
	is_str(mounts_str(), "bind /srv/a /mnt/b rw,nosuid,nodev", "bind a,b = bind a:b");

	load("blacklist-nolog /srv/secret\n", 0);
	clean("blacklist-nolog");
	is_str(req_list_str(&ro.fs.blacklist), "/srv/secret", "blacklist-nolog = blacklist");

	/* firejail forms nook does not take: a warning naming the form, skipped. */
	load("net eth0\n", 0);
	is_int(load_r, 0, "net eth0: not an error");
	is_str(diag_text,
	       msg(T_PROFILE, 1,
		   "warning: net eth0: not supported by nook: only none, slirp, pasta "
		   "and host are supported (no bridges); skipped"),
	       "net eth0: the warning");
	ok(!ro.net.mode_set, "net eth0: skipped");

	load("x11 xephyr\n", 0);
	is_str(diag_text,
	       msg(T_PROFILE, 1,
		   "warning: x11 xephyr: not supported by nook: only x11 and x11 none "
		   "are supported (no nested servers); skipped"),
	       "x11 xephyr: the warning");
	is_int(ro.fs.x11, 0, "x11 xephyr: skipped");

	load("dbus-user filter\ndbus-system filter\n", 0);
	clean("dbus-user filter, dbus-system filter: firejail's values, taken");
	ok(ro.dbus_user.mode.n == 1 && ro.dbus_system.mode.n == 1, "dbus-* filter: applied");

	load("net eth0\n", STRICT);
	is_int(load_r, -1, "net eth0 with --strict-profile: an error");
}

/* ---- the unsupported table ---- */

static void test_unsupported(void)
{
	load("# firejail\napparmor\nprivate-bin bash,ls\nhostname kept\nnetfilter\n", 0);
	is_int(load_r, 0, "unsupported directives: not errors");
	is_int(load_warnings, 3, "unsupported directives: one warning each");
	is_str(diag_text,
	       msg2(msg2(msg(T_PROFILE, 2,
			     "warning: apparmor: not supported by nook: nook does not "
			     "load AppArmor profiles; skipped"),
			 msg(T_PROFILE, 3,
			     "warning: private-bin: not supported by nook: the host's "
			     "binaries are read-only; hide programs with blacklist; "
			     "skipped")),
		    msg(T_PROFILE, 5,
			"warning: netfilter: not supported by nook: nook's networks are "
			"--net=none, slirp4netns or pasta; there is no firewall; skipped")),
	       "unsupported directives: file:line, name and reason");
	is_str(ro.hostname, "kept", "unsupported directives: skipped, the rest read");

	load("apparmor\n", STRICT);
	is_int(load_r, -1, "an unsupported directive with --strict-profile: an error");
	is_int(load_errors, 1, "... one error");
	is_str(diag_text,
	       msg(T_PROFILE, 1,
		   "apparmor: not supported by nook: nook does not load AppArmor "
		   "profiles; skipped"),
	       "... the message (no 'warning: ')");

	load("apparmor\n", LINT);
	is_int(load_r, 0, "an unsupported directive in lint mode: a warning only");
	is_int(load_warnings, 1, "... one warning");

	load("noroot\nnogroups\nnotv\ncaps\nseccomp.block-secondary\nipc-namespace\n",
	     STRICT | LINT);
	is_int(load_errors, 1, "accepted-silently directives, strict+lint: only nogroups errs");

	load("noroot\nrestrict-namespaces\nnotv\nnodvd\nnotpm\nnosnd\ncaps\n"
	     "seccomp.block-secondary\nipc-namespace\ntab\n",
	     STRICT | LINT);
	clean("accepted-silently directives (noroot, caps, ...) even strict and lint");

	load("apparmor\napparmor\n", 0);
	is_int(load_warnings, 2, "the same unsupported directive twice: a warning for each line");
}

/* ---- ignore ---- */

static void test_ignore(void)
{
	load("ignore net\nnet none\nnet-host-loopback\nhostname h\n", 0);
	clean("ignore net");
	ok(!ro.net.mode_set, "ignore net: 'net none' skipped");
	ok(ro.net.host_loopback, "ignore net: 'net-host-loopback' is another directive, read");

	load("ignore net none\nnet none\n", 0);
	ok(!ro.net.mode_set, "ignore net none: 'net none' skipped");
	load("ignore net none\nnet slirp\n", 0);
	ok(ro.net.mode_set && ro.net.mode == NET_SLIRP, "ignore net none: 'net slirp' read");

	load("hostname first\nignore hostname\nhostname second\n", 0);
	is_str(ro.hostname, "first", "ignore: only lines after it");

	load("ignore apparmor\napparmor\nignore frob\nfrob\n", 0);
	clean("ignore of unsupported and unknown directives");

	load("ignore caps.drop\ncaps.drop all\n", 0);
	is_int(ro.sec.ncaps, 0, "ignore caps.drop: firejail's spelling is matched as written");

	load("ignore seccomp\nseccomp.drop chroot\n", 0);
	is_str(strv_str(&ro.sec.seccomp_drop), "chroot",
	       "ignore seccomp does not skip seccomp.drop");

	load("ignore nodbus\n?HAS_X11: nodbus\n", 0);
	ok(!ro.fs.nodbus, "ignore applies to a conditional line too (false condition)");
	env.has_x11 = true;
	load("ignore nodbus\n?HAS_X11: nodbus\n", 0);
	ok(!ro.fs.nodbus, "ignore applies to a conditional line too (true condition)");
	env_reset();

	load("ignore include\ninclude nope.inc\n", 0);
	clean("ignore include: the include is skipped");

	load("\nignore\n", 0);
	is_int(load_r, -1, "ignore without a directive: an error");
	is_diag(msg(T_PROFILE, 2, "ignore needs a directive"), "... the message");

	/* ignore in an included file holds in the includer, after the include */
	free(put("p/ign.inc", "ignore hostname\n"));
	load("include ign.inc\nhostname h\n", 0);
	clean("ignore from an include");
	is_str(ro.hostname, NULL, "ignore in an included file holds after the include");
}

/* ---- quiet ---- */

static void test_quiet(void)
{
	load("quiet\napparmor\nfrob\n", 0);
	is_int(load_r, 0, "quiet: warnings are not errors");
	is_int(load_warnings, 2, "quiet: the warnings are counted");
	is_diag("", "quiet: nothing printed after it");

	load("apparmor\nquiet\nfrob\n", 0);
	is_str(diag_text,
	       msg(T_PROFILE, 1,
		   "warning: apparmor: not supported by nook: nook does not load "
		   "AppArmor profiles; skipped"),
	       "quiet: a warning before it is printed");

	load("apparmor\n", QUIET);
	is_diag("", "--quiet (ro.quiet before loading): no warnings");

	load("quiet\nbind\n", 0);
	is_diag(msg(T_PROFILE, 2, "bind needs an argument (SRC[:DEST])"),
		"quiet: errors are still printed");

	load("quiet\napparmor\n", LINT);
	is_int(load_warnings, 1, "quiet in lint mode: the warning counted");
	ok(diag_text[0] != '\0', "quiet in lint mode: the warning is printed");
}

/* ---- conditions ---- */

static void test_conditions(void)
{
	static const struct {
		const char *name;
		size_t off;
	} conds[] = {
		{"HAS_X11", offsetof(struct profile_env, has_x11)},
		{"HAS_WAYLAND", offsetof(struct profile_env, has_wayland)},
		{"HAS_NET", offsetof(struct profile_env, has_net)},
		{"HAS_NODBUS", offsetof(struct profile_env, has_nodbus)},
		{"HAS_NOSOUND", offsetof(struct profile_env, has_nosound)},
		{"HAS_PRIVATE", offsetof(struct profile_env, has_private)},
	};

	for (size_t i = 0; i < sizeof conds / sizeof conds[0]; i++) {
		autofree char *text = xasprintf("?%s: hostname yes\n", conds[i].name);

		env_reset();
		load(text, LINT);
		clean(conds[i].name);
		is_str(ro.hostname, NULL, "?%s: false: the directive is skipped", conds[i].name);
		*(bool *)((char *)&env + conds[i].off) = true;
		load(text, LINT);
		clean(conds[i].name);
		is_str(ro.hostname, "yes", "?%s: true: the directive is read", conds[i].name);
	}
	env_reset();

	env.has_x11 = true;
	load("?HAS_X11:hostname nospace\n", 0);
	is_str(ro.hostname, "nospace", "?COND:directive without a space");
	load("?HAS_X11: include c.inc\n", 0);
	is_int(load_r, -1, "?COND: include of a missing file: read when true, an error");
	env_reset();

	static const char *const config[] = {"ALLOW_TRAY", "BROWSER_DISABLE_U2F",
					     "BROWSER_ALLOW_DRM", "HAS_APPIMAGE"};

	for (size_t i = 0; i < sizeof config / sizeof config[0]; i++) {
		autofree char *text = xasprintf("?%s: hostname yes\n", config[i]);

		load(text, LINT | STRICT);
		clean(config[i]);
		is_str(ro.hostname, NULL, "?%s (firejail's configuration): false", config[i]);
	}

	load("?HAS_NOPE: hostname yes\nhostname after\n", 0);
	is_int(load_r, 0, "an unknown condition: not an error");
	is_diag(msg(T_PROFILE, 1, "warning: unknown condition ?HAS_NOPE:"),
		"an unknown condition: the warning");
	is_str(ro.hostname, "after", "an unknown condition: false, the rest read");

	load("?HAS_NOPE: hostname yes\n", LINT);
	is_int(load_r, -1, "an unknown condition in lint mode: an error");
	is_diag(msg(T_PROFILE, 1, "unknown condition ?HAS_NOPE:"),
		"an unknown condition in lint mode: the message");

	load("?HAS_NOPE: hostname yes\n", STRICT);
	is_int(load_r, -1, "an unknown condition with --strict-profile: an error");

	load("?HAS_X11 hostname yes\n", 0);
	is_int(load_r, -1, "a condition without a colon: an error");
	is_diag(msg(T_PROFILE, 1, "'?HAS_X11 hostname yes': a condition is ?NAME: DIRECTIVE"),
		"a condition without a colon: the message");
}

static void test_env_conditions(void)
{
	struct request cli;
	struct profile_env e = {0};

	request_init(&cli);
	profile_env_conditions(&e, &cli);
	ok(!e.has_net && !e.has_nodbus && !e.has_nosound && !e.has_private,
	   "profile_env_conditions: nothing asked, all false");
	cli.net.mode_set = true;
	cli.net.mode = NET_SLIRP;
	cli.fs.nodbus = cli.fs.nosound = cli.fs.private_home = true;
	profile_env_conditions(&e, &cli);
	ok(e.has_net && e.has_nodbus && e.has_nosound && e.has_private,
	   "profile_env_conditions: --net=slirp --nodbus --nosound --private: all true");
	cli.net.mode = NET_NONE;
	profile_env_conditions(&e, &cli);
	ok(!e.has_net, "profile_env_conditions: --net=none: HAS_NET false");
	request_free(&cli);
}

/* host_facts_read: the one reader of the environment the profiles depend on. */
static void test_env_init(void)
{
	struct host_facts h;
	struct profile_env e;
	autofree char *saved_home = getenv("HOME") ? xstrdup(getenv("HOME")) : NULL;
	autofree char *saved_path = getenv("PATH") ? xstrdup(getenv("PATH")) : NULL;

	setenv("HOME", "/h", 1);
	setenv("XDG_CONFIG_HOME", "/c", 1);
	setenv("NOOK_PROFILE_DIR", "/s", 1);
	setenv("DISPLAY", ":0", 1);
	unsetenv("WAYLAND_DISPLAY");
	setenv("PATH", "/p1:/p2", 1);
	host_facts_read(&h);
	profile_env_init(&e, &h);
	is_str(h.home, "/h", "host_facts_read: home");
	is_str(h.profile_user_dir, "/c/nook/profiles",
	       "host_facts_read: user dir under $XDG_CONFIG_HOME");
	is_str(h.config_dir, "/c/nook",
	       "host_facts_read: nook's configuration under $XDG_CONFIG_HOME");
	is_str(h.config_home, "/c", "host_facts_read: ${CFG} is $XDG_CONFIG_HOME");
	is_str(h.profile_system_dir, "/s", "host_facts_read: $NOOK_PROFILE_DIR");
	is_str(h.path, "/p1:/p2", "host_facts_read: $PATH");
	is_int(h.uid, getuid(), "host_facts_read: uid");
	ok(e.has_x11 && !e.has_wayland, "profile_env_init: HAS_X11 from $DISPLAY");
	host_facts_free(&h);

	setenv("XDG_CONFIG_HOME", "rel", 1);
	setenv("NOOK_PROFILE_DIR", "rel", 1);
	unsetenv("DISPLAY");
	unsetenv("PATH");
	setenv("WAYLAND_DISPLAY", "wayland-0", 1);
	host_facts_read(&h);
	profile_env_init(&e, &h);
	is_str(h.profile_user_dir, "/h/.config/nook/profiles",
	       "host_facts_read: relative XDG_CONFIG_HOME ignored");
	is_str(h.config_home, "/h/.config",
	       "host_facts_read: ${CFG}: relative XDG_CONFIG_HOME ignored");
	is_str(h.profile_system_dir, NOOK_SYSCONFDIR "/nook/profiles",
	       "host_facts_read: relative NOOK_PROFILE_DIR ignored");
	is_str(h.path, "/usr/local/bin:/usr/bin:/bin", "host_facts_read: without $PATH, a default");
	ok(!e.has_x11 && e.has_wayland, "profile_env_init: HAS_WAYLAND from $WAYLAND_DISPLAY");
	host_facts_free(&h);

	setenv("XDG_CONFIG_HOME", "/c//", 1);
	host_facts_read(&h);
	is_str(h.config_home, "/c",
	       "host_facts_read: ${CFG} without $XDG_CONFIG_HOME's trailing slashes");
	is_str(h.config_dir, "/c/nook", "host_facts_read: nook's too");
	host_facts_free(&h);
	setenv("XDG_CONFIG_HOME", "", 1);
	host_facts_read(&h);
	is_str(h.config_home, "/h/.config", "host_facts_read: an empty XDG_CONFIG_HOME is unset");
	host_facts_free(&h);

	/* A relative or missing HOME is no home: the passwd entry's is (one rule everywhere). */
	setenv("HOME", "relative", 1);
	host_facts_read(&h);
	ok(h.home == NULL || h.home[0] == '/', "host_facts_read: a relative HOME is not used");
	ok(h.home == NULL || strcmp(h.home, "relative") != 0,
	   "host_facts_read: relative HOME ignored");
	host_facts_free(&h);
	unsetenv("HOME");
	{
		struct host_facts h2;

		host_facts_read(&h);
		setenv("HOME", "", 1);
		host_facts_read(&h2);
		is_str(h.home, h2.home, "host_facts_read: unset and empty HOME give the same home");
		is_str(h.config_dir, h2.config_dir,
		       "host_facts_read: and the same configuration dir");
		host_facts_free(&h2);
		host_facts_free(&h);
	}

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("NOOK_PROFILE_DIR");
	unsetenv("WAYLAND_DISPLAY");
	if (saved_home)
		setenv("HOME", saved_home, 1);
	else
		unsetenv("HOME");
	if (saved_path)
		setenv("PATH", saved_path, 1);
}

/* ---- macros ---- */

static void test_macros(void)
{
	autofree char *want = NULL;

	load("blacklist ${HOME}/.ssh\nwhitelist ${CFG}/app\nblacklist ${RUNUSER}/bus\n", 0);
	clean("${HOME} ${CFG} ${RUNUSER}");
	want = xasprintf("%s/.ssh|/run/user/4242/bus", home);
	is_str(req_list_str(&ro.fs.blacklist), want, "${HOME}, ${RUNUSER} (the env's uid)");
	free(want), want = NULL;
	want = xasprintf("%s/.config/app", home);
	is_str(req_list_str(&ro.fs.whitelist), want, "${CFG} is ~/.config");
	free(want), want = NULL;

	/* $XDG_CONFIG_HOME, as host_facts_read() found it: ${CFG} and user-dirs.dirs there. */
	free(put("xdgcfg/user-dirs.dirs", "XDG_DOWNLOAD_DIR=\"$HOME/Dl-from-xdg\"\n"));
	hfacts.config_home = P("xdgcfg");
	load("whitelist ${CFG}/app\nwhitelist ${DOWNLOADS}\n", 0);
	clean("${CFG} ${DOWNLOADS}");
	want = xasprintf("%s/app|%s/Dl-from-xdg", hfacts.config_home, home);
	is_str(req_list_str(&ro.fs.whitelist), want,
	       "${CFG} is $XDG_CONFIG_HOME, and ${DOWNLOADS} is read from its user-dirs.dirs");
	free(want), want = NULL;
	rm("xdgcfg/user-dirs.dirs");
	rmdir(hfacts.config_home);
	free(hfacts.config_home);
	hfacts.config_home = NULL;

	load("blacklist ~/.gnupg\nblacklist ~\nwhitelist ~/a/b\n", 0);
	clean("~/");
	want = xasprintf("%s/.gnupg|%s", home, home);
	is_str(req_list_str(&ro.fs.blacklist), want, "~/ and ~ are the home");
	free(want), want = NULL;

	load("blacklist ~other/x\n", 0);
	is_int(load_r, -1, "~user/: not a home nook knows, an error");

	hfacts.path = "/usr/local/bin:relative::/bin";
	load("blacklist ${PATH}/nc\n", 0);
	clean("${PATH}");
	is_str(req_list_str(&ro.fs.blacklist), "/usr/local/bin/nc|/bin/nc",
	       "${PATH}: one value per absolute directory of $PATH");
	env_reset();

	load("blacklist ${HOME}/${HOME}\n", 0);
	want = xasprintf("%s/%s", home, home);
	is_str(req_list_str(&ro.fs.blacklist), want, "two macros in one argument");
	free(want), want = NULL;

	/* XDG user directories: from ~/.config/user-dirs.dirs, or the English fallback. */
	rm("home/.config/user-dirs.dirs");
	{
		static const char *const names[] = {"DESKTOP", "DOCUMENTS", "DOWNLOADS",
						    "MUSIC",   "PICTURES",  "VIDEOS"};
		static const char *const fallback[] = {"Desktop", "Documents", "Downloads",
						       "Music",   "Pictures",  "Videos"};
		static const char *const mine[] = {"Bureau", "/srv/docs", "Téléchargements",
						   "Musik",  "Bilder",    "Filme"};

		for (size_t i = 0; i < 6; i++) {
			autofree char *text = xasprintf("whitelist ${%s}\n", names[i]);
			autofree char *w = xasprintf("%s/%s", home, fallback[i]);

			load(text, 0);
			clean(names[i]);
			is_str(req_list_str(&ro.fs.whitelist), w,
			       "${%s} without user-dirs.dirs: ~/%s", names[i], fallback[i]);
		}
		free(put("home/.config/user-dirs.dirs",
			 "# written by xdg-user-dirs-update\n"
			 "XDG_DESKTOP_DIR=\"$HOME/Bureau\"\n"
			 "XDG_DOCUMENTS_DIR=\"/srv/docs\"\n"
			 "XDG_DOWNLOAD_DIR=\"$HOME/Téléchargements\"\n"
			 "XDG_MUSIC_DIR=\"$HOME/Musik\"\n"
			 "XDG_PICTURES_DIR=\"$HOME/Bilder\"\n"
			 "XDG_VIDEOS_DIR=\"$HOME/Filme\"\n"));
		for (size_t i = 0; i < 6; i++) {
			autofree char *text = xasprintf("whitelist ${%s}/x\n", names[i]);
			autofree char *w = mine[i][0] == '/' ? xasprintf("%s/x", mine[i])
							     : xasprintf("%s/%s/x", home, mine[i]);

			load(text, 0);
			clean(names[i]);
			is_str(req_list_str(&ro.fs.whitelist), w, "${%s} from user-dirs.dirs",
			       names[i]);
		}
		free(put("home/.config/user-dirs.dirs", "XDG_MUSIC_DIR=\"$HOME/Musik\"\n"));
		load("whitelist ${DOWNLOADS}\n", 0);
		want = xasprintf("%s/Downloads", home);
		is_str(req_list_str(&ro.fs.whitelist), want,
		       "${DOWNLOADS} missing from user-dirs.dirs: the fallback");
		free(want), want = NULL;
		rm("home/.config/user-dirs.dirs");
	}

	/* ${CWD}: the directory nook was started in, from the facts; taken as it is. */
	hfacts.cwd = "/srv/ci/build 1";
	load("read-write ${CWD}\nblacklist ${CWD}/.env\nnoexec ~/x\n", 0);
	clean("${CWD}");
	is_str(req_list_str(&ro.fs.read_write), "/srv/ci/build 1", "${CWD} is the facts' cwd");
	is_str(req_list_str(&ro.fs.blacklist), "/srv/ci/build 1/.env", "${CWD}/NAME");
	hfacts.cwd = "/srv/${HOME}";
	load("read-write ${CWD}\n", 0);
	is_str(req_list_str(&ro.fs.read_write), "/srv/${HOME}",
	       "a cwd holding ${HOME} is not expanded again");
	hfacts.cwd = NULL;
	load("hostname ok\nread-write ${CWD}\n", 0);
	is_int(load_r, -1, "${CWD} when the directory is unknown: an error");
	is_diag(msg(T_PROFILE, 2,
		    "read-write: ${CWD}: the directory nook was started in is "
		    "unknown (removed, or not reachable from the root)"),
		"${CWD} unknown: the message says why");
	is_int(ro.fs.read_write.n, 0, "${CWD} unknown: nothing added");
	env_reset();

	load("# one\nhostname ok\nblacklist ${NOPE}/x\n", 0);
	is_int(load_r, -1, "an unknown macro: an error");
	is_diag(msg(T_PROFILE, 3, "blacklist: unknown macro ${NOPE}"),
		"an unknown macro: the message and line");
	is_int(ro.fs.blacklist.n, 0, "an unknown macro: nothing added");

	load("blacklist ${HOME/x\n", 0);
	is_int(load_r, -1, "an unterminated macro: an error");
	is_diag(msg(T_PROFILE, 1, "blacklist: unterminated macro in '${HOME/x'"),
		"an unterminated macro: the message");

	load("\ninclude ${NOPE}.inc\n", 0);
	is_diag(msg(T_PROFILE, 2, "include: unknown macro ${NOPE}"),
		"an unknown macro in an include: the message");
}

/* Each macro once, and a bound on what one line yields. */
static void test_macro_bounds(void)
{
	autofree char *want = NULL;
	struct timespec t0, t1;
	double secs;

	/* A user-dirs.dirs whose value names the macro itself: expanded once, kept literally. */
	free(put("home/.config/user-dirs.dirs",
		 "XDG_DOWNLOAD_DIR=\"$HOME/${DOWNLOADS}\"\n"
		 "XDG_MUSIC_DIR=\"$HOME/${MUSIC}${MUSIC}${HOME}\"\n"));
	load("whitelist ${DOWNLOADS}/a\nwhitelist ${MUSIC}\n", 0);
	clean("a user-dirs.dirs value that names its own macro");
	want = xasprintf("%s/${DOWNLOADS}/a|%s/${MUSIC}${MUSIC}${HOME}", home, home);
	is_str(req_list_str(&ro.fs.whitelist), want,
	       "a value holding ${...} is not expanded again (no recursion)");
	free(want), want = NULL;
	rm("home/.config/user-dirs.dirs");

	/* The same for ~: a home that holds "${" stays as it is. */
	hfacts.home = "/srv/${HOME}";
	load("blacklist ~/x\nblacklist ${HOME}/y\n", 0);
	is_str(req_list_str(&ro.fs.blacklist), "/srv/${HOME}/x|/srv/${HOME}/y",
	       "a home holding ${HOME} is not expanded again");
	env_reset();

	/* Eight ${PATH} of ten directories would be 10^8 values: an error, at once. */
	hfacts.path = "/a:/b:/c:/d:/e:/f:/g:/h:/i:/j";
	clock_gettime(CLOCK_MONOTONIC, &t0);
	load("hostname ok\nblacklist ${PATH}/${PATH}/${PATH}/${PATH}/${PATH}/${PATH}/${PATH}/${PATH}\n",
	     0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	ok(secs < 1.0, "eight ${PATH} in one line: done in %.3f s (under 1 s)", secs);
	is_int(load_r, -1, "eight ${PATH} in one line: an error");
	is_diag(msg(T_PROFILE, 2,
		    "blacklist: '${PATH}/${PATH}/${PATH}/${PATH}/${PATH}/${PATH}/"
		    "${PATH}/${PATH}' expands to more than 256 values"),
		"eight ${PATH}: the message names the file and line");
	is_int(ro.fs.blacklist.n, 0, "eight ${PATH}: nothing added");
	load("blacklist ${PATH}/${PATH}\n", 0);
	clean("two ${PATH} (100 values)");
	is_int(ro.fs.blacklist.n, 100, "two ${PATH} of ten directories: 100 values");
	if (ro.fs.blacklist.n == 100)
		is_str(ro.fs.blacklist.v[99].value, "/j//j", "the last of them");
	env_reset();
}

/* A profile's text never reaches the terminal raw: control characters come out as \xNN. */
static void test_escaped_diagnostics(void)
{
	autofree char *odd = NULL, *want = NULL;

	load("\x1b[31mfrob\n", 0);
	is_diag(msg(T_PROFILE, 1, "warning: unknown directive '\\x1b[31mfrob'; skipped"),
		"ESC in a directive's name: escaped in the warning");

	load("hostname x\x1b]0;pwned\x07y\n", 0);
	is_diag(msg(T_PROFILE, 1,
		    "hostname: 'x\\x1b]0;pwned\\x07y' may hold only letters, "
		    "digits, '-' and '.'"),
		"ESC and BEL in an argument: escaped in the error");

	load("include \x1b[2J\x9b"
	     "1m.inc\n",
	     0);
	is_diag(msg(T_PROFILE, 1, "include \\x1b[2J\\x9b1m.inc: not found"),
		"ESC and a C1 byte in an include's name: escaped");

	load("blacklist ${\x1b[8m}\nseccomp-drop a\rb\n", 0);
	is_diag(msg2(msg(T_PROFILE, 1, "blacklist: unknown macro ${\\x1b[8m}"),
		     msg(T_PROFILE, 2,
			 "seccomp-drop: unknown system call 'a\\x0db' (one "
			 "newer than libseccomp is given by its number)")),
		"ESC in a macro's name, CR in a system call's: escaped");

	/* The file's own name too. */
	odd = put("p/t\x1b[1m.profile", "frob\n");
	load_file(odd, 0);
	want = xasprintf("nook: %s/p/t\\x1b[1m.profile:1: warning: unknown directive 'frob'; "
			 "skipped\n",
			 tmpdir);
	is_diag(want, "ESC in the profile's file name: escaped");
	unlink(odd);
}

/* ---- includes ---- */

static void test_includes(void)
{
	autofree char *main_p = NULL, *abs_p = NULL, *text = NULL, *u_inc = NULL;

	/* the same name beside the profile, in the user's dir and in the system's */
	free(put("p/near.inc", "hostname beside\n"));
	free(put("user/near.inc", "hostname user\n"));
	free(put("system/near.inc", "hostname system\n"));
	free(put("user/u.inc", "hostname user\n"));
	free(put("system/u.inc", "hostname system\n"));
	free(put("system/s.inc", "hostname system\n"));

	load("include near.inc\n", 0);
	clean("include beside");
	is_str(ro.hostname, "beside", "include: beside the including file first");
	load("include u.inc\n", 0);
	is_str(ro.hostname, "user", "include: then the user's directory");
	load("include s.inc\n", 0);
	is_str(ro.hostname, "system", "include: then the system's directory");

	abs_p = put("elsewhere/abs.inc", "hostname absolute\n");
	text = xasprintf("include %s\n", abs_p);
	load(text, 0);
	clean("include /absolute");
	is_str(ro.hostname, "absolute", "include of an absolute path");

	free(put("home/h.inc", "hostname fromhome\n"));
	load("include ${HOME}/h.inc\n", 0);
	clean("include ${HOME}/...");
	is_str(ro.hostname, "fromhome", "include with a macro");

	/* relative to the including file, not the top profile: user/chain.inc includes near.inc */
	u_inc = put("user/chain.inc", "include near.inc\n");
	load("include chain.inc\n", 0);
	is_str(ro.hostname, "user", "an include inside an include: beside the file that includes");
	is_int(loaded.n, 3, "loader.loaded: every file read");

	/* missing */
	load("hostname a\n\ninclude missing.inc\nhostname b\n", 0);
	is_int(load_r, -1, "a missing include: an error");
	is_diag(msg(T_PROFILE, 3, "include missing.inc: not found"),
		"a missing include: the message and the line");
	is_str(ro.hostname, "b", "a missing include: the rest is read");

	load("include\n", 0);
	is_int(load_r, -1, "include without a name: an error");

	/* NAME.local: optional */
	rm("p/t.local");
	load("include t.local\ninclude globals.local\nhostname x\n", LINT | STRICT);
	clean("a missing NAME.local and globals.local");
	free(put("p/t.local", "hostname fromlocal\n"));
	load("include t.local\n", 0);
	clean("an existing NAME.local");
	is_str(ro.hostname, "fromlocal", "an existing NAME.local is read");
	rm("p/t.local");
	load("include t.locale\n", 0);
	is_int(load_r, -1, "t.locale (not .local) missing: an error");

	/* errors inside an include name that file and its line; lines go on after it */
	free(put("p/bad.inc", "# bad\nhostname -x-\n"));
	load("include bad.inc\nhostname\nfrob\n", 0);
	is_str(diag_text,
	       msg2(msg2(msg("p/bad.inc", 2, "hostname: '-x-' is not a valid host name (RFC 1123)"),
			 msg(T_PROFILE, 2, "hostname needs an argument (NAME)")),
		    msg(T_PROFILE, 3, "warning: unknown directive 'frob'; skipped")),
	       "errors in an include: its file and line; the includer's lines after it");

	/* loops */
	main_p = put("p/self.profile", "hostname a\ninclude self.profile\n");
	load_file(main_p, 0);
	is_int(load_r, -1, "a file including itself: an error");
	is_int(load_errors, 1, "a file including itself: one error");
	free(put("p/loop-a.inc", "include loop-b.inc\n"));
	free(put("p/loop-b.inc", "\n\ninclude loop-a.inc\n"));
	load("include loop-a.inc\nhostname after\n", 0);
	is_int(load_r, -1, "an include loop (a -> b -> a): an error");
	is_int(load_errors, 1, "an include loop: one error");
	is_str(ro.hostname, "after", "an include loop: the rest is read");
	ok(strstr(diag_text, msg("p/loop-b.inc", 3,
				 "include loop-a.inc: a loop (it is being read already)")) != NULL,
	   "an include loop: reported at the include that closes it (loop-b.inc:3)");
	diag("include loop message seen: %s", diag_text);

	/* depth: a chain of 10 is fine, of 40 is an error */
	for (int n = 0; n < 40; n++) {
		autofree char *rel = xasprintf("p/deep%d.inc", n);
		autofree char *body = xasprintf("include deep%d.inc\n", n + 1);

		free(put(rel, body));
	}
	free(put("p/deep10.inc", "hostname bottom\n"));
	load("include deep0.inc\n", 0);
	clean("includes 11 deep");
	is_str(ro.hostname, "bottom", "includes 11 deep: read to the bottom");
	free(put("p/deep10.inc", "include deep11.inc\n"));
	free(put("p/deep40.inc", "hostname bottom\n"));
	load("include deep0.inc\n", 0);
	is_int(load_r, -1, "includes 41 deep: an error");
	is_int(load_errors, 1, "includes 41 deep: one error");
	ok(strstr(diag_text, "nested too deeply") != NULL, "includes 41 deep: 'nested too deeply'");
	is_diag(msg("p/deep15.inc", 1, "include deep16.inc: nested too deeply"),
		"includes 41 deep: reported at the include line at depth 16 (MAX_INCLUDE_DEPTH)");
}

/* ---- profile_find ---- */

static void test_find(void)
{
	autofree char *u = put("user/app.profile", "hostname user\n");
	autofree char *s = put("system/app.profile", "hostname system\n");
	autofree char *s2 = put("system/only.profile", "\n");
	autofree char *direct = put("elsewhere/x.profile", "\n");
	autofree char *found = NULL;
	char *f;

	found = profile_find(&env, "app");
	is_str(found, u, "profile_find: the user's NAME.profile first");
	f = profile_find(&env, "only");
	is_str(f, s2, "profile_find: then the system's");
	free(f);
	f = profile_find(&env, "nope");
	is_str(f, NULL, "profile_find: none: NULL");
	free(f);
	f = profile_find(&env, direct);
	is_str(f, direct, "profile_find: a NAME with '/' is a path");
	free(f);
	f = profile_find(&env, "elsewhere/nope.profile");
	is_str(f, NULL, "profile_find: a path that does not exist: NULL");
	free(f);
	{
		autofree char *d = P("user/dir.profile");
		autofree char *s3 = put("system/dir.profile", "\n");

		mkdirs(d);
		f = profile_find(&env, "dir");
		is_str(f, s3, "profile_find: a directory NAME.profile is skipped");
		free(f);
		f = profile_find(&env, d);
		is_str(f, NULL, "profile_find: a path to a directory: NULL");
		free(f);
	}
	hfacts.profile_user_dir = NULL;
	f = profile_find(&env, "app");
	is_str(f, s, "profile_find: without a user dir, the system's");
	free(f);
	env_reset();

	/* relative paths with a '/': relative to the current directory */
	if (chdir(tmpdir) == 0) {
		f = profile_find(&env, "elsewhere/x.profile");
		is_str(f, "elsewhere/x.profile", "profile_find: a relative path with '/'");
		free(f);
	}
}

/* ---- the loaded ro reaches profile_load's return ---- */

static void test_load_file_errors(void)
{
	autofree char *nope = P("p/does-not-exist.profile");
	autofree char *want = xasprintf("nook: %s:0: cannot read it: No such file or directory\n",
					nope);

	load_file(nope, 0);
	is_int(load_r, -1, "profile_load of a missing file: -1");
	is_diag(want, "profile_load of a missing file: the message");
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

/*
 * Which profile is firejail's: the file, its links resolved, below firejail's system directory
 * or the user's ~/.config/firejail; the file a run starts from, not what it includes.
 */
static void test_firejail_profiles(void)
{
	autofree char *fj_dir = P("etc-firejail");
	autofree char *sys = put("etc-firejail/feh.profile", "x11 none\n");
	autofree char *usr = put("home/.config/firejail/feh.profile", "include feh.local\n");
	autofree char *nook = put("system/feh.profile",
				  "include ${HOME}/.config/firejail/feh.profile\n");
	autofree char *near = put("etc-firejail2/feh.profile", "\n");
	autofree char *link = P("user/linked.profile");
	autofree char *fj_link = P("fj-link");

	env.firejail_dir = fj_dir;
	ok(profile_is_firejail(&env, sys), "firejail: below the system directory");
	ok(profile_is_firejail(&env, usr), "firejail: below ~/.config/firejail");
	ok(!profile_is_firejail(&env, nook), "firejail: nook's system directory: not");
	ok(!profile_is_firejail(&env, near),
	   "firejail: a directory whose name starts the same: not");
	ok(!profile_is_firejail(&env, fj_dir), "firejail: the directory itself: not");
	if (symlink(sys, link) < 0 || symlink(fj_dir, fj_link) < 0) {
		perror("symlink");
		exit(99);
	}
	ok(profile_is_firejail(&env, link), "firejail: a link to one of firejail's: firejail's");
	env.firejail_dir = fj_link;
	ok(profile_is_firejail(&env, sys), "firejail: the system directory a link: resolved");
	env.firejail_dir = fj_dir;
	{
		autofree char *missing = P("etc-firejail/missing.profile");

		ok(!profile_is_firejail(&env, missing),
		   "firejail: a file that does not exist: not");
	}
	hfacts.home = NULL;
	ok(!profile_is_firejail(&env, usr), "firejail: no home: no user's directory");
	ok(profile_is_firejail(&env, sys), "firejail: no home: the system's still");
	env_reset();

	/* profile_load() says so in the request; the file it starts from decides. */
	env.firejail_dir = fj_dir;
	load_file(sys, 0);
	ok(ro.profile_firejail, "firejail: loading one sets profile_firejail");
	ok(ro.fs.x11 < 0, "firejail: and reads it (x11 none)");
	load_file(nook, 0);
	ok(!ro.profile_firejail, "firejail: nook's profile including firejail's: nook's");
	is_int(load_r, 0, "firejail: nook's profile including firejail's: loads");
	env_reset();
	ok(env.firejail_dir == NULL, "env_reset: no firejail directory");
	{
		struct profile_env e;

		profile_env_init(&e, &hfacts);
		is_str(e.firejail_dir, "/etc/firejail", "profile_env_init: /etc/firejail");
	}
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	home = P("home");
	user_dir = P("user");
	sys_dir = P("system");
	mkdirs(home);
	mkdirs(user_dir);
	mkdirs(sys_dir);
	/* "~/" in a directive's path is $HOME (cli/options.c), ${HOME} the env's: the same here. */
	setenv("HOME", home, 1);
	env_reset();

	test_mount_directives();
	test_identity_directives();
	test_net_directives();
	test_security_directives();
	test_fs_directives();
	test_coverage();
	test_syntax();
	test_firejail_spellings();
	test_unsupported();
	test_ignore();
	test_quiet();
	test_conditions();
	test_env_conditions();
	test_macros();
	test_macro_bounds();
	test_escaped_diagnostics();
	test_includes();
	test_find();
	test_load_file_errors();
	test_env_init();
	test_firejail_profiles();

	if (ro_live)
		request_free(&ro);
	strv_free(&loaded);
	strv_free(&tested);
	free(diag_text);
	if (nftw(tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		diag("could not remove %s", tmpdir);
	free(home);
	free(user_dir);
	free(sys_dir);
	return done_testing();
}
