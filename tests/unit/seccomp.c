// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The default filter compiled at build time is the one libseccomp gives now; others are not.
 * What the programs answer, run here by a small classic-BPF interpreter for inputs the kernel
 * may not offer (x32, numbers no kernel has yet).
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy/security.h"
#include "request/values.h"
#include "sandbox/internal.h"
#include "tap.h"
#include "util/err.h"

static void req_init(struct request *r)
{
	request_init(r);
	r->quiet = true;
}

static void req_free(struct request *r)
{
	request_free(r);
}

static void build(struct request *req, struct spec *s)
{
	spec_init(s);
	security_build(req, s);
}

/* The classic BPF the kernel would run, for one system call; 0xdeadbeef for a bad program. */
static uint32_t run_a0(const struct sock_fprog *p, uint32_t arch, uint32_t nr, uint64_t a0)
{
	struct seccomp_data d = {.nr = (int)nr, .arch = arch, .args = {a0}};
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};

	for (size_t pc = 0; pc < p->len; pc++) {
		const struct sock_filter *f = &p->filter[pc];
		uint32_t src = BPF_SRC(f->code) == BPF_X ? x : f->k;
		bool cond;

		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			if (BPF_MODE(f->code) == BPF_ABS && f->k % 4 == 0 && f->k < sizeof d)
				memcpy(&a, (const char *)&d + f->k, 4);
			else if (BPF_MODE(f->code) == BPF_IMM)
				a = f->k;
			else if (BPF_MODE(f->code) == BPF_MEM && f->k < BPF_MEMWORDS)
				a = mem[f->k];
			else
				return 0xdeadbeef;
			break;
		case BPF_LDX:
			if (BPF_MODE(f->code) == BPF_IMM)
				x = f->k;
			else if (BPF_MODE(f->code) == BPF_MEM && f->k < BPF_MEMWORDS)
				x = mem[f->k];
			else
				return 0xdeadbeef;
			break;
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return 0xdeadbeef;
			mem[f->k] = BPF_CLASS(f->code) == BPF_ST ? a : x;
			break;
		case BPF_ALU:
			switch (BPF_OP(f->code)) {
			case BPF_AND:
				a &= src;
				break;
			case BPF_OR:
				a |= src;
				break;
			case BPF_ADD:
				a += src;
				break;
			case BPF_SUB:
				a -= src;
				break;
			case BPF_RSH:
				a >>= src & 31;
				break;
			case BPF_LSH:
				a <<= src & 31;
				break;
			default:
				return 0xdeadbeef;
			}
			break;
		case BPF_JMP:
			if (BPF_OP(f->code) == BPF_JA) {
				pc += f->k;
				break;
			}
			switch (BPF_OP(f->code)) {
			case BPF_JEQ:
				cond = a == src;
				break;
			case BPF_JGT:
				cond = a > src;
				break;
			case BPF_JGE:
				cond = a >= src;
				break;
			case BPF_JSET:
				cond = (a & src) != 0;
				break;
			default:
				return 0xdeadbeef;
			}
			pc += cond ? f->jt : f->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(f->code) == BPF_A ? a : f->k;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		default:
			return 0xdeadbeef;
		}
	}
	return 0xdeadbeef;
}

static uint32_t run(const struct sock_fprog *p, uint32_t arch, uint32_t nr)
{
	return run_a0(p, arch, nr, 0);
}

#define ALLOW SECCOMP_RET_ALLOW
#define EPERM_ (SECCOMP_RET_ERRNO | EPERM)
#define ENOSYS_ (SECCOMP_RET_ERRNO | ENOSYS)
#define EAFNOSUPPORT_ (SECCOMP_RET_ERRNO | EAFNOSUPPORT)
#define KILL SECCOMP_RET_KILL_PROCESS
#define X32 0x40000000u

static const char *ret_name(uint32_t r)
{
	static char buf[32];

	switch (r) {
	case ALLOW:
		return "allow";
	case EPERM_:
		return "EPERM";
	case ENOSYS_:
		return "ENOSYS";
	case EAFNOSUPPORT_:
		return "EAFNOSUPPORT";
	case KILL:
		return "kill";
	case 0xdeadbeef:
		return "(bad program)";
	}
	snprintf(buf, sizeof buf, "0x%08x", r);
	return buf;
}

/* The program of the request REQ answers WANT for (ARCH, NR). */
#define answers(prog, arch, nr, want, ...) \
	is_str(ret_name(run(prog, arch, nr)), ret_name(want), __VA_ARGS__)
#define answers_a0(prog, arch, nr, a0, want, ...) \
	is_str(ret_name(run_a0(prog, arch, nr, a0)), ret_name(want), __VA_ARGS__)

/*
 * libseccomp asks the kernel whether it can kill the process before it builds a filter that
 * does; valgrind does not know seccomp(2), so there it cannot.
 */
static bool kill_available(void)
{
	uint32_t action = SECCOMP_RET_KILL_PROCESS;

	if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0)
		return true;
	ok(true,
	   "# SKIP the kill action: seccomp(SECCOMP_GET_ACTION_AVAIL) fails here (valgrind?)");
	return false;
}

/* The request's program, compiled now (the prebuilt ones are the same: see main). */
static void compile_net(struct request *req, enum net_mode net, struct sock_fprog *p)
{
	struct spec s;

	spec_init(&s);
	s.net.mode = net;
	security_build(req, &s);
	seccomp_compile_libseccomp(&s.seccomp, p);
	spec_free(&s);
}

static void compile(struct request *req, struct sock_fprog *p)
{
	compile_net(req, NET_NONE, p);
}

static void add(struct strv *list, const char *value)
{
	char err[256];

	if (parse_syscall_list(value, list, err, sizeof err) < 0)
		diag("%s: %s", value, err);
}

/*
 * Numbers above the highest libseccomp knows answer ENOSYS, on each architecture the filter
 * accepts; x32 through its bit; -1 (a tracer's "skip") is left alone; the user's numbers
 * drop and allow. libseccomp 2.5.4 knows up to 456 (futex_requeue) on x86-64.
 */
static void test_unknown_numbers(void)
{
#if defined(__x86_64__)
	const uint32_t x86_64 = AUDIT_ARCH_X86_64, i386 = AUDIT_ARCH_I386;
	struct request req;
	struct sock_fprog p;

	req_init(&req);
	compile(&req, &p);
	answers(&p, x86_64, 39, ALLOW, "default: getpid allowed");
	answers(&p, x86_64, 456, ALLOW,
		"default: futex_requeue (456, libseccomp knows it) allowed");
	answers(&p, x86_64, 165, EPERM_, "default: mount EPERM");
	answers(&p, x86_64, 467, ENOSYS_, "default: 467 (open_tree_attr) ENOSYS");
	answers(&p, x86_64, 457, ENOSYS_, "default: 457, the first unknown, ENOSYS");
	answers(&p, x86_64, 1000, ENOSYS_, "default: 1000 ENOSYS");
	answers(&p, x86_64, X32 - 1, ENOSYS_, "default: 0x3fffffff ENOSYS");
	answers(&p, x86_64, X32 | 39, ENOSYS_, "default: x32 getpid refused (bad arch: ENOSYS)");
	answers(&p, x86_64, X32 | 467, ENOSYS_, "default: x32 467 refused");
	answers(&p, x86_64, UINT32_MAX, ALLOW, "default: -1 (a tracer's skip) left to the kernel");
	answers(&p, i386, 20, ENOSYS_, "default: i386 getpid refused (bad arch)");
	answers(&p, i386, 467, ENOSYS_, "default: i386 467 refused (bad arch)");
	free(p.filter);
	req_free(&req);

	if (kill_available()) {
		req_init(&req);
		req.sec.action = SECCOMP_ACTION_KILL;
		compile(&req, &p);
		answers(&p, x86_64, 467, ENOSYS_, "kill action: 467 still ENOSYS (as clone3)");
		answers(&p, x86_64, 165, KILL, "kill action: mount kills");
		answers(&p, x86_64, X32 | 39, KILL, "kill action: x32 kills");
		free(p.filter);
		req_free(&req);
	}

	req_init(&req);
	req.sec.allow_secondary_arch = true;
	compile(&req, &p);
	answers(&p, i386, 20, ALLOW, "secondary: i386 getpid allowed");
	answers(&p, i386, 21, EPERM_, "secondary: i386 mount EPERM");
	answers(&p, i386, 456, ALLOW, "secondary: i386 456 allowed");
	answers(&p, i386, 467, ENOSYS_, "secondary: i386 467 ENOSYS");
	answers(&p, i386, 100000, ENOSYS_, "secondary: i386 100000 ENOSYS");
	answers(&p, i386, UINT32_MAX, ALLOW, "secondary: i386 -1 left to the kernel");
	answers(&p, x86_64, X32 | 39, ALLOW, "secondary: x32 getpid allowed");
	answers(&p, x86_64, X32 | 165, EPERM_, "secondary: x32 mount EPERM");
	answers(&p, x86_64, X32 | 456, ALLOW, "secondary: x32 456 allowed");
	answers(&p, x86_64, X32 | 467, ENOSYS_, "secondary: x32 467 ENOSYS");
	answers(&p, x86_64, X32 | 511, ENOSYS_, "secondary: x32 511 (below its old block) ENOSYS");
	answers(&p, x86_64, X32 | 514, ALLOW, "secondary: x32 514 (its ioctl) allowed");
	answers(&p, x86_64, X32 | 548, ENOSYS_, "secondary: x32 548 (after its old block) ENOSYS");
	answers(&p, x86_64, UINT32_MAX, ALLOW, "secondary: -1 left to the kernel");
	answers(&p, x86_64, 467, ENOSYS_, "secondary: x86-64 467 ENOSYS");
	free(p.filter);
	req_free(&req);

	req_init(&req);
	add(&req.sec.seccomp_drop, "467,getcwd");
	add(&req.sec.seccomp_allow, "468");
	compile(&req, &p);
	answers(&p, x86_64, 467, EPERM_, "--seccomp-drop=467: EPERM (the error action)");
	answers(&p, x86_64, 79, EPERM_, "--seccomp-drop=getcwd: EPERM");
	answers(&p, x86_64, 468, ALLOW, "--seccomp-allow=468: allowed");
	answers(&p, x86_64, 469, ENOSYS_, "--seccomp-allow=468: 469 still ENOSYS");
	free(p.filter);
	req_free(&req);

	if (kill_available()) {
		req_init(&req);
		req.sec.action = SECCOMP_ACTION_KILL;
		add(&req.sec.seccomp_drop, "467");
		compile(&req, &p);
		answers(&p, x86_64, 467, KILL, "--seccomp-drop=467 with the kill action: kills");
		free(p.filter);
		req_free(&req);
	}

	/* Off: the user's numbers only; no ENOSYS rule. */
	req_init(&req);
	req.sec.seccomp = (struct req_value){xstrdup("off"), xstrdup("--seccomp"), true};
	add(&req.sec.seccomp_drop, "467,39");
	compile(&req, &p);
	answers(&p, x86_64, 467, EPERM_, "--seccomp=off --seccomp-drop=467: EPERM");
	answers(&p, x86_64, 39, EPERM_, "--seccomp=off --seccomp-drop=39: getpid EPERM");
	answers(&p, x86_64, 468, ALLOW, "--seccomp=off: 468 allowed");
	answers(&p, x86_64, 165, ALLOW, "--seccomp=off: mount allowed");
	free(p.filter);
	req_free(&req);
#else
	ok(true, "# SKIP the BPF checks are written for x86-64");
#endif
}

/*
 * socket(AF_VSOCK) fails unless --net=host, on every architecture whose socket() has the
 * family in a register; i386's socketcall is left alone (its arguments are in memory, and
 * refusing it would take every socket from 32-bit programs).
 */
static void test_vsock(void)
{
#if defined(__x86_64__)
	const uint32_t x86_64 = AUDIT_ARCH_X86_64, i386 = AUDIT_ARCH_I386;
	struct request req;
	struct sock_fprog p;

	req_init(&req);
	compile(&req, &p);
	answers_a0(&p, x86_64, 41, AF_VSOCK, EAFNOSUPPORT_,
		   "default: socket(AF_VSOCK) EAFNOSUPPORT");
	answers_a0(&p, x86_64, 41, AF_VSOCK | UINT64_C(0x500000000), EAFNOSUPPORT_,
		   "default: socket(AF_VSOCK) with bits above 32 (the kernel reads an int)");
	answers_a0(&p, x86_64, 41, AF_INET, ALLOW, "default: socket(AF_INET) allowed");
	answers_a0(&p, x86_64, 41, AF_UNIX, ALLOW, "default: socket(AF_UNIX) allowed");
	answers_a0(&p, x86_64, 53, AF_VSOCK, ALLOW,
		   "default: socketpair(AF_VSOCK) is the kernel's "
		   "(it has no pairs)");
	free(p.filter);
	req_free(&req);

	req_init(&req);
	compile_net(&req, NET_HOST, &p);
	answers_a0(&p, x86_64, 41, AF_VSOCK, ALLOW, "--net=host: socket(AF_VSOCK) allowed");
	free(p.filter);
	req_free(&req);

	if (kill_available()) {
		req_init(&req);
		req.sec.action = SECCOMP_ACTION_KILL;
		compile(&req, &p);
		answers_a0(&p, x86_64, 41, AF_VSOCK, KILL, "kill action: socket(AF_VSOCK) kills");
		free(p.filter);
		req_free(&req);
	}

	req_init(&req);
	req.sec.allow_secondary_arch = true;
	compile(&req, &p);
	answers_a0(&p, i386, 359, AF_VSOCK, EAFNOSUPPORT_,
		   "secondary: i386 socket(AF_VSOCK) refused");
	answers_a0(&p, i386, 359, AF_INET, ALLOW, "secondary: i386 socket(AF_INET) allowed");
	answers_a0(&p, i386, 102, 1, ALLOW, "secondary: i386 socketcall(SYS_SOCKET) allowed");
	answers_a0(&p, x86_64, X32 | 41, AF_VSOCK, EAFNOSUPPORT_,
		   "secondary: x32 socket(AF_VSOCK) refused");
	answers_a0(&p, x86_64, X32 | 41, AF_INET, ALLOW, "secondary: x32 socket(AF_INET) allowed");
	answers_a0(&p, x86_64, 41, AF_VSOCK, EAFNOSUPPORT_, "secondary: socket(AF_VSOCK) refused");
	free(p.filter);
	req_free(&req);
#else
	ok(true, "# SKIP the BPF checks are written for x86-64");
#endif
}

int main(void)
{
	struct request req;
	struct spec s;
	struct sock_fprog pre, now;
	char err[256];

	req_init(&req);
	build(&req, &s);
	seccomp_compile(&s.seccomp, &pre);
	seccomp_compile_libseccomp(&s.seccomp, &now);
	ok(pre.len > 0, "default: a filter (%u instructions)", pre.len);
	is_int(pre.len, now.len, "default: prebuilt and compiled now have the same length");
	ok(pre.len == now.len && memcmp(pre.filter, now.filter, pre.len * sizeof *pre.filter) == 0,
	   "default: prebuilt and compiled now are the same program");
	{
		char *key = seccomp_key(&s.seccomp);

		ok(seccomp_prebuilt(key, &pre), "default: its key is the prebuilt's");
		free(key);
	}
	free(now.filter);
	spec_free(&s);

	/* --net=host has one too: its filter lets AF_VSOCK in. */
	{
		struct sock_fprog hpre, hnow;
		char *key;

		spec_init(&s);
		s.net.mode = NET_HOST;
		security_build(&req, &s);
		key = seccomp_key(&s.seccomp);
		ok(seccomp_prebuilt(key, &hpre), "--net=host: its key is a prebuilt one");
		seccomp_compile_libseccomp(&s.seccomp, &hnow);
		ok(hpre.len == hnow.len &&
			   memcmp(hpre.filter, hnow.filter, hpre.len * sizeof *hpre.filter) == 0,
		   "--net=host: prebuilt and compiled now are the same program (%u, %u)", hpre.len,
		   hnow.len);
		ok(hpre.filter != pre.filter, "--net=host: not the default's program");
		free(hnow.filter);
		free(key);
		spec_free(&s);
	}

	/* Any change of policy is compiled at run time, not served the default. */
	ok(parse_syscall_list("getcwd", &req.sec.seccomp_drop, err, sizeof err) == 0,
	   "parse getcwd");
	build(&req, &s);
	{
		char *key = seccomp_key(&s.seccomp);
		struct sock_fprog p;

		ok(!seccomp_prebuilt(key, &p), "--seccomp-drop=getcwd: not the prebuilt filter");
		free(key);
	}
	seccomp_compile(&s.seccomp, &now);
	ok(now.len > pre.len, "--seccomp-drop=getcwd: a longer program (%u > %u)", now.len,
	   pre.len);
	free(now.filter);
	spec_free(&s);
	req_free(&req);

	req_init(&req);
	req.sec.action = SECCOMP_ACTION_KILL;
	build(&req, &s);
	{
		char *key = seccomp_key(&s.seccomp);
		struct sock_fprog p;

		ok(!seccomp_prebuilt(key, &p),
		   "--seccomp-error-action=kill: not the prebuilt filter");
		free(key);
	}
	spec_free(&s);
	req_free(&req);

	test_unknown_numbers();
	test_vsock();
	return done_testing();
}
