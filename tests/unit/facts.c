// SPDX-License-Identifier: GPL-2.0-or-later
/* Host facts: the system's profile directory, from a build directory and installed. */
#include <stdlib.h>

#include "config.h"
#include "host/facts.h"
#include "tap.h"

static void test_profile_system_dir(void)
{
	char *s;

	s = host_profile_system_dir("/p", NOOK_BUILD_ROOT "/nook");
	is_str(s, "/p", "profile dir: $NOOK_PROFILE_DIR first, even from the build directory");
	free(s);
	s = host_profile_system_dir(NULL, NOOK_BUILD_ROOT "/nook");
	is_str(s, NOOK_SOURCE_ROOT "/profiles",
	       "profile dir: nook in its build directory: the source tree's profiles/");
	free(s);
	s = host_profile_system_dir(NULL, NOOK_BUILD_ROOT "/./nook");
	is_str(s, NOOK_SOURCE_ROOT "/profiles", "profile dir: the directory compared canonically");
	free(s);
	s = host_profile_system_dir("relative", NOOK_BUILD_ROOT "/nook");
	is_str(s, NOOK_SOURCE_ROOT "/profiles",
	       "profile dir: a relative $NOOK_PROFILE_DIR ignored");
	free(s);
	s = host_profile_system_dir(NULL, "/usr/local/bin/nook");
	is_str(s, NOOK_SYSCONFDIR "/nook/profiles", "profile dir: installed: SYSCONFDIR's");
	free(s);
	s = host_profile_system_dir(NULL, NOOK_BUILD_ROOT "/tests/unit/unit-facts");
	is_str(s, NOOK_SYSCONFDIR "/nook/profiles",
	       "profile dir: a subdirectory of the build directory is not it");
	free(s);
	s = host_profile_system_dir(NULL, "");
	is_str(s, NOOK_SYSCONFDIR "/nook/profiles", "profile dir: no path of nook's: SYSCONFDIR's");
	free(s);
}

int main(void)
{
	test_profile_system_dir();
	return done_testing();
}
