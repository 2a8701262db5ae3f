/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_DISPLAY_H
#define NOOK_POLICY_DISPLAY_H

/*
 * The caller's displays: which ones a sandbox gets (the request's x11 and wayland, or a
 * firejail profile's defaults), what a program with one needs besides (dconf's directory, no
 * accessibility bridge), and the line printed when a program without its display fails.
 */

#include <stdbool.h>

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

struct display_grant {
	bool x11;            /* the X server's socket and cookie (when the caller has them) */
	bool wayland;        /* the compositor's socket */
	bool x11_by_default; /* x11 comes from a firejail profile's default, not a directive */
	bool wayland_by_default;
};

/*
 * What the request grants. A firejail profile (ro->profile_firejail) has both displays unless
 * it says "x11 none" (which nook reads as no display at all); nook's own profiles and the
 * command line have what they name. The command line's --x11=none wins, as always.
 */
void display_decide(const struct request *ro, struct display_grant *g);

/* Does the sandbox get a display of the caller's: one granted that the caller has? */
bool display_shown(const struct display_grant *g, const struct host_facts *h);

/* The X server's local socket for DISPLAY (":N", "host:N.S"): /tmp/.X11-unix/XN; or NULL. */
char *display_x11_socket(const char *display);
/* The compositor's socket for WAYLAND_DISPLAY: absolute, or in the runtime dir. */
char *display_wayland_socket(const char *wayland_display, const char *runuser);

/*
 * A sandbox over the host with a display (display_shown) gets a throwaway, writable dconf/ in its runtime
 * directory (the file there only tells dconf's clients that the database changed): a tmpfs,
 * after every other mount, so it holds over the host's dconf/ bound read-only; not where a
 * blacklist hides it, nor where the host's is bound writable on purpose (shared as asked).
 */
void display_build_dconf(const struct request *ro, const struct host_facts *h,
			 const struct display_grant *g, struct spec *s);

/*
 * s->failure_hint: the line the monitor prints when the payload fails, when the caller has a
 * display (DISPLAY, WAYLAND_DISPLAY) that the sandbox does not get (not granted, or hidden by
 * a blacklist, or its variable removed), unless it has the caller's X display: a program
 * that fails with X11 there did not fail for want of Wayland. None with --quiet. After the
 * environment is final (session_prune_env).
 */
void display_build_hint(const struct request *ro, const struct host_facts *h,
			const struct display_grant *g, struct spec *s);

#endif
