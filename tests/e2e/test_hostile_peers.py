"""Hostile peers against the real growthd and growthctl: Mastodon "instances" (a host the user
types, so possibly hostile; tests/e2e/hostile_server.py) that answer a post with an endless body, a
50 MB body, a body nested 100,000 deep or one byte per second. Each ends in a classified failure,
growthd's memory stays bounded, and a sandbox target in the same post is published. Also: a request
line nested 100,000 deep on the socket, and limits.max_response_bytes followed through a reload.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_hostile_peers
"""

import json
import os
import time
import unittest

import harness
import hostile_server
import post_support as ps

MIB = 1024 * 1024
SANITIZED = os.environ.get("GROWTH_SANITIZED", "0") in ("1", "ON", "TRUE", "true", "on")


def vm_kib(pid, field):
    """VmRSS / VmHWM of `pid` in KiB, from /proc/PID/status."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def target(j, account):
    return [t for t in j["targets"] if t["account"] == account][0]


class HostilePeers(ps.PostTestCase):
    # The drip is bounded by the whole-exchange timeout; keep it short so the test stays quick.
    DAEMON_ARGS = ("--http-timeout", "2")

    def setUp(self):
        super().setUp()
        self.hostile = hostile_server.HostileServer().start()
        self.addCleanup(self.hostile.stop)

    def add_hostile(self, mode, suffix=""):
        name = f"hostile-{mode}"
        path = os.path.join(self.sandbox.root, name + ".secret")
        with open(path, "w", encoding="utf-8") as f:
            f.write("hostile-token\n")
        r = self.ctl("account", "add", "--no-check", "mastodon", "--name", name, "--token-file", path,
                     "--instance", self.hostile.url(mode) + suffix)
        self.assertEqual(r.returncode, 0, r)
        return name

    def test_endless_huge_deep_and_dripping_answers_are_classified_and_x_still_publishes(self):
        self.add_account("x")
        modes = ["endless", "huge", "deep", "drip"]
        names = {m: self.add_hostile(m) for m in modes}
        pid = self.daemon.pid
        hwm_before = vm_kib(pid, "VmHWM")
        started = time.monotonic()
        args = ["post", "--json", "--to", "x"]
        for m in modes:
            args += ["--to", names[m]]
        r = self.ctl(*args, "One post, four hostile instances and X.", timeout=120)
        took = time.monotonic() - started
        j = json.loads(r.stdout)

        # X, in the same post, is published; the hostile targets wait for a retry: partly published.
        self.assertEqual(r.returncode, 4, r)
        self.assertEqual(target(j, "x")["state"], "published")
        self.assertEqual(len(self.sb.posts("x")), 1)
        refused = "Mastodon post's answer was refused ({}); a retry is idempotent"
        expected = {
            "endless": ("answer_refused", refused.format("larger than 8388608 bytes, limits.max_response_bytes")),
            "huge": ("answer_refused", refused.format("larger than 8388608 bytes, limits.max_response_bytes")),
            "deep": ("answer_refused", refused.format("nested deeper than 64 levels, limits.max_json_depth")),
        }
        for m in modes:
            part = target(j, names[m])["parts"][0]
            # A create whose answer was cut off may have been applied: Mastodon resends it with the
            # same Idempotency-Key (retry_wait, checked on retry), never as a new post.
            self.assertEqual(part["state"], "retry_wait", (m, part))
            if m == "drip":
                self.assertEqual(part["error"]["kind"], "connection_lost", part)
                self.assertRegex(part["error"]["message"],
                                 r"^Mastodon post got no response \(Operation timed out after 2\d\d\d "
                                 r"milliseconds with \d+ out of 1000 bytes received\); a retry is idempotent$")
            else:
                self.assertEqual((part["error"]["kind"], part["error"]["message"]), expected[m], part)
            attempts = self.hostile.requests_for(m)
            self.assertGreaterEqual(len(attempts), 1, m)
            # One run makes the first attempt and at most 3 short retries; growthd's scheduler may
            # already have resumed a target whose run ended (retry_wait is due again after 8-16 s).
            if len(attempts) > 4:
                self.assertGreater(attempts[4]["at"] - attempts[3]["at"], 7.0, (m, attempts))
            self.assertEqual(len({a["headers"]["idempotency-key"] for a in attempts}), 1, attempts)

        # Bounded in time (the drip ends at --http-timeout, each of up to 4 attempts) ...
        self.assertLess(took, 60)
        # ... and in memory: at most 8 MiB per answer, nothing like the 50 MB or endless bodies.
        self.assertTrue(self.daemon.running(), self.daemon.log())
        if not SANITIZED:  # ASan's quarantine keeps freed memory resident by design
            grown_mib = (vm_kib(pid, "VmHWM") - hwm_before) / 1024
            self.assertLess(grown_mib, 64, f"growthd's peak RSS grew by {grown_mib:.1f} MiB")
        # Nothing is left sending: between the scheduler's resumptions every target waits.
        deadline = time.monotonic() + 60
        while self.sandbox.result("daemon.status")["publishing"]["targets"] != 0:
            self.assertLess(time.monotonic(), deadline, "a hostile target never stopped publishing")
            time.sleep(0.05)

    def test_max_response_bytes_is_the_configured_bound_and_a_reload_changes_it(self):
        name = self.add_hostile("status", "")
        # A valid 100 kB status: over a 64 KiB bound, under the default 8 MiB.
        self.sandbox.write_config("[limits]\nmax_response_bytes = 65536\n")
        self.assertTrue(self.sandbox.result("daemon.reload")["reloaded"])
        r = self.ctl("post", "--json", "--to", name, "Answered with 100 kB.", timeout=60)
        self.assertEqual(r.returncode, 4, r)
        j = json.loads(r.stdout)
        part = target(j, name)["parts"][0]
        self.assertEqual(part["state"], "retry_wait", part)
        self.assertEqual(part["error"]["message"],
                         "Mastodon post's answer was refused (announced larger than 65536 bytes, "
                         "limits.max_response_bytes); a retry is idempotent")

        self.sandbox.write_config("[limits]\nmax_response_bytes = 1048576\n")
        self.assertTrue(self.sandbox.result("daemon.reload")["reloaded"])
        r2 = self.ctl("retry", j["id"], "--json", timeout=60)
        self.assertEqual(r2.returncode, 0, r2)
        part = target(json.loads(r2.stdout), name)["parts"][0]
        self.assertEqual(part["state"], "published", part)
        self.assertEqual(part["url"], self.hostile.url("status") + "/@h/1")
        keys = {a["headers"]["idempotency-key"] for a in self.hostile.requests_for("status")}
        self.assertEqual(len(keys), 1)


class HostileClient(harness.TestCase):
    def test_a_request_nested_100000_deep_is_refused_and_the_connection_keeps_working(self):
        daemon = self.sandbox.start_daemon()
        c = self.sandbox.connect()
        line = ('{"jsonrpc":"2.0","id":1,"method":"daemon.status","params":{"x":' + "[" * 100000 +
                "]" * 100000 + "}}\n")
        self.assertGreater(len(line), 200000)
        c.send(line)
        self.assertEqual(c.recv_line().decode(),
                         '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"the request nests '
                         'arrays and objects deeper than 64 levels (limits.max_json_depth)","data":'
                         '{"kind":"invalid_request"}}}')
        self.assertEqual(c.call("daemon.ping"), {"jsonrpc": "2.0", "id": 1, "result": {"pong": True}})
        self.assertIn("version", c.call("daemon.status")["result"])
        self.assertTrue(daemon.running())

    def test_the_configured_limit_is_the_one_enforced_on_the_socket(self):
        self.sandbox.write_config("[limits]\nmax_json_depth = 16\n")
        self.sandbox.start_daemon()
        c = self.sandbox.connect()
        reply = c.call("daemon.status", {"x": [[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]})
        self.assertEqual(reply["error"]["message"],
                         "the request nests arrays and objects deeper than 16 levels (limits.max_json_depth)")
        self.assertEqual(reply["error"]["code"], -32600)


if __name__ == "__main__":
    unittest.main()
