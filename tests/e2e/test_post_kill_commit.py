"""kill -9 of growthd between a platform's answer and its commit, on every platform, and posts
interrupted longer than the catch-up window becoming `missed`.

The test holds growth.db's write lock (BEGIN IMMEDIATE from a second connection) while the create
requests are on the wire, so growthd's commit of the answers waits in SQLite's busy timeout; once
the sandbox has applied every create, growthd is killed, the lock released and growthd started
again. Nothing may be posted twice, and every part is either published with the sandbox's id or
`unknown`; every platform can be checked here (idempotency key, record key, container, duplicate
answer, X timeline and Facebook feed read back), so every thread completes without a duplicate.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_post_kill_commit
"""

import json
import os
import signal
import sqlite3
import subprocess
import time
import unittest

import harness
import post_support as ps

# The request that creates part 1, per platform (Instagram/Threads: media_publish, after the
# container was committed).
CREATE = {"x": "create_post", "linkedin": "create_post", "facebook": "create_photo",
          "instagram": "publish", "threads": "publish", "mastodon": "create_post",
          "bluesky": "create_record"}


class KillBetweenAnswerAndCommit(ps.PostTestCase):
    DAEMON_ARGS = ("--http-timeout", "10")

    def db_path(self):
        return os.path.join(self.sandbox.data_dir, "growth.db")

    def post_ids(self):
        db = sqlite3.connect(self.db_path())
        try:
            return [row[0] for row in db.execute("SELECT id FROM posts")]
        finally:
            db.close()

    def show(self, post_id):
        r = self.ctl("show", post_id, "--json")
        return r, json.loads(r.stdout)

    def settled(self, post_id):
        _, j = self.show(post_id)
        return all(t["state"] != "sending" for t in j["targets"])

    def test_kill_9_while_the_answers_wait_for_their_commit_no_duplicate_on_any_platform(self):
        self.add_all()
        for platform, endpoint in CREATE.items():
            self.sb.fault(platform, "stall", endpoint=endpoint, nth=1, seconds=3)
        proc = subprocess.Popen([harness.GROWTHCTL, "post", "--json", "--media-url", self.sb.media_url(ps.MEDIA),
                                 ps.long_text(2)], env=self.sandbox.env(), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        harness.wait_for(lambda: all(len(self.sb.requests(p, endpoint=e)) >= 1 for p, e in CREATE.items()),
                         what="every platform's create on the wire")
        lock = sqlite3.connect(self.db_path(), timeout=10, isolation_level=None)
        lock.execute("BEGIN IMMEDIATE")
        try:
            # The stalled creates are applied and answered; growthd's commit waits for the lock.
            harness.wait_for(lambda: all(len(self.sb.posts(p)) == 1 for p in CREATE),
                             what="every create applied")
            time.sleep(1.0)
            self.daemon.send_signal(signal.SIGKILL)
            self.daemon.wait()
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 3)
        ids = self.post_ids()
        self.assertEqual(len(ids), 1)
        db = sqlite3.connect(self.db_path())
        try:
            states = {row[0]: row[1] for row in db.execute(
                "SELECT t.platform, p.state FROM parts p JOIN targets t ON t.id = p.target_id WHERE p.idx = 1")}
        finally:
            db.close()
        # The answers never reached the disk.
        self.assertEqual(states, {p: "sending" for p in CREATE})

        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)
        harness.wait_for(lambda: self.settled(ids[0]), timeout=60, what="recovery to settle")
        r, j = self.show(ids[0])
        self.assertEqual(r.returncode, 0, r)
        for platform in CREATE:
            # Checked (idempotency key, record key, container, duplicate answer, or read back from
            # the X timeline / Facebook Page feed), found, and the thread went on: one thread of 2
            # parts with the ids the sandbox gave, nothing posted twice.
            self.assert_thread(j, platform, 2)
        # retry touches none of the finished threads.
        before = {p: len(self.sb.posts(p)) for p in CREATE}
        r2 = self.ctl("retry", ids[0], "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assertEqual({p: len(self.sb.posts(p)) for p in CREATE}, before)


class MissedAfterTheWindow(ps.PostTestCase):
    def test_parts_left_prepared_longer_than_15_minutes_are_missed_and_retry_publishes_them(self):
        self.add_account("mastodon")
        self.sb.fault("mastodon", "stall", endpoint="create_post", nth=1, seconds=1.5)
        proc = subprocess.Popen([harness.GROWTHCTL, "post", "--json", "--to", "mastodon", ps.long_text(3)],
                                env=self.sandbox.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        harness.wait_for(lambda: len(self.sb.requests("mastodon", endpoint="create_post")) >= 1,
                         what="part 1 on the wire")
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(), 0)
        proc.communicate(timeout=30)
        path = os.path.join(self.sandbox.data_dir, "growth.db")
        db = sqlite3.connect(path)
        try:
            (post_id,) = [row[0] for row in db.execute("SELECT id FROM posts")]
            # The post was recorded 16 minutes ago.
            db.execute("UPDATE posts SET created_at = created_at - 16 * 60 * 1000")
            db.commit()
        finally:
            db.close()
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)
        r = self.ctl("show", post_id, "--json")
        self.assertEqual(r.returncode, 4, r)
        j = json.loads(r.stdout)
        self.assertEqual([p["state"] for p in j["targets"][0]["parts"]], ["published", "missed", "missed"])
        self.assertEqual(j["targets"][0]["state"], "missed")
        self.assertEqual(j["state"], "partial")
        self.assertEqual(j["targets"][0]["parts"][1]["error"],
                         {"kind": "missed", "message": "not sent: growthd was not running within 15 minutes "
                                                       f"of the post; growthctl retry {post_id} publishes it"})
        text = self.ctl("show", post_id).stdout
        self.assertIn("     2  missed: not sent: growthd was not running within 15 minutes of the post; "
                      f"growthctl retry {post_id} publishes it\n", text)
        time.sleep(0.5)
        self.assertEqual(len(self.sb.posts("mastodon")), 1)  # nothing went out by itself
        r2 = self.ctl("retry", post_id, "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assert_thread(json.loads(r2.stdout), "mastodon", 3)


if __name__ == "__main__":
    unittest.main()
