#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of named.bats, run inside a sandbox that can write nook's state directory.

named.py ask PATH          connect to a keeper's socket as nook enter does; print what came
                           back: "bytes N fds M" ("bytes 0 fds 0": it hung up, refused).
named.py serve PATH STATE  pose as a keeper on PATH: answer every client as a keeper would,
                           with the state file STATE (a sandbox without a filter), a filter of
                           nothing and this process's own namespaces; print "listening", then
                           "served" for each client. Runs until killed.
named.py unshare           unshare(CLONE_NEWUSER): "ok", or the errno's name (the filter's).
named.py order STATE MARKS N CMD...
                           run CMD N times, one after the other, watching STATE and MARKS
                           (one inotify queue, so in the order things happened); CMD makes a
                           file in MARKS (its payload ran). Print "runs N failed F early E
                           late L soon S": E runs made something in STATE before their mark,
                           L after it; S were seen to make something less than SOON (20 ms,
                           a keeper's delay) after CMD was started: made sooner, surely.
"""
import array
import ctypes
import errno
import os
import socket
import struct
import sys

KEEPER_MAGIC = 0x6E6F6F6B
CLONE_NEWUSER = 0x10000000
# The keeper's delay (KEEPER_DELAY_MS in src/sandbox/state.c), in seconds.
SOON = 0.020


def ask(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)
    fds = array.array("i")
    msg, anc, _flags, _addr = s.recvmsg(64, socket.CMSG_SPACE(16 * fds.itemsize))
    n = 0
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            got = array.array("i")
            got.frombytes(data[: len(data) - (len(data) % got.itemsize)])
            n += len(got)
    print("bytes %d fds %d" % (len(msg), n))


def serve(path, state_file):
    with open(state_file, "rb") as f:
        state = f.read()
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.bind(path)
    s.listen(8)
    print("listening", flush=True)
    while True:
        conn, _ = s.accept()
        state_fd = os.memfd_create("state")
        os.write(state_fd, state)
        filter_fd = os.memfd_create("filter")
        own = os.pidfd_open(os.getpid())
        user = os.open("/proc/self/ns/user", os.O_RDONLY)
        fds = [own, own, state_fd, filter_fd, user]
        reply = struct.pack("=IIQ", KEEPER_MAGIC, 0, CLONE_NEWUSER)
        try:
            conn.sendmsg([reply], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", fds))])
        except OSError:
            pass
        for fd in set(fds):
            os.close(fd)
        conn.close()
        print("served", flush=True)


def unshare():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) == 0:
        return "ok"
    return errno.errorcode.get(ctypes.get_errno(), str(ctypes.get_errno()))


def order(state, marks, n, cmd):
    import select
    import subprocess
    import time

    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
    wd_state = libc.inotify_add_watch(fd, state.encode(), 0x100 | 0x80)
    wd_marks = libc.inotify_add_watch(fd, marks.encode(), 0x100 | 0x80)
    if fd < 0 or wd_state < 0 or wd_marks < 0:
        raise OSError(ctypes.get_errno(), "inotify on " + state + " and " + marks)
    failed = early = late = soon = 0
    for _ in range(n):
        seen_mark = made_before = made_after = made_soon = False
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
        while True:
            ended = proc.poll() is not None
            if not ended:
                select.select([fd], [], [], 0.002)
            # Seen now: made no later than now (inotify has no times of its own).
            now = time.monotonic()
            try:
                data = os.read(fd, 65536)
            except BlockingIOError:
                data = b""
            while data:
                wd, _mask, _cookie, length = struct.unpack_from("iIII", data)
                data = data[16 + length:]
                if wd == wd_marks:
                    seen_mark = True
                    continue
                if now - start < SOON:
                    made_soon = True
                if seen_mark:
                    made_after = True
                else:
                    made_before = True
            if ended:
                break
        failed += proc.returncode != 0
        early += made_before
        late += made_after
        soon += made_soon
        for name in os.listdir(marks):
            os.unlink(os.path.join(marks, name))
    print("runs %d failed %d early %d late %d soon %d" % (n, failed, early, late, soon))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "ask":
        ask(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 2 and sys.argv[1] == "unshare":
        print(unshare())
    elif len(sys.argv) >= 6 and sys.argv[1] == "order":
        order(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)
