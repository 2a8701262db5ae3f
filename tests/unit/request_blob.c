// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * request_to_blob / request_from_blob (the profile cache's request): a request with a value in
 * nearly every field comes back the same (its blob written again is the same bytes); a blob
 * cut short anywhere, or with a number out of range, is refused, and nothing leaks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/argv.h"
#include "request/request.h"
#include "tap.h"
#include "util/blob.h"

static char *args[] = {
	"--userns=root",
	"--userns-pool=no",
	"--user=1000:1000",
	"--bind=/srv/a:/b",
	"--ro-bind=/srv/c",
	"--tmpfs=/d",
	"--tmpfs-size=10m",
	"--shm-size=5m",
	"--timeout=7",
	"--chdir=/work",
	"--hostname=box",
	"--ipc=host",
	"--single-instance",
	"--env=A=B",
	"--unsetenv=C",
	"--env-keep=D",
	"--env-file=/srv/env",
	"--keep-groups",
	"--net=slirp",
	"--net-host-loopback",
	"--publish=127.0.0.1:8080:80",
	"--seccomp-drop=ptrace",
	"--seccomp-allow=mount",
	"--seccomp-error-action=kill",
	"--allow-userns",
	"--allow-secondary-arch",
	"--protocol=unix,inet",
	"--memory-deny-write-execute",
	"--caps-keep=chown,net_raw",
	"--caps-drop=net_raw",
	"--rlimit-nofile=100",
	"--pids-limit=50",
	"--overlay=kept",
	"--overlay-driver=kernel",
	"--blacklist=~/.ssh",
	"--noblacklist=~/.ssh/config",
	"--whitelist=~/Downloads",
	"--whitelist-ro=~/Documents",
	"--nowhitelist=~/Documents/x",
	"--read-only=~/.bashrc",
	"--read-write=~/work",
	"--noexec=/tmp",
	"--mkdir=~/.cache/x",
	"--mkfile=~/.x",
	"--private-cache",
	"--private-etc=passwd,group",
	"--dns=10.0.0.1",
	"--x11",
	"--wayland",
	"--nosound",
	"--nodbus",
	"--machine-id",
	"--cache=c:~/.cache/c",
	"--dbus-user=filter",
	"--dbus-user.own=org.example.A",
	"--dbus-user.talk=org.example.B",
	"--dbus-user.see=org.example.C",
	"--dbus-user.call=org.example.D=*",
	"--dbus-user.broadcast=org.example.E=*",
	"--dbus-system=filter",
	"--dbus-system.talk=org.freedesktop.X",
	"--name=blobbed",
	"--pty=always",
	"--profile=someprofile",
	"--strict-profile",
	"--quiet",
	"--",
	"prog",
	"arg one",
	NULL,
};

int main(void)
{
	struct request ro, back;
	struct blob_out a = {0}, b = {0};
	int argc = (int)(sizeof args / sizeof args[0]) - 1;
	size_t refused = 0;

	request_init(&ro);
	is_int(options_parse_run(argc, args, &ro), 0, "the command line is read");
	/* What only a profile or the run itself sets. */
	strv_push(&ro.profile_files, "/etc/nook/profiles/x.profile");
	ro.profile_path = strdup("/etc/nook/profiles/x.profile");
	ro.profile_firejail = true;
	req_list_push(&ro.profile_directives, "caps-drop", &(struct origin){"x.profile:3", false});
	ro.fs.x11 = -1;
	ro.fs.private_home = true;
	ro.fs.private_dir = strdup("/srv/home");
	ro.sec.seccomp.value = strdup("off");
	ro.sec.seccomp.origin = strdup("--seccomp");
	ro.sec.seccomp.cli = true;
	ro.clearenv = true;
	ro.json = true;
	ro.dry_run = true;

	request_to_blob(&ro, &a);
	ok(a.len > 1000, "the blob holds it (%zu bytes)", a.len);
	{
		struct blob_in in = {.p = a.buf, .end = a.buf + a.len};

		is_int(request_from_blob(&in, &back), 0, "it comes back");
		ok(in.p == in.end, "all of the blob is read");
	}
	request_to_blob(&back, &b);
	ok(a.len == b.len && memcmp(a.buf, b.buf, a.len) == 0,
	   "written again, it is the same bytes");
	is_str(back.argv.v[1], "arg one", "argv");
	is_int(back.net.npublish, 1, "publish");
	is_int(back.net.publish[0].host_port, 8080, "publish's host port");
	is_int(back.fs.x11, -1, "x11 none");
	is_str(back.fs.blacklist.v[0].origin, "--blacklist", "a list's origin");
	ok(back.fs.blacklist.v[0].cli, "a list's command-line flag");
	is_str(back.dbus_user.call.v[0].value, "org.example.D=*", "dbus-user.call");
	request_free(&back);

	/* Cut short at every length: refused each time (and, under the sanitizers, no leak). */
	for (size_t len = 0; len < a.len; len++) {
		struct blob_in in = {.p = a.buf, .end = a.buf + len};

		refused += request_from_blob(&in, &back) < 0;
	}
	is_int(refused, a.len, "a blob cut short anywhere is refused");

	/* A number out of range (the first field, the userns mode) is refused too. */
	{
		uint64_t bad = 99;
		struct blob_in in;

		memcpy(a.buf, &bad, sizeof bad);
		in = (struct blob_in){.p = a.buf, .end = a.buf + a.len};
		is_int(request_from_blob(&in, &back), -1, "an enum out of range is refused");
	}
	/* A string holding a NUL is no string of ours. */
	{
		struct blob_out c = {0};
		struct blob_in in;
		char *s;

		blob_put_u64(&c, 3);
		blob_put_u64(&c, 0);
		memcpy(c.buf + 8, "a\0b", 3);
		c.len = 11;
		in = (struct blob_in){.p = c.buf, .end = c.buf + c.len};
		s = blob_get_str(&in);
		ok(!s && in.bad, "a string with a NUL in it is refused");
		blob_out_free(&c);
	}
	blob_out_free(&a);
	blob_out_free(&b);
	request_free(&ro);
	return done_testing();
}
