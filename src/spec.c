// SPDX-License-Identifier: GPL-2.0-or-later
#include "spec.h"

#include <inttypes.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "util/err.h"
#include "util/escape.h"

bool id_map_contains(const struct id_map *m, uint32_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (id >= m->r[i].inside && id - m->r[i].inside < m->r[i].count)
			return true;
	return false;
}

bool id_map_has_outside(const struct id_map *m, uint32_t id)
{
	for (size_t i = 0; i < m->n; i++)
		if (id >= m->r[i].outside && id - m->r[i].outside < m->r[i].count)
			return true;
	return false;
}

void spec_init(struct spec *s)
{
	memset(s, 0, sizeof *s);
}

/*
 * What asked for most mounts, kept once rather than copied for each: a desktop profile adds
 * hundreds of masks and read-only paths, all "blacklist" or "read-only".
 */
static const char *const shared_origins[] = {"default", "blacklist", "read-only", "noexec"};

static char *origin_copy(const char *origin)
{
	for (size_t i = 0; i < sizeof shared_origins / sizeof shared_origins[0]; i++)
		if (strcmp(origin, shared_origins[i]) == 0)
			return (char *)shared_origins[i];
	return xstrdup(origin);
}

static void origin_free(char *origin)
{
	for (size_t i = 0; i < sizeof shared_origins / sizeof shared_origins[0]; i++)
		if (origin == shared_origins[i])
			return;
	free(origin);
}

static void mount_op_free(struct mount_op *m)
{
	free(m->src);
	free(m->dest);
	origin_free(m->origin);
	free(m->options);
}

static void dbus_proxy_spec_free(struct dbus_proxy_spec *d)
{
	free(d->upstream);
	free(d->dest);
	strv_free(&d->rules);
}

void spec_free(struct spec *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		mount_op_free(&s->mounts[i]);
	free(s->mounts);
	free(s->cwd);
	free(s->hostname);
	free(s->single_instance);
	free(s->name);
	free(s->state_dir);
	free(s->ipc_host);
	free(s->newuidmap);
	free(s->userns_pool);
	free(s->newgidmap);
	free(s->subuid_file);
	free(s->subgid_file);
	strv_free(&s->env);
	strv_free(&s->env_removed);
	strv_free(&s->argv);
	strv_free(&s->seccomp.deny);
	strv_free(&s->seccomp.enosys_except);
	strv_free(&s->host_mkdir);
	strv_free(&s->host_mkfile);
	strv_free(&s->host_mkdir_try);
	for (size_t i = 0; i < s->ncaches; i++) {
		free(s->caches[i].name);
		free(s->caches[i].dir);
		free(s->caches[i].dest);
	}
	free(s->caches);
	for (size_t i = 0; i < s->net.npublish; i++)
		free(s->net.publish[i].origin);
	free(s->net.publish);
	free(s->net.slirp4netns);
	free(s->net.pasta);
	free(s->net.api_dir);
	free(s->profile);
	free(s->groups);
	strv_free(&s->profile_files);
	free(s->failure_hint);
	free(s->overlay.name);
	free(s->overlay.dir);
	free(s->overlay.fuse_overlayfs);
	for (size_t i = 0; i < s->overlay.nparts; i++)
		free(s->overlay.parts[i].path);
	free(s->overlay.parts);
	dbus_proxy_spec_free(&s->dbus_user);
	dbus_proxy_spec_free(&s->dbus_system);
	free(s->dbus_proxy);
	free(s->dbus_proxy_dir);
	for (size_t i = 0; i < s->oci.njoin; i++)
		free(s->oci.join[i].path);
	strv_free(&s->oci.sysctl);
	for (size_t i = 0; i < s->oci.seccomp.nrules; i++) {
		strv_free(&s->oci.seccomp.rules[i].names);
		free(s->oci.seccomp.rules[i].args);
	}
	free(s->oci.seccomp.rules);
	free(s->oci.seccomp_cache);
	oci_hooks_free(&s->oci.hooks);
	memset(s, 0, sizeof *s);
}

void oci_hooks_free(struct oci_hooks *h)
{
	for (int st = 0; st < OCI_HOOK_STAGES; st++) {
		for (size_t i = 0; i < h->n[st]; i++) {
			free(h->v[st][i].path);
			strv_free(&h->v[st][i].args);
			strv_free(&h->v[st][i].env);
		}
		free(h->v[st]);
	}
	memset(h, 0, sizeof *h);
}

void spec_drop_mounts(struct spec *s, const bool *drop)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->nmounts; i++) {
		if (drop[i])
			mount_op_free(&s->mounts[i]);
		else
			s->mounts[kept++] = s->mounts[i];
	}
	s->nmounts = kept;
}

struct mount_op *spec_add_mount(struct spec *s, enum mount_kind kind, const char *src,
				const char *dest, unsigned flags, const char *origin)
{
	return spec_add_mount_owned(s, kind, src, dest ? xstrdup(dest) : NULL, flags, origin);
}

struct mount_op *spec_add_mount_owned(struct spec *s, enum mount_kind kind, const char *src,
				      char *dest, unsigned flags, const char *origin)
{
	struct mount_op *m;

	/* Doubling: a desktop profile adds hundreds, between as many other allocations. */
	if (s->nmounts == s->mounts_cap) {
		s->mounts_cap = s->mounts_cap ? 2 * s->mounts_cap : 32;
		s->mounts = xreallocarray(s->mounts, s->mounts_cap, sizeof *s->mounts);
	}
	m = &s->mounts[s->nmounts++];
	*m = (struct mount_op){
		.kind = kind,
		.src = src ? xstrdup(src) : NULL,
		.dest = dest,
		.flags = flags,
		.mode = 0755,
		.origin = origin_copy(origin ? origin : "default"),
	};
	return m;
}

bool spec_mounted_at(const struct spec *s, const char *dest, enum mount_kind kind)
{
	for (size_t i = 1; i < s->nmounts; i++)
		if (s->mounts[i].kind == kind && strcmp(s->mounts[i].dest, dest) == 0)
			return true;
	return false;
}

const struct enum_name userns_mode_names[] = {
	{USERNS_KEEP_ID, "keep-id"},
	{USERNS_ROOT, "root"},
	{USERNS_SINGLE, "single"},
	{0, NULL},
};

const struct enum_name userns_pool_names[] = {
	{USERNS_POOL_AUTO, "auto"},
	{USERNS_POOL_NO, "no"},
	{0, NULL},
};

const struct enum_name mount_kind_names[] = {
	{MOUNT_ROOT, "root"},
	{MOUNT_BIND, "bind"},
	{MOUNT_TMPFS, "tmpfs"},
	{MOUNT_PROC, "proc"},
	{MOUNT_DEVPTS, "devpts"},
	{MOUNT_MQUEUE, "mqueue"},
	{MOUNT_SYMLINK, "symlink"},
	{MOUNT_FILE, "file"},
	{MOUNT_RESTRICT, "restrict"},
	{MOUNT_MASK, "mask"},
	{MOUNT_DBUS_PROXY, "dbus-proxy"},
	{MOUNT_SYSFS, "sysfs"},
	{MOUNT_DIR, "dir"},
	{0, NULL},
};

const struct enum_name net_mode_names[] = {
	{NET_NONE, "none"}, {NET_SLIRP, "slirp"}, {NET_PASTA, "pasta"}, {NET_HOST, "host"},
	{0, NULL},
};

const struct enum_name ipc_mode_names[] = {
	{IPC_MODE_PRIVATE, "private"},
	{IPC_MODE_HOST, "host"},
	{0, NULL},
};

const struct enum_name overlay_part_names[] = {
	{OVERLAY_PART_KERNEL, "kernel"},
	{OVERLAY_PART_FUSE, "fuse"},
	{OVERLAY_PART_RO, "ro"},
	{0, NULL},
};

const struct enum_name overlay_driver_names[] = {
	{OVERLAY_AUTO, "auto"},
	{OVERLAY_FUSE, "fuse"},
	{OVERLAY_KERNEL, "kernel"},
	{0, NULL},
};

const struct enum_name seccomp_action_names[] = {
	{SECCOMP_ACTION_ERRNO, "errno"},
	{SECCOMP_ACTION_KILL, "kill"},
	{SECCOMP_ACTION_LOG, "log"},
	{0, NULL},
};

const struct enum_name socket_family_names[] = {
	{AF_UNIX, "unix"},
	{AF_INET, "inet"},
	{AF_INET6, "inet6"},
	{AF_NETLINK, "netlink"},
	{AF_PACKET, "packet"},
	{AF_BLUETOOTH, "bluetooth"},
	{0, NULL},
};

const struct enum_name dbus_mode_names[] = {
	{DBUS_NONE, "none"},
	{DBUS_FILTER, "filter"},
	{DBUS_ALLOW, "allow"},
	{0, NULL},
};

const struct enum_name oci_seccomp_action_names[] = {
	{OCI_SCMP_KILL_THREAD, "SCMP_ACT_KILL_THREAD"},
	{OCI_SCMP_KILL_THREAD, "SCMP_ACT_KILL"},
	{OCI_SCMP_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS"},
	{OCI_SCMP_TRAP, "SCMP_ACT_TRAP"},
	{OCI_SCMP_ERRNO, "SCMP_ACT_ERRNO"},
	{OCI_SCMP_TRACE, "SCMP_ACT_TRACE"},
	{OCI_SCMP_ALLOW, "SCMP_ACT_ALLOW"},
	{OCI_SCMP_LOG, "SCMP_ACT_LOG"},
	{0, NULL},
};

const struct enum_name oci_seccomp_op_names[] = {
	{OCI_SCMP_CMP_NE, "SCMP_CMP_NE"},
	{OCI_SCMP_CMP_LT, "SCMP_CMP_LT"},
	{OCI_SCMP_CMP_LE, "SCMP_CMP_LE"},
	{OCI_SCMP_CMP_EQ, "SCMP_CMP_EQ"},
	{OCI_SCMP_CMP_GE, "SCMP_CMP_GE"},
	{OCI_SCMP_CMP_GT, "SCMP_CMP_GT"},
	{OCI_SCMP_CMP_MASKED_EQ, "SCMP_CMP_MASKED_EQ"},
	{0, NULL},
};

const struct enum_name oci_seccomp_arch_names[] = {
	{OCI_SCMP_ARCH_X86, "SCMP_ARCH_X86"},
	{OCI_SCMP_ARCH_X86_64, "SCMP_ARCH_X86_64"},
	{OCI_SCMP_ARCH_X32, "SCMP_ARCH_X32"},
	{OCI_SCMP_ARCH_ARM, "SCMP_ARCH_ARM"},
	{OCI_SCMP_ARCH_AARCH64, "SCMP_ARCH_AARCH64"},
	{OCI_SCMP_ARCH_MIPS, "SCMP_ARCH_MIPS"},
	{OCI_SCMP_ARCH_MIPS64, "SCMP_ARCH_MIPS64"},
	{OCI_SCMP_ARCH_MIPS64N32, "SCMP_ARCH_MIPS64N32"},
	{OCI_SCMP_ARCH_MIPSEL, "SCMP_ARCH_MIPSEL"},
	{OCI_SCMP_ARCH_MIPSEL64, "SCMP_ARCH_MIPSEL64"},
	{OCI_SCMP_ARCH_MIPSEL64N32, "SCMP_ARCH_MIPSEL64N32"},
	{OCI_SCMP_ARCH_PPC, "SCMP_ARCH_PPC"},
	{OCI_SCMP_ARCH_PPC64, "SCMP_ARCH_PPC64"},
	{OCI_SCMP_ARCH_PPC64LE, "SCMP_ARCH_PPC64LE"},
	{OCI_SCMP_ARCH_S390, "SCMP_ARCH_S390"},
	{OCI_SCMP_ARCH_S390X, "SCMP_ARCH_S390X"},
	{OCI_SCMP_ARCH_PARISC, "SCMP_ARCH_PARISC"},
	{OCI_SCMP_ARCH_PARISC64, "SCMP_ARCH_PARISC64"},
	{OCI_SCMP_ARCH_RISCV64, "SCMP_ARCH_RISCV64"},
	{0, NULL},
};

const struct enum_name oci_seccomp_flag_names[] = {
	{OCI_SCMP_FLAG_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC"},
	{OCI_SCMP_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG"},
	{OCI_SCMP_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW"},
	{0, NULL},
};

const struct enum_name rlimit_names[] = {
	{RLIMIT_NOFILE, "nofile"},
	{RLIMIT_NPROC, "nproc"},
	{RLIMIT_AS, "as"},
	{RLIMIT_FSIZE, "fsize"},
	{RLIMIT_CPU, "cpu"},
	/* The others only an OCI bundle's config.json sets. */
	{RLIMIT_CORE, "core"},
	{RLIMIT_DATA, "data"},
	{RLIMIT_STACK, "stack"},
	{RLIMIT_RSS, "rss"},
	{RLIMIT_MEMLOCK, "memlock"},
	{RLIMIT_LOCKS, "locks"},
	{RLIMIT_SIGPENDING, "sigpending"},
	{RLIMIT_MSGQUEUE, "msgqueue"},
	{RLIMIT_NICE, "nice"},
	{RLIMIT_RTPRIO, "rtprio"},
	{RLIMIT_RTTIME, "rttime"},
	{0, NULL},
};

const struct enum_name terminal_mode_names[] = {
	{TERMINAL_INHERIT, "inherit"},
	{TERMINAL_NEW_SESSION, "new-session"},
	{TERMINAL_PTY, "pty"},
	{0, NULL},
};

const struct enum_name pty_choice_names[] = {
	{PTY_AUTO, "auto"},
	{PTY_ALWAYS, "always"},
	{PTY_NEVER, "never"},
	{0, NULL},
};

const struct enum_name namespace_names[] = {
	{CLONE_NEWUSER, "user"}, {CLONE_NEWNS, "mount"},
	{CLONE_NEWPID, "pid"},   {CLONE_NEWIPC, "ipc"},
	{CLONE_NEWUTS, "uts"},   {CLONE_NEWCGROUP, "cgroup"},
	{CLONE_NEWNET, "net"},   {0, NULL},
};

const struct enum_name oci_hook_stage_names[] = {
	{OCI_HOOK_PRESTART, "prestart"},
	{OCI_HOOK_CREATE_RUNTIME, "createRuntime"},
	{OCI_HOOK_CREATE_CONTAINER, "createContainer"},
	{OCI_HOOK_START_CONTAINER, "startContainer"},
	{OCI_HOOK_POSTSTART, "poststart"},
	{OCI_HOOK_POSTSTOP, "poststop"},
	{0, NULL},
};

const struct enum_name mount_flag_names[] = {
	{MOUNT_F_RDONLY, "ro"},     {MOUNT_F_NOSUID, "nosuid"},     {MOUNT_F_NODEV, "nodev"},
	{MOUNT_F_NOEXEC, "noexec"}, {MOUNT_F_OPTIONAL, "optional"}, {0, NULL},
};

static void print_map(FILE *out, const char *name, const struct id_map *m)
{
	for (size_t i = 0; i < m->n; i++)
		fprintf(out, "%s %u %u %u\n", name, m->r[i].inside, m->r[i].outside, m->r[i].count);
}

static void print_flags(FILE *out, unsigned flags)
{
	const char *sep = " ";

	if (!(flags & MOUNT_F_RDONLY)) {
		fputs(" rw", out);
		sep = ",";
	}
	for (const struct enum_name *f = mount_flag_names; f->name; f++) {
		if (flags & (unsigned)f->value) {
			fprintf(out, "%s%s", sep, f->name);
			sep = ",";
		}
	}
}

void spec_print_seccomp(FILE *out, const struct seccomp_spec *sc)
{
	if (!sc->enabled) {
		fputs("seccomp off\n", out);
		return;
	}
	fprintf(out, "seccomp on action=%s arch=%s\n",
		enum_to_name(seccomp_action_names, sc->action),
		sc->secondary_arch ? "native,secondary" : "native");
	if (sc->deny.n) {
		fputs("seccomp-deny", out);
		for (size_t i = 0; i < sc->deny.n; i++)
			fprintf(out, " %s", sc->deny.v[i]);
		fputc('\n', out);
	}
	if (sc->deny_ns_clone || sc->deny_ns_unshare)
		fprintf(out, "seccomp-deny-namespaces%s%s\n", sc->deny_ns_clone ? " clone" : "",
			sc->deny_ns_unshare ? " unshare" : "");
	if (sc->clone3_enosys)
		fputs("seccomp-enosys clone3\n", out);
	if (sc->enosys_unknown) {
		fputs("seccomp-enosys-unknown", out);
		for (size_t i = 0; i < sc->enosys_except.n; i++)
			fprintf(out, "%s %s", i ? "" : " except", sc->enosys_except.v[i]);
		fputc('\n', out);
	}
	if (sc->deny_vsock)
		fputs("seccomp-deny-socket vsock\n", out);
	if (sc->deny_tty_inject)
		fputs("seccomp-deny-ioctl TIOCSTI TIOCLINUX\n", out);
	if (sc->deny_personality_flags)
		fputs("seccomp-deny-personality ADDR_NO_RANDOMIZE READ_IMPLIES_EXEC MMAP_PAGE_ZERO ...\n",
		      out);
	if (sc->mdwe)
		fputs("seccomp-memory-deny-write-execute\n", out);
	if (sc->protocols) {
		fputs("seccomp-protocols", out);
		for (const struct enum_name *f = socket_family_names; f->name; f++)
			if (sc->protocols & (UINT64_C(1) << f->value))
				fprintf(out, " %s", f->name);
		fputc('\n', out);
	}
}

static void print_overlay(FILE *out, const struct overlay_spec *o)
{
	switch (o->mode) {
	case OVERLAY_NONE:
		fputs("overlay none\n", out);
		return;
	case OVERLAY_TMP:
		fprintf(out, "overlay tmp driver=%s",
			enum_to_name(overlay_driver_names, o->driver));
		break;
	case OVERLAY_NAMED:
		fprintf(out, "overlay %s driver=%s dir=%s", o->name,
			enum_to_name(overlay_driver_names, o->driver), o->dir);
		break;
	}
	for (size_t i = 0; i < o->nparts; i++)
		fprintf(out, " %s=%s", o->parts[i].path,
			enum_to_name(overlay_part_names, o->parts[i].driver));
	if (o->fuse_overlayfs)
		fprintf(out, " %s", o->fuse_overlayfs);
	fputc('\n', out);
}

static void print_net(FILE *out, const struct net_spec *n)
{
	fprintf(out, "net %s", enum_to_name(net_mode_names, n->mode));
	if (n->mode == NET_SLIRP)
		fprintf(out, " %s mtu=%u host-loopback=%s slirp-sandbox=%s", n->slirp4netns, n->mtu,
			n->host_loopback ? "yes" : "no", n->slirp_sandbox ? "yes" : "no");
	else if (n->mode == NET_PASTA)
		fprintf(out, " %s mtu=%u host-loopback=%s", n->pasta, n->mtu,
			n->host_loopback ? "yes" : "no");
	fputc('\n', out);
	for (size_t i = 0; i < n->npublish; i++) {
		const struct publish_spec *p = &n->publish[i];

		fprintf(out, "publish %s:%u -> %u/%s\n", p->host_addr, p->host_port, p->guest_port,
			p->udp ? "udp" : "tcp");
	}
}

/* "dbus-user filter unix:path=/run/user/1000/bus -> /run/user/1000/bus --talk=NAME ..." */
static void print_dbus(FILE *out, const char *name, const struct dbus_proxy_spec *d)
{
	fprintf(out, "%s %s", name, enum_to_name(dbus_mode_names, d->mode));
	if (d->mode == DBUS_FILTER) {
		fputc(' ', out);
		fput_escaped(d->upstream, out);
		fprintf(out, " -> %s", d->dest);
		for (size_t i = 0; i < d->rules.n; i++)
			fprintf(out, " %s", d->rules.v[i]);
	}
	fputc('\n', out);
}

/*
 * One fact per line, "key value...", so tests and people can grep it.
 * Strings are printed as given; they came from the caller, who can see them anyway.
 */
/* An action, with its errno or message where it has one: "SCMP_ACT_ERRNO(38)". */
static void print_oci_action(FILE *out, enum oci_seccomp_action a, uint32_t ret)
{
	fputs(enum_to_name(oci_seccomp_action_names, (int)a), out);
	if (a == OCI_SCMP_ERRNO || a == OCI_SCMP_TRACE)
		fprintf(out, "(%u)", ret);
}

static void print_caps(FILE *out, const char *what, uint64_t caps)
{
	fputs(what, out);
	if (!caps)
		fputs(" none", out);
	for (int c = 0; c < 64; c++) {
		if (caps & (UINT64_C(1) << c)) {
			char *name = cap_to_name((cap_value_t)c);

			fprintf(out, " %s", name ? name : "?");
			cap_free(name);
		}
	}
	fputc('\n', out);
}

/* The config's filter, in one line: what it does by default, where, and how many rules. */
static void print_oci_seccomp(FILE *out, const struct oci_seccomp *sc)
{
	const char *sep = "";

	if (!sc->enabled)
		return;
	fputs("oci-seccomp default=", out);
	print_oci_action(out, sc->default_action, sc->default_ret);
	fputs(" arch=native", out);
	for (const struct enum_name *a = oci_seccomp_arch_names; a->name; a++)
		if (sc->arches & (UINT32_C(1) << a->value))
			fprintf(out, ",%s", a->name);
	fputs(" flags=", out);
	for (const struct enum_name *f = oci_seccomp_flag_names; f->name; f++) {
		if (sc->flags & (unsigned)f->value) {
			fprintf(out, "%s%s", sep, f->name);
			sep = ",";
		}
	}
	if (!sep[0])
		fputs("none", out);
	fprintf(out, " rules=%zu\n", sc->nrules);
}

/* What only an OCI container has: nothing for nook run's sandboxes. */
static void print_oci(FILE *out, const struct oci_spec *o)
{
	if (!o->enabled)
		return;
	fprintf(out, "oci root-readonly=%s umask=%04o", o->root_readonly ? "yes" : "no", o->umask);
	if (o->console_rows)
		fprintf(out, " console=%ux%u", o->console_cols, o->console_rows);
	fputc('\n', out);
	for (size_t i = 0; i < o->njoin; i++) {
		fprintf(out, "oci-join %s ", enum_to_name(namespace_names, (int)o->join[i].flag));
		fput_escaped(o->join[i].path, out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < o->sysctl.n; i++) {
		fputs("oci-sysctl ", out);
		fput_escaped(o->sysctl.v[i], out);
		fputc('\n', out);
	}
	print_oci_seccomp(out, &o->seccomp);
	for (int st = 0; st < OCI_HOOK_STAGES; st++) {
		for (size_t i = 0; i < o->hooks.n[st]; i++) {
			const struct oci_hook *h = &o->hooks.v[st][i];

			fprintf(out, "oci-hook %s ", enum_to_name(oci_hook_stage_names, st));
			fput_escaped(h->path, out);
			fprintf(out, " timeout=%u args=%zu env=%zu\n", h->timeout, h->args.n,
				h->env.n);
		}
	}
}

void spec_print(const struct spec *s, FILE *out)
{
	fputs("profile ", out);
	fput_escaped(s->profile ? s->profile : "none", out);
	fputc('\n', out);
	for (size_t i = 0; i < s->profile_files.n; i++) {
		fputs("profile-file ", out);
		fput_escaped(s->profile_files.v[i], out);
		fputc('\n', out);
	}
	fputs("namespaces", out);
	for (const struct enum_name *ns = namespace_names; ns->name; ns++)
		if (s->clone_flags & (uint64_t)ns->value)
			fprintf(out, " %s", ns->name);
	fputc('\n', out);

	fprintf(out, "userns %s\n", userns_mode_name(s->userns));
	if (s->idmap_helpers)
		fprintf(out, "idmap-helpers %s %s\n", s->newuidmap, s->newgidmap);
	else
		fputs("idmap-helpers none\nsetgroups deny\n", out);
	if (s->userns_pool)
		fprintf(out, "userns-pool %s idle=%u\n", s->userns_pool, s->userns_pool_idle);
	else
		fputs("userns-pool no\n", out);
	print_map(out, "uid-map", &s->uid_map);
	print_map(out, "gid-map", &s->gid_map);
	fprintf(out, "uid %u\ngid %u\n", (unsigned)s->inside_uid, (unsigned)s->inside_gid);
	fprintf(out, "groups %s\n", s->drop_groups ? "own" : "keep");
	if (s->switch_user) {
		fprintf(out, "switch-user uid=%u gid=%u groups=", (unsigned)s->inside_uid,
			(unsigned)s->inside_gid);
		if (!s->set_groups)
			fputs("unchanged", out);
		else if (s->ngroups == 0)
			fputs("none", out);
		for (size_t i = 0; s->set_groups && i < s->ngroups; i++)
			fprintf(out, "%s%u", i ? "," : "", (unsigned)s->groups[i]);
		fputc('\n', out);
	} else {
		fputs("switch-user no\n", out);
	}

	for (size_t i = 0; i < s->nmounts; i++) {
		const struct mount_op *m = &s->mounts[i];

		fprintf(out, "mount %s", mount_kind_name(m->kind));
		switch (m->kind) {
		case MOUNT_ROOT:
			fprintf(out, " %s /", m->src);
			print_flags(out, m->flags);
			break;
		case MOUNT_BIND:
			fprintf(out, " %s %s", m->src, m->dest);
			print_flags(out, m->flags);
			break;
		case MOUNT_TMPFS:
			fprintf(out, " %s", m->dest);
			print_flags(out, m->flags);
			fprintf(out, " mode=%04o", m->mode);
			break;
		case MOUNT_SYMLINK:
			fprintf(out, " %s -> %s", m->dest, m->src);
			break;
		case MOUNT_DIR:
			fprintf(out, " %s mode=%04o (the payload's)", m->dest, m->mode);
			break;
		case MOUNT_FILE:
			fprintf(out, " %s ro (%zu bytes)", m->dest, strlen(m->src));
			break;
		case MOUNT_DBUS_PROXY:
			fprintf(out, " %s %s", m->src, m->dest);
			print_flags(out, m->flags);
			break;
		default:
			fprintf(out, " %s", m->dest);
			print_flags(out, m->flags);
			break;
		}
		if (m->options)
			fprintf(out, " %s", m->options);
		if (strcmp(m->origin, "default") != 0)
			fprintf(out, " (%s)", m->origin);
		fputc('\n', out);
	}

	for (size_t i = 0; i < s->host_mkdir.n; i++)
		fprintf(out, "host-mkdir %s\n", s->host_mkdir.v[i]);
	for (size_t i = 0; i < s->host_mkfile.n; i++)
		fprintf(out, "host-mkfile %s\n", s->host_mkfile.v[i]);
	for (size_t i = 0; i < s->host_mkdir_try.n; i++)
		fprintf(out, "host-mkdir-try %s\n", s->host_mkdir_try.v[i]);
	for (size_t i = 0; i < s->ncaches; i++)
		fprintf(out, "cache %s %s %s\n", s->caches[i].name, s->caches[i].dir,
			s->caches[i].dest);
	print_overlay(out, &s->overlay);
	fprintf(out, "hostname %s\n", s->hostname);
	if (s->ipc_host)
		fprintf(out, "ipc host (%s)\n", s->ipc_host);
	else
		fputs("ipc private\n", out);
	if (s->single_instance)
		fprintf(out, "single-instance %s\n", s->single_instance);
	if (s->name) {
		fprintf(out, "name %s%s%s\nstate-dir ", s->name,
			s->name_generated ? " (generated)" : "",
			s->join_or_start ? " join-or-start" : "");
		fput_escaped(s->state_dir, out);
		fputc('\n', out);
	} else {
		fputs("name none\n", out);
	}
	if (s->timeout)
		fprintf(out, "timeout %us (SIGTERM, then SIGKILL %d s later)\n", s->timeout,
			SPEC_TIMEOUT_GRACE);
	print_net(out, &s->net);
	print_dbus(out, "dbus-user", &s->dbus_user);
	print_dbus(out, "dbus-system", &s->dbus_system);
	if (s->dbus_proxy)
		fprintf(out, "dbus-proxy %s dir=%s\n", s->dbus_proxy, s->dbus_proxy_dir);
	fprintf(out, "cwd %s%s\n", s->cwd, s->cwd_required ? "" : " (or / if absent)");
	print_oci(out, &s->oci);

	print_caps(out, "caps", s->caps_keep);
	/* An OCI container's other sets, within the bounding set that caps is then. */
	if (s->oci.caps.exact) {
		print_caps(out, "caps-effective", s->oci.caps.effective & s->caps_keep);
		print_caps(out, "caps-permitted", s->oci.caps.permitted & s->caps_keep);
		print_caps(out, "caps-inheritable", s->oci.caps.inheritable & s->caps_keep);
		print_caps(out, "caps-ambient", s->oci.caps.ambient & s->caps_keep);
	}
	/* Always for nook run; an OCI container's process as its config says. */
	fprintf(out, "no-new-privs %d\n", !s->oci.enabled || s->oci.no_new_privs);
	spec_print_seccomp(out, &s->seccomp);
	fputs(s->landlock_scope_unix ? "landlock scope abstract-unix-socket\n" : "landlock none\n",
	      out);
	for (size_t i = 0; i < s->nrlimits; i++) {
		const struct rlimit_spec *r = &s->rlimits[i];

		if (r->value == RLIM_INFINITY)
			fprintf(out, "rlimit %s unlimited", rlimit_name(r->resource));
		else
			fprintf(out, "rlimit %s %" PRIu64, rlimit_name(r->resource), r->value);
		if (r->hard_apart && r->hard == RLIM_INFINITY)
			fputs(" hard unlimited", out);
		else if (r->hard_apart)
			fprintf(out, " hard %" PRIu64, r->hard);
		fputc('\n', out);
	}

	fprintf(out, "terminal %s", enum_to_name(terminal_mode_names, s->terminal));
	if (s->terminal == TERMINAL_PTY) {
		static const char *const fds[] = {"stdin", "stdout", "stderr"};
		const char *sep = " ";

		for (int fd = 0; fd < 3; fd++) {
			if (s->pty_fds & (1u << fd)) {
				fprintf(out, "%s%s", sep, fds[fd]);
				sep = ",";
			}
		}
	}
	fputc('\n', out);
	for (size_t i = 0; i < s->env.n; i++) {
		fputs("env ", out);
		fput_escaped(s->env.v[i], out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->env_removed.n; i++) {
		fputs("env-removed ", out);
		fput_escaped(s->env_removed.v[i], out);
		fputc('\n', out);
	}
	for (size_t i = 0; i < s->argv.n; i++) {
		fprintf(out, "argv[%zu] ", i);
		fput_escaped(s->argv.v[i], out);
		fputc('\n', out);
	}
	if (s->failure_hint) {
		fputs("failure-hint ", out);
		fput_escaped(s->failure_hint, out);
		fputc('\n', out);
	}
}
