"""growthctl against servers that are not a compatible growthd (fake servers in this process)."""

import os
import socket
import threading

import harness


class FakeServer:
    """Accepts one connection, sends `greeting` (bytes), answers nothing, then closes."""

    def __init__(self, path, greeting):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(1)
        self.greeting = greeting
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        conn, _ = self.sock.accept()
        conn.sendall(self.greeting)
        conn.recv(4096)
        conn.close()

    def close(self):
        self.sock.close()


class ClientProtocolTest(harness.TestCase):
    def serve(self, greeting):
        path = os.path.join(self.sandbox.root, "fake.sock")
        server = FakeServer(path, greeting)
        self.addCleanup(server.close)
        return path

    def test_a_daemon_with_another_protocol_major_is_refused_with_exit_3(self):
        path = self.serve(b'{"jsonrpc":"2.0","method":"growth.hello","params":{"protocol":"2.0","version":"9.0.0"}}\n')
        r = self.sandbox.ctl("--socket", path, "status")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(r.stderr.splitlines()[0],
                         "growthctl: error: growthd 9.0.0 speaks protocol 2.0, this growthctl speaks 1.0")
        self.assertTrue(r.stderr.splitlines()[1].startswith("hint: "))

    def test_a_newer_minor_is_accepted(self):
        path = self.serve(b'{"jsonrpc":"2.0","method":"growth.hello","params":{"protocol":"1.7","version":"0.9.0"}}\n'
                          b'{"jsonrpc":"2.0","id":1,"result":{"pong":true,"extra":1}}\n')
        r = self.sandbox.ctl("--socket", path, "--json", "rpc", "daemon.ping")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, '{"pong":true,"extra":1}\n')

    def test_something_that_is_not_growthd_is_reported(self):
        path = self.serve(b"SSH-2.0-OpenSSH\n")
        r = self.sandbox.ctl("--socket", path, "status")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(r.stderr, "growthctl: error: growthd sent a line that is not JSON\n")

    def test_a_daemon_closing_mid_call_is_unreachable(self):
        path = self.serve(b'{"jsonrpc":"2.0","method":"growth.hello","params":{"protocol":"1.0","version":"0.1.0"}}\n')
        r = self.sandbox.ctl("--socket", path, "status")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(r.stderr, "growthctl: error: growthd closed the connection\n")
