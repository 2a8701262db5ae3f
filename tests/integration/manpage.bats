#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The man pages and the built-in help describe the same nook: each command's page nook-C.1
# has the options (with the same argument names), the subcommands and the exit statuses of
# 'nook C --help'; the overview nook.1 has the commands and the global options of nook --help;
# nook-profile.5 has the directives; every page is installed and renders cleanly.
#
# How the pages are read (the conventions are also written at the top of each page):
#  - an option is the tag line of a .TP entry of the page's OPTIONS section, spelled as --help
#    spells it: ".B \-\-dry\-run", ".BR \-\-rootfs =\fIDIR\fR", ".BR \-q \", \" \-\-quiet",
#    ".BR \-\-private [=\fIDIR\fR]";
#  - a command (of nook.1) or subcommand (of nook-overlay.1, nook-profile.1) is the first word
#    of the tag of a .TP entry of the page's COMMANDS section;
#  - an exit status is the tag of a .TP entry of the page's EXIT STATUS section;
#  - a profile directive is the first word of the tag of a .TP entry of nook-profile.5's
#    DIRECTIVES section: ".B nosound", ".BR whitelist \" \" \fIPATH\fR".
# NOOK_MANDIR (a copy of man/) and NOOK_PROFILE_MANPAGE override the pages read (to check that
# these tests catch a mismatch).
load ../lib/common

MANDIR="${NOOK_MANDIR:-$NOOK_SRC/man}"
MANPAGE="$MANDIR/nook.1"
RUNPAGE="$MANDIR/nook-run.1"
MANPAGE5="${NOOK_PROFILE_MANPAGE:-$MANDIR/nook-profile.5}"

# The page of command $1: nook-run.1, nook-doctor.1, ...
command_page() {
	printf '%s/nook-%s.1\n' "$MANDIR" "$1"
}

# The tag line of every .TP entry of man page section $1 (subsections included) of page $2
# (default: nook.1), as plain text: the macro's arguments joined the way it joins them (.B/.I
# with spaces, .BR and the other alternating macros without), font escapes dropped, \- as -.
man_tags() {
	awk -v sec="$1" '
	function plain(line,    macro, rest, args, n, i, c, cur, have, inq, sep, out) {
		if (line ~ /^\./) {
			macro = line
			sub(/[ \t].*/, "", macro)
			rest = line
			sub(/^\.[A-Za-z]+[ \t]*/, "", rest)
			n = 0; cur = ""; have = 0; inq = 0
			for (i = 1; i <= length(rest); i++) {
				c = substr(rest, i, 1)
				if (c == "\\") {
					cur = cur c substr(rest, i + 1, 1); i++; have = 1
				} else if (c == "\"") {
					inq = !inq; have = 1
				} else if ((c == " " || c == "\t") && !inq) {
					if (have) { args[++n] = cur; cur = ""; have = 0 }
				} else {
					cur = cur c; have = 1
				}
			}
			if (have)
				args[++n] = cur
			sep = (macro == ".B" || macro == ".I" || macro == ".SM") ? " " : ""
			out = ""
			for (i = 1; i <= n; i++)
				out = out (i > 1 ? sep : "") args[i]
		} else {
			out = line
		}
		gsub(/\\f[BIRP]/, "", out)
		gsub(/\\-/, "-", out)
		gsub(/\\&/, "", out)
		gsub(/\\ /, " ", out)
		gsub(/\\e/, "\\", out)
		return out
	}
	/^\.SH/ {
		s = $0
		sub(/^\.SH[ \t]*/, "", s)
		gsub(/"/, "", s)
		insec = (s == sec)
		want = 0
		next
	}
	insec && /^\.TP/ { want = 1; next }
	insec && want && !/^\.\\"/ { print plain($0); want = 0 }
	' "${2:-$MANPAGE}"
}

# Option specs ("-q, --quiet", "--rootfs=DIR", "--x11[=none]") of the option lines read from
# stdin: lines that start, after their indentation, with "-". A line that does not parse is
# printed as it is, so that it shows up in the differences instead of vanishing.
option_specs() {
	local line re_long re_short
	re_long='^[[:space:]]*((-[A-Za-z]), )?(--[A-Za-z0-9][A-Za-z0-9.-]*)(\[?=[^[:space:]]+)?([[:space:]]|$)'
	re_short='^[[:space:]]*(-[A-Za-z])([[:space:]]|$)'
	while IFS= read -r line; do
		[[ "$line" =~ ^[[:space:]]*- ]] || continue
		if [[ "$line" =~ $re_long ]]; then
			printf '%s%s%s\n' "${BASH_REMATCH[2]:+${BASH_REMATCH[2]}, }" \
				"${BASH_REMATCH[3]}" "${BASH_REMATCH[4]}"
		elif [[ "$line" =~ $re_short ]]; then
			printf '%s\n' "${BASH_REMATCH[1]}"
		else
			printf 'UNPARSED[%s]\n' "$line"
		fi
	done
}

# The option specs of page $1 (default: nook.1).
man_option_specs() {
	man_tags OPTIONS "${1:-$MANPAGE}" | option_specs
}

# From option specs on stdin: the long options with their argument ("--rootfs=DIR").
long_with_arg() {
	sed -E 's/^-[A-Za-z], //' | sort -u
}

# The long option names alone ("--rootfs", "--x11").
long_names() {
	sed -E 's/^-[A-Za-z], //; s/\[?=.*//' | sort -u
}

# The short option names ("-q"), and what did not parse.
short_names() {
	sed -nE 's/^(-[A-Za-z])(, .*)?$/\1/p; /^UNPARSED/p' | sort -u
}

# Compare two sorted sets; on a difference say which side has what, and fail. Two empty sets
# are an error (the extraction is broken) unless $6 is "empty-ok".
same_set() {
	local what="$1" left_name="$2" left="$3" right_name="$4" right="$5" empty="${6:-}"
	local only_left only_right
	only_left="$(comm -23 <(printf '%s\n' "$left" | sed '/^$/d' | sort -u) \
		<(printf '%s\n' "$right" | sed '/^$/d' | sort -u) | paste -sd' ')"
	only_right="$(comm -13 <(printf '%s\n' "$left" | sed '/^$/d' | sort -u) \
		<(printf '%s\n' "$right" | sed '/^$/d' | sort -u) | paste -sd' ')"
	if [ -n "$only_left" ] || [ -n "$only_right" ]; then
		echo "$what differ:" >&2
		[ -z "$only_left" ] || echo "  in $left_name, not in $right_name: $only_left" >&2
		[ -z "$only_right" ] || echo "  in $right_name, not in $left_name: $only_right" >&2
		return 1
	fi
	if [ -z "$left" ] && [ "$empty" != empty-ok ]; then
		echo "$what: none found at all (the extraction is broken)" >&2
		return 1
	fi
}

# The lines of --help's section $1 ("Commands:", "Options:"): from its title to a blank line.
help_section() {
	awk -v title="$1" '$0 == title { f = 1; next } f && /^$/ { exit } f'
}

# The commands of nook --help.
main_commands() {
	"$NOOK" --help | help_section "Commands:" | awk '{ print $1 }'
}

# The options in the Usage: lines of a help read from stdin ("nook integrate --remove
# PROGRAM" gives --remove; "[--]" gives nothing).
usage_options() {
	awk '/^Usage:/ { u = 1 } u && !/^(Usage:|[[:space:]]+nook )/ { u = 0 } u' |
		tr -s '[:blank:]' '\n' | sed -nE 's/^\[?(--[A-Za-z0-9][A-Za-z0-9.-]*)\]?$/\1/p'
}

# The subcommands in the Usage: lines of a help read from stdin: the lower-case word after
# "nook COMMAND" ("nook overlay diff NAME" gives diff).
usage_subcommands() {
	awk '/^Usage:/ { u = 1; sub(/^Usage:/, "") } u && !/^[[:space:]]+nook / { u = 0 }
		u && $3 ~ /^[a-z]+$/ { print $3 }'
}

# The option specs of command $1 as its help gives them: its option lines, the options of its
# Usage: lines, and "-h, --help" when 'nook $1 --help' and 'nook $1 -h' show that help (the
# help of profile and integrate does not list it).
command_option_specs() {
	local c="$1" help
	help="$("$NOOK" help "$c")"
	{
		option_specs <<<"$help"
		usage_options <<<"$help"
		if [ "$("$NOOK" "$c" --help 2>/dev/null)" = "$help" ] &&
			[ "$("$NOOK" "$c" -h 2>/dev/null)" = "$help" ]; then
			echo "-h, --help"
		fi
	} | sort -u
}

# The exit statuses that the help of command $1 names: the words of its "Exit status:" part
# that are statuses, and the N of an "exit N" ("exit 1 if any").
help_statuses() {
	local help
	help="$("$NOOK" help "$1")"
	{
		sed -n '/^Exit status:/,$p' <<<"$help" | tr -cs '0-9A-Za-z+' '\n' |
			grep -xE '[0-9]+|128\+N' || true
		grep -oE '\bexit [0-9]+' <<<"$help" | sed 's/^exit //' || true
	} | sort -u
}

# The long options of run (the Options: of nook --help), without their dashes.
run_option_names() {
	"$NOOK" --help | help_section "Options:" | option_specs | long_names | sed 's/^--//'
}

# The profile directives, as nook itself knows them: the options of run that
# 'nook profile check' does not call an unknown directive.
profile_directives() {
	local name f="$BATS_TEST_TMPDIR/one.profile"
	for name in $(run_option_names); do
		printf '%s\n' "$name" >"$f"
		"$NOOK" profile check "$f" 2>&1 | grep -qF "unknown directive '$name'" ||
			printf '%s\n' "$name"
	done
}

@test "the long options of nook run --help are those of nook-run.1" {
	local help
	help="$("$NOOK" run --help)"
	same_set "long options" "nook run --help" "$(option_specs <<<"$help" | long_names)" \
		"nook-run.1" "$(man_option_specs "$RUNPAGE" | long_names)"
}

@test "the short options of nook run --help are those of nook-run.1" {
	local help
	help="$("$NOOK" run --help)"
	same_set "short options" "nook run --help" "$(option_specs <<<"$help" | short_names)" \
		"nook-run.1" "$(man_option_specs "$RUNPAGE" | short_names)"
}

@test "each option takes the same argument in nook run --help and nook-run.1" {
	local help
	help="$("$NOOK" run --help)"
	same_set "options with their arguments" "nook run --help" \
		"$(option_specs <<<"$help" | long_with_arg)" \
		"nook-run.1" "$(man_option_specs "$RUNPAGE" | long_with_arg)"
}

@test "the global options of nook --help are those of nook.1" {
	local help
	help="$("$NOOK" --help)"
	same_set "global options" "Global options: of nook --help" \
		"$(help_section "Global options:" <<<"$help" | option_specs | sort -u)" \
		"nook.1" "$(man_option_specs | sort -u)"
}

@test "the options of every other command's help are those of its page" {
	local c page
	for c in $(main_commands); do
		[ "$c" != run ] || continue
		page="$(command_page "$c")"
		# help takes no option: both sides are empty.
		same_set "options of $c" "nook help $c" "$(command_option_specs "$c")" \
			"$(basename "$page")" "$(man_option_specs "$page" | sort -u)" empty-ok || return 1
	done
}

@test "nook help run lists the options of nook --help" {
	local help run_help global
	help="$("$NOOK" --help)"
	run_help="$("$NOOK" help run)"
	# The options part of --help is run's help.
	same_set "options of run" "nook help run" "$(option_specs <<<"$run_help" | sort -u)" \
		"the Options: of nook --help" "$(help_section "Options:" <<<"$help" | option_specs | sort -u)"
	# And --help has no option beyond those of run and the global ones.
	global="$(help_section "Global options:" <<<"$help" | option_specs)"
	same_set "all options" "nook --help" "$(option_specs <<<"$help" | sort -u)" \
		"nook help run + Global options:" "$(printf '%s\n%s\n' "$run_help" "$global" | option_specs | sort -u)"
	# "nook run --help" is the same text.
	expect_eq "nook run --help" "$run_help" "$("$NOOK" run --help)"
}

@test "every exit status of run is in nook --help and in nook-run.1's EXIT STATUS" {
	local help help_words man_status s missing=""
	help="$("$NOOK" --help)"
	# From "Exit status:" to the end, as words: "128+N;" gives "128+N".
	help_words="$(sed -n '/^Exit status:/,$p' <<<"$help" | tr -cs "0-9A-Za-z+'" '\n')"
	man_status="$(man_tags "EXIT STATUS" "$RUNPAGE")"
	for s in 0 125 126 127 128+N; do
		if ! grep -qxF -- "$s" <<<"$help_words"; then
			# Status 0 is "PROGRAM's status" in --help, which says what every status means.
			if ! { [ "$s" = 0 ] && grep -qF "PROGRAM's status" <<<"$help"; }; then
				missing+=" $s (in --help)"
			fi
		fi
		grep -qxF -- "$s" <<<"$man_status" || missing+=" $s (in nook-run.1)"
	done
	if [ -n "$missing" ]; then
		echo "exit statuses not documented:$missing" >&2
		echo "nook-run.1's EXIT STATUS tags: $(paste -sd' ' <<<"$man_status")" >&2
		return 1
	fi
}

@test "every exit status a command's help names is under EXIT STATUS in its page" {
	local c page man_status s missing=""
	for c in $(main_commands); do
		page="$(command_page "$c")"
		man_status="$(man_tags "EXIT STATUS" "$page")"
		# Those of doctor (0, 1, 125), overlay (0, 125), profile check (1), ...
		for s in $(help_statuses "$c"); do
			grep -qxF -- "$s" <<<"$man_status" || missing+=" $s of $c"
		done
		# And the convention of nook.1: 0 for success, 125 when nook failed.
		for s in 0 125; do
			grep -qxF -- "$s" <<<"$man_status" || missing+=" $s of $c"
		done
	done
	if [ -n "$missing" ]; then
		echo "exit statuses not under EXIT STATUS of the command's page:$missing" >&2
		return 1
	fi
	# The overview has the convention too.
	man_status="$(man_tags "EXIT STATUS")"
	grep -qxF 0 <<<"$man_status" && grep -qxF 125 <<<"$man_status" ||
		{ echo "nook.1's EXIT STATUS lacks 0 or 125" >&2; return 1; }
	# doctor's 1 is found in its help: the extraction works.
	grep -qxF 1 <<<"$(help_statuses doctor)" ||
		{ echo "no status 1 found in nook doctor --help" >&2; return 1; }
}

@test "every command of nook --help has an entry under COMMANDS in nook.1, and a page" {
	local cmds c page pages
	cmds="$(main_commands)"
	same_set "commands" "--help" "$cmds" "nook.1" "$(man_tags COMMANDS | awk '{ print $1 }')"
	for c in $cmds; do
		# Each one has a help of its own...
		"$NOOK" help "$c" >/dev/null || { echo "nook help $c failed" >&2; return 1; }
		# ... and a page, named after it, that nook.1 points to.
		page="$(command_page "$c")"
		[ -f "$page" ] || { echo "no page $page for command $c" >&2; return 1; }
		grep -qF -- ".TH NOOK\-${c^^} 1 " "$page" ||
			{ echo "$page: no '.TH NOOK\-${c^^} 1'" >&2; return 1; }
		grep -qF -- "nook\-$c \- " "$page" ||
			{ echo "$page: no NAME 'nook\-$c \- ...'" >&2; return 1; }
		grep -qF -- ".BR nook\-$c (1)" "$MANPAGE" ||
			{ echo "nook.1 does not point to nook-$c(1)" >&2; return 1; }
	done
	# And no page of a command that does not exist.
	pages="$(for page in "$MANDIR"/nook-*.1; do
		page="${page##*/nook-}"
		printf '%s\n' "${page%.1}"
	done)"
	same_set "commands" "--help" "$cmds" "man/nook-*.1" "$pages"
}

@test "the subcommands of overlay and profile are under COMMANDS in their pages" {
	local c page subs
	for c in $(main_commands); do
		page="$(command_page "$c")"
		subs="$("$NOOK" help "$c" | usage_subcommands)"
		same_set "subcommands of $c" "nook help $c" "$subs" \
			"$(basename "$page")" "$(man_tags COMMANDS "$page" | awk '{ print $1 }')" \
			empty-ok || return 1
	done
	# The extraction works: overlay has list, diff and rm.
	expect_eq "subcommands of overlay" "list diff rm" \
		"$("$NOOK" help overlay | usage_subcommands | paste -sd' ')"
}

@test "every NOOK_* variable the source reads is under ENVIRONMENT in nook.1" {
	local read_vars documented
	read_vars="$(grep -rhoE 'getenv\(([a-z_]+, *)?"NOOK_[A-Z0-9_]+"' "$NOOK_SRC/src" | sed -E 's/.*"(.*)"/\1/')"
	documented="$(man_tags ENVIRONMENT | grep -oE 'NOOK_[A-Z0-9_]+')"
	same_set "NOOK_* variables" "src/" "$read_vars" "nook.1" "$documented"
}

@test "everything the default seccomp filter denies is named in nook-run.1" {
	local spec names page n missing=""
	spec="$("$NOOK" run --quiet --dry-run -- true)"
	# "seccomp-deny keyctl add_key ...", "seccomp-deny-ioctl TIOCSTI TIOCLINUX", ...
	names="$(sed -nE 's/^seccomp-(deny|deny-namespaces|enosys|deny-ioctl|deny-personality|deny-socket) //p' \
		<<<"$spec" | tr ' ' '\n' | grep -vxF '...' | sed '/^$/d')"
	[ -n "$names" ] || { echo "no seccomp-deny line in --dry-run's output" >&2; return 1; }
	page="$(sed 's/\\-/-/g' "$RUNPAGE")"
	for n in $names; do
		grep -qwF -- "$n" <<<"$page" || missing+=" $n"
	done
	if [ -n "$missing" ]; then
		echo "denied by the default filter, not in nook-run.1:$missing" >&2
		return 1
	fi
}

@test "man/meson.build installs every page of man/" {
	local installed present
	installed="$(grep -oE "'[^']+\.[1-8]'" "$NOOK_SRC/man/meson.build" | tr -d "'")"
	present="$(cd "$NOOK_SRC/man" && ls -- *.[1-8])"
	same_set "pages" "man/meson.build" "$installed" "man/" "$present"
}

@test "nook.1 names every page, and nook-profile.1 and nook-profile.5 name each other" {
	local f name sect missing=""
	for f in "$MANDIR"/*.[1-8]; do
		name="$(basename "$f")"
		sect="${name##*.}"
		name="${name%.*}"
		[ "$name.$sect" != nook.1 ] || continue
		grep -qF -- ".BR ${name//-/\\-} ($sect)" "$MANPAGE" || missing+=" $name($sect) in nook.1"
	done
	grep -qF -- '.BR nook\-profile (5)' "$MANDIR/nook-profile.1" ||
		missing+=" nook-profile(5) in nook-profile.1"
	grep -qF -- '.BR nook\-profile (1)' "$MANPAGE5" || missing+=" nook-profile(1) in nook-profile.5"
	if [ -n "$missing" ]; then
		echo "not referenced:$missing" >&2
		return 1
	fi
}

@test "groff and man render every page without warnings" {
	local f out
	command -v groff >/dev/null || skip "groff is not installed (apt-get install groff-base)"
	for f in "$MANDIR"/*.[1-8]; do
		out="$(groff -man -ww -z "$f" 2>&1)"
		expect_eq "groff -man -ww -z $(basename "$f")" "" "$out" || return 1
		out="$(groff -man -ww -z -Tutf8 "$f" 2>&1)"
		expect_eq "groff -man -ww -z -Tutf8 $(basename "$f")" "" "$out" || return 1
		if command -v man >/dev/null; then
			out="$(MANWIDTH=100 man --warnings -l "$f" 2>&1 >/dev/null)"
			expect_eq "man --warnings -l $(basename "$f")" "" "$out" || return 1
		fi
	done
}

@test "every profile directive is under DIRECTIVES in nook-profile.5, and nothing else is" {
	local directives not_directives cli_only
	directives="$(profile_directives)"
	# The options that are not directives are those of the table marked OPT_CLI_ONLY (and
	# --help, which is not in the table).
	not_directives="$(comm -23 <(run_option_names | sort -u) \
		<(printf '%s\n' "$directives" | sort -u) | grep -vxF help)"
	cli_only="$(sed -nE 's/^[[:space:]]*\{"([a-z0-9-]+)",.*OPT_CLI_ONLY.*/\1/p' \
		"$NOOK_SRC/src/request/options.c")"
	same_set "options that are not directives" "nook profile check" "$not_directives" \
		"src/request/options.c (OPT_CLI_ONLY)" "$cli_only"
	same_set "directives" "nook profile check" "$directives" \
		"nook-profile.5" "$(man_tags DIRECTIVES "$MANPAGE5" | awk '{ print $1 }')"
}

@test "every firejail directive nook skips is named in nook-profile.5's FIREJAIL COMPATIBILITY" {
	local names section n missing=""
	# The table "unsupported" of the profile parser: { "name", "reason" or NULL }.
	names="$(sed -n '/^} unsupported\[\] = {/,/^};/p' "$NOOK_SRC/src/profile/parser.c" |
		sed -nE 's/^[[:space:]]*\{"([^"]+)",.*/\1/p')"
	[ -n "$names" ] || { echo "no entry found in the table of src/profile/parser.c" >&2; return 1; }
	section="$(awk '/^\.SH/ { f = ($0 ~ /FIREJAIL COMPATIBILITY/) } f' "$MANPAGE5" |
		sed 's/\\-/-/g; s/\\f[BIRP]//g; s/\\&//g')"
	# As a whole name: "ip" is not found in "ip6", nor "seccomp.32" in "seccomp.32.drop";
	# a full stop may end the sentence.
	for n in $names; do
		grep -qE -- "(^|[^A-Za-z0-9_.-])${n//./\\.}(\$|[^A-Za-z0-9_.-]|[.](\$|[^A-Za-z0-9_-]))" \
			<<<"$section" || missing+=" $n"
	done
	if [ -n "$missing" ]; then
		echo "skipped by the profile parser, not in nook-profile.5:$missing" >&2
		return 1
	fi
}
