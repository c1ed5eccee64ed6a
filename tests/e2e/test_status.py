"""growthctl status (human and --json), the default verb, --version, the rpc verb and verb typos."""

import json
import os

import harness


class StatusTest(harness.TestCase):
    def setUp(self):
        super().setUp()
        self.daemon = self.sandbox.start_daemon()

    def test_status_human_shows_version_protocol_pid_uptime_paths_and_counts(self):
        r = self.sandbox.ctl("status")
        self.assertEqual(r.returncode, 0, r)
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], rf"^growthd \S+ \(protocol 1\.0\), pid {self.daemon.pid}, up \d+s$")
        self.assertEqual(lines[1], f"data:    {self.sandbox.data_dir}")
        self.assertEqual(lines[2], f"socket:  {self.sandbox.socket_path}")
        self.assertEqual(lines[3], "posts:   0, targets 0, parts 0")
        self.assertEqual(lines[4], "vault:   unlocked")
        self.assertEqual(r.stderr, "")

    def test_status_json_is_one_object_with_version_protocol_pid(self):
        r = self.sandbox.ctl("status", "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout.count("\n"), 1)
        status = r.json()
        self.assertEqual(status["protocol"], "1.0")
        self.assertEqual(status["pid"], self.daemon.pid)
        self.assertIsInstance(status["version"], str)
        self.assertIsInstance(status["uptime_seconds"], int)
        self.assertEqual(status["data_dir"], self.sandbox.data_dir)
        self.assertEqual(status["counts"]["posts"], 0)

    def test_no_verb_means_status(self):
        r = self.sandbox.ctl("--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.json()["pid"], self.daemon.pid)

    def test_global_option_after_the_verb(self):
        r = self.sandbox.ctl("status", "--json")
        self.assertEqual(r.json()["pid"], self.daemon.pid)

    def test_version_matches_the_daemon(self):
        r = self.sandbox.ctl("--version")
        self.assertEqual(r.returncode, 0, r)
        version = self.sandbox.ctl("--json").json()["version"]
        self.assertEqual(r.stdout, f"growthctl {version}\n")

    def test_unknown_verb_suggests_the_nearest(self):
        r = self.sandbox.ctl("stauts")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stdout, "")
        self.assertEqual(r.stderr.splitlines()[0], "growthctl: error: unknown verb 'stauts'; did you mean 'status'?")

    def test_an_extra_argument_after_a_verb_is_a_usage_error_not_a_verb_typo(self):
        r = self.sandbox.ctl("status", "extra")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: growthctl status takes no arguments, got 'extra'\n"
                                   "hint: see growthctl status --help\n")

    def test_unknown_option_is_a_usage_error(self):
        r = self.sandbox.ctl("--frobnicate")
        self.assertEqual(r.returncode, 2, r)
        self.assertTrue(r.stderr.startswith("growthctl: error: "), r.stderr)

    def test_rpc_prints_the_result(self):
        r = self.sandbox.ctl("rpc", "daemon.ping")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(json.loads(r.stdout), {"pong": True})

    def test_rpc_json_prints_one_compact_line(self):
        r = self.sandbox.ctl("--json", "rpc", "daemon.ping", "{}")
        self.assertEqual(r.stdout, '{"pong":true}\n')

    def test_rpc_unknown_method_exits_2_with_suggestion(self):
        r = self.sandbox.ctl("rpc", "daemon.pnig")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: unknown method 'daemon.pnig'; did you mean 'daemon.ping'?\n")

    def test_rpc_bad_params_exit_2(self):
        r = self.sandbox.ctl("rpc", "daemon.ping", '{"loud":true}')
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: daemon.ping: unknown parameter 'loud'\n")

    def test_rpc_params_not_json_exit_2_without_contacting_the_daemon(self):
        r = self.sandbox.ctl("rpc", "daemon.stop", "{nope")
        self.assertEqual(r.returncode, 2, r)
        self.assertTrue(r.stderr.startswith("growthctl: error: PARAMS_JSON is not valid JSON: "), r.stderr)
        self.assertTrue(self.daemon.running())

    def test_rpc_describe_lists_the_method_table(self):
        r = self.sandbox.ctl("--json", "rpc", "daemon.describe")
        names = [m["name"] for m in r.json()["methods"]]
        self.assertEqual(names, ["account.add", "account.list", "account.login.cancel",
                                 "account.login.finish", "account.login.start", "account.quota", "account.refresh", "account.remove", "account.show",
                                 "account.test", "account.update", "daemon.describe", "daemon.ping", "daemon.reload", "daemon.status", "daemon.stop",
                                 "events.watch", "post.cancel", "post.list", "post.publish", "post.reschedule", "post.resolve",
                                 "post.retry", "post.schedule", "post.show", "post.wait",
                                 "vault.lock", "vault.rekey", "vault.status", "vault.unlock"])

    def test_verbose_traces_the_rpc_traffic_on_stderr(self):
        r = self.sandbox.ctl("-v", "rpc", "daemon.ping")
        self.assertIn('> {"jsonrpc":"2.0","id":1,"method":"daemon.ping"}', r.stderr)
        self.assertIn('< {"jsonrpc":"2.0","id":1,"result":{"pong":true}}', r.stderr)

    def test_socket_option_and_growth_socket_variable(self):
        other = os.path.join(self.sandbox.root, "other.sock")
        d2_env = self.sandbox.env(XDG_DATA_HOME=os.path.join(self.sandbox.root, "data2"))
        d2 = self.sandbox.start_daemon("--socket", other, socket_path=other, env=d2_env)
        r = self.sandbox.ctl("--json", "--socket", other, "--no-autostart")
        self.assertEqual(r.json()["pid"], d2.pid)
        r = self.sandbox.ctl("--json", "--no-autostart", env=self.sandbox.env(GROWTH_SOCKET=other))
        self.assertEqual(r.json()["pid"], d2.pid)
