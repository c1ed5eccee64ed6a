#!/usr/bin/env bash
# Benchmarks for growthctl status and an idle growthd (figures, not a test):
#   1. whole-process time of `growthctl status` against a warm daemon, beside
#      `growthctl --version` (no daemon) and /bin/true: hyperfine medians over many runs;
#   2. the wire round trip alone (bench program status_roundtrip);
#   3. the daemon's RSS, CPU ticks and context switches (wake-ups) over an idle period.
# Usage: bench/status.sh [BUILD_DIR] [IDLE_SECONDS]   (defaults: build, 60)
# Targets from the issue: <= 2 ms round trip, <= 8 MiB RSS, no wake-ups when idle.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
idle=${2:-60}
runs=${GROWTH_BENCH_RUNS:-500}
ctl=$PWD/$build/growthctl
daemon=$PWD/$build/growthd
[ -x "$ctl" ] && [ -x "$daemon" ] || { echo "bench: build first (scripts/build, or pass BUILD_DIR)" >&2; exit 2; }

home=$(mktemp -d /tmp/growth-bench-XXXXXX)
export HOME=$home XDG_RUNTIME_DIR=$home/run XDG_DATA_HOME=$home/data XDG_CONFIG_HOME=$home/config
mkdir -m 700 "$XDG_RUNTIME_DIR"
unset GROWTH_SOCKET NOTIFY_SOCKET LISTEN_FDS LISTEN_PID JOURNAL_STREAM
cleanup() {
  "$ctl" --no-autostart rpc daemon.stop >/dev/null 2>&1 || true
  rm -rf "$home"
}
trap cleanup EXIT

"$daemon"  # goes to the background once it serves
pid=$(cat "$XDG_DATA_HOME/growth/growthd.lock")
socket=$XDG_RUNTIME_DIR/growth/growthd.sock
echo "growthd $("$daemon" --version | cut -d' ' -f2), pid $pid, $(nproc) CPUs, $(uname -r)"

echo
echo "== 1. whole-process time, median of $runs runs (hyperfine)"
if command -v hyperfine >/dev/null; then
  hyperfine -N --warmup 50 --runs "$runs" --export-json "$home/h.json" \
    "$ctl --no-autostart status" "$ctl --version" "/bin/true" >/dev/null 2>"$home/hyperfine.err" ||
    { cat "$home/hyperfine.err" >&2; exit 1; }
  python3 - "$home/h.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"  {r['command']:<60} median {r['median']*1000:7.3f} ms  mean {r['mean']*1000:7.3f} ms  "
          f"min {r['min']*1000:7.3f} ms")
PY
else
  echo "  hyperfine not installed; skipped"
fi

echo
echo "== 2. wire round trip without process start-up"
"$build/status_roundtrip" "$socket" 5000 | sed 's/^/  /'

echo
echo "== 3. idle daemon over ${idle}s"
read_stat() {  # utime+stime ticks, voluntary and involuntary context switches, RSS KiB
  local ticks vol invol rss
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  vol=$(awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
  invol=$(awk '/^nonvoluntary_ctxt_switches/ {print $2}' "/proc/$pid/status")
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$ticks $vol $invol $rss"
}
sleep 1  # let the benchmark connections settle
read -r t0 v0 i0 r0 < <(read_stat)
sleep "$idle"
read -r t1 v1 i1 r1 < <(read_stat)
echo "  RSS:              ${r0} KiB at start of idle, ${r1} KiB at end ($(awk "BEGIN{printf \"%.2f\", $r1/1024}") MiB)"
echo "  CPU ticks:        $((t1 - t0)) (clock ticks of $(getconf CLK_TCK)/s, user+system)"
echo "  context switches: $((v1 - v0)) voluntary, $((i1 - i0)) involuntary (wake-ups while idle)"
