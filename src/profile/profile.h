/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_PROFILE_H
#define NOOK_PROFILE_H

/*
 * Profiles: firejail's line language, read into the same request the command line fills,
 * through the same option table: "X ARG" in a profile means --X=ARG. Nothing here makes a
 * system call beyond reading files.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host/facts.h"
#include "request/request.h"
#include "util/strv.h"

/* firejail's system directory of profiles: what lies below it is firejail's. */
#define PROFILE_FIREJAIL_DIR "/etc/firejail"

/* What a profile is read against: the host's facts, and its ?CONDITIONs. */
struct profile_env {
	const struct host_facts *host; /* home, ${PATH}, the profile directories, ... */
	const char *firejail_dir;      /* PROFILE_FIREJAIL_DIR (the unit tests give their own) */
	bool has_x11, has_wayland, has_net, has_nodbus, has_nosound, has_private;
};

/*
 * A file a load looked for (an include's candidates) or read, as it was: what the profile
 * cache checks is still so before it takes a load's result instead of loading.
 */
struct profile_probe {
	char *path;
	bool found; /* a regular file (else: none there, or not a file) */
	uint64_t dev, ino, size;
	int64_t mtime_ns, ctime_ns;
};

struct profile_probes {
	struct profile_probe *v;
	size_t n;
};

void profile_probes_free(struct profile_probes *p);
/* Is P so now? */
bool profile_probe_holds(const struct profile_probe *p);

struct profile_loader {
	struct request *ro;
	const struct profile_env *env;
	bool strict; /* --strict-profile: unsupported directives are errors */
	bool lint;   /* nook profile check: unknown directives are errors too */
	FILE *diag;  /* where "file:line: message" goes */
	int errors;
	int warnings;
	struct strv ignored;           /* "ignore X" */
	struct strv stack;             /* files being read, against include loops */
	struct strv loaded;            /* every file read, for nook profile show */
	struct profile_probes *probes; /* where to note each file looked for or read; NULL */
	bool directives; /* note each directive applied in ro->profile_directives (nook-oci) */
};

/* The facts, and the conditions the caller's environment answers (?HAS_X11, ?HAS_WAYLAND). */
void profile_env_init(struct profile_env *e, const struct host_facts *h);

void profile_loader_init(struct profile_loader *l, struct request *ro,
			 const struct profile_env *env);
void profile_loader_free(struct profile_loader *l);

/*
 * Read a profile into l->ro. Returns 0, or -1 when it had errors (each already reported).
 * Sets l->ro->profile_firejail when the file is firejail's (profile_is_firejail).
 */
int profile_load(struct profile_loader *l, const char *path);

/*
 * Is the profile at path firejail's? It is when the file, its symbolic links resolved, lies
 * below one of firejail's own directories of profiles: env->firejail_dir (/etc/firejail) or
 * the user's ~/.config/firejail (firejail's, whatever XDG_CONFIG_HOME says). Only the file
 * a run starts from counts: a profile of nook's that includes one of firejail's is nook's.
 */
bool profile_is_firejail(const struct profile_env *env, const char *path);

/*
 * The file of a profile: NAME with a '/' is a path; otherwise NAME.profile in the user's
 * directory, then the system's. Returns NULL when there is none.
 */
char *profile_find(const struct profile_env *env, const char *name);

/* Fill env's conditions from what the command line asked for. */
void profile_env_conditions(struct profile_env *e, const struct request *cli);

#endif
