"""X API v2 (platforms.md §1): POST /2/tweets, GET /2/users/me, GET /2/users/{id}/tweets."""

import calendar
import re
import time

from . import text as textmod
from .platform import Platform
from .web import json_response
from .x_oauth import XOAuth

PROBLEM = "https://api.x.com/2/problems/"
ID_PATTERN = re.compile(r"^[0-9]{1,19}$")
POST_LIMIT, POST_WINDOW = 100, 15 * 60            # POST /2/tweets per user (rate-limits page)
READ_LIMIT, READ_WINDOW = 75, 15 * 60
DAY_USER_LIMIT, DAY_APP_LIMIT = 2400, 10000         # 24-hour headers (user value: unconfirmed)
DUPLICATE_WINDOW = 24 * 3600

ALLOWED_FIELDS = {"card_uri", "community_id", "direct_message_deep_link", "edit_options",
                  "for_super_followers_only", "geo", "made_with_ai", "media", "nullcast",
                  "paid_partnership", "poll", "quote_tweet_id", "reply", "reply_settings", "text",
                  "share_with_followers"}
TWEET_FIELDS = {"article", "attachments", "author_id", "card_uri", "context_annotations",
                "conversation_id", "created_at", "edit_controls", "edit_history_tweet_ids", "entities",
                "geo", "id", "in_reply_to_user_id", "lang", "note_tweet", "possibly_sensitive",
                "public_metrics", "referenced_tweets", "reply_settings", "scopes", "source", "text",
                "withheld"}
REPLY_FIELDS = {"in_reply_to_tweet_id", "exclude_reply_user_ids", "auto_populate_reply_metadata"}


def problem(status, title, detail, ptype="about:blank", **extra):
    body = {"title": title, "detail": detail, "type": ptype, "status": status}
    body.update(extra)
    return json_response(status, body, content_type="application/problem+json")


def invalid_request(message, parameter=None, value=None):
    err = {"message": message}
    if parameter is not None:
        err["parameters"] = {parameter: [value if value is not None else ""]}
    return json_response(400, {"errors": [err], "title": "Invalid Request",
                               "detail": "One or more parameters to your request was invalid.",
                               "type": PROBLEM + "invalid-request"},
                         content_type="application/problem+json")


class X(XOAuth, Platform):
    name = "x"
    fault_kinds = Platform.fault_kinds + ("duplicate",)
    routes = XOAuth.oauth_routes + (
        ("POST", r"/2/tweets", "create_post", "create_post"),
        ("GET", r"/2/users/me", "me", "me"),
        ("GET", r"/2/users/([0-9]+)/tweets", "user_posts", "user_posts"),
        ("GET", r"/2/tweets/([0-9]+)", "get_post", "get_post"),
    )

    # --- auth ------------------------------------------------------------------------------------

    def authenticate(self, req):
        auth = req.header("Authorization") or ""
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            self.fail(problem(401, "Unauthorized", "Unauthorized"))
        acct = self.state.find_account("x", token=auth[7:].strip())
        if acct is None or acct.token_state != "valid":
            self.fail(problem(401, "Unauthorized", "Unauthorized"))
        req.account = acct
        return acct

    # --- endpoints -------------------------------------------------------------------------------

    def me(self, req):
        acct = self.authenticate(req)
        self._charge(req, "read", READ_LIMIT, READ_WINDOW)
        return json_response(200, {"data": {"id": acct.id, "name": acct.display_name,
                                            "username": acct.username}})

    def create_post(self, req):
        acct = self.authenticate(req)
        if req.content_type() != "application/json":
            self.fail(invalid_request("Content-Type must be application/json"))
        try:
            body = req.json()
        except ValueError as e:
            self.fail(invalid_request("Request body is not valid JSON: %s" % e))
        if not isinstance(body, dict):
            self.fail(invalid_request("$: expected type: JSONObject, found: %s" % type(body).__name__))
        for key in sorted(set(body) - ALLOWED_FIELDS):
            self.fail(invalid_request("$.%s: is not defined in the schema and the schema does not allow "
                                      "additional properties" % key))
        text = body.get("text")
        if text is not None and not isinstance(text, str):
            self.fail(invalid_request("$.text: expected type: String, found: %s" % type(text).__name__))
        reply_to = None
        if "reply" in body:
            reply = body["reply"]
            if not isinstance(reply, dict):
                self.fail(invalid_request("$.reply: expected type: JSONObject"))
            for key in sorted(set(reply) - REPLY_FIELDS):
                self.fail(invalid_request("$.reply.%s: is not defined in the schema and the schema does "
                                          "not allow additional properties" % key))
            if "in_reply_to_tweet_id" not in reply:
                self.fail(invalid_request("$.reply: required key [in_reply_to_tweet_id] not found"))
            reply_to = reply["in_reply_to_tweet_id"]
            if not isinstance(reply_to, str) or not ID_PATTERN.match(reply_to):
                self.fail(invalid_request("$.reply.in_reply_to_tweet_id: string [%s] does not match "
                                          "pattern ^[0-9]{1,19}$" % reply_to))
        has_media = isinstance(body.get("media"), dict) and body["media"].get("media_ids")
        if not text and not has_media and "poll" not in body:
            self.fail(invalid_request("$.text: text is required when media, poll and quote_tweet_id are "
                                      "absent", "text", text or ""))
        if text:
            if textmod.x_has_invalid_chars(text):
                self.fail(invalid_request("$.text: contains invalid characters", "text", text))
            weighted = textmod.x_weighted_length(text)
            if weighted > 280:
                self.fail(problem(403, "Forbidden", "Your Tweet text is too long. For more information on "
                                  "how X counts characters, see the documentation."))
        parent = None
        if reply_to is not None:
            parent = self.state.get("x", reply_to)
            if parent is None:
                self.fail(problem(403, "Forbidden", "You attempted to reply to a Tweet that is deleted or "
                                  "not visible to you."))
            if acct.x_self_reply_forbidden and ("@" + acct.username).lower() not in parent["text"].lower():
                # The self-serve rule: a reply needs the parent's author to have "summoned" the replier.
                self.fail(problem(403, "Forbidden", "Reply to this conversation is not allowed because you "
                                  "have not been mentioned or otherwise engaged by the author of the post "
                                  "you are replying to."))
        self._charge(req, "post", POST_LIMIT, POST_WINDOW)
        last = self.state.index.get(("x-text", acct.username, text or ""))
        if text and last is not None and time.time() - last < DUPLICATE_WINDOW:
            return self.duplicate_response()
        return self.apply_post(req, acct, body, text, parent)

    def apply_post(self, req, acct, body, text, parent):
        post_id = str(1_860_000_000_000_000_000 + self.state.next_number() * 4_194_304 + 1_048_577)
        obj = {"kind": "post", "id": post_id, "account": acct.username, "author_id": acct.id,
               "text": text or "", "parent_id": parent["id"] if parent else None,
               "root_id": parent["root_id"] if parent else post_id,
               "url": "https://x.com/%s/status/%s" % (acct.username, post_id),
               "request_seq": req.seq, "body": body}
        self.state.store("x", obj)
        self.state.index[("x-text", acct.username, text or "")] = obj["created_at"]
        return json_response(201, {"data": {"id": post_id, "text": text or "",
                                            "edit_history_tweet_ids": [post_id]}})

    def get_post(self, req, post_id):
        self.authenticate(req)
        self._charge(req, "read", READ_LIMIT, READ_WINDOW)
        o = self.state.get("x", post_id)
        if o is None:
            return json_response(200, {"errors": [{"value": post_id, "detail": "Could not find tweet with "
                                                   "id: [%s]." % post_id, "title": "Not Found Error",
                                                   "resource_type": "tweet", "parameter": "id",
                                                   "resource_id": post_id,
                                                   "type": PROBLEM + "resource-not-found"}]})
        return json_response(200, {"data": self._render(o)})

    def user_posts(self, req, user_id):
        """GET /2/users/{id}/tweets: newest first; since_id/until_id, start_time/end_time,
        max_results 5-100 with meta.next_token (pagination_token) when more remain, and only
        id, text, edit_history_tweet_ids unless tweet.fields asks for more, as the real API."""
        self.authenticate(req)
        self._charge(req, "read", READ_LIMIT, READ_WINDOW)
        acct = self.state.find_account("x", account_id=user_id)
        posts = [o for o in self.state.objects if acct and o["platform"] == "x" and o["author_id"] == user_id]
        since = req.query.get("since_id")
        if since:
            posts = [o for o in posts if int(o["id"]) > int(since)]
        until = req.query.get("until_id")
        if until:
            posts = [o for o in posts if int(o["id"]) < int(until)]
        for name, keep in (("start_time", lambda o, t: o["created_at"] >= t),
                           ("end_time", lambda o, t: o["created_at"] < t)):
            raw = req.query.get(name)
            if raw is None:
                continue
            try:
                at = calendar.timegm(time.strptime(raw, "%Y-%m-%dT%H:%M:%SZ"))
            except ValueError:
                return invalid_request("Invalid '%s':'%s'. '%s' must be a valid ISO-8601 date in the "
                                       "format YYYY-MM-DDTHH:mm:ssZ" % (name, raw, name), name, raw)
            posts = [o for o in posts if keep(o, at)]
        raw = req.query.get("max_results") or "10"
        limit = int(raw) if ID_PATTERN.match(raw) else -1
        if not 5 <= limit <= 100:
            return invalid_request("The `max_results` query parameter value [%s] is not between 5 and 100"
                                   % raw, "max_results", raw)
        fields = [f for f in (req.query.get("tweet.fields") or "").split(",") if f]
        for f in fields:
            if f not in TWEET_FIELDS:
                return invalid_request("The `tweet.fields` query parameter value [%s] is not one of [%s]"
                                       % (f, ",".join(sorted(TWEET_FIELDS))), "tweet.fields", f)
        newest_first = list(reversed(posts))
        offset = 0
        token = req.query.get("pagination_token")
        if token:
            if not token.isdigit() or int(token) > len(newest_first):
                return invalid_request("The `pagination_token` query parameter value [%s] is not valid"
                                       % token, "pagination_token", token)
            offset = int(token)
        page = newest_first[offset:offset + limit]
        data = [self._render(o, fields) for o in page]
        meta = {"result_count": len(data)}
        if data:
            meta.update(newest_id=data[0]["id"], oldest_id=data[-1]["id"])
        if offset + limit < len(newest_first):
            meta["next_token"] = str(offset + limit)
        return json_response(200, {"data": data, "meta": meta} if data else {"meta": meta})

    @staticmethod
    def _render(o, fields=("author_id", "created_at", "conversation_id", "in_reply_to_user_id")):
        full = {"author_id": o["author_id"],
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(o["created_at"])),
                "conversation_id": o["root_id"]}
        if o["parent_id"]:
            full["in_reply_to_user_id"] = o["author_id"]
            full["referenced_tweets"] = [{"type": "replied_to", "id": o["parent_id"]}]
        d = {"id": o["id"], "text": o["text"], "edit_history_tweet_ids": [o["id"]]}
        d.update({f: full[f] for f in fields if f in full})
        return d

    # --- limits, faults, errors ------------------------------------------------------------------

    def _charge(self, req, family, limit, window):
        acct = req.account
        ok, remaining, reset = self.state.quota(("x", acct.id, family), limit, window)
        req.rate = (limit, remaining, int(reset))
        if family == "post":
            _, rem_user, reset_user = self.state.quota(("x", acct.id, "day"), DAY_USER_LIMIT, 86400)
            _, rem_app, reset_app = self.state.quota(("x", "app", "day"), DAY_APP_LIMIT, 86400)
            req.day = (rem_user, int(reset_user), rem_app, int(reset_app))
        if not ok:
            self.fail(self.decorate(req, problem(429, "Too Many Requests", "Too Many Requests")))

    def decorate(self, req, resp):
        rate = getattr(req, "rate", None)
        if rate and resp.header("x-rate-limit-limit") is None:
            resp.add_header("x-rate-limit-limit", rate[0])
            resp.add_header("x-rate-limit-remaining", rate[1])
            resp.add_header("x-rate-limit-reset", rate[2])
        day = getattr(req, "day", None)
        if day and resp.header("x-user-limit-24hour-limit") is None:
            resp.add_header("x-user-limit-24hour-limit", DAY_USER_LIMIT)
            resp.add_header("x-user-limit-24hour-remaining", day[0])
            resp.add_header("x-user-limit-24hour-reset", day[1])
            resp.add_header("x-app-limit-24hour-limit", DAY_APP_LIMIT)
            resp.add_header("x-app-limit-24hour-remaining", day[2])
            resp.add_header("x-app-limit-24hour-reset", day[3])
        return resp

    @staticmethod
    def duplicate_response():
        return problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.")

    def fault_response(self, fault, req):
        if fault.kind == "rate_limit":
            resp = problem(429, "Too Many Requests", "Too Many Requests")
            limit = POST_LIMIT if fault.endpoint == "create_post" else READ_LIMIT
            resp.add_header("x-rate-limit-limit", limit)
            resp.add_header("x-rate-limit-remaining", 0)
            resp.add_header("x-rate-limit-reset", int(time.time()) + fault.reset_after)
            return resp
        if fault.kind == "server_error":
            status = int(fault.status or 503)
            title = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                     504: "Gateway Timeout"}.get(status, "Server Error")
            return problem(status, title, title)
        if fault.kind == "auth":
            return problem(401, "Unauthorized", "Unauthorized")
        if fault.kind == "duplicate":
            return self.duplicate_response()
        raise ValueError(fault.kind)

    def not_found(self, req):
        return problem(404, "Not Found Error", "Sorry, that page does not exist.",
                       PROBLEM + "resource-not-found")
