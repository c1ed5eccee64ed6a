"""Start/stop the sandbox from Python tests and talk to it (stdlib only).

    import sys; sys.path.insert(0, "<repo>/tests/sandbox")
    from harness import Sandbox
    with Sandbox() as sb:
        acct = sb.add_account("x", username="alice")
        status, headers, body = sb.call("POST", sb.url("x", "/2/tweets"), json_body={"text": "hi"},
                                        headers={"Authorization": "Bearer " + acct["token"]})
        sb.threads("x")
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


class Sandbox:
    """One sandbox process on a free loopback port."""

    def __init__(self, seed=None, extra_args=(), verbose=False):
        self.seed = seed
        self.extra_args = list(extra_args)
        self.verbose = verbose
        self.proc = None
        self.base = None
        self._tmp = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self, timeout=10):
        self._tmp = tempfile.TemporaryDirectory(prefix="growth-sandbox-")
        port_file = os.path.join(self._tmp.name, "port")
        args = [sys.executable, os.path.join(HERE, "sandbox.py"), "--port", "0", "--port-file", port_file]
        if self.seed is not None:
            seed_path = os.path.join(self._tmp.name, "seed.json")
            with open(seed_path, "w", encoding="utf-8") as f:
                json.dump(self.seed, f)
            args += ["--seed", seed_path]
        if self.verbose:
            args.append("-v")
        args += self.extra_args
        # stderr goes to a file so a chatty sandbox can never block on a full pipe.
        self.stderr_path = os.path.join(self._tmp.name, "stderr")
        with open(self.stderr_path, "w") as err:
            self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, text=True)
        deadline = time.monotonic() + timeout
        while not os.path.exists(port_file):
            if self.proc.poll() is not None:
                raise RuntimeError("sandbox exited with %d: %s" % (self.proc.returncode, self.stderr_text()))
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("sandbox did not start within %ss" % timeout)
            time.sleep(0.02)
        with open(port_file, encoding="utf-8") as f:
            self.port = int(f.read())
        self.base = "http://127.0.0.1:%d" % self.port
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        if self._tmp:
            self._tmp.cleanup()
            self._tmp = None

    def stderr_text(self):
        """Everything the sandbox wrote to stderr so far (the -v request log, errors)."""
        with open(self.stderr_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    # --- HTTP ------------------------------------------------------------------------------------

    def url(self, platform, path=""):
        return "%s/%s%s" % (self.base, platform, path)

    @staticmethod
    def call(method, url, headers=None, json_body=None, form=None, data=None, timeout=10):
        """Send one request; returns (status, {lower-case header: value}, parsed JSON or text or None).

        Connection-level failures (reset, timeout) propagate as OSError/urllib.error.URLError.
        """
        headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        elif form is not None:
            data = urllib.parse.urlencode(form).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                status, hdrs, raw = r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            status, hdrs, raw = e.code, e.headers, e.read()
        hdrs = {k.lower(): v for k, v in hdrs.items()}
        body = None
        if raw:
            try:
                body = json.loads(raw.decode("utf-8"))
            except ValueError:
                body = raw.decode("utf-8", "replace")
        return status, hdrs, body

    def control(self, method, path, body=None):
        status, _, out = self.call(method, self.base + "/_sandbox/" + path.lstrip("/"),
                                   json_body=body if method != "GET" else None)
        if status >= 300:
            raise AssertionError("control %s %s -> %d %s" % (method, path, status, out))
        return out

    # --- control helpers -------------------------------------------------------------------------

    def add_account(self, platform, **fields):
        fields["platform"] = platform
        return self.control("POST", "accounts", fields)["accounts"][0]

    def fault(self, platform, kind, endpoint="*", **extra):
        spec = dict(platform=platform, kind=kind, endpoint=endpoint, **extra)
        return self.control("POST", "faults", spec)["faults"][0]

    def reset(self, accounts=True):
        return self.control("POST", "reset", {"accounts": accounts})

    def config(self, **values):
        return self.control("POST", "config", values)

    def posts(self, platform=None, **query):
        if platform:
            query["platform"] = platform
        return self.control("GET", "posts?" + urllib.parse.urlencode(query))["posts"]

    def objects(self, platform=None, **query):
        if platform:
            query["platform"] = platform
        return self.control("GET", "objects?" + urllib.parse.urlencode(query))["objects"]

    def threads(self, platform=None, **query):
        if platform:
            query["platform"] = platform
        return self.control("GET", "threads?" + urllib.parse.urlencode(query))["threads"]

    def requests(self, platform=None, **query):
        if platform:
            query["platform"] = platform
        return self.control("GET", "requests?" + urllib.parse.urlencode(query))["requests"]

    def media_url(self, name="photo.jpg"):
        return "%s/_sandbox/media/%s" % (self.base, name)


class SandboxTestCase(__import__("unittest").TestCase):
    """unittest base: one sandbox per test class, state (accounts included) wiped before each test."""

    sandbox_args = ()

    @classmethod
    def setUpClass(cls):
        cls.sb = Sandbox(extra_args=cls.sandbox_args).start()

    @classmethod
    def tearDownClass(cls):
        cls.sb.stop()

    def setUp(self):
        self.sb.reset(accounts=True)
        self.sb.config(quotas=True, container_polls={"instagram": 0, "threads": 0}, bluesky_access_ttl=7200)
