/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_NET_H
#define NOOK_NET_H

#include "request/request.h"
#include "spec.h"

#ifndef SLIRP_GUEST_ADDR
#define SLIRP_GUEST_ADDR "10.0.2.100"
#define SLIRP_DNS_ADDR "10.0.2.3"
#define SLIRP_MTU 65520
#endif

/* Fill s->net (and drop CLONE_NEWNET for --net=host). Prints "nook: ..." and returns -1. */
int net_build(const struct net_request *r, const char *slirp4netns, struct spec *s);

/* The files the network needs (resolv.conf), after the views that could cover /etc. */
void net_build_files(struct spec *s);

#endif
