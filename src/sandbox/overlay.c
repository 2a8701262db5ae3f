// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The root as an overlay. Pid 1 mounts it: the kernel's overlayfs directly, or a fuse mount
 * whose /dev/fuse fd is handed to fuse-overlayfs as "/dev/fd/N". The daemon runs in the
 * sandbox's pid namespace (it dies with the sandbox) and in a mount namespace of its own, so
 * pivot_root does not move its root onto the filesystem it serves. A throwaway upper layer
 * lives on a tmpfs that exists nowhere but in that namespace: nothing is left behind.
 *
 * --overlay-driver=auto (the spec's parts, see struct overlay_part): an image, or a NAME, with
 * the one driver the policy chose (a NAME made before: the one of its meta file); over the
 * host (auto_host_root), the host's root read-only, or fuse-overlayfs over all of it for root
 * inside, with mounts on top: the kernel's overlay, a fuse-overlayfs of its own or a read-only
 * bind for some top-level directories, the kernel's overlay for the home's and the working
 * directory's trees.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"
#include "util/fsutil.h"

static int lock_fd = -1;

/* The driver of the whole tree: FUSE or KERNEL, or AUTO for auto's parts over the host. */
static enum overlay_driver whole = OVERLAY_AUTO;

static enum overlay_driver driver_of(const struct spec *s)
{
	const struct overlay_spec *o = &s->overlay;

	if (o->driver != OVERLAY_AUTO)
		return o->driver;
	if (whole != OVERLAY_AUTO)
		return whole;
	if (o->nparts == 0 || strcmp(o->parts[0].path, "/") != 0)
		return OVERLAY_AUTO;
	return o->parts[0].driver == OVERLAY_PART_FUSE ? OVERLAY_FUSE : OVERLAY_KERNEL;
}

/* With auto, a NAME keeps the driver it was made with. */
static void adopt_driver(int dir, const struct spec *s)
{
	char have[4096], driver[16];
	autoclose int fd = openat(dir, "meta", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	whole = driver_of(s);
	if (fd < 0)
		return;
	n = read(fd, have, sizeof have - 1);
	have[n > 0 ? n : 0] = '\0';
	if (sscanf(have, "lower %*[^\n]\ndriver %15[^\n]", driver) != 1)
		return;
	if (strcmp(driver, "kernel") == 0)
		whole = OVERLAY_KERNEL;
	else if (strcmp(driver, "fuse") == 0 && s->overlay.fuse_overlayfs)
		whole = OVERLAY_FUSE;
}

/* The meta file says what the upper layer was made over; another lower would corrupt it. */
static void check_meta(int dir, const struct spec *s)
{
	const char *lower = s->mounts[0].src;
	const char *driver = enum_to_name(overlay_driver_names, driver_of(s));
	autofree char *want = xasprintf("lower %s\ndriver %s\n", lower, driver);
	char have[4096];
	autoclose int fd = openat(dir, "meta", O_RDWR | O_CLOEXEC | O_NOFOLLOW);
	ssize_t n;

	if (fd < 0) {
		autofree char *text = NULL;

		if (errno != ENOENT)
			die_errno("--overlay=%s: cannot open its meta file", s->overlay.name);
		text = xasprintf("%screated %lld\n", want, (long long)time(NULL));
		fd = openat(dir, "meta", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
			    0600);
		if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
			die_errno("--overlay=%s: cannot write its meta file", s->overlay.name);
		return;
	}
	n = read(fd, have, sizeof have - 1);
	have[n > 0 ? n : 0] = '\0';
	if (strncmp(have, want, strlen(want)) != 0) {
		char was_lower[4096] = "?", was_driver[16] = "?";

		sscanf(have, "lower %4095[^\n]\ndriver %15[^\n]", was_lower, was_driver);
		die_hint("use another NAME, or remove it with: nook overlay rm NAME",
			 "--overlay=%s was made over %s with the %s driver, not over %s with the %s "
			 "driver",
			 s->overlay.name, was_lower, was_driver, lower, driver);
	}
	/* The last use, for nook overlay list. */
	futimens(fd, NULL);
}

void overlay_prepare(const struct spec *s)
{
	autoclose int dir = -1;
	autofree char *path = NULL;

	if (s->overlay.mode == OVERLAY_NONE)
		return;
	whole = driver_of(s);
	if (s->overlay.mode != OVERLAY_NAMED)
		return;
	path = xstrdup(s->overlay.dir);
	if (mkdir_p(path, 0700) < 0)
		die_errno("--overlay: cannot create %s", path);
	dir = open(s->overlay.dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dir < 0)
		die_errno("--overlay=%s: cannot open %s", s->overlay.name, s->overlay.dir);
	/*
	 * A second sandbox on the same upper layer would corrupt it. Held until every holder of
	 * this open file is gone: nook, pid 1 and fuse-overlayfs (overlay_lock_keep), so a
	 * sandbox that outlives a killed nook for a moment still has it.
	 */
	lock_fd = openat(dir, "lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (lock_fd < 0)
		die_errno("--overlay=%s: cannot open its lock", s->overlay.name);
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			die("--overlay=%s: in use by another sandbox", s->overlay.name);
		die_errno("--overlay=%s: cannot lock it", s->overlay.name);
	}
	if (s->overlay.driver == OVERLAY_AUTO)
		adopt_driver(dir, s);
	check_meta(dir, s);
	if ((mkdirat(dir, "upper", 0755) < 0 && errno != EEXIST) ||
	    (mkdirat(dir, "work", 0700) < 0 && errno != EEXIST))
		die_errno("--overlay=%s: cannot create its layers in %s", s->overlay.name,
			  s->overlay.dir);
}

/*
 * Pid 1's closefrom keeps the lock: move it to AT (AT itself may be a descriptor closefrom
 * would close anyway). Returns the first fd above what is kept.
 */
int overlay_lock_keep(int at)
{
	if (lock_fd < 0)
		return at;
	if (lock_fd != at) {
		if (dup3(lock_fd, at, O_CLOEXEC) < 0)
			die_errno("init: dup3");
		close(lock_fd);
		lock_fd = at;
	}
	return at + 1;
}

/* Out of the way of the fixed fds pid 1 moves its sockets to (3 and 4). */
void overlay_lock_park(void)
{
	int fd;

	if (lock_fd < 0)
		return;
	fd = fcntl(lock_fd, F_DUPFD_CLOEXEC, 10);
	if (fd < 0)
		die_errno("init: fcntl");
	close(lock_fd);
	lock_fd = fd;
}

/* The kernel keeps a message log on an fs context fd: the "why" of a failed fsconfig. */
static const char *fs_message(int fs, char *buf, size_t size)
{
	int failed = errno; /* the fsconfig's: the log may be empty */
	ssize_t n = read(fs, buf, size - 1);

	if (n <= 2)
		return strerror(failed);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf + 2; /* "e overlayfs: ..." */
}

static int tmpfs_layers(void)
{
	struct mount_op fs = {.kind = MOUNT_TMPFS,
			      .dest = "the upper layer",
			      .origin = "--overlay=tmp",
			      .mode = 0755,
			      .flags = MOUNT_F_NOSUID | MOUNT_F_NODEV};
	int mnt = mount_new_fs(&fs, "tmpfs");

	if (mkdirat(mnt, "upper", 0755) < 0 || mkdirat(mnt, "work", 0700) < 0)
		die_errno("--overlay=tmp: cannot create the upper layer");
	return mnt;
}

static void check_option_path(const char *path)
{
	/* Mount options are separated by ',' and lower layers by ':'. */
	if (strpbrk(path, ",:\n"))
		die("--overlay: the path %s holds ',' or ':', which overlay options cannot carry",
		    path);
}

/*
 * The kernel's overlay of lower, upper and work (userxattr: what a user namespace may use).
 * Returns the detached mount, or -1 with the kernel's reason in msg.
 */
static int mount_kernel_overlay(const char *lower, const char *upper, const char *work, char *msg,
				size_t size)
{
	autoclose int fs = fsopen("overlay", FSOPEN_CLOEXEC);
	int mnt;

	if (fs < 0) {
		snprintf(msg, size, "no overlay filesystem: %s", strerror(errno));
		return -1;
	}
	if (fsconfig(fs, FSCONFIG_SET_STRING, "lowerdir", lower, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "upperdir", upper, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "workdir", work, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_FLAG, "userxattr", NULL, 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
		char why[256];

		snprintf(msg, size, "%s", fs_message(fs, why, sizeof why));
		return -1;
	}
	mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
	if (mnt < 0)
		snprintf(msg, size, "%s", strerror(errno));
	return mnt;
}

/*
 * Where the kernel driver's upper and work layers are: a tmpfs of our own (its fd, to keep
 * open while mounting, is returned) or the named overlay's directory (-1).
 */
static int kernel_layers(const struct spec *s, char **upper, char **work)
{
	int layers = -1;

	if (s->overlay.mode == OVERLAY_TMP) {
		layers = tmpfs_layers();
		*upper = xasprintf("/proc/self/fd/%d/upper", layers);
		*work = xasprintf("/proc/self/fd/%d/work", layers);
	} else {
		*upper = xasprintf("%s/upper", s->overlay.dir);
		*work = xasprintf("%s/work", s->overlay.dir);
	}
	return layers;
}

static int kernel_overlay(const struct spec *s, const char *lower)
{
	autofree char *upper = NULL, *work = NULL;
	/* Only held open: upper and work name it through /proc/self/fd until the mount is made. */
	autoclose int layers __attribute__((unused)) = kernel_layers(s, &upper, &work);
	char msg[512];
	int mnt;

	check_option_path(lower);
	check_option_path(upper);
	mnt = mount_kernel_overlay(lower, upper, work, msg, sizeof msg);
	if (mnt < 0)
		die_hint("the kernel's overlay needs Linux 5.11+ and a lower directory without "
			 "mounts below it; or use --overlay-driver=fuse",
			 "--overlay-driver=kernel: cannot mount the overlay over %s: %s", lower,
			 msg);
	return mnt;
}

static void clear_cloexec(int fd)
{
	int flags = fcntl(fd, F_GETFD);

	if (flags < 0 || fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) < 0)
		_exit(127);
}

/*
 * The daemon's process. REPORT: closed at its exec (an errno written there if it fails); with
 * EARLY, as soon as it has its own mount namespace (a failure after that is not told).
 */
static noreturn void exec_daemon(const struct spec *s, const char *lower, int fuse, int layers,
				 int log, int report, bool early)
{
	/*
	 * The tmpfs of the layers needs a name the daemon can be told: a directory of its own
	 * mount namespace that the lower layer does not need. /dev: the sandbox covers it anyway.
	 */
	const char *stage = strncmp(lower, "/dev/", 5) == 0 ? "/mnt" : "/dev";
	const char *upper_base = layers >= 0 ? stage : s->overlay.dir;
	char opts[4096], mountpoint[32];
	int e;

	/* A mount namespace of its own: our pivot_root must not move its root onto itself. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    (layers >= 0 && move_mount(layers, "", AT_FDCWD, stage, MOVE_MOUNT_F_EMPTY_PATH) < 0))
		goto fail;
	/* As root of the sandbox's namespace it may keep any owner the sandbox sets. */
	if (id_map_contains(&s->uid_map, 0) && id_map_contains(&s->gid_map, 0) &&
	    (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		goto fail;
	if (early) {
		close(report);
		report = -1;
	}
	/*
	 * static_nlink: a directory's link count is 1 (as on btrfs) instead of its subdirectories
	 * counted. fuse-overlayfs 1.10 (Debian 12's) counts them on every stat, and loads a whole
	 * directory (a lookup of each of its entries' whiteouts) to do it on the first lookup of
	 * any name in it: the sandbox's start alone read all of /usr/bin and
	 * /usr/lib/x86_64-linux-gnu (~19,000 system calls, +30 ms), and a job that creates many
	 * files in a directory took time quadratic in its size (3.6 times as long as with it).
	 */
	snprintf(opts, sizeof opts, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work,static_nlink",
		 lower, upper_base, upper_base);
	snprintf(mountpoint, sizeof mountpoint, "/dev/fd/%d", fuse);
	clear_cloexec(fuse);
	/* The named overlay's lock lives as long as the daemon that writes its upper layer. */
	if (lock_fd >= 0)
		clear_cloexec(lock_fd);
	if (dup2(log, STDOUT_FILENO) < 0 || dup2(log, STDERR_FILENO) < 0)
		goto fail;
	execl(s->overlay.fuse_overlayfs, "fuse-overlayfs", "-f", "-o", opts, mountpoint,
	      (char *)NULL);
fail:
	e = errno;
	if (report >= 0)
		(void)!write(report, &e, sizeof e);
	_exit(127);
}

static const char *log_tail(int log, char *buf, size_t size)
{
	ssize_t n = pread(log, buf, size - 1, 0);
	char *line;

	if (n <= 0)
		return "it printed nothing";
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	line = strrchr(buf, '\n');
	return line ? line + 1 : buf;
}

/*
 * fuse-overlayfs over LOWER: the detached fuse mount. WAIT: until the daemon answers; else only
 * until it has a mount namespace of its own (what pid 1 mounts next stays out of it), and it
 * starts beside pid 1's work: a failure after that shows only as the paths it serves failing
 * (ENOTCONN).
 */
static int fuse_overlay(const struct spec *s, const char *lower, bool wait)
{
	autoclose int fuse = -1, layers = -1, log = -1;
	autofree char *opts = NULL;
	struct mount_op fs = {.kind = MOUNT_ROOT,
			      .dest = "/",
			      .origin = "--overlay",
			      .flags = MOUNT_F_NOSUID | MOUNT_F_NODEV};
	char msg[1024];
	int report[2], e = 0, mnt;
	uint32_t owner = id_map_contains(&s->uid_map, 0) ? 0 : s->inside_uid;
	uint32_t group = id_map_contains(&s->gid_map, 0) ? 0 : s->inside_gid;
	struct stat st;
	pid_t pid;

	fuse = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fuse < 0)
		die_hint("make /dev/fuse accessible (chmod 666 /dev/fuse), or use "
			 "--overlay-driver=kernel or --overlay=none",
			 "--overlay: cannot open /dev/fuse: %s", strerror(errno));
	opts = xasprintf("fd=%d,rootmode=40755,user_id=%u,group_id=%u,allow_other,"
			 "default_permissions",
			 fuse, owner, group);
	fs.options = opts;
	mnt = mount_new_fs(&fs, "fuse");

	if (s->overlay.mode == OVERLAY_TMP)
		layers = tmpfs_layers();
	else
		check_option_path(s->overlay.dir);
	check_option_path(lower);
	log = memfd_create("fuse-overlayfs-log", MFD_CLOEXEC);
	if (log < 0 || pipe2(report, O_CLOEXEC) < 0)
		die_errno("--overlay: cannot start fuse-overlayfs");
	pid = fork();
	if (pid < 0)
		die_errno("--overlay: cannot start fuse-overlayfs");
	if (pid == 0)
		exec_daemon(s, lower, fuse, layers, log, report[1], !wait);
	close(report[1]);
	/* EOF: it has its own mount namespace and runs; a number: why it could not. */
	if (read(report[0], &e, sizeof e) == (ssize_t)sizeof e) {
		errno = e;
		die_errno("--overlay: cannot start %s", s->overlay.fuse_overlayfs);
	}
	close(report[0]);
	/* Only the daemon may hold the connection: if it dies, the mount fails, not hangs. */
	close(steal_fd(&fuse));
	/* The first request waits for the daemon's answer: it started, or it said why not. */
	if (wait && fstatat(mnt, "", &st, AT_EMPTY_PATH) < 0) {
		waitpid(pid, NULL, 0);
		die_hint("check the upper layer's filesystem and fuse-overlayfs with: nook doctor",
			 "--overlay: fuse-overlayfs failed: %s", log_tail(log, msg, sizeof msg));
	}
	return mnt;
}

/* Mount MNT on NAME (a directory, or a file) of ROOT, a tmpfs of our own. */
static void mount_into(int root, const char *name, int mnt, bool dir)
{
	autofree char *dest = xasprintf("/%s", name);
	struct mount_op at = {.dest = dest, .origin = "--overlay"};
	autoclose int target = openat(root, name,
				      O_PATH | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : 0));

	if (target < 0)
		die_errno("--overlay: cannot open /%s", name);
	mount_attach(mnt, target, &at);
}

/* Does the spec mount a filesystem of its own (proc, a tmpfs, ...) on top-level directory NAME? */
static bool own_filesystem_at(const struct spec *s, const char *name)
{
	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		if ((m->kind == MOUNT_TMPFS || m->kind == MOUNT_PROC || m->kind == MOUNT_DEVPTS ||
		     m->kind == MOUNT_MQUEUE) &&
		    m->dest[0] == '/' && strcmp(m->dest + 1, name) == 0)
			return true;
	}
	return false;
}

/* PATH of the host as --overlay=none shows it: read-only, or -1 when it is gone. */
static int readonly_tree(char *path)
{
	struct mount_op bind = {.kind = MOUNT_BIND,
				.src = path,
				.dest = path,
				.origin = "--overlay",
				.flags = MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV |
					 MOUNT_F_OPTIONAL};

	return mount_clone_tree(&bind);
}

/*
 * The top directory of a kernel overlay takes its upper directory's owner and mode: make them
 * the lower's as seen here (an id outside the map shows as nobody, as with fuse).
 */
static void like_lower(const char *upper, const struct stat *st, const char *name)
{
	if (chmod(upper, st->st_mode & 07777) < 0 ||
	    (lchown(upper, st->st_uid, st->st_gid) < 0 && errno != EINVAL && errno != EPERM))
		die_errno("--overlay: cannot set up the layer of %s", name);
}

/*
 * The kernel refuses "/" as a lower layer inside a user namespace (its submounts are locked),
 * so over the host the kernel driver's root is a tmpfs holding one overlay per top-level
 * directory; a directory with mounts below it (/run, /sys), and a top-level file, are bound
 * read-only. Returns the root, already attached at STAGING (mounts go into it as it is built).
 */
static int kernel_host_root(const struct spec *s, const char *staging)
{
	autoclose int layers = -1;
	autofree char *upper = NULL, *work = NULL;
	autoclose int dir = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct mount_op fs = {.kind = MOUNT_TMPFS,
			      .dest = "/",
			      .origin = "--overlay-driver=kernel",
			      .mode = 0755,
			      .flags = MOUNT_F_NOSUID | MOUNT_F_NODEV};
	int root = mount_new_fs(&fs, "tmpfs");
	struct {
		char *name;
		int mnt;
		bool dir;
	} *dirs = NULL;
	size_t ndirs = 0;
	DIR *d;
	struct dirent *e;

	if (dir < 0 || !(d = fdopendir(dir)))
		die_errno("--overlay-driver=kernel: cannot read /");
	dir = -1; /* the DIR owns it now */
	layers = kernel_layers(s, &upper, &work);
	check_option_path(upper);

	/* Every overlay is made while the host's paths are all visible: before the staging. */
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		autofree char *path = xasprintf("/%s", name);
		autofree char *u = xasprintf("%s/%s", upper, name);
		autofree char *w = xasprintf("%s/%s", work, name);
		char target[4096], msg[512];
		struct stat st;
		ssize_t n;
		int mnt;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlinkat(dirfd(d), name, target, sizeof target - 1);
			if (n < 0)
				continue;
			target[n] = '\0';
			if (symlinkat(target, root, name) < 0)
				die_errno("--overlay-driver=kernel: cannot create /%s", name);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			/* A file at the top (rare: /.dockerenv): as --overlay=none shows it. */
			autoclose int f = openat(root, name,
						 O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);

			if (f < 0)
				die_errno("--overlay-driver=kernel: cannot create /%s", name);
			mnt = readonly_tree(path);
			if (mnt < 0)
				continue;
			goto keep;
		}
		if (!S_ISDIR(st.st_mode))
			continue;
		if (mkdirat(root, name, st.st_mode & 07777) < 0)
			die_errno("--overlay-driver=kernel: cannot create /%s", name);
		/* The sandbox mounts its own there: an overlay would only be covered. */
		if (own_filesystem_at(s, name))
			continue;
		if ((mkdirat(AT_FDCWD, u, 0755) < 0 && errno != EEXIST) ||
		    (mkdirat(AT_FDCWD, w, 0700) < 0 && errno != EEXIST))
			die_errno("--overlay-driver=kernel: cannot create the layers of /%s", name);
		like_lower(u, &st, path);
		/* Refused (mounts below it): as --overlay=none would show it, read-only. */
		mnt = strpbrk(name, ",:\n") ? -1
					    : mount_kernel_overlay(path, u, w, msg, sizeof msg);
		if (mnt < 0)
			mnt = readonly_tree(path);
		if (mnt < 0)
			continue;
keep:
		dirs = xreallocarray(dirs, ndirs + 1, sizeof *dirs);
		dirs[ndirs].name = xstrdup(name);
		dirs[ndirs].mnt = mnt;
		dirs[ndirs].dir = S_ISDIR(st.st_mode);
		ndirs++;
	}
	closedir(d);

	if (move_mount(root, "", AT_FDCWD, staging, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die_errno("--overlay-driver=kernel: cannot attach the root");
	for (size_t i = 0; i < ndirs; i++) {
		mount_into(root, dirs[i].name, dirs[i].mnt, dirs[i].dir);
		close(dirs[i].mnt);
		free(dirs[i].name);
	}
	free(dirs);
	return root;
}

/*
 * Auto over the host: the base ("/": fuse-overlayfs, or the host's root read-only as
 * --overlay=none binds it), attached at STAGING, and the other parts on it in order: a
 * KERNEL part is the kernel's overlay of that host directory (one it refuses, holding mounts
 * or on a filesystem it cannot stack on, is fuse-overlayfs's where it is a top-level
 * directory on the read-only base and fuse-overlayfs can serve, else left to the base: the
 * policy gives none of proc, sysfs and the like to the kernel), a FUSE part a fuse-overlayfs of its
 * own over that directory, not waited for: nothing on the way to the payload's start needs
 * it, the payload waits for it only when it goes there; an RO part a read-only bind. The
 * kernel's layers are on one tmpfs of ours. No part lies in /tmp (the sandbox's own), so
 * the host's paths they are made of are all there while STAGING holds the new root.
 */
static int auto_host_root(const struct spec *s, const char *staging)
{
	const struct overlay_spec *o = &s->overlay;
	struct mount_op ro = s->mounts[0];
	autoclose int layers = -1;
	int root;

	if (o->parts[0].driver == OVERLAY_PART_FUSE) {
		root = fuse_overlay(s, "/", true);
	} else {
		ro.flags |= MOUNT_F_RDONLY;
		root = mount_clone_tree(&ro);
	}
	if (move_mount(root, "", AT_FDCWD, staging, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die_errno("--overlay: cannot attach the root");
	for (size_t i = 1; i < o->nparts; i++) {
		const struct overlay_part *p = &o->parts[i];
		autofree char *u = NULL, *w = NULL;
		struct mount_op at = {.dest = p->path, .origin = "--overlay"};
		autoclose int target = -1;
		char msg[512];
		struct stat st;
		int mnt = -1;

		if (p->path[0] != '/' || lstat(p->path, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (p->driver == OVERLAY_PART_RO) {
			mnt = readonly_tree(p->path);
		} else if (strpbrk(p->path, ",:\n")) {
			continue; /* left to the base */
		} else if (p->driver == OVERLAY_PART_FUSE) {
			mnt = fuse_overlay(s, p->path, false);
		} else {
			if (layers < 0)
				layers = tmpfs_layers();
			u = xasprintf("/proc/self/fd/%d/upper/%zu", layers, i);
			w = xasprintf("/proc/self/fd/%d/work/%zu", layers, i);
			if (mkdir(u, 0755) < 0 || mkdir(w, 0700) < 0)
				die_errno("--overlay: cannot create the layers of %s", p->path);
			like_lower(u, &st, p->path);
			mnt = mount_kernel_overlay(p->path, u, w, msg, sizeof msg);
			if (mnt < 0 && !strchr(p->path + 1, '/') && o->fuse_overlayfs &&
			    o->parts[0].driver == OVERLAY_PART_RO)
				mnt = fuse_overlay(s, p->path, false);
		}
		if (mnt < 0)
			continue;
		target = open_in_root(root, p->path, O_PATH | O_DIRECTORY);
		if (target < 0)
			die_errno("--overlay: cannot open %s", p->path);
		mount_attach(mnt, target, &at);
		close(mnt);
	}
	return root;
}

int overlay_root(const struct spec *s, const struct mount_op *root, const char *staging,
		 bool *attached)
{
	enum overlay_driver driver = driver_of(s);
	bool host = strcmp(root->src, "/") == 0;

	*attached = false;
	if (host && s->overlay.driver == OVERLAY_AUTO && s->overlay.mode == OVERLAY_TMP &&
	    s->overlay.nparts > 0) {
		*attached = true;
		return auto_host_root(s, staging);
	}
	if (host && driver == OVERLAY_KERNEL) {
		*attached = true;
		return kernel_host_root(s, staging);
	}
	if (driver == OVERLAY_KERNEL)
		return kernel_overlay(s, root->src);
	return fuse_overlay(s, root->src, true);
}
