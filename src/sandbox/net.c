// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <net/route.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "sandbox/internal.h"
#include "util/err.h"

/*
 * A new network namespace has lo, down; programs expect 127.0.0.1 to work. The pool's come
 * with it up already (its maker did this): then nothing is left to do. false: errno says why.
 */
bool net_loopback_try(void)
{
	const short up = IFF_UP | IFF_RUNNING;
	autoclose int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};

	if (fd < 0)
		return false;
	strlcpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return false;
	if ((ifr.ifr_flags & up) == up)
		return true;
	ifr.ifr_flags |= up;
	return ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
}

void net_loopback_up(void)
{
	if (!net_loopback_try())
		die_errno("cannot bring up lo");
}

/*
 * The tap device of slirp4netns or pasta, made persistent before it starts: the helper
 * attaches to it, and its exit no longer unregisters the device (a synchronous RCU wait of
 * ~20 ms that nook would wait for); the device goes with the network namespace, asynchronously.
 * WHAT is the option, for messages.
 */
void net_tap_create(const char *name, const char *what)
{
	autoclose int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};

	if (fd < 0)
		die_hint("make /dev/net/tun accessible (chmod 666 /dev/net/tun) or use --net=none",
			 "%s: cannot open /dev/net/tun: %s", what, strerror(errno));
	strlcpy(ifr.ifr_name, name, sizeof ifr.ifr_name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0)
		die_errno("%s: cannot create the tap device %s", what, name);
}

/*
 * A reject route to ADDR (an IPv4 address): connections to it fail at once, inside, instead of
 * going anywhere. SIOCADDRT with RTF_REJECT needs no device: an "unreachable" route.
 */
void net_reject_route(const char *addr)
{
	autoclose int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct rtentry rt = {.rt_flags = RTF_UP | RTF_HOST | RTF_REJECT};
	struct sockaddr_in *dst = (struct sockaddr_in *)&rt.rt_dst;
	struct sockaddr_in *mask = (struct sockaddr_in *)&rt.rt_genmask;

	dst->sin_family = AF_INET;
	mask->sin_family = AF_INET;
	mask->sin_addr.s_addr = INADDR_BROADCAST;
	if (inet_pton(AF_INET, addr, &dst->sin_addr) != 1)
		die("bad address %s", addr);
	if (fd < 0 || ioctl(fd, SIOCADDRT, &rt) < 0)
		die_errno("cannot add a reject route to %s", addr);
}

bool net_port_in_use(const struct publish_spec *p)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(p->host_port)};
	autoclose int fd = socket(AF_INET, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
	int one = 1;

	if (fd < 0 || inet_pton(AF_INET, p->host_addr, &a.sin_addr) != 1)
		return false;
	/*
	 * Both helpers listen with SO_REUSEADDR: a connection of the port's last user still in
	 * TIME_WAIT is no reason, only a socket bound there. (Not for UDP, where it would share.)
	 */
	if (!p->udp)
		(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	return bind(fd, (struct sockaddr *)&a, sizeof a) < 0 && errno == EADDRINUSE;
}
