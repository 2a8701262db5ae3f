// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The annotation run.nook.profile: its profile found as nook run --profile finds it (the
 * caller's profile directory, then the system's; an absolute path as it is) and read by the
 * same parser, includes and all, but against the container's facts: ${HOME} is the
 * container process's HOME (else its user's home in the image's /etc/passwd, else /root),
 * ${PATH} its PATH, ${CFG}'s files are read in the image, ?HAS_X11 and ?HAS_WAYLAND look at
 * its environment. The profile's warnings become notes for the runtime's log; its errors
 * refuse the container. What of it applies is policy/oci_profile.c's.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/oci.h"
#include "host/facts.h"
#include "host/passwd.h"
#include "policy/oci.h"
#include "profile/profile.h"
#include "util/err.h"
#include "util/hash.h"

#define PREFIX "annotations." OCI_ANNOTATION_PROFILE

/* When the process has no PATH: what runc's and podman's images get. */
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static const char *string_of(const struct jnode *v)
{
	return v && v->type == JSON_STRING ? v->s : NULL;
}

/*
 * The container's facts, as far as a profile's expansion needs them. Only the shape is
 * looked at here: oci_spec_build() refuses a config that is not valid after this.
 */
static void container_facts(const struct jnode *config, const char *bundle, struct strv *env,
			    struct host_facts *f)
{
	const struct jnode *process = json_get(config, "process");
	const struct jnode *list = json_get(process, "env");
	const struct jnode *uid = json_get(json_get(process, "user"), "uid");
	const char *root = string_of(json_get(json_get(config, "root"), "path"));
	const char *cwd = string_of(json_get(process, "cwd"));
	const char *home, *path, *cfg;
	uint64_t id = 0;

	for (size_t i = 0; list && list->type == JSON_ARRAY && i < list->n; i++)
		if (string_of(&list->items[i]))
			strv_push(env, list->items[i].s);
	if (!env->v)
		env->v = xcalloc(1, sizeof *env->v);
	if (uid && uid->type == JSON_NUMBER && (json_uint64(uid, &id) < 0 || id > UINT32_MAX))
		id = 0;
	memset(f, 0, sizeof *f);
	f->uid = (uid_t)id;
	f->environ = env->v;
	if (root)
		f->files_root = root[0] == '/' ? xstrdup(root) : xasprintf("%s/%s", bundle, root);
	home = strv_env_get(env, "HOME");
	if (home && home[0] == '/') {
		f->home = xstrdup(home);
	} else if (f->files_root) {
		struct root_ids ids;
		const struct passwd_entry *u;

		host_read_root_ids(f->files_root, NULL, &ids);
		u = root_ids_user_by_uid(&ids, (uint32_t)id);
		if (u && u->home && u->home[0] == '/')
			f->home = xstrdup(u->home);
		root_ids_free(&ids);
	}
	if (!f->home)
		f->home = xstrdup("/root");
	path = strv_env_get(env, "PATH");
	f->path = xstrdup(path ? path : DEFAULT_PATH);
	cfg = strv_env_get(env, "XDG_CONFIG_HOME");
	if (cfg && cfg[0] == '/')
		f->config_home = xstrdup(cfg);
	f->runuser = xasprintf("/run/user/%u", (unsigned)id);
	if (cwd && cwd[0] == '/')
		f->cwd = xstrdup(cwd);
}

/*
 * The parser's lines ("nook: FILE:LINE: [warning: ]..."): warnings into NOTES, the first
 * error into ERR (when the profile had errors: ERR not NULL).
 */
static void parser_lines(char *text, struct strv *notes, char *err, size_t errlen)
{
	bool error = !err;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "nook: ", 6) == 0)
			line += 6;
		if (strstr(line, ": warning: ")) {
			strv_push_owned(notes, xasprintf(PREFIX ": %s", line));
		} else if (!error) {
			set_error(err, errlen, PREFIX ": %s", line);
			error = true;
		}
	}
	if (!error)
		set_error(err, errlen, PREFIX ": the profile has errors");
}

int oci_profile_read(const struct jnode *config, const char *bundle, struct request *ro,
		     struct strv *notes, char *err, size_t errlen)
{
	const struct jnode *a = json_get(json_get(config, "annotations"), OCI_ANNOTATION_PROFILE);
	struct host_facts caller, f;
	struct profile_env env;
	struct profile_loader loader;
	struct strv process_env = {0};
	autofree char *path = NULL, *diag = NULL;
	size_t diag_len = 0;
	int r = 1;

	request_init(ro);
	if (!a)
		return 0;
	if (a->type != JSON_STRING || !a->s[0])
		return set_error(err, errlen, PREFIX ": must be a profile's name or absolute path");
	if (strchr(a->s, '/') && a->s[0] != '/')
		return set_error(err, errlen, PREFIX ": %s: a path must be absolute", a->s);
	container_facts(config, bundle, &process_env, &f);
	/* The profile directories are the caller's, as nook run's. */
	host_facts_read(&caller);
	f.profile_user_dir = steal_pointer(&caller.profile_user_dir);
	f.profile_system_dir = steal_pointer(&caller.profile_system_dir);
	host_facts_free(&caller);
	profile_env_init(&env, &f);
	path = profile_find(&env, a->s);
	if (!path) {
		r = set_error(err, errlen, PREFIX ": %s: no such profile (looked in %s and %s)",
			      a->s, f.profile_user_dir ? f.profile_user_dir : "-",
			      f.profile_system_dir);
		goto out;
	}
	profile_loader_init(&loader, ro, &env);
	loader.directives = true;
	loader.diag = open_memstream(&diag, &diag_len);
	if (!loader.diag)
		die("out of memory");
	if (profile_load(&loader, path) < 0)
		r = -1;
	fclose(loader.diag);
	if (diag)
		parser_lines(diag, notes, r < 0 ? err : NULL, errlen);
	ro->profile_path = steal_pointer(&path);
	ro->profile_files = loader.loaded;
	loader.loaded = (struct strv){0};
	profile_loader_free(&loader);
out:
	f.environ = NULL;
	host_facts_free(&f);
	strv_free(&process_env);
	return r;
}

char *oci_profile_sum(const struct request *profile)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		die_errno("open_memstream");
	for (size_t i = 0; i < profile->profile_files.n; i++) {
		const char *path = profile->profile_files.v[i];
		uint64_t h = FNV1A64_INIT;
		autoclose int fd = open(path, O_RDONLY | O_CLOEXEC);
		unsigned char buf[8192];
		ssize_t n;

		while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0)
			h = fnv1a64(h, buf, (size_t)n);
		fprintf(out, "%016" PRIx64 " %s\n", fd >= 0 ? h : 0, path);
	}
	if (fclose(out) != 0)
		die_errno("open_memstream");
	return text;
}
