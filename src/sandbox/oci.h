/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_SANDBOX_OCI_H
#define NOOK_SANDBOX_OCI_H

/*
 * An OCI container's process (nook oci create, start): no monitor, no pid 1 of nook's. The
 * process create starts is the container's: it sets the container up in its namespaces and
 * waits on the fifo; start writes the fifo and it execs the config's program, as the pid the
 * engine waits for (re-parented to the engine's subreaper once create exits).
 */

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <stdio.h>

#include "spec.h"
#include "util/json_read.h"

/* What a container's state (runtime-spec "State") is made of, but its status and pid. */
struct oci_state_doc {
	const char *id;
	const char *bundle;
	const char *created;             /* RFC 3339; NULL while it is created */
	const struct jnode *annotations; /* the config's */
};

/* Namespaces a hook's process joins back before its exec: the runtime's own. */
struct oci_ns_restore {
	int fd[NS_JOIN_MAX];
	size_t n;
};

/*
 * Start the container's process for S; FIFO: the exec fifo (in the state directory), which
 * it holds open and waits on; STARTED: a fifo on which it says it is at its exec, once the
 * startContainer hooks ran (oci_release waits for that); CONSOLE: with a terminal
 * (TERMINAL_PTY), the console socket, connected, on which it sends the pty's master; else -1.
 * STATE: what the hooks read (status "creating", then "created"). Runs S's prestart and
 * createRuntime hooks in this process's namespaces once the process staged its mounts, and
 * the process runs the createContainer ones before its pivot_root. Returns its pid once it
 * waits on FIFO, everything set up; dies with its reason (a hook's, or the process's own
 * message on stderr), the process killed, when it could not get there.
 */
pid_t oci_create(const struct spec *s, const char *fifo, const char *started, int console,
		 const struct oci_state_doc *state);
/*
 * Let the process waiting on the fifo NAME in DIR go on, the fifo removed first (so that it
 * is started once), and wait until it says on the fifo STARTED that it is at its exec:
 * 0; -1 with errno when nothing waits there (ENXIO: the process is gone), or EPIPE when it
 * ended before its exec (a startContainer hook failed: it said why on stderr).
 */
int oci_release(int dir, const char *name, const char *started);

/* The state (one JSON object and a newline) as hooks read it and nook oci state prints it. */
void oci_state_json(FILE *out, const struct oci_state_doc *d, const char *status, pid_t pid);
/* The same, in memory (LEN: its length). */
char *oci_state_text(const struct oci_state_doc *d, const char *status, pid_t pid, size_t *len);
/*
 * Run the hooks of STAGE in HOOKS in their order, each with STATE (LEN bytes) on its stdin,
 * its stdout and stderr on this process's stderr, in RESTORE's namespaces (NULL: ours): 0;
 * -1 at the first that fails (did not run, exited non-zero, killed, outlived its timeout and
 * killed), the reason in ERR ("hook hooks.createRuntime[0] (/x): exited with status 3").
 */
int oci_hooks_run(const struct oci_hooks *hooks, enum oci_hook_stage stage, const char *state,
		  size_t len, const struct oci_ns_restore *restore, char *err, size_t errlen);
/* The one hook I of STAGE, as oci_hooks_run runs each. */
int oci_hook_run(const struct oci_hooks *hooks, enum oci_hook_stage stage, size_t i,
		 const char *state, size_t len, const struct oci_ns_restore *restore, char *err,
		 size_t errlen);

/*
 * nook oci exec: start S's process in the container whose process is CONTAINER_PID (its
 * pidfd: CONTAINER), confined as that one. CONSOLE: as for oci_create; PRESERVE: how many fds
 * after 2 the process keeps (--preserve-fds); WAIT: this process will wait for it (it becomes
 * a subreaper, and the signals oci_exec_wait takes are blocked). Returns its pid once it is
 * set up and at its exec (whose failure is its exit status), -1 when it could not be set up
 * (it said why on stderr). This process joins none of the container's namespaces.
 */
pid_t oci_exec_start(const struct spec *s, pid_t container_pid, int container, int console,
		     unsigned preserve, bool wait);
/* Wait for PID, passing on the signals this process gets; its exit status (128+N: signal N). */
int oci_exec_wait(pid_t pid);
/* Block the signals oci_exec_wait takes, before PID is started (nook oci run). */
void oci_wait_block(void);

/* The system calls of SC's rules this libseccomp does not know, into NAMES: they are skipped. */
void seccomp_oci_unknown(const struct oci_seccomp *sc, struct strv *names);

/*
 * Field 22 of /proc/PID/stat, the start time that tells a pid from its reuse (keeper.c); -1
 * (ESRCH) for a process that is gone, a zombie too.
 */
int proc_start_time(pid_t pid, uint64_t *start);

#endif
