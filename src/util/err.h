/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_ERR_H
#define NOOK_ERR_H

#include <stddef.h>
#include <stdnoreturn.h>

/* Exit statuses of nook itself, as env(1) and podman use them. */
enum {
	EXIT_TIMED_OUT = 124,   /* --timeout ran out (as timeout(1)) */
	EXIT_NOOK_FAILED = 125, /* nook failed: bad option, setup error */
	EXIT_CANNOT_EXEC = 126, /* PROGRAM found but could not be executed */
	EXIT_NOT_FOUND = 127,   /* PROGRAM not found */
};

/*
 * The one error path. Every message is one line: "nook: WHAT: WHY".
 * die*() run the registered cleanups (in reverse order) and exit 125, so a failure
 * anywhere leaves nothing behind: no helper process, no socket, no directory.
 */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warn_errno(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* __noreturn__ spelled as an attribute too: cppcheck does not read <stdnoreturn.h>. */
void die(const char *fmt, ...) __attribute__((__noreturn__, format(printf, 1, 2)));
void die_errno(const char *fmt, ...) __attribute__((__noreturn__, format(printf, 1, 2)));
/* Like die(), with a second line "nook: hint: ..." that says how to fix it. */
void die_hint(const char *hint, const char *fmt, ...)
	__attribute__((__noreturn__, format(printf, 2, 3)));

/* Also hand every message (without "nook: ") to FN: a log file of nook oci's --log. */
void err_tee(void (*fn)(const char *msg));
/* For parsers that report instead of dying: write the message to err; returns -1. */
int set_error(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Cleanups run by die() and by cleanup_run_all(); at most a handful are ever live. */
typedef void (*cleanup_fn)(void *arg);
int cleanup_push(cleanup_fn fn, void *arg);
void cleanup_pop(int handle); /* the job is done; forget it without running it */
void cleanup_run_all(void);
/* In a forked child the parent's cleanups are not ours to run. */
void cleanup_forget_all(void);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Scope-bound resources, as bubblewrap and crun do it. */
void cleanup_freep(void *p);
void cleanup_closep(int *fd);
#define autofree __attribute__((cleanup(cleanup_freep)))
#define autoclose __attribute__((cleanup(cleanup_closep)))

/* Give ownership away from an autofree/autoclose variable. */
static inline int steal_fd(int *fd)
{
	int r = *fd;
	*fd = -1;
	return r;
}

static inline void *steal_pointer(void *pp)
{
	void **p = pp;
	void *r = *p;

	*p = NULL;
	return r;
}

#endif
