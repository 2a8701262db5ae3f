// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bsd/stdlib.h>

#define MAX_CLEANUPS 16

static struct {
	cleanup_fn fn;
	void *arg;
	unsigned long seq; /* when it was pushed: the last pushed runs first */
} cleanups[MAX_CLEANUPS];
static unsigned long cleanup_seq;

static void (*tee)(const char *msg);

void err_tee(void (*fn)(const char *msg))
{
	tee = fn;
}

static void vreport(const char *fmt, va_list ap, int errnum) __attribute__((format(printf, 1, 0)));

static void vreport(const char *fmt, va_list ap, int errnum)
{
	char msg[1024];
	size_t len;

	vsnprintf(msg, sizeof msg, fmt, ap);
	len = strlen(msg);
	if (errnum)
		snprintf(msg + len, sizeof msg - len, ": %s", strerror(errnum));
	/* One write, so concurrent messages from init and monitor do not interleave. */
	dprintf(STDERR_FILENO, "nook: %s\n", msg);
	if (tee)
		tee(msg);
}

void warnx_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, 0);
	va_end(ap);
}

void warn_errno(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, errnum);
	va_end(ap);
	errno = errnum;
}

noreturn void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, 0);
	va_end(ap);
	cleanup_run_all();
	exit(EXIT_NOOK_FAILED);
}

noreturn void die_errno(const char *fmt, ...)
{
	int errnum = errno;
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, errnum);
	va_end(ap);
	cleanup_run_all();
	exit(EXIT_NOOK_FAILED);
}

noreturn void die_hint(const char *hint, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(fmt, ap, 0);
	va_end(ap);
	dprintf(STDERR_FILENO, "nook: hint: %s\n", hint);
	cleanup_run_all();
	exit(EXIT_NOOK_FAILED);
}

int set_error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int cleanup_push(cleanup_fn fn, void *arg)
{
	for (int i = 0; i < MAX_CLEANUPS; i++) {
		if (!cleanups[i].fn) {
			cleanups[i].fn = fn;
			cleanups[i].arg = arg;
			cleanups[i].seq = ++cleanup_seq;
			return i;
		}
	}
	/* A programming error, not a user's: the table is sized for what nook starts. */
	abort();
}

void cleanup_pop(int handle)
{
	if (handle >= 0 && handle < MAX_CLEANUPS)
		cleanups[handle].fn = NULL;
}

/* In reverse order of pushing, whatever slots popped ones left free. */
void cleanup_run_all(void)
{
	for (;;) {
		int last = -1;
		cleanup_fn fn;

		for (int i = 0; i < MAX_CLEANUPS; i++)
			if (cleanups[i].fn && (last < 0 || cleanups[i].seq > cleanups[last].seq))
				last = i;
		if (last < 0)
			return;
		fn = cleanups[last].fn;
		cleanups[last].fn = NULL;
		fn(cleanups[last].arg);
	}
}

void cleanup_forget_all(void)
{
	memset(cleanups, 0, sizeof cleanups);
}

static noreturn void out_of_memory(void)
{
	static const char msg[] = "nook: out of memory\n";

	(void)!write(STDERR_FILENO, msg, sizeof msg - 1);
	cleanup_run_all();
	exit(EXIT_NOOK_FAILED);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		out_of_memory();
	return p;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	void *q = reallocarray(p, n ? n : 1, size ? size : 1);

	if (!q)
		out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		out_of_memory();
	return p;
}

char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		out_of_memory();
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	char *p;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (r < 0)
		out_of_memory();
	return p;
}

void cleanup_freep(void *p)
{
	free(*(void **)p);
}

void cleanup_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}
