"""Reusable end-to-end harness: real growthd and growthctl binaries in a throwaway home.

Every test gets a Sandbox with its own temporary HOME and XDG directories, so nothing touches the
real user's files and tests can run in parallel. Binaries come from $GROWTHD and $GROWTHCTL (CTest
sets them). Python standard library only.

Typical use:

    class T(harness.TestCase):
        def test_x(self):
            d = self.sandbox.start_daemon()          # growthd --foreground, waits for the socket
            r = self.sandbox.ctl("status", "--json")  # growthctl with the sandbox's environment
            self.assertEqual(r.returncode, 0, r.stderr)
            c = self.sandbox.connect()               # raw JSON-RPC client, greeting already read
            c.call("daemon.ping")
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

GROWTHD = os.environ.get("GROWTHD", "growthd")
GROWTHCTL = os.environ.get("GROWTHCTL", "growthctl")
SOURCE_DIR = os.environ.get("GROWTH_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..")))

# Variables from the caller's environment that would change what the binaries do.
_SCRUBBED = ("GROWTH_SOCKET", "NOTIFY_SOCKET", "LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES",
             "JOURNAL_STREAM", "WATCHDOG_USEC", "WATCHDOG_PID")

DEFAULT_TIMEOUT = 10.0


class Result:
    """What a finished growthctl run produced."""

    def __init__(self, returncode, stdout, stderr):
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr

    def json(self):
        return json.loads(self.stdout)

    def __repr__(self):
        return f"Result(rc={self.returncode}, stdout={self.stdout!r}, stderr={self.stderr!r})"


def wait_for(predicate, timeout=DEFAULT_TIMEOUT, interval=0.01, what="condition"):
    """Polls predicate() until it is truthy; returns its value or raises AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def can_connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


def _is_growthd(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"growthd" in f.read().split(b"\0")[0]
    except OSError:
        return False


class RawClient:
    """A JSON-RPC client on the daemon's socket, for protocol-level tests."""

    def __init__(self, path, read_greeting=True, timeout=DEFAULT_TIMEOUT):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""
        self.next_id = 1
        self.greeting = self.recv_json() if read_greeting else None

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def send_json(self, obj):
        self.send(json.dumps(obj, separators=(",", ":")) + "\n")

    def recv_line(self):
        """The next line as bytes without '\\n'; None when the daemon closed the connection."""
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line

    def recv_json(self):
        line = self.recv_line()
        if line is None:
            raise AssertionError("connection closed by growthd")
        return json.loads(line)

    def call(self, method, params=None):
        """Sends a request and returns the whole reply object (result or error)."""
        request = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        self.next_id += 1
        if params is not None:
            request["params"] = params
        self.send_json(request)
        return self.recv_json()

    def result(self, method, params=None):
        """Sends a request and returns its result; raises RuntimeError with the error otherwise."""
        reply = self.call(method, params if params is not None else {})
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def closed_by_peer(self):
        """True when the daemon has closed the connection (reads EOF, discarding data)."""
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return True
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


class Daemon:
    """A growthd started by the sandbox (in the foreground, stderr captured to a file)."""

    def __init__(self, process, log_path):
        self.process = process
        self.log_path = log_path

    @property
    def pid(self):
        return self.process.pid

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            return f.read()

    def send_signal(self, signo):
        self.process.send_signal(signo)

    def wait(self, timeout=DEFAULT_TIMEOUT):
        return self.process.wait(timeout=timeout)

    def stop(self, signo=signal.SIGTERM, timeout=DEFAULT_TIMEOUT):
        """Signals growthd and returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signo)
        return self.process.wait(timeout=timeout)

    def running(self):
        return self.process.poll() is None


class Sandbox:
    """A throwaway home with XDG_RUNTIME_DIR (0700), XDG_DATA_HOME and XDG_CONFIG_HOME inside."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="growth-e2e-")
        self.home = os.path.join(self.root, "home")
        self.runtime = os.path.join(self.root, "run")
        self.data_home = os.path.join(self.home, ".local", "share")
        self.config_home = os.path.join(self.home, ".config")
        for d in (self.home, self.runtime, self.data_home, self.config_home):
            os.makedirs(d, mode=0o700, exist_ok=True)
        os.chmod(self.runtime, 0o700)
        self.daemons = []
        self.clients = []
        self._logs = 0

    # -- paths ---------------------------------------------------------------------------------
    @property
    def runtime_dir(self):
        """growth's runtime directory: $XDG_RUNTIME_DIR/growth."""
        return os.path.join(self.runtime, "growth")

    @property
    def socket_path(self):
        return os.path.join(self.runtime_dir, "growthd.sock")

    @property
    def data_dir(self):
        return os.path.join(self.data_home, "growth")

    @property
    def config_path(self):
        return os.path.join(self.config_home, "growth", "config.toml")

    def write_config(self, text):
        os.makedirs(os.path.dirname(self.config_path), exist_ok=True)
        with open(self.config_path, "w", encoding="utf-8") as f:
            f.write(text)

    def env(self, **overrides):
        """The environment the binaries run with; overrides with value None are removed."""
        env = {k: v for k, v in os.environ.items() if k not in _SCRUBBED}
        env.update(HOME=self.home, XDG_RUNTIME_DIR=self.runtime, XDG_DATA_HOME=self.data_home,
                   XDG_CONFIG_HOME=self.config_home, LC_ALL="C.UTF-8")
        for k, v in overrides.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    # -- processes -----------------------------------------------------------------------------
    def spawn_daemon(self, *args, env=None, foreground=True, pass_fds=(), prefix=()):
        """Starts growthd without waiting for anything. Returns a Daemon."""
        self._logs += 1
        log_path = os.path.join(self.root, f"growthd-{self._logs}.log")
        log = open(log_path, "wb")
        argv = list(prefix) + [GROWTHD] + (["--foreground"] if foreground else []) + list(args)
        process = subprocess.Popen(argv, env=env or self.env(), stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=log, pass_fds=pass_fds)
        log.close()
        daemon = Daemon(process, log_path)
        self.daemons.append(daemon)
        return daemon

    def start_daemon(self, *args, socket_path=None, env=None, **kwargs):
        """Starts growthd --foreground and waits until its socket accepts connections."""
        daemon = self.spawn_daemon(*args, env=env, **kwargs)
        path = socket_path or self.socket_path

        def ready():
            if not daemon.running():
                raise AssertionError(f"growthd exited with {daemon.process.returncode}: {daemon.log()}")
            return can_connect(path)

        wait_for(ready, what=f"growthd to listen on {path}")
        return daemon

    def ctl(self, *args, env=None, input=None, timeout=DEFAULT_TIMEOUT, prefix=()):
        """Runs growthctl with the sandbox environment; returns a Result (never raises on rc)."""
        p = subprocess.run(list(prefix) + [GROWTHCTL] + list(args), env=env or self.env(),
                           input=input, capture_output=True, text=True, timeout=timeout)
        return Result(p.returncode, p.stdout, p.stderr)

    def connect(self, path=None, read_greeting=True):
        client = RawClient(path or self.socket_path, read_greeting=read_greeting)
        self.clients.append(client)
        return client

    def call(self, method, params=None):
        """One JSON-RPC call on a fresh raw connection; returns the whole reply object."""
        client = self.connect()
        try:
            return client.call(method, params)
        finally:
            client.close()
            self.clients.remove(client)

    def result(self, method, params=None):
        """The result of one call; fails the test with the error when the call fails."""
        reply = self.call(method, params)
        if "error" in reply:
            raise AssertionError(f"{method} failed: {reply['error']}")
        return reply["result"]

    def daemon_pid_from_lock(self):
        """The pid recorded in the data directory's lock file (for daemons that forked away)."""
        try:
            with open(os.path.join(self.data_dir, "growthd.lock")) as f:
                return int(f.read().strip() or 0)
        except (OSError, ValueError):
            return 0

    def cleanup(self):
        for client in self.clients:
            client.close()
        for daemon in self.daemons:
            if daemon.running():
                daemon.process.kill()
                daemon.process.wait()
        # A daemon started by growthctl's autostart runs detached; stop it through its lock.
        pid = self.daemon_pid_from_lock()
        if pid > 0 and _is_growthd(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        shutil.rmtree(self.root, ignore_errors=True)


class TestCase(unittest.TestCase):
    """A unittest.TestCase with a fresh Sandbox per test (self.sandbox), cleaned up afterwards."""

    def setUp(self):
        self.sandbox = Sandbox()
        self.addCleanup(self.sandbox.cleanup)

    def mode(self, path):
        return os.lstat(path).st_mode & 0o7777
