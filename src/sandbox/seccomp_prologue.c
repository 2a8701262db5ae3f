// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What libseccomp cannot say, as BPF of our own that runs first and then falls through to
 * libseccomp's program, unchanged:
 *
 * - The system calls libseccomp cannot name. A filter that names what it denies lets through
 *   every call libseccomp does not know of: on a kernel newer than libseccomp those are the
 *   newest calls, the least tried (open_tree_attr, statmount, ...), and libseccomp has no
 *   "every number above N". Those numbers answer ENOSYS; the user's numbers are denied or
 *   allowed. Numbers given by the user are the native architecture's; i386 and x32 calls
 *   above the known ones are ENOSYS anyway.
 * - personality() with a flag that weakens the address space (ASLR off, READ_IMPLIES_EXEC,
 *   ...), or with bit 31 and any other value than the query 0xffffffff (the kernel takes it as
 *   a personality, flags included). libseccomp says it as 41 masked comparisons, 123
 *   instructions, half of the default filter, and the kernel's preparation of a filter
 *   (checking, translating, JIT) takes ~0.4 us an instruction at every start; here it is 6.
 * - socket(AF_VSOCK) on one architecture and not another: libseccomp turns a rule on
 *   socket's family into a refusal of every i386 socketcall(SYS_SOCKET), whose arguments lie
 *   in memory; that would leave 32-bit programs (whose C library uses socketcall) with no
 *   socket at all. So the family is checked here, where the arguments are in registers:
 *   native, x32, i386's and arm's own socket(); i386's socketcall is not checked.
 *
 *	ld  arch                        for each architecture the filter accepts
 *	jeq ARCH, 1, 0; ja next
 *	ld  nr
 *	jeq SOCKET, 0, 4; ld args[0]; jeq AF_VSOCK, 0, 1; ret DENY_FAMILY; ld nr
 *	jeq PERSONALITY, 0, 4; ld args[0]; jeq 0xffffffff, 2, 0; jset FLAGS|BIT31, 0, 1;
 *	    ret DENY; ld nr
 *	jeq N, 0, 1; ret DENY           --seccomp-drop=N (N unknown to libseccomp)
 *	jeq N, 0, 1; ja pass            --seccomp-allow=N: not ENOSYS
 *	jge LO, 0, 2; jgt HI, 1, 0; ret ENOSYS      for each unknown range LO..HI
 *	ja pass
 *   next: ...
 *   pass: libseccomp's program (which checks the architecture again)
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/socket.h>

#include "sandbox/internal.h"
#include "util/err.h"

#define X32_SYSCALL_BIT 0x40000000u
/* -1 is left alone: what a tracer sets to skip a call, which the kernel answers itself. */
#define NR_LAST (UINT32_MAX - 1)
/* The kernel's numbers are below this on every architecture nook filters (x32: plus its bit). */
#define NR_SCAN_LIMIT 1024u

/* personality() flags that weaken the address space; PER_LINUX32 and UNAME26 stay allowed. */
#define PERSONALITY_DENIED                                                                  \
	(ADDR_NO_RANDOMIZE | READ_IMPLIES_EXEC | MMAP_PAGE_ZERO | ADDR_COMPAT_LAYOUT |      \
	 ADDR_LIMIT_32BIT | ADDR_LIMIT_3GB | FDPIC_FUNCPTRS | SHORT_INODE | WHOLE_SECONDS | \
	 STICKY_TIMEOUTS)
#define PERSONALITY_QUERY 0xffffffffu

struct range {
	uint32_t lo, hi;
};

/* One architecture as the kernel reports it in seccomp_data.arch, and its unknown numbers. */
struct arch_block {
	uint32_t audit_arch;
	struct range unknown[4];
	size_t nunknown;
	uint32_t socket[2]; /* socket()'s numbers (x86-64 and x32 share a block) */
	size_t nsocket;
	uint32_t personality[2]; /* personality()'s, the same way */
	size_t npersonality;
	bool native; /* the user's numbers apply here */
};

struct prog {
	struct sock_filter *insn;
	size_t n, cap;
	/* Where each "ja" must land, resolved when the block's end and "pass" are known. */
	size_t *ja_next, nja_next;
	size_t *ja_pass, nja_pass;
};

static void emit(struct prog *p, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->insn = xreallocarray(p->insn, p->cap, sizeof *p->insn);
	}
	p->insn[p->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static void emit_ja(struct prog *p, size_t **list, size_t *n)
{
	*list = xreallocarray(*list, *n + 1, sizeof **list);
	(*list)[(*n)++] = p->n;
	emit(p, BPF_JMP | BPF_JA, 0, 0, 0);
}

/* Point the recorded "ja"s at instruction TARGET. */
static void resolve(struct prog *p, size_t *list, size_t *n, size_t target)
{
	for (size_t i = 0; i < *n; i++)
		p->insn[list[i]].k = (uint32_t)(target - list[i] - 1);
	*n = 0;
}

/* The highest number in [from, to] that libseccomp names for ARCH, or -1. */
static int64_t highest_known(uint32_t arch, uint32_t from, uint32_t to)
{
	for (uint32_t nr = to + 1; nr-- > from;) {
		char *name = seccomp_syscall_resolve_num_arch(arch, (int)nr);

		if (name) {
			free(name);
			return nr;
		}
	}
	return -1;
}

/*
 * The numbers of one ABI (libseccomp's arch ARCH, numbered from BASE) that libseccomp does
 * not know, up to END: those above the highest known one. x32 keeps its old calls at 512 and
 * up, after a gap: a known block there leaves the gap below it unknown too.
 */
static void add_unknown(struct arch_block *b, uint32_t arch, uint32_t base, uint32_t end)
{
	int64_t low = highest_known(arch, base, base + NR_SCAN_LIMIT / 2 - 1);
	int64_t high = highest_known(arch, base + NR_SCAN_LIMIT / 2, base + NR_SCAN_LIMIT - 1);

	if (low < 0)
		return; /* numbered elsewhere (mips): no rule rather than a wrong one */
	if (high >= 0) {
		b->unknown[b->nunknown++] = (struct range){(uint32_t)low + 1,
							   base + NR_SCAN_LIMIT / 2 - 1};
		b->unknown[b->nunknown++] = (struct range){(uint32_t)high + 1, end};
	} else {
		b->unknown[b->nunknown++] = (struct range){(uint32_t)low + 1, end};
	}
}

/* i386's own socket() (Linux 4.3): libseccomp gives the socketcall-multiplexed pseudo number. */
#define I386_NR_SOCKET 359

/* socket()'s number on libseccomp's ARCH, when the family is to be checked. */
static void add_socket(const struct seccomp_spec *s, struct arch_block *b, uint32_t arch)
{
	int nr = arch == SCMP_ARCH_X86 ? I386_NR_SOCKET
				       : seccomp_syscall_resolve_name_arch(arch, "socket");

	if (s->deny_vsock && nr >= 0)
		b->socket[b->nsocket++] = (uint32_t)nr;
}

/* personality()'s number on libseccomp's ARCH, when its flags are to be checked. */
static void add_personality(const struct seccomp_spec *s, struct arch_block *b, uint32_t arch)
{
	int nr = seccomp_syscall_resolve_name_arch(arch, "personality");

	if (s->deny_personality_flags && nr >= 0)
		b->personality[b->npersonality++] = (uint32_t)nr;
}

/* The architectures the filter accepts, with their unknown ranges when ENOSYS is asked for. */
static size_t arch_blocks(const struct seccomp_spec *s, struct arch_block *out)
{
	uint32_t native = seccomp_arch_native();
	size_t n = 0;

	out[n] = (struct arch_block){.audit_arch = native, .native = true};
	add_socket(s, &out[n], native);
	add_personality(s, &out[n], native);
	if (native == SCMP_ARCH_X86_64) {
		if (s->enosys_unknown)
			add_unknown(&out[n], native, 0, X32_SYSCALL_BIT - 1);
		/* x32 calls come as x86-64's with bit 30 set; without secondary architectures,
		 * libseccomp's program refuses them. */
		if (s->secondary_arch) {
			add_socket(s, &out[n], SCMP_ARCH_X32);
			add_personality(s, &out[n], SCMP_ARCH_X32);
		}
		if (s->enosys_unknown && s->secondary_arch)
			add_unknown(&out[n], SCMP_ARCH_X32, X32_SYSCALL_BIT, NR_LAST);
		n++;
		if (s->secondary_arch) {
			out[n] = (struct arch_block){.audit_arch = AUDIT_ARCH_I386};
			add_socket(s, &out[n], SCMP_ARCH_X86);
			add_personality(s, &out[n], SCMP_ARCH_X86);
			if (s->enosys_unknown)
				add_unknown(&out[n], SCMP_ARCH_X86, 0, NR_LAST);
			n++;
		}
	} else {
		if (s->enosys_unknown)
			add_unknown(&out[n], native, 0, NR_LAST);
		n++;
		if (native == SCMP_ARCH_AARCH64 && s->secondary_arch) {
			/* arm's private calls (cacheflush, set_tls, ...) sit at 0xf0000 and up. */
			out[n] = (struct arch_block){.audit_arch = AUDIT_ARCH_ARM};
			add_socket(s, &out[n], SCMP_ARCH_ARM);
			add_personality(s, &out[n], SCMP_ARCH_ARM);
			if (s->enosys_unknown)
				add_unknown(&out[n], SCMP_ARCH_ARM, 0, 0xeffff);
			n++;
		}
	}
	return n;
}

/* The numbers of LIST (names skipped) that libseccomp does not know on this architecture. */
static size_t unknown_numbers(const struct strv *list, uint32_t *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < list->n && n < max; i++) {
		const char *v = list->v[i];
		char *end, *name;
		unsigned long nr;

		if (v[0] < '0' || v[0] > '9')
			continue;
		nr = strtoul(v, &end, 10);
		if (*end || nr >= NR_SCAN_LIMIT)
			die("seccomp: bad system call number '%s'", v);
		name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int)nr);
		if (name) {
			free(name);
			continue; /* libseccomp's program has it */
		}
		out[n++] = (uint32_t)nr;
	}
	return n;
}

void seccomp_prologue(const struct seccomp_spec *s, uint32_t deny, uint32_t deny_family,
		      struct sock_fprog *prog)
{
	/*
	 * socket()'s family is an int, personality()'s an unsigned int: the low half of args[0],
	 * wherever this machine keeps it.
	 */
	const uint32_t family = offsetof(struct seccomp_data, args[0]) +
				(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? 0 : 4);
	struct arch_block blocks[3];
	uint32_t drops[NR_SCAN_LIMIT], allows[NR_SCAN_LIMIT];
	size_t nblocks, ndrops, nallows;
	struct prog p = {0};

	prog->len = 0;
	prog->filter = NULL;
	ndrops = unknown_numbers(&s->deny, drops, NR_SCAN_LIMIT);
	nallows = s->enosys_unknown ? unknown_numbers(&s->enosys_except, allows, NR_SCAN_LIMIT) : 0;
	if (!s->enosys_unknown && ndrops == 0 && !s->deny_vsock && !s->deny_personality_flags)
		return;
	nblocks = arch_blocks(s, blocks);
	for (size_t b = 0; b < nblocks; b++) {
		const struct arch_block *a = &blocks[b];

		resolve(&p, p.ja_next, &p.nja_next, p.n);
		emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
		emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, a->audit_arch);
		emit_ja(&p, &p.ja_next, &p.nja_next);
		emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
		for (size_t i = 0; i < a->nsocket; i++) {
			emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, a->socket[i]);
			emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, family);
			emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, AF_VSOCK);
			emit(&p, BPF_RET | BPF_K, 0, 0, deny_family);
			emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
		}
		/* The kernel reads the personality as 32 bits: the low half of args[0]. */
		for (size_t i = 0; i < a->npersonality; i++) {
			emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, a->personality[i]);
			emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, family);
			emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 2, 0, PERSONALITY_QUERY);
			emit(&p, BPF_JMP | BPF_JSET | BPF_K, 0, 1,
			     PERSONALITY_DENIED | 0x80000000u);
			emit(&p, BPF_RET | BPF_K, 0, 0, deny);
			emit(&p, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
		}
		for (size_t i = 0; a->native && i < ndrops; i++) {
			emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, drops[i]);
			emit(&p, BPF_RET | BPF_K, 0, 0, deny);
		}
		for (size_t i = 0; a->native && i < nallows; i++) {
			emit(&p, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, allows[i]);
			emit_ja(&p, &p.ja_pass, &p.nja_pass);
		}
		for (size_t i = 0; i < a->nunknown; i++) {
			emit(&p, BPF_JMP | BPF_JGE | BPF_K, 0, 2, a->unknown[i].lo);
			emit(&p, BPF_JMP | BPF_JGT | BPF_K, 1, 0, a->unknown[i].hi);
			emit(&p, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
		}
		emit_ja(&p, &p.ja_pass, &p.nja_pass);
	}
	/* An architecture of none of the blocks goes on to libseccomp's check, which refuses it. */
	resolve(&p, p.ja_next, &p.nja_next, p.n);
	resolve(&p, p.ja_pass, &p.nja_pass, p.n);
	free(p.ja_next);
	free(p.ja_pass);
	prog->filter = p.insn;
	prog->len = (unsigned short)p.n;
}
