"""The sandbox's contract, part 1: process, control API, X.

Run from tests/e2e: python3 -m unittest -v test_sandbox
(see also test_sandbox_pages, test_sandbox_containers, test_sandbox_social, test_sandbox_faults,
test_sandbox_counting, test_sandbox_threads)
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sandbox"))

import clients as c  # noqa: E402
from harness import HERE, Sandbox, SandboxTestCase  # noqa: E402

PLATFORMS = ["x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"]


class Process(unittest.TestCase):
    def test_port_file_holds_the_listening_port_and_stdout_names_the_url(self):
        with Sandbox() as sb:
            line = sb.proc.stdout.readline().strip()
            self.assertEqual(line, "growth sandbox listening on http://127.0.0.1:%d" % sb.port)
            status, _, body = sb.call("GET", sb.base + "/_sandbox/health")
            self.assertEqual(status, 200)
            self.assertEqual(body["platforms"], {p: "%s/%s" % (sb.base, p) for p in PLATFORMS})

    def test_sigterm_stops_with_exit_code_0(self):
        sb = Sandbox().start()
        sb.proc.terminate()
        self.assertEqual(sb.proc.wait(timeout=5), 0)
        sb.stop()

    def test_seed_file_creates_accounts_and_config(self):
        seed = {"accounts": [{"platform": "x", "username": "alice", "token": "tok-a", "id": "42"},
                             {"platform": "bluesky", "username": "bob.test", "password": "pw"}],
                "config": {"quotas": False}}
        with Sandbox(seed=seed) as sb:
            accounts = sb.control("GET", "accounts")["accounts"]
            self.assertEqual([(a["platform"], a["username"]) for a in accounts],
                             [("x", "alice"), ("bluesky", "bob.test")])
            self.assertEqual(accounts[0]["token"], "tok-a")
            self.assertEqual(accounts[0]["api_base"], sb.base + "/x")
            self.assertTrue(accounts[1]["id"].startswith("did:plc:"))
            self.assertFalse(sb.control("GET", "config")["quotas"])

    def test_demo_seed_has_one_account_per_platform(self):
        with open(os.path.join(HERE, "seeds", "demo.json")) as f:
            seed = json.load(f)
        with Sandbox(seed=seed) as sb:
            accounts = sb.control("GET", "accounts")["accounts"]
            self.assertEqual(sorted(a["platform"] for a in accounts), sorted(PLATFORMS))

    def test_bad_seed_is_refused_with_a_message_naming_the_problem(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "seed.json")
            with open(path, "w") as f:
                json.dump({"accounts": [{"platform": "x"}, {"platform": "myspace"}]}, f)
            r = subprocess.run([sys.executable, os.path.join(HERE, "sandbox.py"), "--seed", path],
                               capture_output=True, text=True, timeout=10)
        self.assertEqual(r.returncode, 2)
        self.assertEqual(r.stderr.strip(), "sandbox: error: seed %s: account 2: platform must be one of x, "
                         "linkedin, facebook, instagram, threads, mastodon, bluesky, got 'myspace'" % path)

    def test_account_flag_adds_an_account_with_the_given_secret(self):
        with Sandbox(extra_args=["--account", "mastodon:carol:tok-c"]) as sb:
            a = sb.control("GET", "accounts?platform=mastodon")["accounts"][0]
            self.assertEqual((a["username"], a["token"]), ("carol", "tok-c"))

    def test_verbose_logs_one_line_per_request(self):
        sb = Sandbox(extra_args=["-v"]).start()
        acct = sb.add_account("x", username="v")
        c.x_post(sb, acct, "logged")
        sb.proc.terminate()
        sb.proc.wait(timeout=5)
        lines = sb.stderr_text().splitlines()
        sb.stop()
        self.assertEqual(len(lines), 2)
        self.assertRegex(lines[1], r"^POST   /x/2/tweets -> 201 x\.create_post [0-9.]+ms$")


class Control(SandboxTestCase):
    def test_unknown_platform_prefix_is_404(self):
        status, _, body = self.sb.call("GET", self.sb.base + "/myspace/api")
        self.assertEqual(status, 404)
        self.assertIn("unknown platform prefix", body)

    def test_unknown_control_endpoint_is_404_json(self):
        status, _, body = self.sb.call("GET", self.sb.base + "/_sandbox/nope")
        self.assertEqual((status, body), (404, {"error": "no control endpoint GET /_sandbox/nope"}))

    def test_account_with_unknown_field_is_refused(self):
        status, _, body = self.sb.call("POST", self.sb.base + "/_sandbox/accounts",
                                       json_body={"platform": "x", "colour": "red"})
        self.assertEqual((status, body), (400, {"error": "unknown account field(s): colour"}))
        self.assertEqual(self.sb.control("GET", "accounts")["accounts"], [])

    def test_duplicate_account_is_refused_and_batch_is_all_or_nothing(self):
        status, _, body = self.sb.call("POST", self.sb.base + "/_sandbox/accounts", json_body={"accounts": [
            {"platform": "x", "username": "a"}, {"platform": "x", "username": "a"}]})
        self.assertEqual((status, body), (400, {"error": "account 2: x account 'a' already exists"}))
        self.assertEqual(self.sb.control("GET", "accounts")["accounts"], [])

    def test_malformed_content_length_is_400(self):
        import socket
        with socket.create_connection(("127.0.0.1", self.sb.port), timeout=5) as conn:
            conn.sendall(b"POST /x/2/tweets HTTP/1.1\r\nHost: a\r\nContent-Length: zz\r\n\r\n")
            answer = conn.recv(4096).decode()
        self.assertTrue(answer.startswith("HTTP/1.1 400 "), answer)
        self.assertIn("bad Content-Length 'zz'", answer)

    def test_request_log_redacts_secrets_but_keeps_the_rest(self):
        acct = self.sb.add_account("facebook")
        c.facebook_post(self.sb, acct, "hello page")
        x = self.sb.add_account("x")
        c.x_post(self.sb, x, "hi")
        fb, xr = self.sb.requests()
        self.assertEqual(fb["body"], {"message": "hello page", "access_token": "<redacted>"})
        self.assertEqual(fb["endpoint"], "create_post")
        self.assertEqual(fb["account"], acct["username"])
        self.assertEqual(xr["headers"]["Authorization"], "<redacted>")
        self.assertEqual(xr["body"], {"text": "hi"})
        self.assertEqual(xr["status"], 201)
        self.assertNotIn(x["token"], json.dumps(self.sb.requests()))

    def test_reset_forgets_posts_and_keeps_accounts_when_asked(self):
        acct = self.sb.add_account("x")
        c.x_post(self.sb, acct, "one")
        self.sb.reset(accounts=False)
        self.assertEqual(self.sb.posts(), [])
        self.assertEqual(len(self.sb.control("GET", "accounts")["accounts"]), 1)

    def test_reset_keeps_bluesky_sessions_of_kept_accounts(self):
        acct = self.sb.add_account("bluesky")
        _, _, session = c.bluesky_login(self.sb, acct)
        self.sb.reset(accounts=False)
        self.assertEqual(c.bluesky_post(self.sb, session, "still logged in")[0], 200)

    def test_media_files_are_served_for_container_image_urls(self):
        status, headers, _ = self.sb.call("GET", self.sb.media_url("a.jpg"))
        self.assertEqual((status, headers["content-type"]), (200, "image/jpeg"))
        status, _, _ = self.sb.call("GET", self.sb.media_url("a.gif"))
        self.assertEqual(status, 404)


class XApi(SandboxTestCase):
    def setUp(self):
        super().setUp()
        self.acct = self.sb.add_account("x", username="alice")

    def test_two_part_thread_is_read_back_with_reply_refs(self):
        s1, _, b1 = c.x_post(self.sb, self.acct, "1/ first")
        s2, _, b2 = c.x_post(self.sb, self.acct, "2/ second", reply_to=b1["data"]["id"])
        self.assertEqual((s1, s2), (201, 201))
        self.assertEqual(b1["data"], {"id": b1["data"]["id"], "text": "1/ first",
                                      "edit_history_tweet_ids": [b1["data"]["id"]]})
        self.assertGreater(int(b1["data"]["id"]), 2 ** 53)
        [thread] = self.sb.threads("x")
        p1, p2 = thread["parts"]
        self.assertEqual((p1["id"], p1["parent_id"], p1["text"]), (b1["data"]["id"], None, "1/ first"))
        self.assertEqual((p2["id"], p2["parent_id"], p2["root_id"]), (b2["data"]["id"], p1["id"], p1["id"]))
        self.assertEqual(p2["url"], "https://x.com/alice/status/" + p2["id"])
        self.assertEqual(p2["body"], {"text": "2/ second", "reply": {"in_reply_to_tweet_id": p1["id"]}})

    def test_users_me_names_the_token_owner(self):
        status, _, body = self.sb.call("GET", self.sb.url("x", "/2/users/me"), c.bearer(self.acct["token"]))
        self.assertEqual((status, body), (200, {"data": {"id": self.acct["id"], "name": "alice",
                                                         "username": "alice"}}))

    def test_missing_bearer_token_is_401_problem(self):
        status, headers, body = self.sb.call("POST", self.sb.url("x", "/2/tweets"), json_body={"text": "x"})
        self.assertEqual(status, 401)
        self.assertEqual(body, {"title": "Unauthorized", "type": "about:blank", "status": 401,
                                "detail": "Unauthorized"})
        self.assertEqual(headers["content-type"], "application/problem+json")

    def test_expired_token_is_401_and_creates_nothing(self):
        self.sb.control("POST", "tokens", {"platform": "x", "username": "alice", "state": "expired"})
        status, _, body = c.x_post(self.sb, self.acct, "late")
        self.assertEqual((status, body["detail"]), (401, "Unauthorized"))
        self.assertEqual(self.sb.posts("x"), [])

    def test_rate_limit_headers_count_down(self):
        _, h1, _ = c.x_post(self.sb, self.acct, "a")
        _, h2, _ = c.x_post(self.sb, self.acct, "b")
        self.assertEqual((h1["x-rate-limit-limit"], h1["x-rate-limit-remaining"]), ("100", "99"))
        self.assertEqual(h2["x-rate-limit-remaining"], "98")
        self.assertRegex(h2["x-rate-limit-reset"], r"^[0-9]{10}$")
        self.assertEqual(h2["x-user-limit-24hour-remaining"], "2398")

    def test_101st_post_in_15_minutes_is_429(self):
        for i in range(100):
            c.x_post(self.sb, self.acct, "post %d" % i)
        status, headers, body = c.x_post(self.sb, self.acct, "one too many")
        self.assertEqual(status, 429)
        self.assertEqual(body, {"title": "Too Many Requests", "detail": "Too Many Requests",
                                "type": "about:blank", "status": 429})
        self.assertEqual(headers["x-rate-limit-remaining"], "0")

    def test_unknown_body_field_is_400_invalid_request(self):
        status, _, body = self.sb.call("POST", self.sb.url("x", "/2/tweets"), c.bearer(self.acct["token"]),
                                       json_body={"text": "x", "colour": "red"})
        self.assertEqual(status, 400)
        self.assertEqual(body["type"], "https://api.x.com/2/problems/invalid-request")
        self.assertEqual(body["errors"][0]["message"], "$.colour: is not defined in the schema and the schema "
                         "does not allow additional properties")

    def test_reply_id_must_be_a_numeric_string(self):
        status, _, body = self.sb.call("POST", self.sb.url("x", "/2/tweets"), c.bearer(self.acct["token"]),
                                       json_body={"text": "x", "reply": {"in_reply_to_tweet_id": 5}})
        self.assertEqual(status, 400)
        self.assertIn("does not match pattern ^[0-9]{1,19}$", body["errors"][0]["message"])

    def test_reply_to_unknown_post_is_403(self):
        status, _, body = c.x_post(self.sb, self.acct, "orphan", reply_to="1234567890123456789")
        self.assertEqual(status, 403)
        self.assertEqual(body["detail"], "You attempted to reply to a Tweet that is deleted or not visible to you.")

    def test_duplicate_text_is_403_duplicate_content(self):
        c.x_post(self.sb, self.acct, "same words")
        status, _, body = c.x_post(self.sb, self.acct, "same words")
        self.assertEqual(status, 403)
        self.assertEqual(body, {"detail": "You are not allowed to create a Tweet with duplicate content.",
                                "type": "about:blank", "title": "Forbidden", "status": 403})
        self.assertEqual(len(self.sb.posts("x")), 1)

    def test_self_reply_restriction_can_be_toggled_per_account(self):
        bob = self.sb.add_account("x", username="bob", x_self_reply_forbidden=True)
        _, _, b1 = c.x_post(self.sb, bob, "root")
        status, _, body = c.x_post(self.sb, bob, "reply", reply_to=b1["data"]["id"])
        self.assertEqual(status, 403)
        self.assertTrue(body["detail"].startswith("Reply to this conversation is not allowed"))

    def test_json_content_type_is_required(self):
        status, _, body = self.sb.call("POST", self.sb.url("x", "/2/tweets"),
                                       dict(c.bearer(self.acct["token"]), **{"Content-Type": "text/plain"}),
                                       data=b'{"text":"x"}')
        self.assertEqual((status, body["errors"][0]["message"]), (400, "Content-Type must be application/json"))

    def test_user_timeline_refuses_a_bad_max_results(self):
        status, _, body = self.sb.call("GET", self.sb.url("x", "/2/users/%s/tweets?max_results=abc" % self.acct["id"]),
                                       c.bearer(self.acct["token"]))
        self.assertEqual((status, body["errors"][0]["message"]),
                         (400, "The `max_results` query parameter value [abc] is not between 5 and 100"))

    def test_user_timeline_lists_newest_first_for_recovery(self):
        _, _, b1 = c.x_post(self.sb, self.acct, "older")
        _, _, b2 = c.x_post(self.sb, self.acct, "newer")
        status, _, body = self.sb.call("GET", self.sb.url("x", "/2/users/%s/tweets?max_results=5" % self.acct["id"]),
                                       c.bearer(self.acct["token"]))
        self.assertEqual(status, 200)
        self.assertEqual([t["id"] for t in body["data"]], [b2["data"]["id"], b1["data"]["id"]])
        self.assertEqual(body["meta"]["result_count"], 2)


if __name__ == "__main__":
    unittest.main()
