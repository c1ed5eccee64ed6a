#!/usr/bin/env python3
"""Publishing benchmarks against the platform sandbox (figures, not a test).

  1. Daemon CPU per published part: growthd's utime+stime (from /proc/PID/stat) over POSTS posts
     of a THREAD-part thread on all seven platforms, divided by the parts published. Goal <= 200 us.
  2. 1,000 posts x 7 platforms through one daemon (sandbox with --no-quotas): wall time, daemon
     CPU, parts per second. Posts are submitted over WORKERS connections, each waiting for its post.

Usage: bench/publish.py [BUILD_DIR] [--posts N] [--thread N] [--many N] [--workers N]

Measured 2026-11-27 (2 shared vCPUs with other builds running, virtio disk, release build):
  threads: 8 posts x 7 x 25 = 1000 parts in 1.75 s; daemon CPU 550 us per part (goal 200 us: NOT met)
  many:    1000 posts x 7 = 7000 parts in 10.6 s (661 parts/s); daemon CPU 603 us per part
About half of the daemon's CPU is the kernel's side of fdatasync (synchronous=FULL, one group commit
per loop round) on this VM's disk; then SQLite, libcurl (writes use a fresh connection, see
daemon/curl_transport.cpp) and TCP connect/close. perf: GROWTH_BENCH_WRAP="perf record -g -o F --".
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "sandbox"))
import harness as sandbox_harness  # noqa: E402

with open(os.path.join(ROOT, "tests", "sandbox", "seeds", "demo.json"), encoding="utf-8") as f:
    DEMO = json.load(f)
SEED = {a["platform"]: a for a in DEMO["accounts"]}
PLATFORMS = ["x", "linkedin", "facebook", "instagram", "threads", "mastodon", "bluesky"]
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


class Client:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.file = self.sock.makefile("rwb")
        self.file.readline()  # greeting
        self.next_id = 1

    def call(self, method, params):
        self.file.write((json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method,
                                     "params": params}) + "\n").encode())
        self.file.flush()
        self.next_id += 1
        reply = json.loads(self.file.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply["result"]


def text(parts):
    return "\n---\n".join(f"Benchmark paragraph {k} with a few words to carry it along." for k in range(1, parts + 1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--posts", type=int, default=4)
    ap.add_argument("--thread", type=int, default=25)
    ap.add_argument("--many", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=8)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    home = tempfile.mkdtemp(prefix="growth-bench-")
    env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=home + "/run", XDG_DATA_HOME=home + "/data",
               XDG_CONFIG_HOME=home + "/config")
    for k in ("GROWTH_SOCKET", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID"):
        env.pop(k, None)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    sb = sandbox_harness.Sandbox(seed=DEMO, extra_args=["--no-quotas"]).start()
    # GROWTH_BENCH_WRAP="perf record -g -o FILE --" profiles the daemon (CPU figures then include perf).
    wrap = os.environ.get("GROWTH_BENCH_WRAP", "").split()
    daemon = subprocess.Popen(wrap + [build + "/growthd", "--foreground"], env=env, stdout=subprocess.DEVNULL,
                              stderr=open(home + "/growthd.log", "wb"))
    sock = env["XDG_RUNTIME_DIR"] + "/growth/growthd.sock"
    try:
        while not os.path.exists(sock):
            time.sleep(0.02)
        time.sleep(0.1)
        c = Client(sock)
        for p in PLATFORMS:
            s = SEED[p]
            params = {"platform": p, "name": p}
            base = sb.url(p)
            if p == "bluesky":
                params.update(app_password=s["password"], handle=s["username"], service=base)
            else:
                params.update(token=s["token"], api_base=base)
                params.update({"x": {"username": s["username"]}, "linkedin": {"author": "urn:li:person:" + s["id"]},
                               "facebook": {"page_id": s["id"]}, "instagram": {"ig_user_id": s["id"]},
                               "threads": {"user_id": s["id"]}, "mastodon": {"instance": base}}[p])
                if p == "mastodon":
                    params.pop("api_base")
            params["no_check"] = True  # as before the who-am-I check: the figures measure publishing
            c.call("account.add", params)
        media = sb.media_url("photo.jpg")

        # 1. CPU per part on long threads.
        c.call("post.publish", {"text": text(3), "media_url": media})  # warm-up (sessions, connections)
        cpu0, t0 = cpu_seconds(daemon.pid), time.monotonic()
        parts = 0
        for _ in range(a.posts):
            r = c.call("post.publish", {"text": text(a.thread), "media_url": media})
            parts += sum(1 for t in r["targets"] for p in t["parts"] if p["state"] == "published")
        cpu1, t1 = cpu_seconds(daemon.pid), time.monotonic()
        print(f"threads: {a.posts} posts x 7 platforms x {a.thread} parts = {parts} parts published "
              f"in {t1 - t0:.2f} s wall")
        print(f"daemon CPU per published part: {(cpu1 - cpu0) / parts * 1e6:.0f} us "
              f"(utime+stime {cpu1 - cpu0:.2f} s; goal <= 200 us)")

        # 2. Many single posts on all seven platforms.
        done = []
        lock = threading.Lock()
        todo = list(range(a.many))

        def worker():
            w = Client(sock)
            while True:
                with lock:
                    if not todo:
                        return
                    k = todo.pop()
                r = w.call("post.publish", {"text": f"Post number {k} from the growth benchmark.", "media_url": media})
                with lock:
                    done.append(r)

        cpu0, t0 = cpu_seconds(daemon.pid), time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(a.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        cpu1, t1 = cpu_seconds(daemon.pid), time.monotonic()
        published = sum(1 for r in done for t in r["targets"] for p in t["parts"] if p["state"] == "published")
        states = {}
        for r in done:
            states[r["state"]] = states.get(r["state"], 0) + 1
        print(f"many: {len(done)} posts x 7 platforms: {published} parts published, post states {states}")
        print(f"      {t1 - t0:.2f} s wall, {published / (t1 - t0):.0f} parts/s, daemon CPU {cpu1 - cpu0:.2f} s "
              f"({(cpu1 - cpu0) / max(published, 1) * 1e6:.0f} us per part)")
    finally:
        daemon.send_signal(2)
        daemon.wait()
        sb.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
