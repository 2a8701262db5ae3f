#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0-or-later
# Build jobs (issue #11): the developer tools' profiles and default.profile agree on what a
# job may write (the directory nook was started in, /tmp, the tool's caches), however the job
# is spelled; ${CWD}; the caches of --cache and "cache", kept in nook's store, seen by no
# sandbox that does not name them, shared by concurrent sandboxes, and refused to
# "nook cache rm" while in use; npm installs through its cache and reuses it.
#
# As in profiles.bats, every test has its own HOME under /var/tmp (the sandbox's /tmp is its
# own), with a planted key in ~/.ssh; the system profile directory is the source tree's.
# No network: every run that a profile would give slirp gets --net=none.
# The sandboxed shells' scripts are in single quotes on purpose: they expand inside.
# shellcheck disable=SC2016
# stderr and stderr_lines: set by bats's run --separate-stderr.
# shellcheck disable=SC2154
bats_require_minimum_version 1.5.0
load ../lib/common

PROFILES="$NOOK_SRC/profiles"

setup() {
	TD=$(mktemp -d /var/tmp/nook-devtools.XXXXXX) || return 1
	export HOME="$TD/home"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_DATA_HOME="$HOME/.local/share"
	export NOOK_PROFILE_DIR="$PROFILES"
	export PATH="$NOOK_CLEAN_PATH"
	unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY XAUTHORITY SSH_AUTH_SOCK
	unset NPM_CONFIG_CACHE PIP_CACHE_DIR
	mkdir -p "$HOME/.ssh" "$HOME/proj" "$HOME/Documents" || return 1
	SECRET="$HOME/.ssh/id_test"
	SECRET_TEXT="nook-devtools-secret-$(unique_tag)"
	printf '%s\n' "$SECRET_TEXT" >"$SECRET"
	chmod 700 "$HOME/.ssh"
	chmod 600 "$SECRET"
	STORE="$XDG_DATA_HOME/nook/caches"
	PIDS=()
	cd "$HOME/proj" || return 1
}

teardown() {
	local p
	touch "$TD/release" 2>/dev/null
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	cd /
	# A cache may hold files of subordinate ids, which only nook can remove.
	if [ -d "$STORE" ]; then
		for p in "$STORE"/*; do
			[ -d "$p" ] && "$NOOK" cache rm "${p##*/}" >/dev/null 2>&1
		done
	fi
	[ -z "${TD:-}" ] || { chmod -R u+rwX "$TD" 2>/dev/null; rm -rf "$TD"; }
	return 0
}

# A Makefile that builds into the project and tries to write and read beyond it; it says
# what each attempt did, one line each, and never fails itself.
write_makefile() {
	cat >"$HOME/proj/Makefile" <<'EOF'
all:
	@{ echo built >out.txt; } 2>/dev/null && echo "project: written" || echo "project: refused"
	@{ echo x >$(HOME)/escape; } 2>/dev/null && echo "home: written" || echo "home: refused"
	@{ echo x >$(HOME)/Documents/escape; } 2>/dev/null && echo "sibling: written" || echo "sibling: refused"
	@cat $(HOME)/.ssh/id_test 2>/dev/null || echo "key: hidden"
EOF
}

EXPECTED_MAKE="project: written
home: refused
sibling: refused
key: hidden"

# After a job: what it left on the host besides the project.
expect_host_untouched() {
	local what="$1"
	[ ! -e "$HOME/escape" ] || { echo "$what: \$HOME/escape reached the host" >&2; return 1; }
	[ ! -e "$HOME/Documents/escape" ] ||
		{ echo "$what: ~/Documents/escape reached the host" >&2; return 1; }
}

# ---- what a job may write, however it is spelled ----

@test "make: 'nook make', 'nook -- sh -c make' and both with --bind=\$PWD: the project is written, \$HOME/escape and a sibling directory are refused, the key is hidden" {
	command -v make >/dev/null || skip "make is not installed"
	local spelling
	write_makefile
	# The profile each spelling gets: make's by name, the default one for sh.
	run --separate-stderr nook_t run --dry-run -- make
	expect_line "nook make" "profile $PROFILES/make.profile" "$output" || return 1
	run --separate-stderr nook_t run --dry-run -- sh -c make
	expect_line "nook -- sh -c make" "profile $PROFILES/default.profile" "$output" || return 1
	for spelling in "make" "-- sh -c make" "--bind=$HOME/proj -- make" \
		"--bind=$HOME/proj -- sh -c make"; do
		rm -f out.txt
		# shellcheck disable=SC2086 # the spelling is words
		run --separate-stderr nook_t $spelling
		expect_eq "nook $spelling: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
		expect_eq "nook $spelling: what the job could do" "$EXPECTED_MAKE" "$output" || return 1
		expect_eq "nook $spelling: the project's output on the host" built "$(cat out.txt)" ||
			return 1
		expect_host_untouched "nook $spelling" || return 1
	done
}

@test "make: started in the home itself, nothing of it is writable under either spelling, and nothing is said" {
	command -v make >/dev/null || skip "make is not installed"
	local spelling
	write_makefile
	cd "$HOME"
	for spelling in "make -C proj" "-- sh -c 'cd proj && make'"; do
		eval "run --separate-stderr nook_t $spelling"
		expect_eq "nook $spelling: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
		expect_eq "nook $spelling" "project: refused
home: refused
sibling: refused
key: hidden" "$(grep -v '^make' <<<"$output")" || return 1
		expect_eq "nook $spelling: no warning" "" "$(grep -v '^make' <<<"$stderr")" || return 1
		[ ! -e proj/out.txt ] || { echo "nook $spelling: wrote the project" >&2; return 1; }
		expect_host_untouched "nook $spelling" || return 1
	done
}

@test "every developer tool's profile: the directory nook was started in is writable; the home, its other directories and a token are not" {
	local name
	# A token of GitHub's CLI: hidden under every one of them (rsync's shows ~/.ssh).
	mkdir -p "$HOME/.config/gh"
	printf 'oauth_token: %s\n' "$SECRET_TEXT" >"$HOME/.config/gh/hosts.yml"
	for name in make gcc cc c++ g++ meson ninja git tar rsync python3 pip pip3 node npm npx \
		cargo rustc go default; do
		[ -f "$PROFILES/$name.profile" ] || { echo "no $name.profile" >&2; return 1; }
		rm -f written
		run --separate-stderr nook_t run -q --net=none --profile="$name" -- sh -c '
			echo x >written 2>/dev/null && echo "project: written" || echo "project: refused"
			echo x >"$HOME/escape" 2>/dev/null && echo "home: written" || echo "home: refused"
			echo x >"$HOME/Documents/escape" 2>/dev/null && echo "sibling: written" ||
				echo "sibling: refused"
			cat "$HOME/.config/gh/hosts.yml" 2>/dev/null || echo "token: hidden"'
		expect_eq "$name: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
		expect_eq "$name" "${EXPECTED_MAKE%key: hidden}token: hidden" "$output" || return 1
		[ -f written ] || { echo "$name: the project's file is not on the host" >&2; return 1; }
		expect_host_untouched "$name" || return 1
	done
}

@test "\${CWD}: 'nook profile check' accepts it; it is not opened while it would let a hidden path be made; from a removed directory it is an error" {
	local bound="mount bind $HOME/proj $HOME/proj rw,nosuid,nodev,optional (read-write)"
	printf 'read-write ${CWD}\nblacklist ${CWD}/.env\n' >"$TD/cwd.profile"
	run --separate-stderr "$NOOK" profile check "$TD/cwd.profile"
	expect_eq "exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "no message" "" "$output$stderr" || return 1
	# .env does not exist: writable, the project would let the sandbox make it. Not bound.
	run --separate-stderr nook_t run --profile="$TD/cwd.profile" --dry-run -- true
	! grep -qxF "$bound" <<<"$output" || { echo "bound, with .env missing" >&2; return 1; }
	expect_eq "the warning" "nook: warning: $TD/cwd.profile:1: read-write $HOME/proj: skipped: it holds $HOME/proj/.env, which the profile protects and which does not exist yet: the sandbox could create it (--bind=$HOME/proj on the command line gives the directory anyway)" "$stderr" ||
		return 1
	# Once it exists, it is hidden, and the project bound.
	echo "API_KEY=$SECRET_TEXT" >.env
	run --separate-stderr nook_t run --profile="$TD/cwd.profile" --dry-run -- true
	expect_line "bound writable" "$bound" "$output" || return 1
	run --separate-stderr nook_t run --profile="$TD/cwd.profile" -- sh -c \
		'echo x >written; cat .env'
	[ -f written ] && [[ "$output" != *"$SECRET_TEXT"* ]] ||
		{ echo "project not written, or .env read: [$output] [$stderr]" >&2; return 1; }
	mkdir "$TD/gone"
	cd "$TD/gone"
	rmdir "$TD/gone"
	run --separate-stderr "$NOOK" profile check "$TD/cwd.profile"
	expect_eq "removed cwd: exit status" 1 "$status" || return 1
	expect_match "removed cwd: the message" \
		'cwd\.profile:1: read-write: \$\{CWD\}: the directory nook was started in is unknown' \
		"$stderr"
}

# ---- caches ----

@test "--cache: bad values and bad names are one line and status 125, for the option, the directive and nook cache" {
	local v
	for v in npm a/b:~/.x ..:~/.x -x:~/.x tmp:~/.x x:relative x:/ x:~ 'x:~/a/../b' 'x:/a//b'; do
		run --separate-stderr nook_t run --noprofile --cache="$v" -- true
		expect_nook_error 125 || { echo "for --cache=$v" >&2; return 1; }
		expect_match "--cache=$v: the message" "^nook: --cache: " "$stderr" || return 1
	done
	printf 'cache npm\n' >"$TD/bad.profile"
	run --separate-stderr nook_t run --profile="$TD/bad.profile" -- true
	expect_eq "a bad cache line: exit status" 125 "$status" || return 1
	expect_match "a bad cache line: file:line" "bad.profile:1: cache: 'npm' is not NAME:PATH" \
		"$stderr" || return 1
	for v in "rm" "rm ../x" "rm a b" "list x" "list --json x" "frob" "rm nope"; do
		# shellcheck disable=SC2086 # the words
		run --separate-stderr "$NOOK" cache $v
		expect_nook_error 125 || { echo "for nook cache $v" >&2; return 1; }
	done
	expect_eq "nook cache rm nope" \
		"nook: cache rm nope: no such cache ($STORE does not exist)" "$stderr"
}

@test "--cache: kept across runs in nook's store, bound at PATH; the host's own PATH is neither seen nor written" {
	mkdir -p "$HOME/.tool"
	echo "the host's own" >"$HOME/.tool/host-file"
	run --separate-stderr nook_t run --noprofile --cache=tool:~/.tool -- sh -c \
		'ls -A ~/.tool; echo kept >~/.tool/made'
	expect_eq "first run: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "first run: an empty cache, not the host's directory" "" "$output" || return 1
	expect_eq "in nook's store" kept "$(cat "$STORE/tool/data/made")" || return 1
	expect_eq "the host's ~/.tool, untouched" "host-file" "$(ls -A "$HOME/.tool")" || return 1
	run --separate-stderr nook_t run --noprofile --cache=tool:~/.tool -- cat ~/.tool/made
	expect_eq "second run: what the first kept" kept "$output" || return 1
	# Another PATH, the same cache; a missing PATH in the home is made there, empty.
	run --separate-stderr nook_t run --noprofile --cache=tool:~/.other/place -- cat ~/.other/place/made
	expect_eq "the same cache at another PATH" kept "$output" || return 1
	expect_eq "PATH made on the host, empty" "" "$(ls -A "$HOME/.other/place")"
}

@test "--cache: a sandbox that does not name a cache sees nothing of it, nor of nook's store" {
	run --separate-stderr nook_t run --noprofile --cache=mine:~/.c -- sh -c \
		'echo "$1" >~/.c/secret' sh "$SECRET_TEXT"
	expect_eq "writing the cache" 0 "$status" || { echo "$stderr" >&2; return 1; }
	local probe='cat ~/.c/secret; cat "$1"/mine/data/secret; ls "$1"; ls ~/.local/share/nook'
	# No cache, another cache at the same PATH, and default.profile with a cache of its own.
	run --separate-stderr nook_t run --noprofile -- sh -c "$probe" sh "$STORE"
	[[ "$output" != *"$SECRET_TEXT"* && "$output" != *mine* ]] ||
		{ echo "without --cache: [$output]" >&2; return 1; }
	run --separate-stderr nook_t run --noprofile --cache=other:~/.c -- sh -c "$probe" sh "$STORE"
	[[ "$output" != *"$SECRET_TEXT"* && "$output" != *mine* ]] ||
		{ echo "with another cache at the same PATH: [$output]" >&2; return 1; }
	run --separate-stderr nook_t run --cache=other:~/.c -- sh -c "$probe" sh "$STORE"
	[[ "$output" != *"$SECRET_TEXT"* && "$output" != *mine* ]] ||
		{ echo "under default.profile: [$output]" >&2; return 1; }
	# The control: named, it is there.
	run --separate-stderr nook_t run --noprofile --cache=mine:~/.c -- cat ~/.c/secret
	expect_eq "named, the cache is there (control)" "$SECRET_TEXT" "$output"
}

@test "--cache: two sandboxes share one cache at once; nook cache rm refuses it while either runs, and removes it after" {
	local script='echo "$1" >~/.c/"$1"
		i=0
		while [ ! -e "$2" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
		cat ~/.c/"$3"'
	nook_t run --noprofile --cache=shared:~/.c -- sh -c "$script" sh one "$TD/release" two \
		>"$TD/out1" 2>&1 &
	PIDS+=($!)
	nook_t run --noprofile --cache=shared:~/.c -- sh -c "$script" sh two "$TD/release" one \
		>"$TD/out2" 2>&1 &
	PIDS+=($!)
	wait_for_file "$STORE/shared/data/one" && wait_for_file "$STORE/shared/data/two" || return 1
	run --separate-stderr "$NOOK" cache list
	expect_match "cache list: in use" "^shared +[0-9.]+[KM]? +[0-9-]+ [0-9:]+ +$HOME/.c +in-use\$" \
		"${lines[1]}" || return 1
	run --separate-stderr "$NOOK" cache rm shared
	expect_nook_error 125 || return 1
	expect_eq "the message" "nook: cache rm shared: in use by a running sandbox" "$stderr" ||
		return 1
	[ -f "$STORE/shared/data/one" ] || { echo "rm removed a cache in use" >&2; return 1; }
	touch "$TD/release"
	wait "${PIDS[0]}" && wait "${PIDS[1]}" || { cat "$TD/out1" "$TD/out2" >&2; return 1; }
	PIDS=()
	expect_eq "the first saw the second's file" two "$(drop_nested_warning <"$TD/out1")" || return 1
	expect_eq "the second saw the first's file" one "$(drop_nested_warning <"$TD/out2")" || return 1
	run --separate-stderr "$NOOK" cache list --json
	expect_eq "cache list --json: exit status" 0 "$status" || return 1
	run python3 -c 'import json, sys
c = json.loads(sys.argv[1])
assert len(c) == 1 and c[0]["name"] == "shared" and c[0]["in_use"] is False, c
assert c[0]["path"] == sys.argv[2] and c[0]["size"] > 0 and c[0]["last_use"] > 0, c
print("ok")' "$output" "$HOME/.c"
	expect_eq "cache list --json, parsed" ok "$output" || return 1
	run --separate-stderr "$NOOK" cache rm shared
	expect_eq "rm once unused: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	[ ! -e "$STORE/shared" ] || { echo "$STORE/shared is still there" >&2; return 1; }
	run --separate-stderr "$NOOK" cache list
	expect_eq "cache list: only the header" "NAME  SIZE  LAST USE          PATH" "$output"
}

@test "--cache: files a sandbox left as other ids are sized by list and removed by rm" {
	need_subids
	run --separate-stderr nook_t run --noprofile --userns=root --cache=sub:/tmp/c -- sh -c \
		'mkdir /tmp/c/d && echo x >/tmp/c/d/f && chown -R 1:1 /tmp/c/d && chmod 700 /tmp/c/d'
	expect_eq "writing as another id: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	! ls "$STORE/sub/data/d" >/dev/null 2>&1 || skip "the caller can read the other id's files"
	run --separate-stderr "$NOOK" cache list
	expect_match "list: a size, not ?" "^sub +[0-9.]+K " "${lines[1]}" || return 1
	run --separate-stderr "$NOOK" cache rm sub
	expect_eq "rm: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	[ ! -e "$STORE/sub" ]
}

# ---- a tool for real: npm ----

@test "npm: installs a local package through its nook cache, and a second project installs it offline from that cache" {
	command -v npm >/dev/null || skip "npm is not installed"
	local integrity
	mkdir -p "$HOME/proj/local-pkg" "$HOME/proj2"
	printf '{"name": "local-pkg", "version": "1.0.0", "main": "index.js"}\n' \
		>"$HOME/proj/local-pkg/package.json"
	printf 'module.exports = () => "hello from local-pkg";\n' >"$HOME/proj/local-pkg/index.js"
	printf '{"name": "proj", "version": "1.0.0"}\n' >"$HOME/proj/package.json"
	# A registry token the user keeps: the sandbox must not read it.
	printf '//registry.example/:_authToken=%s\n' "$SECRET_TEXT" >"$HOME/.npmrc"
	run --separate-stderr nook_t run --dry-run -- npm
	expect_line "npm's profile" "profile $PROFILES/npm.profile" "$output" || return 1
	run --separate-stderr nook_t --net=none npm pack ./local-pkg
	expect_eq "npm pack: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	run --separate-stderr nook_t --net=none npm install --offline --no-audit --no-fund \
		./local-pkg-1.0.0.tgz
	expect_eq "npm install: exit status" 0 "$status" || { echo "$stderr" >&2; return 1; }
	expect_eq "installed into the project" "hello from local-pkg" \
		"$(node -e 'console.log(require("local-pkg")())')" || return 1
	[ -d "$STORE/npm/data/_cacache" ] || { echo "npm's cache is not in nook's store" >&2; return 1; }
	expect_eq "the host's ~/.npm: made, empty" "" "$(ls -A "$HOME/.npm")" || return 1
	run --separate-stderr nook_t run --net=none --profile=npm -- cat "$HOME/.npmrc"
	[ "$status" -ne 0 ] && [[ "$output" != *"$SECRET_TEXT"* ]] ||
		{ echo "the user's .npmrc was readable under npm.profile" >&2; return 1; }
	# Another project whose lock file names the package by its integrity, at an address
	# nothing answers: npm ci --offline can take it only from the cache.
	integrity=$(node -e 'const c = require("crypto"), fs = require("fs");
		console.log("sha512-" + c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"))' \
		"$HOME/proj/local-pkg-1.0.0.tgz")
	cd "$HOME/proj2"
	printf '{"name": "proj2", "version": "1.0.0", "dependencies": {"local-pkg": "1.0.0"}}\n' \
		>package.json
	printf '{"name": "proj2", "version": "1.0.0", "lockfileVersion": 3, "requires": true, "packages": {"": {"name": "proj2", "version": "1.0.0", "dependencies": {"local-pkg": "1.0.0"}}, "node_modules/local-pkg": {"version": "1.0.0", "resolved": "http://127.0.0.1:9/local-pkg/-/local-pkg-1.0.0.tgz", "integrity": "%s"}}}\n' \
		"$integrity" >package-lock.json
	run --separate-stderr nook_t --net=none npm ci --offline --no-audit --no-fund
	expect_eq "npm ci --offline from the cache: exit status" 0 "$status" ||
		{ echo "$stderr" >&2; return 1; }
	expect_eq "installed from the cache" "hello from local-pkg" \
		"$(node -e 'console.log(require("local-pkg")())')" || return 1
	# The control: with an empty cache of another name at ~/.npm, it is not there.
	rm -rf node_modules
	run --separate-stderr nook_t --net=none --cache=npm-empty:~/.npm npm ci --offline \
		--no-audit --no-fund
	[ "$status" -ne 0 ] && [[ "$stderr" == *ENOTCACHED* ]] ||
		{ printf 'with an empty cache (control): status %s: %s\n' "$status" "$stderr" >&2; return 1; }
}
