// SPDX-License-Identifier: GPL-2.0-or-later
/* nook list: the caller's running sandboxes, from their state files (sandbox/state.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/named.h"
#include "sandbox/state.h"
#include "util/err.h"
#include "util/escape.h"
#include "util/json.h"

void list_help(FILE *out)
{
	fputs("Usage: nook list [--json]\n"
	      "List the caller's running sandboxes, by name: NAME, PID (its PROGRAM's, on the\n"
	      "host), UPTIME, PROFILE, ROOT (host, or the image), OVERLAY, NET and COMMAND; a\n"
	      "sandbox still being set up shows - for what it does not have yet. --json: one\n"
	      "JSON array, for programs (nook-list(1)).\n\n"
	      "Options:\n"
	      "  --json      print the list as JSON\n"
	      "  -h, --help  show this help and exit\n\n"
	      "Exit status: 0 on success; 125 on a bad argument or another failure.\n",
	      out);
}

struct row {
	char *name;
	enum state_status status;
	struct sandbox_state st;
	int64_t uptime; /* seconds; -1: unknown */
};

/* Seconds since the process started: its start time is in clock ticks after boot. */
static int64_t uptime_of(const struct proc_id *p)
{
	struct timespec now;
	long hz = sysconf(_SC_CLK_TCK);

	if (!p->pid || hz <= 0 || clock_gettime(CLOCK_BOOTTIME, &now) < 0)
		return -1;
	return (int64_t)now.tv_sec - (int64_t)(p->start / (uint64_t)hz);
}

static void human_uptime(int64_t s, char *buf, size_t len)
{
	if (s < 0)
		snprintf(buf, len, "-");
	else if (s < 60)
		snprintf(buf, len, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", (long long)(s / 60), (long long)(s % 60));
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%02lldh", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
}

/* A profile by its name: /etc/nook/profiles/firefox.profile is firefox. */
static char *profile_short(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *base = slash ? slash + 1 : path;
	size_t len;

	if (!base)
		return xstrdup("-");
	len = strlen(base);
	if (len > 8 && strcmp(base + len - 8, ".profile") == 0)
		len -= 8;
	{
		autofree char *cut = xstrndup(base, len);

		return str_escape(cut);
	}
}

static const char *overlay_of(const struct spec *s)
{
	return s->overlay.mode == OVERLAY_NAMED ? s->overlay.name
	       : s->overlay.mode == OVERLAY_TMP ? "tmp"
						: "none";
}

static char *command_of(const struct spec *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		die_errno("open_memstream");
	for (size_t i = 0; i < s->argv.n; i++) {
		if (i)
			fputc(' ', f);
		fput_escaped(s->argv.v[i], f);
	}
	fclose(f);
	return text;
}

enum { C_NAME, C_PID, C_UPTIME, C_PROFILE, C_ROOT, C_OVERLAY, C_NET, C_COMMAND, NCOLS };

/* The PID right-aligned, COMMAND last and unpadded, the others left-aligned. */
static void print_cell(int c, int width, const char *text)
{
	if (c == NCOLS - 1)
		printf("%s\n", text);
	else if (c == C_PID)
		printf("%*s  ", width, text);
	else
		printf("%-*s  ", width, text);
}

static void print_table(struct row *rows, size_t n)
{
	static const char *const titles[NCOLS] = {"NAME", "PID",     "UPTIME", "PROFILE",
						  "ROOT", "OVERLAY", "NET",    "COMMAND"};
	char *cells[NCOLS];
	char ***all = xcalloc(n + 1, sizeof *all);
	int width[NCOLS];

	for (int c = 0; c < NCOLS; c++)
		width[c] = (int)strlen(titles[c]);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		const struct spec *s = &r->st.spec;
		bool run = r->status == STATE_RUNNING;
		char buf[32];

		cells[C_NAME] = xstrdup(r->name);
		cells[C_PID] = run ? xasprintf("%ld", (long)r->st.procs[STATE_PAYLOAD].pid)
				   : xstrdup("-");
		human_uptime(r->uptime, buf, sizeof buf);
		cells[C_UPTIME] = xstrdup(buf);
		cells[C_PROFILE] = run ? profile_short(s->profile) : xstrdup("-");
		cells[C_ROOT] = !run                           ? xstrdup("-")
				: strcmp(r->st.root, "/") == 0 ? xstrdup("host")
							       : str_escape(r->st.root);
		cells[C_OVERLAY] = xstrdup(run ? overlay_of(s) : "-");
		cells[C_NET] = xstrdup(run ? enum_to_name(net_mode_names, (int)s->net.mode) : "-");
		cells[C_COMMAND] = run ? command_of(s) : xstrdup("-");
		all[i] = xcalloc(NCOLS, sizeof(char *));
		for (int c = 0; c < NCOLS; c++) {
			all[i][c] = cells[c];
			if ((int)strlen(cells[c]) > width[c])
				width[c] = (int)strlen(cells[c]);
		}
	}
	for (int c = 0; c < NCOLS; c++)
		print_cell(c, width[c], titles[c]);
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < NCOLS; c++) {
			print_cell(c, width[c], all[i][c]);
			free(all[i][c]);
		}
		free(all[i]);
	}
	free(all);
}

static void json_proc(struct json *j, const char *key, const struct proc_id *p)
{
	if (p->pid)
		json_kv_int(j, key, p->pid);
	else {
		json_key(j, key);
		json_null(j);
	}
}

static int print_json(struct row *rows, size_t n)
{
	struct json j;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	json_begin(&j, stdout);
	json_array(&j);
	for (size_t i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		const struct spec *s = &r->st.spec;
		bool run = r->status == STATE_RUNNING;

		json_object(&j);
		json_kv_string(&j, "name", r->name);
		json_kv_string(&j, "state", run ? "running" : "starting");
		json_proc(&j, "pid", &r->st.procs[STATE_PAYLOAD]);
		json_proc(&j, "init_pid", &r->st.procs[STATE_INIT]);
		json_proc(&j, "monitor_pid", &r->st.procs[STATE_MONITOR]);
		json_key(&j, "started");
		if (r->uptime >= 0)
			json_int(&j, (int64_t)now.tv_sec - r->uptime);
		else
			json_null(&j);
		json_key(&j, "uptime");
		if (r->uptime >= 0)
			json_int(&j, r->uptime);
		else
			json_null(&j);
		json_kv_string(&j, "profile", run ? s->profile : NULL);
		json_kv_string(&j, "root", run ? r->st.root : NULL);
		json_kv_string(&j, "overlay", run ? overlay_of(s) : NULL);
		json_kv_string(&j, "net",
			       run ? enum_to_name(net_mode_names, (int)s->net.mode) : NULL);
		json_key(&j, "command");
		if (run) {
			json_array(&j);
			for (size_t k = 0; k < s->argv.n; k++)
				json_string(&j, s->argv.v[k]);
			json_end(&j);
		} else {
			json_null(&j);
		}
		json_end(&j);
	}
	json_end(&j);
	return json_finish(&j);
}

int cmd_list(int argc, char **argv)
{
	struct strv names = {0};
	struct row *rows;
	bool json = false;
	int dir, r = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			list_help(stdout);
			return fflush(stdout) == 0 ? 0 : EXIT_NOOK_FAILED;
		}
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
			continue;
		}
		{
			autofree char *shown = str_escape(argv[i]);

			warnx_("list: unexpected argument '%s' (it takes only --json)", shown);
		}
		return EXIT_NOOK_FAILED;
	}
	dir = state_dir_for("list", true);
	if (dir < 0 && errno != ENOENT)
		return EXIT_NOOK_FAILED;
	if (dir >= 0)
		state_list(dir, &names);
	rows = xcalloc(names.n + 1, sizeof *rows);
	for (size_t i = 0; i < names.n; i++) {
		rows[i].name = names.v[i];
		rows[i].status = state_read(dir, names.v[i], &rows[i].st);
		rows[i].uptime = rows[i].status == STATE_RUNNING
					 ? uptime_of(&rows[i].st.procs[STATE_INIT])
					 : -1;
	}
	/* Gone between the listing and the reading: not listed. */
	{
		size_t kept = 0;

		for (size_t i = 0; i < names.n; i++) {
			if (rows[i].status == STATE_GONE)
				continue;
			rows[kept++] = rows[i];
		}
		if (json)
			r = print_json(rows, kept) == 0 ? 0 : EXIT_NOOK_FAILED;
		else
			print_table(rows, kept);
		for (size_t i = 0; i < kept; i++)
			sandbox_state_free(&rows[i].st);
	}
	free(rows);
	strv_free(&names);
	if (dir >= 0)
		close(dir);
	return fflush(stdout) == 0 ? r : EXIT_NOOK_FAILED;
}
