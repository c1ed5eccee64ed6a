"""Instagram content publishing (platforms.md §4): /{ig-user-id}/media, /media_publish, comments."""

import re
import time

from .containers import ContainerMixin
from .meta import limit_param, ID, VERSION, GraphPlatform, graph_error, missing_param, unsupported_object
from .web import json_response

CAPTION_LIMIT, HASHTAG_LIMIT, MENTION_LIMIT = 2200, 30, 20
PUBLISH_LIMIT, CONTAINER_LIMIT = 50, 400
COMMENT_LIMIT = 2200
_HASHTAG = re.compile(r"(?<![\w&])#\w+")
_MENTION = re.compile(r"(?<![\w.])@[\w.]+")


class Instagram(ContainerMixin, GraphPlatform):
    name = "instagram"
    usage_type = "instagram"
    status_field = "status_code"
    id_base = 17_900_000_000_000_000
    routes = (
        ("POST", VERSION + r"/" + ID + r"/media", "create_container", "create_container"),
        ("GET", VERSION + r"/" + ID + r"/media", "list_media", "list_media"),
        ("POST", VERSION + r"/" + ID + r"/media_publish", "publish", "publish"),
        ("GET", VERSION + r"/" + ID + r"/content_publishing_limit", "publishing_limit", "publishing_limit"),
        ("POST", VERSION + r"/([0-9]+)/comments", "create_comment", "create_comment"),
        ("GET", VERSION + r"/me", "me", "me"),
        ("GET", VERSION + r"/([0-9]+)", "get_object", "get_object"),
    )

    def me(self, req):
        acct, _ = self.authenticate(req)
        return json_response(200, {"id": acct.id, "user_id": acct.id, "username": acct.username})

    def create_container(self, req, user_id):
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        caption = params.get("caption", "")
        media_type = params.get("media_type", "IMAGE").upper()
        if media_type not in ("IMAGE", "VIDEO", "REELS", "CAROUSEL", "STORIES"):
            self.fail(graph_error(400, "(#100) Param media_type must be one of {IMAGE, VIDEO, REELS, "
                                  "CAROUSEL, STORIES}", 100))
        url_param = "image_url" if media_type == "IMAGE" else "video_url"
        url = params.get(url_param, "")
        children = []
        if media_type == "CAROUSEL":
            children = self.carousel_children(acct, params, 10)
        elif not url:
            self.fail(missing_param(url_param))
        if len(caption) > CAPTION_LIMIT:
            self.fail(graph_error(400, "(#100) Param caption must be at most %d characters long"
                                  % CAPTION_LIMIT, 100))
        if len(_HASHTAG.findall(caption)) > HASHTAG_LIMIT:
            self.fail(graph_error(400, "(#100) The caption contains more than %d hashtags" % HASHTAG_LIMIT,
                                  100))
        if len(_MENTION.findall(caption)) > MENTION_LIMIT:
            self.fail(graph_error(400, "(#100) The caption contains more than %d mentions" % MENTION_LIMIT,
                                  100))
        ok, _, _ = self.state.quota(("instagram", acct.id, "containers"), CONTAINER_LIMIT, 86400)
        if not ok:
            self.fail(graph_error(400, "Application request limit reached", 4, transient=True))
        if url:
            fetched, info = self.fetch_media(url)
            wanted = "image/jpeg" if media_type == "IMAGE" else "video/"
            if not fetched or not info.startswith(wanted):
                self.fail(graph_error(400, "Media download has failed. The media URI doesn't meet our "
                                      "requirements.", 9004, subcode=2207052, transient=False,
                                      user_title="Media download has failed",
                                      user_msg="The media could not be fetched from this uri: %s (%s)"
                                      % (url, info if not fetched else "content type " + info)))
        cid = self.new_container(req, acct, {"caption": caption, "media_type": media_type, "media_url": url,
                                             "children": children,
                                             "is_carousel_item": params.get("is_carousel_item") == "true"})
        return json_response(200, {"id": cid})

    def publish(self, req, user_id):
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        container = self.take_container(acct, params.get("creation_id"))
        if container.get("is_carousel_item"):
            self.fail(graph_error(400, "(#100) A carousel item cannot be published on its own", 100))
        ok, _, _ = self.state.quota(("instagram", acct.id, "publish"), PUBLISH_LIMIT, 86400)
        if not ok:
            self.fail(graph_error(400, "The maximum number of posts that can be published via the API in a "
                                  "24-hour period has been reached", 9, subcode=2207042, transient=False))
        media = self.publish_container(req, acct, container, {
            "kind": "post", "text": container["caption"], "media_url": container["media_url"],
            "media_type": container["media_type"], "parent_id": None})
        media["root_id"] = media["id"]
        media["url"] = "https://www.instagram.com/p/%s/" % media["shortcode"]
        return json_response(200, {"id": media["id"]})

    def create_comment(self, req, media_id):
        acct, params = self.authenticate(req)
        media = self.state.get("instagram", media_id)
        if media is None or media["kind"] != "post":
            self.fail(unsupported_object(media_id))
        message = params.get("message", "")
        if not message:
            self.fail(missing_param("message"))
        if len(message) > COMMENT_LIMIT:
            self.fail(graph_error(400, "(#100) Param message must be at most %d characters long"
                                  % COMMENT_LIMIT, 100))
        cid = str(17_950_000_000_000_000 + self.state.next_number())
        self.state.store("instagram", {
            "kind": "comment", "id": cid, "account": acct.username, "owner_id": acct.id, "text": message,
            "parent_id": media_id, "root_id": media["root_id"], "url": media["url"],
            "request_seq": req.seq})
        return json_response(200, {"id": cid})

    def publishing_limit(self, req, user_id):
        acct, _ = self.authenticate(req)
        self.resolve_user(acct, user_id)
        _, remaining, _ = self.state.quota(("instagram", acct.id, "publish"), PUBLISH_LIMIT, 86400,
                                           consume=False)
        return json_response(200, {"data": [{"quota_usage": PUBLISH_LIMIT - remaining,
                                             "config": {"quota_total": PUBLISH_LIMIT,
                                                        "quota_duration": 86400}}]})

    def list_media(self, req, user_id):
        acct, params = self.authenticate(req)
        self.resolve_user(acct, user_id)
        limit = limit_param(self, params)
        media = [o for o in reversed(self.state.objects)
                 if o["platform"] == "instagram" and o["kind"] == "post" and o["owner_id"] == acct.id]
        return json_response(200, {"data": [self._render(o, params.get("fields")) for o in media[:limit]]})

    def get_object(self, req, obj_id):
        acct, params = self.authenticate(req)
        if obj_id == acct.id:
            return self.me(req)
        o = self.state.get("instagram", obj_id)
        if o is None or o.get("owner_id") != acct.id:
            self.fail(unsupported_object(obj_id, "get"))
        if o["kind"] == "container":
            status = self.poll(o)
            out = {"id": o["id"]}
            fields = [f.strip() for f in (params.get("fields") or "id").split(",")]
            if "status_code" in fields:
                out["status_code"] = status
            if "status" in fields:
                out["status"] = {"IN_PROGRESS": "In Progress", "FINISHED": "Finished", "ERROR": "Error",
                                 "EXPIRED": "Expired", "PUBLISHED": "Published"}[status]
            return json_response(200, out)
        return json_response(200, self._render(o, params.get("fields")))

    @staticmethod
    def _render(o, fields):
        full = {"id": o["id"], "caption": o.get("text"), "text": o.get("text"),
                "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(o["created_at"])),
                "permalink": o.get("url"), "media_type": o.get("media_type"), "media_url": o.get("media_url")}
        wanted = [f.strip() for f in (fields or "id").split(",") if f.strip()]
        out = {f: full[f] for f in wanted if full.get(f) is not None}
        out["id"] = o["id"]
        return out
