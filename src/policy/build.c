// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/build.h"

#include <errno.h>
#include <pwd.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/expand.h"
#include "policy/cache.h"
#include "policy/caps.h"
#include "policy/dbus.h"
#include "policy/display.h"
#include "policy/fs.h"
#include "policy/name.h"
#include "policy/net.h"
#include "policy/overlay.h"
#include "policy/security.h"
#include "policy/session.h"
#include "policy/subid.h"
#include "policy/terminal.h"
#include "policy/user.h"
#include "util/err.h"

#define DEFAULT_TMPFS_SIZE "1g"
#define DEFAULT_SHM_SIZE "64m"
#define DEFAULT_PIDS_LIMIT 4096

static const char *tmpfs_size(const struct request *ro)
{
	return ro->tmpfs_size ? ro->tmpfs_size : DEFAULT_TMPFS_SIZE;
}

const int root_mode_caps[] = {
	CAP_CHOWN,  CAP_DAC_OVERRIDE, CAP_FOWNER,           CAP_FSETID,     CAP_KILL,    CAP_SETGID,
	CAP_SETUID, CAP_SETPCAP,      CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT, CAP_SETFCAP,
};
const int root_mode_caps_count = sizeof root_mode_caps / sizeof root_mode_caps[0];

/* An idle pool's life when the test hook does not shorten it. */
#define USERNS_POOL_IDLE 30

/*
 * A namespace mapped beforehand saves the two setuid helpers' execs of every start. Only for
 * the maps they write (keep-id, root), and only with a private runtime directory for the
 * pool's socket, the state directory's parent (masked in every sandbox); never a guessable
 * path in /tmp. NOOK_USERNS_POOL_IDLE (seconds) is for the tests.
 */
static void build_userns_pool(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	const char *idle = host_getenv(h, "NOOK_USERNS_POOL_IDLE");
	char *end;
	unsigned long v;

	if (ro->userns_pool == USERNS_POOL_NO || !s->idmap_helpers || !h->state_dir)
		return;
	s->userns_pool_idle = USERNS_POOL_IDLE;
	if (idle && idle[0]) {
		errno = 0;
		v = strtoul(idle, &end, 10);
		if (!errno && !*end && v > 0 && v <= 3600)
			s->userns_pool_idle = (unsigned)v;
	}
	s->userns_pool = xasprintf("%.*s/userns.sock",
				   (int)(strlen(h->state_dir) - strlen("/sandboxes")),
				   h->state_dir);
}

/* SPEAK: say what fails and why only one id is mapped (not for spec_build_userns). */
static int build_idmaps(const struct request *ro, const struct host_facts *h, struct spec *s,
			bool speak)
{
	struct subid_ranges su, sg;
	char why[512] = "";

	s->userns = ro->userns;
	if (ro->userns != USERNS_SINGLE) {
		if (subid_read(h->subuid_path, h->username, h->uid, &su) < 0) {
			if (speak)
				warn_errno("cannot read %s", h->subuid_path);
			return -1;
		}
		if (subid_read(h->subgid_path, h->username, h->uid, &sg) < 0) {
			if (speak)
				warn_errno("cannot read %s", h->subgid_path);
			return -1;
		}
		if (!h->newuidmap || !h->newgidmap)
			snprintf(why, sizeof why,
				 "newuidmap/newgidmap are not installed (package uidmap)");
		/* Inside another sandbox: the helpers are there, and setuid cannot work. */
		else if (h->no_new_privs)
			snprintf(why, sizeof why,
				 "no_new_privs is set on nook (it runs inside a "
				 "sandbox), so the setuid newuidmap cannot work");
		else if (h->helpers_nosuid)
			snprintf(why, sizeof why,
				 "%s is on a nosuid mount (nook runs inside a "
				 "sandbox), so it cannot work",
				 h->newuidmap);
		else if (su.n == 0 || sg.n == 0)
			snprintf(why, sizeof why, "user %s has no subordinate ids in %s",
				 h->username ? h->username : "?",
				 su.n == 0 ? h->subuid_path : h->subgid_path);
	}

	if (ro->userns == USERNS_SINGLE || why[0]) {
		bool as_root = ro->userns == USERNS_ROOT;

		if (why[0] && !ro->quiet && speak)
			warnx_("%s; mapping only the caller's own id, as %s (see 'nook doctor')",
			       why, as_root ? "root" : "itself");
		s->userns = USERNS_SINGLE;
		s->idmap_helpers = false;
		s->inside_uid = as_root ? 0 : h->uid;
		s->inside_gid = as_root ? 0 : h->gid;
		subid_map_single(s->inside_uid, h->uid, &s->uid_map);
		subid_map_single(s->inside_gid, h->gid, &s->gid_map);
		return 0;
	}

	s->idmap_helpers = true;
	s->newuidmap = xstrdup(h->newuidmap);
	s->newgidmap = xstrdup(h->newgidmap);
	s->subuid_file = xstrdup(h->subuid_path);
	s->subgid_file = xstrdup(h->subgid_path);
	if (ro->userns == USERNS_ROOT) {
		subid_map_root(h->uid, &su, &s->uid_map);
		subid_map_root(h->gid, &sg, &s->gid_map);
		s->inside_uid = 0;
		s->inside_gid = 0;
	} else {
		subid_map_keep_id(h->uid, &su, &s->uid_map);
		subid_map_keep_id(h->gid, &sg, &s->gid_map);
		s->inside_uid = h->uid;
		s->inside_gid = h->gid;
	}
	build_userns_pool(ro, h, s);
	return 0;
}

/* The image must be a directory; its canonical name is what a named overlay remembers. */
static int check_rootfs(const char *path, char **canonical)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		warn_errno("--rootfs %s", path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		warnx_("--rootfs %s: not a directory", path);
		return -1;
	}
	*canonical = realpath(path, NULL);
	if (!*canonical) {
		warn_errno("--rootfs %s", path);
		return -1;
	}
	return 0;
}

/*
 * The file by which a program tells it runs in nook (host/facts.h): an empty, read-only file on
 * the sandbox's own /dev, in every sandbox. An integrate link started inside runs its program
 * directly, since it is sandboxed already (cli/integrate.c).
 */
static void mark_sandbox(struct spec *s)
{
	spec_add_mount(s, MOUNT_FILE, "", HOST_NOOK_MARKER,
		       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC, NULL);
}

/* What every sandbox gets; user mounts come after, so they can cover any of it. */
static void build_base_mounts(const char *rootfs, const struct request *ro, struct spec *s)
{
	static const char *const devices[] = {"null", "zero", "full", "random", "urandom", "tty"};
	static const char *const stdio[] = {"stdin", "stdout", "stderr"};
	static const char *const proc_readonly[] = {
		"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs",
	};
	/* Owned by root inside when root exists there, so the payload cannot add files to /dev. */
	const char *root_owned = id_map_contains(&s->uid_map, 0) && id_map_contains(&s->gid_map, 0)
					 ? "uid=0,gid=0"
					 : NULL;
	/*
	 * /dev holds mount points and symlinks only. Where the payload owns it (--userns=single,
	 * or root inside), it could fill it: a tmpfs without a size may take half of RAM.
	 */
	const char *dev_size = "size=1m,nr_inodes=1k";
	struct mount_op *m;

	spec_add_mount(s, MOUNT_ROOT, rootfs ? rootfs : "/", "/",
		       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV, rootfs ? "--rootfs" : NULL);
	spec_add_mount(s, MOUNT_PROC, NULL, "/proc",
		       MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC, NULL);
	/*
	 * The kernel's knobs: refused by the filesystem, not only by file modes (as podman).
	 * Not with --allow-userns: a nested sandbox could not mount a proc of its own, the kernel
	 * refusing one that would show what a locked mount covers (mount_too_revealing).
	 */
	for (size_t i = 0; i < sizeof proc_readonly / sizeof proc_readonly[0]; i++)
		if (!ro->sec.allow_userns)
			spec_add_mount(s, MOUNT_RESTRICT, NULL, proc_readonly[i],
				       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV |
					       MOUNT_F_NOEXEC | MOUNT_F_OPTIONAL,
				       NULL);

	m = spec_add_mount(s, MOUNT_TMPFS, NULL, "/dev", MOUNT_F_NOSUID | MOUNT_F_NOEXEC, NULL);
	m->options = root_owned ? xasprintf("%s,%s", root_owned, dev_size) : xstrdup(dev_size);
	for (size_t i = 0; i < sizeof devices / sizeof devices[0]; i++) {
		char *path = xasprintf("/dev/%s", devices[i]);

		/* No nodev here: these are the device nodes the sandbox is meant to use. */
		spec_add_mount(s, MOUNT_BIND, path, path, MOUNT_F_NOSUID | MOUNT_F_NOEXEC, NULL);
		free(path);
	}
	m = spec_add_mount(s, MOUNT_DEVPTS, NULL, "/dev/pts", MOUNT_F_NOSUID | MOUNT_F_NOEXEC,
			   NULL);
	/* The tty group, when it exists inside; otherwise the kernel uses the opener's group. */
	m->options = xstrdup(id_map_contains(&s->gid_map, 5)
				     ? "newinstance,ptmxmode=0666,mode=0620,gid=5"
				     : "newinstance,ptmxmode=0666,mode=0620");
	spec_add_mount(s, MOUNT_SYMLINK, "pts/ptmx", "/dev/ptmx", 0, NULL);
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, "/dev/shm", MOUNT_F_NOSUID | MOUNT_F_NODEV, NULL);
	m->mode = 01777;
	/* tmpfs pages are charged to no process: without a size, one sandbox can fill RAM. */
	m->options = xasprintf("size=%s", ro->shm_size ? ro->shm_size : DEFAULT_SHM_SIZE);
	spec_add_mount(s, MOUNT_SYMLINK, "/proc/self/fd", "/dev/fd", 0, NULL);
	for (int i = 0; i < 3; i++) {
		char *target = xasprintf("/proc/self/fd/%d", i);
		char *path = xasprintf("/dev/%s", stdio[i]);

		spec_add_mount(s, MOUNT_SYMLINK, target, path, 0, NULL);
		free(target);
		free(path);
	}
	mark_sandbox(s);
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, "/tmp", MOUNT_F_NOSUID | MOUNT_F_NODEV, NULL);
	m->mode = 01777;
	m->options = root_owned ? xasprintf("%s,size=%s", root_owned, tmpfs_size(ro))
				: xasprintf("size=%s", tmpfs_size(ro));
}

/*
 * nook's own configuration (profiles) and state (named overlays) are hidden in every sandbox
 * that shows the caller's home: a sandboxed program must not write its next profile, nor see
 * an overlay's upper layer. The monitor creates both directories on the host first (they are
 * nook's), so the masks never have to create anything inside.
 */
static void mask_nook_state(const struct host_facts *h, struct spec *s)
{
	const unsigned flags = MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC |
			       MOUNT_F_OPTIONAL;

	if (h->data_dir) {
		strv_push(&s->host_mkdir_try, h->data_dir);
		spec_add_mount(s, MOUNT_MASK, NULL, h->data_dir, flags, "nook's state");
	}
	if (h->config_dir) {
		strv_push(&s->host_mkdir_try, h->config_dir);
		spec_add_mount(s, MOUNT_MASK, NULL, h->config_dir, flags, "nook's configuration");
	}
	/* Its sockets (slirp4netns's API), should a sandbox bind the runtime dir in. */
	if (h->nook_runtime_dir)
		spec_add_mount(s, MOUNT_MASK, NULL, h->nook_runtime_dir, flags, "nook's sockets");
	/* The running sandboxes' states, in /run/user/UID/nook without XDG_RUNTIME_DIR. */
	if (h->state_dir) {
		autofree char *dir = xstrndup(h->state_dir,
					      strlen(h->state_dir) - strlen("/sandboxes"));

		if (!h->nook_runtime_dir || strcmp(dir, h->nook_runtime_dir) != 0)
			spec_add_mount(s, MOUNT_MASK, NULL, dir, flags, "nook's sandboxes");
	}
}

/*
 * The host's ipc namespace: --ipc=host as asked; a profile's "ipc host" only for a sandbox with
 * the caller's X display. Its server attaches an MIT-SHM segment by the id the client names,
 * in the server's own namespace, so a client in a namespace of its own fails (and programs
 * draw without shared memory, slowly) while it can still reach every segment of the user's
 * through the server: the namespace protects nothing there (nook-run(1), Displays).
 */
static void build_ipc(const struct request *ro, const struct host_facts *h,
		      const struct display_grant *g, struct spec *s)
{
	if (ro->ipc != IPC_MODE_HOST)
		return;
	if (!ro->ipc_cli && !(g->x11 && host_getenv(h, "DISPLAY")))
		return;
	s->clone_flags &= ~(uint64_t)CLONE_NEWIPC;
	s->ipc_host = ro->ipc_cli ? xstrdup(ro->ipc_where)
				  : xasprintf("%s, with the X display", ro->ipc_where);
}

/* A default limit on what the payload may hold; the request's own wins. */
static void default_rlimit(struct spec *s, int resource, uint64_t value)
{
	for (size_t i = 0; i < s->nrlimits; i++)
		if (s->rlimits[i].resource == resource)
			return;
	if (s->nrlimits < RLIMITS_MAX)
		s->rlimits[s->nrlimits++] = (struct rlimit_spec){.resource = resource,
								 .value = value};
}

/*
 * Supplementary groups are the caller's keys to docker, lxd or libvirt sockets: dropped,
 * unless --keep-groups. A single-id namespace cannot: the kernel denies setgroups there.
 */
static void build_groups(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	if (ro->keep_groups)
		return;
	if (s->userns != USERNS_SINGLE) {
		s->drop_groups = true;
		return;
	}
	if (h->ngroups > 0 && !ro->quiet)
		warnx_("warning: --userns=single: the sandbox keeps your %d supplementary group%s "
		       "(a single-id namespace cannot drop them; see 'nook doctor')",
		       h->ngroups, h->ngroups == 1 ? "" : "s");
}

int spec_build_userns(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	spec_init(s);
	s->clone_flags = CLONE_NEWUSER | CLONE_NEWNET;
	if (ro->net.mode_set && ro->net.mode == NET_HOST)
		s->clone_flags &= ~(uint64_t)CLONE_NEWNET;
	return build_idmaps(ro, h, s, false);
}

int spec_build(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	struct session_facts sf;
	struct display_grant displays;
	struct identity id;
	uint64_t caps_base = 0;
	autofree char *rootfs = NULL;

	spec_init(s);
	fs_expand_forget(); /* what a failed build before kept */
	if (ro->profile_path)
		s->profile = xstrdup(ro->profile_path);
	/* A file included twice (by two includes) was read twice: listed once. */
	for (size_t i = 0; i < ro->profile_files.n; i++) {
		bool seen = false;

		for (size_t k = 0; k < s->profile_files.n && !seen; k++)
			seen = strcmp(s->profile_files.v[k], ro->profile_files.v[i]) == 0;
		if (!seen)
			strv_push(&s->profile_files, ro->profile_files.v[i]);
	}
	s->clone_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS |
			 CLONE_NEWCGROUP | CLONE_NEWNET;
	if (build_idmaps(ro, h, s, true) < 0)
		return -1;
	if (ro->rootfs) {
		autofree char *given = host_path(h, ro->rootfs);

		if (check_rootfs(given, &rootfs) < 0)
			return -1;
	}
	if (user_build(ro, h, rootfs, s, &id) < 0)
		return -1;
	session_build_env(ro, h, &id, s);
	identity_free(&id);
	/*
	 * The host's name unless told otherwise, as under bwrap and firejail: X cookies, lock
	 * files and single-instance checks are keyed to it.
	 */
	s->hostname = xstrdup(ro->hostname ? ro->hostname : h->hostname ? h->hostname : "nook");
	if (name_build(ro, h, s) < 0)
		return -1;

	build_base_mounts(rootfs, ro, s);
	display_decide(ro, &displays);
	build_ipc(ro, h, &displays, s);
	if (!ro->rootfs && dbus_build(ro, h, s) < 0)
		return -1;
	if (!ro->rootfs)
		session_build_mounts(ro, h, &displays, s);
	if (overlay_build(&ro->overlay, ro->rootfs != NULL, h, s) < 0)
		return -1;
	if (net_build(ro, h, s) < 0)
		return -1;
	/* slirp4netns sandboxes itself only as root of the sandbox's user namespace. */
	s->net.slirp_sandbox = id_map_contains(&s->uid_map, 0) && id_map_contains(&s->gid_map, 0);
	if (s->net.mode == NET_SLIRP && !s->net.slirp_sandbox && !ro->quiet)
		warnx_("warning: --net=slirp: without root inside the user namespace, slirp4netns "
		       "runs without its own sandbox (it needs a subordinate id range)");

	sf = (struct session_facts){
		.home = h->home,
		.runuser = h->runuser,
		.tmpfs_size = tmpfs_size(ro),
		.display = strv_env_get(&s->env, "DISPLAY"),
		.xauthority = strv_env_get(&s->env, "XAUTHORITY"),
		.wayland_display = strv_env_get(&s->env, "WAYLAND_DISPLAY"),
		.x11 = displays.x11,
		.wayland = displays.wayland,
		.x11_origin = displays.x11_by_default ? "x11: firejail's default" : "x11",
		.wayland_origin = displays.wayland_by_default ? "wayland: firejail's default"
							      : "wayland",
		.cwd = h->cwd,
		.quiet = ro->quiet,
	};
	/* Profiles' views first, then the caller's own mounts, then what must stay hidden. */
	if (fs_build_views(&ro->fs, &sf, s) < 0)
		return -1;
	for (size_t i = 0; i < ro->nmounts; i++) {
		const struct mount_op *r = &ro->mounts[i];
		autofree char *src = r->src ? host_path(h, r->src) : NULL;
		autofree char *dest = expand_tilde(r->dest, h->home);
		struct mount_op *m = spec_add_mount(s, r->kind, src, dest, r->flags, r->origin);

		m->mode = r->mode;
		if (r->kind == MOUNT_TMPFS)
			m->options = xasprintf("size=%s", r->options ? r->options : tmpfs_size(ro));
	}
	/* Over everything the caller bound (a --bind of the project holding .cache/x). */
	if (cache_build(ro, h, s) < 0)
		return -1;
	/* The buses over whatever a view or a bind put where they are (a whitelisted bus). */
	dbus_build_mounts(h, s);
	net_build_files(s);
	if (fs_build_masks(&ro->fs, &sf, s) < 0)
		return -1;
	/* An image, or a private home, does not show the home holding nook's state. */
	if (!ro->rootfs && !ro->fs.private_home && !ro->fs.private_dir)
		mask_nook_state(h, s);
	/* Over whatever the views and masks made of the runtime dir. */
	display_build_dconf(ro, h, &displays, s);

	if (ro->chdir) {
		s->cwd = xstrdup(ro->chdir);
		s->cwd_required = true;
	} else {
		s->cwd = xstrdup(h->cwd ? h->cwd : "/");
	}
	/* --overlay-driver=auto, by the owners of what the overlay may copy up. */
	if (s->overlay.mode != OVERLAY_NONE && s->overlay.driver == OVERLAY_AUTO) {
		struct overlay_facts of;

		overlay_facts_read(h, s, &of);
		overlay_plan(&of, h, s);
		overlay_facts_free(&of);
	}

	/* Root inside, by the mode or by --user, has podman's set; any other uid has none. */
	if (s->inside_uid == 0 && (s->userns != USERNS_KEEP_ID || s->switch_user))
		for (int i = 0; i < root_mode_caps_count; i++)
			caps_base |= UINT64_C(1) << root_mode_caps[i];
	if (security_build(ro, s) < 0)
		return -1;
	landlock_build(ro, h, s);
	caps_build(&ro->sec, caps_base, ro->userns_cli && ro->userns == USERNS_ROOT, ro->quiet, s);
	if (net_check_caps(ro, s) < 0)
		return -1;
	/* A fork bomb stops at the sandbox: RLIMIT_NPROC counts per user namespace (5.14+). */
	default_rlimit(s, RLIMIT_NPROC,
		       h->nproc_max < DEFAULT_PIDS_LIMIT ? h->nproc_max : DEFAULT_PIDS_LIMIT);
	build_groups(ro, h, s);
	session_prune_env(ro, h, &displays, s);
	display_build_hint(ro, h, &displays, s);

	terminal_build(ro->pty, h->tty_fds, s);
	s->timeout = ro->timeout;
	if (ro->single_instance)
		s->single_instance = host_path(h, ro->single_instance);
	for (size_t i = 0; i < ro->argv.n; i++)
		strv_push(&s->argv, ro->argv.v[i]);
	fs_masks_dedupe(s);
	fs_expand_forget();
	return 0;
}
