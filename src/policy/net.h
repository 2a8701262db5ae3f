/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_NET_H
#define NOOK_NET_H

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/*
 * Fill s->net (and drop CLONE_NEWNET for --net=host). Prints "nook: ..." and returns -1.
 * The mode: the one asked for (the command line's over a profile's); else slirp with
 * --publish; else, for a firejail profile, slirp (firejail's sandboxes have the network
 * unless "net none"; nook never gives the host's by default), unless its protocol line
 * allows neither inet nor inet6 or slirp4netns is missing (a warning); else none.
 */
int net_build(const struct request *ro, const struct host_facts *h, struct spec *s);

/*
 * CAP_NET_RAW or CAP_NET_ADMIN with --net=slirp|pasta and the host's loopback closed: the
 * command line's is an error (-1, after "nook: ..."), a profile's is dropped with a warning.
 */
int net_check_caps(const struct request *ro, struct spec *s);

/* The files the network needs (resolv.conf), after the views that could cover /etc. */
void net_build_files(struct spec *s);

#endif
