"""The sandbox's contract, part 3: the Instagram and Threads container two-step.

Run from tests/e2e: python3 -m unittest -v test_sandbox_containers
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402


class InstagramApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("instagram", username="acme.gram")

    def publish(self, caption):
        s1, _, container = c.instagram_container(self.sb, self.acct, caption, self.sb.media_url("cat.jpg"))
        self.assertEqual(s1, 200, container)
        s2, _, media = c.instagram_publish(self.sb, self.acct, container["id"])
        self.assertEqual(s2, 200, media)
        return container["id"], media["id"]

    def test_container_publish_then_comment_is_read_back_as_one_thread(self):
        container_id, media_id = self.publish("Part one")
        self.assertNotEqual(container_id, media_id)
        status, _, comment = c.instagram_comment(self.sb, self.acct, media_id, "Part two")
        self.assertEqual(status, 200)
        [thread] = self.sb.threads("instagram")
        post, reply = thread["parts"]
        self.assertEqual((post["id"], post["text"], post["container_id"], post["media_url"]),
                         (media_id, "Part one", container_id, self.sb.media_url("cat.jpg")))
        self.assertRegex(post["url"], r"^https://www\.instagram\.com/p/[A-Za-z0-9_-]+/$")
        self.assertEqual((reply["id"], reply["kind"], reply["parent_id"], reply["text"]),
                         (comment["id"], "comment", media_id, "Part two"))

    def test_container_reports_published_after_publish(self):
        container_id, _ = self.publish("x")
        status, _, body = c.instagram_status(self.sb, self.acct, container_id)
        self.assertEqual((status, body), (200, {"id": container_id, "status_code": "PUBLISHED"}))

    def test_image_url_is_required(self):
        status, _, body = c.instagram_container(self.sb, self.acct, "no picture", None)
        self.assertEqual(status, 400)
        self.assertEqual((body["error"]["code"], body["error"]["message"]),
                         (100, "(#100) The parameter image_url is required"))

    def test_unreachable_image_url_is_9004_and_creates_nothing(self):
        status, _, body = c.instagram_container(self.sb, self.acct, "x", self.sb.media_url("missing.gif"))
        self.assertEqual(status, 400)
        self.assertEqual((body["error"]["code"], body["error"]["error_subcode"]), (9004, 2207052))
        self.assertIn("HTTP 404", body["error"]["error_user_msg"])
        self.assertEqual(self.sb.objects("instagram"), [])

    def test_non_jpeg_image_is_refused(self):
        status, _, body = c.instagram_container(self.sb, self.acct, "x", self.sb.media_url("pic.png"))
        self.assertEqual((status, body["error"]["code"]), (400, 9004))
        self.assertIn("content type image/png", body["error"]["error_user_msg"])

    def test_publishing_an_unknown_container_is_code_100_subcode_33(self):
        status, _, body = c.instagram_publish(self.sb, self.acct, "17999999999999999")
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 100, 33))
        self.assertEqual(self.sb.posts("instagram"), [])

    def test_publishing_an_unfinished_container_is_9007_until_polled_ready(self):
        self.sb.config(container_polls={"instagram": 2})
        _, _, container = c.instagram_container(self.sb, self.acct, "slow", self.sb.media_url())
        status, _, body = c.instagram_publish(self.sb, self.acct, container["id"])
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 9007, 2207027))
        self.assertEqual(c.instagram_status(self.sb, self.acct, container["id"])[2]["status_code"], "IN_PROGRESS")
        self.assertEqual(c.instagram_status(self.sb, self.acct, container["id"])[2]["status_code"], "FINISHED")
        status, _, _ = c.instagram_publish(self.sb, self.acct, container["id"])
        self.assertEqual(status, 200)

    def test_an_expired_container_reports_expired_and_cannot_be_published(self):
        _, _, container = c.instagram_container(self.sb, self.acct, "late", self.sb.media_url())
        self.sb.control("POST", "containers", {"platform": "instagram", "id": container["id"], "status": "EXPIRED"})
        self.assertEqual(c.instagram_status(self.sb, self.acct, container["id"])[2]["status_code"], "EXPIRED")
        status, _, body = c.instagram_publish(self.sb, self.acct, container["id"])
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 9007, 2207020))
        self.assertEqual(self.sb.posts("instagram"), [])

    def test_publishing_a_container_twice_is_refused(self):
        container_id, media_id = self.publish("once")
        status, _, body = c.instagram_publish(self.sb, self.acct, container_id)
        self.assertEqual((status, body["error"]["code"]), (400, 9007))
        self.assertIn(media_id, body["error"]["error_user_msg"])
        self.assertEqual(len(self.sb.posts("instagram")), 1)

    def test_another_users_container_cannot_be_published(self):
        other = self.sb.add_account("instagram", username="other")
        _, _, container = c.instagram_container(self.sb, other, "theirs", self.sb.media_url())
        status, _, body = c.instagram_publish(self.sb, self.acct, container["id"])
        self.assertEqual((status, body["error"]["error_subcode"]), (400, 33))

    def test_comment_on_a_container_instead_of_media_is_refused(self):
        _, _, container = c.instagram_container(self.sb, self.acct, "x", self.sb.media_url())
        status, _, body = c.instagram_comment(self.sb, self.acct, container["id"], "too early")
        self.assertEqual((status, body["error"]["code"]), (400, 100))

    def test_revoked_token_is_code_190_subcode_458(self):
        self.sb.control("POST", "tokens", {"token": self.acct["token"], "state": "revoked"})
        status, _, body = c.instagram_container(self.sb, self.acct, "x", self.sb.media_url())
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 190, 458))
        self.assertEqual(self.sb.objects("instagram"), [])

    def test_unknown_token_is_code_190(self):
        status, _, body = c.instagram_container(self.sb, dict(self.acct, token="nope"), "x", self.sb.media_url())
        self.assertEqual((status, body["error"]["code"], body["error"]["message"]),
                         (400, 190, "Invalid OAuth access token - Cannot parse access token"))

    def test_caption_over_2200_characters_is_refused(self):
        status, _, body = c.instagram_container(self.sb, self.acct, "a" * 2201, self.sb.media_url())
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) Param caption must be at most 2200 "
                                                                   "characters long"))
        status, _, _ = c.instagram_container(self.sb, self.acct, "a" * 2200, self.sb.media_url())
        self.assertEqual(status, 200)

    def test_more_than_30_hashtags_is_refused(self):
        caption = " ".join("#t%d" % i for i in range(31))
        status, _, body = c.instagram_container(self.sb, self.acct, caption, self.sb.media_url())
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) The caption contains more than 30 "
                                                                   "hashtags"))

    def item(self):
        status, _, body = self.sb.call("POST", self.sb.url("instagram", "/v25.0/%s/media" % self.acct["id"]),
                                       form={"image_url": self.sb.media_url(), "is_carousel_item": "true",
                                             "access_token": self.acct["token"]})
        self.assertEqual(status, 200)
        return body["id"]

    def carousel(self, children):
        return self.sb.call("POST", self.sb.url("instagram", "/v25.0/%s/media" % self.acct["id"]),
                            form={"media_type": "CAROUSEL", "children": ",".join(children), "caption": "album",
                                  "access_token": self.acct["token"]})

    def test_carousel_of_item_containers_publishes_as_one_post(self):
        status, _, parent = self.carousel([self.item(), self.item()])
        self.assertEqual(status, 200)
        self.assertEqual(c.instagram_publish(self.sb, self.acct, parent["id"])[0], 200)
        [post] = self.sb.posts("instagram")
        self.assertEqual(post["text"], "album")

    def test_carousel_needs_two_children_and_items_cannot_be_published_alone(self):
        item = self.item()
        status, _, body = self.carousel([item])
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) Param children must have between 2 and 10 "
                                                                   "items"))
        status, _, body = c.instagram_publish(self.sb, self.acct, item)
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) A carousel item cannot be published on its "
                                                                   "own"))

    def test_reels_need_a_fetchable_video(self):
        form = {"media_type": "REELS", "caption": "clip", "access_token": self.acct["token"]}
        url = self.sb.url("instagram", "/v25.0/%s/media" % self.acct["id"])
        status, _, _ = self.sb.call("POST", url, form=dict(form, video_url=self.sb.media_url("clip.mp4")))
        self.assertEqual(status, 200)
        status, _, body = self.sb.call("POST", url, form=dict(form, video_url=self.sb.media_url("clip.jpg")))
        self.assertEqual((status, body["error"]["code"]), (400, 9004))

    def test_listing_refuses_a_bad_limit(self):
        status, _, body = self.sb.call("GET", self.sb.url("instagram", "/v25.0/%s/media?limit=x&access_token=%s"
                                                          % (self.acct["id"], self.acct["token"])))
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) Param limit must be a positive integer"))

    def test_publishing_limit_reports_usage(self):
        self.publish("counted")
        status, _, body = self.sb.call("GET", self.sb.url("instagram", "/v25.0/%s/content_publishing_limit"
                                                          "?access_token=%s" % (self.acct["id"], self.acct["token"])))
        self.assertEqual((status, body), (200, {"data": [{"quota_usage": 1, "config": {
            "quota_total": 50, "quota_duration": 86400}}]}))

    def test_51st_publish_in_a_day_is_refused(self):
        self.sb.config(quotas=True)
        for i in range(50):
            self.publish("post %d" % i)
        _, _, container = c.instagram_container(self.sb, self.acct, "one too many", self.sb.media_url())
        status, _, body = c.instagram_publish(self.sb, self.acct, container["id"])
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 9, 2207042))


class ThreadsApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("threads", username="acme.threads")

    def post(self, text, reply_to=None):
        s1, _, container = c.threads_container(self.sb, self.acct, text, reply_to)
        self.assertEqual(s1, 200, container)
        s2, _, media = c.threads_publish(self.sb, self.acct, container["id"])
        self.assertEqual(s2, 200, media)
        return media["id"]

    def test_two_part_thread_is_read_back_with_reply_to_id(self):
        first = self.post("Part one")
        second = self.post("Part two", reply_to=first)
        [thread] = self.sb.threads("threads")
        p1, p2 = thread["parts"]
        self.assertEqual((p1["id"], p1["parent_id"]), (first, None))
        self.assertEqual((p2["id"], p2["parent_id"], p2["root_id"], p2["text"]), (second, first, first, "Part two"))
        self.assertRegex(p1["url"], r"^https://www\.threads\.net/@acme\.threads/post/[A-Za-z0-9_-]+$")

    def test_me_alias_works_for_the_user_id(self):
        status, _, container = self.sb.call("POST", self.sb.url("threads", "/v1.0/me/threads"),
                                            form={"media_type": "TEXT", "text": "via me",
                                                  "access_token": self.acct["token"]})
        self.assertEqual(status, 200)
        self.assertIn("id", container)

    def test_container_status_field_is_status(self):
        _, _, container = c.threads_container(self.sb, self.acct, "x")
        status, _, body = c.threads_status(self.sb, self.acct, container["id"])
        self.assertEqual((status, body), (200, {"id": container["id"], "status": "FINISHED"}))

    def test_reply_to_unknown_post_is_refused_at_container_creation(self):
        status, _, body = c.threads_container(self.sb, self.acct, "orphan", reply_to="18000000000000999")
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 100, 33))

    def test_publishing_an_unknown_container_is_refused(self):
        status, _, body = c.threads_publish(self.sb, self.acct, "18000000000000999")
        self.assertEqual((status, body["error"]["error_subcode"]), (400, 33))

    def test_publishing_an_unfinished_container_is_refused_until_ready(self):
        self.sb.config(container_polls={"threads": 1})
        _, _, container = c.threads_container(self.sb, self.acct, "slow")
        status, _, body = c.threads_publish(self.sb, self.acct, container["id"])
        self.assertEqual((status, body["error"]["code"]), (400, 9007))
        self.assertEqual(c.threads_status(self.sb, self.acct, container["id"])[2]["status"], "FINISHED")
        self.assertEqual(c.threads_publish(self.sb, self.acct, container["id"])[0], 200)

    def test_a_failed_container_reports_error_with_a_message(self):
        _, _, container = c.threads_container(self.sb, self.acct, "broken")
        self.sb.control("POST", "containers", {"platform": "threads", "id": container["id"], "status": "ERROR"})
        status, _, body = c.threads_status(self.sb, self.acct, container["id"])
        self.assertEqual((status, body), (200, {"id": container["id"], "status": "ERROR", "error_message": "UNKNOWN"}))
        self.assertEqual(c.threads_publish(self.sb, self.acct, container["id"])[0], 400)

    def test_media_type_is_required(self):
        status, _, body = self.sb.call("POST", self.sb.url("threads", "/v1.0/%s/threads" % self.acct["id"]),
                                       form={"text": "x", "access_token": self.acct["token"]})
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) The parameter media_type is required"))

    def test_text_over_500_is_refused_and_emoji_count_their_utf8_bytes(self):
        self.assertEqual(c.threads_container(self.sb, self.acct, "😀" * 125)[0], 200)
        status, _, body = c.threads_container(self.sb, self.acct, "😀" * 125 + "a")
        self.assertEqual(status, 400)
        self.assertEqual(body["error"]["message"], "(#100) Param text must be at most 500 characters long (got 501)")
        self.assertEqual(c.threads_container(self.sb, self.acct, "é" * 500)[0], 200)

    def test_more_than_5_links_is_refused(self):
        text = " ".join("https://example.com/%d" % i for i in range(6))
        status, _, body = c.threads_container(self.sb, self.acct, text)
        self.assertEqual(status, 400)
        self.assertTrue(body["error"]["message"].startswith("THREADS_API__LINK_LIMIT_EXCEEDED"))

    def test_image_post_needs_a_fetchable_image(self):
        status, _, _ = c.threads_container(self.sb, self.acct, "pic", media_type="IMAGE",
                                           extra={"image_url": self.sb.media_url("a.jpg")})
        self.assertEqual(status, 200)
        status, _, body = c.threads_container(self.sb, self.acct, "pic", media_type="IMAGE",
                                              extra={"image_url": self.sb.media_url("gone.bmp")})
        self.assertEqual((status, body["error"]["error_user_title"]), (400, "FAILED_DOWNLOADING_MEDIA"))

    def test_expired_token_is_code_190(self):
        self.sb.control("POST", "tokens", {"token": self.acct["token"], "state": "expired"})
        status, _, body = c.threads_container(self.sb, self.acct, "x")
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 190, 463))

    def test_publishing_limit_reports_posts_and_replies(self):
        first = self.post("root")
        self.post("reply", reply_to=first)
        status, _, body = self.sb.call("GET", self.sb.url("threads", "/v1.0/%s/threads_publishing_limit"
                                                          "?access_token=%s" % (self.acct["id"], self.acct["token"])))
        self.assertEqual(status, 200)
        self.assertEqual((body["data"][0]["quota_usage"], body["data"][0]["reply_quota_usage"]), (1, 1))


if __name__ == "__main__":
    unittest.main()
