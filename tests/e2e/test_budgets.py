"""Posting budgets and threads alone on their account, end to end: a thread that does not fit the
account's budget waits in retry_wait (nothing sent) and growthctl quota shows the standing; two
threads due in the same second on one account go out one after the other, never interleaved;
cancel stops a thread being published after the part on the wire.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_budgets
"""

import datetime
import json
import threading
import time

import harness
import post_support as ps


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Budgets(ps.PostTestCase):
    def test_a_post_over_the_budget_waits_and_quota_says_when_there_is_room(self):
        self.sandbox.write_config('[budgets]\nmastodon = "2/1h"\n')
        self.assertTrue(self.sandbox.result("daemon.reload")["reloaded"])
        self.add_account("mastodon")
        for n in (1, 2):
            r = self.ctl("post", "--json", "--to", "mastodon", f"Post number {n} of the hour.")
            self.assertEqual(r.returncode, 0, r)
        r = self.ctl("post", "--json", "--to", "mastodon", "One more than the budget allows.")
        self.assertNotEqual(r.returncode, 0, r)
        part = json.loads(r.stdout)["targets"][0]["parts"][0]
        self.assertEqual(part["state"], "retry_wait", part)
        self.assertEqual(part["error"]["kind"], "budget", part)
        self.assertIn("waiting for mastodon's posting budget: 2 per hour (2 used)", part["error"]["message"])
        self.assertEqual(len(self.sb.posts("mastodon")), 2)  # nothing of it was sent

        q = json.loads(self.ctl("quota", "--json").stdout)
        [acct] = q["accounts"]
        self.assertEqual((acct["account"], acct["platform"]), ("mastodon", "mastodon"))
        [b] = acct["budgets"]
        self.assertEqual((b["limit"], b["window_seconds"], b["used"], b["remaining"]), (2, 3600, 2, 0), b)
        frees = datetime.datetime.fromisoformat(b["frees_at"].replace("Z", "+00:00")).timestamp()
        self.assertAlmostEqual(frees, time.time() + 3600, delta=60)
        human = self.ctl("quota")
        self.assertEqual(human.returncode, 0, human)
        self.assertRegex(human.stdout, r"mastodon\s+mastodon\s+2 per hour\s+2\s+0\s+\d{4}-")
        # An unknown account is named; a bad budget in the config is refused by the reload.
        bad = self.ctl("quota", "--account", "mastodn")
        self.assertEqual(bad.returncode, 2, bad)
        self.assertIn("mastodn", bad.stderr)
        self.sandbox.write_config('[budgets]\nmastodon = "2 per hour"\n')
        reload = self.sandbox.call("daemon.reload", {})
        self.assertIn("budgets.mastodon: '2 per hour' is not a budget", reload["error"]["message"])

    def test_two_threads_due_in_the_same_second_on_one_account_are_not_interleaved(self):
        self.add_account("mastodon")
        due = int(time.time()) + 2
        ids = []
        for n in range(2):
            r = self.ctl("schedule", "--json", "--at", rfc3339(due), "--to", "mastodon", ps.long_text(3))
            self.assertEqual(r.returncode, 0, r)
            ids.append(json.loads(r.stdout)["id"])
        for i in ids:
            harness.wait_for(lambda i=i: json.loads(self.ctl("show", i, "--json").stdout)["state"] == "published",
                             timeout=30, what=f"post {i} published")
        posts = self.sb.posts("mastodon")
        self.assertEqual(len(posts), 6)
        # In the order they were created, each reply follows the part it replies to.
        for k, p in enumerate(posts):
            if p.get("parent_id"):
                self.assertEqual(p["parent_id"], posts[k - 1]["id"], posts)
        self.assertEqual(sum(1 for p in posts if not p.get("parent_id")), 2)

    def test_cancel_stops_a_thread_after_the_part_on_the_wire(self):
        self.add_account("mastodon")
        # Each create takes a second to answer, so the cancel comes while part 1 is on the wire.
        self.sb.fault("mastodon", "stall", endpoint="create_post", nth=1, seconds=1.0)
        r = self.ctl("post", "--json", "--no-wait", "--to", "mastodon", ps.long_text(4))
        self.assertEqual(r.returncode, 0, r)
        post_id = json.loads(r.stdout)["id"]
        harness.wait_for(lambda: self.sb.requests("mastodon", endpoint="create_post"), timeout=10,
                         what="part 1 on the wire")
        c = self.ctl("cancel", "--json", post_id)
        self.assertEqual(c.returncode, 0, c)
        target = json.loads(c.stdout)["posts"][0]["targets"][0]
        self.assertEqual([p["state"] for p in target["parts"]], ["published", "canceled", "canceled", "canceled"])
        self.assertEqual(len(self.sb.posts("mastodon")), 1)
        # Nothing more goes out later, and there is nothing left to cancel.
        time.sleep(0.5)
        self.assertEqual(len(self.sb.posts("mastodon")), 1)
        again = self.ctl("cancel", post_id)
        self.assertEqual(again.returncode, 2, again)
