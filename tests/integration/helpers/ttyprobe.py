#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ttyprobe.py ACTION [ARG...]: what a program inside can do with its terminal.

  session            "leader yes|no" (its own session's leader), "ctty yes|none",
                     "fg yes|no" (its process group is its terminal's foreground one)
  fds                "fdN DEV RDEV" for each of fds 0-2 that is a terminal, else "fdN -"
  tiocsti FD TEXT    push TEXT into FD's input queue: "ok" or the errno name
  tcsetpgrp FD       make a new process group of its own FD's foreground: "ok" or errno
  tiocsetd FD N      set FD's line discipline to N: "ok" or errno
  steal SECONDS      grab the foreground of every terminal among fds 0-2 and /dev/tty,
                     print "armed", then read them for SECONDS: "stole REPR"
  winch              print "size ROWS COLS" now and on each SIGWINCH, then "ready";
                     ends at the first line read from stdin, or after 20 s

SIGTTOU and SIGTTIN are ignored, so the kernel's job control checks say EIO or let it
through instead of stopping the probe. Exits 0; a usage error exits 2.
"""
import errno
import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time


def err_name(e):
    return errno.errorcode.get(e, str(e))


def attempt(fn):
    try:
        fn()
    except OSError as e:
        return err_name(e.errno)
    return "ok"


def act_session():
    print("leader " + ("yes" if os.getsid(0) == os.getpid() else "no"))
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
        print("ctty yes")
        print("fg " + ("yes" if os.tcgetpgrp(fd) == os.getpgrp() else "no"))
    except OSError:
        print("ctty none")


def act_fds():
    for fd in range(3):
        if os.isatty(fd):
            st = os.fstat(fd)
            print("fd%d %d %d" % (fd, st.st_dev, st.st_rdev))
        else:
            print("fd%d -" % fd)


def act_tiocsti(fd, text):
    def push():
        for c in text.encode() + b"\n":
            fcntl.ioctl(int(fd), termios.TIOCSTI, bytes([c]))
    print(attempt(push))


def act_tcsetpgrp(fd):
    try:
        os.setpgid(0, 0)
    except OSError:
        pass            # a session leader leads its group already
    print(attempt(lambda: os.tcsetpgrp(int(fd), os.getpgrp())))


def act_tiocsetd(fd, n):
    print(attempt(lambda: fcntl.ioctl(int(fd), termios.TIOCSETD, struct.pack("i", int(n)))))


def act_steal(seconds):
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    fds = [fd for fd in range(3) if os.isatty(fd)]
    try:
        fds.append(os.open("/dev/tty", os.O_RDWR))
    except OSError:
        pass
    for fd in fds:
        try:
            os.tcsetpgrp(fd, os.getpgrp())
        except OSError:
            pass
    print("armed", flush=True)
    stolen = b""
    end = time.monotonic() + float(seconds)
    while fds and time.monotonic() < end:
        r, _, _ = select.select(fds, [], [], max(0, end - time.monotonic()))
        if not r:
            continue
        # One read a round: the fds may all be the same terminal, and a second would wait.
        try:
            data = os.read(r[0], 4096)
        except OSError:
            data = b""
        if not data:
            fds.remove(r[0])
        stolen += data
    print("stole %r" % stolen, flush=True)


def act_winch():
    def size(*_):
        rows, cols = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))[:2]
        print("size %d %d" % (rows, cols), flush=True)
    size()
    signal.signal(signal.SIGWINCH, size)
    print("ready", flush=True)
    r, _, _ = select.select([0], [], [], 20)
    if r:
        os.read(0, 4096)


def main(argv):
    actions = {name[4:]: fn for name, fn in globals().items() if name.startswith("act_")}
    if not argv or argv[0] not in actions:
        sys.stderr.write(__doc__)
        sys.exit(2)
    signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    signal.signal(signal.SIGTTIN, signal.SIG_IGN)
    actions[argv[0]](*argv[1:])
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
