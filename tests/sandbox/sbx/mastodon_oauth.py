"""Mastodon's OAuth (platforms.md §6.1, Doorkeeper): an app registered per instance
(POST /api/v1/apps), the authorize page (GET /oauth/authorize: the sandbox's signed-in person, the
first Mastodon account with a valid token, approves at once and the browser is redirected), and
the token endpoint (POST /oauth/token: the client's secret, a code used once within 10 minutes for
the redirect URI it was issued to, PKCE S256 verified when the authorize request carried a
challenge). No refresh tokens: Mastodon's tokens do not expire."""

import base64
import hashlib
import secrets
import time
import urllib.parse

from .web import Response, json_response

CODE_TTL = 600
SCOPES = {"read", "write", "follow", "push", "profile", "admin:read", "admin:write"} | {
    "%s:%s" % (rw, what) for rw in ("read", "write")
    for what in ("accounts", "blocks", "bookmarks", "favourites", "filters", "follows", "lists", "media",
                 "mutes", "notifications", "reports", "search", "statuses", "conversations")}
INVALID_GRANT = ("The provided authorization grant is invalid, expired, revoked, does not match the redirection "
                 "URI used in the authorization request, or was issued to another client.")
INVALID_CLIENT = ("Client authentication failed due to unknown client, no client authentication included, or "
                  "unsupported authentication method.")


def _page(status, text):
    return Response(status, "<!DOCTYPE html><title>growth sandbox</title><p>%s</p>" % text,
                    content_type="text/html; charset=utf-8")


def _oauth_error(status, error, description):
    return json_response(status, {"error": error, "error_description": description})


def _absolute(uri):
    if uri == "urn:ietf:wg:oauth:2.0:oob":
        return True
    parts = urllib.parse.urlsplit(uri)
    return bool(parts.scheme and parts.netloc) and not parts.fragment


class MastodonOAuth:
    """Mixed into the Mastodon platform; its routes join the platform's."""

    oauth_routes = (
        ("POST", r"/api/v1/apps", "create_app", "create_app"),
        ("GET", r"/oauth/authorize", "authorize", "authorize"),
        ("POST", r"/oauth/token", "oauth_token", "oauth_token"),
    )

    def _body(self, req):
        if req.content_type() == "application/json":
            try:
                body = req.json() or {}
            except ValueError:
                body = None
            return body if isinstance(body, dict) else None
        return req.form()

    def create_app(self, req):
        body = self._body(req)
        if body is None:
            return json_response(400, {"error": "Error while parsing request: the body is not a JSON object"})
        name = body.get("client_name")
        if not isinstance(name, str) or not name.strip():
            return json_response(422, {"error": "Validation failed: Application name can't be blank"})
        uris = body.get("redirect_uris")
        if isinstance(uris, str):
            uris = uris.split()
        if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
            return json_response(422, {"error": "Validation failed: Redirect URI can't be blank"})
        if not all(_absolute(u) for u in uris):
            return json_response(422, {"error": "Validation failed: Redirect URI must be an absolute URI."})
        scopes = body.get("scopes") or "read"
        if not isinstance(scopes, str) or not set(scopes.split()) <= SCOPES:
            return json_response(422, {"error": "Validation failed: Scopes must be a subset of the instance's scopes"})
        app = {"id": str(len(self.state.mastodon_apps) + 563419), "name": name, "website": body.get("website"),
               "scopes": scopes.split(), "redirect_uris": uris, "client_id": secrets.token_urlsafe(32),
               "client_secret": secrets.token_urlsafe(32)}
        self.state.mastodon_apps[app["client_id"]] = app
        return json_response(200, {
            "id": app["id"], "name": name, "website": app["website"], "scopes": app["scopes"],
            "redirect_uri": "\n".join(uris), "redirect_uris": uris, "client_id": app["client_id"],
            "client_secret": app["client_secret"], "client_secret_expires_at": 0,
            "vapid_key": "BCk-QqERU0q-CfYZjcuB6lnyyOYfJ2AifKqfeGIm7Z-HiTU5T9eTG5GxVA0_OH5mMlI4UkkDTpaZwozy0TzdZ2M="})

    def authorize(self, req):
        q = req.query
        app = self.state.mastodon_apps.get(q.get("client_id", ""))
        if app is None:
            return _page(401, "An error has occurred: " + INVALID_CLIENT)
        redirect = q.get("redirect_uri", "")
        if redirect not in app["redirect_uris"]:
            return _page(400, "An error has occurred: The redirect uri included is not valid.")

        def back(**params):
            if q.get("state"):
                params["state"] = q["state"]
            sep = "&" if "?" in redirect else "?"
            return Response(302, b"", headers=[("Location", redirect + sep + urllib.parse.urlencode(params))])

        if q.get("response_type") != "code":
            return back(error="unsupported_response_type",
                        error_description="The authorization server does not support this response type.")
        scopes = (q.get("scope") or "read").split()
        if not set(scopes) <= set(app["scopes"]):
            return back(error="invalid_scope",
                        error_description="The requested scope is invalid, unknown, or malformed.")
        challenge = q.get("code_challenge")
        if challenge and q.get("code_challenge_method") != "S256":
            return back(error="invalid_request",
                        error_description="The code challenge method is not supported (only S256).")
        user = next((a for a in self.state.accounts if a.platform == "mastodon" and a.token_state == "valid"), None)
        if user is None:
            return _page(403, "Nobody is signed in to this sandbox instance (no Mastodon account with a valid token).")
        code = secrets.token_urlsafe(32)
        self.state.mastodon_codes[code] = {"client_id": app["client_id"], "redirect_uri": redirect, "scopes": scopes,
                                           "challenge": challenge, "account_id": user.id, "at": time.time(),
                                           "used": False}
        return back(code=code)

    def oauth_token(self, req):
        body = self._body(req)
        if body is None:
            return _oauth_error(400, "invalid_request", "The request is missing a required parameter.")
        client_id, secret = body.get("client_id"), body.get("client_secret")
        auth = req.header("Authorization") or ""
        if auth.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                client_id, secret = urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
            except (ValueError, UnicodeDecodeError):
                return _oauth_error(401, "invalid_client", INVALID_CLIENT)
        app = self.state.mastodon_apps.get(client_id or "")
        if app is None or not secret or not secrets.compare_digest(app["client_secret"], secret):
            return _oauth_error(401, "invalid_client", INVALID_CLIENT)
        if body.get("grant_type") != "authorization_code":
            return _oauth_error(400, "unsupported_grant_type",
                                "The authorization grant type is not supported by the authorization server.")
        grant = self.state.mastodon_codes.get(body.get("code") or "")
        if (grant is None or grant["used"] or grant["client_id"] != client_id
                or time.time() - grant["at"] > CODE_TTL or grant["redirect_uri"] != body.get("redirect_uri")):
            return _oauth_error(400, "invalid_grant", INVALID_GRANT)
        if grant["challenge"]:
            verifier = body.get("code_verifier") or ""
            digest = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            if not verifier or digest != grant["challenge"]:
                return _oauth_error(400, "invalid_grant", INVALID_GRANT)
        grant["used"] = True
        acct = self.state.find_account("mastodon", account_id=grant["account_id"])
        if acct is None:
            return _oauth_error(400, "invalid_grant", INVALID_GRANT)
        return json_response(200, {"access_token": acct.token, "token_type": "Bearer",
                                   "scope": " ".join(grant["scopes"]), "created_at": int(time.time())})
