"""The HTTP server: routes /PLATFORM/... to the platform fakes and /_sandbox/... to the control API,
applies configured faults, and records every request."""

import socket
import struct
import sys
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .control import Control
from .p_bluesky import Bluesky
from .p_facebook import Facebook
from .p_instagram import Instagram
from .p_linkedin import LinkedIn
from .p_mastodon import Mastodon
from .p_threads import Threads
from .p_x import X
from .state import State
from .web import Reply, Request, Response

SECRET_HEADERS = {"authorization", "cookie", "proxy-authorization"}
SECRET_FIELDS = {"access_token", "password", "client_secret", "refresh_token", "fb_exchange_token",
                 "code_verifier", "accessJwt", "refreshJwt"}
MAX_BODY = 8 * 1024 * 1024


def redact_fields(value):
    if isinstance(value, dict):
        return {k: ("<redacted>" if k in SECRET_FIELDS else redact_fields(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_fields(v) for v in value]
    return value


def redact_path(path):
    parts = urllib.parse.urlsplit(path)
    if not parts.query:
        return path
    q = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    q = [(k, "<redacted>" if k in SECRET_FIELDS else v) for k, v in q]
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(q)))


def describe_body(req):
    if not req.body:
        return None
    ct = req.content_type()
    if ct == "application/json":
        try:
            return redact_fields(req.json())
        except ValueError:
            pass
    elif ct in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return redact_fields(req.form())
    try:
        return req.body.decode("utf-8")
    except UnicodeDecodeError:
        return "<%d bytes>" % len(req.body)


class SandboxServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, verbose=False):
        super().__init__(address, Handler)
        self.verbose = verbose
        self.state = State()
        host, port = self.server_address[:2]
        self.state.base_url = "http://%s:%d" % (host, port)
        self.platforms = {p.name: p for p in (cls(self.state) for cls in
                                              (X, LinkedIn, Facebook, Instagram, Threads, Mastodon, Bluesky))}
        self.control = Control(self)

    def handle_error(self, request, client_address):
        # A client that hung up (after a stall, say) is normal here; anything else is a sandbox bug.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def log(self, line):
        if self.verbose:
            sys.stderr.write(line + "\n")
            sys.stderr.flush()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive, so clients can reuse connections
    server_version = "growth-sandbox/1"

    def version_string(self):
        return self.server_version

    def log_message(self, fmt, *args):  # one line per request is written by _handle instead
        pass

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    # --- plumbing --------------------------------------------------------------------------------

    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        raw = self.headers.get("Content-Length") or "0"
        if not raw.strip().isdigit():
            raise ValueError("bad Content-Length %r" % raw)
        length = int(raw)
        if length > MAX_BODY:
            raise OverflowError("body of %d bytes is over the sandbox's %d" % (length, MAX_BODY))
        return self.rfile.read(length) if length else b""

    def setup(self):
        super().setup()
        # Answers go out in one segment without waiting for the peer's delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _send(self, resp):
        self.send_response(resp.status)
        for k, v in resp.headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(resp.body)))
        self._headers_buffer.append(b"\r\n")
        if self.command != "HEAD" and resp.body:
            self._headers_buffer.append(resp.body)   # status, headers and body in one write
        self.flush_headers()

    def _drop(self):
        """Close the connection with a TCP reset and no response."""
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass
        self.close_connection = True

    # --- dispatch --------------------------------------------------------------------------------

    def _handle(self):
        srv = self.server
        started = time.monotonic()
        try:
            body = self._read_body()
        except (ValueError, OverflowError) as e:
            status = 413 if isinstance(e, OverflowError) else 400
            self.close_connection = True
            self._send(Response(status, ("%s\n" % e).encode(), content_type="text/plain"))
            return
        raw = self.path
        if raw.startswith("/_sandbox/") or raw == "/_sandbox":
            req = Request(self.command, raw, raw, self.headers, body)
            resp = srv.control.handle(req)
            srv.log("%-6s %s -> %d" % (self.command, raw.split("?")[0], resp.status))
            self._send(resp)
            return
        segs = raw.split("/", 2)
        platform = srv.platforms.get(segs[1].split("?")[0] if len(segs) > 1 else "")
        if platform is None:
            self._send(Response(404, b"unknown platform prefix; use /x, /linkedin, /facebook, /instagram, "
                                     b"/threads, /mastodon or /bluesky\n", content_type="text/plain"))
            return
        sub = "/" + segs[2] if len(segs) > 2 else "/"
        req = Request(self.command, raw, sub, self.headers, body)
        req.platform = platform.name
        hit = platform.match(req)
        req.op = hit[0] if hit else "unknown"
        entry = {"time": time.time(), "platform": platform.name, "endpoint": req.op, "method": self.command,
                 "path": redact_path(raw), "headers": {k: ("<redacted>" if k.lower() in SECRET_HEADERS else v)
                                                       for k, v in self.headers.items()},
                 "body": describe_body(req), "status": None, "fault": None, "account": None, "response": None}
        # Every key exists from the start: the control API may serialise this entry while it is filled in.
        with srv.state.lock:
            srv.state.record(entry)
            req.seq = entry["seq"]
            fault = srv.state.take_fault(platform.name, req.op) if hit else None
        if fault is not None:
            entry["fault"] = fault.kind
        if fault is not None and fault.seconds > 0:
            time.sleep(fault.seconds)        # a stall, or a delay before any other fault acts
        if fault is not None and fault.kind == "stall":
            fault = None
        if fault is not None and fault.kind == "reset":
            entry["status"] = "reset"
            srv.log("%-6s %s -> reset (fault)" % (self.command, raw.split("?")[0]))
            self._drop()
            return
        if fault is not None and fault.kind != "lost_response":
            with srv.state.lock:
                resp = platform.decorate(req, platform.fault_response(fault, req))
        else:
            with srv.state.lock:
                try:
                    resp = hit[1](req, *hit[2]) if hit else platform.not_found(req)
                except Reply as r:
                    resp = r.response
                except Exception:  # noqa: BLE001 - a sandbox bug answers 500 and is logged
                    traceback.print_exc()
                    resp = Response(500, b"sandbox internal error\n", content_type="text/plain")
                resp = platform.decorate(req, resp)
        entry["status"] = resp.status
        entry["account"] = req.account.username if req.account else None
        entry["response"] = resp.json_body()
        ms = (time.monotonic() - started) * 1000
        if fault is not None and fault.kind == "lost_response":
            entry["status"] = "lost:%d" % resp.status
            srv.log("%-6s %s -> %d applied, response dropped (fault)" % (self.command, raw.split("?")[0],
                                                                          resp.status))
            self._drop()
            return
        # Logged before answering, so a client that reads the log after its answer always finds the line.
        srv.log("%-6s %s -> %d %s.%s %.1fms%s" % (self.command, raw.split("?")[0], resp.status, platform.name,
                                                 req.op, ms, " [fault %s]" % entry["fault"] if entry["fault"]
                                                 else ""))
        self._send(resp)
