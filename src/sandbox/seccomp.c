// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The seccomp filter, as classic BPF: the default policy's was compiled when nook was built
 * (seccomp_prebuilt.c), any other is compiled here with libseccomp, in the child while the
 * monitor writes the id maps. Pid 1 loads it once (init.c), after building the mounts (the
 * filter denies the mount API) and before forking the payload, which inherits it: what either
 * does after that (dropping capabilities, rlimits, exec) runs under the filter.
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "util/err.h"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

static const uint64_t namespace_flags[] = {
	CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET, CLONE_NEWTIME,
};

static uint32_t deny_action(enum seccomp_action a, int errnum)
{
	switch (a) {
	case SECCOMP_ACTION_KILL:
		return SCMP_ACT_KILL_PROCESS;
	case SECCOMP_ACTION_LOG:
		return SCMP_ACT_LOG;
	case SECCOMP_ACTION_ERRNO:
		break;
	}
	return SCMP_ACT_ERRNO((uint32_t)errnum);
}

static void rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
		 const struct scmp_arg_cmp *cmp, const char *what)
{
	int r = seccomp_rule_add_array(ctx, action, nr, n, cmp);

	if (r < 0) {
		errno = -r;
		die_errno("seccomp: cannot add the rule for %s", what);
	}
}

static void add_rules(scmp_filter_ctx ctx, const struct seccomp_spec *s)
{
	uint32_t deny = deny_action(s->action, EPERM);
	struct scmp_arg_cmp cmp;

	for (size_t i = 0; i < s->deny.n; i++) {
		const char *v = s->deny.v[i];
		int nr;

		if (v[0] >= '0' && v[0] <= '9') {
			char *name;

			/* One libseccomp does not know is the prologue's (seccomp_prologue.c). */
			nr = (int)strtol(v, NULL, 10);
			name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);
			if (!name)
				continue;
			free(name);
		} else {
			nr = seccomp_syscall_resolve_name(v);
			if (nr == __NR_SCMP_ERROR)
				die("seccomp: unknown system call '%s'", v);
		}
		rule(ctx, deny, nr, 0, NULL, v);
	}
	for (size_t i = 0; i < sizeof namespace_flags / sizeof namespace_flags[0]; i++) {
		uint64_t f = namespace_flags[i];

		/* One rule a flag: a rule cannot hold two comparisons of one argument. */
		cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, f, f);
		if (s->deny_ns_clone)
			rule(ctx, deny, SCMP_SYS(clone), 1, &cmp, "clone");
		if (s->deny_ns_unshare)
			rule(ctx, deny, SCMP_SYS(unshare), 1, &cmp, "unshare");
	}
	/* Its flags sit in memory where BPF cannot look; ENOSYS makes libc use clone(). */
	if (s->clone3_enosys)
		rule(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0, NULL, "clone3");
	if (s->deny_tty_inject) {
		/* The kernel reads the command as 32 bits: compare only those (CVE-2017-5226's kin). */
		cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCSTI);
		rule(ctx, deny, SCMP_SYS(ioctl), 1, &cmp, "ioctl TIOCSTI");
		cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, TIOCLINUX);
		rule(ctx, deny, SCMP_SYS(ioctl), 1, &cmp, "ioctl TIOCLINUX");
	}
	/* personality()'s flags: in the prologue, 6 instructions instead of 123. */
	if (s->mdwe) {
		cmp = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC);
		rule(ctx, deny, SCMP_SYS(mmap), 1, &cmp, "mmap");
		/* i386's mmap2; its old mmap takes a struct pointer, which PR_SET_MDWE covers. */
		if (s->secondary_arch)
			rule(ctx, deny, SCMP_SYS(mmap2), 1, &cmp, "mmap2");
		cmp = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC);
		rule(ctx, deny, SCMP_SYS(mprotect), 1, &cmp, "mprotect");
		rule(ctx, deny, SCMP_SYS(pkey_mprotect), 1, &cmp, "pkey_mprotect");
		cmp = SCMP_A2(SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC);
		rule(ctx, deny, SCMP_SYS(shmat), 1, &cmp, "shmat");
	}
	if (s->protocols) {
		/* A family that is not allowed looks unsupported, so programs fall back cleanly. */
		uint32_t nosupport = deny_action(s->action, EAFNOSUPPORT);

		for (int af = 0; af < AF_MAX && af < 64; af++) {
			if (s->protocols & (UINT64_C(1) << af))
				continue;
			cmp = SCMP_A0(SCMP_CMP_EQ, (uint64_t)af, 0);
			rule(ctx, nosupport, SCMP_SYS(socket), 1, &cmp, "socket");
		}
		cmp = SCMP_A0(SCMP_CMP_GE, AF_MAX, 0);
		rule(ctx, nosupport, SCMP_SYS(socket), 1, &cmp, "socket");
	}
}

static void add_secondary_archs(scmp_filter_ctx ctx)
{
	static const uint32_t secondary[] = {
#if defined(__x86_64__)
		SCMP_ARCH_X86,
		SCMP_ARCH_X32,
#elif defined(__aarch64__)
		SCMP_ARCH_ARM,
#endif
		0,
	};

	for (const uint32_t *a = secondary; *a; a++) {
		int r = seccomp_arch_add(ctx, *a);

		if (r < 0 && r != -EEXIST) {
			errno = -r;
			die_errno("seccomp: cannot add a secondary architecture");
		}
	}
}

void seccomp_compile_libseccomp(const struct seccomp_spec *s, struct sock_fprog *prog)
{
	struct sock_fprog first;
	scmp_filter_ctx ctx;
	size_t len;

	prog->len = 0;
	prog->filter = NULL;
	if (!s->enabled)
		return;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		die("seccomp: cannot create a filter");
	/* nook sets no_new_privs itself, before the filter; other architectures are denied. */
	/* A binary tree of system call numbers: fewer instructions for each call to run. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, deny_action(s->action, ENOSYS)) < 0)
		die("seccomp: cannot set the filter's attributes");
	if (s->secondary_arch)
		add_secondary_archs(ctx);
	add_rules(ctx, s);
	/* What libseccomp cannot say runs first, then falls through to its program. */
	seccomp_prologue(s, deny_action(s->action, EPERM), deny_action(s->action, EAFNOSUPPORT),
			 &first);
	prog->filter = seccomp_export(ctx, first.len, &len);
	len += first.len;
	if (len > BPF_MAXINSNS)
		die("seccomp: the filter has %zu instructions, more than the kernel's %d (fewer "
		    "--seccomp-drop numbers?)",
		    len, BPF_MAXINSNS);
	if (first.len)
		memcpy(prog->filter, first.filter, first.len * sizeof *first.filter);
	free(first.filter);
	prog->len = (unsigned short)len;
}

struct sock_filter *seccomp_export(void *ctx, size_t prefix, size_t *n)
{
	autoclose int fd = memfd_create("nook-seccomp", MFD_CLOEXEC);
	struct sock_filter *prog;
	off_t size;
	int r;

	if (fd < 0)
		die_errno("seccomp: memfd_create");
	r = seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	if (r < 0) {
		errno = -r;
		die_errno("seccomp: cannot compile the filter");
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0)
		die("seccomp: the compiled filter has a bad size");
	*n = (size_t)size / sizeof(struct sock_filter);
	prog = xreallocarray(NULL, prefix + *n, sizeof *prog);
	if (pread(fd, prog + prefix, (size_t)size, 0) != size)
		die_errno("seccomp: cannot read the compiled filter");
	return prog;
}

char *seccomp_key(const struct seccomp_spec *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die_errno("open_memstream");
	spec_print_seccomp(f, s);
	if (fclose(f) != 0)
		die_errno("open_memstream");
	return text;
}

/*
 * The default policy's filter is compiled when nook is built (src/tools/gen_seccomp.c):
 * libseccomp costs more than the budget of a start (0.5 ms) and gives the same BPF each
 * time. Any other policy is compiled now.
 */
bool seccomp_compiled_already(const struct seccomp_spec *s, struct sock_fprog *prog)
{
	autofree char *key = NULL;

	prog->len = 0;
	prog->filter = NULL;
	if (!s->enabled)
		return true;
	key = seccomp_key(s);
	return seccomp_prebuilt(key, prog);
}

void seccomp_compile(const struct seccomp_spec *s, struct sock_fprog *prog)
{
	if (!seccomp_compiled_already(s, prog))
		seccomp_compile_libseccomp(s, prog);
}

void seccomp_install(const struct sock_fprog *prog)
{
	if (!prog->filter)
		return;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) < 0)
		die_errno("cannot load the seccomp filter");
}
