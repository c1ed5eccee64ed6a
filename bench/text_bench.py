#!/usr/bin/env python3
"""X counting and splitting throughput: growth versus twitter-text's parseTweet, same corpus, same run.

Usage: bench/text_bench.py [BUILD_DIR]   (default: build; needs BUILD_DIR/text_bench, node and npm)
Prints MB/s for each and the ratio. The checksums (sum of weighted lengths) must agree.
"""
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
oracle = os.path.join(root, "tests", "oracle")
if not os.path.exists(os.path.join(oracle, "node_modules", "twitter-text")):
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=oracle, check=True)

ok = True
for kind, title in (("posts", "everyday posts: prose in eight scripts with links, emoji, mentions, tags"),
                    ("stress", "dense mix: a URL, emoji or entity in every other token")):
    with tempfile.TemporaryDirectory() as tmp:
        corpus = os.path.join(tmp, "corpus.jsonl")
        js = os.path.join(root, "bench", "text_bench.js")
        subprocess.run(["node", js, "make", corpus, kind], check=True)
        ours = json.loads(subprocess.run([os.path.join(build, "text_bench"), corpus], check=True,
                                         capture_output=True).stdout)
        theirs = json.loads(subprocess.run(["node", js, "run", corpus], check=True, capture_output=True).stdout)
    print("== %s corpus: %.2f MB in %d posts (%s)" % (kind, ours["bytes"] / 1e6, ours["posts"], title))
    print("twitter-text parseTweet : %8.1f MB/s" % theirs["count_mb_s"])
    print("growth x_length         : %8.1f MB/s   (%.1fx twitter-text)" %
          (ours["count_mb_s"], ours["count_mb_s"] / theirs["count_mb_s"]))
    print("growth split, X, 1/n    : %8.1f MB/s   (%d parts from the whole corpus as one text)" %
          (ours["split_x_mb_s"], ours["split_x_parts"]))
    print("growth split, Bluesky   : %8.1f MB/s   (%d parts)" % (ours["split_bluesky_mb_s"], ours["split_bluesky_parts"]))
    same = ours["checksum"] == theirs["checksum"]
    ok = ok and same
    print("checksum (sum of weighted lengths): growth %d, twitter-text %d: %s" %
          (ours["checksum"], theirs["checksum"], "same" if same else "DIFFERENT"))
sys.exit(0 if ok else 1)
