// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/strv.h"

#include <stdlib.h>
#include <string.h>

#include "util/err.h"

void strv_push_owned(struct strv *s, char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? 2 * s->cap : 8;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void strv_push(struct strv *s, const char *str)
{
	strv_push_owned(s, xstrdup(str));
}

void strv_free(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	*s = (struct strv){0};
}

static size_t key_len(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq ? (size_t)(eq - kv) : strlen(kv);
}

static long env_find(const struct strv *s, const char *key, size_t klen)
{
	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->v[i], key, klen) == 0 && s->v[i][klen] == '=')
			return (long)i;
	return -1;
}

static void remove_at(struct strv *s, size_t i)
{
	free(s->v[i]);
	memmove(&s->v[i], &s->v[i + 1], (s->n - i) * sizeof *s->v);
	s->n--;
}

/* Every entry of the key goes: a duplicate left behind is what some shells would read. */
void strv_env_unset(struct strv *s, const char *key)
{
	size_t klen = strlen(key);

	for (size_t i = 0; i < s->n;) {
		if (strncmp(s->v[i], key, klen) == 0 && s->v[i][klen] == '=')
			remove_at(s, i);
		else
			i++;
	}
}

/* In place of the first entry of the key (order is kept), and no duplicate after it. */
void strv_env_set(struct strv *s, const char *kv)
{
	size_t klen = key_len(kv);
	long first = env_find(s, kv, klen);

	if (first < 0) {
		strv_push(s, kv);
		return;
	}
	free(s->v[first]);
	s->v[first] = xstrdup(kv);
	for (size_t i = (size_t)first + 1; i < s->n;) {
		if (strncmp(s->v[i], kv, klen) == 0 && s->v[i][klen] == '=')
			remove_at(s, i);
		else
			i++;
	}
}

const char *strv_env_get(const struct strv *s, const char *key)
{
	size_t klen = strlen(key);
	long i = env_find(s, key, klen);

	return i < 0 ? NULL : s->v[i] + klen + 1;
}
