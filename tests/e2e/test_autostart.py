"""growthctl starts growthd when the socket is absent, unless --no-autostart (exit 3)."""

import os
import socket
import stat

import harness


class AutostartTest(harness.TestCase):
    def test_status_starts_the_daemon_when_the_socket_is_absent(self):
        r = self.sandbox.ctl("--json")
        self.assertEqual(r.returncode, 0, r)
        pid = r.json()["pid"]
        self.assertEqual(self.sandbox.daemon_pid_from_lock(), pid)
        # The daemon outlives growthctl and serves the next call.
        again = self.sandbox.ctl("--json", "--no-autostart")
        self.assertEqual(again.json()["pid"], pid)

    def test_autostarted_daemon_creates_dir_0700_and_socket_0600(self):
        self.assertEqual(self.sandbox.ctl("status").returncode, 0)
        self.assertEqual(self.mode(self.sandbox.runtime_dir), 0o700)
        self.assertTrue(stat.S_ISSOCK(os.lstat(self.sandbox.socket_path).st_mode))
        self.assertEqual(self.mode(self.sandbox.socket_path), 0o600)

    def test_no_autostart_exits_3_with_a_hint(self):
        r = self.sandbox.ctl("--no-autostart", "status")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(r.stdout, "")
        lines = r.stderr.splitlines()
        self.assertEqual(lines[0], f"growthctl: error: growthd is not running (no socket at {self.sandbox.socket_path})")
        self.assertTrue(lines[1].startswith("hint: start it with `growthd`"), lines)
        self.assertFalse(os.path.exists(self.sandbox.socket_path))

    def test_a_stale_socket_file_is_replaced_by_autostart(self):
        os.makedirs(self.sandbox.runtime_dir, mode=0o700)
        stale = socket.socket(socket.AF_UNIX)
        stale.bind(self.sandbox.socket_path)
        stale.close()  # the file stays, nobody listens
        r = self.sandbox.ctl("--no-autostart")
        self.assertEqual(r.returncode, 3, r)
        self.assertIn("nobody listens on the socket", r.stderr)
        r = self.sandbox.ctl("--json")
        self.assertEqual(r.returncode, 0, r)

    def test_autostart_reports_why_growthd_could_not_start(self):
        os.makedirs(self.sandbox.runtime_dir, mode=0o755)
        os.chmod(self.sandbox.runtime_dir, 0o755)
        r = self.sandbox.ctl("status")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(
            r.stderr,
            f"growthctl: error: could not start growthd: {self.sandbox.runtime_dir} is accessible by group or "
            f"others (mode 0755); fix it with: chmod 700 {self.sandbox.runtime_dir}\n")

    def test_autostart_uses_growthd_on_path_when_none_is_beside_growthctl(self):
        # Copy growthctl alone into a directory, and put growthd's directory on PATH.
        lone = os.path.join(self.sandbox.root, "bin")
        os.makedirs(lone)
        ctl = os.path.join(lone, "growthctl")
        with open(harness.GROWTHCTL, "rb") as src, open(ctl, "wb") as dst:
            dst.write(src.read())
        os.chmod(ctl, 0o755)
        env = self.sandbox.env(PATH=os.path.dirname(os.path.abspath(harness.GROWTHD)) + ":/usr/bin:/bin")
        r = harness.Result(*_run([ctl, "--json"], env))
        self.assertEqual(r.returncode, 0, r)
        env = self.sandbox.env(PATH="/usr/bin:/bin")
        self.sandbox.ctl("rpc", "daemon.stop")
        harness.wait_for(lambda: not os.path.exists(self.sandbox.socket_path), what="daemon to stop")
        r = harness.Result(*_run([ctl, "status"], env))
        self.assertEqual(r.returncode, 3, r)
        self.assertIn("no growthd next to growthctl or on PATH", r.stderr)


def _run(argv, env):
    import subprocess
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=harness.DEFAULT_TIMEOUT)
    return p.returncode, p.stdout, p.stderr
