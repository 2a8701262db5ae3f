// SPDX-License-Identifier: GPL-2.0-or-later
/* config.json into a spec (policy/oci.c): what is taken, what is noted, what is refused. */
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "policy/oci.h"
#include "tap.h"

static const struct oci_host host = {
	.bundle = "/b",
	.uid = 1000,
	.gid = 1000,
	.newuidmap = "/usr/bin/newuidmap",
	.newgidmap = "/usr/bin/newgidmap",
};

static struct spec s;
static struct strv notes;
static char err[512];

/* The config: a podman-like one with SECTION spliced into its top level. */
static int build_with(const char *process, const char *linux_, const char *extra,
		      const struct oci_host *h)
{
	char *text;
	struct jnode *config;
	int r;

	if (asprintf(&text,
		     "{\"ociVersion\": \"1.0.2-dev\", \"root\": {\"path\": \"rootfs\"},"
		     " \"hostname\": \"box\", \"process\": %s, \"linux\": %s %s}",
		     process, linux_, extra) < 0)
		exit(99);
	spec_free(&s);
	strv_free(&notes);
	err[0] = '\0';
	config = json_parse(text, strlen(text), err, sizeof err);
	if (!config) {
		diag("the test's config does not parse: %s", err);
		free(text);
		return -2;
	}
	r = oci_spec_build(config, h ? h : &host, &s, &notes, err, sizeof err);
	json_free(config);
	free(text);
	return r;
}

#define PROCESS                                                                           \
	"{\"user\": {\"uid\": 0, \"gid\": 0, \"umask\": 18}, \"args\": [\"sh\", \"-c\", " \
	"\"true\"], \"env\": [\"PATH=/bin\", \"container=podman\"], \"cwd\": \"/\", "     \
	"\"noNewPrivileges\": true, \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", "    \
	"\"CAP_KILL\"], \"effective\": [\"CAP_CHOWN\", \"CAP_KILL\"], \"permitted\": "    \
	"[\"CAP_CHOWN\", \"CAP_KILL\"]}, \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", "    \
	"\"hard\": 4096, \"soft\": 4096}]}"
#define NAMESPACES                                                                 \
	"\"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\", \"path\": " \
	"\"/run/netns/x\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"mount\"}]"
#define LINUX                                                                      \
	"{" NAMESPACES ", \"maskedPaths\": [\"/proc/kcore\"], \"readonlyPaths\": " \
	"[\"/proc/sys\"], \"sysctl\": {\"net.ipv4.ping_group_range\": \"0 0\"}, "  \
	"\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\"}}"
#define MOUNTS                                                                                \
	", \"mounts\": [{\"destination\": \"/proc\", \"type\": \"proc\", \"source\": "        \
	"\"proc\"}, {\"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", " \
	"\"options\": [\"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\"]}, "        \
	"{\"destination\": \"/sys\", \"type\": \"sysfs\", \"options\": [\"ro\"]}, "           \
	"{\"destination\": \"/data\", \"type\": \"bind\", \"source\": \"data\", "             \
	"\"options\": [\"rbind\", \"ro\", \"nodev\", \"rprivate\"]}, {\"destination\": "      \
	"\"/sys/fs/cgroup\", \"type\": \"cgroup\"}]"
#define SECCOMP_DEFAULT ", \"annotations\": {\"run.nook.seccomp\": \"default\"}"

static bool noted(const char *what)
{
	for (size_t i = 0; i < notes.n; i++)
		if (strstr(notes.v[i], what))
			return true;
	return false;
}

static const struct mount_op *mount_at(const char *dest, enum mount_kind kind)
{
	for (size_t i = 0; i < s.nmounts; i++)
		if (s.mounts[i].kind == kind && s.mounts[i].dest &&
		    strcmp(s.mounts[i].dest, dest) == 0)
			return &s.mounts[i];
	return NULL;
}

static void test_podman_like(void)
{
	const struct mount_op *m;

	is_int(build_with(PROCESS, LINUX, MOUNTS SECCOMP_DEFAULT, NULL), 0,
	       "a podman-like config builds (%s)", err);
	ok(s.oci.enabled, "the spec is an OCI container's");
	is_int(s.clone_flags, CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS,
	       "the namespaces without a path are created, no user namespace");
	is_int(s.oci.njoin, 1, "the one with a path is joined");
	ok(s.oci.njoin == 1 && s.oci.join[0].flag == CLONE_NEWNET &&
		   strcmp(s.oci.join[0].path, "/run/netns/x") == 0,
	   "the network namespace, by its path");
	is_int(s.uid_map.n, 0, "no id map without a user namespace");
	is_str(s.mounts[0].src, "/b/rootfs", "root.path under the bundle");
	ok(s.mounts[0].kind == MOUNT_ROOT, "the root first");
	ok(!s.oci.root_readonly, "root.readonly absent: writable");
	ok(mount_at("/proc", MOUNT_PROC) != NULL, "proc");
	m = mount_at("/dev", MOUNT_TMPFS);
	ok(m && m->mode == 0755 && m->options && strcmp(m->options, "size=65536k") == 0 &&
		   (m->flags & MOUNT_F_NOSUID),
	   "tmpfs: mode apart, size passed on, nosuid; strictatime dropped");
	m = mount_at("/sys", MOUNT_SYSFS);
	ok(m && (m->flags & MOUNT_F_RDONLY), "sysfs, read-only");
	m = mount_at("/data", MOUNT_BIND);
	ok(m && strcmp(m->src, "/b/data") == 0 &&
		   (m->flags & (MOUNT_F_RDONLY | MOUNT_F_NODEV)) ==
			   (MOUNT_F_RDONLY | MOUNT_F_NODEV),
	   "a bind from under the bundle, ro and nodev");
	ok(!mount_at("/sys/fs/cgroup", MOUNT_BIND), "no cgroup mount");
	ok(noted("cgroup at /sys/fs/cgroup"), "the cgroup mount skipped with a note");
	ok(mount_at("/dev/null", MOUNT_BIND) && mount_at("/dev/fd", MOUNT_SYMLINK),
	   "the default devices and links on the config's /dev");
	m = mount_at("/proc/kcore", MOUNT_MASK);
	ok(m && (m->flags & MOUNT_F_OPTIONAL), "maskedPaths: masks, where they exist");
	ok(mount_at("/proc/sys", MOUNT_RESTRICT) != NULL, "readonlyPaths: read-only");
	is_int(s.argv.n, 3, "args");
	is_int(s.env.n, 2, "the environment is the config's, exactly");
	is_str(s.env.v[1], "container=podman", "an env entry");
	is_str(s.cwd, "/", "cwd");
	ok(s.cwd_required, "a cwd that cannot be entered is an error");
	is_int(s.oci.umask, 18, "umask");
	ok(s.switch_user && s.inside_uid == 0 && s.inside_gid == 0, "user 0:0");
	is_int(s.caps_keep, (1ull << 0) | (1ull << 5), "CAP_CHOWN and CAP_KILL kept");
	ok(s.nrlimits == 1 && s.rlimits[0].resource == RLIMIT_NOFILE && s.rlimits[0].value == 4096,
	   "rlimits");
	is_str(s.hostname, "box", "hostname");
	ok(s.oci.sysctl.n == 1 && strcmp(s.oci.sysctl.v[0], "net.ipv4.ping_group_range=0 0") == 0,
	   "a sysctl of the network namespace");
	ok(s.seccomp.enabled, "the annotation gives nook's default filter");
	ok(noted("linux.seccomp: replaced"), "... noted");
	ok(s.terminal == TERMINAL_NEW_SESSION, "a session of its own");
}

static void test_refusals(void)
{
	is_int(build_with(PROCESS, LINUX, MOUNTS, NULL), -1,
	       "an OCI seccomp profile without the annotation");
	ok(strstr(err, "linux.seccomp") && strstr(err, "run.nook.seccomp=default"),
	   "the error names the field and the way out: %s", err);
	is_int(build_with(PROCESS, "{" NAMESPACES "}",
			  ", \"mounts\": [{\"destination\": \"/x\", \"type\": \"nfs\"}]", NULL),
	       -1, "an unknown filesystem");
	ok(strstr(err, "mounts[0].type") != NULL, "named: %s", err);
	is_int(build_with(PROCESS, "{" NAMESPACES "}",
			  ", \"mounts\": [{\"destination\": \"x\", \"type\": \"tmpfs\"}]", NULL),
	       -1, "a relative destination");
	ok(strstr(err, "mounts[0].destination") != NULL, "named: %s", err);
	is_int(build_with(PROCESS, "{\"namespaces\": [{\"type\": \"pid\"}]}", "", NULL), -1,
	       "no mount namespace");
	ok(strstr(err, "linux.namespaces") != NULL, "named: %s", err);
	is_int(build_with(PROCESS, "{\"namespaces\": [{\"type\": \"time\"}]}", "", NULL), -1,
	       "a time namespace");
	ok(strstr(err, "linux.namespaces[0].type") != NULL, "named: %s", err);
	is_int(build_with("{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, "
			  "\"gid\": 0}, \"terminal\": true}",
			  "{" NAMESPACES "}", "", NULL),
	       -1, "a terminal without a devpts");
	ok(strstr(err, "process.terminal: needs a devpts") != NULL, "named: %s", err);
	is_int(build_with("{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, "
			  "\"gid\": 0}, \"terminal\": true, \"consoleSize\": {\"height\": 30, "
			  "\"width\": 100}}",
			  "{" NAMESPACES "}",
			  ", \"mounts\": [{\"destination\": \"/dev/pts\", \"type\": \"devpts\"}]",
			  NULL),
	       0, "a terminal on a devpts (%s)", err);
	ok(s.terminal == TERMINAL_PTY && s.pty_fds == 7, "a pty on fds 0-2");
	ok(s.oci.console_rows == 30 && s.oci.console_cols == 100, "of the config's size");
	is_int(build_with("{\"args\": [], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}}",
			  "{" NAMESPACES "}", "", NULL),
	       -1, "no args");
	ok(strstr(err, "process.args") != NULL, "named: %s", err);
	is_int(build_with("{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": \"0\", "
			  "\"gid\": 0}}",
			  "{" NAMESPACES "}", "", NULL),
	       -1, "a uid that is a string");
	ok(strstr(err, "process.user.uid: must be a number, not a string") != NULL, "named: %s",
	   err);
	is_int(build_with(PROCESS, "{" NAMESPACES ", \"sysctl\": {\"kernel.panic\": \"1\"}}", "",
			  NULL),
	       -1, "a sysctl of the host");
	ok(strstr(err, "linux.sysctl.kernel.panic") != NULL, "named: %s", err);
	is_int(build_with(PROCESS, "{" NAMESPACES "}", ", \"hooks\": {\"prestart\": [{}]}", NULL),
	       -1, "hooks");
	ok(strstr(err, "hooks") != NULL, "named: %s", err);
}

#define USERNS_LINUX(map)                                                                      \
	"{\"namespaces\": [{\"type\": \"user\"}, {\"type\": \"mount\"}, {\"type\": \"uts\"}]," \
	" \"uidMappings\": [" map "], \"gidMappings\": [" map "]}"

static void test_user_namespace(void)
{
	const char *proc = "{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0, "
			   "\"additionalGids\": [5]}}";
	struct oci_host no_helpers = host;

	is_int(build_with(PROCESS,
			  USERNS_LINUX("{\"containerID\": 0, \"hostID\": 1000, "
				       "\"size\": 1}"),
			  "", NULL),
	       0, "a user namespace mapping the caller's own id (%s)", err);
	ok(s.clone_flags & CLONE_NEWUSER, "created");
	ok(!s.idmap_helpers && s.userns == USERNS_SINGLE, "written without the helpers");
	ok(!s.set_groups, "setgroups is denied there: groups unchanged");
	is_int(build_with(proc, USERNS_LINUX("{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}"),
			  "", NULL),
	       -1, "additionalGids with a single-id map");
	ok(strstr(err, "process.user.additionalGids[0]") != NULL, "named: %s", err);
	is_int(build_with(proc,
			  USERNS_LINUX("{\"containerID\": 0, \"hostID\": 1000, \"size\": 1}, "
				       "{\"containerID\": 1, \"hostID\": 100000, \"size\": 65536}"),
			  "", NULL),
	       0, "a range (%s)", err);
	ok(s.idmap_helpers && s.uid_map.n == 2 && s.uid_map.r[1].outside == 100000,
	   "through newuidmap, both ranges");
	ok(s.set_groups && s.ngroups == 1 && s.groups[0] == 5, "with its groups");
	no_helpers.newuidmap = NULL;
	is_int(build_with(proc,
			  USERNS_LINUX("{\"containerID\": 0, \"hostID\": 100000, \"size\": 10}"),
			  "", &no_helpers),
	       -1, "a range without newuidmap");
	ok(strstr(err, "linux.uidMappings") != NULL, "named: %s", err);
}

static void test_notes(void)
{
	const char *caps =
		"{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 1, \"gid\": 1}, "
		"\"noNewPrivileges\": false, \"capabilities\": {\"bounding\": "
		"[\"CAP_KILL\", \"CAP_CHOWN\"], \"effective\": [\"CAP_KILL\"], "
		"\"permitted\": [\"CAP_KILL\"], \"ambient\": [\"CAP_KILL\"]}, "
		"\"future\": 1}";

	is_int(build_with(caps, "{" NAMESPACES "}", ", \"vm\": {}", NULL), 0,
	       "a config with what nook does otherwise (%s)", err);
	is_int(s.caps_keep, 1ull << 5, "uid 1: what is ambient and effective (CAP_KILL)");
	ok(noted("process.capabilities: the sets differ"), "the differing sets noted");
	ok(noted("process.noNewPrivileges: nook always sets"), "no_new_privs noted");
	ok(noted("process.future: not supported"), "an unknown key of process noted");
	ok(noted("vm: not supported"), "an unknown top-level key noted");
	ok(!s.seccomp.enabled, "no seccomp section, no annotation: no filter");
}

/* What the runtime-tools validation suite found (docs/oci-validation.md). */
#define RLIMITS_PROCESS(soft, hard)                                                 \
	"{\"args\": [\"sh\"], \"cwd\": \"/\", \"user\": {\"uid\": 0, \"gid\": 0}, " \
	"\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": " soft ", \"hard\": " hard "}]}"

static void test_validation_fixes(void)
{
	const struct mount_op *m;

	is_int(build_with(RLIMITS_PROCESS("300", "400"), "{" NAMESPACES "}", "", NULL), 0,
	       "soft and hard limits apart (%s)", err);
	ok(s.nrlimits == 1 && s.rlimits[0].value == 300 && s.rlimits[0].hard_apart &&
		   s.rlimits[0].hard == 400,
	   "both kept");
	is_int(build_with(RLIMITS_PROCESS("300", "300"), "{" NAMESPACES "}", "", NULL), 0,
	       "the same soft and hard limit (%s)", err);
	ok(s.nrlimits == 1 && !s.rlimits[0].hard_apart, "one value");
	is_int(build_with(RLIMITS_PROCESS("400", "300"), "{" NAMESPACES "}", "", NULL), -1,
	       "a hard limit below the soft one");
	ok(strstr(err, "process.rlimits[0].hard: 300 is below the soft limit 400") != NULL,
	   "named: %s", err);
	is_int(build_with(PROCESS, "{" NAMESPACES "}",
			  ", \"mounts\": [{\"destination\": \"/t\", \"type\": \"tmpfs\", "
			  "\"source\": \"mytmp\"}, {\"destination\": \"/proc\", \"type\": "
			  "\"proc\"}]",
			  NULL),
	       0, "mounts with and without a source (%s)", err);
	m = mount_at("/t", MOUNT_TMPFS);
	ok(m && m->src && strcmp(m->src, "mytmp") == 0, "a new filesystem named by its source");
	m = mount_at("/proc", MOUNT_PROC);
	ok(m && !m->src, "none without one");
}

int main(void)
{
	test_podman_like();
	test_refusals();
	test_validation_fixes();
	test_user_namespace();
	test_notes();
	spec_free(&s);
	strv_free(&notes);
	return done_testing();
}
