#!/usr/bin/env python3
"""daemon.status against stores of 0, 300k and 1M parts, side by side (figures, not a test).

For each size a fresh data directory gets its schema from growthd itself (started once, then
stopped), is filled directly with SQL (posts of 10 parts, one target each, states mixed as a long
history has them), and growthd is started on it. Then, per size:
  status:  daemon.status round trips on one open connection (median, p99, in ms);
  scan:    what status cost before migration 3: the old full-scan query (count(*) of posts and
           targets, GROUP BY state over parts) run by Python's sqlite3 on the same file.

Usage: bench/status_scale.py [BUILD_DIR] [--sizes 0,300000,1000000] [--calls N]

Measured 2026-12-02 (2 vCPUs shared with five other builds, load ~16, release build):
      parts  status median  status p99  old scan   db size
          0       0.267 ms   24.755 ms   0.02 ms    0.1 MiB
     300000       0.125 ms    4.094 ms 232.53 ms   41.5 MiB
    1000000       0.166 ms    0.230 ms 812.42 ms  140.4 MiB
Again later that day on a quiet machine (load ~0.6, schema 5):
          0       0.189 ms    0.680 ms   0.02 ms    0.1 MiB
     300000       0.181 ms    0.325 ms  37.72 ms   42.3 MiB
    1000000       0.188 ms    0.724 ms 115.75 ms  143.0 MiB
"""

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402  (its RawClient speaks the socket)

PARTS_PER_POST = 10
# A long history: mostly published, some of everything else.
STATES = ["published"] * 90 + ["failed"] * 4 + ["retry_wait"] * 2 + ["unknown"] * 2 + ["canceled", "needs_auth"]


def env_for(home):
    env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=home + "/run", XDG_DATA_HOME=home + "/data",
               XDG_CONFIG_HOME=home + "/config")
    for k in ("GROWTH_SOCKET", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID"):
        env.pop(k, None)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    return env




def start_daemon(build, env, home):
    sock = env["XDG_RUNTIME_DIR"] + "/growth/growthd.sock"
    if os.path.exists(sock):
        os.unlink(sock)
    d = subprocess.Popen([build + "/growthd", "--foreground"], env=env, stdout=subprocess.DEVNULL,
                         stderr=open(home + "/growthd.log", "ab"))
    deadline = time.monotonic() + 60
    while not os.path.exists(sock):
        if d.poll() is not None or time.monotonic() > deadline:
            sys.exit("bench: growthd did not start; see " + home + "/growthd.log")
        time.sleep(0.02)
    time.sleep(0.1)
    return d, sock


def stop_daemon(d):
    d.send_signal(15)
    d.wait(timeout=30)


def fill(db_path, parts):
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    posts = parts // PARTS_PER_POST
    now = 1_764_000_000_000
    with db:
        db.executemany("INSERT INTO posts (id, text, state, created_at, updated_at) VALUES (?, 'x', 'published', ?, ?)",
                       ((f"p{k:07d}", now, now) for k in range(posts)))
        db.executemany("INSERT INTO targets (id, post_id, account, platform, state, created_at, updated_at)"
                       " VALUES (?, ?, 'acct', 'mastodon', 'published', ?, ?)",
                       ((k + 1, f"p{k:07d}", now, now) for k in range(posts)))
        db.executemany("INSERT INTO parts (target_id, idx, text, state, created_at, updated_at)"
                       " VALUES (?, ?, 'Part text of a benchmark thread.', ?, ?, ?)",
                       ((k // PARTS_PER_POST + 1, k % PARTS_PER_POST + 1, STATES[k % len(STATES)], now, now)
                        for k in range(posts * PARTS_PER_POST)))
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return posts * PARTS_PER_POST


def old_scan_ms(db_path, runs=5):
    """The query Store::counts() ran before migration 3 (a full scan of the state index)."""
    db = sqlite3.connect(db_path)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        db.execute("SELECT (SELECT count(*) FROM posts), (SELECT count(*) FROM targets)").fetchall()
        db.execute("SELECT state, count(*) FROM parts GROUP BY state").fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    db.close()
    return statistics.median(times)


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--sizes", default="0,300000,1000000")
    ap.add_argument("--calls", type=int, default=300)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    if not os.access(build + "/growthd", os.X_OK):
        sys.exit("bench: build first (scripts/build, or pass BUILD_DIR)")
    rows = []
    for size in (int(s) for s in a.sizes.split(",")):
        home = tempfile.mkdtemp(prefix="growth-bench-status-")
        try:
            env = env_for(home)
            d, _ = start_daemon(build, env, home)  # creates growth.db at the latest schema
            stop_daemon(d)
            db_path = env["XDG_DATA_HOME"] + "/growth/growth.db"
            t0 = time.monotonic()
            parts = fill(db_path, size)
            fill_s = time.monotonic() - t0
            d, sock = start_daemon(build, env, home)
            try:
                c = harness.RawClient(sock, timeout=60)
                first = c.result("daemon.status")
                assert first["counts"]["parts"] == parts, first["counts"]
                times = []
                for _ in range(a.calls):
                    t = time.perf_counter()
                    c.result("daemon.status")
                    times.append((time.perf_counter() - t) * 1000)
            finally:
                stop_daemon(d)
            rows.append((size, parts, statistics.median(times), percentile(times, 0.99), old_scan_ms(db_path),
                         os.path.getsize(db_path) / 2**20, fill_s, first["schema_version"]))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    print(f"daemon.status round trip, {a.calls} calls on one connection; 'old scan' is the query status ran "
          f"before migration 3, on the same file")
    print(f"{'parts':>9} {'status median':>14} {'status p99':>11} {'old scan':>9} {'db size':>9}  schema")
    for size, parts, med, p99, scan, mib, fill_s, schema in rows:
        print(f"{parts:>9} {med:>11.3f} ms {p99:>8.3f} ms {scan:>6.2f} ms {mib:>6.1f} MiB  {schema}"
              f"   (filled in {fill_s:.1f} s)")


if __name__ == "__main__":
    main()
