// SPDX-License-Identifier: GPL-2.0-or-later
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bsd/string.h>

#include "sandbox/internal.h"
#include "util/err.h"

/* A new network namespace has lo, down; programs expect 127.0.0.1 to work. */
void net_loopback_up(void)
{
	autoclose int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = {0};

	if (fd < 0)
		die_errno("cannot bring up lo: socket");
	strlcpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die_errno("cannot bring up lo");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die_errno("cannot bring up lo");
}

/*
 * slirp4netns's tap device, made persistent before it starts: slirp4netns attaches to it,
 * and its exit no longer unregisters the device (a synchronous RCU wait of ~20 ms that nook
 * would wait for); the device goes with the network namespace, asynchronously.
 */
void net_tap_create(const char *name)
{
	autoclose int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	struct ifreq ifr = {.ifr_flags = IFF_TAP | IFF_NO_PI};

	if (fd < 0)
		die_hint("make /dev/net/tun accessible (chmod 666 /dev/net/tun) or use --net=none",
			 "--net=slirp: cannot open /dev/net/tun: %s", strerror(errno));
	strlcpy(ifr.ifr_name, name, sizeof ifr.ifr_name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETPERSIST, 1) < 0)
		die_errno("--net=slirp: cannot create the tap device %s", name);
}
