/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_HOST_ENVFILE_H
#define NOOK_HOST_ENVFILE_H

#include <stddef.h>

#include "util/strv.h"

/*
 * The KEY=VALUE lines of an --env-file, taken as they are (no quotes, no expansion); blank
 * lines and "#" comments skipped. Returns 0, or -1 with "FILE:LINE: why" (or "FILE: why") in
 * err.
 */
int host_read_env_file(const char *path, struct strv *out, char *err, size_t errlen);

#endif
