"""Mastodon (platforms.md §6): POST /api/v1/statuses with Idempotency-Key, verify_credentials,
instance configuration, status reads."""

import html
import time

from . import text as textmod
from .mastodon_oauth import MastodonOAuth
from .platform import Platform
from .web import json_response

API_LIMIT, API_WINDOW = 300, 300                # per account, all authenticated requests
STATUS_LIMIT, STATUS_WINDOW = 300, 3 * 3600     # RateLimiter family `statuses`
IDEMPOTENCY_TTL = 3600
VISIBILITIES = ("public", "unlisted", "private", "direct")


def iso(ts, micro=False):
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts))
    frac = ts - int(ts)
    return base + (".%06dZ" % int(frac * 1_000_000) if micro else ".%03dZ" % int(frac * 1000))


def error(status, message, headers=None):
    return json_response(status, {"error": message}, headers=headers)


class Mastodon(MastodonOAuth, Platform):
    name = "mastodon"
    routes = MastodonOAuth.oauth_routes + (
        ("POST", r"/api/v1/statuses", "create_post", "create_post"),
        ("GET", r"/api/v1/statuses/([0-9]+)", "get_status", "get_status"),
        ("GET", r"/api/v1/accounts/verify_credentials", "verify_credentials", "verify_credentials"),
        ("GET", r"/api/v1/accounts/([0-9]+)/statuses", "account_statuses", "account_statuses"),
        ("GET", r"/api/v2/instance", "instance", "instance"),
    )

    def authenticate(self, req, required=True):
        auth = req.header("Authorization") or ""
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        if not token and not required:
            return None
        acct = self.state.find_account("mastodon", token=token) if token else None
        state = acct.token_state if acct else "invalid"
        if state != "valid":
            msg = {"expired": "The access token expired", "revoked": "The access token was revoked"}.get(
                state, "The access token is invalid")
            self.fail(error(401, msg, [("WWW-Authenticate", 'Bearer realm="Doorkeeper", error="invalid_token",'
                                        ' error_description="%s"' % msg)]))
        req.account = acct
        ok, remaining, reset = self.state.quota(("mastodon", acct.id, "api"), API_LIMIT, API_WINDOW)
        req.rate = (API_LIMIT, remaining, reset)
        if not ok:
            self.fail(self.decorate(req, error(429, "Too many requests")))
        return acct

    # --- endpoints -------------------------------------------------------------------------------

    def instance(self, req):
        acct = self.authenticate(req, required=False)
        max_chars = acct.max_characters if acct else max(
            [a.max_characters for a in self.state.accounts if a.platform == "mastodon"] or [500])
        host = self.base.split("://", 1)[-1]
        return json_response(200, {
            "domain": host, "title": "growth sandbox", "version": "4.3.0", "source_url":
            "https://github.com/mastodon/mastodon", "description": "Local sandbox instance",
            "configuration": {
                "urls": {"streaming": "ws://" + host},
                "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
                "statuses": {"max_characters": max_chars, "max_media_attachments": 4,
                             "characters_reserved_per_url": 23},
                "media_attachments": {"image_size_limit": 16777216, "video_size_limit": 103809024,
                                      "description_limit": 1500},
                "polls": {"max_options": 4, "max_characters_per_option": 50}},
            "registrations": {"enabled": False, "approval_required": False, "message": None}})

    def verify_credentials(self, req):
        acct = self.authenticate(req)
        return json_response(200, dict(self._account_json(acct), source={
            "privacy": "public", "sensitive": False, "language": "en", "note": "", "fields": []}))

    def create_post(self, req):
        acct = self.authenticate(req)
        ct = req.content_type()
        if ct == "application/json":
            try:
                body = req.json() or {}
            except ValueError as e:
                self.fail(error(400, "Error while parsing request: %s" % e))
            if not isinstance(body, dict):
                self.fail(error(400, "Error while parsing request: expected a JSON object"))
        elif ct in ("application/x-www-form-urlencoded", "multipart/form-data", ""):
            body = req.form()
            media = [v for k, v in body.items() if k.startswith("media_ids[")]
            if media:
                body["media_ids"] = media
        else:
            self.fail(error(415, "Unsupported media type: %s" % ct))
        reply_to = body.get("in_reply_to_id")
        parent = None
        if reply_to not in (None, ""):
            parent = self.state.get("mastodon", str(reply_to))
            if parent is None:
                self.fail(error(404, "The post you are trying to reply to does not appear to exist."))
        key = req.header("Idempotency-Key")
        if key:
            hit = self.state.idempotency.get((acct.id, key))
            if hit and time.time() - hit[1] < IDEMPOTENCY_TTL:
                existing = self.state.get("mastodon", hit[0])
                existing["idempotent_replays"] = existing.get("idempotent_replays", 0) + 1
                return json_response(200, self._status_json(existing))
        status_text = body.get("status") or ""
        spoiler = body.get("spoiler_text") or ""
        if not isinstance(status_text, str) or not isinstance(spoiler, str):
            self.fail(error(422, "Validation failed: Text must be a string"))
        visibility = body.get("visibility") or "public"
        if visibility not in VISIBILITIES:
            self.fail(error(422, "'%s' is not a valid visibility" % visibility))
        if body.get("scheduled_at"):
            self.fail(error(422, "Validation failed: scheduled_at is not emulated by the growth sandbox"))
        if not status_text.strip() and not body.get("media_ids"):
            self.fail(error(422, "Validation failed: Text can't be blank"))
        if body.get("media_ids"):
            self.fail(error(422, "Validation failed: media_ids refer to media this sandbox does not hold"))
        length = textmod.mastodon_length(status_text, spoiler)
        if length > acct.max_characters:
            self.fail(error(422, "Validation failed: Text character limit of %d exceeded"
                            % acct.max_characters))
        ok, remaining, reset = self.state.quota(("mastodon", acct.id, "statuses"), STATUS_LIMIT, STATUS_WINDOW)
        if remaining / STATUS_LIMIT < req.rate[1] / API_LIMIT or not ok:
            req.rate = (STATUS_LIMIT, remaining, reset)
        if not ok:
            self.fail(self.decorate(req, error(429, "Too many requests")))
        return self.apply_post(req, acct, body, status_text, spoiler, visibility, parent, key)

    def apply_post(self, req, acct, body, status_text, spoiler, visibility, parent, key):
        sid = str(113_000_000_000_000_000 + self.state.next_number() * 65536)
        obj = {"kind": "post", "id": sid, "account": acct.username, "account_id": acct.id,
               "text": status_text, "spoiler_text": spoiler, "visibility": visibility,
               "language": body.get("language"), "sensitive": str(body.get("sensitive", "false")).lower()
               in ("true", "1"), "parent_id": parent["id"] if parent else None,
               "root_id": parent["root_id"] if parent else sid,
               "url": "%s/@%s/%s" % (self.base, acct.username, sid),
               "uri": "%s/users/%s/statuses/%s" % (self.base, acct.username, sid),
               "idempotency_key": key, "request_seq": req.seq}
        self.state.store("mastodon", obj)
        idx = self.state.index
        idx[("mastodon-statuses", acct.id)] = idx.get(("mastodon-statuses", acct.id), 0) + 1
        if parent:
            idx[("mastodon-replies", parent["id"])] = idx.get(("mastodon-replies", parent["id"]), 0) + 1
        if key:
            self.state.idempotency[(acct.id, key)] = (sid, time.time())
        return json_response(200, self._status_json(obj))

    def get_status(self, req, sid):
        self.authenticate(req, required=False)
        o = self.state.get("mastodon", sid)
        if o is None:
            self.fail(error(404, "Record not found"))
        return json_response(200, self._status_json(o))

    def account_statuses(self, req, account_id):
        self.authenticate(req, required=False)
        acct = self.state.find_account("mastodon", account_id=account_id)
        if acct is None:
            self.fail(error(404, "Record not found"))
        raw = req.query.get("limit", "")
        limit = min(int(raw), 40) if raw.isascii() and raw.isdigit() and int(raw) > 0 else 20  # Rails: to_i
        posts = [o for o in reversed(self.state.objects) if o["platform"] == "mastodon"
                 and o["account_id"] == account_id]
        return json_response(200, [self._status_json(o) for o in posts[:limit]])

    # --- rendering -------------------------------------------------------------------------------

    def _account_json(self, acct):
        return {"id": acct.id, "username": acct.username, "acct": acct.username,
                "display_name": acct.display_name, "locked": False, "bot": False,
                "url": "%s/@%s" % (self.base, acct.username), "note": "", "avatar": "", "header": "",
                "followers_count": 0, "following_count": 0,
                "statuses_count": self.state.index.get(("mastodon-statuses", acct.id), 0),
                "created_at": "2024-01-01T00:00:00.000Z", "emojis": [], "fields": []}

    def _status_json(self, o):
        acct = self.state.find_account("mastodon", account_id=o["account_id"])
        paragraphs = [p for p in o["text"].split("\n\n")]
        content = "".join("<p>%s</p>" % html.escape(p).replace("\n", "<br />") for p in paragraphs)
        parent = self.state.get("mastodon", o["parent_id"]) if o["parent_id"] else None
        return {"id": o["id"], "created_at": iso(o["created_at"]), "in_reply_to_id": o["parent_id"],
                "in_reply_to_account_id": parent["account_id"] if parent else None,
                "sensitive": o["sensitive"], "spoiler_text": o["spoiler_text"], "visibility": o["visibility"],
                "language": o["language"], "uri": o["uri"], "url": o["url"], "replies_count": self.state.index.get(("mastodon-replies", o["id"]), 0),
                "reblogs_count": 0, "favourites_count": 0, "edited_at": None, "content": content,
                "reblog": None, "application": {"name": "growth", "website": None},
                "account": self._account_json(acct), "media_attachments": [], "mentions": [], "tags": [],
                "emojis": [], "card": None, "poll": None}

    # --- headers, faults -------------------------------------------------------------------------

    def decorate(self, req, resp):
        rate = getattr(req, "rate", None)
        if rate and resp.header("X-RateLimit-Limit") is None:
            resp.add_header("X-RateLimit-Limit", rate[0])
            resp.add_header("X-RateLimit-Remaining", rate[1])
            resp.add_header("X-RateLimit-Reset", iso(rate[2], micro=True))
        return resp

    def fault_response(self, fault, req):
        if fault.kind == "rate_limit":
            limit = STATUS_LIMIT if fault.endpoint == "create_post" else API_LIMIT
            return error(429, "Too many requests", [
                ("X-RateLimit-Limit", str(limit)), ("X-RateLimit-Remaining", "0"),
                ("X-RateLimit-Reset", iso(time.time() + fault.reset_after, micro=True))])
        if fault.kind == "server_error":
            status = int(fault.status or 503)
            return error(status, "We're sorry, but something went wrong on our end." if status == 500
                         else "Service Unavailable")
        if fault.kind == "auth":
            return error(401, "The access token is invalid", [
                ("WWW-Authenticate", 'Bearer realm="Doorkeeper", error="invalid_token", '
                 'error_description="The access token is invalid"')])
        raise ValueError(fault.kind)

    def not_found(self, req):
        return error(404, "Record not found")

