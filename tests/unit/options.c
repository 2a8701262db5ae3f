// SPDX-License-Identifier: GPL-2.0-or-later
/* options_parse_run(): the command line into a struct request. */
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/argv.h"
#include "request/options.h"
#include "tap.h"
#include "util/err.h"

#define MAX_ARGS 32

/* What the last parse() wrote: stderr (the "nook: ..." messages) and stdout (usage). */
static char *err_text;
static char *out_text;

/* The words of a command line, NULL-terminated, as an array. */
#define WORDS(...) ((const char *const[]){__VA_ARGS__})

/* A writable copy of the words, as main() would get them; returns argc. */
static int make_argv(const char *const *words, char **argv)
{
	int argc = 0;

	for (; argc < MAX_ARGS && words[argc]; argc++)
		argv[argc] = xstrdup(words[argc]);
	argv[argc] = NULL;
	return argc;
}

/*
 * Parse the words into *ro (freshly initialised; free it with request_free).
 * Returns what options_parse_run returned.
 */
#define parse(ro, ...) parse_words(ro, WORDS(__VA_ARGS__))
static int parse_words(struct request *ro, const char *const *words)
{
	char *argv[MAX_ARGS + 1];
	struct capture ce, co;
	int argc = make_argv(words, argv), r;

	request_init(ro);
	free(err_text);
	free(out_text);
	capture_begin(&ce, STDERR_FILENO);
	capture_begin(&co, STDOUT_FILENO);
	r = options_parse_run(argc, argv, ro);
	out_text = capture_end(&co);
	err_text = capture_end(&ce);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return r;
}

/* The program words as "a|b|c". */
static const char *argv_str(const struct request *ro)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < ro->argv.n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, ro->argv.v[i]);
	}
	return buf;
}

static const char *edits_str(const struct request *ro)
{
	static char buf[1024];

	buf[0] = '\0';
	for (size_t i = 0; i < ro->env_edits.n; i++) {
		if (i)
			strcat(buf, "|");
		strcat(buf, ro->env_edits.v[i]);
	}
	return buf;
}

/* A mount as "kind src dest flags mode (origin)" to compare in one go. */
static const char *mount_str(const struct mount_op *m)
{
	static char buf[1024];

	snprintf(buf, sizeof buf, "%s %s %s %s%s%s%s %04o (%s)", mount_kind_name(m->kind),
		 m->src ? m->src : "-", m->dest ? m->dest : "-",
		 m->flags & MOUNT_F_RDONLY ? "ro" : "rw",
		 m->flags & MOUNT_F_NOSUID ? ",nosuid" : "",
		 m->flags & MOUNT_F_NODEV ? ",nodev" : "",
		 m->flags & MOUNT_F_NOEXEC ? ",noexec" : "", m->mode, m->origin ? m->origin : "-");
	return buf;
}

/* Each option taking a value, as --opt=value and as --opt value: the same result. */
static void test_value_forms(void)
{
	static const char *const forms[] = {"=", " "};
	struct request ro;

	for (int f = 0; f < 2; f++) {
		const char *how = forms[f][0] == '=' ? "--opt=value" : "--opt value";
		int r;

#define PARSE(opt, val, ...)                                \
	(f == 0 ? parse(&ro, "--" opt "=" val, __VA_ARGS__) \
		: parse(&ro, "--" opt, val, __VA_ARGS__))

		r = PARSE("rootfs", "/img", "sh", NULL);
		is_int(r, 0, "%s: --rootfs returns 0", how);
		is_str(ro.rootfs, "/img", "%s: --rootfs", how);
		is_str(argv_str(&ro), "sh", "%s: --rootfs: PROGRAM follows", how);
		request_free(&ro);

		r = PARSE("bind", "/a:/b", "sh", NULL);
		is_int(r, 0, "%s: --bind returns 0", how);
		is_int(ro.nmounts, 1, "%s: --bind: one mount", how);
		if (ro.nmounts == 1)
			is_str(mount_str(&ro.mounts[0]),
			       "bind /a /b rw,nosuid,nodev 0755 (--bind /a:/b)",
			       "%s: --bind SRC:DEST", how);
		request_free(&ro);

		r = PARSE("bind", "/a", "sh", NULL);
		is_int(ro.nmounts, 1, "%s: --bind SRC: one mount", how);
		if (ro.nmounts == 1)
			is_str(mount_str(&ro.mounts[0]),
			       "bind /a /a rw,nosuid,nodev 0755 (--bind /a)",
			       "%s: --bind SRC: DEST is SRC", how);
		request_free(&ro);

		r = PARSE("ro-bind", "/a:/b", "sh", NULL);
		is_int(r, 0, "%s: --ro-bind returns 0", how);
		is_int(ro.nmounts, 1, "%s: --ro-bind: one mount", how);
		if (ro.nmounts == 1)
			is_str(mount_str(&ro.mounts[0]),
			       "bind /a /b ro,nosuid,nodev 0755 (--ro-bind /a:/b)", "%s: --ro-bind",
			       how);
		request_free(&ro);

		r = PARSE("tmpfs", "/scratch", "sh", NULL);
		is_int(r, 0, "%s: --tmpfs returns 0", how);
		is_int(ro.nmounts, 1, "%s: --tmpfs: one mount", how);
		if (ro.nmounts == 1)
			is_str(mount_str(&ro.mounts[0]),
			       "tmpfs - /scratch rw,nosuid,nodev 0755 (--tmpfs /scratch)",
			       "%s: --tmpfs", how);
		request_free(&ro);

		r = PARSE("chdir", "/work", "sh", NULL);
		is_int(r, 0, "%s: --chdir returns 0", how);
		is_str(ro.chdir, "/work", "%s: --chdir", how);
		request_free(&ro);

		r = PARSE("userns", "root", "sh", NULL);
		is_int(r, 0, "%s: --userns root returns 0", how);
		is_int(ro.userns, USERNS_ROOT, "%s: --userns root", how);
		request_free(&ro);
		PARSE("userns", "single", "sh", NULL);
		is_int(ro.userns, USERNS_SINGLE, "%s: --userns single", how);
		ok(ro.userns_cli, "%s: --userns: from the command line", how);
		request_free(&ro);
		parse(&ro, "--userns=single", f == 0 ? "--userns=keep-id" : "--userns", "keep-id",
		      "sh", NULL);
		is_int(ro.userns, USERNS_KEEP_ID, "%s: --userns keep-id (after single)", how);
		request_free(&ro);

		parse(&ro, "sh", NULL);
		is_int(ro.pty, PTY_AUTO, "%s: --pty is auto by default", how);
		is_int(ro.userns_pool, USERNS_POOL_AUTO, "%s: --userns-pool is auto by default",
		       how);
		request_free(&ro);
		PARSE("userns-pool", "no", "sh", NULL);
		is_int(ro.userns_pool, USERNS_POOL_NO, "%s: --userns-pool no", how);
		request_free(&ro);
		PARSE("pty", "always", "sh", NULL);
		is_int(ro.pty, PTY_ALWAYS, "%s: --pty always", how);
		request_free(&ro);
		PARSE("pty", "never", "sh", NULL);
		is_int(ro.pty, PTY_NEVER, "%s: --pty never", how);
		request_free(&ro);
		r = PARSE("user", "builder:users", "sh", NULL);
		is_int(r, 0, "%s: --user returns 0", how);
		is_str(ro.user, "builder:users", "%s: --user: as written", how);
		request_free(&ro);

		r = PARSE("hostname", "box-1.example", "sh", NULL);
		is_int(r, 0, "%s: --hostname returns 0", how);
		is_str(ro.hostname, "box-1.example", "%s: --hostname", how);
		request_free(&ro);

		r = PARSE("name", "web-1", "sh", NULL);
		is_int(r, 0, "%s: --name returns 0", how);
		is_str(ro.name, "web-1", "%s: --name", how);
		ok(ro.name_cli && !ro.join_or_start && !ro.hostname,
		   "%s: --name: the command line's, not the host name, no join", how);
		request_free(&ro);

		r = PARSE("join-or-start", "ed", "sh", NULL);
		if (f == 0) {
			is_int(r, 0, "%s: --join-or-start=NAME returns 0", how);
			is_str(ro.name, "ed", "%s: --join-or-start=NAME names it", how);
			ok(ro.join_or_start, "%s: --join-or-start=NAME", how);
		} else {
			/* The optional argument is only ever --opt=VALUE: "ed" is PROGRAM. */
			is_int(r, 0, "%s: --join-or-start, then PROGRAM", how);
			ok(ro.join_or_start && !ro.name, "%s: --join-or-start alone", how);
			is_str(argv_str(&ro), "ed|sh", "%s: --join-or-start: PROGRAM follows", how);
		}
		request_free(&ro);

		r = PARSE("env", "A=1=2", "sh", NULL);
		is_int(r, 0, "%s: --env returns 0", how);
		is_str(edits_str(&ro), "A=1=2", "%s: --env", how);
		request_free(&ro);
		r = PARSE("env", "EMPTY=", "sh", NULL);
		is_str(edits_str(&ro), "EMPTY=", "%s: --env with an empty value", how);
		request_free(&ro);

		r = PARSE("unsetenv", "HOME", "sh", NULL);
		is_int(r, 0, "%s: --unsetenv returns 0", how);
		is_str(edits_str(&ro), "HOME", "%s: --unsetenv", how);
		request_free(&ro);

		r = PARSE("net", "pasta", "sh", NULL);
		is_int(r, 0, "%s: --net pasta returns 0", how);
		ok(ro.net.mode_set && ro.net.mode == NET_PASTA, "%s: --net pasta", how);
		request_free(&ro);
		r = PARSE("net", "slirp", "sh", NULL);
		ok(ro.net.mode_set && ro.net.mode == NET_SLIRP, "%s: --net slirp", how);
		request_free(&ro);
#undef PARSE
	}
}

static void test_flags(void)
{
	struct request ro;
	int r;

	r = parse(&ro, "sh", NULL);
	is_int(r, 0, "defaults: returns 0");
	ok(!ro.quiet && !ro.dry_run && ro.userns == USERNS_KEEP_ID && !ro.rootfs && !ro.hostname &&
		   !ro.chdir && ro.nmounts == 0 && ro.env_edits.n == 0,
	   "defaults: nothing set, userns keep-id");
	is_str(argv_str(&ro), "sh", "defaults: argv");
	request_free(&ro);

	r = parse(&ro, "-q", "sh", NULL);
	is_int(r, 0, "-q returns 0");
	ok(ro.quiet && !ro.dry_run, "-q sets quiet");
	request_free(&ro);

	r = parse(&ro, "--quiet", "--dry-run", "sh", NULL);
	is_int(r, 0, "--quiet --dry-run returns 0");
	ok(ro.quiet && ro.dry_run, "--quiet --dry-run set both");
	request_free(&ro);

	r = parse(&ro, "--quiet", "sh", "-q", NULL);
	is_str(argv_str(&ro), "sh|-q", "a flag takes no value: the next word is PROGRAM");
	request_free(&ro);

	r = parse(&ro, "--hostname=a", "--hostname", "b", "--rootfs=/x", "--rootfs=/y",
		  "--chdir=/c", "--chdir=/d", "sh", NULL);
	ok(r == 0 && ro.hostname && strcmp(ro.hostname, "b") == 0 && ro.rootfs &&
		   strcmp(ro.rootfs, "/y") == 0 && ro.chdir && strcmp(ro.chdir, "/d") == 0,
	   "repeated --hostname, --rootfs, --chdir: the last wins");
	request_free(&ro);
}

static void test_program(void)
{
	struct request ro;
	int r;

	r = parse(&ro, "--", "-x", "--help", NULL);
	is_int(r, 0, "--: returns 0");
	is_str(argv_str(&ro), "-x|--help", "--: the next word is PROGRAM even with a '-'");
	request_free(&ro);

	r = parse(&ro, "-q", "--", "--", NULL);
	is_str(argv_str(&ro), "--", "--: a second -- is PROGRAM");
	request_free(&ro);

	r = parse(&ro, "echo", "--help", NULL);
	is_int(r, 0, "echo --help: returns 0, not 1");
	is_str(argv_str(&ro), "echo|--help", "echo --help: --help is left to the program");
	is_str(out_text, "", "echo --help: no usage printed");
	request_free(&ro);

	r = parse(&ro, "--quiet", "ls", "-l", "--bind", "/a", "--", "x", NULL);
	is_str(argv_str(&ro), "ls|-l|--bind|/a|--|x", "options stop at the first non-option");
	is_int(ro.nmounts, 0, "... and what follows is not parsed");
	request_free(&ro);

	r = parse(&ro, "-", "x", NULL);
	is_int(r, 0, "'-' alone: returns 0");
	is_str(argv_str(&ro), "-|x", "'-' alone is PROGRAM");
	request_free(&ro);

	r = parse(&ro, "", "x", NULL);
	is_str(argv_str(&ro), "|x", "an empty word is PROGRAM");
	request_free(&ro);
}

static void test_help(void)
{
	struct request ro;
	int r;

	r = parse(&ro, "--help", NULL);
	is_int(r, 1, "--help returns 1");
	ok(strncmp(out_text, "Usage: nook run [OPTIONS] [--] PROGRAM [ARG...]\n", 48) == 0,
	   "--help prints the usage on stdout");
	ok(strstr(out_text, "--bind=SRC[:DEST]") && strstr(out_text, "-q, --quiet") &&
		   strstr(out_text, "--userns=MODE"),
	   "--help lists the options");
	is_str(err_text, "", "--help: nothing on stderr");
	request_free(&ro);

	r = parse(&ro, "-h", NULL);
	is_int(r, 1, "-h returns 1");
	request_free(&ro);

	r = parse(&ro, "--quiet", "--help", "sh", NULL);
	is_int(r, 1, "--help after an option returns 1");
	request_free(&ro);
}

/*
 * One rejected command line: returns -1 with exactly one "nook: ..." line on stderr,
 * WANT_ERR when given.
 */
#define rejects(want_err, name, ...) rejects_words(want_err, name, WORDS(__VA_ARGS__))
static void rejects_words(const char *want_err, const char *name, const char *const *words)
{
	char *argv[MAX_ARGS + 1];
	struct request ro;
	struct capture ce, co;
	int argc = make_argv(words, argv), r;
	char *err, *out;

	request_init(&ro);
	capture_begin(&ce, STDERR_FILENO);
	capture_begin(&co, STDOUT_FILENO);
	r = options_parse_run(argc, argv, &ro);
	out = capture_end(&co);
	err = capture_end(&ce);
	is_int(r, -1, "%s: returns -1", name);
	if (want_err)
		is_str(err, want_err, "%s: message", name);
	else
		ok(strncmp(err, "nook: ", 6) == 0 && strchr(err, '\n') == err + strlen(err) - 1,
		   "%s: one 'nook: ...' line (%.*s)", name, (int)strcspn(err, "\n"), err);
	is_str(out, "", "%s: nothing on stdout", name);
	request_free(&ro);
	free(err);
	free(out);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
}

static void test_errors(void)
{
	static const char host65[] =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	static const char host64[] =
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
	struct request ro;

	rejects("nook: unknown option '--nope' (see 'nook --help')\n", "unknown --nope", "--nope",
		"sh", NULL);
	rejects("nook: unknown option '--nope' (see 'nook --help')\n", "unknown --nope=1",
		"--nope=1", "sh", NULL);
	rejects("nook: unknown option '-x' (see 'nook --help')\n", "unknown -x", "-x", "sh", NULL);
	rejects(NULL, "unknown -qq", "-qq", "sh", NULL);
	rejects(NULL, "unknown --", "--=x", "sh", NULL);
	rejects("nook: --bind: missing argument SRC[:DEST]\n", "missing argument", "--bind", NULL);
	rejects(NULL, "missing argument --hostname", "-q", "--hostname", NULL);
	rejects("nook: --quiet: takes no argument\n", "--quiet=1", "--quiet=1", "sh", NULL);
	rejects(NULL, "--quiet= (empty value)", "--quiet=", "sh", NULL);
	rejects(NULL, "--dry-run=yes", "--dry-run=yes", "sh", NULL);
	rejects(NULL, "-q=1", "-q=1", "sh", NULL);
	rejects("nook: --userns: unknown mode 'bogus' (expected keep-id, root or single)\n",
		"--userns bogus", "--userns", "bogus", "sh", NULL);
	rejects(NULL, "--userns empty", "--userns=", "sh", NULL);
	rejects(NULL, "--userns-pool bogus", "--userns-pool=yes", "sh", NULL);
	rejects("nook: --pty: unknown value 'x' (expected auto, always or never)\n", "--pty x",
		"--pty=x", "sh", NULL);
	rejects(NULL, "--pty empty", "--pty=", "sh", NULL);
	rejects("nook: --user: '1000:' is not USER[:GROUP]\n", "--user 1000:", "--user=1000:", "sh",
		NULL);
	rejects(NULL, "--user empty", "--user=", "sh", NULL);
	rejects(NULL, "--user :100", "--user=:100", "sh", NULL);
	rejects(NULL, "--user a:b:c", "--user=a:b:c", "sh", NULL);
	rejects(NULL, "--user with a space", "--user", "a b", "sh", NULL);
	rejects(NULL, "--user with a newline", "--user", "a\nb", "sh", NULL);
	rejects(NULL, "--hostname empty", "--hostname=", "sh", NULL);
	rejects(NULL, "--hostname 65 chars", "--hostname", host65, "sh", NULL);
	rejects(NULL, "--hostname with a space", "--hostname", "a b", "sh", NULL);
	rejects(NULL, "--hostname with '_'", "--hostname", "a_b", "sh", NULL);
	rejects(NULL, "--hostname with '/'", "--hostname", "a/b", "sh", NULL);
	rejects("nook: --env: 'A' is not KEY=VALUE\n", "--env without '='", "--env", "A", "sh",
		NULL);
	rejects(NULL, "--env with an empty key", "--env", "=1", "sh", NULL);
	rejects(NULL, "--unsetenv with '='", "--unsetenv", "A=1", "sh", NULL);
	rejects(NULL, "--unsetenv empty", "--unsetenv=", "sh", NULL);
	rejects(NULL, "--bind empty SRC", "--bind", ":/b", "sh", NULL);
	rejects(NULL, "--bind empty", "--bind=", "sh", NULL);
	rejects(NULL, "--bind relative DEST", "--bind", "/a:b", "sh", NULL);
	rejects(NULL, "--bind empty DEST", "--bind", "/a:", "sh", NULL);
	rejects(NULL, "--bind DEST /", "--bind", "/a:/", "sh", NULL);
	rejects(NULL, "--bind / (DEST /)", "--bind", "/", "sh", NULL);
	rejects(NULL, "--bind relative SRC without DEST", "--bind", "rel", "sh", NULL);
	rejects(NULL, "--ro-bind relative DEST", "--ro-bind", "/a:b", "sh", NULL);
	rejects(NULL, "--ro-bind DEST /", "--ro-bind=/a:/", "sh", NULL);
	rejects(NULL, "--tmpfs relative", "--tmpfs", "tmp", "sh", NULL);
	rejects(NULL, "--tmpfs /", "--tmpfs", "/", "sh", NULL);
	rejects(NULL, "--chdir relative", "--chdir", "work", "sh", NULL);
	rejects(NULL, "--rootfs empty", "--rootfs=", "sh", NULL);
	rejects(NULL, "no PROGRAM", NULL);
	rejects(NULL, "no PROGRAM after options", "-q", "--bind", "/a", NULL);
	rejects(NULL, "no PROGRAM after --", "--", NULL);

	rejects("nook: --seccomp-drop: system call number 99999999 is out of range (0-1023)\n",
		"--seccomp-drop=99999999", "--seccomp-drop=99999999", "sh", NULL);
	rejects("nook: --seccomp-drop: system call number 1024 is out of range (0-1023)\n",
		"--seccomp-drop=1024", "--seccomp-drop=1024", "sh", NULL);
	rejects("nook: --name: '123' is not a sandbox name (1-64 letters, digits, '_', '.' and '-', "
		"starting with a letter or digit, not only digits)\n",
		"--name=123", "--name=123", "sh", NULL);
	rejects("nook: --name: '.x' is not a sandbox name (1-64 letters, digits, '_', '.' and '-', "
		"starting with a letter or digit, not only digits)\n",
		"--name=.x", "--name=.x", "sh", NULL);
	rejects("nook: --join-or-start: 'a/b' is not a sandbox name (1-64 letters, digits, '_', "
		"'.' and '-', starting with a letter or digit, not only digits)\n",
		"--join-or-start=a/b", "--join-or-start=a/b", "sh", NULL);
	rejects("nook: --seccomp-allow: '12x' is not a system call name or number\n",
		"--seccomp-allow=12x", "--seccomp-allow=12x", "sh", NULL);
	rejects("nook: --seccomp-drop: unknown system call 'frob' (one newer than libseccomp is "
		"given by its number)\n",
		"--seccomp-drop=frob", "--seccomp-drop=frob", "sh", NULL);
	rejects(NULL, "--seccomp-drop=-1", "--seccomp-drop=-1", "sh", NULL);

	/* The edges that are fine. */
	is_int(parse(&ro, "--hostname", host64, "sh", NULL), 0, "--hostname 64 chars is fine");
	request_free(&ro);
	is_int(parse(&ro, "--hostname", "a", "sh", NULL), 0, "--hostname 1 char is fine");
	request_free(&ro);
	is_int(parse(&ro, "--seccomp-drop=467,0,1023,getcwd", "--seccomp-allow=0468", "sh", NULL),
	       0, "--seccomp-drop and --seccomp-allow take numbers (0-1023)");
	is_str(ro.sec.seccomp_drop.n == 4 ? ro.sec.seccomp_drop.v[0] : NULL, "467",
	       "--seccomp-drop=467: kept as written");
	is_str(ro.sec.seccomp_allow.n == 1 ? ro.sec.seccomp_allow.v[0] : NULL, "0468",
	       "--seccomp-allow=0468: kept as written (the policy reads it)");
	request_free(&ro);
}

/* --cache=NAME:PATH: kept as written, in order, with its origin; bad values one line each. */
static void test_cache(void)
{
	static const char *const bad[][2] = {
		{"npm", "'npm' is not NAME:PATH"},
		{":~/.npm",
		 "':~/.npm': NAME must be 1-64 letters, digits, '_', '.' and '-' (not tmp, "
		 "none, . or .., and not starting with '-')"},
		{"n/pm:~/.npm", NULL},
		{"..:~/.npm", NULL},
		{"-x:~/.npm", NULL},
		{"tmp:~/.npm", NULL},
		{"npm:.npm", "'npm:.npm': PATH must be absolute or start with ~/"},
		{"npm:", NULL},
		{"npm:/",
		 "'npm:/': PATH must be a directory below / or ~ (not one of them), without "
		 "'.', '..' or '//'"},
		{"npm:~", NULL},
		{"npm:~/../x", NULL},
		{"npm:/a/./b", NULL},
		{"npm:/a//b", NULL},
		{"npm:/a/..", NULL},
		{"npm:/a/.", NULL},
	};
	struct request ro;
	int r;

	r = parse(&ro, "--cache=npm:~/.npm", "--cache", "pip.v2:/srv/cache/pip:x", "sh", NULL);
	is_int(r, 0, "--cache: returns 0");
	is_str(req_list_str(&ro.caches), "npm:~/.npm|pip.v2:/srv/cache/pip:x",
	       "--cache: NAME:PATH as written, in order (PATH may hold ':')");
	ok(ro.caches.n == 2 && ro.caches.v[0].cli && strcmp(ro.caches.v[0].origin, "--cache") == 0,
	   "--cache: its origin is the command line's");
	request_free(&ro);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		autofree char *opt = xasprintf("--cache=%s", bad[i][0]);
		autofree char *want = bad[i][1] ? xasprintf("nook: --cache: %s\n", bad[i][1])
						: NULL;
		autofree char *what = xasprintf("--cache=%s", bad[i][0]);

		rejects(want, what, opt, "sh", NULL);
	}
}

/* --dbus-user, --dbus-system and their rules: kept as given, with origins; bad ones refused. */
static void test_dbus(void)
{
	static const char *const good_names[] = {
		"org.freedesktop.Notifications",
		"org.mpris.MediaPlayer2.*",
		"a.b",
		"_a.-b",
		"org.example.app-1",
		"org.kde.StatusNotifierWatcher",
	};
	static const char *const bad_names[] = {
		"org",     "org.*",   ":1.42", ".org.a", "org.a.",  "org..a", "org.1a",
		"org.a b", "org.a/b", "*",     "org.a*", "org.*.a", "",       "org.a=b",
	};
	static const char *const good_rules[] = {
		"org.a.B=*",
		"org.a.B=org.a.B.*",
		"org.a.B=org.a.B.Get",
		"org.a.*=@/org/a/*",
		"org.a.B=org.a.B.Get@/org/a/B",
		"org.a.B=*@/",
		"org.a.B=@/*",
		"org.a.B=*@/a_1/b2",
	};
	static const char *const bad_rules[] = {
		"org.a.B",
		"org.a.B=",
		"org=*",
		"org.a.B=org.Get",
		"org.a.B=org.a-b.Get",
		"org.a.B=org.a.B.Get@",
		"org.a.B=@org/a",
		"org.a.B=@/a/",
		"org.a.B=@/a//b",
		"org.a.B=@/a-b",
		"org.a.B=org.a.B.Get.*x",
		"org.a.B=**",
		"org.a.B=@/a/*/b",
		"org.a.B=org.a.B.1x",
	};
	struct request ro;

	is_int(parse(&ro, "--dbus-user=filter", "--dbus-user.own=org.example.App.*",
		     "--dbus-user.talk", "org.freedesktop.Notifications",
		     "--dbus-user.see=org.example.Seen", "--dbus-user.call=org.a.B=org.a.B.Get@/b",
		     "--dbus-user.broadcast=org.a.B=*", "--dbus-system=none",
		     "--dbus-system.talk=org.freedesktop.login1", "--dbus-user=allow", "sh", NULL),
	       0, "dbus options: parsed");
	is_str(req_list_str(&ro.dbus_user.mode), "filter|allow",
	       "--dbus-user: every value, in order");
	ok(ro.dbus_user.mode.n == 2 && ro.dbus_user.mode.v[1].cli &&
		   strcmp(ro.dbus_user.mode.v[1].origin, "--dbus-user") == 0,
	   "--dbus-user: the command line's");
	is_str(req_list_str(&ro.dbus_user.own), "org.example.App.*", "--dbus-user.own");
	is_str(req_list_str(&ro.dbus_user.talk), "org.freedesktop.Notifications",
	       "--dbus-user.talk");
	is_str(req_list_str(&ro.dbus_user.see), "org.example.Seen", "--dbus-user.see");
	is_str(req_list_str(&ro.dbus_user.call), "org.a.B=org.a.B.Get@/b", "--dbus-user.call");
	is_str(req_list_str(&ro.dbus_user.broadcast), "org.a.B=*", "--dbus-user.broadcast");
	is_str(req_list_str(&ro.dbus_system.mode), "none", "--dbus-system");
	is_str(req_list_str(&ro.dbus_system.talk), "org.freedesktop.login1", "--dbus-system.talk");
	request_free(&ro);

	for (size_t i = 0; i < sizeof good_names / sizeof good_names[0]; i++) {
		autofree char *a = xasprintf("--dbus-system.see=%s", good_names[i]);

		is_int(parse(&ro, a, "sh", NULL), 0, "%s: a D-Bus name", a);
		request_free(&ro);
	}
	for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
		autofree char *a = xasprintf("--dbus-user.own=%s", bad_names[i]);
		autofree char *want =
			xasprintf("nook: --dbus-user.own: '%s' is not a D-Bus name (like "
				  "org.example.App, or org.example.* for it and the "
				  "names below it)\n",
				  bad_names[i]);

		rejects_words(want, a, WORDS(a, "sh", NULL));
	}
	for (size_t i = 0; i < sizeof good_rules / sizeof good_rules[0]; i++) {
		autofree char *a = xasprintf("--dbus-user.call=%s", good_rules[i]);

		is_int(parse(&ro, a, "sh", NULL), 0, "%s: a rule", a);
		request_free(&ro);
	}
	for (size_t i = 0; i < sizeof bad_rules / sizeof bad_rules[0]; i++) {
		autofree char *a = xasprintf("--dbus-system.broadcast=%s", bad_rules[i]);

		rejects_words(NULL, a, WORDS(a, "sh", NULL));
	}
	rejects("nook: --dbus-user.call: 'org.a.B' is not NAME=RULE\n",
		"--dbus-user.call without '='", "--dbus-user.call=org.a.B", "sh", NULL);
	rejects("nook: --dbus-user.call: 'org.a.B=': the RULE is empty (* allows every method)\n",
		"--dbus-user.call with an empty rule", "--dbus-user.call=org.a.B=", "sh", NULL);
	rejects("nook: --dbus-system.call: 'org.Get': RULE is [METHOD][@PATH], METHOD *, INTERFACE.* "
		"or INTERFACE.METHOD, PATH an object path or PATH/* (its subtree)\n",
		"--dbus-system.call, a method without an interface",
		"--dbus-system.call=org.a.B=org.Get", "sh", NULL);
	rejects("nook: --dbus-user: unknown value 'filtered' (expected none, filter or allow)\n",
		"--dbus-user=filtered", "--dbus-user=filtered", "sh", NULL);
	rejects(NULL, "--dbus-system= (empty)", "--dbus-system=", "sh", NULL);
}

/* A call libseccomp does not know by name: the message gives its number. */
static void test_newer_syscall(void)
{
	const struct scmp_version *v = seccomp_version();
	char *want;

	if (seccomp_syscall_resolve_name("open_tree_attr") != __NR_SCMP_ERROR) {
		ok(true, "# SKIP this libseccomp knows open_tree_attr");
		return;
	}
	want = xasprintf("nook: --seccomp-drop: unknown system call 'open_tree_attr': libseccomp "
			 "%u.%u.%u does not know it; give its number, 467\n",
			 v->major, v->minor, v->micro);
	rejects(want, "--seccomp-drop=open_tree_attr", "--seccomp-drop=open_tree_attr", "sh", NULL);
	free(want);
}

static void test_mount_order(void)
{
	struct request ro;
	int r;

	r = parse(&ro, "--tmpfs", "/t", "--bind", "/a:/b", "--ro-bind=/c", "--env", "X=1",
		  "--bind=/d:/e", "--ro-bind", "/f:/g", "prog", NULL);
	is_int(r, 0, "order: returns 0");
	is_int(ro.nmounts, 5, "order: five mounts");
	if (ro.nmounts == 5) {
		is_str(mount_str(&ro.mounts[0]), "tmpfs - /t rw,nosuid,nodev 0755 (--tmpfs /t)",
		       "order: 1st --tmpfs /t");
		is_str(mount_str(&ro.mounts[1]), "bind /a /b rw,nosuid,nodev 0755 (--bind /a:/b)",
		       "order: 2nd --bind /a:/b");
		is_str(mount_str(&ro.mounts[2]), "bind /c /c ro,nosuid,nodev 0755 (--ro-bind /c)",
		       "order: 3rd --ro-bind /c");
		is_str(mount_str(&ro.mounts[3]), "bind /d /e rw,nosuid,nodev 0755 (--bind /d:/e)",
		       "order: 4th --bind /d:/e");
		is_str(mount_str(&ro.mounts[4]),
		       "bind /f /g ro,nosuid,nodev 0755 (--ro-bind /f:/g)",
		       "order: 5th --ro-bind /f:/g");
	}
	request_free(&ro);

	r = parse(&ro, "--env", "A=1", "--unsetenv", "B", "--env=C=2", "--unsetenv=A", "prog",
		  NULL);
	is_str(edits_str(&ro), "A=1|B|C=2|A", "order: env edits in command-line order");
	request_free(&ro);
}

/* The request keeps what was typed: the cwd and the home are the policy's facts, not read here. */
static void test_raw(void)
{
	struct request ro;

	parse(&ro, "--bind", "sub:/x", "--ro-bind=~/dir", "--rootfs", "img", "--blacklist=~/.ssh",
	      "prog", NULL);
	is_int(ro.nmounts, 2, "raw: two mounts");
	if (ro.nmounts == 2) {
		is_str(ro.mounts[0].src, "sub", "raw: --bind SRC as typed (relative)");
		is_str(ro.mounts[0].dest, "/x", "raw: --bind DEST as given");
		is_str(ro.mounts[1].src, "~/dir", "raw: --ro-bind SRC as typed (~)");
		is_str(ro.mounts[1].dest, "~/dir", "raw: --ro-bind without DEST: DEST is SRC");
		is_str(ro.mounts[1].origin, "--ro-bind ~/dir",
		       "raw: the origin keeps what was typed");
	}
	is_str(ro.rootfs, "img", "raw: --rootfs as typed");
	is_str(req_list_str(&ro.fs.blacklist), "~/.ssh", "raw: --blacklist as typed");
	ok(ro.fs.blacklist.n == 1 && ro.fs.blacklist.v[0].cli, "raw: tagged as the command line's");
	if (ro.fs.blacklist.n == 1)
		is_str(ro.fs.blacklist.v[0].origin, "--blacklist", "raw: its origin");
	request_free(&ro);
}

/* --timeout: timeout(1)'s forms and firejail's hh:mm:ss; anything else is one line. */
static void test_timeout(void)
{
	static const struct {
		const char *v;
		unsigned seconds;
	} good[] = {{"30", 30},     {"30s", 30},        {"5m", 300},   {"1h", 3600},
		    {"2d", 172800}, {"01:30:00", 5400}, {"0:00:05", 5}};
	static const char *const bad[] = {"",     "0",       "0s",      "-1",  "+5",
					  " 5",   "5x",      "5mm",     "1.5", "5 ",
					  "367d", "1:60:00", "0:00:00", "1:2", "h"};
	struct request ro;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		autofree char *opt = xasprintf("--timeout=%s", good[i].v);
		int r = parse(&ro, opt, "sh", NULL);

		is_int(r, 0, "--timeout=%s returns 0", good[i].v);
		is_int((int)ro.timeout, (int)good[i].seconds, "--timeout=%s: seconds", good[i].v);
		request_free(&ro);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		autofree char *opt = xasprintf("--timeout=%s", bad[i]);
		autofree char *want =
			xasprintf("nook: --timeout: '%s' is not a duration (N, Ns, Nm, "
				  "Nh, Nd or hh:mm:ss; above 0, up to a year)\n",
				  bad[i]);

		rejects(bad[i][0] ? want : NULL, opt, opt, "sh", NULL);
	}
}

int main(void)
{
	test_value_forms();
	test_flags();
	test_program();
	test_help();
	test_errors();
	test_dbus();
	test_newer_syscall();
	test_cache();
	test_mount_order();
	test_raw();
	test_timeout();
	free(err_text);
	free(out_text);
	return done_testing();
}
