#!/usr/bin/env python3
"""Counting and splitting throughput, side by side per platform, and X counting versus
twitter-text's parseTweet, on the same corpora in the same run.

Usage: bench/text_bench.py [BUILD_DIR] [PLATFORM]   (default: build, every platform; needs
BUILD_DIR/text_bench, node and npm). For each of two ~1 MB corpora, prints per platform:
  count   MB/s of measure() over the corpus's posts one by one (what `preview --no-split` does)
  split   MB/s of split_text() on the whole corpus as one text, bare, and numbered "k/n"
  ratio   split / count (the target is at least 0.5: splitting at least half as fast as counting)
The X checksums (sum of weighted lengths) of growth and twitter-text must agree.
"""
import json
import os
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build")
only = sys.argv[2:3]
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
        ours = json.loads(subprocess.run([os.path.join(build, "text_bench"), corpus] + only, check=True,
                                         capture_output=True).stdout)
        theirs = json.loads(subprocess.run(["node", js, "run", corpus], check=True, capture_output=True).stdout)
    print("== %s corpus: %.2f MB in %d posts (%s)" % (kind, ours["bytes"] / 1e6, ours["posts"], title))
    if not only:
        print("twitter-text parseTweet : %8.1f MB/s" % theirs["count_mb_s"])
        print("growth x_length         : %8.1f MB/s   (%.1fx twitter-text)" %
              (ours["count_mb_s"], ours["count_mb_s"] / theirs["count_mb_s"]))
    print("%-10s %10s %10s %7s %6s %12s %7s %6s" %
          ("platform", "count MB/s", "split MB/s", "parts", "ratio", "split 1/n", "parts", "ratio"))
    for r in ours["platforms"]:
        print("%-10s %10.1f %10.1f %7d %6.2f %12.1f %7d %6.2f" %
              (r["platform"], r["count_mb_s"], r["split_mb_s"], r["split_parts"], r["split_mb_s"] / r["count_mb_s"],
               r["split_numbered_mb_s"], r["split_numbered_parts"], r["split_numbered_mb_s"] / r["count_mb_s"]))
    same = ours["checksum"] == theirs["checksum"]
    ok = ok and same
    print("checksum (sum of weighted lengths): growth %d, twitter-text %d: %s" %
          (ours["checksum"], theirs["checksum"], "same" if same else "DIFFERENT"))
sys.exit(0 if ok else 1)
