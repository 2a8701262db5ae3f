#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ptyrun.py [OPTION|STEP...] -- CMD [ARG...]: run CMD as a user's terminal would, and act on it.

CMD gets a new pseudo-terminal ("the caller's terminal") as its controlling terminal and as
stdin, stdout and stderr, and leads its session and foreground process group, like a shell
started in a terminal window. The steps run in order while CMD runs:

  -e REGEX      wait until the output so far matches REGEX (Python re, DOTALL)
  -s TEXT       type TEXT (Python escapes: \\r for Enter, \\x03 for Ctrl-C, \\x1a for Ctrl-Z)
  -w SECONDS    wait (reading the output meanwhile)
  -r ROWS,COLS  resize the terminal: the kernel sends SIGWINCH to its foreground job
  -k SIG        send SIG (a name: TERM, ALRM, ...) to CMD
  -K SIG:REGEX  send SIG to this user's processes whose command line matches REGEX
  -m            print "mode raw" or "mode cooked" (the terminal's ICANON now)
  -f            print "fg cmd" or "fg other": is CMD's process group the terminal's foreground?
  -d            print "ldisc N": the terminal's line discipline now
  -t            print "tty DEV RDEV": the terminal's device (st_dev, st_rdev)
  -H            hang up: close the terminal's master side, as a closed terminal window does

Options: --rows N --cols N (24x80), --stdin-null (CMD's stdin is /dev/null instead),
--out FILE (the whole output, as the terminal got it), --timeout S (each wait; 10).

When CMD has exited, prints "status N" (128+N for a signal), "modes restored" or "modes
changed A -> B", "pending REPR" (input that nobody read: typed, or injected with TIOCSTI)
and "ldisc N". Exits 0; 3 when a step timed out (the output so far goes to stderr).
"""
import codecs
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time


class Run:
    def __init__(self, rows, cols, stdin_null, timeout):
        self.timeout = timeout
        self.out = bytearray()
        self.master, self.slave = pty.openpty()
        self.winsize(rows, cols)
        self.before = termios.tcgetattr(self.slave)
        self.stdin_null = stdin_null

    def winsize(self, rows, cols):
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def start(self, cmd):
        self.pid = os.fork()
        if self.pid == 0:
            os.setsid()
            fcntl.ioctl(self.slave, termios.TIOCSCTTY, 0)
            stdin = os.open("/dev/null", os.O_RDONLY) if self.stdin_null else self.slave
            os.dup2(stdin, 0)
            os.dup2(self.slave, 1)
            os.dup2(self.slave, 2)
            os.closerange(3, 1024)
            try:
                os.execvp(cmd[0], cmd)
            finally:
                os._exit(127)
        self.status = None

    def pump(self, seconds):
        """Read the output for up to SECONDS, or until CMD has exited and is quiet."""
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            fds = [self.master] if self.master >= 0 else []
            r, _, _ = select.select(fds, [], [], min(left, 0.05))
            if r:
                try:
                    self.out += os.read(self.master, 65536)
                except OSError:
                    pass
                continue
            if self.reap() is not None:
                return

    def reap(self):
        if self.status is None:
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(st)
                if self.status < 0:
                    self.status = 128 - self.status
        return self.status

    def expect(self, pattern):
        end = time.monotonic() + self.timeout
        rx = re.compile(pattern.encode(), re.S)
        while not rx.search(self.out):
            if time.monotonic() > end:
                self.fail("expect timed out: %r" % pattern)
            self.pump(0.05)

    def fail(self, what):
        sys.stderr.write("ptyrun: %s\noutput so far:\n%r\n" % (what, bytes(self.out)))
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        sys.exit(3)

    def mode(self):
        lflag = termios.tcgetattr(self.slave)[3]
        return "cooked" if lflag & termios.ICANON else "raw"

    def ldisc(self):
        try:
            buf = fcntl.ioctl(self.slave, termios.TIOCGETD, b"\0\0\0\0")
        except OSError:
            return -1
        return struct.unpack("i", buf)[0]

    def finish(self):
        end = time.monotonic() + self.timeout
        while self.reap() is None:
            if time.monotonic() > end:
                self.fail("CMD did not exit")
            self.pump(0.05)
        self.pump(0.2)
        try:
            after = termios.tcgetattr(self.slave)
        except termios.error as e:
            print("status %d\nmodes unreadable: %s\nldisc %d" % (self.status, e, self.ldisc()))
            return
        # What nobody read: the terminal's input queue, read without waiting for a line.
        raw = list(after)
        raw[3] &= ~(termios.ICANON | termios.ECHO)
        raw[6] = list(raw[6])
        raw[6][termios.VMIN] = 0
        raw[6][termios.VTIME] = 0
        termios.tcsetattr(self.slave, termios.TCSANOW, raw)
        try:
            pending = os.read(self.slave, 4096)
        except OSError:
            pending = b""
        termios.tcsetattr(self.slave, termios.TCSANOW, after)
        print("status %d" % self.status)
        if after == self.before:
            print("modes restored")
        else:
            print("modes changed %r -> %r" % (self.before, after))
        print("pending %r" % pending)
        print("ldisc %d" % self.ldisc())


def signum(name):
    return getattr(signal, "SIG" + name.upper().removeprefix("SIG"))


def main(argv):
    opts = {"rows": 24, "cols": 80, "stdin_null": False, "out": None, "timeout": 10.0}
    steps = []
    i = 0
    while i < len(argv) and argv[i] != "--":
        a = argv[i]
        if a in ("--rows", "--cols", "--out", "--timeout"):
            opts[a[2:]] = argv[i + 1]
            i += 2
        elif a == "--stdin-null":
            opts["stdin_null"] = True
            i += 1
        elif a in ("-e", "-s", "-w", "-r", "-k", "-K"):
            steps.append((a, argv[i + 1]))
            i += 2
        elif a in ("-m", "-f", "-d", "-t", "-H"):
            steps.append((a, None))
            i += 1
        else:
            sys.exit("ptyrun: unknown argument %r" % a)
    cmd = argv[i + 1:]
    if not cmd:
        sys.exit(__doc__)

    run = Run(int(opts["rows"]), int(opts["cols"]), opts["stdin_null"], float(opts["timeout"]))
    run.start(cmd)
    for op, arg in steps:
        if op == "-e":
            run.expect(arg)
        elif op == "-s":
            os.write(run.master, codecs.decode(arg, "unicode_escape").encode("latin-1"))
        elif op == "-w":
            run.pump(float(arg))
        elif op == "-r":
            rows, cols = arg.split(",")
            run.winsize(int(rows), int(cols))
        elif op == "-k":
            os.kill(run.pid, signum(arg))
        elif op == "-K":
            sig, pattern = arg.split(":", 1)
            subprocess.run(["pkill", "-" + sig, "-u", str(os.getuid()), "-f", pattern])
        elif op == "-m":
            print("mode " + run.mode(), flush=True)
        elif op == "-f":
            print("fg " + ("cmd" if os.tcgetpgrp(run.master) == run.pid else "other"), flush=True)
        elif op == "-d":
            print("ldisc %d" % run.ldisc(), flush=True)
        elif op == "-H":
            os.close(run.master)
            run.master = -1
        elif op == "-t":
            st = os.fstat(run.slave)
            print("tty %d %d" % (st.st_dev, st.st_rdev), flush=True)
    run.finish()
    if opts["out"]:
        with open(opts["out"], "wb") as f:
            f.write(run.out)


if __name__ == "__main__":
    main(sys.argv[1:])
