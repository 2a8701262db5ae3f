#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Which signals arrive: for tests/integration/dbus.bats (python3-dbus, python3-gi).

usage: dbus_listen.py session|system SECONDS

Subscribes to every signal of interfaces org.nook.Test and org.nook.Other on the session or
system bus (as the environment names it), listens for SECONDS, and prints each kind that
arrived once, sorted, as "INTERFACE.MEMBER SENDER-NAME" (the name the sender passes as its
argument). Prints "none" when nothing arrived, "error: ..." when the bus cannot be reached.
"""
import sys

import dbus
import dbus.mainloop.glib
from gi.repository import GLib


def main():
    which, seconds = sys.argv[1], float(sys.argv[2])
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    try:
        bus = dbus.SessionBus() if which == "session" else dbus.SystemBus()
    except dbus.exceptions.DBusException as e:
        print("error: %s" % e.get_dbus_name())
        return
    seen = set()

    def on_signal(*args, **kw):
        seen.add("%s.%s %s" % (kw["interface"], kw["member"], args[0] if args else "-"))

    for interface in ("org.nook.Test", "org.nook.Other"):
        bus.add_signal_receiver(on_signal, dbus_interface=interface,
                                interface_keyword="interface", member_keyword="member")
    loop = GLib.MainLoop()
    GLib.timeout_add(int(seconds * 1000), loop.quit)
    loop.run()
    print("\n".join(sorted(seen)) if seen else "none")


if __name__ == "__main__":
    main()
