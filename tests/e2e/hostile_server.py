"""A hostile HTTP peer for the e2e tests: it answers every request with something a platform
should never send, chosen by the first path segment (so one server plays several instances:
http://127.0.0.1:PORT/endless, .../huge, ...):

    endless   200, chunked, a body that never ends (until the client goes away)
    huge      200, a 50 MB body without Content-Length (ends when the connection closes)
    deep      200, a body of 100,000 '[' then 100,000 ']' (200 KB, valid JSON)
    drip      200, Content-Length 1000, then one byte per second
    status    200, a valid Mastodon Status padded to ?size=N bytes (default 100,000)

Loopback only, Python standard library only. Every loop is bounded in count and in time (nothing
here runs longer than LIMIT_SECONDS or sends more than LIMIT_BYTES per request), and stop() ends
every answer still running.
"""

import socketserver
import threading
import time
import urllib.parse

LIMIT_SECONDS = 60
LIMIT_BYTES = 256 * 1024 * 1024
PIECE = 64 * 1024


class _Handler(socketserver.BaseRequestHandler):
    def handle(self):
        server = self.server.owner
        self.request.settimeout(10)
        head = b""
        try:
            while b"\r\n\r\n" not in head and len(head) < 65536:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                head += chunk
        except OSError:
            return
        head_text, _, rest = head.partition(b"\r\n\r\n")
        lines = head_text.decode("latin-1").split("\r\n")
        method, target = (lines[0].split(" ") + ["", ""])[:2]
        length = 0
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length" and value.strip().isdigit():
                length = min(int(value.strip()), 1024 * 1024)
        try:
            while len(rest) < length:
                chunk = self.request.recv(min(65536, length - len(rest)))
                if not chunk:
                    break
                rest += chunk
        except OSError:
            return
        url = urllib.parse.urlsplit(target)
        mode = url.path.strip("/").split("/")[0]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        with server.lock:
            server.requests.append({"mode": mode, "method": method, "path": url.path, "headers": headers,
                                    "at": time.monotonic()})
        answer = getattr(self, "answer_" + mode, None)
        try:
            if answer is None:
                self.send_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            else:
                answer(urllib.parse.parse_qs(url.query))
        except OSError:
            pass  # the client gave up, which is what the tests expect

    # -- helpers -------------------------------------------------------------------------------
    def send_all(self, data):
        self.request.sendall(data)

    def stream(self, piece, frame=lambda p: p):
        """Sends `piece` (framed) until the client goes away or a bound is reached."""
        server = self.server.owner
        deadline = time.monotonic() + LIMIT_SECONDS
        sent = 0
        while sent < LIMIT_BYTES and time.monotonic() < deadline and not server.stopping.is_set():
            self.send_all(frame(piece))
            sent += len(piece)
        return sent

    # -- answers -------------------------------------------------------------------------------
    def answer_endless(self, query):
        def chunk(p):
            return b"%x\r\n%s\r\n" % (len(p), p)
        self.send_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                      b"Transfer-Encoding: chunked\r\n\r\n" + chunk(b'{"id":"1","content":"'))
        self.stream(b"a" * PIECE, chunk)

    def answer_huge(self, query):
        self.send_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n"
                      b'{"id":"1","content":"')
        total = 50 * 1000 * 1000
        server = self.server.owner
        deadline = time.monotonic() + LIMIT_SECONDS
        sent = 0
        while sent < total and time.monotonic() < deadline and not server.stopping.is_set():
            n = min(PIECE, total - sent)
            self.send_all(b"a" * n)
            sent += n
        self.send_all(b'"}')

    def answer_deep(self, query):
        body = b"[" * 100000 + b"]" * 100000
        self.send_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body)

    def answer_drip(self, query):
        self.send_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
        server = self.server.owner
        for _ in range(min(1000, LIMIT_SECONDS)):
            self.send_all(b" ")
            if server.stopping.wait(1.0):
                return

    def answer_status(self, query):
        size = int(query.get("size", ["100000"])[0])
        base = self.server.owner.url("status")
        head = '{"id":"1","uri":"%s/users/h/statuses/1","url":"%s/@h/1","content":"' % (base, base)
        pad = max(0, size - len(head) - 2)
        body = (head + "a" * pad + '"}').encode()
        self.send_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                      % len(body) + body)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class HostileServer:
    """Start with .start(); .url(mode) is an instance URL; .requests lists what arrived
    (mode, method, path, headers with lower-case names)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler, bind_and_activate=True)
        self._server.owner = self
        self._thread = None

    @property
    def port(self):
        return self._server.server_address[1]

    def url(self, mode):
        return f"http://127.0.0.1:{self.port}/{mode}"

    def requests_for(self, mode):
        with self.lock:
            return [r for r in self.requests if r["mode"] == mode]

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


if __name__ == "__main__":
    s = HostileServer().start()
    print(f"hostile server on 127.0.0.1:{s.port} (modes: endless huge deep drip status)")
    try:
        time.sleep(LIMIT_SECONDS * 10)
    finally:
        s.stop()
