#!/usr/bin/env python3
"""growthd's memory while 100 connections flood it with calls that answer later (figures, not a test).

A local "black hole" HTTP server accepts connections and never answers, so every transfer growthd
starts stalls (until --http-timeout, longer than the flood). One Mastodon account points at it and
one post to it is publishing (stalled). Then CONNS connections pipeline, as fast as they can for
SECONDS: half post.retry of that post (wait=true: each waits for the post to settle), half
account.test of the account (each needs an HTTP transfer). Printed side by side: growthd's RSS
idle, during the flood and after it, its VmHWM (peak RSS), what daemon.status says is owed and
refused, the transfers running and queued, and what the clients received.

Usage: bench/flood.py [BUILD_DIR] [--conns 100] [--seconds 40]

Measured 2026-12-02 (2 vCPUs shared with five other builds, load ~16, release build), 100 conns, 40 s:
  owed peak 24146 (bound 25600), 1134 refused too_many_requests; transfers running 4, queued peak 12064,
  1 queued a second after the clients left; VmRSS 15.7 MiB idle, 43.4 MiB flood peak; VmHWM 46.3 MiB.
  On this loaded machine growthd admitted ~600 deferred calls/s, so 10 s did not reach the bound.
Again later that day on a quiet machine: owed peak 25600 (the bound), 2,526,730 refused
too_many_requests, transfers running 4, queued peak 12797 and 0 after the clients left; VmRSS
16.3 MiB idle, 53.1 MiB flood peak, 47.8 MiB once the clients had gone.
"""

import argparse
import json
import os
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402  (its RawClient speaks the socket)


def env_for(home):
    env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=home + "/run", XDG_DATA_HOME=home + "/data",
               XDG_CONFIG_HOME=home + "/config")
    for k in ("GROWTH_SOCKET", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "CREDENTIALS_DIRECTORY"):
        env.pop(k, None)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
    return env


def proc_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0




class BlackHole:
    """Accepts TCP connections and never answers them."""

    def __init__(self):
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1024)
        self.port = self.listener.getsockname()[1]
        self.held = []
        self.stopped = False
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while not self.stopped:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.held.append(conn)

    def stop(self):
        self.stopped = True
        self.listener.close()
        for c in self.held:
            c.close()


class Flooder:
    """One connection writing `line` as fast as the daemon reads it, counting the replies."""

    def __init__(self, path, line):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(path)
        self.sock.setblocking(False)
        self.chunk = line.encode() * 10
        self.out = memoryview(self.chunk)
        self.inbox = b""
        self.sent = 0  # complete requests written
        self.replies = {"result": 0, "too_many_requests": 0, "other": 0}
        self.greeted = False
        self.writing = True

    def on_write(self):
        if not self.writing:
            return
        try:
            n = self.sock.send(self.out)
        except BlockingIOError:
            return
        self.out = self.out[n:]
        if not self.out:
            self.sent += 10
            self.out = memoryview(self.chunk)

    def on_read(self):
        try:
            data = self.sock.recv(1 << 16)
        except BlockingIOError:
            return
        if not data:
            return
        self.inbox += data
        *lines, self.inbox = self.inbox.split(b"\n")
        for line in lines:
            if not self.greeted:
                self.greeted = True
                continue
            if b'"result"' in line:
                self.replies["result"] += 1
            elif b'"too_many_requests"' in line:
                self.replies["too_many_requests"] += 1
            else:
                self.replies["other"] += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--conns", type=int, default=100)
    ap.add_argument("--seconds", type=float, default=40)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    if not os.access(build + "/growthd", os.X_OK):
        sys.exit("bench: build first (scripts/build, or pass BUILD_DIR)")
    home = tempfile.mkdtemp(prefix="growth-bench-flood-")
    env = env_for(home)
    os.makedirs(env["XDG_CONFIG_HOME"] + "/growth")
    # Room for every flooding connection plus the sampler.
    with open(env["XDG_CONFIG_HOME"] + "/growth/config.toml", "w") as f:
        f.write(f"[daemon]\nmax_connections = {a.conns + 8}\n")
    hole = BlackHole()
    timeout = max(60, int(a.seconds * 3))
    d = subprocess.Popen([build + "/growthd", "--foreground", "--http-timeout", str(timeout)], env=env,
                         stdout=subprocess.DEVNULL, stderr=open(home + "/growthd.log", "wb"))
    sock = env["XDG_RUNTIME_DIR"] + "/growth/growthd.sock"
    try:
        while not os.path.exists(sock):
            if d.poll() is not None:
                sys.exit("bench: growthd did not start; see " + home + "/growthd.log")
            time.sleep(0.02)
        time.sleep(0.2)
        c = harness.RawClient(sock, timeout=60)
        c.result("account.add", {"platform": "mastodon", "name": "m", "token": "t", "no_check": True,
                               "instance": f"http://127.0.0.1:{hole.port}"})
        post = c.result("post.publish", {"text": "A post whose instance never answers.", "to": ["m"], "wait": False})
        time.sleep(0.5)
        idle_rss = proc_kib(d.pid, "VmRSS")
        idle_hwm = proc_kib(d.pid, "VmHWM")

        retry = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "post.retry", "params": {"id": post["id"]}}) + "\n"
        test = json.dumps({"jsonrpc": "2.0", "id": 2, "method": "account.test", "params": {"name": "m"}}) + "\n"
        flooders = [Flooder(sock, retry if k % 2 == 0 else test) for k in range(a.conns)]
        sel = selectors.DefaultSelector()
        for f in flooders:
            sel.register(f.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, f)
        peak = {"owed": 0, "queued": 0, "running": 0, "rss": 0}
        start = time.monotonic()
        next_sample = start
        while time.monotonic() - start < a.seconds:
            for key, events in sel.select(timeout=0.05):
                if events & selectors.EVENT_READ:
                    key.data.on_read()
                if events & selectors.EVENT_WRITE:
                    key.data.on_write()
            if time.monotonic() >= next_sample:
                s = c.result("daemon.status")
                peak["owed"] = max(peak["owed"], s["replies"]["owed"])
                peak["queued"] = max(peak["queued"], s["publishing"]["http_queued"])
                peak["running"] = max(peak["running"], s["publishing"]["http_in_flight"])
                peak["rss"] = max(peak["rss"], proc_kib(d.pid, "VmRSS"))
                next_sample += 0.25
        for f in flooders:
            f.writing = False
        # Drain what is already on its way.
        drain_until = time.monotonic() + 1
        while time.monotonic() < drain_until:
            for key, events in sel.select(timeout=0.05):
                if events & selectors.EVENT_READ:
                    key.data.on_read()
        during = c.result("daemon.status")
        flood_rss = proc_kib(d.pid, "VmRSS")
        hwm = proc_kib(d.pid, "VmHWM")
        sent = sum(f.sent for f in flooders)
        got = {k: sum(f.replies[k] for f in flooders) for k in ("result", "too_many_requests", "other")}
        for f in flooders:
            sel.unregister(f.sock)
            f.sock.close()
        time.sleep(1.5)
        after = c.result("daemon.status")
        after_rss = proc_kib(d.pid, "VmRSS")

        mib = lambda kib: f"{kib / 1024:.1f} MiB"  # noqa: E731
        print(f"flood: {a.conns} connections for {a.seconds:g} s, half post.retry (wait) of one stalled post, "
              f"half account.test of its account; transfers stall (black-hole instance)")
        print(f"  requests written by the clients  {sent:>10}   (counted in batches of 10)")
        print(f"  answered too_many_requests       {got['too_many_requests']:>10}   daemon.status refused: "
              f"{during['replies']['refused']}")
        print(f"  answered with a result / other   {got['result']:>10} / {got['other']}")
        print(f"  replies owed (peak, at the end)  {peak['owed']:>10} / {during['replies']['owed']}"
              f"   (bound: {a.conns} x max_owed_replies 256 = {a.conns * 256})")
        print(f"  HTTP transfers running (peak)    {peak['running']:>10}   queued (peak): {peak['queued']}"
              f"   (bound: 4 per account running)")
        print(f"  {'':32} {'idle':>10} {'flood peak':>11} {'flood end':>10} {'clients gone':>13}")
        print(f"  {'growthd VmRSS':32} {mib(idle_rss):>10} {mib(peak['rss']):>11} {mib(flood_rss):>10} "
              f"{mib(after_rss):>13}")
        print(f"  {'growthd VmHWM (peak RSS)':32} {mib(idle_hwm):>10} {'':>11} {mib(hwm):>10}")
        print(f"  after the clients left: owed {after['replies']['owed']}, connections {after['connections']}, "
              f"queued transfers {after['publishing']['http_queued']}, running {after['publishing']['http_in_flight']}")
    finally:
        d.kill()
        d.wait()
        hole.stop()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
