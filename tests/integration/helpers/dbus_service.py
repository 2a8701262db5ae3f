#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A D-Bus service for tests/integration/dbus.bats (python3-dbus, python3-gi).

usage: dbus_service.py ADDRESS NAME READY_FILE

Owns NAME on the bus at ADDRESS, with one connection of its own (so that no other name
shares its unique name), and serves:
  /org/nook/Test      org.nook.Test.Ping() -> "pong NAME"
                      org.nook.Other.Secret() -> "secret NAME"
  /org/nook/Test/Sub  org.nook.Test.Ping() -> "sub NAME"
Every 50 ms it emits the signals org.nook.Test.Tick(NAME) and org.nook.Other.Tock(NAME) on
/org/nook/Test. READY_FILE is created once NAME is owned. It stops after 600 s at most.
"""
import sys

import dbus
import dbus.mainloop.glib
import dbus.service
from gi.repository import GLib

LIFETIME_S = 600
TICK_MS = 50


class Test(dbus.service.Object):
    def __init__(self, conn, path, name, answer):
        super().__init__(conn, path)
        self.name = name
        self.answer = answer

    @dbus.service.method("org.nook.Test", in_signature="", out_signature="s")
    def Ping(self):
        return "%s %s" % (self.answer, self.name)

    @dbus.service.method("org.nook.Other", in_signature="", out_signature="s")
    def Secret(self):
        return "secret %s" % self.name

    @dbus.service.signal("org.nook.Test", signature="s")
    def Tick(self, name):
        pass

    @dbus.service.signal("org.nook.Other", signature="s")
    def Tock(self, name):
        pass


def main():
    address, name, ready = sys.argv[1:4]
    dbus.mainloop.glib.DBusGMainLoop(set_as_default=True)
    conn = dbus.bus.BusConnection(address)
    owned = dbus.service.BusName(name, conn, do_not_queue=True)
    top = Test(conn, "/org/nook/Test", name, "pong")
    Test(conn, "/org/nook/Test/Sub", name, "sub")

    def tick():
        top.Tick(name)
        top.Tock(name)
        return True

    GLib.timeout_add(TICK_MS, tick)
    loop = GLib.MainLoop()
    GLib.timeout_add_seconds(LIFETIME_S, loop.quit)
    open(ready, "w").close()
    loop.run()
    del owned


if __name__ == "__main__":
    main()
