"""The Instagram/Threads container two-step (platforms.md §4.2, §4.6, §5.2, §5.6).

A container is created IN_PROGRESS or FINISHED; it becomes FINISHED after it has been polled
`container_polls` times (a /_sandbox/config value, default 0 = ready at once); publishing moves it to
PUBLISHED and creates the media object. Publishing an unknown, unfinished, failed, expired or already
published container is refused with a Graph error.
"""

import base64
import time

from .meta import graph_error, unsupported_object

CONTAINER_TTL = 24 * 3600


def shortcode(number):
    raw = number.to_bytes(8, "big").lstrip(b"\0")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class ContainerMixin:
    status_field = "status_code"    # Threads overrides with "status"
    id_base = 17_900_000_000_000_000

    def new_container(self, req, acct, fields):
        polls = int(self.state.config.get("container_polls", {}).get(self.name, 0))
        cid = str(self.id_base + self.state.next_number())
        obj = {"kind": "container", "id": cid, "account": acct.username, "owner_id": acct.id,
               "status": "FINISHED" if polls == 0 else "IN_PROGRESS", "polls_left": polls,
               "media_id": None, "request_seq": req.seq, "url": None}
        obj.update(fields)
        self.state.store(self.name, obj)
        return cid

    def carousel_children(self, acct, params, limit):
        """The child containers named by `children` for a CAROUSEL container (Graph error if bad)."""
        ids = [i.strip() for i in params.get("children", "").split(",") if i.strip()]
        if not ids:
            self.fail(graph_error(400, "(#100) The parameter children is required", 100))
        if not 2 <= len(ids) <= limit:
            self.fail(graph_error(400, "(#100) Param children must have between 2 and %d items" % limit, 100))
        for cid in ids:
            child = self.state.get(self.name, cid)
            if child is None or child["kind"] != "container" or child["owner_id"] != acct.id:
                self.fail(unsupported_object(cid))
            if not child.get("is_carousel_item"):
                self.fail(graph_error(400, "(#100) Container %s was not created with is_carousel_item=true" % cid,
                                      100))
            if self.container_status(child) != "FINISHED":
                self.fail(graph_error(400, "Child container %s is %s" % (cid, child["status"]), 9007,
                                      subcode=2207027, transient=False))
        return ids

    def container_status(self, o):
        if o["status"] in ("IN_PROGRESS", "FINISHED") and time.time() - o["created_at"] > CONTAINER_TTL:
            o["status"] = "EXPIRED"
        return o["status"]

    def poll(self, o):
        """A status read: counts toward readiness, then reports the state."""
        if o["status"] == "IN_PROGRESS":
            o["polls_left"] -= 1
            if o["polls_left"] <= 0:
                o["status"] = "FINISHED"
        return self.container_status(o)

    def take_container(self, acct, creation_id):
        """The container to publish, or a Graph error answer for why it cannot be published."""
        if not creation_id:
            self.fail(graph_error(400, "(#100) The parameter creation_id is required", 100))
        o = self.state.get(self.name, creation_id)
        if o is None or o["kind"] != "container" or o["owner_id"] != acct.id:
            self.fail(unsupported_object(creation_id))
        status = self.container_status(o)
        if status == "IN_PROGRESS":
            self.fail(graph_error(400, "The media is not ready for publishing, please wait for a moment",
                                  9007, subcode=2207027, transient=False, user_title="Media ID is not available",
                                  user_msg="The media is not ready for publishing, please wait for a moment"))
        if status == "PUBLISHED":
            self.fail(graph_error(400, "The media has already been published", 9007, subcode=2207026,
                                  transient=False, user_title="Media already published",
                                  user_msg="This container (%s) was already published as media %s"
                                  % (creation_id, o["media_id"])))
        if status in ("ERROR", "EXPIRED"):
            self.fail(graph_error(400, "The media container is %s and cannot be published" % status, 9007,
                                  subcode=2207020 if status == "EXPIRED" else 2207001, transient=False))
        return o

    def publish_container(self, req, acct, o, kind_fields):
        mid = str(self.id_base + 1_000_000_000_000 + self.state.next_number())
        o["status"] = "PUBLISHED"
        o["media_id"] = mid
        obj = {"id": mid, "account": acct.username, "owner_id": acct.id, "container_id": o["id"],
               "request_seq": req.seq, "shortcode": shortcode(int(mid))}
        obj.update(kind_fields)
        self.state.store(self.name, obj)
        return obj
