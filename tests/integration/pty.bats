#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The payload's terminal: a pty of the sandbox's own, relayed by nook, so that nothing inside
# reaches the caller's terminal. Each security property is tried from inside, and shown
# reachable with --pty=never, so that a test that passes means something.
# helpers/ptyrun.py plays the caller's terminal (and shell); helpers/ttyprobe.py acts inside.
# What the shells inside type is in single quotes on purpose: it expands there.
# shellcheck disable=SC2016
# stderr: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

PTYRUN="$NOOK_SRC/tests/integration/helpers/ptyrun.py"
TTYPROBE="$NOOK_SRC/tests/integration/helpers/ttyprobe.py"

setup() {
	T="$BATS_TEST_TMPDIR"
	cd "$T" || return 1
	TAG=$(unique_tag)
}

teardown() {
	kill_procs_matching "$TAG"
	return 0
}

# in_terminal [PTYRUN STEPS] -- CMD...: CMD on a terminal of its own, led by it as a shell
# started in a terminal window is. $output: ptyrun's report; $SCREEN: what the terminal
# showed, without the \r of its output processing.
in_terminal() {
	rm -f "$T/screen"
	run --separate-stderr timeout -k 5 60 "$NOOK_PYTHON" "$PTYRUN" --out "$T/screen" "$@"
	SCREEN=
	[ ! -e "$T/screen" ] || SCREEN=$(tr -d '\r' <"$T/screen" | drop_nested_warning)
	if [ "$status" -ne 0 ]; then
		printf 'ptyrun exited %s\nstderr: %s\nreport: %s\n' "$status" "$stderr" "$output" >&2
		return 1
	fi
}

# probe ACTION [ARG...]: the command line of ttyprobe inside.
probe() {
	printf '%q ' "$NOOK_PYTHON" "$TTYPROBE" "$@"
}

# need_tiocsti_here: TIOCSTI works on a terminal right here, without nook (a control that
# allows it inside needs it): inside nook, the filter around refuses it whatever nook allows.
need_tiocsti_here() {
	in_terminal -- sh -c "$(probe tiocsti 0 ' ')" || return 1
	grep -qx ok <<<"$SCREEN" && return 0
	lacks --nested "TIOCSTI is refused here, without nook too: $(grep -x 'E[A-Z]*' <<<"$SCREEN")"
}

# ---- the sandbox's own terminal ----

@test "inside, tty names a pty of the sandbox's devpts; the payload leads its session on it" {
	in_terminal -t -- "$NOOK" run -- sh -c \
		"[ -t 0 ] && echo stdin-is-a-tty; tty; stat -c 'devpts %d' /dev/pts/ptmx; $(probe fds); exec $(probe session)"
	expect_line "nook's status" "status 0" "$output"
	expect_line "stdin" "stdin-is-a-tty" "$SCREEN"
	expect_match "tty inside" $'(^|\n)/dev/pts/[0-9]+\n' "$SCREEN"
	expect_line "session" "leader yes" "$SCREEN"
	expect_line "controlling terminal" "ctty yes" "$SCREEN"
	expect_line "foreground" "fg yes" "$SCREEN"
	# fds 0-2 are ptys of the devpts mounted inside, not the caller's terminal.
	local devpts caller fd
	devpts=$(sed -n 's/^devpts //p' <<<"$SCREEN")
	caller=$(sed -n 's/^tty //p' <<<"$output")
	for fd in 0 1 2; do
		local seen
		seen=$(sed -n "s/^fd$fd //p" <<<"$SCREEN")
		expect_match "fd $fd inside (dev rdev)" "^$devpts [0-9]+$" "$seen"
		[ "$seen" != "$caller" ] || { echo "fd $fd inside is the caller's terminal ($caller)" >&2; false; }
	done
	[ "${caller%% *}" != "$devpts" ] || { echo "the sandbox's devpts is the caller's ($devpts)" >&2; false; }
	expect_line "the caller's terminal afterwards" "modes restored" "$output"
}

@test "control: with --pty=never the payload has the caller's terminal and session" {
	in_terminal -t -- "$NOOK" run --pty=never -- sh -c "$(probe fds); exec $(probe session)"
	expect_line "session" "leader no" "$SCREEN"
	expect_line "controlling terminal" "ctty yes" "$SCREEN"
	expect_line "fd 0 inside" "fd0 $(sed -n 's/^tty //p' <<<"$output")" "$SCREEN"
}

# ---- what must not reach the caller's terminal ----

@test "TIOCSTI from inside into fds 0-2 and /dev/tty does not reach the caller's terminal" {
	# With the filter, as by default: refused outright.
	in_terminal -- "$NOOK" run -- sh -c "$(probe tiocsti 0 "echo INJECTED-$TAG")"
	expect_line "TIOCSTI with the default filter" "EPERM" "$SCREEN"
	expect_line "input the caller's terminal got" "pending b''" "$output"
	# The filter refuses TIOCSTI; allowed here, so that only the pty stands in the way.
	need_tiocsti_here
	in_terminal -- "$NOOK" run --seccomp-allow=ioctl -- sh -c \
		"for fd in 0 1 2; do $(probe tiocsti) \"\$fd\" 'echo INJECTED-$TAG'; done"
	expect_line "nook's status" "status 0" "$output"
	expect_eq "TIOCSTI inside (into its own pty)" "ok ok ok" "$(grep -x 'ok\|E[A-Z]*' <<<"$SCREEN" | xargs)"
	expect_line "input the caller's terminal got" "pending b''" "$output"
}

@test "control: with --pty=never and the filter allowing it, TIOCSTI injects into the caller's terminal" {
	need_tiocsti_here
	in_terminal -- "$NOOK" run --pty=never --seccomp-allow=ioctl -- sh -c "$(probe tiocsti 0 "echo INJECTED-$TAG")"
	expect_line "TIOCSTI" "ok" "$SCREEN"
	expect_line "input the caller's terminal got" "pending b'echo INJECTED-$TAG\\n'" "$output"
}

@test "tcsetpgrp from inside does not take the caller's terminal's foreground" {
	in_terminal -e "done-$TAG" -f -- "$NOOK" run -- sh -c \
		"$(probe tcsetpgrp 0); echo done-$TAG; sleep 1"
	expect_line "tcsetpgrp inside (its own pty)" "ok" "$SCREEN"
	expect_line "the caller's terminal's foreground" "fg cmd" "$output"
	expect_line "nook's status" "status 0" "$output"
}

@test "control: with --pty=never tcsetpgrp from inside takes the caller's terminal's foreground" {
	in_terminal -e "done-$TAG" -f -- "$NOOK" run --pty=never -- sh -c \
		"$(probe tcsetpgrp 0); echo done-$TAG; sleep 1"
	expect_line "tcsetpgrp" "ok" "$SCREEN"
	expect_line "the caller's terminal's foreground" "fg other" "$output"
}

@test "TIOCSETD from inside does not change the caller's terminal's line discipline" {
	# 27 is N_NULL, which discards everything: the pty inside goes quiet, the caller's not.
	in_terminal -w 1 -d -- "$NOOK" run -- sh -c "$(probe tiocsetd 0 27); sleep 1"
	expect_eq "the caller's line discipline (during, after)" "ldisc 0 ldisc 0" \
		"$(grep '^ldisc' <<<"$output" | xargs)"
	expect_line "nook's status" "status 0" "$output"
}

@test "control: with --pty=never TIOCSETD from inside changes the caller's terminal" {
	in_terminal -w 1 -d -- "$NOOK" run --pty=never -- sh -c "$(probe tiocsetd 0 27); sleep 1"
	expect_line "the caller's line discipline" "ldisc 27" "$output"
}

@test "a caller's terminal on stdout only is replaced too: TIOCSETD and reads reach only the pty" {
	# stdin /dev/null, stdout and stderr the terminal: a program can still read fd 1.
	in_terminal --stdin-null -- "$NOOK" run --dry-run -- true
	expect_line "spec" "terminal pty stdout,stderr" "$SCREEN"
	in_terminal --stdin-null -w 1 -d -- "$NOOK" run -- sh -c \
		"[ -t 0 ] || echo stdin-not-a-tty; $(probe tiocsetd 1 27); sleep 1"
	expect_line "stdin" "stdin-not-a-tty" "$SCREEN"
	expect_eq "the caller's line discipline (during, after)" "ldisc 0 ldisc 0" \
		"$(grep '^ldisc' <<<"$output" | xargs)"
	# --pty=never: a session of its own, but fd 1 is the caller's terminal, and reaches it.
	in_terminal --stdin-null -w 1 -d -- "$NOOK" run --pty=never -- sh -c "$(probe tiocsetd 1 27); sleep 1"
	expect_line "the caller's line discipline with --pty=never" "ldisc 27" "$output"
}

@test "a background job cannot read the caller's next input" {
	# A shell without job control: the job keeps the caller's terminal on stdout and stderr.
	in_terminal -e armed -s "secret-$TAG\r" -e stole -- sh -c \
		"$NOOK run -- $(probe steal 2) & sleep 3; wait"
	expect_line "what the job read" "stole b''" "$SCREEN"
	expect_line "input left for the caller" "pending b'secret-$TAG\\n'" "$output"
}

@test "control: with --pty=never a background job reads the caller's next input" {
	in_terminal -e armed -s "secret-$TAG\r" -e stole -- sh -c \
		"$NOOK run --pty=never -- $(probe steal 2) & sleep 3; wait"
	expect_line "what the job read" "stole b'secret-$TAG\\n'" "$SCREEN"
}

@test "in an interactive shell, nook run ... & cannot take the terminal from the shell" {
	in_terminal -e '\$ $' -s "$NOOK run -- $(probe steal 2) &\r" -e armed -w 0.3 -f \
		-s "echo typed-at-shell-\$((6*7))\r" -e stole -w 0.5 -s 'exit\r' -- \
		bash --norc --noprofile -i
	expect_line "the caller's terminal's foreground" "fg cmd" "$output"
	expect_match "what the job read" "stole b''"$'\n' "$SCREEN"
	expect_line "the shell ran what was typed" "typed-at-shell-42" "$SCREEN"
}

@test "control: with --pty=never, nook run ... & takes the terminal from the shell" {
	# The shell, its terminal gone, reads EIO and exits (or the job reads what is typed next).
	in_terminal -e '\$ $' -s "$NOOK run --pty=never -- $(probe steal 2) &\r" -e armed -f \
		-k KILL -- bash --norc --noprofile -i
	expect_line "the caller's terminal's foreground" "fg other" "$output"
}

# ---- a working terminal ----

@test "job control inside: jobs, Ctrl-C and Ctrl-Z act on the sandbox's foreground job" {
	in_terminal -e 'IN\$ $' \
		-s 'sleep 100 & jobs; echo J$((1+1))\r' -e 'Running +sleep 100.*J2' \
		-s 'echo S$((0+1)); sleep 50\r' -e 'S1' -w 0.5 -s '\x03' \
		-s 'echo alive-$((40+2)) $?\r' -e 'alive-42 130' \
		-s 'echo T$((0+1)); sleep 51\r' -e 'T1' -w 0.5 -s '\x1a' -e 'Stopped +sleep 51' \
		-s 'kill -KILL %1 %2; wait; echo Z$((1+1))\r' -e 'Z2' -s 'exit 5\r' -- \
		"$NOOK" run --env 'PS1=IN$ ' -- bash --norc --noprofile -i
	expect_line "nook's status" "status 5" "$output"
	expect_line "the caller's terminal afterwards" "modes restored" "$output"
}

@test "window size: the caller's at the start, and each resize (SIGWINCH) after" {
	in_terminal --rows 45 --cols 123 -- "$NOOK" run -- stty size
	expect_eq "stty size inside" "45 123" "$SCREEN"
	in_terminal --rows 45 --cols 123 -e ready -r 50,132 -e 'size 50 132' -r 20,70 \
		-e 'size 20 70' -s 'q\r' -- "$NOOK" run -- "$NOOK_PYTHON" "$TTYPROBE" winch
	expect_eq "sizes seen inside" "size 45 123 ready size 50 132 size 20 70" \
		"$(grep -x 'size [0-9]* [0-9]*\|ready' <<<"$SCREEN" | xargs)"
	expect_line "nook's status" "status 0" "$output"
}

@test "output and exit status through the pty: the payload's, 128+N for a signal" {
	in_terminal -- "$NOOK" run -- sh -c 'printf x; exit 7'
	expect_eq "output" "x" "$SCREEN"
	expect_line "status" "status 7" "$output"
	in_terminal -- "$NOOK" run -- sh -c 'echo before; kill -KILL $$'
	expect_eq "output" "before" "$SCREEN"
	expect_line "status" "status 137" "$output"
	in_terminal -- "$NOOK" run -- "no-such-program-$TAG"
	expect_line "status" "status 127" "$output"
	expect_match "message" "nook: cannot execute no-such-program" "$SCREEN"
}

@test "the last output of a payload that exits at once is all passed on" {
	in_terminal -- "$NOOK" run -- seq 1 20000
	expect_eq "lines" 20000 "$(grep -c . <<<"$SCREEN")"
	expect_eq "last line" 20000 "$(tail -n1 <<<"$SCREEN")"
}

@test "a pipe or a file stays one: only the terminals among fds 0-2 are the pty" {
	in_terminal -- sh -c "$NOOK run -- sh -c '[ -t 0 ] && echo in-tty >&2; [ -t 1 ] || echo out-not-tty >&2; printf \"a\\nb\\n\"' >$T/file"
	expect_line "stdin" "in-tty" "$SCREEN"
	expect_line "stdout" "out-not-tty" "$SCREEN"
	expect_eq "the file (no \\r)" "610a620a" "$(od -An -tx1 "$T/file" | tr -d ' \n')"
}

# ---- the caller's terminal, as it was ----

@test "raw while the payload runs; the modes back after a crash, kill -TERM, -ALRM and -9" {
	in_terminal -e "ready" -m -- "$NOOK" run -- sh -c 'echo ready; sleep 0.5; kill -SEGV $$'
	expect_line "while running" "mode raw" "$output"
	expect_line "after a crash" "status 139" "$output"
	expect_line "after a crash" "modes restored" "$output"
	in_terminal -e "ready" -k TERM -- "$NOOK" run -- sh -c "echo ready; exec sleep 100.$TAG"
	expect_line "kill -TERM nook (passed on)" "status 143" "$output"
	expect_line "kill -TERM nook" "modes restored" "$output"
	in_terminal -e "ready" -k ALRM -- "$NOOK" run -- sh -c "echo ready; exec sleep 100.$TAG"
	expect_line "kill -ALRM nook (ends it)" "status 142" "$output"
	expect_line "kill -ALRM nook" "modes restored" "$output"
	in_terminal -e "ready" -K "KILL:^sleep 100.$TAG" -- "$NOOK" run -- sh -c "echo ready; exec sleep 100.$TAG"
	expect_line "kill -9 of the payload" "status 137" "$output"
	expect_line "kill -9 of the payload" "modes restored" "$output"
	wait_no_procs "$TAG"
}

@test "kill -TSTP: nook gives the terminal back as it was and stops; continued, raw again" {
	in_terminal -e "ready" -m -k TSTP -w 0.5 -m -k CONT -w 0.5 -m -s 'q\r' -- \
		"$NOOK" run -- sh -c 'echo ready; read -r x; echo "read $x"'
	expect_eq "modes: running, stopped, continued" "mode raw mode cooked mode raw" \
		"$(grep '^mode ' <<<"$output" | xargs)"
	expect_line "after" "modes restored" "$output"
}

@test "the caller's terminal hangs up: the payload gets SIGHUP, nook ends" {
	in_terminal -e "ready" -H -- "$NOOK" run -- sh -c "echo ready; exec sleep 100.$TAG"
	expect_line "status" "status 129" "$output"
	wait_no_procs "$TAG"
}

# ---- without a terminal ----

@test "stdin not a terminal: a session of its own, no controlling terminal" {
	run --separate-stderr nook_t run -- sh -c "tty; exec $(probe session)" </dev/null
	expect_eq "tty, session" $'not a tty\nleader yes\nctty none' "$output"
	run --separate-stderr nook_t run --pty=never -- sh -c "exec $(probe session)" </dev/null
	expect_eq "--pty=never" $'leader yes\nctty none' "$output"
}

@test "--pty=always without a terminal: a pty relayed over the plain fds, end of file included" {
	run --separate-stderr nook_t run --pty=always -- sh -c 'tty; printf "%s\n" "$(stty size)"' </dev/null
	expect_match "tty" '^/dev/pts/[0-9]+' "$output"
	run --separate-stderr bash -c "printf 'a\nb\n' | timeout 20 $NOOK run --pty=always -- sh -c 'cat; cat; echo done; exit 3'"
	expect_eq "status" 3 "$status"
	expect_eq "output (without \\r), input not echoed" $'a\nb\ndone' "$(tr -d '\r' <<<"$output")"
	run --separate-stderr bash -c "printf 'echo hi-\$((1+1))\n' | timeout 20 $NOOK run --pty=always -- bash --norc --noprofile -i"
	expect_eq "an interactive shell ends at the end of its input" 0 "$status"
	expect_match "its output" $'hi-2\r' "$output"
	run --separate-stderr bash -c "printf 'partial' | timeout 20 $NOOK run --pty=always -- cat"
	expect_eq "a last line without its end" "partial" "$output"
}

@test "--pty=always: the reader of the output goes away, the payload gets SIGHUP" {
	run --separate-stderr bash -c "timeout 20 $NOOK run --pty=always -- yes </dev/null | head -n1; echo \"\${PIPESTATUS[0]}\""
	expect_eq "first line, nook's status" $'y\r\n129' "$output"
}

# ---- the option ----

@test "--pty=bogus: one line, 125" {
	run --separate-stderr "$NOOK" run --pty=bogus -- true
	expect_nook_error 125
	expect_eq "message" "nook: --pty: unknown value 'bogus' (expected auto, always or never)" "$stderr"
}

@test "--dry-run shows the terminal for auto, always and never, with and without a terminal" {
	local mode want
	for mode in auto always never; do
		run --separate-stderr "$NOOK" run --dry-run --pty=$mode -- true </dev/null
		case $mode in
		always) want="terminal pty stdin,stdout,stderr" ;;
		*) want="terminal new-session" ;;
		esac
		expect_line "--pty=$mode without a terminal" "$want" "$output"
		in_terminal -- "$NOOK" run -q --dry-run --pty=$mode -- true
		case $mode in
		never) want="terminal inherit" ;;
		*) want="terminal pty stdin,stdout,stderr" ;;
		esac
		expect_line "--pty=$mode on a terminal" "$want" "$SCREEN"
	done
	in_terminal -- sh -c "$NOOK run -q --dry-run -- true | grep ^terminal"
	expect_eq "stdout a pipe" "terminal pty stdin,stderr" "$SCREEN"
}
