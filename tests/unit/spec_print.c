// SPDX-License-Identifier: GPL-2.0-or-later
/* spec_print(): the --dry-run format, line by line, for fixed specs. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "policy/build.h"
#include "policy/subid.h"
#include "spec.h"
#include "tap.h"
#include "util/err.h"

/* spec_print into a string (to be freed). */
static char *printed(const struct spec *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		perror("open_memstream");
		exit(99);
	}
	spec_print(s, f);
	if (fclose(f) != 0) {
		perror("open_memstream");
		exit(99);
	}
	return text;
}

/* Compare line by line, so a failure names the first line that differs. */
static void lines_are(const char *got, const char *want, const char *name)
{
	const char *g = got, *w = want;
	int line = 1;

	while (*g && *w) {
		size_t gl = strcspn(g, "\n"), wl = strcspn(w, "\n");

		if (gl != wl || strncmp(g, w, gl) != 0 || g[gl] != w[wl]) {
			char *gs = strndup(g, gl), *ws = strndup(w, wl);

			is_str(gs, ws, "%s: line %d", name, line);
			free(gs);
			free(ws);
			return;
		}
		g += gl + (g[gl] ? 1 : 0);
		w += wl + (w[wl] ? 1 : 0);
		line++;
	}
	if (*g || *w) {
		is_str(*g ? g : "(end)", *w ? w : "(end)", "%s: line %d", name, line);
		return;
	}
	ok(1, "%s: %d lines as expected", name, line - 1);
}

/* A line that must appear, whole. */
static void has_line(const char *text, const char *line, const char *name)
{
	size_t len = strlen(line);
	const char *p = text;

	for (; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0')) {
			ok(1, "%s: '%s'", name, line);
			return;
		}
	ok(0, "%s: '%s'", name, line);
	diag("in:\n%s", text);
}

/* A keep-id spec, filled by hand: the format does not depend on spec_build. */
static void keep_id_spec(struct spec *s)
{
	static const struct subid_ranges sub = {.r = {{100000, 65536}}, .n = 1};
	struct mount_op *m;

	spec_init(s);
	s->clone_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
			 CLONE_NEWCGROUP | CLONE_NEWNET;
	s->userns = USERNS_KEEP_ID;
	s->idmap_helpers = true;
	s->newuidmap = xstrdup("/usr/bin/newuidmap");
	s->newgidmap = xstrdup("/usr/bin/newgidmap");
	subid_map_keep_id(1001, &sub, &s->uid_map);
	subid_map_keep_id(1001, &sub, &s->gid_map);
	s->inside_uid = 1001;
	s->inside_gid = 1001;

	spec_add_mount(s, MOUNT_ROOT, "/", "/", MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		       NULL);
	spec_add_mount(s, MOUNT_PROC, NULL, "/proc",
		       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC, NULL);
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, "/dev", MOUNT_F_NOSUID | MOUNT_F_NOEXEC, NULL);
	m->options = xstrdup("uid=0,gid=0");
	spec_add_mount(s, MOUNT_BIND, "/dev/null", "/dev/null", MOUNT_F_NOSUID | MOUNT_F_NOEXEC,
		       NULL);
	m = spec_add_mount(s, MOUNT_DEVPTS, NULL, "/dev/pts", MOUNT_F_NOSUID | MOUNT_F_NOEXEC,
			   NULL);
	m->options = xstrdup("newinstance,ptmxmode=0666,mode=0620,gid=5");
	spec_add_mount(s, MOUNT_SYMLINK, "pts/ptmx", "/dev/ptmx", 0, NULL);
	spec_add_mount(s, MOUNT_MQUEUE, NULL, "/dev/mqueue",
		       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC, NULL);
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, "/tmp", MOUNT_F_NOSUID | MOUNT_F_NODEV, NULL);
	m->mode = 01777;
	m->options = xstrdup("uid=0,gid=0");
	spec_add_mount(s, MOUNT_BIND, "/home/tester/src", "/src",
		       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		       "--ro-bind /home/tester/src:/src");
	spec_add_mount(s, MOUNT_BIND, "/opt", "/opt", MOUNT_F_OPTIONAL, "profile");
	spec_add_mount(s, MOUNT_TMPFS, NULL, "/scratch", MOUNT_F_NOSUID | MOUNT_F_NODEV,
		       "--tmpfs /scratch");

	s->userns_pool = xstrdup("/run/user/1001/nook/userns.sock");
	s->userns_pool_idle = 30;
	s->cwd = xstrdup("/home/tester");
	s->hostname = xstrdup("nook");
	s->terminal = TERMINAL_PTY;
	s->pty_fds = 1u << 0 | 1u << 2;
	strv_push(&s->env, "HOME=/home/tester");
	strv_push(&s->env, "PATH=/usr/bin:/bin");
	strv_push(&s->argv, "sh");
	strv_push(&s->argv, "-c");
	strv_push(&s->argv, "echo hi");
}

static void test_keep_id(void)
{
	struct spec s;
	char *text;

	keep_id_spec(&s);
	text = printed(&s);
	lines_are(text,
		  "profile none\n"
		  "namespaces user mount pid ipc uts cgroup net\n"
		  "userns keep-id\n"
		  "idmap-helpers /usr/bin/newuidmap /usr/bin/newgidmap\n"
		  "userns-pool /run/user/1001/nook/userns.sock idle=30\n"
		  "uid-map 0 100000 1001\n"
		  "uid-map 1001 1001 1\n"
		  "uid-map 1002 101001 64535\n"
		  "gid-map 0 100000 1001\n"
		  "gid-map 1001 1001 1\n"
		  "gid-map 1002 101001 64535\n"
		  "uid 1001\n"
		  "gid 1001\n"
		  "groups keep\n"
		  "switch-user no\n"
		  "mount root / / ro,nosuid,nodev\n"
		  "mount proc /proc rw,nosuid,nodev,noexec\n"
		  "mount tmpfs /dev rw,nosuid,noexec mode=0755 uid=0,gid=0\n"
		  "mount bind /dev/null /dev/null rw,nosuid,noexec\n"
		  "mount devpts /dev/pts rw,nosuid,noexec newinstance,ptmxmode=0666,mode=0620,gid=5\n"
		  "mount symlink /dev/ptmx -> pts/ptmx\n"
		  "mount mqueue /dev/mqueue rw,nosuid,nodev,noexec\n"
		  "mount tmpfs /tmp rw,nosuid,nodev mode=1777 uid=0,gid=0\n"
		  "mount bind /home/tester/src /src ro,nosuid,nodev (--ro-bind /home/tester/src:/src)\n"
		  "mount bind /opt /opt rw,optional (profile)\n"
		  "mount tmpfs /scratch rw,nosuid,nodev mode=0755 (--tmpfs /scratch)\n"
		  "overlay none\n"
		  "hostname nook\n"
		  "ipc private\n"
		  "name none\n"
		  "net none\n"
		  "dbus-user none\n"
		  "dbus-system none\n"
		  "cwd /home/tester (or / if absent)\n"
		  "caps none\n"
		  "no-new-privs 1\n"
		  "seccomp off\n"
		  "landlock none\n"
		  "terminal pty stdin,stderr\n"
		  "env HOME=/home/tester\n"
		  "env PATH=/usr/bin:/bin\n"
		  "argv[0] sh\n"
		  "argv[1] -c\n"
		  "argv[2] echo hi\n",
		  "keep-id spec");
	free(text);
	spec_free(&s);
}

/* Single mode as root, required cwd, capabilities, a seccomp filter and limits. */
static void test_root_single(void)
{
	struct spec s;
	char *text;

	spec_init(&s);
	s.clone_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID;
	s.userns = USERNS_SINGLE;
	subid_map_single(0, 1001, &s.uid_map);
	subid_map_single(0, 1002, &s.gid_map);
	spec_add_mount(&s, MOUNT_ROOT, "/images/alpine", "/",
		       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV, "--rootfs");
	s.cwd = xstrdup("/work");
	s.cwd_required = true;
	s.hostname = xstrdup("box");
	s.name = xstrdup("id-2");
	s.name_generated = true;
	s.state_dir = xstrdup("/run/user/1001/nook/sandboxes");
	s.caps_keep = (UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_NET_BIND_SERVICE) |
		      (UINT64_C(1) << CAP_SETFCAP);
	s.seccomp.enabled = true;
	s.seccomp.action = SECCOMP_ACTION_KILL;
	strv_push(&s.seccomp.deny, "bpf");
	strv_push(&s.seccomp.deny, "keyctl");
	s.seccomp.deny_ns_clone = true;
	s.seccomp.deny_ns_unshare = true;
	s.seccomp.clone3_enosys = true;
	s.seccomp.enosys_unknown = true;
	strv_push(&s.seccomp.enosys_except, "467");
	strv_push(&s.seccomp.enosys_except, "468");
	s.seccomp.deny_vsock = true;
	s.landlock_scope_unix = true;
	s.seccomp.protocols = (UINT64_C(1) << AF_UNIX) | (UINT64_C(1) << AF_INET6);
	s.rlimits[0] = (struct rlimit_spec){.resource = RLIMIT_NOFILE, .value = 1024};
	s.rlimits[1] = (struct rlimit_spec){.resource = RLIMIT_CPU, .value = RLIM_INFINITY};
	/* An OCI config's: a hard limit apart. */
	s.rlimits[2] = (struct rlimit_spec){.resource = RLIMIT_CORE,
					    .value = 0,
					    .hard_apart = true,
					    .hard = RLIM_INFINITY};
	s.nrlimits = 3;
	s.terminal = TERMINAL_NEW_SESSION;
	strv_push(&s.argv, "id");

	text = printed(&s);
	lines_are(text,
		  "profile none\n"
		  "namespaces user mount pid\n"
		  "userns single\n"
		  "idmap-helpers none\n"
		  "setgroups deny\n"
		  "userns-pool no\n"
		  "uid-map 0 1001 1\n"
		  "gid-map 0 1002 1\n"
		  "uid 0\n"
		  "gid 0\n"
		  "groups keep\n"
		  "switch-user no\n"
		  "mount root /images/alpine / ro,nosuid,nodev (--rootfs)\n"
		  "overlay none\n"
		  "hostname box\n"
		  "ipc private\n"
		  "name id-2 (generated)\n"
		  "state-dir /run/user/1001/nook/sandboxes\n"
		  "net none\n"
		  "dbus-user none\n"
		  "dbus-system none\n"
		  "cwd /work\n"
		  "caps cap_chown cap_net_bind_service cap_setfcap\n"
		  "no-new-privs 1\n"
		  "seccomp on action=kill arch=native\n"
		  "seccomp-deny bpf keyctl\n"
		  "seccomp-deny-namespaces clone unshare\n"
		  "seccomp-enosys clone3\n"
		  "seccomp-enosys-unknown except 467 468\n"
		  "seccomp-deny-socket vsock\n"
		  "seccomp-protocols unix inet6\n"
		  "landlock scope abstract-unix-socket\n"
		  "rlimit nofile 1024\n"
		  "rlimit cpu unlimited\n"
		  "rlimit core 0 hard unlimited\n"
		  "terminal new-session\n"
		  "argv[0] id\n",
		  "root/single spec");
	free(text);
	spec_free(&s);
}

/* D-Bus: a filtered session bus (its proxy, rules, socket), the whole system bus. */
static void test_dbus(void)
{
	struct spec s;
	char *text;

	keep_id_spec(&s);
	s.dbus_user.mode = DBUS_FILTER;
	s.dbus_user.upstream = xstrdup("unix:path=/run/user/1001/bus,guid=12\n");
	s.dbus_user.dest = xstrdup("/run/user/1001/bus");
	strv_push(&s.dbus_user.rules, "--own=org.example.App.*");
	strv_push(&s.dbus_user.rules, "--call=org.example.B=org.example.B.Get@/b/*");
	s.dbus_system.mode = DBUS_ALLOW;
	s.dbus_proxy = xstrdup("/usr/bin/xdg-dbus-proxy");
	s.dbus_proxy_dir = xstrdup("/run/user/1001/nook");
	spec_add_mount(&s, MOUNT_DBUS_PROXY, "user", "/run/user/1001/bus",
		       MOUNT_F_NOSUID | MOUNT_F_NODEV, "dbus-user filter");
	text = printed(&s);
	has_line(text,
		 "dbus-user filter unix:path=/run/user/1001/bus,guid=12\\n -> "
		 "/run/user/1001/bus --own=org.example.App.* "
		 "--call=org.example.B=org.example.B.Get@/b/*",
		 "dbus: the filtered bus, its address escaped, its socket inside, the proxy's rules");
	has_line(text, "dbus-system allow", "dbus: the whole system bus");
	has_line(text, "dbus-proxy /usr/bin/xdg-dbus-proxy dir=/run/user/1001/nook",
		 "dbus: the proxy, and where its directory is made");
	has_line(text,
		 "mount dbus-proxy user /run/user/1001/bus rw,nosuid,nodev (dbus-user filter)",
		 "dbus: the proxy's socket, bound inside");
	free(text);
	spec_free(&s);
}

/* The lines the integration tests and users grep for, from a spec spec_build made. */
static void test_built(void)
{
	char dir[] = "/tmp/nook-unit-print-XXXXXX";
	char *environ_fixture[] = {NULL};
	struct request ro;
	struct host_facts h = {0};
	struct spec s;
	char *text, *subuid;
	FILE *f;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(99);
	}
	subuid = xasprintf("%s/subuid", dir);
	f = fopen(subuid, "w");
	if (!f || fputs("tester:100000:65536\n", f) < 0 || fclose(f) != 0) {
		perror(subuid);
		exit(99);
	}
	h.uid = 1001;
	h.gid = 1001;
	h.username = xstrdup("tester");
	h.cwd = xstrdup("/home/tester");
	h.hostname = xstrdup("workstation");
	h.environ = environ_fixture;
	h.subuid_path = xstrdup(subuid);
	h.subgid_path = xstrdup(subuid);
	h.newuidmap = xstrdup("/usr/bin/newuidmap");
	h.newgidmap = xstrdup("/usr/bin/newgidmap");
	request_init(&ro);
	strv_push(&ro.argv, "true");

	is_int(spec_build(&ro, &h, &s), 0, "built: spec_build returns 0");
	text = printed(&s);
	has_line(text, "namespaces user mount pid ipc uts cgroup net", "built");
	has_line(text, "userns keep-id", "built");
	has_line(text, "uid-map 0 100000 1001", "built");
	has_line(text, "uid-map 1001 1001 1", "built");
	has_line(text, "gid-map 1002 101001 64535", "built");
	has_line(text, "mount root / / ro,nosuid,nodev", "built");
	has_line(text, "mount tmpfs /tmp rw,nosuid,nodev mode=1777 uid=0,gid=0,size=1g", "built");
	has_line(text, "mount symlink /dev/ptmx -> pts/ptmx", "built");
	has_line(text, "hostname workstation", "built");
	has_line(text, "net none", "built");
	has_line(text, "caps none", "built");
	has_line(text, "no-new-privs 1", "built");
	has_line(text, "argv[0] true", "built");
	ok(strncmp(text, "profile none\nnamespaces ", 24) == 0,
	   "built: the profile line, then the namespaces line");
	ok(strlen(text) > 14 && strcmp(text + strlen(text) - 14, "\nargv[0] true\n") == 0,
	   "built: argv comes last");

	free(text);
	spec_free(&s);
	request_free(&ro);
	host_facts_free(&h);
	unlink(subuid);
	free(subuid);
	rmdir(dir);
}

/* spec_print_json into a string (to be freed); *ret: what it returned. */
static char *printed_json(const struct spec *s, int *ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f) {
		perror("open_memstream");
		exit(99);
	}
	*ret = spec_print_json(s, f);
	if (fclose(f) != 0) {
		perror("open_memstream");
		exit(99);
	}
	return text;
}

/* The JSON of a fixed spec, whole: its keys and their order are the stable schema. */
static void test_json(void)
{
	struct spec s;
	char *text;
	int r;

	keep_id_spec(&s);
	text = printed_json(&s, &r);
	is_int(r, 0, "json: balanced");
	is_str(text,
	       "{\"version\":1,\"profile\":null,\"profile_files\":[],"
	       "\"namespaces\":[\"user\",\"mount\",\"pid\",\"ipc\",\"uts\",\"cgroup\",\"net\"],"
	       "\"userns\":\"keep-id\","
	       "\"idmap_helpers\":{\"newuidmap\":\"/usr/bin/newuidmap\",\"newgidmap\":\"/usr/bin/newgidmap\"},"
	       "\"setgroups\":\"allow\","
	       "\"userns_pool\":{\"socket\":\"/run/user/1001/nook/userns.sock\",\"idle\":30},"
	       "\"uid_map\":[{\"inside\":0,\"outside\":100000,\"count\":1001},"
	       "{\"inside\":1001,\"outside\":1001,\"count\":1},"
	       "{\"inside\":1002,\"outside\":101001,\"count\":64535}],"
	       "\"gid_map\":[{\"inside\":0,\"outside\":100000,\"count\":1001},"
	       "{\"inside\":1001,\"outside\":1001,\"count\":1},"
	       "{\"inside\":1002,\"outside\":101001,\"count\":64535}],"
	       "\"uid\":1001,\"gid\":1001,\"groups\":\"keep\",\"switch_user\":null,"
	       "\"mounts\":["
	       "{\"kind\":\"root\",\"src\":\"/\",\"dest\":\"/\",\"content\":null,"
	       "\"flags\":[\"ro\",\"nosuid\",\"nodev\"],\"mode\":null,\"options\":null,"
	       "\"origin\":\"default\"},"
	       "{\"kind\":\"proc\",\"src\":null,\"dest\":\"/proc\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"nodev\",\"noexec\"],\"mode\":null,\"options\":null,"
	       "\"origin\":\"default\"},"
	       "{\"kind\":\"tmpfs\",\"src\":null,\"dest\":\"/dev\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"noexec\"],\"mode\":\"0755\",\"options\":\"uid=0,gid=0\","
	       "\"origin\":\"default\"},"
	       "{\"kind\":\"bind\",\"src\":\"/dev/null\",\"dest\":\"/dev/null\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"noexec\"],\"mode\":null,\"options\":null,"
	       "\"origin\":\"default\"},"
	       "{\"kind\":\"devpts\",\"src\":null,\"dest\":\"/dev/pts\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"noexec\"],\"mode\":null,"
	       "\"options\":\"newinstance,ptmxmode=0666,mode=0620,gid=5\",\"origin\":\"default\"},"
	       "{\"kind\":\"symlink\",\"src\":\"pts/ptmx\",\"dest\":\"/dev/ptmx\",\"content\":null,"
	       "\"flags\":[],\"mode\":null,\"options\":null,\"origin\":\"default\"},"
	       "{\"kind\":\"mqueue\",\"src\":null,\"dest\":\"/dev/mqueue\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"nodev\",\"noexec\"],\"mode\":null,\"options\":null,"
	       "\"origin\":\"default\"},"
	       "{\"kind\":\"tmpfs\",\"src\":null,\"dest\":\"/tmp\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"nodev\"],\"mode\":\"1777\",\"options\":\"uid=0,gid=0\","
	       "\"origin\":\"default\"},"
	       "{\"kind\":\"bind\",\"src\":\"/home/tester/src\",\"dest\":\"/src\",\"content\":null,"
	       "\"flags\":[\"ro\",\"nosuid\",\"nodev\"],\"mode\":null,\"options\":null,"
	       "\"origin\":\"--ro-bind /home/tester/src:/src\"},"
	       "{\"kind\":\"bind\",\"src\":\"/opt\",\"dest\":\"/opt\",\"content\":null,"
	       "\"flags\":[\"optional\"],\"mode\":null,\"options\":null,\"origin\":\"profile\"},"
	       "{\"kind\":\"tmpfs\",\"src\":null,\"dest\":\"/scratch\",\"content\":null,"
	       "\"flags\":[\"nosuid\",\"nodev\"],\"mode\":\"0755\",\"options\":null,"
	       "\"origin\":\"--tmpfs /scratch\"}],"
	       "\"host_mkdir\":[],\"host_mkfile\":[],\"host_mkdir_try\":[],"
	       "\"overlay\":{\"mode\":\"none\",\"name\":null,\"driver\":null,\"dir\":null,"
	       "\"fuse_overlayfs\":null,\"parts\":[]},"
	       "\"hostname\":\"nook\",\"ipc_host\":null,\"name\":null,"
	       "\"net\":{\"mode\":\"none\",\"slirp4netns\":null,\"pasta\":null,\"mtu\":null,"
	       "\"host_loopback\":false,\"slirp_sandbox\":false,\"publish\":[]},"
	       "\"cwd\":\"/home/tester\",\"cwd_required\":false,\"caps\":[],\"no_new_privs\":true,"
	       "\"seccomp\":{\"enabled\":false,\"action\":null,\"arch\":[],\"deny\":[],"
	       "\"deny_namespaces\":[],\"enosys\":[],\"deny_ioctl\":[],\"enosys_unknown\":false,"
	       "\"enosys_except\":[],\"deny_socket\":[],\"deny_personality\":false,"
	       "\"memory_deny_write_execute\":false,\"protocols\":null},"
	       "\"landlock\":null,\"rlimits\":[],\"caches\":[],"
	       "\"dbus_user\":{\"mode\":\"none\",\"upstream\":null,\"dest\":null,\"rules\":[]},"
	       "\"dbus_system\":{\"mode\":\"none\",\"upstream\":null,\"dest\":null,\"rules\":[]},"
	       "\"dbus_proxy\":null,\"dbus_proxy_dir\":null,"
	       "\"terminal\":{\"mode\":\"pty\",\"pty_fds\":[\"stdin\",\"stderr\"]},"
	       "\"timeout\":null,"
	       "\"single_instance\":null,"
	       "\"env\":{\"HOME\":\"/home/tester\",\"PATH\":\"/usr/bin:/bin\"},\"env_removed\":[],"
	       "\"argv\":[\"sh\",\"-c\",\"echo hi\"],\"failure_hint\":null}\n",
	       "json: the whole object of the keep-id spec");
	free(text);
	spec_free(&s);
}

/* --net=pasta: its line and the forwards, in text and in JSON. */
static void test_pasta(void)
{
	struct spec s;
	char *text;
	int r;

	keep_id_spec(&s);
	s.net.mode = NET_PASTA;
	s.net.pasta = xstrdup("/usr/bin/pasta");
	s.net.mtu = SLIRP_MTU;
	s.net.publish = xcalloc(1, sizeof *s.net.publish);
	s.net.publish[0] = (struct publish_spec){.host_addr = "127.0.0.1",
						 .host_port = 8080,
						 .guest_port = 80,
						 .origin = xstrdup("--publish 8080:80")};
	s.net.npublish = 1;
	text = printed(&s);
	has_line(text, "net pasta /usr/bin/pasta mtu=65520 host-loopback=no",
		 "pasta: the helper, the MTU, the host's loopback closed");
	has_line(text, "publish 127.0.0.1:8080 -> 80/tcp", "pasta: the forward");
	free(text);
	text = printed_json(&s, &r);
	is_int(r, 0, "pasta json: balanced");
	ok(strstr(text, "\"net\":{\"mode\":\"pasta\",\"slirp4netns\":null,"
			"\"pasta\":\"/usr/bin/pasta\",\"mtu\":65520,\"host_loopback\":false,"
			"\"slirp_sandbox\":false,\"publish\":[{\"host_addr\":\"127.0.0.1\","
			"\"host_port\":8080,") != NULL,
	   "pasta json: the net object");
	free(text);
	spec_free(&s);
}

int main(void)
{
	test_keep_id();
	test_json();
	test_root_single();
	test_dbus();
	test_pasta();
	test_built();
	return done_testing();
}
