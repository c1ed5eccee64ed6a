"""What Facebook Pages, Instagram and Threads share: Graph-style errors, tokens, version prefixes,
usage headers and the container two-step (platforms.md §3.5, §4.2, §5.2)."""

import json
import re
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request

from .platform import Platform
from .web import json_response

VERSION = r"(?:/v[0-9]+\.[0-9]+)?"          # Graph accepts versioned and unversioned paths
ID = r"([0-9]+(?:_[0-9]+)?|me)"


def fbtrace():
    return secrets.token_urlsafe(8)[:11]


def graph_error(status, message, code, etype="OAuthException", subcode=None, transient=None,
                user_title=None, user_msg=None, headers=None):
    err = {"message": message, "type": etype, "code": code}
    if subcode is not None:
        err["error_subcode"] = subcode
    if transient is not None:
        err["is_transient"] = transient
    if user_title:
        err["error_user_title"] = user_title
    if user_msg:
        err["error_user_msg"] = user_msg
    err["fbtrace_id"] = fbtrace()
    return json_response(status, {"error": err}, headers=headers)


def unsupported_object(obj_id, method="post"):
    return graph_error(400, "Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded "
                       "due to missing permissions, or does not support this operation. Please read the "
                       "Graph API documentation at https://developers.facebook.com/docs/graph-api"
                       % (method, obj_id), 100, "GraphMethodException", subcode=33)


def limit_param(platform, params, default=25, most=100):
    """The `limit` parameter of a Graph listing; a Graph error when it is not a positive integer."""
    raw = params.get("limit") or str(default)
    if not re.match(r"^[0-9]{1,6}$", raw) or int(raw) < 1:
        platform.fail(graph_error(400, "(#100) Param limit must be a positive integer", 100))
    return min(int(raw), most)


def missing_param(name):
    return graph_error(400, "(#100) The parameter %s is required" % name, 100)


def token_error(state):
    """The Graph answer for a token in `state` (expired/revoked/invalid), with WWW-Authenticate."""
    if state == "expired":
        msg = ("Error validating access token: Session has expired on %s. The current time is %s."
               % (time.strftime("%A, %d-%b-%y %H:%M:%S PST", time.gmtime(time.time() - 3600)),
                  time.strftime("%A, %d-%b-%y %H:%M:%S PST", time.gmtime())))
        sub = 463
    elif state == "revoked":
        msg = "Error validating access token: The user has not authorized application."
        sub = 458
    else:
        msg, sub = "Invalid OAuth access token - Cannot parse access token", None
    return graph_error(400, msg, 190, subcode=sub,
                       headers=[("WWW-Authenticate", 'OAuth "Facebook Platform" "invalid_token" "%s"' % msg)])


class GraphPlatform(Platform):
    """Base for Graph-API platforms; subclasses define `name`, `usage_type` and routes."""

    fault_kinds = Platform.fault_kinds
    usage_type = "pages"
    call_budget = 4800

    def authenticate(self, req):
        """The account owning the request's token (query/body `access_token` or a Bearer header)."""
        params = req.params()
        token = params.get("access_token")
        auth = req.header("Authorization") or ""
        if not token and (auth.startswith("Bearer ") or auth.startswith("OAuth ")):
            token = auth.split(" ", 1)[1].strip()
        if not token:
            self.fail(graph_error(400, "An access token is required to request this resource.", 104))
        acct = self.state.find_account(self.name, token=token)
        if acct is None and self.name == "instagram":
            # Instagram with Facebook Login publishes with the person's user token.
            from .meta_oauth import instagram_user_token
            acct, problem = instagram_user_token(self.state, token, req.path)
            if problem:
                self.fail(token_error(problem))
        if acct is None:
            self.fail(token_error("invalid"))
        if acct.token_state != "valid":
            self.fail(token_error(acct.token_state))
        req.account = acct
        ok, remaining, reset = self.state.quota((self.name, acct.id, "calls"), self.call_budget, 86400)
        req.usage = (self.call_budget - remaining) * 100 // self.call_budget
        return acct, params

    def resolve_user(self, acct, user_id):
        if user_id not in ("me", acct.id):
            self.fail(unsupported_object(user_id))

    def decorate(self, req, resp):
        usage = getattr(req, "usage", None)
        if usage is not None and req.account is not None and resp.header("X-Business-Use-Case-Usage") is None:
            resp.add_header("X-Business-Use-Case-Usage", json.dumps(
                {req.account.id: [{"type": self.usage_type, "call_count": usage, "total_cputime": 1,
                                   "total_time": 1, "estimated_time_to_regain_access": 0}]},
                separators=(",", ":")))
        return resp

    def throttled(self, fault, req):
        minutes = (fault.reset_after + 59) // 60    # whole minutes, rounded up; 0 means "now"
        token = req.params().get("access_token") or (req.header("Authorization") or "").partition(" ")[2].strip()
        acct = self.state.find_account(self.name, token=token) if token else None
        acct_id = acct.id if acct else "0"
        resp = graph_error(400, "(#32) Page request limit reached" if self.name == "facebook"
                           else "Application request limit reached", 32 if self.name == "facebook" else 4,
                           transient=True)
        resp.add_header("X-Business-Use-Case-Usage", json.dumps(
            {acct_id: [{"type": self.usage_type, "call_count": 100, "total_cputime": 100, "total_time": 100,
                        "estimated_time_to_regain_access": minutes}]}, separators=(",", ":")))
        return resp

    def fault_response(self, fault, req):
        if fault.kind == "rate_limit":
            return self.throttled(fault, req)
        if fault.kind == "server_error":
            return graph_error(int(fault.status or 500), "An unexpected error has occurred. Please retry "
                               "your request later.", 2, transient=True)
        if fault.kind == "auth":
            return token_error("expired")
        if fault.kind == "duplicate":
            return self.duplicate()
        raise ValueError(fault.kind)

    def not_found(self, req):
        parts = [p for p in req.route.split("/") if p and not re.match(r"^v[0-9]+\.[0-9]+$", p)]
        if len(parts) >= 2:
            return graph_error(400, "(#100) Unknown path components: /%s" % "/".join(parts[1:]), 100)
        return unsupported_object(parts[0] if parts else "", "get" if req.method == "GET" else "post")

    # --- media fetch (Instagram/Threads containers) ------------------------------------------------

    def fetch_media(self, url):
        """Fetch `url` as Meta's crawler would; returns (ok, content_type or reason).

        URLs on this sandbox are answered from memory; others are fetched for real (3 s timeout),
        without holding the state lock.
        """
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            return False, "not an http(s) URL"
        own = urllib.parse.urlsplit(self.state.base_url)
        if parsed.netloc == own.netloc:
            from .media import media_for_path
            hit = media_for_path(parsed.path)
            return (True, hit[0]) if hit else (False, "HTTP 404")
        self.state.lock.release()
        try:
            with urllib.request.urlopen(url, timeout=3) as r:
                return True, (r.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        except urllib.error.HTTPError as e:
            return False, "HTTP %d" % e.code
        except Exception as e:  # noqa: BLE001 - any fetch failure is the platform's fetch failure
            return False, str(e)
        finally:
            self.state.lock.acquire()
