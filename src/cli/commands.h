/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef NOOK_COMMANDS_H
#define NOOK_COMMANDS_H

#include <stdio.h>

/* A subcommand gets its arguments after its own name; it returns nook's exit status. */
struct command {
	const char *name;
	const char *synopsis;
	const char *summary;
	int (*main)(int argc, char **argv);
	void (*help)(FILE *out);
};

int cmd_run(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_integrate(int argc, char **argv);
void doctor_help(FILE *out);
void profile_help(FILE *out);
void integrate_help(FILE *out);
void help_help(FILE *out);
int run_as_program(const char *name, int argc, char **argv);
/* nook started as the user namespace pool (nook-userns IDLE, its socket at fd 3); -1: it is not. */
int run_userns_pool(int argc, char **argv);
int cmd_overlay(int argc, char **argv);
void overlay_help(FILE *out);
int cmd_cache(int argc, char **argv);
void cache_help(FILE *out);
int cmd_list(int argc, char **argv);
void list_help(FILE *out);
int cmd_enter(int argc, char **argv);
void enter_help(FILE *out);
int cmd_stop(int argc, char **argv);
void stop_help(FILE *out);
/* oci.c: also nook-oci's main (main.c), ARGV[-1] being the program's name. */
int cmd_oci(int argc, char **argv);
void oci_help(FILE *out);

/* commands.c: the table, in the order nook --help lists them. */
extern const struct command commands[];
extern const size_t command_count;
const struct command *command_find(const char *name);
void print_main_help(FILE *out);
void print_version(FILE *out);

#endif
