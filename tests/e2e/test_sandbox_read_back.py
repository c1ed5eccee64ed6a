"""The sandbox's contract for the read-back endpoints growth uses after a lost answer: X's user
timeline, a Facebook Page feed and a post's comments, Threads' top-level /threads listing and a
post's /replies. No more lenient than the real APIs (default fields, paging, top-level only).

Run from tests/e2e: python3 -m unittest -v test_sandbox_read_back
"""

import os
import sys
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402


class XTimeline(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("x", username="tina")

    def timeline(self, query):
        return self.sb.call("GET", self.sb.url("x", "/2/users/%s/tweets?%s" % (self.acct["id"], query)),
                            c.bearer(self.acct["token"]))

    def test_default_fields_are_id_text_and_edit_history_only(self):
        c.x_post(self.sb, self.acct, "hello")
        _, _, body = self.timeline("max_results=5")
        self.assertEqual(sorted(body["data"][0]), ["edit_history_tweet_ids", "id", "text"])

    def test_tweet_fields_show_created_at_and_the_replied_to_parent(self):
        _, _, root = c.x_post(self.sb, self.acct, "root")
        _, _, reply = c.x_post(self.sb, self.acct, "reply", reply_to=root["data"]["id"])
        _, _, body = self.timeline("max_results=5&tweet.fields=created_at,referenced_tweets")
        newest, oldest = body["data"]
        self.assertEqual(newest["id"], reply["data"]["id"])
        self.assertEqual(newest["referenced_tweets"], [{"type": "replied_to", "id": root["data"]["id"]}])
        self.assertNotIn("referenced_tweets", oldest)
        self.assertRegex(oldest["created_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$")

    def test_start_time_filters_and_a_bad_one_is_refused(self):
        c.x_post(self.sb, self.acct, "now")
        future = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
        past = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 3600))
        self.assertEqual(self.timeline("max_results=5&start_time=" + future)[2], {"meta": {"result_count": 0}})
        self.assertEqual(self.timeline("max_results=5&start_time=" + past)[2]["meta"]["result_count"], 1)
        status, _, body = self.timeline("max_results=5&start_time=yesterday")
        self.assertEqual(status, 400)
        self.assertIn("'start_time' must be a valid ISO-8601 date", body["errors"][0]["message"])

    def test_more_than_max_results_gives_a_next_token(self):
        for k in range(7):
            c.x_post(self.sb, self.acct, "post %d" % k)
        _, _, first = self.timeline("max_results=5")
        self.assertEqual(first["meta"]["next_token"], "5")
        _, _, second = self.timeline("max_results=5&pagination_token=5")
        self.assertEqual([t["text"] for t in second["data"]], ["post 1", "post 0"])
        self.assertNotIn("next_token", second["meta"])


class FacebookListings(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("facebook", username="acme-page")

    def get(self, path, **query):
        query["access_token"] = self.acct["token"]
        return self.sb.call("GET", self.sb.url("facebook", "/v25.0/%s?%s" % (path, urllib.parse.urlencode(query))))

    def test_feed_pages_with_a_next_link_and_filters_by_since(self):
        for k in range(3):
            c.facebook_post(self.sb, self.acct, "post %d" % k)
        _, _, body = self.get(self.acct["id"] + "/feed", fields="id,message", limit=2)
        self.assertEqual([p["message"] for p in body["data"]], ["post 2", "post 1"])
        self.assertIn("after=2", body["paging"]["next"])
        _, _, rest = self.get(self.acct["id"] + "/feed", fields="id,message", limit=2, after=2)
        self.assertEqual([p["message"] for p in rest["data"]], ["post 0"])
        self.assertNotIn("next", rest["paging"])
        _, _, none = self.get(self.acct["id"] + "/feed", since=int(time.time()) + 60)
        self.assertEqual(none, {"data": []})

    def test_comments_are_top_level_by_default_in_either_order_with_parent_on_replies(self):
        _, _, post = c.facebook_post(self.sb, self.acct, "the post")
        _, _, first = c.facebook_comment(self.sb, self.acct, post["id"], "first")
        c.facebook_comment(self.sb, self.acct, first["id"], "a reply to first")
        c.facebook_comment(self.sb, self.acct, post["id"], "second")
        _, _, top = self.get(post["id"] + "/comments", fields="id,message,parent")
        self.assertEqual([m["message"] for m in top["data"]], ["first", "second"])
        self.assertTrue(all("parent" not in m for m in top["data"]))
        _, _, rev = self.get(post["id"] + "/comments", fields="message", order="reverse_chronological")
        self.assertEqual([m["message"] for m in rev["data"]], ["second", "first"])
        _, _, stream = self.get(post["id"] + "/comments", fields="message,parent", filter="stream")
        reply = [m for m in stream["data"] if m["message"] == "a reply to first"][0]
        self.assertEqual(reply["parent"], {"id": first["id"]})
        status, _, body = self.get(post["id"] + "/comments", order="sideways")
        self.assertEqual(status, 400)


class LinkedInPostsByAuthor(SandboxTestCase):
    def finder(self, acct, author, extra=None, method="FINDER"):
        headers = c.linkedin_headers(acct)
        if method:
            headers["X-RestLi-Method"] = method
        query = {"q": "author", "author": author, "count": "2"}
        query.update(extra or {})
        return self.sb.call("GET", self.sb.url("linkedin", "/rest/posts?" + urllib.parse.urlencode(query)),
                            headers)

    def test_without_r_member_social_the_finder_is_refused(self):
        acct = self.sb.add_account("linkedin", username="dana")
        c.linkedin_post(self.sb, acct, "hello")
        status, _, body = self.finder(acct, "urn:li:person:" + acct["id"])
        self.assertEqual((status, body["code"]), (403, "ACCESS_DENIED"))

    def test_with_it_the_authors_posts_come_newest_first_with_a_next_link(self):
        acct = self.sb.add_account("linkedin", username="dana", linkedin_read_posts=True)
        for k in range(3):
            c.linkedin_post(self.sb, acct, "post %d" % k)
        status, _, body = self.finder(acct, "urn:li:person:" + acct["id"])
        self.assertEqual(status, 200)
        self.assertEqual([e["commentary"] for e in body["elements"]], ["post 2", "post 1"])
        self.assertRegex(body["elements"][0]["id"], r"^urn:li:share:[0-9]+$")
        self.assertIsInstance(body["elements"][0]["createdAt"], int)
        self.assertEqual([l["rel"] for l in body["paging"]["links"]], ["next"])
        _, _, rest = self.finder(acct, "urn:li:person:" + acct["id"], {"start": "2"})
        self.assertEqual([e["commentary"] for e in rest["elements"]], ["post 0"])
        self.assertEqual(rest["paging"]["links"], [])
        self.assertEqual(self.finder(acct, "urn:li:person:" + acct["id"], method=None)[0], 400)
        self.assertEqual(self.finder(acct, "urn:li:person:someone-else")[0], 403)


class ThreadsListings(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("threads", username="tara")

    def publish(self, text, reply_to=None):
        _, _, cont = c.threads_container(self.sb, self.acct, text, reply_to=reply_to)
        return c.threads_publish(self.sb, self.acct, cont["id"])[2]["id"]

    def get(self, path, **query):
        query["access_token"] = self.acct["token"]
        return self.sb.call("GET", self.sb.url("threads", "/v1.0/%s?%s" % (path, urllib.parse.urlencode(query))))

    def test_threads_lists_top_level_posts_only_and_replies_lists_a_posts_replies(self):
        root = self.publish("root")
        reply = self.publish("reply", reply_to=root)
        _, _, threads = self.get(self.acct["id"] + "/threads", fields="id,text")
        self.assertEqual([t["id"] for t in threads["data"]], [root])
        _, _, replies = self.get(root + "/replies", fields="id,text")
        self.assertEqual(replies["data"], [{"id": reply, "text": "reply"}])
        _, _, mine = self.get("me/replies", fields="id")
        self.assertEqual(mine["data"], [{"id": reply}])


if __name__ == "__main__":
    unittest.main()
