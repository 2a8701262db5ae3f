// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linux.seccomp into struct oci_seccomp: the config's own filter, which the container's
 * process gets as runc and crun give it (sandbox/seccomp_oci.c compiles it). The names of
 * actions, comparisons, architectures and flags are spec.c's tables; system call names are
 * kept as strings.
 */
#include "policy/oci_seccomp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/oci_field.h"
#include "util/err.h"

/* The kernel takes an errno up to MAX_ERRNO; a tracer's message is 16 bits. */
#define ERRNO_MAX 4095
#define TRACE_MSG_MAX 65535
/* seccomp(2) compares the six arguments; a rule has at most a few conditions on each. */
#define ARG_INDEX_MAX 5
#define RULE_ARGS_MAX 64
#define SYSCALL_NAME_MAX 64

struct ctx {
	struct oci_seccomp *out;
	struct oci_report r;
};

/* policy/oci_field.c's, for this config. */
#define note(c, ...) oci_note(&(c)->r, __VA_ARGS__)
#define bad(c, ...) oci_bad(&(c)->r, __VA_ARGS__)
#define want(c, v, t, field, required) oci_want(&(c)->r, v, t, field, required)

/* A number of at most MAX, into *OUT; a missing one (not REQUIRED) leaves *OUT as it is. */
static int number(struct ctx *c, const struct jnode *v, const char *field, bool required,
		  uint64_t max, uint64_t *out)
{
	if (want(c, v, JSON_NUMBER, field, required) < 0)
		return -1;
	if (!v)
		return 0;
	if (json_uint64(v, out) < 0 || *out > max)
		return bad(c, field, "%s is not a number from 0 to %llu", v->s,
			   (unsigned long long)max);
	return 0;
}

static void unknown_keys(struct ctx *c, const struct jnode *obj, const char *field,
			 const char *const *known)
{
	for (size_t i = 0; i < obj->n; i++) {
		const char *const *k = known;

		while (*k && strcmp(*k, obj->keys[i]) != 0)
			k++;
		if (!*k) {
			char *line = xasprintf("%s.%s: not supported, ignored", field,
					       obj->keys[i]);

			strv_push_owned(c->r.notes, line);
		}
	}
}

static int action(struct ctx *c, const struct jnode *v, const char *field,
		  enum oci_seccomp_action *out)
{
	int a;

	if (want(c, v, JSON_STRING, field, true) < 0)
		return -1;
	if (strcmp(v->s, "SCMP_ACT_NOTIFY") == 0)
		return bad(c, field,
			   "SCMP_ACT_NOTIFY: nook has no seccomp agent to hand the calls to "
			   "(listenerPath)");
	if (enum_from_name(oci_seccomp_action_names, v->s, &a) < 0)
		return bad(c, field, "\"%s\": no such action", v->s);
	*out = (enum oci_seccomp_action)a;
	return 0;
}

/*
 * The errno of an ERRNO action, the message of a TRACE one: the config's RETV, else EPERM
 * (runtime-spec's default, and runc's for TRACE). Others have none: a note.
 */
static int action_ret(struct ctx *c, enum oci_seccomp_action a, const struct jnode *retv,
		      const char *field, uint32_t *out)
{
	uint64_t v = EPERM;

	*out = 0;
	if (a != OCI_SCMP_ERRNO && a != OCI_SCMP_TRACE) {
		if (want(c, retv, JSON_NUMBER, field, false) < 0)
			return -1;
		if (retv)
			strv_push_owned(c->r.notes,
					xasprintf("%s: only for SCMP_ACT_ERRNO and SCMP_ACT_TRACE, "
						  "ignored",
						  field));
		return 0;
	}
	if (number(c, retv, field, false, a == OCI_SCMP_ERRNO ? ERRNO_MAX : TRACE_MSG_MAX, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int architectures(struct ctx *c, const struct jnode *list)
{
	char field[96];

	if (want(c, list, JSON_ARRAY, "linux.seccomp.architectures", false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		const struct jnode *v = &list->items[i];
		int a;

		snprintf(field, sizeof field, "linux.seccomp.architectures[%zu]", i);
		if (want(c, v, JSON_STRING, field, true) < 0)
			return -1;
		if (enum_from_name(oci_seccomp_arch_names, v->s, &a) < 0)
			return bad(c, field, "\"%s\": no such architecture", v->s);
		c->out->arches |= UINT32_C(1) << a;
	}
	return 0;
}

static int flags(struct ctx *c, const struct jnode *list)
{
	char field[96];

	if (want(c, list, JSON_ARRAY, "linux.seccomp.flags", false) < 0)
		return -1;
	for (size_t i = 0; list && i < list->n; i++) {
		const struct jnode *v = &list->items[i];
		int f;

		snprintf(field, sizeof field, "linux.seccomp.flags[%zu]", i);
		if (want(c, v, JSON_STRING, field, true) < 0)
			return -1;
		if (strcmp(v->s, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0 ||
		    strcmp(v->s, "SECCOMP_FILTER_FLAG_NEW_LISTENER") == 0)
			return bad(c, field,
				   "%s: only for a listener (SCMP_ACT_NOTIFY), which nook does not "
				   "support",
				   v->s);
		if (enum_from_name(oci_seccomp_flag_names, v->s, &f) < 0)
			return bad(c, field, "\"%s\": not a flag nook can give seccomp(2)", v->s);
		c->out->flags |= (unsigned)f;
	}
	return 0;
}

/* A system call's name: what libseccomp could know (lower case, digits, underscores). */
static bool syscall_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > SYSCALL_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

static int names(struct ctx *c, const struct jnode *list, size_t r, struct strv *out)
{
	char field[96];

	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].names", r);
	if (want(c, list, JSON_ARRAY, field, true) < 0)
		return -1;
	if (list->n == 0)
		return bad(c, field, "empty: a rule for no system call");
	for (size_t i = 0; i < list->n; i++) {
		const struct jnode *v = &list->items[i];

		snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].names[%zu]", r, i);
		if (want(c, v, JSON_STRING, field, true) < 0)
			return -1;
		if (!syscall_name_ok(v->s))
			return bad(c, field, "\"%s\" is not a system call's name", v->s);
		strv_push(out, v->s);
	}
	return 0;
}

static int one_arg(struct ctx *c, const struct jnode *j, size_t r, size_t i,
		   struct oci_seccomp_arg *out)
{
	static const char *const known[] = {"index", "value", "valueTwo", "op", NULL};
	const struct jnode *op = json_get(j, "op");
	char field[128];
	uint64_t v = 0;
	int o;

	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].args[%zu]", r, i);
	if (want(c, j, JSON_OBJECT, field, true) < 0)
		return -1;
	unknown_keys(c, j, field, known);
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].args[%zu].index", r, i);
	if (number(c, json_get(j, "index"), field, true, ARG_INDEX_MAX, &v) < 0)
		return -1;
	out->index = (unsigned)v;
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].args[%zu].value", r, i);
	if (number(c, json_get(j, "value"), field, true, UINT64_MAX, &out->value) < 0)
		return -1;
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].args[%zu].valueTwo", r, i);
	out->value_two = 0;
	if (number(c, json_get(j, "valueTwo"), field, false, UINT64_MAX, &out->value_two) < 0)
		return -1;
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].args[%zu].op", r, i);
	if (want(c, op, JSON_STRING, field, true) < 0)
		return -1;
	if (enum_from_name(oci_seccomp_op_names, op->s, &o) < 0)
		return bad(c, field, "\"%s\": no such comparison", op->s);
	out->op = (enum oci_seccomp_op)o;
	return 0;
}

static int one_rule(struct ctx *c, const struct jnode *j, size_t r, struct oci_seccomp_rule *out)
{
	static const char *const known[] = {"names", "action", "errnoRet", "args", NULL};
	const struct jnode *args = json_get(j, "args");
	char field[96];

	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu]", r);
	if (want(c, j, JSON_OBJECT, field, true) < 0)
		return -1;
	unknown_keys(c, j, field, known);
	if (names(c, json_get(j, "names"), r, &out->names) < 0)
		return -1;
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].action", r);
	if (action(c, json_get(j, "action"), field, &out->action) < 0)
		return -1;
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].errnoRet", r);
	if (action_ret(c, out->action, json_get(j, "errnoRet"), field, &out->ret) < 0)
		return -1;
	snprintf(field, sizeof field, "linux.seccomp.syscalls[%zu].args", r);
	if (want(c, args, JSON_ARRAY, field, false) < 0)
		return -1;
	if (!args || args->n == 0)
		return 0;
	if (args->n > RULE_ARGS_MAX)
		return bad(c, field, "more than %d conditions", RULE_ARGS_MAX);
	out->args = xcalloc(args->n, sizeof *out->args);
	for (size_t i = 0; i < args->n; i++) {
		if (one_arg(c, &args->items[i], r, i, &out->args[i]) < 0)
			return -1;
		out->nargs++;
	}
	return 0;
}

static int syscalls(struct ctx *c, const struct jnode *list)
{
	struct oci_seccomp *o = c->out;

	if (want(c, list, JSON_ARRAY, "linux.seccomp.syscalls", false) < 0)
		return -1;
	if (!list || list->n == 0)
		return 0;
	o->rules = xcalloc(list->n, sizeof *o->rules);
	for (size_t i = 0; i < list->n; i++) {
		/* Counted first: spec_free frees what a half-read rule holds. */
		o->nrules++;
		if (one_rule(c, &list->items[i], i, &o->rules[i]) < 0)
			return -1;
	}
	return 0;
}

/* A listener is what SCMP_ACT_NOTIFY hands its calls to: nook has none to hand them on. */
static int listener(struct ctx *c, const struct jnode *sc)
{
	static const char *const keys[] = {"listenerPath", "listenerMetadata"};

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		const struct jnode *v = json_get(sc, keys[i]);
		char field[64];

		snprintf(field, sizeof field, "linux.seccomp.%s", keys[i]);
		if (want(c, v, JSON_STRING, field, false) < 0)
			return -1;
		if (v && v->s[0])
			return bad(c, field,
				   "nook cannot hand the calls of SCMP_ACT_NOTIFY to a seccomp agent");
	}
	return 0;
}

int oci_seccomp_build(const struct jnode *sc, struct oci_seccomp *out, struct strv *notes,
		      char *err, size_t errlen)
{
	static const char *const known[] = {
		"defaultAction", "defaultErrnoRet",  "architectures", "flags",
		"listenerPath",  "listenerMetadata", "syscalls",      NULL,
	};
	struct ctx c = {.out = out, .r = {.notes = notes, .err = err, .errlen = errlen}};

	out->enabled = false;
	if (!sc || sc->type == JSON_NULL)
		return 0;
	if (want(&c, sc, JSON_OBJECT, "linux.seccomp", true) < 0)
		return -1;
	if (sc->n == 0)
		return 0;
	unknown_keys(&c, sc, "linux.seccomp", known);
	if (action(&c, json_get(sc, "defaultAction"), "linux.seccomp.defaultAction",
		   &out->default_action) < 0 ||
	    action_ret(&c, out->default_action, json_get(sc, "defaultErrnoRet"),
		       "linux.seccomp.defaultErrnoRet", &out->default_ret) < 0 ||
	    listener(&c, sc) < 0 || architectures(&c, json_get(sc, "architectures")) < 0 ||
	    flags(&c, json_get(sc, "flags")) < 0 || syscalls(&c, json_get(sc, "syscalls")) < 0)
		return -1;
	out->enabled = true;
	return 0;
}
