"""growthctl account login end to end: the real growthd and growthctl log in through a real OAuth 2
authorization server from npm (oauth2-mock-server, tests/oauth: PKCE S256 checked at its token
endpoint), with growthd's loopback listener taking the browser's redirect; the platform sandbox
answers the who-am-I and the posts. The test plays the browser: it follows the authorize URL
growthctl prints and calls the redirect it is sent to.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_login
"""

import base64
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

import harness
from post_support import DEMO, SEED, sandbox_harness

OAUTH = os.path.join(harness.SOURCE_DIR, "tests", "oauth")


def ensure_oauth_server():
    if shutil.which("node") is None or shutil.which("npm") is None:
        return False
    if not os.path.exists(os.path.join(OAUTH, "node_modules", "oauth2-mock-server", "package.json")):
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=OAUTH, check=True,
                       timeout=600)
    return True


class OAuthServer:
    """tests/oauth/server.mjs: oauth2-mock-server granting `access_token` (so the sandbox knows it)."""

    def __init__(self, access_token, expires_in=7200):
        self.process = subprocess.Popen(
            ["node", os.path.join(OAUTH, "server.mjs"), "--access-token", access_token,
             "--expires-in", str(expires_in)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError("the OAuth server did not start")
        self.port = json.loads(line)["port"]
        self.base = "http://127.0.0.1:%d" % self.port

    def control(self, **query):
        with urllib.request.urlopen(self.base + "/_control?" + urllib.parse.urlencode(query), timeout=10) as r:
            return json.loads(r.read())

    def token_requests(self):
        with urllib.request.urlopen(self.base + "/_requests", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def authorize(url):
    """What a browser does with the authorize URL: returns the address it is redirected to."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(url, timeout=10)
    except urllib.error.HTTPError as e:
        if e.code in (301, 302, 303, 307):
            return e.headers["Location"]
        raise
    raise AssertionError("the authorization server did not redirect")


def get(url):
    """(status, body) of a GET, as the browser would show it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def s256(verifier):
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


class LoginTestCase(harness.TestCase):
    @classmethod
    def setUpClass(cls):
        if not ensure_oauth_server():
            sys.stderr.write("\n*** SKIPPED: node/npm not found; the OAuth login tests did NOT run ***\n")
            raise unittest.SkipTest("node/npm not available")
        cls.platform_sandbox = sandbox_harness.Sandbox(seed=DEMO).start()
        cls.x_auth = OAuthServer(SEED["x"]["token"])
        cls.linkedin_auth = OAuthServer(SEED["linkedin"]["token"], expires_in=5183999)

    @classmethod
    def tearDownClass(cls):
        cls.platform_sandbox.stop()
        cls.x_auth.stop()
        cls.linkedin_auth.stop()

    def setUp(self):
        super().setUp()
        self.sb = self.platform_sandbox
        self.sandbox.write_config(self.config())
        self.daemon = self.sandbox.start_daemon()

    def config(self, x_secret=None):
        x = self.x_auth.base
        li = self.linkedin_auth.base
        text = ('[platforms.x]\nclient_id = "growth-test-x"\nauthorize_url = "%s/authorize"\n'
                'token_url = "%s/token"\nredirect_port = 0\n' % (x, x))
        if x_secret:
            text += 'client_secret = "%s"\n' % x_secret
        text += ('[platforms.linkedin]\nclient_id = "growth-test-li"\nclient_secret = "li-secret"\n'
                 'authorize_url = "%s/authorize"\ntoken_url = "%s/token"\nredirect_port = 0\n' % (li, li))
        return text

    def ctl(self, *args, **kwargs):
        return self.sandbox.ctl(*args, **kwargs)

    def start_login(self, *args, stdin=subprocess.DEVNULL):
        """growthctl account login ARGS, running; returns (process, the authorize URL it printed)."""
        p = subprocess.Popen([harness.GROWTHCTL, "account", "login"] + list(args), env=self.sandbox.env(),
                             stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.addCleanup(lambda: p.poll() is None and p.kill())
        url = None
        while url is None:
            line = p.stdout.readline()
            if not line:
                out, err = p.communicate(timeout=30)
                raise AssertionError("growthctl printed no URL: rc %s: %s" % (p.returncode, err))
            if line.strip().startswith("http"):
                url = line.strip()
        return p, url

    def finish(self, p, input=None):
        out, err = p.communicate(input=input, timeout=60)
        return harness.Result(p.returncode, out, err)

    def accounts(self):
        return {a["name"]: a for a in json.loads(self.ctl("account", "list", "--json").stdout)["accounts"]}

    def assert_secrets_nowhere(self, secrets, outputs=()):
        """None of `secrets` in growthd's log, any file of the data directory (the vault is
        encrypted) or the given outputs."""
        texts = [self.daemon.log()] + list(outputs)
        for root, _, files in os.walk(self.sandbox.data_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    texts.append(f.read().decode("latin-1"))
        for secret in secrets:
            self.assertTrue(secret)
            for text in texts:
                self.assertNotIn(secret, text)

    def login(self, name, *args):
        """A whole login of X account `name` (new accounts on the sandbox); returns the Result."""
        extra = list(args) if name in self.accounts() else ["--api-base", self.sb.url("x")] + list(args)
        p, url = self.start_login("x", "--name", name, "--no-browser", *extra)
        get(authorize(url))
        return self.finish(p)


class Login(LoginTestCase):
    def test_x_login_uses_pkce_through_the_loopback_listener_and_the_account_then_posts(self):
        p, url = self.start_login("x", "--name", "me", "--api-base", self.sb.url("x"), "--no-browser")
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertEqual(q["response_type"], ["code"])
        self.assertEqual(q["client_id"], ["growth-test-x"])
        self.assertEqual(q["code_challenge_method"], ["S256"])
        self.assertEqual(q["scope"], ["tweet.read tweet.write users.read offline.access"])
        self.assertGreaterEqual(len(q["state"][0]), 22)  # at least 128 bits in base64url
        redirect = q["redirect_uri"][0]
        self.assertRegex(redirect, r"^http://127\.0\.0\.1:\d+/callback$")
        back = authorize(url)
        self.assertTrue(back.startswith(redirect + "?"), back)
        status, page = get(back)
        self.assertEqual(status, 200, page)
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in: added x account me, signed in as @" + SEED["x"]["username"], r.stdout)

        # The token request proved the verifier (the server checks S256 itself; so do we).
        exchange = [t for t in self.x_auth.token_requests() if t["body"].get("redirect_uri") == redirect]
        self.assertEqual(len(exchange), 1, exchange)
        body = exchange[0]["body"]
        self.assertEqual(body["grant_type"], "authorization_code")
        self.assertEqual(s256(body["code_verifier"]), q["code_challenge"][0])
        self.assertEqual(len(body["code_verifier"]), 43)
        self.assertEqual(body["client_id"], "growth-test-x")
        self.assertIsNone(exchange[0]["basic"])

        shown = self.ctl("account", "show", "me", "--json").json()
        self.assertEqual(shown["settings"], {"username": SEED["x"]["username"]})
        self.assertEqual(shown["secrets"], ["access_token", "refresh_token"])
        self.assertAlmostEqual(shown["token_expires_at"] / 1000, time.time() + 7200, delta=120)

        # A second visit to the callback finds nothing listening: one callback per login.
        with self.assertRaises(urllib.error.URLError):
            urllib.request.urlopen(back, timeout=5)

        r = self.ctl("post", "--to", "me", "--json", "Hello from a login")
        self.assertEqual(r.returncode, 0, r)
        texts = [o["text"] for o in self.sb.posts("x")]
        self.assertIn("Hello from a login", texts)
        shown_text = self.ctl("account", "show", "me").stdout
        self.assert_secrets_nowhere([SEED["x"]["token"], exchange[0]["granted_refresh"], body["code_verifier"],
                                     body["code"]], [r.stdout, r.stderr, shown_text])

    def test_a_confidential_x_app_authenticates_with_basic(self):
        self.daemon.stop()
        self.sandbox.write_config(self.config(x_secret="s3cret/+"))
        self.daemon = self.sandbox.start_daemon()
        p, url = self.start_login("x", "--name", "conf", "--api-base", self.sb.url("x"), "--no-browser")
        get(authorize(url))
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)
        redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]
        exchange = [t for t in self.x_auth.token_requests() if t["body"].get("redirect_uri") == redirect][0]
        self.assertEqual(base64.b64decode(exchange["basic"]).decode(), "growth-test-x:s3cret%2F%2B")
        self.assertNotIn("client_id", exchange["body"])
        self.assertNotIn("s3cret", self.daemon.log())

    def test_linkedin_login_sends_the_secret_learns_the_author_and_has_no_pkce(self):
        p, url = self.start_login("linkedin", "--name", "li", "--api-base", self.sb.url("linkedin"),
                                  "--no-browser")
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertNotIn("code_challenge", q)
        self.assertEqual(q["scope"], ["openid profile w_member_social"])
        get(authorize(url))
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)
        body = [t for t in self.linkedin_auth.token_requests()
                if t["body"].get("redirect_uri") == q["redirect_uri"][0]][0]["body"]
        self.assertEqual((body["client_id"], body["client_secret"]), ("growth-test-li", "li-secret"))
        self.assertNotIn("code_verifier", body)
        self.assertEqual(self.accounts()["li"]["settings"], {"author": "urn:li:person:" + SEED["linkedin"]["id"]})

    def test_paste_takes_the_redirected_address_without_listening(self):
        p, url = self.start_login("x", "--name", "pasted", "--api-base", self.sb.url("x"), "--paste",
                                  stdin=subprocess.PIPE)
        redirect = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]
        self.assertEqual(redirect, "http://127.0.0.1:8765/callback")  # the registered default port
        back = authorize(url)
        r = self.finish(p, input="  " + back + "\n")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("pasted", self.accounts())

    def test_logging_in_again_replaces_the_token_in_place_and_a_stuck_post_goes_out(self):
        token = os.path.join(self.sandbox.root, "bad.token")
        with open(token, "w") as f:
            f.write("not-a-valid-token\n")
        r = self.ctl("account", "add", "--no-check", "x", "--name", "me", "--token-file", token, "--api-base",
                     self.sb.url("x"), "--username", SEED["x"]["username"])
        self.assertEqual(r.returncode, 0, r)
        r = self.ctl("post", "--to", "me", "--json", "Stuck until I log in")
        self.assertEqual(r.returncode, 6, r)
        post_id = r.json()["id"]
        p, url = self.start_login("x", "--name", "me", "--no-browser")
        get(authorize(url))
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in again: x account me", r.stdout)
        r = self.ctl("retry", post_id, "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("Stuck until I log in", [o["text"] for o in self.sb.posts("x")])


class LoginRefusals(LoginTestCase):
    def assert_nothing_stored(self, name):
        self.assertNotIn(name, self.accounts())

    def test_a_wrong_state_is_refused_and_nothing_is_stored(self):
        p, url = self.start_login("x", "--name", "nope", "--api-base", self.sb.url("x"), "--no-browser")
        back = authorize(url)
        forged = back.replace("state=", "state=x")
        status, page = get(forged)
        self.assertEqual(status, 400, page)
        self.assertIn("does not belong to the login", page)
        r = self.finish(p)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("state is not the one growth sent", r.stderr)
        self.assert_nothing_stored("nope")
        # ... and the real answer, late, finds the login over.
        with self.assertRaises(urllib.error.URLError):
            urllib.request.urlopen(back, timeout=5)

    def test_an_error_answer_is_refused_with_the_platforms_words(self):
        p, url = self.start_login("x", "--name", "nope", "--api-base", self.sb.url("x"), "--no-browser")
        back = authorize(url)
        state = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["state"][0]
        denied = back.split("?")[0] + "?" + urllib.parse.urlencode(
            {"error": "access_denied", "error_description": "The user said no", "state": state})
        status, page = get(denied)
        self.assertIn("access_denied", page)
        r = self.finish(p)
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("X refused the login: access_denied: The user said no", r.stderr)
        self.assert_nothing_stored("nope")

    def test_an_unknown_or_used_code_is_refused_by_the_token_endpoint(self):
        p, url = self.start_login("x", "--name", "nope", "--api-base", self.sb.url("x"), "--paste",
                                  stdin=subprocess.PIPE)
        r = self.finish(p, input="made-up-code\n")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("X's token endpoint refused the login: invalid_request", r.stderr)
        self.assert_nothing_stored("nope")

    def test_pasted_garbage_and_a_foreign_address_are_bad_input(self):
        for pasted, words in (("\n", "nothing was pasted"),
                              ("http://127.0.0.1:8765/callback\n", "has no query"),
                              ("http://127.0.0.1:8765/callback?code=abc&state=other\n", "state differs"),
                              ("two words\n", "neither an address")):
            p, url = self.start_login("x", "--name", "nope", "--api-base", self.sb.url("x"), "--paste",
                                      stdin=subprocess.PIPE)
            r = self.finish(p, input=pasted)
            self.assertEqual(r.returncode, 2, (pasted, r))
            self.assertIn(words, r.stderr)
        self.assert_nothing_stored("nope")

    def test_the_listener_answers_only_its_callback(self):
        p, url = self.start_login("x", "--name", "nope", "--api-base", self.sb.url("x"), "--no-browser")
        port = urllib.parse.urlsplit(urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["redirect_uri"][0]).port
        self.assertEqual(get("http://127.0.0.1:%d/" % port)[0], 404)
        self.assertEqual(get("http://127.0.0.1:%d/favicon.ico" % port)[0], 404)
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /callback?" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n")
            self.assertIn(b" 431 ", s.recv(4096))
        # Idle connections (anyone on the machine may open them) do not keep the browser out.
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(20)]
        self.addCleanup(lambda: [s.close() for s in idle])
        # still waiting for the real answer
        get(authorize(url))
        self.assertEqual(self.finish(p).returncode, 0)

    def test_unconfigured_and_unsupported_platforms_say_what_to_do(self):
        self.daemon.stop()
        self.sandbox.write_config("")
        self.daemon = self.sandbox.start_daemon()
        r = self.ctl("account", "login", "x")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("set client_id under [platforms.x]", r.stderr)
        self.assertIn("http://127.0.0.1:8765/callback", r.stderr)
        r = self.ctl("account", "login", "threads")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("set client_id and client_secret under [platforms.threads]", r.stderr)
        r = self.ctl("account", "login", "bluesky")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("a new bluesky account needs --handle HANDLE", r.stderr)
        r = self.ctl("account", "login", "twiter")
        self.assertEqual(r.returncode, 2, r)


class Refresh(LoginTestCase):
    def setUp(self):
        super().setUp()
        self.x_auth.control(refuse_refresh=0, rotate=0, lose_refresh=0, expires_in="7200")

    def refreshes(self):
        return [t for t in self.x_auth.token_requests() if t["body"].get("grant_type") == "refresh_token"]

    def grant_of(self, redirect_or_refresh):
        return [t for t in self.x_auth.token_requests() if redirect_or_refresh in t["body"].values()]

    def test_a_token_due_is_refreshed_once_for_many_posts_and_the_rotated_token_is_kept(self):
        self.x_auth.control(expires_in="1,7200")  # the login's token lives one second
        before = len(self.refreshes())
        r = self.login("me")
        self.assertEqual(r.returncode, 0, r)
        login_grant = self.x_auth.token_requests()[-1]
        self.assertEqual(login_grant["body"]["grant_type"], "authorization_code")
        time.sleep(1.2)
        posts = [subprocess.Popen([harness.GROWTHCTL, "post", "--to", "me", "--json", "Post %d after expiry" % i],
                                  env=self.sandbox.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(10)]
        for p in posts:
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 0, (out, err))
        refreshes = self.refreshes()[before:]
        self.assertEqual(len(refreshes), 1, refreshes)  # exactly one refresh for ten runs
        self.assertEqual(refreshes[0]["body"]["refresh_token"], login_grant["granted_refresh"])
        self.assertEqual(refreshes[0]["body"]["client_id"], "growth-test-x")
        shown = self.ctl("account", "show", "me", "--json").json()
        self.assertAlmostEqual(shown["token_expires_at"] / 1000, time.time() + 7200, delta=120)

        # A forced refresh sends the rotated refresh token, the one the first refresh granted.
        r = self.ctl("account", "refresh", "me")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("refreshed the token of x account me, valid until", r.stdout)
        second = self.refreshes()[before:]
        self.assertEqual(len(second), 2)
        self.assertEqual(second[1]["body"]["refresh_token"], refreshes[0]["granted_refresh"])
        self.assertNotEqual(refreshes[0]["granted_refresh"], login_grant["granted_refresh"])
        self.assertIn("token expires", self.ctl("account", "list").stdout)

    def test_a_refused_refresh_puts_the_post_in_needs_auth_and_a_new_login_gets_it_out(self):
        self.x_auth.control(expires_in="1,7200")
        self.assertEqual(self.login("me").returncode, 0)
        time.sleep(1.2)
        self.x_auth.control(refuse_refresh=1)
        r = self.ctl("post", "--to", "me", "--json", "Waits for a login")
        self.assertEqual(r.returncode, 6, r)
        post_id = r.json()["id"]
        part = r.json()["targets"][0]["parts"][0]
        self.assertEqual(part["state"], "needs_auth")
        self.assertIn("refused the refresh: invalid_grant", part["error"]["message"])
        self.assertIn("log in again: growthctl account login x --name me", part["error"]["message"])
        self.assertNotIn("Waits for a login", [o["text"] for o in self.sb.posts("x")])

        self.x_auth.control(refuse_refresh=0, expires_in="7200")
        r = self.login("me")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in again", r.stdout)
        r = self.ctl("retry", post_id, "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("Waits for a login", [o["text"] for o in self.sb.posts("x")])

    def test_a_lost_refresh_answer_then_kill_9_never_leaves_the_account_silently_broken(self):
        # X rotates: the refresh the server applied but whose answer was lost used up the stored
        # refresh token. growthd is then killed and restarted: its access token still posts, and
        # the next refresh says plainly that a login is needed; a login mends it.
        self.x_auth.control(rotate=1)
        self.assertEqual(self.login("me").returncode, 0)
        self.x_auth.control(lose_refresh=1)
        r = self.ctl("account", "refresh", "me")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("could not be refreshed", r.stderr)
        self.assertEqual(self.refreshes()[-1]["status"], "lost")
        self.x_auth.control(lose_refresh=0)
        self.daemon.process.kill()
        self.daemon.process.wait()
        self.daemon = self.sandbox.start_daemon()

        r = self.ctl("post", "--to", "me", "--json", "Still posts after the lost refresh")
        self.assertEqual(r.returncode, 0, r)
        r = self.ctl("account", "refresh", "me")
        self.assertEqual(r.returncode, 6, r)
        self.assertIn("invalid_grant", r.stderr)
        self.assertIn("growthctl account login x --name me", r.stderr)

        r = self.login("me")
        self.assertEqual(r.returncode, 0, r)
        r = self.ctl("account", "refresh", "me")
        self.assertEqual(r.returncode, 0, r)

    def test_a_refused_token_is_refreshed_once_per_run_and_the_post_goes_out(self):
        self.assertEqual(self.login("me").returncode, 0)  # a token valid for two hours
        # The platform revokes it early; the refresh grants one the sandbox knows.
        self.sb.add_account("x", username="growthafter", token="x-after-refresh")
        self.x_auth.control(access_token="x-after-refresh")
        self.addCleanup(self.x_auth.control, access_token=SEED["x"]["token"])
        self.sb.control("POST", "tokens", {"token": SEED["x"]["token"], "state": "revoked"})
        self.addCleanup(self.sb.control, "POST", "tokens", {"token": SEED["x"]["token"], "state": "valid"})
        before = len(self.refreshes())
        r = self.ctl("post", "--to", "me", "--json", "Out after a refused token")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(len(self.refreshes()) - before, 1)
        self.assertIn("Out after a refused token", [o["text"] for o in self.sb.posts("x")])

        # Refused again right after a refresh: no second refresh in the same run, a login is needed.
        self.sb.control("POST", "tokens", {"token": "x-after-refresh", "state": "revoked"})
        r = self.ctl("post", "--to", "me", "--json", "Needs a login")
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual(len(self.refreshes()) - before, 2)
        self.assertEqual(r.json()["targets"][0]["parts"][0]["state"], "needs_auth")

    def test_refresh_needs_a_logged_in_account(self):
        token = os.path.join(self.sandbox.root, "x.token")
        with open(token, "w") as f:
            f.write(SEED["x"]["token"] + "\n")
        r = self.ctl("account", "add", "x", "--name", "by-hand", "--token-file", token, "--api-base",
                     self.sb.url("x"), "--username", SEED["x"]["username"])
        self.assertEqual(r.returncode, 0, r)
        r = self.ctl("account", "refresh", "by-hand")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("has no refresh token", r.stderr)
        self.assertIn("growthctl account login x --name by-hand", r.stderr)
        r = self.ctl("account", "refresh", "nobody")
        self.assertEqual(r.returncode, 2, r)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MastodonLogin(LoginTestCase):
    """Against the sandbox's own Mastodon OAuth (app registration, authorize, token with PKCE)."""

    def setUp(self):
        super().setUp()
        self.port = free_port()
        self.daemon.stop()
        self.sandbox.write_config(self.config() + "[platforms.mastodon]\nredirect_port = %d\n" % self.port)
        self.daemon = self.sandbox.start_daemon()
        self.instance = self.sb.url("mastodon")

    def calls(self, endpoint):
        return [r for r in self.sb.requests("mastodon") if r["endpoint"] == endpoint]

    def test_the_first_login_registers_growths_app_and_later_ones_reuse_it(self):
        apps = len(self.calls("create_app"))
        p, url = self.start_login("mastodon", "--name", "m", "--instance", self.instance, "--no-browser")
        self.assertTrue(url.startswith(self.instance + "/oauth/authorize?"), url)
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        self.assertEqual(q["redirect_uri"], ["http://127.0.0.1:%d/callback" % self.port])
        self.assertEqual(q["scope"], ["profile write:statuses write:media"])
        self.assertEqual(q["code_challenge_method"], ["S256"])
        status, page = get(authorize(url))
        self.assertEqual(status, 200, page)
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in: added mastodon account m, signed in as @" + SEED["mastodon"]["username"], r.stdout)
        self.assertEqual(len(self.calls("create_app")), apps + 1)
        self.assertEqual([t["status"] for t in self.calls("oauth_token")][-1], 200)
        shown = self.ctl("account", "show", "m", "--json").json()
        self.assertEqual(shown["api_base"], self.instance)
        self.assertEqual(shown["secrets"], ["access_token"])
        self.assertNotIn("token_expires_at", shown)  # Mastodon's tokens do not expire

        # Again (same account): the kept app, tokens replaced in place.
        p, url = self.start_login("mastodon", "--name", "m", "--no-browser")
        get(authorize(url))
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("logged in again: mastodon account m", r.stdout)
        self.assertEqual(len(self.calls("create_app")), apps + 1)

        r = self.ctl("account", "refresh", "m")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("Mastodon's tokens do not expire", r.stderr)

        r = self.ctl("post", "--to", "m", "--json", "Tooted after a login")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("Tooted after a login", [o["text"] for o in self.sb.posts("mastodon")])

    def test_a_login_left_with_ctrl_c_frees_its_port_for_the_next_one(self):
        p, url = self.start_login("mastodon", "--name", "m", "--instance", self.instance, "--no-browser")
        p.send_signal(signal.SIGINT)
        p.wait(timeout=10)
        p, url = self.start_login("mastodon", "--name", "m", "--instance", self.instance, "--no-browser")
        self.assertIn("127.0.0.1%3A" + str(self.port), url)
        get(authorize(url))
        r = self.finish(p)
        self.assertEqual(r.returncode, 0, r)

    def test_a_code_the_instance_did_not_issue_is_refused(self):
        p, url = self.start_login("mastodon", "--name", "nope", "--instance", self.instance, "--paste",
                                  stdin=subprocess.PIPE)
        r = self.finish(p, input="forged-code\n")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("Mastodon's token endpoint refused the login: invalid_grant", r.stderr)
        self.assertNotIn("nope", self.accounts())

    def test_a_login_needs_an_instance_that_answers_like_mastodon(self):
        r = self.ctl("account", "login", "mastodon", "--name", "nope", "--no-browser")
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("needs --instance", r.stderr)
        r = self.ctl("account", "login", "mastodon", "--name", "nope", "--no-browser", "--instance",
                     self.sb.url("x"))
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("refused to register growth's app (HTTP 404", r.stderr)
        self.assertIn("is it a Mastodon server?", r.stderr)


if __name__ == "__main__":
    unittest.main()
