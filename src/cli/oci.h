/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_CLI_OCI_H
#define NOOK_CLI_OCI_H

/*
 * nook oci: the OCI runtime's command line (oci.c) and its containers' state (oci_state.c).
 * One directory a container under the root (--root): ROOT/ID/state.json, written whole and
 * renamed into place, and ROOT/ID/exec.fifo while the container is created and not started.
 * Every command that changes a container holds the flock of ROOT/ID.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "util/json_read.h"

#define OCI_ID_MAX 1024
#define OCI_FIFO "exec.fifo"
#define OCI_STATE "state.json"

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
enum oci_status oci_status(const struct oci_container *c);
const char *oci_status_name(enum oci_status s);
/* The runtime-spec state of c as one JSON line. */
void oci_state_print(const struct oci_container *c, FILE *out);

#endif
