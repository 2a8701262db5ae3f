/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_REQUEST_H
#define NOOK_REQUEST_H

/*
 * What the user asked for, before any defaults or machine facts: filled by the option table
 * (from the command line, and from profiles), turned into a spec by spec_build().
 */

#include <stdbool.h>

#include "policy/fs.h"
#include "policy/net.h"
#include "policy/overlay.h"
#include "policy/security.h"
#include "spec.h"
#include "util/strv.h"

struct run_options {
	enum userns_mode userns;
	char *rootfs;              /* NULL: the host's "/" */
	struct mount_op *mounts;   /* --bind, --ro-bind, --tmpfs in the order given */
	size_t nmounts;
	char *hostname;
	char *chdir;
	struct strv env_edits;     /* "KEY=VALUE" sets, "KEY" unsets, applied in order */
	struct security_request sec;
	struct net_request net;
	struct overlay_request overlay;
	struct fs_request fs;
	char *profile;             /* --profile */
	char *profile_path;        /* the profile file that was read, if any */
	bool noprofile;
	bool strict_profile;
	bool quiet;
	bool dry_run;
	struct strv argv;
};

void run_options_init(struct run_options *ro);
void run_options_free(struct run_options *ro);

#endif
