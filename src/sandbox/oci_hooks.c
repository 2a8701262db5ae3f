// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An OCI container's hooks: each one a process of the caller's (rootless, nothing added),
 * exec'd with the hook's argv and exactly its env, the container's state on its stdin, its
 * stdout and stderr on ours, killed when its timeout passes. Who runs which stage, and where,
 * is oci_launch.c's (createContainer, startContainer: the container's process) and cli/oci.c's
 * (the runtime's).
 */
#include "sandbox/oci.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"
#include "util/fsutil.h"
#include "util/json.h"

void oci_state_json(FILE *out, const struct oci_state_doc *d, const char *status, pid_t pid)
{
	const struct jnode *a = d->annotations;
	struct json j;

	json_begin(&j, out);
	json_object(&j);
	json_kv_string(&j, "ociVersion", "1.0.2");
	json_kv_string(&j, "id", d->id);
	json_kv_string(&j, "status", status);
	json_kv_int(&j, "pid", pid);
	json_kv_string(&j, "bundle", d->bundle);
	if (d->created)
		json_kv_string(&j, "created", d->created);
	json_key(&j, "annotations");
	json_object(&j);
	for (size_t i = 0; a && a->type == JSON_OBJECT && i < a->n; i++)
		if (a->items[i].type == JSON_STRING)
			json_kv_string(&j, a->keys[i], a->items[i].s);
	json_end(&j);
	json_end(&j);
	json_finish(&j);
}

char *oci_state_text(const struct oci_state_doc *d, const char *status, pid_t pid, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		die("out of memory");
	oci_state_json(f, d, status, pid);
	if (fclose(f) != 0)
		die("out of memory");
	return text;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* What is left of the timeout, for poll(2): -1 without one. */
static int left_ms(long deadline)
{
	long left = deadline - now_ms();

	return deadline < 0 ? -1 : left > 0 ? (int)left : 0;
}

static noreturn void hook_child(const struct oci_hook *h, int in, int failed,
				const struct oci_ns_restore *restore)
{
	char *path_only[] = {h->path, NULL};
	char *no_env[] = {NULL};
	sigset_t all;
	int e;

	/* Nothing of the runtime's signal state: a hook is a program of its own. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGPIPE, SIG_DFL);
	for (size_t i = 0; restore && i < restore->n; i++)
		if (setns(restore->fd[i], 0) < 0)
			goto fail;
	if (dup2(in, STDIN_FILENO) < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		goto fail;
	close_fds_but(STDERR_FILENO + 1, &failed, 1);
	execve(h->path, h->args.n ? h->args.v : path_only, h->env.n ? h->env.v : no_env);
fail:
	e = errno;
	if (write(failed, &e, sizeof e) < 0)
		_exit(127);
	_exit(127);
}

/* STATE on the hook's stdin, as far as it reads it before it ends or the deadline. */
static void feed(int in, const char *state, size_t len, long deadline)
{
	size_t done = 0;

	fcntl(in, F_SETFL, O_NONBLOCK);
	while (done < len) {
		struct pollfd p = {.fd = in, .events = POLLOUT};
		ssize_t n;

		if (poll(&p, 1, left_ms(deadline)) == 0)
			return;
		n = write(in, state + done, len - done);
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return; /* EPIPE: it closed its stdin; what it read is its business */
		if (n > 0)
			done += (size_t)n;
	}
}

/*
 * Its end, or the deadline: then it is killed (still our unreaped child, its pid cannot be
 * another's). With SIGCHLD blocked and waited for, not a pidfd: in the container's process a
 * startContainer hook runs under the container's filter, which may not have pidfd_open.
 */
static bool reap(pid_t pid, long deadline, int *status)
{
	sigset_t chld;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	for (;;) {
		int left = left_ms(deadline);
		struct timespec ts = {.tv_sec = left / 1000, .tv_nsec = (left % 1000) * 1000000L};
		pid_t r = waitpid(pid, status, WNOHANG);

		if (r == pid)
			return true;
		if (r < 0 && errno != EINTR)
			die_errno("cannot wait for a hook");
		if (left == 0) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return false;
		}
		sigtimedwait(&chld, NULL, left < 0 ? NULL : &ts);
	}
}

static int run_one(const struct oci_hook *h, const char *field, const char *state, size_t len,
		   const struct oci_ns_restore *restore, char *err, size_t errlen)
{
	struct sigaction ignore = {.sa_handler = SIG_IGN}, old_pipe;
	long deadline = h->timeout ? now_ms() + (long)h->timeout * 1000 : -1;
	int in[2], failed[2], status, e = 0;
	sigset_t chld, old_mask;
	bool ended;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(failed, O_CLOEXEC) < 0)
		die_errno("pipe");
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old_mask);
	pid = fork();
	if (pid < 0)
		die_errno("cannot start hook %s (%s)", field, h->path);
	if (pid == 0)
		hook_child(h, in[0], failed[1], restore);
	close(in[0]);
	close(failed[1]);
	/* Its exec (the pipe closes), or why not. */
	if (read(failed[0], &e, sizeof e) != sizeof e)
		e = 0;
	close(failed[0]);
	/* A hook that does not read its stdin must not end the runtime by SIGPIPE. */
	sigaction(SIGPIPE, &ignore, &old_pipe);
	if (!e)
		feed(in[1], state, len, deadline);
	close(in[1]);
	sigaction(SIGPIPE, &old_pipe, NULL);
	ended = reap(pid, deadline, &status);
	sigprocmask(SIG_SETMASK, &old_mask, NULL);

	if (e)
		return set_error(err, errlen, "hook %s (%s): cannot run it: %s", field, h->path,
				 strerror(e));
	if (!ended)
		return set_error(err, errlen,
				 "hook %s (%s): still running after its timeout of %u s: killed",
				 field, h->path, h->timeout);
	if (WIFSIGNALED(status))
		return set_error(err, errlen, "hook %s (%s): killed by signal %d", field, h->path,
				 WTERMSIG(status));
	if (WEXITSTATUS(status) != 0)
		return set_error(err, errlen, "hook %s (%s): exited with status %d", field, h->path,
				 WEXITSTATUS(status));
	return 0;
}

int oci_hook_run(const struct oci_hooks *hooks, enum oci_hook_stage stage, size_t i,
		 const char *state, size_t len, const struct oci_ns_restore *restore, char *err,
		 size_t errlen)
{
	char field[64];

	snprintf(field, sizeof field, "hooks.%s[%zu]", enum_to_name(oci_hook_stage_names, stage),
		 i);
	return run_one(&hooks->v[stage][i], field, state, len, restore, err, errlen);
}

int oci_hooks_run(const struct oci_hooks *hooks, enum oci_hook_stage stage, const char *state,
		  size_t len, const struct oci_ns_restore *restore, char *err, size_t errlen)
{
	for (size_t i = 0; i < hooks->n[stage]; i++)
		if (oci_hook_run(hooks, stage, i, state, len, restore, err, errlen) < 0)
			return -1;
	return 0;
}
