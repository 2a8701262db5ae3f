// SPDX-License-Identifier: GPL-2.0-or-later
/* What a sandbox must not reach or change: read-only and noexec paths, blacklists, sockets. */
#include "policy/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/err.h"

/* What the mechanism puts over a hidden path: nothing to write, execute or open as a device. */
#define MASK_FLAGS (MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC)

void fs_mask(struct spec *s, const char *path, unsigned extra_flags, const char *origin)
{
	spec_add_mount(s, MOUNT_MASK, NULL, path, MASK_FLAGS | extra_flags, origin);
}

struct mask_ref {
	const char *dest;
	size_t i;
};

static int mask_ref_cmp(const void *a, const void *b)
{
	const struct mask_ref *x = a, *y = b;
	int c = strcmp(x->dest, y->dest);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

/*
 * Profiles name one path many times (through ${PATH}, includes): one mount is enough, the
 * last (nothing placed after it can cover it), and optional only if every one was. Sorted
 * once at the end, not searched at each add: a desktop profile has ~500 masks.
 */
void fs_masks_dedupe(struct spec *s)
{
	struct mask_ref *refs = xcalloc(s->nmounts + 1, sizeof *refs);
	bool *drop = xcalloc(s->nmounts + 1, sizeof *drop);
	size_t n = 0;

	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_MASK)
			refs[n++] = (struct mask_ref){s->mounts[i].dest, i};
	qsort(refs, n, sizeof *refs, mask_ref_cmp);
	for (size_t k = 1; k < n; k++)
		if (strcmp(refs[k].dest, refs[k - 1].dest) == 0) {
			struct mount_op *gone = &s->mounts[refs[k - 1].i];

			drop[refs[k - 1].i] = true;
			if (!(gone->flags & MOUNT_F_OPTIONAL))
				s->mounts[refs[k].i].flags &= ~(unsigned)MOUNT_F_OPTIONAL;
		}
	spec_drop_mounts(s, drop);
	free(refs);
	free(drop);
}

bool fs_hidden(const struct spec *s, const char *path)
{
	for (size_t i = 0; i < s->nmounts; i++)
		if (s->mounts[i].kind == MOUNT_MASK && fs_under(path, s->mounts[i].dest))
			return true;
	return false;
}

/*
 * A blacklist holds unless a noblacklist names it; one given on the command line holds
 * against the profile's noblacklist too (the command line wins), not against its own.
 */
static void add_blacklists(const struct fs_request *r, const char *home, struct spec *s)
{
	/* One list for every line, its paths handed to the spec (fs_add_each's way). */
	struct strv expanded = {0};

	for (size_t i = 0; i < r->blacklist.n; i++) {
		const struct req_value *b = &r->blacklist.v[i];

		expanded.n = 0;
		fs_expand(b->value, home, s, &expanded);
		for (size_t j = 0; j < expanded.n; j++) {
			if (!fs_list_matches(&r->noblacklist, expanded.v[j], b->cli, home))
				spec_add_mount_owned(s, MOUNT_MASK, NULL, expanded.v[j], MASK_FLAGS,
						     "blacklist");
			else
				free(expanded.v[j]);
			expanded.v[j] = NULL;
		}
	}
	strv_free(&expanded);
}

static void add_machine_id(struct spec *s)
{
	char id[34];
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();

	/* Not a secret: just not the host's, so the sandbox cannot be tied to it. */
	if (getentropy(id, 16) < 0)
		for (int i = 0; i < 16; i++)
			id[i] = (char)rand_r(&seed);
	for (int i = 15; i >= 0; i--) {
		unsigned char b = (unsigned char)id[i];

		id[2 * i] = "0123456789abcdef"[b >> 4];
		id[2 * i + 1] = "0123456789abcdef"[b & 15];
	}
	id[32] = '\n';
	id[33] = '\0';
	spec_add_mount(s, MOUNT_FILE, id, "/etc/machine-id",
		       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC,
		       "machine-id");
	/* D-Bus keeps its own copy; where it is a file of its own, cover it too. */
	spec_add_mount(s, MOUNT_FILE, id, "/var/lib/dbus/machine-id",
		       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC |
			       MOUNT_F_OPTIONAL,
		       "machine-id");
}

int fs_build_masks(const struct fs_request *r, const struct session_facts *f, struct spec *s)
{
	/* Read-only and noexec after the binds, so that they hold on a bound directory too. */
	fs_add_each(&r->read_only, MOUNT_RESTRICT, MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		    "read-only", f->home, s);
	fs_add_each(&r->noexec, MOUNT_RESTRICT, MOUNT_F_NOEXEC | MOUNT_F_NOSUID | MOUNT_F_NODEV,
		    "noexec", f->home, s);
	add_blacklists(r, f->home, s);
	if (r->dns) {
		autofree char *text = xasprintf("nameserver %s\n", r->dns);

		spec_add_mount(s, MOUNT_FILE, text, "/etc/resolv.conf",
			       MOUNT_F_RDONLY | MOUNT_F_NOSUID | MOUNT_F_NODEV | MOUNT_F_NOEXEC,
			       "dns");
	}
	if (r->machine_id)
		add_machine_id(s);
	return 0;
}
