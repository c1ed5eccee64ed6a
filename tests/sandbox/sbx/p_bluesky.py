"""Bluesky / AT Protocol PDS (platforms.md §7): sessions, createRecord with client-chosen rkey,
getRecord/listRecords, resolveHandle, describeServer."""

import base64
import hashlib
import hmac
import json
import re
import secrets
import time

from .bsky_record import validate_post
from .platform import Platform
from .state import tid_now
from .web import json_response

ACCESS_TTL, REFRESH_TTL, REFRESH_GRACE = 2 * 3600, 90 * 86400, 2 * 3600
WRITE_POINTS_HOUR, WRITE_POINTS_DAY, CREATE_COST = 5000, 35000, 3
GLOBAL_LIMIT, GLOBAL_WINDOW = 3000, 300
SESSION_LIMIT, SESSION_WINDOW = 30, 300
TID_RX = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
RKEY_RX = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
NSID_RX = re.compile(r"^[a-zA-Z]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)+$")
_SECRET = secrets.token_bytes(32)


def xrpc_error(status, name, message, headers=None):
    return json_response(status, {"error": name, "message": message}, headers=headers)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def make_jwt(header, payload):
    signing = b64url(json.dumps(header, separators=(",", ":")).encode()) + "." + \
        b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = hmac.new(_SECRET, signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64url(sig)


def fake_cid(value):
    """A CIDv1 (dag-cbor, sha2-256) string over the record's canonical JSON.

    Real CIDs hash the DAG-CBOR encoding; the sandbox hashes sorted-key JSON instead, so its CIDs
    have the real shape and are stable per content but differ from a real PDS's.
    """
    digest = hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).digest()
    raw = bytes([0x01, 0x71, 0x12, 0x20]) + digest
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


class Bluesky(Platform):
    name = "bluesky"
    fault_kinds = Platform.fault_kinds + ("duplicate",)
    routes = (
        ("POST", r"/xrpc/com\.atproto\.server\.createSession", "create_session", "create_session"),
        ("POST", r"/xrpc/com\.atproto\.server\.refreshSession", "refresh_session", "refresh_session"),
        ("GET", r"/xrpc/com\.atproto\.server\.getSession", "get_session", "get_session"),
        ("GET", r"/xrpc/com\.atproto\.server\.describeServer", "describe_server", "describe_server"),
        ("POST", r"/xrpc/com\.atproto\.repo\.createRecord", "create_record", "create_record"),
        ("GET", r"/xrpc/com\.atproto\.repo\.getRecord", "get_record", "get_record"),
        ("GET", r"/xrpc/com\.atproto\.repo\.listRecords", "list_records", "list_records"),
        ("GET", r"/xrpc/com\.atproto\.identity\.resolveHandle", "resolve_handle", "resolve_handle"),
    )

    # --- sessions --------------------------------------------------------------------------------

    def issue_session(self, acct):
        now = int(time.time())
        access_ttl = int(self.state.config.get("bluesky_access_ttl", ACCESS_TTL))
        aud = "did:web:" + self.base.split("://", 1)[-1].split("/")[0].replace(":", "%3A")
        access = make_jwt({"typ": "at+jwt", "alg": "HS256"},
                          {"scope": "com.atproto.access", "sub": acct.id, "iat": now, "exp": now + access_ttl,
                           "aud": aud})
        refresh = make_jwt({"typ": "refresh+jwt", "alg": "HS256"},
                           {"scope": "com.atproto.refresh", "sub": acct.id, "aud": aud,
                            "jti": secrets.token_urlsafe(24), "iat": now, "exp": now + REFRESH_TTL})
        self.state.sessions[access] = {"did": acct.id, "kind": "access", "exp": now + access_ttl,
                                       "state": "valid"}
        self.state.sessions[refresh] = {"did": acct.id, "kind": "refresh", "exp": now + REFRESH_TTL,
                                        "state": "valid", "rotated_at": None}
        return access, refresh

    def session_body(self, acct, access, refresh):
        return {"accessJwt": access, "refreshJwt": refresh, "handle": acct.username, "did": acct.id,
                "didDoc": self.did_doc(acct), "email": acct.email, "emailConfirmed": True,
                "emailAuthFactor": False, "active": True}

    def did_doc(self, acct):
        return {"@context": ["https://www.w3.org/ns/did/v1"], "id": acct.id,
                "alsoKnownAs": ["at://" + acct.username],
                "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                             "serviceEndpoint": self.base}]}

    def bearer(self, req, kind):
        """The account for the request's JWT of `kind` ('access' or 'refresh')."""
        auth = req.header("Authorization") or ""
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            self.fail(xrpc_error(401, "AuthMissing", "Authentication Required",
                                 [("WWW-Authenticate", 'Bearer realm="%s"' % self.base)]))
        token = auth[7:].strip()
        sess = self.state.sessions.get(token)
        if sess is None:
            self.fail(xrpc_error(400, "InvalidToken", "Token could not be verified"))
        if sess["kind"] != kind:
            self.fail(xrpc_error(400, "InvalidToken", "Bad token scope"))
        now = time.time()
        rotated = sess.get("rotated_at")
        if sess["state"] == "expired" or now >= sess["exp"] or (rotated and now - rotated > REFRESH_GRACE):
            self.fail(xrpc_error(400, "ExpiredToken", "Token has expired"))
        if sess["state"] == "revoked":
            self.fail(xrpc_error(400, "InvalidToken", "Token has been revoked"))
        acct = self.state.find_account("bluesky", account_id=sess["did"])
        req.account = acct
        return acct, token

    def create_session(self, req):
        body = self.input(req)
        for prop in ("identifier", "password"):
            if not isinstance(body.get(prop), str):
                self.fail(xrpc_error(400, "InvalidRequest", 'Input must have the property "%s"' % prop))
        ident = body["identifier"].lower()
        ok, _, reset = self.state.quota(("bluesky", "session", ident), SESSION_LIMIT, SESSION_WINDOW)
        if not ok:
            self.fail(self.rate_limited(SESSION_LIMIT, SESSION_WINDOW, reset))
        acct = next((a for a in self.state.accounts if a.platform == "bluesky" and
                     ident in (a.username.lower(), a.id.lower(), a.email.lower())), None)
        if acct is None or acct.password != body["password"]:
            self.fail(xrpc_error(401, "AuthenticationRequired", "Invalid identifier or password"))
        req.account = acct
        return json_response(200, self.session_body(acct, *self.issue_session(acct)))

    def refresh_session(self, req):
        acct, token = self.bearer(req, "refresh")
        sess = self.state.sessions[token]
        if sess.get("rotated_at") is None:
            sess["rotated_at"] = time.time()    # the old refresh token keeps a grace period
        access, refresh = self.issue_session(acct)
        body = self.session_body(acct, access, refresh)
        for k in ("email", "emailConfirmed", "emailAuthFactor"):
            body.pop(k, None)
        return json_response(200, body)

    def get_session(self, req):
        acct, _ = self.bearer(req, "access")
        return json_response(200, {"handle": acct.username, "did": acct.id, "email": acct.email,
                                   "emailConfirmed": True, "didDoc": self.did_doc(acct), "active": True})

    def describe_server(self, req):
        host = self.base.split("://", 1)[-1].split("/")[0]
        return json_response(200, {"did": "did:web:" + host.replace(":", "%3A"),
                                   "availableUserDomains": [".sandbox.test"], "inviteCodeRequired": True,
                                   "links": {}, "contact": {}})

    def resolve_handle(self, req):
        handle = req.query.get("handle")
        if not handle:
            self.fail(xrpc_error(400, "InvalidRequest", 'Params must have the property "handle"'))
        acct = self.state.find_account("bluesky", username=handle.lower())
        if acct is None:
            self.fail(xrpc_error(400, "InvalidRequest", "Unable to resolve handle"))
        return json_response(200, {"did": acct.id})

    # --- records ---------------------------------------------------------------------------------

    def invalid_record(self, msg):
        self.fail(xrpc_error(400, "InvalidRequest", "Invalid app.bsky.feed.post record: " + msg))

    def input(self, req):
        ct = req.content_type()
        if ct != "application/json":
            self.fail(xrpc_error(400, "InvalidRequest", "Wrong request encoding (Content-Type): %s"
                                 % (ct or "none")))
        try:
            body = req.json()
        except ValueError:
            self.fail(xrpc_error(400, "InvalidRequest", "Request body is not valid JSON"))
        if not isinstance(body, dict):
            self.fail(xrpc_error(400, "InvalidRequest", "Input must be an object"))
        return body

    def repo_did(self, repo):
        if not isinstance(repo, str):
            return None
        acct = self.state.find_account("bluesky", account_id=repo) or \
            self.state.find_account("bluesky", username=repo.lower())
        return acct.id if acct else None

    def create_record(self, req):
        acct, _ = self.bearer(req, "access")
        body = self.input(req)
        for prop in ("repo", "collection", "record"):
            if prop not in body:
                self.fail(xrpc_error(400, "InvalidRequest", 'Input must have the property "%s"' % prop))
        did = self.repo_did(body["repo"])
        if did is None:
            self.fail(xrpc_error(400, "InvalidRequest", "Could not find repo: %s" % body["repo"]))
        if did != acct.id:
            self.fail(xrpc_error(401, "AuthenticationRequired", "Authentication Required"))
        collection = body["collection"]
        if not isinstance(collection, str) or not NSID_RX.match(collection):
            self.fail(xrpc_error(400, "InvalidRequest", "Input/collection must be a valid nsid"))
        record = body["record"]
        if not isinstance(record, dict):
            self.fail(xrpc_error(400, "InvalidRequest", "Input/record must be an object"))
        rkey = body.get("rkey")
        if rkey is not None:
            if not isinstance(rkey, str) or not RKEY_RX.match(rkey) or rkey in (".", ".."):
                self.fail(xrpc_error(400, "InvalidRequest", "Input/rkey must be a valid record key"))
            if collection == "app.bsky.feed.post" and not TID_RX.match(rkey):
                self.fail(xrpc_error(400, "InvalidRequest", "Invalid record key for %s: expected a TID, got "
                                     "\"%s\"" % (collection, rkey)))
        if record.get("$type") is None:
            self.fail(xrpc_error(400, "InvalidRequest", "Invalid %s record: No $type provided" % collection))
        if record["$type"] != collection:
            self.fail(xrpc_error(400, "InvalidRequest", "Invalid $type: expected %s, got %s"
                                 % (collection, record["$type"])))
        status = "unknown"
        facet_text = []
        if collection == "app.bsky.feed.post" and body.get("validate") is not False:
            facet_text = validate_post(self.state, record, self.invalid_record)
            status = "valid"
        ok, remaining, reset = self.state.quota(("bluesky", did, "write-hour"), WRITE_POINTS_HOUR, 3600,
                                                cost=CREATE_COST)
        req.rate = (WRITE_POINTS_HOUR, remaining, reset, 3600)
        if ok:
            ok, _, _ = self.state.quota(("bluesky", did, "write-day"), WRITE_POINTS_DAY, 86400, cost=CREATE_COST)
        if not ok:
            self.fail(self.rate_limited(WRITE_POINTS_HOUR, 3600, reset))
        rkey = rkey or tid_now()
        uri = "at://%s/%s/%s" % (did, collection, rkey)
        if self.state.get("bluesky", uri) is not None:
            # A second create at a used key fails in the repo MST ("There is already a value at key"),
            # an untyped error that the PDS's XRPC layer answers as a 500.
            self.fail(self.duplicate_rkey())
        return self.apply_record(req, acct, uri, rkey, collection, record, status, facet_text)

    def apply_record(self, req, acct, uri, rkey, collection, record, status, facet_text):
        cid = fake_cid(record)
        reply = record.get("reply") if collection == "app.bsky.feed.post" else None
        obj = {"kind": "post" if collection == "app.bsky.feed.post" else "record", "id": uri, "uri": uri,
               "cid": cid, "rkey": rkey, "collection": collection, "account": acct.username, "did": acct.id,
               "text": record.get("text"), "record": record, "facet_text": facet_text,
               "parent_id": reply["parent"]["uri"] if reply else None,
               "root_id": reply["root"]["uri"] if reply else uri,
               "url": "https://bsky.app/profile/%s/post/%s" % (acct.id, rkey), "request_seq": req.seq}
        self.state.store("bluesky", obj)
        rev = tid_now()
        return json_response(200, {"uri": uri, "cid": cid, "commit": {"cid": fake_cid({"rev": rev}), "rev": rev},
                                   "validationStatus": status})

    def get_record(self, req):
        for prop in ("repo", "collection", "rkey"):
            if not req.query.get(prop):
                self.fail(xrpc_error(400, "InvalidRequest", 'Params must have the property "%s"' % prop))
        did = self.repo_did(req.query["repo"])
        if did is None:
            self.fail(xrpc_error(400, "InvalidRequest", "Could not find repo: %s" % req.query["repo"]))
        uri = "at://%s/%s/%s" % (did, req.query["collection"], req.query["rkey"])
        o = self.state.get("bluesky", uri)
        if o is None or (req.query.get("cid") and req.query["cid"] != o["cid"]):
            self.fail(xrpc_error(400, "RecordNotFound", "Could not locate record: %s" % uri))
        return json_response(200, {"uri": uri, "cid": o["cid"], "value": o["record"]})

    def list_records(self, req):
        for prop in ("repo", "collection"):
            if not req.query.get(prop):
                self.fail(xrpc_error(400, "InvalidRequest", 'Params must have the property "%s"' % prop))
        did = self.repo_did(req.query["repo"])
        if did is None:
            self.fail(xrpc_error(400, "InvalidRequest", "Could not find repo: %s" % req.query["repo"]))
        raw = req.query.get("limit", "50")
        if not re.match(r"^-?[0-9]{1,9}$", raw):
            self.fail(xrpc_error(400, "InvalidRequest", "limit must be an integer"))
        limit = int(raw)
        if not 1 <= limit <= 100:
            self.fail(xrpc_error(400, "InvalidRequest", "limit can not be greater than 100"
                                 if limit > 100 else "limit can not be less than 1"))
        reverse = req.query.get("reverse") == "true"
        recs = sorted((o for o in self.state.objects if o["platform"] == "bluesky" and o["did"] == did
                       and o["collection"] == req.query["collection"]), key=lambda o: o["rkey"],
                      reverse=not reverse)
        cursor = req.query.get("cursor")
        if cursor:
            recs = [o for o in recs if (o["rkey"] > cursor if reverse else o["rkey"] < cursor)]
        page = recs[:limit]
        out = {"records": [{"uri": o["uri"], "cid": o["cid"], "value": o["record"]} for o in page]}
        if len(page) == limit and len(recs) > limit:
            out["cursor"] = page[-1]["rkey"]
        return json_response(200, out)

    # --- headers, errors, faults -----------------------------------------------------------------

    def decorate(self, req, resp):
        if resp.header("RateLimit-Limit") is not None:
            return resp
        rate = getattr(req, "rate", None)
        if rate is None:
            ok, remaining, reset = self.state.quota(("bluesky", "ip"), GLOBAL_LIMIT, GLOBAL_WINDOW)
            rate = (GLOBAL_LIMIT, remaining, reset, GLOBAL_WINDOW)
        resp.add_header("RateLimit-Limit", rate[0])
        resp.add_header("RateLimit-Remaining", rate[1])
        resp.add_header("RateLimit-Reset", int(rate[2]))
        resp.add_header("RateLimit-Policy", "%d;w=%d" % (rate[0], rate[3]))
        return resp

    @staticmethod
    def rate_limited(limit, window, reset):
        return xrpc_error(429, "RateLimitExceeded", "Rate Limit Exceeded", [
            ("RateLimit-Limit", str(limit)), ("RateLimit-Remaining", "0"),
            ("RateLimit-Reset", str(int(reset))), ("RateLimit-Policy", "%d;w=%d" % (limit, window))])

    @staticmethod
    def duplicate_rkey():
        return xrpc_error(500, "InternalServerError", "Internal Server Error")

    def fault_response(self, fault, req):
        if fault.kind == "rate_limit":
            resp = self.rate_limited(WRITE_POINTS_HOUR, 3600, time.time() + fault.reset_after)
            resp.add_header("Retry-After", fault.reset_after)
            return resp
        if fault.kind == "server_error":
            status = int(fault.status or 500)
            names = {500: ("InternalServerError", "Internal Server Error"),
                     502: ("UpstreamFailure", "Upstream Failure"),
                     503: ("NotEnoughResources", "Not Enough Resources"),
                     504: ("UpstreamTimeout", "Upstream Timeout")}
            name, msg = names.get(status, ("InternalServerError", "Internal Server Error"))
            return xrpc_error(status, name, msg)
        if fault.kind == "auth":
            return xrpc_error(400, "ExpiredToken", "Token has expired")
        if fault.kind == "duplicate":
            return self.duplicate_rkey()
        raise ValueError(fault.kind)

    def method_not_allowed(self, req, *groups):
        expected = "GET" if req.method == "POST" else "POST"
        return xrpc_error(400, "InvalidRequest", "Incorrect HTTP method (%s) expected %s" % (req.method, expected))

    def not_found(self, req):
        if req.route.startswith("/xrpc/"):
            return xrpc_error(501, "MethodNotImplemented", "Method Not Implemented")
        return xrpc_error(404, "NotFound", "Not Found")
