"""A post stuck in needs_auth finishes after `growthctl account update` gives the account a new
secret in place: the targets keep their account, and `growthctl retry` continues the thread.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_post_needs_auth
"""

import json
import os
import unittest

import post_support as ps


class NeedsAuthThenUpdate(ps.PostTestCase):
    def secret_file(self, name, text):
        path = os.path.join(self.sandbox.root, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        return path

    def add_with_secret(self, platform, secret):
        """The demo account on `platform`, stored with `secret` instead of its own."""
        seed = ps.SEED[platform]
        base = self.sb.url(platform)
        path = self.secret_file(platform + ".wrong", secret)
        if platform == "bluesky":
            args = ["account", "add", "--no-check", "bluesky", "--name", platform, "--handle", seed["username"],
                    "--app-password-file", path, "--service", base]
        else:
            args = ["account", "add", "--no-check", "x", "--name", platform, "--token-file", path, "--api-base", base,
                    "--username", seed["username"]]
        r = self.ctl(*args)
        self.assertEqual(r.returncode, 0, r)

    def publish_refused(self, platform, parts):
        r, j = self.post("--to", platform, ps.long_text(parts))
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual([p["state"] for p in j["targets"][0]["parts"]], ["needs_auth"] + ["prepared"] * (parts - 1))
        way = (f"growthctl account login bluesky --name {platform} (asks for a new app password)"
               if platform == "bluesky" else
               f"growthctl account login {platform} --name {platform} (or: growthctl account update {platform} "
               "--token-file FILE)")
        self.assertEqual(r.stderr,
                         f"growthctl: error: post {j['id']}: 1 of 1 target not published; an account needs "
                         f"a new login\nhint: {way}, then growthctl retry {j['id']} continues it\n")
        self.assertEqual(self.sb.posts(platform), [])
        return j

    def test_x_token_refused_then_updated_then_retry_completes_the_thread(self):
        self.add_with_secret("x", "not-a-token-x-knows")
        j = self.publish_refused("x", 3)
        show = self.ctl("show", j["id"])
        self.assertEqual(show.returncode, 6, show)
        self.assertIn(f"hint: growthctl account login x --name x (or: growthctl account update x --token-file FILE), "
                      f"then growthctl retry {j['id']}", show.stderr)

        good = self.secret_file("x.good", ps.SEED["x"]["token"])
        r = self.ctl("account", "update", "x", "--token-file", good)
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "updated x account x: new token stored, signed in as growthdemo (Growth Demo)\n")
        self.assertEqual(r.stderr, "")

        r2 = self.ctl("retry", j["id"], "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assert_thread(json.loads(r2.stdout), "x", 3)
        self.assertEqual(len(self.sb.posts("x")), 3)  # no duplicate
        for text in (r.stdout, r.stderr, r2.stdout, r2.stderr, self.daemon.log()):
            self.assertNotIn(ps.SEED["x"]["token"], text)

    def test_bluesky_app_password_refused_then_updated_then_retry_completes_the_thread(self):
        self.add_with_secret("bluesky", "wrong-app-pass-word")
        j = self.publish_refused("bluesky", 2)
        good = self.secret_file("bluesky.good", ps.SEED["bluesky"]["password"])
        r = self.ctl("account", "update", "bluesky", "--app-password-file", good, "--json")
        self.assertEqual(r.returncode, 0, r)
        out = json.loads(r.stdout)
        self.assertEqual(out["secrets"], ["app_password", "session"])
        self.assertEqual(out["identity"]["id"], ps.SEED["bluesky"]["id"])
        r2 = self.ctl("retry", j["id"], "--json")
        self.assertEqual(r2.returncode, 0, r2)
        self.assert_thread(json.loads(r2.stdout), "bluesky", 2)

    def test_a_refused_new_token_changes_nothing(self):
        self.add_with_secret("x", "not-a-token-x-knows")
        j = self.publish_refused("x", 2)
        still_bad = self.secret_file("x.bad2", "another-token-x-refuses")
        r = self.ctl("account", "update", "x", "--token-file", still_bad)
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual(r.stderr, "growthctl: error: account x: the new token does not work: X who-am-I "
                                   "needs a new login: Unauthorized (HTTP 401); nothing was changed\n")
        # The account still has its old (refused) token: the retry is refused the same way.
        r2 = self.ctl("retry", j["id"], "--json")
        self.assertEqual(r2.returncode, 6, r2)
        self.assertEqual(self.sb.posts("x"), [])


if __name__ == "__main__":
    unittest.main()
