"""The sandbox's contract, part 8: malformed requests get the platform's error, never a sandbox crash.

Run from tests/e2e: python3 -m unittest -v test_sandbox_robustness
"""

import itertools
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402

BODIES = [None, b"", b"{}", b"[]", b"null", b'"x"', b"{bad", b'{"text":5}', b'{"status":null}', b'{"reply":5}',
          b'{"reply":{}}', b'{"record":5,"repo":5,"collection":5}',
          b'{"record":{"$type":"app.bsky.feed.post","text":5}}',
          b'{"record":{"$type":"app.bsky.feed.post","text":"a","createdAt":"x","facets":[5]}}',
          b'{"author":5,"visibility":5,"distribution":5,"lifecycleState":5,"commentary":5}',
          b'{"actor":5,"object":5,"message":5}', b'{"identifier":5,"password":5}',
          b"message=&caption=&media_type=CAROUSEL&children=,,&creation_id=abc&text=&reply_to_id=x&image_url=ftp://x",
          b"\xff\xfe"]
CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", None]


class Malformed(SandboxTestCase):
    def test_no_endpoint_answers_a_sandbox_internal_error(self):
        accts = {p: self.sb.add_account(p) for p in ("x", "linkedin", "facebook", "instagram", "threads", "mastodon",
                                                       "bluesky")}
        _, _, session = c.bluesky_login(self.sb, accts["bluesky"])
        page = accts["facebook"]["id"]
        paths = {
            "x": ["/2/tweets", "/2/users/me", "/2/users/1/tweets?max_results=abc", "/2/tweets/1"],
            "linkedin": ["/rest/posts", "/rest/socialActions/x/comments", "/v2/socialActions/urn%3Ali%3Ashare%3A1/comments",
                         "/v2/userinfo", "/rest/posts/x"],
            "facebook": ["/v25.0/%s/feed" % page, "/v25.0/%s/photos" % page, "/v25.0/1_2/comments", "/v25.0/me",
                         "/v25.0/123?fields=", "/v25.0/%s/feed?limit=x" % page],
            "instagram": ["/v25.0/me/media", "/v25.0/me/media_publish", "/v25.0/1/comments", "/v25.0/1",
                          "/v25.0/me/content_publishing_limit", "/v25.0/me/media?limit=x"],
            "threads": ["/v1.0/me/threads", "/v1.0/me/threads_publish", "/v1.0/1", "/v1.0/me/threads?limit=-1"],
            "mastodon": ["/api/v1/statuses", "/api/v1/statuses/1", "/api/v1/accounts/verify_credentials",
                         "/api/v1/accounts/1/statuses?limit=x", "/api/v2/instance"],
            "bluesky": ["/xrpc/com.atproto.repo.createRecord", "/xrpc/com.atproto.server.createSession",
                        "/xrpc/com.atproto.server.refreshSession",
                        "/xrpc/com.atproto.repo.listRecords?repo=%s&collection=x&limit=abc" % session["did"],
                        "/xrpc/com.atproto.repo.getRecord?repo=x&collection=y&rkey=z"],
        }
        tokens = {p: a.get("token") for p, a in accts.items()}
        tokens["bluesky"] = session["accessJwt"]
        failures = []
        for platform, plist in paths.items():
            for path, body, ct, method in itertools.product(plist, BODIES, CONTENT_TYPES, ("GET", "POST")):
                headers = {"Authorization": "Bearer " + tokens[platform]}
                if ct:
                    headers["Content-Type"] = ct
                if platform == "linkedin":
                    headers.update({"LinkedIn-Version": c.LINKEDIN_VERSION, "X-Restli-Protocol-Version": "2.0.0"})
                status, _, answer = self.sb.call(method, self.sb.url(platform, path), headers,
                                                 data=body if method == "POST" else None)
                if status >= 500:
                    failures.append((platform, method, path, ct, body, status, answer))
        self.assertEqual(failures, [])
        self.assertEqual(self.sb.stderr_text(), "")


if __name__ == "__main__":
    unittest.main()
