#!/usr/bin/env bash
# Soak test of the HTTP service: sustained load for a long time while watching the server's memory, threads
# and file descriptors, to catch leaks, growth and errors that a 10-second benchmark misses.
#
#   bash bench/server_soak.sh [DURATION_SECONDS]      (default 300; needs ../shared/data; scratch in /tmp/server_soak)
#   CONNS=16 THREADS=16 WORK=/tmp/server_soak bash bench/server_soak.sh 300     (the defaults)
#   SLIMNLP_BIN=/path/to/slimnlp [SLIMNLP_BIN_NOTE=...] bash bench/server_soak.sh   (that binary, no build)
#
# What it does: installs wrk if missing, builds, makes the bodies (bench/peers/server/make_bodies.py: 20,000
# langid test sentences, 3,533 UD English/French/Chinese test sentences), starts
# `slimnlp serve --port 0 --access-log none --threads $THREADS`, then runs ONE wrk run of DURATION seconds at
# CONNS connections (2 wrk threads) with bench/peers/server/post.lua sending /v1/langid and /v1/annotate bodies
# interleaved 1:1, round robin over all of them. Every 5 s it samples the server's VmRSS and Threads
# (/proc/PID/status) and its open file descriptors (/proc/PID/fd). After the run it waits 10 s idle, samples
# once more, and reads /metrics (answers by status, requests in flight).
# Reports: total requests, req/s, p50/p99, non-2xx and socket errors (both must be 0), RSS at start (ready,
# before any load), after warm-up (the first sample at 60 s or later), at the end, idle after the run, and the
# maximum; memory is called flat when the end RSS is within 10% of the after-warm-up RSS. Writes the "soak"
# subsection (markdown) to $OUT (default $WORK/soak.md) and prints it; the samples go to $WORK/samples.tsv.
# Exit 1 if errors happened, memory was not flat, or the server died.
#
# Why THREADS=16 by default: the server serves one keep-alive connection per pool thread; with the default pool
# (8 on this machine) and 16 busy connections, 8 of them wait for a thread and wrk counts timeouts (see the
# fairness probe of bench/server_bench.sh). The soak is about memory and errors under steady load, so every
# connection gets a thread. THREADS=0 gives the default pool.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/data"
[ -f "$data/langid/test.tsv.zst" ] && [ -d "$data/ud" ] || { echo "server_soak: $data is missing" >&2; exit 1; }
DURATION=${1:-300}
WORK=${WORK:-/tmp/server_soak} CONNS=${CONNS:-16} THREADS=${THREADS:-16}
OUT=${OUT:-$WORK/soak.md}
mkdir -p "$WORK"
source "$root/bench/peers/server/common.sh"
need_wrk
build_or_use_bin
python3 "$root/bench/peers/server/make_bodies.py" "$data" "$WORK"
lua="$root/bench/peers/server/post.lua"
trap 'kill "${sampler:-}" 2> /dev/null || true; stop_server' EXIT

thread_opt=()
[ "$THREADS" != 0 ] && thread_opt=(--threads "$THREADS")
start_server "$WORK/server.log" "${thread_opt[@]}"
url="http://127.0.0.1:$SERVER_PORT"
samples="$WORK/samples.tsv"
sample() {  # seconds-since-start rss_kib threads fds
  echo "$1 $(server_rss_kib) $(awk '/^Threads:/{print $2}' "/proc/$SERVER_PID/status") $(ls "/proc/$SERVER_PID/fd" | wc -l)"
}
echo "t_s rss_kib threads fds" > "$samples"
sample 0 >> "$samples"
rss_start=$(server_rss_kib)
start=$(date +%s)
(
  while sleep 5; do
    kill -0 "$SERVER_PID" 2> /dev/null || exit 0
    sample $(( $(date +%s) - start )) >> "$samples"
  done
) &
sampler=$!

echo "server_soak: $DURATION s of wrk at $CONNS connections against $url (pid $SERVER_PID)" >&2
wrk_out=$(BODIES="/v1/langid=$WORK/langid.bodies,/v1/annotate=$WORK/annotate.bodies" \
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$lua" "$url")
echo "$wrk_out" > "$WORK/wrk.txt"
kill "$sampler" 2> /dev/null || true
wait "$sampler" 2> /dev/null || true
sample "$(( $(date +%s) - start ))" >> "$samples"   # the end of the load
end_line=$(tail -1 "$samples")
sleep 10
alive=yes
kill -0 "$SERVER_PID" 2> /dev/null || alive=no
idle_line=$( [ $alive = yes ] && sample "$(( $(date +%s) - start ))" || echo "- - - -")
hwm=$(awk '/^VmHWM:/{print $2}' "/proc/$SERVER_PID/status" 2> /dev/null || echo 0)
curl -s "$url/metrics" > "$WORK/metrics.txt" || true
health=$(curl -s -o /dev/null -w '%{http_code}' "$url/healthz" || true)
stop_server

status=0
python3 - "$WORK" "$DURATION" "$CONNS" "$THREADS" "$rss_start" "$end_line" "$idle_line" "$hwm" "$alive" "$health" \
  "$(describe_bin)" > "$OUT" <<'EOF' || status=$?
import os, re, sys, time
work, duration, conns, threads, rss_start, end_line, idle_line, hwm, alive, health, binary = sys.argv[1:12]
res = dict(kv.split("=", 1) for kv in open(os.path.join(work, "wrk.txt")).read().split("RESULT", 1)[1].split())
rows = [l.split() for l in open(os.path.join(work, "samples.tsv")).read().splitlines()[1:]]
rows = [(int(t), int(r), int(th), int(fd)) for t, r, th, fd in rows]
warm = next((r for r in rows if r[0] >= 60), rows[-1])
end = tuple(int(x) for x in end_line.split())
idle = idle_line.split()
mx = max(r[1] for r in rows)
flat = abs(end[1] - warm[1]) <= 0.10 * warm[1]
metrics = open(os.path.join(work, "metrics.txt")).read()
codes = {}
for route, code, n in re.findall(r'slimnlp_http_requests_total\{route="([^"]+)",code="(\d+)"\} (\d+)', metrics):
    if route.startswith("/v1/"):
        codes[code] = codes.get(code, 0) + int(n)
inflight = re.search(r"slimnlp_http_requests_in_flight (-?\d+)", metrics)
sock = sum(int(res[k]) for k in ("connect", "read", "write", "timeout"))
mib = lambda kib: f"{int(kib) / 1024:.1f}"
p = print
p("### Soak (`bench/server_soak.sh`)")
p()
p(f"Command: `bash bench/server_soak.sh {duration}` ({time.strftime('%Y-%m-%d', time.gmtime())}). Binary: {binary}.")
p()
p(f"One wrk run of {duration} s, {conns} connections, 2 wrk threads, "
  f"/v1/langid and /v1/annotate bodies interleaved 1:1 (the load subsection's data, round robin);")
p(f"server `slimnlp serve --port 0 --access-log none{' --threads ' + threads if threads != '0' else ''}`. "
  "VmRSS, threads and open fds sampled every 5 s from /proc.")
p()
p("| measure | value |")
p("| --- | ---: |")
p(f"| requests | {int(res['requests'])} ({float(res['rps']):.0f} req/s) |")
p(f"| latency p50 / p99 / max (ms) | {float(res['p50_ms']):.2f} / {float(res['p99_ms']):.2f} / {float(res['max_ms']):.0f} |")
p(f"| non-2xx (wrk) | {res['non2xx']} |")
p(f"| socket errors connect / read / write / timeout | {res['connect']} / {res['read']} / {res['write']} / {res['timeout']} |")
p(f"| answers by status, /v1/* (server's /metrics) | {', '.join(f'{c}: {n}' for c, n in sorted(codes.items()))} |")
p(f"| requests in flight after the run (/metrics, counting itself) | {inflight.group(1) if inflight else '?'} |")
p(f"| RSS at start (ready, no load yet) | {mib(rss_start)} MiB |")
p(f"| RSS after warm-up (t = {warm[0]} s) | {mib(warm[1])} MiB |")
p(f"| RSS at the end of the load (t = {end[0]} s) | {mib(end[1])} MiB |")
p(f"| RSS after 10 s idle | {mib(idle[1]) if idle[1] != '-' else '-'} MiB |")
p(f"| max RSS sampled / VmHWM | {mib(mx)} / {mib(hwm)} MiB |")
p(f"| end vs after warm-up | {100 * (end[1] - warm[1]) / warm[1]:+.1f}% -> {'flat (within 10%)' if flat else 'NOT flat'} |")
p(f"| threads (start / end), open fds (start / end / idle) | {rows[0][2]} / {end[2]}, {rows[0][3]} / {end[3]} / {idle[3]} |")
p(f"| alive after the run, /healthz | {alive}, {health} |")
p()
step = max(1, len(rows) // 12)
p("RSS over time (MiB): " + ", ".join(f"{t} s {r / 1024:.1f}" for t, r, _, _ in rows[::step] + ([rows[-1]] if (len(rows) - 1) % step else [])))
ok = flat and res["non2xx"] == "0" and sock == 0 and alive == "yes" and health == "200"
p()
p(f"Verdict: {'PASS' if ok else 'FAIL'} (errors {int(res['non2xx']) + sock}, memory {'flat' if flat else 'growing'}).")
sys.exit(0 if ok else 1)
EOF
cat "$OUT"
exit $status
