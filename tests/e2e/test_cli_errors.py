"""growthctl's command-line mistakes in the user's words: extra words, unknown options with the
nearest one, missing values, non-numbers, a directory or an endless input as the text, errors as
JSON with --json, and `growthctl help [VERB]`. None of them needs (or starts) growthd.

Run from tests/e2e with GROWTHD/GROWTHCTL set: python3 -m unittest -v test_cli_errors
"""

import json
import os

import harness


class CliErrors(harness.TestCase):
    def error(self, *args, input=None):
        """(exit code, the error lines) of a growthctl run that must fail before talking to growthd."""
        r = self.sandbox.ctl("--no-autostart", *args, input=input)
        self.assertEqual(r.stdout, "", r)
        self.assertFalse(os.path.exists(self.sandbox.socket_path), "growthd was started")
        return r.returncode, r.stderr

    def test_words_options_and_values_are_named_with_the_verbs_own_help(self):
        self.assertEqual(self.error("post", "hello", "later", "--dry-run"),
                         (2, "growthctl: error: unexpected argument 'later': a text with spaces goes in quotes, "
                             "e.g. growthctl post 'several words'\nhint: see growthctl post --help\n"))
        self.assertEqual(self.error("post", "hello", "--at"),
                         (2, "growthctl: error: --at needs a value\nhint: see growthctl post --help\n"))
        self.assertEqual(self.error("post", "hello", "--dry-rn"),
                         (2, "growthctl: error: unknown option --dry-rn; did you mean --dry-run?\n"
                             "hint: see growthctl post --help\n"))
        self.assertEqual(self.error("list", "--limit", "many"),
                         (2, "growthctl: error: --limit takes a number, not 'many'\nhint: see growthctl list --help\n"))
        self.assertEqual(self.error("account", "add"),
                         (2, "growthctl: error: growthctl account add needs PLATFORM\n"
                             "hint: see growthctl account add --help\n"))
        self.assertEqual(self.error("status", "now", "please"),
                         (2, "growthctl: error: growthctl status takes no arguments, got 'now please'\n"
                             "hint: see growthctl status --help\n"))

    def test_the_text_from_a_directory_or_an_endless_input_is_refused_naming_it(self):
        self.assertEqual(self.error("post", "-f", self.sandbox.root),
                         (2, "growthctl: error: cannot read -f %s: it is a directory; give the file that holds "
                             "the text\n" % self.sandbox.root))
        code, err = self.error("post", "--dry-run", input="a" * (2 * 1024 * 1024))
        self.assertEqual(code, 2)
        self.assertEqual(err, "growthctl: error: standard input is longer than 960 KiB, more than a post can be "
                              "(growthd takes limits.max_post_bytes, 512 KiB by default)\n")

    def test_with_json_an_error_is_one_object_on_stdout_and_the_exit_code_stays(self):
        for args, kind, code in ((["post", "-f", self.sandbox.root], "bad_input", 2),
                                 (["pots", "x"], "unknown_verb", 2),
                                 (["post", "x", "--at"], "usage", 2),
                                 (["status"], "daemon_unreachable", 3)):
            r = self.sandbox.ctl("--no-autostart", "--json", *args)
            self.assertEqual(r.returncode, code, r)
            self.assertEqual(r.stderr, "")
            error = json.loads(r.stdout)["error"]
            self.assertEqual(error["kind"], kind, r)
            self.assertTrue(error["message"], r)
        self.assertIn("hint", json.loads(self.sandbox.ctl("--json", "post", "x", "--at").stdout)["error"])

    def test_help_shows_growthctl_or_a_verb_and_names_a_misspelt_one(self):
        r = self.sandbox.ctl("help")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, self.sandbox.ctl("--help").stdout)
        r = self.sandbox.ctl("help", "account", "add")
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(r.stdout, self.sandbox.ctl("account", "add", "--help").stdout)
        self.assertIn("Usage: growthctl account add", r.stdout)
        self.assertEqual(self.error("help", "acount"),
                         (2, "growthctl: error: unknown verb 'acount'; did you mean 'account'?\n"
                             "hint: see growthctl --help\n"))
        self.assertEqual(self.error("help", "account", "lgin"),
                         (2, "growthctl: error: growthctl account has no verb 'lgin'; did you mean 'login'?\n"
                             "hint: see growthctl account --help\n"))
