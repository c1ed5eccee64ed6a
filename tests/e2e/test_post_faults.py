"""Every fault class of the sandbox against growthctl post: the part's state, the exit code and
the publisher's message; resuming with `growthctl retry` without duplicates; kill -9 of growthd
in mid-thread.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_post_faults
"""

import json
import signal
import subprocess
import unittest

import harness
import post_support as ps


def part(j, platform, index):
    t = [t for t in j["targets"] if t["platform"] == platform][0]
    return t["parts"][index - 1]


class PostFaults(ps.PostTestCase):
    def creates(self, platform):
        return [p for p in self.sb.posts(platform)]

    def test_rate_limit_with_a_soon_reset_is_retried_within_the_post(self):
        self.add_account("x")
        self.sb.fault("x", "rate_limit", endpoint="create_post", nth=2, reset_after=1)
        r, j = self.post("--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "x", 3)

    def test_rate_limit_with_a_late_reset_leaves_the_target_unfinished_then_retry_continues(self):
        self.add_account("mastodon")
        self.sb.fault("mastodon", "rate_limit", endpoint="create_post", nth=2, reset_after=600)
        r, j = self.post("--to", "mastodon", ps.long_text(3))
        self.assertEqual(r.returncode, 4, r)
        p2 = part(j, "mastodon", 2)
        self.assertEqual(p2["state"], "retry_wait")
        self.assertEqual(p2["error"]["kind"], "rate_limited")
        self.assertIn("next_attempt_at", p2)
        self.assertEqual(part(j, "mastodon", 3)["state"], "prepared")
        self.assertIn(f"growthctl retry {j['id']}", r.stderr)
        r2 = self.ctl("retry", j["id"], "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assert_thread(json.loads(r2.stdout), "mastodon", 3)

    def test_server_error_on_mastodon_is_retried_with_the_same_key_and_the_thread_completes(self):
        self.add_account("mastodon")
        self.sb.fault("mastodon", "server_error", endpoint="create_post", nth=2)
        r, j = self.post("--to", "mastodon", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "mastodon", 3)

    def test_server_error_on_a_linkedin_comment_is_an_unknown_outcome(self):
        self.add_account("linkedin")
        self.sb.fault("linkedin", "server_error", endpoint="create_comment", nth=1)
        r, j = self.post("--to", "linkedin", ps.long_text(3))
        self.assertEqual(r.returncode, 5, r)
        p2 = part(j, "linkedin", 2)
        self.assertEqual(p2["state"], "unknown")
        self.assertEqual(p2["error"]["message"], "LinkedIn comment failed with HTTP 500: Internal Server "
                                                 "Error; it may or may not have been published")

    def test_connection_reset_on_x_is_read_back_found_absent_and_resent_once(self):
        # Was "unknown" before the timeline read-back: a reset X never applied is now re-sent.
        self.add_account("x")
        self.sb.fault("x", "reset", endpoint="create_post", nth=2)
        r, j = self.post("--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "x", 3)
        self.assertEqual(len(self.sb.requests("x", endpoint="create_post")), 4)

    def test_stall_past_the_timeout_on_bluesky_is_checked_by_record_key_no_duplicate(self):
        self.add_account("bluesky")
        self.sb.fault("bluesky", "stall", endpoint="create_record", nth=2, seconds=4)
        r, j = self.post("--to", "bluesky", ps.long_text(3), timeout=60)
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "bluesky", 3)

    def test_expired_token_needs_a_new_login(self):
        self.add_account("x")
        self.sb.fault("x", "auth", endpoint="create_post", nth=1)
        r, j = self.post("--to", "x", ps.long_text(2))
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual(part(j, "x", 1)["state"], "needs_auth")
        self.assertIn("needs a new login", r.stderr)

    def test_duplicate_content_fails_with_the_platforms_message(self):
        self.add_account("x")
        self.sb.fault("x", "duplicate", endpoint="create_post", nth=1)
        r, j = self.post("--to", "x", "A post X has seen before.")
        self.assertEqual(r.returncode, 1, r)
        p1 = part(j, "x", 1)
        self.assertEqual(p1["state"], "failed")
        self.assertEqual(p1["error"]["kind"], "duplicate_content")
        self.assertEqual(self.sb.posts("x"), [])

    def test_lost_response_on_x_is_found_in_the_timeline_and_not_resent(self):
        # Was "unknown" (and a dead end) before the timeline read-back.
        self.add_account("x")
        self.sb.fault("x", "lost_response", endpoint="create_post", nth=2)
        r, j = self.post("--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "x", 3)
        self.assertEqual(len(self.sb.requests("x", endpoint="create_post")), 3)  # part 2 applied once

    def test_lost_response_on_mastodon_is_resent_with_the_same_key_no_duplicate(self):
        self.add_account("mastodon")
        self.sb.fault("mastodon", "lost_response", endpoint="create_post", nth=2)
        r, j = self.post("--to", "mastodon", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "mastodon", 3)
        keys = [q["headers"].get("Idempotency-Key") for q in self.sb.requests("mastodon", endpoint="create_post")]
        self.assertEqual(len(keys), 4)
        self.assertEqual(keys[1], keys[2])

    def test_lost_response_on_bluesky_is_resolved_by_the_record_key_no_duplicate(self):
        self.add_account("bluesky")
        self.sb.fault("bluesky", "lost_response", endpoint="create_record", nth=2)
        r, j = self.post("--to", "bluesky", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "bluesky", 3)

    def test_retry_after_a_mid_thread_failure_continues_without_duplicates(self):
        self.add_account("threads")
        self.sb.fault("threads", "auth", endpoint="create_container", nth=3)
        r, j = self.post("--to", "threads", ps.long_text(5))
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual([p["state"] for p in j["targets"][0]["parts"]],
                         ["published", "published", "needs_auth", "prepared", "prepared"])
        r2 = self.ctl("retry", j["id"], "--json")
        self.assertEqual(r2.returncode, 0, r2)
        j2 = json.loads(r2.stdout)
        self.assertEqual(j2["targets"][0]["parts"][:2], j["targets"][0]["parts"][:2])
        self.assert_thread(j2, "threads", 5)

    def test_kill_9_mid_thread_then_restart_and_retry_no_duplicate_no_loss(self):
        self.add_account("mastodon")
        self.add_account("bluesky")
        for p, endpoint in (("mastodon", "create_post"), ("bluesky", "create_record")):
            self.sb.fault(p, "stall", endpoint=endpoint, nth=3, seconds=2)
        proc = subprocess.Popen([harness.GROWTHCTL, "post", "--json", "--to", "mastodon", "--to", "bluesky",
                                 ps.long_text(5)], env=self.sandbox.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        harness.wait_for(lambda: len(self.sb.requests("mastodon", endpoint="create_post")) >= 3 and
                         len(self.sb.requests("bluesky", endpoint="create_record")) >= 3,
                         what="part 3 to be on the wire")
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait()
        proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 3)
        # The stalled requests are applied by the platform after growthd died.
        harness.wait_for(lambda: len(self.sb.posts("mastodon")) >= 3 and len(self.sb.posts("bluesky")) >= 3,
                         what="the stalled parts to be applied")
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)
        post_id = json.loads(self.ctl("rpc", "daemon.status").stdout or "{}") and None
        ids = sorted({t for t in self._post_ids()})
        self.assertEqual(len(ids), 1)
        r = self.ctl("retry", ids[0], "--json")
        self.assertEqual(r.returncode, 0, r)
        j = json.loads(r.stdout)
        self.assert_thread(j, "mastodon", 5)
        self.assert_thread(j, "bluesky", 5)
        del post_id

    def test_sigterm_mid_thread_lets_the_part_on_the_wire_finish_and_restart_resumes(self):
        self.add_account("x")
        self.sb.fault("x", "stall", endpoint="create_post", nth=2, seconds=1.5)
        proc = subprocess.Popen([harness.GROWTHCTL, "post", "--json", "--to", "x", ps.long_text(4)],
                                env=self.sandbox.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        harness.wait_for(lambda: len(self.sb.requests("x", endpoint="create_post")) >= 2,
                         what="part 2 to be on the wire")
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(), 0)
        out, _ = proc.communicate(timeout=30)
        # Part 2 was answered before growthd stopped: published, not unknown; 3 and 4 not started.
        self.assertEqual(len(self.sb.posts("x")), 2)
        ids = self._post_ids()
        self.assertEqual(len(ids), 1)
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)
        r = self.ctl("retry", ids[0], "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(json.loads(r.stdout), "x", 4)
        del out

    def _post_ids(self):
        import sqlite3
        import os
        db = sqlite3.connect(os.path.join(self.sandbox.data_dir, "growth.db"))
        try:
            return [row[0] for row in db.execute("SELECT id FROM posts")]
        finally:
            db.close()


if __name__ == "__main__":
    unittest.main()
