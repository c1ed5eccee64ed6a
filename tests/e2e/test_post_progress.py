"""growthctl post and retry on a terminal: the id first, progress per target in place, and Ctrl-C
leaving the post to growthd (exit 130); on a pipe none of it, and no polling.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_post_progress
"""

import json
import os
import pty
import re
import select
import signal
import subprocess
import time
import unittest

import harness
import post_support as ps

ID_LINE = re.compile(rb"post (\S+): publishing to (\d+) accounts? \(Ctrl-C leaves it to growthd\)\r\n")


class Terminal:
    """growthctl with a pseudo-terminal as stdin, stdout and stderr; collects what it writes."""

    def __init__(self, argv, env):
        master, slave = pty.openpty()
        self.proc = subprocess.Popen(argv, env=env, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        self.master = master
        self.output = b""

    def read(self, until=None, timeout=30):
        """Reads until `until(output)` is true, or until growthctl has exited and all is read."""
        deadline = time.monotonic() + timeout
        while not (until and until(self.output)):
            if time.monotonic() > deadline:
                self.proc.kill()
                raise AssertionError(f"timed out; growthctl wrote {self.output!r}")
            ready, _, _ = select.select([self.master], [], [], 0.05)
            chunk = b""
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # EIO: every writer has closed the terminal
                    pass
            self.output += chunk
            if not chunk and self.proc.poll() is not None:
                break
        return self.output

    def finish(self, timeout=30):
        self.read(timeout=timeout)
        code = self.proc.wait(timeout=timeout)
        os.close(self.master)
        return code


class PostProgress(ps.PostTestCase):
    def terminal(self, *args, term="xterm"):
        return Terminal([harness.GROWTHCTL, "post", "--media-url", self.sb.media_url(ps.MEDIA), *args],
                        self.sandbox.env(TERM=term))

    def settled(self, post_id):
        r = self.ctl("show", post_id, "--json")
        return r.returncode == 0 and json.loads(r.stdout)

    def test_terminal_shows_the_id_then_progress_then_the_report(self):
        self.add_account("x")
        self.add_account("bluesky")
        self.sb.fault("x", "stall", endpoint="create_post", nth=2, seconds=1.5)
        t = self.terminal("--to", "x", "--to", "bluesky", ps.long_text(3))
        self.assertEqual(t.finish(), 0, t.output)
        out = t.output
        m = ID_LINE.search(out)
        self.assertIsNotNone(m, out)
        self.assertEqual(m.group(2), b"2")
        post_id = m.group(1).decode()
        progress = out.find(b"\r\x1b[K  x (x): 1/3 published, sending part 2\r\n")
        report = out.find(f"post {post_id}: published\r\n".encode())
        self.assertTrue(0 <= m.start() < progress < report, out)
        # The progress is erased before the report.
        self.assertIn(b"\x1b[J", out[progress:report])
        j = self.settled(post_id)
        self.assert_thread(j, "x", 3)
        self.assert_thread(j, "bluesky", 3)

    def test_json_on_a_terminal_keeps_stdout_one_object_with_the_id_first(self):
        self.add_account("x")
        t = self.terminal("--json", "--to", "x", "Short one.")
        self.assertEqual(t.finish(), 0, t.output)
        m = ID_LINE.search(t.output)
        self.assertIsNotNone(m, t.output)
        last = t.output.rstrip(b"\r\n").split(b"\r\n")[-1]
        j = json.loads(last[last.index(b"{"):])  # after the escapes that erased the progress
        self.assertEqual(list(j)[0], "id")
        self.assertEqual(j["id"], m.group(1).decode())
        self.assertEqual(j["state"], "published")

    def test_dumb_terminal_gets_the_id_but_no_progress(self):
        self.add_account("x")
        self.sb.fault("x", "stall", endpoint="create_post", nth=2, seconds=1)
        t = self.terminal("--to", "x", ps.long_text(2), term="dumb")
        self.assertEqual(t.finish(), 0, t.output)
        self.assertIsNotNone(ID_LINE.search(t.output), t.output)
        self.assertNotIn(b"\x1b", t.output)

    def test_pipe_gets_no_id_line_no_progress_and_growthctl_does_not_poll(self):
        self.add_account("x")
        self.sb.fault("x", "stall", endpoint="create_post", nth=2, seconds=1)
        r = self.ctl("-v", "post", "--to", "x", ps.long_text(3), timeout=30)
        self.assertEqual(r.returncode, 0, r)
        sent = [json.loads(line[2:])["method"] for line in r.stderr.splitlines() if line.startswith("> ")]
        self.assertEqual(sent, ["post.publish", "post.wait"])
        traced = [line for line in r.stderr.splitlines() if not line.startswith(("> ", "< "))]
        self.assertEqual(traced, [])
        self.assertRegex(r.stdout, r"\Apost \S+: published\n  x \(x\): published, 3 parts\n")
        self.assertNotIn("\x1b", r.stdout + r.stderr)

    def test_ctrl_c_on_a_terminal_leaves_the_post_to_growthd_and_exits_130(self):
        self.add_account("x")
        self.sb.fault("x", "stall", endpoint="create_post", nth=2, seconds=2)
        t = self.terminal("--to", "x", ps.long_text(4))
        t.read(until=lambda out: b"1/4 published, sending part 2" in out)
        post_id = ID_LINE.search(t.output).group(1).decode()
        t.proc.send_signal(signal.SIGINT)
        self.assertEqual(t.finish(), 130, t.output)
        self.assertTrue(t.output.endswith(
            f"growthctl: interrupted; post {post_id} goes on publishing in growthd\r\n"
            f"hint: growthctl show {post_id} tells how it went\r\n".encode()), t.output)
        j = harness.wait_for(lambda: (lambda v: v if v and v["state"] == "published" else None)(
            self.settled(post_id)), timeout=30, what="the post to be published by growthd")
        self.assert_thread(j, "x", 4)

    def test_ctrl_c_on_a_pipe_names_the_post_too(self):
        self.add_account("x")
        self.sb.fault("x", "stall", endpoint="create_post", nth=2, seconds=2)
        proc = subprocess.Popen([harness.GROWTHCTL, "post", "--to", "x", ps.long_text(3)],
                                env=self.sandbox.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        harness.wait_for(lambda: len(self.sb.requests("x", endpoint="create_post")) >= 2,
                         what="part 2 to be on the wire")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 130, (out, err))
        self.assertEqual(out, "")
        m = re.fullmatch(r"growthctl: interrupted; post (\S+) goes on publishing in growthd\n"
                         r"hint: growthctl show (\S+) tells how it went\n", err)
        self.assertIsNotNone(m, err)
        self.assertEqual(m.group(1), m.group(2))
        j = harness.wait_for(lambda: (lambda v: v if v and v["state"] == "published" else None)(
            self.settled(m.group(1))), timeout=30, what="the post to be published by growthd")
        self.assert_thread(j, "x", 3)


if __name__ == "__main__":
    unittest.main()


class RetryProgress(ps.PostTestCase):
    """retry is followed like post: it starts the targets at once (post.retry with wait=false)."""

    def unfinished(self, parts):
        """A mastodon post whose part 2 is in retry_wait after a rate limit that resets late."""
        self.add_account("mastodon")
        self.sb.fault("mastodon", "rate_limit", endpoint="create_post", nth=2, reset_after=600)
        r, j = self.post("--to", "mastodon", ps.long_text(parts))
        self.assertEqual(r.returncode, 4, r)
        return j["id"]

    def test_retry_on_a_terminal_shows_the_id_then_progress_and_ctrl_c_leaves_it_to_growthd(self):
        post_id = self.unfinished(4)
        self.sb.fault("mastodon", "stall", endpoint="create_post", nth=2, seconds=2)
        t = Terminal([harness.GROWTHCTL, "retry", post_id], self.sandbox.env(TERM="xterm"))
        t.read(until=lambda out: b"2/4 published, sending part 3" in out)
        m = ID_LINE.search(t.output)
        self.assertIsNotNone(m, t.output)
        self.assertEqual(m.group(1).decode(), post_id)
        t.proc.send_signal(signal.SIGINT)
        self.assertEqual(t.finish(), 130, t.output)
        self.assertTrue(t.output.endswith(
            f"growthctl: interrupted; post {post_id} goes on publishing in growthd\r\n"
            f"hint: growthctl show {post_id} tells how it went\r\n".encode()), t.output)
        j = harness.wait_for(lambda: (lambda r: json.loads(r.stdout) if r.returncode == 0 else None)(
            self.ctl("show", post_id, "--json")), timeout=30, what="growthd to finish the thread")
        self.assert_thread(j, "mastodon", 4)

    def test_retry_on_a_pipe_starts_then_waits_in_one_deferred_call(self):
        post_id = self.unfinished(3)
        r = self.ctl("-v", "retry", post_id, timeout=30)
        self.assertEqual(r.returncode, 0, r)
        sent = [json.loads(line[2:])["method"] for line in r.stderr.splitlines() if line.startswith("> ")]
        self.assertEqual(sent, ["post.retry", "post.wait"])
        self.assertRegex(r.stdout, r"\Apost \S+: published\n  mastodon \(mastodon\): published, 3 parts\n")

    def test_retry_no_wait_returns_once_started(self):
        post_id = self.unfinished(3)
        self.sb.fault("mastodon", "stall", endpoint="create_post", nth=1, seconds=2)
        r = self.ctl("retry", "--no-wait", post_id, timeout=30)
        self.assertEqual((r.returncode, r.stderr), (0, ""), r)
        self.assertEqual(r.stdout, f"post {post_id}: being published; growthctl show {post_id} tells how it went\n")
        j = harness.wait_for(lambda: (lambda r: json.loads(r.stdout) if r.returncode == 0 else None)(
            self.ctl("show", post_id, "--json")), timeout=30, what="growthd to finish the thread")
        self.assert_thread(j, "mastodon", 3)
