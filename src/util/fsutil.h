/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_FSUTIL_H
#define NOOK_FSUTIL_H

#include <stdint.h>
#include <sys/types.h>

/*
 * mkdir -p of an absolute path: new directories get mode. Returns 0, or -1 with errno, path
 * then cut at the directory that could not be made (for the message).
 */
int mkdir_p(char *path, mode_t mode);

/*
 * openat2(2) with these fields of struct open_how, tried again while the kernel answers EAGAIN
 * (a rename raced the lookup), a bounded number of times. Returns the fd, or -1 with errno.
 */
int openat2_retry(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

#endif
