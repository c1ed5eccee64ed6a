"""Shared fixtures for the e2e tests that talk to the platform sandbox: the sandbox seeded with the
demo accounts (SandboxTestCase) and, for the `growthctl post` tests, a growthd in a throwaway home
with one growthctl account per platform (PostTestCase)."""

import importlib.util
import json
import os

import harness

_spec = importlib.util.spec_from_file_location(
    "sandbox_harness", os.path.join(harness.SOURCE_DIR, "tests", "sandbox", "harness.py"))
sandbox_harness = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sandbox_harness)

with open(os.path.join(harness.SOURCE_DIR, "tests", "sandbox", "seeds", "demo.json"), encoding="utf-8") as _f:
    DEMO = json.load(_f)
SEED = {a["platform"]: a for a in DEMO["accounts"]}
PLATFORMS = ["x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"]
MEDIA = "photo.jpg"


def long_text(parts, words_per_part=35):
    """A text of roughly `parts` X-sized paragraphs, separated by explicit breaks."""
    paras = []
    for k in range(1, parts + 1):
        paras.append(" ".join(f"part{k}word{w}" for w in range(words_per_part // 5)) + f" end of paragraph {k}.")
    return "\n---\n".join(paras)


class SandboxTestCase(harness.TestCase):
    """One platform sandbox seeded with the demo accounts for the whole class, as self.sb."""

    @classmethod
    def setUpClass(cls):
        cls.platform_sandbox = sandbox_harness.Sandbox(seed=DEMO).start()

    @classmethod
    def tearDownClass(cls):
        cls.platform_sandbox.stop()

    def setUp(self):
        super().setUp()
        self.sb = self.platform_sandbox


class PostTestCase(SandboxTestCase):
    DAEMON_ARGS = ("--http-timeout", "3")

    def setUp(self):
        super().setUp()
        self.sb.reset(accounts=False)
        self.daemon = self.sandbox.start_daemon(*self.DAEMON_ARGS)

    def ctl(self, *args, **kwargs):
        return self.sandbox.ctl(*args, **kwargs)

    def add_account(self, platform, name=None):
        seed = SEED[platform]
        name = name or platform
        base = self.sb.url(platform)
        path = os.path.join(self.sandbox.root, name + ".secret")
        with open(path, "w", encoding="utf-8") as f:
            f.write((seed.get("token") or seed.get("password")) + "\n")
        if platform == "bluesky":
            args = ["account", "add", "--no-check", "bluesky", "--name", name, "--handle", seed["username"],
                    "--app-password-file", path, "--service", base]
        else:
            args = ["account", "add", "--no-check", platform, "--name", name, "--token-file", path] + {
                "x": ["--api-base", base, "--username", seed["username"]],
                "linkedin": ["--api-base", base, "--author", "urn:li:person:" + seed["id"]],
                "facebook": ["--api-base", base, "--page-id", seed["id"]],
                "instagram": ["--api-base", base, "--ig-user-id", seed["id"]],
                "threads": ["--api-base", base, "--user-id", seed["id"]],
                "mastodon": ["--instance", base],
            }[platform]
        r = self.ctl(*args)
        self.assertEqual(r.returncode, 0, r)

    def post(self, *args, **kwargs):
        """growthctl post ... --json; returns (Result, parsed JSON or None)."""
        r = self.ctl("post", "--json", "--media-url", self.sb.media_url(MEDIA), *args, **kwargs)
        try:
            return r, json.loads(r.stdout)
        except ValueError:
            return r, None

    def add_all(self):
        for p in PLATFORMS:
            self.add_account(p)

    def assert_thread(self, post_json, platform, n):
        """The sandbox holds exactly one thread on `platform` with `n` parts, each replying to (or
        commenting on) the right part, and they are what growthctl reported."""
        thread = self.thread_of(platform)
        target = [t for t in post_json["targets"] if t["platform"] == platform][0]
        self.assertEqual(target["state"], "published")
        self.assertEqual(len(thread["parts"]), n)
        self.assertEqual([p["remote_id"] for p in target["parts"]], [p["id"] for p in thread["parts"]])
        comments = platform in ("linkedin", "facebook", "instagram")
        for k, part in enumerate(thread["parts"]):
            if k == 0:
                self.assertIsNone(part["parent_id"])
            elif comments:
                self.assertEqual(part["parent_id"], thread["parts"][0]["id"], platform)
            else:
                self.assertEqual(part["parent_id"], thread["parts"][k - 1]["id"], platform)
        return thread

    def thread_of(self, platform):
        threads = self.sb.threads(platform)
        self.assertEqual(len(threads), 1, threads)
        return threads[0]
