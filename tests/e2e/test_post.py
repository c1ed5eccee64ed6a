"""growthctl post / show through the real binaries against the platform sandbox: threads on all
seven platforms read back through the sandbox's control API, the --json shape, dry runs, and
`status` answering while a long thread goes out.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_post
"""

import json
import subprocess
import time
import unittest

import harness
import post_support as ps


class PostThreads(ps.PostTestCase):
    def test_two_part_thread_on_every_platform(self):
        self.add_all()
        r, j = self.post(ps.long_text(2))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(j["state"], "published")
        self.assertEqual(sorted(t["platform"] for t in j["targets"]), sorted(ps.PLATFORMS))
        for p in ps.PLATFORMS:
            self.assert_thread(j, p, 2)

    def test_twenty_five_part_thread_on_every_platform(self):
        self.add_all()
        r, j = self.post(ps.long_text(25), timeout=120)
        self.assertEqual(r.returncode, 0, r)
        for p in ps.PLATFORMS:
            self.assert_thread(j, p, 25)

    def test_json_is_exactly_the_documented_object(self):
        self.add_account("x")
        r, j = self.post("Hello from growth.", "--to", "x")
        self.assertEqual(r.returncode, 0, r)
        posted = self.sb.posts("x")[0]
        self.assertEqual(j, {"id": j["id"], "state": "published", "targets": [
            {"account": "x", "platform": "x", "state": "published", "parts": [
                {"index": 1, "state": "published", "remote_id": posted["id"], "url": posted["url"]}]}]})
        self.assertRegex(j["id"], r"^[0-9a-hjkmnp-tv-z]{11}$")

    def test_human_output_lists_each_targets_urls(self):
        self.add_account("mastodon")
        r = self.ctl("post", "--to", "mastodon", ps.long_text(2))
        self.assertEqual(r.returncode, 0, r)
        urls = [p["url"] for p in self.thread_of("mastodon")["parts"]]
        lines = r.stdout.splitlines()
        self.assertRegex(lines[0], r"^post [0-9a-z]{11}: published$")
        self.assertEqual(lines[1], "  mastodon (mastodon): published, 2 parts")
        self.assertEqual(lines[2:], [f"     1  {urls[0]}", f"     2  {urls[1]}"])

    def test_show_prints_the_same_later(self):
        self.add_account("bluesky")
        r, j = self.post("Shown later.", "--to", "bluesky")
        self.assertEqual(r.returncode, 0, r)
        s = self.ctl("show", j["id"], "--json")
        self.assertEqual(s.returncode, 0, s)
        self.assertEqual(json.loads(s.stdout), j)

    def test_no_wait_returns_once_recorded_and_show_tells_the_end(self):
        self.add_account("mastodon")
        self.sb.fault("mastodon", "stall", endpoint="create_post", nth=1, seconds=0.5)
        r, j = self.post("--to", "mastodon", "--no-wait", ps.long_text(2))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(j["state"], "sending")
        self.assertEqual(j["targets"][0]["state"], "sending")

        def settled():
            s = json.loads(self.ctl("show", j["id"], "--json").stdout)
            return s if s["state"] != "sending" else None

        final = harness.wait_for(settled, what="the post to settle")
        self.assertEqual(final["state"], "published")
        self.assert_thread(final, "mastodon", 2)

    def test_show_of_an_unknown_id_is_an_error(self):
        r = self.ctl("show", "nosuchpost")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: no post with id 'nosuchpost'\n")

    def test_dry_run_stores_and_sends_nothing(self):
        self.add_account("x")
        r = self.ctl("post", "--dry-run", "--json", "--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        j = json.loads(r.stdout)
        self.assertTrue(j["dry_run"])
        self.assertEqual(len(j["targets"][0]["parts"]), 3)
        self.assertEqual(self.sb.requests("x"), [])
        status = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(status["counts"]["posts"], 0)

    def test_unknown_account_changes_nothing(self):
        self.add_account("x")
        r = self.ctl("post", "--to", "nosuch", "hello")
        self.assertNotEqual(r.returncode, 0, r)
        self.assertTrue(r.stderr.startswith("growthctl: error: "), r.stderr)
        self.assertIn("'nosuch'", r.stderr)
        self.assertEqual(self.sb.requests("x"), [])
        status = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(status["counts"]["posts"], 0)

    def test_unknown_account_is_bad_input_exit_2(self):
        self.add_account("x")
        r = self.ctl("post", "--to", "nosuch", "hello")
        self.assertEqual(r.returncode, 2, r)

    def test_instagram_without_media_is_refused_before_anything_is_stored(self):
        self.add_account("instagram")
        r = self.ctl("post", "--to", "instagram", "hello")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("--media-url", r.stderr)
        status = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(status["counts"]["posts"], 0)

    def test_numbering_labels_each_part(self):
        self.add_account("x")
        r, j = self.post("--to", "x", "--numbering", "1/n", ps.long_text(2))
        self.assertEqual(r.returncode, 0, r)
        texts = [p["text"] for p in self.thread_of("x")["parts"]]
        self.assertTrue(texts[0].endswith(" 1/2"), texts)
        self.assertTrue(texts[1].endswith(" 2/2"), texts)

    def test_status_answers_while_a_long_thread_goes_out(self):
        self.add_all()
        # Every create request of every platform stalls a little, so the thread takes a while.
        for p in ps.PLATFORMS:
            self.sb.fault(p, "stall", seconds=1.0)
        proc = subprocess.Popen([harness.GROWTHCTL, "post", "--json", "--media-url",
                                 self.sb.media_url(ps.MEDIA), ps.long_text(25)],
                                env=self.sandbox.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        time.sleep(0.3)
        for _ in range(5):
            s = self.ctl("status", "--json")
            self.assertEqual(s.returncode, 0, s)
            self.assertGreater(json.loads(s.stdout)["publishing"]["targets"], 0)
        # Every status call was answered while the post was still going out.
        self.assertIsNone(proc.poll())
        out, err = proc.communicate(timeout=120)
        self.assertEqual(proc.returncode, 0, err)
        for p in ps.PLATFORMS:
            self.assert_thread(json.loads(out), p, 25)


if __name__ == "__main__":
    unittest.main()
