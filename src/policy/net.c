// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "util/err.h"

int parse_net_mode(const char *value, enum net_mode *out, char *err, size_t errlen)
{
	if (strcmp(value, "none") == 0)
		*out = NET_NONE;
	else if (strcmp(value, "slirp") == 0)
		*out = NET_SLIRP;
	else if (strcmp(value, "host") == 0)
		*out = NET_HOST;
	else
		return set_error(err, errlen, "unknown mode '%s' (expected none, slirp or host)", value);
	return 0;
}

static int parse_port(const char *s, uint16_t *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v == 0 || v > 65535)
		return -1;
	*out = (uint16_t)v;
	return 0;
}

int parse_publish(const char *value, struct publish_spec *out, char *err, size_t errlen)
{
	autofree char *copy = xstrdup(value);
	char *proto = strchr(copy, '/');
	char *guest, *host_port, *addr = NULL;
	struct in_addr a;

	memset(out, 0, sizeof *out);
	if (proto) {
		*proto++ = '\0';
		if (strcmp(proto, "tcp") == 0)
			out->udp = false;
		else if (strcmp(proto, "udp") == 0)
			out->udp = true;
		else
			return set_error(err, errlen, "unknown protocol '%s' in '%s' (tcp or udp)", proto, value);
	}
	guest = strrchr(copy, ':');
	if (!guest)
		return set_error(err, errlen, "'%s' is not [HOSTIP:]HOSTPORT:PORT[/tcp|/udp]", value);
	*guest++ = '\0';
	host_port = strrchr(copy, ':');
	if (host_port) {
		*host_port++ = '\0';
		addr = copy;
	} else {
		host_port = copy;
	}
	if (parse_port(host_port, &out->host_port) < 0)
		return set_error(err, errlen, "bad host port '%s' in '%s' (1-65535)", host_port, value);
	if (parse_port(guest, &out->guest_port) < 0)
		return set_error(err, errlen, "bad port '%s' in '%s' (1-65535)", guest, value);
	/* slirp4netns forwards IPv4 only. */
	if (addr && inet_pton(AF_INET, addr, &a) != 1)
		return set_error(err, errlen, "bad host address '%s' in '%s' (an IPv4 address)", addr, value);
	strlcpy(out->host_addr, addr ? addr : "127.0.0.1", sizeof out->host_addr);
	return 0;
}

void net_request_free(struct net_request *r)
{
	for (size_t i = 0; i < r->npublish; i++)
		free(r->publish[i].origin);
	free(r->publish);
	memset(r, 0, sizeof *r);
}

int net_build(const struct net_request *r, const char *slirp4netns, struct spec *s)
{
	struct net_spec *n = &s->net;
	/* --publish implies slirp, unless a mode was asked for explicitly. */
	enum net_mode mode = r->mode_set ? r->mode : (r->npublish ? NET_SLIRP : NET_NONE);

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
	if (!slirp4netns) {
		warnx_("--net=slirp: slirp4netns is not installed (apt-get install slirp4netns)");
		return -1;
	}
	n->slirp4netns = xstrdup(slirp4netns);
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
