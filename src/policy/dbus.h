/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_POLICY_DBUS_H
#define NOOK_POLICY_DBUS_H

/*
 * D-Bus, for a sandbox over the host: for each bus (the session's, "dbus-user", and the
 * system's) one of none, filter (through xdg-dbus-proxy, with the rules) and allow (the whole
 * bus), and what that means for the mounts and the environment.
 */

#include "host/facts.h"
#include "request/request.h"
#include "spec.h"

/* The socket of each bus inside the sandbox. */
#define DBUS_SESSION_SOCKET "bus" /* in the runtime dir */
#define DBUS_SYSTEM_SOCKET "/run/dbus/system_bus_socket"

/*
 * Decide each bus's mode and, for filter, the proxy's address, socket and rules: before the
 * session's mounts (session.c binds an allowed bus). On a bad request prints "nook: ..." and
 * returns -1 (filter without xdg-dbus-proxy, a bus address the proxy cannot take).
 */
int dbus_build(const struct request *ro, const struct host_facts *h, struct spec *s);

/*
 * The proxy's sockets, and masks over the buses that are not granted (and over the caller's
 * bus socket, where its address names one elsewhere): after the views and the caller's
 * mounts, so that nothing they bind (a whitelisted ${RUNUSER}/bus) is the bus.
 */
void dbus_build_mounts(const struct host_facts *h, struct spec *s);

#endif
