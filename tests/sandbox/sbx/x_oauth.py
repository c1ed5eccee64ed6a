"""X's OAuth 2.0 (platforms.md §1.1), mixed into the X platform: the consent page
(GET /i/oauth2/authorize: the first X account with a valid token signs in and approves at once),
the token endpoint (POST /2/oauth2/token) and revocation (POST /2/oauth2/revoke).

Apps come from POST /_sandbox/apps (platform "x"): without a secret a public client (client_id in
the body), with one a confidential client (HTTP Basic only). PKCE is required (S256 or plain);
codes live 30 seconds and are used once, for their redirect URI. Access tokens live 2 hours; a
refresh token is granted only with offline.access, and it rotates: each refresh answers a new
one and the old one stops working, as does the old access token (the account's token is the one
the API knows)."""

import base64
import hashlib
import secrets
import time
import urllib.parse

from .web import Response, json_response

CODE_TTL = 30
ACCESS_TTL = 7200
SCOPES = {"tweet.read", "tweet.write", "tweet.moderate.write", "users.read", "users.email", "follows.read",
          "follows.write", "offline.access", "space.read", "mute.read", "mute.write", "like.read", "like.write",
          "list.read", "list.write", "block.read", "block.write", "bookmark.read", "bookmark.write",
          "media.write", "dm.read", "dm.write"}


def _error(status, error, description):
    return json_response(status, {"error": error, "error_description": description})


class XOAuth:
    oauth_routes = (
        ("GET", r"/i/oauth2/authorize", "oauth2_authorize", "oauth2_authorize"),
        ("POST", r"/2/oauth2/token", "oauth2_token", "oauth2_token"),
        ("POST", r"/2/oauth2/revoke", "oauth2_revoke", "oauth2_revoke"),
    )

    def oauth2_authorize(self, req):
        q = req.query
        app = self.state.apps.get(q.get("client_id", ""))
        if app is None or app["platform"] != "x":
            return Response(400, "Something went wrong: you weren't able to give access to the App.",
                            content_type="text/plain; charset=utf-8")
        redirect = q.get("redirect_uri", "")
        if redirect not in app["redirect_uris"]:
            return Response(400, "Something went wrong: the callback URL is not approved for this client.",
                            content_type="text/plain; charset=utf-8")

        def back(**params):
            if q.get("state"):
                params["state"] = q["state"]
            return Response(302, b"", headers=[("Location", redirect + ("&" if "?" in redirect else "?")
                                                 + urllib.parse.urlencode(params))])

        scopes = (q.get("scope") or "").split()
        if q.get("response_type") != "code":
            return back(error="unsupported_response_type", error_description="Only code is supported")
        if not scopes or not set(scopes) <= SCOPES:
            return back(error="invalid_scope", error_description="The scope is missing or not supported")
        method = q.get("code_challenge_method", "plain")
        if not q.get("code_challenge") or method not in ("S256", "plain"):
            return back(error="invalid_request", error_description="Missing or invalid code_challenge")
        if app.get("deny"):
            return back(error="access_denied", error_description="The user denied the request")
        user = next((a for a in self.state.accounts if a.platform == "x" and a.token_state == "valid"), None)
        if user is None:
            return Response(403, "Nobody is signed in to this sandbox (no X account with a valid token).",
                            content_type="text/plain; charset=utf-8")
        code = secrets.token_urlsafe(32)
        self.state.x_codes[code] = {"client_id": app["client_id"], "redirect_uri": redirect, "scopes": scopes,
                                    "challenge": q["code_challenge"], "method": method, "at": time.time(),
                                    "account_id": user.id}
        return back(code=code)

    def _client(self, req, form):
        """The app the token request authenticates as, or an error response."""
        auth = req.header("Authorization") or ""
        client_id, secret = form.get("client_id"), None
        if auth.startswith("Basic "):
            try:
                client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                client_id, secret = urllib.parse.unquote(client_id), urllib.parse.unquote(secret)
            except (ValueError, UnicodeDecodeError):
                return None, _error(401, "unauthorized_client", "Missing valid authorization header")
        app = self.state.apps.get(client_id or "")
        if app is None or app["platform"] != "x":
            return None, _error(400, "invalid_request", "Missing required parameter [client_id].")
        if app["client_secret"]:
            if secret is None or not secrets.compare_digest(app["client_secret"], secret):
                return None, _error(401, "unauthorized_client", "Missing valid authorization header")
        elif secret is not None:
            return None, _error(401, "unauthorized_client", "Missing valid authorization header")
        return app, None

    def _grant(self, acct, app, scopes):
        acct.token = "xat-" + secrets.token_urlsafe(40)
        body = {"token_type": "bearer", "expires_in": ACCESS_TTL, "access_token": acct.token,
                "scope": " ".join(scopes)}
        if "offline.access" in scopes:
            refresh = "xrt-" + secrets.token_urlsafe(40)
            self.state.x_refresh[refresh] = {"client_id": app["client_id"], "scopes": scopes,
                                             "account_id": acct.id}
            body["refresh_token"] = refresh
        return json_response(200, body)

    def oauth2_token(self, req):
        form = req.form()
        app, err = self._client(req, form)
        if err:
            return err
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            grant = self.state.x_codes.pop(form.get("code") or "", None)
            if (grant is None or grant["client_id"] != app["client_id"] or time.time() - grant["at"] > CODE_TTL
                    or grant["redirect_uri"] != form.get("redirect_uri")):
                return _error(400, "invalid_request", "Value passed for the authorization code was invalid.")
            verifier = form.get("code_verifier") or ""
            expected = (base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                        if grant["method"] == "S256" else verifier)
            if not verifier or not secrets.compare_digest(expected, grant["challenge"]):
                return _error(400, "invalid_request", "Value passed for the code verifier was invalid.")
            acct = self.state.find_account("x", account_id=grant["account_id"])
            return self._grant(acct, app, grant["scopes"])
        if grant_type == "refresh_token":
            old = self.state.x_refresh.pop(form.get("refresh_token") or "", None)
            if old is None or old["client_id"] != app["client_id"]:
                return _error(400, "invalid_request", "Value passed for the token was invalid.")
            acct = self.state.find_account("x", account_id=old["account_id"])
            if acct is None or acct.token_state == "revoked":
                return _error(400, "invalid_request", "Value passed for the token was invalid.")
            acct.token_state = "valid"
            return self._grant(acct, app, old["scopes"])
        return _error(400, "invalid_request", "Value passed for the grant_type was invalid.")

    def oauth2_revoke(self, req):
        form = req.form()
        app, err = self._client(req, form)
        if err:
            return err
        token = form.get("token") or ""
        self.state.x_refresh.pop(token, None)
        acct = self.state.find_account("x", token=token) if token else None
        if acct is not None:
            acct.token_state = "revoked"
        return json_response(200, {"revoked": True})
