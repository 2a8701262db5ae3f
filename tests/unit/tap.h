/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_TAP_H
#define NOOK_TAP_H

/*
 * A tiny TAP producer for the unit tests: one executable per test file, the plan at the end.
 *
 *   ok(cond, "name %d", i);          ok N - name
 *   is_int(got, want, "name");       integers (any integer type, compared as long long)
 *   is_str(got, want, "name");       strings; NULL is a value too
 *   return done_testing();           prints "1..N", returns 0 when every test passed
 *
 *   todo_start("known bug: ...");    the tests up to todo_end() are expected to fail: they print
 *   ...                              "not ok N - name # TODO why" and do not fail the file;
 *   todo_end();                      once they pass, meson reports an unexpected pass (a
 *                                    failure) until the todo_start() is removed.
 *
 * A failure prints "not ok N - name" and "# expected ... got ..." with the source line,
 * so the log explains itself without a rerun.
 */

#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tap_count;
static int tap_failed;
static const char *tap_todo;

static inline void todo_start(const char *why)
{
	tap_todo = why;
}

static inline void todo_end(void)
{
	tap_todo = NULL;
}

__attribute__((format(printf, 4, 0))) static inline bool
tap_result(bool pass, const char *file, int line, const char *fmt, va_list ap)
{
	tap_count++;
	if (!pass && !tap_todo)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	if (tap_todo)
		printf(" # TODO %s", tap_todo);
	putchar('\n');
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
	fflush(stdout);
	return pass;
}

__attribute__((format(printf, 4, 5))) static inline bool tap_ok(bool pass, const char *file,
								int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	return pass;
}

__attribute__((format(printf, 5, 6))) static inline bool
tap_is_int(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
	bool pass = got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("# expected %lld got %lld\n", want, got);
	return pass;
}

__attribute__((format(printf, 5, 6))) static inline bool
tap_is_str(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
	bool pass = (!got && !want) || (got && want && strcmp(got, want) == 0);
	va_list ap;

	va_start(ap, fmt);
	tap_result(pass, file, line, fmt, ap);
	va_end(ap);
	if (!pass)
		printf("# expected %s%s%s got %s%s%s\n", want ? "'" : "", want ? want : "NULL",
		       want ? "'" : "", got ? "'" : "", got ? got : "NULL", got ? "'" : "");
	return pass;
}

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, want, ...) \
	tap_is_int((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)
#define is_str(got, want, ...) tap_is_str((got), (want), __FILE__, __LINE__, __VA_ARGS__)

/* A "# ..." comment; every line of a multi-line message gets its "# ". */
__attribute__((format(printf, 1, 2))) static inline void diag(const char *fmt, ...)
{
	char *text = NULL;
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (len < 0) {
		perror("tap");
		exit(99);
	}
	for (char *line = text, *nl; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl && !nl[1])
			nl[0] = '\0', nl = NULL;
		printf("# %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	free(text);
}

/* Print the plan; the exit status says whether everything passed (and something ran). */
static inline int done_testing(void)
{
	printf("1..%d\n", tap_count);
	if (tap_failed)
		printf("# failed %d of %d\n", tap_failed, tap_count);
	fflush(stdout);
	return tap_failed || tap_count == 0 ? 1 : 0;
}

/*
 * Capture what the code under test writes to a file descriptor (its "nook: ..." messages on
 * stderr, a usage text on stdout, which would otherwise mix with the TAP stream):
 *   struct capture c; capture_begin(&c, STDERR_FILENO); ...calls...; text = capture_end(&c);
 * The text is to be freed.
 */
struct capture {
	int fd;
	int saved;
	FILE *file;
};

static inline void capture_begin(struct capture *c, int fd)
{
	fflush(stdout);
	fflush(stderr);
	c->fd = fd;
	c->file = tmpfile();
	c->saved = dup(fd);
	if (!c->file || c->saved < 0 || dup2(fileno(c->file), fd) < 0) {
		perror("tap: cannot capture output");
		exit(99);
	}
}

static inline char *capture_end(struct capture *c)
{
	off_t len;
	char *text;

	fflush(stdout);
	fflush(stderr);
	if (dup2(c->saved, c->fd) < 0) {
		perror("tap: cannot restore output");
		exit(99);
	}
	close(c->saved);
	len = lseek(fileno(c->file), 0, SEEK_END);
	text = calloc(1, len > 0 ? (size_t)len + 1 : 1);
	if (!text || len < 0 || lseek(fileno(c->file), 0, SEEK_SET) != 0 ||
	    (len > 0 && read(fileno(c->file), text, (size_t)len) != (ssize_t)len)) {
		perror("tap: cannot read captured output");
		exit(99);
	}
	fclose(c->file);
	*c = (struct capture){.fd = -1, .saved = -1};
	return text;
}

#endif
