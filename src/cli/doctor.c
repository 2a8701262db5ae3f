// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook doctor: what this machine gives nook, one line per check.
 *
 * The namespace checks really create namespaces, in short-lived forked children: the sysctls
 * alone cannot tell, since AppArmor, an outer container's seccomp policy or a kernel built
 * without some namespace each break nook while every knob reads fine. A child's namespaces,
 * and whatever it mounted in them, die with it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bsd/string.h>

#include "cli/commands.h"
#include "config.h"
#include "host/facts.h"
#include "policy/subid.h"
#include "sandbox/launch.h"
#include "util/err.h"
#include "util/json.h"

/* Generous: a probe takes about a millisecond; only a wedged filesystem could take longer. */
#define PROBE_TIMEOUT_MS 3000
#define VERSION_TIMEOUT_MS 1000

/* What usermod(8) is told to add when a user has no range: the size podman and shadow use. */
#define SUBID_SUGGEST_START 100000u
#define SUBID_SUGGEST_COUNT 65536u

struct result {
	bool ok;
	char detail[1024];
};

static bool report(struct result *r, bool ok, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static bool report(struct result *r, bool ok, const char *fmt, va_list ap)
{
	r->ok = ok;
	vsnprintf(r->detail, sizeof r->detail, fmt, ap);
	return ok;
}

/* Both return the verdict, so a check can end with "return pass(...)". */
static bool pass(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool problem(struct result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool pass(struct result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(r, true, fmt, ap);
	va_end(ap);
	return true;
}

static bool problem(struct result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(r, false, fmt, ap);
	va_end(ap);
	return false;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read from FD until EOF, SIZE bytes, or DEADLINE (now_ms() time), whichever comes first.
 * Returns the bytes read, or -1 when the deadline passed or reading failed.
 */
static ssize_t read_until(int fd, void *buf, size_t size, int64_t deadline)
{
	size_t got = 0;

	while (got < size) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - now_ms();
		ssize_t n;
		int r;

		if (left <= 0)
			return -1;
		r = poll(&pfd, 1, (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n = read(fd, (char *)buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * Reap our child PID, killing it if it has not exited by DEADLINE. Killing an unreaped child
 * is always safe: its pid cannot be reused before we wait for it. Returns the wait status.
 */
static int reap(pid_t pid, int64_t deadline)
{
	int status = 0;
	pid_t r;

	for (;;) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			return status;
		if (r == 0 && now_ms() >= deadline)
			break;
		if (r == 0)
			nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	}
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

/* ---- probes: steps that run in a forked child, in namespaces of its own ---- */

struct probe {
	int err;            /* 0: every step worked; else the errno of the failed step */
	bool no_namespaces; /* it failed entering the namespaces, before what it tests */
	char step[128];     /* the step that failed */
};

/* Runs in the child, which exits right after: its fds, namespaces and mounts go with it. */
typedef void (*probe_fn)(struct probe *p, const void *arg);

/* Record the failed STEP with the current errno; returns false so a step can "return failed(...)". */
static bool failed(struct probe *p, const char *step)
{
	p->err = errno ? errno : EIO;
	strlcpy(p->step, step, sizeof p->step);
	return false;
}

static bool write_proc(struct probe *p, const char *path, const char *text)
{
	char step[64];
	size_t len = strlen(text);
	ssize_t n;
	int fd;

	snprintf(step, sizeof step, "writing %s", path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return failed(p, step);
	n = write(fd, text, len);
	if (n != (ssize_t)len) {
		if (n >= 0)
			errno = EIO;
		failed(p, step);
		close(fd);
		return false;
	}
	close(fd);
	return true;
}

/*
 * What every sandbox starts with: a user and mount namespace with the caller's own id mapped
 * (nook's single-id map, which needs no helper) and a mount tree that propagates nothing back.
 */
static bool enter_namespaces(struct probe *p)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	char map[64];
	bool ok = false;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0) {
		failed(p, "unshare(CLONE_NEWUSER|CLONE_NEWNS)");
		goto out;
	}
	snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (!write_proc(p, "/proc/self/uid_map", map) ||
	    !write_proc(p, "/proc/self/setgroups", "deny\n"))
		goto out;
	snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	if (!write_proc(p, "/proc/self/gid_map", map))
		goto out;
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
		failed(p, "making the mount tree private");
		goto out;
	}
	ok = true;
out:
	p->no_namespaces = !ok;
	return ok;
}

static void probe_userns(struct probe *p, const void *arg)
{
	if (!enter_namespaces(p))
		return;
	/* The rest of what the default sandbox creates, so a kernel lacking one shows here. */
	if (unshare(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP | CLONE_NEWNET) <
	    0)
		failed(p,
		       "unshare(CLONE_NEWPID|CLONE_NEWIPC|CLONE_NEWUTS|CLONE_NEWCGROUP|CLONE_NEWNET)");
}

/*
 * The calls mounts.c makes, on the same kind of objects. move_mount() is not tried: it came
 * with open_tree() and fsmount() in 5.2, while mount_setattr() (5.12) is the newest we need.
 */
static void probe_mount_api(struct probe *p, const void *arg)
{
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV,
	};
	int tree, fs, mnt;

	if (!enter_namespaces(p))
		return;
	tree = open_tree(AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
	if (tree < 0) {
		failed(p, "open_tree(/, OPEN_TREE_CLONE|AT_RECURSIVE)");
		return;
	}
	if (mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr) < 0) {
		failed(p, "mount_setattr(MOUNT_ATTR_RDONLY|MOUNT_ATTR_NOSUID|MOUNT_ATTR_NODEV)");
		return;
	}
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0) {
		failed(p, "fsopen(tmpfs)");
		return;
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		failed(p, "fsconfig(FSCONFIG_CMD_CREATE) of a tmpfs");
		return;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		failed(p, "fsmount() of a tmpfs");
}

/*
 * A fresh proc, as every sandbox mounts one: by a process of a new pid namespace (the probe's
 * child, its pid 1), in new user and mount namespaces. A container that covers parts of its
 * /proc makes the kernel refuse it.
 */
static void probe_proc(struct probe *p, const void *arg)
{
	int status;
	pid_t pid;

	if (!enter_namespaces(p))
		return;
	if (unshare(CLONE_NEWPID) < 0) {
		failed(p, "unshare(CLONE_NEWPID)");
		return;
	}
	pid = fork();
	if (pid < 0) {
		failed(p, "fork into the new pid namespace");
		return;
	}
	if (pid == 0)
		_exit(mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0
			      ? (errno & 0xff)
			      : 0);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			failed(p, "waiting for the new pid namespace's first process");
			return;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
		failed(p, "mount -t proc in a new pid namespace");
	}
}

/* A new uts namespace, and a name in it: what pid 1 of every sandbox sets. */
static void probe_hostname(struct probe *p, const void *arg)
{
	static const char name[] = "nook-doctor";

	if (!enter_namespaces(p))
		return;
	if (unshare(CLONE_NEWUTS) < 0)
		failed(p, "unshare(CLONE_NEWUTS)");
	else if (sethostname(name, sizeof name - 1) < 0)
		failed(p, "sethostname in a new uts namespace");
}

/* ARG is the directory holding lower, upper, work and merged, made by the parent. */
static void probe_overlay(struct probe *p, const void *arg)
{
	const char *dir = arg;

	if (!enter_namespaces(p))
		return;
	/* Relative paths: no escaping of ',' ':' or '\' in $TMPDIR can go wrong. */
	if (chdir(dir) < 0) {
		failed(p, "entering the test directory");
		return;
	}
	if (mount("overlay", "merged", "overlay", 0,
		  "lowerdir=lower,upperdir=upper,workdir=work,userxattr") < 0)
		failed(p, "mount -t overlay -o userxattr");
}

/* Run FN in a forked child and return what it found; never waits past PROBE_TIMEOUT_MS. */
static void run_probe(probe_fn fn, const void *arg, struct probe *out)
{
	int64_t deadline = now_ms() + PROBE_TIMEOUT_MS;
	pid_t parent = getpid();
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	memset(out, 0, sizeof *out);
	if (pipe2(fds, O_CLOEXEC) < 0) {
		failed(out, "creating a pipe");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		failed(out, "fork");
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		struct probe p = {0};

		close(fds[0]);
		/* Nothing of doctor may outlive it, even if it is killed. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		fn(&p, arg);
		_exit(write(fds[1], &p, sizeof p) == (ssize_t)sizeof p ? 0 : 1);
	}
	close(fds[1]);
	n = read_until(fds[0], out, sizeof *out, deadline);
	close(fds[0]);
	status = reap(pid, n == (ssize_t)sizeof *out ? now_ms() + PROBE_TIMEOUT_MS : now_ms());
	if (n == (ssize_t)sizeof *out) {
		out->step[sizeof out->step - 1] = '\0';
		return;
	}
	memset(out, 0, sizeof *out);
	if (n < 0) {
		out->err = ETIMEDOUT;
		strlcpy(out->step, "the probe process", sizeof out->step);
	} else {
		out->err = ECHILD;
		if (WIFSIGNALED(status))
			snprintf(out->step, sizeof out->step,
				 "the probe process (killed by signal %d)", WTERMSIG(status));
		else
			strlcpy(out->step, "the probe process", sizeof out->step);
	}
}

/* ---- helpers of the checks ---- */

/* A number from a /proc/sys file; false when the knob does not exist on this kernel. */
static bool read_knob(const char *path, long *value)
{
	char buf[32];
	char *end;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	errno = 0;
	*value = strtol(buf, &end, 10);
	return errno == 0 && end != buf;
}

static const char *kernel_release(void)
{
	static struct utsname u;

	return uname(&u) == 0 ? u.release : "unknown";
}

/*
 * "PROGRAM --version", run with its output in a pipe: the first line that names the program
 * (fuse-overlayfs prints fusermount3's version first), else the first line. Empty if none.
 */
static void program_version(const char *path, char *out, size_t size)
{
	extern char **environ;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char *argv[] = {(char *)path, "--version", NULL};
	posix_spawn_file_actions_t fa;
	int64_t deadline = now_ms() + VERSION_TIMEOUT_MS;
	char buf[1024];
	char *line, *save = NULL, *pick = NULL;
	int fds[2];
	ssize_t n;
	pid_t pid;
	int r;

	out[0] = '\0';
	if (pipe2(fds, O_CLOEXEC) < 0)
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	r = posix_spawn(&pid, path, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fds[1]);
	if (r != 0) {
		close(fds[0]);
		return;
	}
	n = read_until(fds[0], buf, sizeof buf - 1, deadline);
	close(fds[0]);
	reap(pid, n < 0 ? now_ms() : deadline);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *c = buf; *c; c++)
		if ((*c < ' ' && *c != '\n') || *c == 0x7f)
			*c = '?';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!pick)
			pick = line;
		if (strncmp(line, base, strlen(base)) == 0) {
			pick = line;
			break;
		}
	}
	if (pick)
		strlcpy(out, pick, size);
}

/*
 * The first SUBID_SUGGEST_COUNT-sized block from SUBID_SUGGEST_START up that no line of PATH
 * overlaps, so the suggested usermod command never hands out someone else's ids.
 */
static uint32_t free_subid_start(const char *path)
{
	uint32_t start = SUBID_SUGGEST_START;
	FILE *f = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	bool moved = true;

	if (!f)
		return start;
	while (moved && start <= UINT32_MAX - SUBID_SUGGEST_COUNT) {
		moved = false;
		rewind(f);
		while (getline(&line, &cap, f) > 0) {
			uint32_t s, c;

			if (line[0] == '#' ||
			    sscanf(line, "%*[^:]:%" SCNu32 ":%" SCNu32, &s, &c) != 2 || c == 0)
				continue;
			if ((uint64_t)s < (uint64_t)start + SUBID_SUGGEST_COUNT &&
			    (uint64_t)s + c > start) {
				start += SUBID_SUGGEST_COUNT;
				moved = true;
			}
		}
	}
	free(line);
	fclose(f);
	return start;
}

static bool check_subids(const struct host_facts *h, struct result *r, const char *path,
			 const char *kind, const char *option)
{
	struct subid_ranges sub;
	char list[512] = "";
	char idbuf[16];
	const char *who = h->username;
	uint32_t start;

	if (!who) {
		snprintf(idbuf, sizeof idbuf, "%u", (unsigned)h->uid);
		who = idbuf;
	}
	if (subid_read(path, h->username, h->uid, &sub) < 0)
		return problem(r, "cannot read %s: %s; fix: make it readable (mode 644)", path,
			       strerror(errno));
	if (sub.n == 0) {
		start = free_subid_start(path);
		return problem(r,
			       "%s has no subordinate %s for %s; nook maps only the caller's own id; "
			       "fix: sudo usermod %s %" PRIu32 "-%" PRIu32 " %s",
			       path, kind, who, option, start, start + SUBID_SUGGEST_COUNT - 1,
			       who);
	}
	for (size_t i = 0; i < sub.n; i++) {
		char one[64];

		snprintf(one, sizeof one, "%s%" PRIu32 "-%" PRIu32 " (%" PRIu32 " ids)",
			 i ? ", " : "", sub.r[i].start,
			 (uint32_t)((uint64_t)sub.r[i].start + sub.r[i].count - 1), sub.r[i].count);
		strlcat(list, one, sizeof list);
	}
	return pass(r, "%s in %s", list, path);
}

static bool has_file_cap(const char *path, cap_value_t cap)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_file(path);

	if (!caps)
		return false;
	if (cap_get_flag(caps, cap, CAP_PERMITTED, &v) < 0)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

static bool check_idmap_helper(const struct host_facts *h, struct result *r, const char *name,
			       const char *path, cap_value_t cap, const char *capname)
{
	struct statvfs sv;
	struct stat st;

	if (!path)
		return problem(r,
			       "%s is not in /usr/bin, /bin, /usr/sbin or /sbin; nook maps only "
			       "the caller's own id; fix: sudo apt-get install uidmap",
			       name);
	if (stat(path, &st) < 0)
		return problem(r,
			       "cannot stat %s: %s; fix: sudo apt-get install --reinstall uidmap",
			       path, strerror(errno));
	/* The cause nook run names too: neither setuid nor a file capability survives it. */
	if (h->no_new_privs)
		return problem(r,
			       "no_new_privs is set on nook (it runs inside a sandbox), so %s "
			       "cannot gain privileges: nook maps only the caller's own id; fix: run "
			       "nook outside that sandbox (nothing to fix inside it)",
			       path);
	if (statvfs(path, &sv) == 0 && (sv.f_flag & ST_NOSUID))
		return problem(r,
			       "%s is on a nosuid mount, so it cannot gain privileges; fix: "
			       "install uidmap on a filesystem mounted without nosuid",
			       path);
	if (st.st_uid == 0 && (st.st_mode & S_ISUID))
		return pass(r, "%s (setuid root)", path);
	/* As seen from inside a user namespace, where the host's root is not mapped. */
	if (st.st_mode & S_ISUID)
		return problem(r,
			       "%s is setuid but its owner, uid %u, is not root here; fix: run "
			       "nook outside nested user namespaces, or sudo apt-get install "
			       "--reinstall uidmap",
			       path, (unsigned)st.st_uid);
	if (has_file_cap(path, cap))
		return pass(r, "%s (file capability %s)", path, capname);
	return problem(r,
		       "%s is neither setuid root nor has the %s file capability; "
		       "fix: sudo chmod u+s %s (or sudo setcap %s+ep %s)",
		       path, capname, path, capname, path);
}

/* PATH is the helper as the launcher finds it (host_find_helper), so doctor judges that one. */
static bool check_program(struct result *r, const char *path, const char *package)
{
	char version[128], dirs[128] = "";

	if (!path) {
		for (size_t i = 0; host_helper_dirs[i]; i++)
			snprintf(dirs + strlen(dirs), sizeof dirs - strlen(dirs), "%s%s",
				 i ? ", " : "", host_helper_dirs[i]);
		return problem(r, "not found in %s; fix: sudo apt-get install %s", dirs, package);
	}
	program_version(path, version, sizeof version);
	if (version[0])
		return pass(r, "%s (%s)", path, version);
	return pass(r, "%s (version unknown)", path);
}

/* ---- the checks, in the order of the table ---- */

static bool check_userns(const struct host_facts *h, struct result *r)
{
	long max_ns = -1, clone_ok = -1, aa = -1;
	bool have_max = read_knob("/proc/sys/user/max_user_namespaces", &max_ns);
	bool have_clone = read_knob("/proc/sys/kernel/unprivileged_userns_clone", &clone_ok);
	bool have_aa = read_knob("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", &aa);
	char knobs[256] = "";
	const char *fix;
	struct probe p;

	if (have_max)
		snprintf(knobs + strlen(knobs), sizeof knobs - strlen(knobs),
			 "user.max_user_namespaces=%ld", max_ns);
	if (have_clone)
		snprintf(knobs + strlen(knobs), sizeof knobs - strlen(knobs),
			 "%skernel.unprivileged_userns_clone=%ld", knobs[0] ? ", " : "", clone_ok);
	if (have_aa)
		snprintf(knobs + strlen(knobs), sizeof knobs - strlen(knobs),
			 "%skernel.apparmor_restrict_unprivileged_userns=%ld", knobs[0] ? ", " : "",
			 aa);

	run_probe(probe_userns, NULL, &p);
	if (p.err == 0)
		return pass(r,
			    "user, mount, pid, ipc, uts, cgroup and net namespaces with a "
			    "single-id map work (%s)",
			    knobs[0] ? knobs : "no sysctl limits them");

	if (have_max && max_ns == 0)
		fix = "sudo sysctl -w user.max_user_namespaces=15000 (and set it in /etc/sysctl.d/)";
	else if (have_clone && clone_ok == 0 && h->uid != 0)
		fix = "sudo sysctl -w kernel.unprivileged_userns_clone=1 (and set it in /etc/sysctl.d/)";
	else if (have_aa && aa == 1)
		fix = "AppArmor restricts unprivileged user namespaces (Ubuntu 23.10+): load nook's "
		      "profile, which allows them to nook only: sudo apparmor_parser -r " NOOK_APPARMOR_PROFILE
		      " (meson install puts it there; build with "
		      "-Dapparmor=enabled to force it); or, for every program, sudo sysctl -w "
		      "kernel.apparmor_restrict_unprivileged_userns=0";
	else if (p.err == ENOSPC)
		fix = "too many user namespaces exist: raise user.max_user_namespaces";
	else if (p.err == EINVAL)
		fix = "use a kernel built with CONFIG_USER_NS and the other namespaces";
	else
		fix = "if nook runs inside a container, its seccomp policy or lack of privileges "
		      "forbids namespaces: allow unshare there";
	return problem(r, "%s failed: %s (%s); fix: %s", p.step, strerror(p.err),
		       knobs[0] ? knobs : "no sysctl limits them", fix);
}

static bool check_mount_api(const struct host_facts *h, struct result *r)
{
	struct probe p;

	run_probe(probe_mount_api, NULL, &p);
	if (p.no_namespaces)
		return problem(r, "not tested: %s failed: %s; fix: see user namespaces", p.step,
			       strerror(p.err));
	if (p.err == 0)
		return pass(r, "open_tree, mount_setattr and fsopen/fsmount work (Linux %s)",
			    kernel_release());
	if (p.err == ENOSYS)
		return problem(r,
			       "%s failed: %s: Linux %s is too old; fix: use Linux 5.12 or newer",
			       p.step, strerror(p.err), kernel_release());
	return problem(r,
		       "%s failed: %s; fix: nook needs the mount API of Linux 5.12+, not "
		       "blocked by a security policy",
		       p.step, strerror(p.err));
}

static bool check_proc(const struct host_facts *h, struct result *r)
{
	struct probe p;

	run_probe(probe_proc, NULL, &p);
	if (p.no_namespaces)
		return problem(r, "not tested: %s failed: %s; fix: see user namespaces", p.step,
			       strerror(p.err));
	if (p.err == 0)
		return pass(r, "a fresh proc mounts in new user, pid and mount namespaces");
	return problem(r,
		       "%s failed: %s: a sandbox gets the /proc around nook, read-only, "
		       "showing the processes outside it; fix: if nook runs in a container, let "
		       "it leave /proc uncovered (podman run --security-opt unmask=/proc/*), or "
		       "make nook its entry point",
		       p.step, strerror(p.err));
}

static bool check_hostname(const struct host_facts *h, struct result *r)
{
	struct probe p;

	run_probe(probe_hostname, NULL, &p);
	if (p.no_namespaces)
		return problem(r, "not tested: %s failed: %s; fix: see user namespaces", p.step,
			       strerror(p.err));
	if (p.err == 0)
		return pass(r, "sethostname works in a new uts namespace");
	return problem(r,
		       "%s failed: %s: a sandbox keeps the host name around nook "
		       "(--hostname has no effect); fix: if nook runs in a container, let its "
		       "seccomp policy allow sethostname (podman run --security-opt seccomp=unconfined, "
		       "or a profile of your own that allows it)",
		       p.step, strerror(p.err));
}

static bool check_subuid(const struct host_facts *h, struct result *r)
{
	return check_subids(h, r, h->subuid_path, "uids", "--add-subuids");
}

static bool check_subgid(const struct host_facts *h, struct result *r)
{
	return check_subids(h, r, h->subgid_path, "gids", "--add-subgids");
}

static bool check_newuidmap(const struct host_facts *h, struct result *r)
{
	return check_idmap_helper(h, r, "newuidmap", h->newuidmap, CAP_SETUID, "cap_setuid");
}

static bool check_newgidmap(const struct host_facts *h, struct result *r)
{
	return check_idmap_helper(h, r, "newgidmap", h->newgidmap, CAP_SETGID, "cap_setgid");
}

static bool check_dev_fuse(const struct host_facts *h, struct result *r)
{
	struct stat st;

	if (stat("/dev/fuse", &st) < 0) {
		if (errno == ENOENT && h->no_new_privs)
			return problem(r,
				       "/dev/fuse does not exist: nook runs inside a sandbox "
				       "(no_new_privs is set) whose /dev has none; fix: "
				       "--overlay-driver=kernel, or give that sandbox /dev/fuse");
		return problem(r,
			       "cannot stat /dev/fuse: %s; fix: sudo apt-get install fuse3 && "
			       "sudo modprobe fuse",
			       strerror(errno));
	}
	if (!S_ISCHR(st.st_mode))
		return problem(r, "/dev/fuse is not a character device; fix: sudo rm /dev/fuse && "
				  "sudo modprobe fuse");
	if (access("/dev/fuse", R_OK | W_OK) < 0)
		return problem(r,
			       "not readable and writable by %s (mode %04o): %s; fix: sudo chmod "
			       "666 /dev/fuse, or add %s to the group that owns it (install fuse3)",
			       h->username ? h->username : "this user",
			       (unsigned)(st.st_mode & 07777), strerror(errno),
			       h->username ? h->username : "the user");
	return pass(r, "readable and writable (mode %04o)", (unsigned)(st.st_mode & 07777));
}

static bool check_fuse_overlayfs(const struct host_facts *h, struct result *r)
{
	return check_program(r, h->fuse_overlayfs, "fuse-overlayfs");
}

/* Remove what the overlay probe left, never following a symlink; DEPTH bounds the walk. */
static int remove_tree(int at, const char *name, int depth)
{
	struct dirent *e;
	DIR *d;
	int fd, r = 0;

	if (unlinkat(at, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
		return 0;
	if (errno == ENOTDIR)
		return unlinkat(at, name, 0);
	if (depth == 0)
		return -1;
	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* overlayfs makes its work/work directory with mode 0; it is ours, in our 0700 tree. */
	if (fd < 0 && errno == EACCES && fchmodat(at, name, 0700, 0) == 0)
		fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (remove_tree(dirfd(d), e->d_name, depth - 1) < 0)
			r = -1;
	}
	closedir(d);
	if (r == 0 && unlinkat(at, name, AT_REMOVEDIR) < 0)
		r = -1;
	return r;
}

static bool check_overlay(const struct host_facts *h, struct result *r)
{
	static const char *const subdirs[] = {"lower", "upper", "work", "merged"};
	const char *tmp = getenv("TMPDIR");
	autofree char *dir = NULL;
	char left[512] = "";
	struct probe p = {0};

	if (!tmp || !tmp[0])
		tmp = "/tmp";
	dir = xasprintf("%s/nook-doctor-XXXXXX", tmp);
	if (!mkdtemp(dir))
		return problem(r,
			       "not tested: cannot create a directory in %s: %s; fix: point TMPDIR "
			       "at a writable directory",
			       tmp, strerror(errno));
	for (size_t i = 0; i < sizeof subdirs / sizeof subdirs[0] && p.err == 0; i++) {
		autofree char *sub = xasprintf("%s/%s", dir, subdirs[i]);

		if (mkdir(sub, 0700) < 0)
			failed(&p, "creating the test directories");
	}
	if (p.err == 0)
		run_probe(probe_overlay, dir, &p);
	/* The child has exited: its namespace, and the overlay mounted in it, are gone. */
	if (remove_tree(AT_FDCWD, dir, 4) < 0)
		snprintf(left, sizeof left, " (and %s could not be removed: %s)", dir,
			 strerror(errno));
	if (p.err == 0)
		return pass(r, "mounts in a user namespace (userxattr, under %s)%s", tmp, left);
	if (p.no_namespaces)
		return problem(r, "not tested: %s failed: %s%s; fix: see user namespaces", p.step,
			       strerror(p.err), left);
	return problem(r,
		       "%s failed under %s: %s%s; --overlay will need fuse-overlayfs; fix: "
		       "Linux 5.11+ with a %s that supports user xattrs (tmpfs: 6.6+)",
		       p.step, tmp, strerror(p.err), left, tmp);
}

static bool check_dev_tun(const struct host_facts *h, struct result *r)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NOCTTY);

	if (fd >= 0) {
		close(fd);
		return pass(r, "opens read-write");
	}
	if (errno == ENOENT && h->no_new_privs)
		return problem(r,
			       "/dev/net/tun does not exist: nook runs inside a sandbox "
			       "(no_new_privs is set) whose /dev has none, so --net=slirp cannot "
			       "work here; fix: give that sandbox /dev/net/tun");
	if (errno == ENOENT)
		return problem(r, "/dev/net/tun does not exist; fix: sudo modprobe tun");
	return problem(r,
		       "cannot open /dev/net/tun read-write: %s; fix: sudo chmod 666 /dev/net/tun",
		       strerror(errno));
}

static bool check_slirp4netns(const struct host_facts *h, struct result *r)
{
	return check_program(r, h->slirp4netns, "slirp4netns");
}

static bool check_pasta(const struct host_facts *h, struct result *r)
{
	return check_program(r, h->pasta, "passt");
}

static bool check_xdg_dbus_proxy(const struct host_facts *h, struct result *r)
{
	return check_program(r, h->xdg_dbus_proxy, "xdg-dbus-proxy");
}

static bool check_seccomp(const struct host_facts *h, struct result *r)
{
	const struct scmp_version *v = seccomp_version();
	uint32_t action = SECCOMP_RET_ERRNO;
	bool has_line = false;
	char *line = NULL;
	size_t cap = 0;
	FILE *f;
	int mode;

	mode = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
	if (mode < 0)
		return problem(r,
			       "prctl(PR_GET_SECCOMP) failed: %s; fix: use a kernel built with "
			       "CONFIG_SECCOMP",
			       strerror(errno));
	f = fopen("/proc/self/status", "re");
	while (f && !has_line && getline(&line, &cap, f) > 0)
		has_line = strncmp(line, "Seccomp:", 8) == 0;
	free(line);
	if (f)
		fclose(f);
	if (!has_line)
		return problem(r, "/proc/self/status has no Seccomp: line; fix: use a kernel built "
				  "with CONFIG_SECCOMP");
	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0)
		return problem(r,
			       "seccomp(SECCOMP_GET_ACTION_AVAIL, SECCOMP_RET_ERRNO) failed: %s; "
			       "fix: use Linux 4.14+ built with CONFIG_SECCOMP_FILTER",
			       strerror(errno));
	return pass(r, "filters with SECCOMP_RET_ERRNO are supported (libseccomp %u.%u.%u)%s",
		    v ? v->major : 0, v ? v->minor : 0, v ? v->micro : 0,
		    mode == 2 ? "; doctor itself already runs under a filter" : "");
}

/* What nook uses Landlock for: keeping --net=host sandboxes from the host's abstract sockets. */
static bool check_landlock(const struct host_facts *h, struct result *r)
{
	static const char unscoped[] = "with --net=host, programs inside can connect to the "
				       "host's abstract unix sockets (the X server's among them)";
	int abi = host_landlock_abi();

	if (abi >= LANDLOCK_ABI_SCOPE)
		return pass(r,
			    "ABI version %d: with --net=host the host's abstract unix sockets are "
			    "scoped out",
			    abi);
	if (abi > 0)
		return problem(r,
			       "ABI version %d, without the scoping of abstract unix sockets (ABI "
			       "%d); %s; fix: use Linux 6.12+",
			       abi, LANDLOCK_ABI_SCOPE, unscoped);
	if (abi == -EOPNOTSUPP)
		return problem(r,
			       "built in but disabled at boot; %s; fix: add landlock to the lsm= "
			       "kernel parameter (the current list is in /sys/kernel/security/lsm)",
			       unscoped);
	if (abi == -ENOSYS)
		return problem(r,
			       "not in Linux %s; %s; fix: use Linux 6.12+ built with "
			       "CONFIG_SECURITY_LANDLOCK",
			       kernel_release(), unscoped);
	return problem(r, "landlock_create_ruleset failed: %s; %s", strerror(-abi), unscoped);
}

/* Supplementary groups are dropped inside, which needs setgroups: not in a single-id namespace. */
static bool check_groups(const struct host_facts *h, struct result *r)
{
	struct subid_ranges sub;

	if (h->ngroups == 0)
		return pass(r, "no supplementary groups");
	if (h->newgidmap && subid_read(h->subgid_path, h->username, h->uid, &sub) == 0 && sub.n > 0)
		return pass(r, "%d supplementary group%s, dropped inside (unless --keep-groups)",
			    h->ngroups, h->ngroups == 1 ? "" : "s");
	return problem(r,
		       "%d supplementary group%s stay inside: without a subordinate gid range "
		       "and newgidmap, the sandbox's namespace has one id, where setgroups is denied; "
		       "fix: see the subordinate gids and newgidmap checks",
		       h->ngroups, h->ngroups == 1 ? "" : "s");
}

/* Information more than a check: whether keep-id starts can take a namespace mapped beforehand. */
static bool check_userns_pool(const struct host_facts *h, struct result *r)
{
	autofree char *sock = NULL;

	if (!h->state_dir)
		return problem(r,
			       "no private runtime directory ($XDG_RUNTIME_DIR, /run/user/%u): "
			       "no pool, every keep-id or root start maps its own namespace; "
			       "fix: set XDG_RUNTIME_DIR (a login session does)",
			       (unsigned)h->uid);
	sock = xasprintf("%.*s/userns.sock", (int)(strlen(h->state_dir) - strlen("/sandboxes")),
			 h->state_dir);
	if (userns_pool_running(sock))
		return pass(r, "running, at %s", sock);
	return pass(r, "not running (the next keep-id or root start starts it), at %s", sock);
}

static const struct check {
	const char *name;
	bool required; /* for the default sandbox: a failure is FAIL and exit status 1 */
	bool (*run)(const struct host_facts *h, struct result *r);
	const char *about;
} checks[] = {
	{"user namespaces", true, check_userns,
	 "a child can create the namespaces of a sandbox and map its own id"},
	{"mount API", true, check_mount_api,
	 "open_tree, mount_setattr and fsopen work there (Linux 5.12+)"},
	{"proc", false, check_proc,
	 "a sandbox can mount its own /proc (a container may refuse it)"},
	{"host name", false, check_hostname,
	 "a sandbox can set its host name (a container's seccomp policy may refuse it)"},
	{"subordinate uids", false, check_subuid,
	 "you have a range in /etc/subuid ($NOOK_SUBUID_FILE); else one id is mapped"},
	{"subordinate gids", false, check_subgid,
	 "you have a range in /etc/subgid ($NOOK_SUBGID_FILE); else one id is mapped"},
	{"newuidmap", false, check_newuidmap,
	 "installed, setuid root or with cap_setuid (package uidmap)"},
	{"newgidmap", false, check_newgidmap,
	 "installed, setuid root or with cap_setgid (package uidmap)"},
	{"groups", false, check_groups,
	 "your supplementary groups can be dropped inside (needs a gid range and newgidmap)"},
	{"/dev/fuse", false, check_dev_fuse, "readable and writable by you (for --overlay)"},
	{"fuse-overlayfs", false, check_fuse_overlayfs, "installed (for --overlay)"},
	{"kernel overlay", false, check_overlay,
	 "overlayfs mounts in a user namespace, tried under $TMPDIR (for --overlay)"},
	{"/dev/net/tun", false, check_dev_tun,
	 "opens read-write (for --net=slirp and --net=pasta)"},
	{"slirp4netns", false, check_slirp4netns, "installed (for --net=slirp)"},
	{"pasta", false, check_pasta, "installed (for --net=pasta; package passt)"},
	{"xdg-dbus-proxy", false, check_xdg_dbus_proxy,
	 "installed (for dbus-user filter, dbus-system filter: the shipped GUI profiles)"},
	{"seccomp", true, check_seccomp, "the kernel supports seccomp filters returning an errno"},
	{"Landlock", false, check_landlock,
	 "ABI 6+ (Linux 6.12), to keep --net=host from the host's abstract sockets"},
	{"userns pool", false, check_userns_pool,
	 "nook-userns, whose namespaces mapped beforehand speed up keep-id and root starts"},
};

#define NCHECKS (sizeof checks / sizeof checks[0])

static int name_width(void)
{
	size_t w = 0;

	for (size_t i = 0; i < NCHECKS; i++)
		if (strlen(checks[i].name) > w)
			w = strlen(checks[i].name);
	return (int)w;
}

void doctor_help(FILE *out)
{
	int w = name_width();

	fputs("Usage: nook doctor [--json]\n"
	      "Check what nook needs on this machine, and say how to fix what is missing.\n\n"
	      "Each check prints one line: ok, warn (an optional feature is missing; nook works\n"
	      "without it) or FAIL (a required check: the default sandbox cannot work), then what\n"
	      "it found, and for a problem \"fix: ...\". The checks (* = required):\n",
	      out);
	for (size_t i = 0; i < NCHECKS; i++)
		fprintf(out, "  %c %-*s  %s\n", checks[i].required ? '*' : ' ', w, checks[i].name,
			checks[i].about);
	fputs("\nOptions:\n"
	      "  --json       print the report as one JSON object, for programs (nook-doctor(1))\n"
	      "  -h, --help   show this help and exit\n\n"
	      "Exit status: 0 if every required check passed (warnings allowed); 1 if a required\n"
	      "check failed; 125 if doctor itself failed (a bad argument, or the report could not\n"
	      "be written).\n",
	      out);
}

/*
 * --json: {"version": 1, "ok": BOOL, "checks": [{"name", "required", "result", "detail",
 * "about"}, ...]}, written once every check has run; the schema is in nook-doctor(1).
 */
static int report_json(const struct host_facts *facts)
{
	struct json j;
	bool all_required = true;

	json_begin(&j, stdout);
	json_object(&j);
	json_kv_int(&j, "version", 1);
	json_key(&j, "checks");
	json_array(&j);
	for (size_t i = 0; i < NCHECKS; i++) {
		struct result r = {0};

		checks[i].run(facts, &r);
		all_required &= r.ok || !checks[i].required;
		json_object(&j);
		json_kv_string(&j, "name", checks[i].name);
		json_kv_bool(&j, "required", checks[i].required);
		json_kv_string(&j, "result", r.ok ? "ok" : checks[i].required ? "fail" : "warn");
		json_kv_string(&j, "detail", r.detail);
		json_kv_string(&j, "about", checks[i].about);
		json_end(&j);
	}
	json_end(&j);
	json_kv_bool(&j, "ok", all_required);
	json_end(&j);
	if (json_finish(&j) < 0)
		die("doctor: the JSON report is malformed (a bug)");
	return all_required ? 0 : 1;
}

int cmd_doctor(int argc, char **argv)
{
	struct host_facts facts;
	int w = name_width();
	int status = 0;
	bool json = false;

	if (argc == 1 && (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0)) {
		doctor_help(stdout);
		return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
	}
	if (argc == 1 && strcmp(argv[0], "--json") == 0) {
		json = true;
	} else if (argc > 0) {
		warnx_("doctor: unexpected argument '%s' (doctor takes only --json; see 'nook doctor "
		       "--help')",
		       argv[0]);
		return EXIT_NOOK_FAILED;
	}

	host_facts_read(&facts);
	for (size_t i = 0; i < NCHECKS && !json; i++) {
		struct result r = {0};
		const char *word;

		checks[i].run(&facts, &r);
		word = r.ok ? "ok" : checks[i].required ? "FAIL" : "warn";
		if (!r.ok && checks[i].required)
			status = 1;
		printf("%-6s%s:%*s %s\n", word, checks[i].name, w - (int)strlen(checks[i].name), "",
		       r.detail);
		/* Line by line, so a slow check shows where it is. */
		fflush(stdout);
	}
	if (json)
		status = report_json(&facts);
	host_facts_free(&facts);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		warn_errno("doctor: cannot write the report");
		return EXIT_NOOK_FAILED;
	}
	return status;
}
