"""Request/response primitives shared by every platform module.

A platform handler receives a `Request` and returns a `Response`, or raises `Reply` carrying one
(errors are raised so validation code can stop at the first problem, as the real servers do).
"""

import email.parser
import email.policy
import json
import urllib.parse


class Request:
    """One parsed HTTP request, with the platform prefix already stripped from `path`."""

    def __init__(self, method, raw_path, path, headers, body):
        self.method = method
        self.raw_path = raw_path
        self.path = path
        parsed = urllib.parse.urlsplit(path)
        self.route = parsed.path
        # Single-valued view of the query string; repeated keys keep the last value.
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        self.headers = headers          # email.message.Message: case-insensitive .get()
        self.body = body                # bytes
        self.platform = None
        self.op = None
        self.account = None             # set by auth checks, used for recording and rate limits
        self._json = None
        self._json_error = None
        self._form = None

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def content_type(self):
        """Media type of the body without parameters, lower-cased ('' when absent)."""
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def json(self):
        """The body parsed as JSON; raises ValueError with the parser's message when it is not."""
        if self._json is None and self._json_error is None:
            try:
                self._json = json.loads(self.body.decode("utf-8")) if self.body else None
            except (ValueError, UnicodeDecodeError) as e:
                self._json_error = str(e)
        if self._json_error is not None:
            raise ValueError(self._json_error)
        return self._json

    def form(self):
        """The body parsed as application/x-www-form-urlencoded or multipart/form-data (single
        values; file parts become their bytes decoded as UTF-8 where possible)."""
        if self._form is None:
            if self.content_type() == "multipart/form-data":
                self._form = self._multipart()
            else:
                try:
                    text = self.body.decode("utf-8")
                except UnicodeDecodeError:
                    text = ""
                self._form = {k: v[-1] for k, v in urllib.parse.parse_qs(text, keep_blank_values=True).items()}
        return self._form

    def _multipart(self):
        head = ("Content-Type: %s\r\nMIME-Version: 1.0\r\n\r\n" % self.header("Content-Type")).encode("latin-1")
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + self.body)
        out = {}
        if not msg.is_multipart():
            return out
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                payload = part.get_payload(decode=True) or b""
                out[name] = payload.decode("utf-8", "replace")
        return out

    def params(self):
        """Graph-style parameters: query string, then a form or JSON body (body wins)."""
        merged = dict(self.query)
        ct = self.content_type()
        if ct == "application/json":
            try:
                body = self.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                merged.update({k: v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list))
                               else str(v).lower() if isinstance(v, bool) else str(v) for k, v in body.items()})
        elif self.body:
            merged.update(self.form())
        return merged


class Response:
    """Status, headers (list of pairs, order kept) and body bytes."""

    def __init__(self, status, body=b"", headers=None, content_type=None):
        self.status = status
        self.headers = list(headers or [])
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.body = body
        if content_type and body:
            self.headers.insert(0, ("Content-Type", content_type))

    def add_header(self, name, value):
        self.headers.append((name, str(value)))
        return self

    def header(self, name):
        for k, v in self.headers:
            if k.lower() == name.lower():
                return v
        return None

    def json_body(self):
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except ValueError:
            return self.body.decode("utf-8", "replace")


def json_response(status, obj, headers=None, content_type="application/json; charset=utf-8"):
    body = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, headers, content_type)


class Reply(Exception):
    """Raised by handlers to answer immediately with `response`."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response
