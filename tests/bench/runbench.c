// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runbench: time short commands side by side, interleaved round-robin.
 *
 * Every round runs each command once, so slow drift of the machine (frequency scaling, a
 * noisy neighbour, page cache, deferred namespace teardown in the kernel) lands on all
 * commands alike. Each round starts one command further along the list, so that no command
 * always runs right after the same other one.
 *
 * Commands are started with posix_spawn from argv arrays, never through a shell. stdin and
 * stdout are /dev/null; stderr goes to an in-memory file that is checked after every run.
 * A run that exits non-zero, is killed by a signal, times out or writes to stderr (unless
 * --allow-stderr) fails: its command is reported and excluded from every later round and
 * from the table; it is never silently timed.
 *
 * The wall time of a run is CLOCK_MONOTONIC from just before posix_spawn to just after
 * wait4 returns. The CPU time is the user + system time that wait4 reports for the child
 * (which includes the descendants it waited for).
 *
 * --compare A,B pairs two commands other than through --ref: the ratio and the difference
 * of their medians, each with a bootstrap interval over the same paired rounds.
 *
 * Exit status: 0 when every command was measured, 2 when a command that was not --optional
 * failed (the table still shows the others), 1 on a usage or system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define NAME_MAX_LEN 48
#define ERRLINE_LEN 160
#define BOOTSTRAP_RESAMPLES 2000

struct cmd {
	char name[NAME_MAX_LEN + 1];
	char **argv;   /* NULL-terminated; argv[0] as given */
	char *path;    /* argv[0] resolved against PATH once, before any run */
	bool optional; /* a failure is noted but does not make the exit status non-zero */
	bool failed;
	char why[ERRLINE_LEN + 64];
	double *wall; /* ms, one per timed round */
	double *cpu;  /* ms, one per timed round */
	size_t n;     /* samples so far */
};

struct stats {
	double median, p10, p90, mean, min, cpu_median;
};

static struct cmd *cmds;
static size_t ncmds;
static int stderr_fd = -1;
static int devnull_fd = -1;
static volatile sig_atomic_t timed_out;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("runbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory");
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		die("out of memory");
	return p;
}

static void usage(FILE *out)
{
	fputs("Usage: runbench [OPTIONS] [-f SPECFILE] [--name NAME [--optional] -- ARGV... ';']...\n"
	      "Run each command once per round, round-robin, and print per-command wall times.\n"
	      "\n"
	      "Commands are given as groups on the command line:\n"
	      "  --name NAME [--optional] -- PROGRAM [ARG...] ';'\n"
	      "(the ';' is its own argument: quote it from a shell; an argument that is exactly ';'\n"
	      "cannot be passed this way), or in a spec file, one command per line:\n"
	      "  NAME<TAB>PROGRAM ARG...\n"
	      "where the words after the tab are split on blanks (no quoting, no expansion); blank\n"
	      "lines and lines starting with '#' are ignored; a NAME ending in '?' is optional.\n"
	      "PROGRAM is looked up in PATH once; commands never go through a shell.\n"
	      "NAME: up to 48 characters from [A-Za-z0-9._+=:/-].\n"
	      "\n"
	      "Options:\n"
	      "  -n, --rounds=N       timed rounds (default 300)\n"
	      "  -w, --warmup=N       untimed warm-up rounds, run first (default 20)\n"
	      "  -r, --ref=NAME       print each median as a ratio to NAME's median\n"
	      "  -C, --compare=A,B    after the table, compare A with B (repeatable): median(A) /\n"
	      "                       median(B) and median(A) - median(B) in ms, each with a 95%\n"
	      "                       bootstrap interval over whole rounds (as for --ref)\n"
	      "  -c, --csv=FILE       write the raw samples: round,name,wall_ms,cpu_ms\n"
	      "  -s, --summary=FILE   write the table as TSV: name,n,median_ms,p10_ms,p90_ms,mean_ms,\n"
	      "                       min_ms,cpu_ms,ratio,ratio_lo,ratio_hi (ratio fields '-' if none);\n"
	      "                       failed commands get one line: name, 'failed', reason;\n"
	      "                       each --compare adds a line 'compare',A,B,ratio,ratio_lo,ratio_hi,\n"
	      "                       diff_ms,diff_lo,diff_hi (or 'compare',A,B,'-' when one failed)\n"
	      "  -f, --file=FILE      read commands from a spec file (as well as the groups)\n"
	      "  -t, --timeout=SEC    a run that takes longer fails (default 60)\n"
	      "      --fixed-order    start every round with the first command (default: rotate)\n"
	      "      --shuffle        a new order every round (the same sequence every run): no\n"
	      "                       command always follows the same one (default: rotate)\n"
	      "      --allow-stderr   output on stderr does not make a run fail\n"
	      "  -h, --help           show this help\n"
	      "\n"
	      "Table: median, p10 and p90 (linear interpolation), mean and min of the wall time in ms;\n"
	      "cpu = median user+system time of the command and the children it waited for; ratio =\n"
	      "median / median of the --ref command, with a 95% bootstrap interval that resamples\n"
	      "whole rounds (the commands of a round stay paired).\n"
	      "\n"
	      "A run fails when it exits non-zero, dies of a signal, times out or (unless\n"
	      "--allow-stderr) writes to stderr; its command is then excluded from the table and from\n"
	      "later rounds, with the reason. Exit status: 0 all measured, 2 a command that is not\n"
	      "optional failed, 1 usage or system error.\n",
	      out);
}

static bool valid_name(const char *s)
{
	size_t len = strlen(s);

	if (len == 0 || len > NAME_MAX_LEN)
		return false;
	for (const char *p = s; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("._+=:/-", *p)))
			return false;
	}
	return true;
}

static void add_cmd(const char *name, bool optional, char **argv, size_t argc)
{
	struct cmd *c;

	if (!valid_name(name))
		die("invalid command name '%s' (1-%d characters from [A-Za-z0-9._+=:/-])", name,
		    NAME_MAX_LEN);
	if (argc == 0)
		die("command '%s' has no program", name);
	for (size_t i = 0; i < ncmds; i++)
		if (strcmp(cmds[i].name, name) == 0)
			die("command name '%s' given twice", name);

	cmds = realloc(cmds, (ncmds + 1) * sizeof(*cmds));
	if (!cmds)
		die("out of memory");
	c = &cmds[ncmds++];
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->optional = optional;
	c->argv = xcalloc(argc + 1, sizeof(char *));
	for (size_t i = 0; i < argc; i++)
		c->argv[i] = xstrdup(argv[i]);
}

static void read_spec(const char *file)
{
	FILE *f = fopen(file, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;

	if (!f)
		die("%s: %s", file, strerror(errno));
	while ((len = getline(&line, &cap, f)) >= 0) {
		char *tab, *words[256], *save = NULL, *w;
		size_t nw = 0;
		bool optional = false;

		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		if (line[strspn(line, " \t")] == '\0' || line[0] == '#')
			continue;
		tab = strchr(line, '\t');
		if (!tab)
			die("%s:%u: expected NAME<TAB>PROGRAM ARG...", file, lineno);
		*tab = '\0';
		if (tab > line && tab[-1] == '?') {
			tab[-1] = '\0';
			optional = true;
		}
		for (w = strtok_r(tab + 1, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			if (nw == sizeof(words) / sizeof(words[0]))
				die("%s:%u: too many words", file, lineno);
			words[nw++] = w;
		}
		add_cmd(line, optional, words, nw);
	}
	if (ferror(f))
		die("%s: read error", file);
	free(line);
	fclose(f);
}

/* Like execvp's search, once: a name without '/' is looked up in PATH. */
static char *resolve(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (strchr(prog, '/'))
		return xstrdup(prog);
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t len = strcspn(path, ":");
		int n;

		if (len == 0)
			n = snprintf(buf, sizeof(buf), "./%s", prog);
		else
			n = snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, prog);
		if (n > 0 && (size_t)n < sizeof(buf) && access(buf, X_OK) == 0) {
			struct stat st;

			if (stat(buf, &st) == 0 && S_ISREG(st.st_mode))
				return xstrdup(buf);
		}
		path += len;
		if (*path == ':')
			path++;
	}
	return NULL;
}

static long parse_count(const char *s, const char *what, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > 10000000)
		die("invalid %s '%s'", what, s);
	return v;
}

static double ts_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) * 1e3 + (double)(b->tv_nsec - a->tv_nsec) / 1e6;
}

static double tv_ms(const struct timeval *tv)
{
	return (double)tv->tv_sec * 1e3 + (double)tv->tv_usec / 1e3;
}

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
}

/* The first line of what the last run wrote to stderr, for the report. */
static void first_stderr_line(char *out, size_t size)
{
	char buf[ERRLINE_LEN];
	ssize_t n = pread(stderr_fd, buf, sizeof(buf) - 1, 0);
	size_t len;

	if (n <= 0) {
		out[0] = '\0';
		return;
	}
	buf[n] = '\0';
	len = strcspn(buf, "\n");
	buf[len] = '\0';
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	snprintf(out, size, "%s", buf);
}

/*
 * Run one command once. Returns true on success and stores the times; on failure marks
 * the command failed with the reason.
 */
static bool run_once(struct cmd *c, unsigned timeout, bool allow_stderr, const char *phase,
		     long round, double *wall, double *cpu)
{
	posix_spawn_file_actions_t fa;
	struct timespec t0, t1;
	struct rusage ru;
	struct stat st;
	pid_t pid, got;
	int status = 0, err;
	char line[ERRLINE_LEN];

	/* The child shares the file offset: rewind it as well as emptying the file. */
	if (ftruncate(stderr_fd, 0) < 0 || lseek(stderr_fd, 0, SEEK_SET) < 0)
		die("resetting the stderr file: %s", strerror(errno));
	if ((err = posix_spawn_file_actions_init(&fa)) ||
	    (err = posix_spawn_file_actions_adddup2(&fa, devnull_fd, STDIN_FILENO)) ||
	    (err = posix_spawn_file_actions_adddup2(&fa, devnull_fd, STDOUT_FILENO)) ||
	    (err = posix_spawn_file_actions_adddup2(&fa, stderr_fd, STDERR_FILENO)))
		die("posix_spawn_file_actions: %s", strerror(err));

	timed_out = 0;
	alarm(timeout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = posix_spawn(&pid, c->path, &fa, NULL, c->argv, environ);
	if (err == 0) {
		while ((got = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR) {
			if (timed_out) {
				kill(pid, SIGKILL);
				timed_out = 2;
			}
		}
		if (got < 0)
			die("wait4: %s", strerror(errno));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	alarm(0);
	posix_spawn_file_actions_destroy(&fa);

	c->failed = true;
	if (err) {
		snprintf(c->why, sizeof(c->why), "%s %ld: cannot start %s: %s", phase, round,
			 c->path, strerror(err));
		return false;
	}
	first_stderr_line(line, sizeof(line));
	if (timed_out == 2) {
		snprintf(c->why, sizeof(c->why), "%s %ld: timed out after %us", phase, round,
			 timeout);
		return false;
	}
	if (WIFSIGNALED(status)) {
		snprintf(c->why, sizeof(c->why), "%s %ld: killed by signal %d%s%s", phase, round,
			 WTERMSIG(status), line[0] ? ": " : "", line);
		return false;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		snprintf(c->why, sizeof(c->why), "%s %ld: exit status %d%s%s", phase, round,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1, line[0] ? ": " : "", line);
		return false;
	}
	if (!allow_stderr && fstat(stderr_fd, &st) == 0 && st.st_size > 0) {
		snprintf(c->why, sizeof(c->why), "%s %ld: wrote to stderr: %s", phase, round, line);
		return false;
	}
	c->failed = false;
	*wall = ts_ms(&t0, &t1);
	*cpu = tv_ms(&ru.ru_utime) + tv_ms(&ru.ru_stime);
	return true;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Percentile of sorted data, linear interpolation between closest ranks. */
static double percentile(const double *sorted, size_t n, double p)
{
	double pos = p * (double)(n - 1);
	size_t lo = (size_t)pos;
	double frac = pos - (double)lo;

	if (lo + 1 >= n)
		return sorted[n - 1];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

static double median_of(const double *v, size_t n, double *scratch)
{
	memcpy(scratch, v, n * sizeof(*v));
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	return percentile(scratch, n, 0.5);
}

static struct stats compute(const struct cmd *c, double *scratch)
{
	struct stats s;
	double sum = 0;

	memcpy(scratch, c->wall, c->n * sizeof(double));
	qsort(scratch, c->n, sizeof(double), cmp_double);
	s.median = percentile(scratch, c->n, 0.5);
	s.p10 = percentile(scratch, c->n, 0.1);
	s.p90 = percentile(scratch, c->n, 0.9);
	s.min = scratch[0];
	for (size_t i = 0; i < c->n; i++)
		sum += c->wall[i];
	s.mean = sum / (double)c->n;
	s.cpu_median = median_of(c->cpu, c->n, scratch);
	return s;
}

/* xorshift64*: a fixed seed, so that the same samples give the same interval. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/*
 * 95% percentile-bootstrap intervals of median(c) / median(ref) and of median(c) -
 * median(ref), resampling rounds: a drawn round contributes both its sample of c and its
 * sample of ref, which keeps the pairing that interleaving bought. Either output pair may
 * be NULL.
 */
static void pair_intervals(const struct cmd *c, const struct cmd *ref, double *lo, double *hi,
			   double *dlo, double *dhi)
{
	size_t n = c->n < ref->n ? c->n : ref->n;
	double *a = xcalloc(n, sizeof(double)), *b = xcalloc(n, sizeof(double));
	double *r = xcalloc(BOOTSTRAP_RESAMPLES, sizeof(double));
	double *d = xcalloc(BOOTSTRAP_RESAMPLES, sizeof(double));

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (size_t k = 0; k < BOOTSTRAP_RESAMPLES; k++) {
		double ma, mb;

		for (size_t i = 0; i < n; i++) {
			size_t j = (size_t)(rng() % n);

			a[i] = c->wall[j];
			b[i] = ref->wall[j];
		}
		qsort(a, n, sizeof(double), cmp_double);
		qsort(b, n, sizeof(double), cmp_double);
		ma = percentile(a, n, 0.5);
		mb = percentile(b, n, 0.5);
		r[k] = mb > 0 ? ma / mb : 0;
		d[k] = ma - mb;
	}
	qsort(r, BOOTSTRAP_RESAMPLES, sizeof(double), cmp_double);
	qsort(d, BOOTSTRAP_RESAMPLES, sizeof(double), cmp_double);
	if (lo && hi) {
		*lo = percentile(r, BOOTSTRAP_RESAMPLES, 0.025);
		*hi = percentile(r, BOOTSTRAP_RESAMPLES, 0.975);
	}
	if (dlo && dhi) {
		*dlo = percentile(d, BOOTSTRAP_RESAMPLES, 0.025);
		*dhi = percentile(d, BOOTSTRAP_RESAMPLES, 0.975);
	}
	free(a);
	free(b);
	free(r);
	free(d);
}

static void ratio_interval(const struct cmd *c, const struct cmd *ref, double *lo, double *hi)
{
	pair_intervals(c, ref, lo, hi, NULL, NULL);
}

static struct cmd *find_cmd(const char *name)
{
	for (size_t k = 0; k < ncmds; k++)
		if (strcmp(cmds[k].name, name) == 0)
			return &cmds[k];
	return NULL;
}

static FILE *open_out(const char *file)
{
	FILE *f = fopen(file, "we");

	if (!f)
		die("%s: %s", file, strerror(errno));
	return f;
}

static void close_out(FILE *f, const char *file)
{
	if (ferror(f) | fclose(f))
		die("%s: write error", file);
}

/*
 * The value of option `opt` (short "-x", long "--long"), given as "-xVAL", "-x VAL",
 * "--long=VAL" or "--long VAL"; NULL when argv[*i] is not this option.
 */
static const char *opt_value(int argc, char **argv, int *i, const char *shortopt,
			     const char *longopt)
{
	const char *a = argv[*i];
	size_t llen = strlen(longopt);

	if (strcmp(a, shortopt) == 0 || strcmp(a, longopt) == 0) {
		if (*i + 1 >= argc)
			die("%s needs a value", a);
		*i += 2;
		return argv[*i - 1];
	}
	if (strncmp(a, shortopt, 2) == 0 && a[2] != '\0') {
		*i += 1;
		return a + 2;
	}
	if (strncmp(a, longopt, llen) == 0 && a[llen] == '=') {
		*i += 1;
		return a + llen + 1;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	long rounds = 300, warmup = 20;
	unsigned timeout = 60;
	const char *ref_name = NULL, *csv_file = NULL, *summary_file = NULL, *v;
	bool fixed_order = false, shuffle = false, allow_stderr = false;
	size_t *order = NULL;
	uint64_t seed = 0x9e3779b97f4a7c15u;
	struct cmd *ref = NULL;
	const char **compares = NULL;
	size_t ncompares = 0;
	struct sigaction sa;
	size_t maxn = 0;
	double *scratch;
	int rc = 0;
	int i = 1;

	while (i < argc) {
		const char *a = argv[i];

		if (strcmp(a, "--name") == 0 || strncmp(a, "--name=", 7) == 0) {
			const char *name;
			bool optional = false;
			int start;

			if (a[6] == '=') {
				name = a + 7;
				i++;
			} else {
				if (i + 1 >= argc)
					die("--name needs a NAME");
				name = argv[i + 1];
				i += 2;
			}
			if (i < argc && strcmp(argv[i], "--optional") == 0) {
				optional = true;
				i++;
			}
			if (i >= argc || strcmp(argv[i], "--") != 0)
				die("--name %s: expected '--' and the command", name);
			start = ++i;
			while (i < argc && strcmp(argv[i], ";") != 0)
				i++;
			if (i >= argc)
				die("--name %s: the command must end with a ';' argument", name);
			add_cmd(name, optional, argv + start, (size_t)(i - start));
			i++;
		} else if ((v = opt_value(argc, argv, &i, "-n", "--rounds"))) {
			rounds = parse_count(v, "round count", 1);
		} else if ((v = opt_value(argc, argv, &i, "-w", "--warmup"))) {
			warmup = parse_count(v, "warm-up count", 0);
		} else if ((v = opt_value(argc, argv, &i, "-r", "--ref"))) {
			ref_name = v;
		} else if ((v = opt_value(argc, argv, &i, "-C", "--compare"))) {
			compares = realloc(compares, (ncompares + 1) * sizeof(*compares));
			if (!compares)
				die("out of memory");
			compares[ncompares++] = v;
		} else if ((v = opt_value(argc, argv, &i, "-c", "--csv"))) {
			csv_file = v;
		} else if ((v = opt_value(argc, argv, &i, "-s", "--summary"))) {
			summary_file = v;
		} else if ((v = opt_value(argc, argv, &i, "-f", "--file"))) {
			read_spec(v);
		} else if ((v = opt_value(argc, argv, &i, "-t", "--timeout"))) {
			timeout = (unsigned)parse_count(v, "timeout", 1);
		} else if (strcmp(a, "--fixed-order") == 0) {
			fixed_order = true;
			i++;
		} else if (strcmp(a, "--shuffle") == 0) {
			shuffle = true;
			i++;
		} else if (strcmp(a, "--allow-stderr") == 0) {
			allow_stderr = true;
			i++;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			fprintf(stderr, "runbench: unexpected argument '%s'\n", a);
			usage(stderr);
			return 1;
		}
	}
	if (ncmds == 0) {
		usage(stderr);
		return 1;
	}
	if (ref_name) {
		ref = find_cmd(ref_name);
		if (!ref)
			die("--ref %s: no command of that name", ref_name);
	}
	for (size_t k = 0; k < ncompares; k++) {
		const char *comma = strchr(compares[k], ',');
		char a[NAME_MAX_LEN + 1];

		if (!comma || comma == compares[k] || (size_t)(comma - compares[k]) > NAME_MAX_LEN)
			die("--compare %s: expected A,B (two command names)", compares[k]);
		snprintf(a, sizeof(a), "%.*s", (int)(comma - compares[k]), compares[k]);
		if (!find_cmd(a) || !find_cmd(comma + 1))
			die("--compare %s: no command of that name", compares[k]);
		if (find_cmd("compare"))
			die("--compare: no command may be named 'compare' (the summary's keyword)");
	}

	devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (devnull_fd < 0)
		die("/dev/null: %s", strerror(errno));
	stderr_fd = memfd_create("runbench-stderr", MFD_CLOEXEC);
	if (stderr_fd < 0)
		die("memfd_create: %s", strerror(errno));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: wait4 must return EINTR on timeout */
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		die("sigaction: %s", strerror(errno));

	for (size_t k = 0; k < ncmds; k++) {
		struct cmd *c = &cmds[k];

		c->wall = xcalloc((size_t)rounds, sizeof(double));
		c->cpu = xcalloc((size_t)rounds, sizeof(double));
		c->path = resolve(c->argv[0]);
		if (!c->path) {
			c->failed = true;
			snprintf(c->why, sizeof(c->why), "%s: not found in PATH", c->argv[0]);
		}
	}

	fprintf(stderr, "runbench: %zu commands, %ld warm-up + %ld timed rounds, %s order\n", ncmds,
		warmup, rounds,
		shuffle       ? "shuffled"
		: fixed_order ? "fixed"
			      : "rotating");
	order = xcalloc(ncmds, sizeof *order);
	for (long r = -warmup; r < rounds; r++) {
		size_t shift = fixed_order || shuffle ? 0 : (size_t)((r + warmup) % (long)ncmds);

		for (size_t k = 0; k < ncmds; k++)
			order[k] = (k + shift) % ncmds;
		/* Fisher-Yates, from xorshift64: reproducible, and what runs before a command varies. */
		for (size_t k = ncmds; shuffle && k > 1; k--) {
			size_t j, t;

			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			j = (size_t)(seed % k);
			t = order[k - 1];
			order[k - 1] = order[j];
			order[j] = t;
		}
		for (size_t k = 0; k < ncmds; k++) {
			struct cmd *c = &cmds[order[k]];
			double wall, cpu;

			if (c->failed)
				continue;
			if (!run_once(c, timeout, allow_stderr, r < 0 ? "warm-up run" : "round",
				      r < 0 ? r + warmup + 1 : r + 1, &wall, &cpu)) {
				fprintf(stderr, "runbench: %s excluded: %s\n", c->name, c->why);
				continue;
			}
			if (r >= 0) {
				c->wall[c->n] = wall;
				c->cpu[c->n] = cpu;
				c->n++;
			}
		}
		if (r + 1 == 0)
			fprintf(stderr, "runbench: warm-up done\n");
		else if (r >= 0 && (r + 1) % 50 == 0 && r + 1 < rounds)
			fprintf(stderr, "runbench: %ld/%ld rounds\n", r + 1, rounds);
	}

	/* Report. */
	for (size_t k = 0; k < ncmds; k++)
		if (cmds[k].n > maxn)
			maxn = cmds[k].n;
	scratch = xcalloc(maxn, sizeof(double));
	if (ref && ref->failed)
		fprintf(stderr, "runbench: the reference %s failed: no ratios\n", ref->name);

	{
		FILE *sum = summary_file ? open_out(summary_file) : NULL;
		double ref_median = 0;

		if (ref && !ref->failed)
			ref_median = compute(ref, scratch).median;

		printf("%-22s %9s %9s %9s %9s %9s %9s  %s\n", "command", "median", "p10", "p90",
		       "mean", "min", "cpu", ref && !ref->failed ? "ratio [95% CI]" : "");
		printf("%-22s %9s %9s %9s %9s %9s %9s  %s\n", "", "ms", "ms", "ms", "ms", "ms",
		       "ms", ref && !ref->failed ? "(median / median of ref)" : "");
		for (size_t k = 0; k < ncmds; k++) {
			struct cmd *c = &cmds[k];
			struct stats s;

			if (c->failed) {
				printf("%-22s %s: %s\n", c->name,
				       c->optional ? "left out" : "FAILED", c->why);
				if (sum)
					fprintf(sum, "%s\tfailed\t%s\n", c->name, c->why);
				if (!c->optional)
					rc = 2;
				continue;
			}
			s = compute(c, scratch);
			printf("%-22s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f", c->name, s.median,
			       s.p10, s.p90, s.mean, s.min, s.cpu_median);
			if (sum)
				fprintf(sum, "%s\t%zu\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f", c->name,
					c->n, s.median, s.p10, s.p90, s.mean, s.min, s.cpu_median);
			if (ref && !ref->failed && ref_median > 0) {
				double lo, hi;

				if (c == ref) {
					lo = hi = 1.0;
					printf("  %6.3fx (reference)\n", 1.0);
				} else {
					ratio_interval(c, ref, &lo, &hi);
					printf("  %6.3fx [%.3f-%.3f]\n", s.median / ref_median, lo,
					       hi);
				}
				if (sum)
					fprintf(sum, "\t%.4f\t%.4f\t%.4f\n", s.median / ref_median,
						lo, hi);
			} else {
				printf("\n");
				if (sum)
					fprintf(sum, "\t-\t-\t-\n");
			}
		}
		if (ncompares)
			printf("\n");
		for (size_t k = 0; k < ncompares; k++) {
			const char *comma = strchr(compares[k], ',');
			char aname[NAME_MAX_LEN + 1];
			struct cmd *a, *b;
			double ma, mb, lo, hi, dlo, dhi;

			snprintf(aname, sizeof(aname), "%.*s", (int)(comma - compares[k]),
				 compares[k]);
			a = find_cmd(aname);
			b = find_cmd(comma + 1);
			if (a->failed || b->failed || a->n == 0 || b->n == 0) {
				printf("compare %s vs %s: not measured (%s failed)\n", a->name,
				       b->name, a->failed || a->n == 0 ? a->name : b->name);
				if (sum)
					fprintf(sum, "compare\t%s\t%s\t-\n", a->name, b->name);
				continue;
			}
			ma = compute(a, scratch).median;
			mb = compute(b, scratch).median;
			pair_intervals(a, b, &lo, &hi, &dlo, &dhi);
			printf("compare %s vs %s: median %.3fx [%.3f-%.3f], difference %+.3f ms "
			       "[%+.3f, %+.3f] (95%% intervals)\n",
			       a->name, b->name, mb > 0 ? ma / mb : 0, lo, hi, ma - mb, dlo, dhi);
			if (sum)
				fprintf(sum,
					"compare\t%s\t%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\n",
					a->name, b->name, mb > 0 ? ma / mb : 0, lo, hi, ma - mb,
					dlo, dhi);
		}
		if (sum)
			close_out(sum, summary_file);
	}

	if (csv_file) {
		FILE *f = open_out(csv_file);

		fprintf(f, "round,name,wall_ms,cpu_ms\n");
		for (size_t k = 0; k < ncmds; k++) {
			struct cmd *c = &cmds[k];

			if (c->failed)
				continue;
			for (size_t j = 0; j < c->n; j++)
				fprintf(f, "%zu,%s,%.6f,%.3f\n", j + 1, c->name, c->wall[j],
					c->cpu[j]);
		}
		close_out(f, csv_file);
	}

	free(scratch);
	free(order);
	free(compares);
	if (fflush(stdout) != 0)
		die("stdout: write error");
	return rc;
}
