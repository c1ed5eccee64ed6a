"""Every way a post's text enters growth refuses what it must before anything is stored: text that
is not UTF-8 (the argument, -f FILE, standard input, and a raw post.publish over the socket), a
text over limits.max_post_bytes, and a thread over limits.max_parts; each with its exact error,
exit 2, no post in the store and no request to the platform. `preview` says the same.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_post_input
"""

import json
import os
import subprocess

import harness
import post_support as ps

BAD = b"ok \xc3\x28 bad"  # byte 3 starts a two-byte sequence that '(' does not continue


class PostInput(ps.PostTestCase):
    def setUp(self):
        super().setUp()
        self.add_account("x")

    def ctl_bytes(self, *args, input=None):
        """growthctl with bytes arguments and standard input; returns (rc, stdout, stderr) as str."""
        p = subprocess.run([harness.GROWTHCTL.encode()] + [a if isinstance(a, bytes) else a.encode() for a in args],
                           env=self.sandbox.env(), input=input if input is not None else b"",
                           capture_output=True, timeout=harness.DEFAULT_TIMEOUT)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def assert_nothing_stored(self):
        status = json.loads(self.ctl("status", "--json").stdout)
        self.assertEqual(status["counts"]["posts"], 0)
        self.assertEqual(self.sb.requests("x"), [])

    def write(self, name, data):
        path = os.path.join(self.sandbox.root, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    # -- invalid UTF-8 ---------------------------------------------------------------------------
    def test_invalid_utf8_argument_is_refused(self):
        rc, out, err = self.ctl_bytes("post", "--to", "x", BAD)
        self.assertEqual((rc, out, err), (2, "", "growthctl: error: invalid UTF-8 at byte offset 3\n"))
        self.assert_nothing_stored()

    def test_invalid_utf8_in_any_other_argument_is_refused_naming_it(self):
        # Not only the text: every argument growthctl sends is checked, exit 2, nothing sent.
        for args, where in (((b"post", b"--to", b"x\xff", b"hello"), "to[0]"),
                            ((b"post", b"--to", b"x", b"--numbering", b"1/n\xc3", b"hello"), "numbering"),
                            ((b"show", b"p\xc3\x28"), "id"),
                            ((b"retry", b"p\xc3\x28"), "id"),
                            ((b"account", b"show", b"w\xe2\x82"), "name")):
            rc, out, err = self.ctl_bytes(*args)
            self.assertEqual(rc, 2, (args, err))
            self.assertRegex(err, rf"^growthctl: error: {where.replace('[', '[[]')}: invalid UTF-8 at byte offset \d+\n$")
        self.assert_nothing_stored()

    def test_invalid_utf8_file_is_refused_naming_the_file(self):
        path = self.write("bad.txt", BAD)
        rc, out, err = self.ctl_bytes("post", "--to", "x", "-f", path)
        self.assertEqual((rc, out, err), (2, "", f"growthctl: error: {path}: invalid UTF-8 at byte offset 3\n"))
        self.assert_nothing_stored()

    def test_invalid_utf8_on_standard_input_is_refused(self):
        for args in (("post", "--to", "x"), ("post", "--to", "x", "-"), ("post", "--to", "x", "-f", "-")):
            rc, out, err = self.ctl_bytes(*args, input=BAD)
            self.assertEqual((rc, out, err), (2, "", "growthctl: error: invalid UTF-8 at byte offset 3\n"), args)
        self.assert_nothing_stored()

    def test_preview_refuses_the_same_way_from_every_source(self):
        path = self.write("bad.txt", BAD)
        self.assertEqual(self.ctl_bytes("preview", BAD), (2, "", "growthctl: error: invalid UTF-8 at byte offset 3\n"))
        self.assertEqual(self.ctl_bytes("preview", "-f", path),
                         (2, "", f"growthctl: error: {path}: invalid UTF-8 at byte offset 3\n"))
        self.assertEqual(self.ctl_bytes("preview", input=BAD), (2, "", "growthctl: error: invalid UTF-8 at byte offset 3\n"))

    def test_raw_invalid_utf8_over_the_socket_is_a_parse_error_naming_the_offset(self):
        c = self.sandbox.connect()
        line = b'{"jsonrpc":"2.0","id":1,"method":"post.publish","params":{"to":["x"],"text":"' + BAD + b'"}}\n'
        c.send(line)
        self.assertEqual(c.recv_line(), b'{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"invalid UTF-8 '
                                        b'at byte offset 80 of the request line","data":{"kind":"parse_error"}}}')
        self.assertEqual(line.index(b"\xc3"), 80)
        # A lone surrogate written as an escape is not UTF-8 either: still a parse error.
        c.send(b'{"jsonrpc":"2.0","id":2,"method":"post.publish","params":{"to":["x"],"text":"ok \\ud800 bad"}}\n')
        reply = c.recv_json()
        self.assertEqual(reply["error"]["code"], -32700)
        self.assertEqual(reply["error"]["data"], {"kind": "parse_error"})
        self.assertIn("surrogate", reply["error"]["message"])
        # The connection stays usable, and nothing was stored or sent.
        self.assertEqual(c.call("daemon.ping")["result"], {"pong": True})
        self.assert_nothing_stored()

    def test_valid_text_from_standard_input_is_published_unchanged(self):
        text = "caf\u00e9 \U0001F680 ok ( fine"
        rc, out, err = self.ctl_bytes("post", "--json", "--to", "x", input=text.encode())
        self.assertEqual(rc, 0, err)
        self.assertEqual([p["text"] for p in self.thread_of("x")["parts"]], [text])

    # -- bounds ----------------------------------------------------------------------------------
    def test_a_text_over_max_post_bytes_is_refused_before_anything_is_stored(self):
        path = self.write("big.txt", b"word " * (512 * 1024 // 5) + b"tail")  # 524289 bytes
        self.assertEqual(os.path.getsize(path), 524289)
        r = self.ctl("post", "--to", "x", "-f", path)
        self.assertEqual((r.returncode, r.stdout, r.stderr), (2, "", "growthctl: error: the text is 524289 bytes; a post "
                                                                  "may hold at most 524288 bytes (limits.max_post_bytes)\n"))
        self.assert_nothing_stored()
        p = self.ctl("preview", "-p", "linkedin", "-f", path)
        self.assertEqual((p.returncode, p.stderr), (2, r.stderr))

    def test_a_thread_over_max_parts_is_refused_naming_platform_and_account(self):
        r = self.ctl("post", "--to", "x", ps.long_text(101))
        self.assertEqual((r.returncode, r.stdout, r.stderr), (2, "", "growthctl: error: x (account 'x'): the text needs "
                                                                  "101 parts; a thread may have at most 100 "
                                                                  "(limits.max_parts)\n"))
        self.assert_nothing_stored()
        p = self.ctl("preview", "-p", "x", ps.long_text(101))
        self.assertEqual((p.returncode, p.stdout, p.stderr), (2, "", "growthctl: error: x: the text needs 101 parts; a "
                                                                  "thread may have at most 100 (limits.max_parts)\n"))
        # 100 parts is the bound itself: allowed.
        d = self.ctl("post", "--dry-run", "--json", "--to", "x", ps.long_text(100))
        self.assertEqual(d.returncode, 0, d)
        self.assertEqual(len(json.loads(d.stdout)["targets"][0]["parts"]), 100)

    def test_the_bounds_come_from_the_config_and_a_reload_applies_them(self):
        self.sandbox.write_config("[limits]\nmax_parts = 3\nmax_post_bytes = 1024\n")
        self.assertEqual(self.sandbox.result("daemon.reload")["reloaded"], True)
        r = self.ctl("post", "--to", "x", ps.long_text(4))
        self.assertEqual((r.returncode, r.stderr), (2, "growthctl: error: x (account 'x'): the text needs 4 parts; a "
                                                       "thread may have at most 3 (limits.max_parts)\n"))
        r = self.ctl("post", "--to", "x", "a" * 1025)
        self.assertEqual((r.returncode, r.stderr), (2, "growthctl: error: the text is 1025 bytes; a post may hold at "
                                                       "most 1024 bytes (limits.max_post_bytes)\n"))
        self.assert_nothing_stored()
        # preview reads the same file.
        p = self.ctl("preview", "-p", "x", ps.long_text(4))
        self.assertEqual((p.returncode, p.stderr), (2, "growthctl: error: x: the text needs 4 parts; a thread may have "
                                                       "at most 3 (limits.max_parts)\n"))
        r, j = self.post("--to", "x", ps.long_text(3))
        self.assertEqual(r.returncode, 0, r)
        self.assert_thread(j, "x", 3)


if __name__ == "__main__":
    unittest.main()
