// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook oci exec and ps: a new process in a running container, and the container's processes.
 *
 * exec confines its process as the container's: the spec is built again from the config
 * create kept in the state directory (not the bundle's, which may have changed since), with
 * the process object of --process in place of the config's, or the config's own changed by
 * the options as runc changes it. The same translation and the same compilation give the same
 * filter the container's process got; nothing compiled is kept between the two. The state
 * directory is the caller's (the root is checked to be), so what is read there is trusted no
 * more than the caller: and it only confines a process the caller starts. What the process
 * may have is then capped by the container's: capabilities no more than its, no_new_privs
 * always.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/oci.h"
#include "host/facts.h"
#include "policy/oci.h"
#include "sandbox/oci.h"
#include "spec.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/json_read.h"

struct exec_opts {
	const char *process, *console, *pid_file, *cwd, *user;
	struct strv env;
	uint64_t caps;
	bool tty, detach, no_new_privs;
	unsigned preserve;
};

static uint64_t parse_cap(const char *arg)
{
	char name[64];
	cap_value_t v;
	size_t k;

	for (k = 0; arg[k] && k + 1 < sizeof name; k++)
		name[k] = (char)tolower((unsigned char)arg[k]);
	name[k] = '\0';
	if (cap_from_name(name, &v) < 0 || v < 0 || v >= 64)
		die("oci exec --cap %s: no such capability", arg);
	return UINT64_C(1) << v;
}

/*
 * The profile is read again for exec: it must hold what it held when the container was
 * created, or the process would be confined otherwise than the container.
 */
static void same_profile(const struct oci_container *c, const char *id,
			 const struct request *profile)
{
	autofree char *now = oci_profile_sum(profile), *then = NULL;
	size_t len;

	if (faccessat(c->dir, OCI_PROFILE_SUM, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		die("container %s: the checksums of its profile were not kept (created by an older "
		    "nook?): exec refused",
		    id);
	then = oci_cli_read(c->dir, OCI_PROFILE_SUM, &len);
	if (strlen(then) != len || strcmp(now, then) != 0)
		die_hint("run the process in a new container, or put the profile back as it was",
			 "container %s: its profile (%s) changed since the container was created: "
			 "exec refused, it would confine the process otherwise",
			 id, profile->profile_path ? profile->profile_path : "run.nook.profile");
}

/* The spec of CONFIG, or die: a config create took cannot fail but with another nook. */
static void build(const struct jnode *config, const struct oci_host *h, struct spec *s)
{
	struct strv notes = {0};
	char err[512];

	spec_init(s);
	if (oci_spec_build(config, h, s, &notes, err, sizeof err) < 0)
		die("%s", err);
	s->oci.seccomp_cache = oci_cli_seccomp_cache();
	strv_free(&notes);
}

/* --process FILE: its object in place of the config's process. */
static void replace_process(struct jnode *config, const char *file, struct jnode **owned)
{
	autofree char *text = NULL;
	char err[256];
	size_t len;

	text = oci_cli_read(AT_FDCWD, file, &len);
	*owned = json_parse(text, len, err, sizeof err);
	if (!*owned)
		die("--process %s: %s", file, err);
	if ((*owned)->type != JSON_OBJECT)
		die("--process %s: not an object", file);
	for (size_t i = 0; i < config->n; i++) {
		if (strcmp(config->keys[i], "process") == 0) {
			struct jnode t = config->items[i];

			/* Swapped: each tree frees what it holds at the end. */
			config->items[i] = **owned;
			**owned = t;
			return;
		}
	}
	die("the container's config has no process");
}

/* The options on the container's process, as runc applies them. */
static void apply_options(struct spec *s, const struct spec *container, char **cmd, int n,
			  const struct exec_opts *o)
{
	strv_free(&s->argv);
	for (int i = 0; i < n; i++)
		strv_push(&s->argv, cmd[i]);
	if (o->cwd) {
		if (o->cwd[0] != '/')
			die("oci exec --cwd %s: must be absolute", o->cwd);
		free(s->cwd);
		s->cwd = xstrdup(o->cwd);
	}
	for (size_t i = 0; i < o->env.n; i++)
		strv_env_set(&s->env, o->env.v[i]);
	s->terminal = o->tty ? TERMINAL_PTY : TERMINAL_NEW_SESSION;
	s->pty_fds = o->tty ? 7 : 0;
	if (o->user) {
		char *end;
		unsigned long uid = strtoul(o->user, &end, 10), gid = s->inside_gid;

		if (end == o->user || (*end && *end != ':'))
			die("oci exec --user %s: UID[:GID], numbers", o->user);
		if (*end == ':') {
			const char *g = end + 1;

			gid = strtoul(g, &end, 10);
			if (end == g || *end)
				die("oci exec --user %s: UID[:GID], numbers", o->user);
		}
		if (uid >= UINT32_MAX || gid >= UINT32_MAX)
			die("oci exec --user %s: not an id", o->user);
		s->inside_uid = (uid_t)uid;
		s->inside_gid = (gid_t)gid;
		/* A uid other than 0 keeps at exec what is ambient: --cap's, as runc gives them. */
		if (uid != 0 && container->inside_uid == 0 && !s->oci.caps.exact)
			s->caps_keep = 0;
	}
	/* --cap: in every set, as runc adds it (within the container's, checked after). */
	s->caps_keep |= o->caps;
	s->oci.caps.effective |= o->caps;
	s->oci.caps.permitted |= o->caps;
	s->oci.caps.inheritable |= o->caps;
	s->oci.caps.ambient |= o->caps;
}

static int exec_main(const char *id, char **cmd, int ncmd, struct exec_opts *o)
{
	autofree char *text = NULL, *newuidmap = NULL, *newgidmap = NULL;
	autoclose int pidfd = -1, console = -1;
	struct jnode *config, *process = NULL;
	struct oci_container c;
	struct oci_host h = {0};
	struct spec cs, s;
	struct request profile;
	struct strv notes = {0};
	enum oci_status st;
	char err[512];
	size_t len;
	pid_t pid;
	int r;

	oci_cli_open(id, &c, true);
	st = oci_status(&c);
	if (st != OCI_RUNNING)
		die("container %s is %s, not running", id, oci_status_name(st));
	pidfd = oci_cli_pidfd(&c);
	if (pidfd < 0)
		die("container %s is not running", id);
	if (faccessat(c.dir, OCI_CONFIG, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
		die("container %s: no config kept in its state (created by an older nook?): "
		    "nothing to confine the process by",
		    id);
	text = oci_cli_read(c.dir, OCI_CONFIG, &len);
	config = json_parse(text, len, err, sizeof err);
	if (!config)
		die("container %s: its kept config: %s", id, err);
	h.bundle = c.bundle;
	h.uid = getuid();
	h.gid = getgid();
	h.newuidmap = newuidmap = host_find_helper("newuidmap");
	h.newgidmap = newgidmap = host_find_helper("newgidmap");
	/* The container's profile, read against the container's process, for both builds. */
	r = oci_profile_read(config, c.bundle, &profile, &notes, err, sizeof err);
	if (r < 0)
		die("container %s: %s", id, err);
	h.profile = r ? &profile : NULL;
	if (r)
		same_profile(&c, id, &profile);
	build(config, &h, &cs);
	if (o->process) {
		replace_process(config, o->process, &process);
		build(config, &h, &s);
		/* Without limits of its own the process has the container's. */
		if (!json_get(json_get(config, "process"), "rlimits")) {
			memcpy(s.rlimits, cs.rlimits, sizeof s.rlimits);
			s.nrlimits = cs.nrlimits;
		}
		if (o->tty && s.terminal != TERMINAL_PTY)
			die("oci exec --tty: --process %s: process.terminal is not true",
			    o->process);
	} else {
		build(config, &h, &s);
		apply_options(&s, &cs, cmd, ncmd, o);
	}
	/* --no-new-privs: also over a --process that does not ask for it, as runc takes it. */
	s.oci.no_new_privs |= o->no_new_privs;
	if (s.caps_keep & ~cs.caps_keep)
		oci_logf("warning",
			 "container %s: exec: capabilities 0x%llx are not the container's, not given",
			 id, (unsigned long long)(s.caps_keep & ~cs.caps_keep));
	s.caps_keep &= cs.caps_keep;
	if ((s.terminal == TERMINAL_PTY) != (o->console != NULL))
		die(o->console ? "--console-socket: the process has no terminal (--tty)"
			       : "a terminal (--tty, process.terminal) needs --console-socket");
	if (o->console)
		console = oci_cli_console(o->console);

	pid = oci_exec_start(&s, c.pid, pidfd, console, o->preserve, !o->detach);
	if (pid < 0)
		die("container %s: the process could not be started", id);
	if (o->pid_file)
		oci_cli_pid_file(o->pid_file, pid);
	oci_logf("debug", "container %s: exec, pid %ld", id, (long)pid);
	/* Unlocked while the process runs: kill and delete need the lock. */
	oci_close(&c);
	json_free(config);
	json_free(process);
	spec_free(&s);
	spec_free(&cs);
	request_free(&profile);
	strv_free(&notes);
	if (o->detach)
		return 0;
	return oci_exec_wait(pid);
}

int oci_cmd_exec(int argc, char **argv)
{
	static const struct option opts[] = {
		{"process", required_argument, NULL, 'p'},
		{"tty", no_argument, NULL, 't'},
		{"console-socket", required_argument, NULL, 'c'},
		{"detach", no_argument, NULL, 'd'},
		{"pid-file", required_argument, NULL, 'P'},
		{"cwd", required_argument, NULL, 'w'},
		{"env", required_argument, NULL, 'e'},
		{"user", required_argument, NULL, 'u'},
		{"cap", required_argument, NULL, 'C'},
		{"no-new-privs", no_argument, NULL, 'n'},
		{"preserve-fds", required_argument, NULL, 'F'},
		{0, 0, 0, 0},
	};
	struct exec_opts o = {0};
	const char *id;
	int opt, r;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+p:tdw:e:u:", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			o.process = optarg;
			break;
		case 't':
			o.tty = true;
			break;
		case 'c':
			o.console = optarg;
			break;
		case 'd':
			o.detach = true;
			break;
		case 'P':
			o.pid_file = optarg;
			break;
		case 'w':
			o.cwd = optarg;
			break;
		case 'e':
			if (!strchr(optarg, '=') || optarg[0] == '=')
				die("oci exec --env %s: KEY=VALUE", optarg);
			strv_push(&o.env, optarg);
			break;
		case 'u':
			o.user = optarg;
			break;
		case 'C':
			o.caps |= parse_cap(optarg);
			break;
		case 'n':
			o.no_new_privs = true;
			break;
		case 'F':
			o.preserve = oci_cli_preserve_fds("exec", optarg);
			break;
		default:
			return EXIT_NOOK_FAILED;
		}
	}
	if (optind >= argc)
		die("oci exec: a container id expected");
	id = argv[optind];
	if (oci_id_check(id) < 0)
		return EXIT_NOOK_FAILED;
	/* conmon passes --tty with a process.terminal that says so already. */
	if (o.process && (optind + 1 < argc || o.cwd || o.env.n || o.user || o.caps))
		die("oci exec --process: the command and --cwd, --env, --user, --cap are its "
		    "fields");
	if (!o.process && optind + 1 >= argc)
		die("oci exec: a command, or --process FILE, expected");
	r = exec_main(id, argv + optind + 1, argc - optind - 1, &o);
	strv_free(&o.env);
	return r;
}

/* ---- ps ---- */

static bool same_file(const char *a, const struct stat *b)
{
	struct stat st;

	return stat(a, &st) == 0 && st.st_ino == b->st_ino && st.st_dev == b->st_dev;
}

static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512];
	autoclose int fd = -1;
	const char *p;
	ssize_t n;
	long ppid;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && sscanf(p + 1, " %*c %ld", &ppid) == 1 ? (pid_t)ppid : 0;
}

/* The processes of /proc, ascending. */
static size_t all_pids(pid_t **out)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0, cap = 0;

	if (!d)
		die_errno("/proc");
	*out = NULL;
	while ((e = readdir(d))) {
		char *end;
		long v = strtol(e->d_name, &end, 10);

		if (*end || v <= 0)
			continue;
		if (n == cap)
			*out = xreallocarray(*out, cap = cap ? 2 * cap : 256, sizeof **out);
		(*out)[n++] = (pid_t)v;
	}
	closedir(d);
	return n;
}

static int cmp_pid(const void *a, const void *b)
{
	pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/*
 * The container's processes: those of its pid namespace when it has one of its own (exec's
 * too); else its process and what descends from it (nook makes no cgroup to ask).
 */
static size_t container_pids(const struct oci_container *c, pid_t **out)
{
	char path[64];
	struct stat ns, self;
	autofree pid_t *all = NULL;
	size_t n = all_pids(&all), k = 0;
	bool own;

	snprintf(path, sizeof path, "/proc/%ld/ns/pid", (long)c->pid);
	if (stat(path, &ns) < 0 || stat("/proc/self/ns/pid", &self) < 0)
		die_errno("container %s: its pid namespace", c->id);
	own = ns.st_ino != self.st_ino || ns.st_dev != self.st_dev;
	qsort(all, n, sizeof *all, cmp_pid);
	*out = xcalloc(n + 1, sizeof **out);
	if (!own)
		(*out)[k++] = c->pid;
	/* Descendants: a pass finds the children of what the ones before found. */
	for (bool more = true; more;) {
		more = false;
		for (size_t i = 0; i < n; i++) {
			bool in = false;

			if (!all[i])
				continue;
			if (own) {
				snprintf(path, sizeof path, "/proc/%ld/ns/pid", (long)all[i]);
				in = same_file(path, &ns);
			} else {
				pid_t pp = parent_of(all[i]);

				for (size_t j = 0; j < k && !in; j++)
					in = pp == (*out)[j] && all[i] != c->pid;
			}
			if (in) {
				(*out)[k++] = all[i];
				all[i] = 0;
				more = !own;
			}
		}
	}
	qsort(*out, k, sizeof **out, cmp_pid);
	return k;
}

static void print_cmdline(pid_t pid)
{
	char path[64], buf[4096];
	autoclose int fd = -1;
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%ld/cmdline", (long)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd >= 0 ? read(fd, buf, sizeof buf - 1) : -1;
	if (n > 0 && buf[n - 1] == '\0')
		n--;
	for (ssize_t i = 0; i < n; i++)
		putchar(buf[i] ? buf[i] : ' ');
	putchar('\n');
}

int oci_cmd_ps(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{0, 0, 0, 0},
	};
	bool json = false;
	struct oci_container c;
	autofree pid_t *pids = NULL;
	const char *id;
	size_t n;
	int o;

	optind = 0;
	while ((o = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (o != 'f')
			return EXIT_NOOK_FAILED;
		if (strcmp(optarg, "json") != 0 && strcmp(optarg, "table") != 0)
			die("oci ps --format %s: table or json", optarg);
		json = strcmp(optarg, "json") == 0;
	}
	id = oci_cli_id(argc, argv, optind, "ps");
	oci_cli_open(id, &c, false);
	if (oci_status(&c) == OCI_STOPPED)
		die("container %s is stopped", id);
	n = container_pids(&c, &pids);
	if (json) {
		putchar('[');
		for (size_t i = 0; i < n; i++)
			printf("%s%ld", i ? "," : "", (long)pids[i]);
		puts("]");
	} else {
		printf("%-8s %-8s %s\n", "PID", "PPID", "CMD");
		for (size_t i = 0; i < n; i++) {
			printf("%-8ld %-8ld ", (long)pids[i], (long)parent_of(pids[i]));
			print_cmdline(pids[i]);
		}
	}
	oci_close(&c);
	return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
}
