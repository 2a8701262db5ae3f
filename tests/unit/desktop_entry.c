// SPDX-License-Identifier: GPL-2.0-or-later
/* Desktop entries for nook integrate: the programs of an entry, the copy through nook. */
#include <stdlib.h>
#include <string.h>

#include "cli/desktop_entry.h"
#include "tap.h"
#include "util/err.h"
#include "util/strv.h"

#define NOOK "/usr/bin/nook"

/* The programs of TEXT joined by "|", or "error: MESSAGE". */
static char *programs(const char *text)
{
	struct strv v = {0};
	char err[256];
	char *out;

	if (desktop_entry_programs(text, strlen(text), &v, err, sizeof err) < 0) {
		out = xasprintf("error: %s", err);
	} else {
		size_t len = 1;

		for (size_t i = 0; i < v.n; i++)
			len += strlen(v.v[i]) + 1;
		out = xcalloc(1, len);
		for (size_t i = 0; i < v.n; i++) {
			if (i)
				strcat(out, "|");
			strcat(out, v.v[i]);
		}
	}
	strv_free(&v);
	return out;
}

/* The copy of TEXT for PROGRAM (under PROFILE), or "error: MESSAGE". */
static char *rewrite(const char *text, const char *nook, const char *program, const char *profile)
{
	char err[256];
	char *out = desktop_entry_rewrite(text, strlen(text), nook, program, profile, NULL, err,
					  sizeof err);

	return out ? out : xasprintf("error: %s", err);
}

/* The lines of TEXT that start with PREFIX, joined by "|". */
static char *lines_with(const char *text, const char *prefix)
{
	char *out = xcalloc(1, strlen(text) + 1);
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (strncmp(p, prefix, strlen(prefix)) == 0) {
			if (out[0])
				strcat(out, "|");
			strncat(out, p, n);
		}
		p += n + (nl ? 1 : 0);
	}
	return out;
}

static const char firefox[] = "[Desktop Entry]\n"
			      "Name=Firefox ESR\n"
			      "Exec=/usr/lib/firefox-esr/firefox-esr %u\n"
			      "Type=Application\n"
			      "Icon=firefox-esr\n";

static const char evince[] = "[Desktop Entry]\n"
			     "Name=Document Viewer\n"
			     "TryExec=evince\n"
			     "Exec=evince %U\n"
			     "DBusActivatable=true\n"
			     "Actions=new-window;\n"
			     "\n"
			     "[Desktop Action new-window]\n"
			     "Name=New Window\n"
			     "Exec=evince --new-window\n";

static void test_programs(void)
{
	char *long_line = xmalloc(DESKTOP_LINE_MAX + 64);
	char *s;

	s = programs(firefox);
	is_str(s, "/usr/lib/firefox-esr/firefox-esr", "programs: Exec's, as written");
	free(s);
	s = programs(evince);
	is_str(s, "evince|evince", "programs: TryExec and Exec, not an action's");
	free(s);
	s = programs("[Desktop Entry]\nExec=env GDK_BACKEND=x11 A_1=b /opt/app/bin/app %F\n");
	is_str(s, "/opt/app/bin/app", "programs: env NAME=VALUE... skipped");
	free(s);
	s = programs("[Desktop Entry]\nExec=env -u X app\n");
	is_str(s, "env", "programs: env with an option: env");
	free(s);
	s = programs("[Desktop Entry]\nExec=env %f\n");
	is_str(s, "env", "programs: env with a field code: env");
	free(s);
	s = programs("[Desktop Entry]\nExec=\"/opt/My App/app\" --x %u\n");
	is_str(s, "/opt/My App/app", "programs: a quoted path");
	free(s);
	s = programs("[Desktop Entry]\nExec=\"/opt/My\\sApp/app\"\n");
	is_str(s, "/opt/My App/app", "programs: \\s is a space (in quotes: of the argument)");
	free(s);
	s = programs("[Desktop Entry]\nExec=/opt/My\\sApp/app\n");
	is_str(s, "/opt/My", "programs: \\s unquoted separates, as the string is read first");
	free(s);
	s = programs("[Desktop Entry]\nExec=\"/opt/a\\\\\\\\b/\\\\$x\" %u\n");
	is_str(s, "/opt/a\\b/$x", "programs: \\\\\\\\ and \\\\$ in quotes are \\ and $");
	free(s);
	s = programs("[Desktop Entry]\nExec = /usr/bin/app\nTryExec =  app\n");
	is_str(s, "/usr/bin/app|app", "programs: spaces around = ignored");
	free(s);
	s = programs("[Other]\nExec=app\n[Desktop Entry]\nName=x\n");
	is_str(s, "", "programs: an Exec of another group is not the entry's");
	free(s);

	s = programs("[Desktop Action x]\nExec=app\n");
	is_str(s, "error: no [Desktop Entry] group", "programs: no [Desktop Entry]: an error");
	free(s);
	s = programs("[Desktop Entry]\nExec=\"/opt/app %u\n");
	is_str(s, "error: Exec: a quote is not closed", "programs: an open quote: an error");
	free(s);
	s = programs("[Desktop Entry]\nExec=  \n");
	is_str(s, "error: Exec: no program", "programs: an empty Exec: an error");
	free(s);
	s = programs("[Desktop Entry]\r\nExec=app\r\n");
	is_str(s, "error: line 1: a control character (\\x0d)", "programs: CR: refused");
	free(s);
	s = programs("[Desktop Entry]\nName=\x1b]0;x\x07\nExec=app\n");
	is_str(s, "error: line 2: a control character (\\x1b)", "programs: ESC: refused");
	free(s);
	{
		char with_nul[] = "[Desktop Entry]\nExec=a\0pp\n";
		struct strv v = {0};
		char err[256];

		ok(desktop_entry_programs(with_nul, sizeof with_nul - 1, &v, err, sizeof err) < 0 &&
			   strcmp(err, "line 2: a NUL byte") == 0,
		   "programs: a NUL byte: refused (%s)", err);
		strv_free(&v);
	}
	strcpy(long_line, "[Desktop Entry]\nName=");
	memset(long_line + strlen(long_line), 'x', DESKTOP_LINE_MAX);
	long_line[strlen("[Desktop Entry]\nName=") + DESKTOP_LINE_MAX] = '\0';
	strcat(long_line, "\nExec=app\n");
	s = programs(long_line);
	is_str(s, "error: line 2: longer than 65536 bytes", "programs: a line too long: refused");
	free(s);
	free(long_line);
	{
		struct strv v = {0};
		char err[256];

		ok(desktop_entry_programs(firefox, DESKTOP_FILE_MAX + 1, &v, err, sizeof err) < 0,
		   "programs: a file too long: refused");
		strv_free(&v);
	}
}

static void test_rewrite(void)
{
	char *s, *l;

	s = rewrite(firefox, NOOK, "firefox-esr", "firefox-esr");
	is_str(s,
	       "# Written by nook integrate: its Exec lines start the program through nook.\n"
	       "[Desktop Entry]\n"
	       "X-Nook-Integrated=true\n"
	       "X-Nook-Program=firefox-esr\n"
	       "Name=Firefox ESR\n"
	       "Exec=/usr/bin/nook /usr/lib/firefox-esr/firefox-esr %u\n"
	       "Type=Application\n"
	       "Icon=firefox-esr\n",
	       "rewrite: firefox-esr: nook before the path, %%u kept, the rest as it was");
	l = programs(s);
	is_str(l, NOOK, "rewrite: the copy's program is nook");
	free(l);
	free(s);

	s = rewrite(evince, NOOK, "evince", "evince");
	l = lines_with(s, "Exec=");
	is_str(l, "Exec=/usr/bin/nook -- evince %U|Exec=/usr/bin/nook -- evince --new-window",
	       "rewrite: the action's Exec too; \"--\" before a name");
	free(l);
	l = lines_with(s, "DBusActivatable");
	is_str(l, "", "rewrite: DBusActivatable dropped");
	free(l);
	l = lines_with(s, "TryExec");
	is_str(l, "TryExec=evince", "rewrite: TryExec kept");
	free(l);
	l = lines_with(s, "[Desktop Action new-window]");
	is_str(l, "[Desktop Action new-window]", "rewrite: the action's group kept");
	free(l);
	free(s);

	s = rewrite("[Desktop Entry]\nExec=gimp-2.10 %U\n[Desktop Action x]\nExec=/usr/bin/gimp -n\n",
		    NOOK, "gimp", "gimp");
	l = lines_with(s, "Exec=");
	is_str(l,
	       "Exec=/usr/bin/nook --profile=gimp -- gimp-2.10 %U|Exec=/usr/bin/nook /usr/bin/gimp -n",
	       "rewrite: --profile=PROGRAM where the entry's program has another name");
	free(l);
	free(s);
	s = rewrite("[Desktop Entry]\nExec=gimp-2.10 %U\n", NOOK, "gimp", NULL);
	l = lines_with(s, "Exec=");
	is_str(l, "Exec=/usr/bin/nook -- gimp-2.10 %U", "rewrite: no profile: no --profile");
	free(l);
	free(s);

	s = rewrite("[Desktop Entry]\nExec=env A=1 \"/opt/My App/app\" --x \"%%d\" %F\n", NOOK,
		    "app", "app");
	l = lines_with(s, "Exec=");
	is_str(l, "Exec=env A=1 /usr/bin/nook \"/opt/My App/app\" --x \"%%d\" %F",
	       "rewrite: after env's assignments, before the quote; the rest byte for byte");
	free(l);
	free(s);

	s = rewrite("[Desktop Entry]\nExec = app %f", NOOK, "app", NULL);
	l = lines_with(s, "Exec=");
	is_str(l, "Exec=/usr/bin/nook -- app %f", "rewrite: \"Exec = \" written \"Exec=\"");
	free(l);
	ok(s[strlen(s) - 1] == '\n', "rewrite: the last line ends with a newline");
	free(s);

	s = rewrite("[Desktop Entry]\nExec=/usr/bin/nook app\nX-Nook-Integrated=false\n"
		    "X-Nook-Program=other\n",
		    NOOK, "app", NULL);
	l = lines_with(s, "Exec=");
	is_str(l, "Exec=/usr/bin/nook app", "rewrite: an Exec through nook already stays");
	free(l);
	l = lines_with(s, "X-Nook-");
	is_str(l, "X-Nook-Integrated=true|X-Nook-Program=app", "rewrite: X-Nook- keys are nook's");
	free(l);
	free(s);

	s = rewrite("[Desktop Entry]\nExec=app\n", "/opt/my nook/$x\\y%/nook", "app", NULL);
	l = lines_with(s, "Exec=");
	is_str(l, "Exec=\"/opt/my nook/\\\\$x\\\\\\\\y%%/nook\" -- app",
	       "rewrite: nook's path quoted and escaped as the specification asks");
	free(l);
	l = programs(s);
	is_str(l, "/opt/my nook/$x\\y%/nook", "rewrite: and read back as that path");
	free(l);
	free(s);

	s = rewrite(firefox, "nook", "firefox-esr", NULL);
	is_str(s, "error: nook's path cannot be written in an Exec line",
	       "rewrite: a relative nook path: refused");
	free(s);
	s = rewrite(firefox, "/usr/bin/nook\n", "firefox-esr", NULL);
	is_str(s, "error: nook's path cannot be written in an Exec line",
	       "rewrite: a newline in nook's path: refused");
	free(s);
	s = rewrite(firefox, NOOK, "fire\nfox", NULL);
	is_str(s, "error: the program's name holds a control character",
	       "rewrite: a newline in the program's name: refused");
	free(s);
	s = rewrite("[Desktop Entry]\nName=x\n[Desktop Action a]\nExec=app\n", NOOK, "app", NULL);
	is_str(s, "error: no Exec line in its [Desktop Entry] group",
	       "rewrite: no Exec in [Desktop Entry] (D-Bus only): refused");
	free(s);
	s = rewrite("[Desktop Entry]\nExec=app\n[Desktop Entry]\nExec=app\n", NOOK, "app", NULL);
	is_str(s, "error: two [Desktop Entry] groups", "rewrite: two [Desktop Entry]: refused");
	free(s);
	s = rewrite("[Desktop Entry]\nExec=\"app\n", NOOK, "app", NULL);
	is_str(s, "error: Exec: a quote is not closed", "rewrite: an open quote: refused");
	free(s);
	s = rewrite("[Desktop Entry]\nExec=app\r\n", NOOK, "app", NULL);
	is_str(s, "error: line 2: a control character (\\x0d)", "rewrite: CR: refused");
	free(s);

	{
		char err[256];

		s = desktop_entry_rewrite(firefox, strlen(firefox), NOOK, "firefox-esr", NULL,
					  "/usr/share/applications/firefox-esr.desktop", err,
					  sizeof err);
		l = lines_with(s, "#");
		is_str(l,
		       "# Written by nook integrate from "
		       "/usr/share/applications/firefox-esr.desktop: its Exec lines start the "
		       "program through nook.",
		       "rewrite: the comment names the source");
		free(l);
		free(s);
		s = desktop_entry_rewrite(firefox, strlen(firefox), NOOK, "firefox-esr", NULL,
					  "/usr/share/applications/x\ny.desktop", err, sizeof err);
		l = lines_with(s, "#");
		is_str(l,
		       "# Written by nook integrate: its Exec lines start the program through "
		       "nook.",
		       "rewrite: a source with a newline is not named");
		free(l);
		free(s);
	}
}

static void test_ours(void)
{
	char *s = rewrite(evince, NOOK, "evince", NULL);
	char *program = NULL;

	ok(desktop_entry_is_ours(s, strlen(s), &program), "ours: the copy is nook's");
	is_str(program, "evince", "ours: for its program");
	free(program);
	free(s);
	ok(!desktop_entry_is_ours(evince, strlen(evince), &program), "ours: the system's is not");
	ok(program == NULL, "ours: no program then");
	s = "[Desktop Entry]\nExec=app\nX-Nook-Integrated=false\n";
	ok(!desktop_entry_is_ours(s, strlen(s), NULL), "ours: =false is not");
	s = "[Desktop Entry]\nExec=app\n[Desktop Action a]\nX-Nook-Integrated=true\n";
	ok(!desktop_entry_is_ours(s, strlen(s), NULL), "ours: the mark of another group is not");
	s = "[Desktop Entry]\nX-Nook-Integrated=true\nName=\x01\n";
	ok(!desktop_entry_is_ours(s, strlen(s), NULL), "ours: a control character: not");
	s = "[Desktop Entry]\nX-Nook-Integrated=true\n";
	ok(desktop_entry_is_ours(s, strlen(s), &program), "ours: without a program");
	is_str(program, "", "ours: whose program is \"\"");
	free(program);
}

static void test_quote(void)
{
	struct {
		const char *arg, *want;
	} cases[] = {
		{"/usr/bin/nook", "/usr/bin/nook"},
		{"/a b/nook", "\"/a b/nook\""},
		{"/a%b", "/a%%b"},
		{"/a\"b", "\"/a\\\\\"b\""},
		{"/a`b", "\"/a\\\\`b\""},
		{"/a\\b", "\"/a\\\\\\\\b\""},
		{"/a'b", "\"/a'b\""},
		{"/a;b", "\"/a;b\""},
		{"--profile=x y", "\"--profile=x y\""},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *q = desktop_exec_quote(cases[i].arg);

		is_str(q, cases[i].want, "quote: %s", cases[i].arg);
		free(q);
	}
	ok(desktop_exec_quote("/a\nb") == NULL, "quote: a newline: NULL");
	ok(desktop_exec_quote("/a\tb") == NULL, "quote: a tab: NULL");
}

int main(void)
{
	test_programs();
	test_rewrite();
	test_ours();
	test_quote();
	return done_testing();
}
