// SPDX-License-Identifier: GPL-2.0-or-later
#include "policy/request.h"

#include <stdlib.h>
#include <string.h>

void run_options_init(struct run_options *ro)
{
	memset(ro, 0, sizeof *ro);
	ro->userns = USERNS_KEEP_ID;
	security_request_init(&ro->sec);
}

void run_options_free(struct run_options *ro)
{
	for (size_t i = 0; i < ro->nmounts; i++) {
		free(ro->mounts[i].src);
		free(ro->mounts[i].dest);
		free(ro->mounts[i].origin);
	}
	free(ro->mounts);
	free(ro->rootfs);
	free(ro->hostname);
	free(ro->chdir);
	free(ro->profile);
	free(ro->profile_path);
	strv_free(&ro->env_edits);
	strv_free(&ro->argv);
	security_request_free(&ro->sec);
	net_request_free(&ro->net);
	overlay_request_free(&ro->overlay);
	fs_request_free(&ro->fs);
	memset(ro, 0, sizeof *ro);
}
