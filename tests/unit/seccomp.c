// SPDX-License-Identifier: GPL-2.0-or-later
/* The default filter compiled at build time is the one libseccomp gives now; others are not. */
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>

#include "policy/security.h"
#include "request/values.h"
#include "sandbox/internal.h"
#include "tap.h"

static void req_init(struct security_request *r)
{
	memset(r, 0, sizeof *r);
}

static void req_free(struct security_request *r)
{
	strv_free(&r->seccomp_drop);
	strv_free(&r->seccomp_allow);
}

static void build(struct security_request *req, struct spec *s)
{
	spec_init(s);
	security_build(req, true, s);
}

int main(void)
{
	struct security_request req;
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

	/* Any change of policy is compiled at run time, not served the default. */
	ok(parse_syscall_list("getcwd", &req.seccomp_drop, err, sizeof err) == 0, "parse getcwd");
	build(&req, &s);
	{
		char *key = seccomp_key(&s.seccomp);
		struct sock_fprog p;

		ok(!seccomp_prebuilt(key, &p), "--seccomp-drop=getcwd: not the prebuilt filter");
		free(key);
	}
	seccomp_compile(&s.seccomp, &now);
	ok(now.len > pre.len, "--seccomp-drop=getcwd: a longer program (%u > %u)", now.len, pre.len);
	free(now.filter);
	spec_free(&s);
	req_free(&req);

	req_init(&req);
	req.action = SECCOMP_ACTION_KILL;
	build(&req, &s);
	{
		char *key = seccomp_key(&s.seccomp);
		struct sock_fprog p;

		ok(!seccomp_prebuilt(key, &p), "--seccomp-error-action=kill: not the prebuilt filter");
		free(key);
	}
	spec_free(&s);
	req_free(&req);
	return done_testing();
}
