// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run.nook.profile: a profile's text read as create reads it (cli/oci_profile.c), against the
 * container's facts, and what it changes in the spec of a config (policy/oci_profile.c).
 */
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "cli/oci.h"
#include "policy/oci.h"
#include "tap.h"

static char dir[] = "/tmp/unit-oci-profile-XXXXXX";
static struct spec s;
static struct strv notes;
static char err[512];
static const char *root_path = "rootfs"; /* the config's root.path, under dir */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		exit(99);
}

static char *at(const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", dir, rel) < 0)
		exit(99);
	return p;
}

/* TEXT, a config.json, as create takes it: its profile read, then the spec built (s, notes). */
static int build_text(const char *text)
{
	struct oci_host h = {.bundle = dir, .uid = 1000, .gid = 1000};
	struct request ro;
	struct jnode *config;
	int r;

	spec_free(&s);
	strv_free(&notes);
	err[0] = '\0';
	config = json_parse(text, strlen(text), err, sizeof err);
	if (!config) {
		diag("the test's config does not parse: %s", err);
		exit(99);
	}
	r = oci_profile_read(config, dir, &ro, &notes, err, sizeof err);
	h.profile = r > 0 ? &ro : NULL;
	spec_init(&s);
	if (r >= 0)
		r = oci_spec_build(config, &h, &s, &notes, err, sizeof err);
	request_free(&ro);
	json_free(config);
	return r;
}

/*
 * The container: uid UID, ENV (JSON strings), capabilities CAP_CHOWN and CAP_KILL, a limit of
 * 4096 open files, noNewPrivileges false, the annotations ANNOTATIONS; its profile file holds PROFILE (NULL: the
 * annotation names it already). Returns what create would: -1 with err.
 */
static int build(const char *profile, unsigned uid, const char *env, const char *annotations)
{
	char *text, *path = at("test.profile");
	int r;

	if (profile)
		write_file(path, profile);
	if (asprintf(&text,
		     "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"%s\"},"
		     " \"process\": {\"user\": {\"uid\": %u, \"gid\": 0}, \"args\": [\"sh\"],"
		     " \"cwd\": \"/\", \"env\": [%s], \"noNewPrivileges\": false,"
		     " \"capabilities\": {\"bounding\": "
		     "[\"CAP_CHOWN\", \"CAP_KILL\"], \"effective\": [\"CAP_CHOWN\", \"CAP_KILL\"],"
		     " \"permitted\": [\"CAP_CHOWN\", \"CAP_KILL\"], \"inheritable\": [\"CAP_CHOWN\","
		     " \"CAP_KILL\"], \"ambient\": [\"CAP_CHOWN\", \"CAP_KILL\"]}, \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"hard\": 4096,"
		     " \"soft\": 4096}]},"
		     " \"linux\": {\"namespaces\": [{\"type\": \"mount\"}, {\"type\": \"pid\"}],"
		     " \"maskedPaths\": [\"/proc/kcore\"]},"
		     " \"annotations\": {\"run.nook.profile\": \"%s\"%s}}",
		     root_path, uid, env, path, annotations) < 0)
		exit(99);
	r = build_text(text);
	free(text);
	free(path);
	return r;
}

static const struct mount_op *mount_at(const char *dest, enum mount_kind kind)
{
	for (size_t i = 0; i < s.nmounts; i++)
		if (s.mounts[i].kind == kind && strcmp(s.mounts[i].dest, dest) == 0)
			return &s.mounts[i];
	return NULL;
}

static size_t mount_index(const char *dest)
{
	for (size_t i = 0; i < s.nmounts; i++)
		if (strcmp(s.mounts[i].dest, dest) == 0)
			return i;
	return (size_t)-1;
}

static bool noted(const char *what)
{
	for (size_t i = 0; i < notes.n; i++)
		if (strstr(notes.v[i], what))
			return true;
	return false;
}

static bool denied(const char *call)
{
	for (size_t i = 0; i < s.seccomp.deny.n; i++)
		if (strcmp(s.seccomp.deny.v[i], call) == 0)
			return true;
	return false;
}

static uint64_t limit(int resource)
{
	for (size_t i = 0; i < s.nrlimits; i++)
		if (s.rlimits[i].resource == resource)
			return s.rlimits[i].value;
	return 0;
}

static void test_filesystem(void)
{
	const struct mount_op *m;

	is_int(build("blacklist /etc/shadow\n"
		     "blacklist ${HOME}/.ssh\n"
		     "blacklist /usr/bin/gcc*\n"
		     "blacklist /opt/keep\n"
		     "noblacklist /opt/keep\n"
		     "read-only /srv\n"
		     "noexec /tmp\n"
		     "tmpfs /var/cache\n",
		     0, "\"HOME=/home/h\"", ""),
	       0, "a profile of files builds (%s)", err);
	m = mount_at("/etc/shadow", MOUNT_MASK);
	ok(m && (m->flags & MOUNT_F_OPTIONAL) && (m->flags & MOUNT_F_RDONLY),
	   "blacklist: a mask, where the path exists");
	ok(m && strstr(m->origin, "test.profile:1"), "its origin is the profile's line");
	ok(mount_at("/home/h/.ssh", MOUNT_MASK) != NULL, "${HOME}: the process's HOME");
	ok(mount_at("/usr/bin/gcc-12", MOUNT_MASK) && !mount_at("/usr/bin/ls", MOUNT_MASK),
	   "a pattern: what it matches in the image's root");
	ok(!mount_at("/usr/bin/gcc*", MOUNT_MASK), "not the pattern itself");
	ok(!mount_at("/opt/keep", MOUNT_MASK), "noblacklist undoes a blacklist");
	m = mount_at("/srv", MOUNT_RESTRICT);
	ok(m && (m->flags & MOUNT_F_RDONLY) && !(m->flags & MOUNT_F_NOEXEC), "read-only");
	m = mount_at("/tmp", MOUNT_RESTRICT);
	ok(m && (m->flags & MOUNT_F_NOEXEC) && !(m->flags & MOUNT_F_RDONLY), "noexec");
	m = mount_at("/var/cache", MOUNT_TMPFS);
	ok(m && m->options && strcmp(m->options, "size=1g") == 0, "tmpfs, of nook run's size");
	ok(mount_index("/etc/shadow") > mount_index("/proc/kcore") &&
		   mount_index("/srv") > mount_index("/proc/kcore"),
	   "over the config's own masks");
	is_int(notes.n, 0, "every line applied: no note (%s)", notes.n ? notes.v[0] : "");

	/* No HOME in the environment: the user's home in the image's /etc/passwd, else /root. */
	is_int(build("blacklist ${HOME}/x\n", 1000, "\"PATH=/bin\"", ""), 0, "uid 1000 (%s)", err);
	ok(mount_at("/home/thousand/x", MOUNT_MASK) != NULL, "HOME: the image's passwd");
	is_int(build("blacklist ${HOME}/x\n", 7, "", ""), 0, "uid 7 (%s)", err);
	ok(mount_at("/root/x", MOUNT_MASK) != NULL, "HOME: /root without a passwd entry");
	is_int(build("blacklist ${PATH}/nc\n", 0, "\"PATH=/a:/b\"", ""), 0, "${PATH} (%s)", err);
	ok(mount_at("/a/nc", MOUNT_MASK) && mount_at("/b/nc", MOUNT_MASK),
	   "${PATH}: the process's PATH");
	/* A root whose path has wildcards: its patterns cannot be matched, and say so. */
	root_path = "r[1]";
	is_int(build("blacklist /usr/bin/gcc*\nblacklist /etc/shadow\n", 0, "", ""), 0,
	       "a root at r[1] (%s)", err);
	ok(noted("test.profile:1: blacklist /usr/bin/gcc*: not applied: the root's path"),
	   "a pattern under it: noted");
	ok(mount_at("/etc/shadow", MOUNT_MASK) != NULL, "a plain path: masked");
	root_path = "rootfs";
}

static void test_privileges(void)
{
	is_int(build("caps.drop chown\n", 0, "", ""), 0, "caps.drop (%s)", err);
	is_int(s.caps_keep, 1ull << CAP_KILL, "caps.drop: out of the config's");
	is_int(build("caps.keep chown,sys_admin\n", 0, "", ""), 0, "caps.keep (%s)", err);
	is_int(s.caps_keep, 1ull << CAP_CHOWN, "caps.keep: what of it the config has, no more");
	is_int(build("caps.drop all\n", 0, "", ""), 0, "caps.drop all (%s)", err);
	is_int(s.caps_keep, 0, "caps.drop all: none");
	ok(!s.oci.no_new_privs, "the config's noNewPrivileges (false) without nonewprivs");
	is_int(build("rlimit-nofile 100\nrlimit-nproc 50\n", 0, "", ""), 0, "limits (%s)", err);
	is_int(limit(RLIMIT_NOFILE), 100, "the profile's lower limit");
	is_int(limit(RLIMIT_NPROC), 50, "a limit the config has not");
	is_int(build("rlimit-nofile 10000\n", 0, "", ""), 0, "a higher limit (%s)", err);
	is_int(limit(RLIMIT_NOFILE), 4096, "the config's lower limit");
	is_int(build("nonewprivs\n", 0, "", ""), 0, "nonewprivs (%s)", err);
	is_int(notes.n, 0, "nonewprivs: applied, no note (%s)", notes.n ? notes.v[0] : "");
	ok(s.oci.no_new_privs, "nonewprivs: no_new_privs over the config's false");
}

static void test_filter(void)
{
	is_int(build("caps.drop all\n", 0, "", ""), 0, "no seccomp line (%s)", err);
	ok(!s.seccomp.enabled, "no seccomp line, no filter of nook's");
	is_int(build("seccomp.drop mkdir\n", 0, "", ""), 0, "seccomp.drop (%s)", err);
	ok(s.seccomp.enabled && denied("mkdir") && denied("keyctl"),
	   "seccomp.drop: nook's filter, as nook run builds it, with the call");
	is_int(build("seccomp !keyctl\nprotocol unix\nmemory-deny-write-execute\n", 0, "", ""), 0,
	       "seccomp !call, protocol, memory-deny-write-execute (%s)", err);
	ok(s.seccomp.enabled && !denied("keyctl") && denied("bpf"),
	   "!keyctl: out of nook's filter");
	is_int(s.seccomp.protocols, 1ull << AF_UNIX, "protocol");
	ok(s.seccomp.mdwe, "memory-deny-write-execute");
	/* Over nook's filter of run.nook.seccomp=default: both, as one. */
	is_int(build("seccomp !keyctl\nseccomp.drop mkdir\nprotocol unix\n"
		     "seccomp-error-action kill\n",
		     0, "", ", \"run.nook.seccomp\": \"default\""),
	       0, "with run.nook.seccomp=default (%s)", err);
	ok(denied("keyctl") && denied("mkdir"), "the annotation's filter and the profile's calls");
	is_int(s.seccomp.protocols, 1ull << AF_UNIX, "its families");
	is_int(s.seccomp.action, SECCOMP_ACTION_ERRNO, "the annotation's filter keeps its action");
	ok(noted("seccomp-error-action kill: not applied"), "which is noted");
	is_int(build("seccomp off\n", 0, "", ""), 0, "seccomp off (%s)", err);
	ok(!s.seccomp.enabled, "seccomp off: no filter of nook's");
	ok(noted("test.profile:1: seccomp off: not applied"), "and a note");
}

static void test_notes(void)
{
	is_int(build("whitelist /tmp\nnet none\nx11 none\ndbus-user.talk org.x\nname box\n"
		     "apparmor\n",
		     0, "", ""),
	       0, "directives a container does not take (%s)", err);
	ok(noted("annotations.run.nook.profile: ") &&
		   noted("test.profile:1: whitelist: not applied"),
	   "whitelist: noted with its line");
	ok(noted("test.profile:2: net: not applied: the engine"), "net");
	ok(noted("test.profile:3: x11: not applied: the desktop session"), "x11");
	ok(noted("test.profile:4: dbus-user.talk: not applied: the desktop session"),
	   "a bus's rule");
	ok(noted("test.profile:5: name: not applied"), "name");
	ok(noted("test.profile:6: warning: apparmor: not supported by nook"),
	   "the parser's warning, as a note");
	ok(!mount_at("/tmp", MOUNT_TMPFS) && !mount_at("/tmp", MOUNT_BIND), "nothing mounted");
}

static void test_refusals(void)
{
	char *inc = at("inc.profile");

	is_int(build("caps.drop all\nrlimit-nofile lots\n", 0, "", ""), -1, "an error");
	ok(strncmp(err, "annotations.run.nook.profile: ", 30) == 0 &&
		   strstr(err, "test.profile:2: rlimit-nofile"),
	   "names the annotation and the line: %s", err);
	write_file(inc, "include missing-x.inc\n");
	free(inc);
	is_int(build("include inc.profile\n", 0, "", ""), -1, "an include's error");
	ok(strstr(err, "inc.profile:1: include missing-x.inc: not found") != NULL,
	   "names the included file's line: %s", err);
}

static int build_named(const char *name)
{
	char *text;
	int r;

	if (asprintf(&text,
		     "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"},"
		     " \"process\": {\"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [\"sh\"],"
		     " \"cwd\": \"/\"}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},"
		     " \"annotations\": {\"run.nook.profile\": \"%s\"}}",
		     name) < 0)
		exit(99);
	r = build_text(text);
	free(text);
	return r;
}

static void test_names(void)
{
	char *sys = at("system"), *user = at("config/nook/profiles");
	char *user_app = at("config/nook/profiles/app.profile");
	char *sys_app = at("system/app.profile"), *sys_other = at("system/other.profile");
	struct oci_host h = {.bundle = dir};
	struct jnode *config;
	const char *text = "{\"ociVersion\": \"1.0.2\", \"root\": {\"path\": \"rootfs\"},"
			   " \"process\": {\"user\": {\"uid\": 0, \"gid\": 0}, \"args\": [\"sh\"],"
			   " \"cwd\": \"/\"}, \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]},"
			   " \"annotations\": {\"run.nook.profile\": \"app\"}}";
	char *cfg = at("config"), *cfg_nook = at("config/nook");

	setenv("NOOK_PROFILE_DIR", sys, 1);
	setenv("XDG_CONFIG_HOME", cfg, 1);
	if (mkdir(sys, 0700) < 0 || mkdir(cfg, 0700) < 0 || mkdir(cfg_nook, 0700) < 0 ||
	    mkdir(user, 0700) < 0)
		exit(99);
	write_file(sys_app, "caps.drop chown\n");
	write_file(sys_other, "caps.drop all\n");
	is_int(build_named("other"), 0, "a name: the system's directory (%s)", err);
	is_str(s.profile, sys_other, "found there");
	write_file(user_app, "caps.drop kill\n");
	is_int(build_named("app"), 0, "a name in both (%s)", err);
	is_str(s.profile, user_app, "the user's first, as nook run --profile");
	is_int(build_named("nope"), -1, "a name not found");
	ok(strstr(err, "annotations.run.nook.profile: nope: no such profile") != NULL,
	   "says so: %s", err);
	is_int(build_named("rel/x.profile"), -1, "a relative path");
	ok(strstr(err, "a path must be absolute") != NULL, "refused: %s", err);
	/* A caller that did not read the profile builds no container without it. */
	config = json_parse(text, strlen(text), err, sizeof err);
	spec_free(&s);
	spec_init(&s);
	is_int(oci_spec_build(config, &h, &s, &notes, err, sizeof err), -1,
	       "the annotation without the profile read");
	ok(strstr(err, "annotations.run.nook.profile: the profile was not read") != NULL, "%s",
	   err);
	json_free(config);
	free(sys);
	free(cfg);
	free(cfg_nook);
	free(user);
	free(user_app);
	free(sys_app);
	free(sys_other);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int main(void)
{
	char *p;

	if (!mkdtemp(dir))
		exit(99);
	for (const char *const *d = (const char *const[]){"rootfs", "rootfs/etc", "rootfs/usr",
							  "rootfs/usr/bin", NULL};
	     *d; d++) {
		p = at(*d);
		if (mkdir(p, 0755) < 0)
			exit(99);
		free(p);
	}
	p = at("rootfs/etc/passwd");
	write_file(p, "root:x:0:0::/root:/bin/sh\nthousand:x:1000:1000::/home/thousand:/bin/sh\n");
	free(p);
	p = at("rootfs/usr/bin/gcc-12");
	write_file(p, "");
	free(p);
	p = at("rootfs/usr/bin/ls");
	write_file(p, "");
	free(p);
	test_filesystem();
	test_privileges();
	test_filter();
	test_notes();
	test_refusals();
	test_names();
	spec_free(&s);
	strv_free(&notes);
	if (nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		diag("%s: not removed", dir);
	return done_testing();
}
