// SPDX-License-Identifier: GPL-2.0-or-later
#include "request/values.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "util/err.h"

int parse_enum(const struct enum_name *t, const char *value, int *out, const char *what, char *err,
	       size_t errlen)
{
	char choices[256];

	if (enum_from_name(t, value, out) == 0)
		return 0;
	return set_error(err, errlen, "unknown %s '%s' (expected %s)", what, value,
			 enum_choices(t, choices, sizeof choices));
}

/* Call fn for each comma-separated item; empty items are an error. */
static int for_each_item(const char *value, char *err, size_t errlen,
			 int (*fn)(const char *item, void *ctx, char *err, size_t errlen),
			 void *ctx)
{
	autofree char *copy = xstrdup(value);
	char *save = NULL;
	size_t len = strlen(value);

	if (len == 0 || value[0] == ',' || value[len - 1] == ',' || strstr(value, ",,"))
		return set_error(err, errlen, "malformed list '%s' (expected NAME,NAME,...)",
				 value);
	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save))
		if (fn(it, ctx, err, errlen) < 0)
			return -1;
	return 0;
}

/*
 * System calls newer than some libseccomp, so that an unknown name can be answered with its
 * number. Since Linux 5.1 (424) a new call has the same number on every architecture nook
 * filters (x32 adds its bit).
 */
static const struct {
	const char *name;
	int nr;
} newer_syscalls[] = {
	{"cachestat", 451},         {"fchmodat2", 452},        {"map_shadow_stack", 453},
	{"futex_wake", 454},        {"futex_wait", 455},       {"futex_requeue", 456},
	{"statmount", 457},         {"listmount", 458},        {"lsm_get_self_attr", 459},
	{"lsm_set_self_attr", 460}, {"lsm_list_modules", 461}, {"mseal", 462},
	{"setxattrat", 463},        {"getxattrat", 464},       {"listxattrat", 465},
	{"removexattrat", 466},     {"open_tree_attr", 467},   {"file_getattr", 468},
	{"file_setattr", 469},
};

/* A name libseccomp knows, or a number (decimal, below SYSCALL_NR_LIMIT): kept as written. */
static int add_syscall(const char *name, void *ctx, char *err, size_t errlen)
{
	const struct scmp_version *v = seccomp_version();
	char *end;
	unsigned long nr;

	if (isdigit((unsigned char)name[0])) {
		errno = 0;
		nr = strtoul(name, &end, 10);
		if (*end)
			return set_error(err, errlen, "'%s' is not a system call name or number",
					 name);
		if (errno || nr >= SYSCALL_NR_LIMIT)
			return set_error(err, errlen,
					 "system call number %s is out of range (0-%d)", name,
					 SYSCALL_NR_LIMIT - 1);
	} else if (seccomp_syscall_resolve_name(name) == __NR_SCMP_ERROR) {
		for (size_t i = 0; i < sizeof newer_syscalls / sizeof newer_syscalls[0]; i++)
			if (strcmp(name, newer_syscalls[i].name) == 0)
				return set_error(err, errlen,
						 "unknown system call '%s': libseccomp "
						 "%u.%u.%u does not know it; give its number, %d",
						 name, v->major, v->minor, v->micro,
						 newer_syscalls[i].nr);
		return set_error(err, errlen,
				 "unknown system call '%s' (one newer than libseccomp "
				 "is given by its number)",
				 name);
	}
	strv_push(ctx, name);
	return 0;
}

int parse_syscall_list(const char *value, struct strv *out, char *err, size_t errlen)
{
	return for_each_item(value, err, errlen, add_syscall, out);
}

struct cap_ctx {
	uint64_t *mask;
	bool *all;
};

static int add_cap(const char *item, void *ctx, char *err, size_t errlen)
{
	struct cap_ctx *c = ctx;
	char name[64];
	cap_value_t v;
	size_t i;

	if (strcasecmp(item, "all") == 0) {
		if (!c->all)
			return set_error(err, errlen, "'all' is not allowed here");
		*c->all = true;
		return 0;
	}
	snprintf(name, sizeof name, "%s%s", strncasecmp(item, "cap_", 4) == 0 ? "" : "cap_", item);
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	if (cap_from_name(name, &v) < 0 || v < 0 || v >= 64)
		return set_error(err, errlen, "unknown capability '%s'", item);
	*c->mask |= UINT64_C(1) << v;
	return 0;
}

int parse_cap_list(const char *value, uint64_t *mask, bool *all, char *err, size_t errlen)
{
	struct cap_ctx c = {mask, all};

	return for_each_item(value, err, errlen, add_cap, &c);
}

static const struct {
	const char *name;
	int family;
} protocol_names[] = {
	{"unix", AF_UNIX},       {"inet", AF_INET},     {"inet6", AF_INET6},
	{"netlink", AF_NETLINK}, {"packet", AF_PACKET}, {"bluetooth", AF_BLUETOOTH},
};

static int add_protocol(const char *item, void *ctx, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof protocol_names / sizeof protocol_names[0]; i++) {
		if (strcmp(item, protocol_names[i].name) == 0) {
			*(uint64_t *)ctx |= UINT64_C(1) << protocol_names[i].family;
			return 0;
		}
	}
	return set_error(err, errlen,
			 "unknown protocol '%s' (expected unix, inet, inet6, netlink, "
			 "packet, bluetooth)",
			 item);
}

int parse_protocols(const char *value, uint64_t *mask, char *err, size_t errlen)
{
	*mask = 0;
	return for_each_item(value, err, errlen, add_protocol, mask);
}

/* N, N[KMG] (powers of 1024), or "unlimited". */
int parse_limit(const char *value, uint64_t *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;
	int shift = 0;

	if (strcmp(value, "unlimited") == 0 || strcmp(value, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	if (!isdigit((unsigned char)value[0]))
		return set_error(err, errlen, "'%s' is not a number (N, NK, NM, NG or unlimited)",
				 value);
	errno = 0;
	v = strtoull(value, &end, 10);
	if (errno)
		return set_error(err, errlen, "'%s' is too large", value);
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		end++;
		break;
	case 'm':
	case 'M':
		shift = 20;
		end++;
		break;
	case 'g':
	case 'G':
		shift = 30;
		end++;
		break;
	default:
		return set_error(err, errlen, "'%s' is not a number (N, NK, NM, NG or unlimited)",
				 value);
	}
	if (*end)
		return set_error(err, errlen, "'%s' is not a number (N, NK, NM, NG or unlimited)",
				 value);
	if (shift && v > (UINT64_MAX >> shift))
		return set_error(err, errlen, "'%s' is too large", value);
	*out = (uint64_t)v << shift;
	if (*out == RLIM_INFINITY)
		return set_error(err, errlen, "'%s' is too large", value);
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
			return set_error(err, errlen, "unknown protocol '%s' in '%s' (tcp or udp)",
					 proto, value);
	}
	guest = strrchr(copy, ':');
	if (!guest)
		return set_error(err, errlen, "'%s' is not [HOSTIP:]HOSTPORT:PORT[/tcp|/udp]",
				 value);
	*guest++ = '\0';
	host_port = strrchr(copy, ':');
	if (host_port) {
		*host_port++ = '\0';
		addr = copy;
	} else {
		host_port = copy;
	}
	if (parse_port(host_port, &out->host_port) < 0)
		return set_error(err, errlen, "bad host port '%s' in '%s' (1-65535)", host_port,
				 value);
	if (parse_port(guest, &out->guest_port) < 0)
		return set_error(err, errlen, "bad port '%s' in '%s' (1-65535)", guest, value);
	/* slirp4netns forwards IPv4 only; nook runs pasta IPv4-only too. */
	if (addr && inet_pton(AF_INET, addr, &a) != 1)
		return set_error(err, errlen, "bad host address '%s' in '%s' (an IPv4 address)",
				 addr, value);
	strlcpy(out->host_addr, addr ? addr : "127.0.0.1", sizeof out->host_addr);
	return 0;
}

bool store_name_valid(const char *name)
{
	size_t len = strlen(name);

	/* Not "-x" either: "nook overlay rm -x" would read it as an option. */
	if (len == 0 || len > 64 || name[0] == '-' || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0 || strcmp(name, "tmp") == 0 || strcmp(name, "none") == 0)
		return false;
	return strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") ==
	       len;
}

int parse_overlay(const char *value, struct overlay_request *r, char *err, size_t errlen)
{
	free(r->name);
	r->name = NULL;
	r->mode_set = true;
	if (strcmp(value, "tmp") == 0) {
		r->mode = OVERLAY_TMP;
	} else if (strcmp(value, "none") == 0) {
		r->mode = OVERLAY_NONE;
	} else if (store_name_valid(value)) {
		r->mode = OVERLAY_NAMED;
		r->name = xstrdup(value);
	} else {
		return set_error(err, errlen,
				 "'%s' is not tmp, none or a NAME of letters, digits, "
				 "'_', '.' and '-' (at most 64)",
				 value);
	}
	return 0;
}

int parse_tmpfs_size(const char *value, char *err, size_t errlen)
{
	size_t digits = strspn(value, "0123456789");
	const char *unit = value + digits;

	if (digits == 0 || digits > 12 || strspn(value, "0") == digits ||
	    (unit[0] && (unit[1] || !strchr("kKmMgG%", unit[0]))))
		return set_error(err, errlen, "'%s' is not a size (N, Nk, Nm, Ng or N%%, not 0)",
				 value);
	if (unit[0] == '%' && strtoul(value, NULL, 10) > 100)
		return set_error(err, errlen, "'%s': at most 100%%", value);
	return 0;
}

/*
 * D-Bus names, as the specification spells them: elements of [A-Za-z0-9_] (bus names: and
 * '-') separated by dots, none empty, none starting with a digit, at least MIN of them, at most
 * 255 characters in all.
 */
#define DBUS_NAME_MAX 255

static bool dbus_element_char(char c, bool hyphen)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (hyphen && c == '-');
}

static bool dbus_dotted(const char *s, size_t len, bool hyphen, size_t min)
{
	size_t elements = 0;

	if (len == 0 || len > DBUS_NAME_MAX)
		return false;
	for (size_t i = 0; i <= len; i++) {
		size_t start = i;

		while (i < len && s[i] != '.') {
			if (!dbus_element_char(s[i], hyphen))
				return false;
			i++;
		}
		if (i == start || (s[start] >= '0' && s[start] <= '9'))
			return false;
		elements++;
	}
	return elements >= min;
}

/* A member (method or signal) name: one element. */
static bool dbus_member(const char *s, size_t len)
{
	return len > 0 && memchr(s, '.', len) == NULL && dbus_dotted(s, len, false, 1);
}

/* NAME or NAME.*: a well-known bus name, as xdg-dbus-proxy takes it. */
static bool dbus_bus_name(const char *s, size_t len)
{
	if (len > 2 && strncmp(s + len - 2, ".*", 2) == 0)
		len -= 2;
	return dbus_dotted(s, len, true, 2);
}

/* An object path ("/", "/a/b"), or one ending in a slash-star for it and its subtree. */
static bool dbus_object_path(const char *s, size_t len)
{
	if (len >= 2 && strncmp(s + len - 2, "/*", 2) == 0)
		len -= 2;
	if (len == 0 || (len == 1 && s[0] == '/'))
		return true;
	if (s[0] != '/' || s[len - 1] == '/')
		return false;
	for (size_t i = 1; i < len; i++) {
		if (s[i] == '/' ? s[i - 1] == '/' : !dbus_element_char(s[i], false))
			return false;
	}
	return true;
}

int parse_dbus_name(const char *value, char *err, size_t errlen)
{
	if (!dbus_bus_name(value, strlen(value)))
		return set_error(err, errlen,
				 "'%s' is not a D-Bus name (like org.example.App, or "
				 "org.example.* for it and the names below it)",
				 value);
	return 0;
}

/* METHOD of a rule: "*", INTERFACE.* or INTERFACE.MEMBER (the proxy splits at the last dot). */
static bool dbus_rule_method(const char *s, size_t len)
{
	const char *dot;

	if (len == 1 && s[0] == '*')
		return true;
	dot = memrchr(s, '.', len);
	if (!dot)
		return false;
	if (!(s + len - dot == 2 && dot[1] == '*') &&
	    !dbus_member(dot + 1, (size_t)(s + len - dot - 1)))
		return false;
	return dbus_dotted(s, (size_t)(dot - s), false, 2);
}

int parse_dbus_rule(const char *value, char *err, size_t errlen)
{
	const char *eq = strchr(value, '='), *rule, *at;
	size_t method_len;

	if (!eq)
		return set_error(err, errlen, "'%s' is not NAME=RULE", value);
	if (!dbus_bus_name(value, (size_t)(eq - value)))
		return set_error(err, errlen,
				 "'%.*s' is not a D-Bus name (like org.example.App, or "
				 "org.example.* for it and the names below it)",
				 (int)(eq - value), value);
	rule = eq + 1;
	at = strchr(rule, '@');
	method_len = at ? (size_t)(at - rule) : strlen(rule);
	if (!rule[0])
		return set_error(err, errlen, "'%s': the RULE is empty (* allows every method)",
				 value);
	if ((method_len && !dbus_rule_method(rule, method_len)) ||
	    (at && (!at[1] || !dbus_object_path(at + 1, strlen(at + 1)))))
		return set_error(err, errlen,
				 "'%s': RULE is [METHOD][@PATH], METHOD *, INTERFACE.* "
				 "or INTERFACE.METHOD, PATH an object path or PATH/* (its subtree)",
				 rule);
	return 0;
}
