"""growthctl account add|list|show|remove|test through the real binaries against the sandbox.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_account
"""

import json
import os
import stat
import unittest

import harness
from post_support import DEMO, PLATFORMS, SEED, SandboxTestCase, sandbox_harness  # noqa: F401 (re-exported)
SECRETS = [a.get("token") or a.get("password") for a in DEMO["accounts"]]


class AccountTestCase(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.daemon = self.sandbox.start_daemon()
        self.outputs = []

    # -- helpers -----------------------------------------------------------------------------
    def ctl(self, *args, **kwargs):
        r = self.sandbox.ctl(*args, **kwargs)
        self.outputs.append(r.stdout + r.stderr)
        return r

    def secret_file(self, name, text):
        path = os.path.join(self.sandbox.root, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        return path

    def add_args(self, platform, name=None, secret=None):
        """The `account add` arguments for the demo seed's account on `platform`."""
        seed = SEED[platform]
        name = name or "demo-" + platform
        base = self.sb.url(platform)
        if platform == "bluesky":
            pw = self.secret_file(name + ".pass", secret or seed["password"])
            return ["account", "add", "bluesky", "--name", name, "--handle", seed["username"],
                    "--app-password-file", pw, "--service", base]
        token = self.secret_file(name + ".token", secret or seed["token"])
        args = ["account", "add", platform, "--name", name, "--token-file", token]
        extra = {
            "x": ["--api-base", base, "--username", seed["username"]],
            "linkedin": ["--api-base", base, "--author", "urn:li:person:" + seed["id"]],
            "facebook": ["--api-base", base, "--page-id", seed["id"]],
            "instagram": ["--api-base", base, "--ig-user-id", seed["id"]],
            "threads": ["--api-base", base, "--user-id", seed["id"]],
            "mastodon": ["--instance", base],
        }[platform]
        return args + extra

    def add(self, platform, **kwargs):
        r = self.ctl(*self.add_args(platform, **kwargs), "--json")
        self.assertEqual(r.returncode, 0, r)
        return r.json()

    def assert_no_secret_anywhere(self):
        """No token or app password in any output so far, the daemon's log, or vault/growth.db."""
        texts = self.outputs + [self.daemon.log()]
        for name in ("growth.db", "growth.db-wal", "vault.db", "vault.db-wal"):
            path = os.path.join(self.sandbox.data_dir, name)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    texts.append(f.read().decode("latin-1"))
        for secret in SECRETS:
            for text in texts:
                self.assertNotIn(secret, text)

    def expected(self, platform):
        seed = SEED[platform]
        base = self.sb.url(platform)
        settings = {
            "x": {"username": seed["username"]},
            "linkedin": {"author": "urn:li:person:" + seed["id"]},
            "facebook": {"page_id": seed["id"]},
            "instagram": {"ig_user_id": seed["id"]},
            "threads": {"user_id": seed["id"]},
            "mastodon": {},
            "bluesky": {"handle": seed["username"]},
        }[platform]
        return {"name": "demo-" + platform, "platform": platform, "api_base": base, "settings": settings}


class AddListShow(AccountTestCase):
    def test_add_on_each_platform_then_list_and_show_never_print_a_secret(self):
        # The add checks each secret with the platform; Bluesky's check logs in, and that
        # session is kept.
        stored = {p: ["app_password", "session"] if p == "bluesky" else ["access_token"] for p in PLATFORMS}
        for p in PLATFORMS:
            want = dict(self.expected(p), secrets=stored[p])
            self.assertEqual(self.add(p), want)
        r = self.ctl("account", "list", "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.json(), {"accounts": sorted((self.expected(p) for p in PLATFORMS),
                                                       key=lambda a: a["name"])})
        for p in PLATFORMS:
            r = self.ctl("account", "show", "demo-" + p, "--json")
            self.assertEqual(r.returncode, 0, r)
            self.assertEqual(r.json()["secrets"], stored[p])
            self.assertEqual(self.ctl("account", "show", "demo-" + p).returncode, 0)
        r = self.ctl("account", "list")
        self.assertEqual(r.returncode, 0, r)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0].split(), ["NAME", "PLATFORM", "DETAILS"])
        self.assertEqual([line.split()[0] for line in lines[1:]], sorted("demo-" + p for p in PLATFORMS))
        self.assert_no_secret_anywhere()

    def test_human_show_says_which_secrets_are_stored(self):
        self.add("x")
        r = self.ctl("account", "show", "demo-x")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout,
                         "name:      demo-x\n"
                         "platform:  x\n"
                         f"api base:  {self.sb.url('x')}\n"
                         "username:  growthdemo\n"
                         "secrets:   access_token (stored, encrypted)\n")

    def test_token_from_stdin(self):
        r = self.ctl("account", "add", "mastodon", "--name", "m", "--instance", self.sb.url("mastodon"),
                     "--token-stdin", input=SEED["mastodon"]["token"] + "\n")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "added mastodon account m\n")
        self.assertEqual(self.ctl("account", "show", "m", "--json").json()["secrets"], ["access_token"])

    def test_verbose_add_does_not_trace_the_secret(self):
        r = self.ctl("-v", *self.add_args("x"))
        self.assertEqual(r.returncode, 0, r)
        self.assert_no_secret_anywhere()

    def test_vault_and_key_file_are_private(self):
        self.add("x")
        key = os.path.join(self.sandbox.config_home, "growth", "vault.key")
        self.assertEqual(self.mode(key), 0o600)
        self.assertEqual(os.path.getsize(key), 32)
        self.assertEqual(self.mode(os.path.join(self.sandbox.data_dir, "vault.db")), 0o600)

    def test_list_without_accounts_says_how_to_add_one(self):
        r = self.ctl("account", "list")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "no accounts; add one with: growthctl account add PLATFORM --name NAME "
                                   "--token-file FILE\n")
        self.assertEqual(self.ctl("account", "list", "--json").json(), {"accounts": []})


class Vault(AccountTestCase):
    def vault_bytes(self):
        out = {}
        for name in ("vault.db", "vault.db-wal", "vault.db-shm"):
            path = os.path.join(self.sandbox.data_dir, name)
            if os.path.exists(path):
                with open(path, "rb") as f:
                    out[name] = f.read()
        return out

    def test_secrets_survive_a_restart(self):
        self.add("x")
        self.assertEqual(self.daemon.stop(), 0)
        self.daemon = self.sandbox.start_daemon()
        r = self.ctl("account", "test", "demo-x", "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.json()["identity"]["id"], SEED["x"]["id"])

    def test_a_wrong_key_file_stops_growthd_with_one_clear_error_and_writes_nothing(self):
        self.add("x")
        self.assertEqual(self.daemon.stop(), 0)
        before = self.vault_bytes()
        wrong = os.path.join(self.sandbox.root, "other", "vault.key")
        os.makedirs(os.path.dirname(wrong), mode=0o700)
        with open(wrong, "wb") as f:
            f.write(os.urandom(32))
        os.chmod(wrong, 0o600)
        daemon = self.sandbox.spawn_daemon("--key-file", wrong)
        self.assertEqual(daemon.wait(), 1)
        vault = os.path.join(self.sandbox.data_dir, "vault.db")
        self.assertIn(f"vault {vault}: the key file {wrong} does not open it (wrong key); nothing was changed",
                      daemon.log())
        self.assertEqual(self.vault_bytes(), before)

    def test_a_missing_key_file_is_not_replaced_by_a_new_one(self):
        self.add("x")
        self.assertEqual(self.daemon.stop(), 0)
        key = os.path.join(self.sandbox.config_home, "growth", "vault.key")
        os.rename(key, key + ".saved")
        daemon = self.sandbox.spawn_daemon()
        self.assertEqual(daemon.wait(), 1)
        self.assertIn(f"key file {key}: missing; the vault was sealed with it", daemon.log())
        self.assertFalse(os.path.exists(key))


class Remove(AccountTestCase):
    def test_remove_drops_the_account_and_its_secret(self):
        self.add("x")
        self.add("bluesky")
        r = self.ctl("account", "remove", "demo-x")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "removed x account demo-x\n")
        self.assertEqual([a["name"] for a in self.ctl("account", "list", "--json").json()["accounts"]],
                         ["demo-bluesky"])
        r = self.ctl("account", "show", "demo-x")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: no account named 'demo-x'\n")
        # The name is free again, and the new account gets only its own secret.
        self.assertEqual(self.add("x")["secrets"], ["access_token"])

    def test_remove_json(self):
        self.add("mastodon")
        r = self.ctl("account", "remove", "demo-mastodon", "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.json(), {"removed": self.expected("mastodon")})


class BadInput(AccountTestCase):
    def assert_nothing_added(self, accounts=()):
        got = self.ctl("account", "list", "--json").json()["accounts"]
        self.assertEqual([a["name"] for a in got], list(accounts))

    def test_unknown_platform_is_refused_with_a_suggestion(self):
        token = self.secret_file("t", "abc")
        r = self.ctl("account", "add", "mastadon", "--name", "m", "--token-file", token)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: unknown platform 'mastadon'; did you mean 'mastodon'? "
                                   "(platforms: x, linkedin, facebook, instagram, threads, mastodon, bluesky)\n")
        self.assert_nothing_added()

    def test_duplicate_name_is_refused_and_the_first_account_is_kept(self):
        self.add("x")
        r = self.ctl(*self.add_args("mastodon", name="demo-x"))
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: an account named 'demo-x' exists already (x); "
                                   "remove it first or choose another name\n")
        self.assertEqual(self.ctl("account", "show", "demo-x", "--json").json()["platform"], "x")
        self.assertEqual(self.ctl("account", "test", "demo-x").returncode, 0)

    def test_missing_token_file_is_refused_before_anything_is_sent(self):
        missing = os.path.join(self.sandbox.root, "nope.token")
        r = self.ctl("account", "add", "x", "--name", "w", "--token-file", missing)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, f"growthctl: error: cannot read --token-file {missing}: "
                                   "No such file or directory\n")
        self.assert_nothing_added()

    def test_token_file_that_is_a_directory_is_refused(self):
        r = self.ctl("account", "add", "x", "--name", "w", "--token-file", self.sandbox.root)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, f"growthctl: error: cannot read --token-file {self.sandbox.root}: "
                                   "Is a directory\n")
        self.assert_nothing_added()

    def test_empty_token_on_stdin_is_refused(self):
        r = self.ctl("account", "add", "x", "--name", "w", "--token-stdin", input="\n")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: the token is empty (from --token-file/--token-stdin)\n")
        self.assert_nothing_added()

    def test_missing_token_is_refused(self):
        r = self.ctl("account", "add", "x", "--name", "w")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: a x account needs a token: --token-file FILE or "
                                   "--token-stdin\n")
        self.assert_nothing_added()

    def test_setting_of_another_platform_is_refused(self):
        args = self.add_args("x") + ["--page-id", "1"]
        r = self.ctl(*args)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: --page-id applies only to facebook accounts, not x\n")
        self.assert_nothing_added()

    def test_bad_name_is_refused(self):
        r = self.ctl(*self.add_args("x", name="Work X"))
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: bad account name 'Work X': it must start with a "
                                   "lower-case letter or a digit\n")
        self.assert_nothing_added()

    def test_show_unknown_suggests_the_close_name(self):
        self.add("x")
        r = self.ctl("account", "show", "demo-y")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: no account named 'demo-y'; did you mean 'demo-x'?\n")

    def test_remove_unknown_changes_nothing(self):
        self.add("x")
        r = self.ctl("account", "remove", "nope")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: no account named 'nope'\n")
        self.assert_nothing_added(["demo-x"])


class Update(AccountTestCase):
    """account update: a new secret in place, checked with the platform first."""

    def test_update_replaces_the_token_in_place_and_never_prints_it(self):
        self.add("mastodon")
        before = self.ctl("account", "list", "--json").json()
        token = self.secret_file("new.token", SEED["mastodon"]["token"])
        r = self.ctl("account", "update", "demo-mastodon", "--token-file", token, "--json")
        self.assertEqual(r.returncode, 0, r)
        got = r.json()
        self.assertEqual(got["secrets"], ["access_token"])
        self.assertEqual(got["identity"]["id"], SEED["mastodon"]["id"])
        self.assertEqual(self.ctl("account", "list", "--json").json(), before)
        self.assertEqual(self.ctl("account", "test", "demo-mastodon").returncode, 0)
        self.assert_no_secret_anywhere()

    def test_token_from_stdin(self):
        self.add("x")
        r = self.ctl("account", "update", "demo-x", "--token-stdin", input=SEED["x"]["token"] + "\n")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "updated x account demo-x: new token stored, signed in as growthdemo "
                                   "(Growth Demo)\n")

    def test_the_secret_kind_the_platform_does_not_use_is_refused(self):
        self.add("x")
        self.add("bluesky")
        pw = self.secret_file("pw", "some-app-password")
        sent = len(self.sb.requests())
        r = self.ctl("account", "update", "demo-x", "--app-password-file", pw)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: --app-password-file applies only to bluesky accounts; "
                                   "account demo-x is a x account: use --token-file FILE or --token-stdin\n")
        r = self.ctl("account", "update", "demo-bluesky", "--token-file", pw)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: account demo-bluesky is a bluesky account, which logs "
                                   "in with an app password: use --app-password-file FILE, not a token\n")
        self.assertEqual(len(self.sb.requests()), sent)  # refused before any request
        self.assertEqual(self.ctl("account", "test", "demo-x").returncode, 0)

    def test_a_token_of_another_user_is_refused(self):
        other = self.sb.add_account("x", username="someone-else", token="someone-elses-x-token")
        self.add("x")
        token = self.secret_file("other.token", other["token"])
        r = self.ctl("account", "update", "demo-x", "--token-file", token)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: the new token of account demo-x belongs to X user "
                                   "@someone-else, not @growthdemo (the account's); nothing was changed\n")
        r = self.ctl("account", "test", "demo-x")
        self.assertIn("signed in as growthdemo", r.stdout)

    def test_without_a_secret_or_with_two_is_a_usage_error(self):
        self.add("x")
        r = self.ctl("account", "update", "demo-x")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: account update needs the new secret: --token-file FILE, "
                                   "--token-stdin or --app-password-file FILE (bluesky)\n")
        token = self.secret_file("t", "x")
        r = self.ctl("account", "update", "demo-x", "--token-file", token, "--token-stdin")
        self.assertEqual(r.returncode, 2, r)

    def test_unknown_account_suggests_the_close_name(self):
        self.add("x")
        token = self.secret_file("t", "x")
        r = self.ctl("account", "update", "demo-y", "--token-file", token)
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: no account named 'demo-y'; did you mean 'demo-x'?\n")


class To(AccountTestCase):
    """`post --to` resolves through the accounts (accounts::resolve); a bad word changes nothing."""

    def post_count(self):
        return self.ctl("status", "--json").json()["counts"]["posts"]

    def test_platform_with_two_accounts_is_ambiguous_and_nothing_is_posted(self):
        self.add("x")
        self.add("x", name="other-x")
        r = self.ctl("post", "--to", "x", "hello")
        self.assertNotEqual(r.returncode, 0, r)
        self.assertEqual(r.stderr, "growthctl: error: 2 x accounts (demo-x, other-x): name one of them\n")
        self.assertEqual(self.post_count(), 0)
        self.assertEqual(self.sb.requests("x", endpoint="create_post"), [])

    def test_misspelt_account_gets_a_suggestion_and_nothing_is_posted(self):
        self.add("mastodon")
        r = self.ctl("post", "--to", "demo-mastodn", "hello")
        self.assertNotEqual(r.returncode, 0, r)
        self.assertEqual(r.stderr, "growthctl: error: no account or platform named 'demo-mastodn'; "
                                   "did you mean 'demo-mastodon'?\n")
        self.assertEqual(self.post_count(), 0)

    def test_ambiguity_is_bad_input_exit_2(self):
        self.add("x")
        self.add("x", name="other-x")
        self.assertEqual(self.ctl("post", "--to", "x", "hello").returncode, 2)


class Test(AccountTestCase):
    """account test: the platform's who-am-I through growthd's HTTP transport."""

    def test_identity_comes_back_on_each_platform(self):
        for p in PLATFORMS:
            self.add(p)
            r = self.ctl("account", "test", "demo-" + p, "--json")
            self.assertEqual(r.returncode, 0, r)
            got = r.json()
            self.assertEqual((got["name"], got["platform"]), ("demo-" + p, p))
            self.assertEqual(got["identity"]["id"], SEED[p]["id"], (p, got))
        self.assert_no_secret_anywhere()

    def test_linkedin_author_is_discovered_from_userinfo_when_not_given(self):
        token = self.secret_file("li.token", SEED["linkedin"]["token"])
        r = self.ctl("account", "add", "linkedin", "--name", "li", "--token-file", token,
                     "--api-base", self.sb.url("linkedin"), "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.json()["settings"], {"author": "urn:li:person:" + SEED["linkedin"]["id"]})

    def test_add_checks_the_token_first_and_stores_nothing_it_refuses(self):
        bad = self.secret_file("bad.token", "not-a-token")
        r = self.ctl("account", "add", "x", "--name", "bad-x", "--token-file", bad, "--api-base", self.sb.url("x"))
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual(r.stderr, "growthctl: error: account bad-x: the token does not work: X who-am-I needs a "
                                   "new login: Unauthorized (HTTP 401); nothing was stored\n")
        other = self.sb.add_account("x", username="someoneelse", token="someone-elses-token")
        r = self.ctl(*self.add_args("x", name="wrong-x", secret=other["token"]))
        self.assertEqual(r.returncode, 2, r)
        self.assertIn("belongs to X user @someoneelse, not @growthdemo", r.stderr)
        self.assertEqual(self.ctl("account", "list", "--json").json(), {"accounts": []})
        # --no-check stores it as given (checked at post time, or with account test).
        r = self.ctl("account", "add", "x", "--name", "bad-x", "--token-file", bad, "--no-check")
        self.assertEqual(r.returncode, 0, r)

    def test_add_learns_the_x_username_from_the_token(self):
        token = self.secret_file("x.token", SEED["x"]["token"])
        r = self.ctl("account", "add", "x", "--name", "x", "--token-file", token, "--api-base", self.sb.url("x"),
                     "--json")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.json()["settings"], {"username": SEED["x"]["username"]})

    def test_human_output_names_the_identity(self):
        self.add("x")
        r = self.ctl("account", "test", "demo-x")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, "demo-x (x): ok, signed in as growthdemo (Growth Demo), id "
                                   f"{SEED['x']['id']}\n")

    def test_expired_token_exits_6(self):
        acct = self.sb.add_account("x", username="expiring", token="expiring-x-token")
        r = self.ctl(*self.add_args("x", name="old-x", secret=acct["token"]), "--no-check")
        self.assertEqual(r.returncode, 0, r)
        self.sb.control("POST", "tokens", {"token": acct["token"], "state": "expired"})
        r = self.ctl("account", "test", "old-x")
        self.assertEqual(r.returncode, 6, r)
        self.assertEqual(r.stderr, "growthctl: error: account old-x: X who-am-I needs a new login: "
                                   "Unauthorized (HTTP 401); give it a new token with: growthctl account "
                                   "login x --name old-x (or: growthctl account update old-x --token-file FILE)\n")
        self.assertNotIn(acct["token"], r.stdout + r.stderr + self.daemon.log())

    def test_bluesky_session_is_kept_in_the_vault(self):
        self.add("bluesky")
        self.assertEqual(self.ctl("account", "test", "demo-bluesky").returncode, 0)
        r = self.ctl("account", "show", "demo-bluesky", "--json")
        self.assertEqual(r.json()["secrets"], ["app_password", "session"])

    def test_unknown_account(self):
        r = self.ctl("account", "test", "nope")
        self.assertEqual(r.returncode, 2, r)
        self.assertEqual(r.stderr, "growthctl: error: no account named 'nope'\n")


if __name__ == "__main__":
    unittest.main()
