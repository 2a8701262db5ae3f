// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The profile cache. Reading default.profile (four files, ~250 directives) is a third of a
 * millisecond of every start; what it makes of the request depends only on
 *  - the profile found, the command line's ?CONDITIONs, --strict-profile, --quiet, whether
 *    the profile is firejail's, the profile directories and nook's own binary: the key;
 *  - every file the load looked for (an include's candidates: there, or not) and read, each
 *    as it was (device, inode, size, modification and change times, in nanoseconds);
 *  - the value of each ${MACRO} it expanded (and the home, for "~");
 * never on anything else: the option table turns a value into the request without a look at
 * the system (request/options.c). So a load is kept with all of that, and taken instead of
 * loading only when the key is the same and every file and macro is still as it was; else
 * the profile is read as always, and what it made replaces the kept one. The request comes
 * back field by field (request_blob.c), with what the load printed.
 *
 * One file per key, named by its hash, holding the key itself (compared whole), in the
 * runtime directory's nook/profile-cache, private to the caller and hidden in every sandbox
 * (it is in nook's own runtime directory), written whole under another name and renamed: a
 * file that is not one of ours, or reads short or long, is ignored. At most CACHE_ENTRIES
 * are kept: the oldest go.
 */
#include "cli/profile_cache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "host/expand.h"
#include "sandbox/state.h"
#include "util/blob.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/hash.h"

#define CACHE_MAGIC "nook-profile-cache 1"
#define CACHE_ENTRIES 64
#define CACHE_FILE_MAX (4u << 20)
/* A file changed this recently may change again within the same timestamp: not kept. */
#define CACHE_SETTLE_NS (INT64_C(2) * 1000000000)

bool profile_cache_enabled(const struct host_facts *h)
{
	const char *v = getenv("NOOK_PROFILE_CACHE");

	return h->state_dir && !(v && strcmp(v, "off") == 0);
}

/* runtime/nook/profile-cache (beside the state directory runtime/nook/sandboxes)/NAME. */
static char *cache_path(const struct host_facts *h, const char *name)
{
	const char *slash = strrchr(h->state_dir, '/');

	return xasprintf("%.*s/profile-cache%s%s", (int)(slash - h->state_dir), h->state_dir,
			 name ? "/" : "", name ? name : "");
}

static char *key_text(const struct profile_cache_query *q)
{
	const struct profile_env *e = q->env;
	struct stat exe;
	char *text;

	if (stat("/proc/self/exe", &exe) < 0)
		return NULL;
	text = xasprintf("%s\nexe %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64 ".%09ld\n"
			 "profile %s\nstrict %d quiet %d firejail %d\n"
			 "conditions %d %d %d %d %d %d\nfirejail-dir %s\nuser-dir %s\n"
			 "system-dir %s\n",
			 CACHE_MAGIC, (uint64_t)exe.st_dev, (uint64_t)exe.st_ino,
			 (uint64_t)exe.st_size, (int64_t)exe.st_mtim.tv_sec, exe.st_mtim.tv_nsec,
			 q->path, q->strict, q->quiet, q->firejail, e->has_x11, e->has_wayland,
			 e->has_net, e->has_nodbus, e->has_nosound, e->has_private,
			 e->firejail_dir ? e->firejail_dir : "-",
			 q->h->profile_user_dir ? q->h->profile_user_dir : "-",
			 q->h->profile_system_dir ? q->h->profile_system_dir : "-");
	return text;
}

static void entry_name(const char *key, char *buf, size_t size)
{
	snprintf(buf, size, "%016" PRIx64, fnv1a64(FNV1A64_INIT, key, strlen(key)));
}

/*
 * The entry at PATH, mapped with its pages at once, if it is ours (the caller's, nobody
 * else's: its directory is the caller's private runtime directory's); NULL.
 */
static char *entry_map(const char *path, size_t *len)
{
	autoclose int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	void *p;

	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 077) || st.st_size == 0 || st.st_size > CACHE_FILE_MAX)
		return NULL;
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (p == MAP_FAILED)
		return NULL;
	*len = (size_t)st.st_size;
	return p;
}

/* Every file still as the load found it, every macro's value the same. */
static bool still_so(struct blob_in *b, const struct host_facts *h)
{
	uint64_t n = blob_get_max(b, 1u << 16);

	for (uint64_t i = 0; i < n && !b->bad; i++) {
		struct profile_probe p = {.path = blob_get_str(b)};
		bool holds;

		p.found = blob_get_max(b, 1);
		p.dev = blob_get_u64(b);
		p.ino = blob_get_u64(b);
		p.size = blob_get_u64(b);
		p.mtime_ns = (int64_t)blob_get_u64(b);
		p.ctime_ns = (int64_t)blob_get_u64(b);
		holds = !b->bad && p.path && profile_probe_holds(&p);
		free(p.path);
		if (!holds)
			return false;
	}
	n = blob_get_max(b, 1024);
	for (uint64_t i = 0; i < n && !b->bad; i++) {
		autofree char *name = blob_get_str(b);
		autofree char *was = blob_get_str(b);
		autofree char *now = name ? expand_macro_text(h, name) : NULL;

		if (b->bad || !was || !now || strcmp(was, now) != 0)
			return false;
	}
	return !b->bad;
}

int profile_cache_get(const struct profile_cache_query *q, struct request *ro)
{
	autofree char *key = NULL;
	autofree char *path = NULL;
	autofree char *kept_key = NULL;
	autofree char *magic = NULL;
	autofree char *messages = NULL;
	char name[32], *buf;
	struct blob_in b;
	size_t len = 0;

	if (!profile_cache_enabled(q->h) || !(key = key_text(q)))
		return -1;
	entry_name(key, name, sizeof name);
	path = cache_path(q->h, name);
	buf = entry_map(path, &len);
	if (!buf)
		return -1;
	b = (struct blob_in){.p = buf, .end = buf + len};
	magic = blob_get_str(&b);
	kept_key = blob_get_str(&b);
	if (!magic || strcmp(magic, CACHE_MAGIC) != 0 || !kept_key || strcmp(kept_key, key) != 0 ||
	    !still_so(&b, q->h) || !(messages = blob_get_str(&b)) ||
	    request_from_blob(&b, ro) < 0) {
		munmap(buf, len);
		return -1;
	}
	if (b.p != b.end) {
		request_free(ro);
		munmap(buf, len);
		return -1;
	}
	/* Left mapped: unmapping flushes the TLB, 20 us here, and nook ends with its sandbox. */
	fputs(messages, stderr);
	return 0;
}

struct aged {
	struct timespec mtime;
	char name[64];
};

static int older_first(const void *a, const void *b)
{
	const struct timespec *x = &((const struct aged *)a)->mtime;
	const struct timespec *y = &((const struct aged *)b)->mtime;

	if (x->tv_sec != y->tv_sec)
		return x->tv_sec < y->tv_sec ? -1 : 1;
	return (x->tv_nsec > y->tv_nsec) - (x->tv_nsec < y->tv_nsec);
}

/*
 * Room for one more: the oldest entries go, as many as it takes (other nooks may have added
 * theirs meanwhile), and so do temporary files of a put that died.
 */
static void make_room(int dirfd)
{
	DIR *d = dir_from_fd(fcntl(dirfd, F_DUPFD_CLOEXEC, 3));
	autofree struct aged *all = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;

		if (strlen(e->d_name) >= sizeof all->name ||
		    (e->d_name[0] == '.' &&
		     (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 128;
			all = xreallocarray(all, cap, sizeof *all);
		}
		all[n].mtime = st.st_mtim;
		snprintf(all[n].name, sizeof all[n].name, "%s", e->d_name);
		n++;
	}
	closedir(d);
	if (n < CACHE_ENTRIES)
		return;
	qsort(all, n, sizeof *all, older_first);
	for (size_t i = 0; i + CACHE_ENTRIES <= n; i++)
		(void)unlinkat(dirfd, all[i].name, 0);
}

static bool settled(const struct profile_probes *probes)
{
	struct timespec now;
	int64_t t;

	clock_gettime(CLOCK_REALTIME, &now);
	t = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	for (size_t i = 0; i < probes->n; i++)
		if (probes->v[i].found && (t - probes->v[i].mtime_ns < CACHE_SETTLE_NS ||
					   t - probes->v[i].ctime_ns < CACHE_SETTLE_NS))
			return false;
	return true;
}

/* Is probe I the same as one before it (an include found, then read)? Checked once. */
static bool probe_seen(const struct profile_probes *p, size_t i)
{
	const struct profile_probe *a = &p->v[i];

	for (size_t k = 0; k < i; k++) {
		const struct profile_probe *b = &p->v[k];

		if (strcmp(a->path, b->path) == 0 && a->found == b->found && a->dev == b->dev &&
		    a->ino == b->ino && a->size == b->size && a->mtime_ns == b->mtime_ns &&
		    a->ctime_ns == b->ctime_ns)
			return true;
	}
	return false;
}

static size_t distinct_probes(const struct profile_probes *p)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		n += !probe_seen(p, i);
	return n;
}

void profile_cache_put(const struct profile_cache_query *q, const struct request *ro,
		       const struct profile_probes *probes, const struct strv *macros,
		       const char *messages)
{
	autofree char *dir = NULL;
	autofree char *key = NULL;
	autofree char *tmp = NULL;
	autoclose int dirfd = -1;
	autoclose int fd = -1;
	struct blob_out b = {0};
	char name[32], err[256];
	struct timespec now;

	if (!profile_cache_enabled(q->h) || !settled(probes) || !(key = key_text(q)))
		return;
	dir = cache_path(q->h, NULL);
	dirfd = state_dir_open(dir, true, err, sizeof err);
	if (dirfd < 0)
		return;
	blob_put_str(&b, CACHE_MAGIC);
	blob_put_str(&b, key);
	blob_put_u64(&b, distinct_probes(probes));
	for (size_t i = 0; i < probes->n; i++) {
		const struct profile_probe *p = &probes->v[i];

		if (probe_seen(probes, i))
			continue;
		blob_put_str(&b, p->path);
		blob_put_u64(&b, p->found);
		blob_put_u64(&b, p->dev);
		blob_put_u64(&b, p->ino);
		blob_put_u64(&b, p->size);
		blob_put_u64(&b, (uint64_t)p->mtime_ns);
		blob_put_u64(&b, (uint64_t)p->ctime_ns);
	}
	blob_put_u64(&b, macros->n);
	for (size_t i = 0; i < macros->n; i++) {
		autofree char *text = expand_macro_text(q->h, macros->v[i]);

		blob_put_str(&b, macros->v[i]);
		blob_put_str(&b, text ? text : "");
	}
	blob_put_str(&b, messages ? messages : "");
	request_to_blob(ro, &b);

	make_room(dirfd);
	entry_name(key, name, sizeof name);
	clock_gettime(CLOCK_MONOTONIC, &now);
	tmp = xasprintf(".new-%ld-%ld", (long)getpid(), (long)now.tv_nsec);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0 && write(fd, b.buf, b.len) == (ssize_t)b.len) {
		if (renameat(dirfd, tmp, dirfd, name) < 0)
			(void)unlinkat(dirfd, tmp, 0);
	} else if (fd >= 0) {
		(void)unlinkat(dirfd, tmp, 0);
	}
	blob_out_free(&b);
}
