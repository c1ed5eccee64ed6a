"""growthctl watch (events.watch) end to end: a watcher sees a scheduled post's life as it
happens (scheduled, publishing, each target's state, the post's state), a second post's
cancellation, and the stream ends with exit 3 when growthd stops.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_watch
"""

import json
import os
import queue
import subprocess
import threading

import harness
import post_support as ps


class Watch(ps.PostTestCase):
    def start_watch(self, *args):
        p = subprocess.Popen([harness.GROWTHCTL, "watch", *args], env=self.sandbox.env(), stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
        self.addCleanup(lambda: (p.kill(), p.wait(), p.stdout.close()))
        lines = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in p.stdout], daemon=True).start()
        return p, lines

    def next_event(self, lines, timeout=20):
        try:
            return lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("no event within the time") from None

    def test_a_watcher_sees_a_scheduled_post_go_out_and_a_cancel(self):
        self.add_account("mastodon")
        p, lines = self.start_watch("--json")
        # The watcher is subscribed once it has its answer; a cancelable post shows it.
        harness.wait_for(lambda: p.poll() is None and self._subscribed(), timeout=10, what="the watcher")
        r = self.ctl("schedule", "--json", "--at", "+2s", "--to", "mastodon", "Watched as it goes out.")
        self.assertEqual(r.returncode, 0, r)
        post_id = json.loads(r.stdout)["id"]
        seen = []
        while not (seen and seen[-1].get("type") == "post" and seen[-1]["state"] == "published"):
            e = json.loads(self.next_event(lines))
            if e["post"] == post_id:
                seen.append(e)
        self.assertEqual([(e["type"], e["state"]) for e in seen],
                         [("post", "scheduled"), ("post", "publishing"), ("target", "published"), ("post", "published")])
        self.assertEqual((seen[2]["account"], seen[2]["platform"]), ("mastodon", "mastodon"))
        self.assertRegex(seen[0]["due"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
        self.assertRegex(seen[0]["at"], r"^\d{4}-\d\d-\d\dT")

        r = self.ctl("schedule", "--json", "--at", "+1h", "--to", "mastodon", "Never goes out.")
        other = json.loads(r.stdout)["id"]
        self.assertEqual(self.ctl("cancel", other).returncode, 0)
        states = []
        while "canceled" not in states:
            e = json.loads(self.next_event(lines))
            if e["post"] == other:
                states.append(e["state"])
        self.assertEqual(states, ["scheduled", "canceled"])

        self.sandbox.result("daemon.stop")
        self.assertEqual(p.wait(timeout=20), 3)

    def test_the_human_form_names_the_post_and_its_state(self):
        self.add_account("mastodon")
        p, lines = self.start_watch()
        harness.wait_for(lambda: self._subscribed(), timeout=10, what="the watcher")
        r = self.ctl("post", "--json", "--to", "mastodon", "Watched from a terminal.")
        post_id = json.loads(r.stdout)["id"]
        line = self.next_event(lines)
        self.assertRegex(line, rf"^\d\d:\d\d:\d\d  post {post_id}  publishing$")

    def _subscribed(self):
        return self.sandbox.result("daemon.status")["events"]["watchers"] >= 1


class Hooks(ps.PostTestCase):
    def test_a_hook_runs_on_published_with_the_details_and_never_a_token(self):
        out = self.sandbox.root + "/hook.out"
        self.sandbox.write_config('[hooks]\non_published = "env | grep ^GROWTH_ | sort > %s.tmp; mv %s.tmp %s"\n'
                                  'on_failed = "exit 3"\n' % (out, out, out))
        self.assertTrue(self.sandbox.result("daemon.reload")["reloaded"])
        self.add_account("mastodon")
        r = self.ctl("post", "--json", "--to", "mastodon", "A post that runs a hook.")
        self.assertEqual(r.returncode, 0, r)
        post_id = json.loads(r.stdout)["id"]
        harness.wait_for(lambda: os.path.exists(out), timeout=10, what="the hook's output")
        with open(out, encoding="utf-8") as f:
            env = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
        self.assertEqual(env["GROWTH_POST_ID"], post_id)
        self.assertEqual(env["GROWTH_STATE"], "published")
        self.assertEqual(env["GROWTH_DUE"], "")
        self.assertEqual(json.loads(env["GROWTH_EVENT"])["post"], post_id)
        token = ps.SEED["mastodon"]["token"]
        with open(out, encoding="utf-8") as f:
            self.assertNotIn(token, f.read())
        # growthd kept serving and logged the hook's end.
        harness.wait_for(lambda: "hook on_published for post " + post_id + ": done" in self.daemon.log(),
                         timeout=10, what="the hook to be reaped")

    def test_a_hook_that_is_not_a_string_is_refused_by_the_reload(self):
        self.sandbox.write_config("[hooks]\non_published = 1\n")
        reply = self.sandbox.call("daemon.reload", {})
        self.assertIn("hooks.on_published must be a command line (a string), got an integer", reply["error"]["message"])
