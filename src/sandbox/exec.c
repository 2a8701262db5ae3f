// SPDX-License-Identifier: GPL-2.0-or-later
/* The payload's last steps, between fork and exec, in the order that keeps each one possible. */
#include <errno.h>
#include <linux/filter.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bsd/unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

static void apply_rlimits(const struct spec *s)
{
	for (size_t i = 0; i < s->nrlimits; i++) {
		const struct rlimit_spec *r = &s->rlimits[i];
		struct rlimit rl = {r->value, r->hard_apart ? r->hard : r->value};

		if (setrlimit(r->resource, &rl) == 0)
			continue;
		if (r->hard_apart)
			die_errno("rlimit %s: soft %llu, hard %llu: cannot set it (above the hard "
				  "limit nook has?)",
				  rlimit_name(r->resource), (unsigned long long)r->value,
				  (unsigned long long)r->hard);
		die_errno("--rlimit-%s=%llu: cannot set the limit (above the hard limit?)",
			  rlimit_name(r->resource), (unsigned long long)r->value);
	}
}

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

/*
 * execvp(), but as shells judge "not found": a directory of $PATH that cannot be searched
 * does not turn a missing program into "permission denied" (126); only a file that exists and
 * cannot be executed does. Returns the errno to report.
 */
static int exec_search(char *const argv[])
{
	const char *name = argv[0];
	const char *path = getenv("PATH");
	autofree char *dirs = NULL;
	char *save = NULL;
	int found_error = 0;

	if (strchr(name, '/')) {
		execv(name, argv);
		return errno;
	}
	dirs = xstrdup(path ? path : "/usr/local/bin:/usr/bin:/bin");
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		autofree char *file = xasprintf("%s/%s", d[0] ? d : ".", name);
		struct stat st;

		execv(file, argv);
		if (errno == ENOEXEC) {
			/* A script without "#!": what execvp and shells do. */
			char *sh[64] = {"/bin/sh", file};
			size_t i;

			for (i = 1; i < 62 && argv[i]; i++)
				sh[i + 1] = argv[i];
			sh[i + 1] = NULL;
			execv("/bin/sh", sh);
		}
		if (stat(file, &st) == 0 && !found_error)
			found_error = errno;
	}
	return found_error ? found_error : ENOENT;
}

void payload_confine(const struct spec *s)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (chdir(s->cwd) < 0) {
		if (s->cwd_required)
			die_errno("--chdir %s", s->cwd);
		if (chdir("/") < 0)
			die_errno("chdir /");
	}
	user_switch(s);
	if (s->oci.caps.exact ? caps_apply_sets(s->caps_keep, s->oci.caps.effective & s->caps_keep,
						s->oci.caps.permitted & s->caps_keep,
						s->oci.caps.inheritable & s->caps_keep,
						s->oci.caps.ambient & s->caps_keep) < 0
			      : caps_apply(s->caps_keep, s->inside_uid != 0) < 0)
		die_errno("cannot drop capabilities");
	/* no_new_privs is pid 1's, set before the filter and inherited at the fork. */
	apply_rlimits(s);
	landlock_apply(s);
	/* The kernel's own W^X (Linux 6.3+) covers every entry point, old i386 mmap included. */
	if (s->seccomp.mdwe && prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		die_errno("--memory-deny-write-execute: prctl(PR_SET_MDWE)");
	/* The seccomp filter is pid 1's, inherited at the fork. */
}

noreturn void payload_exec(const struct spec *s)
{
	extern char **environ;
	int e;

	environ = s->env.v;
	e = exec_search(s->argv.v);
	errno = e;
	warn_errno("cannot execute %s", s->argv.v[0]);
	_exit(e == ENOENT || e == ENOTDIR ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

noreturn void exec_payload(const struct spec *s)
{
	closefrom(STDERR_FILENO + 1);
	payload_confine(s);
	init_wait_hardened();
	payload_exec(s);
}
