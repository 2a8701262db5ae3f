#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The profile cache (cli/profile_cache.c): what reading a profile made is kept in the runtime
# directory and taken instead of reading it again, while every file the load looked for or
# read and every macro it expanded is as it was. A run from the cache must build the same
# sandbox, and say the same, as a run that reads the profile; a change of any input must be
# seen at once; no sandbox can reach the cache.
#
# Every test has its own HOME, runtime directory (so its own cache) and system profile
# directory (a copy of profiles/), under /var/tmp. A file changed less than two seconds ago is
# not kept (its timestamp could hide a second change): the tests wait that long where they
# want an entry kept.
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	TD=$(mktemp -d /var/tmp/nook-profile-cache.XXXXXX) || return 1
	export HOME="$TD/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export XDG_RUNTIME_DIR="$TD/run"
	export NOOK_PROFILE_DIR="$TD/profiles"
	export PATH="$NOOK_CLEAN_PATH"
	unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XAUTHORITY SSH_AUTH_SOCK NOOK_PROFILE_CACHE
	mkdir -p "$HOME/.config/nook/profiles" "$HOME/work" "$XDG_RUNTIME_DIR" || return 1
	chmod 700 "$XDG_RUNTIME_DIR"
	cp -r "$NOOK_SRC/profiles" "$NOOK_PROFILE_DIR" || return 1
	rm -f "$NOOK_PROFILE_DIR/meson.build"
	CACHE="$XDG_RUNTIME_DIR/nook/profile-cache"
	cd "$HOME/work" || return 1
}

teardown() {
	cd /
	[ -z "${TD:-}" ] || { chmod -R u+rwX "$TD" 2>/dev/null; rm -rf "$TD"; }
	return 0
}

# settle: until every file made so far is old enough to be kept.
settle() {
	sleep 2.2
}

# entries: how many loads the cache keeps.
entries() {
	find "$CACHE" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l
}

# dry ARGS...: the spec as JSON and what nook said, in $output and $stderr.
dry() {
	run --separate-stderr "$NOOK" run --dry-run --json "$@"
}

# same WHAT A B: A and B are the same text; else the difference, one item a line.
same() {
	[ "$2" = "$3" ] && return 0
	echo "$1: not the same:" >&2
	diff <(tr ',' '\n' <<<"$2") <(tr ',' '\n' <<<"$3") | head -20 >&2
	return 1
}

# The spec as JSON, but for what is new at each run: the random machine-id.
spec_of() {
	sed -E 's/"content":"[0-9a-f]{32}\\u000a"/"content":"MACHINE-ID"/g' <<<"$1"
}

# same_three WHAT ARGS...: the spec and the messages without the cache, then with the cache
# (a load, kept), then from it: all three the same. The spec also shows what the host has
# (a socket in the runtime directory that a whitelist names), which the suites running
# beside this one make and remove: a difference is looked at again, twice at most, and only
# one that stays fails.
same_three() {
	local _
	for _ in 1 2; do
		same_three_once "$@" 2>/dev/null && return 0
		sleep 0.5
	done
	same_three_once "$@"
}

same_three_once() {
	local what="$1" out0 err0 out1 err1
	shift
	# NOOK_PROFILE_CACHE is the caller's environment, which the sandbox would get.
	NOOK_PROFILE_CACHE=off dry --unsetenv=NOOK_PROFILE_CACHE "$@"
	[ "$status" -eq 0 ] || { echo "$what: exit status $status: $stderr" >&2; return 1; }
	out0=$(spec_of "$output") err0=$stderr
	NOOK_PROFILE_CACHE=on dry --unsetenv=NOOK_PROFILE_CACHE "$@"
	out1=$(spec_of "$output") err1=$stderr
	NOOK_PROFILE_CACHE=on dry --unsetenv=NOOK_PROFILE_CACHE "$@"
	same "$what: spec (load, kept)" "$out0" "$out1" || return 1
	same "$what: spec (from the cache)" "$out1" "$(spec_of "$output")" || return 1
	same "$what: messages (load, kept)" "$err0" "$err1" || return 1
	same "$what: messages (from the cache)" "$err1" "$stderr" || return 1
}

@test "profile cache: a run from the cache builds the same spec and says the same as a load, for every shipped profile" {
	local f name n=0
	settle
	for f in "$NOOK_PROFILE_DIR"/*.profile; do
		name=${f##*/}
		same_three "$name" --profile="${name%.profile}" -- true || return 1
		n=$((n + 1))
	done
	[ "$n" -ge 40 ] || { echo "only $n shipped profiles" >&2; return 1; }
	# An entry each, but 64 at most: the oldest go.
	expect_eq "an entry each, 64 at most" "$((n < 64 ? n : 64))" "$(entries)"
	# The default profile, as a program without a profile of its own gets it.
	same_three "default.profile for a program" -- true
}

@test "profile cache: firejail's profiles from the cache are the same as loaded, warnings and all (firejail-profiles)" {
	local f n=0 warned=0
	[ -d /etc/firejail ] || lacks "firejail's profiles are not installed (firejail-profiles)"
	for f in /etc/firejail/*.profile; do
		same_three "$f" --profile="$f" -- true || return 1
		[ -z "$stderr" ] || warned=$((warned + 1))
		n=$((n + 1))
		# A sample is enough here: profiles.bats loads all of them.
		[ "$n" -lt 80 ] || break
	done
	[ "$n" -ge 60 ] || { echo "only $n of firejail's profiles" >&2; return 1; }
	[ "$warned" -ge 5 ] || { echo "only $warned profiles said something: the replay of messages is barely tested" >&2; return 1; }
}

@test "profile cache: a second run takes the kept load (a kept entry edited by hand shows), a changed profile is read again" {
	printf 'blacklist ~/.secret-aaaa\n' >"$HOME/.config/nook/profiles/p.profile"
	settle
	dry --profile=p -- true
	expect_match "first run" 'secret-aaaa' "$output"
	expect_eq "kept" 1 "$(entries)"
	# The entry is the caller's own file: a same-length edit of it shows in the next run, which
	# proves that run took it instead of reading the profile.
	sed -i 's/secret-aaaa/secret-bbbb/' "$CACHE"/*
	dry --profile=p -- true
	expect_match "from the cache" 'secret-bbbb' "$output"
	# The profile's timestamps change: read again.
	touch "$HOME/.config/nook/profiles/p.profile"
	dry --profile=p -- true
	expect_match "the profile touched: read again" 'secret-aaaa' "$output"
	! grep -q 'secret-bbbb' <<<"$output" || { echo "the stale entry was taken" >&2; return 1; }
}

@test "profile cache: each input is seen: an include's content, a .local that appears, one that shadows, a macro, a condition, the profile that is found" {
	local prof="$HOME/.config/nook/profiles"
	# shellcheck disable=SC2016 # ${CWD} is the profile's macro, not the shell's
	printf 'include p.local\ninclude inc.inc\n?HAS_X11: blacklist ~/.x11-only\nread-write ${CWD}\n' >"$prof/p.profile"
	printf 'blacklist ~/.from-inc-one\n' >"$NOOK_PROFILE_DIR/inc.inc"
	settle
	dry --profile=p -- true
	expect_match "first" 'from-inc-one' "$output"
	# The include rewritten in place, the same size: its times change.
	printf 'blacklist ~/.from-inc-two\n' >"$NOOK_PROFILE_DIR/inc.inc"
	dry --profile=p -- true
	expect_match "include rewritten" 'from-inc-two' "$output"
	settle
	dry --profile=p -- true # kept again
	# An override that was looked for and not there.
	printf 'blacklist ~/.from-local\n' >"$prof/p.local"
	dry --profile=p -- true
	expect_match ".local appears" 'from-local' "$output"
	settle
	dry --profile=p -- true
	# The include found in the system directory, shadowed by one in the user's directory.
	printf 'blacklist ~/.from-user-inc\n' >"$prof/inc.inc"
	dry --profile=p -- true
	expect_match "an include shadowed" 'from-user-inc' "$output"
	! grep -q 'from-inc-two' <<<"$output" || { echo "the system's include still counts" >&2; return 1; }
	settle
	dry --profile=p -- true
	# ${CWD}: started elsewhere, the profile names another directory.
	mkdir -p "$HOME/elsewhere"
	(cd "$HOME/elsewhere" && "$NOOK" run --dry-run --profile=p -- true) >"$TD/out" 2>&1
	grep -q "^mount bind $HOME/elsewhere $HOME/elsewhere .*(read-write)" "$TD/out" ||
		{ echo "\${CWD} from the cache: $(grep read-write "$TD/out")" >&2; return 1; }
	# ?HAS_X11: with a display.
	DISPLAY=:99 dry --profile=p -- true
	expect_match "?HAS_X11 with DISPLAY" 'x11-only' "$output"
	dry --profile=p -- true
	! grep -q 'x11-only' <<<"$output" || { echo "?HAS_X11 without DISPLAY" >&2; return 1; }
	# A program's own profile appears in the user's directory: that one is read.
	printf 'blacklist ~/.own-profile\n' >"$prof/true.profile"
	dry -- true
	expect_match "the program's own profile" 'own-profile' "$output"
}

@test "profile cache: a file changed in the last two seconds is not kept; NOOK_PROFILE_CACHE=off keeps nothing" {
	printf 'blacklist ~/.x\n' >"$HOME/.config/nook/profiles/p.profile"
	dry --profile=p -- true
	expect_eq "status" 0 "$status"
	expect_eq "nothing kept for a fresh file" 0 "$(entries)"
	settle
	NOOK_PROFILE_CACHE=off dry --profile=p -- true
	expect_eq "nothing kept with NOOK_PROFILE_CACHE=off" 0 "$(entries)"
	dry --profile=p -- true
	expect_eq "kept" 1 "$(entries)"
}

@test "profile cache: an entry that is not one (cut short, garbage, another user's mode) is ignored" {
	local want e
	printf 'blacklist ~/.x\n' >"$HOME/.config/nook/profiles/p.profile"
	settle
	dry --profile=p -- true
	want=$output
	e=$(find "$CACHE" -type f ! -name '.*')
	truncate -s 100 "$e"
	dry --profile=p -- true
	expect_eq "cut short" "$want" "$output"
	head -c 5000 /dev/urandom >"$e"
	dry --profile=p -- true
	expect_eq "garbage" "$want" "$output"
	dry --profile=p -- true
	sed -i 's/\.x"/.y"/' "$e"
	chmod 644 "$e"
	dry --profile=p -- true
	expect_eq "readable by others: not ours" "$want" "$output"
}

@test "profile cache: no sandbox can reach the cache, even one that binds the runtime directory writable" {
	printf 'blacklist ~/.x\n' >"$HOME/.config/nook/profiles/p.profile"
	settle
	dry --profile=p -- true
	expect_eq "kept" 1 "$(entries)"
	run --separate-stderr "$NOOK" run --profile=p --bind="$XDG_RUNTIME_DIR" -- sh -c \
		"ls -A '$CACHE' 2>&1; echo x >'$CACHE/planted' 2>&1 || echo refused; for f in '$CACHE'/*; do echo x >>\"\$f\" 2>&1 || echo refused; done"
	expect_eq "exit status" 0 "$status"
	expect_match "refused" 'refused' "$output"
	[ ! -e "$CACHE/planted" ] || { echo "a sandbox planted a file in the cache" >&2; return 1; }
	expect_eq "still one entry" 1 "$(entries)"
}
