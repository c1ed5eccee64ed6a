"""Differential test: growthctl's X count against the npm twitter-text package itself.

Installs the pinned twitter-text (tests/oracle/package-lock.json) with `npm ci`, generates a few
thousand strings (tests/oracle/corpus.js: mixed scripts, CJK, emoji ZWJ sequences and skin tones,
combining marks, URLs with and without protocol, mentions, hashtags, cashtags) and checks that
`growthctl preview --no-split --json -p x` reports twitter-text's parseTweet weightedLength and
validity for every one. If node or npm is missing the tests are skipped with a loud message.
"""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import unittest

GROWTHCTL = os.environ.get("GROWTHCTL", "growthctl")
SOURCE = os.environ.get("GROWTH_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
ORACLE = os.path.join(SOURCE, "tests", "oracle")
# growthctl trims the text it previews (as the splitter does); compare like with like.
TRIM = " \t\n\v\f\r"


def node_available():
    return shutil.which("node") is not None and shutil.which("npm") is not None


def ensure_oracle():
    marker = os.path.join(ORACLE, "node_modules", "twitter-text", "package.json")
    if not os.path.exists(marker):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=ORACLE, check=True,
                       timeout=600)


def node(script, *args, stdin=None):
    p = subprocess.run(["node", os.path.join(ORACLE, script)] + [str(a) for a in args], input=stdin,
                       capture_output=True, check=True, timeout=600)
    return p.stdout.decode("utf-8")


def growth_x(text):
    p = subprocess.run([GROWTHCTL, "preview", "--no-split", "--json", "-p", "x", "-"], input=text.encode("utf-8"),
                       capture_output=True, timeout=60)
    if p.returncode != 0:
        return ("error", p.stderr.decode())
    entry = json.loads(p.stdout)["platforms"][0]
    return (entry["parts"][0]["length"], entry["valid"])


class TwitterTextDifferential(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not node_available():
            sys.stderr.write("\n*** SKIPPED: node/npm not found; the twitter-text differential test did NOT run ***\n")
            raise unittest.SkipTest("node/npm not available")
        ensure_oracle()

    def compare(self, seed, count, max_tokens):
        lines = [l for l in node("corpus.js", seed, count, max_tokens).split("\n") if l]
        texts = [json.loads(l).strip(TRIM) for l in lines]
        texts = [t for t in texts if t]
        oracle_in = "\n".join(json.dumps(t) for t in texts) + "\n"
        expected = []
        for line in [l for l in node("parse_tweet.js", stdin=oracle_in.encode()).split("\n") if l]:
            length, valid = line.split()
            expected.append((int(length), valid == "true"))
        self.assertEqual(len(expected), len(texts))
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            got = list(pool.map(growth_x, texts))
        mismatches = [(t, e, g) for t, e, g in zip(texts, expected, got) if e != g]
        for t, e, g in mismatches[:5]:
            print("MISMATCH twitter-text=%r growth=%r text=%r" % (e, g, t))
        self.assertEqual(len(mismatches), 0, "%d of %d differ" % (len(mismatches), len(texts)))
        return len(texts)

    def test_short_mixed_strings(self):
        self.assertGreater(self.compare(seed=1, count=2500, max_tokens=12), 2000)

    def test_long_mixed_strings(self):
        self.assertGreater(self.compare(seed=2, count=1500, max_tokens=80), 1000)

    def test_invalid_utf8_is_rejected_not_counted(self):
        p = subprocess.run([GROWTHCTL, "preview", "--no-split", "--json", "-p", "x", "-"], input=b"ok \xe2\x28\xa1",
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stderr.decode(), "growthctl: error: invalid UTF-8 at byte offset 3\n")


if __name__ == "__main__":
    unittest.main()
