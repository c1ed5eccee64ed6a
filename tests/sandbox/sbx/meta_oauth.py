"""Meta's logins (platforms.md §3.1, §4.1 B, §5.1), mixed into the Facebook and Threads platforms.

Facebook Login (Facebook Pages and Instagram through its Page): the OAuth dialog
(GET /dialog/oauth: the sandbox's signed-in person, who manages every Facebook Page account with a
valid token, approves at once), the code exchange and the long-lived exchange (both
GET /oauth/access_token, the app secret in the query), and GET /me/accounts listing the Pages with
their Page tokens and connected Instagram business accounts. Threads: GET /oauth/authorize (the
first Threads account with a valid token signs in; the redirect carries Meta's "#_"), POST
/oauth/access_token, GET /access_token (th_exchange_token) and GET /refresh_access_token
(th_refresh_token; the token must be a day old unless config threads_refresh_min_age says less).

Apps are registered with POST /_sandbox/apps (control.py): their id, secret and the exact
redirect URIs Meta matches against. Codes live 10 minutes and are used once, for the redirect URI
they were issued to. User tokens: short-lived (about 1.4 h) and long-lived (60 days)."""

import secrets
import time
import urllib.parse

from .meta import VERSION, graph_error, limit_param, token_error
from .web import Response, json_response

CODE_TTL = 600
SHORT_TTL = 5183          # Facebook's short-lived user token; Threads' is 3600
LONG_TTL = 5183944        # 60 days

FACEBOOK_SCOPES = {"public_profile", "email", "pages_show_list", "pages_manage_posts", "pages_read_engagement",
                   "pages_manage_engagement", "pages_manage_metadata", "publish_video", "business_management",
                   "instagram_basic", "instagram_content_publish", "instagram_manage_comments",
                   "instagram_manage_insights"}
THREADS_SCOPES = {"threads_basic", "threads_content_publish", "threads_manage_replies", "threads_read_replies",
                  "threads_manage_insights", "threads_keyword_search", "threads_delete"}
TASKS = ["ANALYZE", "ADVERTISE", "MODERATE", "CREATE_CONTENT", "MANAGE"]


def _page(status, text):
    return Response(status, "<!DOCTYPE html><title>growth sandbox</title><p>%s</p>" % text,
                    content_type="text/html; charset=utf-8")


def _scopes(raw):
    return [s for s in raw.replace(",", " ").split() if s]


def _redirect(uri, params, fragment=""):
    sep = "&" if "?" in uri else "?"
    return Response(302, b"", headers=[("Location", uri + sep + urllib.parse.urlencode(params) + fragment)])


class MetaOAuth:
    """Shared by Facebook (with Instagram) and Threads; `meta_flavor` is "facebook" or "threads"."""

    facebook_oauth_routes = (
        ("GET", VERSION + r"/dialog/oauth", "dialog_oauth", "authorize"),
        ("GET", VERSION + r"/oauth/access_token", "oauth_access_token", "facebook_token"),
        ("GET", VERSION + r"/me/accounts", "me_accounts", "me_accounts"),
    )
    threads_oauth_routes = (
        ("GET", r"/oauth/authorize", "oauth_authorize", "authorize"),
        ("POST", VERSION + r"/oauth/access_token", "oauth_access_token", "threads_code"),
        ("GET", VERSION + r"/access_token", "access_token", "threads_exchange"),
        ("GET", VERSION + r"/refresh_access_token", "refresh_access_token", "threads_refresh"),
    )

    # --- the app and the code ----------------------------------------------------------------

    def _app(self, client_id):
        app = self.state.apps.get(client_id or "")
        return app if app is not None and app["platform"] == self.meta_flavor else None

    def _signed_in(self):
        platform = "facebook" if self.meta_flavor == "facebook" else "threads"
        return [a for a in self.state.accounts if a.platform == platform and a.token_state == "valid"]

    def authorize(self, req):
        q = req.query
        app = self._app(q.get("client_id"))
        if app is None:
            return _page(400, "Invalid App ID: the provided app ID does not look like a valid app ID.")
        redirect = q.get("redirect_uri", "")
        if redirect not in app["redirect_uris"]:
            return _page(400, "URL blocked: This redirect failed because the redirect URI is not whitelisted in "
                              "the app's Client OAuth Settings.")
        scopes = _scopes(q.get("scope", ""))
        known = FACEBOOK_SCOPES if self.meta_flavor == "facebook" else THREADS_SCOPES
        bad = [s for s in scopes if s not in known]
        if bad:
            return _page(400, "Invalid Scopes: %s." % ", ".join(bad))
        fragment = "#_" if self.meta_flavor == "threads" else ""
        extra = {"state": q["state"]} if q.get("state") else {}
        if q.get("response_type", "code") != "code":
            return _redirect(redirect, dict(error="unsupported_response_type", **extra), fragment)
        if app.get("deny"):
            return _redirect(redirect, dict(error="access_denied", error_code="200", error_reason="user_denied",
                                            error_description="Permissions error", **extra), fragment)
        people = self._signed_in()
        if not people:
            return _page(403, "Nobody is signed in to this sandbox (no %s account with a valid token)."
                         % self.meta_flavor)
        code = secrets.token_urlsafe(48)
        self.state.meta_codes[code] = {"client_id": app["client_id"], "redirect_uri": redirect, "scopes": scopes,
                                       "at": time.time(), "used": False, "account_id": people[0].id}
        return _redirect(redirect, dict(code=code, **extra), fragment)

    def _check_client(self, params, need_id=True):
        """The app named by client_id (or, where Meta takes only the secret, the one it belongs to)
        whose secret is client_secret, or a Graph error response."""
        client_id, secret = params.get("client_id"), params.get("client_secret")
        if need_id and not client_id:
            return None, graph_error(400, "Missing client_id parameter.", 101)
        if not secret:
            return None, graph_error(400, "Missing client_secret parameter.", 1)
        if need_id:
            app = self._app(client_id)
            if app is None:
                return None, graph_error(400, "Error validating application. Invalid application ID.", 101)
        else:
            app = next((a for a in self.state.apps.values()
                        if a["platform"] == self.meta_flavor and secrets.compare_digest(a["client_secret"], secret)),
                       None)
            if app is None:
                return None, graph_error(400, "Error validating client secret.", 1)
        if not secrets.compare_digest(app["client_secret"], secret):
            return None, graph_error(400, "Error validating client secret.", 1)
        return app, None

    def _take_code(self, params, app):
        code = params.get("code") or ""
        grant = self.state.meta_codes.get(code)
        if not code or grant is None:
            return None, graph_error(400, "Invalid verification code format.", 100)
        if grant["used"]:
            return None, graph_error(400, "This authorization code has been used.", 100, subcode=36009)
        if time.time() - grant["at"] > CODE_TTL:
            return None, graph_error(400, "This authorization code has expired.", 100, subcode=36007)
        if grant["client_id"] != app["client_id"] or grant["redirect_uri"] != params.get("redirect_uri"):
            return None, graph_error(400, "Error validating verification code. Please make sure your redirect_uri "
                                          "is identical to the one you used in the OAuth dialog request", 100,
                                     subcode=36008)
        grant["used"] = True
        return grant, None

    def _mint(self, kind, grant, ttl, account_id=None):
        token = ("EAAB" if self.meta_flavor == "facebook" else "THAA") + secrets.token_urlsafe(40)
        self.state.meta_tokens[token] = {"platform": self.meta_flavor, "kind": kind, "scopes": grant["scopes"],
                                         "client_id": grant["client_id"], "exp": time.time() + ttl,
                                         "issued": time.time(), "account_id": account_id or grant.get("account_id")}
        return token

    def _user_token(self, token):
        """The live user token `token` of this flavour, or a Graph error response."""
        t = self.state.meta_tokens.get(token or "")
        if t is None or t["platform"] != self.meta_flavor:
            return None, token_error("invalid")
        if time.time() > t["exp"]:
            return None, token_error("expired")
        return t, None

    # --- Facebook Login ------------------------------------------------------------------------

    def facebook_token(self, req):
        params = req.query
        app, err = self._check_client(params)
        if err:
            return err
        if params.get("grant_type") == "fb_exchange_token":
            t, err = self._user_token(params.get("fb_exchange_token"))
            if err:
                return err
            if t["client_id"] != app["client_id"]:
                return graph_error(400, "Error validating access token: the token was issued to another app.", 190)
            token = self._mint("long", t, LONG_TTL)
            return json_response(200, {"access_token": token, "token_type": "bearer", "expires_in": LONG_TTL})
        if params.get("grant_type") not in (None, "", "authorization_code"):
            return graph_error(400, "Unsupported grant_type: %s" % params["grant_type"][:40], 100)
        if not params.get("redirect_uri"):
            return graph_error(400, "Missing redirect_uri parameter.", 191)
        grant, err = self._take_code(params, app)
        if err:
            return err
        token = self._mint("short", grant, SHORT_TTL)
        return json_response(200, {"access_token": token, "token_type": "bearer", "expires_in": SHORT_TTL})

    def me_accounts(self, req):
        params = req.params()
        token = params.get("access_token") or (req.header("Authorization") or "").partition(" ")[2].strip()
        if not token:
            return graph_error(400, "An access token is required to request this resource.", 104)
        if self.state.find_account("facebook", token=token) is not None:
            return graph_error(400, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)", 100)
        t, err = self._user_token(token)
        if err:
            return err
        if "pages_show_list" not in t["scopes"]:
            return graph_error(403, "(#200) Requires pages_show_list permission to manage the object", 200)
        limit = limit_param(self, params, 25, 100)
        fields = self._fields(params.get("fields") or "id,name")
        data = []
        for page in self._signed_in()[:limit]:
            entry = {}
            for name in fields:
                if name == "id":
                    entry["id"] = page.id
                elif name == "name":
                    entry["name"] = page.display_name
                elif name == "access_token":
                    entry["access_token"] = page.token
                elif name == "tasks":
                    entry["tasks"] = TASKS
                elif name == "category":
                    entry["category"] = "Brand"
                elif name == "instagram_business_account" and "instagram_basic" in t["scopes"]:
                    ig = next((a for a in self.state.accounts
                               if a.platform == "instagram" and a.page_id == page.id), None)
                    if ig is not None:
                        entry["instagram_business_account"] = {"id": ig.id, "username": ig.username}
                elif name not in ("instagram_business_account",):
                    return graph_error(400, "(#100) Tried accessing nonexisting field (%s) on node type (Page)"
                                       % name[:40], 100)
            data.append(entry)
        return json_response(200, {"data": data, "paging": {"cursors": {"before": "QVFI", "after": "QVFI"}}})

    @staticmethod
    def _fields(raw):
        """Top-level names of a Graph `fields` list (nested `{...}` selections skipped)."""
        names, depth, cur = [], 0, ""
        for ch in raw:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            elif ch == "," and depth == 0:
                names.append(cur.strip())
                cur = ""
            elif depth == 0:
                cur += ch
        if cur.strip():
            names.append(cur.strip())
        return names

    # --- Threads -----------------------------------------------------------------------------

    def threads_code(self, req):
        params = req.form()
        app, err = self._check_client(params)
        if err:
            return err
        if params.get("grant_type") != "authorization_code":
            return graph_error(400, "Unsupported grant_type", 100)
        grant, err = self._take_code(params, app)
        if err:
            return err
        token = self._mint("short", grant, 3600)
        return json_response(200, {"access_token": token, "user_id": int(grant["account_id"])})

    def threads_exchange(self, req):
        params = req.query
        if params.get("grant_type") != "th_exchange_token":
            return graph_error(400, "Unsupported grant_type", 100)
        app, err = self._check_client(params, need_id=False)
        if err:
            return err
        t, err = self._user_token(params.get("access_token"))
        if err:
            return err
        if t["kind"] != "short" or t["client_id"] != app["client_id"]:
            return token_error("invalid")
        acct = self.state.find_account("threads", account_id=t["account_id"])
        if acct is None:
            return token_error("invalid")
        # The account's long-lived token is the one the platform's API knows (state.Account.token).
        acct.token = "THLL" + secrets.token_urlsafe(40)
        self.state.meta_tokens[acct.token] = dict(t, kind="long", exp=time.time() + LONG_TTL, issued=time.time())
        return json_response(200, {"access_token": acct.token, "token_type": "bearer", "expires_in": LONG_TTL})

    def threads_refresh(self, req):
        params = req.query
        if params.get("grant_type") != "th_refresh_token":
            return graph_error(400, "Unsupported grant_type", 100)
        token = params.get("access_token") or ""
        acct = self.state.find_account("threads", token=token)
        if acct is None or acct.token_state != "valid":
            return token_error(acct.token_state if acct is not None else "invalid")
        t = self.state.meta_tokens.get(token)
        issued = t["issued"] if t else 0
        if time.time() - issued < self.state.config.get("threads_refresh_min_age", 86400):
            return graph_error(400, "(#10) The access token must be at least 24 hours old to be refreshed.", 10)
        acct.token = "THLL" + secrets.token_urlsafe(40)
        self.state.meta_tokens[acct.token] = dict(t or {"platform": "threads", "scopes": ["threads_basic"],
                                                        "client_id": "", "account_id": acct.id},
                                                  kind="long", exp=time.time() + LONG_TTL, issued=time.time())
        return json_response(200, {"access_token": acct.token, "token_type": "bearer", "expires_in": LONG_TTL})


def instagram_user_token(state, token, path):
    """Instagram with Facebook Login: the IG account a live Facebook user token acts for (the
    one named in `path`, else the first connected to a Page the person manages), or None."""
    t = state.meta_tokens.get(token or "")
    if t is None or t["platform"] != "facebook" or "instagram_basic" not in t["scopes"]:
        return None, None
    pages = {a.id for a in state.accounts if a.platform == "facebook" and a.token_state == "valid"}
    linked = [a for a in state.accounts if a.platform == "instagram" and a.page_id in pages]
    if not linked:
        return None, None
    acct = next((a for a in linked if a.id in path), linked[0])
    return acct, ("expired" if time.time() > t["exp"] else None)
