"""Settling an unknown part: the timeline/feed read-back after a lost answer (X, Facebook), and
`growthctl resolve` when growth cannot tell (the person looked), after which `retry` continues
the thread. Defect 10 of issue 7.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_resolve
"""

import json
import unittest

import post_support as ps


def part(j, platform, index):
    t = [t for t in j["targets"] if t["platform"] == platform][0]
    return t["parts"][index - 1]


class ReadBack(ps.PostTestCase):
    def test_lost_facebook_comment_is_found_among_the_post_comments(self):
        self.add_account("facebook")
        self.sb.fault("facebook", "lost_response", endpoint="create_comment", nth=1)
        r, j = self.post("--to", "facebook", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "facebook", 3)
        self.assertEqual(len(self.sb.requests("facebook", endpoint="create_comment")), 2)
        self.assertEqual(len(self.sb.requests("facebook", endpoint="list_comments")), 1)

    def test_lost_facebook_post_is_found_in_the_page_feed(self):
        self.add_account("facebook")
        # post_support sends a media URL: part 1 is a /photos post, listed in the feed.
        self.sb.fault("facebook", "lost_response", endpoint="create_photo", nth=1)
        r, j = self.post("--to", "facebook", "One Facebook post, sent once.")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(len(self.sb.posts("facebook")), 1)
        self.assertEqual(len(self.sb.requests("facebook", endpoint="create_photo")), 1)
        self.assertEqual(len(self.sb.requests("facebook", endpoint="list_feed")), 1)
        self.assertEqual(part(j, "facebook", 1)["remote_id"], self.sb.posts("facebook")[0]["id"])

    def test_facebook_server_error_not_applied_is_resent_after_two_reads(self):
        self.add_account("facebook")
        self.sb.fault("facebook", "server_error", endpoint="create_photo", nth=1)
        r, j = self.post("--to", "facebook", "A Facebook post the server dropped.")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(len(self.sb.posts("facebook")), 1)
        self.assertEqual(len(self.sb.requests("facebook", endpoint="create_photo")), 2)
        self.assertEqual(len(self.sb.requests("facebook", endpoint="list_feed")), 2)

    def test_x_timeline_the_token_cannot_read_leaves_the_part_unknown_with_the_resolve_command(self):
        self.add_account("x")
        self.sb.fault("x", "lost_response", endpoint="create_post", nth=2)
        self.sb.fault("x", "auth", endpoint="me", nth=1)
        r, j = self.post("--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 5, r)
        p2 = part(j, "x", 2)
        self.assertEqual(p2["state"], "unknown")
        self.assertEqual(p2["error"]["kind"], "unchecked")
        self.assertEqual(p2["resolve"], "growthctl resolve %s --account x --part 2 --published URL_OR_ID "
                                        "| --not-published" % j["id"])
        self.assertEqual(len(self.sb.posts("x")), 2)


class Resolve(ps.PostTestCase):
    def unknown_x_part_2(self, applied=True):
        """A 3-part X thread whose part 2 is unknown: its answer was lost (applied or not) and
        the timeline cannot be read."""
        self.add_account("x")
        self.sb.fault("x", "lost_response" if applied else "reset", endpoint="create_post", nth=2)
        self.sb.fault("x", "server_error", endpoint="user_posts", nth=1, status=503)
        r, j = self.post("--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 5, r)
        self.assertEqual(part(j, "x", 2)["state"], "unknown")
        return j["id"]

    def test_published_url_then_retry_completes_the_thread_without_resending(self):
        post_id = self.unknown_x_part_2()
        url = self.sb.posts("x")[1]["url"]
        r = self.ctl("resolve", post_id, "--account", "x", "--part", "2", "--published", url)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("post %s: part 2 on x recorded as published" % post_id, r.stdout)
        r2 = self.ctl("retry", post_id, "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assert_thread(json.loads(r2.stdout), "x", 3)
        self.assertEqual(len(self.sb.requests("x", endpoint="create_post")), 3)

    def test_not_published_then_retry_resends_it(self):
        post_id = self.unknown_x_part_2(applied=False)
        self.assertEqual(len(self.sb.posts("x")), 1)
        r = self.ctl("resolve", post_id, "--account", "x", "--part", "2", "--not-published", "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(part(json.loads(r.stdout), "x", 2)["state"], "retry_wait")
        r2 = self.ctl("retry", post_id, "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assert_thread(json.loads(r2.stdout), "x", 3)

    def test_bad_resolutions_exit_2_and_change_nothing(self):
        post_id = self.unknown_x_part_2()
        cases = [
            (("--account", "x", "--part", "1", "--not-published"),
             "growthctl: error: part 1 of post %s on 'x' is published, not unknown: only a part whose "
             "outcome is unknown can be resolved" % post_id),
            (("--account", "y", "--part", "2", "--not-published"),
             "growthctl: error: post %s has no target on account 'y'; did you mean 'x'?" % post_id),
            (("--account", "x", "--part", "9", "--not-published"),
             "growthctl: error: post %s has 3 parts on 'x': --part must be 1 to 3, not 9" % post_id),
            (("--account", "x", "--part", "2", "--published", "https://example.com/1"),
             "growthctl: error: --published 'https://example.com/1' does not name a x post: an X post "
             "is https://x.com/USER/status/ID or its numeric ID"),
            (("--account", "x", "--part", "2"),
             "growthctl: error: say what you found: --published URL_OR_ID or --not-published"),
        ]
        for args, message in cases:
            r = self.ctl("resolve", post_id, *args)
            self.assertEqual(r.returncode, 2, r)
            self.assertEqual(r.stderr.splitlines()[0], message)
        r = self.ctl("resolve", "nopost", "--account", "x", "--part", "2", "--not-published")
        self.assertEqual(r.returncode, 2, r)
        r = self.ctl("resolve", post_id, "--account", "x", "--part", "2", "--not-published",
                     "--published", "1")
        self.assertEqual(r.returncode, 2, r)
        r = self.ctl("show", post_id, "--json")
        self.assertEqual(part(json.loads(r.stdout), "x", 2)["state"], "unknown")


if __name__ == "__main__":
    unittest.main()
