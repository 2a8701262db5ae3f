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

#include "policy/display.h"
#include "util/err.h"
#include "util/escape.h"

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
	 LIST("mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
	      "move_mount", "open_tree", "mount_setattr")},
	{"namespaces", "entering other namespaces", LIST("setns")},
	{"system", "accounting, swap, reboot, the kernel log, raw I/O ports, quotas, terminals",
	 LIST("acct", "swapon", "swapoff", "reboot", "syslog", "iopl", "ioperm", "quotactl",
	      "quotactl_fd", "lookup_dcookie", "vhangup", "uselib")},
	{NULL, NULL, NULL},
};

static const char *const special_rules[] = {
	SECCOMP_RULE_CLONE_NS,   SECCOMP_RULE_UNSHARE_NS,  SECCOMP_RULE_CLONE3,
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

/*
 * Whether the default filter is off: only the command line can say so. A profile's "seccomp
 * off" is refused (a profile must not undo the base filter: firejail's own profiles drop
 * theirs), with a warning naming its line; --strict-profile makes it an error.
 */
static int seccomp_off(const struct request *ro, bool *off)
{
	const struct req_value *mode = &ro->sec.seccomp;
	autofree char *where = NULL;

	*off = false;
	if (!mode->value || strcmp(mode->value, "off") != 0)
		return 0;
	if (mode->cli) {
		*off = true;
		return 0;
	}
	where = str_escape(mode->origin);
	if (ro->strict_profile) {
		warnx_("%s: seccomp off: only --seccomp=off on the command line turns the filter off",
		       where);
		return -1;
	}
	if (!ro->quiet)
		warnx_("%s: warning: seccomp off: only --seccomp=off on the command line turns the "
		       "filter off; the default filter stays",
		       where);
	return 0;
}

static bool is_number(const char *s)
{
	return isdigit((unsigned char)s[0]);
}

/*
 * System calls as the spec holds them: a number libseccomp knows (on this architecture)
 * becomes its name, any other stays a number ("0467" is 467); names stay; no duplicates.
 */
static void syscall_names(const struct strv *in, struct strv *out)
{
	for (size_t i = 0; i < in->n; i++) {
		char *name = NULL;

		if (is_number(in->v[i])) {
			int nr = (int)strtol(in->v[i], NULL, 10);

			name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
			if (!name)
				name = xasprintf("%d", nr);
		}
		if (!in_strv(out, name ? name : in->v[i]))
			strv_push(out, name ? name : in->v[i]);
		free(name);
	}
}

static void build_seccomp(const struct security_request *r, bool off, bool quiet, enum net_mode net,
			  struct seccomp_spec *sc)
{
	struct strv allow_names = {0}, drop_names = {0};
	const struct strv *allow = &allow_names;
	bool defaults = !off;

	sc->action = r->action;
	sc->secondary_arch = r->allow_secondary_arch;
	sc->mdwe = r->mdwe;
	sc->protocols = r->protocols;
	syscall_names(&r->seccomp_allow, &allow_names);
	syscall_names(&r->seccomp_drop, &drop_names);

	/* A number libseccomp does not know is in the default filter: the ENOSYS rule. */
	if (!quiet)
		for (size_t i = 0; i < allow->n; i++)
			if (!in_default(allow->v[i]) && !is_number(allow->v[i]))
				warnx_("--seccomp-allow: %s is not in the default filter; nothing to allow",
				       allow->v[i]);

	if (defaults) {
		for (const struct seccomp_group *g = seccomp_default_groups; g->name; g++) {
			/*
			 * A sandbox that makes its own (bwrap, nook, podman) needs the mount API
			 * in its namespaces. What it inherits of ours stays: the kernel locks the
			 * mounts a less privileged user namespace copies (MNT_LOCKED), so no mask
			 * or read-only flag of ours can be taken off from there.
			 */
			if (r->allow_userns && strcmp(g->name, "mount") == 0)
				continue;
			for (const char *const *n = g->syscalls; *n; n++)
				if (!in_strv(allow, *n) &&
				    !(r->allow_userns && strcmp(*n, "setns") == 0))
					strv_push(&sc->deny, *n);
		}
		sc->deny_ns_clone = !r->allow_userns && !in_strv(allow, SECCOMP_RULE_CLONE_NS);
		sc->deny_ns_unshare = !r->allow_userns && !in_strv(allow, SECCOMP_RULE_UNSHARE_NS);
		sc->clone3_enosys = !in_strv(allow, SECCOMP_RULE_CLONE3);
		sc->deny_tty_inject = !in_strv(allow, SECCOMP_RULE_TTY_INJECT);
		sc->deny_personality_flags = !in_strv(allow, SECCOMP_RULE_PERSONALITY);
		/* Calls newer than libseccomp would reach the kernel unfiltered: ENOSYS, so
		 * programs fall back as on an older kernel, unless allowed by number. */
		sc->enosys_unknown = true;
		/* vsock reaches the host (and its VMs) past any network namespace: only the
		 * host's network may have it. */
		sc->deny_vsock = net != NET_HOST;
		for (size_t i = 0; i < allow->n; i++)
			if (is_number(allow->v[i]))
				strv_push(&sc->enosys_except, allow->v[i]);
	}
	for (size_t i = 0; i < drop_names.n; i++)
		if (!in_strv(&sc->deny, drop_names.v[i]))
			strv_push(&sc->deny, drop_names.v[i]);
	strv_free(&allow_names);
	strv_free(&drop_names);

	sc->enabled = defaults || sc->deny.n > 0 || sc->mdwe || sc->protocols;
}

void landlock_build(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	struct display_grant g;

	/*
	 * Abstract unix sockets belong to a network namespace: --net=none and slirp have their
	 * own. Without Landlock ABI 6 (Linux 6.12) the sandbox cannot be kept from the host's;
	 * nook doctor says so, and --dry-run shows "landlock none". The X server listens on one.
	 */
	display_decide(ro, &g);
	s->landlock_scope_unix = s->net.mode == NET_HOST && !g.x11 &&
				 h->landlock_abi >= LANDLOCK_ABI_SCOPE;
}

int security_build(const struct request *ro, struct spec *s)
{
	const struct security_request *r = &ro->sec;
	bool off;

	if (seccomp_off(ro, &off) < 0)
		return -1;
	/* Off with a list of its own is a filter, just not ours. */
	if (off && r->seccomp_drop.n == 0 && !ro->quiet)
		warnx_("warning: --seccomp=off: the sandbox has no system call filter");
	build_seccomp(r, off, ro->quiet, s->net.mode, &s->seccomp);

	memcpy(s->rlimits, r->rlimits, sizeof s->rlimits);
	s->nrlimits = r->nrlimits;
	return 0;
}
