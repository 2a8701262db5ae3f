// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	if (r->npublish && mode != NET_SLIRP) {
		warnx_("%s: needs --net=slirp (the sandbox has --net=%s)", r->publish[0].origin,
		       mode == NET_HOST ? "host" : "none");
		return -1;
	}
	if (r->host_loopback && mode != NET_SLIRP) {
		warnx_("--net-host-loopback: needs --net=slirp");
		return -1;
	}
	if (mode == NET_HOST)
		s->clone_flags &= ~(uint64_t)CLONE_NEWNET;
	if (mode != NET_SLIRP)
		return 0;
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
	n->mtu = SLIRP_MTU;
	n->host_loopback = r->host_loopback;
	/*
	 * slirp4netns forwards UDP from 10.0.2.2, and --disable-host-loopback drops the replies
	 * sent back there: a UDP port works only with the host's loopback reachable, which opens
	 * every service on the host's 127.0.0.1 to the sandbox. That must be asked for.
	 */
	for (size_t i = 0; i < r->npublish; i++) {
		if (r->publish[i].udp && !n->host_loopback) {
			warnx_("%s: slirp4netns forwards UDP only when the host's loopback is reachable "
			       "from the sandbox; add --net-host-loopback to accept that",
			       r->publish[i].origin);
			return -1;
		}
	}
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
	/* Programs inside must use slirp's DNS forwarder, not the host's (often 127.0.0.53). */
	if (s->net.mode == NET_SLIRP)
		spec_add_mount(s, MOUNT_FILE, "nameserver " SLIRP_DNS_ADDR "\n", "/etc/resolv.conf",
			       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC,
			       "--net=slirp");
}
