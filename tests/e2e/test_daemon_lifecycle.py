"""growthd start-up checks, signals, reload, the data-directory lock, logging and sd_notify."""

import os
import signal
import socket
import stat

import harness


class StartupTest(harness.TestCase):
    def test_socket_0600_in_a_0700_directory(self):
        self.sandbox.start_daemon()
        self.assertEqual(self.mode(self.sandbox.runtime_dir), 0o700)
        self.assertTrue(stat.S_ISSOCK(os.lstat(self.sandbox.socket_path).st_mode))
        self.assertEqual(self.mode(self.sandbox.socket_path), 0o600)

    def test_a_loose_runtime_dir_is_refused_with_the_fix(self):
        os.makedirs(self.sandbox.runtime_dir)
        os.chmod(self.sandbox.runtime_dir, 0o750)
        d = self.sandbox.spawn_daemon()
        self.assertEqual(d.wait(), 1)
        self.assertEqual(d.log(), f"growthd: error: {self.sandbox.runtime_dir} is accessible by group or others "
                                  f"(mode 0750); fix it with: chmod 700 {self.sandbox.runtime_dir}\n")
        self.assertFalse(os.path.exists(self.sandbox.socket_path))

    def test_a_runtime_dir_owned_by_another_user_is_refused(self):
        if os.geteuid() != 0:
            self.skipTest("needs root to give the directory away")
        os.makedirs(self.sandbox.runtime_dir, mode=0o700)
        os.chown(self.sandbox.runtime_dir, 65534, 65534)
        d = self.sandbox.spawn_daemon()
        self.assertEqual(d.wait(), 1)
        self.assertIn(f"{self.sandbox.runtime_dir} is owned by uid 65534, not by you", d.log())

    def test_without_xdg_runtime_dir_the_socket_is_under_tmp_growth_uid(self):
        env = self.sandbox.env(XDG_RUNTIME_DIR=None)
        path = f"/tmp/growth-{os.geteuid()}/growthd.sock"
        if harness.can_connect(path):
            self.skipTest(f"a daemon already serves {path}")
        d = self.sandbox.start_daemon(env=env, socket_path=path)
        r = self.sandbox.ctl("--json", "--no-autostart", env=env)
        self.assertEqual(r.json()["socket"], path)
        self.assertEqual(self.mode(os.path.dirname(path)), 0o700)
        self.assertEqual(d.stop(), 0)

    def test_a_second_daemon_on_the_same_data_dir_is_refused(self):
        first = self.sandbox.start_daemon()
        other = os.path.join(self.sandbox.root, "second.sock")
        second = self.sandbox.spawn_daemon("--socket", other)
        self.assertEqual(second.wait(), 1)
        self.assertEqual(second.log(), f"growthd: error: another growthd (pid {first.pid}) is already using data "
                                       f"directory {self.sandbox.data_dir}\n")
        self.assertTrue(first.running())
        self.assertEqual(self.sandbox.ctl("--no-autostart").returncode, 0)

    def test_a_second_daemon_on_the_same_socket_is_refused(self):
        self.sandbox.start_daemon()
        env = self.sandbox.env(XDG_DATA_HOME=os.path.join(self.sandbox.root, "data2"))
        second = self.sandbox.spawn_daemon(env=env)
        self.assertEqual(second.wait(), 1)
        self.assertEqual(second.log(), f"growthd: error: another growthd is already listening on {self.sandbox.socket_path}\n")

    def test_a_bad_config_refuses_to_start_naming_file_line_and_column(self):
        self.sandbox.write_config("[daemon]\nmax_connections = \"lots\"\n")
        d = self.sandbox.spawn_daemon()
        self.assertEqual(d.wait(), 1)
        self.assertTrue(d.log().startswith(f"growthd: error: {self.sandbox.config_path}:2:"), d.log())

    def test_background_start_returns_once_serving(self):
        d = self.sandbox.spawn_daemon(foreground=False)
        self.assertEqual(d.wait(), 0)
        self.assertTrue(harness.can_connect(self.sandbox.socket_path))
        pid = self.sandbox.daemon_pid_from_lock()
        self.assertNotEqual(pid, d.pid)
        self.assertEqual(self.sandbox.ctl("--json", "--no-autostart").json()["pid"], pid)

    def test_version_and_help(self):
        import subprocess
        out = subprocess.run([harness.GROWTHD, "--version"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0)
        self.assertRegex(out.stdout, r"^growthd \d+\.\d+\.\d+\n$")
        out = subprocess.run([harness.GROWTHD, "--help"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0)
        for option in ("--config", "--data-dir", "--socket", "--foreground"):
            self.assertIn(option, out.stdout)
        out = subprocess.run([harness.GROWTHD, "--bogus"], capture_output=True, text=True)
        self.assertEqual(out.returncode, 2)
        self.assertTrue(out.stderr.startswith("growthd: error: "), out.stderr)


class SignalTest(harness.TestCase):
    def test_sigterm_exits_0_and_removes_the_socket(self):
        d = self.sandbox.start_daemon()
        self.assertEqual(d.stop(signal.SIGTERM), 0)
        self.assertFalse(os.path.exists(self.sandbox.socket_path))
        self.assertIn("growthd: received SIGTERM, stopping\n", d.log())

    def test_sigint_exits_0(self):
        d = self.sandbox.start_daemon()
        self.assertEqual(d.stop(signal.SIGINT), 0)

    def test_sigterm_with_a_client_connected_exits_0(self):
        d = self.sandbox.start_daemon()
        c = self.sandbox.connect()
        self.assertEqual(d.stop(signal.SIGTERM), 0)
        self.assertTrue(c.closed_by_peer())

    def test_daemon_stop_rpc_replies_then_exits_0(self):
        d = self.sandbox.start_daemon()
        r = self.sandbox.ctl("--json", "rpc", "daemon.stop")
        self.assertEqual(r.stdout, '{"stopping":true}\n')
        self.assertEqual(d.wait(), 0)

    def test_sighup_reloads_the_config(self):
        self.sandbox.write_config("[daemon]\nlog_level = \"info\"\n")
        d = self.sandbox.start_daemon()
        self.sandbox.write_config("[daemon]\nlog_level = \"debug\"\n")
        d.send_signal(signal.SIGHUP)
        harness.wait_for(lambda: "configuration reloaded" in d.log(), what="reload")
        self.assertEqual(self.sandbox.ctl("--json").json()["log_level"], "debug")
        # Debug lines now appear: one per connection.
        harness.wait_for(lambda: "from pid" in d.log(), what="a debug line")

    def test_sighup_with_a_bad_config_keeps_the_old_one(self):
        self.sandbox.write_config("[daemon]\nlog_level = \"notice\"\n")
        d = self.sandbox.start_daemon()
        self.sandbox.write_config("[daemon]\nlog_level = \"chatty\"\n")
        d.send_signal(signal.SIGHUP)
        harness.wait_for(lambda: "reload failed" in d.log(), what="the reload error")
        self.assertIn(f"growthd: error: reload failed, keeping the previous configuration: {self.sandbox.config_path}:2:",
                      d.log())
        self.assertTrue(d.running())
        self.assertEqual(self.sandbox.ctl("--json").json()["log_level"], "notice")

    def test_reload_rpc_reports_a_bad_config_with_exit_2(self):
        self.sandbox.start_daemon()
        self.sandbox.write_config("[daemon]\nmax_conections = 3\n")
        r = self.sandbox.ctl("rpc", "daemon.reload")
        self.assertEqual(r.returncode, 2, r)
        self.assertTrue(r.stderr.startswith(f"growthctl: error: {self.sandbox.config_path}:2:1: "), r.stderr)


class ConfigTest(harness.TestCase):
    def test_max_connections_is_honoured(self):
        self.sandbox.write_config("[daemon]\nmax_connections = 1\n")
        self.sandbox.start_daemon()
        # start_daemon's readiness probe may still hold the one slot for a moment.
        first = harness.wait_for(self._greeted_client, what="a served connection")
        second = self.sandbox.connect(read_greeting=False)
        self.assertEqual(second.recv_json(), {"jsonrpc": "2.0", "id": None, "error": {
            "code": -32000, "message": "too many connections (limit 1)", "data": {"kind": "too_many_connections"}}})
        self.assertTrue(second.closed_by_peer())
        r = self.sandbox.ctl("--no-autostart")
        self.assertEqual(r.returncode, 3, r)
        self.assertEqual(r.stderr, "growthctl: error: growthd refused the connection: too many connections (limit 1)\n")
        self.assertEqual(first.call("daemon.ping")["result"], {"pong": True})

    def _greeted_client(self):
        c = self.sandbox.connect()
        if c.greeting.get("method") == "growth.hello":
            return c
        c.close()
        return None

    def test_log_level_filters_lines(self):
        self.sandbox.write_config("[daemon]\nlog_level = \"warning\"\n")
        d = self.sandbox.start_daemon()
        self.assertEqual(d.stop(), 0)
        self.assertEqual(d.log(), "")


class SystemdIntegrationTest(harness.TestCase):
    def test_journal_stream_gives_syslog_priority_prefixes(self):
        log_path = os.path.join(self.sandbox.root, "journal.log")
        with open(log_path, "wb") as f:
            st = os.fstat(f.fileno())
            env = self.sandbox.env(JOURNAL_STREAM=f"{st.st_dev}:{st.st_ino}")
            import subprocess
            p = subprocess.Popen([harness.GROWTHD, "--foreground"], env=env, stdout=f, stderr=f)
        harness.wait_for(lambda: harness.can_connect(self.sandbox.socket_path), what="socket")
        p.send_signal(signal.SIGTERM)
        self.assertEqual(p.wait(timeout=10), 0)
        with open(log_path) as f:
            lines = f.read().splitlines()
        self.assertTrue(lines[0].startswith("<6>growthd "), lines)
        self.assertIn("<6>received SIGTERM, stopping", lines)

    def test_journal_stream_for_another_file_is_ignored(self):
        d = self.sandbox.start_daemon(env=self.sandbox.env(JOURNAL_STREAM="1:1"))
        d.stop()
        self.assertTrue(d.log().startswith("growthd: growthd "), d.log())

    def test_sd_notify_ready_status_and_stopping(self):
        notify_path = os.path.join(self.sandbox.root, "notify.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(notify_path)
        listener.settimeout(10)
        d = self.sandbox.start_daemon(env=self.sandbox.env(NOTIFY_SOCKET=notify_path))
        ready = listener.recv(4096).decode()
        self.assertTrue(ready.startswith("READY=1\nSTATUS=Serving on "), ready)
        self.assertIn(f"MAINPID={d.pid}", ready)
        d.send_signal(signal.SIGHUP)
        reloading = listener.recv(4096).decode()
        self.assertRegex(reloading, r"^RELOADING=1\nMONOTONIC_USEC=\d+$")
        self.assertTrue(listener.recv(4096).decode().startswith("READY=1\n"))
        self.assertEqual(d.stop(), 0)
        self.assertEqual(listener.recv(4096).decode(), "STOPPING=1\nSTATUS=Stopping")
        listener.close()


class WatchdogTest(harness.TestCase):
    def test_watchdog_pings_at_half_the_interval_when_systemd_asks(self):
        notify_path = os.path.join(self.sandbox.root, "notify.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(notify_path)
        listener.settimeout(10)
        d = self.sandbox.start_daemon(env=self.sandbox.env(NOTIFY_SOCKET=notify_path, WATCHDOG_USEC="200000"))
        messages = [listener.recv(4096).decode() for _ in range(3)]
        self.assertTrue(messages[0].startswith("READY=1"), messages)
        self.assertEqual(messages[1:], ["WATCHDOG=1", "WATCHDOG=1"])
        d.stop()
        listener.close()


class PathOptionsTest(harness.TestCase):
    def test_relative_paths_work_in_the_background(self):
        import subprocess
        r = subprocess.run([harness.GROWTHD, "--data-dir", "d", "--socket", "s/growthd.sock", "--config", "c.toml"],
                           cwd=self.sandbox.root, env=self.sandbox.env(), capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 0, r.stderr)
        socket_path = os.path.join(self.sandbox.root, "s", "growthd.sock")
        status = self.sandbox.ctl("--json", "--no-autostart", "--socket", socket_path).json()
        self.assertEqual(status["data_dir"], os.path.join(self.sandbox.root, "d"))
        self.assertEqual(status["config_file"], os.path.join(self.sandbox.root, "c.toml"))
        self.addCleanup(_kill_quietly, status["pid"])
        self.assertEqual(os.readlink(f"/proc/{status['pid']}/cwd"), "/")
        self.sandbox.ctl("--socket", socket_path, "rpc", "daemon.stop")


def _kill_quietly(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
