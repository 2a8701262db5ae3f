#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# The profiles shipped in profiles/: they lint clean, are listed and installed, every one of
# them builds a sandbox that runs and leaves the home as it was, the programs installed here
# do their job under their own profile without reading a secret of the home; firejail's own
# profiles load; `nook integrate` puts a program behind nook.
#
# Every test has its own HOME (with XDG_CONFIG_HOME in it, so its own empty user profile
# directory) under /var/tmp, not under $BATS_TEST_TMPDIR: the sandbox's /tmp is a fresh
# tmpfs, so a home under /tmp would be invisible inside under any profile, and "the secret is
# not readable" would prove nothing. The system directory is the source tree's profiles/.
#
# Network rule: traffic only to 127.0.0.0/8 and to slirp's 10.0.2.2 (the host's loopback, with
# --net-host-loopback). Servers are bounded in time, loops in count.
bats_require_minimum_version 1.5.0
load ../lib/common

PROFILES="$NOOK_SRC/profiles"

setup() {
	TD=$(mktemp -d /var/tmp/nook-profiles.XXXXXX) || return 1
	export HOME="$TD/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export NOOK_PROFILE_DIR="$PROFILES"
	export PATH="$NOOK_CLEAN_PATH"
	unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XAUTHORITY SSH_AUTH_SOCK
	mkdir -p "$HOME/.ssh" "$HOME/work" "$HOME/Downloads" || return 1
	SECRET="$HOME/.ssh/id_test"
	SECRET_TEXT="nook-test-secret-$(unique_tag)"
	printf '%s\n' "$SECRET_TEXT" >"$SECRET"
	chmod 700 "$HOME/.ssh"
	chmod 600 "$SECRET"
	SERVER_PID=
	cd "$HOME/work" || return 1
}

teardown() {
	if [ -n "${SERVER_PID:-}" ]; then
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	cd /
	# Placeholders of blacklists are mode 0: make everything removable first.
	[ -z "${TD:-}" ] || { chmod -R u+rwX "$TD" 2>/dev/null; rm -rf "$TD"; }
	return 0
}

# shipped_profiles: the names of the shipped profiles, one a line, sorted.
shipped_profiles() {
	local f
	for f in "$PROFILES"/*.profile; do
		f=${f##*/}
		printf '%s\n' "${f%.profile}"
	done | LC_ALL=C sort
}

# expect_secret_hidden WHAT STATUS OUTPUT: a run that tried to read $SECRET failed, and its
# output does not hold the secret.
expect_secret_hidden() {
	local what="$1" st="$2" out="$3"
	if [ "$st" -eq 0 ] || [[ "$out" == *"$SECRET_TEXT"* ]]; then
		printf '%s: the secret was readable (status %s): %s\n' "$what" "$st" "$out" >&2
		return 1
	fi
}

# serve DIR: a python3 HTTP server for DIR on the host's 127.0.0.1, on a free port, for at
# most 60 s; sets $PORT and $SERVER_PID.
serve() {
	local dir="$1" portfile="$TD/port"
	command -v python3 >/dev/null || skip "python3 is not installed"
	timeout 60 python3 -c '
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
handler = functools.partial(Quiet, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2] + ".new", "w") as f:
    f.write(str(server.server_address[1]))
import os
os.rename(sys.argv[2] + ".new", sys.argv[2])
server.serve_forever()
' "$dir" "$portfile" >"$TD/server.log" 2>&1 3>&- &
	SERVER_PID=$!
	wait_for_file "$portfile" || { cat "$TD/server.log" >&2; return 1; }
	PORT=$(cat "$portfile")
}

# home_listing: every path under $HOME but the work directory, with its type, sorted.
home_listing() {
	(cd "$HOME" && find . -path ./work -prune -o -printf '%y %p\n' | LC_ALL=C sort)
}

# --- the files ------------------------------------------------------------------------------

@test "profiles: every shipped profile and include passes 'nook profile check' with no message" {
	run --separate-stderr "$NOOK" profile check "$PROFILES"/*.profile "$PROFILES"/*.inc
	# shellcheck disable=SC2154 # stderr: set by bats's run --separate-stderr
	expect_eq "exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "stdout" "" "$output"
	expect_eq "stderr" "" "$stderr"
}

@test "profiles: there are at least 30 application profiles, beside default.profile" {
	local n
	n=$(grep -L '^include [^ ]*\.profile$' "$PROFILES"/*.profile | grep -vc '/default\.profile$')
	echo "# $n application profiles (redirects not counted), $(shipped_profiles | wc -l) in all" >&3
	[ "$n" -ge 30 ] || { echo "only $n application profiles" >&2; return 1; }
	[ -f "$PROFILES/default.profile" ]
}

@test "profiles: each begins with 'include NAME.local' and 'include globals.local'; each include with its .local" {
	local f name first second
	for f in "$PROFILES"/*.profile; do
		name=${f##*/}
		name=${name%.profile}
		first=$(grep -v -e '^#' -e '^$' "$f" | sed -n 1p)
		second=$(grep -v -e '^#' -e '^$' "$f" | sed -n 2p)
		expect_eq "$name.profile, first directive" "include $name.local" "$first" || return 1
		expect_eq "$name.profile, second directive" "include globals.local" "$second" || return 1
	done
	for f in "$PROFILES"/*.inc; do
		name=${f##*/}
		name=${name%.inc}
		first=$(grep -v -e '^#' -e '^$' "$f" | sed -n 1p)
		expect_eq "$name.inc, first directive" "include $name.local" "$first" || return 1
	done
}

@test "profiles: each application profile says what it is for in a comment header" {
	local f
	for f in "$PROFILES"/*.profile; do
		head -n 1 "$f" | grep -qx "# nook profile: $(basename "$f" .profile)" ||
			{ echo "$f: no '# nook profile: NAME' first line" >&2; return 1; }
		[ "$(grep -c '^#' "$f")" -ge 2 ] || { echo "$f: no description" >&2; return 1; }
	done
}

@test "profiles: 'nook profile list' lists every shipped profile, from the system directory" {
	local name
	run --separate-stderr "$NOOK" profile list
	expect_eq "exit status" 0 "$status" || return 1
	while read -r name; do
		printf '%s\n' "$output" | awk -v n="$name" -v p="$PROFILES/$name.profile" \
			'$1 == n && $2 == p && NF == 2 { found = 1 } END { exit !found }' ||
			{ printf 'profile list: no line "%s %s" in:\n%s\n' "$name" \
				"$PROFILES/$name.profile" "$output" >&2; return 1; }
	done < <(shipped_profiles)
	expect_eq "number of lines" "$(shipped_profiles | wc -l)" "$(printf '%s\n' "$output" | wc -l)"
}

@test "profiles: profiles/meson.build installs every profile and include, and nothing else" {
	local listed present
	listed=$(grep -o "'[^']*\.\(profile\|inc\)'" "$PROFILES/meson.build" | tr -d "'" |
		LC_ALL=C sort)
	present=$(cd "$PROFILES" && printf '%s\n' *.profile *.inc | LC_ALL=C sort)
	expect_eq "files of profiles/meson.build" "$present" "$listed"
	grep -q "install_dir : get_option('sysconfdir') / 'nook' / 'profiles'" "$PROFILES/meson.build"
}

# --- every profile, run ---------------------------------------------------------------------

@test "profiles: every shipped profile builds a sandbox that runs, and leaves the home as it was but for its mkdir/mkfile and caches" {
	local name before after new allowed caches p c kept unrun=""
	# Things a careless profile could break or write: a start-up file and a bin directory.
	echo 'echo original' >"$HOME/.bashrc"
	mkdir -p "$HOME/bin" "$HOME/.local/bin" "$HOME/.config/autostart"
	while read -r name; do
		# A profile with the network needs /dev/net/tun: said at the end, after the others.
		if ! dev_usable net/tun &&
			"$NOOK" run -q --profile="$name" --dry-run -- true | grep -q '^net slirp'; then
			unrun+=" $name"
			continue
		fi
		before=$(home_listing)
		run --separate-stderr nook_t --quiet --profile="$name" -- sh -c \
			'exec 2>/dev/null; echo ran
			 echo x >>~/.bashrc; echo x >~/bin/planted; echo x >~/.local/bin/planted
			 mkdir -p ~/.config/autostart ~/.config/nook/profiles
			 echo x >~/.config/autostart/planted.desktop
			 echo "net host" >~/.config/nook/profiles/curl.profile
			 true'
		expect_eq "$name: exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
		expect_eq "$name: output" "ran" "$output" || return 1
		after=$(home_listing)
		# What is new must be a host-mkdir/host-mkfile of the profile, or a parent of one,
		# or in the store of one of its caches (nook's own, which no sandbox sees).
		allowed=$("$NOOK" run --profile="$name" --dry-run -- true |
			awk '$1 == "host-mkdir" || $1 == "host-mkfile" || $1 == "host-mkdir-try" || $1 == "cache" { print $($1 == "cache" ? 3 : 2) }')
		caches=$("$NOOK" run --profile="$name" --dry-run -- true | awk '$1 == "cache" { print $3 }')
		new=$(comm -13 <(printf '%s\n' "$before") <(printf '%s\n' "$after"))
		while read -r p; do
			[ -n "$p" ] || continue
			p="$HOME/${p#* ./}"
			kept=
			while read -r c; do
				[ -n "$c" ] && [[ "$p" == "$c"/* ]] && kept=1
			done <<<"$caches"
			[ -z "$kept" ] || continue
			if ! printf '%s\n' "$allowed" | grep -q -e "^$p\$" -e "^$p/"; then
				printf '%s: the sandbox left %s in the home\n' "$name" "$p" >&2
				return 1
			fi
		done <<<"$new"
		expect_eq "$name: ~/.bashrc" "echo original" "$(cat "$HOME/.bashrc")" || return 1
		for p in bin/planted .local/bin/planted .config/autostart/planted.desktop \
			.config/nook/profiles/curl.profile; do
			[ ! -e "$HOME/$p" ] || { echo "$name: wrote ~/$p" >&2; return 1; }
		done
	done < <(shipped_profiles)
	[ -z "$unrun" ] || need_dev net/tun "the profiles with the network, not run:$unrun"
}

@test "profiles: under the default profile the home is read-only but for the directory nook was started in, and its secrets are hidden" {
	run --separate-stderr nook_t --noprofile -- cat "$SECRET"
	expect_eq "without a profile, the secret (control)" "$SECRET_TEXT" "$output" || return 1
	run --separate-stderr nook_t run --dry-run -- some-program-without-profile
	expect_line "profile used" "profile $PROFILES/default.profile" "$output" || return 1
	run --separate-stderr nook_t -- cat "$SECRET"
	expect_secret_hidden "cat under default.profile" "$status" "$output" || return 1
	run --separate-stderr nook_t -- sh -c 'echo x >~/Downloads/file'
	[ "$status" -ne 0 ] && [ ! -e "$HOME/Downloads/file" ] ||
		{ echo "wrote ~/Downloads from ~/work" >&2; return 1; }
	run --separate-stderr nook_t -- sh -c 'echo x >~/work/file'
	expect_eq "the directory nook was started in: writable" 0 "$status" || return 1
	expect_eq "... on the host" x "$(cat "$HOME/work/file")" || return 1
	# Started in the home itself: nothing of it is writable.
	cd "$HOME"
	run --separate-stderr nook_t -- sh -c 'echo x >~/file; echo x >~/work/file2'
	[ "$status" -ne 0 ] && [ ! -e "$HOME/file" ] && [ ! -e "$HOME/work/file2" ] ||
		{ echo "wrote in the home, started in it: $stderr" >&2; return 1; }
	expect_eq "started in the home: no warning" "" "$(grep -v 'sh: ' <<<"$stderr")" || return 1
	cd "$HOME/work"
	# shellcheck disable=SC2016 # the sandbox's shell expands these, not this one
	run --separate-stderr nook_t -- sh -c 'echo "$DBUS_SESSION_BUS_ADDRESS"'
	expect_eq "no session bus" "" "$output"
}

# --- the programs, doing their job ----------------------------------------------------------

@test "curl: fetches from the host's loopback through slirp, saves into ~/Downloads, cannot read the secret" {
	command -v curl >/dev/null || skip "curl is not installed"
	need_dev net/tun
	mkdir -p "$TD/www"
	echo "hello from the host" >"$TD/www/hello.txt"
	serve "$TD/www"
	run --separate-stderr nook_t run --dry-run -- curl
	expect_line "profile used" "profile $PROFILES/curl.profile" "$output" || return 1
	run --separate-stderr nook_t --net-host-loopback curl -sS "http://10.0.2.2:$PORT/hello.txt"
	expect_eq "exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "fetched" "hello from the host" "$output" || return 1
	cd "$HOME/Downloads"
	run --separate-stderr nook_t --net-host-loopback curl -sS -O "http://10.0.2.2:$PORT/hello.txt"
	expect_eq "curl -O: exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "saved on the host" "hello from the host" "$(cat "$HOME/Downloads/hello.txt")" || return 1
	# Without --net-host-loopback the host's loopback is out of reach (slirp, not host).
	run --separate-stderr nook_t curl -sS -m 5 "http://10.0.2.2:$PORT/hello.txt"
	[ "$status" -ne 0 ] || { echo "reached the host's loopback without --net-host-loopback" >&2; return 1; }
	# The control: curl outside the sandbox reads the secret through file://.
	run curl -sS "file://$SECRET"
	expect_eq "curl outside (control)" "$SECRET_TEXT" "$output" || return 1
	run --separate-stderr nook_t curl -sS "file://$SECRET"
	expect_secret_hidden "curl file:// under curl.profile" "$status" "$output" || return 1
	run --separate-stderr nook_t run --profile=curl -- cat "$SECRET"
	expect_secret_hidden "cat under curl.profile" "$status" "$output"
}

@test "wget: downloads from the host's loopback through slirp into the current directory; cannot read the secret" {
	command -v wget >/dev/null || skip "wget is not installed"
	need_dev net/tun
	mkdir -p "$TD/www"
	echo "wget me" >"$TD/www/file.txt"
	serve "$TD/www"
	cd "$HOME/Downloads"
	run --separate-stderr nook_t --net-host-loopback wget -q "http://10.0.2.2:$PORT/file.txt"
	expect_eq "exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "saved on the host" "wget me" "$(cat "$HOME/Downloads/file.txt")" || return 1
	run --separate-stderr nook_t --net-host-loopback wget -q -O - "http://10.0.2.2:$PORT/file.txt"
	expect_eq "to stdout" "wget me" "$output" || return 1
	expect_eq "no warning" "" "$stderr" || return 1
	run --separate-stderr nook_t run --profile=wget -- cat "$SECRET"
	expect_secret_hidden "cat under wget.profile" "$status" "$output"
}

@test "git: init, add and commit in a work tree of the home; the commit is there on the host; cannot read the secret" {
	command -v git >/dev/null || skip "git is not installed"
	need_dev net/tun
	printf '[user]\n\tname = Nook Test\n\temail = nook@example.org\n' >"$HOME/.gitconfig"
	mkdir -p "$HOME/work/repo"
	cd "$HOME/work/repo"
	run --separate-stderr nook_t git init -q .
	expect_eq "git init" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	echo "tracked" >file
	run --separate-stderr nook_t git add file
	expect_eq "git add" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	run --separate-stderr nook_t git commit -q -m "first commit"
	expect_eq "git commit" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	# On the host, outside any sandbox: the commit, by the author of ~/.gitconfig.
	expect_eq "log on the host" "Nook Test: first commit" "$(git log --format='%an: %s')" || return 1
	# The configuration is read, not written (it could run commands outside).
	run --separate-stderr nook_t git config --global user.name Other
	[ "$status" -ne 0 ] || { echo "git config --global succeeded" >&2; return 1; }
	grep -q 'Nook Test' "$HOME/.gitconfig" || return 1
	run --separate-stderr nook_t git hash-object "$SECRET"
	expect_secret_hidden "git hash-object under git.profile" "$status" "$output"
}

@test "make and gcc: make builds a C program with the compiler in the work tree; the Makefile cannot read the secret or plant a start-up file" {
	command -v make >/dev/null || skip "make is not installed"
	command -v gcc >/dev/null || skip "gcc is not installed"
	echo 'echo original' >"$HOME/.bashrc"
	mkdir -p "$HOME/work/proj"
	cd "$HOME/work/proj"
	printf '#include <stdio.h>\nint main(void) { puts("built under nook"); return 0; }\n' >hello.c
	# shellcheck disable=SC2016 # make expands these
	printf 'hello: hello.c\n\t$(CC) -O2 -o $@ $<\nevil:\n\t-cat %s\n\t-echo evil >>$(HOME)/.bashrc\n' \
		"$SECRET" >Makefile
	run --separate-stderr nook_t make CC=gcc hello
	expect_eq "make" 0 "$status" || { printf '%s\n%s\n' "$output" "$stderr" >&2; return 1; }
	expect_eq "the program, run on the host" "built under nook" "$(./hello)" || return 1
	run --separate-stderr nook_t gcc -o hello2 hello.c
	expect_eq "gcc alone" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "gcc's program" "built under nook" "$(./hello2)" || return 1
	run --separate-stderr nook_t make evil
	[[ "$output$stderr" != *"$SECRET_TEXT"* ]] || { echo "make read the secret" >&2; return 1; }
	expect_eq "HOME/.bashrc after make evil" "echo original" "$(cat "$HOME/.bashrc")" || return 1
	run --separate-stderr nook_t gcc -E -x c "$SECRET"
	expect_secret_hidden "gcc -E under gcc.profile" "$status" "$output"
}

@test "python3: runs a script that writes into the work tree, under W^X with ctypes; cannot read the secret" {
	command -v python3 >/dev/null || skip "python3 is not installed"
	run --separate-stderr nook_t run --dry-run -- python3
	expect_line "profile used" "profile $PROFILES/python3.profile" "$output" || return 1
	run --separate-stderr nook_t python3 -c '
import ctypes, json, socket
callback = ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 42)
s = socket.socket()
s.bind(("127.0.0.1", 0))
json.dump({"answer": callback()}, open("out.json", "w"))
print("done")'
	expect_eq "exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "output" "done" "$output" || return 1
	expect_eq "written on the host" '{"answer": 42}' "$(cat out.json)" || return 1
	run --separate-stderr nook_t python3 -c "print(open('$SECRET').read())"
	expect_secret_hidden "python3 under python3.profile" "$status" "$output"
}

@test "node: runs a script that writes into the work tree; cannot read the secret" {
	command -v node >/dev/null || skip "node is not installed (apt-get install nodejs)"
	run --separate-stderr nook_t node -e 'require("fs").writeFileSync("out.txt", String(6 * 7)); console.log("done")'
	expect_eq "exit status" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "output" "done" "$output" || return 1
	expect_eq "written on the host" "42" "$(cat out.txt)" || return 1
	run --separate-stderr nook_t node -e "console.log(require('fs').readFileSync('$SECRET', 'utf8'))"
	expect_secret_hidden "node under node.profile" "$status" "$output"
}

@test "tar and unzip: pack and unpack in the work tree; a '../' entry cannot reach the home's dotfiles" {
	command -v tar >/dev/null || skip "tar is not installed"
	mkdir -p "$HOME/work/t/dir"
	echo "packed" >"$HOME/work/t/dir/file"
	run --separate-stderr nook_t tar -C "$HOME/work" -czf "$HOME/work/t.tgz" t
	expect_eq "tar -c" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	rm -r "$HOME/work/t"
	run --separate-stderr nook_t tar -C "$HOME/work" -xzf "$HOME/work/t.tgz"
	expect_eq "tar -x" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "unpacked" "packed" "$(cat "$HOME/work/t/dir/file")" || return 1
	run --separate-stderr nook_t run --profile=tar -- cat "$SECRET"
	expect_secret_hidden "cat under tar.profile" "$status" "$output" || return 1
	command -v unzip >/dev/null || skip "unzip is not installed"
	command -v python3 >/dev/null || skip "python3 is not installed"
	python3 -c '
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("z/hello.txt", "zipped\n")
    z.writestr("../../.profile", "echo evil\n")' "$HOME/work/z.zip"
	run --separate-stderr nook_t unzip -o -q "$HOME/work/z.zip" -d "$HOME/work/u"
	expect_eq "unpacked" "zipped" "$(cat "$HOME/work/u/z/hello.txt")" || return 1
	[ ! -e "$HOME/.profile" ] || { echo "unzip wrote ~/.profile" >&2; return 1; }
}

@test "ssh: sees its keys read-only; the rest of the home is hidden" {
	command -v ssh >/dev/null || skip "ssh is not installed"
	need_dev net/tun
	mkdir -p "$HOME/Documents"
	echo "private document" >"$HOME/Documents/doc"
	run --separate-stderr nook_t ssh -V
	expect_eq "ssh -V" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	run --separate-stderr nook_t run --profile=ssh -- sh -c "cat $SECRET; echo x >~/.ssh/planted"
	expect_eq "the key, under ssh.profile" "$SECRET_TEXT" "$output" || return 1
	[ ! -e "$HOME/.ssh/planted" ] || return 1
	run --separate-stderr nook_t run --profile=ssh -- cat "$HOME/Documents/doc"
	[ "$status" -ne 0 ] && [[ "$output" != *"private document"* ]]
}

# --- firejail's profiles ----------------------------------------------------------------------

@test "firejail's profiles: at least 95% of /etc/firejail/*.profile load (warnings only)" {
	local total loaded warned failed pct jobs
	[ -d /etc/firejail ] || skip "firejail's profiles are not installed (apt-get install firejail)"
	compgen -G '/etc/firejail/*.profile' >/dev/null || skip "/etc/firejail has no profile"
	jobs=$(nproc 2>/dev/null || echo 2)
	# One line a profile: "ok NAME", "warn NAME" or "fail NAME: first error line".
	# shellcheck disable=SC2016 # the script of the sh that xargs starts
	find /etc/firejail -maxdepth 1 -name '*.profile' -print0 |
		xargs -0 -n 1 -P "$jobs" sh -c '
			name=$(basename "$1" .profile)
			err=$(timeout 20 "$NOOK" run --profile="$1" --dry-run -- "$name" 2>&1 >/dev/null)
			rc=$?
			if [ "$rc" -eq 0 ] && [ -z "$err" ]; then echo "ok $name"
			elif [ "$rc" -eq 0 ]; then echo "warn $name"
			else echo "fail $name: status $rc: $(printf "%s\n" "$err" | grep -v ": warning: " | head -n 1)"
			fi' sh >"$TD/corpus"
	total=$(find /etc/firejail -maxdepth 1 -name '*.profile' | wc -l)
	loaded=$(grep -c -e '^ok ' -e '^warn ' "$TD/corpus" || true)
	warned=$(grep -c '^warn ' "$TD/corpus" || true)
	failed=$(grep -c '^fail ' "$TD/corpus" || true)
	pct=$((loaded * 1000 / total))
	{
		printf '# firejail corpus: %d profiles: %d load (%d.%d%%): %d clean, %d with warnings; %d fail\n' \
			"$total" "$loaded" $((pct / 10)) $((pct % 10)) $((loaded - warned)) "$warned" "$failed"
		grep '^fail ' "$TD/corpus" | LC_ALL=C sort | sed 's/^/#   /'
	} >&3
	expect_eq "profiles accounted for" "$total" "$((loaded + failed))" || return 1
	[ $((loaded * 100)) -ge $((total * 95)) ] ||
		{ grep '^fail ' "$TD/corpus" >&2; return 1; }
}

# --- nook integrate -------------------------------------------------------------------------

@test "integrate: ~/.local/bin/hostname -> nook: plain 'hostname' then runs in a sandbox (its profile's name); --remove takes it away" {
	command -v hostname >/dev/null || skip "hostname is not installed"
	not_in_nook
	# The sandbox keeps the host's name unless a profile says otherwise: this one does.
	mkdir -p "$XDG_CONFIG_HOME/nook/profiles"
	echo "hostname insandbox" >"$XDG_CONFIG_HOME/nook/profiles/hostname.profile"
	run --separate-stderr "$NOOK" integrate hostname
	expect_eq "integrate" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_eq "the link" "$(readlink -f "$NOOK")" "$(readlink -f "$HOME/.local/bin/hostname")" || return 1
	run --separate-stderr env PATH="$HOME/.local/bin:$PATH" timeout 30 hostname
	expect_eq "hostname through the link" "insandbox" "$output" || { printf '%s\n' "$stderr" >&2; return 1; }
	run --separate-stderr "$NOOK" integrate --remove hostname
	expect_eq "integrate --remove" 0 "$status" || return 1
	[ ! -e "$HOME/.local/bin/hostname" ] && [ ! -L "$HOME/.local/bin/hostname" ] || return 1
	run --separate-stderr env PATH="$HOME/.local/bin:$PATH" hostname
	expect_eq "hostname once removed" "$(hostname)" "$output"
}

@test "integrate: curl through ~/.local/bin runs under curl.profile (file:// cannot read the secret); refuses to replace what is not its link" {
	command -v curl >/dev/null || skip "curl is not installed"
	not_in_nook
	run --separate-stderr "$NOOK" integrate curl
	expect_eq "integrate curl" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	run --separate-stderr env PATH="$HOME/.local/bin:$PATH" timeout 30 curl --version
	expect_eq "curl --version through the link" 0 "$status" || { printf '%s\n' "$stderr" >&2; return 1; }
	expect_match "curl --version" '^curl [0-9]' "${lines[0]}" || return 1
	run --separate-stderr env PATH="$HOME/.local/bin:$PATH" timeout 30 curl -sS "file://$SECRET"
	expect_secret_hidden "curl through the link" "$status" "$output" || return 1
	run --separate-stderr "$NOOK" integrate --remove curl
	expect_eq "integrate --remove curl" 0 "$status" || return 1
	[ ! -L "$HOME/.local/bin/curl" ] || return 1
	# Not nook's link: a script of the user's, and a symlink elsewhere. Both stay.
	printf '#!/bin/sh\necho mine\n' >"$HOME/.local/bin/wget"
	chmod +x "$HOME/.local/bin/wget"
	ln -s /bin/true "$HOME/.local/bin/true"
	run --separate-stderr "$NOOK" integrate wget
	expect_nook_error 125 || return 1
	run --separate-stderr "$NOOK" integrate --remove wget
	expect_nook_error 125 || return 1
	expect_eq "the user's script" "mine" "$("$HOME/.local/bin/wget")" || return 1
	run --separate-stderr "$NOOK" integrate true
	expect_nook_error 125 || return 1
	run --separate-stderr "$NOOK" integrate --remove true
	expect_nook_error 125 || return 1
	expect_eq "the other symlink" "/bin/true" "$(readlink "$HOME/.local/bin/true")"
}
