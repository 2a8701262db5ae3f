#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""probe.py ACTION [ARG...]: try one thing from inside the sandbox and say how it went.

Prints "ok" (plus what was seen, for some actions) or the errno name of the failure
(EPERM, EACCES, ...), and exits 0 either way, so a test compares one word. A usage
error exits 2. Used by the integration suites; runs with the host's python3.
"""
import ctypes
import errno
import os
import pty
import select
import socket
import stat
import sys

libc = ctypes.CDLL(None, use_errno=True)


def err_name(e):
    return errno.errorcode.get(e, str(e))


def check(ret):
    """A libc call's result: "ok", or the errno name."""
    if ret == -1:
        return err_name(ctypes.get_errno())
    return "ok"


def act_mount(target="/tmp"):
    return check(libc.mount(b"none", target.encode(), b"tmpfs", 0, None))


def act_umount(target):
    return check(libc.umount2(target.encode(), 2))  # MNT_DETACH


def act_ptrace(pid):
    PTRACE_ATTACH, PTRACE_DETACH = 16, 17
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    libc.ptrace.restype = ctypes.c_long
    r = libc.ptrace(PTRACE_ATTACH, int(pid), None, None)
    if r == -1:
        return err_name(ctypes.get_errno())
    libc.ptrace(PTRACE_DETACH, int(pid), None, None)
    return "ok"


def act_mknod(path, kind="c", major="1", minor="3"):
    mode = (stat.S_IFCHR if kind == "c" else stat.S_IFBLK) | 0o666
    try:
        os.mknod(path, mode, os.makedev(int(major), int(minor)))
    except OSError as e:
        return err_name(e.errno)
    return "ok"


def act_pty():
    """Open a pty pair, pass a line through it; print its name."""
    try:
        m, s = pty.openpty()
    except OSError as e:
        return err_name(e.errno)
    name = os.ttyname(s)
    os.write(m, b"ping\n")
    r, _, _ = select.select([s], [], [], 5)
    if not r:
        return "timeout"
    data = os.read(s, 100)
    return "ok %s %s" % (name, data.decode().strip())


def act_connect(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    try:
        s.connect((host, int(port)))
    except OSError as e:
        return err_name(e.errno) if e.errno else type(e).__name__
    finally:
        s.close()
    return "ok"


def act_loopback():
    """A listener and a client on 127.0.0.1 inside; one message across."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.settimeout(5)
    try:
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        c = socket.create_connection(srv.getsockname(), timeout=5)
        a, _ = srv.accept()
        c.sendall(b"hello")
        data = a.recv(5)
    except OSError as e:
        return err_name(e.errno) if e.errno else type(e).__name__
    return "ok " + data.decode()


def act_setuid(uid):
    try:
        os.setuid(int(uid))
    except OSError as e:
        return err_name(e.errno)
    return "ok"


def act_sethostname(name):
    b = name.encode()
    return check(libc.sethostname(b, len(b)))


def act_open(path, mode="r"):
    flags = {"r": os.O_RDONLY, "w": os.O_WRONLY, "rw": os.O_RDWR}[mode]
    try:
        fd = os.open(path, flags)
    except OSError as e:
        return err_name(e.errno)
    os.close(fd)
    return "ok"


def act_write(path, text):
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError as e:
        return err_name(e.errno)
    return "ok"


def act_mkdir(path):
    try:
        os.mkdir(path)
    except OSError as e:
        return err_name(e.errno)
    return "ok"


def act_unix(path):
    """connect() to a unix socket: "ok", or why not (ENOENT when it is not there)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
    except OSError as e:
        return err_name(e.errno)
    finally:
        s.close()
    return "ok"


ACTIONS = {
    "mount": act_mount, "umount": act_umount, "ptrace": act_ptrace, "mknod": act_mknod,
    "pty": act_pty, "connect": act_connect, "loopback": act_loopback, "setuid": act_setuid,
    "sethostname": act_sethostname, "open": act_open, "write": act_write, "mkdir": act_mkdir,
    "unix": act_unix,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ACTIONS:
        sys.stderr.write("usage: probe.py %s [ARG...]\n" % "|".join(sorted(ACTIONS)))
        sys.exit(2)
    try:
        print(ACTIONS[sys.argv[1]](*sys.argv[2:]))
    except TypeError as e:
        sys.stderr.write("probe.py %s: %s\n" % (sys.argv[1], e))
        sys.exit(2)
