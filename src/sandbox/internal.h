/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SANDBOX_INTERNAL_H
#define NOOK_SANDBOX_INTERNAL_H

/* The steps of the launcher, one file each. Each dies with one "nook: ..." line on failure. */

#include <linux/filter.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdnoreturn.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#include "spec.h"

/*
 * launch.c: the signals nook passes on to the payload, plus SIGCHLD: blocked, and taken by
 * sigwaitinfo, in the monitor and in pid 1.
 */
void sandbox_signal_set(sigset_t *set);
/*
 * Has pid 1 (its pidfd) ended, or does it end within timeout_ms? A network helper that failed
 * because pid 1 failed first (its namespace went with it) is not reported: pid 1 said why.
 */
bool sandbox_child_gone(int pidfd, int timeout_ms);
#define CHILD_GONE_MS 500

/*
 * launch.c: clone with FLAGS like fork, a pidfd of the child in *pidfd (clone3, else clone:
 * see there). Also oci_launch.c's.
 */
pid_t clone_raw(uint64_t flags, int *pidfd);

/*
 * slirp.c, in the monitor: start slirp4netns for the child and publish ports; stop it. While
 * it comes up pid 1 makes its mounts: false when pid 1 ended meanwhile (CHILD_PIDFD), which
 * said why (no helper failure is reported then).
 */
bool slirp_start(pid_t child, int child_pidfd, const struct net_spec *n);
void slirp_stop(void);

/* pasta.c, in the monitor: start pasta for the child, with its published ports; stop it. */
bool pasta_start(pid_t child, int child_pidfd, const struct net_spec *n);
void pasta_stop(void);

/* cache.c, in the monitor: make each cache, hold its lock shared until nook exits. */
void caches_hold(const struct spec *s);
/*
 * dbus_proxy.c, in the monitor: the directory of the proxy's sockets (before the clone);
 * start xdg-dbus-proxy for the filtered buses (right after it), wait until its sockets
 * listen (before pid 1 mounts), stop it. In pid 1: the tree of a MOUNT_DBUS_PROXY.
 */
void dbus_proxy_prepare(const struct spec *s);
void dbus_proxy_start(const struct spec *s);
void dbus_proxy_wait(void);
void dbus_proxy_stop(void);
int dbus_proxy_tree(const struct mount_op *m);

/* overlay.c: a named overlay's directories and lock (monitor); the root overlay (pid 1). */
void overlay_prepare(const struct spec *s);
void overlay_lock_park(void);
int overlay_lock_keep(int at);
int overlay_root(const struct spec *s, const struct mount_op *root, const char *staging,
		 bool *attached);

/*
 * mountfd.c: the fd-based mount API for mounts.c and overlay.c. Each dies naming m->origin;
 * mount_clone_tree returns -1 only for an optional source that is absent.
 */
int open_in_root(int root, const char *path, int flags);
uint64_t mount_attrs(unsigned flags);
/* The mount FD is on has every one of the spec's FLAGS (MOUNT_F_*: ro, nosuid, ...) already. */
bool mount_has_flags(int fd, unsigned flags);
void mount_set_source(int fs, const struct mount_op *m);
int mount_new_fs(const struct mount_op *m, const char *type);
int mount_clone_tree(const struct mount_op *m);
void mount_attach(int tree, int target, const struct mount_op *m);
/* FD is on a tmpfs this sandbox made (mount_new_fs): gone with it, unlike a host's tmpfs. */
bool on_own_tmpfs(int fd);

/*
 * dirnames.c: true when PATH surely does not exist inside ROOT, from a listing of its
 * directory; false: look it up, and tell dirnames_missed() when that found nothing (two
 * such misses in a directory have it listed). dirnames_forget() whenever a name may have
 * been made inside ROOT since.
 */
bool dirnames_absent(int root, const char *path);
void dirnames_missed(const char *path);
void dirnames_forget(void);

/*
 * traces.c: what pid 1 creates on filesystems that outlive the sandbox (mount points,
 * placeholders) is noted, sent to the monitor, and removed by it once the sandbox is gone.
 */
void traces_announce(int dirfd, const char *name);
void traces_note(int dirfd, const char *name);
/*
 * Keep NAME in PDIR for as long as pid 1 lives: a shared lock that every guard respects (the
 * last sandbox out removes a placeholder, never one still under another's mask). CREATED: we
 * made it (it gets nook's mark); else it is adopted when it bears the mark, and TARGET (a
 * mount goes on it) is locked anyway where marks cannot be told. 0; -1 with EAGAIN: it was
 * removed meanwhile, the caller starts again.
 */
enum trace_use { TRACE_PATH, TRACE_TARGET, TRACE_CREATED };
int traces_hold(int pdir, const char *name, enum trace_use use);
void traces_remove(int sock);
/*
 * In the monitor, when pid 1 may leave traces: a process of its own that removes them once
 * pid 1 is gone, also when nook is killed with SIGKILL. Returns its pid; 0 when none is
 * needed; -1 when it could not start (then the monitor removes them itself).
 */
pid_t traces_guard(const struct spec *s, int sock, int pidfd);

/* instance.c: refuse to start (exit 125, one line) while PROGRAM holds its lock outside nook. */
void instance_check(const struct spec *s);
/*
 * The monitor's own traces (slirp4netns's API directory and socket) go the same way: between
 * begin (the socket's sending end) and end, traces_note_host(DIR, NAME) sends DIR/NAME.
 */
void traces_host_begin(int sock);
void traces_announce_host(const char *dir, const char *name);
void traces_note_host(const char *dir, const char *name);
void traces_host_end(void);

/* mounts.c, in the child: build the root and pivot into it. */
void mounts_build(const struct spec *s);
/*
 * mounts_build in two steps, for an OCI container's createContainer hooks, which run between
 * them: the new root built and attached at STAGING, our root still the old one (its fd);
 * then pivot_root into it (the fd closed).
 */
int mounts_stage(const struct spec *s);
void mounts_enter_root(int root);

/* net.c, in the child. */
bool net_loopback_try(void);
void net_loopback_up(void);
void net_tap_create(const char *name, const char *what);
void net_reject_route(const char *addr);
/* net.c, in the monitor: whether a publish failed because its host port is taken. */
bool net_port_in_use(const struct publish_spec *p);

/*
 * caps.c: keep exactly the capabilities in KEEP (bit n = capability n), in every set.
 * caps_bound_to: only the bounding set, down to KEEP (what is dropped stays known dropped).
 */
int caps_apply(uint64_t keep, bool ambient);
int caps_bound_to(uint64_t keep);
/* Each set as given (an OCI config's); the ambient ones must be permitted and inheritable. */
int caps_apply_sets(uint64_t bounding, uint64_t effective, uint64_t permitted, uint64_t inheritable,
		    uint64_t ambient);
int no_new_privs(void);

/*
 * seccomp.c: compile the filter to BPF (empty when disabled); load it (needs no_new_privs).
 * seccomp_compiled_already: the filter without compiling (disabled, or the prebuilt one),
 * false when libseccomp must compile it.
 */
struct sock_fprog;
void seccomp_compile(const struct seccomp_spec *s, struct sock_fprog *prog);
bool seccomp_compiled_already(const struct seccomp_spec *s, struct sock_fprog *prog);
void seccomp_compile_libseccomp(const struct seccomp_spec *s, struct sock_fprog *prog);
char *seccomp_key(const struct seccomp_spec *s);
/* seccomp_prebuilt.c: the filter compiled at build time for this key, if it is that one. */
bool seccomp_prebuilt(const char *key, struct sock_fprog *prog);
void seccomp_install(const struct sock_fprog *prog);
/*
 * seccomp_oci.c: an OCI config's own filter (linux.seccomp) to BPF, empty when there is none.
 * The filters of an OCI container's process: the config's and nook's own (s->seccomp),
 * compiled; loaded in that order, the config's with its flags. Without no_new_privs loading
 * needs CAP_SYS_ADMIN (oci_confine() orders it).
 */
/*
 * seccomp.c: the program of the libseccomp filter CTX (released), in a new array with PREFIX
 * instructions free at its start for the caller's; *N: the program's length.
 */
struct sock_filter *seccomp_export(void *ctx, size_t prefix, size_t *n);
void seccomp_oci_compile(const struct oci_seccomp *sc, struct sock_fprog *prog);
/* The same, the program taken from (else kept in) the directory CACHE when not NULL. */
void seccomp_oci_compile_cached(const struct oci_seccomp *sc, const char *cache,
				struct sock_fprog *prog);
struct oci_filters {
	struct sock_fprog config;
	struct sock_fprog nook;
	bool nook_allocated; /* not the prebuilt program */
};
void oci_filters_compile(const struct spec *s, struct oci_filters *f);
void oci_filters_free(struct oci_filters *f);
void oci_filters_load(const struct spec *s, const struct oci_filters *f);
/*
 * seccomp_prologue.c: BPF to run before libseccomp's program, for what it cannot say: the
 * numbers it does not know (ENOSYS above the known ones, the user's numbers) and AF_VSOCK;
 * DENY and DENY_FAMILY are the actions for a denied call and a denied socket family. Empty
 * (len 0) when there is nothing to say.
 */
void seccomp_prologue(const struct seccomp_spec *s, uint32_t deny, uint32_t deny_family,
		      struct sock_fprog *prog);

/*
 * oci_launch.c, in an OCI container's process or one exec starts there: a pty of the
 * container's devpts made the controlling terminal on fds 0-2, its master sent on CONSOLE (the
 * engine's console socket, connected), which is closed.
 */
void oci_console_open(const struct spec *s, int console);
/*
 * oci_launch.c: the last steps before the exec of an OCI container's process, or of one exec
 * starts there: no_new_privs if the config asks for it, the filters F, payload_confine(). With
 * no_new_privs the filters come last, so that as few of the runtime's calls as can be go
 * through them; without, before the capabilities are dropped, as loading needs CAP_SYS_ADMIN.
 */
void oci_confine(const struct spec *s, const struct oci_filters *f);
/* oci_launch.c: process.oomScoreAdj into /proc/self/oom_score_adj, or die. */
void write_oom_score_adj(int value);

/* landlock.c, in the payload: scope it as the spec says (abstract unix sockets). */
void landlock_apply(const struct spec *s);

/*
 * pty.c: the payload's session and terminal (s->terminal). The monitor reads the caller's
 * terminal before the clone (pty_capture); pid 1 opens a pty of the sandbox's devpts with
 * those modes and sends both ends over sock, unless it is -1 (pty_open); the payload makes it its controlling
 * terminal (pty_payload); pid 1 drops the caller's terminal (pty_init_fds).
 */
struct pty_term {
	bool have_termios;
	struct termios termios; /* the caller's terminal's modes, the pty's first ones */
	struct winsize winsize;
	bool echo; /* input is typed: stdin is a terminal */
};
void pty_capture(const struct spec *s, struct pty_term *t);
void pty_open(const struct pty_term *t, int sock, int *master, int *slave);
void pty_payload(const struct spec *s, int master, int slave);
void pty_init_fds(const struct spec *s, int master, int slave);

/*
 * pty.c, in the monitor: relay the pty and the caller's fds. pty_relay_new() adds the signals
 * it handles to set (and blocks them); pty_relay_poll() fills PTY_RELAY_FDS entries and
 * returns poll's timeout; pty_relay_io() acts on them; pty_relay_signal() takes SIGWINCH,
 * SIGTSTP and SIGCONT; pty_relay_finish() passes on what the payload wrote last and gives
 * the caller's terminal back as it was.
 */
#define PTY_RELAY_FDS 3
struct pty_relay;
struct pty_relay *pty_relay_new(const struct spec *s, int sock, sigset_t *set);
int pty_relay_poll(struct pty_relay *r, struct pollfd *p);
void pty_relay_io(struct pty_relay *r, const struct pollfd *p);
bool pty_relay_signal(struct pty_relay *r, int sig);
void pty_relay_finish(struct pty_relay *r);

/*
 * init.c: the child after the maps are written; becomes pid 1. pty_sock: its end of the
 * socket to the monitor for TERMINAL_PTY, else -1. monitor_ready: where the monitor says that
 * its work during the mounts is done (a byte; EOF: it failed): slirp4netns or pasta is up, a
 * generated name's namespaces are held; read before pid 1 hardens and the payload starts;
 * -1: no such work. status_fd: where it writes the payload's exit status (an int, as nook
 * exits with it) once every other process of the sandbox is gone, before its own exit tears
 * the namespaces down.
 */
noreturn void init_main(const struct spec *s, const struct sock_fprog *filter,
			const struct pty_term *term, int pty_sock, int traces_sock,
			int monitor_ready, int status_fd);
/* In the payload, before its exec: wait until pid 1 has dropped its privileges. */
void init_wait_hardened(void);

/*
 * The user namespace pool, in the monitor (userns_join.c): a namespace of the pool for the
 * maps, checked (dies when a check fails), from the answer to userns_pool_ask if it asked
 * for these maps, or -1 (none: the plain path, also without s->userns_pool; *start: no pool
 * answered, start one once the sandbox runs); with it, when the spec has a network namespace
 * of its own, *NETNS: a new one that namespace owns (checked too). userns_pool_check_maps:
 * the maps pid 1 (INIT) joined are the spec's, or dies. userns_pool.c: the key the pool
 * knows a namespace by (the maps and their helpers; NET: with a network namespace).
 */
struct idmap_request;
int userns_pool_take(const struct spec *s, const struct idmap_request *maps, bool *start,
		     int *netns);
void userns_pool_start(const struct spec *s, const struct idmap_request *maps);
void userns_pool_check_maps(const struct spec *s, pid_t init);
char *userns_pool_key(const struct idmap_request *r, bool net);

/* user.c: --user's uid, gid and groups, before the capabilities are dropped. */
void user_switch(const struct spec *s);

/*
 * exec.c: the payload's last steps. payload_confine(): its signal mask, working directory,
 * --user, capabilities, rlimits, Landlock and W^X; payload_exec(): its environment and
 * program, and the exit status when that cannot be run. exec_payload() is both, with the
 * wait for pid 1's hardening and the fds above 2 closed in between.
 */
void payload_confine(const struct spec *s);
noreturn void payload_exec(const struct spec *s);
noreturn void exec_payload(const struct spec *s);

/*
 * state.c, in the monitor: a named sandbox's entry (sandbox/state.h), reserved first of all
 * (0, or SANDBOX_NAME_TAKEN with s->join_or_start; dies when the name is taken), a generated
 * name's only when its keeper is due; pid 1's namespaces, held right after the clone, while
 * pid 1 can still be joined (state_hold), a generated name's after the go (state_hold_late,
 * best effort: without them the sandbox has no state; state_late: pid 1 waits for it before
 * it stops being dumpable); its keeper, started by the monitor's wait once the sandbox has
 * lived a while (state_keeper_due: ms until then, for poll; -1 when there is none to
 * start), else never; what it would hold let go once the sandbox has ended
 * (state_sandbox_ended); the entry removed at the end. In pid 1: the payload's end of the
 * report socket kept through close_inherited (park, then keep at AT: returns the next fd);
 * the payload reports itself after the fork, pid 1 closes its end. pidfd_open_ns: the
 * namespace FLAG (a CLONE_NEW* flag) of process PID, whose pidfd is PIDFD; -1 with errno.
 */
int state_reserve(const struct spec *s);
void state_hold(pid_t init, int init_pidfd);
void state_hold_late(void);
bool state_late(void);
int pidfd_open_ns(pid_t pid, int pidfd, int flag);
int state_keeper_due(const struct spec *s);
void state_sandbox_ended(void);
void state_finish(void);
void state_report_park(void);
int state_report_keep(int at);
void state_report_payload(void);
void state_report_close(void);

/*
 * store.c: the entries of a state directory: DIR/NAME, the lock and the state, and the
 * keeper's socket DIR/.NAME (store_socket_name). store_remove() needs the entry's lock held.
 */
int store_entry_open(int dir, const char *name);
void store_socket_name(const char *name, char *buf, size_t len);
int store_alive(int dir, const char *name);
void store_remove(int dir, const char *name, int entry);
char *store_read_entry(int entry, size_t *len);

/* keeper.c: the keeper of a named sandbox; its pid, or -1. */
struct keeper_fds {
	int dir, entry; /* the state directory, the entry (its lock held) */
	int report;     /* the payload's report arrives on it */
	int listen;     /* the socket enter and stop ask on (DIR/.NAME) */
	int init_pidfd, monitor_pidfd;
	pid_t init;        /* pid 1, on the host */
	uint64_t ns_flags; /* CLONE_NEW* of ns[], in the order of namespace_names */
	int ns[8];         /* STATE_NS_MAX of sandbox/state.h */
};
pid_t keeper_start(const struct spec *s, const char *name, const struct keeper_fds *f);
/* The keeper's socket DIR/.NAME, bound and listening (by the monitor: it removes it). */
int keeper_listen(int dir, const char *name);
/* Field 22 of /proc/PID/stat. 0, or -1: gone (a zombie too). */
int proc_start_time(pid_t pid, uint64_t *start);
/* Is the peer of a unix socket a process of the caller's, outside every sandbox? */
bool state_peer_trusted(int sock);

#endif
