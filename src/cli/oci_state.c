// SPDX-License-Identifier: GPL-2.0-or-later
/* nook oci: the containers' state directories under the root. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/oci.h"
#include "sandbox/oci.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/fsutil.h"
#include "util/json.h"

/* The largest state.json nook writes: the config's annotations are in it. */
#define STATE_MAX (1 << 20)

int oci_id_check(const char *id)
{
	size_t len = strlen(id);

	/* A file name under the root, nothing else: runc's rule, a little stricter. */
	if (len == 0 || len > OCI_ID_MAX || strcmp(id, ".") == 0 || strcmp(id, "..") == 0 ||
	    id[0] == '.' ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789_+-.") != len) {
		/* Escaped: an id with a newline or an escape sequence is one line still. */
		autofree char *head = xstrndup(id, 64);
		autofree char *shown = str_escape(head);

		warnx_("invalid container id \"%s%s\": 1 to %d letters, digits and _+-. "
		       "(not first)",
		       shown, len > 64 ? "..." : "", OCI_ID_MAX);
		return -1;
	}
	return 0;
}

int oci_root_open(const char *root)
{
	autofree char *p = xstrdup(root);
	struct stat st;
	int fd;

	if (mkdir_p(p, 0700) < 0 && errno != EEXIST) {
		warn_errno("--root %s: cannot create it", root);
		return -1;
	}
	fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		warn_errno("--root %s", root);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	/* Whoever else could write here could plant a state that names any pid. */
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		warnx_("--root %s: not the caller's, or writable by others", root);
		close(fd);
		return -1;
	}
	return fd;
}

int oci_dir_create(int root, const char *id)
{
	int fd;

	if (mkdirat(root, id, 0700) < 0) {
		if (errno == EEXIST)
			warnx_("container %s exists already", id);
		else
			warn_errno("cannot create the state of container %s", id);
		return -1;
	}
	fd = openat(root, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		warn_errno("cannot lock the state of container %s", id);
		if (fd >= 0)
			close(fd);
		unlinkat(root, id, AT_REMOVEDIR);
		return -1;
	}
	return fd;
}

void oci_dir_remove(int root, const char *id, int dir)
{
	static const char *const files[] = {OCI_FIFO,   OCI_STARTED,          OCI_STATE,
					    OCI_CONFIG, "." OCI_STATE ".new", NULL};

	for (const char *const *f = files; *f; f++)
		if (unlinkat(dir, *f, 0) < 0 && errno != ENOENT)
			warn_errno("cannot remove %s of container %s", *f, id);
	if (unlinkat(root, id, AT_REMOVEDIR) < 0 && errno != ENOENT)
		warn_errno("cannot remove the state of container %s", id);
}

static char *read_all(int dir, const char *name, size_t *len)
{
	autoclose int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	autofree char *buf = NULL;
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return NULL;
	buf = xmalloc(STATE_MAX + 1);
	while ((r = read(fd, buf + n, STATE_MAX + 1 - n)) > 0)
		n += (size_t)r;
	if (r < 0 || n > STATE_MAX)
		return NULL;
	buf[n] = '\0';
	*len = n;
	return steal_pointer(&buf);
}

int oci_open(int root, const char *id, bool lock, struct oci_container *c)
{
	const struct jnode *pid, *start, *bundle, *created;
	autofree char *text = NULL;
	char err[256];
	int64_t v;
	uint64_t u;
	size_t len;

	memset(c, 0, sizeof *c);
	c->dir = openat(root, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (c->dir < 0) {
		if (errno == ENOENT)
			warnx_("container %s does not exist", id);
		else
			warn_errno("container %s", id);
		return -1;
	}
	if (lock && flock(c->dir, LOCK_EX) < 0) {
		warn_errno("cannot lock container %s", id);
		oci_close(c);
		return -1;
	}
	c->id = xstrdup(id);
	text = read_all(c->dir, OCI_STATE, &len);
	if (!text) {
		/* A create in progress (it holds the lock), or one that was killed. */
		warnx_("container %s does not exist (no state: being created, or its create "
		       "died)",
		       id);
		oci_close(c);
		return -1;
	}
	c->doc = json_parse(text, len, err, sizeof err);
	pid = json_get(c->doc, "pid");
	start = json_get(c->doc, "nookStartTime");
	bundle = json_get(c->doc, "bundle");
	created = json_get(c->doc, "created");
	if (!c->doc || json_int64(pid, &v) < 0 || v <= 0 || v > INT32_MAX ||
	    json_uint64(start, &u) < 0 || !bundle || bundle->type != JSON_STRING || !created ||
	    created->type != JSON_STRING) {
		warnx_("container %s: its state file is damaged", id);
		oci_close(c);
		return -1;
	}
	c->pid = (pid_t)v;
	c->start = u;
	c->bundle = xstrdup(bundle->s);
	c->created = xstrdup(created->s);
	return 0;
}

void oci_close(struct oci_container *c)
{
	if (c->dir >= 0)
		close(c->dir);
	free(c->id);
	free(c->bundle);
	free(c->created);
	json_free(c->doc);
	memset(c, 0, sizeof *c);
	c->dir = -1;
}

static void write_annotations(struct json *j, const struct jnode *a)
{
	json_key(j, "annotations");
	json_object(j);
	for (size_t i = 0; a && a->type == JSON_OBJECT && i < a->n; i++)
		if (a->items[i].type == JSON_STRING)
			json_kv_string(j, a->keys[i], a->items[i].s);
	json_end(j);
}

struct oci_state_doc oci_state_doc(const struct oci_container *c)
{
	return (struct oci_state_doc){
		.id = c->id,
		.bundle = c->bundle,
		.created = c->created,
		.annotations = json_get(c->doc, "annotations"),
	};
}

int oci_state_write(int dir, const char *id, pid_t pid, const char *bundle,
		    const struct jnode *annotations)
{
	static const char tmp[] = "." OCI_STATE ".new";
	char created[32];
	struct timespec now;
	struct json j;
	struct tm tm;
	uint64_t start;
	FILE *f;
	int fd;

	if (proc_start_time(pid, &start) < 0) {
		warnx_("container %s: its process %ld is gone already", id, (long)pid);
		return -1;
	}
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(created + strlen(created), sizeof created - strlen(created), ".%09ldZ",
		 now.tv_nsec);
	fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		warn_errno("cannot write the state of container %s", id);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	json_begin(&j, f);
	json_object(&j);
	json_kv_string(&j, "ociVersion", "1.0.2");
	json_kv_string(&j, "id", id);
	json_kv_int(&j, "pid", pid);
	json_kv_uint(&j, "nookStartTime", start);
	json_kv_string(&j, "bundle", bundle);
	json_kv_string(&j, "created", created);
	write_annotations(&j, annotations);
	json_end(&j);
	if (json_finish(&j) < 0 || fflush(f) != 0 || fsync(fileno(f)) < 0) {
		warn_errno("cannot write the state of container %s", id);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (renameat(dir, tmp, dir, OCI_STATE) < 0) {
		warn_errno("cannot write the state of container %s", id);
		return -1;
	}
	return 0;
}

int oci_config_write(int dir, const char *text, size_t len)
{
	return oci_file_write(dir, OCI_CONFIG, text, len);
}

int oci_file_write(int dir, const char *name, const char *text, size_t len)
{
	autoclose int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
				  0600);

	ssize_t n = fd >= 0 ? write(fd, text, len) : -1;

	if (n >= 0 && n != (ssize_t)len)
		errno = ENOSPC;
	return n == (ssize_t)len ? 0 : -1;
}

enum oci_status oci_status(const struct oci_container *c)
{
	uint64_t start;

	if (proc_start_time(c->pid, &start) < 0 || start != c->start)
		return OCI_STOPPED;
	return faccessat(c->dir, OCI_FIFO, F_OK, AT_SYMLINK_NOFOLLOW) == 0 ? OCI_CREATED
									   : OCI_RUNNING;
}

const char *oci_status_name(enum oci_status s)
{
	return s == OCI_CREATED ? "created" : s == OCI_RUNNING ? "running" : "stopped";
}

void oci_state_print(const struct oci_container *c, FILE *out)
{
	enum oci_status s = oci_status(c);
	struct oci_state_doc d = oci_state_doc(c);

	oci_state_json(out, &d, oci_status_name(s), s == OCI_STOPPED ? 0 : c->pid);
}
