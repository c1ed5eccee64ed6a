"""The sandbox's contract, part 2: LinkedIn (posts + comments) and Facebook Pages (feed + comments).

Run from tests/e2e: python3 -m unittest -v test_sandbox_pages
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402


class LinkedInApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("linkedin", username="dana", display_name="Dana Scully")

    def test_post_then_comment_is_read_back_as_one_thread(self):
        s1, h1, b1 = c.linkedin_post(self.sb, self.acct, "Part one")
        self.assertEqual((s1, b1), (201, None))
        urn = h1["x-restli-id"]
        self.assertRegex(urn, r"^urn:li:share:[0-9]+$")
        self.assertEqual(h1["x-linkedin-id"], urn)
        s2, h2, b2 = c.linkedin_comment(self.sb, self.acct, urn, "Part two")
        self.assertEqual(s2, 201)
        self.assertRegex(h2["x-restli-id"], r"^urn:li:comment:\(urn:li:activity:[0-9]+,[0-9]+\)$")
        self.assertEqual(b2["message"], {"text": "Part two"})
        self.assertEqual(b2["object"], urn)
        [thread] = self.sb.threads("linkedin")
        post, comment = thread["parts"]
        self.assertEqual((post["kind"], post["url"]), ("post", "https://www.linkedin.com/feed/update/%s/" % urn))
        self.assertEqual((comment["kind"], comment["parent_id"], comment["text"]), ("comment", urn, "Part two"))

    def test_unversioned_v2_comments_endpoint_is_accepted(self):
        _, h1, _ = c.linkedin_post(self.sb, self.acct, "root")
        status, _, _ = c.linkedin_comment(self.sb, self.acct, h1["x-restli-id"], "via v2", prefix="/v2")
        self.assertEqual(status, 201)

    def test_comment_on_unknown_post_is_404(self):
        status, _, body = c.linkedin_comment(self.sb, self.acct, "urn:li:share:1", "lost")
        self.assertEqual((status, body["status"]), (404, 404))

    def test_missing_version_header_is_400(self):
        status, _, body = c.linkedin_post(self.sb, self.acct, "x", headers=c.linkedin_headers(self.acct, None))
        self.assertEqual(status, 400)
        self.assertEqual(body, {"status": 400, "code": "VERSION_MISSING", "message": "A version must be present. "
                                "Please specify a version by adding the LinkedIn-Version header."})

    def test_retired_version_is_426(self):
        status, _, body = c.linkedin_post(self.sb, self.acct, "x",
                                          headers=c.linkedin_headers(self.acct, "202001"))
        self.assertEqual(status, 426)
        self.assertEqual(body, {"status": 426, "code": "NONEXISTENT_VERSION",
                                "message": "Requested version 202001 is not active"})

    def test_missing_restli_protocol_header_is_400(self):
        h = c.linkedin_headers(self.acct)
        del h["X-Restli-Protocol-Version"]
        status, _, body = c.linkedin_post(self.sb, self.acct, "x", headers=h)
        self.assertEqual((status, body["code"]), (400, "ILLEGAL_ARGUMENT"))

    def test_userinfo_gives_the_member_id_as_sub(self):
        status, _, body = self.sb.call("GET", self.sb.url("linkedin", "/v2/userinfo"), c.bearer(self.acct["token"]))
        self.assertEqual(status, 200)
        self.assertEqual((body["sub"], body["given_name"], body["family_name"]),
                         (self.acct["id"], "Dana", "Scully"))

    def test_expired_token_is_401_with_service_error_code(self):
        self.sb.control("POST", "tokens", {"token": self.acct["token"], "state": "expired"})
        status, _, body = c.linkedin_post(self.sb, self.acct, "x")
        self.assertEqual(status, 401)
        self.assertEqual(body, {"status": 401, "message": "The token used in the request has expired",
                                "code": "EXPIRED_ACCESS_TOKEN", "serviceErrorCode": 65602})

    def test_posting_as_another_author_is_403(self):
        body = c.linkedin_post_body(self.acct, "x")
        body["author"] = "urn:li:person:someoneelse"
        status, _, out = self.sb.call("POST", self.sb.url("linkedin", "/rest/posts"),
                                      c.linkedin_headers(self.acct), json_body=body)
        self.assertEqual((status, out["code"]), (403, "ACCESS_DENIED"))

    def test_member_may_post_and_comment_as_an_organization_it_administers(self):
        admin = self.sb.add_account("linkedin", username="admin", organizations=["1234"])
        body = c.linkedin_post_body(admin, "From the company")
        body["author"] = "urn:li:organization:1234"
        status, h, _ = self.sb.call("POST", self.sb.url("linkedin", "/rest/posts"), c.linkedin_headers(admin),
                                    json_body=body)
        self.assertEqual(status, 201)
        status, _, _ = self.sb.call("POST", self.sb.url("linkedin", "/rest/socialActions/%s/comments"
                                                        % c.urllib.parse.quote(h["x-restli-id"], safe="")),
                                    c.linkedin_headers(admin), json_body={
                                        "actor": "urn:li:organization:1234", "object": h["x-restli-id"],
                                        "message": {"text": "more"}})
        self.assertEqual(status, 201)
        body["author"] = "urn:li:organization:999"
        body["commentary"] = "Not mine"
        status, _, _ = self.sb.call("POST", self.sb.url("linkedin", "/rest/posts"), c.linkedin_headers(admin),
                                    json_body=body)
        self.assertEqual(status, 403)

    def test_duplicate_commentary_is_422_naming_the_original(self):
        _, h1, _ = c.linkedin_post(self.sb, self.acct, "Same thing")
        status, _, body = c.linkedin_post(self.sb, self.acct, "Same thing")
        self.assertEqual(status, 422)
        self.assertEqual(body["errorDetails"]["inputErrors"][0]["code"], "DUPLICATE_POST")
        self.assertEqual(body["message"], "com.linkedin.content.common.exception.BadRequestResponseException: "
                         "Content is a duplicate of " + h1["x-restli-id"])

    def test_unescaped_reserved_character_truncates_what_readers_see(self):
        c.linkedin_post(self.sb, self.acct, "Growth (beta) is here")
        [post] = self.sb.posts("linkedin")
        self.assertEqual(post["visible_text"], "Growth ")
        self.assertEqual(post["little_text_problem"], "unescaped reserved character '(' at offset 7")

    def test_escaped_reserved_characters_render_literally(self):
        c.linkedin_post(self.sb, self.acct, r"Growth \(beta\) \#1 #launch")
        [post] = self.sb.posts("linkedin")
        self.assertEqual((post["visible_text"], post["little_text_problem"]), ("Growth (beta) #1 #launch", None))

    def test_commentary_over_3000_utf16_units_is_422(self):
        status, _, body = c.linkedin_post(self.sb, self.acct, "😀" * 1501)
        self.assertEqual(status, 422)
        self.assertEqual(body["errorDetails"]["inputErrors"][0]["code"], "MAX_LENGTH_EXCEEDED")
        status, _, _ = c.linkedin_post(self.sb, self.acct, "😀" * 1500)
        self.assertEqual(status, 201)


class FacebookApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("facebook", username="acme-page", display_name="Acme")

    def test_post_then_comment_is_read_back_as_one_thread(self):
        s1, _, b1 = c.facebook_post(self.sb, self.acct, "Part one")
        self.assertEqual(s1, 200)
        self.assertRegex(b1["id"], r"^%s_[0-9]+$" % self.acct["id"])
        s2, _, b2 = c.facebook_comment(self.sb, self.acct, b1["id"], "Part two")
        self.assertEqual(s2, 200)
        self.assertRegex(b2["id"], r"^%s_[0-9]+$" % b1["id"].split("_")[1])
        [thread] = self.sb.threads("facebook")
        self.assertEqual([(p["kind"], p["text"], p["parent_id"]) for p in thread["parts"]],
                         [("post", "Part one", None), ("comment", "Part two", b1["id"])])
        self.assertEqual(thread["parts"][0]["url"], "https://www.facebook.com/%s/posts/%s"
                         % (self.acct["id"], b1["id"].split("_")[1]))

    def test_photo_post_answers_photo_id_and_post_id_and_takes_comments(self):
        status, _, body = self.sb.call("POST", self.sb.url("facebook", "/v25.0/%s/photos" % self.acct["id"]),
                                       form={"url": self.sb.media_url("p.jpg"), "caption": "With a picture",
                                             "access_token": self.acct["token"]})
        self.assertEqual(status, 200)
        self.assertRegex(body["post_id"], r"^%s_[0-9]+$" % self.acct["id"])
        self.assertNotEqual(body["id"], body["post_id"])
        self.assertEqual(c.facebook_comment(self.sb, self.acct, body["post_id"], "Part two")[0], 200)
        [thread] = self.sb.threads("facebook")
        self.assertEqual([(p["text"], p.get("media_url")) for p in thread["parts"]],
                         [("With a picture", self.sb.media_url("p.jpg")), ("Part two", None)])

    def test_photo_from_an_unreachable_url_is_code_324(self):
        status, _, body = self.sb.call("POST", self.sb.url("facebook", "/v25.0/%s/photos" % self.acct["id"]),
                                       form={"url": self.sb.media_url("gone.tiff"), "caption": "x",
                                             "access_token": self.acct["token"]})
        self.assertEqual((status, body["error"]["code"], body["error"]["message"]),
                         (400, 324, "(#324) Missing or invalid image file"))
        self.assertEqual(self.sb.posts("facebook"), [])

    def test_unversioned_path_and_bearer_header_are_accepted(self):
        status, _, _ = self.sb.call("POST", self.sb.url("facebook", "/%s/feed" % self.acct["id"]),
                                    c.bearer(self.acct["token"]), json_body={"message": "json body"})
        self.assertEqual(status, 200)

    def test_usage_header_is_sent(self):
        _, headers, _ = c.facebook_post(self.sb, self.acct, "x")
        usage = json.loads(headers["x-business-use-case-usage"])
        self.assertEqual(usage[self.acct["id"]][0]["type"], "pages")

    def test_permalink_is_readable(self):
        _, _, b1 = c.facebook_post(self.sb, self.acct, "link me")
        status, _, body = self.sb.call("GET", self.sb.url("facebook", "/v25.0/%s?fields=permalink_url&access_token=%s"
                                                          % (b1["id"], self.acct["token"])))
        self.assertEqual((status, body["id"]), (200, b1["id"]))
        self.assertTrue(body["permalink_url"].startswith("https://www.facebook.com/"))

    def test_missing_token_is_code_104(self):
        status, _, body = self.sb.call("POST", self.sb.url("facebook", "/v25.0/%s/feed" % self.acct["id"]),
                                       form={"message": "x"})
        self.assertEqual(status, 400)
        self.assertEqual((body["error"]["code"], body["error"]["type"]), (104, "OAuthException"))

    def test_expired_token_is_code_190_subcode_463(self):
        self.sb.control("POST", "tokens", {"token": self.acct["token"], "state": "expired"})
        status, headers, body = c.facebook_post(self.sb, self.acct, "x")
        self.assertEqual(status, 400)
        self.assertEqual((body["error"]["code"], body["error"]["error_subcode"]), (190, 463))
        self.assertTrue(body["error"]["message"].startswith("Error validating access token: Session has expired"))
        self.assertIn("fbtrace_id", body["error"])
        self.assertTrue(headers["www-authenticate"].startswith('OAuth "Facebook Platform" "invalid_token"'))

    def test_consecutive_identical_post_is_506(self):
        c.facebook_post(self.sb, self.acct, "again")
        status, _, body = c.facebook_post(self.sb, self.acct, "again")
        self.assertEqual((status, body["error"]["code"], body["error"]["message"]),
                         (400, 506, "Duplicate status message"))

    def test_empty_message_is_code_100(self):
        status, _, body = c.facebook_post(self.sb, self.acct, "")
        self.assertEqual((status, body["error"]["message"]), (400, "(#100) Missing message or attachment"))

    def test_comment_on_unknown_post_is_code_100_subcode_33(self):
        status, _, body = c.facebook_comment(self.sb, self.acct, "1_2", "x")
        self.assertEqual((status, body["error"]["code"], body["error"]["error_subcode"]), (400, 100, 33))

    def test_posting_to_another_page_is_code_200(self):
        other = self.sb.add_account("facebook", username="other-page")
        status, _, body = self.sb.call("POST", self.sb.url("facebook", "/v25.0/%s/feed" % other["id"]),
                                       form={"message": "x", "access_token": self.acct["token"]})
        self.assertEqual((status, body["error"]["code"]), (403, 200))


if __name__ == "__main__":
    unittest.main()
