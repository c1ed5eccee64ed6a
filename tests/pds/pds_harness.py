"""A real Bluesky PDS for integration tests (python3 standard library only).

    import sys, os
    sys.path.insert(0, os.path.join(GROWTH_SOURCE_DIR, "tests", "pds"))
    from pds_harness import RealPds

    with RealPds() as pds:                 # installs on first use (setup.sh), starts PLC + PDS, waits
        pds.url, pds.did, pds.handle        # "http://127.0.0.1:PORT", "did:plc:...", "alice.test"
        pds.app_password                    # for createSession / `growthctl account add bluesky`
        status, body, headers = pds.call("GET", "com.atproto.repo.listRecords",
                                         params={"repo": pds.did, "collection": "app.bsky.feed.post"})
        pds.outbound_attempts()             # [] unless the PDS tried to leave the machine

Setup failures (npm registry unreachable, native build failing) raise PdsSetupError with the reason; they
never turn into a skip, so a machine that cannot run the real PDS fails its test visibly.
"""

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SETUP_SCRIPT = os.path.join(HERE, "setup.sh")
START_SCRIPT = os.path.join(HERE, "start.mjs")
OUTBOUND_PREFIX = "pds-harness: outbound blocked: "

_setup_lock = threading.Lock()
_node22 = None


class PdsSetupError(RuntimeError):
    """The real PDS could not be installed or started; the message says why."""


def setup(timeout=900):
    """Runs setup.sh once per process (it is itself idempotent) and returns the Node 22 binary path.

    Raises PdsSetupError when the install fails (for example without access to the npm registry).
    """
    global _node22
    with _setup_lock:
        if _node22 is not None:
            return _node22
        try:
            proc = subprocess.run(["bash", SETUP_SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as e:
            raise PdsSetupError(f"tests/pds/setup.sh did not finish within {timeout} s") from e
        if proc.returncode != 0:
            tail = "\n".join(proc.stderr.strip().splitlines()[-25:])
            raise PdsSetupError(
                f"tests/pds/setup.sh failed with exit status {proc.returncode}; the real-PDS test needs the "
                f"npm registry for its first install (see tests/pds/README.md):\n{tail}")
        node = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
        if not os.access(node, os.X_OK):
            raise PdsSetupError(f"tests/pds/setup.sh printed no usable Node 22 binary: {proc.stdout!r}")
        _node22 = node
        return node


class RealPds:
    """A running PLC directory + PDS with one account, for the duration of a `with` block.

    Attributes after start(): info (the whole info dict written by start.mjs), url, plc_url, did,
    handle, password (the account password), app_password, start_seconds (launch until ready).
    """

    def __init__(self, handle="alice.test", password="alice-account-password", email="alice@example.com",
                 rate_limits=False, log=False, start_timeout=120):
        self.handle_ = handle
        self.password_ = password
        self.email_ = email
        self.rate_limits_ = rate_limits
        self.log_ = log
        self.start_timeout_ = start_timeout
        self.proc_ = None
        self.dir_ = None
        self.info = None
        self.start_seconds = None

    # -- lifecycle ----------------------------------------------------------------------------------

    def start(self):
        """Installs if needed, launches start.mjs and waits until the account exists. Returns self.

        Raises PdsSetupError (install) or RuntimeError (the PDS exited or did not get ready in time,
        with its stderr).
        """
        if self.proc_ is not None:
            raise RuntimeError("RealPds already started")
        node = setup()
        self.dir_ = tempfile.mkdtemp(prefix="growth-realpds-")
        info_file = os.path.join(self.dir_, "info.json")
        cmd = [node, START_SCRIPT, "--info-file", info_file, "--data-dir", os.path.join(self.dir_, "data"),
               "--handle", self.handle_, "--password", self.password_, "--email", self.email_]
        if self.rate_limits_:
            cmd.append("--rate-limits")
        if self.log_:
            cmd.append("--log")
        os.makedirs(os.path.join(self.dir_, "data"))
        self.stdout_ = open(os.path.join(self.dir_, "stdout.log"), "wb")
        self.stderr_ = open(os.path.join(self.dir_, "stderr.log"), "wb")
        started = time.monotonic()
        self.proc_ = subprocess.Popen(cmd, cwd=HERE, stdin=subprocess.DEVNULL, stdout=self.stdout_,
                                      stderr=self.stderr_, start_new_session=True)
        deadline = started + self.start_timeout_
        while not os.path.exists(info_file):
            if self.proc_.poll() is not None:
                err = self.stderr_text()
                self.stop()
                raise RuntimeError(f"the real PDS exited with status {self.proc_.returncode} before it was "
                                   f"ready:\n{err}")
            if time.monotonic() > deadline:
                err = self.stderr_text()
                self.stop()
                raise RuntimeError(f"the real PDS was not ready within {self.start_timeout_} s:\n{err}")
            time.sleep(0.05)
        self.start_seconds = time.monotonic() - started
        with open(info_file, encoding="utf-8") as f:
            self.info = json.load(f)
        return self

    def stop(self, timeout=20):
        """Stops the PDS (SIGTERM, then SIGKILL after `timeout` s), removes its data. Returns the exit
        status (None if it was not running)."""
        code = None
        if self.proc_ is not None and self.proc_.poll() is None:
            self.proc_.send_signal(signal.SIGTERM)
            try:
                self.proc_.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc_.kill()
                self.proc_.wait()
        if self.proc_ is not None:
            code = self.proc_.returncode
        for f in (getattr(self, "stdout_", None), getattr(self, "stderr_", None)):
            if f is not None and not f.closed:
                f.close()
        return code

    def cleanup(self):
        """Removes the scratch directory (logs included); stop() first."""
        if self.dir_ is not None:
            shutil.rmtree(self.dir_, ignore_errors=True)
            self.dir_ = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
        self.cleanup()
        return False

    # -- what tests read ----------------------------------------------------------------------------

    @property
    def url(self):
        return self.info["pds_url"]

    @property
    def plc_url(self):
        return self.info["plc_url"]

    @property
    def did(self):
        return self.info["did"]

    @property
    def handle(self):
        return self.info["handle"]

    @property
    def password(self):
        return self.info["password"]

    @property
    def app_password(self):
        return self.info["app_password"]

    def stderr_text(self):
        """Everything the PDS process wrote to stderr so far."""
        if self.dir_ is None:
            return ""
        try:
            with open(os.path.join(self.dir_, "stderr.log"), encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def outbound_attempts(self):
        """Connections or DNS queries to anything but loopback that start.mjs refused, in order."""
        return [line[len(OUTBOUND_PREFIX):] for line in self.stderr_text().splitlines()
                if line.startswith(OUTBOUND_PREFIX)]

    def call(self, method, nsid, params=None, body=None, token=None, timeout=30):
        """One XRPC request. Returns (status, parsed JSON body or None, headers as a lower-case dict).

        `body` is sent as JSON. HTTP errors are returned, not raised.
        """
        url = f"{self.url}/xrpc/{nsid}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = None
        headers = {}
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                status, raw, hdrs = resp.status, resp.read(), resp.headers
        except urllib.error.HTTPError as e:
            status, raw, hdrs = e.code, e.read(), e.headers
        parsed = json.loads(raw) if raw else None
        return status, parsed, {k.lower(): v for k, v in hdrs.items()}
