"""Minimal reference calls for each platform, written from platforms.md, used by the sandbox's own
tests (and handy for demos). Every function returns (status, headers, body) from Sandbox.call."""

import datetime
import urllib.parse


def bearer(token):
    return {"Authorization": "Bearer " + token}


# --- X ------------------------------------------------------------------------------------------

def x_post(sb, acct, text, reply_to=None, token=None):
    body = {"text": text}
    if reply_to:
        body["reply"] = {"in_reply_to_tweet_id": reply_to}
    return sb.call("POST", sb.url("x", "/2/tweets"), bearer(token or acct["token"]), json_body=body)


# --- LinkedIn -----------------------------------------------------------------------------------

LINKEDIN_VERSION = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m")


def linkedin_headers(acct, version=LINKEDIN_VERSION):
    h = bearer(acct["token"])
    if version:
        h["LinkedIn-Version"] = version
    h["X-Restli-Protocol-Version"] = "2.0.0"
    return h


def linkedin_post_body(acct, commentary):
    return {"author": "urn:li:person:" + acct["id"], "commentary": commentary, "visibility": "PUBLIC",
            "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                             "thirdPartyDistributionChannels": []},
            "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": False}


def linkedin_post(sb, acct, commentary, headers=None):
    return sb.call("POST", sb.url("linkedin", "/rest/posts"), headers or linkedin_headers(acct),
                   json_body=linkedin_post_body(acct, commentary))


def linkedin_comment(sb, acct, post_urn, text, prefix="/rest"):
    path = "%s/socialActions/%s/comments" % (prefix, urllib.parse.quote(post_urn, safe=""))
    return sb.call("POST", sb.url("linkedin", path), linkedin_headers(acct),
                   json_body={"actor": "urn:li:person:" + acct["id"], "object": post_urn,
                              "message": {"text": text}})


# --- Facebook -----------------------------------------------------------------------------------

GRAPH_VERSION = "/v25.0"


def facebook_post(sb, acct, message, version=GRAPH_VERSION):
    return sb.call("POST", sb.url("facebook", "%s/%s/feed" % (version, acct["id"])),
                   form={"message": message, "access_token": acct["token"]})


def facebook_comment(sb, acct, post_id, message):
    return sb.call("POST", sb.url("facebook", "%s/%s/comments" % (GRAPH_VERSION, post_id)),
                   form={"message": message, "access_token": acct["token"]})


# --- Instagram ----------------------------------------------------------------------------------

def instagram_container(sb, acct, caption, image_url):
    form = {"caption": caption, "access_token": acct["token"]}
    if image_url is not None:
        form["image_url"] = image_url
    return sb.call("POST", sb.url("instagram", "%s/%s/media" % (GRAPH_VERSION, acct["id"])), form=form)


def instagram_publish(sb, acct, creation_id):
    return sb.call("POST", sb.url("instagram", "%s/%s/media_publish" % (GRAPH_VERSION, acct["id"])),
                   form={"creation_id": creation_id, "access_token": acct["token"]})


def instagram_status(sb, acct, container_id):
    return sb.call("GET", sb.url("instagram", "%s/%s?fields=status_code&access_token=%s"
                                 % (GRAPH_VERSION, container_id, acct["token"])))


def instagram_comment(sb, acct, media_id, message):
    return sb.call("POST", sb.url("instagram", "%s/%s/comments" % (GRAPH_VERSION, media_id)),
                   form={"message": message, "access_token": acct["token"]})


# --- Threads ------------------------------------------------------------------------------------

def threads_container(sb, acct, text, reply_to=None, media_type="TEXT", extra=None):
    form = {"media_type": media_type, "text": text, "access_token": acct["token"]}
    if reply_to:
        form["reply_to_id"] = reply_to
    form.update(extra or {})
    return sb.call("POST", sb.url("threads", "/v1.0/%s/threads" % acct["id"]), form=form)


def threads_publish(sb, acct, creation_id):
    return sb.call("POST", sb.url("threads", "/v1.0/%s/threads_publish" % acct["id"]),
                   form={"creation_id": creation_id, "access_token": acct["token"]})


def threads_status(sb, acct, container_id):
    return sb.call("GET", sb.url("threads", "/v1.0/%s?fields=status,error_message&access_token=%s"
                                 % (container_id, acct["token"])))


# --- Mastodon -----------------------------------------------------------------------------------

def mastodon_post(sb, acct, status, reply_to=None, key=None, token=None):
    h = bearer(token or acct["token"])
    if key:
        h["Idempotency-Key"] = key
    body = {"status": status, "visibility": "public"}
    if reply_to:
        body["in_reply_to_id"] = reply_to
    return sb.call("POST", sb.url("mastodon", "/api/v1/statuses"), h, json_body=body)


# --- Bluesky ------------------------------------------------------------------------------------

def bluesky_login(sb, acct):
    return sb.call("POST", sb.url("bluesky", "/xrpc/com.atproto.server.createSession"),
                   json_body={"identifier": acct["username"], "password": acct["password"]})


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def bluesky_post(sb, session, text, rkey=None, reply=None, facets=None, access=None):
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": now_iso(), "langs": ["en"]}
    if reply:
        record["reply"] = reply
    if facets:
        record["facets"] = facets
    body = {"repo": session["did"], "collection": "app.bsky.feed.post", "record": record}
    if rkey:
        body["rkey"] = rkey
    return sb.call("POST", sb.url("bluesky", "/xrpc/com.atproto.repo.createRecord"),
                   bearer(access or session["accessJwt"]), json_body=body)


# --- one create per platform, for fault tests ---------------------------------------------------

def first_part(sb, platform, acct, text="fault probe"):
    """The request that creates a root post on `platform` (for Instagram/Threads: the publish step,
    after creating a container). Returns (status, headers, body)."""
    if platform == "x":
        return x_post(sb, acct, text)
    if platform == "linkedin":
        return linkedin_post(sb, acct, text)
    if platform == "facebook":
        return facebook_post(sb, acct, text)
    if platform == "instagram":
        _, _, c = instagram_container(sb, acct, text, sb.media_url())
        return instagram_publish(sb, acct, c["id"])
    if platform == "threads":
        _, _, c = threads_container(sb, acct, text)
        return threads_publish(sb, acct, c["id"])
    if platform == "mastodon":
        return mastodon_post(sb, acct, text)
    if platform == "bluesky":
        _, _, session = bluesky_login(sb, acct)
        return bluesky_post(sb, session, text)
    raise ValueError(platform)


# The endpoint name of the create request in first_part(), per platform.
CREATE_ENDPOINT = {"x": "create_post", "linkedin": "create_post", "facebook": "create_post",
                   "instagram": "publish", "threads": "publish", "mastodon": "create_post",
                   "bluesky": "create_record"}
