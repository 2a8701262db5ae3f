// SPDX-License-Identifier: GPL-2.0-or-later
/* The caller's passwd entry without NSS in nook: /etc/passwd where files come first, else getent. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/caller.h"
#include "tap.h"

static char dir[] = "/tmp/nook-unit-caller.XXXXXX";
static char nsswitch[64], passwd[64], getent[64], asked[64];

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, mode) != 0) {
		perror(path);
		exit(1);
	}
}

/* getent's stand-in: says it was asked, answers for 2000 only, as getent passwd does. */
static void fake_getent(void)
{
	char script[512];

	snprintf(script, sizeof script,
		 "#!/bin/sh\n"
		 "echo \"$*\" >%s\n"
		 "[ \"$1 $2\" = \"passwd 2000\" ] || exit 2\n"
		 "echo 'ldapuser:*:2000:2000:From LDAP:/home/ldapuser:/bin/bash'\n",
		 asked);
	write_file(getent, script, 0755);
}

static int lookup(uint32_t uid, char **name, char **home)
{
	const char *const paths[] = {"/nonexistent/getent", getent, NULL};
	const struct caller_lookup how = {.nsswitch = nsswitch, .passwd = passwd, .getent = paths};

	unlink(asked);
	return caller_entry(uid, &how, name, home);
}

static void check(uint32_t uid, int want_r, const char *want_name, const char *want_home,
		  bool want_asked, const char *what)
{
	char *name, *home;
	int r = lookup(uid, &name, &home);

	is_int(r, want_r, "%s: the result", what);
	is_str(name, want_name, "%s: the name", what);
	is_str(home, want_home, "%s: the home", what);
	is_int(access(asked, F_OK) == 0, want_asked, "%s: getent %s", what,
	       want_asked ? "asked" : "not asked");
	free(name);
	free(home);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(nsswitch, sizeof nsswitch, "%s/nsswitch.conf", dir);
	snprintf(passwd, sizeof passwd, "%s/passwd", dir);
	snprintf(getent, sizeof getent, "%s/getent", dir);
	snprintf(asked, sizeof asked, "%s/asked", dir);
	fake_getent();
	write_file(passwd,
		   "root:x:0:0:root:/root:/bin/bash\n"
		   "# a comment:x:1000:1000::/c:/bin/sh\n"
		   "+nisuser:x:1001:1001::/nis:/bin/sh\n"
		   "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
		   "alice2:x:1000:1000:Alice again:/home/alice2:/bin/bash\n"
		   "nohome:x:1002:1002:::/bin/sh\n"
		   "short:x:1003:1003\n"
		   "ldapuser:x:2000:2000::/files/ldapuser:/bin/sh\n",
		   0644);

	write_file(nsswitch, "# comment\npasswd:         files systemd\ngroup: files\n", 0644);
	check(1000, 0, "alice", "/home/alice", false, "files first: the first entry of the id");
	check(1002, 0, "nohome", NULL, false, "files first: an entry without a home");
	check(1001, -1, NULL, NULL, true, "files first: a NIS line is no entry, getent asked");
	check(1003, -1, NULL, NULL, true, "files first: a short line is no entry");
	check(2000, 0, "ldapuser", "/files/ldapuser", false, "files first: found in the file");
	check(4242, -1, NULL, NULL, true, "files first: in no source");

	write_file(nsswitch, "passwd: compat\n", 0644);
	check(1000, 0, "alice", "/home/alice", false, "compat: read as the files");

	write_file(nsswitch, "passwd:sss files\n", 0644);
	check(2000, 0, "ldapuser", "/home/ldapuser", true,
	      "sss first: getent's answer, not the file's");
	check(1000, -1, NULL, NULL, true, "sss first: getent's answer only");

	write_file(nsswitch, "passwd: files[NOTFOUND=return] systemd\n", 0644);
	check(1000, 0, "alice", "/home/alice", false, "files with an action: files first");

	write_file(nsswitch, "group: sss files\n", 0644);
	check(1000, 0, "alice", "/home/alice", false, "no passwd line: NSS's default, files");
	unlink(nsswitch);
	check(1000, 0, "alice", "/home/alice", false, "no nsswitch.conf: files");

	unlink(getent);
	check(4242, -1, NULL, NULL, false, "no getent: nothing");

	unlink(passwd);
	unlink(asked);
	rmdir(dir);
	return done_testing();
}
