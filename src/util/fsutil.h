/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_FSUTIL_H
#define NOOK_FSUTIL_H

#include <sys/types.h>

/*
 * mkdir -p of an absolute path: new directories get mode. Returns 0, or -1 with errno, path
 * then cut at the directory that could not be made (for the message).
 */
int mkdir_p(char *path, mode_t mode);

#endif
