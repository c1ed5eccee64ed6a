"""The timer queue end to end: growthctl schedule (and post --at) records a post that growthd
publishes at its due time by itself; list, cancel and reschedule; a post due while growthd was
down goes out at the next start within its catch-up window and is missed after it; a kill -9
right after the due time fires it once; retry_wait parts resume by themselves.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_schedule
"""

import datetime
import json
import os
import signal
import sqlite3
import time

import harness
import post_support as ps


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()


class Schedule(ps.PostTestCase):
    def schedule(self, *args, **kwargs):
        r = self.ctl("schedule", "--json", *args, **kwargs)
        return r, (json.loads(r.stdout) if r.returncode == 0 else None)

    def texts(self, platform):
        """The texts the sandbox holds for `platform`. Tests look for their own: a request an
        earlier test's growthd left stalled in the shared sandbox may still land after its reset
        (the isolation flake seen under ASan)."""
        return [p["text"] for p in self.sb.posts(platform)]

    def shown(self, post_id):
        r = self.ctl("show", post_id, "--json")
        return json.loads(r.stdout) if r.stdout.startswith("{") else None

    def wait_state(self, post_id, state, timeout=30):
        return harness.wait_for(lambda: (lambda j: j if j and j["state"] == state else None)(self.shown(post_id)),
                                timeout=timeout, what=f"post {post_id} to be {state}")

    def first_request_time(self, platform):
        reqs = self.sb.requests(platform, endpoint="create_post")
        self.assertTrue(reqs)
        return reqs[0]["time"] if "time" in reqs[0] else None

    def test_a_scheduled_post_goes_out_by_itself_at_its_due_time(self):
        self.add_account("mastodon")
        self.add_account("bluesky")
        due = int(time.time()) + 3
        r, j = self.schedule("--at", rfc3339(due), "--to", "mastodon", "--to", "bluesky", ps.long_text(2))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(list(j)[0], "id")
        self.assertEqual(j["state"], "scheduled")
        self.assertEqual(parse(j["due"]), due)
        self.assertEqual(j["tz"], "UTC")
        self.assertEqual([t["state"] for t in j["targets"]], ["scheduled", "scheduled"])
        # Nothing goes out before its time.
        time.sleep(max(0.0, due - time.time() - 1.0))
        self.assertEqual(self.sb.posts("mastodon"), [])
        done = self.wait_state(j["id"], "published", timeout=30)
        late = time.time() - due
        self.assertLess(late, 5.0)
        self.assert_thread(done, "mastodon", 2)
        self.assert_thread(done, "bluesky", 2)

    def test_post_at_is_schedule_and_the_human_output_names_the_time_and_the_way_out(self):
        self.add_account("mastodon")
        r = self.ctl("post", "--at", "+2h", "--tz", "Europe/Berlin", "--to", "mastodon", "Later.")
        self.assertEqual(r.returncode, 0, r)
        first = r.stdout.splitlines()[0]
        self.assertRegex(first, r"^post \S+ scheduled for \d{4}-\d\d-\d\d \d\d:\d\d:\d\d CES?T \(\+0[12]:00\), "
                                r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIn("growthctl cancel", r.stdout)
        self.assertNotIn("Later.", self.texts("mastodon"))

    def test_a_time_in_the_past_or_garbage_is_refused_and_nothing_is_stored(self):
        self.add_account("mastodon")
        for at in (rfc3339(int(time.time()) - 60), "yesterday-ish", "2027-03-28 02:30"):
            r = self.ctl("schedule", "--at", at, "--tz", "Europe/Berlin", "--to", "mastodon", "x")
            self.assertEqual(r.returncode, 2, (at, r))
            self.assertTrue(r.stderr.startswith("growthctl: error: "), r.stderr)
        r = self.ctl("schedule", "--at", "2027-03-28 02:30", "--tz", "Europe/Berlin", "--to", "mastodon", "x")
        self.assertIn("does not exist in Europe/Berlin", r.stderr)
        r = self.ctl("schedule", "--at", "+1h", "--tz", "Europe/Berln", "--to", "mastodon", "x")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("Europe/Berlin", r.stderr)
        status = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(status["counts"]["posts"], 0)

    def test_a_post_that_cannot_go_out_is_refused_when_scheduled_not_at_its_time(self):
        self.add_account("instagram")
        r = self.ctl("schedule", "--at", "+1h", "--to", "instagram", "No image.")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("media", r.stderr.lower())

    def test_list_shows_scheduled_and_past_posts_newest_due_first_and_pages_by_cursor(self):
        self.add_account("mastodon")
        now = int(time.time())
        ids = []
        for k in range(5):
            r, j = self.schedule("--at", rfc3339(now + 3600 * (k + 1)), "--to", "mastodon", f"Post number {k}.")
            self.assertEqual(r.returncode, 0, r)
            ids.append(j["id"])
        r, published = self.post("--to", "mastodon", "Right now.")
        self.assertEqual(r.returncode, 0, r)
        page = json.loads(self.ctl("list", "--json", "--limit", "2").stdout)
        self.assertEqual([p["id"] for p in page["posts"]], [ids[4], ids[3]])
        self.assertEqual(page["posts"][0]["state"], "scheduled")
        self.assertEqual(page["posts"][0]["targets"], [{"account": "mastodon", "platform": "mastodon",
                                                        "state": "scheduled"}])
        seen = [p["id"] for p in page["posts"]]
        while page["next_cursor"]:
            page = json.loads(self.ctl("list", "--json", "--limit", "2", "--cursor", page["next_cursor"]).stdout)
            seen += [p["id"] for p in page["posts"]]
        self.assertEqual(seen, [ids[4], ids[3], ids[2], ids[1], ids[0], published["id"]])
        only = json.loads(self.ctl("list", "--json", "--state", "published").stdout)
        self.assertEqual([p["id"] for p in only["posts"]], [published["id"]])
        table = self.ctl("list").stdout.splitlines()
        self.assertTrue(table[0].startswith("ID "), table)
        self.assertIn("Post number 4.", table[1])
        r = self.ctl("list", "--state", "sheduled")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("unknown post state 'sheduled'", r.stderr)

    def test_cancel_and_reschedule(self):
        self.add_account("mastodon")
        now = int(time.time())
        _, a = self.schedule("--at", rfc3339(now + 2), "--to", "mastodon", "Cancelled.")
        _, b = self.schedule("--at", rfc3339(now + 3600), "--to", "mastodon", "Moved.")
        r = self.ctl("cancel", a["id"])
        self.assertEqual((r.returncode, r.stdout), (0, f"post {a['id']}: canceled\n"), r)
        r = self.ctl("reschedule", b["id"], "--at", rfc3339(now + 3), "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(parse(json.loads(r.stdout)["due"]), now + 3)
        done = self.wait_state(b["id"], "published")
        self.assert_thread(done, "mastodon", 1)
        self.assertEqual(self.shown(a["id"])["state"], "canceled")
        self.assertEqual([p["text"] for p in self.sb.posts("mastodon")], ["Moved."])
        # Nothing left to cancel or move: a clear refusal, exit 2, nothing changed.
        r = self.ctl("cancel", b["id"])
        self.assertEqual(r.returncode, 2, r)
        self.assertIn(f"post {b['id']} is published", r.stderr)
        r = self.ctl("reschedule", a["id"], "--at", "+1h")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("not scheduled", r.stderr)
        r = self.ctl("retry", a["id"])
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, f"growthctl: error: post {a['id']} was canceled: nothing of it goes out again\n")
        self.assertEqual(len(self.sb.posts("mastodon")), 1)  # a cancelled post is not sent by retry

    def test_retry_refuses_a_post_not_yet_due(self):
        self.add_account("mastodon")
        _, j = self.schedule("--at", "+1h", "--to", "mastodon", "Not yet.")
        r = self.ctl("retry", j["id"])
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("is scheduled for", r.stderr)
        self.assertNotIn("Not yet.", self.texts("mastodon"))

    def restart_after(self, seconds_down):
        """Stops growthd, moves every due time `seconds_down` into the past, starts it again."""
        self.daemon.send_signal(signal.SIGTERM)
        self.assertEqual(self.daemon.wait(), 0)
        db = sqlite3.connect(os.path.join(self.sandbox.data_dir, "growth.db"))
        try:
            db.execute("UPDATE posts SET due_at = ? WHERE state = 'scheduled'",
                       (int((time.time() - seconds_down) * 1000),))
            db.commit()
        finally:
            db.close()
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)

    def test_due_while_growthd_was_down_goes_out_within_the_catch_up_window(self):
        self.add_account("mastodon")
        _, j = self.schedule("--at", "+1h", "--to", "mastodon", "Caught up.")
        self.restart_after(10 * 60)
        done = self.wait_state(j["id"], "published")
        self.assert_thread(done, "mastodon", 1)

    def test_due_longer_ago_than_the_catch_up_window_is_missed_and_retry_publishes_it(self):
        self.add_account("mastodon")
        _, j = self.schedule("--at", "+1h", "--catch-up", "5m", "--to", "mastodon", "Too late.")
        self.restart_after(6 * 60)
        missed = self.wait_state(j["id"], "missed")
        self.assertEqual(missed["targets"][0]["parts"][0]["error"]["kind"], "missed")
        self.assertIn("within 5 minutes of the post's due time", missed["targets"][0]["parts"][0]["error"]["message"])
        time.sleep(0.5)
        self.assertEqual(self.sb.posts("mastodon"), [])
        listed = json.loads(self.ctl("list", "--json", "--state", "missed").stdout)
        self.assertEqual([p["id"] for p in listed["posts"]], [j["id"]])
        r = self.ctl("retry", j["id"], "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(json.loads(r.stdout), "mastodon", 1)

    def test_kill_9_just_after_the_due_time_fires_the_post_once(self):
        self.add_account("mastodon")
        self.add_account("bluesky")
        self.sb.fault("mastodon", "stall", endpoint="create_post", nth=1, seconds=3)
        _, j = self.schedule("--at", rfc3339(int(time.time()) + 2), "--to", "mastodon", "--to", "bluesky",
                             ps.long_text(2))
        harness.wait_for(lambda: len(self.sb.requests("mastodon", endpoint="create_post")) >= 1, timeout=30,
                         what="part 1 on the wire")
        self.daemon.send_signal(signal.SIGKILL)
        self.daemon.wait()
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)
        done = self.wait_state(j["id"], "published", timeout=60)
        self.assert_thread(done, "mastodon", 2)
        self.assert_thread(done, "bluesky", 2)

    def test_a_part_in_retry_wait_resumes_by_itself_at_its_time(self):
        self.add_account("mastodon")
        self.sb.fault("mastodon", "rate_limit", endpoint="create_post", nth=2, reset_after=8)
        r, j = self.post("--to", "mastodon", ps.long_text(3))
        self.assertEqual(r.returncode, 4, r)
        self.assertEqual(j["targets"][0]["parts"][1]["state"], "retry_wait")
        done = self.wait_state(j["id"], "published", timeout=40)
        self.assert_thread(done, "mastodon", 3)

    def test_when_prints_the_instant_in_local_time_and_utc(self):
        r = self.ctl("when", "2027-01-05 08:30", "--tz", "America/New_York")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "2027-01-05 08:30:00 EST (-05:00)\n2027-01-05T13:30:00Z\n")
        r = self.ctl("when", "2027-01-05 08:30", "--tz", "America/New_York", "--json")
        self.assertEqual(json.loads(r.stdout), {"instants": ["2027-01-05T13:30:00Z"], "tz": "America/New_York"})
        r = self.ctl("when", "soonish")
        self.assertEqual(r.returncode, 2, r)

    def test_a_recurring_post_fires_the_right_number_of_times_each_its_own_post(self):
        self.add_account("mastodon")
        r, j = self.schedule("--every", "*:*:0/2", "--count", "3", "--to", "mastodon", "Tick.")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(j["every"], "*-*-* *:*:00/2")
        self.assertEqual(j["count"], 3)
        harness.wait_for(lambda: len(self.sb.posts("mastodon")) >= 3, timeout=30, what="three occurrences")
        time.sleep(3)
        self.assertEqual(len(self.sb.posts("mastodon")), 3)
        listed = json.loads(self.ctl("list", "--json").stdout)["posts"]
        self.assertEqual(len(listed), 3)
        self.assertEqual({p["state"] for p in listed}, {"published"})
        dues = sorted(parse(p["due"]) for p in listed)
        self.assertEqual([b - a for a, b in zip(dues, dues[1:])], [2, 2])

    def test_every_is_checked_when_scheduled(self):
        self.add_account("mastodon")
        r = self.ctl("schedule", "--every", "Mon..Fry 09:00", "--to", "mastodon", "x")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("unknown weekday 'Fry'", r.stderr)
        r = self.ctl("schedule", "--to", "mastodon", "x")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("--at WHEN or --every CALENDAR", r.stderr)
        r = self.ctl("schedule", "--at", "+1h", "--count", "2", "--to", "mastodon", "x")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("need --every", r.stderr)

    def test_when_every_lists_the_next_elapses(self):
        r = self.ctl("when", "--every", "Mon..Fri 09:00", "--tz", "UTC", "--count", "3", "--json")
        self.assertEqual(r.returncode, 0, r)
        j = json.loads(r.stdout)
        self.assertEqual(j["normalized"], "Mon..Fri *-*-* 09:00:00")
        self.assertEqual(len(j["instants"]), 3)
        for s in j["instants"]:
            d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
            self.assertLess(d.weekday(), 5)
            self.assertEqual((d.hour, d.minute), (9, 0))
