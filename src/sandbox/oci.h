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

#include "spec.h"

/*
 * Start the container's process for S; FIFO: the exec fifo (in the state directory), which
 * it holds open and waits on; CONSOLE: with a terminal (TERMINAL_PTY), the console socket,
 * connected, on which it sends the pty's master; else -1. Returns its pid once it waits
 * there, everything set up; dies with its reason (the process's own message is on stderr)
 * when it could not get there.
 */
pid_t oci_create(const struct spec *s, const char *fifo, int console);
/*
 * Let the process waiting on the fifo NAME in DIR go on, the fifo removed first (so that it
 * is started once): 0; -1 with errno when nothing waits there (ENXIO: the process is gone).
 */
int oci_release(int dir, const char *name);

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

/* Field 22 of /proc/PID/stat, the start time that tells a pid from its reuse (keeper.c). */
int proc_start_time(pid_t pid, uint64_t *start);

#endif
