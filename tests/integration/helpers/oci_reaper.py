#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""oci_reaper.py PIDFILE CREATE-COMMAND... -- START-COMMAND...: what conmon does, in short.

Becomes a child subreaper, runs the create command (which must write PIDFILE and exit), checks
that the pid in PIDFILE is now its own child (re-parented to it when create exited), runs the
start command, waits for that pid and prints how it ended: "exit N" or "signal N". Any
deviation is one line on stderr and exit status 2.
"""
import ctypes
import os
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36


def fail(msg):
    print("oci_reaper: " + msg, file=sys.stderr)
    sys.exit(2)


def main():
    args = sys.argv[1:]
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
    r = subprocess.run(start)
    if r.returncode != 0:
        fail("start exited %d" % r.returncode)
    _, status = os.waitpid(pid, 0)
    if os.WIFEXITED(status):
        print("exit %d" % os.WEXITSTATUS(status))
    else:
        print("signal %d" % os.WTERMSIG(status))


main()
