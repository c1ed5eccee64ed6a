"""The bash completion script, driven by bash itself (zsh and fish are not installed here)."""

import os
import shutil
import subprocess
import unittest

import harness

SCRIPT = os.path.join(harness.SOURCE_DIR, "completions", "growthctl.bash")


@unittest.skipUnless(shutil.which("bash"), "bash is not installed")
class BashCompletionTest(harness.TestCase):
    def complete(self, *words, env=None):
        """COMPREPLY for the command line `words` (the last word is being completed)."""
        program = (f"source {SCRIPT}; COMP_WORDS=({' '.join(_quote(w) for w in words)}); "
                   f"COMP_CWORD={len(words) - 1}; _growthctl; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
        env = env or self.sandbox.env()
        env["PATH"] = os.path.dirname(os.path.abspath(harness.GROWTHCTL)) + ":" + env.get("PATH", "")
        p = subprocess.run(["bash", "-c", program], capture_output=True, text=True, env=env, timeout=10)
        self.assertEqual(p.returncode, 0, p.stderr)
        return [line for line in p.stdout.splitlines() if line]

    def test_verbs(self):
        self.assertEqual(self.complete("growthctl", "st"), ["status", "stop"])
        self.assertIn("--follow", self.complete("growthctl", "log", "--f"))
        self.assertEqual(self.complete("growthctl", "--json", "pr"), ["preview"])
        self.assertEqual(sorted(self.complete("growthctl", "--json", "p")), ["post", "preview"])
        self.assertEqual(self.complete("growthctl", "he"), ["help"])
        self.assertEqual(self.complete("growthctl", "help", "acc"), ["account"])

    def test_preview_platforms_and_numbering(self):
        self.assertEqual(self.complete("growthctl", "preview", "-p", "b"), ["bluesky"])
        self.assertEqual(self.complete("growthctl", "preview", "--numbering", ""), ["none", "1/n", "(1/n)", "🧵 1/n"])
        self.assertIn("--no-split", self.complete("growthctl", "preview", "--no"))

    def test_the_queue_verbs_and_their_options(self):
        self.assertEqual(sorted(self.complete("growthctl", "re")), ["reschedule", "resolve", "retry"])
        self.assertEqual(self.complete("growthctl", "sch"), ["schedule"])
        self.assertEqual(self.complete("growthctl", "schedule", "--fold", ""), ["earlier", "later"])
        self.assertIn("--catch-up", self.complete("growthctl", "post", "--c"))
        self.assertEqual(self.complete("growthctl", "list", "--state", "sch"), ["scheduled"])
        self.assertEqual(self.complete("growthctl", "schedule", "--tz", "Europe/Berl"), ["Europe/Berlin"])

    def test_calendar_and_its_options(self):
        self.assertEqual(self.complete("growthctl", "cal"), ["calendar"])
        self.assertEqual(sorted(self.complete("growthctl", "calendar", "--m")), ["--month"])
        self.assertIn("--ics", self.complete("growthctl", "calendar", "--"))
        self.assertEqual(self.complete("growthctl", "calendar", "--tz", "Europe/Berl"), ["Europe/Berlin"])

    def test_quota_and_its_options(self):
        self.assertEqual(self.complete("growthctl", "quo"), ["quota"])
        self.assertEqual(self.complete("growthctl", "quota", "--acc"), ["--account"])

    def test_resolve_and_its_options(self):
        self.assertEqual(self.complete("growthctl", "reso"), ["resolve"])
        self.assertEqual(self.complete("growthctl", "resolve", "ID", "--not"), ["--not-published"])
        self.assertEqual(sorted(self.complete("growthctl", "resolve", "ID", "--p")), ["--part", "--published"])

    def test_account_update_and_its_secret_options(self):
        self.assertEqual(self.complete("growthctl", "account", "up"), ["update"])
        self.assertEqual(self.complete("growthctl", "account", "update", "--t"), ["--token-file", "--token-stdin"])
        self.assertEqual(self.complete("growthctl", "account", "update", "--app"), ["--app-password-file"])

    def test_account_login_and_its_options(self):
        self.assertEqual(self.complete("growthctl", "account", "lo"), ["login"])
        self.assertEqual(self.complete("growthctl", "account", "ref"), ["refresh"])
        self.assertEqual(sorted(self.complete("growthctl", "account", "login", "")),
                         ["bluesky", "facebook", "instagram", "linkedin", "mastodon", "threads", "x"])
        self.assertEqual(sorted(self.complete("growthctl", "account", "login", "x", "--pa")), ["--page", "--paste"])
        self.assertEqual(self.complete("growthctl", "account", "login", "bluesky", "--app"), ["--app-password-file"])
        self.assertEqual(sorted(self.complete("growthctl", "account", "login", "x", "--no")),
                         ["--no-autostart", "--no-browser"])

    def test_rpc_methods_come_from_the_running_daemon(self):
        self.sandbox.start_daemon()
        self.assertEqual(self.complete("growthctl", "rpc", "daemon.st"), ["daemon.status", "daemon.stop"])

    def test_rpc_method_completion_never_starts_the_daemon(self):
        self.assertEqual(self.complete("growthctl", "rpc", "daemon."), [])
        self.assertFalse(os.path.exists(self.sandbox.socket_path))


def _quote(word):
    return "'" + word.replace("'", "'\\''") + "'"
