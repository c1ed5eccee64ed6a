"""Bluesky against a real PDS (@atproto/pds from npm, in-memory PLC, both on 127.0.0.1).

The thread is published through the real binaries (growthd + `growthctl account add bluesky` +
`growthctl post`): createSession with the app password, then createRecord per part with a client-chosen
TID rkey and the reply root/parent strong refs of the parts before it, and facets by UTF-8 byte offsets.
It is read back with com.atproto.repo.listRecords (there is no AppView: app.bsky.* reads do not work
here).

The real PDS's answers for a duplicate rkey, an over-long post and bad tokens are asserted here and
recorded in tests/pds/README.md, where they are compared with tests/sandbox.

Install (first run: npm registry needed, about 2-3 minutes) happens in tests/pds/setup.sh; if it cannot
run, every test here fails with the reason (never skipped).
"""

import base64
import hashlib
import hmac
import json
import os
import random
import subprocess
import sys
import time
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pds"))
from pds_harness import HERE as PDS_DIR, RealPds, setup as pds_setup  # noqa: E402

POST = "app.bsky.feed.post"
PDS = None
OUTBOUND_AT_START = None


def setUpModule():
    global PDS, OUTBOUND_AT_START
    PDS = RealPds().start()
    OUTBOUND_AT_START = PDS.outbound_attempts()
    sys.stderr.write(f"real PDS {PDS.info['pds_version']} on {PDS.info['node_version']} ready in "
                     f"{PDS.start_seconds:.2f} s at {PDS.url}\n")


def tearDownModule():
    if PDS is not None:
        PDS.stop()
        PDS.cleanup()


# --- client side, as growthd does it ------------------------------------------------------------------

TID_ALPHABET = "234567abcdefghijklmnopqrstuvwxyz"
_last_tid_us = 0


def next_tid():
    """A TID (platforms.md 7.6): 53-bit microseconds + 10-bit clock id, base32-sortable, increasing."""
    global _last_tid_us
    us = max(time.time_ns() // 1000, _last_tid_us + 1)
    _last_tid_us = us
    n = (us << 10) | random.randrange(1024)
    return "".join(TID_ALPHABET[(n >> (5 * (12 - i))) & 31] for i in range(13))


def now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def byte_range(text, fragment):
    """UTF-8 byte offsets [start, end) of the first occurrence of fragment in text."""
    start = text.encode("utf-8").index(fragment.encode("utf-8"))
    return start, start + len(fragment.encode("utf-8"))


def facet(text, fragment, feature):
    start, end = byte_range(text, fragment)
    return {"index": {"byteStart": start, "byteEnd": end}, "features": [feature]}


def create_session(identifier, password):
    return PDS.call("POST", "com.atproto.server.createSession",
                    body={"identifier": identifier, "password": password})


def create_post(token, record, rkey):
    return PDS.call("POST", "com.atproto.repo.createRecord", token=token,
                    body={"repo": PDS.did, "collection": POST, "rkey": rkey, "record": record})


def post_record(text, facets=None, reply=None):
    record = {"$type": POST, "text": text, "createdAt": now_iso(), "langs": ["en"]}
    if facets:
        record["facets"] = facets
    if reply:
        record["reply"] = reply
    return record


def session_token():
    status, body, _ = create_session(PDS.handle, PDS.app_password)
    if status != 200:
        raise AssertionError(f"createSession with the app password answered {status}: {body}")
    return body["accessJwt"]


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def expired_copy(jwt):
    """The same access token with exp in the past, signed with the PDS's own HS256 secret."""
    header, payload, _ = jwt.split(".")
    claims = json.loads(b64url_decode(payload))
    claims["iat"] = int(time.time()) - 7300
    claims["exp"] = int(time.time()) - 100
    signing_input = f"{header}.{b64url(json.dumps(claims, separators=(',', ':')).encode())}"
    signature = hmac.new(PDS.info["jwt_secret"].encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def list_posts():
    status, body, _ = PDS.call("GET", "com.atproto.repo.listRecords",
                               params={"repo": PDS.did, "collection": POST, "limit": 100})
    if status != 200:
        raise AssertionError(f"listRecords answered {status}: {body}")
    return {r["uri"]: r for r in body["records"]}


# --- the thread -----------------------------------------------------------------------------------

# Multi-byte text before every facet so that byte, code point and UTF-16 offsets all differ.
THREAD_TEXTS = [
    "Grüße aus Köln 🚀👩‍👩‍👧‍👦 — the growth thread starts here: https://example.com/growth?x=1 "
    "with @alice.test and #growth ✨",
    "Zweiter Teil 🧵: naïve café 日本語 #ThreadTest then https://example.org/p/2 👍🏽",
    "Fin 🎉 — merci @alice.test! 😀",
]


def thread_facets(index, text, mention_did):
    if index == 0:
        return [facet(text, "https://example.com/growth?x=1",
                      {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/growth?x=1"}),
                facet(text, "@alice.test", {"$type": "app.bsky.richtext.facet#mention", "did": mention_did}),
                facet(text, "#growth", {"$type": "app.bsky.richtext.facet#tag", "tag": "growth"})]
    if index == 1:
        return [facet(text, "#ThreadTest", {"$type": "app.bsky.richtext.facet#tag", "tag": "ThreadTest"}),
                facet(text, "https://example.org/p/2",
                      {"$type": "app.bsky.richtext.facet#link", "uri": "https://example.org/p/2"})]
    return [facet(text, "@alice.test", {"$type": "app.bsky.richtext.facet#mention", "did": mention_did})]


def publish_thread_directly(texts):
    """Publishes texts as one thread the way a script by hand would (kept for the error-answer
    tests' reference; the thread itself now goes out through growthctl, see publish_with_growthctl).
    Returns the parts [{"rkey", "uri", "cid", "record", "validation"}] in order."""
    token = session_token()
    status, resolved, _ = PDS.call("GET", "com.atproto.identity.resolveHandle", params={"handle": PDS.handle})
    if status != 200:
        raise AssertionError(f"resolveHandle answered {status}: {resolved}")
    parts = []
    for i, text in enumerate(texts):
        reply = None
        if parts:
            reply = {"root": {"uri": parts[0]["uri"], "cid": parts[0]["cid"]},
                     "parent": {"uri": parts[-1]["uri"], "cid": parts[-1]["cid"]}}
        record = post_record(text, thread_facets(i, text, resolved["did"]), reply)
        rkey = next_tid()
        status, body, _ = create_post(token, record, rkey)
        if status != 200:
            raise AssertionError(f"createRecord of part {i + 1} answered {status}: {body}")
        parts.append({"rkey": rkey, "uri": body["uri"], "cid": body["cid"], "record": record,
                      "validation": body.get("validationStatus")})
    return parts


def publish_with_growthctl(texts):
    """Publishes texts as one thread through the real binaries: growthd in a throwaway home,
    `growthctl account add bluesky` against PDS.url, `growthctl post --json -f FILE` with the parts
    joined by explicit break lines. Returns the parts [{"rkey", "uri", "cid", "record"}] in order:
    uri from --json's remote_id, cid as growthd committed it (growth.db), record = what growthctl
    must have produced for that part (the text with thread_facets)."""
    import sqlite3
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import harness
    home = harness.Sandbox()
    daemon = home.start_daemon()
    try:
        pw = os.path.join(home.root, "app-password")
        with open(pw, "w", encoding="utf-8") as f:
            f.write(PDS.app_password + "\n")
        r = home.ctl("account", "add", "bluesky", "--name", "real", "--handle", PDS.handle,
                     "--app-password-file", pw, "--service", PDS.url)
        if r.returncode != 0:
            raise AssertionError(f"account add failed: {r}")
        text_file = os.path.join(home.root, "thread.txt")
        with open(text_file, "w", encoding="utf-8") as f:
            f.write("\n---\n".join(texts))
        r = home.ctl("post", "--to", "real", "--json", "-f", text_file, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"growthctl post failed: {r}")
        target = json.loads(r.stdout)["targets"][0]
        db = sqlite3.connect(os.path.join(home.data_dir, "growth.db"))
        cids = dict(db.execute("SELECT remote_id, remote_cid FROM parts"))
        db.close()
        parts = []
        for i, p in enumerate(target["parts"]):
            uri = p["remote_id"]
            reply = None
            if parts:
                reply = {"root": {"uri": parts[0]["uri"], "cid": parts[0]["cid"]},
                         "parent": {"uri": parts[-1]["uri"], "cid": parts[-1]["cid"]}}
            parts.append({"rkey": uri.rsplit("/", 1)[1], "uri": uri, "cid": cids[uri],
                          "record": post_record(texts[i], thread_facets(i, texts[i], PDS.did), reply)})
        return parts
    finally:
        daemon.stop()


class ThreadReadBack(unittest.TestCase):
    """A 3-part thread with client-chosen rkeys, read back with listRecords."""

    @classmethod
    def setUpClass(cls):
        before = len(PDS.outbound_attempts())
        cls.parts = publish_with_growthctl(THREAD_TEXTS)
        cls.stored = list_posts()
        cls.outbound_during_thread = PDS.outbound_attempts()[before:]

    def stored_value(self, part):
        self.assertIn(part["uri"], self.stored, "listRecords lacks a created part")
        return self.stored[part["uri"]]["value"]

    def test_uris_use_the_client_chosen_rkeys(self):
        self.assertEqual([p["uri"] for p in self.parts],
                         [f"at://{PDS.did}/{POST}/{p['rkey']}" for p in self.parts])

    def test_records_read_back_as_posts_with_a_creation_time(self):
        for p in self.parts:
            value = self.stored_value(p)
            self.assertEqual(value["$type"], POST)
            self.assertRegex(value["createdAt"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")

    def test_list_records_returns_each_part_with_the_cid_create_record_gave(self):
        self.assertEqual({p["uri"]: p["cid"] for p in self.parts},
                         {uri: self.stored[uri]["cid"] for uri in (p["uri"] for p in self.parts)})

    def test_the_root_part_has_no_reply(self):
        self.assertNotIn("reply", self.stored_value(self.parts[0]))

    def test_second_part_replies_to_the_root_as_root_and_parent(self):
        root = {"uri": self.parts[0]["uri"], "cid": self.parts[0]["cid"]}
        self.assertEqual(self.stored_value(self.parts[1])["reply"], {"root": root, "parent": root})

    def test_third_part_has_the_root_as_root_and_the_second_part_as_parent(self):
        self.assertEqual(self.stored_value(self.parts[2])["reply"],
                         {"root": {"uri": self.parts[0]["uri"], "cid": self.parts[0]["cid"]},
                          "parent": {"uri": self.parts[1]["uri"], "cid": self.parts[1]["cid"]}})

    def test_text_reads_back_unchanged(self):
        self.assertEqual([self.stored_value(p)["text"] for p in self.parts], THREAD_TEXTS)

    def test_facets_read_back_with_the_exact_byte_offsets(self):
        self.assertEqual([self.stored_value(p)["facets"] for p in self.parts],
                         [p["record"]["facets"] for p in self.parts])

    def test_first_part_facet_offsets_are_utf8_bytes(self):
        # By hand: "Grüße aus Köln " 18 bytes, 🚀 4, the family emoji 25 (4 people + 3 ZWJ), " — " 5,
        # "the growth thread starts here: " 31: the link starts at byte 83 (code point 57).
        facets = self.stored_value(self.parts[0])["facets"]
        self.assertEqual([(f["index"]["byteStart"], f["index"]["byteEnd"]) for f in facets],
                         [(83, 113), (119, 130), (135, 142)])

    def test_facet_byte_ranges_cover_the_link_mention_and_tag(self):
        covered = []
        for p in self.parts:
            value = self.stored_value(p)
            raw = value["text"].encode("utf-8")
            covered += [raw[f["index"]["byteStart"]:f["index"]["byteEnd"]].decode("utf-8")
                        for f in value["facets"]]
        self.assertEqual(covered, ["https://example.com/growth?x=1", "@alice.test", "#growth",
                                   "#ThreadTest", "https://example.org/p/2", "@alice.test"])

    def test_mention_facet_carries_the_accounts_did(self):
        features = [f["features"][0] for f in self.stored_value(self.parts[0])["facets"]]
        self.assertEqual(features[1], {"$type": "app.bsky.richtext.facet#mention", "did": PDS.did})

    def test_publishing_the_thread_contacted_nothing_outside_the_machine(self):
        self.assertEqual(self.outbound_during_thread, [])


class RealErrorAnswers(unittest.TestCase):
    """What the real PDS answers where platforms.md leaves it open (recorded in tests/pds/README.md)."""

    @classmethod
    def setUpClass(cls):
        cls.token = session_token()

    def create(self, text, rkey=None, token=None):
        return create_post(token or self.token, post_record(text), rkey or next_tid())

    def test_duplicate_rkey_is_500_internal_server_error(self):
        rkey = next_tid()
        status, first, _ = self.create("first at this key", rkey)
        self.assertEqual(status, 200, first)
        status, body, _ = self.create("second at the same key", rkey)
        self.assertEqual((status, body), (500, {"error": "InternalServerError", "message": "Internal Server Error"}))

    def test_duplicate_rkey_leaves_the_first_record_unchanged(self):
        rkey = next_tid()
        status, first, _ = self.create("kept at this key", rkey)
        self.assertEqual(status, 200, first)
        self.create("refused at the same key", rkey)
        status, body, _ = PDS.call("GET", "com.atproto.repo.getRecord",
                                   params={"repo": PDS.did, "collection": POST, "rkey": rkey})
        self.assertEqual((status, body["cid"], body["value"]["text"]), (200, first["cid"], "kept at this key"))

    def test_300_graphemes_are_accepted(self):
        status, body, _ = self.create("é" * 299 + "👩‍👩‍👧‍👦")
        self.assertEqual(status, 200, body)

    def test_301_graphemes_are_invalid_request(self):
        status, body, _ = self.create("é" * 300 + "👩‍👩‍👧‍👦")
        self.assertEqual((status, body), (400, {
            "error": "InvalidRequest",
            "message": "Invalid app.bsky.feed.post record: grapheme too big (maximum 300, got 301) at $.record.text"}))

    def test_more_than_3000_bytes_in_300_graphemes_is_invalid_request(self):
        text = "👩‍👩‍👧‍👦" * 130  # 130 graphemes, 25 bytes each = 3250 bytes
        status, body, _ = self.create(text)
        self.assertEqual((status, body), (400, {
            "error": "InvalidRequest",
            "message": "Invalid app.bsky.feed.post record: string too big (maximum 3000, got 3250) at $.record.text"}))

    def test_expired_access_token_is_400_expired_token(self):
        status, body, _ = self.create("with an expired token", token=expired_copy(self.token))
        self.assertEqual((status, body), (400, {"error": "ExpiredToken", "message": "Token has expired"}))

    def test_token_with_a_bad_signature_is_400_invalid_token(self):
        header, payload, _ = self.token.split(".")
        status, body, _ = self.create("with a forged token", token=f"{header}.{payload}.{b64url(b'x' * 32)}")
        self.assertEqual((status, body), (400, {"error": "InvalidToken", "message": "Token could not be verified"}))

    def test_garbage_token_is_400_invalid_token(self):
        status, body, _ = self.create("with garbage", token="not-a-jwt")
        self.assertEqual((status, body), (400, {"error": "InvalidToken", "message": "Token could not be verified"}))

    def test_missing_token_is_401_authentication_required(self):
        status, body, _ = PDS.call("POST", "com.atproto.repo.createRecord", body={
            "repo": PDS.did, "collection": POST, "rkey": next_tid(), "record": post_record("no token")})
        self.assertEqual((status, body), (401, {"error": "AuthMissing", "message": "Authentication Required"}))

    def test_missing_token_answer_has_no_www_authenticate_header(self):
        _, _, headers = PDS.call("POST", "com.atproto.repo.createRecord", body={
            "repo": PDS.did, "collection": POST, "rkey": next_tid(), "record": post_record("no token")})
        self.assertNotIn("www-authenticate", headers)

    def test_wrong_app_password_is_401_authentication_required(self):
        status, body, _ = create_session(PDS.handle, "aaaa-bbbb-cccc-dddd")
        self.assertEqual((status, body), (401, {"error": "AuthenticationRequired",
                                                "message": "Invalid identifier or password"}))

    def test_non_tid_rkey_for_a_post_is_invalid_request(self):
        status, body, _ = self.create("with a bad key", rkey="not-a-tid")
        self.assertEqual((status, body), (400, {
            "error": "InvalidRequest",
            "message": 'Invalid record key for app.bsky.feed.post: Invalid TID string (got "not-a-tid") at $'}))

    def test_get_record_of_an_unused_rkey_is_400_record_not_found(self):
        rkey = next_tid()
        status, body, _ = PDS.call("GET", "com.atproto.repo.getRecord",
                                   params={"repo": PDS.did, "collection": POST, "rkey": rkey})
        self.assertEqual((status, body), (400, {
            "error": "RecordNotFound", "message": f"Could not locate record: at://{PDS.did}/{POST}/{rkey}"}))

    def test_reply_refs_to_a_record_that_does_not_exist_are_stored(self):
        root = {"uri": f"at://{PDS.did}/{POST}/{next_tid()}",
                "cid": "bafyreihjn4boyxdhvn6pkh2jt3hukqep2y3itdcnujs7oawrcnfenxsykm"}
        status, body, _ = create_post(self.token, post_record("dangling", reply={"root": root, "parent": root}),
                                      next_tid())
        self.assertEqual((status, body.get("validationStatus")), (200, "valid"), body)

    def test_app_bsky_reads_without_an_app_view_are_400_invalid_request(self):
        status, body, _ = PDS.call("GET", "app.bsky.feed.getPostThread", token=self.token,
                                   params={"uri": f"at://{PDS.did}/{POST}/{next_tid()}"})
        self.assertEqual((status, body), (400, {
            "error": "InvalidRequest", "message": "No service configured for app.bsky.feed.getPostThread"}))


class Isolation(unittest.TestCase):
    """The PDS must stay on this machine, and the harness must notice when it does not."""

    def test_the_pds_started_without_contacting_anything_outside(self):
        self.assertEqual(OUTBOUND_AT_START, [])

    def test_both_servers_listen_on_loopback(self):
        self.assertTrue(PDS.url.startswith("http://127.0.0.1:"), PDS.url)
        self.assertTrue(PDS.plc_url.startswith("http://127.0.0.1:"), PDS.plc_url)

    def test_a_foreign_handle_lookup_is_refused_and_reported(self):
        before = len(PDS.outbound_attempts())
        status, body, _ = PDS.call("GET", "com.atproto.identity.resolveHandle",
                                   params={"handle": "someone.example.com"})
        self.assertEqual((status, body["error"]), (400, "InvalidRequest"))
        self.assertIn("dns resolveTxt _atproto.someone.example.com", PDS.outbound_attempts()[before:])

    def test_the_guard_refuses_tcp_and_name_lookups_before_they_leave(self):
        # Run in a fresh network namespace (no interface up), so nothing could leave even if the guard
        # failed; what is checked is that the guard refuses first and reports each attempt.
        script = (
            "import net from 'node:net'; import dns from 'node:dns';"
            f"import {{ install_outbound_guard }} from '{os.path.join(PDS_DIR, 'outbound_guard.mjs')}';"
            "install_outbound_guard();"
            "const tcp = await new Promise((ok) => net.connect({host: '192.0.2.1', port: 9})"
            "  .once('error', (e) => ok(e.code)).once('connect', () => ok('connected')));"
            "const web = await fetch('https://bsky.social/').then(() => 'fetched', (e) => e.cause?.code);"
            "const name = await dns.promises.lookup('bsky.social').then(() => 'resolved', (e) => e.code);"
            "const txt = await new dns.promises.Resolver().resolveTxt('_atproto.bsky.social')"
            "  .then(() => 'resolved', (e) => e.code);"
            "console.log(JSON.stringify({tcp, web, name, txt}));")
        # Root makes the namespace directly (a user namespace is refused inside a chroot); a non-root
        # developer needs --map-root-user (unprivileged user namespaces).
        unshare = ["unshare", "--net"] if os.geteuid() == 0 else ["unshare", "--map-root-user", "--net"]
        proc = subprocess.run(unshare + [pds_setup(), "--input-type=module", "-e", script],
                              capture_output=True, text=True, timeout=60, check=False)
        self.assertEqual(proc.returncode, 0, f"unshare --map-root-user --net or node failed: {proc.stderr}")
        self.assertEqual((json.loads(proc.stdout), proc.stderr.splitlines()), (
            {"tcp": "ECONNREFUSED", "web": "ECONNREFUSED", "name": "ENOTFOUND", "txt": "ENOTFOUND"},
            ["pds-harness: outbound blocked: tcp 192.0.2.1:9",
             "pds-harness: outbound blocked: tcp bsky.social:443",
             "pds-harness: outbound blocked: dns lookup bsky.social",
             "pds-harness: outbound blocked: dns resolveTxt _atproto.bsky.social"]))


if __name__ == "__main__":
    unittest.main()
