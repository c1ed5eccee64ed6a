"""The sandbox's contract, part 5: fault injection, per fault class and platform.

Run from tests/e2e: python3 -m unittest -v test_sandbox_faults
"""

import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402

PLATFORMS = ["x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"]


class FaultTestCase(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.accounts = {p: self.sb.add_account(p) for p in PLATFORMS}

    def arm(self, platform, kind, **extra):
        return self.sb.fault(platform, kind, endpoint=c.CREATE_ENDPOINT[platform], **extra)

    def create(self, platform, text="fault probe"):
        return c.first_part(self.sb, platform, self.accounts[platform], text)

    def published(self, platform):
        return [p for p in self.sb.posts(platform) if p["kind"] == "post"]


class RateLimit(FaultTestCase):
    def test_each_platform_answers_with_its_own_throttle_shape_and_reset(self):
        now = int(time.time())
        for p in PLATFORMS:
            with self.subTest(platform=p):
                self.arm(p, "rate_limit", reset_after=120)
                status, h, body = self.create(p)
                self.assertEqual(self.published(p), [])
                if p == "x":
                    self.assertEqual((status, body["title"]), (429, "Too Many Requests"))
                    self.assertEqual(h["x-rate-limit-remaining"], "0")
                    self.assertAlmostEqual(int(h["x-rate-limit-reset"]), now + 120, delta=3)
                elif p == "linkedin":
                    self.assertEqual((status, body["code"], body["serviceErrorCode"]), (429, "TOO_MANY_REQUESTS", 101))
                elif p == "facebook":
                    self.assertEqual((status, body["error"]["code"], body["error"]["is_transient"]), (400, 32, True))
                    usage = json.loads(h["x-business-use-case-usage"])
                    self.assertEqual(usage[self.accounts[p]["id"]][0]["estimated_time_to_regain_access"], 2)
                elif p in ("instagram", "threads"):
                    self.assertEqual((status, body["error"]["code"]), (400, 4))
                    self.assertIn("x-business-use-case-usage", h)
                elif p == "mastodon":
                    self.assertEqual((status, body), (429, {"error": "Too many requests"}))
                    self.assertEqual(h["x-ratelimit-remaining"], "0")
                    self.assertRegex(h["x-ratelimit-reset"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
                elif p == "bluesky":
                    self.assertEqual((status, body), (429, {"error": "RateLimitExceeded",
                                                            "message": "Rate Limit Exceeded"}))
                    self.assertEqual((h["ratelimit-remaining"], h["retry-after"]), ("0", "120"))
                    self.assertAlmostEqual(int(h["ratelimit-reset"]), now + 120, delta=3)


class ServerError(FaultTestCase):
    def test_each_platform_answers_5xx_with_its_error_body_and_creates_nothing(self):
        expected = {"x": (503, {"title": "Service Unavailable", "detail": "Service Unavailable",
                                "type": "about:blank", "status": 503}),
                    "linkedin": (503, {"status": 503, "message": "Service Unavailable"}),
                    "mastodon": (503, {"error": "Service Unavailable"}),
                    "bluesky": (503, {"error": "NotEnoughResources", "message": "Not Enough Resources"})}
        for p in PLATFORMS:
            with self.subTest(platform=p):
                self.arm(p, "server_error", status=503)
                status, _, body = self.create(p)
                if p in expected:
                    self.assertEqual((status, body), expected[p])
                else:
                    self.assertEqual((status, body["error"]["code"], body["error"]["is_transient"]), (503, 2, True))
                self.assertEqual(self.published(p), [])

    def test_status_defaults_per_platform(self):
        self.arm("bluesky", "server_error")
        status, _, body = self.create("bluesky")
        self.assertEqual((status, body["error"]), (500, "InternalServerError"))


class ConnectionReset(FaultTestCase):
    def test_connection_is_reset_before_the_post_is_applied(self):
        for p in PLATFORMS:
            with self.subTest(platform=p):
                self.arm(p, "reset")
                with self.assertRaises(OSError):
                    self.create(p)
                self.assertEqual(self.published(p), [])
                last = self.sb.requests(p)[-1]
                self.assertEqual((last["endpoint"], last["status"], last["fault"]),
                                 (c.CREATE_ENDPOINT[p], "reset", "reset"))

    def test_the_next_request_succeeds(self):
        self.arm("x", "reset")
        with self.assertRaises(OSError):
            self.create("x")
        status, _, _ = self.create("x")
        self.assertEqual(status, 201)


class LostResponse(FaultTestCase):
    def test_post_is_applied_but_the_response_never_arrives(self):
        for p in PLATFORMS:
            with self.subTest(platform=p):
                self.arm(p, "lost_response")
                with self.assertRaises(OSError):
                    self.create(p, "applied in the dark")
                [post] = self.published(p)
                self.assertEqual(post["text"], "applied in the dark")
                self.assertRegex(str(self.sb.requests(p)[-1]["status"]), r"^lost:2\d\d$")

    def test_a_delayed_lost_response_looks_like_a_timeout_after_the_post_was_applied(self):
        self.arm("mastodon", "lost_response", seconds=0.5)
        started = time.monotonic()
        with self.assertRaises(OSError):
            self.create("mastodon", "slow and lost")
        self.assertGreaterEqual(time.monotonic() - started, 0.5)
        self.assertEqual([p["text"] for p in self.published("mastodon")], ["slow and lost"])

    def test_instagram_container_reports_published_after_a_lost_publish(self):
        acct = self.accounts["instagram"]
        _, _, container = c.instagram_container(self.sb, acct, "x", self.sb.media_url())
        self.arm("instagram", "lost_response")
        with self.assertRaises(OSError):
            c.instagram_publish(self.sb, acct, container["id"])
        self.assertEqual(c.instagram_status(self.sb, acct, container["id"])[2]["status_code"], "PUBLISHED")

    def test_mastodon_retry_with_the_same_key_returns_the_applied_status(self):
        acct = self.accounts["mastodon"]
        self.arm("mastodon", "lost_response")
        with self.assertRaises(OSError):
            c.mastodon_post(self.sb, acct, "part 1", key="job-9/1")
        status, _, body = c.mastodon_post(self.sb, acct, "part 1", key="job-9/1")
        [post] = self.published("mastodon")
        self.assertEqual((status, body["id"]), (200, post["id"]))

    def test_bluesky_retry_at_the_same_rkey_is_refused_and_get_record_finds_it(self):
        acct = self.accounts["bluesky"]
        _, _, session = c.bluesky_login(self.sb, acct)
        from sbx.state import tid_now
        key = tid_now()
        self.arm("bluesky", "lost_response")
        with self.assertRaises(OSError):
            c.bluesky_post(self.sb, session, "part 1", rkey=key)
        status, _, _ = c.bluesky_post(self.sb, session, "part 1", rkey=key)
        self.assertEqual(status, 500)
        status, _, body = self.sb.call("GET", self.sb.url("bluesky", "/xrpc/com.atproto.repo.getRecord?repo=%s&"
                                                          "collection=app.bsky.feed.post&rkey=%s" % (acct["id"], key)))
        self.assertEqual((status, body["value"]["text"]), (200, "part 1"))


class Stall(FaultTestCase):
    def test_answer_is_delayed_then_normal(self):
        self.arm("mastodon", "stall", seconds=0.6)
        started = time.monotonic()
        status, _, _ = self.create("mastodon")
        self.assertGreaterEqual(time.monotonic() - started, 0.6)
        self.assertEqual(status, 200)
        self.assertEqual(self.sb.requests("mastodon")[-1]["fault"], "stall")

    def test_a_client_that_gives_up_leaves_an_applied_post(self):
        self.arm("x", "stall", seconds=1.0)
        with self.assertRaises(OSError):
            self.sb.call("POST", self.sb.url("x", "/2/tweets"), c.bearer(self.accounts["x"]["token"]),
                         json_body={"text": "slow"}, timeout=0.3)
        deadline = time.monotonic() + 10
        while not self.published("x") and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertEqual([p["text"] for p in self.published("x")], ["slow"])


class AuthFault(FaultTestCase):
    def test_each_platform_answers_with_its_expired_token_error(self):
        for p in PLATFORMS:
            with self.subTest(platform=p):
                self.arm(p, "auth")
                status, _, body = self.create(p)
                if p == "x":
                    self.assertEqual((status, body["title"]), (401, "Unauthorized"))
                elif p == "linkedin":
                    self.assertEqual((status, body["serviceErrorCode"]), (401, 65602))
                elif p in ("facebook", "instagram", "threads"):
                    self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 190, 463))
                elif p == "mastodon":
                    self.assertEqual((status, body), (401, {"error": "The access token is invalid"}))
                elif p == "bluesky":
                    self.assertEqual((status, body), (400, {"error": "ExpiredToken", "message": "Token has expired"}))
                self.assertEqual(self.published(p), [])

    def test_the_token_itself_stays_valid(self):
        self.arm("x", "auth")
        self.assertEqual(self.create("x")[0], 401)
        self.assertEqual(self.create("x")[0], 201)


class Duplicate(FaultTestCase):
    def test_platforms_with_a_duplicate_error_answer_with_it(self):
        for p in ("x", "linkedin", "facebook", "bluesky"):
            with self.subTest(platform=p):
                self.arm(p, "duplicate")
                status, _, body = self.create(p)
                if p == "x":
                    self.assertEqual((status, body["detail"]), (403, "You are not allowed to create a Tweet with "
                                                                     "duplicate content."))
                elif p == "linkedin":
                    self.assertEqual((status, body["errorDetails"]["inputErrors"][0]["code"]), (422, "DUPLICATE_POST"))
                elif p == "facebook":
                    self.assertEqual((status, body["error"]["code"]), (400, 506))
                elif p == "bluesky":
                    self.assertEqual((status, body["error"]), (500, "InternalServerError"))
                self.assertEqual(self.published(p), [])

    def test_platforms_without_one_refuse_the_fault(self):
        for p in ("instagram", "threads", "mastodon"):
            with self.subTest(platform=p):
                status, _, body = self.sb.call("POST", self.sb.base + "/_sandbox/faults",
                                               json_body={"platform": p, "kind": "duplicate"})
                self.assertEqual(status, 400)
                self.assertTrue(body["error"].startswith("%s has no duplicate error" % p))


class Scheduling(FaultTestCase):
    def test_nth_counts_matching_requests(self):
        self.sb.fault("x", "server_error", endpoint="create_post", nth=2)
        self.assertEqual(self.create("x", "one")[0], 201)
        self.assertEqual(self.create("x", "two")[0], 503)
        self.assertEqual(self.create("x", "three")[0], 201)

    def test_faults_on_one_endpoint_fire_in_queue_order(self):
        self.sb.control("POST", "faults", {"faults": [
            {"platform": "x", "endpoint": "create_post", "kind": "server_error"},
            {"platform": "x", "endpoint": "create_post", "kind": "rate_limit", "nth": 2}]})
        self.assertEqual(self.create("x", "a")[0], 503)
        self.assertEqual(self.create("x", "b")[0], 201)
        self.assertEqual(self.create("x", "c")[0], 429)
        self.assertEqual(self.create("x", "d")[0], 201)

    def test_an_endpoint_fault_ignores_other_endpoints(self):
        acct = self.accounts["linkedin"]
        self.sb.fault("linkedin", "server_error", endpoint="create_comment")
        status, h, _ = c.linkedin_post(self.sb, acct, "root")
        self.assertEqual(status, 201)
        self.assertEqual(c.linkedin_comment(self.sb, acct, h["x-restli-id"], "second")[0], 500)
        self.assertEqual(c.linkedin_comment(self.sb, acct, h["x-restli-id"], "second")[0], 201)

    def test_a_platform_wide_fault_hits_any_endpoint(self):
        self.sb.fault("x", "server_error")
        status, _, _ = self.sb.call("GET", self.sb.url("x", "/2/users/me"), c.bearer(self.accounts["x"]["token"]))
        self.assertEqual(status, 503)

    def test_pending_and_fired_faults_are_listed(self):
        self.sb.fault("x", "server_error", endpoint="create_post")
        self.sb.fault("mastodon", "reset", endpoint="create_post")
        self.create("x")
        listing = self.sb.control("GET", "faults")
        self.assertEqual([(f["platform"], f["kind"]) for f in listing["pending"]], [("mastodon", "reset")])
        self.assertEqual([(f["platform"], f["kind"]) for f in listing["fired"]], [("x", "server_error")])

    def test_faults_can_be_cleared(self):
        self.sb.fault("x", "server_error")
        self.sb.control("DELETE", "faults")
        self.assertEqual(self.create("x")[0], 201)


class FaultValidation(SandboxTestCase):
    def bad(self, spec):
        status, _, body = self.sb.call("POST", self.sb.base + "/_sandbox/faults", json_body=spec)
        self.assertEqual(status, 400)
        self.assertEqual(self.sb.control("GET", "faults")["pending"], [])
        return body["error"]

    def test_unknown_kind(self):
        self.assertEqual(self.bad({"platform": "x", "kind": "meteor"}), "kind must be one of rate_limit, "
                         "server_error, reset, stall, auth, duplicate, lost_response")

    def test_unknown_endpoint_lists_the_known_ones(self):
        self.assertEqual(self.bad({"platform": "x", "kind": "reset", "endpoint": "post"}),
                         "unknown x endpoint 'post'; known: create_post, get_post, me, oauth2_authorize, oauth2_revoke, oauth2_token, user_posts")

    def test_stall_needs_seconds(self):
        self.assertEqual(self.bad({"platform": "x", "kind": "stall"}), 'a stall needs "seconds" > 0')

    def test_status_only_for_server_errors(self):
        self.assertEqual(self.bad({"platform": "x", "kind": "reset", "status": 500}),
                         "status is only for server_error and must be 500..599")

    def test_nth_must_be_positive(self):
        self.assertEqual(self.bad({"platform": "x", "kind": "reset", "nth": 0}), "nth must be an integer >= 1")

    def test_one_bad_fault_in_a_batch_adds_none(self):
        self.assertEqual(self.bad({"faults": [{"platform": "x", "kind": "reset"}, {"platform": "y", "kind": "reset"}]}),
                         "fault 2: platform must be one of x, linkedin, facebook, instagram, threads, mastodon, bluesky")


if __name__ == "__main__":
    unittest.main()
