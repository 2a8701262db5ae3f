/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_REQUEST_H
#define NOOK_REQUEST_H

/*
 * What the user asked for, as written: filled by the option table from the command line and
 * from profiles, before any defaults or facts of the machine. Values are kept raw ("~/x",
 * relative paths); the policy layer expands them with the host's facts and decides
 * precedence from the origin each entry carries. Nothing here reads the environment.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"
#include "util/strv.h"

/* Where a value came from: "--bind", or "FILE:LINE" of a profile. */
struct origin {
	const char *where;
	bool cli; /* the command line: a profile cannot undo it */
};

/* A value of a list with its origin. */
struct req_value {
	char *value;
	char *origin;
	bool cli;
};

struct req_list {
	struct req_value *v;
	size_t n, cap;
};

void req_list_push(struct req_list *l, const char *value, const struct origin *o);
void req_list_free(struct req_list *l);
/* The values joined with '|', for tests and messages; a static buffer. */
const char *req_list_str(const struct req_list *l);

struct fs_request {
	struct req_list blacklist, noblacklist;
	struct req_list whitelist, whitelist_ro, nowhitelist;
	struct req_list read_only, read_write, noexec;
	struct req_list mkdir, mkfile;
	bool private_home;
	char *private_dir; /* private DIR: DIR is the home */
	bool private_cache;
	bool private_etc_set;
	struct strv private_etc; /* names under /etc kept */
	char *dns;
	int x11; /* 0: as it is, 1: x11, -1: x11 none */
	bool nosound, nodbus, machine_id, wayland;
};

/* A D-Bus bus: --dbus-user and its rules --dbus-user.own=NAME, ... (or --dbus-system's). */
struct dbus_request {
	struct req_list mode;            /* each "none", "filter" or "allow" given, in order */
	struct req_list own, talk, see;  /* NAME, or NAME.* for it and the names below it */
	struct req_list call, broadcast; /* NAME=RULE */
};

struct net_request {
	bool mode_set;
	enum net_mode mode;
	bool host_loopback;
	struct publish_spec *publish;
	size_t npublish;
};

struct overlay_request {
	bool mode_set;
	enum overlay_mode mode;
	char *name;
	enum overlay_driver driver;
};

/* One --caps-keep or --caps-drop (a profile's caps.keep, caps.drop), with its origin. */
struct caps_edit {
	bool keep; /* the set becomes mask; else mask is taken out of it */
	uint64_t mask;
	char *value;  /* as written: "all", "chown,net_raw" */
	char *origin; /* "--caps-drop", or FILE:LINE */
	bool cli;
};

struct security_request {
	/*
	 * The last --seccomp=MODE or "seccomp MODE" ("off" or "default"), where it was given:
	 * the policy lets only the command line's turn the default filter off. NULL: not given.
	 */
	struct req_value seccomp;
	struct strv seccomp_drop;  /* deny these too */
	struct strv seccomp_allow; /* take these out of the default list */
	enum seccomp_action action;
	bool allow_userns;
	bool allow_secondary_arch;
	bool mdwe;
	uint64_t protocols;     /* 0: not restricted */
	struct caps_edit *caps; /* --caps-keep, --caps-drop, in the order given */
	size_t ncaps;
	struct rlimit_spec rlimits[RLIMITS_MAX];
	size_t nrlimits;
};

struct request {
	enum userns_mode userns;
	bool userns_cli; /* the command line's --userns set it: a profile cannot undo it */
	enum userns_pool_choice userns_pool;
	char *user;              /* --user: USER[:GROUP] as given, names or numbers */
	char *rootfs;            /* NULL: the host's "/"; as given */
	struct mount_op *mounts; /* --bind, --ro-bind, --tmpfs in the order given; src as given */
	size_t nmounts;
	char *hostname;
	enum ipc_mode ipc;  /* --ipc, a profile's ipc */
	char *ipc_where;    /* ... where it was set: "--ipc", or a profile's FILE:LINE */
	bool ipc_cli;       /* ... on the command line: it holds without the X display */
	char *name;         /* --name: the sandbox's name (nook list, enter, stop) */
	bool name_cli;      /* ... given on the command line (not a profile's) */
	bool join_or_start; /* --join-or-start: enter the live sandbox of that name, if any */
	char *chdir;
	struct strv env_edits;     /* "KEY=VALUE" sets, "KEY" unsets, applied in order */
	bool clearenv;             /* start from an empty environment */
	struct strv env_keep;      /* names kept from the caller's environment, never removed */
	struct req_list env_files; /* --env-file, as given */
	struct strv env_file_sets; /* their "KEY=VALUE" lines, read by the command (cli/run.c) */
	bool keep_groups;          /* keep the caller's supplementary groups */
	char *tmpfs_size;          /* --tmpfs-size: of /tmp, --tmpfs, private homes */
	char *shm_size;            /* --shm-size: of /dev/shm */
	unsigned timeout;          /* --timeout: wall-clock seconds; 0: none */
	char *single_instance;     /* --single-instance: PROGRAM's lock (HOST-PID), as given */
	enum pty_choice pty;       /* --pty */
	struct security_request sec;
	struct net_request net;
	struct overlay_request overlay;
	struct fs_request fs;
	struct req_list caches; /* --cache: "NAME:PATH" as given (checked), in order */
	struct dbus_request dbus_user, dbus_system;
	char *profile;             /* --profile */
	char *profile_path;        /* the profile file that was read, if any */
	struct strv profile_files; /* every file it read: itself, then includes as they came */
	/*
	 * Every directive a profile applied, as the option it names ("caps-drop"), with its
	 * FILE:LINE: the OCI runtime applies some and says of each other one that it did not
	 * (only its loads note them: profile_loader.directives).
	 */
	struct req_list profile_directives;
	/*
	 * The profile read is firejail's (it lies in a firejail profile directory): it gets
	 * firejail's defaults, the display and the network, unless it says otherwise.
	 */
	bool profile_firejail;
	bool noprofile;
	bool strict_profile;
	bool quiet;
	bool dry_run;
	bool json; /* --json: --dry-run prints the spec as JSON */
	struct strv argv;
};

void request_init(struct request *ro);
void request_free(struct request *ro);

/*
 * The request as a blob, and back (request_blob.c): every field. request_from_blob returns
 * -1 for a blob that is not one (ro is then empty).
 */
struct blob_out;
struct blob_in;
void request_to_blob(const struct request *ro, struct blob_out *b);
int request_from_blob(struct blob_in *b, struct request *ro);

#endif
