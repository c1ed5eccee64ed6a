"""The control API under /_sandbox/ (README.md "Control API"): accounts, tokens, recorded requests,
created posts and threads, faults, configuration, reset, and the media files."""

import json

from .media import media_for_path
from .state import PLATFORMS, TOKEN_STATES, Fault
from .web import Response, json_response

POST_KINDS = ("post", "comment")


def bad(message, status=400):
    return json_response(status, {"error": message})


class Control:
    def __init__(self, server):
        self.server = server
        self.state = server.state

    def handle(self, req):
        route = req.route.rstrip("/") or "/"
        media = media_for_path(req.route)
        if media and req.method in ("GET", "HEAD"):
            return Response(200, media[1], content_type=media[0])
        table = {
            ("GET", "/_sandbox/health"): self.health,
            ("GET", "/_sandbox/accounts"): self.list_accounts,
            ("POST", "/_sandbox/accounts"): self.add_accounts,
            ("POST", "/_sandbox/tokens"): self.set_token,
            ("GET", "/_sandbox/requests"): self.requests,
            ("GET", "/_sandbox/posts"): self.posts,
            ("GET", "/_sandbox/objects"): self.objects,
            ("GET", "/_sandbox/threads"): self.threads,
            ("GET", "/_sandbox/faults"): self.list_faults,
            ("POST", "/_sandbox/faults"): self.add_faults,
            ("DELETE", "/_sandbox/faults"): self.clear_faults,
            ("POST", "/_sandbox/reset"): self.reset,
            ("POST", "/_sandbox/containers"): self.set_container,
            ("GET", "/_sandbox/config"): self.get_config,
            ("POST", "/_sandbox/config"): self.set_config,
            ("POST", "/_sandbox/apps"): self.add_app,
        }
        fn = table.get((req.method, route))
        if fn is None:
            if any(path == route for _, path in table):
                return bad("method %s not allowed on %s" % (req.method, route), 405)
            return bad("no control endpoint %s %s" % (req.method, route), 404)
        body = None
        if req.method == "POST":
            if req.body:
                try:
                    body = json.loads(req.body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as e:
                    return bad("request body is not valid JSON: %s" % e)
            else:
                body = {}
        with self.state.lock:
            return fn(req, body) if req.method == "POST" else fn(req)

    # --- info ------------------------------------------------------------------------------------

    def prefixes(self):
        return {name: p.base for name, p in self.server.platforms.items()}

    def health(self, req):
        return json_response(200, {"ok": True, "base_url": self.state.base_url, "platforms": self.prefixes(),
                                   "endpoints": {n: p.endpoints() for n, p in self.server.platforms.items()}})

    def account_json(self, acct):
        d = acct.public()
        d["api_base"] = self.server.platforms[acct.platform].base
        return d

    # --- accounts and tokens ---------------------------------------------------------------------

    def list_accounts(self, req):
        platform = req.query.get("platform")
        return json_response(200, {"accounts": [self.account_json(a) for a in self.state.accounts
                                                if not platform or a.platform == platform]})

    def add_accounts(self, req, body):
        specs = body.get("accounts") if isinstance(body, dict) and "accounts" in body else [body]
        if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
            return bad("expected an account object or {\"accounts\": [objects]}")
        try:
            created = seed_accounts(self.state, specs)
        except ValueError as e:
            return bad(str(e))
        return json_response(201, {"accounts": [self.account_json(a) for a in created]})

    def add_app(self, req, body):
        """An OAuth app as its developer portal holds it: {"platform": "facebook"|"threads"|"x",
        "client_id", "client_secret", "redirect_uris": [...], "deny": false}. A Facebook app serves
        Facebook Pages and Instagram; an X app without a secret is a public client (PKCE only);
        "deny" makes the person refuse the consent page."""
        if not isinstance(body, dict) or body.get("platform") not in ("facebook", "threads", "x"):
            return bad("platform must be facebook, threads or x")
        for key in ("client_id", "client_secret"):
            if key == "client_secret" and body["platform"] == "x" and body.get(key) in (None, ""):
                continue
            if not isinstance(body.get(key), str) or not body[key]:
                return bad("%s must be a non-empty string" % key)
        uris = body.get("redirect_uris")
        if not isinstance(uris, list) or not uris or not all(isinstance(u, str) for u in uris):
            return bad("redirect_uris must be a non-empty list of URLs")
        app = {"platform": body["platform"], "client_id": body["client_id"], "client_secret": body.get("client_secret") or "",
               "redirect_uris": uris, "deny": bool(body.get("deny", False))}
        self.state.apps[app["client_id"]] = app
        return json_response(201, app)

    def set_token(self, req, body):
        state = body.get("state")
        if state not in TOKEN_STATES:
            return bad("state must be one of %s" % ", ".join(TOKEN_STATES))
        platform = body.get("platform")
        acct = None
        if body.get("token"):
            acct = next((a for a in self.state.accounts if a.token == body["token"]), None)
        elif platform and body.get("username"):
            acct = self.state.find_account(platform, username=body["username"])
        else:
            return bad("name the account by \"token\", or by \"platform\" and \"username\"")
        if acct is None:
            return bad("no such account", 404)
        if acct.platform == "bluesky":
            which = body.get("which", "access")
            if which not in ("access", "refresh", "all"):
                return bad("which must be access, refresh or all")
            touched = 0
            for sess in self.state.sessions.values():
                if sess["did"] == acct.id and (which == "all" or sess["kind"] == which):
                    sess["state"] = state
                    touched += 1
            return json_response(200, {"account": self.account_json(acct), "sessions_changed": touched})
        acct.token_state = state
        return json_response(200, {"account": self.account_json(acct)})

    # --- recordings ------------------------------------------------------------------------------

    def requests(self, req):
        q = req.query
        raw = q.get("since") or "0"
        if not raw.isascii() or not raw.isdigit():
            return bad("since must be a request sequence number")
        since = int(raw)
        out = [r for r in self.state.requests if r["seq"] > since
               and (not q.get("platform") or r["platform"] == q["platform"])
               and (not q.get("endpoint") or r["endpoint"] == q["endpoint"])]
        return json_response(200, {"requests": out})

    def posts(self, req):
        q = req.query
        kinds = (q["kind"],) if q.get("kind") else POST_KINDS
        out = [o for o in self.state.public_objects(q.get("platform"), q.get("account")) if o["kind"] in kinds]
        return json_response(200, {"posts": out})

    def objects(self, req):
        q = req.query
        return json_response(200, {"objects": self.state.public_objects(q.get("platform"), q.get("account"),
                                                                        q.get("kind"))})

    def threads(self, req):
        q = req.query
        groups = {}
        order = []
        for o in self.state.public_objects(q.get("platform"), q.get("account")):
            if o["kind"] not in POST_KINDS:
                continue
            key = (o["platform"], o["root_id"])
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(o)
        out = [{"platform": k[0], "root_id": k[1], "account": groups[k][0]["account"], "parts": groups[k]}
               for k in order]
        return json_response(200, {"threads": out})

    # --- faults ----------------------------------------------------------------------------------

    def list_faults(self, req):
        return json_response(200, {"pending": [f.public() for f in self.state.faults],
                                   "fired": [f.public() for f in self.state.fired]})

    def add_faults(self, req, body):
        specs = body.get("faults") if isinstance(body, dict) and "faults" in body else [body]
        if not isinstance(specs, list) or not specs:
            return bad("expected a fault object or {\"faults\": [objects]}")
        for i, spec in enumerate(specs):
            problem = self.check_fault(spec)
            if problem:
                return bad("fault %d: %s" % (i + 1, problem) if len(specs) > 1 else problem)
        added = [self.state.add_fault(spec) for spec in specs]
        return json_response(201, {"faults": [f.public() for f in added]})

    def check_fault(self, spec):
        if not isinstance(spec, dict):
            return "a fault must be an object"
        allowed = {"platform", "endpoint", "kind", "nth", "seconds", "status", "reset_after"}
        unknown = sorted(set(spec) - allowed)
        if unknown:
            return "unknown fault field(s): %s" % ", ".join(unknown)
        platform = self.server.platforms.get(spec.get("platform"))
        if platform is None:
            return "platform must be one of %s" % ", ".join(PLATFORMS)
        kind = spec.get("kind")
        if kind not in Fault.KINDS:
            return "kind must be one of %s" % ", ".join(Fault.KINDS)
        if kind not in platform.fault_kinds:
            return "%s has no %s error; kinds for %s: %s" % (platform.name, kind, platform.name,
                                                            ", ".join(platform.fault_kinds))
        endpoint = spec.get("endpoint", "*")
        if endpoint != "*" and endpoint not in platform.endpoints():
            return "unknown %s endpoint %r; known: %s" % (platform.name, endpoint, ", ".join(platform.endpoints()))
        nth = spec.get("nth", 1)
        if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
            return "nth must be an integer >= 1"
        seconds = spec.get("seconds", 0)
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            return "seconds must be a number >= 0"
        if kind == "stall" and seconds <= 0:
            return "a stall needs \"seconds\" > 0"
        status = spec.get("status")
        if status is not None and (kind != "server_error" or not isinstance(status, int)
                                   or not 500 <= status <= 599):
            return "status is only for server_error and must be 500..599"
        reset_after = spec.get("reset_after", 60)
        if not isinstance(reset_after, int) or isinstance(reset_after, bool) or reset_after < 0:
            return "reset_after must be an integer number of seconds >= 0"
        return None

    def clear_faults(self, req):
        n = len(self.state.faults)
        self.state.faults = []
        return json_response(200, {"cleared": n})

    # --- containers ------------------------------------------------------------------------------

    def set_container(self, req, body):
        """Force an Instagram/Threads container into IN_PROGRESS, FINISHED, ERROR or EXPIRED."""
        platform, cid, status = body.get("platform"), body.get("id"), body.get("status")
        if platform not in ("instagram", "threads"):
            return bad("platform must be instagram or threads")
        if status not in ("IN_PROGRESS", "FINISHED", "ERROR", "EXPIRED"):
            return bad("status must be one of IN_PROGRESS, FINISHED, ERROR, EXPIRED")
        o = self.state.get(platform, cid)
        if o is None or o["kind"] != "container":
            return bad("no %s container %r" % (platform, cid), 404)
        if o["status"] == "PUBLISHED":
            return bad("container %s is already published" % cid)
        o["status"] = status
        o["polls_left"] = 10 ** 9 if status == "IN_PROGRESS" else 0
        return json_response(200, {"id": cid, "status": status})

    # --- config and reset ------------------------------------------------------------------------

    def get_config(self, req):
        return json_response(200, self.state.config)

    def set_config(self, req, body):
        problem = apply_config(self.state, body)
        if problem:
            return bad(problem)
        return json_response(200, self.state.config)

    def reset(self, req, body):
        accounts = body.get("accounts", False) if isinstance(body, dict) else False
        if not isinstance(accounts, bool):
            return bad("accounts must be true or false")
        self.state.reset(accounts=accounts)
        return json_response(200, {"ok": True, "accounts_kept": len(self.state.accounts)})


def apply_config(state, body):
    """Validate and apply a config object; returns an error message or None (nothing changed then)."""
    if not isinstance(body, dict):
        return "config must be an object"
    unknown = sorted(set(body) - {"quotas", "container_polls", "bluesky_access_ttl", "threads_refresh_min_age"})
    if unknown:
        return "unknown config key(s): %s" % ", ".join(unknown)
    if "quotas" in body and not isinstance(body["quotas"], bool):
        return "quotas must be true or false"
    polls = body.get("container_polls", {})
    if not isinstance(polls, dict) or any(k not in ("instagram", "threads") or not isinstance(v, int) or v < 0
                                          for k, v in polls.items()):
        return "container_polls must map instagram/threads to a count >= 0"
    age = body.get("threads_refresh_min_age", 0)
    if not isinstance(age, int) or age < 0:
        return "threads_refresh_min_age must be a number of seconds >= 0"
    ttl = body.get("bluesky_access_ttl", 1)
    if not isinstance(ttl, int) or ttl < 1:
        return "bluesky_access_ttl must be a number of seconds >= 1"
    for k, v in body.items():
        if k == "container_polls":
            state.config["container_polls"].update(v)
        else:
            state.config[k] = v
    return None


def seed_accounts(state, specs):
    """Add accounts from a list of specs; all or nothing (raises ValueError naming the bad one)."""
    before = list(state.accounts)
    created = []
    try:
        for i, spec in enumerate(specs):
            try:
                created.append(state.add_account(spec))
            except ValueError as e:
                raise ValueError("account %d: %s" % (i + 1, e) if len(specs) > 1 else str(e)) from None
    except ValueError:
        state.accounts = before
        raise
    return created

