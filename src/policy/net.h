/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_NET_H
#define NOOK_NET_H

#include <stdbool.h>
#include <stddef.h>

#include "spec.h"

#define SLIRP_GUEST_ADDR "10.0.2.100"
#define SLIRP_DNS_ADDR "10.0.2.3"
#define SLIRP_MTU 65520

struct net_request {
	bool mode_set;
	enum net_mode mode;
	bool host_loopback;
	struct publish_spec *publish;
	size_t npublish;
};

/* [HOSTIP:]HOSTPORT:PORT[/tcp|/udp]; HOSTIP defaults to 127.0.0.1. */
int parse_publish(const char *value, struct publish_spec *out, char *err, size_t errlen);
int parse_net_mode(const char *value, enum net_mode *out, char *err, size_t errlen);

void net_request_free(struct net_request *r);

/* Fill s->net (and drop CLONE_NEWNET for --net=host). Prints "nook: ..." and returns -1. */
int net_build(const struct net_request *r, const char *slirp4netns, struct spec *s);

/* The files the network needs (resolv.conf), after the views that could cover /etc. */
void net_build_files(struct spec *s);

#endif
