"""Threads API (platforms.md §5): /{user-id}/threads container with reply_to_id, /threads_publish."""

import time

from . import text as textmod
from .containers import ContainerMixin
from .meta import limit_param, ID, VERSION, GraphPlatform, graph_error, missing_param, unsupported_object
from .meta_oauth import MetaOAuth
from .web import json_response

TEXT_LIMIT, LINK_LIMIT = 500, 5
POST_LIMIT, REPLY_LIMIT = 250, 1000
MEDIA_TYPES = ("TEXT", "IMAGE", "VIDEO", "CAROUSEL")


class Threads(MetaOAuth, ContainerMixin, GraphPlatform):
    name = "threads"
    meta_flavor = "threads"
    usage_type = "threads"
    status_field = "status"
    id_base = 18_000_000_000_000_000
    routes = MetaOAuth.threads_oauth_routes + (
        ("POST", VERSION + r"/" + ID + r"/threads", "create_container", "create_container"),
        ("GET", VERSION + r"/" + ID + r"/threads", "list_threads", "list_threads"),
        ("GET", VERSION + r"/([0-9]+)/replies", "list_replies", "list_replies"),
        ("GET", VERSION + r"/" + ID + r"/replies", "user_replies", "user_replies"),
        ("POST", VERSION + r"/" + ID + r"/threads_publish", "publish", "publish"),
        ("GET", VERSION + r"/" + ID + r"/threads_publishing_limit", "publishing_limit", "publishing_limit"),
        ("GET", VERSION + r"/me", "me", "me"),
        ("GET", VERSION + r"/([0-9]+)", "get_object", "get_object"),
    )

    def me(self, req):
        acct, _ = self.authenticate(req)
        return json_response(200, {"id": acct.id, "username": acct.username, "name": acct.display_name})

    def create_container(self, req, user_id):
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        media_type = params.get("media_type", "")
        if not media_type:
            self.fail(missing_param("media_type"))
        if media_type not in MEDIA_TYPES:
            self.fail(graph_error(400, "(#100) Param media_type must be one of {%s}" % ", ".join(MEDIA_TYPES),
                                  100))
        text = params.get("text", "")
        if media_type == "TEXT" and not text:
            self.fail(missing_param("text"))
        length = textmod.threads_length(text)
        if length > TEXT_LIMIT:
            self.fail(graph_error(400, "(#100) Param text must be at most %d characters long (got %d)"
                                  % (TEXT_LIMIT, length), 100))
        links = set(textmod.unique_urls(text))
        if params.get("link_attachment"):
            links.add(params["link_attachment"])
        if len(links) > LINK_LIMIT:
            self.fail(graph_error(400, "THREADS_API__LINK_LIMIT_EXCEEDED: a post may contain at most %d links"
                                  % LINK_LIMIT, 100, user_title="Too many links",
                                  user_msg="THREADS_API__LINK_LIMIT_EXCEEDED"))
        url = ""
        children = self.carousel_children(acct, params, 20) if media_type == "CAROUSEL" else []
        if media_type in ("IMAGE", "VIDEO"):
            url_param = "image_url" if media_type == "IMAGE" else "video_url"
            url = params.get(url_param, "")
            if not url:
                self.fail(missing_param(url_param))
            fetched, info = self.fetch_media(url)
            if not fetched or not info.startswith("image/" if media_type == "IMAGE" else "video/"):
                self.fail(graph_error(400, "Media download has failed: %s (%s)" % (url, info), 100,
                                      user_title="FAILED_DOWNLOADING_MEDIA"))
        reply_to = params.get("reply_to_id") or None
        root_id = None
        if reply_to is not None:
            parent = self.state.get("threads", reply_to)
            if parent is None or parent["kind"] != "post":
                self.fail(unsupported_object(reply_to))
            if parent["owner_id"] != acct.id:
                self.fail(graph_error(400, "(#10) You do not have permission to reply to this post", 10))
            root_id = parent["root_id"]
        cid = self.new_container(req, acct, {"text": text, "media_type": media_type, "media_url": url,
                                             "reply_to_id": reply_to, "root_id": root_id, "children": children,
                                             "is_carousel_item": params.get("is_carousel_item") == "true"})
        return json_response(200, {"id": cid})

    def publish(self, req, user_id):
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        container = self.take_container(acct, params.get("creation_id"))
        if container.get("is_carousel_item"):
            self.fail(graph_error(400, "(#100) A carousel item cannot be published on its own", 100))
        is_reply = container["reply_to_id"] is not None
        family, limit = ("replies", REPLY_LIMIT) if is_reply else ("posts", POST_LIMIT)
        ok, _, _ = self.state.quota(("threads", acct.id, family), limit, 86400)
        if not ok:
            self.fail(graph_error(400, "The maximum number of %s that can be published in a 24-hour period "
                                  "has been reached" % family, 9, transient=False))
        media = self.publish_container(req, acct, container, {
            "kind": "post", "text": container["text"], "media_type": container["media_type"],
            "media_url": container["media_url"], "parent_id": container["reply_to_id"]})
        media["root_id"] = container["root_id"] or media["id"]
        media["url"] = "https://www.threads.net/@%s/post/%s" % (acct.username, media["shortcode"])
        return json_response(200, {"id": media["id"]})

    def publishing_limit(self, req, user_id):
        acct, _ = self.authenticate(req)
        self.resolve_user(acct, user_id)
        _, posts_left, _ = self.state.quota(("threads", acct.id, "posts"), POST_LIMIT, 86400, consume=False)
        _, replies_left, _ = self.state.quota(("threads", acct.id, "replies"), REPLY_LIMIT, 86400,
                                              consume=False)
        return json_response(200, {"data": [{
            "quota_usage": POST_LIMIT - posts_left,
            "config": {"quota_total": POST_LIMIT, "quota_duration": 86400},
            "reply_quota_usage": REPLY_LIMIT - replies_left,
            "reply_config": {"quota_total": REPLY_LIMIT, "quota_duration": 86400}}]})

    def list_threads(self, req, user_id):
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        limit = limit_param(self, params)
        # The real /threads edge lists the profile's top-level posts only: replies are not in it.
        posts = [o for o in reversed(self.state.objects)
                 if o["platform"] == "threads" and o["kind"] == "post" and o["owner_id"] == acct.id
                 and o.get("parent_id") is None]
        return json_response(200, {"data": [self._render(o, params.get("fields")) for o in posts[:limit]]})

    def list_replies(self, req, media_id):
        """GET /{media-id}/replies: the direct replies to one post, newest first (`reverse`
        defaults to true), `limit`."""
        acct, params = self.authenticate(req)
        parent = self.state.get("threads", media_id)
        if parent is None or parent["kind"] != "post" or parent.get("owner_id") != acct.id:
            self.fail(unsupported_object(media_id, "get"))
        limit = limit_param(self, params)
        replies = [o for o in self.state.objects
                   if o["platform"] == "threads" and o["kind"] == "post" and o.get("parent_id") == media_id]
        if params.get("reverse", "true").lower() != "false":
            replies.reverse()
        return json_response(200, {"data": [self._render(o, params.get("fields")) for o in replies[:limit]]})

    def user_replies(self, req, user_id):
        """GET /{user-id}/replies: the profile's own replies, newest first, `limit`."""
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        limit = limit_param(self, params)
        replies = [o for o in reversed(self.state.objects)
                   if o["platform"] == "threads" and o["kind"] == "post" and o["owner_id"] == acct.id
                   and o.get("parent_id") is not None]
        return json_response(200, {"data": [self._render(o, params.get("fields")) for o in replies[:limit]]})

    def get_object(self, req, obj_id):
        acct, params = self.authenticate(req)
        if obj_id == acct.id:
            return self.me(req)
        o = self.state.get("threads", obj_id)
        if o is None or o.get("owner_id") != acct.id:
            self.fail(unsupported_object(obj_id, "get"))
        if o["kind"] == "container":
            status = self.poll(o)
            fields = [f.strip() for f in (params.get("fields") or "id").split(",")]
            out = {"id": o["id"]}
            if "status" in fields:
                out["status"] = status
            if "error_message" in fields and status == "ERROR":
                out["error_message"] = "UNKNOWN"
            return json_response(200, out)
        return json_response(200, self._render(o, params.get("fields")))

    @staticmethod
    def _render(o, fields):
        full = {"id": o["id"], "text": o.get("text"), "permalink": o.get("url"),
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(o["created_at"])),
                "media_type": "TEXT_POST" if o.get("media_type") == "TEXT" else o.get("media_type"),
                "is_reply": o.get("parent_id") is not None, "shortcode": o.get("shortcode")}
        wanted = [f.strip() for f in (fields or "id").split(",") if f.strip()]
        out = {f: full[f] for f in wanted if full.get(f) is not None}
        out["id"] = o["id"]
        return out
