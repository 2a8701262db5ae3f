// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe: one escape attempt per subcommand, meant to run inside a nook sandbox.
 *
 * Every attempt prints one verdict line:
 *   DENIED <what> errno=<NAME>     refused the way the sandbox is meant to refuse it
 *   KILLED <what> signal=SIGSYS    (syscalls, forked) the filter killed the child that tried
 *   ALLOWED <what> ret=<N> [...]   the call went through (or reached the kernel and failed
 *                                  there with an errno that is not the filter's)
 * Exit status: 0 every attempt was DENIED or KILLED, 1 at least one was ALLOWED, 2 the probe
 * itself could not do what it was asked (the line starting ERROR says why).
 *
 * Raw syscall() everywhere, so no libc wrapper hides or translates anything.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef TIOCLINUX
#define TIOCLINUX 0x541C
#endif

/* The ioctl command with bits above 32 set: the kernel only looks at the low 32. */
#define HIGH_BITS UINT64_C(0xdead00000000)

/* i386 system call numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
enum {
	I386_GETPID = 20,
	I386_IOCTL = 54,
	I386_SOCKETCALL = 102,
	I386_IPC = 117,
	I386_CLONE = 120,
	I386_MPROTECT = 125,
	I386_PERSONALITY = 136,
	I386_MMAP2 = 192,
	I386_UNSHARE = 310,
	I386_SOCKET = 359,
};
#define X32_SYSCALL_BIT 0x40000000L
#define X32_GETPID 39L

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static void flush(void)
{
	fflush(stdout);
	fflush(stderr);
}

static _Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void fail(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	printf("ERROR ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf(" (errno=%s)\n", ename(e));
	flush();
	exit(2);
}

/* ret/err as a raw syscall() gives them: -1 and errno on failure. */
static int verdict(const char *what, long ret, int err, int denied_errno)
{
	if (ret == -1 && err == denied_errno) {
		printf("DENIED %s errno=%s\n", what, ename(err));
		return 0;
	}
	if (ret == -1)
		printf("ALLOWED %s ret=-1 errno=%s\n", what, ename(err));
	else
		printf("ALLOWED %s ret=%ld\n", what, ret);
	return 1;
}

/* For attempts where any failure is the wanted result (the errno is printed for the test). */
static int verdict_fails(const char *what, long ret, int err)
{
	if (ret == -1) {
		printf("DENIED %s errno=%s\n", what, ename(err));
		return 0;
	}
	printf("ALLOWED %s ret=%ld\n", what, ret);
	return 1;
}

static long raw(long nr, long a0, long a1, long a2, long a3, long a4, long a5, int *err)
{
	long r;

	errno = 0;
	r = syscall(nr, a0, a1, a2, a3, a4, a5);
	*err = errno;
	return r;
}

static unsigned long parse_ulong(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end)
		fail("'%s' is not a number", s);
	return v;
}

/* N with an optional K, M or G suffix (powers of 1024). */
static size_t parse_size(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s)
		fail("'%s' is not a size", s);
	switch (*end) {
	case 'K':
		v <<= 10;
		end++;
		break;
	case 'M':
		v <<= 20;
		end++;
		break;
	case 'G':
		v <<= 30;
		end++;
		break;
	default:
		break;
	}
	if (*end)
		fail("'%s' is not a size", s);
	return (size_t)v;
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			fail("waitpid");
	return status;
}

/* ---- i386 (int $0x80) and x32 entry points ---- */

/*
 * A system call through the 32-bit entry. Arguments are truncated to 32 bits; pointers must
 * lie below 4 GiB (see low_alloc). The sixth argument goes in %ebp, swapped through %r12 so
 * the compiler's frame pointer survives; the kernel may clobber %r8-%r11 on this path.
 */
#if defined(__x86_64__)
static long int80(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	register long r12 __asm__("r12") = a5;
	long ret;

	__asm__ volatile("xchg %%rbp, %%r12\n\t"
			 "int $0x80\n\t"
			 "xchg %%rbp, %%r12"
			 : "=a"(ret), "+r"(r12)
			 : "a"(nr), "b"(a0), "c"(a1), "d"(a2), "S"(a3), "D"(a4)
			 : "memory", "cc", "r8", "r9", "r10", "r11");
	return (long)(int)ret;
}
#else
static long int80(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	errno = ENOSYS;
	fail("i386 and x32 probes exist only on x86_64");
}
#define MAP_32BIT 0
#endif

/* int80 returns -errno: turn it into the -1/errno form verdict() takes. */
static long int80_result(long r, int *err)
{
	if (r < 0 && r > -4096) {
		*err = (int)-r;
		return -1;
	}
	*err = 0;
	return (long)(uint32_t)r; /* addresses from mmap2 are above 2 GiB */
}

static void *low_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		       -1, 0);

	if (p == MAP_FAILED)
		fail("mmap MAP_32BIT");
	return p;
}

/* ---- subcommands ---- */

/* The number of NAME on this architecture, or exit 2. */
static long resolve(const char *name, uint32_t arch)
{
	int nr = arch ? seccomp_syscall_resolve_name_arch(arch, name)
		      : seccomp_syscall_resolve_name(name);

	if (nr == __NR_SCMP_ERROR)
		fail("unknown system call '%s'", name);
	if (nr < 0)
		fail("'%s' is not a system call on this architecture", name);
	return nr;
}

/* NAME(-1, 0, 0, 0, 0, 0): a bad first argument, so nothing happens if the kernel is reached. */
static int call_by_name(const char *name)
{
	int err;
	long r = raw(resolve(name, 0), -1L, 0, 0, 0, 0, 0, &err);

	return verdict(name, r, err, EPERM);
}

static int cmd_syscall(int argc, char **argv)
{
	int rc = 0;

	if (argc < 1)
		fail("usage: probe syscall NAME...");
	for (int i = 0; i < argc; i++)
		rc |= call_by_name(argv[i]);
	return rc;
}

/* Each call in its own child: a filter that kills shows up as SIGSYS, reported KILLED. */
static int cmd_syscalls(int argc, char **argv)
{
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		pid_t pid;
		int status;

		resolve(argv[i], 0);
		flush();
		pid = fork();
		if (pid < 0)
			fail("fork");
		if (pid == 0) {
			int r = call_by_name(argv[i]);

			flush();
			_exit(r);
		}
		status = wait_child(pid);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS) {
			printf("KILLED %s signal=SIGSYS\n", argv[i]);
		} else if (WIFEXITED(status) && WEXITSTATUS(status) <= 1) {
			rc |= WEXITSTATUS(status);
		} else {
			printf("ERROR %s: child status 0x%x\n", argv[i], (unsigned)status);
			return 2;
		}
	}
	return rc;
}

/* The same through the i386 entry point (needs --allow-secondary-arch to get past the arch check). */
static int cmd_i386_syscall(int argc, char **argv)
{
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86, argv[i]);
		char what[96];
		long r;
		int err;

		if (nr == __NR_SCMP_ERROR)
			fail("unknown system call '%s'", argv[i]);
		if (nr < 0) {
			printf("ABSENT i386-%s\n", argv[i]);
			continue;
		}
		r = int80_result(int80(nr, -1L, 0, 0, 0, 0, 0), &err);
		snprintf(what, sizeof what, "i386-%s", argv[i]);
		rc |= verdict(what, r, err, EPERM);
	}
	return rc;
}

/*
 * Raw numbers, each with the arguments (-1, 0, ...), through the native entry (ABI ""), x32's
 * (the number | 0x40000000) or i386's (int $0x80): for calls newer than libseccomp, which
 * the filter knows by number only. ENOSYS or EPERM is DENIED: the filter's answers; whatever
 * else comes back was the kernel's.
 */
static int cmd_nr(const char *abi, int argc, char **argv)
{
	int rc = 0;

	if (argc < 1)
		fail("usage: probe nr|x32-nr|i386-nr NUMBER...");
	for (int i = 0; i < argc; i++) {
		long nr = (long)parse_ulong(argv[i]);
		char what[64];
		int err;
		long r;

		if (strcmp(abi, "i386") == 0)
			r = int80_result(int80(nr, -1L, 0, 0, 0, 0, 0), &err);
		else
			r = raw(strcmp(abi, "x32") == 0 ? nr | X32_SYSCALL_BIT : nr, -1L, 0, 0, 0,
				0, 0, &err);
		snprintf(what, sizeof what, "%s%snr(%ld)", abi, abi[0] ? "-" : "", nr);
		if (r == -1 && (err == ENOSYS || err == EPERM)) {
			printf("DENIED %s errno=%s\n", what, ename(err));
			continue;
		}
		rc |= verdict(what, r, err, 0);
	}
	return rc;
}

/* Ordinary calls that every program needs: all must be ALLOWED and succeed. */
static int cmd_ordinary(void)
{
	char buf[256];
	int err, status;
	long r, fd;
	pid_t pid;
	void *p;

	r = raw(SYS_getpid, 0, 0, 0, 0, 0, 0, &err);
	verdict("getpid", r, err, EPERM);
	fd = raw(SYS_openat, AT_FDCWD, (long)"/proc/self/status", O_RDONLY | O_CLOEXEC, 0, 0, 0,
		 &err);
	verdict("openat", fd, err, EPERM);
	r = raw(SYS_read, fd, (long)buf, sizeof buf, 0, 0, 0, &err);
	verdict("read", r, err, EPERM);
	close((int)fd);
	fd = raw(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0, &err);
	verdict("socket-unix", fd, err, EPERM);
	close((int)fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	err = errno;
	verdict("mmap-rw", p == MAP_FAILED ? -1 : 0, err, EPERM);
	flush();
	/* clone() without namespace flags is fork(). */
	pid = (pid_t)raw(SYS_clone, SIGCHLD, 0, 0, 0, 0, 0, &err);
	if (pid == 0)
		_exit(7);
	if (pid > 0) {
		status = wait_child(pid);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 7)
			fail("the forked child ended with status 0x%x", (unsigned)status);
	}
	verdict("clone-fork", pid > 0 ? 0 : -1, err, EPERM);
	r = raw(SYS_unshare, 0, 0, 0, 0, 0, 0, &err);
	verdict("unshare-0", r, err, EPERM);
	r = raw(SYS_unshare, CLONE_FILES, 0, 0, 0, 0, 0, &err);
	verdict("unshare-files", r, err, EPERM);
	return 1;
}

static int pty_child(unsigned long cmd, const char *what, bool use_int80)
{
	char c = '\n';
	int m, s, err;
	long r;

	/* TIOCSTI on a terminal that is not the caller's controlling one is EPERM in the kernel
	 * too; make the pty ours so that only the filter can say EPERM. */
	if (setsid() < 0)
		fail("setsid");
	m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0)
		fail("posix_openpt");
	if (grantpt(m) < 0 || unlockpt(m) < 0)
		fail("grantpt/unlockpt");
	s = open(ptsname(m), O_RDWR);
	if (s < 0)
		fail("open %s", ptsname(m));
	if (ioctl(s, TIOCSCTTY, 0) < 0)
		fail("TIOCSCTTY");
	if (use_int80) {
		char *low = low_alloc(4096);

		*low = c;
		r = int80_result(int80(I386_IOCTL, s, (long)(cmd & 0xffffffffu), (long)low, 0, 0,
				       0),
				 &err);
	} else {
		r = raw(SYS_ioctl, s, (long)cmd, (long)&c, 0, 0, 0, &err);
	}
	return verdict(what, r, err, EPERM);
}

/* tiocsti|tioclinux [high|i386] */
static int cmd_tty(const char *which, int argc, char **argv)
{
	unsigned long cmd = strcmp(which, "tiocsti") == 0 ? TIOCSTI : TIOCLINUX;
	bool high = argc > 0 && strcmp(argv[0], "high") == 0;
	bool i386 = argc > 0 && strcmp(argv[0], "i386") == 0;
	char what[64];
	pid_t pid;
	int status;

	if (high)
		cmd |= HIGH_BITS;
	snprintf(what, sizeof what, "%s%s(0x%lx)", i386 ? "i386-" : "", which, cmd);
	flush();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		int r = pty_child(cmd, what, i386);

		flush();
		_exit(r);
	}
	status = wait_child(pid);
	if (!WIFEXITED(status))
		fail("the pty child ended with status 0x%x", (unsigned)status);
	return WEXITSTATUS(status);
}

/* i386 getpid through int $0x80: DENIED unless it returns our pid. */
static int cmd_int80_getpid(void)
{
	long r = int80(I386_GETPID, 0, 0, 0, 0, 0, 0);
	long pid = getpid();

	if (r == pid) {
		printf("ALLOWED int80-getpid ret=%ld pid=%ld\n", r, pid);
		return 1;
	}
	if (r < 0 && r > -4096) {
		printf("DENIED int80-getpid errno=%s pid=%ld\n", ename((int)-r), pid);
		return 0;
	}
	printf("ERROR int80-getpid returned %ld, pid=%ld\n", r, pid);
	return 2;
}

static int cmd_x32_getpid(void)
{
#if !defined(__x86_64__)
	errno = ENOSYS;
	fail("i386 and x32 probes exist only on x86_64");
#endif
	int err;
	long r = raw(X32_GETPID | X32_SYSCALL_BIT, 0, 0, 0, 0, 0, 0, &err);
	long pid = getpid();

	if (r == pid) {
		printf("ALLOWED x32-getpid ret=%ld pid=%ld\n", r, pid);
		return 1;
	}
	if (r == -1) {
		printf("DENIED x32-getpid errno=%s pid=%ld\n", ename(err), pid);
		return 0;
	}
	printf("ERROR x32-getpid returned %ld, pid=%ld\n", r, pid);
	return 2;
}

/*
 * A socket(AF_INET) or socket(AF_VSOCK) (FAMILY "inet", "vsock") through the i386 socketcall
 * multiplexer and the direct i386 socket().
 */
static int cmd_i386_socket(const char *fname, const char *how)
{
	unsigned int *args = low_alloc(4096);
	int family = strcmp(fname, "vsock") == 0 ? AF_VSOCK : AF_INET;
	char what[64];
	int err;
	long r;

	args[0] = (unsigned int)family;
	args[1] = SOCK_STREAM;
	args[2] = 0;
	if (strcmp(how, "socketcall") == 0)
		r = int80(I386_SOCKETCALL, 1 /* SYS_SOCKET */, (long)args, 0, 0, 0, 0);
	else if (strcmp(how, "direct") == 0)
		r = int80(I386_SOCKET, family, SOCK_STREAM, 0, 0, 0, 0);
	else
		fail("usage: probe i386-socket-inet|i386-socket-vsock socketcall|direct");
	r = int80_result(r, &err);
	snprintf(what, sizeof what, "i386-%s-%s",
		 strcmp(how, "direct") == 0 ? "socket" : "socketcall", fname);
	return verdict(what, r, err, EAFNOSUPPORT);
}

static int cmd_i386_mmap_wx(void)
{
	int err;
	long r = int80_result(int80(I386_MMAP2, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
			      &err);

	return verdict("i386-mmap2-wx", r, err, EPERM);
}

static int cmd_i386_mprotect_x(void)
{
	void *p = low_alloc(4096);
	int err;
	long r = int80_result(int80(I386_MPROTECT, (long)p, 4096, PROT_READ | PROT_EXEC, 0, 0, 0),
			      &err);

	return verdict("i386-mprotect-x", r, err, EPERM);
}

static int cmd_i386_shmat_x(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0700);
	int err;
	long r;

	if (id < 0)
		fail("shmget");
	/* The i386 ipc() multiplexer: call SHMAT = 21, first = id, second = flags, ptr = addr,
	 * third = where the address is stored. */
	{
		unsigned int *ret_addr = low_alloc(4096);

		r = int80(I386_IPC, 21, id, SHM_EXEC | SHM_RDONLY, (long)ret_addr, 0, 0);
	}
	shmctl(id, IPC_RMID, NULL);
	r = int80_result(r, &err);
	return verdict("i386-ipc-shmat-x", r, err, EPERM);
}

static int cmd_i386_personality(const char *value)
{
	unsigned long v = parse_ulong(value);
	int err;
	long r = int80_result(int80(I386_PERSONALITY, (long)v, 0, 0, 0, 0, 0), &err);
	char what[64];

	snprintf(what, sizeof what, "i386-personality(0x%lx)", v);
	return verdict(what, r, err, EPERM);
}

static const struct {
	const char *name;
	unsigned long flag;
} ns_flags[] = {
	{"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},
	{"net", CLONE_NEWNET},       {"pid", CLONE_NEWPID},
	{"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},
	{"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
	{"files", CLONE_FILES},      {"fs", CLONE_FS},
	{"sysvsem", CLONE_SYSVSEM},  {"none", 0},
};

/* "user,mnt" -> CLONE_NEWUSER|CLONE_NEWNS */
static unsigned long parse_flags(const char *list)
{
	char *copy = strdup(list), *save = NULL;
	unsigned long flags = 0;

	if (!copy)
		fail("strdup");
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof ns_flags / sizeof ns_flags[0]; i++)
			if (strcmp(t, ns_flags[i].name) == 0)
				break;
		if (i == sizeof ns_flags / sizeof ns_flags[0])
			fail("unknown flag '%s'", t);
		flags |= ns_flags[i].flag;
	}
	free(copy);
	return flags;
}

static int cmd_unshare(const char *list)
{
	unsigned long flags = parse_flags(list);
	char what[64];
	int err;
	long r = raw(SYS_unshare, (long)flags, 0, 0, 0, 0, 0, &err);

	snprintf(what, sizeof what, "unshare(%s)", list);
	return verdict(what, r, err, EPERM);
}

static int cmd_i386_unshare(const char *list)
{
	unsigned long flags = parse_flags(list);
	char what[64];
	int err;
	long r = int80_result(int80(I386_UNSHARE, (long)flags, 0, 0, 0, 0, 0), &err);

	snprintf(what, sizeof what, "i386-unshare(%s)", list);
	return verdict(what, r, err, EPERM);
}

static int cmd_i386_clone(const char *list)
{
	unsigned long flags = parse_flags(list);
	char what[64];
	int err;
	long r;

	flush();
	r = int80_result(int80(I386_CLONE, (long)(flags | SIGCHLD), 0, 0, 0, 0, 0), &err);
	if (r == 0)
		_exit(0);
	if (r > 0)
		wait_child((pid_t)r);
	snprintf(what, sizeof what, "i386-clone(%s)", list);
	return verdict(what, r > 0 ? 0 : r, err, EPERM);
}

static int cmd_clone(const char *list)
{
	unsigned long flags = parse_flags(list);
	char what[64];
	int err;
	long r;

	flush();
	r = raw(SYS_clone, (long)(flags | SIGCHLD), 0, 0, 0, 0, 0, &err);
	if (r == 0)
		_exit(0);
	if (r > 0)
		wait_child((pid_t)r);
	snprintf(what, sizeof what, "clone(%s)", list);
	return verdict(what, r > 0 ? 0 : r, err, EPERM);
}

/* The kernel's struct clone_args, version 0 (64 bytes). */
struct probe_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

static int cmd_clone3(const char *list)
{
	struct probe_clone_args args = {0};
	char what[64];
	int err;
	long r;

	args.flags = parse_flags(list);
	args.exit_signal = SIGCHLD;
	flush();
	r = raw(SYS_clone3, (long)&args, sizeof args, 0, 0, 0, 0, &err);
	if (r == 0)
		_exit(0);
	if (r > 0)
		wait_child((pid_t)r);
	snprintf(what, sizeof what, "clone3(%s)", list);
	return verdict(what, r > 0 ? 0 : r, err, ENOSYS);
}

/* A child asks to be traced by us: ptrace between processes of the sandbox works. */
static int cmd_ptrace_traceme(void)
{
	int status, err;
	long r;
	pid_t pid;

	flush();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		if (syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(3);
		raise(SIGSTOP);
		_exit(0);
	}
	status = wait_child(pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		return verdict("ptrace-traceme", -1, EPERM, EPERM);
	if (!WIFSTOPPED(status))
		fail("the child was not stopped (status 0x%x)", (unsigned)status);
	r = raw(SYS_ptrace, PTRACE_DETACH, pid, 0, 0, 0, 0, &err);
	wait_child(pid);
	return verdict("ptrace-traceme", r, err, EPERM);
}

static int cmd_ptrace_attach_child(void)
{
	int status, err;
	long r;
	pid_t pid;

	flush();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		for (;;)
			pause();
	}
	r = raw(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0, 0, 0, &err);
	if (r == 0) {
		status = wait_child(pid);
		if (!WIFSTOPPED(status))
			fail("the traced child did not stop (status 0x%x)", (unsigned)status);
		if (syscall(SYS_ptrace, PTRACE_DETACH, pid, 0, 0) < 0)
			fail("PTRACE_DETACH");
	}
	kill(pid, SIGKILL);
	wait_child(pid);
	return verdict("ptrace-attach-child", r, err, EPERM);
}

static int cmd_ptrace_attach(const char *pidstr)
{
	pid_t pid = (pid_t)parse_ulong(pidstr);
	char what[64];
	int err;
	long r = raw(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0, 0, 0, &err);

	snprintf(what, sizeof what, "ptrace-attach(%d)", (int)pid);
	if (r == 0)
		syscall(SYS_ptrace, PTRACE_DETACH, pid, 0, 0);
	return verdict_fails(what, r, err);
}

/* kill(PID, 0): ESRCH means PID does not exist in here; anything else means it is visible. */
static int cmd_kill(const char *pidstr)
{
	pid_t pid = (pid_t)parse_ulong(pidstr);
	char what[64];
	int err;
	long r = raw(SYS_kill, pid, 0, 0, 0, 0, 0, &err);

	snprintf(what, sizeof what, "kill(%d,0)", (int)pid);
	return verdict(what, r, err, ESRCH);
}

static int cmd_personality(const char *value)
{
	unsigned long v = parse_ulong(value);
	char what[64];
	int err;
	long r = raw(SYS_personality, (long)v, 0, 0, 0, 0, 0, &err);
	long now = syscall(SYS_personality, 0xffffffffUL);

	snprintf(what, sizeof what, "personality(0x%lx)", v);
	if (r != -1) {
		printf("ALLOWED %s ret=0x%lx now=0x%lx\n", what, (unsigned long)r,
		       (unsigned long)now);
		return 1;
	}
	return verdict(what, r, err, EPERM);
}

/*
 * Under READ_IMPLIES_EXEC the kernel adds PROT_EXEC to every readable mapping: a way to get
 * writable and executable memory without asking for PROT_EXEC. Set personality VALUE, map
 * anonymous read-write memory, and see in /proc/self/maps whether it came out executable.
 */
static int cmd_rie_mmap(const char *value)
{
	unsigned long v = parse_ulong(value);
	char line[512], what[64];
	long set = syscall(SYS_personality, v);
	int set_err = errno;
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FILE *f;

	if (p == MAP_FAILED)
		fail("mmap");
	snprintf(what, sizeof what, "mmap-rw-after-personality(0x%lx)", v);
	f = fopen("/proc/self/maps", "re");
	if (!f)
		fail("open /proc/self/maps");
	while (fgets(line, sizeof line, f)) {
		unsigned long lo, hi;
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
			continue;
		if ((unsigned long)p < lo || (unsigned long)p >= hi)
			continue;
		fclose(f);
		if (perms[2] == 'x') {
			printf("ALLOWED %s perms=%s personality-ret=%ld\n", what, perms, set);
			return 1;
		}
		printf("DENIED %s perms=%s personality-errno=%s\n", what, perms,
		       set == -1 ? ename(set_err) : "none");
		return 0;
	}
	fclose(f);
	fail("the mapping %p is not in /proc/self/maps", (void *)p);
}

/* Open PATH for writing; if that works, write back what it holds (a no-op change). */
static int cmd_write(const char *path)
{
	char what[256], buf[4096];
	ssize_t n = -1;
	int fd, rfd, err;
	long r;

	snprintf(what, sizeof what, "write(%s)", path);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return verdict_fails(what, -1, errno);
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd >= 0) {
		n = read(rfd, buf, sizeof buf);
		close(rfd);
	}
	if (n <= 0) {
		printf("ALLOWED %s opened-for-writing (content not written)\n", what);
		return 1;
	}
	errno = 0;
	r = write(fd, buf, (size_t)n);
	err = errno;
	close(fd);
	return verdict_fails(what, r, err);
}

static int cmd_mkdir(const char *path)
{
	char what[256];
	int r = mkdir(path, 0700), err = errno;

	snprintf(what, sizeof what, "mkdir(%s)", path);
	if (r == 0)
		rmdir(path);
	return verdict_fails(what, r, err);
}

static int cmd_mknod(const char *path)
{
	char what[256];
	int err;
	long r = raw(SYS_mknodat, AT_FDCWD, (long)path, S_IFCHR | 0600, (long)makedev(1, 3), 0, 0,
		     &err);

	snprintf(what, sizeof what, "mknod(%s,c,1,3)", path);
	if (r == 0)
		unlink(path);
	return verdict_fails(what, r, err);
}

/* Every capability set of this process, from /proc/self/status. */
static int cmd_caps(void)
{
	static const char *const sets[] = {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"};
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int found = 0, nonzero = 0;

	if (!f)
		fail("open /proc/self/status");
	while (fgets(line, sizeof line, f)) {
		for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
			size_t len = strlen(sets[i]);
			unsigned long long v;

			if (strncmp(line, sets[i], len) != 0 || line[len] != ':')
				continue;
			v = strtoull(line + len + 1, NULL, 16);
			printf("%s %016llx\n", sets[i], v);
			found++;
			if (v)
				nonzero++;
		}
	}
	fclose(f);
	if (found != 5)
		fail("found %d of the 5 capability sets in /proc/self/status", found);
	if (nonzero) {
		printf("ALLOWED capabilities in %d set(s)\n", nonzero);
		return 1;
	}
	printf("DENIED capabilities all-sets-zero\n");
	return 0;
}

/* A setuid file is inert when its mount is nosuid. */
static int cmd_nosuid(const char *path)
{
	struct statvfs vfs;
	struct stat st;

	if (stat(path, &st) < 0)
		fail("stat %s", path);
	if (!(st.st_mode & S_ISUID))
		fail("%s is not setuid", path);
	if (statvfs(path, &vfs) < 0)
		fail("statvfs %s", path);
	if (vfs.f_flag & ST_NOSUID) {
		printf("DENIED setuid(%s) mount=nosuid\n", path);
		return 0;
	}
	printf("ALLOWED setuid(%s) mount=suid\n", path);
	return 1;
}

/*
 * Run the setuid PATH (which waits for a password on a pipe nobody writes to) and look at
 * its credentials from here: with the setuid bit honoured its effective uid would change.
 */
static int cmd_exec_setuid(int argc, char **argv)
{
	char status_path[64], line[256], uids[256] = "";
	int in[2];
	pid_t pid;
	uid_t me = getuid();

	if (argc < 1)
		fail("usage: probe exec-setuid PATH [ARG...]");
	if (pipe(in) < 0)
		fail("pipe");
	flush();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		/* It prompts for a password; keep that out of the verdict. */
		if (null >= 0)
			dup2(null, 2);
		dup2(in[0], 0);
		close(in[0]);
		close(in[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(in[0]);
	snprintf(status_path, sizeof status_path, "/proc/%d/status", (int)pid);
	/* Wait until the exec happened (the name changes), then read Uid:. */
	for (int tries = 0; tries < 200 && !uids[0]; tries++) {
		FILE *f = fopen(status_path, "re");
		const char *base = strrchr(argv[0], '/');
		bool execd = false;

		base = base ? base + 1 : argv[0];
		if (f) {
			while (fgets(line, sizeof line, f)) {
				/* The name is cut to 15 characters. */
				if (strncmp(line, "Name:\t", 6) == 0)
					execd = strncmp(line + 6, base, strnlen(base, 15)) == 0 &&
						line[6 + strnlen(base, 15)] == '\n';
				if (execd && strncmp(line, "Uid:", 4) == 0)
					snprintf(uids, sizeof uids, "%s", line + 4);
			}
			fclose(f);
		}
		if (!uids[0]) {
			struct timespec ts = {0, 10 * 1000 * 1000};

			nanosleep(&ts, NULL);
		}
	}
	kill(pid, SIGKILL);
	close(in[1]);
	wait_child(pid);
	if (!uids[0])
		fail("could not read the credentials of %s", argv[0]);
	for (char *p = uids; *p; p++)
		if (isspace((unsigned char)*p))
			*p = ' ';
	{
		unsigned long ruid, euid, suid, fsuid;

		if (sscanf(uids, "%lu %lu %lu %lu", &ruid, &euid, &suid, &fsuid) != 4)
			fail("cannot parse Uid: '%s'", uids);
		if (euid == me && suid == me && fsuid == me) {
			printf("DENIED setuid-exec(%s) uid=%lu euid=%lu\n", argv[0], ruid, euid);
			return 0;
		}
		printf("ALLOWED setuid-exec(%s) uid=%lu euid=%lu suid=%lu\n", argv[0], ruid, euid,
		       suid);
		return 1;
	}
}

/* Only 0, 1 and 2 may be open in a fresh payload. */
static int cmd_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int extra = 0;

	if (!d)
		fail("opendir /proc/self/fd");
	while ((e = readdir(d))) {
		char path[64], target[256];
		ssize_t n;
		int fd;

		if (e->d_name[0] == '.')
			continue;
		fd = atoi(e->d_name);
		if (fd <= 2 || fd == dirfd(d))
			continue;
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof target - 1);
		target[n > 0 ? n : 0] = '\0';
		printf("ALLOWED inherited-fd %d -> %s\n", fd, target);
		extra++;
	}
	closedir(d);
	if (extra)
		return 1;
	printf("DENIED inherited-fds only-0-1-2\n");
	return 0;
}

static const struct {
	const char *name;
	int family, type;
} families[] = {
	{"unix", AF_UNIX, SOCK_STREAM},    {"inet", AF_INET, SOCK_STREAM},
	{"inet6", AF_INET6, SOCK_STREAM},  {"netlink", AF_NETLINK, SOCK_RAW},
	{"packet", AF_PACKET, SOCK_DGRAM}, {"alg", AF_ALG, SOCK_SEQPACKET},
	{"vsock", AF_VSOCK, SOCK_STREAM},
};

static int cmd_socket(const char *name)
{
	char what[64];
	int err;
	long r;

	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
		if (strcmp(name, families[i].name) != 0)
			continue;
		r = raw(SYS_socket, families[i].family, families[i].type | SOCK_CLOEXEC, 0, 0, 0, 0,
			&err);
		snprintf(what, sizeof what, "socket-%s", name);
		return verdict(what, r, err, EAFNOSUPPORT);
	}
	fail("unknown family '%s'", name);
}

/* An abstract unix socket address for NAME ("@NAME" in ss(8)); returns its length. */
static socklen_t abstract_addr(const char *name, struct sockaddr_un *a)
{
	size_t len = strlen(name);

	if (len + 1 > sizeof a->sun_path)
		fail("abstract socket name too long");
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	memcpy(a->sun_path + 1, name, len);
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len);
}

/* connect() to the abstract unix socket @NAME (a listener outside the sandbox, say). */
static int cmd_connect_abstract(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(name, &a);
	char what[160];
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), err;
	long r;

	if (fd < 0)
		fail("socket(AF_UNIX)");
	r = raw(SYS_connect, fd, (long)&a, len, 0, 0, 0, &err);
	close(fd);
	snprintf(what, sizeof what, "connect-abstract(@%s)", name);
	return verdict_fails(what, r, err);
}

/* Listen on @NAME and connect to it from a child: both inside, the same sandbox. */
static int cmd_abstract_pair(const char *name)
{
	struct sockaddr_un a;
	socklen_t len = abstract_addr(name, &a);
	char what[160];
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), status;
	pid_t pid;

	if (srv < 0 || bind(srv, (struct sockaddr *)&a, len) < 0 || listen(srv, 1) < 0)
		fail("listening on @%s", name);
	flush();
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), err;
		long r = raw(SYS_connect, fd, (long)&a, len, 0, 0, 0, &err);

		snprintf(what, sizeof what, "abstract-pair(@%s)", name);
		_exit(verdict_fails(what, r, err) == 1 ? 0 : 1);
	}
	status = wait_child(pid);
	close(srv);
	if (!WIFEXITED(status))
		fail("the child ended with status 0x%x", (unsigned)status);
	flush();
	return WEXITSTATUS(status) == 0 ? 1 : 0;
}

static int cmd_mmap_wx(void)
{
	int err;
	long r = raw(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, &err);

	return verdict("mmap-wx", r == -1 ? -1 : 0, err, EPERM);
}

static int cmd_mprotect_x(const char *which)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bool pkey = strcmp(which, "pkey_mprotect-x") == 0;
	int err;
	long r;

	if (p == MAP_FAILED)
		fail("mmap");
	if (pkey)
		r = raw(SYS_pkey_mprotect, (long)p, 4096, PROT_READ | PROT_EXEC, -1, 0, 0, &err);
	else
		r = raw(SYS_mprotect, (long)p, 4096, PROT_READ | PROT_EXEC, 0, 0, 0, &err);
	return verdict(which, r, err, EPERM);
}

static int cmd_shmat_x(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0700);
	int err;
	long r;

	if (id < 0)
		fail("shmget");
	r = raw(SYS_shmat, id, 0, SHM_EXEC | SHM_RDONLY, 0, 0, 0, &err);
	shmctl(id, IPC_RMID, NULL);
	return verdict("shmat-x", r == -1 ? -1 : 0, err, EPERM);
}

/* Open /dev/null until it fails: under --rlimit-nofile=N the last fd is N-1. */
static int cmd_nofile(void)
{
	int last = -1, fd;

	for (int i = 0; i < 100000; i++) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0) {
			int e = errno;

			printf("%s nofile last-fd=%d errno=%s\n", e == EMFILE ? "DENIED" : "ERROR",
			       last, ename(e));
			return e == EMFILE ? 0 : 2;
		}
		last = fd;
	}
	printf("ALLOWED nofile last-fd=%d\n", last);
	return 1;
}

/* Fork sleeping children until fork fails (at most MAX). */
static int cmd_nproc(const char *maxstr)
{
	int max = (int)parse_ulong(maxstr), n, e = 0;
	pid_t *kids = calloc((size_t)max, sizeof *kids);

	if (!kids)
		fail("calloc");
	flush();
	for (n = 0; n < max; n++) {
		pid_t p = fork();

		if (p < 0) {
			e = errno;
			break;
		}
		if (p == 0) {
			for (;;)
				pause();
		}
		kids[n] = p;
	}
	for (int i = 0; i < n; i++)
		kill(kids[i], SIGKILL);
	for (int i = 0; i < n; i++)
		wait_child(kids[i]);
	free(kids);
	if (n < max) {
		printf("DENIED nproc forked=%d errno=%s\n", n, ename(e));
		return 0;
	}
	printf("ALLOWED nproc forked=%d\n", n);
	return 1;
}

static int cmd_alloc(const char *sizestr)
{
	size_t size = parse_size(sizestr);
	char what[64];
	char *p;

	snprintf(what, sizeof what, "alloc(%s)", sizestr);
	errno = 0;
	p = malloc(size);
	if (!p)
		return verdict(what, -1, errno, ENOMEM);
	memset(p, 1, size);
	free(p);
	return verdict(what, 0, 0, ENOMEM);
}

/* Write SIZE bytes to a new file; SIGXFSZ is ignored so the limit shows as EFBIG. */
static int cmd_fsize(const char *path, const char *sizestr)
{
	size_t size = parse_size(sizestr), done = 0;
	char buf[512];
	struct stat st;
	int fd, e = 0;

	signal(SIGXFSZ, SIG_IGN);
	memset(buf, 'x', sizeof buf);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		fail("open %s", path);
	while (done < size) {
		size_t chunk = size - done < sizeof buf ? size - done : sizeof buf;
		ssize_t n = write(fd, buf, chunk);

		if (n < 0) {
			e = errno;
			break;
		}
		done += (size_t)n;
	}
	if (fstat(fd, &st) < 0)
		fail("fstat");
	close(fd);
	unlink(path);
	if (done < size) {
		printf("%s fsize wrote=%zu size=%lld errno=%s\n", e == EFBIG ? "DENIED" : "ERROR",
		       done, (long long)st.st_size, ename(e));
		return e == EFBIG ? 0 : 2;
	}
	printf("ALLOWED fsize wrote=%zu size=%lld\n", done, (long long)st.st_size);
	return 1;
}

static _Noreturn void cmd_spin(void)
{
	volatile unsigned long n = 0;

	for (;;)
		n++;
}

static int cmd_sleep(const char *secs)
{
	unsigned long s = parse_ulong(secs);

	while (s > 0)
		s = sleep((unsigned)s);
	return 0;
}

static void usage(void)
{
	fputs("usage: probe SUBCOMMAND [ARG...]\n"
	      "  syscall NAME...           call each with arg0=-1 (EPERM = DENIED)\n"
	      "  syscalls NAME...          the same, each in a child (SIGSYS = KILLED)\n"
	      "  i386-syscall NAME...      the same through int $0x80\n"
	      "  nr|x32-nr|i386-nr N...    the raw number N (ENOSYS or EPERM = DENIED)\n"
	      "  ordinary                  getpid, openat, read, socket(AF_UNIX), mmap, fork, unshare(0)\n"
	      "  tiocsti|tioclinux [high|i386]\n"
	      "  int80-getpid | x32-getpid\n"
	      "  i386-socket-inet|i386-socket-vsock socketcall|direct\n"
	      "  i386-mmap2-wx | i386-mprotect-x\n"
	      "  i386-shmat-x | i386-personality VALUE | i386-unshare FLAGS | i386-clone FLAGS\n"
	      "  unshare FLAGS | clone FLAGS | clone3 FLAGS   (FLAGS: user,mnt,net,pid,ipc,uts,\n"
	      "                                               cgroup,time,files,fs,sysvsem,none)\n"
	      "  ptrace-traceme | ptrace-attach-child | ptrace-attach PID | kill PID\n"
	      "  personality VALUE | rie-mmap PERSONALITY\n"
	      "  write PATH | mkdir PATH | mknod PATH | caps | nosuid PATH | exec-setuid PATH ARG...\n"
	      "  fds | socket FAMILY | mmap-wx | mprotect-x | pkey_mprotect-x | shmat-x\n"
	      "  connect-abstract NAME | abstract-pair NAME   (the unix socket @NAME)\n"
	      "  nofile | nproc MAX | alloc SIZE | fsize PATH SIZE | spin | sleep SECONDS [TAG]\n",
	      stderr);
	exit(2);
}

#define NEED(n)                  \
	do {                     \
		if (argc < (n))  \
			usage(); \
	} while (0)

int main(int argc, char **argv)
{
	const struct rlimit nocore = {0, 0};
	const char *cmd;
	int rc = 0;

	if (argc < 2)
		usage();
	/* A filter that kills makes a core dump otherwise. */
	setrlimit(RLIMIT_CORE, &nocore);
	setvbuf(stdout, NULL, _IOLBF, 0);
	cmd = argv[1];
	argc -= 2;
	argv += 2;

	if (strcmp(cmd, "syscall") == 0)
		rc = cmd_syscall(argc, argv);
	else if (strcmp(cmd, "syscalls") == 0)
		rc = cmd_syscalls(argc, argv);
	else if (strcmp(cmd, "i386-syscall") == 0)
		rc = cmd_i386_syscall(argc, argv);
	else if (strcmp(cmd, "nr") == 0)
		rc = cmd_nr("", argc, argv);
	else if (strcmp(cmd, "x32-nr") == 0)
		rc = cmd_nr("x32", argc, argv);
	else if (strcmp(cmd, "i386-nr") == 0)
		rc = cmd_nr("i386", argc, argv);
	else if (strcmp(cmd, "ordinary") == 0)
		rc = cmd_ordinary();
	else if (strcmp(cmd, "tiocsti") == 0 || strcmp(cmd, "tioclinux") == 0)
		rc = cmd_tty(cmd, argc, argv);
	else if (strcmp(cmd, "int80-getpid") == 0)
		rc = cmd_int80_getpid();
	else if (strcmp(cmd, "x32-getpid") == 0)
		rc = cmd_x32_getpid();
	else if (strcmp(cmd, "i386-socket-inet") == 0) {
		NEED(1);
		rc = cmd_i386_socket("inet", argv[0]);
	} else if (strcmp(cmd, "i386-socket-vsock") == 0) {
		NEED(1);
		rc = cmd_i386_socket("vsock", argv[0]);
	} else if (strcmp(cmd, "i386-mmap2-wx") == 0)
		rc = cmd_i386_mmap_wx();
	else if (strcmp(cmd, "i386-mprotect-x") == 0)
		rc = cmd_i386_mprotect_x();
	else if (strcmp(cmd, "i386-shmat-x") == 0)
		rc = cmd_i386_shmat_x();
	else if (strcmp(cmd, "i386-personality") == 0) {
		NEED(1);
		rc = cmd_i386_personality(argv[0]);
	} else if (strcmp(cmd, "i386-unshare") == 0) {
		NEED(1);
		rc = cmd_i386_unshare(argv[0]);
	} else if (strcmp(cmd, "i386-clone") == 0) {
		NEED(1);
		rc = cmd_i386_clone(argv[0]);
	} else if (strcmp(cmd, "unshare") == 0) {
		NEED(1);
		rc = cmd_unshare(argv[0]);
	} else if (strcmp(cmd, "clone") == 0) {
		NEED(1);
		rc = cmd_clone(argv[0]);
	} else if (strcmp(cmd, "clone3") == 0) {
		NEED(1);
		rc = cmd_clone3(argv[0]);
	} else if (strcmp(cmd, "ptrace-traceme") == 0)
		rc = cmd_ptrace_traceme();
	else if (strcmp(cmd, "ptrace-attach-child") == 0)
		rc = cmd_ptrace_attach_child();
	else if (strcmp(cmd, "ptrace-attach") == 0) {
		NEED(1);
		rc = cmd_ptrace_attach(argv[0]);
	} else if (strcmp(cmd, "kill") == 0) {
		NEED(1);
		rc = cmd_kill(argv[0]);
	} else if (strcmp(cmd, "personality") == 0) {
		NEED(1);
		rc = cmd_personality(argv[0]);
	} else if (strcmp(cmd, "rie-mmap") == 0) {
		NEED(1);
		rc = cmd_rie_mmap(argv[0]);
	} else if (strcmp(cmd, "write") == 0) {
		NEED(1);
		rc = cmd_write(argv[0]);
	} else if (strcmp(cmd, "mkdir") == 0) {
		NEED(1);
		rc = cmd_mkdir(argv[0]);
	} else if (strcmp(cmd, "mknod") == 0) {
		NEED(1);
		rc = cmd_mknod(argv[0]);
	} else if (strcmp(cmd, "caps") == 0)
		rc = cmd_caps();
	else if (strcmp(cmd, "nosuid") == 0) {
		NEED(1);
		rc = cmd_nosuid(argv[0]);
	} else if (strcmp(cmd, "exec-setuid") == 0)
		rc = cmd_exec_setuid(argc, argv);
	else if (strcmp(cmd, "fds") == 0)
		rc = cmd_fds();
	else if (strcmp(cmd, "socket") == 0) {
		NEED(1);
		rc = cmd_socket(argv[0]);
	} else if (strcmp(cmd, "connect-abstract") == 0) {
		NEED(1);
		rc = cmd_connect_abstract(argv[0]);
	} else if (strcmp(cmd, "abstract-pair") == 0) {
		NEED(1);
		rc = cmd_abstract_pair(argv[0]);
	} else if (strcmp(cmd, "mmap-wx") == 0)
		rc = cmd_mmap_wx();
	else if (strcmp(cmd, "mprotect-x") == 0 || strcmp(cmd, "pkey_mprotect-x") == 0)
		rc = cmd_mprotect_x(cmd);
	else if (strcmp(cmd, "shmat-x") == 0)
		rc = cmd_shmat_x();
	else if (strcmp(cmd, "nofile") == 0)
		rc = cmd_nofile();
	else if (strcmp(cmd, "nproc") == 0) {
		NEED(1);
		rc = cmd_nproc(argv[0]);
	} else if (strcmp(cmd, "alloc") == 0) {
		NEED(1);
		rc = cmd_alloc(argv[0]);
	} else if (strcmp(cmd, "fsize") == 0) {
		NEED(2);
		rc = cmd_fsize(argv[0], argv[1]);
	} else if (strcmp(cmd, "spin") == 0)
		cmd_spin();
	else if (strcmp(cmd, "sleep") == 0) {
		NEED(1);
		rc = cmd_sleep(argv[0]);
	} else
		usage();
	flush();
	return rc;
}
