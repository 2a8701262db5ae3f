// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * config.json's hooks into the spec: each {path, args, env, timeout}, checked and copied. When
 * and where they run is the launcher's (sandbox/oci_hooks.c) and the command line's business.
 */
#include "policy/oci_hooks.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/oci_field.h"
#include "util/err.h"

/* The longest timeout taken: its milliseconds fit in poll(2)'s int. */
#define HOOK_TIMEOUT_MAX (24 * 3600)

static int bad(char *err, size_t errlen, const char *field, const char *why)
{
	return oci_bad(&(struct oci_report){.err = err, .errlen = errlen}, field, "%s", why);
}

static int hook_strings(const struct jnode *list, const char *field, struct strv *out, char *err,
			size_t errlen)
{
	char item[160];

	if (!list || list->type == JSON_NULL)
		return 0;
	if (list->type != JSON_ARRAY)
		return bad(err, errlen, field, "must be an array of strings");
	for (size_t i = 0; i < list->n; i++) {
		snprintf(item, sizeof item, "%s[%zu]", field, i);
		if (list->items[i].type != JSON_STRING)
			return bad(err, errlen, item, "must be a string");
		strv_push(out, list->items[i].s);
	}
	return 0;
}

static int one_hook(const struct jnode *j, const char *field, struct oci_hook *h,
		    struct strv *notes, char *err, size_t errlen)
{
	static const char *const known[] = {"path", "args", "env", "timeout", NULL};
	const struct jnode *path = json_get(j, "path"), *timeout = json_get(j, "timeout");
	char sub[128];
	int64_t t;

	if (j->type != JSON_OBJECT)
		return bad(err, errlen, field, "must be an object");
	for (size_t i = 0; i < j->n; i++) {
		const char *const *k = known;

		while (*k && strcmp(*k, j->keys[i]) != 0)
			k++;
		if (!*k)
			strv_push_owned(notes, xasprintf("%s.%s: not supported, ignored", field,
							 j->keys[i]));
	}
	snprintf(sub, sizeof sub, "%s.path", field);
	if (!path)
		return bad(err, errlen, sub, "missing, and required");
	if (path->type != JSON_STRING || path->s[0] != '/')
		return bad(err, errlen, sub, "must be an absolute path");
	h->path = xstrdup(path->s);
	snprintf(sub, sizeof sub, "%s.args", field);
	if (hook_strings(json_get(j, "args"), sub, &h->args, err, errlen) < 0)
		return -1;
	snprintf(sub, sizeof sub, "%s.env", field);
	if (hook_strings(json_get(j, "env"), sub, &h->env, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < h->env.n; i++) {
		if (!strchr(h->env.v[i], '=')) {
			snprintf(sub, sizeof sub, "%s.env[%zu]", field, i);
			return bad(err, errlen, sub, "must be NAME=VALUE");
		}
	}
	snprintf(sub, sizeof sub, "%s.timeout", field);
	if (timeout && timeout->type != JSON_NULL) {
		if (json_int64(timeout, &t) < 0)
			return bad(err, errlen, sub, "must be a whole number of seconds");
		if (t <= 0)
			return bad(err, errlen, sub, "must be more than 0");
		if (t > HOOK_TIMEOUT_MAX)
			return bad(err, errlen, sub, "more than a day");
		h->timeout = (unsigned)t;
	}
	return 0;
}

int oci_hooks_build(const struct jnode *hooks, struct oci_hooks *out, struct strv *notes, char *err,
		    size_t errlen)
{
	bool seen[OCI_HOOK_STAGES] = {false};
	char field[64];

	memset(out, 0, sizeof *out);
	if (!hooks || hooks->type == JSON_NULL)
		return 0;
	if (hooks->type != JSON_OBJECT)
		return bad(err, errlen, "hooks", "must be an object");
	for (size_t i = 0; i < hooks->n; i++) {
		const struct jnode *list = &hooks->items[i];
		int st;

		if (enum_from_name(oci_hook_stage_names, hooks->keys[i], &st) < 0) {
			strv_push_owned(notes, xasprintf("hooks.%s: not supported, ignored",
							 hooks->keys[i]));
			continue;
		}
		snprintf(field, sizeof field, "hooks.%s", enum_to_name(oci_hook_stage_names, st));
		/* A key twice: the first, as json_get reads every other field. */
		if (seen[st] || list->type == JSON_NULL)
			continue;
		seen[st] = true;
		if (list->type != JSON_ARRAY) {
			oci_hooks_free(out);
			return bad(err, errlen, field, "must be an array");
		}
		out->v[st] = xcalloc(list->n ? list->n : 1, sizeof *out->v[st]);
		out->n[st] = list->n;
		for (size_t k = 0; k < list->n; k++) {
			char item[96];

			snprintf(item, sizeof item, "%s[%zu]", field, k);
			if (one_hook(&list->items[k], item, &out->v[st][k], notes, err, errlen) <
			    0) {
				oci_hooks_free(out);
				return -1;
			}
		}
	}
	return 0;
}
