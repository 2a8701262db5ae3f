// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/security.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "util/err.h"

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})

/* Denied with the error action. Each group closes a known road into the kernel or the host. */
const struct seccomp_group seccomp_default_groups[] = {
	{"keyring", "the kernel keyring is not namespaced: keys of the user's other sessions",
	 LIST("keyctl", "add_key", "request_key")},
	{"bpf", "eBPF and perf events: a large attack surface, and a window on the whole system",
	 LIST("bpf", "perf_event_open")},
	{"userfaultfd", "stalls kernel threads at will, the usual tool to win kernel races",
	 LIST("userfaultfd")},
	{"io_uring", "bypasses system call filtering and has a long record of kernel bugs",
	 LIST("io_uring_setup", "io_uring_enter", "io_uring_register")},
	{"kexec", "loading a new kernel", LIST("kexec_load", "kexec_file_load")},
	{"modules", "loading and unloading kernel modules",
	 LIST("init_module", "finit_module", "delete_module")},
	{"file-handles", "opens files by handle, around path permissions (the shocker escape)",
	 LIST("open_by_handle_at")},
	{"mount", "remounting or hiding parts of the sandbox's view; nook built it already",
	 LIST("mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount",
	      "fspick", "move_mount", "open_tree", "mount_setattr")},
	{"namespaces", "entering other namespaces", LIST("setns")},
	{"system", "accounting, swap, reboot, the kernel log, raw I/O ports, quotas, terminals",
	 LIST("acct", "swapon", "swapoff", "reboot", "syslog", "iopl", "ioperm", "quotactl",
	      "quotactl_fd", "lookup_dcookie", "vhangup", "uselib")},
	{NULL, NULL, NULL},
};

static const char *const special_rules[] = {
	SECCOMP_RULE_CLONE_NS, SECCOMP_RULE_UNSHARE_NS, SECCOMP_RULE_CLONE3,
	SECCOMP_RULE_TTY_INJECT, SECCOMP_RULE_PERSONALITY, NULL,
};

static bool in_strv(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

static bool in_default(const char *name)
{
	for (const struct seccomp_group *g = seccomp_default_groups; g->name; g++)
		for (const char *const *sc = g->syscalls; *sc; sc++)
			if (strcmp(*sc, name) == 0)
				return true;
	for (const char *const *r = special_rules; *r; r++)
		if (strcmp(*r, name) == 0)
			return true;
	return false;
}

static void build_seccomp(const struct security_request *r, bool quiet, struct seccomp_spec *sc)
{
	const struct strv *allow = &r->seccomp_allow;
	bool defaults = !r->seccomp_off;

	sc->action = r->action;
	sc->secondary_arch = r->allow_secondary_arch;
	sc->mdwe = r->mdwe;
	sc->protocols = r->protocols;

	if (!quiet)
		for (size_t i = 0; i < allow->n; i++)
			if (!in_default(allow->v[i]))
				warnx_("--seccomp-allow: %s is not in the default filter; nothing to allow",
				       allow->v[i]);

	if (defaults) {
		for (const struct seccomp_group *g = seccomp_default_groups; g->name; g++)
			for (const char *const *n = g->syscalls; *n; n++)
				if (!in_strv(allow, *n) &&
				    !(r->allow_userns && strcmp(*n, "setns") == 0))
					strv_push(&sc->deny, *n);
		sc->deny_ns_clone = !r->allow_userns && !in_strv(allow, SECCOMP_RULE_CLONE_NS);
		sc->deny_ns_unshare = !r->allow_userns && !in_strv(allow, SECCOMP_RULE_UNSHARE_NS);
		sc->clone3_enosys = !in_strv(allow, SECCOMP_RULE_CLONE3);
		sc->deny_tty_inject = !in_strv(allow, SECCOMP_RULE_TTY_INJECT);
		sc->deny_personality_flags = !in_strv(allow, SECCOMP_RULE_PERSONALITY);
	}
	for (size_t i = 0; i < r->seccomp_drop.n; i++)
		if (!in_strv(&sc->deny, r->seccomp_drop.v[i]))
			strv_push(&sc->deny, r->seccomp_drop.v[i]);

	sc->enabled = defaults || sc->deny.n > 0 || sc->mdwe || sc->protocols;
}

int security_build(const struct security_request *r, bool quiet, struct spec *s)
{
	/* Off with a list of its own (firejail's seccomp.drop) is a filter, just not ours. */
	if (r->seccomp_off && r->seccomp_drop.n == 0 && !quiet)
		warnx_("warning: --seccomp=off: the sandbox has no system call filter");
	build_seccomp(r, quiet, &s->seccomp);

	memcpy(s->rlimits, r->rlimits, sizeof s->rlimits);
	s->nrlimits = r->nrlimits;
	return 0;
}
