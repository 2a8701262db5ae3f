// SPDX-License-Identifier: GPL-2.0-or-later
/* The cleanups die() runs: the last pushed first, whatever slots a pop left free. */
#include <string.h>

#include "tap.h"
#include "util/err.h"

static char order[16];

static void record(void *arg)
{
	size_t n = strlen(order);

	order[n] = *(const char *)arg;
	order[n + 1] = '\0';
}

int main(void)
{
	int a, b;

	a = cleanup_push(record, "a");
	b = cleanup_push(record, "b");
	/* a's slot is free again: c takes it, and must still run before b. */
	cleanup_push(record, "c");
	cleanup_pop(a);
	cleanup_push(record, "d");
	cleanup_run_all();
	is_str(order, "dcb", "cleanups run in reverse order of pushing, popped ones not at all");
	order[0] = '\0';
	cleanup_run_all();
	is_str(order, "", "each runs once");
	(void)b;
	return done_testing();
}
