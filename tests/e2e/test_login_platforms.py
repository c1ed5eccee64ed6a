"""growthctl account login against the platform sandbox's own OAuth: Facebook, Instagram and
Threads (Meta's flows, tests/sandbox/sbx/meta_oauth.py), X (PKCE and rotating refresh tokens,
sbx/x_oauth.py) and Bluesky (its app password). The test plays the browser: it follows the
authorize URL growthctl prints and calls the redirect it is sent to.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_login_platforms
"""

import os
import subprocess
import urllib.parse

import harness
from post_support import DEMO, SEED, SandboxTestCase
from test_login import authorize, free_port, get

FB_APP = {"client_id": "987654321", "client_secret": "fb-app-secret"}
TH_APP = {"client_id": "555444333", "client_secret": "threads-app-secret"}
X_APP = {"client_id": "growth-sandbox-x", "client_secret": ""}


class SandboxLoginTestCase(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.sb.reset(accounts=True)
        self.sb.control("POST", "accounts", {"accounts": DEMO["accounts"]})
        self.port = free_port()
        self.redirect = "http://127.0.0.1:%d/callback" % self.port
        self.register_apps()
        self.sandbox.write_config(self.config())
        self.daemon = self.sandbox.start_daemon()

    def register_apps(self, x_secret=""):
        for platform, app in (("facebook", FB_APP), ("threads", TH_APP), ("x", dict(X_APP, client_secret=x_secret))):
            self.sb.control("POST", "apps", dict(app, platform=platform, redirect_uris=[self.redirect]))

    def config(self, x_secret=""):
        fb, th, x = self.sb.url("facebook"), self.sb.url("threads"), self.sb.url("x")
        text = ('[platforms.x]\nclient_id = "%s"\nauthorize_url = "%s/i/oauth2/authorize"\n'
                'token_url = "%s/2/oauth2/token"\nredirect_port = %d\n' % (X_APP["client_id"], x, x, self.port))
        if x_secret:
            text += 'client_secret = "%s"\n' % x_secret
        for platform in ("facebook", "instagram"):
            text += ('[platforms.%s]\nclient_id = "%s"\nclient_secret = "%s"\n'
                     'authorize_url = "%s/v25.0/dialog/oauth"\ntoken_url = "%s/v25.0/oauth/access_token"\n'
                     'redirect_port = %d\n' % (platform, FB_APP["client_id"], FB_APP["client_secret"], fb, fb,
                                               self.port))
        text += ('[platforms.threads]\nclient_id = "%s"\nclient_secret = "%s"\nauthorize_url = "%s/oauth/authorize"\n'
                 'token_url = "%s/oauth/access_token"\nredirect_port = %d\napi_base = "%s"\n'
                 % (TH_APP["client_id"], TH_APP["client_secret"], th, th, self.port, th))
        return text

    def ctl(self, *args, **kwargs):
        return self.sandbox.ctl(*args, **kwargs)

    def start_login(self, *args, stdin=subprocess.DEVNULL):
        p = subprocess.Popen([harness.GROWTHCTL, "account", "login"] + list(args) + ["--no-browser"],
                             env=self.sandbox.env(), stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        while True:
            line = p.stdout.readline()
            if not line:
                out, err = p.communicate(timeout=30)
                raise AssertionError("growthctl printed no URL: rc %s: %s" % (p.returncode, err))
            if line.strip().startswith("http"):
                return p, line.strip()

    def login(self, *args):
        """A whole login; returns (the authorize URL's query, the Result)."""
        p, url = self.start_login(*args)
        status, page = get(authorize(url))
        self.assertEqual(status, 200, page)
        out, err = p.communicate(timeout=60)
        return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query), harness.Result(p.returncode, out, err)

    def write_file(self, name, text):
        path = os.path.join(self.sandbox.root, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    def calls(self, platform, endpoint):
        return [r for r in self.sb.requests(platform) if r["endpoint"] == endpoint]


class FacebookLogin(SandboxLoginTestCase):
    def test_the_login_exchanges_for_a_long_lived_token_and_keeps_the_pages_own_token(self):
        q, r = self.login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(q["scope"], ["pages_show_list,pages_manage_posts,pages_read_engagement,pages_manage_engagement"])
        self.assertNotIn("code_challenge", q)
        self.assertIn("logged in: added facebook account page", r.stdout)
        shown = self.ctl("account", "show", "page", "--json").json()
        self.assertEqual(shown["settings"]["page_id"], SEED["facebook"]["id"])
        self.assertNotIn("token_expires_at", shown)  # a Page token from a long-lived user token does not expire
        exchanges = self.calls("facebook", "oauth_access_token")
        self.assertEqual([e["status"] for e in exchanges], [200, 200])
        self.assertIn("fb_exchange_token", exchanges[1]["path"])
        self.assertEqual(self.calls("facebook", "me_accounts")[-1]["status"], 200)
        r = self.ctl("post", "--to", "page", "--json", "Posted as the Page after a login")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("Posted as the Page after a login", [o["text"] for o in self.sb.posts("facebook")])

    def test_several_pages_need_page_and_a_page_not_managed_is_refused(self):
        second = self.sb.add_account("facebook", username="second-page", display_name="Second Page")
        q, r = self.login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"))
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("you manage 2 Pages; choose one with --page ID or NAME:", r.stderr)
        self.assertIn("2) Second Page (id %s)" % second["id"], r.stderr)
        self.assertNotIn("page", self.ctl("account", "list", "--json").stdout)

        q, r = self.login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"), "--page", "Nope")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("no Page you manage is 'Nope'", r.stderr)

        q, r = self.login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"), "--page", "second page")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(self.ctl("account", "show", "page", "--json").json()["settings"]["page_id"], second["id"])

    def test_a_refused_dialog_a_reused_code_and_a_wrong_secret_store_nothing(self):
        self.sb.control("POST", "apps", dict(FB_APP, platform="facebook", redirect_uris=[self.redirect],
                                                  deny=True))
        q, r = self.login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"))
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("Facebook refused the login: access_denied: Permissions error", r.stderr)

        self.sb.control("POST", "apps", dict(FB_APP, platform="facebook", redirect_uris=[self.redirect]))
        p, url = self.start_login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"), "--paste",
                                  stdin=subprocess.PIPE)
        back = authorize(url)
        code = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["code"][0]
        out, err = p.communicate(back + "\n", timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.ctl("account", "remove", "page")
        p, url = self.start_login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"), "--paste",
                                  stdin=subprocess.PIPE)
        out, err = p.communicate(code + "\n", timeout=60)  # the code from before, used already
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("This authorization code has been used", err)
        self.assertEqual(self.ctl("account", "list", "--json").json()["accounts"], [])

        self.daemon.stop()
        self.sandbox.write_config(self.config().replace(FB_APP["client_secret"], "wrong-secret", 1))
        self.daemon = self.sandbox.start_daemon()
        q, r = self.login("facebook", "--name", "page", "--api-base", self.sb.url("facebook"))
        self.assertNotEqual(r.returncode, 0, r)
        self.assertIn("Error validating client secret", r.stderr)
        self.assertNotIn("wrong-secret", r.stderr + r.stdout + self.daemon.log())
        self.assertEqual(self.ctl("account", "list", "--json").json()["accounts"], [])


class InstagramLogin(SandboxLoginTestCase):
    def test_the_business_account_is_found_through_its_page_and_the_user_token_publishes(self):
        q, r = self.login("instagram", "--name", "ig", "--api-base", self.sb.url("instagram"))
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("instagram_content_publish", q["scope"][0])
        shown = self.ctl("account", "show", "ig", "--json").json()
        self.assertEqual(shown["settings"]["ig_user_id"], SEED["instagram"]["id"])
        self.assertIn("token_expires_at", shown)  # the 60-day user token; Meta has no refresh for it
        self.assertEqual(self.ctl("account", "test", "ig").returncode, 0)
        r = self.ctl("post", "--to", "ig", "--json", "--media-url", self.sb.media_url(), "Captioned after a login")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("Captioned after a login", [o["text"] for o in self.sb.posts("instagram")])
        r = self.ctl("account", "refresh", "ig")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("has no refresh token", r.stderr)

    def test_no_page_with_an_instagram_account_is_a_clear_refusal(self):
        self.sb.control("POST", "reset", {"accounts": True})
        self.sb.add_account("facebook", username="lonely-page")
        self.sb.add_account("instagram", username="unlinked")
        self.register_apps()
        q, r = self.login("instagram", "--name", "ig", "--api-base", self.sb.url("instagram"))
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("none of the Facebook Pages you manage has an Instagram business or creator account", r.stderr)


class ThreadsLogin(SandboxLoginTestCase):
    def test_a_long_lived_token_is_kept_refreshed_with_itself_and_the_account_posts(self):
        q, r = self.login("threads", "--name", "th", "--api-base", self.sb.url("threads"))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(q["scope"], ["threads_basic,threads_content_publish,threads_manage_replies,threads_read_replies"])
        shown = self.ctl("account", "show", "th", "--json").json()
        self.assertEqual(shown["settings"]["user_id"], SEED["threads"]["id"])
        self.assertIn("token_expires_at", shown)
        self.assertEqual([c["status"] for c in self.calls("threads", "access_token")], [200])

        # Meta refreshes only a token a day old.
        r = self.ctl("account", "refresh", "th")
        self.assertNotEqual(r.returncode, 0, r)
        self.assertIn("at least 24 hours old", r.stderr)
        self.sb.config(threads_refresh_min_age=0)
        r = self.ctl("account", "refresh", "th")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(self.calls("threads", "refresh_access_token")[-1]["status"], 200)
        r = self.ctl("post", "--to", "th", "--json", "Threaded after a refresh")
        self.assertEqual(r.returncode, 0, r)  # the sandbox knows only the refreshed token now
        self.assertIn("Threaded after a refresh", [o["text"] for o in self.sb.posts("threads")])
        self.sb.config(threads_refresh_min_age=86400)

    def test_the_pasted_address_may_carry_metas_fragment(self):
        # (the account's API comes from [platforms.threads] api_base)
        p, url = self.start_login("threads", "--name", "th", "--paste", stdin=subprocess.PIPE)
        back = authorize(url)
        self.assertTrue(back.endswith("#_"), back)
        out, err = p.communicate(back + "\n", timeout=60)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("logged in: added threads account th", out)
        self.assertEqual(self.ctl("account", "show", "th", "--json").json()["api_base"], self.sb.url("threads"))


class XLogin(SandboxLoginTestCase):
    def test_pkce_then_rotating_refresh_tokens_each_stored_before_use(self):
        q, r = self.login("x", "--name", "xs", "--api-base", self.sb.url("x"))
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(q["code_challenge_method"], ["S256"])
        self.assertIn("signed in as @" + SEED["x"]["username"], r.stdout)
        self.assertIn("token_expires_at", self.ctl("account", "show", "xs", "--json").json())
        # Each refresh answers a new refresh token and the old one dies: a second refresh works only
        # with the rotated one, and only the newest access token posts.
        for _ in range(2):
            r = self.ctl("account", "refresh", "xs")
            self.assertEqual(r.returncode, 0, r)
        self.assertEqual([c["status"] for c in self.calls("x", "oauth2_token")], [200, 200, 200])
        r = self.ctl("post", "--to", "xs", "--json", "Tweeted with the third access token")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("Tweeted with the third access token", [o["text"] for o in self.sb.posts("x")])

    def test_a_confidential_app_authenticates_with_basic_and_a_wrong_secret_is_refused(self):
        self.register_apps(x_secret="x-app-secret")
        self.daemon.stop()
        self.sandbox.write_config(self.config(x_secret="x-app-secret"))
        self.daemon = self.sandbox.start_daemon()
        q, r = self.login("x", "--name", "xs", "--api-base", self.sb.url("x"))
        self.assertEqual(r.returncode, 0, r)
        self.assertTrue(self.calls("x", "oauth2_token")[-1]["headers"].get("Authorization"))
        self.daemon.stop()
        self.sandbox.write_config(self.config(x_secret="not-the-secret"))
        self.daemon = self.sandbox.start_daemon()
        r = self.ctl("account", "refresh", "xs")
        self.assertEqual(r.returncode, 6, r)
        self.assertIn("unauthorized_client", r.stderr)
        self.assertIn("growthctl account login x --name xs", r.stderr)


class BlueskyLogin(SandboxLoginTestCase):
    def test_an_app_password_logs_in_and_logs_in_again_in_place(self):
        password = self.write_file("bsky.pass", SEED["bluesky"]["password"] + "\n")
        r = self.ctl("account", "login", "bluesky", "--handle", SEED["bluesky"]["username"], "--service",
                     self.sb.url("bluesky"), "--app-password-file", password)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in: added bluesky account bluesky", r.stdout)
        r = self.ctl("account", "login", "bluesky", "--app-password-file", password)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in again: bluesky account bluesky", r.stdout)
        r = self.ctl("account", "login", "bluesky", "--handle", "other.test", "--app-password-file", password)
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("drop --handle", r.stderr)

    def test_a_wrong_password_or_no_terminal_stores_nothing(self):
        wrong = self.write_file("wrong.pass", "aaaa-bbbb-cccc-dddd\n")
        r = self.ctl("account", "login", "bluesky", "--handle", SEED["bluesky"]["username"], "--service",
                     self.sb.url("bluesky"), "--app-password-file", wrong)
        self.assertNotEqual(r.returncode, 0, r)
        r2 = self.ctl("account", "login", "bluesky", "--handle", SEED["bluesky"]["username"])
        self.assertEqual(r2.returncode, 2, r2)
        self.assertIn("pass --app-password-file FILE", r2.stderr)
        r3 = self.ctl("account", "login", "bluesky", "--handle", "h.test", "--paste")
        self.assertEqual(r3.returncode, 2, r3)
        self.assertEqual(self.ctl("account", "list", "--json").json()["accounts"], [])
