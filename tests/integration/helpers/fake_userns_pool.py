# SPDX-License-Identifier: GPL-2.0-or-later
"""A fake user namespace pool: serves nook's socket and hands over something nook must refuse.

fake_userns_pool.py SOCKET MODE, MODE one of
  netns       a network namespace (not a user namespace)
  file        a regular file (no namespace at all)
  othermap    a user namespace of ours with another map (unshare --map-root-user), and a
              network namespace it owns
  grandchild  a user namespace whose parent is not nook's (one unshare inside another)
  two         two user namespaces at once (the second where the network namespace goes)
  three       a user namespace, a network namespace it owns, and one more
  foreignnet  a user namespace, and a network namespace it does not own (the fake's own)
  none        nothing: it answers "n" (none ready), as a pool that has none, and prints each
              request as one line: "net" or "nonet", as the key asks for a network namespace
A request for a network namespace too (a key with the line "net") gets them all; one
without gets the first only, as from nook's pool. It answers every request until killed, and
prints "ready" once it listens.
"""
import os
import signal
import socket
import subprocess
import sys
import time

path, mode = sys.argv[1], sys.argv[2]
children = []


def ns_of(argv, kinds=("user",)):
    """The namespaces KINDS of a sleep started under ARGV, once it is there."""
    p = subprocess.Popen(argv + ["sleep", "600"])
    children.append(p)
    for _ in range(200):
        try:
            with open(f"/proc/{p.pid}/comm") as f:
                if f.read().strip() == "sleep":
                    return [os.open(f"/proc/{p.pid}/ns/{k}", os.O_RDONLY) for k in kinds]
        except OSError:
            pass
        time.sleep(0.01)
    sys.exit("fake_userns_pool: the namespace's process did not start")


def userns_of(argv):
    return ns_of(argv)[0]


def fds():
    if mode == "none":
        return []
    if mode == "netns":
        return [os.open("/proc/self/ns/net", os.O_RDONLY)]
    if mode == "file":
        return [os.open("/proc/self/status", os.O_RDONLY)]
    if mode == "othermap":
        return ns_of(["unshare", "-U", "--map-root-user", "-n"], ("user", "net"))
    if mode == "grandchild":
        return [userns_of(["unshare", "-U", "--map-root-user", "unshare", "-U"])]
    if mode == "two":
        return [userns_of(["unshare", "-U"]), userns_of(["unshare", "-U"])]
    if mode == "three":
        return ns_of(["unshare", "-U", "-r", "-n"], ("user", "net")) + [
            userns_of(["unshare", "-U"])]
    if mode == "foreignnet":
        return [userns_of(["unshare", "-U"]), os.open("/proc/self/ns/net", os.O_RDONLY)]
    sys.exit(f"fake_userns_pool: unknown mode {mode}")


def stop(*_):
    for p in children:
        p.kill()
        p.wait()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
handed = fds()
server = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
server.bind(path)
server.listen(8)
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    key = conn.recv(8192).decode(errors="replace")
    wants_net = "net" in key.split("\n")
    try:
        if mode == "none":
            print("net" if wants_net else "nonet", flush=True)
            conn.send(b"n")
        else:
            socket.send_fds(conn, [b"y"], handed if wants_net else handed[:1])
    except (BrokenPipeError, ConnectionResetError):
        pass  # nook asked ahead and no longer waits for this answer, as from nook's pool
    conn.close()
