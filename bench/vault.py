#!/usr/bin/env python3
"""The passphrase vault's cost and what it does to everyone else (figures, not a test).

  unlock:  `growthctl unlock --passphrase-fd` wall time at the Argon2id cost chosen (default 3
           passes, 256 MiB), median of RUNS (reference, same run: growthd's start on a key-file
           vault, spawn -> daemon.ping answers);
  loop:    daemon.ping round trips on another connection while unlocks run back to back, p50 and
           p99 (reference: the same with nothing else going on). Argon2id runs off the loop, so
           the two should be alike;
  memory:  growthd's VmHWM after the unlocks (reference: VmRSS before the first).

Usage: bench/vault.py [BUILD_DIR] [--runs N] [--kdf-memory MIB] [--kdf-ops N]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
import harness  # noqa: E402
from flood import env_for, proc_kib  # noqa: E402  (the same home and /proc readings)

PASS = "bench-passphrase-123"


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p / 100))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("build", nargs="?", default="build")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kdf-memory", type=int, default=256)
    ap.add_argument("--kdf-ops", type=int, default=3)
    a = ap.parse_args()
    growthd, growthctl = os.path.join(a.build, "growthd"), os.path.join(a.build, "growthctl")
    home = tempfile.mkdtemp(prefix="growth-bench-vault-")
    env = env_for(home)
    sock = os.path.join(env["XDG_RUNTIME_DIR"], "growth", "growthd.sock")

    def start():
        t0 = time.perf_counter()
        p = subprocess.Popen([growthd, "--foreground"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        harness.wait_for(lambda: harness.can_connect(sock), what="growthd")
        c = harness.RawClient(sock)
        c.result("daemon.ping")
        c.close()
        return p, time.perf_counter() - t0

    def ctl(*args, stdin=None):
        return subprocess.run([growthctl, *args], env=env, input=stdin, capture_output=True, text=True, check=True)

    p, first = start()
    starts = [first]
    ctl("vault", "rekey", "--passphrase", "--kdf-memory", str(a.kdf_memory), "--kdf-ops", str(a.kdf_ops),
        "--passphrase-fd", "0", stdin=PASS)
    rss_before = proc_kib(p.pid, "VmRSS")

    # Reference: ping round trips on a quiet daemon.
    client = harness.RawClient(sock)

    def pings(seconds):
        out, end = [], time.perf_counter() + seconds
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            client.result("daemon.ping")
            out.append((time.perf_counter() - t0) * 1000)
        return out

    quiet = pings(2.0)
    unlocks, busy, stop = [], [], threading.Event()

    def unlock_loop():
        for _ in range(a.runs):
            ctl("lock")
            t0 = time.perf_counter()
            ctl("unlock", "--passphrase-fd", "0", stdin=PASS)
            unlocks.append(time.perf_counter() - t0)
        stop.set()

    th = threading.Thread(target=unlock_loop)
    th.start()
    while not stop.is_set():
        busy.extend(pings(0.2))
    th.join()
    hwm = proc_kib(p.pid, "VmHWM")
    client.close()
    p.terminate()
    p.wait()
    # Reference for the unlock: growthd's start on a key-file vault.
    home2 = tempfile.mkdtemp(prefix="growth-bench-vault-ref-")
    env.update(env_for(home2))
    sock = os.path.join(env["XDG_RUNTIME_DIR"], "growth", "growthd.sock")
    for _ in range(a.runs):
        q, t = start()
        starts.append(t)
        q.terminate()
        q.wait()

    print(f"Argon2id cost: {a.kdf_ops} passes, {a.kdf_memory} MiB; {a.runs} runs; {os.cpu_count()} cores")
    print(f"{'figure':<34}{'growth':>14}{'reference':>14}  reference is")
    print(f"{'unlock (median, s)':<34}{statistics.median(unlocks):>14.3f}{statistics.median(starts[1:]):>14.3f}"
          "  growthd start, key-file vault")
    print(f"{'ping p50 during unlocks (ms)':<34}{pct(busy, 50):>14.3f}{pct(quiet, 50):>14.3f}  ping, nothing else")
    print(f"{'ping p99 during unlocks (ms)':<34}{pct(busy, 99):>14.3f}{pct(quiet, 99):>14.3f}  ping, nothing else")
    print(f"{'ping max during unlocks (ms)':<34}{max(busy):>14.3f}{max(quiet):>14.3f}  ping, nothing else")
    print(f"{'growthd memory (MiB)':<34}{hwm / 1024:>14.1f}{rss_before / 1024:>14.1f}  VmHWM after / VmRSS before")
    print(f"pings: {len(busy)} during unlocks, {len(quiet)} quiet")


if __name__ == "__main__":
    main()
