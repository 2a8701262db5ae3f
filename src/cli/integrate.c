// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nook integrate [--remove] PROGRAM | --all: ~/.local/bin/PROGRAM -> nook, and for each of the
 * system's desktop entries that starts PROGRAM a copy in ~/.local/share/applications whose
 * Exec lines start it through nook (same desktop-file id: it overrides the system's); and the
 * other half, run_as_program(), for when nook is started as PROGRAM.
 *
 * What nook wrote is told apart from the user's own files: a link is nook's when it points to a
 * file named nook, an entry when it carries DESKTOP_MARK_KEY=true. Nothing else is replaced or
 * removed. Entries are written to a temporary file and renamed into place, so a symlink planted
 * where an entry goes is replaced, never followed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/desktop_entry.h"
#include "host/facts.h"
#include "profile/profile.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/fsutil.h"
#include "util/strv.h"

/* Where --all looks for installed programs, and which of them a menu entry may name. */
static const char *const system_bin_dirs[] = {"/usr/local/bin", "/usr/bin", "/bin", NULL};

void integrate_help(FILE *out)
{
	fputs("Usage: nook integrate PROGRAM\n"
	      "       nook integrate --remove PROGRAM\n"
	      "       nook integrate --all [--remove]\n"
	      "Put a symlink ~/.local/bin/PROGRAM -> nook, and for each desktop entry of the system\n"
	      "that starts PROGRAM a copy in ~/.local/share/applications whose Exec lines start it\n"
	      "through nook: PROGRAM started from a shell (~/.local/bin must come first in PATH)\n"
	      "or from a menu then runs in a sandbox, under its profile. Started inside a nook\n"
	      "sandbox, the link runs PROGRAM itself.\n"
	      "\n"
	      "Options:\n"
	      "  --remove    remove nook's link and entries of PROGRAM instead (never a file of yours)\n"
	      "  --all       every desktop application that has a profile in the system's directory\n"
	      "  -h, --help  show this help\n",
	      out);
}

/* A system desktop entry: its id (file name), where it is, its text and its programs. */
struct sys_entry {
	char *id;
	char *path;
	char *text;
	size_t len;
	struct strv programs; /* of Exec and TryExec, as written */
	char *error;          /* why nook cannot read it; NULL: it can */
};

struct integrate {
	struct host_facts facts;
	struct profile_env penv;
	char *self;     /* nook's own file */
	char *bin_dir;  /* ~/.local/bin */
	char *apps_dir; /* $XDG_DATA_HOME/applications; NULL: no home */
	struct sys_entry *entries;
	size_t nentries;
	bool scanned;
};

static char *self_path(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		die_errno("cannot find nook's own path");
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Started as NAME, is nook nook itself (main.c)? Such a name is never a program to integrate. */
static bool is_nook_name(const char *name)
{
	return strcmp(name, "nook") == 0 || strncmp(name, "nook-", 5) == 0;
}

/* A name integrate takes: one file name, no control character, not one of nook's own. */
static bool valid_program(const char *p)
{
	if (!p[0] || strchr(p, '/') || p[0] == '-' || p[0] == '.' || strlen(p) > NAME_MAX ||
	    is_nook_name(p))
		return false;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

enum link_state {
	LINK_ABSENT,
	LINK_SELF,    /* a link to this nook */
	LINK_NOOK,    /* a link to another file named nook (another build, an older install) */
	LINK_FOREIGN, /* anything else: the user's */
};

static enum link_state link_state(const char *link, const char *self)
{
	char target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (lstat(link, &st) < 0)
		return errno == ENOENT ? LINK_ABSENT : LINK_FOREIGN;
	if (!S_ISLNK(st.st_mode))
		return LINK_FOREIGN;
	n = readlink(link, target, sizeof target - 1);
	if (n <= 0)
		return LINK_FOREIGN;
	target[n] = '\0';
	if (strcmp(target, self) == 0)
		return LINK_SELF;
	return strcmp(path_base(target), "nook") == 0 ? LINK_NOOK : LINK_FOREIGN;
}

/* Point LINK at SELF: a new link, or one put in place of nook's old link by rename. */
static int make_link(const char *link, const char *self, enum link_state state)
{
	autofree char *tmp = NULL;

	if (state == LINK_SELF)
		return 0;
	if (state == LINK_ABSENT) {
		if (symlink(self, link) == 0)
			return 0;
		warn_errno("integrate: cannot create %s", link);
		return -1;
	}
	tmp = xasprintf("%s.nook-%ld", link, (long)getpid());
	if (symlink(self, tmp) < 0 || rename(tmp, link) < 0) {
		warn_errno("integrate: cannot replace %s", link);
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Read a regular file of at most DESKTOP_FILE_MAX bytes, not following a symlink when
 * nofollow. Returns the text (NUL-terminated, for messages only), or NULL with errno.
 */
static char *read_small_file(int dfd, const char *name, bool nofollow, size_t *len)
{
	autoclose int fd = openat(dfd, name,
				  O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK |
					  (nofollow ? O_NOFOLLOW : 0));
	struct stat st;
	autofree char *buf = NULL;
	size_t n = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return NULL;
	}
	if (st.st_size > DESKTOP_FILE_MAX) {
		errno = EFBIG;
		return NULL;
	}
	buf = xmalloc((size_t)st.st_size + 2);
	for (;;) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return NULL;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > (size_t)st.st_size) {
			errno = EFBIG; /* it grew while read */
			return NULL;
		}
	}
	buf[n] = '\0';
	*len = n;
	return steal_pointer(&buf);
}

static bool is_desktop_name(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.' || n <= strlen(".desktop") || strcmp(name + n - 8, ".desktop") != 0)
		return false;
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sys_entry *)a)->id, ((const struct sys_entry *)b)->id);
}

/*
 * The system's desktop entries: DIR/applications/ *.desktop for each DIR of $XDG_DATA_DIRS, the
 * first of an id winning as for a launcher; the user's own directory is not the system's.
 */
static void scan_entries(struct integrate *c)
{
	autofree char *dirs = xstrdup(c->facts.data_dirs);
	char *save = NULL;

	if (c->scanned)
		return;
	c->scanned = true;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		autofree char *apps = NULL;
		DIR *dir;
		struct dirent *de;

		if (d[0] != '/')
			continue;
		apps = xasprintf("%s/applications", d);
		if ((c->apps_dir && same_file(apps, c->apps_dir)) || !(dir = opendir(apps)))
			continue;
		while ((de = readdir(dir))) {
			struct sys_entry *e;
			bool seen = false;
			char err[256];

			if (!is_desktop_name(de->d_name))
				continue;
			for (size_t i = 0; i < c->nentries && !seen; i++)
				seen = strcmp(c->entries[i].id, de->d_name) == 0;
			if (seen)
				continue;
			c->entries = xreallocarray(c->entries, c->nentries + 1, sizeof *c->entries);
			e = &c->entries[c->nentries++];
			*e = (struct sys_entry){.id = xstrdup(de->d_name),
						.path = xasprintf("%s/%s", apps, de->d_name)};
			e->text = read_small_file(dirfd(dir), de->d_name, false, &e->len);
			if (!e->text)
				e->error = xasprintf("cannot read it: %s", strerror(errno));
			else if (desktop_entry_programs(e->text, e->len, &e->programs, err,
							sizeof err) < 0)
				e->error = xstrdup(err);
		}
		closedir(dir);
	}
	if (c->nentries)
		qsort(c->entries, c->nentries, sizeof *c->entries, entry_cmp);
}

/*
 * The file a program of a desktop entry names (canonical): a path's, or a name's in the
 * system's bin directories. NULL: none.
 */
static char *program_file(const char *word)
{
	if (word[0] == '/')
		return realpath(word, NULL);
	for (size_t i = 0; system_bin_dirs[i]; i++) {
		autofree char *p = xasprintf("%s/%s", system_bin_dirs[i], word);

		if (access(p, X_OK) == 0)
			return realpath(p, NULL);
	}
	return NULL;
}

/*
 * Does entry E start PROGRAM: its Exec's or TryExec's program has that base name, or is the
 * file PROGRAM is (REAL: /usr/bin/gimp -> gimp-2.10, whose entry says Exec=gimp-2.10)?
 */
static bool entry_starts(const struct sys_entry *e, const char *program, const char *real)
{
	for (size_t i = 0; i < e->programs.n; i++) {
		autofree char *file = NULL;

		if (strcmp(path_base(e->programs.v[i]), program) == 0)
			return true;
		if (real && (file = program_file(e->programs.v[i])) && strcmp(file, real) == 0)
			return true;
	}
	return false;
}

/* Is PROGRAM in the system's bin directories (and no link to nook)? */
static bool in_system_bin(const char *program)
{
	for (size_t i = 0; system_bin_dirs[i]; i++) {
		autofree char *p = xasprintf("%s/%s", system_bin_dirs[i], program);
		autofree char *real = NULL;

		if (access(p, X_OK) == 0 && (real = realpath(p, NULL)) &&
		    strcmp(path_base(real), "nook") != 0)
			return true;
	}
	return false;
}

/* Is the program WORD of a desktop entry installed: an executable path, or a bin's name? */
static bool entry_program_installed(const char *word)
{
	struct stat st;

	if (word[0] == '/')
		return stat(word, &st) == 0 && S_ISREG(st.st_mode) && access(word, X_OK) == 0;
	return in_system_bin(word);
}

/* Is this a copy nook wrote (for PROGRAM, unless NULL)? Its program to *found if not NULL. */
static bool our_entry(int dfd, const char *name, const char *program, char **found)
{
	size_t len;
	autofree char *text = read_small_file(dfd, name, true, &len);
	autofree char *owner = NULL;

	if (!text || !desktop_entry_is_ours(text, len, &owner))
		return false;
	if (program && strcmp(owner, program) != 0)
		return false;
	if (found)
		*found = steal_pointer(&owner);
	return true;
}

/* Write TEXT as DIR/NAME: a temporary file renamed over it (a symlink there is replaced). */
static int write_entry(int dfd, const char *dir, const char *name, const char *text)
{
	autofree char *tmp = xasprintf(".%s.nook-%ld", name, (long)getpid());
	size_t len = strlen(text), done = 0;
	int fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

	if (fd < 0) {
		warn_errno("integrate: cannot create %s/%s", dir, tmp);
		return -1;
	}
	while (done < len) {
		ssize_t w = write(fd, text + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	if (done < len || fchmod(fd, 0644) < 0 || close(fd) < 0) {
		warn_errno("integrate: cannot write %s/%s", dir, name);
		if (done < len)
			close(fd);
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		warn_errno("integrate: cannot rename %s/%s to %s", dir, tmp, name);
		unlinkat(dfd, tmp, 0);
		return -1;
	}
	return 0;
}

static void print_path(const char *path)
{
	fput_escaped(path, stdout);
}

/* Open the user's applications directory, creating it. -1: none (reported). */
static int open_apps_dir(const struct integrate *c)
{
	autofree char *copy = NULL;
	int fd;

	if (!c->apps_dir) {
		warnx_("integrate: no home directory for the menu entries");
		return -1;
	}
	copy = xstrdup(c->apps_dir);
	if (mkdir_p(copy, 0755) < 0) {
		warn_errno("integrate: cannot create %s", copy);
		return -1;
	}
	fd = open(c->apps_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		warn_errno("integrate: cannot open %s", c->apps_dir);
	return fd;
}

/*
 * Write the entries of PROGRAM, and remove nook's older ones of PROGRAM that no system entry
 * stands for any more. The number written goes to *count; the names of those that did not
 * exist before to *created (for undoing). Returns 0, or -1 when a file could not be written.
 */
static int write_entries(struct integrate *c, const char *program, bool print, size_t *count,
			 struct strv *created)
{
	autoclose int apps_fd = -1;
	autofree char *real = program_file(program);
	autofree char *profile = profile_find(&c->penv, program);
	struct strv written = {0};
	int r = 0;

	*count = 0;
	scan_entries(c);
	for (size_t i = 0; i < c->nentries && r == 0; i++) {
		struct sys_entry *e = &c->entries[i];
		autofree char *text = NULL;
		autofree char *dest = NULL;
		char err[256];
		struct stat st;
		bool exists;

		if (e->error) {
			/* Unreadable: worth a word only when it looks like PROGRAM's own. */
			size_t n = strlen(program);

			if (strncmp(e->id, program, n) == 0 && strcmp(e->id + n, ".desktop") == 0) {
				autofree char *shown = str_escape(e->path);

				warnx_("warning: integrate: %s: left out: %s", shown, e->error);
			}
			continue;
		}
		if (!entry_starts(e, program, real))
			continue;
		/* Under PROGRAM's profile, when it has one, whatever name the entry starts. */
		text = desktop_entry_rewrite(e->text, e->len, c->self, program,
					     profile ? program : NULL, e->path, err, sizeof err);
		if (!text) {
			autofree char *shown = str_escape(e->path);

			warnx_("warning: integrate: %s: left out: %s", shown, err);
			continue;
		}
		if (apps_fd < 0 && (apps_fd = open_apps_dir(c)) < 0) {
			r = -1;
			break;
		}
		dest = xasprintf("%s/%s", c->apps_dir, e->id);
		exists = fstatat(apps_fd, e->id, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (exists && !our_entry(apps_fd, e->id, NULL, NULL)) {
			autofree char *shown = str_escape(dest);

			warnx_("warning: integrate: %s is not nook's; left as it is", shown);
			continue;
		}
		if (write_entry(apps_fd, c->apps_dir, e->id, text) < 0) {
			r = -1;
			break;
		}
		if (!exists)
			strv_push(created, e->id);
		strv_push(&written, e->id);
		(*count)++;
		if (print) {
			print_path(dest);
			fputs(" <- ", stdout);
			print_path(e->path);
			fputc('\n', stdout);
		}
	}
	/* Refreshing: nook's entries of PROGRAM whose system entry is gone go too. */
	if (r == 0 && c->apps_dir) {
		DIR *dir = opendir(c->apps_dir);
		struct dirent *de;

		while (dir && (de = readdir(dir))) {
			bool current = false;

			if (!is_desktop_name(de->d_name))
				continue;
			for (size_t i = 0; i < written.n && !current; i++)
				current = strcmp(written.v[i], de->d_name) == 0;
			if (!current && our_entry(dirfd(dir), de->d_name, program, NULL))
				unlinkat(dirfd(dir), de->d_name, 0);
		}
		if (dir)
			closedir(dir);
	}
	strv_free(&written);
	return r;
}

/* Remove the entries named in NAMES from the user's directory (undoing a failed run). */
static void remove_created(const struct integrate *c, const struct strv *names)
{
	for (size_t i = 0; i < names->n; i++) {
		autofree char *p = xasprintf("%s/%s", c->apps_dir, names->v[i]);

		unlink(p);
	}
}

/*
 * Integrate PROGRAM: its link (when with_link), then its entries. all: --all's quiet way (a
 * link that is the user's is a warning, one line printed for the program). Returns 0, 1
 * (skipped) or -1 (failed, nothing of this run left).
 */
static int integrate_one(struct integrate *c, const char *program, bool with_link, bool all)
{
	autofree char *link = xasprintf("%s/%s", c->bin_dir, program);
	enum link_state state = link_state(link, c->self);
	struct strv created = {0};
	size_t count = 0;

	if (with_link && state == LINK_FOREIGN) {
		autofree char *shown = str_escape(link);

		if (all) {
			warnx_("warning: integrate --all: %s exists already and is not nook's; %s "
			       "left out",
			       shown, program);
			return 1;
		}
		warnx_("integrate: %s exists already; not replacing it", shown);
		return -1;
	}
	if (with_link) {
		autofree char *dir = xstrdup(c->bin_dir);

		if (mkdir_p(dir, 0755) < 0) {
			warn_errno("integrate: cannot create %s", dir);
			return -1;
		}
		if (make_link(link, c->self, state) < 0)
			return -1;
		if (!all) {
			print_path(link);
			fputs(" -> ", stdout);
			print_path(c->self);
			fputc('\n', stdout);
		}
	}
	if (write_entries(c, program, !all, &count, &created) < 0) {
		remove_created(c, &created);
		if (with_link && state == LINK_ABSENT)
			unlink(link);
		strv_free(&created);
		return -1;
	}
	strv_free(&created);
	if (all && !with_link && count == 0)
		return 1; /* nothing written: its entries were left out (with a warning) */
	if (all) {
		fputs(program, stdout);
		fputs(":", stdout);
		if (with_link) {
			fputc(' ', stdout);
			print_path(link);
		}
		if (count)
			printf("%s %zu menu entr%s", with_link ? "," : "", count,
			       count == 1 ? "y" : "ies");
		fputc('\n', stdout);
	}
	return 0;
}

/* Remove nook's link and entries of PROGRAM; an error when there is neither. */
static int remove_program(struct integrate *c, const char *program)
{
	autofree char *link = xasprintf("%s/%s", c->bin_dir, program);
	enum link_state state = link_state(link, c->self);
	struct strv entries = {0};
	DIR *dir;
	struct dirent *de;
	int r = 0;

	if (state == LINK_FOREIGN) {
		autofree char *shown = str_escape(link);

		warnx_("integrate --remove: %s is not nook's link", shown);
		return -1;
	}
	dir = c->apps_dir ? opendir(c->apps_dir) : NULL;
	while (dir && (de = readdir(dir)))
		if (is_desktop_name(de->d_name) && our_entry(dirfd(dir), de->d_name, program, NULL))
			strv_push(&entries, de->d_name);
	if (state == LINK_ABSENT && entries.n == 0) {
		warnx_("integrate --remove: %s is not integrated (no link of nook's in %s, no entry "
		       "of nook's in %s)",
		       program, c->bin_dir, c->apps_dir ? c->apps_dir : "-");
		r = -1;
	}
	if (r == 0 && state != LINK_ABSENT && unlink(link) < 0) {
		warn_errno("integrate --remove: %s", link);
		r = -1;
	}
	for (size_t i = 0; r == 0 && i < entries.n; i++)
		if (unlinkat(dirfd(dir), entries.v[i], 0) < 0) {
			warn_errno("integrate --remove: %s/%s", c->apps_dir, entries.v[i]);
			r = -1;
		}
	if (dir)
		closedir(dir);
	strv_free(&entries);
	return r;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_unique(struct strv *v, const char *s)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return;
	strv_push(v, s);
}

/* --all --remove: every link of nook's in ~/.local/bin, every entry of nook's. */
static int remove_all(struct integrate *c)
{
	struct strv programs = {0};
	DIR *dir = opendir(c->bin_dir);
	struct dirent *de;
	int r = 0;

	while (dir && (de = readdir(dir))) {
		autofree char *link = NULL;

		if (!valid_program(de->d_name))
			continue;
		link = xasprintf("%s/%s", c->bin_dir, de->d_name);
		if (link_state(link, c->self) == LINK_FOREIGN ||
		    link_state(link, c->self) == LINK_ABSENT)
			continue;
		if (unlink(link) < 0) {
			warn_errno("integrate --remove: %s", link);
			r = -1;
			continue;
		}
		push_unique(&programs, de->d_name);
	}
	if (dir)
		closedir(dir);
	dir = c->apps_dir ? opendir(c->apps_dir) : NULL;
	while (dir && (de = readdir(dir))) {
		autofree char *program = NULL;

		if (!is_desktop_name(de->d_name) ||
		    !our_entry(dirfd(dir), de->d_name, NULL, &program))
			continue;
		if (unlinkat(dirfd(dir), de->d_name, 0) < 0) {
			warn_errno("integrate --remove: %s/%s", c->apps_dir, de->d_name);
			r = -1;
			continue;
		}
		push_unique(&programs, program[0] ? program : de->d_name);
	}
	if (dir)
		closedir(dir);
	if (programs.n)
		qsort(programs.v, programs.n, sizeof *programs.v, name_cmp);
	for (size_t i = 0; i < programs.n; i++) {
		fput_escaped(programs.v[i], stdout);
		fputs(": removed\n", stdout);
	}
	strv_free(&programs);
	return r;
}

/*
 * --all: every program with a profile of its own in the system's directory that a menu entry
 * of the system starts: the desktop's applications, as firecfg picks them. Not the command
 * line's tools (git, make, ssh have profiles too): a user integrates those one by one.
 */
static int integrate_all(struct integrate *c)
{
	struct strv names = {0};
	DIR *dir = opendir(c->facts.profile_system_dir);
	struct dirent *de;
	int r = 0;

	if (!dir) {
		autofree char *shown = str_escape(c->facts.profile_system_dir);

		warn_errno("integrate --all: cannot read the system's profiles in %s", shown);
		return -1;
	}
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		struct stat st;
		autofree char *name = NULL;

		if (n <= strlen(".profile") || strcmp(de->d_name + n - 8, ".profile") != 0 ||
		    fstatat(dirfd(dir), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		name = xstrndup(de->d_name, n - 8);
		if (valid_program(name) && strcmp(name, "default") != 0)
			strv_push(&names, name);
	}
	closedir(dir);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, name_cmp);
	scan_entries(c);
	for (size_t i = 0; i < names.n && r == 0; i++) {
		const char *name = names.v[i];
		bool bin = in_system_bin(name), menu = false;

		for (size_t k = 0; k < c->nentries && !menu; k++) {
			const struct sys_entry *e = &c->entries[k];

			for (size_t j = 0; !e->error && j < e->programs.n && !menu; j++)
				menu = strcmp(path_base(e->programs.v[j]), name) == 0 &&
				       entry_program_installed(e->programs.v[j]);
		}
		if (menu)
			r = integrate_one(c, name, bin, true) < 0 ? -1 : 0;
	}
	strv_free(&names);
	return r;
}

static void integrate_free(struct integrate *c)
{
	for (size_t i = 0; i < c->nentries; i++) {
		free(c->entries[i].id);
		free(c->entries[i].path);
		free(c->entries[i].text);
		free(c->entries[i].error);
		strv_free(&c->entries[i].programs);
	}
	free(c->entries);
	free(c->self);
	free(c->bin_dir);
	free(c->apps_dir);
	host_facts_free(&c->facts);
}

int cmd_integrate(int argc, char **argv)
{
	struct integrate c = {0};
	bool remove_it = false, all = false;
	const char *program = NULL;
	int r;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			if (argc != 1) {
				program = NULL;
				all = false;
				break;
			}
			integrate_help(stdout);
			return 0;
		}
		if (strcmp(argv[i], "--remove") == 0 && !remove_it)
			remove_it = true;
		else if (strcmp(argv[i], "--all") == 0 && !all)
			all = true;
		else if (!program && argv[i][0] != '-')
			program = argv[i];
		else {
			program = NULL;
			all = false;
			break;
		}
	}
	if (all == (program != NULL)) {
		warnx_("integrate: expected PROGRAM, --remove PROGRAM, --all or --all --remove "
		       "(see 'nook integrate --help')");
		return EXIT_NOOK_FAILED;
	}
	if (program && !valid_program(program)) {
		autofree char *shown = str_escape(program);

		warnx_("integrate: %s: not a program's name (a file name, not a path nor nook's "
		       "own)",
		       shown);
		return EXIT_NOOK_FAILED;
	}
	host_facts_read(&c.facts);
	if (!c.facts.home) {
		host_facts_free(&c.facts);
		warnx_("integrate: no home directory (HOME is not set, and no passwd entry has one)");
		return EXIT_NOOK_FAILED;
	}
	profile_env_init(&c.penv, &c.facts);
	c.self = self_path();
	c.bin_dir = xasprintf("%s/.local/bin", c.facts.home);
	c.apps_dir = c.facts.data_home ? xasprintf("%s/applications", c.facts.data_home) : NULL;

	if (all && remove_it)
		r = remove_all(&c);
	else if (all)
		r = integrate_all(&c);
	else if (remove_it)
		r = remove_program(&c, program);
	else
		r = integrate_one(&c, program, true, false);
	integrate_free(&c);
	if (fflush(stdout) != 0)
		r = -1;
	return r < 0 ? EXIT_NOOK_FAILED : 0;
}

/*
 * Started as PROGRAM (through an integrate link): run the real PROGRAM, the next one of that
 * name along $PATH that is not nook, in a sandbox under PROGRAM's profile; or, inside a nook
 * sandbox already (a sandboxed shell or browser starting PROGRAM), that program itself.
 */
int run_as_program(const char *name, int argc, char **argv)
{
	struct host_facts facts;
	autofree char *self = self_path();
	autofree char *dirs = NULL;
	char *save = NULL;
	bool inside;

	host_facts_read(&facts);
	dirs = xstrdup(facts.path);
	inside = facts.in_nook;
	host_facts_free(&facts);

	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		autofree char *candidate = xasprintf("%s/%s", d, name);
		autofree char *real = NULL;

		if (access(candidate, X_OK) < 0 || !(real = realpath(candidate, NULL)) ||
		    strcmp(real, self) == 0 || strcmp(path_base(real), "nook") == 0)
			continue;
		if (inside) {
			int err;

			execv(candidate, argv);
			err = errno;
			warn_errno("%s: cannot run %s", name, candidate);
			return err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC;
		}
		{
			char **run_argv = xcalloc((size_t)argc + 3, sizeof *run_argv);
			int r;

			run_argv[0] = "--";
			run_argv[1] = candidate;
			for (int i = 1; i < argc; i++)
				run_argv[i + 1] = argv[i];
			r = cmd_run(argc + 1, run_argv);
			free(run_argv);
			return r;
		}
	}
	warnx_("%s: no program of that name along PATH but nook itself", name);
	return EXIT_NOT_FOUND;
}
