"""The sandbox's contract, part 7: a 25-part thread on every platform reads back as one chain.

Run from tests/e2e: python3 -m unittest -v test_sandbox_threads
"""

import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402
from sbx.state import tid_now  # noqa: E402

PARTS = 25


def texts():
    return ["%d/%d part text" % (i, PARTS) for i in range(1, PARTS + 1)]


class LongThreads(SandboxTestCase):
    def check_chain(self, platform, parent_of):
        """One thread of PARTS parts, in order, each part's parent as `parent_of(previous, root)` says."""
        [thread] = self.sb.threads(platform)
        parts = thread["parts"]
        self.assertEqual([p["text"] for p in parts], texts())
        self.assertIsNone(parts[0]["parent_id"])
        for prev, part in zip(parts, parts[1:]):
            self.assertEqual(part["parent_id"], parent_of(prev, parts[0]))
            self.assertEqual(part["root_id"], parts[0]["id"])

    def test_x_replies_to_the_previous_post(self):
        acct = self.sb.add_account("x")
        prev = None
        for t in texts():
            status, _, body = c.x_post(self.sb, acct, t, reply_to=prev)
            self.assertEqual(status, 201)
            prev = body["data"]["id"]
        self.check_chain("x", lambda prev, root: prev["id"])

    def test_threads_replies_to_the_previous_post(self):
        acct = self.sb.add_account("threads")
        prev = None
        for t in texts():
            _, _, container = c.threads_container(self.sb, acct, t, reply_to=prev)
            status, _, body = c.threads_publish(self.sb, acct, container["id"])
            self.assertEqual(status, 200)
            prev = body["id"]
        self.check_chain("threads", lambda prev, root: prev["id"])

    def test_mastodon_replies_to_the_previous_status(self):
        acct = self.sb.add_account("mastodon")
        prev = None
        for i, t in enumerate(texts()):
            status, _, body = c.mastodon_post(self.sb, acct, t, reply_to=prev, key="job/%d" % i)
            self.assertEqual(status, 200)
            prev = body["id"]
        self.check_chain("mastodon", lambda prev, root: prev["id"])

    def test_bluesky_replies_to_the_previous_post_under_the_first(self):
        acct = self.sb.add_account("bluesky")
        _, _, session = c.bluesky_login(self.sb, acct)
        root = prev = None
        for t in texts():
            reply = {"root": root, "parent": prev} if root else None
            status, _, body = c.bluesky_post(self.sb, session, t, rkey=tid_now(), reply=reply)
            self.assertEqual(status, 200, body)
            prev = {"uri": body["uri"], "cid": body["cid"]}
            root = root or prev
        self.check_chain("bluesky", lambda prev, root: prev["id"])

    def test_linkedin_comments_on_the_post(self):
        acct = self.sb.add_account("linkedin")
        first, *rest = texts()
        _, h, _ = c.linkedin_post(self.sb, acct, first)
        for t in rest:
            self.assertEqual(c.linkedin_comment(self.sb, acct, h["x-restli-id"], t)[0], 201)
        self.check_chain("linkedin", lambda prev, root: root["id"])

    def test_facebook_comments_on_the_post(self):
        acct = self.sb.add_account("facebook")
        first, *rest = texts()
        _, _, post = c.facebook_post(self.sb, acct, first)
        for t in rest:
            self.assertEqual(c.facebook_comment(self.sb, acct, post["id"], t)[0], 200)
        self.check_chain("facebook", lambda prev, root: root["id"])

    def test_instagram_comments_on_the_media(self):
        acct = self.sb.add_account("instagram")
        first, *rest = texts()
        _, _, container = c.instagram_container(self.sb, acct, first, self.sb.media_url())
        _, _, media = c.instagram_publish(self.sb, acct, container["id"])
        for t in rest:
            self.assertEqual(c.instagram_comment(self.sb, acct, media["id"], t)[0], 200)
        self.check_chain("instagram", lambda prev, root: root["id"])

    def test_parallel_threads_on_one_platform_stay_separate(self):
        accounts = [self.sb.add_account("x", username="u%d" % i) for i in range(6)]

        def run(acct):
            prev = None
            for i in range(10):
                status, _, body = c.x_post(self.sb, acct, "%s part %d" % (acct["username"], i), reply_to=prev)
                assert status == 201, body
                prev = body["data"]["id"]

        workers = [threading.Thread(target=run, args=(a,)) for a in accounts]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=60)
        threads = self.sb.threads("x")
        self.assertEqual(sorted(t["account"] for t in threads), sorted(a["username"] for a in accounts))
        for t in threads:
            self.assertEqual([p["text"] for p in t["parts"]], ["%s part %d" % (t["account"], i) for i in range(10)])
            for prev, part in zip(t["parts"], t["parts"][1:]):
                self.assertEqual(part["parent_id"], prev["id"])

    def test_graph_who_am_i_by_user_id(self):
        for platform in ("instagram", "threads"):
            with self.subTest(platform=platform):
                acct = self.sb.add_account(platform, username="me-" + platform)
                status, _, body = self.sb.call("GET", self.sb.url(platform, "/v25.0/%s?fields=id,username&access_token=%s"
                                                                  % (acct["id"], acct["token"])))
                self.assertEqual((status, body["id"], body["username"]), (200, acct["id"], "me-" + platform))


if __name__ == "__main__":
    unittest.main()
