/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_OCI_H
#define NOOK_CLI_OCI_H

/*
 * nook oci: the OCI runtime's command line (oci.c) and its containers' state (oci_state.c).
 * One directory a container under the root (--root): ROOT/ID/state.json, written whole and
 * renamed into place, ROOT/ID/config.json, the bundle's config as create read it (what exec
 * builds the container's confinement from again, and start and delete its hooks), and
 * ROOT/ID/exec.fifo while the container is created and not started (with started.fifo, on
 * which its process says start may return).
 * Every command that changes a container holds the flock of ROOT/ID.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "request/request.h"
#include "sandbox/oci.h"
#include "util/json_read.h"
#include "util/strv.h"

#define OCI_ID_MAX 1024
#define OCI_FIFO "exec.fifo"
/* The container's process writes it at its exec, after the startContainer hooks. */
#define OCI_STARTED "started.fifo"
#define OCI_STATE "state.json"
#define OCI_CONFIG "config.json"

enum oci_status { OCI_CREATED, OCI_RUNNING, OCI_STOPPED };

struct oci_container {
	char *id;
	int dir;        /* ROOT/ID, locked when opened for a change */
	pid_t pid;      /* the container's process, in the pid namespace of its create */
	uint64_t start; /* its start time (/proc/PID/stat), which tells it from a reuse */
	char *bundle;
	char *created;     /* RFC 3339, UTC */
	struct jnode *doc; /* the whole state.json; its "annotations" are the config's */
};

/* A valid ID: 0; else -1 with a message printed. */
int oci_id_check(const char *id);
/* The root directory, made (0700) if needed; the fd, or -1 with a message printed. */
int oci_root_open(const char *root);
/*
 * ROOT/ID made (exclusively: an existing ID is an error) and locked. The fd, or -1 with a
 * message printed.
 */
int oci_dir_create(int root, const char *id);
/* Remove ROOT/ID and what nook put in it. */
void oci_dir_remove(int root, const char *id, int dir);
/*
 * Open ROOT/ID (locked with LOCK) and read its state into c: 0; -1 with a message printed
 * ("container ID does not exist").
 */
int oci_open(int root, const char *id, bool lock, struct oci_container *c);
void oci_close(struct oci_container *c);
/* Write the state (pid, bundle, the config's annotations) atomically into DIR. */
int oci_state_write(int dir, const char *id, pid_t pid, const char *bundle,
		    const struct jnode *annotations);
/* The config create read, as it read it, into DIR (0600): 0; -1 with errno. */
int oci_config_write(int dir, const char *text, size_t len);
/* A new file NAME in DIR (0600) holding TEXT: 0; -1 with errno. */
int oci_file_write(int dir, const char *name, const char *text, size_t len);
/* What the profile files of run.nook.profile held at create, for exec to compare. */
#define OCI_PROFILE_SUM "profile.sum"
enum oci_status oci_status(const struct oci_container *c);
const char *oci_status_name(enum oci_status s);
/* The runtime-spec state of c as one JSON line. */
void oci_state_print(const struct oci_container *c, FILE *out);
/* What c's state is made of (pointers into c), for its hooks. */
struct oci_state_doc oci_state_doc(const struct oci_container *c);

/* oci.c, for the commands in other files: the log, and what every command does. */
__attribute__((format(printf, 2, 3))) void oci_logf(const char *level, const char *fmt, ...);
/*
 * The directory of the compiled programs of configs' filters, in the root (a dot first: no
 * container's id), which sandbox/seccomp_oci.c makes and checks.
 */
#define OCI_SECCOMP_CACHE ".seccomp"
char *oci_cli_seccomp_cache(void);
/* The root, opened, or exit. */
int oci_cli_root(void);
/* --preserve-fds ARG of CMD: a count of fds from 3, each open; or die naming them. */
unsigned oci_cli_preserve_fds(const char *cmd, const char *arg);
/* argv[first], the only argument left, a valid id; or exit. */
const char *oci_cli_id(int argc, char **argv, int first, const char *cmd);
/* The whole of PATH (at most 4 MiB, NUL-terminated) or die. */
char *oci_cli_read(int dir, const char *path, size_t *len);
void oci_cli_pid_file(const char *path, pid_t pid);
/* The engine's console socket, connected, or die. */
int oci_cli_console(const char *path);
/* Open ID (locked with LOCK) or exit. */
void oci_cli_open(const char *id, struct oci_container *c, bool lock);
/* The container's process, as a pidfd, if it is still the one create started; else -1. */
int oci_cli_pidfd(const struct oci_container *c);
/*
 * oci_profile.c: the profile the annotation run.nook.profile names, read into RO (always
 * initialised; the caller frees it) against the facts of CONFIG's container, its warnings
 * into NOTES. Returns 1; 0 without the annotation; -1 with the reason in ERR, naming the
 * annotation and the profile's FILE:LINE.
 */
int oci_profile_read(const struct jnode *config, const char *bundle, struct request *ro,
		     struct strv *notes, char *err, size_t errlen);
/* One line a file PROFILE read: its path and a checksum of what it holds (OCI_PROFILE_SUM). */
char *oci_profile_sum(const struct request *profile);
/* oci_exec.c */
int oci_cmd_exec(int argc, char **argv);
int oci_cmd_ps(int argc, char **argv);

#endif
