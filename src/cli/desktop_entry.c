// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Desktop entries for nook integrate: which program an entry starts, and the copy that starts
 * it through nook. An Exec value is read in two steps, as the specification has it: first as a
 * string (\s \n \t \r \\), then split into arguments (double quotes, inside which \" \` \$ \\
 * stand for the character; %% for %). The copy changes an Exec line only by putting nook's
 * path before the program's word, so the rest of the line (its quoting, its field codes) is
 * the system's, byte for byte.
 */
#include "cli/desktop_entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "util/fsutil.h"

/* One line of the text, without its newline. */
struct line {
	const char *p;
	size_t n;
};

/* The group a line is in. */
enum group { GROUP_NONE, GROUP_ENTRY, GROUP_ACTION, GROUP_OTHER };

static bool is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* The bounds and the characters every desktop file nook reads must keep to. */
static int check_text(const char *text, size_t len, char *err, size_t errlen)
{
	size_t line_start = 0, lineno = 1;

	if (len > DESKTOP_FILE_MAX)
		return set_error(err, errlen, "longer than %d bytes", DESKTOP_FILE_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '\n') {
			line_start = i + 1;
			lineno++;
			continue;
		}
		if (i - line_start >= DESKTOP_LINE_MAX)
			return set_error(err, errlen, "line %zu: longer than %d bytes", lineno,
					 DESKTOP_LINE_MAX);
		if (c == '\0')
			return set_error(err, errlen, "line %zu: a NUL byte", lineno);
		if (is_control(c) && c != '\t')
			return set_error(err, errlen, "line %zu: a control character (\\x%02x)",
					 lineno, c);
	}
	return 0;
}

/* The next line of text from *pos, or false at the end. */
static bool next_line(const char *text, size_t len, size_t *pos, struct line *l)
{
	const char *nl;

	if (*pos >= len)
		return false;
	l->p = text + *pos;
	nl = memchr(l->p, '\n', len - *pos);
	l->n = nl ? (size_t)(nl - l->p) : len - *pos;
	*pos += l->n + (nl ? 1 : 0);
	return true;
}

static bool line_is(const struct line *l, const char *s)
{
	return l->n == strlen(s) && memcmp(l->p, s, l->n) == 0;
}

static bool line_starts(const struct line *l, const char *s)
{
	return l->n >= strlen(s) && memcmp(l->p, s, strlen(s)) == 0;
}

/* The group a header line opens, or GROUP_NONE when the line is no header. */
static enum group header_group(const struct line *l)
{
	if (l->n < 2 || l->p[0] != '[' || l->p[l->n - 1] != ']')
		return GROUP_NONE;
	if (line_is(l, "[Desktop Entry]"))
		return GROUP_ENTRY;
	if (line_starts(l, "[Desktop Action ") && l->n > strlen("[Desktop Action ]"))
		return GROUP_ACTION;
	return GROUP_OTHER;
}

/*
 * A "Key=Value" line: the key (spaces before "=" dropped) and where the value starts (spaces
 * after it skipped). False for a blank line, a comment, a header or a line without "=".
 */
static bool key_value(const struct line *l, struct line *key, struct line *value)
{
	const char *eq;

	if (l->n == 0 || l->p[0] == '#' || l->p[0] == '[')
		return false;
	eq = memchr(l->p, '=', l->n);
	if (!eq)
		return false;
	key->p = l->p;
	key->n = (size_t)(eq - l->p);
	while (key->n > 0 && (key->p[key->n - 1] == ' ' || key->p[key->n - 1] == '\t'))
		key->n--;
	value->p = eq + 1;
	value->n = (size_t)(l->p + l->n - value->p);
	while (value->n > 0 && (value->p[0] == ' ' || value->p[0] == '\t')) {
		value->p++;
		value->n--;
	}
	return key->n > 0;
}

/*
 * A value read as a string: \s \n \t \r \\ are the character; any other backslash stays as it
 * is. pos[i] is where the i-th character of the result starts in the raw value.
 */
static char *unescape_string(const struct line *v, size_t *pos)
{
	char *out = xmalloc(v->n + 1);
	size_t o = 0;

	for (size_t i = 0; i < v->n; o++) {
		char c = v->p[i];

		if (pos)
			pos[o] = i;
		if (c == '\\' && i + 1 < v->n && v->p[i + 1] && strchr("sntr\\", v->p[i + 1])) {
			static const char from[] = "sntr\\", to[] = " \n\t\r\\";

			c = to[strchr(from, v->p[i + 1]) - from];
			i += 2;
		} else {
			i++;
		}
		out[o] = c;
	}
	out[o] = '\0';
	if (pos)
		pos[o] = v->n;
	return out;
}

/* The arguments of an Exec value, each with where it starts in the raw value. */
struct exec_args {
	struct strv words;
	size_t *starts;
};

static void exec_args_free(struct exec_args *a)
{
	strv_free(&a->words);
	free(a->starts);
	a->starts = NULL;
}

static int split_exec(const struct line *v, struct exec_args *a, char *err, size_t errlen)
{
	autofree size_t *pos = xcalloc(v->n + 1, sizeof *pos);
	autofree char *s = unescape_string(v, pos);
	autofree char *word = xmalloc(v->n + 1);
	size_t len = strlen(s), w = 0;
	bool in_word = false, quoted = false;

	*a = (struct exec_args){0};
	a->starts = xcalloc(v->n + 1, sizeof *a->starts);
	for (size_t i = 0; i <= len; i++) {
		char c = s[i];

		if (c == '\0' || (!quoted && (c == ' ' || c == '\t' || c == '\n'))) {
			if (c == '\0' && quoted)
				break;
			if (in_word) {
				word[w] = '\0';
				strv_push(&a->words, word);
				in_word = false;
			}
			continue;
		}
		if (!in_word) {
			a->starts[a->words.n] = pos[i];
			in_word = true;
			w = 0;
		}
		if (c == '"') {
			quoted = !quoted;
		} else if (quoted && c == '\\' && s[i + 1] && strchr("\"`$\\", s[i + 1])) {
			word[w++] = s[++i];
		} else if (c == '%' && s[i + 1] == '%') {
			word[w++] = '%';
			i++;
		} else {
			word[w++] = c;
		}
	}
	if (quoted) {
		exec_args_free(a);
		return set_error(err, errlen, "Exec: a quote is not closed");
	}
	if (a->words.n == 0) {
		exec_args_free(a);
		return set_error(err, errlen, "Exec: no program");
	}
	return 0;
}

/* NAME=VALUE, as env(1) takes it before the program. */
static bool is_assignment(const char *w)
{
	const char *eq = strchr(w, '=');

	if (!eq || eq == w || (w[0] >= '0' && w[0] <= '9'))
		return false;
	for (const char *p = w; p < eq; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9')))
			return false;
	return true;
}

/*
 * Which argument is the program: the first, or the one after "env NAME=VALUE..." (with an
 * option of env's or a field code there, env itself).
 */
static size_t program_index(const struct exec_args *a)
{
	size_t i = 1;

	if (strcmp(path_base(a->words.v[0]), "env") != 0)
		return 0;
	while (i < a->words.n && is_assignment(a->words.v[i]))
		i++;
	return i < a->words.n && !strchr("-%", a->words.v[i][0]) ? i : 0;
}

int desktop_entry_programs(const char *text, size_t len, struct strv *names, char *err,
			   size_t errlen)
{
	enum group g = GROUP_NONE;
	bool entry = false;
	size_t pos = 0;
	struct line l, key, value;

	if (check_text(text, len, err, errlen) < 0)
		return -1;
	while (next_line(text, len, &pos, &l)) {
		enum group h = header_group(&l);

		if (h != GROUP_NONE) {
			g = h;
			entry = entry || h == GROUP_ENTRY;
			continue;
		}
		if (g != GROUP_ENTRY || !key_value(&l, &key, &value))
			continue;
		if (line_is(&key, "Exec")) {
			struct exec_args a;

			if (split_exec(&value, &a, err, errlen) < 0)
				return -1;
			strv_push(names, a.words.v[program_index(&a)]);
			exec_args_free(&a);
		} else if (line_is(&key, "TryExec")) {
			autofree char *s = unescape_string(&value, NULL);

			strv_push(names, s);
		}
	}
	if (!entry)
		return set_error(err, errlen, "no [Desktop Entry] group");
	return 0;
}

/* Is this an absolute path without a character the specification reserves? */
static bool has_reserved(const char *s)
{
	return strpbrk(s, " \t\n\"'\\><~|&;$*?#()`") != NULL;
}

char *desktop_exec_quote(const char *arg)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);
	bool quote = has_reserved(arg);

	if (!out)
		die_errno("cannot allocate memory");
	for (const char *p = arg; *p; p++)
		if (is_control((unsigned char)*p)) {
			fclose(out);
			free(buf);
			return NULL;
		}
	if (quote)
		fputc('"', out);
	for (const char *p = arg; *p; p++) {
		if (quote && strchr("\"`$\\", *p))
			/* \ before it (for the quoting), written \\ (for the string). */
			fputs("\\\\", out);
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '%')
			fputs("%%", out);
		else
			fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
	if (fclose(out) != 0)
		die_errno("cannot allocate memory");
	return buf;
}

/* A value for a string key: "\" written "\\". */
static void put_string(FILE *out, const char *s)
{
	for (; *s; s++)
		if (*s == '\\')
			fputs("\\\\", out);
		else
			fputc(*s, out);
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if (is_control((unsigned char)*s) || (unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * The Exec line VALUE, starting its program through NOOK (quoted already); under PROFILE
 * (with PROFILE_ARG, its --profile= quoted) when its program has another base name.
 */
static int put_exec(FILE *out, const struct line *value, const char *nook, const char *profile,
		    const char *profile_arg, char *err, size_t errlen)
{
	struct exec_args a;
	size_t i, start;
	const char *program;

	if (split_exec(value, &a, err, errlen) < 0)
		return -1;
	i = program_index(&a);
	program = a.words.v[i];
	start = a.starts[i];
	fputs("Exec=", out);
	if (strcmp(path_base(program), "nook") == 0) {
		/* Through nook already. */
		fwrite(value->p, 1, value->n, out);
	} else {
		fwrite(value->p, 1, start, out);
		fprintf(out, "%s ", nook);
		if (profile && strcmp(path_base(program), profile) != 0)
			fprintf(out, "%s ", profile_arg);
		/* A bare name could be one of nook's commands: "--" says it is the program. */
		if (program[0] != '/')
			fputs("-- ", out);
		fwrite(value->p + start, 1, value->n - start, out);
	}
	fputc('\n', out);
	exec_args_free(&a);
	return 0;
}

char *desktop_entry_rewrite(const char *text, size_t len, const char *nook, const char *program,
			    const char *profile, const char *source, char *err, size_t errlen)
{
	autofree char *quoted = NULL;
	autofree char *profile_arg = NULL;
	char *buf = NULL;
	size_t size = 0, pos = 0;
	FILE *out;
	enum group g = GROUP_NONE;
	bool entry = false, main_exec = false;
	struct line l, key, value;
	int r = 0;

	if (check_text(text, len, err, errlen) < 0)
		return NULL;
	if (nook[0] != '/' || !(quoted = desktop_exec_quote(nook))) {
		set_error(err, errlen, "nook's path cannot be written in an Exec line");
		return NULL;
	}
	if (!printable(program)) {
		set_error(err, errlen, "the program's name holds a control character");
		return NULL;
	}
	if (profile) {
		autofree char *arg = xasprintf("--profile=%s", profile);

		if (!printable(profile) || !(profile_arg = desktop_exec_quote(arg))) {
			set_error(err, errlen, "the profile's name holds a control character");
			return NULL;
		}
	}
	out = open_memstream(&buf, &size);
	if (!out)
		die_errno("cannot allocate memory");
	fputs("# Written by nook integrate", out);
	if (source && printable(source))
		fprintf(out, " from %s", source);
	fputs(": its Exec lines start the program through nook.\n", out);
	while (r == 0 && next_line(text, len, &pos, &l)) {
		enum group h = header_group(&l);

		if (h != GROUP_NONE) {
			if (h == GROUP_ENTRY && entry) {
				r = set_error(err, errlen, "two [Desktop Entry] groups");
				break;
			}
			g = h;
			fwrite(l.p, 1, l.n, out);
			fputc('\n', out);
			if (h == GROUP_ENTRY) {
				entry = true;
				fputs(DESKTOP_MARK_KEY "=true\n" DESKTOP_PROGRAM_KEY "=", out);
				put_string(out, program);
				fputc('\n', out);
			}
			continue;
		}
		if ((g == GROUP_ENTRY || g == GROUP_ACTION) && key_value(&l, &key, &value)) {
			if (line_is(&key, "Exec")) {
				r = put_exec(out, &value, quoted, profile, profile_arg, err,
					     errlen);
				main_exec = main_exec || g == GROUP_ENTRY;
				continue;
			}
			if (g == GROUP_ENTRY &&
			    (line_is(&key, "DBusActivatable") || line_starts(&key, "X-Nook-")))
				continue;
		}
		fwrite(l.p, 1, l.n, out);
		fputc('\n', out);
	}
	if (r == 0 && !entry)
		r = set_error(err, errlen, "no [Desktop Entry] group");
	else if (r == 0 && !main_exec)
		r = set_error(err, errlen, "no Exec line in its [Desktop Entry] group");
	if (fclose(out) != 0)
		die_errno("cannot allocate memory");
	if (r < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool desktop_entry_is_ours(const char *text, size_t len, char **program)
{
	char err[256];
	enum group g = GROUP_NONE;
	bool ours = false;
	autofree char *name = NULL;
	size_t pos = 0;
	struct line l, key, value;

	if (program)
		*program = NULL;
	if (check_text(text, len, err, sizeof err) < 0)
		return false;
	while (next_line(text, len, &pos, &l)) {
		enum group h = header_group(&l);

		if (h != GROUP_NONE) {
			g = h;
			continue;
		}
		if (g != GROUP_ENTRY || !key_value(&l, &key, &value))
			continue;
		if (line_is(&key, DESKTOP_MARK_KEY))
			ours = line_is(&value, "true");
		else if (line_is(&key, DESKTOP_PROGRAM_KEY)) {
			free(name);
			name = unescape_string(&value, NULL);
		}
	}
	if (ours && program)
		*program = name ? steal_pointer(&name) : xstrdup("");
	return ours;
}
