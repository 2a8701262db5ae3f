// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * An OCI config's own filter (linux.seccomp, policy/oci_seccomp.c) compiled with libseccomp,
 * as runc and crun compile it: the default action, the architectures, one rule per system
 * call name with its conditions. A name this libseccomp does not know is skipped (a profile
 * names the calls of newer kernels too), and so is a rule whose action is the default one,
 * which libseccomp refuses. Loaded with the config's flags, before nook's own filter when the
 * container has both (oci_launch.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/internal.h"
#include "sandbox/oci.h"
#include "util/err.h"
#include "util/hash.h"

/* Indexed by enum oci_seccomp_arch. */
static const uint32_t arch_tokens[] = {
	[OCI_SCMP_ARCH_X86] = SCMP_ARCH_X86,
	[OCI_SCMP_ARCH_X86_64] = SCMP_ARCH_X86_64,
	[OCI_SCMP_ARCH_X32] = SCMP_ARCH_X32,
	[OCI_SCMP_ARCH_ARM] = SCMP_ARCH_ARM,
	[OCI_SCMP_ARCH_AARCH64] = SCMP_ARCH_AARCH64,
	[OCI_SCMP_ARCH_MIPS] = SCMP_ARCH_MIPS,
	[OCI_SCMP_ARCH_MIPS64] = SCMP_ARCH_MIPS64,
	[OCI_SCMP_ARCH_MIPS64N32] = SCMP_ARCH_MIPS64N32,
	[OCI_SCMP_ARCH_MIPSEL] = SCMP_ARCH_MIPSEL,
	[OCI_SCMP_ARCH_MIPSEL64] = SCMP_ARCH_MIPSEL64,
	[OCI_SCMP_ARCH_MIPSEL64N32] = SCMP_ARCH_MIPSEL64N32,
	[OCI_SCMP_ARCH_PPC] = SCMP_ARCH_PPC,
	[OCI_SCMP_ARCH_PPC64] = SCMP_ARCH_PPC64,
	[OCI_SCMP_ARCH_PPC64LE] = SCMP_ARCH_PPC64LE,
	[OCI_SCMP_ARCH_S390] = SCMP_ARCH_S390,
	[OCI_SCMP_ARCH_S390X] = SCMP_ARCH_S390X,
	[OCI_SCMP_ARCH_PARISC] = SCMP_ARCH_PARISC,
	[OCI_SCMP_ARCH_PARISC64] = SCMP_ARCH_PARISC64,
	[OCI_SCMP_ARCH_RISCV64] = SCMP_ARCH_RISCV64,
};

/* Indexed by enum oci_seccomp_op. */
static const enum scmp_compare compare_ops[] = {
	[OCI_SCMP_CMP_NE] = SCMP_CMP_NE,
	[OCI_SCMP_CMP_LT] = SCMP_CMP_LT,
	[OCI_SCMP_CMP_LE] = SCMP_CMP_LE,
	[OCI_SCMP_CMP_EQ] = SCMP_CMP_EQ,
	[OCI_SCMP_CMP_GE] = SCMP_CMP_GE,
	[OCI_SCMP_CMP_GT] = SCMP_CMP_GT,
	[OCI_SCMP_CMP_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static uint32_t action_of(enum oci_seccomp_action a, uint32_t ret)
{
	switch (a) {
	case OCI_SCMP_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case OCI_SCMP_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case OCI_SCMP_TRAP:
		return SCMP_ACT_TRAP;
	case OCI_SCMP_ERRNO:
		return SCMP_ACT_ERRNO(ret);
	case OCI_SCMP_TRACE:
		return SCMP_ACT_TRACE(ret);
	case OCI_SCMP_LOG:
		return SCMP_ACT_LOG;
	case OCI_SCMP_ALLOW:
		break;
	}
	return SCMP_ACT_ALLOW;
}

static void add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, unsigned n,
		     const struct scmp_arg_cmp *cmp, size_t index, const char *name)
{
	int r = seccomp_rule_add_array(ctx, action, nr, n, cmp);

	if (r < 0) {
		errno = -r;
		die_errno("config.json: linux.seccomp.syscalls[%zu]: cannot add the rule for %s",
			  index, name);
	}
}

/*
 * One rule with every condition; where two conditions are on one argument, which a rule of
 * libseccomp cannot hold, one rule for each condition instead, as runc does.
 */
static void add_call(scmp_filter_ctx ctx, const struct oci_seccomp_rule *rule, uint32_t action,
		     int nr, size_t index, const char *name)
{
	struct scmp_arg_cmp cmp[6];
	unsigned seen = 0;
	bool one_rule = rule->nargs <= 6;

	for (size_t i = 0; one_rule && i < rule->nargs; i++) {
		if (seen & (1u << rule->args[i].index))
			one_rule = false;
		seen |= 1u << rule->args[i].index;
	}
	if (!one_rule) {
		for (size_t i = 0; i < rule->nargs; i++) {
			const struct oci_seccomp_arg *a = &rule->args[i];

			cmp[0] = (struct scmp_arg_cmp){a->index, compare_ops[a->op], a->value,
						       a->value_two};
			add_rule(ctx, action, nr, 1, cmp, index, name);
		}
		return;
	}
	for (size_t i = 0; i < rule->nargs; i++) {
		const struct oci_seccomp_arg *a = &rule->args[i];

		cmp[i] = (struct scmp_arg_cmp){a->index, compare_ops[a->op], a->value,
					       a->value_two};
	}
	add_rule(ctx, action, nr, (unsigned)rule->nargs, cmp, index, name);
}

void seccomp_oci_compile(const struct oci_seccomp *sc, struct sock_fprog *prog)
{
	uint32_t def = action_of(sc->default_action, sc->default_ret);
	scmp_filter_ctx ctx;
	size_t len;
	int r;

	prog->len = 0;
	prog->filter = NULL;
	if (!sc->enabled)
		return;
	ctx = seccomp_init(def);
	if (!ctx)
		die("config.json: linux.seccomp: cannot create a filter with its defaultAction");
	/* no_new_privs is the config's (oci_launch.c); a binary tree of the calls' numbers. */
	if (seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0) < 0 ||
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
		die("config.json: linux.seccomp: cannot set the filter's attributes");
	for (size_t a = 0; a < sizeof arch_tokens / sizeof arch_tokens[0]; a++) {
		if (!(sc->arches & (UINT32_C(1) << a)))
			continue;
		r = seccomp_arch_add(ctx, arch_tokens[a]);
		if (r < 0 && r != -EEXIST) {
			errno = -r;
			die_errno("config.json: linux.seccomp.architectures: cannot add %s",
				  enum_to_name(oci_seccomp_arch_names, (int)a));
		}
	}
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct oci_seccomp_rule *rule = &sc->rules[i];
		uint32_t action = action_of(rule->action, rule->ret);

		if (action == def)
			continue;
		for (size_t n = 0; n < rule->names.n; n++) {
			int nr = seccomp_syscall_resolve_name(rule->names.v[n]);

			if (nr != __NR_SCMP_ERROR)
				add_call(ctx, rule, action, nr, i, rule->names.v[n]);
		}
	}
	prog->filter = seccomp_export(ctx, 0, &len);
	if (len > BPF_MAXINSNS)
		die("config.json: linux.seccomp: the filter has %zu instructions, more than the "
		    "kernel's %d",
		    len, BPF_MAXINSNS);
	prog->len = (unsigned short)len;
}

/*
 * The compiled programs, kept by the runtime's root: a file a filter, named by a hash of its
 * text (what decides the program: the rules, the architectures, this libseccomp), holding the
 * whole text and then the program. The text is compared, not the hash, so two filters never
 * share a program. The directory is the caller's alone, as the state beside it is: a program
 * found there is trusted as the state is, no more than the caller is.
 */
#define CACHE_MAGIC "nook-seccomp-cache 1\n"

static char *cache_text(const struct oci_seccomp *sc)
{
	const struct scmp_version *v = seccomp_version();
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die_errno("open_memstream");
	fprintf(f, "libseccomp %u.%u.%u native %u\ndefault %d %" PRIu32 " arches %" PRIx32 "\n",
		v->major, v->minor, v->micro, seccomp_arch_native(), (int)sc->default_action,
		sc->default_ret, sc->arches);
	for (size_t i = 0; i < sc->nrules; i++) {
		const struct oci_seccomp_rule *r = &sc->rules[i];

		fprintf(f, "rule %d %" PRIu32, (int)r->action, r->ret);
		for (size_t n = 0; n < r->names.n; n++)
			fprintf(f, " %s", r->names.v[n]);
		for (size_t a = 0; a < r->nargs; a++)
			fprintf(f, " ; %u %d %" PRIu64 " %" PRIu64, r->args[a].index,
				(int)r->args[a].op, r->args[a].value, r->args[a].value_two);
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		die_errno("open_memstream");
	return text;
}

static char *cache_name(const char *text)
{
	return xasprintf("%016" PRIx64, fnv1a64(FNV1A64_INIT, text, strlen(text)));
}

/* The cache's directory, if it is the caller's alone (made so if missing); else -1. */
static int cache_dir_open(const char *path)
{
	struct stat st;
	int fd;

	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 077))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* The program for TEXT from the cache into PROG: 0; -1 when none is there (or a bad one). */
static int cache_load(int dir, const char *name, const char *text, struct sock_fprog *prog)
{
	size_t tlen = strlen(text), hlen = strlen(CACHE_MAGIC) + tlen, plen;
	autoclose int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	autofree char *buf = NULL;
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    st.st_size <= (off_t)hlen)
		return -1;
	plen = (size_t)st.st_size - hlen;
	if (plen % sizeof(struct sock_filter) != 0 ||
	    plen / sizeof(struct sock_filter) > BPF_MAXINSNS)
		return -1;
	buf = xmalloc((size_t)st.st_size);
	if (pread(fd, buf, (size_t)st.st_size, 0) != st.st_size ||
	    memcmp(buf, CACHE_MAGIC, strlen(CACHE_MAGIC)) != 0 ||
	    memcmp(buf + strlen(CACHE_MAGIC), text, tlen) != 0)
		return -1;
	prog->filter = xmalloc(plen);
	memcpy(prog->filter, buf + hlen, plen);
	prog->len = (unsigned short)(plen / sizeof(struct sock_filter));
	return 0;
}

/* PROG kept for TEXT: written aside, then renamed in place. Failing is no error: a cache. */
static void cache_store(int dir, const char *name, const char *text, const struct sock_fprog *prog)
{
	autofree char *tmp = xasprintf(".%s.%ld", name, (long)getpid());
	size_t plen = prog->len * sizeof(struct sock_filter);
	int fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	bool ok;

	if (fd < 0)
		return;
	ok = write(fd, CACHE_MAGIC, strlen(CACHE_MAGIC)) == (ssize_t)strlen(CACHE_MAGIC) &&
	     write(fd, text, strlen(text)) == (ssize_t)strlen(text) &&
	     write(fd, prog->filter, plen) == (ssize_t)plen;
	ok = close(fd) == 0 && ok;
	if (!ok || renameat(dir, tmp, dir, name) < 0)
		unlinkat(dir, tmp, 0);
}

void seccomp_oci_compile_cached(const struct oci_seccomp *sc, const char *cache,
				struct sock_fprog *prog)
{
	autofree char *text = NULL, *name = NULL;
	autoclose int dir = -1;

	prog->len = 0;
	prog->filter = NULL;
	if (!sc->enabled)
		return;
	if (cache)
		dir = cache_dir_open(cache);
	if (dir >= 0) {
		text = cache_text(sc);
		name = cache_name(text);
		if (cache_load(dir, name, text, prog) == 0)
			return;
	}
	seccomp_oci_compile(sc, prog);
	if (dir >= 0)
		cache_store(dir, name, text, prog);
}

void seccomp_oci_unknown(const struct oci_seccomp *sc, struct strv *names)
{
	for (size_t i = 0; sc->enabled && i < sc->nrules; i++)
		for (size_t n = 0; n < sc->rules[i].names.n; n++)
			if (seccomp_syscall_resolve_name(sc->rules[i].names.v[n]) ==
			    __NR_SCMP_ERROR)
				strv_push(names, sc->rules[i].names.v[n]);
}

void oci_filters_compile(const struct spec *s, struct oci_filters *f)
{
	autofree char *key = NULL;

	seccomp_oci_compile_cached(&s->oci.seccomp, s->oci.seccomp_cache, &f->config);
	/* seccomp_compile(), knowing whether the program is the prebuilt one (not to be freed). */
	f->nook.len = 0;
	f->nook.filter = NULL;
	f->nook_allocated = false;
	if (!s->seccomp.enabled)
		return;
	key = seccomp_key(&s->seccomp);
	if (seccomp_prebuilt(key, &f->nook))
		return;
	seccomp_compile_libseccomp(&s->seccomp, &f->nook);
	f->nook_allocated = true;
}

void oci_filters_free(struct oci_filters *f)
{
	free(f->config.filter);
	if (f->nook_allocated)
		free(f->nook.filter);
	memset(f, 0, sizeof *f);
}

void oci_filters_load(const struct spec *s, const struct oci_filters *f)
{
	unsigned flags = 0;

	if (s->oci.seccomp.flags & OCI_SCMP_FLAG_TSYNC)
		flags |= SECCOMP_FILTER_FLAG_TSYNC;
	if (s->oci.seccomp.flags & OCI_SCMP_FLAG_LOG)
		flags |= SECCOMP_FILTER_FLAG_LOG;
	if (s->oci.seccomp.flags & OCI_SCMP_FLAG_SPEC_ALLOW)
		flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	if (f->config.filter && syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &f->config)) {
		if (errno == EACCES)
			die("config.json: linux.seccomp: cannot load the filter: without "
			    "process.noNewPrivileges that needs CAP_SYS_ADMIN, which the process "
			    "lacks");
		die_errno("config.json: linux.seccomp: cannot load the filter%s",
			  flags ? " with its flags" : "");
	}
	seccomp_install(&f->nook);
}
