"""The sandbox's contract, part 4: Mastodon (Idempotency-Key) and Bluesky (sessions, client-chosen rkey,
strong refs, facets).

Run from tests/e2e: python3 -m unittest -v test_sandbox_social
"""

import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402
from sbx.state import tid_now  # noqa: E402

TID = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


class MastodonApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("mastodon", username="eve")

    def test_two_part_thread_is_read_back_with_in_reply_to_id(self):
        s1, _, b1 = c.mastodon_post(self.sb, self.acct, "Part one")
        s2, _, b2 = c.mastodon_post(self.sb, self.acct, "Part two", reply_to=b1["id"])
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual((b1["in_reply_to_id"], b2["in_reply_to_id"]), (None, b1["id"]))
        base = self.sb.url("mastodon")
        self.assertEqual(b2["url"], "%s/@eve/%s" % (base, b2["id"]))
        self.assertEqual(b2["uri"], "%s/users/eve/statuses/%s" % (base, b2["id"]))
        self.assertEqual(b1["content"], "<p>Part one</p>")
        [thread] = self.sb.threads("mastodon")
        self.assertEqual([(p["id"], p["parent_id"]) for p in thread["parts"]],
                         [(b1["id"], None), (b2["id"], b1["id"])])

    def test_form_encoded_body_is_accepted(self):
        status, _, body = self.sb.call("POST", self.sb.url("mastodon", "/api/v1/statuses"),
                                       c.bearer(self.acct["token"]), form={"status": "form post"})
        self.assertEqual((status, body["content"]), (200, "<p>form post</p>"))

    def test_multipart_body_is_accepted(self):
        boundary = "growthboundary"
        data = ("--%s\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nmultipart \u00e9\r\n--%s--\r\n"
                % (boundary, boundary)).encode("utf-8")
        status, _, body = self.sb.call("POST", self.sb.url("mastodon", "/api/v1/statuses"),
                                       dict(c.bearer(self.acct["token"]),
                                            **{"Content-Type": "multipart/form-data; boundary=" + boundary}), data=data)
        self.assertEqual((status, body["content"]), (200, "<p>multipart \u00e9</p>"))

    def test_same_idempotency_key_returns_the_same_status_without_a_duplicate(self):
        s1, _, b1 = c.mastodon_post(self.sb, self.acct, "once", key="job-1-part-1")
        s2, _, b2 = c.mastodon_post(self.sb, self.acct, "once", key="job-1-part-1")
        self.assertEqual((s1, s2), (200, 200))
        self.assertEqual(b1, b2)
        [post] = self.sb.posts("mastodon")
        self.assertEqual((post["idempotency_key"], post["idempotent_replays"]), ("job-1-part-1", 1))

    def test_idempotency_key_wins_even_if_the_body_changed(self):
        _, _, b1 = c.mastodon_post(self.sb, self.acct, "first text", key="k")
        _, _, b2 = c.mastodon_post(self.sb, self.acct, "second text", key="k")
        self.assertEqual((b2["id"], b2["content"]), (b1["id"], "<p>first text</p>"))

    def test_different_keys_create_different_statuses(self):
        _, _, b1 = c.mastodon_post(self.sb, self.acct, "same", key="k1")
        _, _, b2 = c.mastodon_post(self.sb, self.acct, "same", key="k2")
        self.assertNotEqual(b1["id"], b2["id"])
        self.assertEqual(len(self.sb.posts("mastodon")), 2)

    def test_idempotency_keys_are_per_account(self):
        other = self.sb.add_account("mastodon", username="frank")
        _, _, b1 = c.mastodon_post(self.sb, self.acct, "mine", key="k")
        _, _, b2 = c.mastodon_post(self.sb, other, "theirs", key="k")
        self.assertNotEqual(b1["id"], b2["id"])

    def test_invalid_token_is_401_with_doorkeeper_header(self):
        status, headers, body = c.mastodon_post(self.sb, self.acct, "x", token="nope")
        self.assertEqual((status, body), (401, {"error": "The access token is invalid"}))
        self.assertEqual(headers["www-authenticate"], 'Bearer realm="Doorkeeper", error="invalid_token", '
                         'error_description="The access token is invalid"')

    def test_revoked_token_says_so(self):
        self.sb.control("POST", "tokens", {"platform": "mastodon", "username": "eve", "state": "revoked"})
        status, _, body = c.mastodon_post(self.sb, self.acct, "x")
        self.assertEqual((status, body), (401, {"error": "The access token was revoked"}))

    def test_reply_to_unknown_status_is_404(self):
        status, _, body = c.mastodon_post(self.sb, self.acct, "x", reply_to="999")
        self.assertEqual((status, body), (404, {"error": "The post you are trying to reply to does not appear "
                                                         "to exist."}))

    def test_blank_status_is_422(self):
        status, _, body = c.mastodon_post(self.sb, self.acct, "   ")
        self.assertEqual((status, body), (422, {"error": "Validation failed: Text can't be blank"}))

    def test_over_the_instance_limit_is_422(self):
        status, _, body = c.mastodon_post(self.sb, self.acct, "a" * 501)
        self.assertEqual((status, body), (422, {"error": "Validation failed: Text character limit of 500 exceeded"}))
        self.assertEqual(self.sb.posts("mastodon"), [])

    def test_urls_count_23_and_remote_mentions_count_the_local_part(self):
        url = "https://example.com/" + "p" * 80
        text = "a" * 452 + " " + url + " @bob@example.social"   # 452 + 1 + 23 + 1 + 4 = 481 (+19 spare)
        self.assertEqual(c.mastodon_post(self.sb, self.acct, text + " " + "b" * 18)[0], 200)
        status, _, _ = c.mastodon_post(self.sb, self.acct, text + " " + "b" * 19)
        self.assertEqual(status, 422)

    def test_instance_limit_follows_the_account_setting(self):
        big = self.sb.add_account("mastodon", username="big", max_characters=5000)
        status, _, body = self.sb.call("GET", self.sb.url("mastodon", "/api/v2/instance"), c.bearer(big["token"]))
        self.assertEqual(body["configuration"]["statuses"]["max_characters"], 5000)
        self.assertEqual(body["configuration"]["statuses"]["characters_reserved_per_url"], 23)
        self.assertEqual(c.mastodon_post(self.sb, big, "a" * 5000)[0], 200)

    def test_verify_credentials_names_the_account(self):
        status, _, body = self.sb.call("GET", self.sb.url("mastodon", "/api/v1/accounts/verify_credentials"),
                                       c.bearer(self.acct["token"]))
        self.assertEqual((status, body["id"], body["username"]), (200, self.acct["id"], "eve"))

    def test_rate_limit_reset_is_iso_8601(self):
        _, headers, _ = c.mastodon_post(self.sb, self.acct, "x")
        self.assertEqual(headers["x-ratelimit-limit"], "300")
        self.assertRegex(headers["x-ratelimit-reset"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

    def test_recent_statuses_are_listed_newest_first_for_recovery(self):
        _, _, b1 = c.mastodon_post(self.sb, self.acct, "older")
        _, _, b2 = c.mastodon_post(self.sb, self.acct, "newer")
        status, _, body = self.sb.call("GET", self.sb.url("mastodon", "/api/v1/accounts/%s/statuses?limit=5"
                                                          % self.acct["id"]), c.bearer(self.acct["token"]))
        self.assertEqual([s["id"] for s in body], [b2["id"], b1["id"]])


class BlueskyApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("bluesky", username="gina.sandbox.test")
        status, _, self.session = c.bluesky_login(self.sb, self.acct)
        self.assertEqual(status, 200)

    def post(self, text, **kw):
        status, _, body = c.bluesky_post(self.sb, self.session, text, **kw)
        self.assertEqual(status, 200, body)
        return body

    def test_session_names_the_did_and_pds(self):
        self.assertEqual((self.session["did"], self.session["handle"]), (self.acct["id"], self.acct["username"]))
        self.assertEqual(self.session["didDoc"]["service"][0]["serviceEndpoint"], self.sb.url("bluesky"))
        self.assertEqual(self.session["accessJwt"].count("."), 2)

    def test_two_part_thread_with_client_rkeys_is_read_back_with_strong_refs(self):
        k1, k2 = tid_now(), tid_now()
        p1 = self.post("Part one", rkey=k1)
        ref1 = {"uri": p1["uri"], "cid": p1["cid"]}
        p2 = self.post("Part two", rkey=k2, reply={"root": ref1, "parent": ref1})
        self.assertEqual(p1["uri"], "at://%s/app.bsky.feed.post/%s" % (self.acct["id"], k1))
        self.assertEqual(p1["validationStatus"], "valid")
        self.assertTrue(p1["cid"].startswith("bafyrei"))
        status, _, listing = self.sb.call("GET", self.sb.url("bluesky", "/xrpc/com.atproto.repo.listRecords?repo=%s"
                                                             "&collection=app.bsky.feed.post" % self.acct["id"]))
        self.assertEqual(status, 200)
        by_uri = {r["uri"]: r for r in listing["records"]}
        self.assertEqual(by_uri[p2["uri"]]["value"]["reply"], {"root": ref1, "parent": ref1})
        self.assertEqual(by_uri[p2["uri"]]["cid"], p2["cid"])
        [thread] = self.sb.threads("bluesky")
        self.assertEqual([p["rkey"] for p in thread["parts"]], [k1, k2])
        self.assertEqual(thread["parts"][1]["url"], "https://bsky.app/profile/%s/post/%s" % (self.acct["id"], k2))

    def test_third_part_needs_root_from_first_and_parent_from_second(self):
        p1 = self.post("one")
        r1 = {"uri": p1["uri"], "cid": p1["cid"]}
        p2 = self.post("two", reply={"root": r1, "parent": r1})
        r2 = {"uri": p2["uri"], "cid": p2["cid"]}
        status, _, body = c.bluesky_post(self.sb, self.session, "three", reply={"root": r2, "parent": r2})
        self.assertEqual(status, 400)
        self.assertEqual(body["message"], "Invalid app.bsky.feed.post record: reply/root %s is not the root of "
                         "reply/parent's thread (%s)" % (p2["uri"], p1["uri"]))
        self.post("three", reply={"root": r1, "parent": r2})

    def test_reply_with_a_wrong_cid_is_refused(self):
        p1 = self.post("one")
        ref = {"uri": p1["uri"], "cid": "bafyreiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
        status, _, body = c.bluesky_post(self.sb, self.session, "two", reply={"root": ref, "parent": ref})
        self.assertEqual((status, body["error"]), (400, "InvalidRequest"))
        self.assertIn("does not match", body["message"])

    def test_reply_missing_a_cid_is_a_lexicon_error(self):
        p1 = self.post("one")
        status, _, body = c.bluesky_post(self.sb, self.session, "two",
                                         reply={"root": {"uri": p1["uri"]}, "parent": {"uri": p1["uri"]}})
        self.assertEqual((status, body), (400, {"error": "InvalidRequest", "message": "Invalid app.bsky.feed.post "
                                                "record: Record/reply/root must have the property \"cid\""}))

    def test_duplicate_rkey_is_refused_and_changes_nothing(self):
        key = tid_now()
        first = self.post("original", rkey=key)
        status, _, body = c.bluesky_post(self.sb, self.session, "retry", rkey=key)
        self.assertEqual((status, body), (500, {"error": "InternalServerError", "message": "Internal Server Error"}))
        [post] = self.sb.posts("bluesky")
        self.assertEqual((post["text"], post["cid"]), ("original", first["cid"]))

    def test_get_record_tells_whether_an_rkey_was_written(self):
        key = tid_now()
        q = "/xrpc/com.atproto.repo.getRecord?repo=%s&collection=app.bsky.feed.post&rkey=%s" % (self.acct["id"], key)
        status, _, body = self.sb.call("GET", self.sb.url("bluesky", q))
        self.assertEqual((status, body["error"]), (400, "RecordNotFound"))
        self.assertEqual(body["message"], "Could not locate record: at://%s/app.bsky.feed.post/%s"
                         % (self.acct["id"], key))
        p = self.post("now it exists", rkey=key)
        status, _, body = self.sb.call("GET", self.sb.url("bluesky", q))
        self.assertEqual((status, body["cid"], body["value"]["text"]), (200, p["cid"], "now it exists"))

    def test_rkey_must_be_a_tid_for_posts(self):
        status, _, body = c.bluesky_post(self.sb, self.session, "x", rkey="not-a-tid")
        self.assertEqual((status, body["error"]), (400, "InvalidRequest"))
        self.assertEqual(body["message"], "Invalid record key for app.bsky.feed.post: expected a TID, got \"not-a-tid\"")

    def test_server_chooses_a_tid_when_no_rkey_is_given(self):
        p = self.post("auto")
        self.assertRegex(p["uri"].rsplit("/", 1)[1], TID)

    def test_text_over_300_graphemes_is_refused(self):
        self.post("e\u0301" * 300)                            # 600 code points, 300 graphemes
        status, _, body = c.bluesky_post(self.sb, self.session, "e\u0301" * 301)
        self.assertEqual((status, body["message"]), (400, "Invalid app.bsky.feed.post record: Record/text must not "
                                                          "be longer than 300 graphemes"))

    def test_text_over_3000_bytes_is_refused(self):
        family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"  # one grapheme, 18 UTF-8 bytes
        self.post(family * 166)                                # 2988 bytes
        status, _, body = c.bluesky_post(self.sb, self.session, family * 167)
        self.assertEqual((status, body["message"]), (400, "Invalid app.bsky.feed.post record: Record/text must not "
                                                          "be longer than 3000 characters"))

    def test_facets_are_accepted_and_record_the_text_they_cover(self):
        text = "😀 see https://example.com now"
        start = len("😀 see ".encode("utf-8"))
        end = start + len("https://example.com")
        facets = [{"index": {"byteStart": start, "byteEnd": end},
                   "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com"}]}]
        self.post(text, facets=facets)
        [post] = self.sb.posts("bluesky")
        self.assertEqual(post["facet_text"], ["https://example.com"])

    def test_facet_without_index_is_a_lexicon_error(self):
        status, _, body = c.bluesky_post(self.sb, self.session, "x", facets=[{"features": []}])
        self.assertEqual((status, body["message"]), (400, "Invalid app.bsky.feed.post record: Record/facets/0 must "
                                                          "have the property \"index\""))

    def test_missing_auth_is_401_auth_missing(self):
        status, headers, body = self.sb.call("POST", self.sb.url("bluesky", "/xrpc/com.atproto.repo.createRecord"),
                                             json_body={})
        self.assertEqual((status, body["error"]), (401, "AuthMissing"))
        self.assertIn("www-authenticate", headers)

    def test_expired_access_token_is_400_expired_token_and_refresh_recovers(self):
        self.sb.control("POST", "tokens", {"platform": "bluesky", "username": self.acct["username"],
                                           "state": "expired"})
        status, _, body = c.bluesky_post(self.sb, self.session, "x")
        self.assertEqual((status, body), (400, {"error": "ExpiredToken", "message": "Token has expired"}))
        status, _, fresh = self.sb.call("POST", self.sb.url("bluesky", "/xrpc/com.atproto.server.refreshSession"),
                                        c.bearer(self.session["refreshJwt"]))
        self.assertEqual(status, 200)
        self.assertNotEqual(fresh["refreshJwt"], self.session["refreshJwt"])
        self.post("after refresh", access=fresh["accessJwt"])

    def test_access_token_expires_after_its_lifetime(self):
        self.sb.config(bluesky_access_ttl=1)
        _, _, short = c.bluesky_login(self.sb, self.acct)
        time.sleep(1.1)
        status, _, body = c.bluesky_post(self.sb, short, "x")
        self.assertEqual((status, body["error"]), (400, "ExpiredToken"))

    def test_refresh_token_cannot_create_records(self):
        status, _, body = c.bluesky_post(self.sb, self.session, "x", access=self.session["refreshJwt"])
        self.assertEqual((status, body), (400, {"error": "InvalidToken", "message": "Bad token scope"}))

    def test_garbage_token_is_400_invalid_token(self):
        status, _, body = c.bluesky_post(self.sb, self.session, "x", access="a.b.c")
        self.assertEqual((status, body["error"]), (400, "InvalidToken"))

    def test_bad_password_is_401(self):
        status, _, body = self.sb.call("POST", self.sb.url("bluesky", "/xrpc/com.atproto.server.createSession"),
                                       json_body={"identifier": self.acct["username"], "password": "wrong"})
        self.assertEqual((status, body), (401, {"error": "AuthenticationRequired",
                                                "message": "Invalid identifier or password"}))

    def test_writing_to_another_repo_is_refused(self):
        other = self.sb.add_account("bluesky", username="hal.sandbox.test")
        status, _, body = c.bluesky_post(self.sb, dict(self.session, did=other["id"]), "x")
        self.assertEqual((status, body["error"]), (401, "AuthenticationRequired"))

    def test_write_rate_limit_headers_use_points(self):
        status, headers, _ = c.bluesky_post(self.sb, self.session, "x")
        self.assertEqual((headers["ratelimit-limit"], headers["ratelimit-remaining"]), ("5000", "4997"))
        self.assertEqual(headers["ratelimit-policy"], "5000;w=3600")

    def test_wrong_content_type_is_refused(self):
        status, _, body = self.sb.call("POST", self.sb.url("bluesky", "/xrpc/com.atproto.repo.createRecord"),
                                       dict(c.bearer(self.session["accessJwt"]), **{"Content-Type": "text/plain"}),
                                       data=b"{}")
        self.assertEqual((status, body["message"]), (400, "Wrong request encoding (Content-Type): text/plain"))

    def test_resolve_handle_gives_the_did(self):
        status, _, body = self.sb.call("GET", self.sb.url("bluesky", "/xrpc/com.atproto.identity.resolveHandle?handle="
                                                          + self.acct["username"]))
        self.assertEqual((status, body), (200, {"did": self.acct["id"]}))

    def test_unknown_method_is_501(self):
        status, _, body = self.sb.call("GET", self.sb.url("bluesky", "/xrpc/app.bsky.feed.getPostThread"))
        self.assertEqual((status, body["error"]), (501, "MethodNotImplemented"))


if __name__ == "__main__":
    unittest.main()
