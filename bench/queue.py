#!/usr/bin/env python3
"""The timer queue with POSTS (default 1,000,000) scheduled far-future posts (figures, not a test).

Each figure is printed beside its goal (issue 8) or a reference measured in the same run:
  start:      growthd spawned -> its socket answers daemon.ping, on the full store (reference: the
              same on the store before the fill);
  list:       `growthctl list` (first page, the table) and `growthctl status`, median of RUNS runs
              (reference: the same before the fill);
  schedule:   posts/s through `growthctl schedule` (one process per post) and through post.schedule
              requests pipelined on one socket connection, on a sample (--sample); the rest of POSTS
              is then filled with SQL while growthd is stopped (below);
  lateness:   due time -> the post's first request recorded by the sandbox (its "time", taken when the
              request has been read), for --solo posts due alone (each in its own second; goal p99 <=
              5 ms) and for --burst posts due in the same second across 10 accounts (goal p50 <= 5 ms,
              p99 <= 50 ms). Reference, same run, same sandbox: a plain Python timer (time.sleep to
              the instant, then one HTTP request) at each solo due time + 0.5 s; and for the burst,
              the same number of creates sent by 10 Python threads (one per account, back to back)
              starting at an instant, i.e. what the sandbox itself can absorb;
  idle:       growthd's context switches (voluntary + involuntary, every thread, /proc/PID/task/*/
              status) over --idle seconds with nothing due and no client (goal 0).

The fill: growthd is stopped (SIGTERM), then one SQL transaction (Python's sqlite3, synchronous=OFF)
copies a post scheduled through the RPC into as many posts as needed, each with its target and part
(the targets spread round-robin over the accounts the lateness figures use, so per-account work
such as the posting-budget check meets a long queue),
due one second apart from 30 days ahead: ids in growth's format (the time-sortable Crockford base32
of core/pipeline/post_id.cpp, from distinct created_at values), a unique UUID-shaped Mastodon
Idempotency-Key per part, states 'scheduled'. The triggers of migration 3 keep the counters exact.

Usage: bench/queue.py [BUILD_DIR] [--posts N] [--sample N] [--solo N] [--burst N] [--idle S] [--runs N]

Measured 2026-12-02 (session 13), 1,000,000 queued over 12 accounts (2 vCPUs, load average 0.8,
RelWithDebInfo build; 555 MiB store, filled in 39 s), after: cached prepared statements
(Store::statement), single posts of one account side by side (4), settled states written per loop
round, 25 posts fired per round:
  daemon start (spawn -> ping answered)       28 ms        first start, creating the store: 59 ms
  growthctl list (first page)                 10.5 ms      2,100 posts: 14.7 ms
  growthctl status                            5.1 ms       2,100 posts: 7.9 ms
  schedule via growthctl                      68 posts/s   (one process per post)
  schedule via pipelined RPC                  869 posts/s  (one fdatasync'd transaction per post)
  idle wake-ups over 30 s                     0            goal 0
  lateness, one post alone (n=29)             p50 5.4, p99 9.0 ms      goal p99 <= 5 ms; Python
                                              timer p50 2.0, p99 6.4 ms (the machine's own noise)
  lateness, 1,000 in one second, 10 accounts  p50 1091, p99 2206 ms    goal p50 <= 5, p99 <= 50 ms;
                                              10 Python threads p50 466, p99 871 ms
  (the earliest burst request 40 ms late; before this session 209 ms, p50 1860, p99 3323 ms with
  the reference at p50 232, p99 467 ms: from 8x the reference's p50 to 2.3x)
Where a burst's time goes now (perf, dwarf call graphs): SQLite statements (the counter triggers
of migration 3 run on every part and target write), the two commits each single-part post needs
(`sending`, then `published`), curl's fresh connection per POST, and the budget check
(published_since reads every part the platform's window holds, ~13% of the burst). A lone post's
request leaves after two fdatasyncs (the fire, then `sending`). p50 <= 5 ms for 1,000 posts due at
the same instant would need half of them on the wire within 5 ms; the sandbox itself takes the
1,000 creates from 10 threads over ~0.9 s here, so that goal is bounded by the peer, not the queue.
"""

import argparse
import datetime
import http.client
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "sandbox"))
import harness as sandbox_harness  # noqa: E402

BURST_ACCOUNTS = 10


def rfc3339(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def pct(values, q):
    v = sorted(values)
    return v[min(len(v) - 1, int(q * len(v)))] if v else float("nan")


class Client:
    def __init__(self, path, timeout=120):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")
        self.file.readline()  # greeting
        self.next_id = 1

    def send(self, method, params):
        self.file.write((json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                     "params": params}) + "\n").encode())
        self.next_id += 1

    def reply(self):
        reply = json.loads(self.file.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]

    def call(self, method, params=None):
        self.send(method, params or {})
        self.file.flush()
        return self.reply()

    def pipelined(self, method, params_list):
        """Sends every request before reading the answers (a writer thread keeps the pipe full)."""
        def writer():
            for p in params_list:
                self.send(method, p)
            self.file.flush()
        t = threading.Thread(target=writer)
        t.start()
        out = [self.reply() for _ in params_list]
        t.join()
        return out

    def close(self):
        self.file.close()
        self.sock.close()


class Bench:
    def __init__(self, build):
        self.build = build
        self.home = tempfile.mkdtemp(prefix="growth-bench-queue-")
        env = dict(os.environ, HOME=self.home, XDG_RUNTIME_DIR=self.home + "/run", XDG_DATA_HOME=self.home + "/data",
                   XDG_CONFIG_HOME=self.home + "/config", LC_ALL="C.UTF-8", COLUMNS="120")
        for k in ("GROWTH_SOCKET", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "WATCHDOG_USEC", "WATCHDOG_PID"):
            env.pop(k, None)
        os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
        self.env = env
        self.sock = env["XDG_RUNTIME_DIR"] + "/growth/growthd.sock"
        self.db_path = env["XDG_DATA_HOME"] + "/growth/growth.db"
        self.daemon = None

    def start(self):
        """Starts growthd; returns seconds from spawn to the first daemon.ping answer."""
        if os.path.exists(self.sock):
            os.unlink(self.sock)
        t0 = time.perf_counter()
        self.daemon = subprocess.Popen([self.build + "/growthd", "--foreground"], env=self.env,
                                       stdout=subprocess.DEVNULL, stderr=open(self.home + "/growthd.log", "ab"))
        while True:
            if self.daemon.poll() is not None or time.perf_counter() - t0 > 300:
                sys.exit("bench: growthd did not start; see " + self.home + "/growthd.log")
            try:
                c = Client(self.sock)
                c.call("daemon.ping")
                c.close()
                return time.perf_counter() - t0
            except OSError:
                time.sleep(0.002)

    def stop(self):
        self.daemon.send_signal(15)
        self.daemon.wait(timeout=60)

    def ctl_seconds(self, *args, runs=5):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            p = subprocess.run([self.build + "/growthctl"] + list(args), env=self.env, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            if p.returncode != 0:
                sys.exit(f"bench: growthctl {' '.join(args)} failed: {p.stderr}")
        return statistics.median(times)

    def context_switches(self):
        total = 0
        for tid in os.listdir(f"/proc/{self.daemon.pid}/task"):
            try:
                with open(f"/proc/{self.daemon.pid}/task/{tid}/status") as f:
                    for line in f:
                        if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                            total += int(line.split()[1])
            except FileNotFoundError:
                pass
        return total


def fill(db_path, sample_id, total, accounts):
    """Copies post `sample_id` (scheduled, one target, one part) until the store holds `total`
    scheduled posts, their targets spread round-robin over the growth account names `accounts`;
    returns the number added."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    have = db.execute("SELECT count(*) FROM posts WHERE state = 'scheduled'").fetchone()[0]
    add = max(0, total - have)
    if add == 0:
        return 0
    far = int(time.time() + 30 * 86400) * 1000
    created0 = db.execute("SELECT max(created_at) FROM posts").fetchone()[0] + 1000
    alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
    # post_id.cpp: nine base32 digits of the creation time in ms, then two of randomness ("00").
    digits = " || ".join(f"substr('{alphabet}', ((c.ms >> {5 * (8 - i)}) & 31) + 1, 1)" for i in range(9))
    ids = dict(db.execute("SELECT name, id FROM accounts"))
    accts = ", ".join(f"({k}, {ids[name]}, '{name}')" for k, name in enumerate(accounts))
    db.execute("BEGIN")
    db.execute(f"""
        WITH RECURSIVE c(i, ms) AS (SELECT 0, {created0} UNION ALL SELECT i + 1, ms + 1 FROM c WHERE i + 1 < {add})
        INSERT INTO posts (id, text, state, due_at, tz, options, created_at, updated_at)
        SELECT {digits} || '00', s.text, 'scheduled', {far} + c.i * 1000, s.tz, s.options, c.ms, c.ms
        FROM c, (SELECT * FROM posts WHERE id = ?) s""", (sample_id,))
    db.execute(f"""
        WITH a(k, id, name) AS (VALUES {accts})
        INSERT INTO targets (post_id, account_id, account, platform, state, options, created_at, updated_at)
        SELECT p.id, a.id, a.name, t.platform, 'scheduled', t.options, p.created_at, p.created_at
        FROM posts p, (SELECT * FROM targets WHERE post_id = ?) t, a
        WHERE p.created_at >= {created0} AND a.k = (p.created_at - {created0}) % {len(accounts)}""",
               (sample_id,))
    db.execute(f"""
        INSERT INTO parts (target_id, idx, text, state, idempotency_key, created_at, updated_at)
        SELECT t.id, 1, s.text, 'scheduled', printf('%08x-0000-4000-8000-%012x', t.id, t.id), t.created_at,
               t.created_at
        FROM targets t, (SELECT parts.* FROM parts JOIN targets ON targets.id = parts.target_id
                         WHERE targets.post_id = ?) s
        WHERE t.created_at >= {created0}""", (sample_id,))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return add


def sandbox_requests(sb, endpoint=None, since=0):
    query = {"platform": "mastodon", "since": since}
    if endpoint:
        query["endpoint"] = endpoint
    return sb.control("GET", "requests?" + urllib.parse.urlencode(query))["requests"]


def python_timer_request(sb, at, path):
    """The reference: sleep until `at` (wall clock), then one HTTP GET to the sandbox."""
    host, port = "127.0.0.1", sb.port
    time.sleep(max(0.0, at - time.time()))
    c = http.client.HTTPConnection(host, port, timeout=10)
    c.request("GET", path)
    c.getresponse().read()
    c.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--posts", type=int, default=1_000_000, help="scheduled far-future posts in the store")
    ap.add_argument("--sample", type=int, default=2000, help="posts scheduled through the RPC (throughput)")
    ap.add_argument("--ctl-sample", type=int, default=100, help="posts scheduled through growthctl")
    ap.add_argument("--solo", type=int, default=30, help="lateness samples of a post due alone")
    ap.add_argument("--burst", type=int, default=1000, help="posts due in the same second")
    ap.add_argument("--idle", type=float, default=60, help="seconds of idle wake-up counting")
    ap.add_argument("--runs", type=int, default=5, help="runs of growthctl list / status (median)")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    if not os.access(build + "/growthd", os.X_OK):
        sys.exit("bench: build first (scripts/build, or pass BUILD_DIR)")
    b = Bench(build)
    sb = sandbox_harness.Sandbox(extra_args=["--no-quotas"]).start()
    rows = []

    def row(what, value, reference):
        rows.append((what, value, reference))
        print(f"  {what:<56} {value:<28} {reference}", flush=True)

    try:
        print(f"bench/queue.py: {a.posts} queued posts; build {build}; load average "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs", flush=True)
        start_empty = b.start()
        c = Client(b.sock)
        accounts = {}
        for name in ["fill", "solo"] + [f"burst{k}" for k in range(BURST_ACCOUNTS)] + [f"ref{k}" for k in range(BURST_ACCOUNTS)]:
            acct = sb.add_account("mastodon", username="bench" + name)
            accounts[name] = acct
            if not name.startswith("ref"):
                c.call("account.add", {"platform": "mastodon", "name": name, "token": acct["token"], "no_check": True,
                                       "instance": sb.url("mastodon")})
        far = int(time.time()) + 20 * 86400

        # Schedule throughput: growthctl, then pipelined RPC.
        t0 = time.perf_counter()
        for k in range(a.ctl_sample):
            p = subprocess.run([build + "/growthctl", "schedule", "--at", rfc3339(far + k), "--to", "fill",
                                f"Far-future post {k} of the queue benchmark."], env=b.env, capture_output=True)
            if p.returncode != 0:
                sys.exit(f"bench: growthctl schedule failed: {p.stderr}")
        ctl_rate = a.ctl_sample / (time.perf_counter() - t0)
        params = [{"text": f"Far-future post {k} of the queue benchmark.", "to": ["fill"], "at": rfc3339(far + k)}
                  for k in range(a.ctl_sample, a.ctl_sample + a.sample)]
        t0 = time.perf_counter()
        replies = c.pipelined("post.schedule", params)
        rpc_rate = a.sample / (time.perf_counter() - t0)
        sample_id = replies[-1]["id"]
        list_small = b.ctl_seconds("list", runs=a.runs)
        status_small = b.ctl_seconds("status", runs=a.runs)
        c.close()
        b.stop()

        t0 = time.perf_counter()
        added = fill(b.db_path, sample_id, a.posts, ["fill", "solo"] + [f"burst{k}" for k in range(BURST_ACCOUNTS)])
        fill_s = time.perf_counter() - t0
        start_full = b.start()
        c = Client(b.sock)
        status = c.call("daemon.status")
        c.close()
        list_full = b.ctl_seconds("list", runs=a.runs)
        status_full = b.ctl_seconds("status", runs=a.runs)
        queued = a.ctl_sample + a.sample + added
        print(f"store: {queued} scheduled posts ({a.ctl_sample} via growthctl, {a.sample} via pipelined RPC, "
              f"{added} copied with SQL while growthd was stopped, in {fill_s:.1f} s, spread over the accounts "
              f"fill, solo and burst0-{BURST_ACCOUNTS - 1}); "
              f"{os.path.getsize(b.db_path) / 2**20:.0f} MiB; daemon.status counts {status.get('counts')}")
        print(f"  {'figure':<56} {'measured':<28} goal / reference")
        row("daemon start (spawn -> ping answered)", f"{start_full * 1000:.0f} ms", f"first start, creating the store: {start_empty * 1000:.0f} ms")
        row("growthctl list (first page)", f"{list_full * 1000:.1f} ms", f"{queued - added} posts: {list_small * 1000:.1f} ms")
        row("growthctl status", f"{status_full * 1000:.1f} ms", f"{queued - added} posts: {status_small * 1000:.1f} ms")
        row("schedule via growthctl", f"{ctl_rate:.0f} posts/s", f"{a.ctl_sample} posts, one process each")
        row("schedule via pipelined RPC (one connection)", f"{rpc_rate:.0f} posts/s", f"{a.sample} posts")

        # Idle wake-ups: nothing due for 20 days, no client.
        time.sleep(1.0)
        cs0 = b.context_switches()
        time.sleep(a.idle)
        cs1 = b.context_switches()
        row(f"idle wake-ups over {a.idle:.0f} s", f"{cs1 - cs0}", "goal 0")

        # Lateness of a post due alone: one due in each of the next --solo seconds; the Python
        # timer reference fires half a second after each, so the two never share the sandbox.
        c = Client(b.sock)
        since = sandbox_requests(sb)[-1]["seq"] if sandbox_requests(sb) else 0
        first = int(time.time()) + 3
        dues = [first + k for k in range(a.solo)]
        for k, due in enumerate(dues):
            c.call("post.schedule", {"text": f"Solo bench-solo-{k} post.", "to": ["solo"], "at": rfc3339(due)})
        ref_path = "/mastodon/api/v2/instance?bench-ref="
        for k, due in enumerate(dues):
            python_timer_request(sb, due + 0.5, ref_path + str(k))
        time.sleep(1.5)
        reqs = sandbox_requests(sb, since=since)
        solo_late, ref_late = [], []
        for k, due in enumerate(dues):
            mine = [r for r in reqs if r.get("account") == accounts["solo"]["username"] or f"bench-solo-{k} " in json.dumps(r.get("body"))]
            hit = [r["time"] for r in mine if r["time"] >= due - 0.5 and r["time"] < due + 0.5]
            if hit:
                solo_late.append((min(hit) - due) * 1000)
            ref = [r["time"] for r in reqs if r["path"].endswith(ref_path.split("?")[1] + str(k))]
            if ref:
                ref_late.append((ref[0] - due - 0.5) * 1000)
        row(f"lateness, one post alone (n={len(solo_late)})",
            f"p50 {pct(solo_late, .5):.1f} p99 {pct(solo_late, .99):.1f} ms",
            f"goal p99 <= 5 ms; Python timer p50 {pct(ref_late, .5):.1f} p99 {pct(ref_late, .99):.1f} ms")

        # 1,000 posts due in the same second across 10 accounts.
        since = reqs[-1]["seq"] if reqs else since
        due = int(time.time()) + max(5, a.burst // 150 + 3)
        params = [{"text": f"Burst bench-burst-{k} post.", "to": [f"burst{k % BURST_ACCOUNTS}"], "at": rfc3339(due)}
                  for k in range(a.burst)]
        c.pipelined("post.schedule", params)
        if time.time() > due - 1:
            print("bench: scheduling the burst took too long; its figures are not meaningful")
        while True:
            time.sleep(0.5)
            burst_reqs = sandbox_requests(sb, endpoint="create_post", since=since)
            if len(burst_reqs) >= a.burst or time.time() > due + 120:
                break
        firsts = {}
        for r in burst_reqs:
            body = json.dumps(r.get("body"))
            i = body.find("bench-burst-")
            if i >= 0:
                key = body[i:].split(" ")[0]
                firsts[key] = min(firsts.get(key, r["time"]), r["time"])
        burst_late = [(t - due) * 1000 for t in firsts.values()]
        spread = max(firsts.values()) - min(firsts.values()) if firsts else 0

        # Reference: the same number of creates from 10 plain Python threads, one per account,
        # starting at one instant.
        ref_at = int(time.time()) + 2
        ref_times = []
        lock = threading.Lock()

        def ref_worker(k):
            token = accounts[f"ref{k}"]["token"]
            time.sleep(max(0.0, ref_at - time.time()))
            conn = http.client.HTTPConnection("127.0.0.1", sb.port, timeout=30)
            for j in range(k, a.burst, BURST_ACCOUNTS):
                conn.request("POST", "/mastodon/api/v1/statuses", body=json.dumps({"status": f"Ref {j}."}),
                             headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
                conn.getresponse().read()
            conn.close()

        since_ref = burst_reqs[-1]["seq"] if burst_reqs else since
        threads = [threading.Thread(target=ref_worker, args=(k,)) for k in range(BURST_ACCOUNTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        ref_reqs = [r for r in sandbox_requests(sb, endpoint="create_post", since=since_ref)
                    if "Ref " in json.dumps(r.get("body"))]
        ref_burst = [(r["time"] - ref_at) * 1000 for r in ref_reqs]
        row(f"lateness, {a.burst} due in one second, {BURST_ACCOUNTS} accounts (n={len(burst_late)})",
            f"p50 {pct(burst_late, .5):.0f} p99 {pct(burst_late, .99):.0f} max {max(burst_late, default=0):.0f} ms",
            f"goal p50 <= 5, p99 <= 50 ms; 10 Python threads: p50 {pct(ref_burst, .5):.0f} "
            f"p99 {pct(ref_burst, .99):.0f} ms")
        print(f"  (burst: the earliest first request {min(burst_late, default=0):.0f} ms late, the first requests spread "
              f"over {spread * 1000:.0f} ms; the reference's {len(ref_reqs)} creates over "
              f"{(max(ref_burst, default=0) - min(ref_burst, default=0)):.0f} ms)")
        c.close()
    finally:
        if b.daemon and b.daemon.poll() is None:
            b.stop()
        sb.stop()
        if os.environ.get("GROWTH_BENCH_KEEP"):
            print("bench: kept " + b.home)
        else:
            shutil.rmtree(b.home, ignore_errors=True)


if __name__ == "__main__":
    main()
