// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "util/err.h"
#include "util/escape.h"

/* A firejail profile's network, where it names none: slirp4netns's, if of any use. */
static enum net_mode firejail_default(const struct request *ro, const struct host_facts *h)
{
	const uint64_t inet = (UINT64_C(1) << AF_INET) | (UINT64_C(1) << AF_INET6);

	if (ro->sec.protocols && !(ro->sec.protocols & inet))
		return NET_NONE;
	if (!h->slirp4netns) {
		autofree char *shown = str_escape(ro->profile_path ? ro->profile_path : "?");

		if (!ro->quiet)
			warnx_("warning: %s: a firejail profile has the network unless it says "
			       "net none, but slirp4netns is not installed (apt-get install "
			       "slirp4netns): the sandbox has none",
			       shown);
		return NET_NONE;
	}
	return NET_SLIRP;
}

/* A user-mode network: a tap device served by a helper outside (slirp4netns or pasta). */
static bool user_mode(enum net_mode mode)
{
	return mode == NET_SLIRP || mode == NET_PASTA;
}

/*
 * pasta keeps one forward per host port number and protocol, whatever the host address. And
 * pasta up to at least mid-2023 (Debian 12's) computes the way back of a UDP port forwarded to
 * a lower one past the end of its table: the replies are lost (and its memory written over).
 */
static int pasta_check_ports(const struct net_request *r)
{
	for (size_t i = 0; i < r->npublish; i++) {
		if (r->publish[i].udp && r->publish[i].guest_port < r->publish[i].host_port) {
			warnx_("%s: pasta loses the replies of a UDP port forwarded to a lower one; "
			       "make PORT at least HOSTPORT, or use --net=slirp",
			       r->publish[i].origin);
			return -1;
		}
		for (size_t k = 0; k < i; k++)
			if (r->publish[i].host_port == r->publish[k].host_port &&
			    r->publish[i].udp == r->publish[k].udp) {
				warnx_("%s: pasta forwards a host port only once (%s has it too)",
				       r->publish[i].origin, r->publish[k].origin);
				return -1;
			}
	}
	return 0;
}

static int slirp_build(const struct net_request *r, const struct host_facts *h, struct net_spec *n)
{
	if (!h->slirp4netns) {
		warnx_("--net=slirp: slirp4netns is not installed (apt-get install slirp4netns)");
		return -1;
	}
	n->slirp4netns = xstrdup(h->slirp4netns);
	/*
	 * The API socket takes a forward from whoever reaches it first: it lives in nook's own
	 * runtime directory, which no sandbox sees (theirs are private), else in a private
	 * directory of /tmp with a random name (no sandbox sees the host's /tmp either).
	 */
	n->api_dir = xstrdup(h->nook_runtime_dir ? h->nook_runtime_dir : "/tmp");
	/*
	 * slirp4netns forwards UDP from 10.0.2.2, and --disable-host-loopback drops the replies
	 * sent back there: a UDP port works only with the host's loopback reachable, which opens
	 * every service on the host's 127.0.0.1 to the sandbox. That must be asked for.
	 */
	for (size_t i = 0; i < r->npublish; i++) {
		if (r->publish[i].udp && !r->host_loopback) {
			warnx_("%s: slirp4netns forwards UDP only when the host's loopback is reachable "
			       "from the sandbox; add --net-host-loopback to accept that",
			       r->publish[i].origin);
			return -1;
		}
	}
	return 0;
}

/*
 * pasta forwards a published port from the host's loopback to the sandbox's own, socket to
 * socket: UDP needs nothing more. It has no API socket: the forwards are its arguments.
 */
static int pasta_build(const struct net_request *r, const struct host_facts *h, struct net_spec *n)
{
	if (!h->pasta) {
		warnx_("--net=pasta: pasta is not installed (package passt)");
		return -1;
	}
	if (pasta_check_ports(r) < 0)
		return -1;
	n->pasta = xstrdup(h->pasta);
	return 0;
}

int net_build(const struct request *ro, const struct host_facts *h, struct spec *s)
{
	const struct net_request *r = &ro->net;
	struct net_spec *n = &s->net;
	/* --publish implies slirp, unless a mode was asked for explicitly. */
	enum net_mode mode = r->mode_set            ? r->mode
			     : r->npublish          ? NET_SLIRP
			     : ro->profile_firejail ? firejail_default(ro, h)
						    : NET_NONE;

	n->mode = mode;
	if (r->npublish && !user_mode(mode)) {
		warnx_("%s: needs --net=slirp or --net=pasta (the sandbox has --net=%s)",
		       r->publish[0].origin, enum_to_name(net_mode_names, mode));
		return -1;
	}
	if (r->host_loopback && !user_mode(mode)) {
		warnx_("--net-host-loopback: needs --net=slirp or --net=pasta");
		return -1;
	}
	if (mode == NET_HOST)
		s->clone_flags &= ~(uint64_t)CLONE_NEWNET;
	if (!user_mode(mode))
		return 0;
	if ((mode == NET_SLIRP ? slirp_build(r, h, n) : pasta_build(r, h, n)) < 0)
		return -1;
	n->mtu = SLIRP_MTU;
	n->host_loopback = r->host_loopback;
	n->publish = xcalloc(r->npublish, sizeof *n->publish);
	for (size_t i = 0; i < r->npublish; i++) {
		n->publish[i] = r->publish[i];
		n->publish[i].origin = xstrdup(r->publish[i].origin);
	}
	n->npublish = r->npublish;
	return 0;
}

void net_build_files(struct spec *s)
{
	/*
	 * Programs inside must use the forwarder of slirp4netns or pasta, not the host's
	 * resolver (often 127.0.0.53). pasta passes 10.0.2.3 on to the host's first nameserver.
	 */
	if (user_mode(s->net.mode))
		spec_add_mount(s, MOUNT_FILE, "nameserver " SLIRP_DNS_ADDR "\n", "/etc/resolv.conf",
			       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC,
			       s->net.mode == NET_SLIRP ? "--net=slirp" : "--net=pasta");
}

/*
 * Neither slirp4netns nor pasta checks where a packet on tap0 is addressed: a raw socket
 * (CAP_NET_RAW), or route_localnet and a route (CAP_NET_ADMIN), sends one to 127.0.0.1, and
 * it arrives on the host's loopback whatever --net-host-loopback says. Those capabilities
 * with user-mode networking therefore mean the host's loopback, which must be asked for: the
 * command line's are refused, a profile's are not kept (with a warning).
 */
int net_check_caps(const struct request *ro, struct spec *s)
{
	const uint64_t open_loopback = (UINT64_C(1) << CAP_NET_RAW) |
				       (UINT64_C(1) << CAP_NET_ADMIN);
	const char *origin = NULL;
	bool cli = false;

	if ((s->net.mode != NET_SLIRP && s->net.mode != NET_PASTA) || s->net.host_loopback ||
	    !(s->caps_keep & open_loopback))
		return 0;
	for (size_t i = 0; i < ro->sec.ncaps; i++) {
		const struct caps_edit *e = &ro->sec.caps[i];

		if (e->keep && (e->mask & open_loopback)) {
			origin = e->origin;
			cli = e->cli;
		}
	}
	if (cli) {
		warnx_("%s: CAP_NET_RAW and CAP_NET_ADMIN reach the host's loopback through "
		       "--net=%s's tap device; add --net-host-loopback to accept that",
		       origin, s->net.mode == NET_SLIRP ? "slirp" : "pasta");
		return -1;
	}
	if (!ro->quiet)
		warnx_("warning: %s: CAP_NET_RAW and CAP_NET_ADMIN not kept: with --net=%s they "
		       "reach the host's loopback (add --net-host-loopback to keep them)",
		       origin ? origin : "caps", s->net.mode == NET_SLIRP ? "slirp" : "pasta");
	s->caps_keep &= ~open_loopback;
	return 0;
}
