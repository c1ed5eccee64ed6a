"""Lexicon checks for app.bsky.feed.post records (platforms.md §7.2, §7.3), as a PDS validates them,
plus the sandbox's stricter check of reply strong refs."""

import re

from . import text as textmod

TEXT_GRAPHEMES, TEXT_BYTES = 300, 3000
AT_URI_RX = re.compile(r"^at://(did:[a-z]+:[A-Za-z0-9._:%-]+|[A-Za-z0-9.-]+)/([A-Za-z0-9.-]+)/([A-Za-z0-9._:~-]+)$")
DATETIME_RX = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
CID_RX = re.compile(r"^b[a-z2-7]{20,}$")
FEATURES = {"app.bsky.richtext.facet#link": "uri", "app.bsky.richtext.facet#mention": "did",
            "app.bsky.richtext.facet#tag": "tag"}


def validate_post(state, record, bad):
    """Lexicon checks for app.bsky.feed.post; returns the text each facet covers.

    `bad(message)` is called with the first problem found and must raise.
    """
    text = record.get("text")
    if not isinstance(text, str):
        bad('Record must have the property "text"')
    if textmod.grapheme_count(text) > TEXT_GRAPHEMES:
        bad("Record/text must not be longer than %d graphemes" % TEXT_GRAPHEMES)
    raw = text.encode("utf-8")
    if len(raw) > TEXT_BYTES:
        bad("Record/text must not be longer than %d characters" % TEXT_BYTES)
    created = record.get("createdAt")
    if not isinstance(created, str):
        bad('Record must have the property "createdAt"')
    if not DATETIME_RX.match(created):
        bad("Record/createdAt must be an valid atproto datetime (both RFC-3339 and ISO-8601)")
    langs = record.get("langs")
    if langs is not None and (not isinstance(langs, list) or len(langs) > 3):
        bad("Record/langs must not have more than 3 elements")
    covered = []
    facets = record.get("facets")
    if facets is not None:
        if not isinstance(facets, list):
            bad("Record/facets must be an array")
        for i, f in enumerate(facets):
            where = "Record/facets/%d" % i
            index = f.get("index") if isinstance(f, dict) else None
            if not isinstance(index, dict):
                bad('%s must have the property "index"' % where)
            for k in ("byteStart", "byteEnd"):
                if not isinstance(index.get(k), int) or isinstance(index.get(k), bool):
                    bad('%s/index must have the property "%s"' % (where, k))
                if index[k] < 0:
                    bad("%s/index/%s can not be less than 0" % (where, k))
            features = f.get("features")
            if not isinstance(features, list):
                bad('%s must have the property "features"' % where)
            for j, feat in enumerate(features):
                ftype = feat.get("$type") if isinstance(feat, dict) else None
                if ftype not in FEATURES:
                    bad("%s/features/%d must be an object which includes the \"$type\" property" % (where, j))
                if not isinstance(feat.get(FEATURES[ftype]), str):
                    bad('%s/features/%d must have the property "%s"' % (where, j, FEATURES[ftype]))
            s, e = index["byteStart"], index["byteEnd"]
            covered.append(raw[s:e].decode("utf-8", "replace") if s < e <= len(raw) else None)
    reply = record.get("reply")
    if reply is not None:
        check_reply(state, reply, bad)
    return covered

def check_reply(state, reply, bad):
    if not isinstance(reply, dict):
        bad("Record/reply must be an object")
    refs = {}
    for which in ("root", "parent"):
        ref = reply.get(which)
        if not isinstance(ref, dict):
            bad('Record/reply must have the property "%s"' % which)
        for prop in ("uri", "cid"):
            if not isinstance(ref.get(prop), str):
                bad('Record/reply/%s must have the property "%s"' % (which, prop))
        if not AT_URI_RX.match(ref["uri"]):
            bad("Record/reply/%s/uri must be a valid at-uri" % which)
        if not CID_RX.match(ref["cid"]):
            bad("Record/reply/%s/cid must be a cid string" % which)
        # Stricter than a PDS (which stores dangling refs): the referenced post must exist here
        # with exactly this CID, so a publisher's strong refs are checked end to end.
        target = state.get("bluesky", ref["uri"])
        if target is None:
            bad("reply/%s %s does not exist in this sandbox" % (which, ref["uri"]))
        if target["cid"] != ref["cid"]:
            bad("reply/%s cid %s does not match %s (cid %s)" % (which, ref["cid"], ref["uri"], target["cid"]))
        refs[which] = target
    expected_root = refs["parent"]["root_id"]
    if reply["root"]["uri"] != expected_root:
        bad("reply/root %s is not the root of reply/parent's thread (%s)" % (reply["root"]["uri"], expected_root))
