// SPDX-License-Identifier: GPL-2.0-or-later
/* Sandbox names (util/sandbox_name.c) and the state of a running sandbox (spec_state.c). */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "spec_state.h"
#include "tap.h"
#include "util/err.h"
#include "util/sandbox_name.h"

static void test_valid(void)
{
	static const char *const good[] = {
		"a",           "web",
		"firefox-esr", "job_1234",
		"x.y",         "7z",
		"a-2",         "A",
		"0a",          "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234",
	};
	static const char *const bad[] = {
		"",
		"-x",
		".x",
		"_x",
		"1234",
		"0",
		"a b",
		"a/b",
		"..",
		"tab\t",
		"é",
		"a:b",
		"*",
		"a$",
		"x\\y",
		"名前",
		"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12345",
	};

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		ok(sandbox_name_valid(good[i]), "valid: '%s'", good[i]);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ok(!sandbox_name_valid(bad[i]), "not valid: '%s'", bad[i]);
	ok(!sandbox_name_valid(NULL), "not valid: NULL");
	ok(!sandbox_name_valid("a\nb"), "not valid: a newline");
}

static void base_is(const char *program, const char *want)
{
	autofree char *got = sandbox_name_base(program);

	is_str(got, want, "base of '%s'", program ? program : "(null)");
	ok(sandbox_name_valid(got), "base of '%s' is valid", program ? program : "(null)");
}

static void test_base(void)
{
	base_is("firefox-esr", "firefox-esr");
	base_is("/usr/bin/make", "make");
	base_is("./run.sh", "run.sh");
	base_is("my prog", "my-prog");
	base_is("/opt/x/.hidden", "hidden");
	base_is("--weird", "weird");
	base_is("1234", "sandbox");
	base_is("", "sandbox");
	base_is("/", "sandbox");
	base_is(NULL, "sandbox");
	base_is("émacs", "macs");
	{
		autofree char *got = sandbox_name_base("a\nb");

		is_str(got, "a-b", "base of a newline: '-'");
	}
	base_is("abcdefghijabcdefghijabcdefghijabcdefghij", "abcdefghijabcdefghijabcdefghijab");
}

static void next_is(const char *name, const char *want)
{
	autofree char *got = sandbox_name_next(name);

	is_str(got, want, "after '%s'", name);
}

static void test_next(void)
{
	next_is("make", "make-2");
	next_is("make-2", "make-3");
	next_is("make-9", "make-10");
	next_is("make-10", "make-11");
	next_is("a-b", "a-b-2");
	next_is("x-0", "x-0-2");
	next_is("x-02", "x-02-2");
	next_is("-", "--2");
	next_is("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12",
		"abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij12-2");
	next_is("abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123", NULL);
}

/* A spec with every field the state holds, some with what needs escaping. */
static void sample(struct spec *s)
{
	spec_init(s);
	s->clone_flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET;
	s->userns = USERNS_ROOT;
	s->inside_uid = 0;
	s->inside_gid = 0;
	s->drop_groups = true;
	s->switch_user = true;
	s->set_groups = true;
	s->groups = xcalloc(2, sizeof *s->groups);
	s->groups[0] = 5;
	s->groups[1] = 100;
	s->ngroups = 2;
	s->caps_keep = 0x800405fb;
	s->seccomp.enabled = true;
	s->seccomp.mdwe = true;
	s->landlock_scope_unix = true;
	s->rlimits[0] = (struct rlimit_spec){.resource = RLIMIT_NPROC, .value = 4096};
	s->rlimits[1] = (struct rlimit_spec){.resource = RLIMIT_CPU, .value = RLIM_INFINITY};
	s->nrlimits = 2;
	s->cwd = xstrdup("/home/a b\\c");
	s->cwd_required = true;
	strv_push(&s->env, "PATH=/usr/bin:/bin");
	strv_push(&s->env, "X=line1\nline2\tend\x7f");
	strv_push(&s->argv, "sh");
	strv_push(&s->argv, "-c");
	strv_push(&s->argv, "echo hi\nname evil");
	strv_push(&s->argv, "");
	s->profile = xstrdup("/etc/nook/profiles/sh.profile");
	spec_add_mount(s, MOUNT_ROOT, "/images/alpine", "/", 0, "--rootfs");
	s->overlay.mode = OVERLAY_NAMED;
	s->overlay.name = xstrdup("dev");
	s->net.mode = NET_SLIRP;
}

static char *written(const struct spec *s, const char *name)
{
	struct proc_id procs[STATE_NPROCS] = {{100, 5}, {101, 6}, {102, 7}, {0, 0}};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		exit(99);
	ok(spec_state_write(f, s, name, procs) == 0, "write: %s", name);
	fclose(f);
	return text;
}

static void test_round_trip(void)
{
	struct spec s;
	struct sandbox_state st;
	autofree char *text = NULL;
	char err[256] = "";
	int r;

	sample(&s);
	text = written(&s, "web");
	ok(strncmp(text, "nook-state 1\nname web\n", 22) == 0, "the first lines: magic, name");
	ok(strstr(text, "\nend\n") && strcmp(text + strlen(text) - 4, "end\n") == 0,
	   "the last line: end");
	ok(strstr(text, "env X=line1\\nline2\\x09end\\x7f\n") != NULL,
	   "a newline, a tab and DEL are escaped");
	ok(strstr(text, "cwd /home/a b\\\\c\n") != NULL, "a backslash is escaped");
	ok(strstr(text, "\nname evil") == NULL, "an argument cannot forge a line");

	r = spec_state_parse(text, strlen(text), &st, err, sizeof err);
	is_int(r, 0, "parse: returns 0 (%s)", err);
	is_str(st.name, "web", "name");
	is_int(st.procs[STATE_MONITOR].pid, 100, "monitor's pid");
	is_int((long long)st.procs[STATE_MONITOR].start, 5, "monitor's start time");
	is_int(st.procs[STATE_INIT].pid, 102, "pid 1's pid");
	is_int(st.procs[STATE_PAYLOAD].pid, 0, "no payload yet: 0");
	is_str(st.root, "/images/alpine", "root");
	is_int((long long)st.spec.clone_flags, (long long)s.clone_flags, "namespaces");
	is_int(st.spec.userns, USERNS_ROOT, "userns");
	ok(st.spec.drop_groups && st.spec.switch_user && st.spec.set_groups, "the group flags");
	is_int((long long)st.spec.ngroups, 2, "two groups");
	ok(st.spec.ngroups == 2 && st.spec.groups[0] == 5 && st.spec.groups[1] == 100,
	   "the groups, in order");
	is_int((long long)st.spec.caps_keep, 0x800405fb, "caps");
	ok(st.spec.seccomp.enabled && st.spec.seccomp.mdwe && st.spec.landlock_scope_unix,
	   "seccomp, mdwe, landlock");
	is_int((long long)st.spec.nrlimits, 2, "two rlimits");
	ok(st.spec.rlimits[0].resource == RLIMIT_NPROC && st.spec.rlimits[0].value == 4096 &&
		   st.spec.rlimits[1].resource == RLIMIT_CPU &&
		   st.spec.rlimits[1].value == RLIM_INFINITY,
	   "the rlimits, unlimited too");
	is_str(st.spec.cwd, "/home/a b\\c", "cwd, unescaped");
	ok(st.spec.cwd_required, "cwd required");
	is_int((long long)st.spec.env.n, 2, "two variables");
	is_str(st.spec.env.v[1], "X=line1\nline2\tend\x7f", "a variable, unescaped");
	is_int((long long)st.spec.argv.n, 4, "four arguments, an empty one too");
	is_str(st.spec.argv.v[2], "echo hi\nname evil", "an argument with a newline");
	is_str(st.spec.argv.v[3], "", "an empty argument");
	is_str(st.spec.profile, "/etc/nook/profiles/sh.profile", "profile");
	ok(st.spec.overlay.mode == OVERLAY_NAMED && strcmp(st.spec.overlay.name, "dev") == 0,
	   "a named overlay");
	is_int(st.spec.net.mode, NET_SLIRP, "net");
	sandbox_state_free(&st);
	spec_free(&s);
}

static void rejects(const char *text, const char *want_err, const char *what)
{
	struct sandbox_state st;
	char err[256] = "";
	int r = spec_state_parse(text, strlen(text), &st, err, sizeof err);

	is_int(r, -1, "rejected: %s", what);
	ok(strstr(err, want_err) != NULL, "%s: '%s' says '%s'", what, err, want_err);
	sandbox_state_free(&st);
}

static void test_malformed(void)
{
	struct spec s;
	autofree char *text = NULL;
	autofree char *cut = NULL;
	autofree char *extra = NULL;
	size_t len;

	sample(&s);
	text = written(&s, "web");
	len = strlen(text);
	rejects("", "empty", "empty");
	rejects("nook-state 2\nend\n", "not a state", "another version");
	rejects("name web\n", "not a state", "no magic line");
	/* Read while its one write(2) was halfway: every prefix but the whole is refused. */
	for (size_t n = 13; n < len; n += 7) {
		struct sandbox_state st;
		char err[256];

		cut = xstrndup(text, n);
		ok(spec_state_parse(cut, n, &st, err, sizeof err) < 0, "a prefix of %zu bytes", n);
		sandbox_state_free(&st);
		free(cut);
		cut = NULL;
	}
	cut = xstrndup(text, len - 4);
	rejects(cut, "no end", "all but the end line");
	extra = xasprintf("%sargv x\n", text);
	rejects(extra, "after the end", "a line after the end");
	rejects("nook-state 1\nname a\nname b\nend\n", "twice", "a name twice");
	rejects("nook-state 1\nbogus 1\nend\n", "bad line", "an unknown key");
	rejects("nook-state 1\nuid -1\nend\n", "bad line", "a negative uid");
	rejects("nook-state 1\nuid 4294967296\nend\n", "bad line", "a uid too large");
	rejects("nook-state 1\nuid  5\nend\n", "bad line", "a blank before a number");
	rejects("nook-state 1\ncaps 0xff\nend\n", "bad line", "a 0x in caps");
	rejects("nook-state 1\nseccomp 2\nend\n", "bad line", "a flag that is not 0 or 1");
	rejects("nook-state 1\nnamespace time\nend\n", "bad line", "an unknown namespace");
	rejects("nook-state 1\nenv =x\nend\n", "bad line", "a variable without a name");
	rejects("nook-state 1\nargv a\\qb\nend\n", "malformed", "an unknown escape");
	rejects("nook-state 1\nargv a\\x00b\nend\n", "malformed", "an escaped NUL");
	rejects("nook-state 1\nargv a\\x4\nend\n", "malformed", "a short \\x");
	rejects("nook-state 1\nargv\nend\n", "without a value", "a key alone");
	rejects("nook-state 1\nrlimit nproc\nend\n", "bad line", "an rlimit without value");
	rejects("nook-state 1\nname x\nend\n", "incomplete", "no root, cwd, argv");
	{
		char nul[] = "nook-state 1\nargv a\0b\nend\n";
		struct sandbox_state st;
		char err[256] = "";

		is_int(spec_state_parse(nul, sizeof nul - 1, &st, err, sizeof err), -1,
		       "rejected: a NUL in a value");
		sandbox_state_free(&st);
	}
	spec_free(&s);
}

int main(void)
{
	test_valid();
	test_base();
	test_next();
	test_round_trip();
	test_malformed();
	return done_testing();
}
