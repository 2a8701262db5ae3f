#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# nook integrate: the link ~/.local/bin/PROGRAM -> nook, the menu entries it writes over the
# system's (Exec through nook, valid, removed only when nook's), --all, and the link started
# inside a sandbox, which runs the program itself (and on the host never does).
#
# Every test has its own HOME under /var/tmp (not $BATS_TEST_TMPDIR: the sandbox's /tmp is
# its own), its own system data directory ($XDG_DATA_DIRS, where the "system's" desktop
# entries are) and its own system profile directory, unless it uses the machine's entries
# and the shipped profiles.
# stderr and stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
# NOOK_PROFILE_DIR and XDG_DATA_DIRS are each test's own (setup() sets them).
# shellcheck disable=SC2030,SC2031
bats_require_minimum_version 1.5.0
load ../lib/common

setup() {
	TD=$(mktemp -d /var/tmp/nook-integrate.XXXXXX) || return 1
	export HOME="$TD/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export XDG_DATA_DIRS="$TD/share"
	export NOOK_PROFILE_DIR="$TD/profiles"
	export PATH="$NOOK_CLEAN_PATH"
	unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XAUTHORITY SSH_AUTH_SOCK
	SYSAPPS="$TD/share/applications"
	APPS="$XDG_DATA_HOME/applications"
	BIN="$HOME/.local/bin"
	# shellcheck disable=SC2153 # NOOK: from meson (tests/meson.build)
	NOOK_FILE=$(readlink -f "$NOOK")
	CREATED=()
	mkdir -p "$HOME" "$SYSAPPS" "$NOOK_PROFILE_DIR" "$TD/bin" || return 1
	cd "$HOME" || return 1
}

teardown() {
	local f
	cd /
	for f in "${CREATED[@]}"; do
		rm -f "$f"
	done
	[ -z "${TD:-}" ] || { chmod -R u+rwX "$TD" 2>/dev/null; rm -rf "$TD"; }
	return 0
}

# system_entry NAME LINE...: a system desktop entry $SYSAPPS/NAME of those lines.
system_entry() {
	local name="$1"
	shift
	printf '%s\n' "$@" >"$SYSAPPS/$name"
}

# probe_program: $TD/bin/nookprobe, which prints its arguments and its pid namespace; and
# HOST_PIDNS, the host's.
probe_program() {
	cat >"$TD/bin/nookprobe" <<'EOF'
#!/bin/sh
printf 'probe'
printf ' [%s]' "$@"
echo " $(readlink /proc/self/ns/pid)"
EOF
	chmod +x "$TD/bin/nookprobe"
	HOST_PIDNS=$(readlink /proc/self/ns/pid)
}

# expect_sandboxed WHAT LINE ARGS: LINE is the probe's, given ARGS ("[a] [b c]"), in a pid
# namespace other than the host's.
expect_sandboxed() {
	local what="$1" line="$2" args="$3"
	expect_eq "$what" "probe $args" "${line% *}" || return 1
	if [[ "${line##* }" != pid:* ]] || [ "${line##* }" = "$HOST_PIDNS" ]; then
		echo "$what: not in a pid namespace of its own: [$line]" >&2
		return 1
	fi
}

# exec_lines FILE: the Exec lines of a desktop file, "|"-joined.
exec_lines() {
	grep '^Exec=' "$1" | paste -sd '|' -
}

# validate FILE: desktop-file-validate finds no error in it (hints are not errors).
validate() {
	local out
	out=$(desktop-file-validate "$1" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
	if grep -q ' error: ' <<<"$out"; then
		printf '%s\n' "$out" >&2
		return 1
	fi
}

need_validate() {
	command -v desktop-file-validate >/dev/null ||
		skip "desktop-file-validate is not installed (desktop-file-utils)"
}

# --- menu entries -----------------------------------------------------------------------------

@test "integrate PROGRAM: a menu entry for each system entry that starts it, by path or by name, every Exec through nook" {
	need_validate
	system_entry nooktestprog.desktop '[Desktop Entry]' 'Type=Application' 'Name=Test' \
		'TryExec=/opt/nooktest/nooktestprog' 'Exec=/opt/nooktest/nooktestprog --flag %u' \
		'DBusActivatable=true' 'Actions=new;' '' '[Desktop Action new]' 'Name=New' \
		'Exec=/opt/nooktest/nooktestprog --new'
	system_entry org.example.ByName.desktop '[Desktop Entry]' 'Type=Application' 'Name=ByName' \
		'Exec=env LANG=C nooktestprog "a b" %F' 'MimeType=text/plain;'
	system_entry other.desktop '[Desktop Entry]' 'Type=Application' 'Name=Other' \
		'Exec=othertestprog %u'
	run --separate-stderr "$NOOK" integrate nooktestprog
	expect_eq "status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr" || return 1
	expect_eq "output" "$BIN/nooktestprog -> $NOOK_FILE
$APPS/nooktestprog.desktop <- $SYSAPPS/nooktestprog.desktop
$APPS/org.example.ByName.desktop <- $SYSAPPS/org.example.ByName.desktop" "$output" || return 1
	expect_eq "the link" "$NOOK_FILE" "$(readlink "$BIN/nooktestprog")" || return 1
	expect_eq "entries" "nooktestprog.desktop org.example.ByName.desktop" \
		"$(words "$(ls -A "$APPS")")" || return 1
	expect_eq "Exec lines" "Exec=$NOOK_FILE /opt/nooktest/nooktestprog --flag %u|Exec=$NOOK_FILE /opt/nooktest/nooktestprog --new" \
		"$(exec_lines "$APPS/nooktestprog.desktop")" || return 1
	expect_eq "Exec after env" "Exec=env LANG=C $NOOK_FILE -- nooktestprog \"a b\" %F" \
		"$(exec_lines "$APPS/org.example.ByName.desktop")" || return 1
	expect_eq "TryExec kept" "TryExec=/opt/nooktest/nooktestprog" \
		"$(grep '^TryExec=' "$APPS/nooktestprog.desktop")" || return 1
	! grep -q DBusActivatable "$APPS/nooktestprog.desktop" || { echo "DBusActivatable kept" >&2; return 1; }
	grep -qx 'X-Nook-Integrated=true' "$APPS/nooktestprog.desktop" || return 1
	# The rest as it was: the system's lines, in their order, but for Exec and DBusActivatable.
	expect_eq "the other lines" \
		"$(grep -v -e '^Exec=' -e '^DBusActivatable=' "$SYSAPPS/nooktestprog.desktop")" \
		"$(grep -v -e '^Exec=' -e '^#' -e '^X-Nook-' "$APPS/nooktestprog.desktop")" || return 1
	validate "$APPS/nooktestprog.desktop" || return 1
	validate "$APPS/org.example.ByName.desktop"
}

@test "the entries of the machine's firefox-esr, chromium, mpv, evince, gimp: Exec through nook, valid, under the program's profile" {
	local program entry file line nook rest done=0 got words
	need_validate
	unset XDG_DATA_DIRS
	export NOOK_PROFILE_DIR="$NOOK_SRC/profiles"
	for program in firefox-esr chromium mpv evince gimp; do
		command -v "$program" >/dev/null && [ -f "$NOOK_PROFILE_DIR/$program.profile" ] || continue
		run --separate-stderr "$NOOK" integrate "$program"
		expect_eq "integrate $program" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
		entry=$(sed -n 's/^.* <- //p' <<<"$output" | head -n 1)
		[ -n "$entry" ] || { echo "$program: no menu entry written: $output" >&2; return 1; }
		file="$APPS/${entry##*/}"
		echo "# $program: $entry: $(exec_lines "$file")" >&3
		validate "$file" || return 1
		grep -q '^Exec=' "$file" || return 1
		while IFS= read -r line; do
			# Exec=NOOK [--profile=P] [--] PROGRAM ARG... (nook's path has no space here)
			read -r nook rest <<<"${line#Exec=}"
			expect_eq "$program: Exec starts with nook" "$NOOK_FILE" "$nook" || return 1
			# What nook makes of that line (its words, field codes dropped): the profile.
			read -r -a words <<<"${rest//%[a-zA-Z]/}"
			got=$("$NOOK" --dry-run "${words[@]}" 2>/dev/null | sed -n 's/^profile //p')
			expect_eq "$program: the profile of [$rest]" "$NOOK_PROFILE_DIR/$program.profile" "$got" ||
				return 1
		done < <(grep '^Exec=' "$file")
		run --separate-stderr "$NOOK" integrate --remove "$program"
		expect_eq "integrate --remove $program" 0 "$status" || return 1
		[ ! -e "$file" ] && [ ! -L "$BIN/$program" ] || { echo "$program: left behind" >&2; return 1; }
		done=$((done + 1))
	done
	[ "$done" -gt 0 ] || skip "none of firefox-esr, chromium, mpv, evince, gimp is installed"
	expect_eq "nothing left" "" "$(ls -A "$APPS")$(ls -A "$BIN")"
}

@test "an entry through gio launch runs the program in its sandbox, with the arguments; nook's path with a space is quoted" {
	command -v gio >/dev/null || skip "gio is not installed (libglib2.0-bin)"
	probe_program
	mkdir -p "$TD/my nook"
	cp "$NOOK" "$TD/my nook/nook"
	system_entry nookprobe.desktop '[Desktop Entry]' 'Type=Application' 'Name=Probe' \
		"Exec=$TD/bin/nookprobe one \"two three\" %f"
	run --separate-stderr "$TD/my nook/nook" integrate nookprobe
	expect_eq "integrate" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "Exec" "Exec=\"$TD/my nook/nook\" $TD/bin/nookprobe one \"two three\" %f" \
		"$(exec_lines "$APPS/nookprobe.desktop")" || return 1
	run --separate-stderr timeout 60 gio launch "$APPS/nookprobe.desktop" "$TD/file"
	expect_eq "gio launch" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	# gio returns when the program is started: wait for its output.
	for _ in $(seq 100); do
		[[ "$output" == probe* ]] && break
		sleep 0.1
	done
	expect_sandboxed "the program, in a sandbox" "$output" "[one] [two three] [$TD/file]"
}

@test "--remove takes nook's link and entries, never the user's own; a symlink where an entry goes is not followed" {
	system_entry app.desktop '[Desktop Entry]' 'Type=Application' 'Name=App' 'Exec=nookapp %u'
	system_entry app2.desktop '[Desktop Entry]' 'Type=Application' 'Name=App2' 'Exec=nookapp --two'
	system_entry app3.desktop '[Desktop Entry]' 'Type=Application' 'Name=App3' 'Exec=nookapp --three'
	mkdir -p "$APPS"
	# The user's own override of app.desktop, a symlink planted at app2.desktop's place, and
	# an entry of the user's own that says nothing of nook.
	printf '[Desktop Entry]\nType=Application\nName=Mine\nExec=nookapp --mine\n' >"$APPS/app.desktop"
	echo "the target" >"$TD/target"
	ln -s "$TD/target" "$APPS/app2.desktop"
	printf '[Desktop Entry]\nType=Application\nName=Other\nExec=other\n' >"$APPS/mine.desktop"
	cp "$APPS/app.desktop" "$TD/app.desktop.before"
	run --separate-stderr "$NOOK" integrate nookapp
	expect_eq "integrate" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "warnings" "nook: warning: integrate: $APPS/app.desktop is not nook's; left as it is
nook: warning: integrate: $APPS/app2.desktop is not nook's; left as it is" "$stderr" || return 1
	cmp "$APPS/app.desktop" "$TD/app.desktop.before" || return 1
	expect_eq "the symlink" "$TD/target" "$(readlink "$APPS/app2.desktop")" || return 1
	expect_eq "its target" "the target" "$(cat "$TD/target")" || return 1
	grep -qx "Exec=$NOOK_FILE -- nookapp --three" "$APPS/app3.desktop" || return 1
	run --separate-stderr "$NOOK" integrate --remove nookapp
	expect_eq "--remove" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "what stays" "app.desktop app2.desktop mine.desktop" "$(words "$(ls -A "$APPS")")" || return 1
	cmp "$APPS/app.desktop" "$TD/app.desktop.before" || return 1
	[ ! -e "$BIN/nookapp" ] && [ ! -L "$BIN/nookapp" ] || return 1
	# Nothing of nook's left: a second --remove is an error, and removes nothing.
	run --separate-stderr "$NOOK" integrate --remove nookapp
	expect_nook_error 125 || return 1
	expect_eq "what stays" "app.desktop app2.desktop mine.desktop" "$(words "$(ls -A "$APPS")")"
}

@test "--remove PROGRAM leaves nook's entries of other programs; re-running integrate refreshes, and drops an entry whose system entry is gone" {
	system_entry a.desktop '[Desktop Entry]' 'Type=Application' 'Name=A' 'Exec=nooka'
	system_entry b.desktop '[Desktop Entry]' 'Type=Application' 'Name=B' 'Exec=nookb'
	system_entry a2.desktop '[Desktop Entry]' 'Type=Application' 'Name=A2' 'Exec=nooka --two'
	"$NOOK" integrate nooka >/dev/null || return 1
	"$NOOK" integrate nookb >/dev/null || return 1
	expect_eq "entries" "a.desktop a2.desktop b.desktop" "$(words "$(ls -A "$APPS")")" || return 1
	# A package upgrade changes a.desktop and drops a2.desktop: integrate again follows.
	system_entry a.desktop '[Desktop Entry]' 'Type=Application' 'Name=A' 'Exec=nooka --new %u'
	rm "$SYSAPPS/a2.desktop"
	run --separate-stderr "$NOOK" integrate nooka
	expect_eq "integrate again" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "refreshed" "Exec=$NOOK_FILE -- nooka --new %u" "$(exec_lines "$APPS/a.desktop")" || return 1
	expect_eq "entries" "a.desktop b.desktop" "$(words "$(ls -A "$APPS")")" || return 1
	run --separate-stderr "$NOOK" integrate --remove nooka
	expect_eq "--remove nooka" 0 "$status" || return 1
	expect_eq "nookb's stays" "b.desktop" "$(words "$(ls -A "$APPS")")" || return 1
	[ -L "$BIN/nookb" ] && [ ! -L "$BIN/nooka" ]
}

@test "a desktop file nook cannot read is left out with a warning; a FIFO does not block" {
	system_entry good.desktop '[Desktop Entry]' 'Type=Application' 'Name=Good' 'Exec=nookbad'
	printf '[Desktop Entry]\nType=Application\nName=\033]0;x\007\nExec=nookbad\n' >"$SYSAPPS/nookbad.desktop"
	system_entry open.desktop '[Desktop Entry]' 'Type=Application' 'Name=Open' 'Exec="nookbad %u'
	mkfifo "$SYSAPPS/fifo.desktop"
	head -c 2000000 /dev/zero | tr '\0' 'x' >"$SYSAPPS/huge.desktop"
	run --separate-stderr timeout 20 "$NOOK" integrate nookbad
	expect_eq "status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "warnings" "nook: warning: integrate: $SYSAPPS/nookbad.desktop: left out: line 3: a control character (\\x1b)" \
		"$stderr" || return 1
	expect_eq "entries" "good.desktop" "$(words "$(ls -A "$APPS")")"
}

@test "bad arguments: 125 and one line, nothing made" {
	local args
	for args in "" "--all nookx" "nookx nooky" "--bogus nookx" "../nookx" "/usr/bin/nookx" \
		"nook" "nook-x" "-x" "--remove" "--remove --remove nookx" "nookx --help" $'nookx\033y'; do
		# shellcheck disable=SC2086 # the words of the case
		run --separate-stderr "$NOOK" integrate $args
		expect_nook_error 125 || { echo "for [$args]" >&2; return 1; }
	done
	[ ! -e "$HOME/.local" ] || { echo "\$HOME/.local was made" >&2; return 1; }
	run --separate-stderr "$NOOK" integrate --help
	expect_eq "--help" 0 "$status" || return 1
	expect_match "--help" "--all" "$output"
}

# --- --all --------------------------------------------------------------------------------------

@test "--all: every program with a system profile that a menu entry starts (a link if it is in a bin directory, its entries); not the command-line tools; idempotent; --all --remove undoes it all" {
	local before
	mkdir -p "$TD/opt"
	printf '#!/bin/sh\n' >"$TD/opt/nookmenuonly"
	chmod +x "$TD/opt/nookmenuonly"
	# true and env are installed, env has a menu entry, true (a command-line tool) none: left
	# out; nookmenuonly only through its entry; nookmissing nowhere; default.profile is no
	# program's.
	for p in true env nookmenuonly nookmissing default; do
		echo "# $p" >"$NOOK_PROFILE_DIR/$p.profile"
	done
	system_entry menuonly.desktop '[Desktop Entry]' 'Type=Application' 'Name=M' "Exec=$TD/opt/nookmenuonly %f"
	system_entry envtool.desktop '[Desktop Entry]' 'Type=Application' 'Name=E' 'Exec=env %f'
	system_entry missing.desktop '[Desktop Entry]' 'Type=Application' 'Name=X' 'Exec=/nonexistent/nookmissing'
	mkdir -p "$APPS"
	printf '[Desktop Entry]\nType=Application\nName=Mine\nExec=mine\n' >"$APPS/mine.desktop"
	run --separate-stderr "$NOOK" integrate --all
	expect_eq "status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "one line per program" "env: $BIN/env, 1 menu entry
nookmenuonly: 1 menu entry" "$output" || return 1
	expect_eq "links" "env" "$(words "$(ls -A "$BIN")")" || return 1
	expect_eq "entries" "envtool.desktop menuonly.desktop mine.desktop" "$(words "$(ls -A "$APPS")")" || return 1
	expect_eq "Exec" "Exec=$NOOK_FILE $TD/opt/nookmenuonly %f" "$(exec_lines "$APPS/menuonly.desktop")" || return 1
	before=$(cd "$HOME" && find . -printf '%y %p %l\n' -type f -exec md5sum {} + | LC_ALL=C sort)
	run --separate-stderr "$NOOK" integrate --all
	expect_eq "again: status" 0 "$status" || return 1
	expect_eq "again: the same" "$before" \
		"$(cd "$HOME" && find . -printf '%y %p %l\n' -type f -exec md5sum {} + | LC_ALL=C sort)" || return 1
	# A file of the user's where a link would go: left, with a warning.
	run --separate-stderr "$NOOK" integrate --all --remove
	expect_eq "--all --remove" "env: removed
nookmenuonly: removed" "$output" || return 1
	expect_eq "links" "" "$(ls -A "$BIN")" || return 1
	expect_eq "entries" "mine.desktop" "$(ls -A "$APPS")" || return 1
	run --separate-stderr "$NOOK" integrate --all --remove
	expect_eq "--all --remove again" "0 " "$status $output" || return 1
	printf '#!/bin/sh\necho mine\n' >"$BIN/env"
	chmod +x "$BIN/env"
	run --separate-stderr "$NOOK" integrate --all
	expect_eq "status" 0 "$status" || return 1
	expect_match "warning" "^nook: warning: integrate --all: $BIN/env exists already and is not nook's; env left out" \
		"$stderr" || return 1
	expect_eq "the user's env" "mine" "$("$BIN/env")" || return 1
	run --separate-stderr "$NOOK" integrate --all --remove
	expect_eq "the user's env stays" "mine" "$("$BIN/env")"
}

# --- the link inside a sandbox, and on the host -------------------------------------------------

@test "inside a sandbox an integrated name runs the program itself (no second nook), and its output arrives" {
	probe_program
	"$NOOK" integrate nookprobe >/dev/null || return 1
	# shellcheck disable=SC2016 # the sandbox's shell expands these
	run --separate-stderr env PATH="$TD/bin:$PATH" timeout 60 "$NOOK" run -- \
		sh -c 'PATH="$HOME/.local/bin:$PATH"; command -v nookprobe; readlink /proc/self/ns/pid
			nookprobe a "b c"; echo "status $?"'
	expect_eq "status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "stderr" "" "$stderr" || return 1
	expect_eq "lines" 4 "${#lines[@]}" || { printf '%s\n' "$output" >&2; return 1; }
	expect_eq "the link" "$BIN/nookprobe" "${lines[0]}" || return 1
	expect_sandboxed "the probe" "${lines[2]}" "[a] [b c]" || return 1
	expect_eq "in the shell's sandbox" "${lines[1]}" "${lines[2]##* }" || return 1
	expect_eq "its status" "status 0" "${lines[3]}"
}

@test "on the host the link always sandboxes: what the user can create or set does not make it run the program directly" {
	local d
	probe_program
	"$NOOK" integrate nookprobe >/dev/null || return 1
	[ "$(id -u)" -ne 0 ] || skip "run as root, which can create anything"
	# The marker is where the user cannot create it.
	! touch /dev/.nook 2>/dev/null || { rm -f /dev/.nook; echo "/dev/.nook could be created" >&2; return 1; }
	# Files of that name wherever the user can write, and variables a container would set.
	for d in "$HOME" "$TD" "$BIN" "${XDG_RUNTIME_DIR:-$TD}" "/run/user/$(id -u)" /var/tmp; do
		if [ ! -e "$d/.nook" ] && touch "$d/.nook" 2>/dev/null; then
			CREATED+=("$d/.nook")
		fi
	done
	run --separate-stderr env PATH="$BIN:$TD/bin:$PATH" container=nook NOOK_SANDBOX=1 \
		timeout 60 nookprobe x
	expect_eq "status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_sandboxed "in a sandbox" "$output" "[x]"
}
