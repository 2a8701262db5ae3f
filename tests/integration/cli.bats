#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The command line: help, version, errors, `--`, the implicit run, --dry-run.
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

@test "nook --help prints the usage on stdout and exits 0" {
	run --separate-stderr nook_t --help
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_match "first line" '^nook - ' "${lines[0]}"
	expect_match "usage" 'Usage: nook COMMAND' "$output"
	expect_match "run's options are listed" '--bind=SRC\[:DEST\]' "$output"
	expect_match "exit statuses are documented" '125 if nook failed' "$output"
}

@test "nook -h is --help" {
	run --separate-stderr nook_t -h
	expect_eq "exit status" 0 "$status"
	expect_match "usage" 'Usage: nook COMMAND' "$output"
}

@test "nook help run and nook run --help print run's usage and exit 0" {
	run --separate-stderr nook_t help run
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_match "usage" '^Usage: nook run \[OPTIONS\] \[--\] PROGRAM \[ARG...\]' "${lines[0]}"
	for opt in rootfs bind ro-bind tmpfs chdir userns hostname env unsetenv dry-run quiet; do
		expect_match "option --$opt in the help" "--$opt" "$output"
	done
	local help_run="$output"

	run --separate-stderr nook_t run --help
	expect_eq "exit status" 0 "$status"
	expect_eq "nook run --help is nook help run" "$help_run" "$output"
}

@test "nook help (no command) prints the main usage; nook help bogus is an error" {
	run --separate-stderr nook_t help
	expect_eq "exit status" 0 "$status"
	expect_match "usage" 'Usage: nook COMMAND' "$output"

	run --separate-stderr nook_t help bogus
	expect_nook_error 125
	expect_match "names the command" "'bogus'" "$stderr"
}

@test "nook --version prints 'nook X.Y.Z', the project's version" {
	run --separate-stderr nook_t --version
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_match "version line" '^nook [0-9]+\.[0-9]+\.[0-9]+$' "$output"
	expect_eq "line count" 1 "${#lines[@]}"
	local want
	want=$(sed -n "s/^ *version *: *'\([^']*\)'.*/\1/p" "$NOOK_SRC/meson.build" | head -n1)
	if [ -n "$want" ]; then
		expect_eq "version from meson.build" "nook $want" "$output"
	fi
}

@test "nook with no arguments exits 125 and prints nothing on stdout" {
	run --separate-stderr nook_t
	expect_eq "exit status" 125 "$status"
	expect_eq "stdout" "" "$output"
	[ -n "$stderr" ] || { echo "expected the usage (or an error) on stderr, got nothing" >&2; false; }
}

@test "nook run with no PROGRAM exits 125 with one 'nook:' line" {
	run --separate-stderr nook_t run
	expect_nook_error 125
	run --separate-stderr nook_t run --
	expect_nook_error 125
	run --separate-stderr nook_t run --hostname x
	expect_nook_error 125
}

@test "an unknown option exits 125 and names the option" {
	run --separate-stderr nook_t run --no-such-option true
	expect_nook_error 125
	expect_match "names the option" 'no-such-option' "$stderr"

	run --separate-stderr nook_t run -Z true
	expect_nook_error 125
	expect_match "names the option" "'-Z'" "$stderr"

	run --separate-stderr nook_t --no-such-option true
	expect_nook_error 125
	expect_match "names the option (implicit run)" 'no-such-option' "$stderr"
}

@test "an option missing its argument exits 125" {
	run --separate-stderr nook_t run --bind
	expect_nook_error 125
	expect_match "names the option" '--bind' "$stderr"
}

@test "--userns=bogus exits 125 and names the value" {
	run --separate-stderr nook_t run --userns=bogus true
	expect_nook_error 125
	expect_match "names the value" 'bogus' "$stderr"
	run --separate-stderr nook_t run --userns bogus2 true
	expect_nook_error 125
	expect_match "names the value" 'bogus2' "$stderr"
}

@test "--hostname 'bad name!' exits 125" {
	run --separate-stderr nook_t run --hostname 'bad name!' true
	expect_nook_error 125
	run --separate-stderr nook_t run --hostname "$(printf 'a%.0s' {1..65})" true
	expect_nook_error 125
	run --separate-stderr nook_t run --hostname= true
	expect_nook_error 125
}

@test "a relative or '/' DEST in --bind, --ro-bind, --tmpfs exits 125" {
	local args
	for args in "--bind relative:dest" "--ro-bind /usr:usr" "--tmpfs relative" "--bind /usr:/" \
		"--tmpfs /" "--bind relative" "--bind :/x" "--chdir relative"; do
		# shellcheck disable=SC2086
		run --separate-stderr nook_t run $args true
		expect_nook_error 125 || { echo "for: nook run $args true" >&2; return 1; }
	done
}

@test "every error is one 'nook: ' line on stderr (plus an optional hint) and nothing on stdout" {
	mkdir -p "$BATS_TEST_TMPDIR/dir"
	local -a cases=(
		"run"
		"run --no-such-option true"
		"run -x true"
		"run --bind"
		"run --userns=bogus true"
		"run --userns= true"
		"run --hostname=bad_name true"
		"run --env NOEQUALS true"
		"run --env =v true"
		"run --unsetenv A=B true"
		"run --dry-run=yes true"
		"run --quiet=1 true"
		"run --rootfs= true"
		"run --bind /nonexistent/nook-src:/x true"
		"run --ro-bind /nonexistent/nook-src:/x true"
		"run --rootfs /nonexistent/nook-root true"
		"run --rootfs /etc/passwd true"
		"run --chdir /nonexistent/nook-dir true"
		"help bogus"
	)
	local c
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		run --separate-stderr nook_t $c
		expect_nook_error 125 || { echo "for: nook $c" >&2; return 1; }
	done
}

@test "implicit run: nook PROGRAM and nook --userns=single PROGRAM run PROGRAM" {
	run --separate-stderr nook_t true
	expect_eq "nook true" 0 "$status"
	run --separate-stderr nook_t sh -c 'echo ran; exit 3'
	expect_eq "nook sh -c 'exit 3'" 3 "$status"
	expect_eq "output" "ran" "$output"
	run --separate-stderr nook_t --userns=single --keep-groups sh -c 'id -u'
	expect_eq "nook --userns=single" 0 "$status"
	expect_eq "id -u in single mode" "$(id -u)" "$output"
	expect_eq "stderr" "" "$stderr"
}

@test "-- is strict: nook run -- --help runs a program called --help (127)" {
	run -127 --separate-stderr env PATH="$NOOK_CLEAN_PATH" timeout -k 5 "$NOOK_TIMEOUT" "$NOOK" run -- --help
	expect_eq "exit status" 127 "$status"
	expect_eq "stdout (no usage)" "" "$output"
	expect_match "names the program" 'cannot execute --help' "$stderr"
	# shellcheck disable=SC2154 # stderr_lines: set by bats's run --separate-stderr
	expect_eq "stderr lines" 1 "${#stderr_lines[@]}"
}

@test "options after PROGRAM belong to PROGRAM" {
	# Not echo: GNU echo answers a lone --help itself.
	run --separate-stderr nook_t run printf '[%s]' --help
	expect_eq "exit status" 0 "$status"
	expect_eq "output" "[--help]" "$output"

	run --separate-stderr nook_t run printf '[%s]' --bind /nonexistent --userns=bogus
	expect_eq "exit status" 0 "$status"
	expect_eq "output" "[--bind][/nonexistent][--userns=bogus]" "$output"

	run --separate-stderr nook_t run -- printf '[%s]' -- --x
	expect_eq "output" "[--][--x]" "$output"

	run --separate-stderr nook_t printf '[%s]' --version
	expect_eq "implicit run" "[--version]" "$output"
}

@test "--opt=VALUE and --opt VALUE are the same" {
	run --separate-stderr nook_t run --hostname=abc hostname
	expect_eq "--hostname=abc" "abc" "$output"
	run --separate-stderr nook_t run --hostname abc hostname
	expect_eq "--hostname abc" "abc" "$output"
}

@test "--dry-run prints the spec and exits 0" {
	need_subids
	run --separate-stderr nook_t run --dry-run -- true
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr" "" "$stderr"
	expect_line "namespaces" "namespaces user mount pid ipc uts cgroup net" "$output"
	local want
	for want in '^userns keep-id$' '^uid-map [0-9]+ [0-9]+ [0-9]+$' '^gid-map [0-9]+ [0-9]+ [0-9]+$' \
		'^mount root / / ro,nosuid,nodev$' '^mount proc /proc ' "^hostname $(uname -n)\$" \
		'^argv\[0\] true$' "^uid $(id -u)\$" "^gid $(id -g)\$"; do
		printf '%s\n' "${lines[@]}" | grep -Eq -- "$want" ||
			{ printf 'no line matching /%s/ in:\n%s\n' "$want" "$output" >&2; return 1; }
	done
	printf '%s\n' "${lines[@]}" | grep -q "^uid-map $(id -u) $(id -u) 1\$" ||
		{ echo "keep-id: no line 'uid-map $(id -u) $(id -u) 1' in: $output" >&2; false; }
}

@test "--dry-run shows the options: mounts in order, hostname, cwd, env, argv" {
	need_subids
	run --separate-stderr nook_t run --dry-run --userns=root --bind /usr:/a --ro-bind /etc:/b \
		--tmpfs /c --hostname hx --chdir /usr --env NOOK_T1=v1 -- prog arg1 'arg 2'
	expect_eq "exit status" 0 "$status"
	expect_line "userns" "userns root" "$output"
	expect_line "root map" "uid-map 0 $(id -u) 1" "$output"
	local order
	order=$(printf '%s\n' "${lines[@]}" | grep -E '^mount (bind /usr /a|bind /etc /b|tmpfs /c)' |
		cut -d' ' -f2-4)
	expect_eq "user mounts, in order" $'bind /usr /a\nbind /etc /b\ntmpfs /c rw,nosuid,nodev' "$order"
	expect_match "--ro-bind is ro" $'\nmount bind /etc /b ro' "$output"
	expect_line "hostname" "hostname hx" "$output"
	expect_line "cwd" "cwd /usr" "$output"
	expect_line "env" "env NOOK_T1=v1" "$output"
	local argv
	argv=$(printf '%s\n' "${lines[@]}" | grep '^argv')
	expect_eq "argv" $'argv[0] prog\nargv[1] arg1\nargv[2] arg 2' "$argv"
}

@test "--dry-run creates nothing and runs nothing, even for a PROGRAM that does not exist" {
	local t="$BATS_TEST_TMPDIR/w"
	mkdir "$t"
	run --separate-stderr nook_t run --dry-run --bind "$t/src:$t/newdir/sub" -- \
		/nonexistent/program
	expect_eq "exit status" 0 "$status"
	expect_line "argv" "argv[0] /nonexistent/program" "$output"

	run --separate-stderr nook_t run --dry-run --bind "$t:$t" -- sh -c "touch $t/marker"
	expect_eq "exit status" 0 "$status"
	[ ! -e "$t/marker" ] || { echo "the payload ran: $t/marker exists" >&2; false; }
	[ ! -e "$t/newdir" ] || { echo "a mount point was created: $t/newdir" >&2; false; }
	expect_eq "files in $t" "" "$(ls -A "$t")"
}

@test "--dry-run: a value with a newline cannot forge a line of the spec" {
	run --separate-stderr nook_t run --dry-run --env $'NOOK_T=a\nuserns root' -- true
	expect_eq "exit status" 0 "$status"
	if printf '%s\n' "${lines[@]}" | grep -qx 'userns root'; then
		echo "a forged 'userns root' line: $output" >&2
		false
	fi
}

@test "-q and --quiet are accepted and silence the no-subid warning" {
	NOOK_SUBUID_FILE=/dev/null run --separate-stderr nook_t run -q -- true
	expect_eq "exit status" 0 "$status"
	expect_eq "stderr with -q" "" "$stderr"
	NOOK_SUBUID_FILE=/dev/null run --separate-stderr nook_t run --quiet -- true
	expect_eq "stderr with --quiet" "" "$stderr"
}

@test "without HOME, nook finds the same home (passwd's) for all of its own state" {
	local home
	home="$(getent passwd "$(id -un)" | cut -d: -f6)"
	run --separate-stderr env -u HOME -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
		"$NOOK" run --noprofile --dry-run true
	expect_eq "exit status" 0 "$status"
	expect_match "nook's configuration hidden" \
		"mount mask $home/.config/nook ro,nosuid,nodev,noexec,optional \(nook's configuration\)" \
		"$output"
	expect_match "nook's state hidden" \
		"mount mask $home/.local/share/nook ro,nosuid,nodev,noexec,optional \(nook's state\)" \
		"$output"
}

@test "a profile's noblacklist does not undo --blacklist given on the command line" {
	mkdir -p "$BATS_TEST_TMPDIR/srv"
	printf 'noblacklist %s/srv/secret\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/only-no.profile"
	run --separate-stderr nook_t run --profile="$BATS_TEST_TMPDIR/only-no.profile" \
		--blacklist="$BATS_TEST_TMPDIR/srv/secret" --dry-run true
	expect_eq "exit status" 0 "$status"
	expect_match "the command line's blacklist stands" \
		"mount mask $BATS_TEST_TMPDIR/srv/secret ro" "$output"
}
