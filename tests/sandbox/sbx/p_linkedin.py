"""LinkedIn Posts API and comments (platforms.md §2): /rest/posts, /rest|v2/socialActions/{urn}/comments,
/v2/userinfo, /v2/me."""

import time
import urllib.parse

from . import text as textmod
from .platform import Platform
from .web import Response, json_response

COMMENTARY_LIMIT = 3000
DAILY_POSTS = 150           # third-party figure (unconfirmed); comments share it here
ACTIVE_VERSION_MONTHS = 12


def rest_error(status, message, code=None, service_code=None):
    body = {"status": status, "message": message}
    if code:
        body["code"] = code
    if service_code is not None:
        body["serviceErrorCode"] = service_code
    return json_response(status, body)


def input_error(status, message, code, field, description):
    return json_response(status, {
        "errorDetailType": "com.linkedin.common.error.BadRequest", "message": message,
        "errorDetails": {"inputErrors": [{"description": description,
                                          "input": {"inputPath": {"fieldPath": field}}, "code": code}]},
        "status": status})


def active_versions(now=None):
    t = time.gmtime(now or time.time())
    year, month = t.tm_year, t.tm_mon
    out = []
    for _ in range(ACTIVE_VERSION_MONTHS):
        out.append("%04d%02d" % (year, month))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out


class LinkedIn(Platform):
    name = "linkedin"
    fault_kinds = Platform.fault_kinds + ("duplicate",)
    routes = (
        ("POST", r"/rest/posts", "create_post", "create_post"),
        ("GET", r"/rest/posts", "list_posts", "list_posts"),
        ("GET", r"/rest/posts/([^/]+)", "get_post", "get_post"),
        ("POST", r"/rest/socialActions/([^/]+)/comments", "create_comment", "create_comment_rest"),
        ("POST", r"/v2/socialActions/([^/]+)/comments", "create_comment", "create_comment_v2"),
        ("GET", r"/v2/userinfo", "userinfo", "userinfo"),
        ("GET", r"/v2/me", "me", "me"),
    )

    # --- checks ----------------------------------------------------------------------------------

    def authenticate(self, req):
        auth = req.header("Authorization") or ""
        token = auth[7:].strip() if auth.startswith("Bearer ") else ""
        acct = self.state.find_account("linkedin", token=token) if token else None
        if acct is None:
            self.fail(rest_error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600))
        if acct.token_state == "expired":
            self.fail(rest_error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN",
                                 65602))
        if acct.token_state == "revoked":
            self.fail(rest_error(401, "The token used in the request has been revoked by the user",
                                 "REVOKED_ACCESS_TOKEN", 65601))
        if acct.token_state != "valid":
            self.fail(rest_error(401, "Invalid access token", "INVALID_ACCESS_TOKEN", 65600))
        req.account = acct
        return acct

    def check_versioned(self, req):
        version = (req.header("LinkedIn-Version") or "").strip()
        if not version:
            self.fail(rest_error(400, "A version must be present. Please specify a version by adding the "
                                 "LinkedIn-Version header.", "VERSION_MISSING"))
        if version.split(".")[0] not in active_versions():
            self.fail(rest_error(426, "Requested version %s is not active" % version, "NONEXISTENT_VERSION"))
        self.check_restli(req)

    def check_restli(self, req):
        if (req.header("X-Restli-Protocol-Version") or "").strip() != "2.0.0":
            self.fail(rest_error(400, "X-Restli-Protocol-Version header must be 2.0.0 for this resource",
                                 "ILLEGAL_ARGUMENT"))

    def json_body(self, req):
        if req.content_type() != "application/json":
            self.fail(rest_error(415, "Unsupported Media Type: expected application/json",
                                 "UNSUPPORTED_MEDIA_TYPE"))
        try:
            body = req.json()
        except ValueError as e:
            self.fail(rest_error(400, "Unable to parse JSON body: %s" % e, "ILLEGAL_ARGUMENT"))
        if not isinstance(body, dict):
            self.fail(rest_error(400, "Request body must be a JSON object", "ILLEGAL_ARGUMENT"))
        return body

    def _charge(self, req, acct):
        ok, _, _ = self.state.quota(("linkedin", acct.id, "day"), DAILY_POSTS, 86400)
        if not ok:
            self.fail(self.throttled())

    @staticmethod
    def throttled():
        return rest_error(429, "Resource level throttle APPLICATION DAY limit for calls to this resource is "
                          "reached.", "TOO_MANY_REQUESTS", 101)

    # --- endpoints -------------------------------------------------------------------------------

    def userinfo(self, req):
        acct = self.authenticate(req)
        given, _, family = acct.display_name.partition(" ")
        return json_response(200, {"sub": acct.id, "email_verified": True, "name": acct.display_name,
                                   "locale": {"country": "US", "language": "en"}, "given_name": given,
                                   "family_name": family, "email": acct.email})

    def me(self, req):
        acct = self.authenticate(req)
        given, _, family = acct.display_name.partition(" ")
        return json_response(200, {"id": acct.id, "localizedFirstName": given, "localizedLastName": family})

    def create_post(self, req):
        acct = self.authenticate(req)
        self.check_versioned(req)
        body = self.json_body(req)
        person = "urn:li:person:%s" % acct.id
        for field in ("author", "visibility", "distribution", "lifecycleState"):
            if field not in body:
                self.fail(input_error(422, "Field /%s is required" % field, "FIELD_VALUE_MISSING",
                                      "/" + field, "Field is required but missing"))
        allowed = [person] + ["urn:li:organization:%s" % o for o in acct.organizations]
        if body["author"] not in allowed:
            self.fail(rest_error(403, "Not enough permissions to access: partnerApiPostsExternal.CREATE."
                                 "%s (author %s is not the authenticated member)"
                                 % (req.header("LinkedIn-Version"), body["author"]), "ACCESS_DENIED", 100))
        if body["visibility"] not in ("PUBLIC", "CONNECTIONS", "LOGGED_IN", "CONTAINER"):
            self.fail(input_error(422, "Invalid value for /visibility", "INVALID_VALUE_FOR_FIELD",
                                  "/visibility", "Value %r is not a valid Visibility" % body["visibility"]))
        if body["lifecycleState"] not in ("PUBLISHED", "DRAFT"):
            self.fail(input_error(422, "Invalid value for /lifecycleState", "INVALID_VALUE_FOR_FIELD",
                                  "/lifecycleState", "Value %r is not valid" % body["lifecycleState"]))
        dist = body["distribution"]
        if not isinstance(dist, dict) or "feedDistribution" not in dist:
            self.fail(input_error(422, "Field /distribution/feedDistribution is required",
                                  "FIELD_VALUE_MISSING", "/distribution/feedDistribution",
                                  "Field is required but missing"))
        commentary = body.get("commentary", "")
        if not isinstance(commentary, str):
            self.fail(input_error(422, "Invalid value for /commentary", "INVALID_VALUE_FOR_FIELD",
                                  "/commentary", "Expected a string"))
        if not commentary and "content" not in body:
            self.fail(input_error(422, "A post needs commentary or content", "FIELD_VALUE_MISSING",
                                  "/commentary", "Field is required but missing"))
        visible, problem = textmod.little_text_render(commentary)
        if textmod.utf16_length(visible) > COMMENTARY_LIMIT:
            self.fail(input_error(422, "/commentary :: length %d exceeds the maximum of %d"
                                  % (textmod.utf16_length(visible), COMMENTARY_LIMIT), "MAX_LENGTH_EXCEEDED",
                                  "/commentary", "Text is too long"))
        original = self.state.index.get(("linkedin-text", acct.username, commentary))
        if commentary and original:
            self.fail(self.duplicate(original))
        self._charge(req, acct)
        return self.apply_post(req, acct, body, commentary, visible, problem)

    def apply_post(self, req, acct, body, commentary, visible, problem):
        n = self.state.next_number()
        urn = "urn:li:share:%d" % (7_300_000_000_000_000_000 + n)
        self.state.store("linkedin", {
            "kind": "post", "id": urn, "account": acct.username, "author": body.get("author"),
            "text": commentary, "visible_text": visible, "little_text_problem": problem,
            "activity": "urn:li:activity:%d" % (7_300_000_000_000_000_000 + n + 500_000),
            "parent_id": None, "root_id": urn, "url": "https://www.linkedin.com/feed/update/%s/" % urn,
            "request_seq": req.seq, "body": body})
        self.state.index.setdefault(("linkedin-text", acct.username, commentary), urn)
        return Response(201, b"", [("x-restli-id", urn), ("x-linkedin-id", urn)])

    def get_post(self, req, urn):
        self.authenticate(req)
        self.check_versioned(req)
        o = self.state.get("linkedin", urllib.parse.unquote(urn))
        if o is None or o["kind"] != "post":
            return self.not_found(req)
        return json_response(200, dict(o["body"], id=o["id"],
                                       createdAt=int(o["created_at"] * 1000)))

    def list_posts(self, req):
        """GET /rest/posts?q=author&author={urn} (the FINDER; X-RestLi-Method: FINDER): the author's
        posts newest first, `start`/`count` (≤ 100) with a `next` link while more remain. Needs
        r_member_social (restricted; account field `linkedin_read_posts`), else 403."""
        acct = self.authenticate(req)
        self.check_versioned(req)
        if (req.header("X-RestLi-Method") or "").strip().upper() != "FINDER":
            self.fail(rest_error(400, "X-RestLi-Method header must be FINDER for a finder request",
                                 "ILLEGAL_ARGUMENT"))
        if req.query.get("q") != "author":
            self.fail(rest_error(400, "Invalid finder: q must be author", "ILLEGAL_ARGUMENT"))
        author = req.query.get("author", "")
        allowed = ["urn:li:person:%s" % acct.id] + ["urn:li:organization:%s" % o for o in acct.organizations]
        if author not in allowed or not acct.linkedin_read_posts:
            self.fail(rest_error(403, "Not enough permissions to access: partnerApiPostsExternal.FINDER-author.%s"
                                 % req.header("LinkedIn-Version"), "ACCESS_DENIED", 100))
        sort = req.query.get("sortBy", "LAST_MODIFIED")
        if sort not in ("LAST_MODIFIED", "CREATED"):
            self.fail(rest_error(400, "Invalid sortBy %s" % sort, "ILLEGAL_ARGUMENT"))
        raw_start, raw_count = req.query.get("start", "0"), req.query.get("count", "10")
        if not raw_start.isdigit() or not raw_count.isdigit() or not 1 <= int(raw_count) <= 100:
            self.fail(rest_error(400, "start must be ≥ 0 and count between 1 and 100", "ILLEGAL_ARGUMENT"))
        start, count = int(raw_start), int(raw_count)
        posts = [o for o in reversed(self.state.objects)
                 if o["platform"] == "linkedin" and o["kind"] == "post" and o["author"] == author]
        page = posts[start:start + count]
        paging = {"start": start, "count": count, "links": []}
        if start + count < len(posts):
            query = dict(req.query, start=str(start + count))
            paging["links"].append({"rel": "next", "type": "application/json",
                                    "href": "/rest/posts?" + urllib.parse.urlencode(query)})
        elements = [dict(o["body"], id=o["id"], createdAt=int(o["created_at"] * 1000),
                         lastModifiedAt=int(o["created_at"] * 1000)) for o in page]
        return json_response(200, {"paging": paging, "elements": elements})

    def create_comment_rest(self, req, encoded_urn):
        self.authenticate(req)
        self.check_versioned(req)
        return self._comment(req, encoded_urn)

    def create_comment_v2(self, req, encoded_urn):
        self.authenticate(req)
        self.check_restli(req)
        return self._comment(req, encoded_urn)

    def _comment(self, req, encoded_urn):
        acct = req.account
        target_urn = urllib.parse.unquote(encoded_urn)
        body = self.json_body(req)
        target = self.state.get("linkedin", target_urn)
        if target is None:
            self.fail(rest_error(404, "Not Found: %s" % target_urn, "NOT_FOUND"))
        for field in ("actor", "object", "message"):
            if field not in body:
                self.fail(input_error(422, "Field /%s is required" % field, "FIELD_VALUE_MISSING",
                                      "/" + field, "Field is required but missing"))
        if body["actor"] not in ["urn:li:person:%s" % acct.id] + ["urn:li:organization:%s" % o
                                                                  for o in acct.organizations]:
            self.fail(rest_error(403, "Not enough permissions to comment as %s" % body["actor"],
                                 "ACCESS_DENIED", 100))
        post = target if target["kind"] == "post" else self.state.get("linkedin", target["root_id"])
        if body["object"] not in (post["id"], post["activity"]):
            self.fail(input_error(422, "/object %s does not match the URN in the path %s"
                                  % (body["object"], target_urn), "INVALID_VALUE_FOR_FIELD", "/object",
                                  "object must be the post the comment is created on"))
        message = body["message"]
        text = message.get("text") if isinstance(message, dict) else None
        if not isinstance(text, str) or not text:
            self.fail(input_error(422, "Field /message/text is required", "FIELD_VALUE_MISSING",
                                  "/message/text", "Field is required but missing"))
        if textmod.utf16_length(text) > COMMENTARY_LIMIT:
            self.fail(input_error(422, "/message/text :: length exceeds the maximum of %d" % COMMENTARY_LIMIT,
                                  "MAX_LENGTH_EXCEEDED", "/message/text", "Text is too long"))
        parent_comment = body.get("parentComment")
        if target["kind"] == "comment" and parent_comment != target["id"]:
            self.fail(input_error(422, "/parentComment must be %s" % target["id"], "INVALID_VALUE_FOR_FIELD",
                                  "/parentComment", "parentComment must match the comment in the path"))
        self._charge(req, acct)
        comment_id = str(7_400_000_000_000_000_000 + self.state.next_number())
        urn = "urn:li:comment:(%s,%s)" % (post["activity"], comment_id)
        now_ms = int(time.time() * 1000)
        self.state.store("linkedin", {
            "kind": "comment", "id": urn, "account": acct.username, "text": text, "parent_id": target["id"],
            "root_id": post["id"], "url": "%s?commentUrn=%s" % (post["url"], urllib.parse.quote(urn, safe="")),
            "request_seq": req.seq, "body": body})
        out = {"actor": body["actor"], "object": body["object"], "message": {"text": text},
               "id": comment_id, "commentUrn": urn, "$URN": urn,
               "created": {"actor": body["actor"], "time": now_ms},
               "lastModified": {"actor": body["actor"], "time": now_ms}}
        if parent_comment:
            out["parentComment"] = parent_comment
        resp = json_response(201, out)
        resp.add_header("x-restli-id", urn)
        resp.add_header("x-linkedin-id", urn)
        return resp

    # --- errors and faults -----------------------------------------------------------------------

    @staticmethod
    def duplicate(urn):
        return input_error(422, "com.linkedin.content.common.exception.BadRequestResponseException: Content is "
                           "a duplicate of %s" % urn, "DUPLICATE_POST", "/commentary",
                           "Duplicate post is detected")

    def fault_response(self, fault, req):
        if fault.kind == "rate_limit":
            return self.throttled()
        if fault.kind == "server_error":
            status = int(fault.status or 500)
            return rest_error(status, "Internal Server Error" if status == 500 else "Service Unavailable")
        if fault.kind == "auth":
            return rest_error(401, "The token used in the request has expired", "EXPIRED_ACCESS_TOKEN", 65602)
        if fault.kind == "duplicate":
            last = next((o for o in reversed(self.state.objects)
                         if o["platform"] == "linkedin" and o["kind"] == "post"), None)
            return self.duplicate(last["id"] if last else "urn:li:share:7141138937766391808")
        raise ValueError(fault.kind)

    def not_found(self, req):
        return rest_error(404, "No virtual resource found", "RESOURCE_NOT_FOUND")
