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

/* Call fn for each comma-separated item; empty items are an error. */
static int for_each_item(const char *value, char *err, size_t errlen,
			 int (*fn)(const char *item, void *ctx, char *err, size_t errlen), void *ctx)
{
	autofree char *copy = xstrdup(value);
	char *save = NULL;
	size_t len = strlen(value);

	if (len == 0 || value[0] == ',' || value[len - 1] == ',' || strstr(value, ",,"))
		return set_error(err, errlen, "malformed list '%s' (expected NAME,NAME,...)", value);
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save))
		if (fn(it, ctx, err, errlen) < 0)
			return -1;
	return 0;
}

static int add_syscall(const char *name, void *ctx, char *err, size_t errlen)
{
	if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR)
		return set_error(err, errlen, "unknown system call '%s'", name);
	strv_push(ctx, name);
	return 0;
}

int parse_syscall_list(const char *value, struct strv *out, char *err, size_t errlen)
{
	return for_each_item(value, err, errlen, add_syscall, out);
}

struct cap_ctx {
	uint64_t *mask;
	bool *all;
};

static int add_cap(const char *item, void *ctx, char *err, size_t errlen)
{
	struct cap_ctx *c = ctx;
	char name[64];
	cap_value_t v;
	size_t i;

	if (strcasecmp(item, "all") == 0) {
		if (!c->all)
			return set_error(err, errlen, "'all' is not allowed here");
		*c->all = true;
		return 0;
	}
	snprintf(name, sizeof name, "%s%s", strncasecmp(item, "cap_", 4) == 0 ? "" : "cap_", item);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	if (cap_from_name(name, &v) < 0 || v < 0 || v >= 64)
		return set_error(err, errlen, "unknown capability '%s'", item);
	*c->mask |= UINT64_C(1) << v;
	return 0;
}

int parse_cap_list(const char *value, uint64_t *mask, bool *all, char *err, size_t errlen)
{
	struct cap_ctx c = {mask, all};

	return for_each_item(value, err, errlen, add_cap, &c);
}

static const struct {
	const char *name;
	int family;
} protocol_names[] = {
	{"unix", AF_UNIX}, {"inet", AF_INET}, {"inet6", AF_INET6},
	{"netlink", AF_NETLINK}, {"packet", AF_PACKET}, {"bluetooth", AF_BLUETOOTH},
};

static int add_protocol(const char *item, void *ctx, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof protocol_names / sizeof protocol_names[0]; i++) {
		if (strcmp(item, protocol_names[i].name) == 0) {
			*(uint64_t *)ctx |= UINT64_C(1) << protocol_names[i].family;
			return 0;
		}
	}
	return set_error(err, errlen, "unknown protocol '%s' (expected unix, inet, inet6, netlink, "
		    "packet, bluetooth)", item);
}

int parse_protocols(const char *value, uint64_t *mask, char *err, size_t errlen)
{
	*mask = 0;
	return for_each_item(value, err, errlen, add_protocol, mask);
}

/* N, N[KMG] (powers of 1024), or "unlimited". */
int parse_limit(const char *value, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (strcmp(value, "unlimited") == 0 || strcmp(value, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (!isdigit((unsigned char)value[0]))
		return set_error(err, errlen, "'%s' is not a number (N, NK, NM, NG or unlimited)", value);
	errno = 0;
	v = strtoull(value, &end, 10);
	if (errno)
		return set_error(err, errlen, "'%s' is too large", value);
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default:
		return set_error(err, errlen, "'%s' is not a number (N, NK, NM, NG or unlimited)", value);
	}
	if (*end)
		return set_error(err, errlen, "'%s' is not a number (N, NK, NM, NG or unlimited)", value);
	if (shift && v > (UINT64_MAX >> shift))
		return set_error(err, errlen, "'%s' is too large", value);
	*out = (uint64_t)v << shift;
	if (*out == RLIM_INFINITY)
		return set_error(err, errlen, "'%s' is too large", value);
	return 0;
}

int parse_seccomp_action(const char *value, enum seccomp_action *out, char *err, size_t errlen)
{
	if (strcmp(value, "errno") == 0)
		*out = SECCOMP_ACTION_ERRNO;
	else if (strcmp(value, "kill") == 0)
		*out = SECCOMP_ACTION_KILL;
	else if (strcmp(value, "log") == 0)
		*out = SECCOMP_ACTION_LOG;
	else
		return set_error(err, errlen, "unknown action '%s' (expected errno, kill or log)", value);
	return 0;
}

void security_request_init(struct security_request *r)
{
	memset(r, 0, sizeof *r);
}

void security_request_free(struct security_request *r)
{
	strv_free(&r->seccomp_drop);
	strv_free(&r->seccomp_allow);
	memset(r, 0, sizeof *r);
}

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

int security_build(const struct security_request *r, uint64_t caps_base, bool quiet,
		   struct spec *s)
{
	/* Off with a list of its own (firejail's seccomp.drop) is a filter, just not ours. */
	if (r->seccomp_off && r->seccomp_drop.n == 0 && !quiet)
		warnx_("warning: --seccomp=off: the sandbox has no system call filter");
	build_seccomp(r, quiet, &s->seccomp);

	s->caps_keep = r->caps_set ? r->caps_keep : caps_base;
	s->caps_keep &= ~r->caps_drop;

	memcpy(s->rlimits, r->rlimits, sizeof s->rlimits);
	s->nrlimits = r->nrlimits;
	return 0;
}
