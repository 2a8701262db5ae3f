/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_HOST_FACTS_H
#define NOOK_HOST_FACTS_H

/*
 * The facts about this machine and its caller that the request and policy layers depend on.
 * host_facts_read() is the one place that reads the environment, the passwd entry and the
 * filesystem for helpers; everything above receives its answers, so the unit tests can hand
 * in facts of their own.
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/strv.h"

struct host_facts {
	uid_t uid;
	gid_t gid;
	char *username;           /* NULL when the uid has no passwd entry */
	char *cwd;                /* NULL when unknown */
	char *home;               /* $HOME if absolute, else the passwd entry's; NULL: none */
	char **environ;           /* the caller's environment (not owned) */
	char *path;               /* $PATH, or a default: profiles' ${PATH} */
	char *runuser;            /* /run/user/UID, the session's runtime directory */
	char *hostname;           /* the host's name (uname): the sandbox's by default */
	char *nook_runtime_dir;   /* $XDG_RUNTIME_DIR/nook for nook's own sockets; NULL: none */
	char *state_dir;          /* the running sandboxes' states: see host_state_dir() */
	struct strv state_names;  /* the sandbox names in it, live or not: host_state_names_read */
	char *config_home;        /* $XDG_CONFIG_HOME or ~/.config: ${CFG}; NULL: no home */
	char *files_root;         /* where ${CFG}'s files are read: an image's root; NULL: / */
	char *config_dir;         /* $XDG_CONFIG_HOME/nook or ~/.config/nook; NULL: no home */
	char *data_dir;           /* $XDG_DATA_HOME/nook or ~/.local/share/nook; NULL: no home */
	char *data_home;          /* $XDG_DATA_HOME or ~/.local/share; NULL: no home */
	char *data_dirs;          /* $XDG_DATA_DIRS, or /usr/local/share:/usr/share */
	char *profile_user_dir;   /* config_dir/profiles; NULL: no home */
	char *profile_system_dir; /* $NOOK_PROFILE_DIR, or see host_profile_system_dir() */
	char *subuid_path;        /* /etc/subuid, or $NOOK_SUBUID_FILE */
	char *subgid_path;
	char *newuidmap; /* full path, or NULL when not installed */
	char *newgidmap;
	bool no_new_privs;   /* set on nook (inside a sandbox): no setuid helper works */
	bool in_nook;        /* inside a nook sandbox: HOST_NOOK_MARKER is there */
	bool helpers_nosuid; /* newuidmap or newgidmap is on a nosuid mount */
	char *slirp4netns;
	char *pasta; /* package passt */
	char *fuse_overlayfs;
	bool fuse_dev; /* /dev/fuse may be opened (not in a nested sandbox, whose /dev has none) */
	char *xdg_dbus_proxy;
	char *resolv_conf;  /* where /etc/resolv.conf leads (realpath), or NULL */
	int ngroups;        /* supplementary groups the caller has, besides its own */
	uint64_t nproc_max; /* the hard RLIMIT_NPROC: a default limit cannot exceed it */
	int landlock_abi;   /* Landlock's ABI version; 0: none */
	unsigned tty_fds;   /* bit n set: nook's fd n (0, 1, 2) is a terminal */
};

/*
 * The file every nook sandbox has (a read-only file mount on the sandbox's own /dev, which is
 * nook's tmpfs over the host's root and in an image alike), by which a program tells it runs
 * in nook, as /run/.containerenv tells podman's. On the host /dev is root's: the user cannot
 * create it there, so nothing the user or a sandboxed program leaves behind can fake it.
 */
#define HOST_NOOK_MARKER "/dev/.nook"

/* The Landlock ABI that scopes abstract unix sockets (LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET). */
#define LANDLOCK_ABI_SCOPE 6

/* The kernel's Landlock ABI version, or -errno (ENOSYS: not built in; EOPNOTSUPP: disabled). */
int host_landlock_abi(void);

void host_facts_read(struct host_facts *h);
/*
 * The system's profile directory: ENV_DIR ($NOOK_PROFILE_DIR) when it is absolute; else the
 * source tree's profiles/ when EXE (nook's own file) lies in the build directory it was built
 * in, so that ./build/nook finds the profiles of its checkout; else SYSCONFDIR/nook/profiles,
 * as installed.
 */
char *host_profile_system_dir(const char *env_dir, const char *exe);
/* Is this process inside a nook sandbox (a read-only regular file at HOST_NOOK_MARKER)? */
bool host_in_nook(void);
/*
 * Where nook keeps the states of the caller's running sandboxes (nook list, enter, stop):
 * $XDG_RUNTIME_DIR/nook/sandboxes, else /run/user/UID/nook/sandboxes when that directory is
 * the caller's (a login without XDG_RUNTIME_DIR: su, cron, a CI runner); NULL: neither.
 */
char *host_state_dir(uid_t uid);
/*
 * h->state_names from the state directory: only where a generated name is shown (--dry-run).
 * A run takes the next free name when its keeper starts (sandbox/state.c), not before.
 */
void host_state_names_read(struct host_facts *h);
/* A variable of the caller's environment, or NULL. */
const char *host_getenv(const struct host_facts *h, const char *name);
void host_facts_free(struct host_facts *h);

/*
 * The helper NAME in the fixed system directories, or NULL. Not $PATH: newuidmap and
 * newgidmap are setuid and trusted, so nothing the caller sets may choose them; nook doctor
 * asks here too, so it approves exactly what the launcher will run.
 */
char *host_find_helper(const char *name);
/* Is PATH (not followed if a link) a device node of TYPE ('c' or 'b') MAJOR:MINOR? */
bool host_has_device(const char *path, char type, unsigned major, unsigned minor);
/* The directories host_find_helper() searches, NULL-terminated, for messages. */
extern const char *const host_helper_dirs[];

#endif
