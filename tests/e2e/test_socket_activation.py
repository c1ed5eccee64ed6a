"""Socket activation (LISTEN_FDS/LISTEN_PID) through systemd-socket-activate."""

import os
import shutil
import signal
import unittest

import harness


@unittest.skipUnless(shutil.which("systemd-socket-activate"), "systemd-socket-activate is not installed")
class SocketActivationTest(harness.TestCase):
    def test_growthd_serves_on_the_socket_passed_by_systemd(self):
        path = os.path.join(self.sandbox.root, "activated.sock")
        # systemd-socket-activate binds, then execs growthd with the socket as fd 3.
        d = self.sandbox.spawn_daemon(prefix=["systemd-socket-activate", "-l", path])
        harness.wait_for(lambda: os.path.exists(path), what="the activation socket")
        r = self.sandbox.ctl("--json", "--no-autostart", "--socket", path)
        self.assertEqual(r.returncode, 0, r)
        status = r.json()
        self.assertTrue(status["socket_activated"])
        self.assertEqual(status["socket"], path)
        self.assertEqual(status["pid"], d.pid)  # exec'd in place: same pid
        self.assertIn("using the socket passed by systemd", d.log())
        # Without a socket of its own, growthd created no runtime directory.
        self.assertFalse(os.path.exists(self.sandbox.runtime_dir))
        self.assertEqual(d.stop(signal.SIGTERM), 0)

    def test_human_status_marks_socket_activation(self):
        path = os.path.join(self.sandbox.root, "activated.sock")
        self.sandbox.spawn_daemon(prefix=["systemd-socket-activate", "-l", path])
        harness.wait_for(lambda: os.path.exists(path), what="the activation socket")
        r = self.sandbox.ctl("--no-autostart", "--socket", path)
        self.assertIn(f"socket:  {path} (socket-activated)\n", r.stdout)
