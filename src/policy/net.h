/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_NET_H
#define NOOK_NET_H

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/* Fill s->net (and drop CLONE_NEWNET for --net=host). Prints "nook: ..." and returns -1. */
int net_build(const struct net_request *r, const struct host_facts *h, struct spec *s);

/* The files the network needs (resolv.conf), after the views that could cover /etc. */
void net_build_files(struct spec *s);

#endif
