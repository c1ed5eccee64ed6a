"""SO_PEERCRED: a peer of another uid is dropped even when the file modes would let it in."""

import os
import shutil
import subprocess
import unittest

import harness

NOBODY_PYTHON = "/usr/bin/python3"

# Connects, then prints what the daemon sent before closing (nothing expected) and "EOF".
CLIENT = """
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect(sys.argv[1])
data = b""
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(repr(data))
print("EOF")
"""


@unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv") and os.path.exists(NOBODY_PYTHON),
                     "needs root, setpriv and /usr/bin/python3 to run a client as nobody")
class PeerUidTest(harness.TestCase):
    def test_a_client_running_as_nobody_is_dropped_without_a_greeting(self):
        d = self.sandbox.start_daemon()
        # Open every path component and the socket to everyone: only SO_PEERCRED stands in the way.
        for path in (self.sandbox.root, self.sandbox.runtime, self.sandbox.runtime_dir):
            os.chmod(path, 0o755)
        os.chmod(self.sandbox.socket_path, 0o777)
        p = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            NOBODY_PYTHON, "-c", CLIENT, self.sandbox.socket_path],
                           capture_output=True, text=True, timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, "b''\nEOF\n")
        harness.wait_for(lambda: "refused a connection from uid 65534" in d.log(), what="the refusal in the log")
        self.assertIn(f"only uid {os.geteuid()} is served", d.log())
        # The daemon's own user is still served.
        self.assertEqual(self.sandbox.ctl("--no-autostart").returncode, 0)
