// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook oci (and nook-oci): the command line of an OCI runtime, as runc and crun have it, for
 * engines (podman, conmon) that hand nook a bundle.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/oci.h"
#include "config.h"
#include "host/facts.h"
#include "policy/oci.h"
#include "policy/oci_hooks.h"
#include "sandbox/oci.h"
#include "spec.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/json.h"
#include "util/json_read.h"

/* The largest config.json read: podman's are some 20 KiB. */
#define CONFIG_MAX (4 << 20)
/* How long delete waits for a killed container's process to end. */
#define DELETE_WAIT_MS 10000

static struct {
	char *root;
	int log_fd;
	bool log_json;
	bool debug;
} g = {.log_fd = -1};

/* One line of the log: logrus's text, or JSON lines as runc writes them. */
static void log_line(const char *level, const char *msg)
{
	char when[40];
	char *buf = NULL;
	size_t len = 0;
	struct timespec now;
	struct tm tm;
	FILE *f;

	if (g.log_fd < 0)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	f = open_memstream(&buf, &len);
	if (!f)
		return;
	if (g.log_json) {
		struct json j;

		json_begin(&j, f);
		json_object(&j);
		json_kv_string(&j, "level", level);
		json_kv_string(&j, "msg", msg);
		json_kv_string(&j, "time", when);
		json_end(&j);
		json_finish(&j);
	} else {
		fprintf(f, "time=\"%s\" level=%s msg=\"", when, level);
		for (const char *p = msg; *p; p++)
			fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
		fputs("\"\n", f);
	}
	fclose(f);
	/* One write: several runtimes may append to one log. A log that fails says nothing. */
	if (buf && write(g.log_fd, buf, len) < 0)
		errno = 0;
	free(buf);
}

static void log_error(const char *msg)
{
	log_line("error", msg);
}

void oci_logf(const char *level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	log_line(level, msg);
	/* Without a log, --debug shows on stderr what would go there. */
	if (g.log_fd < 0 && g.debug)
		dprintf(STDERR_FILENO, "nook: %s: %s\n", level, msg);
}

void oci_help(FILE *out)
{
	fputs("Usage: nook oci create [-b DIR] [--pid-file FILE] ID\n"
	      "       nook oci start ID\n"
	      "       nook oci run [-b DIR] [--pid-file FILE] [-d] [--keep] ID\n"
	      "       nook oci state ID\n"
	      "       nook oci exec [-p FILE] [-t] [-d] [--pid-file FILE] ID [COMMAND...]\n"
	      "       nook oci ps [--format FORMAT] ID\n"
	      "       nook oci kill [-a] ID [SIGNAL]\n"
	      "       nook oci delete [-f] ID\n"
	      "       nook oci list [--format FORMAT] [-q]\n"
	      "       nook oci features\n"
	      "An OCI runtime (runtime-spec 1.x) for container engines: podman --runtime=nook-oci.\n"
	      "The global options come before the command; nook-oci is nook oci.\n"
	      "\n"
	      "Options:\n"
	      "  --root DIR                               the containers' state (see nook-oci(1))\n"
	      "  --log FILE                               append the log to FILE\n"
	      "  --log-format FORMAT                      text or json\n"
	      "  --systemd-cgroup                         accepted; nook makes no cgroup\n"
	      "  --debug                                  log debug lines too\n"
	      "  -b, --bundle DIR                         create, run: the bundle (default: .)\n"
	      "  --pid-file FILE                          create, run, exec: write the process's pid there\n"
	      "  --console-socket SOCKET                  create, run, exec: send the terminal's master there\n"
	      "  --no-new-keyring                         create, run: accepted; nook makes none\n"
	      "  --keep                                   run: keep the stopped container's state\n"
	      "  --no-subreaper                           run: accepted; it is no subreaper\n"
	      "  -p, --process FILE                       exec: the process (config.json's process)\n"
	      "  -t, --tty                                exec: a terminal (with --console-socket)\n"
	      "  -d, --detach                             run, exec: do not wait for the process\n"
	      "  -w, --cwd DIR                            exec: its working directory\n"
	      "  -e, --env NAME=VALUE                     exec: set a variable (repeatable)\n"
	      "  -u, --user UID[:GID]                     exec: its user (and group) inside\n"
	      "  --cap CAP                                exec: a capability, if the container's\n"
	      "  --no-new-privs                           exec: set no_new_privs\n"
	      "  --preserve-fds N                         create, run, exec: keep N fds after 2 open\n"
	      "  -f, --force                              delete: kill a running container first\n"
	      "  -a, --all                                kill: accepted\n"
	      "  --format FORMAT                          list, ps: table or json\n"
	      "  -q, --quiet                              list: the ids only\n"
	      "  -v, --version                            show the version and exit\n"
	      "  -h, --help                               show this help and exit\n"
	      "\n"
	      "Exit status: 0; 125 if the command failed; run and exec without --detach: its\n"
	      "process's.\n",
	      out);
}

/* The default root: the caller's runtime directory, but for root of the initial namespace. */
static char *default_root(void)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");
	char map[128] = "";
	autoclose int fd = open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, map, sizeof map - 1) : -1;
	unsigned a = 1, b = 1, c = 0;
	bool initial;

	/* "0 0 4294967295": the initial user namespace, where uid 0 is the real root. */
	map[n > 0 ? n : 0] = '\0';
	initial = sscanf(map, "%u %u %u", &a, &b, &c) == 3 && a == 0 && b == 0 && c == 4294967295u;
	if (geteuid() == 0 && initial)
		return xstrdup("/run/nook-oci");
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/nook/oci", xdg);
	return xasprintf("/run/user/%u/nook/oci", (unsigned)geteuid());
}

int oci_cli_root(void)
{
	int fd = oci_root_open(g.root);

	if (fd < 0)
		exit(EXIT_NOOK_FAILED);
	return fd;
}

char *oci_cli_seccomp_cache(void)
{
	return xasprintf("%s/" OCI_SECCOMP_CACHE, g.root);
}

unsigned oci_cli_preserve_fds(const char *cmd, const char *arg)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(arg, &end, 10);
	if (!arg[0] || *end || errno || arg[0] == '-' || n > 1 << 20)
		die("oci %s --preserve-fds %s: not a number up to %u", cmd, arg, 1u << 20);
	/* Each must be open: the process keeps them as they are. */
	for (unsigned long fd = 3; fd < 3 + n; fd++)
		if (fcntl((int)fd, F_GETFD) < 0)
			die("oci %s --preserve-fds %s: fd %lu is not open", cmd, arg, fd);
	return (unsigned)n;
}

const char *oci_cli_id(int argc, char **argv, int first, const char *cmd)
{
	if (argc - first != 1) {
		warnx_("oci %s: one container id expected", cmd);
		exit(EXIT_NOOK_FAILED);
	}
	if (oci_id_check(argv[first]) < 0)
		exit(EXIT_NOOK_FAILED);
	return argv[first];
}

char *oci_cli_read(int dir, const char *path, size_t *len)
{
	autoclose int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	autofree char *buf = NULL;
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		die_errno("%s", path);
	buf = xmalloc(CONFIG_MAX + 1);
	while ((r = read(fd, buf + n, CONFIG_MAX + 1 - n)) > 0)
		n += (size_t)r;
	if (r < 0)
		die_errno("%s", path);
	if (n > CONFIG_MAX)
		die("%s: larger than %d bytes", path, CONFIG_MAX);
	buf[n] = '\0';
	*len = n;
	return steal_pointer(&buf);
}

/* PATH written whole, then renamed into place: the engine never reads half a pid. */
void oci_cli_pid_file(const char *path, pid_t pid)
{
	autofree char *tmp = xasprintf("%s.nook-%ld", path, (long)getpid());
	autoclose int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0 || dprintf(fd, "%ld", (long)pid) < 0 || rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		errno = e;
		die_errno("--pid-file %s", path);
	}
}

/* The engine's socket, where the container's process sends its terminal's master. */
int oci_cli_console(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof a.sun_path)
		die("--console-socket %s: longer than a socket's name can be", path);
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&a, sizeof a) < 0)
		die_errno("--console-socket %s", path);
	return fd;
}

struct create_undo {
	int root, dir;
	const char *id;
	pid_t pid;
};

static void create_undo(void *arg)
{
	struct create_undo *u = arg;

	if (u->pid > 0)
		kill(u->pid, SIGKILL);
	oci_dir_remove(u->root, u->id, u->dir);
}

/* The options of create, which run takes too. */
struct create_opts {
	const char *bundle, *pid_file, *console;
	unsigned preserve; /* --preserve-fds */
};

/* Create the container ID, set up and waiting on its fifo: its process's pid; or die. */
static pid_t create_container(const char *id, const struct create_opts *o)
{
	autoclose int console = -1;
	autofree char *bundle = NULL, *text = NULL, *fifo = NULL, *started = NULL;
	autofree char *config_path = NULL;
	autofree char *newuidmap = NULL, *newgidmap = NULL;
	struct jnode *config;
	struct oci_host h = {0};
	struct create_undo undo = {.dir = -1};
	struct oci_state_doc state;
	struct strv notes = {0};
	struct request profile;
	struct spec s;
	char err[512];
	size_t len;
	pid_t pid;
	int handle, has_profile;

	bundle = realpath(o->bundle, NULL);
	if (!bundle)
		die_errno("--bundle %s", o->bundle);
	config_path = xasprintf("%s/config.json", bundle);
	text = oci_cli_read(AT_FDCWD, config_path, &len);
	config = json_parse(text, len, err, sizeof err);
	if (!config)
		die("%s/config.json: %s", bundle, err);
	h.bundle = bundle;
	h.uid = getuid();
	h.has_device = host_has_device;
	h.gid = getgid();
	h.newuidmap = newuidmap = host_find_helper("newuidmap");
	h.newgidmap = newgidmap = host_find_helper("newgidmap");
	has_profile = oci_profile_read(config, bundle, &profile, &notes, err, sizeof err);
	if (has_profile < 0)
		die("%s", err);
	h.profile = has_profile ? &profile : NULL;
	spec_init(&s);
	if (oci_spec_build(config, &h, &s, &notes, err, sizeof err) < 0)
		die("%s", err);
	s.oci.seccomp_cache = oci_cli_seccomp_cache();
	s.oci.preserve_fds = o->preserve;
	for (size_t i = 0; i < notes.n; i++)
		oci_logf("warning", "container %s: %s", id, notes.v[i]);
	if (g.debug) {
		struct strv unknown = {0};
		char *dump = NULL;
		size_t dlen = 0;
		FILE *f = open_memstream(&dump, &dlen);

		/* A profile names the calls of newer kernels: skipped, as runc and crun do. */
		seccomp_oci_unknown(&s.oci.seccomp, &unknown);
		for (size_t i = 0; i < unknown.n; i++)
			oci_logf("debug",
				 "container %s: linux.seccomp: %s: a system call this libseccomp "
				 "does not know, skipped",
				 id, unknown.v[i]);
		strv_free(&unknown);

		if (f) {
			spec_print(&s, f);
			fclose(f);
			oci_logf("debug", "container %s: the spec:\n%s", id, dump);
			free(dump);
		}
	}

	if ((s.terminal == TERMINAL_PTY) != (o->console != NULL))
		die(o->console ? "--console-socket: config.json's process.terminal is false"
			       : "config.json: process.terminal: needs --console-socket");
	if (o->console)
		console = oci_cli_console(o->console);

	undo.root = oci_cli_root();
	undo.id = id;
	undo.dir = oci_dir_create(undo.root, id);
	if (undo.dir < 0)
		exit(EXIT_NOOK_FAILED);
	handle = cleanup_push(create_undo, &undo);
	if (oci_config_write(undo.dir, text, len) < 0)
		die_errno("cannot keep the config of container %s", id);
	if (has_profile) {
		autofree char *sum = oci_profile_sum(&profile);

		if (oci_file_write(undo.dir, OCI_PROFILE_SUM, sum, strlen(sum)) < 0)
			die_errno("cannot keep the profile's checksums of container %s", id);
	}
	if (mkfifoat(undo.dir, OCI_FIFO, 0600) < 0 || mkfifoat(undo.dir, OCI_STARTED, 0600) < 0)
		die_errno("cannot make the fifos of container %s", id);
	fifo = xasprintf("%s/%s/" OCI_FIFO, g.root, id);
	started = xasprintf("%s/%s/" OCI_STARTED, g.root, id);
	state = (struct oci_state_doc){
		.id = id,
		.bundle = bundle,
		.annotations = json_get(config, "annotations"),
	};
	undo.pid = oci_create(&s, fifo, started, console, &state);
	if (oci_state_write(undo.dir, id, undo.pid, bundle, json_get(config, "annotations")) < 0)
		die("container %s: no state written", id);
	if (o->pid_file)
		oci_cli_pid_file(o->pid_file, undo.pid);
	cleanup_pop(handle);
	oci_logf("debug", "container %s: created, pid %ld", id, (long)undo.pid);
	pid = undo.pid;
	close(undo.dir);
	close(undo.root);
	strv_free(&notes);
	spec_free(&s);
	request_free(&profile);
	json_free(config);
	return pid;
}

/*
 * The options of create and run into O; *DETACH and *KEEP (run's) when not NULL. The index of
 * the first argument left, or -1 when one is wrong (getopt said which).
 */
static int create_options(int argc, char **argv, struct create_opts *o, bool *detach, bool *keep)
{
	static const struct option opts[] = {
		{"bundle", required_argument, NULL, 'b'},
		{"pid-file", required_argument, NULL, 'p'},
		{"console-socket", required_argument, NULL, 'c'},
		{"no-new-keyring", no_argument, NULL, 'k'},
		{"preserve-fds", required_argument, NULL, 'P'},
		{"detach", no_argument, NULL, 'd'},
		{"keep", no_argument, NULL, 'K'},
		{"no-subreaper", no_argument, NULL, 'S'},
		{0, 0, 0, 0},
	};
	int c;

	*o = (struct create_opts){.bundle = "."};
	optind = 0;
	while ((c = getopt_long(argc, argv, detach ? "+b:d" : "+b:", opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->bundle = optarg;
			break;
		case 'p':
			o->pid_file = optarg;
			break;
		case 'c':
			o->console = optarg;
			break;
		case 'k':
			break;
		case 'P':
			o->preserve = oci_cli_preserve_fds(argv[0], optarg);
			break;
		case 'd':
		case 'K':
		case 'S':
			/* run's own; nook's run is no subreaper either way (see nook-oci(1)). */
			if (!detach)
				die("oci create: --%s: an option of run only",
				    c == 'd'   ? "detach"
				    : c == 'K' ? "keep"
					       : "no-subreaper");
			if (c == 'd')
				*detach = true;
			else if (c == 'K')
				*keep = true;
			break;
		default:
			return -1;
		}
	}
	return optind;
}

static int oci_cmd_create(int argc, char **argv)
{
	struct create_opts o;
	int first = create_options(argc, argv, &o, NULL, NULL);

	if (first < 0)
		return EXIT_NOOK_FAILED;
	create_container(oci_cli_id(argc, argv, first, "create"), &o);
	return 0;
}

/* Open ID (locked) or exit. */
void oci_cli_open(const char *id, struct oci_container *c, bool lock)
{
	autoclose int root = oci_cli_root();

	if (oci_open(root, id, lock, c) < 0)
		exit(EXIT_NOOK_FAILED);
}

/*
 * The hooks of the config create kept for C. Without one (an older nook's container), or with
 * one that no longer reads, none: delete must still remove the container; said in the log.
 */
static void kept_hooks(const struct oci_container *c, struct oci_hooks *hooks)
{
	autofree char *text = NULL;
	struct strv notes = {0};
	struct jnode *config = NULL;
	char err[512] = "no config kept";
	size_t len;

	memset(hooks, 0, sizeof *hooks);
	if (faccessat(c->dir, OCI_CONFIG, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		text = oci_cli_read(c->dir, OCI_CONFIG, &len);
		config = json_parse(text, len, err, sizeof err);
	}
	if (!config ||
	    oci_hooks_build(json_get(config, "hooks"), hooks, &notes, err, sizeof err) < 0)
		oci_logf("warning", "container %s: no hooks run: %s", c->id, err);
	strv_free(&notes);
	json_free(config);
}

/*
 * poststart and poststop: a failure is a warning, in the log (and on stderr without one),
 * and the hooks after it still run, as the runtime-spec says.
 */
static void run_hooks_warn(const struct oci_container *c, const struct oci_hooks *hooks,
			   enum oci_hook_stage stage, const char *status, pid_t pid)
{
	struct oci_state_doc d = oci_state_doc(c);
	autofree char *state = NULL;
	size_t len;

	if (hooks->n[stage] == 0)
		return;
	state = oci_state_text(&d, status, pid, &len);
	for (size_t i = 0; i < hooks->n[stage]; i++) {
		char err[1024];

		/* Each one, whatever the one before did. */
		if (oci_hook_run(hooks, stage, i, state, len, NULL, err, sizeof err) < 0) {
			oci_logf("warning", "container %s: %s", c->id, err);
			if (g.log_fd < 0)
				dprintf(STDERR_FILENO, "nook: warning: container %s: %s\n", c->id,
					err);
		}
	}
}

/* Start the created container C (ID): its startContainer hooks, its exec, then poststart. */
static void start_created(const char *id, struct oci_container *c)
{
	struct oci_hooks hooks;
	enum oci_status st;

	kept_hooks(c, &hooks);
	if (oci_release(c->dir, OCI_FIFO, OCI_STARTED) < 0) {
		if (errno == EPIPE && hooks.n[OCI_HOOK_START_CONTAINER])
			die("container %s: its startContainer hooks failed (their reason is on the "
			    "container's stderr), its program did not run",
			    id);
		if (errno == EPIPE)
			die("container %s: its process ended before its program's exec", id);
		die_errno("container %s: cannot start its process", id);
	}
	oci_logf("debug", "container %s: started", id);
	/* After the exec, before start returns. */
	st = oci_status(c);
	run_hooks_warn(c, &hooks, OCI_HOOK_POSTSTART, oci_status_name(st),
		       st == OCI_STOPPED ? 0 : c->pid);
	oci_hooks_free(&hooks);
}

static int oci_cmd_start(int argc, char **argv)
{
	const char *id = oci_cli_id(argc, argv, 1, "start");
	struct oci_container c;
	enum oci_status st;

	oci_cli_open(id, &c, true);
	st = oci_status(&c);
	if (st != OCI_CREATED)
		die("container %s is %s, not created", id, oci_status_name(st));
	start_created(id, &c);
	oci_close(&c);
	return 0;
}

static int oci_cmd_state(int argc, char **argv)
{
	const char *id = oci_cli_id(argc, argv, 1, "state");
	struct oci_container c;

	oci_cli_open(id, &c, false);
	oci_state_print(&c, stdout);
	oci_close(&c);
	return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
}

static int parse_signal(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);
	const char *name = strncasecmp(arg, "SIG", 3) == 0 ? arg + 3 : arg;

	if (*arg && !*end)
		return n > 0 && n < NSIG ? (int)n : -1;
	for (int sig = 1; sig < NSIG; sig++) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev && strcasecmp(abbrev, name) == 0)
			return sig;
	}
	return -1;
}

/* The container's process, as a pidfd, if it is still the one create started. */
int oci_cli_pidfd(const struct oci_container *c)
{
	int fd = (int)syscall(SYS_pidfd_open, c->pid, 0);

	/* Checked after the open: the pidfd is of the process whose start time matched. */
	if (fd >= 0 && oci_status(c) == OCI_STOPPED) {
		close(fd);
		return -1;
	}
	return fd;
}

static int oci_cmd_kill(int argc, char **argv)
{
	static const struct option opts[] = {{"all", no_argument, NULL, 'a'}, {0, 0, 0, 0}};
	const char *id;
	struct oci_container c;
	autoclose int pidfd = -1;
	int sig = SIGTERM, o;

	optind = 0;
	while ((o = getopt_long(argc, argv, "+a", opts, NULL)) != -1)
		if (o != 'a')
			return EXIT_NOOK_FAILED;
	if (argc - optind == 2) {
		sig = parse_signal(argv[optind + 1]);
		if (sig < 0)
			die("oci kill: %s: no such signal", argv[optind + 1]);
		argc--;
	}
	id = oci_cli_id(argc, argv, optind, "kill");
	oci_cli_open(id, &c, true);
	pidfd = oci_cli_pidfd(&c);
	if (pidfd < 0)
		die("container %s is not running", id);
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		die_errno("container %s: cannot send signal %d", id, sig);
	oci_logf("debug", "container %s: signal %d sent to %ld", id, sig, (long)c.pid);
	oci_close(&c);
	return 0;
}

/* The state of the stopped container C (ID) removed, then its poststop HOOKS run (freed). */
static void remove_stopped(int root, const char *id, struct oci_container *c,
			   struct oci_hooks *hooks)
{
	oci_dir_remove(root, id, c->dir);
	oci_logf("debug", "container %s: deleted", id);
	/* The container gone, its state too: what a poststop hook may clean up after. */
	run_hooks_warn(c, hooks, OCI_HOOK_POSTSTOP, "stopped", 0);
	oci_hooks_free(hooks);
}

static int oci_cmd_delete(int argc, char **argv)
{
	static const struct option opts[] = {{"force", no_argument, NULL, 'f'}, {0, 0, 0, 0}};
	bool force = false;
	const char *id;
	struct oci_hooks hooks;
	struct oci_container c;
	autoclose int root = -1;
	enum oci_status st;
	int o;

	optind = 0;
	while ((o = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (o != 'f')
			return EXIT_NOOK_FAILED;
		force = true;
	}
	id = oci_cli_id(argc, argv, optind, "delete");
	root = oci_cli_root();
	if (oci_open(root, id, true, &c) < 0)
		return EXIT_NOOK_FAILED;
	kept_hooks(&c, &hooks);
	st = oci_status(&c);
	if (st == OCI_RUNNING && !force)
		die("container %s is running: stop it first, or delete --force", id);
	if (st != OCI_STOPPED) {
		autoclose int pidfd = oci_cli_pidfd(&c);
		struct pollfd p = {.fd = pidfd, .events = POLLIN};

		if (pidfd >= 0 && syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) == 0 &&
		    poll(&p, 1, DELETE_WAIT_MS) == 0)
			die("container %s: its process %ld outlived SIGKILL for %d s", id,
			    (long)c.pid, DELETE_WAIT_MS / 1000);
	}
	remove_stopped(root, id, &c, &hooks);
	oci_close(&c);
	return 0;
}

/*
 * run: create, start and wait, as runc run does, for callers that want one command whose
 * standard streams and exit status are the program's (Slurm's RunTimeRun). The process is
 * this one's child (create's clone): waited for here with the signals this process gets passed
 * on; then the container is deleted, unless --keep. With --detach: create and start only.
 */
static int oci_cmd_run(int argc, char **argv)
{
	struct create_opts o;
	struct oci_container c;
	bool detach = false, keep = false;
	int first = create_options(argc, argv, &o, &detach, &keep), status;
	const char *id;
	autoclose int root = -1;
	pid_t pid;

	if (first < 0)
		return EXIT_NOOK_FAILED;
	id = oci_cli_id(argc, argv, first, "run");
	/* Before the clone, so that no SIGCHLD is missed; the process clears its mask itself. */
	if (!detach)
		oci_wait_block();
	pid = create_container(id, &o);
	oci_cli_open(id, &c, true);
	start_created(id, &c);
	oci_close(&c);
	if (detach)
		return 0;
	status = oci_exec_wait(pid);
	oci_logf("debug", "container %s: ended, status %d", id, status);
	if (keep)
		return status;
	root = oci_cli_root();
	if (oci_open(root, id, true, &c) == 0) {
		struct oci_hooks hooks;

		kept_hooks(&c, &hooks);
		remove_stopped(root, id, &c, &hooks);
		oci_close(&c);
	}
	return status;
}

static int oci_cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"quiet", no_argument, NULL, 'q'},
		{0, 0, 0, 0},
	};
	bool json = false, quiet = false, any = false;
	autoclose int root = -1;
	DIR *d;
	struct dirent *e;
	int o;

	optind = 0;
	while ((o = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
		if (o == 'q')
			quiet = true;
		else if (o == 'f' && (strcmp(optarg, "json") == 0 || strcmp(optarg, "table") == 0))
			json = strcmp(optarg, "json") == 0;
		else
			return EXIT_NOOK_FAILED;
	}
	root = oci_cli_root();
	d = fdopendir(openat(root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	if (!d)
		die_errno("--root %s", g.root);
	if (json)
		fputc('[', stdout);
	else if (!quiet)
		printf("%-24s %-8s %-8s %-30s %s\n", "ID", "PID", "STATUS", "CREATED", "BUNDLE");
	while ((e = readdir(d))) {
		struct oci_container c;
		enum oci_status st;

		if (e->d_name[0] == '.' || oci_open(root, e->d_name, false, &c) < 0)
			continue;
		st = oci_status(&c);
		if (json) {
			if (any)
				fputc(',', stdout);
			/* oci_state_print ends its line: a list of lines, one object each. */
			oci_state_print(&c, stdout);
		} else if (quiet) {
			printf("%s\n", c.id);
		} else {
			printf("%-24s %-8ld %-8s %-30s %s\n", c.id,
			       st == OCI_STOPPED ? 0L : (long)c.pid, oci_status_name(st), c.created,
			       c.bundle);
		}
		any = true;
		oci_close(&c);
	}
	closedir(d);
	if (json)
		fputs("]\n", stdout);
	return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
}

/* features.md's "seccomp": what linux.seccomp may name (spec.c's tables). */
static void seccomp_features(struct json *j)
{
	const struct {
		const char *key;
		const struct enum_name *names;
	} lists[] = {
		{"actions", oci_seccomp_action_names},      {"operators", oci_seccomp_op_names},
		{"archs", oci_seccomp_arch_names},          {"knownFlags", oci_seccomp_flag_names},
		{"supportedFlags", oci_seccomp_flag_names},
	};

	json_key(j, "seccomp");
	json_object(j);
	json_kv_bool(j, "enabled", true);
	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
		json_key(j, lists[i].key);
		json_array(j);
		for (const struct enum_name *n = lists[i].names; n->name; n++)
			json_string(j, n->name);
		json_end(j);
	}
	json_end(j);
}

static int oci_cmd_features(int argc, char **argv)
{
	static const char *const mount_options[] = {
		"ro",     "rw",   "nosuid", "suid",  "nodev", "dev",
		"noexec", "exec", "bind",   "rbind", NULL,
	};
	struct json j;

	(void)argc;
	(void)argv;
	json_begin(&j, stdout);
	json_object(&j);
	json_kv_string(&j, "ociVersionMin", "1.0.0");
	json_kv_string(&j, "ociVersionMax", "1.1.0");
	json_key(&j, "hooks");
	json_array(&j);
	for (int st = 0; st < OCI_HOOK_STAGES; st++)
		json_string(&j, enum_to_name(oci_hook_stage_names, st));
	json_end(&j);
	json_key(&j, "mountOptions");
	json_array(&j);
	for (const char *const *m = mount_options; *m; m++)
		json_string(&j, *m);
	json_end(&j);
	json_key(&j, "linux");
	json_object(&j);
	json_key(&j, "namespaces");
	json_array(&j);
	for (const char *const *n = (const char *const[]){"cgroup", "ipc", "mount", "network",
							  "pid", "user", "uts", NULL};
	     *n; n++)
		json_string(&j, *n);
	json_end(&j);
	json_key(&j, "cgroup");
	json_object(&j);
	json_kv_bool(&j, "v1", false);
	json_kv_bool(&j, "v2", false);
	json_end(&j);
	seccomp_features(&j);
	json_end(&j);
	json_key(&j, "annotations");
	json_object(&j);
	json_kv_string(&j, "run.nook.seccomp",
		       "default: nook's default filter instead of linux.seccomp");
	json_kv_string(&j, "run.nook.profile",
		       "NAME or /PATH: a nook profile over the config, where it takes away");
	json_end(&j);
	json_end(&j);
	return json_finish(&j) == 0 && fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
}

static const struct {
	const char *name;
	int (*main)(int argc, char **argv);
} oci_commands[] = {
	{"create", oci_cmd_create},     {"start", oci_cmd_start},   {"state", oci_cmd_state},
	{"kill", oci_cmd_kill},         {"delete", oci_cmd_delete}, {"list", oci_cmd_list},
	{"features", oci_cmd_features}, {"exec", oci_cmd_exec},     {"ps", oci_cmd_ps},
	{"run", oci_cmd_run},
};

int cmd_oci(int argc, char **argv)
{
	static const struct option opts[] = {
		{"root", required_argument, NULL, 'r'},
		{"log", required_argument, NULL, 'l'},
		{"log-format", required_argument, NULL, 'F'},
		{"systemd-cgroup", no_argument, NULL, 's'},
		{"debug", no_argument, NULL, 'd'},
		{"version", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{0, 0, 0, 0},
	};
	bool systemd_cgroup = false;
	int o;

	/* getopt wants the program's name first: argv[-1] is "oci" (or nook-oci's argv[0]). */
	argc++;
	argv--;
	optind = 0;
	while ((o = getopt_long(argc, argv, "+vh", opts, NULL)) != -1) {
		switch (o) {
		case 'r':
			free(g.root);
			g.root = xstrdup(optarg);
			break;
		case 'l':
			if (g.log_fd >= 0)
				close(g.log_fd);
			g.log_fd = open(optarg, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
			if (g.log_fd < 0)
				die_errno("--log %s", optarg);
			break;
		case 'F':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0)
				die("--log-format %s: text or json", optarg);
			g.log_json = strcmp(optarg, "json") == 0;
			break;
		case 's':
			systemd_cgroup = true;
			break;
		case 'd':
			g.debug = true;
			break;
		case 'v':
			printf("nook-oci version %s\nspec: 1.0.2\n", NOOK_VERSION);
			return 0;
		case 'h':
			oci_help(stdout);
			return 0;
		default:
			return EXIT_NOOK_FAILED;
		}
	}
	err_tee(log_error);
	if (systemd_cgroup)
		oci_logf("info", "--systemd-cgroup: nook makes no cgroup, ignored");
	if (!g.root)
		g.root = default_root();
	else if (g.root[0] != '/')
		die("--root %s: must be absolute", g.root);
	if (optind >= argc) {
		oci_help(stderr);
		return EXIT_NOOK_FAILED;
	}
	for (size_t i = 0; i < sizeof oci_commands / sizeof oci_commands[0]; i++)
		if (strcmp(argv[optind], oci_commands[i].name) == 0)
			return oci_commands[i].main(argc - optind, argv + optind);
	die("oci: unknown command %s (nook oci --help lists them)", argv[optind]);
}
