#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""oci_reaper.py [--console SOCKET] PIDFILE CREATE-COMMAND... -- START-COMMAND...: what conmon
does, in short.

Becomes a child subreaper, runs the create command (which must write PIDFILE and exit), checks
that the pid in PIDFILE is now its own child (re-parented to it when create exited), runs the
start command, waits for that pid and prints how it ended: "exit N" or "signal N". Any
deviation is one line on stderr and exit status 2.

With --console, it first listens on SOCKET (the create command's --console-socket), takes the
terminal's master that the container sends there (exactly one fd), and prints what comes out of
the terminal (its \r\n as \n) before the end.
"""
import array
import ctypes
import errno
import os
import socket
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


def fail(msg):
    print("oci_reaper: " + msg, file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
    listener = None
    if args[:1] == ["--console"]:
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(args[1])
        listener.listen(1)
        listener.settimeout(30)
        args = args[2:]
    if len(args) < 4 or "--" not in args:
        fail("usage: PIDFILE CREATE... -- START...")
    pidfile = args[0]
    sep = args.index("--")
    create, start = args[1:sep], args[sep + 1:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        fail("prctl: errno %d" % ctypes.get_errno())
    r = subprocess.run(create)
    if r.returncode != 0:
        fail("create exited %d" % r.returncode)
    with open(pidfile) as f:
        pid = int(f.read())
    with open("/proc/%d/status" % pid) as f:
        ppid = [int(line.split()[1]) for line in f if line.startswith("PPid:")][0]
    if ppid != os.getpid():
        fail("pid %d has parent %d, not the subreaper %d" % (pid, ppid, os.getpid()))
    master = None
    if listener:
        conn, _ = listener.accept()
        fds = array.array("i")
        msg, anc, _, _ = conn.recvmsg(64, socket.CMSG_SPACE(4 * fds.itemsize))
        for level, kind, data in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
        if len(fds) != 1:
            fail("the console socket got %d fds, not 1" % len(fds))
        master = fds[0]
    r = subprocess.run(start)
    if r.returncode != 0:
        fail("start exited %d" % r.returncode)
    if master is not None:
        out = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError as e:
                if e.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            out += chunk
        sys.stdout.write(out.decode(errors="replace").replace("\r\n", "\n"))
        sys.stdout.flush()
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status):
        print("exit %d" % os.WEXITSTATUS(status))
    else:
        print("signal %d" % os.WTERMSIG(status))


main()
