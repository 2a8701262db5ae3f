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

/* Is LINE one of spec_print's lines of the spec? */
static bool printed(const char *line)
{
	char *text = NULL, *want = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	bool found;

	if (!f || asprintf(&want, "\n%s\n", line) < 0)
		exit(99);
	spec_print(&s, f);
	fclose(f);
	found = strstr(text, want) != NULL;
	free(text);
	free(want);
	return found;
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
	ok(!s.oci.seccomp.enabled, "... instead of the config's");
	ok(noted("linux.seccomp: replaced"), "... noted");
	ok(s.oci.no_new_privs, "noNewPrivileges");
	ok(s.terminal == TERMINAL_NEW_SESSION, "a session of its own");
}

static void test_refusals(void)
{
	is_int(build_with(PROCESS, LINUX, MOUNTS, NULL), 0,
	       "an OCI seccomp profile without the annotation (%s)", err);
	ok(s.oci.seccomp.enabled && !s.seccomp.enabled, "the config's filter, not nook's");
	ok(s.oci.seccomp.default_action == OCI_SCMP_ERRNO && s.oci.seccomp.default_ret == 1,
	   "its default: ERRNO, EPERM without defaultErrnoRet");
	is_int(build_with(PROCESS, LINUX, MOUNTS ", \"annotations\": {\"run.nook.seccomp\": \"x\"}",
			  NULL),
	       -1, "an annotation run.nook.seccomp other than default");
	ok(strstr(err, "annotations.run.nook.seccomp") != NULL, "named: %s", err);
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
}

/* hooks: each stage's list taken in order; a malformed hook refused, naming its field. */
static void test_hooks(void)
{
	static const struct {
		const char *hooks, *field;
	} bad[] = {
		{"{\"prestart\": [{}]}", "hooks.prestart[0].path: missing"},
		{"{\"prestart\": {}}", "hooks.prestart: must be an array"},
		{"[]", "hooks: must be an object"},
		{"{\"poststop\": [{\"path\": \"x\"}]}",
		 "hooks.poststop[0].path: must be an absolute"},
		{"{\"poststart\": [{\"path\": \"/x\"}, {\"path\": \"/x\", \"timeout\": 0}]}",
		 "hooks.poststart[1].timeout: must be more than 0"},
		{"{\"poststart\": [{\"path\": \"/x\", \"timeout\": -2}]}",
		 "hooks.poststart[0].timeout: must be more than 0"},
		{"{\"poststart\": [{\"path\": \"/x\", \"timeout\": 1.5}]}",
		 "hooks.poststart[0].timeout: must be a whole number"},
		{"{\"createRuntime\": [{\"path\": \"/x\", \"args\": [\"a\", 1]}]}",
		 "hooks.createRuntime[0].args[1]: must be a string"},
		{"{\"createContainer\": [{\"path\": \"/x\", \"env\": [\"A\"]}]}",
		 "hooks.createContainer[0].env[0]: must be NAME=VALUE"},
		{"{\"startContainer\": [{\"path\": \"/x\", \"env\": \"A=1\"}]}",
		 "hooks.startContainer[0].env: must be an array"},
	};
	const struct oci_hook *h;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *extra;

		if (asprintf(&extra, ", \"hooks\": %s", bad[i].hooks) < 0)
			exit(99);
		is_int(build_with(PROCESS, "{" NAMESPACES "}", extra, NULL), -1, "refused: %s",
		       bad[i].hooks);
		ok(strstr(err, bad[i].field) != NULL, "named %s: %s", bad[i].field, err);
		free(extra);
	}
	is_int(build_with(PROCESS, "{" NAMESPACES "}",
			  ", \"hooks\": {\"createRuntime\": [{\"path\": \"/a\"}, {\"path\": "
			  "\"/b\", \"args\": [\"b\", \"-x\"], \"env\": [\"A=1\"], \"timeout\": "
			  "5}], \"poststop\": [{\"path\": \"/c\"}], \"prestart\": null, "
			  "\"later\": [{}]}",
			  NULL),
	       0, "hooks taken (%s)", err);
	is_int(s.oci.hooks.n[OCI_HOOK_CREATE_RUNTIME], 2, "two createRuntime hooks");
	is_int(s.oci.hooks.n[OCI_HOOK_POSTSTOP], 1, "one poststop hook");
	is_int(s.oci.hooks.n[OCI_HOOK_PRESTART], 0, "null: none");
	h = &s.oci.hooks.v[OCI_HOOK_CREATE_RUNTIME][1];
	is_str(h->path, "/b", "in order");
	is_int(h->args.n, 2, "its args");
	is_str(h->args.v[0], "b", "args[0] is argv[0]");
	is_int(h->env.n, 1, "its env");
	is_int(h->timeout, 5, "its timeout");
	is_int(s.oci.hooks.v[OCI_HOOK_CREATE_RUNTIME][0].timeout, 0, "no timeout");
	is_int(s.oci.hooks.v[OCI_HOOK_CREATE_RUNTIME][0].args.n, 0, "no args");
	ok(noted("hooks.later: not supported"), "an unknown stage noted");
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
	is_int(s.caps_keep, (1ull << 5) | (1ull << 0), "the bounding set (CAP_KILL, CAP_CHOWN)");
	ok(s.oci.caps.exact && s.oci.caps.effective == 1ull << 5 &&
		   s.oci.caps.permitted == 1ull << 5 && s.oci.caps.inheritable == 0,
	   "each set as the config says");
	is_int(s.oci.caps.ambient, 0, "ambient, not inheritable: left out");
	ok(noted("process.capabilities.ambient: 0x20 not in permitted, inheritable and bounding, "
		 "left out"),
	   "and noted");
	ok(printed("caps-effective cap_kill") && printed("caps-ambient none"), "printed");
	ok(!s.oci.no_new_privs, "noNewPrivileges false: no no_new_privs");
	ok(printed("no-new-privs 0"), "printed");
	ok(noted("process.future: not supported"), "an unknown key of process noted");
	ok(noted("vm: not supported"), "an unknown top-level key noted");
	ok(!s.seccomp.enabled, "no seccomp section, no annotation: no filter");
}

/* The host of the device tests: a character device 10:200 at /dev/net/tun, nothing else. */
static bool fake_has_device(const char *path, char type, unsigned major, unsigned minor)
{
	return strcmp(path, "/dev/net/tun") == 0 && type == 'c' && major == 10 && minor == 200;
}

static bool has_bind(const char *dest, const char *origin)
{
	for (size_t i = 0; i < s.nmounts; i++)
		if (s.mounts[i].kind == MOUNT_BIND && strcmp(s.mounts[i].dest, dest) == 0 &&
		    strcmp(s.mounts[i].src, dest) == 0 && strcmp(s.mounts[i].origin, origin) == 0)
			return true;
	return false;
}

static void test_devices(void)
{
	struct oci_host h = host;
#define TUN                                                                              \
	"{" NAMESPACES ", \"devices\": [{\"path\": \"/dev/net/tun\", \"type\": \"%s\", " \
	"\"major\": 10, \"minor\": %s, \"uid\": 0}]}"
	char linux_[256];

	h.has_device = fake_has_device;
	snprintf(linux_, sizeof linux_, TUN, "c", "200");
	is_int(build_with(PROCESS, linux_, "", &h), 0, "a device the host has (%s)", err);
	ok(has_bind("/dev/net/tun", "linux.devices[0]"),
	   "bound from the host, its entry the origin");
	ok(noted("linux.devices[0]: fileMode, uid and gid are the host node's"), "its owner noted");
	snprintf(linux_, sizeof linux_, TUN, "u", "200");
	is_int(build_with(PROCESS, linux_, "", &h), 0, "u is c (%s)", err);
	snprintf(linux_, sizeof linux_, TUN, "b", "200");
	is_int(build_with(PROCESS, linux_, "", &h), -1,
	       "a block device where the host has a character one");
	ok(strstr(err, "linux.devices[0]: the host has no block device 10:200 at /dev/net/tun") !=
		   NULL,
	   "named: %s", err);
	snprintf(linux_, sizeof linux_, TUN, "c", "201");
	is_int(build_with(PROCESS, linux_, "", &h), -1, "another minor");
	snprintf(linux_, sizeof linux_, TUN, "c", "1048576");
	is_int(build_with(PROCESS, linux_, "", &h), -1, "a minor out of range");
	ok(strstr(err, "linux.devices[0].minor") != NULL, "named: %s", err);
	snprintf(linux_, sizeof linux_, TUN, "p", "0");
	is_int(build_with(PROCESS, linux_, "", &h), -1, "a fifo");
	ok(strstr(err, "linux.devices[0].type") != NULL, "named: %s", err);
	snprintf(linux_, sizeof linux_, TUN, "c", "201");
	is_int(build_with(PROCESS, linux_, "", NULL), 0,
	       "not checked without has_device (exec: checked at create)");
#undef TUN
}

/* The config with SECCOMP as its linux.seccomp. */
static int build_seccomp(const char *seccomp)
{
	char *l;
	int r;

	if (asprintf(&l, "{" NAMESPACES ", \"seccomp\": %s}", seccomp) < 0)
		exit(99);
	r = build_with(PROCESS, l, "", NULL);
	free(l);
	return r;
}

static void test_seccomp(void)
{
	const struct oci_seccomp *sc = &s.oci.seccomp;
	const struct oci_seccomp_rule *r;

	is_int(build_seccomp(
		       "{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38, "
		       "\"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"], "
		       "\"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", \"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"], "
		       "\"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": "
		       "\"SCMP_ACT_ALLOW\"}, {\"names\": [\"personality\"], \"action\": "
		       "\"SCMP_ACT_ALLOW\", \"args\": [{\"index\": 0, \"value\": 8, \"op\": "
		       "\"SCMP_CMP_EQ\"}, {\"index\": 1, \"value\": 255, \"valueTwo\": 4, "
		       "\"op\": \"SCMP_CMP_MASKED_EQ\"}]}, {\"names\": [\"mkdir\"], \"action\": "
		       "\"SCMP_ACT_ERRNO\", \"errnoRet\": 28, \"comment\": \"x\"}, {\"names\": "
		       "[\"ptrace\"], \"action\": \"SCMP_ACT_TRACE\"}, {\"names\": [\"kill\"], "
		       "\"action\": \"SCMP_ACT_KILL\", \"errnoRet\": 3}]}"),
	       0, "a full linux.seccomp (%s)", err);
	ok(sc->enabled && !s.seccomp.enabled, "the config's filter alone");
	ok(sc->default_action == OCI_SCMP_ERRNO && sc->default_ret == 38, "default ERRNO(38)");
	is_int(sc->arches, (1 << OCI_SCMP_ARCH_X86_64) | (1 << OCI_SCMP_ARCH_X86), "arches");
	is_int(sc->flags, OCI_SCMP_FLAG_LOG | OCI_SCMP_FLAG_SPEC_ALLOW, "flags");
	is_int(sc->nrules, 5, "five rules");
	r = &sc->rules[0];
	ok(r->names.n == 2 && strcmp(r->names.v[1], "write") == 0 && r->action == OCI_SCMP_ALLOW &&
		   r->nargs == 0,
	   "names, ALLOW, no conditions");
	r = &sc->rules[1];
	ok(r->nargs == 2 && r->args[0].index == 0 && r->args[0].op == OCI_SCMP_CMP_EQ &&
		   r->args[0].value == 8 && r->args[0].value_two == 0,
	   "a condition, valueTwo 0 when absent");
	ok(r->args[1].index == 1 && r->args[1].op == OCI_SCMP_CMP_MASKED_EQ &&
		   r->args[1].value == 255 && r->args[1].value_two == 4,
	   "MASKED_EQ, value the mask, valueTwo the datum");
	ok(sc->rules[2].action == OCI_SCMP_ERRNO && sc->rules[2].ret == 28, "errnoRet");
	ok(noted("linux.seccomp.syscalls[2].comment: not supported"), "an unknown key noted");
	ok(sc->rules[3].action == OCI_SCMP_TRACE && sc->rules[3].ret == 1, "TRACE: EPERM's 1");
	ok(sc->rules[4].action == OCI_SCMP_KILL_THREAD, "SCMP_ACT_KILL is KILL_THREAD");
	ok(noted("linux.seccomp.syscalls[4].errnoRet: only for"), "an errnoRet of KILL noted");
	ok(printed("oci-seccomp default=SCMP_ACT_ERRNO(38) arch=native,SCMP_ARCH_X86,"
		   "SCMP_ARCH_X86_64 flags=SECCOMP_FILTER_FLAG_LOG,SECCOMP_FILTER_FLAG_SPEC_ALLOW "
		   "rules=5"),
	   "printed in one line");

	is_int(build_seccomp("{}"), 0, "an empty linux.seccomp (%s)", err);
	ok(!sc->enabled, "no filter");
	is_int(build_seccomp("null"), 0, "a null one (%s)", err);
	ok(!sc->enabled, "no filter");

	static const struct {
		const char *seccomp, *field;
	} bad[] = {
		{"[]", "linux.seccomp: must be an object"},
		{"{\"syscalls\": []}", "linux.seccomp.defaultAction: missing"},
		{"{\"defaultAction\": \"SCMP_ACT_NOTIFY\"}",
		 "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOWED\"}",
		 "linux.seccomp.defaultAction: \"SCMP_ACT_ALLOWED\": no such action"},
		{"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 4096}",
		 "linux.seccomp.defaultErrnoRet: 4096 is not"},
		{"{\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": -1}",
		 "linux.seccomp.defaultErrnoRet: -1 is not"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/a.sock\"}",
		 "linux.seccomp.listenerPath: nook cannot"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerMetadata\": \"x\"}",
		 "linux.seccomp.listenerMetadata: nook cannot"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_Z80\"]}",
		 "linux.seccomp.architectures[0]: \"SCMP_ARCH_Z80\": no such architecture"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": \"SCMP_ARCH_X86\"}",
		 "linux.seccomp.architectures: must be an array"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\", "
		 "\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}",
		 "linux.seccomp.flags[1]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: only for a listener"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_X\"]}",
		 "linux.seccomp.flags[0]: \"SECCOMP_FILTER_FLAG_X\": not a flag"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": {}}",
		 "linux.seccomp.syscalls: must be an array"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"action\": "
		 "\"SCMP_ACT_ERRNO\"}]}",
		 "linux.seccomp.syscalls[0].names: missing"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [], \"action\": "
		 "\"SCMP_ACT_ERRNO\"}]}",
		 "linux.seccomp.syscalls[0].names: empty"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\", "
		 "\"../x\"], \"action\": \"SCMP_ACT_ERRNO\"}]}",
		 "linux.seccomp.syscalls[0].names[1]: \"../x\" is not a system call's name"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"]}]}",
		 "linux.seccomp.syscalls[0].action: missing"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\"}, {\"names\": [\"mkdir\"], \"action\": "
		 "\"SCMP_ACT_NOTIFY\"}]}",
		 "linux.seccomp.syscalls[1].action: SCMP_ACT_NOTIFY"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"1\"}]}",
		 "linux.seccomp.syscalls[0].errnoRet: must be a number"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, "
		 "\"op\": \"SCMP_CMP_EQ\"}]}]}",
		 "linux.seccomp.syscalls[0].args[0].index: 6 is not"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": "
		 "\"SCMP_CMP_EQ\"}]}]}",
		 "linux.seccomp.syscalls[0].args[0].value: missing"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": "
		 "18446744073709551616, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		 "linux.seccomp.syscalls[0].args[0].value: 18446744073709551616 is not"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, "
		 "\"valueTwo\": 1.5, \"op\": \"SCMP_CMP_EQ\"}]}]}",
		 "linux.seccomp.syscalls[0].args[0].valueTwo: 1.5 is not"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1}]}]}",
		 "linux.seccomp.syscalls[0].args[0].op: missing"},
		{"{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{\"names\": [\"read\"], "
		 "\"action\": \"SCMP_ACT_ERRNO\"}, {\"names\": [\"read\"], \"action\": "
		 "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": 1, \"op\": "
		 "\"SCMP_CMP_EQUAL\"}]}]}",
		 "linux.seccomp.syscalls[1].args[0].op: \"SCMP_CMP_EQUAL\": no such comparison"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		is_int(build_seccomp(bad[i].seccomp), -1, "refused: %s", bad[i].field);
		ok(strstr(err, bad[i].field) != NULL, "named: %s", err);
	}
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
	test_devices();
	test_notes();
	test_seccomp();
	test_hooks();
	spec_free(&s);
	strv_free(&notes);
	return done_testing();
}
