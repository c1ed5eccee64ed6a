"""The sandbox's contract, part 6: how its servers count text, and the limits they enforce.

Run from tests/e2e: python3 -m unittest -v test_sandbox_counting
"""

import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "sandbox"))

import clients as c  # noqa: E402
from harness import SandboxTestCase  # noqa: E402
from sbx import text  # noqa: E402

SOURCE = os.environ.get("GROWTH_SOURCE_DIR") or os.path.join(HERE, "..", "..")
CASES = os.path.join(SOURCE, "..", "shared", "specs", "twitter-text-cases.jsonl")
FAMILY = "\U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466"


class XWeightedLength(unittest.TestCase):
    def test_every_v3_conformance_case_matches_twitter_text(self):
        with open(CASES, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f if line.strip()]
        v3 = [k for k in cases if k["config"] == "v3"]
        self.assertGreaterEqual(len(v3), 20)
        for case in v3:
            with self.subTest(case["description"]):
                self.assertEqual(text.x_weighted_length(case["text"]), case["expected_weighted_length"])

    def test_bare_domain_counts_at_most_23(self):
        self.assertEqual(text.x_weighted_length("example.com"), 11)
        self.assertEqual(text.x_weighted_length("averyveryveryverylongdomainname.com/path"), 23)

    def test_ellipsis_and_bullet_weigh_two(self):
        self.assertEqual(text.x_weighted_length("a\u2026\u2022"), 5)


class Graphemes(unittest.TestCase):
    def test_clusters(self):
        cases = {"e\u0301": 1, FAMILY: 1, "\U0001F1EB\U0001F1F7\U0001F1E9\U0001F1EA": 2, "1\uFE0F\u20E3": 1,
                 "\U0001F44B\U0001F3FD": 1, "\u1100\u1161\u11A8": 1, "\uAC01": 1, "\r\n": 1, "a\u200Db": 2,
                 "\U0001F3F4\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F": 1, "abc": 3}
        for s, n in cases.items():
            with self.subTest(s=s):
                self.assertEqual(text.grapheme_count(s), n)

    def test_mastodon_length_rewrites_urls_and_remote_mentions(self):
        self.assertEqual(text.mastodon_length("see https://example.com/" + "x" * 100), 4 + 23)
        self.assertEqual(text.mastodon_length("hi @bob@example.social"), 3 + 4)
        self.assertEqual(text.mastodon_length("body", spoiler_text="cw"), 6)
        self.assertEqual(text.mastodon_length("example.com"), 11)

    def test_threads_length_weighs_emoji_by_utf8_bytes(self):
        self.assertEqual(text.threads_length("ab\U0001F600"), 6)
        self.assertEqual(text.threads_length(FAMILY), len(FAMILY.encode("utf-8")))
        self.assertEqual(text.threads_length("e\u0301"), 1)
        self.assertEqual(text.threads_length("\u00b0\u00a9"), 2)             # symbols, not emoji
        self.assertEqual(text.threads_length("\u2764\ufe0f"), 6)              # emoji presentation


class ServerLimits(SandboxTestCase):
    def test_x_accepts_280_weighted_and_refuses_281(self):
        acct = self.sb.add_account("x")
        self.assertEqual(c.x_post(self.sb, acct, "a" * 280)[0], 201)
        status, _, body = c.x_post(self.sb, acct, "b" * 281)
        self.assertEqual((status, body["title"]), (403, "Forbidden"))
        self.assertTrue(body["detail"].startswith("Your Tweet text is too long."))

    def test_x_counts_cjk_as_two(self):
        acct = self.sb.add_account("x")
        self.assertEqual(c.x_post(self.sb, acct, "\u4e00" * 140)[0], 201)
        self.assertEqual(c.x_post(self.sb, acct, "\u4e01" * 141)[0], 403)

    def test_x_counts_a_url_as_23(self):
        acct = self.sb.add_account("x")
        url = "https://example.com/" + "p" * 60
        self.assertEqual(c.x_post(self.sb, acct, "a" * 256 + " " + url)[0], 201)
        self.assertEqual(c.x_post(self.sb, acct, "b" * 257 + " " + url)[0], 403)

    def test_x_counts_an_emoji_sequence_as_two(self):
        acct = self.sb.add_account("x")
        self.assertEqual(c.x_post(self.sb, acct, FAMILY * 140)[0], 201)

    def test_x_refuses_noncharacters(self):
        acct = self.sb.add_account("x")
        status, _, body = c.x_post(self.sb, acct, "bad \uFFFE")
        self.assertEqual((status, body["errors"][0]["message"]), (400, "$.text: contains invalid characters"))

    def test_facebook_refuses_a_message_over_63206_characters(self):
        acct = self.sb.add_account("facebook")
        self.assertEqual(c.facebook_post(self.sb, acct, "a" * 63206)[0], 200)
        status, _, body = c.facebook_post(self.sb, acct, "b" * 63207)
        self.assertEqual((status, body["error"]["code"]), (400, 100))


if __name__ == "__main__":
    unittest.main()
