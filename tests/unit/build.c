// SPDX-License-Identifier: GPL-2.0-or-later
/* spec_build(): a request plus hand-made host facts into a sandbox spec. */
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy/build.h"
#include "request/options.h"
#include "tap.h"
#include "util/err.h"

static char tmpdir[] = "/tmp/nook-unit-build-XXXXXX";
static char *environ_fixture[] = {"HOME=/home/tester", "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
				  "PATHX=x", NULL};

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void write_file(const char *name, const char *content)
{
	char *p = tmp_path(name);
	FILE *f = fopen(p, "w");

	if (!f || fputs(content, f) < 0 || fclose(f) != 0) {
		perror(p);
		exit(99);
	}
	free(p);
}

/* uid 1001, gid 1001, "tester", with 100000:65536 subuids and 200000:65536 subgids. */
static void facts(struct host_facts *h)
{
	memset(h, 0, sizeof *h);
	h->uid = 1001;
	h->gid = 1001;
	h->username = xstrdup("tester");
	h->cwd = xstrdup("/home/tester");
	h->environ = environ_fixture;
	h->path = xstrdup("/usr/bin:/bin");
	h->runuser = xstrdup("/run/user/1001");
	h->hostname = xstrdup("workstation");
	h->config_dir = xstrdup("/home/tester/.config/nook");
	h->data_dir = xstrdup("/home/tester/.local/share/nook");
	h->subuid_path = tmp_path("subuid");
	h->subgid_path = tmp_path("subgid");
	h->newuidmap = xstrdup("/usr/bin/newuidmap");
	h->newgidmap = xstrdup("/usr/bin/newgidmap");
}

static void set(char **field, const char *value)
{
	free(*field);
	*field = value ? xstrdup(value) : NULL;
}

static void ro_mount(struct request *ro, enum mount_kind kind, const char *src, const char *dest,
		     unsigned flags, const char *origin)
{
	struct mount_op *m;

	ro->mounts = xreallocarray(ro->mounts, ro->nmounts + 1, sizeof *ro->mounts);
	m = &ro->mounts[ro->nmounts++];
	*m = (struct mount_op){
		.kind = kind,
		.src = src ? xstrdup(src) : NULL,
		.dest = xstrdup(dest),
		.flags = flags,
		.mode = 0755,
		.origin = xstrdup(origin),
	};
}

/* A request for "prog arg" with the given mode. */
static void request(struct request *ro, enum userns_mode mode)
{
	request_init(ro);
	ro->userns = mode;
	strv_push(&ro->argv, "prog");
	strv_push(&ro->argv, "arg");
}

/* spec_build with stderr captured into *err (to be freed). */
static int build(const struct request *ro, const struct host_facts *h, struct spec *s, char **err)
{
	struct capture c;
	int r;

	capture_begin(&c, STDERR_FILENO);
	r = spec_build(ro, h, s);
	*err = capture_end(&c);
	return r;
}

static const char *map_str(const struct id_map *m)
{
	static char buf[1024];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < m->n && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len,
					"[%" PRIu32 " %" PRIu32 " %" PRIu32 "]", m->r[i].inside,
					m->r[i].outside, m->r[i].count);
	return buf;
}

static const char *mount_str(const struct mount_op *m)
{
	static char buf[1024];

	snprintf(buf, sizeof buf, "%s %s %s%s%s%s%s%s %04o %s (%s)", mount_kind_name(m->kind),
		 m->src ? m->src : "-", m->dest ? m->dest : "-",
		 m->flags & MOUNT_F_RDONLY ? " ro" : " rw",
		 m->flags & MOUNT_F_NOSUID ? ",nosuid" : "",
		 m->flags & MOUNT_F_NODEV ? ",nodev" : "",
		 m->flags & MOUNT_F_NOEXEC ? ",noexec" : "",
		 m->flags & MOUNT_F_OPTIONAL ? ",optional" : "", m->mode,
		 m->options ? m->options : "-", m->origin ? m->origin : "-");
	return buf;
}

static const char *strv_str(const struct strv *v)
{
	static char buf[2048];

	buf[0] = '\0';
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, v->v[i]);
	}
	return buf;
}

static const struct mount_op *find_mount(const struct spec *s, const char *dest)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].dest && strcmp(s->mounts[i].dest, dest) == 0)
			return &s->mounts[i];
	return NULL;
}

static uint64_t podman_caps(void)
{
	static const int caps[] = {
		CAP_CHOWN,   CAP_DAC_OVERRIDE, CAP_FOWNER,  CAP_FSETID,           CAP_KILL,
		CAP_SETGID,  CAP_SETUID,       CAP_SETPCAP, CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,
		CAP_SETFCAP,
	};
	uint64_t bits = 0;

	for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++)
		bits |= UINT64_C(1) << caps[i];
	return bits;
}

static void test_keep_id(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	int r;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "keep-id: returns 0");
	is_str(err, "", "keep-id: no message");
	is_int(s.clone_flags,
	       CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
		       CLONE_NEWCGROUP | CLONE_NEWNET,
	       "keep-id: all seven namespaces");
	is_int(s.userns, USERNS_KEEP_ID, "keep-id: mode keep-id");
	ok(s.idmap_helpers, "keep-id: maps by the helpers");
	is_str(s.newuidmap, "/usr/bin/newuidmap", "keep-id: newuidmap path");
	is_str(s.newgidmap, "/usr/bin/newgidmap", "keep-id: newgidmap path");
	ok(s.newuidmap != h.newuidmap, "keep-id: helper path copied, not shared");
	is_str(map_str(&s.uid_map), "[0 100000 1001][1001 1001 1][1002 101001 64535]",
	       "keep-id: uid map");
	is_str(map_str(&s.gid_map), "[0 200000 1001][1001 1001 1][1002 201001 64535]",
	       "keep-id: gid map");
	is_int(s.inside_uid, 1001, "keep-id: inside uid is the caller's");
	is_int(s.inside_gid, 1001, "keep-id: inside gid is the caller's");
	is_int(s.caps_keep, 0, "keep-id: no capabilities");
	spec_free(&s);
	free(err);

	/*
	 * No user name: the decimal uid in the files. subgid(5) lines belong to users too,
	 * so the gid map of a caller with gid 1500 comes from the line of uid 1001.
	 */
	write_file("subuid-num", "1001:300000:65536\n");
	write_file("subgid-num", "1500:900000:65536\n1001:400000:65536\n");
	set(&h.subuid_path, NULL);
	h.subuid_path = tmp_path("subuid-num");
	set(&h.subgid_path, NULL);
	h.subgid_path = tmp_path("subgid-num");
	set(&h.username, NULL);
	h.gid = 1500;
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "keep-id by number: returns 0");
	is_int(s.userns, USERNS_KEEP_ID, "keep-id by number: mode keep-id");
	is_str(map_str(&s.uid_map), "[0 300000 1001][1001 1001 1][1002 301001 64535]",
	       "keep-id by number: uid map");
	is_str(map_str(&s.gid_map), "[0 400000 1500][1500 1500 1][1501 401500 64036]",
	       "keep-id by number: gid map from uid 1001's subgid line, around gid 1500");
	is_int(s.inside_gid, 1500, "keep-id by number: inside gid 1500");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

static void test_root(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	int r;

	facts(&h);
	request(&ro, USERNS_ROOT);
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "root: returns 0");
	is_int(s.userns, USERNS_ROOT, "root: mode root");
	ok(s.idmap_helpers, "root: maps by the helpers");
	is_str(map_str(&s.uid_map), "[0 1001 1][1 100000 65536]", "root: uid map");
	is_str(map_str(&s.gid_map), "[0 1001 1][1 200000 65536]", "root: gid map");
	is_int(s.inside_uid, 0, "root: inside uid 0");
	is_int(s.inside_gid, 0, "root: inside gid 0");
	is_int(s.caps_keep, podman_caps(), "root: the 11 capabilities rootless podman keeps");
	is_int(root_mode_caps_count, 11, "root: root_mode_caps has 11 entries");
	is_int(__builtin_popcountll(s.caps_keep), 11, "root: 11 bits set");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* A --caps-keep or --caps-drop edit, from the command line or from line 7 of a profile. */
static void caps_edit(struct request *ro, bool keep, uint64_t mask, bool cli)
{
	ro->sec.caps = xreallocarray(ro->sec.caps, ro->sec.ncaps + 1, sizeof *ro->sec.caps);
	ro->sec.caps[ro->sec.ncaps++] = (struct caps_edit){
		.keep = keep,
		.mask = mask,
		.value = xstrdup(mask == UINT64_MAX ? "all" : "some"),
		.origin = xstrdup(cli ? (keep ? "--caps-keep" : "--caps-drop") : "/p/x.profile:7"),
		.cli = cli,
	};
}

/* The command line's --userns=root against a profile's caps lines: the command line wins. */
static void test_caps_origins(void)
{
	const uint64_t bind = UINT64_C(1) << CAP_NET_BIND_SERVICE;
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	request(&ro, USERNS_ROOT);
	ro.userns_cli = true;
	caps_edit(&ro, false, UINT64_MAX, false);
	is_int(build(&ro, &h, &s, &err), 0, "caps: --userns=root + profile caps.drop all: builds");
	is_int(s.caps_keep, podman_caps(), "caps: the profile's caps.drop all is not applied");
	is_str(err,
	       "nook: warning: /p/x.profile:7: caps-drop all: not applied: --userns=root on "
	       "the command line keeps root's capabilities (narrow them with --caps-drop)\n",
	       "caps: one line names the profile's line");
	spec_free(&s);
	free(err);

	/* The command line's own --caps-drop applies. */
	caps_edit(&ro, false, bind, true);
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, podman_caps() & ~bind, "caps: --caps-drop on the command line applies");
	spec_free(&s);
	free(err);

	/* A profile's keep is not applied either, quietly with -q. */
	caps_edit(&ro, true, bind, false);
	ro.quiet = true;
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, podman_caps() & ~bind, "caps: a profile's caps.keep is not applied");
	is_str(err, "", "caps: -q: no warning");
	spec_free(&s);
	free(err);

	/* Root from a profile: its own caps lines apply, in order. */
	ro.userns_cli = false;
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, bind, "caps: userns root from the profile: keep after drop gives keep");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* keep-id: nothing to narrow; a profile's keep gives what it names. */
	request(&ro, USERNS_KEEP_ID);
	caps_edit(&ro, true, bind, false);
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, bind, "caps: keep-id + profile caps.keep net_bind_service");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

static void test_single(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	int r;

	facts(&h);
	/* single must not even look at the files: make them unreadable (ENOTDIR). */
	set(&h.subuid_path, NULL);
	h.subuid_path = tmp_path("subuid/x");
	set(&h.subgid_path, NULL);
	h.subgid_path = tmp_path("subgid/x");
	request(&ro, USERNS_SINGLE);
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "single: returns 0 (subid files not read)");
	is_str(err, "", "single: no message");
	is_int(s.userns, USERNS_SINGLE, "single: mode single");
	ok(!s.idmap_helpers, "single: no helpers");
	ok(!s.newuidmap && !s.newgidmap, "single: no helper paths");
	is_str(map_str(&s.uid_map), "[1001 1001 1]", "single: uid map");
	is_str(map_str(&s.gid_map), "[1001 1001 1]", "single: gid map");
	is_int(s.inside_uid, 1001, "single: inside uid 1001");
	is_int(s.inside_gid, 1001, "single: inside gid 1001");
	is_int(s.caps_keep, 0, "single: no capabilities");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* keep-id with those files is an error, not a silent fallback. */
	request(&ro, USERNS_KEEP_ID);
	r = build(&ro, &h, &s, &err);
	is_int(r, -1, "unreadable subuid file: returns -1");
	ok(strncmp(err, "nook: cannot read ", 18) == 0 &&
		   strstr(err, "subuid/x: Not a directory\n"),
	   "unreadable subuid file: message names the file and the reason");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

static void test_fallback(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err, *want;
	int r;

	/* No range for this user in subuid. */
	write_file("subuid-other", "other:100000:65536\n");
	facts(&h);
	set(&h.subuid_path, NULL);
	h.subuid_path = tmp_path("subuid-other");
	request(&ro, USERNS_KEEP_ID);
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "fallback no subuid: returns 0");
	is_int(s.userns, USERNS_SINGLE, "fallback no subuid: mode single");
	ok(!s.idmap_helpers && !s.newuidmap && !s.newgidmap, "fallback no subuid: no helpers");
	is_str(map_str(&s.uid_map), "[1001 1001 1]", "fallback no subuid: uid map");
	is_str(map_str(&s.gid_map), "[1001 1001 1]", "fallback no subuid: gid map");
	is_int(s.inside_uid, 1001, "fallback no subuid: inside uid 1001");
	want = xasprintf("nook: user tester has no subordinate ids in %s; mapping only the caller's "
			 "own id, as itself (see 'nook doctor')\n",
			 h.subuid_path);
	is_str(err, want, "fallback no subuid: one warning");
	free(want);
	spec_free(&s);
	free(err);

	ro.quiet = true;
	r = build(&ro, &h, &s, &err);
	is_str(err, "", "fallback quiet: no warning");
	is_int(s.userns, USERNS_SINGLE, "fallback quiet: still single");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* Root requested: the caller is 0 inside. */
	request(&ro, USERNS_ROOT);
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "fallback root: returns 0");
	is_int(s.userns, USERNS_SINGLE, "fallback root: mode single");
	ok(!s.idmap_helpers, "fallback root: no helpers");
	is_str(map_str(&s.uid_map), "[0 1001 1]", "fallback root: uid map 0 -> 1001");
	is_str(map_str(&s.gid_map), "[0 1001 1]", "fallback root: gid map 0 -> 1001");
	is_int(s.inside_uid, 0, "fallback root: inside uid 0");
	is_int(s.inside_gid, 0, "fallback root: inside gid 0");
	ok(strstr(err, "as root (see 'nook doctor')\n") != NULL,
	   "fallback root: warning says root");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);

	/* subuid fine, subgid without a range. */
	write_file("subgid-empty", "# nothing\n");
	facts(&h);
	set(&h.subgid_path, NULL);
	h.subgid_path = tmp_path("subgid-empty");
	request(&ro, USERNS_KEEP_ID);
	r = build(&ro, &h, &s, &err);
	is_int(s.userns, USERNS_SINGLE, "fallback no subgid: mode single");
	is_str(map_str(&s.uid_map), "[1001 1001 1]", "fallback no subgid: uid map single too");
	want = xasprintf("nook: user tester has no subordinate ids in %s; mapping only the caller's "
			 "own id, as itself (see 'nook doctor')\n",
			 h.subgid_path);
	is_str(err, want, "fallback no subgid: the warning names subgid");
	free(want);
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);

	/* Ranges fine, a helper missing. */
	for (int which = 0; which < 2; which++) {
		const char *name = which ? "newgidmap" : "newuidmap";

		facts(&h);
		set(which ? &h.newgidmap : &h.newuidmap, NULL);
		request(&ro, USERNS_ROOT);
		r = build(&ro, &h, &s, &err);
		is_int(r, 0, "fallback no %s: returns 0", name);
		is_int(s.userns, USERNS_SINGLE, "fallback no %s: mode single", name);
		ok(!s.idmap_helpers && !s.newuidmap && !s.newgidmap, "fallback no %s: no helpers",
		   name);
		is_str(map_str(&s.uid_map), "[0 1001 1]", "fallback no %s: uid map 0 -> 1001",
		       name);
		is_int(s.inside_uid, 0, "fallback no %s: inside uid 0", name);
		is_str(err,
		       "nook: newuidmap/newgidmap are not installed (package uidmap); mapping only "
		       "the caller's own id, as root (see 'nook doctor')\n",
		       "fallback no %s: the warning names the package", name);
		spec_free(&s);
		free(err);
		request_free(&ro);
		host_facts_free(&h);
	}

	/* Inside another sandbox: the helpers are there and cannot work; the cause is named. */
	for (int which = 0; which < 2; which++) {
		const char *name = which ? "nosuid" : "no_new_privs";

		facts(&h);
		if (which)
			h.helpers_nosuid = true;
		else
			h.no_new_privs = true;
		request(&ro, USERNS_KEEP_ID);
		r = build(&ro, &h, &s, &err);
		is_int(r, 0, "fallback %s: returns 0", name);
		is_int(s.userns, USERNS_SINGLE, "fallback %s: mode single", name);
		ok(!s.idmap_helpers, "fallback %s: no helpers", name);
		is_str(map_str(&s.uid_map), "[1001 1001 1]", "fallback %s: uid map 1001 -> 1001",
		       name);
		ok(err && strstr(err, name) && !strstr(err, "subuid") &&
			   strchr(err, '\n') == err + strlen(err) - 1,
		   "fallback %s: one line naming the cause, not /etc/subuid: %s", name,
		   err ? err : "(none)");
		spec_free(&s);
		free(err);
		request_free(&ro);
		host_facts_free(&h);
	}
}

/* The caller mapped as 0 alone is root inside: it keeps the podman set; as itself, nothing. */
static void test_fallback_caps(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	set(&h.newuidmap, NULL);
	request(&ro, USERNS_ROOT);
	ro.quiet = true;
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, podman_caps(), "fallback root: inside uid 0 keeps the podman caps");
	spec_free(&s);
	free(err);
	ro.userns = USERNS_KEEP_ID;
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, 0, "fallback keep-id: no caps");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

static void test_mounts(void)
{
	static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
	static const char *const stdio[] = {"stdin", "stdout", "stderr"};
	struct request ro;
	struct host_facts h;
	struct spec s;
	const struct mount_op *m;
	char *err;
	size_t n, tmp_at;
	int bad = 0;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	ro_mount(&ro, MOUNT_TMPFS, NULL, "/scratch", MOUNT_F_NOSUID | MOUNT_F_NODEV,
		 "--tmpfs /scratch");
	ro.mounts[0].mode = 0700;
	ro_mount(&ro, MOUNT_BIND, "/a", "/b", MOUNT_F_NOSUID | MOUNT_F_NODEV, "--bind /a:/b");
	ro_mount(&ro, MOUNT_BIND, "/c", "/tmp", MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		 "--ro-bind /c:/tmp");
	build(&ro, &h, &s, &err);
	n = s.nmounts;
	ok(n > 7, "mounts: %zu of them", n);
	if (n <= 7)
		goto out;
	/* Last of all, in every sandbox: nook's own state and configuration, hidden. */
	is_str(s.mounts[n - 2].origin, "nook's state",
	       "mounts: nook's state is masked, next to last");
	is_str(mount_str(&s.mounts[n - 2]),
	       "mask - /home/tester/.local/share/nook ro,nosuid,nodev,noexec,optional 0755 - "
	       "(nook's state)",
	       "mounts: ... as a read-only mask (the spec says what is done)");
	is_str(s.mounts[n - 1].origin, "nook's configuration",
	       "mounts: nook's configuration, last");
	is_str(mount_str(&s.mounts[n - 1]),
	       "mask - /home/tester/.config/nook ro,nosuid,nodev,noexec,optional 0755 - "
	       "(nook's configuration)",
	       "mounts: ... as a read-only mask");
	n -= 2;

	is_str(mount_str(&s.mounts[0]), "root / / ro,nosuid,nodev 0755 - (default)",
	       "mounts: 1st is the host's / read-only");
	is_str(mount_str(&s.mounts[1]), "proc - /proc rw,nosuid,nodev,noexec 0755 - (default)",
	       "mounts: 2nd is /proc");
	{
		static const char *const ro_proc[] = {
			"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
		};

		for (size_t i = 0; i < 5; i++) {
			char *want =
				xasprintf("restrict - %s ro,nosuid,nodev,noexec,optional 0755 - "
					  "(default)",
					  ro_proc[i]);

			is_str(mount_str(&s.mounts[2 + i]), want,
			       "mounts: %s made read-only after /proc", ro_proc[i]);
			free(want);
		}
	}
	is_str(mount_str(&s.mounts[7]),
	       "tmpfs - /dev rw,nosuid,noexec 0755 uid=0,gid=0,size=1m,nr_inodes=1k (default)",
	       "mounts: then the /dev tmpfs, root-owned (0 is mapped)");

	for (tmp_at = 8; tmp_at < n && strcmp(s.mounts[tmp_at].dest, "/tmp") != 0; tmp_at++)
		;
	is_str(tmp_at < n ? mount_str(&s.mounts[tmp_at]) : NULL,
	       "tmpfs - /tmp rw,nosuid,nodev 1777 uid=0,gid=0,size=1g (default)",
	       "mounts: the defaults end with /tmp, of a bounded size");
	if (tmp_at + 8 > n)
		goto out;
	/* Then the session: a private /run and runtime dir, and only the granted sockets. */
	{
		static const char *const session[] = {
			"tmpfs - /run rw,nosuid,nodev 0755 uid=0,gid=0,size=80m (private /run)",
			"dir - /run/user/1001 rw 0700 - (private runtime dir)",
			"bind /run/user/1001/bus /run/user/1001/bus rw,nosuid,nodev,optional 0755 - "
			"(session bus)",
			"bind /run/dbus/system_bus_socket /run/dbus/system_bus_socket "
			"rw,nosuid,nodev,optional 0755 - (system bus)",
			"bind /run/user/1001/pulse/native /run/user/1001/pulse/native "
			"rw,nosuid,nodev,optional 0755 - (sound)",
			"bind /run/user/1001/pipewire-0 /run/user/1001/pipewire-0 "
			"rw,nosuid,nodev,optional 0755 - (sound)",
		};

		for (size_t i = 0; i < sizeof session / sizeof session[0]; i++)
			is_str(mount_str(&s.mounts[tmp_at + 1 + i]), session[i],
			       "mounts: session %zu after /tmp", i + 1);
	}
	is_str(mount_str(&s.mounts[n - 3]),
	       "tmpfs - /scratch rw,nosuid,nodev 0700 size=1g (--tmpfs /scratch)",
	       "mounts: then the user's, 1st (mode kept, the default size)");
	is_str(mount_str(&s.mounts[n - 2]), "bind /a /b rw,nosuid,nodev 0755 - (--bind /a:/b)",
	       "mounts: user's 2nd");
	is_str(mount_str(&s.mounts[n - 1]),
	       "bind /c /tmp ro,nosuid,nodev 0755 - (--ro-bind /c:/tmp)",
	       "mounts: user's 3rd, over /tmp, comes last");

	/* Between /dev and /tmp: everything under /dev, each default. */
	for (size_t i = 8; i < tmp_at; i++) {
		if (strncmp(s.mounts[i].dest, "/dev/", 5) != 0 ||
		    strcmp(s.mounts[i].origin, "default") != 0) {
			diag("unexpected %s", mount_str(&s.mounts[i]));
			bad++;
		}
	}
	is_int(bad, 0, "mounts: between /dev and /tmp only /dev/... defaults");

	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		char *want, *dest = xasprintf("/dev/%s", devices[i]);

		m = find_mount(&s, dest);
		want = xasprintf("bind %s %s rw,nosuid,noexec 0755 - (default)", dest, dest);
		is_str(m ? mount_str(m) : NULL, want, "mounts: device %s bound, without nodev",
		       dest);
		free(want);
		free(dest);
	}
	m = find_mount(&s, "/dev/pts");
	is_str(m ? mount_str(m) : NULL,
	       "devpts - /dev/pts rw,nosuid,noexec 0755 newinstance,ptmxmode=0666,mode=0620,gid=5 "
	       "(default)",
	       "mounts: devpts, gid 5 mapped");
	m = find_mount(&s, "/dev/ptmx");
	is_str(m ? mount_str(m) : NULL, "symlink pts/ptmx /dev/ptmx rw 0755 - (default)",
	       "mounts: /dev/ptmx -> pts/ptmx");
	m = find_mount(&s, "/dev/shm");
	is_str(m ? mount_str(m) : NULL, "tmpfs - /dev/shm rw,nosuid,nodev 1777 size=64m (default)",
	       "mounts: /dev/shm 1777, 64m as podman's");
	m = find_mount(&s, "/dev/fd");
	is_str(m ? mount_str(m) : NULL, "symlink /proc/self/fd /dev/fd rw 0755 - (default)",
	       "mounts: /dev/fd -> /proc/self/fd");
	m = find_mount(&s, HOST_NOOK_MARKER);
	is_str(m ? mount_str(m) : NULL, "file  /dev/.nook ro,nosuid,nodev,noexec 0755 - (default)",
	       "mounts: the marker /dev/.nook, an empty read-only file");
	for (int i = 0; i < 3; i++) {
		char *want, *dest = xasprintf("/dev/%s", stdio[i]);

		m = find_mount(&s, dest);
		want = xasprintf("symlink /proc/self/fd/%d %s rw 0755 - (default)", i, dest);
		is_str(m ? mount_str(m) : NULL, want, "mounts: %s symlink", dest);
		free(want);
		free(dest);
	}
	ok(s.mounts[n - 2].src != ro.mounts[1].src && s.mounts[n - 2].origin != ro.mounts[1].origin,
	   "mounts: user mounts are copied, not shared");
out:
	spec_free(&s);
	free(err);

	/* Nothing mapped to 0 or 5: no root-owned /dev, /tmp, no tty group. */
	ro.userns = USERNS_SINGLE;
	build(&ro, &h, &s, &err);
	m = find_mount(&s, "/dev");
	is_str(m ? m->options : NULL, "size=1m,nr_inodes=1k",
	       "mounts single: /dev without uid=0,gid=0, bounded");
	m = find_mount(&s, "/dev/pts");
	is_str(m ? m->options : NULL, "newinstance,ptmxmode=0666,mode=0620",
	       "mounts single: devpts without gid=5");
	spec_free(&s);
	free(err);

	ro.userns = USERNS_ROOT;
	set(&h.newuidmap, NULL);
	ro.quiet = true;
	build(&ro, &h, &s, &err);
	m = find_mount(&s, "/tmp");
	is_str(m ? m->options : NULL, "uid=0,gid=0,size=1g",
	       "mounts single as root: /tmp root-owned");
	spec_free(&s);
	free(err);

	/* --rootfs: it must exist; its canonical path is the root's source. */
	{
		char img[] = "/tmp/unit-rootfs-XXXXXX";
		char *want;

		ok(mkdtemp(img) != NULL, "mounts: made a directory for --rootfs");
		ro.rootfs = xasprintf("%s/", img);
		ro.overlay.mode_set = true;
		ro.overlay.mode = OVERLAY_NONE;
		build(&ro, &h, &s, &err);
		want = xasprintf("root %s / ro,nosuid,nodev 0755 - (--rootfs)", img);
		is_str(s.nmounts ? mount_str(&s.mounts[0]) : NULL, want,
		       "mounts: --rootfs changes the root's source (canonical: no trailing slash)");
		free(want);
		spec_free(&s);
		free(err);
		rmdir(img);
		free(ro.rootfs);
		ro.rootfs = xstrdup("/nonexistent/image");
		is_int(spec_build(&ro, &h, &s), -1,
		       "mounts: a --rootfs that does not exist is refused");
		spec_free(&s);
	}
	request_free(&ro);
	host_facts_free(&h);
}

static void test_misc(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	build(&ro, &h, &s, &err);
	is_str(s.hostname, "workstation", "hostname: the host's by default");
	is_str(s.cwd, "/home/tester", "cwd: the caller's");
	ok(!s.cwd_required, "cwd: not required");
	is_str(strv_str(&s.argv), "prog|arg", "argv: copied");
	ok(s.argv.v != ro.argv.v && s.argv.v[0] != ro.argv.v[0], "argv: a copy, not shared");
	ok(s.argv.v[2] == NULL, "argv: NULL-terminated");
	spec_free(&s);
	free(err);

	ro.hostname = xstrdup("box");
	ro.chdir = xstrdup("/work");
	build(&ro, &h, &s, &err);
	is_str(s.hostname, "box", "hostname: --hostname");
	is_str(s.cwd, "/work", "cwd: --chdir");
	ok(s.cwd_required, "cwd: --chdir is required");
	spec_free(&s);
	free(err);
	free(ro.chdir);
	ro.chdir = NULL;

	set(&h.cwd, NULL);
	build(&ro, &h, &s, &err);
	is_str(s.cwd, "/", "cwd: unknown cwd gives /");
	ok(!s.cwd_required, "cwd: ... not required");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* The environment after the edits, as "A=1|B=2". */
static const char *env_after(const char *const *edits)
{
	static char buf[2048];
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	for (; *edits; edits++)
		strv_push(&ro.env_edits, *edits);
	build(&ro, &h, &s, &err);
	snprintf(buf, sizeof buf, "%s", strv_str(&s.env));
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
	return buf;
}

static void test_env(void)
{
	static const char *const none[] = {NULL};
	static const char *const override[] = {"PATH=/opt/bin", NULL};
	static const char *const add[] = {"NEW=1", NULL};
	static const char *const unset[] = {"LANG", NULL};
	static const char *const unset_first[] = {"HOME", NULL};
	static const char *const unset_missing[] = {"NOPE", NULL};
	static const char *const set_unset[] = {"A=1", "A", NULL};
	static const char *const unset_set[] = {"PATH", "PATH=/x", NULL};
	static const char *const set_set[] = {"A=1", "A=2", NULL};
	static const char *const prefix[] = {"PATH", "PAT=p", NULL};

	is_str(env_after(none),
	       "HOME=/home/tester|PATH=/usr/bin:/bin|LANG=C.UTF-8|PATHX=x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: passed through, in order");
	is_str(env_after(override),
	       "HOME=/home/tester|PATH=/opt/bin|LANG=C.UTF-8|PATHX=x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --env overrides an existing key in place");
	is_str(env_after(add),
	       "HOME=/home/tester|PATH=/usr/bin:/bin|LANG=C.UTF-8|PATHX=x|NEW=1|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --env adds a new key at the end");
	is_str(env_after(unset),
	       "HOME=/home/tester|PATH=/usr/bin:/bin|PATHX=x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --unsetenv removes");
	is_str(env_after(unset_first),
	       "PATH=/usr/bin:/bin|LANG=C.UTF-8|PATHX=x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --unsetenv the first");
	is_str(env_after(unset_missing),
	       "HOME=/home/tester|PATH=/usr/bin:/bin|LANG=C.UTF-8|PATHX=x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --unsetenv of a missing key");
	is_str(env_after(set_unset),
	       "HOME=/home/tester|PATH=/usr/bin:/bin|LANG=C.UTF-8|PATHX=x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: set then unset: gone");
	is_str(env_after(unset_set),
	       "HOME=/home/tester|LANG=C.UTF-8|PATHX=x|PATH=/x|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: unset then set: back, at the end");
	is_str(env_after(set_set),
	       "HOME=/home/tester|PATH=/usr/bin:/bin|LANG=C.UTF-8|PATHX=x|A=2|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: set twice: the last, once");
	is_str(env_after(prefix),
	       "HOME=/home/tester|LANG=C.UTF-8|PATHX=x|PAT=p|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: PATH is not PATHX nor PAT");
	is_str(environ_fixture[1], "PATH=/usr/bin:/bin", "env: the caller's environ untouched");
	/* The sandbox's own runtime dir, at the end: the caller had none in its environment. */
}

/* execve() lets a caller pass a key twice; --unsetenv must not leave the second behind. */
/* An image with a passwd: HOME, USER, LOGNAME and PATH of the payload's uid, or defaults. */
static void test_image_identity(void)
{
	static char *caller_env[] = {"HOME=/home/tester",
				     "USER=tester",
				     "LOGNAME=tester",
				     "PATH=/home/tester/bin:/usr/bin",
				     "LANG=C",
				     NULL};
	autofree char *img = tmp_path("img");
	autofree char *etc = tmp_path("img/etc");
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	if (mkdir(img, 0755) < 0 || mkdir(etc, 0755) < 0) {
		perror(img);
		exit(99);
	}
	write_file("img/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
				     "builder:x:1001:1001::/home/builder:/bin/sh\n");
	facts(&h);
	h.environ = caller_env;

	request(&ro, USERNS_ROOT);
	set(&ro.rootfs, img);
	ro.overlay.mode_set = true; /* none: the facts have no fuse-overlayfs */
	is_int(build(&ro, &h, &s, &err), 0, "identity: root in an image builds");
	is_str(strv_str(&s.env),
	       "HOME=/root|USER=root|LOGNAME=root|"
	       "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin|LANG=C",
	       "identity: root's HOME, USER, LOGNAME; the image's PATH; the rest the caller's");
	spec_free(&s);
	free(err);

	/* --env wins; --env-keep keeps the caller's. */
	strv_push(&ro.env_edits, "HOME=/srv");
	strv_push(&ro.env_keep, "PATH");
	build(&ro, &h, &s, &err);
	is_str(strv_env_get(&s.env, "HOME"), "/srv", "identity: --env HOME wins");
	is_str(strv_env_get(&s.env, "PATH"), "/home/tester/bin:/usr/bin",
	       "identity: --env-keep=PATH keeps the caller's");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* keep-id: uid 1001 is builder in this image. */
	request(&ro, USERNS_KEEP_ID);
	set(&ro.rootfs, img);
	ro.overlay.mode_set = true;
	build(&ro, &h, &s, &err);
	is_str(strv_env_get(&s.env, "HOME"), "/home/builder", "identity: keep-id: 1001's home");
	is_str(strv_env_get(&s.env, "USER"), "builder", "identity: keep-id: 1001's name");
	spec_free(&s);
	free(err);

	/* No entry: HOME=/, USER and LOGNAME removed, and listed. */
	write_file("img/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n");
	build(&ro, &h, &s, &err);
	is_str(strv_env_get(&s.env, "HOME"), "/", "identity: no entry: HOME=/");
	ok(!strv_env_get(&s.env, "USER") && !strv_env_get(&s.env, "LOGNAME"),
	   "identity: no entry: no USER, no LOGNAME");
	ok(s.env_removed.n == 2 && strstr(s.env_removed.v[0], "USER uid 1001 has no entry in ") &&
		   strstr(s.env_removed.v[0], "/img/etc/passwd"),
	   "identity: USER's removal, and why");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* Over the host's root: the caller's own. */
	request(&ro, USERNS_ROOT);
	build(&ro, &h, &s, &err);
	is_str(strv_env_get(&s.env, "HOME"), "/home/tester",
	       "identity: over the host: the caller's HOME");
	is_str(strv_env_get(&s.env, "USER"), "tester",
	       "identity: over the host: the caller's USER");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
	{
		autofree char *passwd = tmp_path("img/etc/passwd");

		unlink(passwd);
	}
	rmdir(etc);
	rmdir(img);
}

static const char *groups_str(const struct spec *s)
{
	static char buf[256];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < s->ngroups && len < sizeof buf; i++)
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%u", i ? "," : "",
					(unsigned)s->groups[i]);
	return buf;
}

/* --user: names and numbers, the groups of the image's /etc/group, the maps, the caps. */
static void test_user(void)
{
	autofree char *img = tmp_path("uimg");
	autofree char *etc = tmp_path("uimg/etc");
	autofree char *passwd = tmp_path("uimg/etc/passwd");
	autofree char *group = tmp_path("uimg/etc/group");
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	if (mkdir(img, 0755) < 0 || mkdir(etc, 0755) < 0) {
		perror(img);
		exit(99);
	}
	write_file("uimg/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n"
				      "builder:x:1000:1000::/home/builder:/bin/sh\n");
	write_file("uimg/etc/group", "root:x:0:\nusers:x:100:builder,other\nbig:x:70000:builder\n"
				     "wheel:x:10:other\nbuilder:x:1000:\n");
	facts(&h);
	request(&ro, USERNS_ROOT);
	set(&ro.rootfs, img);
	ro.overlay.mode_set = true;

	set(&ro.user, "builder");
	is_int(build(&ro, &h, &s, &err), 0, "user: builder: builds");
	ok(s.switch_user && s.set_groups, "user: builder: the payload switches, groups too");
	is_int(s.inside_uid, 1000, "user: builder: uid 1000");
	is_int(s.inside_gid, 1000, "user: builder: gid 1000");
	is_str(groups_str(&s), "1000,100", "user: builder: its group, and users (big is unmapped)");
	ok(strstr(err, "nook: warning: --user: builder's group big (70000) of ") &&
		   strstr(err, "is not mapped in the sandbox"),
	   "user: the unmapped group is named");
	is_int(s.caps_keep, 0, "user: builder: no capabilities, --userns=root or not");
	is_str(strv_env_get(&s.env, "HOME"), "/home/builder", "user: builder: its HOME");
	is_str(strv_env_get(&s.env, "USER"), "builder", "user: builder: its USER");
	spec_free(&s);
	free(err);

	set(&ro.user, "1000:users");
	build(&ro, &h, &s, &err);
	ok(s.inside_uid == 1000 && s.inside_gid == 100, "user: 1000:users: uid 1000, gid 100");
	is_str(groups_str(&s), "100", "user: 1000:users: groups of builder, 100 once");
	spec_free(&s);
	free(err);

	set(&ro.user, "2000");
	build(&ro, &h, &s, &err);
	ok(s.inside_uid == 2000 && s.inside_gid == 2000, "user: 2000 without an entry: gid 2000");
	is_str(groups_str(&s), "2000", "user: 2000: only its own group");
	is_str(strv_env_get(&s.env, "HOME"), "/", "user: 2000: HOME=/");
	spec_free(&s);
	free(err);

	set(&ro.user, "0");
	build(&ro, &h, &s, &err);
	is_int(s.caps_keep, podman_caps(), "user: 0: root's capabilities");
	spec_free(&s);
	free(err);

	set(&ro.user, "70000");
	is_int(build(&ro, &h, &s, &err), -1, "user: 70000: not mapped, an error");
	is_str(err,
	       "nook: --user=70000: uid 70000 is not mapped in the sandbox (its uid map holds "
	       "0-65536; see ID MAPPING in nook-run(1))\n",
	       "user: 70000: the message names the map");
	spec_free(&s);
	free(err);

	set(&ro.user, "1000:70000");
	is_int(build(&ro, &h, &s, &err), -1, "user: 1000:70000: gid not mapped, an error");
	spec_free(&s);
	free(err);

	set(&ro.user, "nobody");
	is_int(build(&ro, &h, &s, &err), -1, "user: a name the image does not have: an error");
	ok(strstr(err, "nook: --user=nobody: no user 'nobody' in ") &&
		   strstr(err, "/uimg/etc/passwd\n"),
	   "user: the message names the image's passwd");
	spec_free(&s);
	free(err);

	set(&ro.user, "builder:nogroup");
	is_int(build(&ro, &h, &s, &err), -1, "user: a group the image does not have: an error");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* keep-id over the host's root: 0 is a subordinate id, and root there. */
	request(&ro, USERNS_KEEP_ID);
	set(&ro.user, "0");
	build(&ro, &h, &s, &err);
	ok(s.switch_user && s.inside_uid == 0, "user: keep-id, --user=0: uid 0");
	is_int(s.caps_keep, podman_caps(), "user: keep-id, --user=0: root's capabilities");
	is_str(strv_env_get(&s.env, "HOME"), "/root",
	       "user: over the host: the host's root's home");
	is_str(strv_env_get(&s.env, "PATH"), "/usr/bin:/bin",
	       "user: over the host: the caller's PATH");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
	unlink(passwd);
	unlink(group);
	rmdir(etc);
	rmdir(img);
}

static void test_env_duplicates(void)
{
	char *dup_environ[] = {"LD_PRELOAD=/a.so", "HOME=/h", "LD_PRELOAD=/b.so", NULL};
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	h.environ = dup_environ;
	request(&ro, USERNS_KEEP_ID);
	strv_push(&ro.env_edits, "LD_PRELOAD");
	build(&ro, &h, &s, &err);
	is_str(strv_str(&s.env), "HOME=/h|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --unsetenv removes a duplicated key entirely");
	spec_free(&s);
	free(err);

	/* bash takes the last of two entries, glibc's getenv() the first: keep one. */
	strv_free(&ro.env_edits);
	strv_push(&ro.env_edits, "LD_PRELOAD=");
	build(&ro, &h, &s, &err);
	is_str(strv_str(&s.env), "LD_PRELOAD=|HOME=/h|XDG_RUNTIME_DIR=/run/user/1001",
	       "env: --env replaces a duplicated key entirely");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* Does the spec mask path? */
static bool masked(const struct spec *s, const char *path)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_MASK && strcmp(s->mounts[i].dest, path) == 0)
			return true;
	return false;
}

/*
 * Precedence comes from each entry's origin: a profile holding only "noblacklist X" must not
 * cancel "--blacklist=X" of the command line (it did when origin was inferred by counting).
 */
static void test_origins(void)
{
	const struct origin cli = {"--blacklist", true}, prof = {"app.profile:3", false};
	const struct origin cli_no = {"--noblacklist", true};
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.noblacklist, "/srv/secret", &prof);
	req_list_push(&ro.fs.blacklist, "/srv/secret", &cli);
	build(&ro, &h, &s, &err);
	ok(masked(&s, "/srv/secret"),
	   "origins: a profile's noblacklist leaves --blacklist standing");
	spec_free(&s);
	free(err);
	request_free(&ro);

	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.blacklist, "/srv/secret", &prof);
	req_list_push(&ro.fs.noblacklist, "/srv/secret", &prof);
	build(&ro, &h, &s, &err);
	ok(!masked(&s, "/srv/secret"), "origins: a profile's noblacklist undoes its own blacklist");
	spec_free(&s);
	free(err);
	request_free(&ro);

	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.blacklist, "/srv/secret", &cli);
	req_list_push(&ro.fs.noblacklist, "/srv/*", &cli_no);
	build(&ro, &h, &s, &err);
	ok(!masked(&s, "/srv/secret"), "origins: --noblacklist undoes --blacklist");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/*
 * One mask per path however often it is named: the last one's place (nothing placed after
 * it covers it), optional only if every one was; globs in the last component match as
 * glob() does (a leading dot only by a dot), also when a directory changes between builds.
 */
static void test_mask_dedupe(void)
{
	const struct origin prof = {"app.profile:3", false};
	char dir[] = "/tmp/nook-unit-glob.XXXXXX";
	struct request ro;
	struct host_facts h;
	struct spec s;
	size_t n = 0, last = 0, nglob = 0, nlink = 0;
	bool optional = true, dot = false;
	char *err, *pat, *path, *link, *link_pat, *under_dir, *under_link;

	if (!mkdtemp(dir))
		exit(99);
	for (const char *const *f =
		     (const char *const[]){"gcc", "gcc-12", ".gcc-hidden", "cc", NULL};
	     *f; f++) {
		path = xasprintf("%s/%s", dir, *f);
		close(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
		free(path);
	}
	pat = xasprintf("%s/gcc*", dir);
	/* A second name of the directory (/bin of /usr/bin): its own paths, read once. */
	link = xasprintf("%s-link", dir);
	link_pat = xasprintf("%s/gcc*", link);
	under_dir = xasprintf("%s/", dir);
	under_link = xasprintf("%s/", link);
	if (symlink(dir, link) < 0)
		exit(99);
	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.blacklist, "/srv/twice", &prof);
	req_list_push(&ro.fs.blacklist, pat, &prof);
	req_list_push(&ro.fs.blacklist, link_pat, &prof);
	req_list_push(&ro.fs.blacklist, "/srv/twice", &prof);
	build(&ro, &h, &s, &err);
	for (size_t i = 0; i < s.nmounts; i++) {
		if (s.mounts[i].kind != MOUNT_MASK)
			continue;
		if (strcmp(s.mounts[i].dest, "/srv/twice") == 0) {
			n++;
			last = i;
			optional = s.mounts[i].flags & MOUNT_F_OPTIONAL;
		}
		if (strncmp(s.mounts[i].dest, under_dir, strlen(under_dir)) == 0) {
			nglob++;
			dot |= strstr(s.mounts[i].dest, "/.gcc") != NULL;
		}
		nlink += strncmp(s.mounts[i].dest, under_link, strlen(under_link)) == 0;
	}
	ok(n == 1, "masks: a path named twice is masked once");
	ok(!optional, "masks: not optional when one of them was not");
	ok(last > 0, "masks: the one kept is in the spec");
	ok(nglob == 2 && !dot, "masks: gcc* matches gcc and gcc-12, not .gcc-hidden (%zu)", nglob);
	ok(nlink == 2,
	   "masks: LINK/gcc* (LINK a symlink to the directory) gives LINK's own paths (%zu)",
	   nlink);
	spec_free(&s);
	free(err);
	/* The directory changes: the next build sees it (the listing is not kept stale). */
	path = xasprintf("%s/gcc-13", dir);
	close(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
	build(&ro, &h, &s, &err);
	nglob = nlink = 0;
	for (size_t i = 0; i < s.nmounts; i++) {
		nglob += s.mounts[i].kind == MOUNT_MASK &&
			 strncmp(s.mounts[i].dest, under_dir, strlen(under_dir)) == 0;
		nlink += s.mounts[i].kind == MOUNT_MASK &&
			 strncmp(s.mounts[i].dest, under_link, strlen(under_link)) == 0;
	}
	ok(nglob == 3 && nlink == 3,
	   "masks: a file added to the directory is matched by the next build, under both names "
	   "(%zu, %zu)",
	   nglob, nlink);
	spec_free(&s);
	free(err);
	unlink(path);
	free(path);
	for (const char *const *f =
		     (const char *const[]){"gcc", "gcc-12", ".gcc-hidden", "cc", NULL};
	     *f; f++) {
		path = xasprintf("%s/%s", dir, *f);
		unlink(path);
		free(path);
	}
	unlink(link);
	rmdir(dir);
	free(pat);
	free(link);
	free(link_pat);
	free(under_dir);
	free(under_link);
	request_free(&ro);
	host_facts_free(&h);
}

/* The request holds what was typed; the spec holds host paths, from the facts. */
static void test_raw_paths(void)
{
	const struct origin o = {"--blacklist", true};
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	bool found = false;

	facts(&h);
	free(h.home);
	h.home = xstrdup("/home/tester");
	request(&ro, USERNS_KEEP_ID);
	ro_mount(&ro, MOUNT_BIND, "sub/dir", "/x", MOUNT_F_NOSUID | MOUNT_F_NODEV,
		 "--bind sub/dir:/x");
	ro_mount(&ro, MOUNT_BIND, "~/src", "~/src", MOUNT_F_NOSUID | MOUNT_F_NODEV, "--bind ~/src");
	req_list_push(&ro.fs.blacklist, "~/.ssh", &o);
	build(&ro, &h, &s, &err);
	for (size_t i = 0; i < s.nmounts; i++) {
		const struct mount_op *m = &s.mounts[i];

		if (strcmp(m->origin, "--bind sub/dir:/x") == 0) {
			is_str(m->src, "/home/tester/sub/dir",
			       "raw paths: relative SRC against the cwd");
			found = true;
		}
		if (strcmp(m->origin, "--bind ~/src") == 0) {
			is_str(m->src, "/home/tester/src", "raw paths: ~ in SRC is the home");
			is_str(m->dest, "/home/tester/src", "raw paths: ~ in DEST is the home");
		}
	}
	ok(found, "raw paths: the relative bind is in the spec");
	ok(masked(&s, "/home/tester/.ssh"), "raw paths: --blacklist=~/.ssh hides the home's");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path) < 0 ? -1 : 0;
}

static void mkdir_or_die(const char *path)
{
	if (mkdir(path, 0755) < 0) {
		perror(path);
		exit(99);
	}
}

/* The bind of a read-write in S, or NULL. */
static const struct mount_op *read_write_of(const struct spec *s, const char *path)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_BIND &&
		    strcmp(s->mounts[i].origin, "read-write") == 0 &&
		    strcmp(s->mounts[i].dest, path) == 0)
			return &s->mounts[i];
	return NULL;
}

/*
 * A profile's read-write (as "read-write ${CWD}" gives it): never "/", the home or above, nor
 * a directory holding a protected path that does not exist; the command line's as it is.
 */
static void test_read_write(void)
{
	const struct origin prof = {"p.profile:3", false}, cli = {"--read-write", true};
	autofree char *home = tmp_path("rw");
	autofree char *proj = tmp_path("rw/proj");
	autofree char *cfg = tmp_path("rw/.config");
	autofree char *link = tmp_path("rw/proj/home-link");
	autofree char *autostart = tmp_path("rw/.config/autostart");
	autofree char *gh = tmp_path("rw/.config/gh");
	autofree char *want = NULL;
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	mkdir_or_die(home);
	mkdir_or_die(proj);
	mkdir_or_die(cfg);
	if (symlink(home, link) < 0) {
		perror(link);
		exit(99);
	}
	facts(&h);
	set(&h.home, home);

	/* Started in a project: bound, writable. */
	set(&h.cwd, proj);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, proj, &prof);
	build(&ro, &h, &s, &err);
	want = xasprintf("bind %s %s rw,nosuid,nodev,optional 0755 - (read-write)", proj, proj);
	is_str(read_write_of(&s, proj) ? mount_str(read_write_of(&s, proj)) : NULL, want,
	       "read-write: the project nook was started in, bound writable");
	is_str(err, "", "read-write: the project: no warning");
	free(want), want = NULL;
	spec_free(&s), free(err), request_free(&ro);

	/* Started in the home: skipped without a word. */
	set(&h.cwd, home);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, home, &prof);
	req_list_push(&ro.fs.read_write, "/", &prof);
	build(&ro, &h, &s, &err);
	ok(!read_write_of(&s, home), "read-write: started in the home, the home is not bound");
	ok(!read_write_of(&s, "/"), "read-write /: not bound");
	want = xasprintf("nook: warning: p.profile:3: read-write /: skipped: a profile never makes "
			 "the home, or what holds it, writable as a whole (--bind=/ on the "
			 "command line does)\n");
	is_str(err, want, "read-write: the home as the cwd is silent; / is named in a warning");
	free(want), want = NULL;
	spec_free(&s), free(err), request_free(&ro);

	/* The home named otherwise (through a link), from elsewhere: a warning. */
	set(&h.cwd, proj);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, link, &prof);
	build(&ro, &h, &s, &err);
	ok(!read_write_of(&s, link), "read-write: a link to the home is not bound");
	ok(strstr(err, "skipped: a profile never makes the home") != NULL,
	   "read-write: a link to the home: the warning says why");
	spec_free(&s), free(err), request_free(&ro);

	/* --quiet: the same, silently. */
	request(&ro, USERNS_KEEP_ID);
	ro.quiet = true;
	req_list_push(&ro.fs.read_write, link, &prof);
	build(&ro, &h, &s, &err);
	ok(!read_write_of(&s, link) && err[0] == '\0', "read-write: --quiet skips it silently");
	spec_free(&s), free(err), request_free(&ro);

	/* The command line's: the caller's choice. */
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, home, &cli);
	build(&ro, &h, &s, &err);
	ok(read_write_of(&s, home) != NULL, "--read-write of the home on the command line: bound");
	spec_free(&s), free(err), request_free(&ro);

	/* ~/.config holding a read-only ~/.config/autostart that does not exist: skipped. */
	set(&h.cwd, cfg);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, "~/.config", &prof);
	req_list_push(&ro.fs.read_only, "~/.config/autostart", &prof);
	build(&ro, &h, &s, &err);
	ok(!read_write_of(&s, cfg), "read-write ~/.config with a missing read-only path: skipped");
	want = xasprintf("nook: warning: p.profile:3: read-write %s: skipped: it holds %s, which "
			 "the profile protects and which does not exist yet: the sandbox could "
			 "create it (--bind=%s on the command line gives the directory anyway)\n",
			 cfg, autostart, cfg);
	is_str(err, want, "read-write ~/.config: the warning names the path");
	free(want), want = NULL;
	spec_free(&s), free(err), request_free(&ro);

	/* Once it exists, nothing can be created there: bound. */
	mkdir_or_die(autostart);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, "~/.config", &prof);
	req_list_push(&ro.fs.read_only, "~/.config/autostart", &prof);
	req_list_push(&ro.fs.blacklist, "~/.config/*.key", &prof);
	build(&ro, &h, &s, &err);
	ok(read_write_of(&s, cfg) != NULL, "read-write ~/.config, its read-only path there: bound");
	is_str(err, "", "... without a warning (a pattern names only what exists)");
	spec_free(&s), free(err), request_free(&ro);

	/* A missing blacklisted path: skipped, unless a noblacklist undoes the blacklist. */
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, cfg, &prof);
	req_list_push(&ro.fs.blacklist, gh, &prof);
	build(&ro, &h, &s, &err);
	ok(!read_write_of(&s, cfg), "read-write, a missing blacklisted path in it: skipped");
	ok(strstr(err, gh) != NULL, "... the warning names it");
	spec_free(&s), free(err), request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.read_write, cfg, &prof);
	req_list_push(&ro.fs.blacklist, gh, &prof);
	req_list_push(&ro.fs.noblacklist, gh, &prof);
	build(&ro, &h, &s, &err);
	ok(read_write_of(&s, cfg) != NULL,
	   "read-write, the blacklist undone by a noblacklist: bound");
	spec_free(&s), free(err), request_free(&ro);

	/* A cwd that looks like a pattern is taken as the path it is. */
	{
		autofree char *odd = tmp_path("rw/pro[j]");

		mkdir_or_die(odd);
		set(&h.cwd, odd);
		request(&ro, USERNS_KEEP_ID);
		req_list_push(&ro.fs.read_write, odd, &prof);
		build(&ro, &h, &s, &err);
		ok(read_write_of(&s, odd) != NULL && !read_write_of(&s, proj),
		   "read-write of a cwd named like a pattern: that directory, not what it matches");
		spec_free(&s), free(err), request_free(&ro);
	}
	host_facts_free(&h);
	nftw(home, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static size_t mount_index(const struct spec *s, const char *origin)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].origin, origin) == 0)
			return i;
	return (size_t)-1;
}

/* --cache and "cache": a bind from nook's store, over the caller's mounts, under the masks. */
static void test_cache(void)
{
	const struct origin prof = {"p.profile:2", false}, cli = {"--cache", true};
	const struct origin wl = {"p.profile:3", false};
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	size_t bind_at, cache_at, mask_at;

	facts(&h);
	set(&h.home, "/home/tester");
	request(&ro, USERNS_KEEP_ID);
	ro_mount(&ro, MOUNT_BIND, "/home/tester/proj", "/home/tester/proj",
		 MOUNT_F_NOSUID | MOUNT_F_NODEV, "--bind /home/tester/proj");
	req_list_push(&ro.caches, "npm:~/.npm", &prof);
	req_list_push(&ro.caches, "pip:/srv/cache/pip", &prof);
	req_list_push(&ro.caches, "npm-ci:/home/tester/.npm", &cli);
	req_list_push(&ro.fs.blacklist, "~/.npm/_cacache/secret", &prof);
	is_int(build(&ro, &h, &s, &err), 0, "cache: builds");
	is_str(err, "", "cache: no message");
	is_int(s.ncaches, 2,
	       "cache: two caches (the command line's replaces the profile's ~/.npm)");
	if (s.ncaches == 2) {
		is_str(s.caches[0].name, "pip", "cache: the first kept is pip");
		is_str(s.caches[0].dir, "/home/tester/.local/share/nook/caches/pip",
		       "cache: its directory is in nook's store, beside the overlays");
		is_str(s.caches[0].dest, "/srv/cache/pip", "cache: its PATH");
		is_str(s.caches[1].name, "npm-ci", "cache: the command line's for ~/.npm wins");
		is_str(s.caches[1].dest, "/home/tester/.npm", "cache: ~ expanded");
	}
	is_str(find_mount(&s, "/home/tester/.npm") ? mount_str(find_mount(&s, "/home/tester/.npm"))
						   : NULL,
	       "bind /home/tester/.local/share/nook/caches/npm-ci/data /home/tester/.npm rw,nosuid,"
	       "nodev 0755 - (--cache npm-ci:/home/tester/.npm)",
	       "cache: its data bound at PATH, writable, not optional");
	is_str(strv_str(&s.host_mkdir), "/home/tester/.npm",
	       "cache: a PATH in the read-only home is made there first, one outside it is not");
	bind_at = mount_index(&s, "--bind /home/tester/proj");
	cache_at = mount_index(&s, "--cache npm-ci:/home/tester/.npm");
	mask_at = mount_index(&s, "blacklist");
	ok(bind_at < cache_at && cache_at < mask_at,
	   "cache: after the caller's binds, before the masks (%zu < %zu < %zu)", bind_at, cache_at,
	   mask_at);
	ok(mount_index(&s, "nook's state") > cache_at, "cache: nook's store is masked after it");
	spec_free(&s), free(err), request_free(&ro);

	/* Where the home is a tmpfs already, the mount point is made there, not on the host. */
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.fs.whitelist, "/home/tester/proj", &wl);
	req_list_push(&ro.caches, "npm:~/.npm", &prof);
	build(&ro, &h, &s, &err);
	is_str(strv_str(&s.host_mkdir), "",
	       "cache: under a whitelisted (emptied) home: no host mkdir");
	spec_free(&s), free(err), request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	ro.fs.private_home = true;
	req_list_push(&ro.caches, "npm:~/.npm", &prof);
	build(&ro, &h, &s, &err);
	is_str(strv_str(&s.host_mkdir), "", "cache: with a private home: no host mkdir");
	spec_free(&s), free(err), request_free(&ro);

	/* In nook's own directories it would be hidden: refused. */
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.caches, "x:~/.local/share/nook/caches", &prof);
	is_int(build(&ro, &h, &s, &err), -1, "cache in nook's store: refused");
	is_str(err,
	       "nook: p.profile:2 x:~/.local/share/nook/caches: PATH is in nook's own "
	       "directories, which every sandbox hides\n",
	       "cache in nook's store: the message");
	spec_free(&s), free(err), request_free(&ro);

	/* No home and no XDG_DATA_HOME: nowhere to keep it. */
	set(&h.data_dir, NULL);
	request(&ro, USERNS_KEEP_ID);
	req_list_push(&ro.caches, "npm:/srv/npm", &cli);
	is_int(build(&ro, &h, &s, &err), -1, "cache without a data directory: refused");
	is_str(err,
	       "nook: --cache npm:/srv/npm: no home directory to keep it in (set "
	       "XDG_DATA_HOME)\n",
	       "cache without a data directory: the message");
	spec_free(&s), free(err), request_free(&ro);
	host_facts_free(&h);
}

/* --hostname, else the host's, else "nook": decided in one place; --name is not the host name. */
static void test_hostname(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	build(&ro, &h, &s, &err);
	is_str(s.hostname, "workstation",
	       "hostname: the host's by default (X cookies are keyed to it)");
	spec_free(&s);
	free(err);
	set(&h.hostname, NULL);
	build(&ro, &h, &s, &err);
	is_str(s.hostname, "nook", "hostname: nook when the host's is unknown");
	spec_free(&s);
	free(err);
	ro.name = xstrdup("app");
	set(&h.state_dir, "/run/user/1001/nook/sandboxes");
	build(&ro, &h, &s, &err);
	is_str(s.hostname, "nook", "hostname: --name is the sandbox's name, not its host name");
	spec_free(&s);
	free(err);
	ro.hostname = xstrdup("given");
	build(&ro, &h, &s, &err);
	is_str(s.hostname, "given", "hostname: --hostname");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* The runtime dir: a directory of /run's tmpfs; a tmpfs of its own where it is not in /run. */
static void test_runtime_dir(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	const struct mount_op *run = NULL, *dir = NULL;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	build(&ro, &h, &s, &err);
	for (size_t i = 0; i < s.nmounts; i++) {
		if (strcmp(s.mounts[i].dest, "/run") == 0)
			run = &s.mounts[i];
		if (strcmp(s.mounts[i].dest, "/run/user/1001") == 0)
			dir = &s.mounts[i];
	}
	ok(run && dir && run < dir, "runtime dir: after /run");
	is_str(dir ? mount_str(dir) : NULL, "dir - /run/user/1001 rw 0700 - (private runtime dir)",
	       "runtime dir: a directory of /run's tmpfs, mode 0700");
	is_str(run ? run->options : NULL, "uid=0,gid=0,size=80m",
	       "runtime dir: room for it in /run");
	spec_free(&s);
	free(err);
	set(&h.runuser, "/var/lib/run/1001");
	build(&ro, &h, &s, &err);
	dir = NULL;
	for (size_t i = 0; i < s.nmounts; i++)
		if (strcmp(s.mounts[i].dest, "/var/lib/run/1001") == 0)
			dir = &s.mounts[i];
	is_str(dir ? mount_str(dir) : NULL,
	       "tmpfs - /var/lib/run/1001 rw,nosuid,nodev 0700 uid=1001,gid=1001,size=64m "
	       "(private runtime dir)",
	       "runtime dir: out of /run, a tmpfs of its own");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* The sandbox's name: --name, a profile's, or PROGRAM's first free one; and its state dir. */
/* The pool: for keep-id and root with helpers and a runtime directory; never for single. */
static void test_userns_pool(void)
{
	char *idle_env[] = {"HOME=/home/tester", "NOOK_USERNS_POOL_IDLE=2", NULL};
	char *bad_env[] = {"HOME=/home/tester", "NOOK_USERNS_POOL_IDLE=2x", NULL};
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	build(&ro, &h, &s, &err);
	ok(!s.userns_pool, "pool: none without a runtime directory");
	spec_free(&s);
	free(err);

	set(&h.state_dir, "/run/user/1001/nook/sandboxes");
	build(&ro, &h, &s, &err);
	is_str(s.userns_pool, "/run/user/1001/nook/userns.sock", "pool: keep-id takes one");
	is_int((int)s.userns_pool_idle, 30, "pool: idle 30 s by default");
	spec_free(&s);
	free(err);

	ro.userns = USERNS_ROOT;
	build(&ro, &h, &s, &err);
	ok(s.userns_pool != NULL, "pool: root takes one");
	spec_free(&s);
	free(err);

	ro.userns_pool = USERNS_POOL_NO;
	build(&ro, &h, &s, &err);
	ok(!s.userns_pool, "pool: not with --userns-pool=no");
	spec_free(&s);
	free(err);

	ro.userns_pool = USERNS_POOL_AUTO;
	ro.userns = USERNS_SINGLE;
	build(&ro, &h, &s, &err);
	ok(!s.userns_pool, "pool: never for single");
	spec_free(&s);
	free(err);

	/* A fallback to single (no helpers) has none either. */
	ro.userns = USERNS_KEEP_ID;
	set(&h.newuidmap, NULL);
	ro.quiet = true;
	build(&ro, &h, &s, &err);
	ok(!s.userns_pool, "pool: none on a fallback to single");
	spec_free(&s);
	free(err);

	set(&h.newuidmap, "/usr/bin/newuidmap");
	h.environ = idle_env;
	build(&ro, &h, &s, &err);
	is_int((int)s.userns_pool_idle, 2, "pool: NOOK_USERNS_POOL_IDLE sets the idle time");
	spec_free(&s);
	free(err);

	h.environ = bad_env;
	build(&ro, &h, &s, &err);
	is_int((int)s.userns_pool_idle, 30, "pool: a bad NOOK_USERNS_POOL_IDLE is ignored");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

static void test_name(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	int r;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	set(&h.state_dir, "/run/user/1001/nook/sandboxes");
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "name: builds");
	is_str(s.name, "prog", "name: PROGRAM's base name by default");
	ok(s.name_generated, "name: generated");
	is_str(s.state_dir, "/run/user/1001/nook/sandboxes", "name: the state directory");
	ok(find_mount(&s, "/run/user/1001/nook") &&
		   find_mount(&s, "/run/user/1001/nook")->kind == MOUNT_MASK,
	   "name: the states are hidden (no XDG_RUNTIME_DIR: nook's sockets are not masked)");
	spec_free(&s);
	free(err);

	/* Taken (live or stale): the next free one. */
	strv_push(&h.state_names, "prog");
	strv_push(&h.state_names, "prog-2");
	strv_push(&h.state_names, "prog-4");
	r = build(&ro, &h, &s, &err);
	is_str(s.name, "prog-3", "name: prog and prog-2 taken: prog-3");
	spec_free(&s);
	free(err);

	/* --name: as given, however many there are. */
	ro.name = xstrdup("prog");
	ro.name_cli = true;
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "name: --name=prog builds (taken is the launcher's to say)");
	is_str(s.name, "prog", "name: --name");
	ok(!s.name_generated && !s.join_or_start, "name: --name is not generated");
	spec_free(&s);
	free(err);
	ro.join_or_start = true;
	r = build(&ro, &h, &s, &err);
	ok(s.join_or_start, "name: --join-or-start");
	spec_free(&s);
	free(err);

	/* Without a runtime directory: none; --name is an error, a profile's a warning. */
	set(&h.state_dir, NULL);
	r = build(&ro, &h, &s, &err);
	is_int(r, -1, "name: --join-or-start without a runtime directory: an error");
	is_str(err,
	       "nook: --join-or-start=prog: no runtime directory to keep the sandbox's state in "
	       "(XDG_RUNTIME_DIR is not set, and /run/user/1001 is not the caller's own)\n",
	       "name: the message");
	spec_free(&s);
	free(err);
	ro.name_cli = false;
	r = build(&ro, &h, &s, &err);
	is_int(r, 0, "name: a profile's name without a runtime directory builds");
	ok(s.name == NULL && s.state_dir == NULL, "name: ... and the sandbox has none");
	ok(strstr(err, "warning: the profile's name prog is ignored") != NULL,
	   "name: ... with a warning");
	spec_free(&s);
	free(err);
	free(ro.name);
	ro.name = NULL;
	ro.join_or_start = false;
	r = build(&ro, &h, &s, &err);
	ok(r == 0 && s.name == NULL, "name: none generated without a runtime directory");
	spec_free(&s);
	free(err);

	/* --join-or-start needs a name. */
	set(&h.state_dir, "/run/user/1001/nook/sandboxes");
	ro.join_or_start = true;
	r = build(&ro, &h, &s, &err);
	is_int(r, -1, "name: --join-or-start without a name: an error");
	is_str(err,
	       "nook: --join-or-start: which sandbox? (--join-or-start=NAME, or --name=NAME)\n",
	       "name: the message");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* --seccomp=MODE from ORIGIN, as the option table applies it. */
static void seccomp_mode(struct request *ro, const char *mode, const char *where, bool cli)
{
	const struct origin o = {where, cli};
	char e[256];

	if (option_apply(option_find("seccomp"), ro, mode, &o, e, sizeof e) < 0)
		diag("seccomp %s: %s", mode, e);
}

/*
 * Only the command line turns the default filter off: a profile's "seccomp off" is refused
 * with a warning naming its line, an error with --strict-profile. Decided from the origin.
 */
static void test_seccomp_origin(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	int r;

	facts(&h);
	request(&ro, USERNS_KEEP_ID);
	seccomp_mode(&ro, "off", "app.profile:3", false);
	r = build(&ro, &h, &s, &err);
	ok(r == 0 && s.seccomp.enabled && s.seccomp.deny.n > 30 && s.seccomp.deny_ns_clone,
	   "a profile's seccomp off: the default filter stays (%zu denied)", s.seccomp.deny.n);
	is_str(err,
	       "nook: app.profile:3: warning: seccomp off: only --seccomp=off on the command "
	       "line turns the filter off; the default filter stays\n",
	       "a profile's seccomp off: a warning naming its line");
	spec_free(&s);
	free(err);

	ro.quiet = true;
	r = build(&ro, &h, &s, &err);
	ok(r == 0 && s.seccomp.enabled && err[0] == '\0',
	   "a profile's seccomp off with --quiet: no warning, the filter stays");
	spec_free(&s);
	free(err);

	ro.quiet = false;
	ro.strict_profile = true;
	r = build(&ro, &h, &s, &err);
	is_int(r, -1, "a profile's seccomp off with --strict-profile: an error");
	is_str(err,
	       "nook: app.profile:3: seccomp off: only --seccomp=off on the command line turns "
	       "the filter off\n",
	       "a profile's seccomp off with --strict-profile: the message");
	spec_free(&s);
	free(err);
	request_free(&ro);

	request(&ro, USERNS_KEEP_ID);
	seccomp_mode(&ro, "off", "x\x1b[2J.profile:1", false);
	build(&ro, &h, &s, &err);
	is_str(err,
	       "nook: x\\x1b[2J.profile:1: warning: seccomp off: only --seccomp=off on the "
	       "command line turns the filter off; the default filter stays\n",
	       "a profile's name in the warning is escaped");
	spec_free(&s);
	free(err);

	/* The command line's value comes last and is its own. */
	seccomp_mode(&ro, "default", "--seccomp", true);
	build(&ro, &h, &s, &err);
	ok(s.seccomp.enabled && err[0] == '\0',
	   "--seccomp=default over a profile's off: no warning");
	spec_free(&s);
	free(err);

	seccomp_mode(&ro, "off", "--seccomp", true);
	build(&ro, &h, &s, &err);
	ok(!s.seccomp.enabled, "--seccomp=off on the command line: no filter");
	is_str(err, "nook: warning: --seccomp=off: the sandbox has no system call filter\n",
	       "--seccomp=off: its warning");
	spec_free(&s);
	free(err);

	request_free(&ro);
	host_facts_free(&h);
}

/*
 * Landlock scopes the host's abstract unix sockets out when the sandbox shares the host's
 * network (they are per network namespace), unless --x11, and where the kernel can (ABI 6).
 */
static void test_landlock(void)
{
	static const struct {
		enum net_mode net;
		int x11, abi;
		bool scope;
		const char *what;
	} cases[] = {
		{NET_HOST, 0, 6, true, "--net=host, ABI 6: scoped"},
		{NET_HOST, 0, 7, true, "--net=host, ABI 7: scoped"},
		{NET_HOST, -1, 6, true, "--net=host --x11=none: scoped"},
		{NET_HOST, 1, 6, false, "--net=host --x11: not scoped (the X server's socket)"},
		{NET_HOST, 0, 5, false, "--net=host, ABI 5: not scoped (the kernel cannot)"},
		{NET_HOST, 0, 0, false, "--net=host, no Landlock: not scoped"},
		{NET_NONE, 0, 6, false, "--net=none: not scoped (its own network namespace)"},
	};
	struct host_facts h;

	facts(&h);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct request ro;
		struct spec s;
		char *err;

		request(&ro, USERNS_KEEP_ID);
		ro.net.mode_set = true;
		ro.net.mode = cases[i].net;
		ro.fs.x11 = cases[i].x11;
		h.landlock_abi = cases[i].abi;
		if (build(&ro, &h, &s, &err) < 0)
			diag("%s: %s", cases[i].what, err);
		is_int(s.landlock_scope_unix, cases[i].scope, "%s", cases[i].what);
		spec_free(&s);
		free(err);
		request_free(&ro);
	}
	host_facts_free(&h);
}

/* A --publish of the request, as the option parser makes it. */
static void ro_publish(struct request *ro, const char *host_addr, unsigned host_port,
		       unsigned guest_port, bool udp, const char *origin)
{
	struct publish_spec *p;

	ro->net.publish = xreallocarray(ro->net.publish, ro->net.npublish + 1, sizeof *p);
	p = &ro->net.publish[ro->net.npublish++];
	*p = (struct publish_spec){.host_port = (uint16_t)host_port,
				   .guest_port = (uint16_t)guest_port,
				   .udp = udp,
				   .origin = xstrdup(origin)};
	snprintf(p->host_addr, sizeof p->host_addr, "%s", host_addr);
}

static const struct mount_op *mount_at(const struct spec *s, const char *dest)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (strcmp(s->mounts[i].dest, dest) == 0)
			return &s->mounts[i];
	return NULL;
}

/* --net=slirp and --net=pasta: the helper, the forwards, resolv.conf; what each refuses. */
static void test_net(void)
{
	struct host_facts h;
	struct request ro;
	const struct mount_op *m;
	struct spec s;
	char *err;

	facts(&h);
	set(&h.slirp4netns, "/usr/bin/slirp4netns");
	set(&h.pasta, "/usr/bin/pasta");

	/* pasta: its path, slirp's MTU, a UDP forward without the host's loopback. */
	request(&ro, USERNS_KEEP_ID);
	ro.net.mode_set = true;
	ro.net.mode = NET_PASTA;
	ro_publish(&ro, "127.0.0.1", 8080, 80, false, "--publish 8080:80");
	ro_publish(&ro, "127.0.0.2", 5353, 5353, true, "--publish 127.0.0.2:5353:5353/udp");
	is_int(build(&ro, &h, &s, &err), 0, "--net=pasta: built");
	is_str(err, "", "--net=pasta: nothing said");
	is_int(s.net.mode, NET_PASTA, "--net=pasta: the mode");
	is_str(s.net.pasta, "/usr/bin/pasta", "--net=pasta: pasta's path");
	is_str(s.net.slirp4netns, NULL, "--net=pasta: no slirp4netns");
	is_str(s.net.api_dir, NULL, "--net=pasta: no API directory");
	is_int(s.net.mtu, SLIRP_MTU, "--net=pasta: the MTU");
	ok(!s.net.host_loopback, "--net=pasta: the host's loopback closed");
	is_int(s.net.npublish, 2, "--net=pasta: two forwards");
	if (s.net.npublish == 2) {
		is_str(s.net.publish[1].host_addr, "127.0.0.2", "--net=pasta: the host address");
		ok(s.net.publish[1].udp, "--net=pasta: UDP, without --net-host-loopback");
		is_str(s.net.publish[1].origin, "--publish 127.0.0.2:5353:5353/udp",
		       "--net=pasta: the forward's origin");
	}
	m = mount_at(&s, "/etc/resolv.conf");
	ok(m && m->kind == MOUNT_FILE, "--net=pasta: /etc/resolv.conf is a file");
	if (m) {
		is_str(m->src, "nameserver 10.0.2.3\n", "--net=pasta: resolv.conf's content");
		is_str(m->origin, "--net=pasta", "--net=pasta: resolv.conf's origin");
	}
	ok(s.clone_flags & CLONE_NEWNET, "--net=pasta: a network namespace");
	spec_free(&s);
	free(err);

	/* With the host's loopback. */
	ro.net.host_loopback = true;
	is_int(build(&ro, &h, &s, &err), 0, "--net=pasta --net-host-loopback: built");
	ok(s.net.host_loopback, "--net=pasta --net-host-loopback: open");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* pasta loses UDP replies to a lower port; it keeps a host port once. */
	request(&ro, USERNS_KEEP_ID);
	ro.net.mode_set = true;
	ro.net.mode = NET_PASTA;
	ro_publish(&ro, "127.0.0.1", 5353, 53, true, "--publish 5353:53/udp");
	is_int(build(&ro, &h, &s, &err), -1, "--net=pasta -p 5353:53/udp: refused");
	is_str(err,
	       "nook: --publish 5353:53/udp: pasta loses the replies of a UDP port forwarded to a "
	       "lower one; make PORT at least HOSTPORT, or use --net=slirp\n",
	       "--net=pasta -p 5353:53/udp: the message");
	spec_free(&s);
	free(err);
	request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	ro.net.mode_set = true;
	ro.net.mode = NET_PASTA;
	ro_publish(&ro, "127.0.0.1", 8080, 80, false, "--publish 8080:80");
	ro_publish(&ro, "127.0.0.1", 8080, 8080, true, "--publish 8080:8080/udp");
	ro_publish(&ro, "127.0.0.2", 8080, 81, false, "--publish 127.0.0.2:8080:81");
	is_int(build(&ro, &h, &s, &err), -1, "--net=pasta, a host port twice: refused");
	is_str(err,
	       "nook: --publish 127.0.0.2:8080:81: pasta forwards a host port only once "
	       "(--publish 8080:80 has it too)\n",
	       "--net=pasta, a host port twice: the message (TCP and UDP apart)");
	spec_free(&s);
	free(err);

	/* The same forwards are slirp4netns's; -p without --net means slirp. */
	ro.net.mode_set = false;
	ro.net.host_loopback = true;
	is_int(build(&ro, &h, &s, &err), 0, "-p, no --net: built");
	is_int(s.net.mode, NET_SLIRP, "-p, no --net: slirp");
	is_str(s.net.slirp4netns, "/usr/bin/slirp4netns", "-p, no --net: slirp4netns's path");
	is_str(s.net.pasta, NULL, "-p, no --net: no pasta");
	m = mount_at(&s, "/etc/resolv.conf");
	is_str(m ? m->origin : NULL, "--net=slirp", "-p, no --net: resolv.conf's origin");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* slirp4netns still needs the host's loopback for UDP. */
	request(&ro, USERNS_KEEP_ID);
	ro.net.mode_set = true;
	ro.net.mode = NET_SLIRP;
	ro_publish(&ro, "127.0.0.1", 5353, 5353, true, "--publish 5353:5353/udp");
	is_int(build(&ro, &h, &s, &err), -1, "--net=slirp, UDP: refused");
	ok(strstr(err, "add --net-host-loopback") != NULL, "--net=slirp, UDP: names the option");
	spec_free(&s);
	free(err);

	/* Not installed. */
	ro.net.mode = NET_PASTA;
	set(&h.pasta, NULL);
	is_int(build(&ro, &h, &s, &err), -1, "--net=pasta, no pasta: refused");
	is_str(err, "nook: --net=pasta: pasta is not installed (package passt)\n",
	       "--net=pasta, no pasta: the one line");
	spec_free(&s);
	free(err);

	/* Forwards and the host's loopback need a user-mode network. */
	ro.net.mode = NET_HOST;
	is_int(build(&ro, &h, &s, &err), -1, "--net=host -p: refused");
	is_str(err,
	       "nook: --publish 5353:5353/udp: needs --net=slirp or --net=pasta (the sandbox has "
	       "--net=host)\n",
	       "--net=host -p: the message");
	spec_free(&s);
	free(err);
	request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	ro.net.host_loopback = true;
	is_int(build(&ro, &h, &s, &err), -1, "--net-host-loopback alone: refused");
	is_str(err, "nook: --net-host-loopback: needs --net=slirp or --net=pasta\n",
	       "--net-host-loopback alone: the message");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* --pty and which of nook's fds 0-2 are terminals: what the payload gets. */
static void test_terminal(void)
{
	static const struct {
		enum pty_choice pty;
		unsigned ttys;
		enum terminal_mode want;
		unsigned want_fds;
		const char *what;
	} cases[] = {
		{PTY_AUTO, 7, TERMINAL_PTY, 7, "auto, all three terminals"},
		{PTY_AUTO, 1, TERMINAL_PTY, 1, "auto, stdin only (output to files)"},
		{PTY_AUTO, 5, TERMINAL_PTY, 5, "auto, stdout a pipe: it stays one"},
		{PTY_AUTO, 6, TERMINAL_PTY, 6, "auto, stdin a pipe: the terminals among 1-2 only"},
		{PTY_AUTO, 0, TERMINAL_NEW_SESSION, 0, "auto, no terminal"},
		{PTY_ALWAYS, 0, TERMINAL_PTY, 7, "always, no terminal"},
		{PTY_ALWAYS, 1, TERMINAL_PTY, 7, "always, stdin a terminal"},
		{PTY_NEVER, 7, TERMINAL_INHERIT, 0, "never, stdin a terminal"},
		{PTY_NEVER, 6, TERMINAL_NEW_SESSION, 0, "never, stdin not a terminal"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct request ro;
		struct host_facts h;
		struct spec s;
		char *err;

		facts(&h);
		h.tty_fds = cases[i].ttys;
		request(&ro, USERNS_KEEP_ID);
		ro.pty = cases[i].pty;
		is_int(build(&ro, &h, &s, &err), 0, "terminal: %s: built", cases[i].what);
		is_str(enum_to_name(terminal_mode_names, s.terminal),
		       enum_to_name(terminal_mode_names, cases[i].want), "terminal: %s",
		       cases[i].what);
		is_int(s.pty_fds, cases[i].want_fds, "terminal: %s: the pty's fds", cases[i].what);
		spec_free(&s);
		free(err);
		request_free(&ro);
		host_facts_free(&h);
	}
}

/* A mode or rule of a bus, as the option table would record it. */
static void dbus_value(struct req_list *l, const char *value, bool cli)
{
	const struct origin o = {cli ? "--dbus-user" : "app.profile:7", cli};

	req_list_push(l, value, &o);
}

/* The mounts of kind dbus-proxy and the masks made for D-Bus ("dbus-..." origins), in order. */
static const char *dbus_mounts(const struct spec *s)
{
	static char buf[2048];

	buf[0] = '\0';
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		if (strncmp(m->origin, "dbus-", 5) != 0)
			continue;
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s %s %s (%s)",
			 buf[0] ? "; " : "", mount_kind_name(m->kind), m->src ? m->src : "-",
			 m->dest, m->origin);
	}
	return buf;
}

static void test_dbus(void)
{
	char *env_with_bus[] = {"HOME=/home/tester",
				"DBUS_SESSION_BUS_ADDRESS=unix:path=/tmp/dbus-x/bus,guid=1f",
				"DBUS_SYSTEM_BUS_ADDRESS=unix:path=/srv/sys.sock", NULL};
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;
	const struct mount_op *m;

	facts(&h);
	set(&h.xdg_dbus_proxy, "/usr/bin/xdg-dbus-proxy");
	set(&h.nook_runtime_dir, "/run/user/1001/nook");

	/* Nothing said: both buses, whole; their sockets granted; no proxy. */
	request(&ro, USERNS_KEEP_ID);
	is_int(build(&ro, &h, &s, &err), 0, "dbus default: builds");
	ok(s.dbus_user.mode == DBUS_ALLOW && s.dbus_system.mode == DBUS_ALLOW,
	   "dbus default: allow, allow");
	m = find_mount(&s, "/run/user/1001/bus");
	is_str(m ? mount_str(m) : NULL,
	       "bind /run/user/1001/bus /run/user/1001/bus rw,nosuid,nodev,optional 0755 - (session bus)",
	       "dbus default: the runtime dir's bus bound in");
	ok(!s.dbus_proxy, "dbus default: no proxy");
	spec_free(&s);
	free(err);

	/* A rule alone means filter: the proxy, its rules in kind order, once each. */
	dbus_value(&ro.dbus_user.talk, "org.freedesktop.Notifications", false);
	dbus_value(&ro.dbus_user.own, "org.example.App.*", false);
	dbus_value(&ro.dbus_user.call, "org.freedesktop.portal.*=*", false);
	dbus_value(&ro.dbus_user.talk, "org.freedesktop.Notifications", false);
	dbus_value(&ro.dbus_user.broadcast, "org.mpris.*=@/org/mpris/*", true);
	dbus_value(&ro.dbus_user.see, "org.example.Seen", true);
	is_int(build(&ro, &h, &s, &err), 0, "dbus rules: builds");
	ok(s.dbus_user.mode == DBUS_FILTER, "dbus rules without a mode: filter");
	is_str(s.dbus_user.upstream, "unix:path=/run/user/1001/bus",
	       "dbus filter: without DBUS_SESSION_BUS_ADDRESS, the runtime dir's bus");
	is_str(s.dbus_user.dest, "/run/user/1001/bus", "dbus filter: its socket, where the bus is");
	is_str(strv_str(&s.dbus_user.rules),
	       "--own=org.example.App.*|--talk=org.freedesktop.Notifications|--see=org.example.Seen|"
	       "--call=org.freedesktop.portal.*=*|--broadcast=org.mpris.*=@/org/mpris/*",
	       "dbus filter: the proxy's options, each once");
	ok(s.dbus_system.mode == DBUS_ALLOW && s.dbus_system.rules.n == 0,
	   "dbus filter: the other bus as it was");
	is_str(s.dbus_proxy, "/usr/bin/xdg-dbus-proxy", "dbus filter: the proxy's path");
	is_str(s.dbus_proxy_dir, "/run/user/1001/nook", "dbus filter: in nook's runtime dir");
	is_str(dbus_mounts(&s), "dbus-proxy user /run/user/1001/bus (dbus-user filter)",
	       "dbus filter: the proxy's socket mounted, nothing else");
	ok(!find_mount(&s, "/run/user/1001/bus") ||
		   find_mount(&s, "/run/user/1001/bus")->kind == MOUNT_DBUS_PROXY,
	   "dbus filter: the caller's bus is not bound");
	is_str(strv_env_get(&s.env, "DBUS_SESSION_BUS_ADDRESS"), "unix:path=/run/user/1001/bus",
	       "dbus filter: DBUS_SESSION_BUS_ADDRESS names the proxy's socket");
	spec_free(&s);
	free(err);

	/* The proxy's socket comes after the caller's mounts and views: over a whitelisted bus. */
	req_list_push(&ro.fs.whitelist, "/run/user/1001/bus", &(struct origin){"p:1", false});
	build(&ro, &h, &s, &err);
	{
		size_t wl = 0, proxy = 0;

		for (size_t i = 0; i < s.nmounts; i++) {
			if (strcmp(s.mounts[i].origin, "whitelist") == 0)
				wl = i;
			if (s.mounts[i].kind == MOUNT_DBUS_PROXY)
				proxy = i;
		}
		ok(wl > 0 && proxy > wl && strcmp(s.mounts[wl].dest, "/run/user/1001/bus") == 0,
		   "dbus filter: its socket after (over) a whitelist of the bus");
	}
	spec_free(&s);
	free(err);
	req_list_free(&ro.fs.whitelist);

	/* The caller's addresses: the proxy connects there; the sockets they name are hidden. */
	h.environ = env_with_bus;
	dbus_value(&ro.dbus_system.mode, "filter", false);
	dbus_value(&ro.dbus_system.talk, "org.freedesktop.login1", false);
	is_int(build(&ro, &h, &s, &err), 0, "dbus addresses: builds");
	is_str(s.dbus_user.upstream, "unix:path=/tmp/dbus-x/bus,guid=1f",
	       "dbus filter: the proxy connects to DBUS_SESSION_BUS_ADDRESS");
	is_str(s.dbus_system.upstream, "unix:path=/srv/sys.sock",
	       "dbus-system filter: ... and to DBUS_SYSTEM_BUS_ADDRESS");
	is_str(s.dbus_system.dest, "/run/dbus/system_bus_socket", "dbus-system filter: its socket");
	is_str(dbus_mounts(&s),
	       "mask - /tmp/dbus-x/bus (dbus-user filter); dbus-proxy user /run/user/1001/bus "
	       "(dbus-user filter); mask - /srv/sys.sock (dbus-system filter); dbus-proxy system "
	       "/run/dbus/system_bus_socket (dbus-system filter)",
	       "dbus filter: the callers' sockets hidden, the proxy's bound");
	is_str(strv_env_get(&s.env, "DBUS_SYSTEM_BUS_ADDRESS"),
	       "unix:path=/run/dbus/system_bus_socket",
	       "dbus-system filter: DBUS_SYSTEM_BUS_ADDRESS names the proxy's socket");
	is_str(strv_env_get(&s.env, "DBUS_SESSION_BUS_ADDRESS"), "unix:path=/run/user/1001/bus",
	       "dbus filter: DBUS_SESSION_BUS_ADDRESS is replaced");
	spec_free(&s);
	free(err);

	/* --clearenv: not set unless kept. */
	ro.clearenv = true;
	build(&ro, &h, &s, &err);
	ok(!strv_env_get(&s.env, "DBUS_SESSION_BUS_ADDRESS"), "dbus filter, --clearenv: not set");
	spec_free(&s);
	free(err);
	strv_push(&ro.env_keep, "DBUS_SESSION_BUS_ADDRESS");
	build(&ro, &h, &s, &err);
	is_str(strv_env_get(&s.env, "DBUS_SESSION_BUS_ADDRESS"), "unix:path=/run/user/1001/bus",
	       "dbus filter, --clearenv --env-keep: the proxy's socket");
	spec_free(&s);
	free(err);
	ro.clearenv = false;
	strv_free(&ro.env_keep);

	/* In profiles the most restrictive wins, whatever the order; the command line wins. */
	req_list_free(&ro.dbus_system.mode);
	dbus_value(&ro.dbus_system.mode, "none", false);
	dbus_value(&ro.dbus_system.mode, "filter", false);
	dbus_value(&ro.dbus_system.mode, "allow", false);
	build(&ro, &h, &s, &err);
	ok(s.dbus_system.mode == DBUS_NONE, "dbus profiles none, filter, allow: none");
	is_str(dbus_mounts(&s) + strlen(dbus_mounts(&s)) -
		       strlen("mask - /srv/sys.sock (dbus-system none); mask - /run/dbus/system_bus_socket (dbus-system none)"),
	       "mask - /srv/sys.sock (dbus-system none); mask - /run/dbus/system_bus_socket (dbus-system none)",
	       "dbus none: the caller's socket and the bus's place hidden");
	ok(!find_mount(&s, "/run/dbus/system_bus_socket") ||
		   find_mount(&s, "/run/dbus/system_bus_socket")->kind == MOUNT_MASK,
	   "dbus none: nothing bound where the bus would be");
	ok(!strv_env_get(&s.env, "DBUS_SYSTEM_BUS_ADDRESS"), "dbus none: the variable is removed");
	spec_free(&s);
	free(err);
	dbus_value(&ro.dbus_system.mode, "allow", true);
	build(&ro, &h, &s, &err);
	ok(s.dbus_system.mode == DBUS_ALLOW, "dbus: --dbus-system=allow over the profiles' none");
	spec_free(&s);
	free(err);
	req_list_free(&ro.dbus_system.mode);
	dbus_value(&ro.dbus_system.mode, "filter", false);
	ro.fs.nodbus = true;
	build(&ro, &h, &s, &err);
	ok(s.dbus_system.mode == DBUS_NONE && s.dbus_user.mode == DBUS_NONE,
	   "dbus: nodbus over the profiles' filter and over rules");
	spec_free(&s);
	free(err);
	dbus_value(&ro.dbus_user.mode, "filter", true);
	build(&ro, &h, &s, &err);
	ok(s.dbus_user.mode == DBUS_FILTER && s.dbus_system.mode == DBUS_NONE,
	   "dbus: --dbus-user=filter over nodbus, for that bus");
	spec_free(&s);
	free(err);
	ro.fs.nodbus = false;

	/* Filter without the proxy: one line naming the package and the way out. */
	set(&h.xdg_dbus_proxy, NULL);
	is_int(build(&ro, &h, &s, &err), -1, "dbus filter without xdg-dbus-proxy: an error");
	is_str(err,
	       "nook: --dbus-user=filter: xdg-dbus-proxy is not installed (apt-get install "
	       "xdg-dbus-proxy); or give --dbus-user=none or --dbus-user=allow\n",
	       "... the message names what asked for it and the package");
	spec_free(&s);
	free(err);
	req_list_free(&ro.dbus_user.mode);
	is_int(build(&ro, &h, &s, &err), -1, "dbus: a profile's rule without the proxy: an error");
	is_str(err,
	       "nook: app.profile:7: dbus-user.own org.example.App.*: xdg-dbus-proxy is not "
	       "installed (apt-get install xdg-dbus-proxy); or give --dbus-user=none or "
	       "--dbus-user=allow\n",
	       "... naming the profile's line and the rule");
	spec_free(&s);
	free(err);
	dbus_value(&ro.dbus_user.mode, "none", true);
	is_int(build(&ro, &h, &s, &err), -1,
	       "dbus: a profile's filter without the proxy: an error");
	is_str(err,
	       "nook: app.profile:7: dbus-system filter: xdg-dbus-proxy is not installed "
	       "(apt-get install xdg-dbus-proxy); or give --dbus-system=none or "
	       "--dbus-system=allow\n",
	       "... naming the profile's line");
	spec_free(&s);
	free(err);
	dbus_value(&ro.dbus_system.mode, "none", true);
	req_list_free(&ro.dbus_user.mode);
	req_list_free(&ro.dbus_user.talk);
	req_list_free(&ro.dbus_user.own);
	req_list_free(&ro.dbus_user.call);
	req_list_free(&ro.dbus_user.see);
	is_int(build(&ro, &h, &s, &err), -1, "dbus: a rule without the proxy: an error");
	is_str(err,
	       "nook: --dbus-user.broadcast=org.mpris.*=@/org/mpris/*: xdg-dbus-proxy is not "
	       "installed (apt-get install xdg-dbus-proxy); or give --dbus-user=none or "
	       "--dbus-user=allow\n",
	       "... naming the rule");
	spec_free(&s);
	free(err);
	dbus_value(&ro.dbus_user.mode, "allow", true);
	is_int(build(&ro, &h, &s, &err), 0,
	       "dbus: --dbus-user=allow, --dbus-system=none on the "
	       "command line: no proxy needed");
	spec_free(&s);
	free(err);

	/* An address the proxy would take for an option. */
	set(&h.xdg_dbus_proxy, "/usr/bin/xdg-dbus-proxy");
	{
		char *bad_env[] = {"DBUS_SESSION_BUS_ADDRESS=--help", NULL};

		h.environ = bad_env;
		req_list_free(&ro.dbus_user.mode);
		dbus_value(&ro.dbus_user.mode, "filter", true);
		is_int(build(&ro, &h, &s, &err), -1,
		       "dbus: an address starting with '-': an error");
		is_str(err,
		       "nook: --dbus-user=filter: DBUS_SESSION_BUS_ADDRESS is not a D-Bus address\n",
		       "... the message");
		spec_free(&s);
		free(err);
	}

	/* An image: no session, no bus, nothing to filter. */
	h.environ = environ_fixture;
	set(&ro.rootfs, tmpdir);
	ro.overlay.mode_set = true;
	ro.overlay.mode = OVERLAY_NONE;
	is_int(build(&ro, &h, &s, &err), 0, "dbus --rootfs: builds");
	ok(s.dbus_user.mode == DBUS_NONE && !s.dbus_proxy && dbus_mounts(&s)[0] == '\0',
	   "dbus --rootfs: no bus, no proxy");
	spec_free(&s);
	free(err);

	request_free(&ro);
	host_facts_free(&h);
}

/* The mounts whose origin starts with prefix, "kind dest (origin)" joined by "; ". */
static const char *mounts_from(const struct spec *s, const char *prefix)
{
	static char buf[2048];

	buf[0] = '\0';
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		if (strncmp(m->origin, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s %s (%s)",
			 buf[0] ? "; " : "", mount_kind_name(m->kind), m->dest, m->origin);
	}
	return buf;
}

static char *env_display[] = {"HOME=/home/tester", "PATH=/usr/bin:/bin", "DISPLAY=:5",
			      "WAYLAND_DISPLAY=wayland-1", NULL};
static char *env_x11_only[] = {"HOME=/home/tester", "DISPLAY=:5", NULL};
static char *env_wayland_only[] = {"HOME=/home/tester", "WAYLAND_DISPLAY=wayland-1", NULL};

/* The command line's --NAME=VALUE, applied to ro as the option table does. */
static int cli_option(struct request *ro, const char *name, const char *value)
{
	const struct origin o = {"--", true};
	char e[256];

	return option_apply(option_find(name), ro, value, &o, e, sizeof e);
}

/* A request for "prog" under the profile at path (firejail's when firejail). */
static void profile_request(struct request *ro, const char *path, bool firejail)
{
	request(ro, USERNS_KEEP_ID);
	ro->profile_path = xstrdup(path);
	ro->profile_firejail = firejail;
}

/* Build ro with the caller's environment env; the spec in *s, stderr in *err. */
static int build_env(struct request *ro, char **env, struct spec *s, char **err)
{
	struct host_facts h;
	int r;

	facts(&h);
	h.environ = env;
	set(&h.home, "/home/tester");
	set(&h.slirp4netns, "/usr/bin/slirp4netns");
	r = build(ro, &h, s, err);
	host_facts_free(&h);
	return r;
}

/*
 * The host's ipc namespace: --ipc=host always; a profile's "ipc host" only with the caller's
 * X display (granted, and DISPLAY set), which reaches the segments through the server anyway.
 */
static void test_ipc(void)
{
	static const struct {
		bool cli;    /* --ipc=host, else a profile's ipc host */
		int x11;     /* the request's x11 */
		char **env;  /* the caller's */
		bool shared; /* the host's namespace */
		const char *origin;
		const char *what;
	} t[] = {
		{true, 0, env_wayland_only, true, "--", "--ipc=host, no X display: shared"},
		{false, 1, env_display, true, "p.profile:3, with the X display",
		 "a profile's, x11 and DISPLAY: shared"},
		{false, 0, env_display, false, NULL, "a profile's, x11 not granted: its own"},
		{false, 1, env_wayland_only, false, NULL, "a profile's, x11, no DISPLAY: its own"},
		{false, -1, env_display, false, NULL, "a profile's, x11 none: its own"},
	};
	const struct origin prof = {"p.profile:3", false};
	struct request ro;
	struct spec s;
	char *err, e[256];

	request(&ro, USERNS_KEEP_ID);
	is_int(build_env(&ro, env_display, &s, &err), 0, "ipc: builds");
	ok(s.clone_flags & CLONE_NEWIPC, "ipc: its own namespace by default");
	is_str(s.ipc_host, NULL, "ipc: by default, no ipc host line");
	spec_free(&s);
	free(err);
	request_free(&ro);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		request(&ro, USERNS_KEEP_ID);
		ro.fs.x11 = t[i].x11;
		if (t[i].cli)
			is_int(cli_option(&ro, "ipc", "host"), 0, "%s: --ipc=host taken",
			       t[i].what);
		else
			is_int(option_apply(option_find("ipc"), &ro, "host", &prof, e, sizeof e), 0,
			       "%s: ipc host taken", t[i].what);
		is_int(build_env(&ro, t[i].env, &s, &err), 0, "%s: builds", t[i].what);
		is_int(!(s.clone_flags & CLONE_NEWIPC), t[i].shared, "%s", t[i].what);
		is_str(s.ipc_host, t[i].origin, "%s: the ipc line's origin", t[i].what);
		spec_free(&s);
		free(err);
		request_free(&ro);
	}
	/* The command line's --ipc=private over a profile's ipc host. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	option_apply(option_find("ipc"), &ro, "host", &prof, e, sizeof e);
	cli_option(&ro, "ipc", "private");
	is_int(build_env(&ro, env_display, &s, &err), 0, "--ipc=private over ipc host: builds");
	ok(s.clone_flags & CLONE_NEWIPC, "--ipc=private over a profile's ipc host: its own");
	spec_free(&s);
	free(err);
	is_int(cli_option(&ro, "ipc", "shared"), -1, "--ipc=shared: not a mode");
	request_free(&ro);
}

/*
 * A firejail profile has the displays and the network unless it says otherwise; nook's own
 * profiles have what they name; the command line wins over both.
 */
static void test_firejail_defaults(void)
{
	struct request ro;
	struct host_facts h;
	struct spec s;
	char *err;

	profile_request(&ro, "/etc/firejail/feh.profile", true);
	is_int(build_env(&ro, env_display, &s, &err), 0, "firejail: builds");
	is_str(err, "", "firejail: no message");
	is_str(mounts_from(&s, "x11"),
	       "bind /tmp/.X11-unix/X5 (x11: firejail's default); "
	       "bind /home/tester/.Xauthority (x11: firejail's default)",
	       "firejail: the X socket and cookie, by default");
	is_str(mounts_from(&s, "wayland"),
	       "bind /run/user/1001/wayland-1 (wayland: firejail's default); "
	       "bind /run/user/1001/wayland-1 (wayland: firejail's default)",
	       "firejail: the compositor's socket, by default");
	is_int(s.net.mode, NET_SLIRP, "firejail: the network through slirp4netns");
	ok(find_mount(&s, "/etc/resolv.conf") != NULL, "firejail: slirp's resolv.conf");
	is_str(strv_env_get(&s.env, "DISPLAY"), ":5", "firejail: DISPLAY kept");
	is_str(strv_env_get(&s.env, "WAYLAND_DISPLAY"), "wayland-1",
	       "firejail: WAYLAND_DISPLAY kept");
	ok(!s.failure_hint, "firejail: no hint, the displays are there");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* "x11 none": no display at all; "net none": none. */
	profile_request(&ro, "/etc/firejail/less.profile", true);
	ro.fs.x11 = -1;
	ro.net.mode_set = true;
	ro.net.mode = NET_NONE;
	is_int(build_env(&ro, env_display, &s, &err), 0, "firejail x11 none: builds");
	is_str(mounts_from(&s, "x11"), "", "firejail x11 none: no X socket");
	is_str(mounts_from(&s, "wayland"), "", "firejail x11 none: no Wayland socket either");
	ok(!strv_env_get(&s.env, "DISPLAY"), "firejail x11 none: no DISPLAY");
	ok(!strv_env_get(&s.env, "WAYLAND_DISPLAY"), "firejail x11 none: no WAYLAND_DISPLAY");
	is_int(s.net.mode, NET_NONE, "firejail net none: no network");
	is_str(s.failure_hint,
	       "prog had no display (X11 and Wayland are taken away by x11 none): --x11 gives it "
	       "the X server, --wayland the compositor",
	       "firejail x11 none: the hint");
	ok(!find_mount(&s, "/run/user/1001/dconf"), "firejail x11 none: no dconf tmpfs");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* The command line over the defaults: --x11=none, --net=host. */
	profile_request(&ro, "/etc/firejail/feh.profile", true);
	is_int(cli_option(&ro, "x11", "none") + cli_option(&ro, "net", "host"), 0,
	       "firejail, --x11=none --net=host: taken");
	is_int(build_env(&ro, env_display, &s, &err), 0, "firejail, --x11=none --net=host: builds");
	is_str(mounts_from(&s, "x11"), "", "firejail, --x11=none: no X socket");
	is_int(s.net.mode, NET_HOST, "firejail, --net=host: the host's network");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* No use for a network without inet sockets ("protocol unix"). */
	profile_request(&ro, "/etc/firejail/x.profile", true);
	ro.sec.protocols = UINT64_C(1) << AF_UNIX;
	is_int(build_env(&ro, env_display, &s, &err), 0, "firejail protocol unix: builds");
	is_int(s.net.mode, NET_NONE, "firejail protocol unix: no network");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* --publish makes it slirp anyway; nook's own profile: nothing it does not name. */
	profile_request(&ro, "/etc/nook/profiles/feh.profile", false);
	is_int(build_env(&ro, env_display, &s, &err), 0, "nook's profile: builds");
	is_str(mounts_from(&s, "x11"), "", "nook's profile: no X socket unless x11");
	is_str(mounts_from(&s, "wayland"), "", "nook's profile: no Wayland socket unless wayland");
	is_int(s.net.mode, NET_NONE, "nook's profile: no network");
	ok(!find_mount(&s, "/run/user/1001/dconf"), "nook's profile without display: no dconf");
	ok(!strv_env_get(&s.env, "NO_AT_BRIDGE"),
	   "nook's profile without display: no NO_AT_BRIDGE");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* slirp4netns missing: a warning, and no network rather than no sandbox. */
	profile_request(&ro, "/etc/firejail/curl.profile", true);
	facts(&h);
	h.environ = env_display;
	is_int(build(&ro, &h, &s, &err), 0, "firejail without slirp4netns: builds");
	is_int(s.net.mode, NET_NONE, "firejail without slirp4netns: no network");
	ok(strstr(err, "warning: /etc/firejail/curl.profile: a firejail profile has the network") &&
		   strstr(err, "slirp4netns is not installed"),
	   "firejail without slirp4netns: says so: %s", err);
	spec_free(&s);
	free(err);
	ro.quiet = true;
	is_int(build(&ro, &h, &s, &err), 0, "firejail without slirp4netns, -q: builds");
	is_str(err, "", "firejail without slirp4netns, -q: quiet");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* The X server's abstract socket stays reachable with the host's network and x11. */
	profile_request(&ro, "/etc/firejail/x.profile", true);
	ro.net.mode_set = true;
	ro.net.mode = NET_HOST;
	h.landlock_abi = 6;
	is_int(build(&ro, &h, &s, &err), 0, "firejail --net=host: builds");
	ok(!s.landlock_scope_unix, "firejail --net=host: abstract sockets not scoped (x11)");
	spec_free(&s);
	free(err);
	request_free(&ro);
	host_facts_free(&h);
}

/* The hint the monitor prints after a failure, when the caller's display was not given. */
static void test_display_hint(void)
{
	static const struct {
		char **env;
		const char *profile;
		int x11;
		bool wayland, quiet;
		const char *want;
		const char *what;
	} cases[] = {
		{env_display, "/etc/nook/profiles/default.profile", 0, false, false,
		 "prog had no display (X11 and Wayland are not granted by default.profile): --x11 "
		 "gives it the X server, --wayland the compositor",
		 "neither display"},
		{env_display, "/etc/nook/profiles/default.profile", 0, true, false,
		 "prog had no X display (X11 is not granted by default.profile): --x11 gives it "
		 "the X server",
		 "Wayland only, the caller has X too"},
		{env_x11_only, NULL, 0, false, false,
		 "prog had no X display (X11 is not granted without a profile): --x11 gives it the "
		 "X server",
		 "no profile, X11 only"},
		{env_wayland_only, "/p/app.profile", 0, false, false,
		 "prog had no display (Wayland is not granted by app.profile): --wayland gives it "
		 "the compositor",
		 "the caller has only Wayland"},
		{env_display, "/p/app.profile", -1, true, false,
		 "prog had no X display (X11 is taken away by x11 none): --x11 gives it the X server",
		 "x11 none of nook's profile, Wayland given"},
		{env_display, "/p/app.profile", 1, false, false, NULL,
		 "X11 given: a failure is not for want of Wayland"},
		{env_wayland_only, "/p/app.profile", 0, true, false, NULL, "Wayland given"},
		{environ_fixture, "/p/app.profile", 0, false, false, NULL, "the caller has none"},
		{env_display, "/p/app.profile", 0, false, true, NULL, "--quiet"},
	};
	struct request ro;
	struct spec s;
	char *err;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		request(&ro, USERNS_KEEP_ID);
		if (cases[i].profile)
			ro.profile_path = xstrdup(cases[i].profile);
		ro.fs.x11 = cases[i].x11;
		ro.fs.wayland = cases[i].wayland;
		ro.quiet = cases[i].quiet;
		is_int(build_env(&ro, cases[i].env, &s, &err), 0, "hint: %s: builds",
		       cases[i].what);
		is_str(s.failure_hint, cases[i].want, "hint: %s", cases[i].what);
		spec_free(&s);
		free(err);
		request_free(&ro);
	}

	/* --clearenv left DISPLAY out: said so, and --x11 would not help. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	ro.clearenv = true;
	is_int(build_env(&ro, env_x11_only, &s, &err), 0, "hint: --clearenv: builds");
	is_str(s.failure_hint, "prog had no X display (X11 is left out by --clearenv)",
	       "hint: --clearenv");
	spec_free(&s);
	free(err);
	request_free(&ro);
}

/* A display hidden by the profile's blacklist: named so, and no option offered for it. */
static void test_display_hint_hidden(void)
{
	const struct origin o = {"feh.profile:3", false};
	struct request ro;
	struct spec s;
	char *err;
	FILE *f;
	char *text = NULL;
	size_t len = 0;

	profile_request(&ro, "/etc/firejail/feh.profile", true);
	req_list_push(&ro.fs.blacklist, "/tmp/.X11-unix", &o);
	req_list_push(&ro.fs.blacklist, "/run/user/1001/wayland-*", &o);
	is_int(build_env(&ro, env_x11_only, &s, &err), 0, "hint, hidden: builds");
	is_str(s.failure_hint, "prog had no X display (X11 is hidden by feh.profile)",
	       "hint, hidden: says where, offers no option");
	f = open_memstream(&text, &len);
	spec_print(&s, f);
	fclose(f);
	ok(strstr(text, "\nfailure-hint prog had no X display (X11 is hidden by feh.profile)\n"),
	   "hint, hidden: --dry-run shows it");
	free(text);
	spec_free(&s);
	free(err);
	request_free(&ro);
}

/* dconf's directory and the accessibility bridge of a sandbox with a display. */
static void test_display_session(void)
{
	const struct origin profile = {"app.profile:3", false};
	struct request ro;
	struct spec s;
	char *err;
	const struct mount_op *m;
	char *env_a11y_set[] = {"HOME=/home/tester", "DISPLAY=:5", "NO_AT_BRIDGE=0", NULL};

	request(&ro, USERNS_KEEP_ID);
	ro.fs.wayland = true;
	is_int(build_env(&ro, env_display, &s, &err), 0, "dconf: builds");
	m = &s.mounts[s.nmounts - 1];
	is_str(mount_str(m),
	       "tmpfs - /run/user/1001/dconf rw,nosuid,nodev,noexec,optional 0700 "
	       "uid=1001,gid=1001,size=1m (dconf)",
	       "dconf: a throwaway tmpfs of the user's, the last mount");
	is_str(strv_env_get(&s.env, "NO_AT_BRIDGE"), "1", "a11y: NO_AT_BRIDGE=1");
	is_str(strv_env_get(&s.env, "GTK_A11Y"), "none", "a11y: GTK_A11Y=none");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* Wayland granted, but the caller has only X11: no display, none of it. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.wayland = true;
	is_int(build_env(&ro, env_x11_only, &s, &err), 0, "dconf, no display shown: builds");
	is_str(mounts_from(&s, "dconf"), "", "dconf, no display shown: none");
	ok(!strv_env_get(&s.env, "NO_AT_BRIDGE"), "a11y, no display shown: nothing set");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* The host's dconf/ whitelisted read-only: covered; writable: shared, as asked. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	req_list_push(&ro.fs.whitelist_ro, "/run/user/1001/dconf", &profile);
	is_int(build_env(&ro, env_display, &s, &err), 0, "dconf, whitelist-ro: builds");
	is_str(mounts_from(&s, "dconf"), "tmpfs /run/user/1001/dconf (dconf)",
	       "dconf, whitelist-ro: the tmpfs over the host's");
	spec_free(&s);
	free(err);
	request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	req_list_push(&ro.fs.whitelist, "/run/user/1001/dconf", &profile);
	is_int(build_env(&ro, env_display, &s, &err), 0, "dconf, whitelist: builds");
	is_str(mounts_from(&s, "dconf"), "", "dconf, whitelist: the host's, shared");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* The runtime dir blacklisted: it stays hidden. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	req_list_push(&ro.fs.blacklist, "/run/user/1001", &profile);
	is_int(build_env(&ro, env_display, &s, &err), 0, "dconf, blacklist: builds");
	is_str(mounts_from(&s, "dconf"), "", "dconf, blacklisted runtime dir: nothing over it");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* The caller's own value, --unsetenv, and a bound accessibility bus: left alone. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	is_int(build_env(&ro, env_a11y_set, &s, &err), 0, "a11y, the caller's: builds");
	is_str(strv_env_get(&s.env, "NO_AT_BRIDGE"), "0", "a11y: the caller's NO_AT_BRIDGE kept");
	is_str(strv_env_get(&s.env, "GTK_A11Y"), "none", "a11y: GTK_A11Y=none still");
	spec_free(&s);
	free(err);
	request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	strv_push(&ro.env_edits, "GTK_A11Y");
	is_int(build_env(&ro, env_display, &s, &err), 0, "a11y, --unsetenv: builds");
	ok(!strv_env_get(&s.env, "GTK_A11Y"), "a11y: --unsetenv=GTK_A11Y holds");
	spec_free(&s);
	free(err);
	request_free(&ro);
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	ro_mount(&ro, MOUNT_BIND, "/run/user/1001/at-spi", "/run/user/1001/at-spi", 0, "--bind");
	is_int(build_env(&ro, env_display, &s, &err), 0, "a11y, bound: builds");
	ok(!strv_env_get(&s.env, "NO_AT_BRIDGE") && !strv_env_get(&s.env, "GTK_A11Y"),
	   "a11y: the bus's directory bound: nothing set");
	spec_free(&s);
	free(err);
	request_free(&ro);

	/* An image: its own runtime dir, none of this. */
	request(&ro, USERNS_KEEP_ID);
	ro.fs.x11 = 1;
	ro.rootfs = xstrdup("/");
	ro.overlay.mode_set = true;
	ro.overlay.mode = OVERLAY_NONE;
	is_int(build_env(&ro, env_display, &s, &err), 0, "dconf, --rootfs: builds");
	is_str(mounts_from(&s, "dconf"), "", "dconf, --rootfs: none");
	spec_free(&s);
	free(err);
	request_free(&ro);
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 99;
	}
	write_file("subuid", "other:500000:65536\ntester:100000:65536\n");
	write_file("subgid", "tester:200000:65536\n");
	/* Files where a directory is expected: reading "subuid/x" fails with ENOTDIR. */

	test_keep_id();
	test_root();
	test_caps_origins();
	test_single();
	test_fallback();
	test_fallback_caps();
	test_mounts();
	test_misc();
	test_env();
	test_env_duplicates();
	test_image_identity();
	test_user();
	test_origins();
	test_mask_dedupe();
	test_raw_paths();
	test_read_write();
	test_cache();
	test_hostname();
	test_runtime_dir();
	test_userns_pool();
	test_name();
	test_seccomp_origin();
	test_landlock();
	test_net();
	test_terminal();
	test_dbus();
	test_firejail_defaults();
	test_ipc();
	test_display_hint();
	test_display_hint_hidden();
	test_display_session();

	{
		static const char *const files[] = {"subuid",     "subgid",       "subuid-num",
						    "subgid-num", "subuid-other", "subgid-empty"};

		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			char *p = tmp_path(files[i]);

			unlink(p);
			free(p);
		}
		rmdir(tmpdir);
	}
	return done_testing();
}
