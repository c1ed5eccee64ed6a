"""growthctl preview: the real binary, offline (no daemon)."""
import json
import os
import pty
import select
import subprocess
import tempfile
import unittest

GROWTHCTL = os.environ.get("GROWTHCTL", "growthctl")


def run(args, stdin=b"", env=None):
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    p = subprocess.run([GROWTHCTL] + args, input=stdin, capture_output=True, env=e, timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def run_tty(args, env=None):
    """Runs with stdout on a pseudo-terminal; returns everything written to it."""
    e = dict(os.environ)
    e.pop("NO_COLOR", None)
    if env:
        e.update(env)
    master, slave = pty.openpty()
    p = subprocess.Popen([GROWTHCTL] + args, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=e)
    os.close(slave)
    out = b""
    while True:
        r, _, _ = select.select([master], [], [], 10)
        if not r:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=30)
    os.close(master)
    return out.decode("utf-8")


class PreviewJson(unittest.TestCase):
    def test_exact_json_shape_for_one_platform(self):
        code, out, err = run(["preview", "-p", "x", "--json", "Hello https://example.com"])
        self.assertEqual(code, 0, err)
        self.assertEqual(out, '{"platforms":[{"platform":"x","limit":280,"continuation":"reply",'
                              '"parts":[{"index":1,"text":"Hello https://example.com","length":29}]}]}\n')

    def test_global_json_flag_works_too(self):
        code, out, _ = run(["--json", "preview", "-p", "bluesky", "hi"])
        self.assertEqual(code, 0)
        self.assertEqual(json.loads(out)["platforms"][0]["platform"], "bluesky")

    def test_all_seven_platforms_when_none_given(self):
        code, out, _ = run(["preview", "--json", "hi"])
        self.assertEqual(code, 0)
        doc = json.loads(out)
        self.assertEqual([p["platform"] for p in doc["platforms"]],
                         ["x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"])
        self.assertEqual([p["limit"] for p in doc["platforms"]], [280, 3000, 63206, 2200, 500, 500, 300])
        self.assertEqual([p["continuation"] for p in doc["platforms"]],
                         ["reply", "comment", "comment", "comment", "reply", "reply", "reply"])

    def test_x_length_is_the_weighted_length(self):
        code, out, _ = run(["preview", "-p", "x", "--json", "日本 😀 example.com"])
        self.assertEqual(json.loads(out)["platforms"][0]["parts"][0]["length"], 4 + 1 + 2 + 1 + 23)

    def test_no_split_adds_valid_true(self):
        code, out, _ = run(["preview", "-p", "x", "--no-split", "--json", "short"])
        self.assertEqual(code, 0)
        self.assertEqual(out, '{"platforms":[{"platform":"x","limit":280,"continuation":"reply","valid":true,'
                              '"parts":[{"index":1,"text":"short","length":5}]}]}\n')

    def test_no_split_adds_valid_false_when_over(self):
        code, out, _ = run(["preview", "-p", "x", "--no-split", "--json", "a" * 281])
        self.assertEqual(code, 0)
        entry = json.loads(out)["platforms"][0]
        self.assertIs(entry["valid"], False)
        self.assertEqual(len(entry["parts"]), 1)
        self.assertEqual(entry["parts"][0]["length"], 281)

    def test_long_text_splits_with_numbering(self):
        text = " ".join(["word"] * 150)  # 749 characters
        code, out, _ = run(["preview", "-p", "x", "--numbering", "1/n", "--json", text])
        self.assertEqual(code, 0)
        parts = json.loads(out)["platforms"][0]["parts"]
        self.assertEqual(len(parts), 3)
        for i, part in enumerate(parts, 1):
            self.assertTrue(part["text"].endswith(" %d/3" % i))
            self.assertLessEqual(part["length"], 280)
        bodies = [p["text"].rsplit(" ", 1)[0] for p in parts]
        self.assertEqual(" ".join(bodies), text)

    def test_thread_emoji_numbering(self):
        code, out, _ = run(["preview", "-p", "mastodon", "--numbering", "🧵 1/n", "--json", " ".join(["w"] * 300)])
        parts = json.loads(out)["platforms"][0]["parts"]
        self.assertTrue(parts[0]["text"].endswith(" 🧵 1/2"))

    def test_mastodon_limit_option(self):
        code, out, _ = run(["preview", "-p", "mastodon", "--mastodon-limit", "100", "--json", " ".join(["word"] * 50)])
        entry = json.loads(out)["platforms"][0]
        self.assertEqual(entry["limit"], 100)
        self.assertEqual(len(entry["parts"]), 3)

    def test_explicit_break_marker(self):
        code, out, _ = run(["preview", "-p", "x", "--json", "one\n---\ntwo"])
        self.assertEqual([p["text"] for p in json.loads(out)["platforms"][0]["parts"]], ["one", "two"])


class PreviewInput(unittest.TestCase):
    def test_reads_a_file(self):
        with tempfile.NamedTemporaryFile("wb", suffix=".txt", delete=False) as f:
            f.write("from a file\n".encode())
        try:
            code, out, _ = run(["preview", "-p", "x", "--json", "-f", f.name])
            self.assertEqual(json.loads(out)["platforms"][0]["parts"][0]["text"], "from a file")
        finally:
            os.unlink(f.name)

    def test_reads_stdin_with_dash(self):
        code, out, _ = run(["preview", "-p", "x", "--json", "-"], stdin="from stdin".encode())
        self.assertEqual(json.loads(out)["platforms"][0]["parts"][0]["text"], "from stdin")

    def test_reads_stdin_when_it_is_not_a_terminal(self):
        code, out, _ = run(["preview", "-p", "x", "--json"], stdin=b"piped")
        self.assertEqual(json.loads(out)["platforms"][0]["parts"][0]["text"], "piped")


class PreviewHuman(unittest.TestCase):
    def test_shows_counts_against_the_limit_without_colour_when_piped(self):
        code, out, _ = run(["preview", "-p", "x", "hello"])
        self.assertEqual(code, 0)
        self.assertEqual(out, "x: 1 post; limit 280 weighted characters\n--- 1/1 post (5/280)\nhello\n")

    def test_over_limit_is_flagged(self):
        code, out, _ = run(["preview", "-p", "x", "--no-split", "a" * 290])
        self.assertIn("--- 1/1 post (290/280)  over the limit by 10\n", out)

    def test_comment_continuation_is_named(self):
        code, out, _ = run(["preview", "-p", "linkedin", "--mastodon-limit", "500", "x" * 10])
        self.assertIn("linkedin: 1 post; limit 3000 UTF-16 characters", out)
        code, out, _ = run(["preview", "-p", "instagram", " ".join(["#t%d" % i for i in range(40)])])
        self.assertIn("2 parts, the first a post, the rest comments on it", out)
        self.assertIn("--- 2/2 comment", out)

    def test_colour_on_a_terminal(self):
        out = run_tty(["preview", "-p", "x", "--no-split", "a" * 290])
        self.assertIn("\x1b[1;31m--- 1/1 post (290/280)  over the limit by 10\x1b[0m", out)

    def test_no_colour_with_NO_COLOR(self):
        out = run_tty(["preview", "-p", "x", "--no-split", "a" * 290], env={"NO_COLOR": "1"})
        self.assertNotIn("\x1b[", out)
        self.assertIn("over the limit by 10", out)


class PreviewErrors(unittest.TestCase):
    def check_error(self, args, line, stdin=b""):
        code, out, err = run(args, stdin=stdin)
        self.assertEqual(code, 2)
        self.assertEqual(out, "")
        self.assertEqual(err, "growthctl: error: " + line + "\n")

    def test_unknown_platform_with_suggestion(self):
        self.check_error(["preview", "-p", "blusky", "hi"],
                         'unknown platform "blusky" (did you mean "bluesky"?); platforms: x, linkedin, facebook, '
                         'instagram, threads, mastodon, bluesky')

    def test_twitter_suggests_x(self):
        self.check_error(["preview", "-p", "twitter", "hi"],
                         'unknown platform "twitter" (did you mean "x"?); platforms: x, linkedin, facebook, '
                         'instagram, threads, mastodon, bluesky')

    def test_unreadable_file(self):
        self.check_error(["preview", "-f", "/nonexistent/post.txt"],
                         "cannot read -f /nonexistent/post.txt: No such file or directory")

    def test_invalid_utf8(self):
        self.check_error(["preview", "-p", "x", "-"], "invalid UTF-8 at byte offset 4", stdin=b"abc \xff def")

    def test_empty_text(self):
        self.check_error(["preview", "-p", "x", "  \n "], "the text is empty")

    def test_unknown_numbering(self):
        self.check_error(["preview", "--numbering", "roman", "hi"],
                         'unknown numbering "roman"; use none, 1/n, (1/n) or "🧵 1/n"')

    def test_bad_mastodon_limit(self):
        self.check_error(["preview", "--mastodon-limit", "lots", "hi"],
                         '--mastodon-limit must be a whole number from 1 to 1000000, not "lots"')

    def test_unsplittable_link(self):
        url = "https://example.com/" + "a" * 400
        self.check_error(["preview", "-p", "bluesky", "see " + url],
                         'bluesky: "https://example.com/aaaaaaaaaaaaaaaaa..." cannot be split and does not fit in '
                         'one part (bluesky allows 300 graphemes and 3000 bytes per part)')

    def test_text_and_file_together(self):
        self.check_error(["preview", "-f", "x.txt", "hi"], "give the text either as an argument or with -f, not both")


if __name__ == "__main__":
    unittest.main()
