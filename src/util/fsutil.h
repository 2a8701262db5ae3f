/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_FSUTIL_H
#define NOOK_FSUTIL_H

#include <dirent.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * mkdir -p of an absolute path: new directories get mode. Returns 0, or -1 with errno, path
 * then cut at the directory that could not be made (for the message).
 */
int mkdir_p(char *path, mode_t mode);

/* Close every fd from FROM on but the N in KEEP (those below FROM, and -1, are ignored). */
void close_fds_but(unsigned from, const int *keep, size_t n);

/*
 * A DIR for the open directory FD, which it then owns (closedir closes FD); NULL when FD is
 * -1 or fdopendir fails, FD closed then too. So that `dir_from_fd(openat(...))` leaks nothing.
 */
DIR *dir_from_fd(int fd);

/* The last component of PATH (within it; PATH itself when it ends in "/" or has no "/"). */
const char *path_base(const char *path);

/*
 * openat2(2) with these fields of struct open_how, tried again while the kernel answers EAGAIN
 * (a rename raced the lookup), a bounded number of times. Returns the fd, or -1 with errno.
 */
int openat2_retry(int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve);

/*
 * PATH under the directory ROOT, resolved as if ROOT were "/" (RESOLVE_IN_ROOT, no magic
 * links), so that a symlink planted in an image stays in the image; opened with FLAGS
 * (O_CLOEXEC added). By openat2, or where the kernel lacks it (before 5.6; valgrind too),
 * by openat_in_root_walk(). Returns the fd, or -1 with errno.
 */
int openat_in_root(int root, const char *path, int flags);
/*
 * The same by hand: component by component with O_NOFOLLOW, a symlink's target read and
 * resolved from ROOT when it is absolute (at most 40 of them), ".." never above ROOT; the
 * last component is opened with FLAGS and O_NOFOLLOW from its directory.
 */
int openat_in_root_walk(int root, const char *path, int flags);

#endif
