"""The vault's key sources end to end (DESIGN.md §6): `growthctl vault rekey --passphrase` seals the
data key with Argon2id, growthd then starts locked, posts wait as needs_auth and go out on
`growthctl unlock`; `lock`, a wrong passphrase, bad costs, `rekey --key-file` back, and the key
arriving as a systemd credential ($CREDENTIALS_DIRECTORY/vault.key).

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_vault
"""

import datetime
import os
import shutil
import sqlite3
import unittest

import harness
from test_account import AccountTestCase

PASSPHRASE = "canary-passphrase-7f3a9c"
# Cheap Argon2id for tests (the default is 3 passes over 256 MiB).
CHEAP = ["--kdf-memory", "8", "--kdf-ops", "1"]


class VaultTestCase(AccountTestCase):
    def rekey_to_passphrase(self, passphrase=PASSPHRASE):
        r = self.ctl("vault", "rekey", "--passphrase", *CHEAP, input=passphrase + "\n")
        self.assertEqual(r.returncode, 0, r)
        return r

    def restart(self, *args, env=None):
        self.daemon.stop()
        self.daemon = self.sandbox.start_daemon(*args, env=env)

    def vault_status(self):
        r = self.ctl("vault", "status", "--json")
        self.assertEqual(r.returncode, 0, r)
        return r.json()

    def post_state(self, post_id):
        return self.sandbox.call("post.show", {"id": post_id})["result"]

    def wait_published(self, post_id):
        harness.wait_for(lambda: self.post_state(post_id)["state"] == "published",
                         what=f"post {post_id} to be published")


class Passphrase(VaultTestCase):
    def test_a_passphrase_vault_starts_locked_its_posts_wait_and_go_out_on_unlock(self):
        self.add("mastodon")
        r = self.rekey_to_passphrase()
        self.assertIn("starts locked", r.stdout)
        self.assertIn("the key file no longer opens the vault", r.stdout)
        self.assertIn("delete " + os.path.join(self.sandbox.config_home, "growth", "vault.key"), r.stdout)
        self.assertLessEqual(max(len(line) for line in r.stdout.splitlines() if "vault.key" not in line), 80, r.stdout)
        self.assertEqual(self.vault_status()["key_source"], "passphrase")

        self.restart()
        status = self.vault_status()
        self.assertEqual(status["state"], "locked")
        self.assertEqual(status["kdf"], {"algorithm": "argon2id", "ops": 1, "memory_mib": 8})
        self.assertEqual(status["secrets"], 1)
        self.assertIn("vault:   locked", self.ctl("status").stdout)
        self.assertIn("the vault is sealed with a passphrase and locked", self.daemon.log())

        # Anything that needs a secret says what to do, exit 6 (a person must act).
        r = self.ctl("account", "test", "demo-mastodon")
        self.assertEqual(r.returncode, 6, r)
        self.assertIn("growthctl unlock", r.stderr)

        # A post now is recorded and waits (needs_auth, the error names unlock) ...
        r = self.ctl("post", "--to", "demo-mastodon", "written while the vault was locked", "--json")
        self.assertEqual(r.returncode, 6, r)
        post = r.json()
        part = post["targets"][0]["parts"][0]
        self.assertEqual(part["state"], "needs_auth")
        self.assertEqual(part["error"]["kind"], "vault_locked")
        self.assertIn("the vault is locked", r.stderr)
        self.assertIn("hint: growthctl unlock opens it, and the post goes out by itself", r.stderr)
        self.assertNotIn("account login", r.stderr)
        # ... and so does a scheduled one whose time comes while locked.
        at = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        r = self.ctl("schedule", "--to", "demo-mastodon", "--at", at, "due while locked", "--json")
        self.assertEqual(r.returncode, 0, r)
        scheduled = r.json()["id"]
        harness.wait_for(lambda: self.post_state(scheduled)["state"] == "needs_auth", timeout=30,
                         what="the scheduled post to wait for the vault")

        # A wrong passphrase changes nothing.
        r = self.ctl("unlock", input="not the passphrase\n")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("does not open the vault", r.stderr)
        self.assertEqual(self.vault_status()["state"], "locked")
        self.assertEqual(self.post_state(post["id"])["state"], "needs_auth")

        # The right one opens it, and both posts go out by themselves.
        r = self.ctl("unlock", input=PASSPHRASE + "\n")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("2 waiting target(s) continue", r.stdout)
        self.wait_published(post["id"])
        self.wait_published(scheduled)
        self.assertEqual(self.ctl("account", "test", "demo-mastodon").returncode, 0)

        # unlock again: says so, asks nothing. lock: secrets are out of reach again.
        r = self.ctl("unlock")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("already open", r.stdout)
        self.assertEqual(self.ctl("lock").returncode, 0)
        self.assertEqual(self.ctl("account", "test", "demo-mastodon").returncode, 6)
        fd_unlock = self.ctl("unlock", "--passphrase-fd", "0", input=PASSPHRASE)
        self.assertEqual(fd_unlock.returncode, 0, fd_unlock)

        # The passphrase is in no file of the data directory and not in the log.
        texts = [self.daemon.log()] + self.outputs
        for root, _, files in os.walk(self.sandbox.data_dir):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    texts.append(f.read().decode("latin-1"))
        for text in texts:
            self.assertNotIn(PASSPHRASE, text)
        self.assert_no_secret_anywhere()

    def test_rekey_back_to_the_key_file_opens_by_itself_again(self):
        self.add("mastodon")
        self.rekey_to_passphrase()
        r = self.ctl("vault", "rekey", "--key-file")
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("opens it by itself", r.stdout)
        self.restart()
        status = self.vault_status()
        self.assertEqual((status["state"], status["key_source"]), ("unlocked", "key_file"))
        self.assertIsNotNone(status["rekeyed_at"])
        self.assertEqual(self.ctl("vault").stdout, self.ctl("vault", "status").stdout)  # status is the default
        self.assertEqual(self.ctl("account", "test", "demo-mastodon").returncode, 0)

    def test_bad_requests_change_nothing(self):
        self.add("mastodon")
        cases = [
            (["vault", "rekey", "--passphrase", *CHEAP], "short\n", 2, "too short"),
            (["vault", "rekey", "--passphrase", "--kdf-memory", "4"], PASSPHRASE + "\n", 2, "--kdf-memory 4 MiB"),
            (["vault", "rekey", "--passphrase", "--kdf-ops", "99"], PASSPHRASE + "\n", 2, "--kdf-ops 99"),
            (["vault", "rekey"], None, 2, "--passphrase or --key-file"),
            (["vault", "rekey", "--key-file", "--kdf-ops", "2"], None, 2, "go with --passphrase"),
            (["lock"], None, 2, "sealed with a key file"),
        ]
        for args, stdin, code, message in cases:
            with self.subTest(args=args):
                r = self.ctl(*args, input=stdin)
                self.assertEqual(r.returncode, code, r)
                self.assertIn(message, r.stderr)
                status = self.vault_status()
                self.assertEqual((status["state"], status["key_source"], status["rekeyed_at"]),
                                 ("unlocked", "key_file", None))
        # Rekeying a locked vault would need its key: refused, exit 6.
        self.rekey_to_passphrase()
        self.restart()
        r = self.ctl("vault", "rekey", "--key-file")
        self.assertEqual(r.returncode, 6, r)
        self.assertIn("growthctl unlock", r.stderr)
        # The same checks through the socket.
        reply = self.sandbox.call("vault.unlock", {"passphrase": ""})
        self.assertEqual(reply["error"]["data"]["kind"], "bad_input", reply)

    def test_tampered_kdf_parameters_are_named_and_refused(self):
        self.rekey_to_passphrase()
        self.daemon.stop()
        db = sqlite3.connect(os.path.join(self.sandbox.data_dir, "vault.db"))
        params = db.execute("SELECT key_params FROM vault_key").fetchone()[0]
        db.execute("UPDATE vault_key SET key_params = ?", (params.replace("mem=8388608", "mem=99999999999"),))
        db.commit()
        db.close()
        self.daemon = self.sandbox.start_daemon()
        r = self.ctl("unlock", input=PASSPHRASE + "\n")
        self.assertEqual(r.returncode, 1, r)
        self.assertIn("passphrase parameters in the vault are out of bounds", r.stderr)
        self.assertTrue(self.daemon.running())


class Credential(VaultTestCase):
    def test_the_key_file_can_arrive_as_a_systemd_credential(self):
        self.add("mastodon")
        self.daemon.stop()
        key = os.path.join(self.sandbox.config_home, "growth", "vault.key")
        credentials = os.path.join(self.sandbox.root, "credentials")
        os.makedirs(credentials, mode=0o700)
        shutil.move(key, os.path.join(credentials, "vault.key"))
        os.chmod(os.path.join(credentials, "vault.key"), 0o400)
        self.daemon = self.sandbox.start_daemon(env=self.sandbox.env(CREDENTIALS_DIRECTORY=credentials))
        self.assertEqual(self.vault_status()["key_file"], os.path.join(credentials, "vault.key"))
        self.assertEqual(self.ctl("account", "test", "demo-mastodon").returncode, 0)
        self.assertFalse(os.path.exists(key), "no key file is made beside the credential")


if __name__ == "__main__":
    unittest.main()
