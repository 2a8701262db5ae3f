// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/fsutil.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int mkdir_p(char *path, mode_t mode)
{
	for (char *slash = strchr(path + 1, '/');; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		if (mkdir(path, mode) < 0 && errno != EEXIST)
			return -1;
		if (!slash)
			return 0;
		*slash = '/';
	}
}
