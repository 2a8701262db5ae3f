// SPDX-License-Identifier: GPL-2.0-or-later
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
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
