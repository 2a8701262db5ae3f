// SPDX-License-Identifier: GPL-2.0-or-later
#include "profile/profile.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/expand.h"
#include "request/options.h"
#include "util/err.h"
#include "util/escape.h"

#define MAX_INCLUDE_DEPTH 16

/*
 * firejail's directives that nook does not implement, with the reason given in the warning.
 * They are skipped (errors with --strict-profile), so firejail's profiles still load.
 */
static const struct {
	const char *name;
	const char *reason;
} unsupported[] = {
	{"apparmor", "nook does not load AppArmor profiles"},
	{"netfilter", "nook's networks are --net=none, slirp4netns or pasta; there is no firewall"},
	{"nogroups", "supplementary groups stay as the id map shows them"},
	{"noinput", "/dev/input is never in nook's /dev"},
	{"private-bin", "the host's binaries are read-only; hide programs with blacklist"},
	{"private-lib", "the host's libraries are read-only"},
	{"private-opt", "use whitelist /opt/..."},
	{"private-srv", "use whitelist /srv/..."},
	{"shell", "nook runs PROGRAM directly, never through a shell"},
	{"tracelog", "nook has no syscall log; try --seccomp-error-action=log"},
	{"disable-mnt", "use blacklist /mnt, blacklist /media"},
	{"dbus-user.log", "xdg-dbus-proxy's log is not kept"},
	{"dbus-system.log", "xdg-dbus-proxy's log is not kept"},
	{"seccomp.keep", "nook's filter is a deny list; the default filter is used"},
	{"seccomp.32.drop", "secondary architectures are denied unless --allow-secondary-arch"},
	{"seccomp.32.keep", "secondary architectures are denied unless --allow-secondary-arch"},
	{"xephyr-screen", "no nested X servers"},
	{"allusers", "only the caller's home is known to nook"},
	{"keep-dev-shm", "/dev/shm is always a fresh tmpfs"},
	{"keep-var-tmp", "/var/tmp is the host's, read-only"},
	{"keep-config-pulse", "not needed: ~/.config/pulse is not rewritten"},
	{"writable-etc", "use --overlay=tmp for a writable root"},
	{"writable-var", "use --overlay=tmp for a writable root"},
	{"writable-var-log", "use --overlay=tmp for a writable root"},
	{"writable-run-user", "use whitelist or read-write"},
	{"cpu", "not implemented"},
	{"nice", "not implemented"},
	{"cgroup", "not implemented"},
	{"hosts-file", "not implemented"},
	{"mtu", "slirp4netns's MTU is fixed"},
	{"netns", "bridges and network namespaces of the host are not supported"},
	{"veth-name", "bridges are not supported"},
	{"iprange", "bridges are not supported"},
	{"ip", "bridges are not supported"},
	{"ip6", "bridges are not supported"},
	{"mac", "bridges are not supported"},
	{"defaultgw", "bridges are not supported"},
	{"net", "only none, slirp, pasta and host are supported (no bridges)"},
	{"x11", "only x11 and x11 none are supported (no nested servers)"},
	{"deterministic-exit-code", "nook always exits with the payload's status"},
	{"deterministic-shutdown", "the sandbox always ends with its payload"},
	{"allow-debuggers", "ptrace inside the sandbox is always allowed"},
	{"memory-deny-write-execute.32", "see memory-deny-write-execute"},
	{"restrict-namespaces", NULL}, /* nook's default filter already denies them */
	{"ipc-namespace", NULL},       /* the default, unless "ipc host" */
	{"noroot", NULL},              /* the caller is not root inside unless --userns=root */
	{"notv", NULL},                /* /dev/dvb is never in nook's /dev */
	{"nodvd", NULL},
	{"noprinters", "the CUPS socket stays reachable; use blacklist /run/cups"},
	{"notpm", NULL},
	{"nosnd", NULL},
	{"caps", NULL},                    /* nook drops every capability */
	{"seccomp.block-secondary", NULL}, /* the default */
	{"tab", NULL},
	{"apparmor-replace", "nook does not load AppArmor profiles"},
	{"seccomp.32", "secondary architectures are denied unless --allow-secondary-arch"},
	{"private-cwd", "nook starts PROGRAM in the caller's directory or --chdir"},
	{"keep-fd", "nook closes every inherited descriptor but 0, 1 and 2"},
	{"private-home", "nook cannot copy parts of the home; use whitelist"},
	{"netlock", "there is no firewall"},
	{"netmask", "bridges are not supported"},
	{"netfilter6", "there is no firewall"},
	{"noautopulse", "not needed: ~/.config/pulse is not rewritten"},
	{"rlimit-sigpending", "not implemented"},
};

/* firejail's spellings of nook's options, where the meaning is the same. */
static const struct {
	const char *firejail, *nook;
} aliases[] = {
	{"caps.drop", "caps-drop"},
	{"caps.keep", "caps-keep"},
	{"rmenv", "unsetenv"},
	{"blacklist-nolog", "blacklist"},
	{"seccomp.error-action", "seccomp-error-action"},
};

/* Conditions of firejail's own configuration that nook does not have: false. */
static const char *const config_conditions[] = {
	"ALLOW_TRAY",
	"BROWSER_DISABLE_U2F",
	"BROWSER_ALLOW_DRM",
	"HAS_APPIMAGE",
};

static void report(struct profile_loader *l, bool error, const char *file, int line,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(struct profile_loader *l, bool error, const char *file, int line,
		   const char *fmt, ...)
{
	autofree char *text = NULL;
	va_list ap;

	if (error)
		l->errors++;
	else
		l->warnings++;
	if (!error && l->ro->quiet && !l->lint)
		return;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	/* The file's name and what it says, escaped: a profile must not write to the terminal. */
	fputs("nook: ", l->diag);
	fput_escaped(file, l->diag);
	fprintf(l->diag, ":%d: %s", line, error ? "" : "warning: ");
	fput_escaped(text ? text : fmt, l->diag);
	fputc('\n', l->diag);
}

void profile_env_init(struct profile_env *e, const struct host_facts *h)
{
	memset(e, 0, sizeof *e);
	e->host = h;
	e->firejail_dir = PROFILE_FIREJAIL_DIR;
	e->has_x11 = host_getenv(h, "DISPLAY") != NULL;
	e->has_wayland = host_getenv(h, "WAYLAND_DISPLAY") != NULL;
}

void profile_env_conditions(struct profile_env *e, const struct request *cli)
{
	e->has_net = (cli->net.mode_set && cli->net.mode != NET_NONE) || cli->net.npublish > 0;
	e->has_nodbus = cli->fs.nodbus;
	e->has_nosound = cli->fs.nosound;
	e->has_private = cli->fs.private_home;
}

void profile_loader_init(struct profile_loader *l, struct request *ro,
			 const struct profile_env *env)
{
	memset(l, 0, sizeof *l);
	l->ro = ro;
	l->env = env;
	l->diag = stderr;
}

void profile_loader_free(struct profile_loader *l)
{
	strv_free(&l->ignored);
	strv_free(&l->stack);
	strv_free(&l->loaded);
}

static bool readable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void probe_note(struct profile_probes *p, const char *path, const struct stat *st)
{
	struct profile_probe *n;

	if (!p)
		return;
	p->v = xreallocarray(p->v, p->n + 1, sizeof *p->v);
	n = &p->v[p->n++];
	*n = (struct profile_probe){.path = xstrdup(path)};
	if (st && S_ISREG(st->st_mode)) {
		n->found = true;
		n->dev = (uint64_t)st->st_dev;
		n->ino = (uint64_t)st->st_ino;
		n->size = (uint64_t)st->st_size;
		n->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
		n->ctime_ns = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
	}
}

/* readable(), noted for the cache when the loader keeps probes. */
static bool readable_noted(const struct profile_loader *l, const char *path)
{
	struct stat st;
	bool found = stat(path, &st) == 0 && S_ISREG(st.st_mode);

	probe_note(l->probes, path, found ? &st : NULL);
	return found;
}

void profile_probes_free(struct profile_probes *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	*p = (struct profile_probes){0};
}

bool profile_probe_holds(const struct profile_probe *p)
{
	struct stat st;
	struct profile_probe now = {0};

	if (stat(p->path, &st) < 0 || !S_ISREG(st.st_mode))
		return !p->found;
	if (!p->found)
		return false;
	now.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	now.ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
	return p->dev == (uint64_t)st.st_dev && p->ino == (uint64_t)st.st_ino &&
	       p->size == (uint64_t)st.st_size && p->mtime_ns == now.mtime_ns &&
	       p->ctime_ns == now.ctime_ns;
}

char *profile_find(const struct profile_env *env, const char *name)
{
	const char *dirs[2] = {env->host->profile_user_dir, env->host->profile_system_dir};

	if (strchr(name, '/'))
		return readable(name) ? xstrdup(name) : NULL;
	for (int i = 0; i < 2; i++) {
		char *p;

		if (!dirs[i])
			continue;
		p = xasprintf("%s/%s.profile", dirs[i], name);
		if (readable(p))
			return p;
		free(p);
	}
	return NULL;
}

/* An include: absolute, or beside the including file, then the user's and system's dirs. */
static char *find_include(const struct profile_loader *l, const char *from, const char *name)
{
	autofree char *dir = xstrdup(from);
	char *slash = strrchr(dir, '/');
	const char *dirs[3] = {slash ? dir : ".", l->env->host->profile_user_dir,
			       l->env->host->profile_system_dir};

	if (name[0] == '/')
		return readable_noted(l, name) ? xstrdup(name) : NULL;
	if (slash)
		*slash = '\0';
	for (int i = 0; i < 3; i++) {
		char *p;

		/* The system's profiles include each other from the system's directory. */
		if (!dirs[i] || (i == 2 && strcmp(dirs[2], dirs[0]) == 0))
			continue;
		p = xasprintf("%s/%s", dirs[i], name);
		if (readable_noted(l, p))
			return p;
		free(p);
	}
	return NULL;
}

static bool condition(struct profile_loader *l, const char *file, int line, const char *c)
{
	const struct profile_env *e = l->env;

	if (strcmp(c, "HAS_X11") == 0)
		return e->has_x11;
	if (strcmp(c, "HAS_WAYLAND") == 0)
		return e->has_wayland;
	if (strcmp(c, "HAS_NET") == 0)
		return e->has_net;
	if (strcmp(c, "HAS_NODBUS") == 0)
		return e->has_nodbus;
	if (strcmp(c, "HAS_NOSOUND") == 0)
		return e->has_nosound;
	if (strcmp(c, "HAS_PRIVATE") == 0)
		return e->has_private;
	for (size_t i = 0; i < sizeof config_conditions / sizeof config_conditions[0]; i++)
		if (strcmp(c, config_conditions[i]) == 0)
			return false;
	report(l, l->lint || l->strict, file, line, "unknown condition ?%s:", c);
	return false;
}

static bool is_ignored(const struct profile_loader *l, const char *line)
{
	for (size_t i = 0; i < l->ignored.n; i++) {
		size_t n = strlen(l->ignored.v[i]);

		if (strncmp(line, l->ignored.v[i], n) == 0 &&
		    (line[n] == '\0' || isspace((unsigned char)line[n])))
			return true;
	}
	return false;
}

static const char *unsupported_reason(const char *name, bool *known)
{
	for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++) {
		if (strcmp(unsupported[i].name, name) == 0) {
			*known = true;
			return unsupported[i].reason;
		}
	}
	*known = false;
	return NULL;
}

/* "FILE:LINE", for every directive of every profile: without printf's machinery. */
static char *origin_at(const char *file, int line)
{
	char digits[16];
	size_t n = 0, len = strlen(file);
	unsigned v = line > 0 ? (unsigned)line : 0;
	char *r;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) && n < sizeof digits);
	r = xreallocarray(NULL, len + n + 2, 1);
	memcpy(r, file, len);
	r[len] = ':';
	for (size_t i = 0; i < n; i++)
		r[len + 1 + i] = digits[n - 1 - i];
	r[len + 1 + n] = '\0';
	return r;
}

static void apply(struct profile_loader *l, const char *file, int line, const char *name,
		  const char *arg, const struct option_def *def)
{
	struct strv values = {0};
	char err[512];
	autofree char *where = origin_at(file, line);
	const struct origin origin = {.where = where, .cli = false};

	if (!def->arg && arg[0]) {
		report(l, true, file, line, "%s takes no argument", name);
		return;
	}
	if (def->arg && !(def->flags & OPT_OPTIONAL_ARG) && !arg[0]) {
		report(l, true, file, line, "%s needs an argument (%s)", name, def->arg);
		return;
	}
	if (expand_macros(l->env->host, arg, &values, err, sizeof err) < 0) {
		report(l, true, file, line, "%s: %s", name, err);
		return;
	}
	if (l->directives)
		req_list_push(&l->ro->profile_directives, def->name, &origin);
	for (size_t i = 0; i < values.n; i++)
		if (option_apply(def, l->ro, values.v[i], &origin, err, sizeof err) < 0)
			report(l, true, file, line, "%s: %s", name, err);
	strv_free(&values);
}

/*
 * firejail's "seccomp LIST" and "seccomp.drop LIST": the default filter, "!x" allowed, the
 * others denied too. firejail's seccomp.drop has no default filter; nook's base filter stays
 * whatever a profile says (only --seccomp=off on the command line removes it).
 */
static void apply_seccomp_list(struct profile_loader *l, const char *file, int line,
			       const char *arg)
{
	autofree char *copy = xstrdup(arg);
	char *save = NULL;

	for (char *it = strtok_r(copy, ",", &save); it; it = strtok_r(NULL, ",", &save))
		apply(l, file, line, it[0] == '!' ? "seccomp-allow" : "seccomp-drop",
		      it[0] == '!' ? it + 1 : it,
		      option_find(it[0] == '!' ? "seccomp-allow" : "seccomp-drop"));
}

static int profile_load_at(struct profile_loader *l, const char *path, int depth);

static void include(struct profile_loader *l, const char *file, int line, const char *arg,
		    int depth)
{
	struct strv names = {0};
	char err[256];

	if (expand_macros(l->env->host, arg, &names, err, sizeof err) < 0) {
		report(l, true, file, line, "include: %s", err);
		return;
	}
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		autofree char *path = find_include(l, file, name);
		size_t len = strlen(name);

		if (!path) {
			/* NAME.local and globals.local are the user's optional overrides. */
			if (len > 6 && strcmp(name + len - 6, ".local") == 0)
				continue;
			report(l, true, file, line, "include %s: not found", name);
			continue;
		}
		for (size_t k = 0; k < l->stack.n; k++) {
			if (strcmp(l->stack.v[k], path) == 0) {
				report(l, true, file, line,
				       "include %s: a loop (it is being read already)", name);
				goto next;
			}
		}
		if (depth >= MAX_INCLUDE_DEPTH) {
			report(l, true, file, line, "include %s: nested too deeply", name);
			continue;
		}
		profile_load_at(l, path, depth + 1);
next:;
	}
	strv_free(&names);
}

static void directive(struct profile_loader *l, const char *file, int line, char *text, int depth)
{
	char *name = text, *arg;
	const char *key; /* the option it names: nook's spelling of firejail's */
	const struct option_def *def;
	const char *reason;
	bool known;

	/* "?COND: directive" */
	if (name[0] == '?') {
		char *colon = strchr(name, ':');

		if (!colon) {
			report(l, true, file, line, "'%s': a condition is ?NAME: DIRECTIVE", text);
			return;
		}
		*colon = '\0';
		if (!condition(l, file, line, name + 1))
			return;
		name = colon + 1;
		while (isspace((unsigned char)*name))
			name++;
	}
	if (is_ignored(l, name))
		return;
	arg = name + strcspn(name, " \t");
	if (*arg) {
		*arg++ = '\0';
		while (isspace((unsigned char)*arg))
			arg++;
	}

	key = name;
	if (strcmp(name, "include") == 0) {
		include(l, file, line, arg, depth);
		return;
	}
	if (strcmp(name, "ignore") == 0) {
		if (!arg[0])
			report(l, true, file, line, "ignore needs a directive");
		else
			strv_push(&l->ignored, arg);
		return;
	}
	/* nook's own "seccomp off|default" first; any other list is firejail's. */
	if (strcmp(name, "seccomp") == 0 && arg[0] && !option_value_known(option_find(name), arg)) {
		apply_seccomp_list(l, file, line, arg);
		return;
	}
	if (strcmp(name, "seccomp") == 0 && !arg[0]) {
		apply(l, file, line, name, "default", option_find(name));
		return;
	}
	if (strcmp(name, "seccomp.drop") == 0) {
		if (!arg[0] || strspn(arg, ", ") == strlen(arg))
			report(l, true, file, line, "seccomp.drop needs a list of system calls");
		else
			apply_seccomp_list(l, file, line, arg);
		return;
	}
	/* firejail's "bind SRC,DEST". */
	if (strcmp(name, "bind") == 0 && strchr(arg, ',') && !strchr(arg, ':'))
		*strchr(arg, ',') = ':';
	for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(key, aliases[i].firejail) == 0)
			key = aliases[i].nook;

	def = option_find(key);
	if (def && !(def->flags & OPT_CLI_ONLY)) {
		/* A firejail form nook does not take ("net eth0", "x11 xephyr"). */
		if ((def->flags & OPT_FOREIGN) && arg[0] && !option_value_known(def, arg)) {
			reason = unsupported_reason(key, &known);
			report(l, l->strict, file, line,
			       "%s %s: not supported by nook: %s; skipped", key, arg,
			       reason ? reason : "not one of its values");
			return;
		}
		apply(l, file, line, key, arg, def);
		return;
	}
	reason = unsupported_reason(name, &known);
	if (known && !reason)
		return; /* what nook always does: accepted silently */
	if (known) {
		report(l, l->strict, file, line, "%s: not supported by nook: %s; skipped", name,
		       reason);
		return;
	}
	report(l, l->lint || l->strict, file, line, "unknown directive '%s'%s", name,
	       l->lint || l->strict ? "" : "; skipped");
}

static int profile_load_at(struct profile_loader *l, const char *path, int depth)
{
	FILE *f;
	char *buf = NULL;
	size_t cap = 0;
	int line = 0, errors = l->errors;

	/* include() refuses a file being read already: a loop never gets here. */
	f = fopen(path, "re");
	if (!f) {
		report(l, true, path, 0, "cannot read it: %s", strerror(errno));
		return -1;
	}
	if (l->probes) {
		struct stat st;

		probe_note(l->probes, path, fstat(fileno(f), &st) == 0 ? &st : NULL);
	}
	strv_push(&l->stack, path);
	strv_push(&l->loaded, path);
	while (getline(&buf, &cap, f) > 0) {
		char *text = buf, *end;

		line++;
		while (isspace((unsigned char)*text))
			text++;
		end = text + strlen(text);
		while (end > text && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (!text[0] || text[0] == '#')
			continue;
		/* firejail takes a comment after a directive too: " # ...". */
		for (char *c = strchr(text, '#'); c; c = strchr(c + 1, '#')) {
			if (isspace((unsigned char)c[-1])) {
				*c = '\0';
				end = c;
				while (end > text && isspace((unsigned char)end[-1]))
					*--end = '\0';
				break;
			}
		}
		directive(l, path, line, text, depth);
	}
	free(buf);
	fclose(f);
	free(l->stack.v[--l->stack.n]);
	l->stack.v[l->stack.n] = NULL;
	return l->errors > errors ? -1 : 0;
}

/* Is path below dir (both without symbolic links)? */
static bool real_below(const char *path, const char *dir)
{
	autofree char *real_dir = dir ? realpath(dir, NULL) : NULL;
	size_t n = real_dir ? strlen(real_dir) : 0;

	return real_dir && strncmp(path, real_dir, n) == 0 && path[n] == '/';
}

bool profile_is_firejail(const struct profile_env *env, const char *path)
{
	autofree char *real = realpath(path, NULL);
	autofree char *user = env->host->home ? xasprintf("%s/.config/firejail", env->host->home)
					      : NULL;

	return real && (real_below(real, env->firejail_dir) || real_below(real, user));
}

int profile_load(struct profile_loader *l, const char *path)
{
	l->ro->profile_firejail = profile_is_firejail(l->env, path);
	return profile_load_at(l, path, 0);
}
