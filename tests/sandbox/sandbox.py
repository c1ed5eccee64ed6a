#!/usr/bin/env python3
"""growth publishing sandbox: fakes the X, LinkedIn, Facebook Pages, Instagram, Threads, Mastodon and
Bluesky publishing APIs on one loopback port (see README.md in this directory).

    python3 tests/sandbox/sandbox.py --port 0 --port-file F [--seed seed.json] [-v]
"""

import argparse
import json
import os
import signal
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sbx.control import apply_config, seed_accounts  # noqa: E402
from sbx.server import SandboxServer  # noqa: E402


def fail(message):
    sys.stderr.write("sandbox: error: %s\n" % message)
    sys.exit(2)


def parse_args(argv):
    p = argparse.ArgumentParser(prog="sandbox.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one (default)")
    p.add_argument("--port-file", help="write the chosen port (decimal, newline) to this file once listening")
    p.add_argument("--seed", help="JSON file with {\"accounts\": [...], \"config\": {...}, \"faults\": [...]}")
    p.add_argument("--account", action="append", default=[], metavar="PLATFORM:USERNAME[:SECRET]",
                   help="add an account (SECRET = token, or app password for bluesky); repeatable")
    p.add_argument("--no-quotas", action="store_true", help="report rate-limit headers but never refuse")
    p.add_argument("-v", "--verbose", action="store_true", help="log one line per request to stderr")
    return p.parse_args(argv)


def load_seed(server, path):
    try:
        with open(path, encoding="utf-8") as f:
            seed = json.load(f)
    except OSError as e:
        fail("cannot read seed %s: %s" % (path, e.strerror))
    except ValueError as e:
        fail("seed %s is not valid JSON: %s" % (path, e))
    if not isinstance(seed, dict):
        fail("seed %s: expected a JSON object" % path)
    unknown = sorted(set(seed) - {"accounts", "config", "faults"})
    if unknown:
        fail("seed %s: unknown key(s): %s" % (path, ", ".join(unknown)))
    try:
        seed_accounts(server.state, seed.get("accounts", []))
    except ValueError as e:
        fail("seed %s: %s" % (path, e))
    problem = apply_config(server.state, seed.get("config", {}))
    if problem:
        fail("seed %s: config: %s" % (path, problem))
    for i, spec in enumerate(seed.get("faults", [])):
        problem = server.control.check_fault(spec)
        if problem:
            fail("seed %s: fault %d: %s" % (path, i + 1, problem))
        server.state.add_fault(spec)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        server = SandboxServer((args.host, args.port), verbose=args.verbose)
    except OSError as e:
        fail("cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror))
    if args.seed:
        load_seed(server, args.seed)
    for spec in args.account:
        parts = spec.split(":", 2)
        if len(parts) < 2 or not parts[1]:
            fail("--account %r: expected PLATFORM:USERNAME[:SECRET]" % spec)
        fields = {"platform": parts[0], "username": parts[1]}
        if len(parts) == 3:
            fields["password" if parts[0] == "bluesky" else "token"] = parts[2]
        try:
            seed_accounts(server.state, [fields])
        except ValueError as e:
            fail("--account %r: %s" % (spec, e))
    if args.no_quotas:
        server.state.config["quotas"] = False

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write("%d\n" % server.server_address[1])
        os.replace(tmp, args.port_file)
    print("growth sandbox listening on %s" % server.state.base_url, flush=True)
    try:
        server.serve_forever(poll_interval=0.05)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
