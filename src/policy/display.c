// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The caller's displays. X11 lets any client read every key typed and every window shown on
 * the display; a Wayland compositor keeps its clients apart. nook's own profiles give what
 * they name (default.profile: Wayland); firejail's profiles, written for a sandbox that has
 * the display unless told otherwise, get both unless they say "x11 none".
 */
#include "policy/display.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/fs.h"
#include "util/err.h"
#include "util/fsutil.h"

void display_decide(const struct request *ro, struct display_grant *g)
{
	bool firejail = ro->profile_firejail && ro->fs.x11 >= 0;

	memset(g, 0, sizeof *g);
	g->x11 = ro->fs.x11 > 0 || firejail;
	g->x11_by_default = g->x11 && ro->fs.x11 == 0;
	g->wayland = ro->fs.wayland || firejail;
	g->wayland_by_default = g->wayland && !ro->fs.wayland;
}

bool display_shown(const struct display_grant *g, const struct host_facts *h)
{
	const char *display = host_getenv(h, "DISPLAY");
	const char *wayland = host_getenv(h, "WAYLAND_DISPLAY");

	return (g->x11 && display && display[0]) || (g->wayland && wayland && wayland[0]);
}

void display_build_dconf(const struct request *ro, const struct host_facts *h,
			 const struct display_grant *g, struct spec *s)
{
	autofree char *dir = NULL;
	struct mount_op *m;

	if (ro->rootfs || !display_shown(g, h))
		return;
	dir = xasprintf("%s/dconf", h->runuser);
	/*
	 * What the last mount over it made of it: hidden by a blacklist (of it, or of the
	 * runtime dir), it stays so; the host's, bound writable on purpose (firejail's
	 * whitelist-runuser-common.inc), it is shared as asked.
	 */
	for (size_t i = s->nmounts; i-- > 0;) {
		const struct mount_op *o = &s->mounts[i];

		if (!fs_under(dir, o->dest) ||
		    (o->kind == MOUNT_RESTRICT && !(o->flags & MOUNT_F_RDONLY)))
			continue;
		if (o->kind == MOUNT_MASK ||
		    (o->kind == MOUNT_BIND && !(o->flags & MOUNT_F_RDONLY)))
			return;
		break;
	}
	m = spec_add_mount(s, MOUNT_TMPFS, NULL, dir,
			   MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC | MOUNT_F_OPTIONAL,
			   "dconf");
	m->mode = 0700;
	m->options = xasprintf("uid=%u,gid=%u,size=1m", s->inside_uid, s->inside_gid);
}

char *display_x11_socket(const char *display)
{
	const char *colon = display ? strrchr(display, ':') : NULL;
	unsigned n;

	if (!colon || sscanf(colon + 1, "%u", &n) != 1)
		return NULL;
	return xasprintf("/tmp/.X11-unix/X%u", n);
}

char *display_wayland_socket(const char *wayland_display, const char *runuser)
{
	return wayland_display[0] == '/' ? xstrdup(wayland_display)
					 : xasprintf("%s/%s", runuser, wayland_display);
}

/* The last element of a path. */
/*
 * Why the sandbox lacks a display the caller has (its variable VAR set), as what follows
 * "X11 is"; NULL if it has it. socket: where it is, for a blacklist's mask over it.
 */
static const char *lacks(const struct request *ro, const struct spec *s, const char *var,
			 const char *caller_value, const char *socket, bool granted,
			 bool taken_away, char **buf)
{
	const char *profile = ro->profile_path ? path_base(ro->profile_path) : NULL;

	if (!caller_value || !caller_value[0])
		return NULL;
	if (taken_away)
		return "taken away by x11 none";
	if (!granted) {
		*buf = profile ? xasprintf("not granted by %s", profile)
			       : xstrdup("not granted without a profile");
		return *buf;
	}
	if (!strv_env_get(&s->env, var) && ro->clearenv)
		return "left out by --clearenv";
	if ((socket && fs_hidden(s, socket)) || !strv_env_get(&s->env, var)) {
		*buf = profile ? xasprintf("hidden by %s", profile)
			       : xstrdup("hidden by the options");
		return *buf;
	}
	return NULL;
}

void display_build_hint(const struct request *ro, const struct host_facts *h,
			const struct display_grant *g, struct spec *s)
{
	const char *display = host_getenv(h, "DISPLAY");
	const char *wayland = host_getenv(h, "WAYLAND_DISPLAY");
	autofree char *x11_socket = display_x11_socket(display);
	autofree char *wayland_socket = wayland ? display_wayland_socket(wayland, h->runuser)
						: NULL;
	autofree char *x11_buf = NULL;
	autofree char *wayland_buf = NULL;
	autofree char *help = NULL;
	const char *x11_why, *wayland_why, *program;
	bool has_x11;

	if (ro->quiet || ro->argv.n == 0)
		return;
	x11_why = lacks(ro, s, "DISPLAY", display, x11_socket, g->x11, ro->fs.x11 < 0, &x11_buf);
	wayland_why = lacks(ro, s, "WAYLAND_DISPLAY", wayland, wayland_socket, g->wayland,
			    ro->fs.x11 < 0 && ro->profile_firejail, &wayland_buf);
	has_x11 = display && display[0] && !x11_why;
	/* With X11 there, a failure is not for want of a display: most programs take either. */
	if (!x11_why && !(wayland_why && !has_x11))
		return;
	if (has_x11)
		wayland_why = NULL;
	program = path_base(ro->argv.v[0]);
	/* What would help: the options that grant it (not what a blacklist hides). */
	if (x11_why && !g->x11 && wayland_why && !g->wayland)
		help = xstrdup(": --x11 gives it the X server, --wayland the compositor");
	else if (x11_why && !g->x11)
		help = xstrdup(": --x11 gives it the X server");
	else if (wayland_why && !g->wayland)
		help = xstrdup(": --wayland gives it the compositor");
	else
		help = xstrdup("");
	if (x11_why && wayland_why && strcmp(x11_why, wayland_why) == 0)
		s->failure_hint = xasprintf("%s had no display (X11 and Wayland are %s)%s", program,
					    x11_why, help);
	else if (x11_why && wayland_why)
		s->failure_hint = xasprintf("%s had no display (X11 is %s, Wayland %s)%s", program,
					    x11_why, wayland_why, help);
	else if (x11_why)
		s->failure_hint = xasprintf("%s had no X display (X11 is %s)%s", program, x11_why,
					    help);
	else
		s->failure_hint = xasprintf("%s had no display (Wayland is %s)%s", program,
					    wayland_why, help);
}
