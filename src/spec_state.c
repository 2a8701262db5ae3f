// SPDX-License-Identifier: GPL-2.0-or-later
#include "spec_state.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "util/err.h"

#define STATE_MAGIC "nook-state 1"

static const char *const proc_keys[STATE_NPROCS] = {"monitor", "keeper", "init", "payload"};

/* The value, escaped: nothing it holds can end the line or be read as another key. */
static void put_value(FILE *out, const char *key, const char *value)
{
	fprintf(out, "%s ", key);
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\x%02x", *p);
		else
			fputc(*p, out);
	}
	fputc('\n', out);
}

int spec_state_write(FILE *out, const struct spec *s, const char *name,
		     const struct proc_id procs[STATE_NPROCS])
{
	const char *root = "/";

	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_ROOT) {
			root = s->mounts[i].src;
			break;
		}
	fprintf(out, "%s\n", STATE_MAGIC);
	put_value(out, "name", name);
	for (int i = 0; i < STATE_NPROCS; i++)
		fprintf(out, "%s %ld %" PRIu64 "\n", proc_keys[i], (long)procs[i].pid,
			procs[i].start);
	put_value(out, "root", root);
	for (const struct enum_name *ns = namespace_names; ns->name; ns++)
		if (s->clone_flags & (uint64_t)ns->value)
			fprintf(out, "namespace %s\n", ns->name);
	fprintf(out, "userns %s\n", userns_mode_name(s->userns));
	fprintf(out, "uid %u\ngid %u\n", (unsigned)s->inside_uid, (unsigned)s->inside_gid);
	fprintf(out, "drop-groups %d\nswitch-user %d\nset-groups %d\n", s->drop_groups,
		s->switch_user, s->set_groups);
	for (size_t i = 0; i < s->ngroups; i++)
		fprintf(out, "group %u\n", (unsigned)s->groups[i]);
	fprintf(out, "caps %" PRIx64 "\n", s->caps_keep);
	fprintf(out, "seccomp %d\nmdwe %d\nlandlock %d\n", s->seccomp.enabled, s->seccomp.mdwe,
		s->landlock_scope_unix);
	for (size_t i = 0; i < s->nrlimits; i++) {
		if (s->rlimits[i].value == RLIM_INFINITY)
			fprintf(out, "rlimit %s unlimited\n", rlimit_name(s->rlimits[i].resource));
		else
			fprintf(out, "rlimit %s %" PRIu64 "\n", rlimit_name(s->rlimits[i].resource),
				s->rlimits[i].value);
	}
	put_value(out, "cwd", s->cwd ? s->cwd : "/");
	fprintf(out, "cwd-required %d\n", s->cwd_required);
	for (size_t i = 0; i < s->env.n; i++)
		put_value(out, "env", s->env.v[i]);
	for (size_t i = 0; i < s->argv.n; i++)
		put_value(out, "argv", s->argv.v[i]);
	if (s->profile)
		put_value(out, "profile", s->profile);
	if (s->overlay.mode == OVERLAY_NAMED)
		put_value(out, "overlay", s->overlay.name);
	else
		fprintf(out, "overlay %s\n", s->overlay.mode == OVERLAY_TMP ? "tmp" : "none");
	fprintf(out, "net %s\n", enum_to_name(net_mode_names, (int)s->net.mode));
	/* A reader that sees this has it all. */
	fputs("end\n", out);
	return ferror(out) ? -1 : 0;
}

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The value of a line, unescaped; NULL when an escape is malformed or the value holds NUL. */
static char *get_value(const char *v, size_t len)
{
	char *out = xmalloc(len + 1);
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (v[i] == '\0')
			goto bad;
		if (v[i] != '\\') {
			out[n++] = v[i];
			continue;
		}
		if (i + 1 >= len)
			goto bad;
		switch (v[++i]) {
		case '\\':
			out[n++] = '\\';
			break;
		case 'n':
			out[n++] = '\n';
			break;
		case 'x':
			if (i + 2 >= len || (hi = hex(v[i + 1])) < 0 || (lo = hex(v[i + 2])) < 0 ||
			    (hi << 4 | lo) == 0)
				goto bad;
			out[n++] = (char)(hi << 4 | lo);
			i += 2;
			break;
		default:
			goto bad;
		}
	}
	out[n] = '\0';
	return out;
bad:
	free(out);
	return NULL;
}

/* Digits only (strtoull would take blanks and a sign), decimal or hex, up to max. */
static int number(const char *s, int base, uint64_t max, uint64_t *out)
{
	if (!s[0])
		return -1;
	for (const char *p = s; *p; p++)
		if (base == 16 ? hex(*p) < 0 : (*p < '0' || *p > '9'))
			return -1;
	errno = 0;
	*out = strtoull(s, NULL, base);
	return errno || *out > max ? -1 : 0;
}

static int flag(const char *s, bool *out)
{
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
		return -1;
	*out = s[0] == '1';
	return 0;
}

static int set_once(char **field, char *value)
{
	if (*field) {
		free(value);
		return -1;
	}
	*field = value;
	return 0;
}

/* One "KEY VALUE" line into st. 0, or -1 with a message. */
static int parse_line(struct sandbox_state *st, const char *key, char *value, char *err,
		      size_t errlen)
{
	struct spec *s = &st->spec;
	autofree char *owned = value;
	uint64_t n;
	int e;

	for (int i = 0; i < STATE_NPROCS; i++) {
		if (strcmp(key, proc_keys[i]) == 0) {
			long pid;
			uint64_t start;
			int used = 0;

			if (sscanf(value, "%ld %" SCNu64 "%n", &pid, &start, &used) != 2 ||
			    value[used] || pid < 0 || pid > INT32_MAX)
				break;
			st->procs[i] = (struct proc_id){(pid_t)pid, start};
			return 0;
		}
	}
	if (strcmp(key, "name") == 0 || strcmp(key, "root") == 0 || strcmp(key, "cwd") == 0 ||
	    strcmp(key, "profile") == 0) {
		char **field = key[0] == 'n'   ? &st->name
			       : key[0] == 'r' ? &st->root
			       : key[0] == 'c' ? &s->cwd
					       : &s->profile;

		if (set_once(field, steal_pointer(&owned)) == 0)
			return 0;
		return set_error(err, errlen, "%s given twice", key);
	}
	if (strcmp(key, "namespace") == 0 && enum_from_name(namespace_names, value, &e) == 0) {
		s->clone_flags |= (uint64_t)(unsigned)e;
		return 0;
	}
	if (strcmp(key, "userns") == 0 && enum_from_name(userns_mode_names, value, &e) == 0) {
		s->userns = (enum userns_mode)e;
		return 0;
	}
	if ((strcmp(key, "uid") == 0 || strcmp(key, "gid") == 0 || strcmp(key, "group") == 0) &&
	    number(value, 10, UINT32_MAX, &n) == 0) {
		if (key[0] == 'u') {
			s->inside_uid = (uid_t)n;
		} else if (key[1] == 'i') {
			s->inside_gid = (gid_t)n;
		} else {
			s->groups = xreallocarray(s->groups, s->ngroups + 1, sizeof *s->groups);
			s->groups[s->ngroups++] = (uint32_t)n;
		}
		return 0;
	}
	if (strcmp(key, "drop-groups") == 0 && flag(value, &s->drop_groups) == 0)
		return 0;
	if (strcmp(key, "switch-user") == 0 && flag(value, &s->switch_user) == 0)
		return 0;
	if (strcmp(key, "set-groups") == 0 && flag(value, &s->set_groups) == 0)
		return 0;
	if (strcmp(key, "caps") == 0 && number(value, 16, UINT64_MAX, &s->caps_keep) == 0)
		return 0;
	if (strcmp(key, "seccomp") == 0 && flag(value, &s->seccomp.enabled) == 0)
		return 0;
	if (strcmp(key, "mdwe") == 0 && flag(value, &s->seccomp.mdwe) == 0)
		return 0;
	if (strcmp(key, "landlock") == 0 && flag(value, &s->landlock_scope_unix) == 0)
		return 0;
	if (strcmp(key, "cwd-required") == 0 && flag(value, &s->cwd_required) == 0)
		return 0;
	if (strcmp(key, "rlimit") == 0) {
		char *sp = strchr(value, ' ');
		int res;

		if (sp && s->nrlimits < RLIMITS_MAX) {
			*sp = '\0';
			if (enum_from_name(rlimit_names, value, &res) == 0 &&
			    (strcmp(sp + 1, "unlimited") == 0 ||
			     number(sp + 1, 10, UINT64_MAX, &n) == 0)) {
				s->rlimits[s->nrlimits++] =
					(struct rlimit_spec){.resource = res,
							     .value = strcmp(sp + 1, "unlimited") ==
										      0
									      ? RLIM_INFINITY
									      : n};
				return 0;
			}
		}
	}
	if (strcmp(key, "env") == 0 && strchr(value, '=') && value[0] != '=') {
		strv_push_owned(&s->env, steal_pointer(&owned));
		return 0;
	}
	if (strcmp(key, "argv") == 0) {
		strv_push_owned(&s->argv, steal_pointer(&owned));
		return 0;
	}
	if (strcmp(key, "overlay") == 0 && !s->overlay.name && s->overlay.mode == OVERLAY_NONE) {
		if (strcmp(value, "tmp") == 0) {
			s->overlay.mode = OVERLAY_TMP;
		} else if (strcmp(value, "none") != 0) {
			s->overlay.mode = OVERLAY_NAMED;
			s->overlay.name = steal_pointer(&owned);
		}
		return 0;
	}
	if (strcmp(key, "net") == 0 && enum_from_name(net_mode_names, value, &e) == 0) {
		s->net.mode = (enum net_mode)e;
		return 0;
	}
	return set_error(err, errlen, "bad line '%s %.40s'", key, value);
}

int spec_state_parse(const char *text, size_t len, struct sandbox_state *st, char *err,
		     size_t errlen)
{
	const char *p = text, *end = text + len;
	bool first = true, ended = false;

	memset(st, 0, sizeof *st);
	spec_init(&st->spec);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *sp;
		autofree char *key = NULL;
		char *value;

		if (!nl)
			return set_error(err, errlen, "the last line is not complete");
		if (ended)
			return set_error(err, errlen, "a line after the end");
		if ((size_t)(nl - p) == 3 && memcmp(p, "end", 3) == 0 && !first) {
			ended = true;
			p = nl + 1;
			continue;
		}
		if (first) {
			if ((size_t)(nl - p) != strlen(STATE_MAGIC) ||
			    memcmp(p, STATE_MAGIC, strlen(STATE_MAGIC)) != 0)
				return set_error(err, errlen, "not a state of this nook's");
			first = false;
			p = nl + 1;
			continue;
		}
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (!sp)
			return set_error(err, errlen, "a line without a value");
		key = xstrndup(p, (size_t)(sp - p));
		value = get_value(sp + 1, (size_t)(nl - sp - 1));
		if (!value)
			return set_error(err, errlen, "%s: a malformed value", key);
		if (parse_line(st, key, value, err, errlen) < 0)
			return -1;
		p = nl + 1;
	}
	if (first)
		return set_error(err, errlen, "empty");
	if (!ended)
		return set_error(err, errlen, "no end: written in part");
	if (!st->name || !st->root || !st->spec.cwd || st->spec.argv.n == 0 ||
	    !(st->spec.clone_flags & CLONE_NEWUSER))
		return set_error(err, errlen, "incomplete");
	return 0;
}

void sandbox_state_free(struct sandbox_state *st)
{
	free(st->name);
	free(st->root);
	spec_free(&st->spec);
	memset(st, 0, sizeof *st);
}
