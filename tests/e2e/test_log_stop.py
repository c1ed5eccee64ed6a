"""growthctl log and stop: an autostarted growthd logs to $XDG_STATE_HOME/growth/growthd.log, which
growthctl log shows (-n, -f); stop and rpc daemon.stop never start a daemon to stop it.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_log_stop
"""

import os
import queue
import subprocess
import threading

import harness


class LogAndStop(harness.TestCase):
    def log_path(self):
        return os.path.join(self.sandbox.home, ".local", "state", "growth", "growthd.log")

    def test_an_autostarted_growthd_logs_to_its_state_file_and_log_shows_and_follows_it(self):
        r = self.sandbox.ctl("status")  # starts growthd in the background
        self.assertEqual(r.returncode, 0, r)
        self.addCleanup(lambda: self.sandbox.ctl("stop"))
        self.assertEqual(self.sandbox.ctl("status", "--json").json()["log"], self.log_path())
        self.assertEqual(os.stat(self.log_path()).st_mode & 0o777, 0o600)
        r = self.sandbox.ctl("log", "-n", "1")
        self.assertEqual(r.returncode, 0, r)
        self.assertRegex(r.stdout, r"^growthd: growthd \S+ ready on ")
        follow = subprocess.Popen([harness.GROWTHCTL, "log", "-f", "-n", "1"], env=self.sandbox.env(),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: (follow.poll() is None and follow.kill(), follow.wait(), follow.stdout.close(),
                                 follow.stderr.close()))
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in follow.stdout], daemon=True).start()
        # The last line first; whatever is written after it follows, none missed in between.
        self.assertRegex(lines.get(timeout=30), r"^growthd: growthd \S+ ready on ")
        r = self.sandbox.ctl("stop")
        self.assertEqual((r.returncode, r.stdout), (0, "growthd is stopping\n"), r)
        self.assertEqual(lines.get(timeout=30), "growthd: stopped\n")

    def test_stop_and_rpc_daemon_stop_never_start_a_daemon(self):
        r = self.sandbox.ctl("stop")
        self.assertEqual((r.returncode, r.stdout), (0, "growthd is not running\n"), r)
        r = self.sandbox.ctl("rpc", "daemon.stop")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(r.stderr, "growthctl: error: growthd is not running: there is nothing to stop\n")
        self.assertFalse(os.path.exists(self.sandbox.socket_path))
        r = self.sandbox.ctl("log")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("no log at %s yet" % self.log_path(), r.stderr)
        self.assertFalse(os.path.exists(self.sandbox.socket_path))

    def test_a_growthd_in_the_foreground_says_its_log_is_its_stderr(self):
        self.daemon = self.sandbox.start_daemon()
        r = self.sandbox.ctl("log")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("growthd logs to its standard error", r.stderr)
