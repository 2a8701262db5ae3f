// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A profile over a container (run.nook.profile): what it may add is what takes away. The
 * config is the whole container and the engine's; a profile cannot grant it more than the
 * config does, and what it says of the host's files, the network or the desktop session has
 * no meaning for a container whose root is an image: each such line becomes a note.
 */
#include "policy/oci_profile.h"

#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "policy/caps.h"
#include "policy/fs.h"
#include "policy/oci.h"
#include "policy/oci_field.h"
#include "policy/security.h"
#include "util/err.h"

#define LIST(...) ((const char *const[]){__VA_ARGS__, NULL})
#define PREFIX "annotations." OCI_ANNOTATION_PROFILE

/* As nook run sizes a tmpfs of a profile without size= (policy/build.c). */
#define PROFILE_TMPFS_SIZE "1g"

/* The directives applied here (seccomp's "off" is the one value that is not). */
static const char *const applied[] = {
	"blacklist",
	"noblacklist",
	"read-only",
	"noexec",
	"tmpfs",
	"tmpfs-size",
	"seccomp",
	"seccomp-drop",
	"seccomp-allow",
	"seccomp-error-action",
	"allow-userns",
	"allow-secondary-arch",
	"protocol",
	"memory-deny-write-execute",
	"caps-keep",
	"caps-drop",
	"rlimit-nofile",
	"rlimit-nproc",
	"pids-limit",
	"rlimit-as",
	"rlimit-fsize",
	"rlimit-cpu",
	"nonewprivs",
	"quiet",
	NULL,
};

/* Why the others are not. */
static const struct {
	const char *const *names;
	const char *why;
} not_applied[] = {
	{LIST("whitelist", "whitelist-ro", "nowhitelist", "read-write", "private", "private-cache",
	      "private-etc", "private-tmp", "private-dev", "mkdir", "mkfile", "bind", "ro-bind",
	      "rootfs", "overlay", "overlay-driver", "cache", "chdir"),
	 "a view of the host's files; the container's are its image's and config.json's mounts"},
	{LIST("net", "publish", "net-host-loopback", "dns", "hostname", "ipc"),
	 "the engine makes the container's network and namespaces"},
	{LIST("x11", "wayland", "nosound", "nodbus", "dbus-user", "dbus-system", "machine-id",
	      "no3d", "novideo", "nou2f"),
	 "the desktop session is not the container's"},
	{LIST("user", "userns", "keep-groups", "env", "unsetenv", "clearenv", "env-keep",
	      "env-file"),
	 "config.json's process decides it"},
};

/* One line in NOTES (policy/oci_field.c's). */
#define note(notes, ...) oci_note(&(struct oci_report){.notes = (notes)}, __VA_ARGS__)

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return true;
	return false;
}

static const char *why_not(const char *name)
{
	for (size_t i = 0; i < sizeof not_applied / sizeof not_applied[0]; i++) {
		if (in_list(not_applied[i].names, name))
			return not_applied[i].why;
		/* dbus-user.own, dbus-system.talk, ...: the bus's rules. */
		for (const char *const *n = not_applied[i].names; *n; n++)
			if (strncmp(name, *n, strlen(*n)) == 0 && name[strlen(*n)] == '.')
				return not_applied[i].why;
	}
	return "not a container's (config.json decides it)";
}

static void note_not_applied(const struct request *p, struct strv *notes)
{
	for (size_t i = 0; i < p->profile_directives.n; i++) {
		const struct req_value *d = &p->profile_directives.v[i];

		if (!in_list(applied, d->value))
			note(notes, PREFIX ": %s: %s: not applied: %s", d->origin, d->value,
			     why_not(d->value));
	}
	if (p->sec.seccomp.value && strcmp(p->sec.seccomp.value, "off") == 0)
		note(notes,
		     PREFIX ": %s: seccomp off: not applied: a profile cannot turn a filter off",
		     p->sec.seccomp.origin);
}

/* ---- the filesystem: paths of the container, patterns against its root's files ---- */

static const char *root_path(const struct spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_ROOT)
			return s->mounts[i].src;
	return NULL;
}

/* The container's paths VALUE names: itself, or what a pattern matches under ROOT. */
static void container_paths(const char *value, const char *root, struct strv *out)
{
	autofree char *host = NULL;
	struct strv found = {0};
	size_t n = strlen(root);

	if (!strpbrk(value, "*?[")) {
		strv_push(out, value);
		return;
	}
	host = xasprintf("%s%s", root, value);
	fs_expand(host, NULL, NULL, &found);
	for (size_t i = 0; i < found.n; i++)
		if (strncmp(found.v[i], root, n) == 0 && found.v[i][n] == '/')
			strv_push(out, found.v[i] + n);
	strv_free(&found);
}

static void add_each(const struct req_list *l, const char *name, enum mount_kind kind,
		     unsigned flags, const struct request *p, const char *root, struct spec *s,
		     struct strv *notes)
{
	for (size_t i = 0; i < l->n; i++) {
		struct strv paths = {0};

		if (l->v[i].value[0] != '/') {
			note(notes, PREFIX ": %s: %s %s: not applied: not an absolute path",
			     l->v[i].origin, name, l->v[i].value);
			continue;
		}
		/* glob() and fnmatch() are given no escapes: the root's own would be wildcards. */
		if (strpbrk(l->v[i].value, "*?[") && strpbrk(root, "*?[\\")) {
			note(notes,
			     PREFIX ": %s: %s %s: not applied: the root's path (%s) holds wildcard "
				    "characters, which a pattern cannot be matched under",
			     l->v[i].origin, name, l->v[i].value, root);
			continue;
		}
		container_paths(l->v[i].value, root, &paths);
		for (size_t k = 0; k < paths.n; k++)
			if (kind != MOUNT_MASK ||
			    !fs_list_matches(&p->fs.noblacklist, paths.v[k], false, NULL))
				spec_add_mount(s, kind, NULL, paths.v[k], flags | MOUNT_F_OPTIONAL,
					       l->v[i].origin);
		strv_free(&paths);
	}
}

static void filesystem(const struct request *p, struct spec *s, struct strv *notes)
{
	const char *root = root_path(s);

	for (size_t i = 0; i < p->nmounts; i++) {
		const struct mount_op *r = &p->mounts[i];
		const char *size;
		struct mount_op *m;

		/* bind and ro-bind are noted with the other directives. */
		if (r->kind != MOUNT_TMPFS)
			continue;
		m = spec_add_mount(s, MOUNT_TMPFS, NULL, r->dest, r->flags, r->origin);
		m->mode = r->mode;
		size = r->options ? r->options : p->tmpfs_size;
		m->options = xasprintf("size=%s", size ? size : PROFILE_TMPFS_SIZE);
	}
	if (!root)
		return;
	/* As nook run orders them: read-only and noexec, then what is hidden over them. */
	add_each(&p->fs.read_only, "read-only", MOUNT_RESTRICT,
		 MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV, p, root, s, notes);
	add_each(&p->fs.noexec, "noexec", MOUNT_RESTRICT,
		 MOUNT_F_NOEXEC | MOUNT_F_NOSUID | MOUNT_F_NODEV, p, root, s, notes);
	add_each(&p->fs.blacklist, "blacklist", MOUNT_MASK,
		 MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC, p, root, s,
		 notes);
	fs_expand_forget();
}

/* ---- the filter ---- */

static bool in_strv(const struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return true;
	return false;
}

/* Does the profile ask for a filter? Its modifiers alone (error action, allow-*) do not. */
static bool wants_filter(const struct security_request *r)
{
	return (r->seccomp.value && strcmp(r->seccomp.value, "default") == 0) ||
	       r->seccomp_drop.n || r->seccomp_allow.n || r->protocols || r->mdwe;
}

/*
 * nook's filter of the config already (run.nook.seccomp=default) and the profile's, as one:
 * everything either denies. Socket families: those both allow (none at all as AF_UNSPEC
 * alone, which no socket is of: 0 would mean every family).
 */
static void seccomp_merge(struct seccomp_spec *into, const struct seccomp_spec *add,
			  struct strv *notes)
{
	struct strv except = {0};

	for (size_t i = 0; i < add->deny.n; i++)
		if (!in_strv(&into->deny, add->deny.v[i]))
			strv_push(&into->deny, add->deny.v[i]);
	into->deny_ns_clone |= add->deny_ns_clone;
	into->deny_ns_unshare |= add->deny_ns_unshare;
	into->clone3_enosys |= add->clone3_enosys;
	into->deny_vsock |= add->deny_vsock;
	into->deny_tty_inject |= add->deny_tty_inject;
	into->deny_personality_flags |= add->deny_personality_flags;
	into->mdwe |= add->mdwe;
	into->secondary_arch &= add->secondary_arch;
	if (!into->protocols)
		into->protocols = add->protocols;
	else if (add->protocols && !(into->protocols &= add->protocols))
		into->protocols = UINT64_C(1) << AF_UNSPEC;
	/* Numbers past the ENOSYS rule: only those both let past. */
	if (into->enosys_unknown && add->enosys_unknown) {
		for (size_t i = 0; i < into->enosys_except.n; i++)
			if (in_strv(&add->enosys_except, into->enosys_except.v[i]))
				strv_push(&except, into->enosys_except.v[i]);
	} else {
		const struct strv *one = into->enosys_unknown ? &into->enosys_except
							      : &add->enosys_except;

		for (size_t i = 0; i < one->n; i++)
			strv_push(&except, one->v[i]);
	}
	strv_free(&into->enosys_except);
	into->enosys_except = except;
	into->enosys_unknown |= add->enosys_unknown;
	if (add->action != into->action)
		note(notes,
		     PREFIX ": seccomp-error-action %s: not applied: the filter of %s=default "
			    "keeps its own",
		     enum_to_name(seccomp_action_names, (int)add->action), OCI_ANNOTATION_SECCOMP);
}

static int seccomp(const struct request *p, struct spec *s, struct strv *notes, char *err,
		   size_t errlen)
{
	struct request quiet = *p;
	struct spec built;

	if (!wants_filter(&p->sec))
		return 0;
	/* Warnings went to the log as the profile was read; nothing goes to the engine's stderr. */
	quiet.quiet = true;
	spec_init(&built);
	built.net.mode = (s->clone_flags & CLONE_NEWNET) ? NET_NONE : NET_HOST;
	if (security_build(&quiet, &built) < 0) {
		spec_free(&built);
		return set_error(err, errlen, PREFIX ": nook's filter cannot be built");
	}
	if (!s->seccomp.enabled) {
		struct seccomp_spec t = s->seccomp;

		s->seccomp = built.seccomp;
		built.seccomp = t;
	} else {
		seccomp_merge(&s->seccomp, &built.seccomp, notes);
	}
	spec_free(&built);
	return 0;
}

/* ---- capabilities and limits ---- */

static void capabilities(const struct request *p, struct spec *s)
{
	struct spec t;

	/* caps.keep names a set: what of it the container has. */
	spec_init(&t);
	caps_build(&p->sec, s->caps_keep, false, true, &t);
	s->caps_keep &= t.caps_keep;
	spec_free(&t);
}

static int rlimits(const struct request *p, struct spec *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < p->sec.nrlimits; i++) {
		const struct rlimit_spec *r = &p->sec.rlimits[i];
		size_t k = 0;

		while (k < s->nrlimits && s->rlimits[k].resource != r->resource)
			k++;
		if (k < s->nrlimits) {
			if (r->value < s->rlimits[k].value)
				s->rlimits[k].value = r->value;
			continue;
		}
		if (s->nrlimits == RLIMITS_MAX)
			return set_error(err, errlen, PREFIX ": more than %d limits", RLIMITS_MAX);
		s->rlimits[s->nrlimits++] = *r;
	}
	return 0;
}

int oci_profile_apply(const struct request *profile, struct spec *s, struct strv *notes, char *err,
		      size_t errlen)
{
	note_not_applied(profile, notes);
	for (size_t i = 0; i < profile->profile_directives.n; i++)
		if (strcmp(profile->profile_directives.v[i].value, "nonewprivs") == 0)
			s->oci.no_new_privs = true;
	filesystem(profile, s, notes);
	capabilities(profile, s);
	if (seccomp(profile, s, notes, err, errlen) < 0 || rlimits(profile, s, err, errlen) < 0)
		return -1;
	if (profile->profile_path) {
		free(s->profile);
		s->profile = xstrdup(profile->profile_path);
		for (size_t i = 0; i < profile->profile_files.n; i++)
			strv_push(&s->profile_files, profile->profile_files.v[i]);
	}
	return 0;
}
