/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SPEC_H
#define NOOK_SPEC_H

/*
 * The sandbox spec: everything the launcher does, as plain data.
 * Policy (CLI, profiles, defaults) fills it; src/sandbox/ only executes it; --dry-run prints it.
 * Nothing here depends on the machine beyond what the policy layer already read.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/names.h"
#include "util/strv.h"

enum userns_mode {
	USERNS_KEEP_ID, /* caller keeps its uid/gid inside; the rest from the subordinate range */
	USERNS_ROOT,    /* caller is 0 inside; 1..N from the subordinate range */
	USERNS_SINGLE,  /* the caller's own id only, no setuid helpers */
};

/* --userns-pool: whether a keep-id or root sandbox may take a namespace of the user's pool. */
enum userns_pool_choice {
	USERNS_POOL_AUTO,
	USERNS_POOL_NO,
};

struct id_range {
	uint32_t inside;
	uint32_t outside;
	uint32_t count;
};

/* The kernel takes up to 340 lines in a map; nobody has that many ranges. */
#define ID_MAP_MAX 32

struct id_map {
	struct id_range r[ID_MAP_MAX];
	size_t n;
};

enum mount_kind {
	MOUNT_ROOT,     /* src (host directory) becomes "/", recursively bound */
	MOUNT_BIND,     /* src (host path) bound recursively at dest */
	MOUNT_TMPFS,    /* a fresh tmpfs at dest */
	MOUNT_PROC,     /* a fresh proc of the sandbox's pid namespace at dest */
	MOUNT_DEVPTS,   /* a private devpts instance at dest */
	MOUNT_MQUEUE,   /* the ipc namespace's message queues at dest */
	MOUNT_SYMLINK,  /* a symlink at dest pointing to src */
	MOUNT_FILE,     /* a read-only file at dest holding the text in src (resolv.conf) */
	MOUNT_RESTRICT, /* what is at dest inside the sandbox, given flags (ro, noexec) in place */
	MOUNT_MASK,     /* dest hidden: an empty read-only directory or file over it */
	MOUNT_DBUS_PROXY, /* the socket of the xdg-dbus-proxy for bus src ("user", "system") at dest */
	MOUNT_SYSFS, /* a sysfs of the network namespace at dest; the host's /sys where refused */
	MOUNT_DIR,   /* a directory at dest (mode), the payload's, on a tmpfs of the sandbox's */
};

enum {
	MOUNT_F_RDONLY = 1u << 0,
	MOUNT_F_NOSUID = 1u << 1,
	MOUNT_F_NODEV = 1u << 2,
	MOUNT_F_NOEXEC = 1u << 3,
	MOUNT_F_OPTIONAL = 1u << 4, /* a missing source is skipped, not an error */
};

struct mount_op {
	enum mount_kind kind;
	char *src;      /* host path (ROOT, BIND), link target (SYMLINK), or the name a new
			   filesystem (TMPFS, PROC, SYSFS, DEVPTS, MQUEUE) has as its source;
			   NULL there: "none" */
	char *dest;     /* absolute path inside the sandbox */
	unsigned flags; /* MOUNT_F_* */
	unsigned mode;  /* tmpfs root mode; a DIR's mode */
	char *options;  /* filesystem options "key=value,flag,..." (devpts) */
	char *origin;   /* what asked for it, for messages: "--bind /a:/b", "default" */
};

enum seccomp_action {
	SECCOMP_ACTION_ERRNO, /* the call fails with EPERM */
	SECCOMP_ACTION_KILL,  /* the process is killed with SIGSYS */
	SECCOMP_ACTION_LOG,   /* the call is allowed and logged: for writing policies */
};

/* The seccomp filter, as decided by policy; src/sandbox/seccomp.c compiles it. */
struct seccomp_spec {
	bool enabled;
	enum seccomp_action action;
	struct strv deny;            /* system calls denied outright: names, or numbers
	                                libseccomp does not know (the native arch's) */
	bool deny_ns_clone;          /* clone() with CLONE_NEW* flags */
	bool deny_ns_unshare;        /* unshare() with CLONE_NEW* flags */
	bool clone3_enosys;          /* clone3 answers ENOSYS, so libc falls back to clone() */
	bool enosys_unknown;         /* numbers above the highest libseccomp knows: ENOSYS */
	bool deny_vsock;             /* socket(AF_VSOCK): the host's, whatever the netns */
	struct strv enosys_except;   /* ... but for these (native numbers, --seccomp-allow) */
	bool deny_tty_inject;        /* ioctl TIOCSTI and TIOCLINUX, on the low 32 bits */
	bool deny_personality_flags; /* personality() setting ASLR-off, READ_IMPLIES_EXEC, ... */
	bool secondary_arch;         /* also accept (and filter) i386 and x32 system calls */
	bool mdwe;                   /* memory-deny-write-execute */
	uint64_t protocols;          /* socket families allowed (bit n = AF n); 0: all */
};

struct rlimit_spec {
	int resource;    /* RLIMIT_* */
	uint64_t value;  /* soft, and hard unless hard_apart; RLIM_INFINITY for unlimited */
	bool hard_apart; /* an OCI config's hard limit, other than its soft one */
	uint64_t hard;
};

#define RLIMITS_MAX 16

enum net_mode {
	NET_NONE,  /* own network namespace, only lo */
	NET_SLIRP, /* own namespace with a tap device served by slirp4netns */
	NET_HOST,  /* the host's network namespace */
	NET_PASTA, /* own namespace with a tap device served by pasta (package passt) */
};

/*
 * System V IPC (shared memory, semaphores, message queues) and POSIX message queues: the
 * sandbox's own namespace, or the host's (an X client's MIT-SHM segments, which the X server
 * attaches by their id in its own namespace).
 */
enum ipc_mode {
	IPC_MODE_PRIVATE,
	IPC_MODE_HOST,
};

/* A host port forwarded into the sandbox. */
struct publish_spec {
	char host_addr[64];
	uint16_t host_port;
	uint16_t guest_port;
	bool udp;
	char *origin;
};

/*
 * With NET_SLIRP and NET_PASTA (which is given slirp's addresses): the sandbox's address, its
 * gateway (the host's loopback with host_loopback), the DNS forwarder, the tap's MTU.
 */
#define SLIRP_GUEST_ADDR "10.0.2.100"
#define SLIRP_GATEWAY_ADDR "10.0.2.2"
#define SLIRP_DNS_ADDR "10.0.2.3"
#define SLIRP_MTU 65520

struct net_spec {
	enum net_mode mode;
	char *slirp4netns; /* its path, with NET_SLIRP */
	char *pasta;       /* its path, with NET_PASTA */
	char *api_dir;     /* nook's own directory for slirp4netns's API socket (publish) */
	unsigned mtu;
	/*
	 * The host's 127.0.0.1 reachable at 10.0.2.2. Without it, with NET_PASTA, pasta does not
	 * map 10.0.2.2 to the host and the sandbox gets a reject route to it.
	 */
	bool host_loopback;
	bool slirp_sandbox; /* run it as root of the sandbox's userns, --enable-sandbox */
	struct publish_spec *publish;
	size_t npublish;
};

enum overlay_mode {
	OVERLAY_NONE,  /* the root is a read-only bind */
	OVERLAY_TMP,   /* writable, upper layer on a tmpfs that dies with the sandbox */
	OVERLAY_NAMED, /* writable, upper layer kept in dir/upper */
};

enum overlay_driver {
	OVERLAY_AUTO,   /* each directory with the one that can copy it up: see parts */
	OVERLAY_FUSE,   /* fuse-overlayfs, served from inside the sandbox */
	OVERLAY_KERNEL, /* the kernel's overlayfs with userxattr (Linux 5.11+) */
};

/* How an OVERLAY_AUTO overlay serves a part of the tree. */
enum overlay_part_driver {
	OVERLAY_PART_KERNEL, /* the kernel's overlayfs */
	OVERLAY_PART_FUSE,   /* fuse-overlayfs */
	OVERLAY_PART_RO,     /* no overlay: bound read-only, as --overlay=none shows it */
};

/*
 * Where an OVERLAY_AUTO overlay uses which, in order:
 *   "/"      first: the whole lower layer, KERNEL or FUSE (an image; a NAME: for a NAME made
 *            now, an existing one keeps the driver its meta file names); over the host, the
 *            base the others are mounted on: FUSE (root inside), or RO;
 *   "/DIR"   a top-level directory, mounted on top;
 *   deeper   a tree mounted as a KERNEL overlay of its own on top (the home, the working
 *            directory's tree).
 */
struct overlay_part {
	char *path;
	enum overlay_part_driver driver;
};

/* The root's overlay; its lower layer is the root mount's src. */
struct overlay_spec {
	enum overlay_mode mode;
	enum overlay_driver driver;
	char *name;                 /* OVERLAY_NAMED */
	char *dir;                  /* OVERLAY_NAMED: holds upper/, work/, meta, lock */
	char *fuse_overlayfs;       /* its path, when a part or the driver is OVERLAY_FUSE */
	struct overlay_part *parts; /* OVERLAY_AUTO */
	size_t nparts;
};

/*
 * A cache kept in nook's store (--cache=NAME:PATH): dir/data is bound at dest (a mount of
 * its own); the monitor holds dir/lock shared while the sandbox runs, so that nook cache rm,
 * which wants it exclusively, refuses a cache in use; dir/meta notes the last use.
 */
struct cache_spec {
	char *name;
	char *dir;
	char *dest;
};

/* The payload's terminal. */
enum terminal_mode {
	TERMINAL_INHERIT,     /* the caller's session, process group and terminal (--pty=never) */
	TERMINAL_NEW_SESSION, /* a session of its own, without a controlling terminal */
	TERMINAL_PTY,         /* a session of its own on a pty of the sandbox's devpts, relayed */
};

/* --pty: the caller's choice, which the policy turns into a terminal_mode. */
enum pty_choice {
	PTY_AUTO, /* a pty when one of stdin, stdout, stderr is a terminal */
	PTY_ALWAYS,
	PTY_NEVER,
};

/* D-Bus: how the sandbox gets a bus (policy/dbus.c); ordered from the least to the most. */
enum dbus_mode {
	DBUS_NONE,   /* no bus */
	DBUS_FILTER, /* xdg-dbus-proxy's socket: only what the rules allow */
	DBUS_ALLOW,  /* the caller's bus socket, all of it */
};

/* One bus; with DBUS_FILTER the monitor runs xdg-dbus-proxy for it (sandbox/dbus_proxy.c). */
struct dbus_proxy_spec {
	enum dbus_mode mode;
	char *upstream;    /* DBUS_FILTER: the bus address the proxy connects to */
	char *dest;        /* DBUS_FILTER: its socket inside (the MOUNT_DBUS_PROXY) */
	struct strv rules; /* DBUS_FILTER: the proxy's options, "--talk=NAME", ... */
};

/* A namespace an OCI container joins instead of creating it (linux.namespaces[].path). */
struct ns_join {
	uint64_t flag; /* CLONE_NEW* */
	char *path;
};

#define NS_JOIN_MAX 8

/* The points of an OCI container's life where its hooks run (runtime-spec config.md). */
enum oci_hook_stage {
	OCI_HOOK_PRESTART,         /* create: by the runtime, as createRuntime (deprecated) */
	OCI_HOOK_CREATE_RUNTIME,   /* create: by the runtime, the container's mounts staged */
	OCI_HOOK_CREATE_CONTAINER, /* create: in the container's namespaces, before pivot_root */
	OCI_HOOK_START_CONTAINER,  /* start: in the container, confined as it, before its exec */
	OCI_HOOK_POSTSTART,        /* start: by the runtime, after the exec; failure warns */
	OCI_HOOK_POSTSTOP,         /* delete: by the runtime, the container gone; failure warns */
	OCI_HOOK_STAGES,
};

/* One hook (hooks.STAGE[i]): run with the container's state on its stdin. */
struct oci_hook {
	char *path;       /* absolute */
	struct strv args; /* argv, args[0] first; empty: the path alone */
	struct strv env;  /* exactly its environment */
	unsigned timeout; /* seconds; 0: none */
};

struct oci_hooks {
	struct oci_hook *v[OCI_HOOK_STAGES];
	size_t n[OCI_HOOK_STAGES];
};

/*
 * linux.seccomp of an OCI config (runtime-spec's "Seccomp"), read by policy/oci_seccomp.c and
 * compiled by sandbox/seccomp_oci.c. Its actions, comparisons, architectures and flags are
 * closed sets (their names in spec.c's tables); system call names stay strings, since only
 * libseccomp, in the sandbox, knows which it can resolve.
 */
enum oci_seccomp_action {
	OCI_SCMP_KILL_THREAD, /* SCMP_ACT_KILL is its older name */
	OCI_SCMP_KILL_PROCESS,
	OCI_SCMP_TRAP,
	OCI_SCMP_ERRNO, /* fails with ret */
	OCI_SCMP_TRACE, /* ret is the tracer's message */
	OCI_SCMP_ALLOW,
	OCI_SCMP_LOG,
};

enum oci_seccomp_op {
	OCI_SCMP_CMP_NE,
	OCI_SCMP_CMP_LT,
	OCI_SCMP_CMP_LE,
	OCI_SCMP_CMP_EQ,
	OCI_SCMP_CMP_GE,
	OCI_SCMP_CMP_GT,
	OCI_SCMP_CMP_MASKED_EQ, /* (arg & value) == value_two */
};

enum oci_seccomp_arch {
	OCI_SCMP_ARCH_X86,
	OCI_SCMP_ARCH_X86_64,
	OCI_SCMP_ARCH_X32,
	OCI_SCMP_ARCH_ARM,
	OCI_SCMP_ARCH_AARCH64,
	OCI_SCMP_ARCH_MIPS,
	OCI_SCMP_ARCH_MIPS64,
	OCI_SCMP_ARCH_MIPS64N32,
	OCI_SCMP_ARCH_MIPSEL,
	OCI_SCMP_ARCH_MIPSEL64,
	OCI_SCMP_ARCH_MIPSEL64N32,
	OCI_SCMP_ARCH_PPC,
	OCI_SCMP_ARCH_PPC64,
	OCI_SCMP_ARCH_PPC64LE,
	OCI_SCMP_ARCH_S390,
	OCI_SCMP_ARCH_S390X,
	OCI_SCMP_ARCH_PARISC,
	OCI_SCMP_ARCH_PARISC64,
	OCI_SCMP_ARCH_RISCV64,
};

/* The filter flags nook passes to seccomp(2) (SECCOMP_FILTER_FLAG_*). */
enum {
	OCI_SCMP_FLAG_TSYNC = 1u << 0,
	OCI_SCMP_FLAG_LOG = 1u << 1,
	OCI_SCMP_FLAG_SPEC_ALLOW = 1u << 2,
};

/* A rule's condition on one argument. */
struct oci_seccomp_arg {
	unsigned index; /* 0-5 */
	enum oci_seccomp_op op;
	uint64_t value;
	uint64_t value_two;
};

/* linux.seccomp.syscalls[]: the calls NAMES get ACTION when every one of ARGS holds. */
struct oci_seccomp_rule {
	struct strv names;
	enum oci_seccomp_action action;
	uint32_t ret; /* OCI_SCMP_ERRNO: the errno; OCI_SCMP_TRACE: the message */
	struct oci_seccomp_arg *args;
	size_t nargs;
};

struct oci_seccomp {
	bool enabled;
	enum oci_seccomp_action default_action;
	uint32_t default_ret;
	uint32_t arches; /* bit n: enum oci_seccomp_arch n, added to the native one */
	unsigned flags;  /* OCI_SCMP_FLAG_* */
	struct oci_seccomp_rule *rules;
	size_t nrules;
};

/*
 * An OCI container (nook oci create, policy/oci.c): launched by sandbox/oci_launch.c without
 * nook's monitor, its process exec'd as the pid the engine waits for.
 */
struct oci_spec {
	bool enabled;
	struct ns_join join[NS_JOIN_MAX]; /* joined in this order, before the clone */
	size_t njoin;
	struct strv sysctl;    /* "key=value", written in the container's namespaces */
	bool root_readonly;    /* the root alone made read-only once every mount is placed */
	unsigned umask;        /* the process's */
	unsigned preserve_fds; /* create --preserve-fds: fds 3.. the process keeps open */
	/* process.oomScoreAdj, written before the exec when oom_score_adj_set. */
	bool oom_score_adj_set;
	int oom_score_adj;
	/* linux.rootfsPropagation: MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE (| MS_REC) of
	 * the root once it is the container's; 0: nook's, private. */
	unsigned long root_propagation;
	/* process.consoleSize, of the pty (terminal TERMINAL_PTY); 0: the pty's default. */
	unsigned short console_rows, console_cols;
	/*
	 * process.noNewPrivileges: set before the filters are loaded, which then come as late as
	 * can be; without it the filters are loaded before the capabilities are dropped, since
	 * loading one needs CAP_SYS_ADMIN then (as runc and crun do).
	 */
	bool no_new_privs;
	/*
	 * process.capabilities, each set as the config says (exact): caps_keep is the bounding
	 * set, and each of these is taken within it, as runc applies them.
	 */
	struct {
		bool exact;
		uint64_t effective, permitted, inheritable, ambient;
	} caps;
	/* The config's filter; loaded before nook's own (seccomp), when both are enabled. */
	struct oci_seccomp seccomp;
	/*
	 * Where the programs compiled from such filters are kept, by the runtime's root (the
	 * caller's, like the state): compiling podman's profile takes libseccomp ~17 ms, a
	 * container; NULL: compiled every time.
	 */
	char *seccomp_cache;
	struct oci_hooks hooks;
};

struct spec {
	/* Namespaces to create: CLONE_NEW* flags. */
	uint64_t clone_flags;

	/* Identity. */
	enum userns_mode userns; /* the mode in effect (after any fallback) */
	bool idmap_helpers;      /* maps are written by newuidmap/newgidmap */
	char *newuidmap;         /* their paths, when idmap_helpers */
	char *newgidmap;
	char *subuid_file; /* where the ranges came from, for messages */
	char *subgid_file;
	struct id_map uid_map;
	struct id_map gid_map;
	/*
	 * The socket of the user's pool of user namespaces mapped beforehand (nook-userns,
	 * sandbox/userns_pool.c), when this sandbox asks it for its own; NULL: it does not
	 * (--userns-pool=no, --userns=single, no runtime directory). How long an idle pool lives.
	 */
	char *userns_pool;
	unsigned userns_pool_idle;
	uid_t inside_uid; /* the payload's ids inside */
	gid_t inside_gid;

	/* Filesystem, in the order it is built. */
	struct mount_op *mounts;
	size_t nmounts;
	size_t mounts_cap; /* allocated: spec_add_mount doubles it */
	struct overlay_spec overlay;
	char *cwd;         /* working directory inside */
	bool cwd_required; /* --chdir: failure is an error, not a fallback to "/" */

	char *hostname;
	/*
	 * What made the sandbox share the host's ipc namespace (--ipc=host, a profile's ipc host
	 * with the X display), for --dry-run; NULL: it has its own (CLONE_NEWIPC).
	 */
	char *ipc_host;
	/*
	 * The sandbox's name (nook list, enter, stop) and the directory its state is kept in,
	 * outside every sandbox ($XDG_RUNTIME_DIR/nook/sandboxes); NULL: neither (no runtime
	 * directory), so the sandbox cannot be found by name.
	 */
	char *name;
	bool name_generated; /* not asked for: the launcher takes the next one if it is taken */
	bool join_or_start;  /* a live sandbox of that name is entered instead (cli/run.c) */
	char *state_dir;
	/* --timeout: after .timeout seconds SIGTERM, SPEC_TIMEOUT_GRACE seconds later SIGKILL. */
#define SPEC_TIMEOUT_GRACE 5
	unsigned timeout;      /* seconds until SIGTERM, then SIGKILL; 0: none */
	char *single_instance; /* PROGRAM's lock on the host: refused while held outside nook */
	struct net_spec net;
	/* D-Bus: the session ("user") and system buses; one xdg-dbus-proxy for the filtered ones. */
	struct dbus_proxy_spec dbus_user, dbus_system;
	char *dbus_proxy;     /* xdg-dbus-proxy's path, when a bus is filtered */
	char *dbus_proxy_dir; /* where the monitor makes the proxy's private directory */
	/* Created on the host before the sandbox starts (mkdir, mkfile of profiles). */
	struct strv host_mkdir;
	struct strv host_mkfile;
	struct strv host_mkdir_try; /* the same, best effort: nook's own directories */
	struct cache_spec *caches;  /* made and locked by the monitor, bound among the mounts */
	size_t ncaches;

	/* Privileges of the payload: capability numbers to keep (bit n = CAP n). */
	uint64_t caps_keep;
	struct seccomp_spec seccomp;
	/* Landlock: no connecting to abstract unix sockets made outside the sandbox (needs ABI 6). */
	bool landlock_scope_unix;
	struct rlimit_spec rlimits[RLIMITS_MAX];
	size_t nrlimits;

	bool drop_groups; /* setgroups(): only the payload's own group */
	/* --user: the payload changes to inside_uid and inside_gid before exec, and to groups. */
	bool switch_user;
	bool set_groups;  /* the groups too (no setgroups in a single-id namespace) */
	uint32_t *groups; /* the user's supplementary groups of the root's /etc/group */
	size_t ngroups;

	/* The payload. */
	enum terminal_mode terminal;
	unsigned pty_fds; /* TERMINAL_PTY: bit n set: the payload's fd n (0-2) is the pty */
	struct strv env;
	struct strv env_removed; /* "NAME why": the caller's variables it does not get */
	struct strv argv;

	char *profile;             /* the profile file read, for --dry-run; NULL: none */
	struct strv profile_files; /* every file it read, includes too, in reading order */
	/*
	 * One line the monitor prints on stderr ("nook: " before it, escaped) after the payload
	 * fails (exits non-zero, is killed): why it may have failed and what would help (a
	 * display it did not get). NULL: none.
	 */
	char *failure_hint;

	struct oci_spec oci;
};

/* Is id one of the map's inside ids? */
bool id_map_contains(const struct id_map *m, uint32_t id);
/* Is id (of the host) one of the map's outside ids: one the sandbox can name? */
bool id_map_has_outside(const struct id_map *m, uint32_t id);

void spec_init(struct spec *s);
void spec_free(struct spec *s);
/* Remove the mounts i with drop[i], keeping the others in order. */
void spec_drop_mounts(struct spec *s, const bool *drop);
struct mount_op *spec_add_mount(struct spec *s, enum mount_kind kind, const char *src,
				const char *dest, unsigned flags, const char *origin);
/* The same, taking DEST (malloc'd) rather than copying it. */
struct mount_op *spec_add_mount_owned(struct spec *s, enum mount_kind kind, const char *src,
				      char *dest, unsigned flags, const char *origin);
/* Is there a mount of KIND at DEST, after the root? */
bool spec_mounted_at(const struct spec *s, const char *dest, enum mount_kind kind);
/* Print the spec in the stable, line-oriented form --dry-run shows. */
void spec_print(const struct spec *s, FILE *out);
/* The seccomp lines of spec_print: also the key of a prebuilt filter. */
void spec_print_seccomp(FILE *out, const struct seccomp_spec *sc);
/*
 * spec_json.c: the same facts as one JSON object (--dry-run --json), its schema versioned
 * ("version": 1) and documented in nook-run(1). Returns 0, or -1 if the writer was misused.
 */
int spec_print_json(const struct spec *s, FILE *out);
/* Free what H holds (spec_free does for a spec's). */
void oci_hooks_free(struct oci_hooks *h);

/* The names of the enums' values, as options take them and --dry-run prints them. */
extern const struct enum_name userns_mode_names[];
extern const struct enum_name userns_pool_names[];
extern const struct enum_name mount_kind_names[];
extern const struct enum_name net_mode_names[];
extern const struct enum_name ipc_mode_names[];
extern const struct enum_name overlay_driver_names[];
extern const struct enum_name overlay_part_names[];
extern const struct enum_name seccomp_action_names[];
extern const struct enum_name rlimit_names[]; /* "nofile", as in --rlimit-nofile */
extern const struct enum_name terminal_mode_names[];
extern const struct enum_name pty_choice_names[];
extern const struct enum_name socket_family_names[]; /* "unix", as --protocol takes them */
extern const struct enum_name namespace_names[];     /* CLONE_NEW* flags: "user", "mount", ... */
extern const struct enum_name mount_flag_names[];    /* MOUNT_F_* flags: "ro", "nosuid", ... */
extern const struct enum_name dbus_mode_names[];
/* The runtime-spec's names: "SCMP_ACT_ERRNO", "SCMP_CMP_EQ", "SCMP_ARCH_X86_64", ... */
extern const struct enum_name oci_seccomp_action_names[];
extern const struct enum_name oci_seccomp_op_names[];
extern const struct enum_name oci_seccomp_arch_names[];
extern const struct enum_name oci_seccomp_flag_names[];
extern const struct enum_name oci_hook_stage_names[]; /* "prestart", "createRuntime", ... */
#define userns_mode_name(m) enum_to_name(userns_mode_names, (int)(m))
#define mount_kind_name(k) enum_to_name(mount_kind_names, (int)(k))
#define rlimit_name(r) enum_to_name(rlimit_names, (r))

#endif
