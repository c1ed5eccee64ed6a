"""Facebook Pages Graph API (platforms.md §3): /{page-id}/feed, /{post-id}/comments, object reads."""

import time
import urllib.parse

from .meta import limit_param, ID, VERSION, GraphPlatform, graph_error, unsupported_object
from .meta_oauth import MetaOAuth
from .web import json_response

MESSAGE_LIMIT = 63206
FEED_FIELDS = ("message", "link", "published", "scheduled_publish_time", "access_token", "place", "tags",
               "targeting", "attached_media", "formatting", "appsecret_proof")


class Facebook(MetaOAuth, GraphPlatform):
    name = "facebook"
    meta_flavor = "facebook"
    usage_type = "pages"
    fault_kinds = GraphPlatform.fault_kinds + ("duplicate",)
    routes = MetaOAuth.facebook_oauth_routes + (
        ("POST", VERSION + r"/([0-9]+)/feed", "create_post", "create_post"),
        ("GET", VERSION + r"/([0-9]+)/feed", "list_feed", "list_feed"),
        ("POST", VERSION + r"/([0-9]+)/photos", "create_photo", "create_photo"),
        ("POST", VERSION + r"/([0-9]+(?:_[0-9]+)?)/comments", "create_comment", "create_comment"),
        ("GET", VERSION + r"/([0-9]+(?:_[0-9]+)?)/comments", "list_comments", "list_comments"),
        ("GET", VERSION + r"/me", "me", "me"),
        ("GET", VERSION + r"/" + ID, "get_object", "get_object"),
    )

    def _own_page(self, acct, page_id):
        if page_id != acct.id:
            if self.state.find_account("facebook", account_id=page_id) is None:
                self.fail(unsupported_object(page_id))
            self.fail(graph_error(403, "(#200) The user hasn't authorized the application to perform this "
                                  "action", 200))

    def me(self, req):
        acct, _ = self.authenticate(req)
        return json_response(200, {"name": acct.display_name, "id": acct.id})

    def create_post(self, req, page_id):
        acct, params = self.authenticate(req)
        self._own_page(acct, page_id)
        message = params.get("message", "")
        if not message and not params.get("link") and not params.get("attached_media[0]"):
            self.fail(graph_error(400, "(#100) Missing message or attachment", 100))
        if len(message) > MESSAGE_LIMIT:
            self.fail(graph_error(400, "(#100) Message is too long (%d characters, the maximum is %d)"
                                  % (len(message), MESSAGE_LIMIT), 100))
        published = params.get("published", "true").lower() != "false"
        last = next((o for o in reversed(self.state.objects)
                     if o["platform"] == "facebook" and o["kind"] == "post" and o["page_id"] == page_id), None)
        if last is not None and message and last["text"] == message:
            self.fail(self.duplicate())
        return self.apply_post(req, acct, page_id, message, params, published)

    def create_photo(self, req, page_id):
        """A photo post from a public image URL: answers {"id": photo id, "post_id": page post id}."""
        acct, params = self.authenticate(req)
        self._own_page(acct, page_id)
        url = params.get("url", "")
        if not url:
            if req.content_type().startswith("multipart/"):
                self.fail(graph_error(400, "(#100) Multipart photo upload is not emulated by the growth sandbox; "
                                      "use url=", 100))
            self.fail(graph_error(400, "(#324) Requires upload file", 324))
        caption = params.get("caption", params.get("message", ""))
        if len(caption) > MESSAGE_LIMIT:
            self.fail(graph_error(400, "(#100) Message is too long", 100))
        fetched, info = self.fetch_media(url)
        if not fetched or not info.startswith("image/"):
            self.fail(graph_error(400, "(#324) Missing or invalid image file", 324,
                                  user_msg="The image could not be fetched from %s (%s)" % (url, info)))
        published = params.get("published", "true").lower() != "false"
        photo_id = str(122_200_000_000_000_000 + self.state.next_number())
        resp = self.apply_post(req, acct, page_id, caption, params, published)
        post = self.state.objects[-1]
        post.update(media_url=url, photo_id=photo_id)
        return json_response(200, {"id": photo_id, "post_id": post["id"]}) if resp.status == 200 else resp

    def apply_post(self, req, acct, page_id, message, params, published):
        post_id = "%s_%d" % (page_id, 122_100_000_000_000_000 + self.state.next_number())
        local = post_id.split("_", 1)[1]
        self.state.store("facebook", {
            "kind": "post", "id": post_id, "account": acct.username, "page_id": page_id, "text": message,
            "link": params.get("link"), "published": published, "parent_id": None, "root_id": post_id,
            "url": "https://www.facebook.com/%s/posts/%s" % (page_id, local), "request_seq": req.seq})
        return json_response(200, {"id": post_id})

    def create_comment(self, req, target_id):
        acct, params = self.authenticate(req)
        target = self.state.get("facebook", target_id)
        if target is None:
            self.fail(unsupported_object(target_id))
        message = params.get("message", "")
        if not message and not params.get("attachment_url") and not params.get("attachment_id"):
            self.fail(graph_error(400, "(#100) Missing message or attachment", 100))
        if len(message) > MESSAGE_LIMIT:
            self.fail(graph_error(400, "(#100) Message is too long", 100))
        local = target_id.split("_", 1)[1] if "_" in target_id else target_id
        comment_id = "%s_%d" % (local, 1_000_000_000_000_000 + self.state.next_number())
        self.state.store("facebook", {
            "kind": "comment", "id": comment_id, "account": acct.username, "page_id": acct.id,
            "text": message, "parent_id": target_id, "root_id": target["root_id"],
            "url": "%s?comment_id=%s" % (target["url"].split("?")[0], comment_id.split("_")[1]),
            "request_seq": req.seq})
        return json_response(200, {"id": comment_id})

    def get_object(self, req, obj_id):
        acct, params = self.authenticate(req)
        if obj_id == "me":
            return self.me(req)
        o = self.state.get("facebook", obj_id)
        if o is None:
            page = self.state.find_account("facebook", account_id=obj_id)
            if page is None:
                self.fail(unsupported_object(obj_id, "get"))
            return json_response(200, {"name": page.display_name, "id": page.id})
        return json_response(200, self._render(o, params.get("fields")))

    def list_feed(self, req, page_id):
        """GET /{page-id}/feed: newest first, `since`/`until` (Unix seconds), `limit` with a
        `paging.next` link while more remain (cursor `after`), as Graph pages its edges."""
        acct, params = self.authenticate(req)
        self._own_page(acct, page_id)
        posts = [o for o in reversed(self.state.objects)
                 if o["platform"] == "facebook" and o["kind"] == "post" and o["page_id"] == page_id]
        return self._page(req, params, self._time_window(params, posts))

    def list_comments(self, req, target_id):
        """GET /{object-id}/comments: `filter` toplevel (default: comments on the object itself) or
        stream (every comment below it), `order` chronological (default) or reverse_chronological,
        `since`/`until`, `limit` with `paging.next`. `parent` is shown (when asked for) only on
        replies to a comment."""
        acct, params = self.authenticate(req)
        target = self.state.get("facebook", target_id)
        if target is None:
            self.fail(unsupported_object(target_id, "get"))
        flt = params.get("filter", "toplevel")
        order = params.get("order", "chronological")
        if flt not in ("toplevel", "stream"):
            self.fail(graph_error(400, "(#100) param filter must be one of {toplevel, stream}", 100))
        if order not in ("chronological", "reverse_chronological"):
            self.fail(graph_error(400, "(#100) param order must be one of {chronological, "
                                  "reverse_chronological}", 100))
        comments = [o for o in self.state.objects
                    if o["platform"] == "facebook" and o["kind"] == "comment"
                    and (o["parent_id"] == target_id if flt == "toplevel" else
                         o["root_id"] == target["root_id"] and o["id"] != target_id)]
        if order == "reverse_chronological":
            comments.reverse()
        return self._page(req, params, self._time_window(params, comments))

    def _time_window(self, params, objects):
        for name in ("since", "until"):
            raw = params.get(name)
            if raw is None:
                continue
            if not raw.isdigit():
                self.fail(graph_error(400, "(#100) The parameter %s must be a Unix timestamp" % name, 100))
            at = int(raw)
            objects = [o for o in objects if (o["created_at"] >= at if name == "since" else o["created_at"] < at)]
        return objects

    def _page(self, req, params, objects):
        limit = limit_param(self, params)
        after = params.get("after", "")
        offset = int(after) if after.isdigit() else 0
        page = objects[offset:offset + limit]
        body = {"data": [self._render(o, params.get("fields")) for o in page]}
        if page:
            body["paging"] = {"cursors": {"before": str(offset), "after": str(offset + len(page))}}
            if offset + limit < len(objects):
                query = {k: v for k, v in params.items() if k not in ("access_token", "after")}
                query["after"] = str(offset + len(page))
                body["paging"]["next"] = "%s%s?%s" % (self.base, req.route, urllib.parse.urlencode(query))
        return json_response(200, body)

    @staticmethod
    def _render(o, fields):
        full = {"id": o["id"], "message": o["text"],
                "created_time": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(o["created_at"])),
                "permalink_url": o["url"]}
        if o["kind"] == "comment" and o["parent_id"] != o["root_id"]:
            full["parent"] = {"id": o["parent_id"]}
        wanted = [f.strip() for f in (fields or "created_time,message,id").split(",") if f.strip()]
        out = {f: full[f] for f in wanted if f in full and (f != "message" or full[f])}
        out["id"] = o["id"]
        return out

    @staticmethod
    def duplicate():
        return graph_error(400, "Duplicate status message", 506, transient=False,
                           user_title="Duplicate Post", user_msg="This status update is identical to the "
                           "last one you posted. Try posting something different, or delete your previous "
                           "update.")
