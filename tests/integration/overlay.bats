#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
load ../lib/common

@test "placeholder" {
	skip "not written yet"
}
