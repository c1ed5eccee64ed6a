"""The preflight end to end: 24 hours and 1 hour before a scheduled post is due, growthd checks
that each of its accounts can authenticate (account.test: a refresh where due, then who-am-I
against the sandbox) and raises a problem while there is time to act: daemon.status "problems",
`growthctl status`, an events.watch event and the on_needs_auth hook. Fixing the account (account
update, unlock) ends the problem. The 1 hour window is met for real: a post due in 1 hour and 3
seconds is checked again 3 seconds later.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_preflight
"""

import datetime
import json
import os
import queue
import subprocess
import threading

import harness
import post_support as ps


class Preflight(ps.PostTestCase):
    def setUp(self):
        self.hook_log = None
        super().setUp()

    def start_with_hook(self):
        self.daemon.stop()
        self.hook_log = os.path.join(self.sandbox.root, "hook.log")
        self.sandbox.write_config('[hooks]\non_needs_auth = "echo \\"$GROWTH_POST_ID $GROWTH_STATE\\" >> %s"\n'
                                  % self.hook_log)
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)

    def hook_runs(self):
        if not os.path.exists(self.hook_log):
            return []
        with open(self.hook_log, encoding="utf-8") as f:
            return f.read().split()

    def problems(self):
        return self.sandbox.call("daemon.status")["result"]["problems"]

    def whoami_requests(self, token=None):
        return [r for r in self.sb.requests("mastodon") if r["path"].endswith("/verify_credentials")
                and (token is None or r.get("headers", {}).get("Authorization", "").endswith(token))]

    def schedule(self, at, text="Checked ahead of time.", to="mastodon"):
        r = self.ctl("schedule", "--json", "--at", at, "--to", to, text)
        self.assertEqual(r.returncode, 0, r)
        return json.loads(r.stdout)["id"]

    def test_an_account_that_cannot_authenticate_is_a_problem_hours_ahead_until_it_is_fixed(self):
        self.start_with_hook()
        token = os.path.join(self.sandbox.root, "revoked.token")
        with open(token, "w", encoding="utf-8") as f:
            f.write("revoked-token\n")
        r = self.ctl("account", "add", "--no-check", "mastodon", "--name", "mastodon", "--token-file", token,
                     "--instance", self.sb.url("mastodon"))
        self.assertEqual(r.returncode, 0, r)
        watch = subprocess.Popen([harness.GROWTHCTL, "watch", "--json"], env=self.sandbox.env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: (watch.kill(), watch.wait(), watch.stdout.close()))
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in watch.stdout], daemon=True).start()
        harness.wait_for(lambda: self.sandbox.call("daemon.status")["result"]["events"]["watchers"] == 1,
                         what="the watcher")

        post_id = self.schedule("+3h")
        harness.wait_for(lambda: self.problems(), what="a problem for the account")
        [problem] = self.problems()
        self.assertEqual((problem["account"], problem["kind"], problem["post"]), ("mastodon", "needs_auth", post_id))
        self.assertIn("growthctl account", problem["message"])
        status = self.ctl("status").stdout
        self.assertIn("problems: 1 account cannot authenticate for a post due soon", status)
        self.assertIn(f"mastodon (post {post_id} due ", status)

        events = []
        while not any(e.get("preflight") for e in events):
            events.append(json.loads(lines.get(timeout=20)))
        event = [e for e in events if e.get("preflight")][0]
        self.assertEqual((event["type"], event["post"], event["state"], event["account"]),
                         ("post", post_id, "needs_auth", "mastodon"))
        harness.wait_for(self.hook_runs, what="the on_needs_auth hook")
        self.assertEqual(self.hook_runs(), [post_id, "needs_auth"])
        # The post itself still waits for its time.
        self.assertEqual(self.sandbox.call("post.show", {"id": post_id})["result"]["state"], "scheduled")

        # A second post on the same account: the same problem, not a second hook run.
        self.schedule("+5h", "Another one.")
        harness.wait_for(lambda: self.sandbox.call("daemon.status")["result"]["problems"][0]["since"]
                         != problem["since"], what="the second check")
        self.assertEqual(self.hook_runs(), [post_id, "needs_auth"])

        # The fix ends it.
        with open(token, "w", encoding="utf-8") as f:
            f.write(ps.SEED["mastodon"]["token"] + "\n")
        r = self.ctl("account", "update", "mastodon", "--token-file", token)
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(self.problems(), [])
        self.assertNotIn("problems:", self.ctl("status").stdout)

    def test_one_check_per_account_however_many_posts_and_the_1h_window_is_met(self):
        self.add_account("mastodon")
        before = len(self.whoami_requests())
        ids = [self.schedule(f"+{2 + i}h", f"Post {i}.") for i in range(3)]
        # Each post inside the 24 h window is checked as it is scheduled, unless a check of the
        # account is still running then (one at a time): one to three checks, never more.
        harness.wait_for(lambda: len(self.whoami_requests()) - before >= 1, what="a check of the scheduled posts")
        harness.wait_for(lambda: not self.sandbox.call("daemon.status")["result"]["problems"] and
                         len(self.whoami_requests()) - before <= 3, what="the checks to settle")
        self.assertLessEqual(len(self.whoami_requests()) - before, 3)
        self.assertEqual(self.problems(), [])
        # A restart checks everything due within 24 hours once: one request for three posts.
        self.daemon.stop()
        before = len(self.whoami_requests())
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)
        harness.wait_for(lambda: len(self.whoami_requests()) > before, what="the start-up pass")
        self.assertEqual(len(self.whoami_requests()) - before, 1)
        self.assertEqual(len(ids), 3)

        # Due in 1 h 3 s: checked at once (inside the 24 h window), and again when the 1 h window
        # reaches it, 3 s later.
        at = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1, seconds=3)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        before = len(self.whoami_requests())
        self.schedule(at, "Due in an hour.")
        harness.wait_for(lambda: len(self.whoami_requests()) - before >= 1, what="the check at scheduling")
        harness.wait_for(lambda: len(self.whoami_requests()) - before >= 2, timeout=15, what="the 1 h window")
