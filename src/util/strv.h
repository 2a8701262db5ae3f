/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_STRV_H
#define NOOK_STRV_H

#include <stddef.h>

/* A NULL-terminated, growable vector of owned strings (argv, envp). */
struct strv {
	char **v;
	size_t n;
	size_t cap;
};

void strv_push(struct strv *s, const char *str); /* copies str */
void strv_push_owned(struct strv *s, char *str); /* takes str */
void strv_free(struct strv *s);
/* Environment helpers: entries are "KEY=VALUE". */
void strv_env_set(struct strv *s, const char *kv);
void strv_env_unset(struct strv *s, const char *key);
const char *strv_env_get(const struct strv *s, const char *key);

#endif
