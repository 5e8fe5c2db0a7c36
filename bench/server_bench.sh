#!/usr/bin/env bash
# Load benchmark of the HTTP service (`slimnlp serve`) with wrk, and the same work done by the CLI, so the
# cost of serving a request over HTTP is visible.
#
#   bash bench/server_bench.sh          (from anywhere; needs ../shared/data; ~9 minutes; scratch in /tmp/server_bench)
#   RUNS=3 DURATION=10 CONNS="1 4 16 64 256" WORK=/tmp/server_bench bash bench/server_bench.sh   (the defaults)
#   SLIMNLP_BIN=/path/to/slimnlp [SLIMNLP_BIN_NOTE="commit abc"] bash bench/server_bench.sh   (that binary, no build)
#
# What it does:
#  1. installs wrk (Debian package) if missing, builds (tools/build.sh), and makes the inputs with
#     bench/peers/server/make_bodies.py: 20,000 sentences sampled (seed 1) from langid test.tsv (106 languages)
#     for /v1/langid, and the 3,533 `# text` sentences of UD English-EWT, French-Sequoia, Chinese-GSDSimp and
#     Chinese-GSD test for /v1/annotate; one JSON body per text, plus {"texts": [100 texts]} batch bodies.
#  2. starts `build/slimnlp serve --port 0 --access-log none` (port parsed from its "listening on" line, then
#     waits for /readyz), and runs wrk with bench/peers/server/post.lua (POST, Content-Type: application/json,
#     bodies round robin) at each concurrency in CONNS (2 wrk threads; 1 when there is 1 connection), DURATION
#     seconds, RUNS times; medians of requests/s and of wrk's p50/p99 latency; non-2xx answers and socket
#     errors summed over the runs; the server's own CPU time per request from /proc/PID/stat. Done with the
#     default pool (--threads = max(64, 8 x cores)), then again with --threads = the largest of CONNS for the
#     concurrencies above the default pool.
#  3. a fairness probe (bench/peers/server/fairness.py): 16 keep-alive clients for 10 s on the default pool, and as
#     many clients as threads on the larger pool.
#  4. the CLI on the same texts in one process (`slimnlp langid` on stdin, `slimnlp annotate --format json`
#     on the annotate texts repeated to 21,198 lines), median of RUNS with hyperfine; and the per-process
#     start cost: one sentence given as an argument, hyperfine -N, 30 runs.
# Writes the "load" subsection (markdown) to $OUT (default $WORK/load.md) and prints it. It does not touch
# bench/RESULTS.md. Exit 1 if any answer was not 2xx or a socket read/write/connect error happened.
#
# The machine has 2 cores: wrk's 2 threads and the server share them, so the figures are a lower bound of
# what the server does on its own (its CPU time per request is given for that reason).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data="$root/../shared/data"
[ -f "$data/langid/test.tsv.zst" ] && [ -d "$data/ud" ] || { echo "server_bench: $data is missing" >&2; exit 1; }
WORK=${WORK:-/tmp/server_bench} RUNS=${RUNS:-3} DURATION=${DURATION:-10} CONNS=${CONNS:-"1 4 16 64 256"}
OUT=${OUT:-$WORK/load.md}
mkdir -p "$WORK"
source "$root/bench/peers/server/common.sh"
export SLIMNLP_MODELS=${SLIMNLP_MODELS:-$root/models}  # The CLI runs from $WORK: it must not look for ./models.
need_wrk
command -v hyperfine > /dev/null || apt-get install -y -qq hyperfine > /dev/null
build_or_use_bin
python3 "$root/bench/peers/server/make_bodies.py" "$data" "$WORK"
lua="$root/bench/peers/server/post.lua"
raw="$WORK/wrk_results.txt"
: > "$raw"
trap stop_server EXIT
tck=$(getconf CLK_TCK)

# run_wrk LABEL THREADS SPEC CONNS: one wrk run; appends "LABEL threads=T conns=C RESULT ... cpu_us=N" to $raw.
run_wrk() {
  local label=$1 threads=$2 spec=$3 conns=$4 wt=2
  [ "$conns" -lt 2 ] && wt=1
  local c0 c1 out
  c0=$(server_cpu_ticks)
  out=$(BODIES="$spec" wrk -t"$wt" -c"$conns" -d"${DURATION}s" --latency -s "$lua" "http://127.0.0.1:$SERVER_PORT")
  c1=$(server_cpu_ticks)
  echo "$label threads=$threads conns=$conns $(grep '^RESULT' <<< "$out") cpu_us=$(( (c1 - c0) * 1000000 / tck ))" | tee -a "$raw" >&2
}

langid_spec="/v1/langid=$WORK/langid.bodies"
annotate_spec="/v1/annotate=$WORK/annotate.bodies"
batch_spec="/v1/langid=$WORK/langid_batch.bodies"

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
start_server "$WORK/server.log"
default_threads=$(( $(nproc) * 8 > 64 ? $(nproc) * 8 : 64 ))
BODIES="$langid_spec,$annotate_spec" wrk -t2 -c4 -d3s -s "$lua" "http://127.0.0.1:$SERVER_PORT" > /dev/null  # warm-up
for run in $(seq 1 "$RUNS"); do
  for c in $CONNS; do
    run_wrk langid "$default_threads" "$langid_spec" "$c"
    run_wrk annotate "$default_threads" "$annotate_spec" "$c"
  done
  for c in 1 4; do run_wrk batch100 "$default_threads" "$batch_spec" "$c"; done
done
fair=$(python3 "$root/bench/peers/server/fairness.py" "http://127.0.0.1:$SERVER_PORT" --connections 16 --seconds 10)
echo "$fair" >&2
stop_server

big_conns=$(for c in $CONNS; do if [ "$c" -gt "$default_threads" ]; then echo "$c"; fi; done | tr '\n' ' ')
if [ -n "$big_conns" ]; then
  big_threads=$(echo $big_conns | tr ' ' '\n' | sort -n | tail -1)
  start_server "$WORK/server_big.log" --threads "$big_threads"
  BODIES="$langid_spec" wrk -t2 -c4 -d2s -s "$lua" "http://127.0.0.1:$SERVER_PORT" > /dev/null
  for run in $(seq 1 "$RUNS"); do
    for c in $big_conns; do
      run_wrk langid "$big_threads" "$langid_spec" "$c"
      run_wrk annotate "$big_threads" "$annotate_spec" "$c"
    done
  done
  fair_big=$(python3 "$root/bench/peers/server/fairness.py" "http://127.0.0.1:$SERVER_PORT" --connections "$big_threads" --seconds 10)
  echo "$fair_big" >&2
  stop_server
fi

# The CLI on the same texts, one process each; then the start cost of one process on one sentence.
cd "$WORK"
bin=${SLIMNLP_BIN:-$root/build/slimnlp}
hyperfine --runs "$RUNS" --warmup 1 --export-json cli_bulk.json \
  -n langid "$bin langid < langid.txt > /dev/null" \
  -n annotate "$bin annotate --format json --file annotate_cli.txt > /dev/null" > /dev/null
one=$(cat langid_one.txt)
hyperfine -N --runs 30 --warmup 3 --export-json cli_one.json \
  -n langid "$bin langid '$one'" -n annotate "$bin annotate --format json '$one'" > /dev/null

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB; wrk $({ wrk -v 2>&1 || true; } | head -1 | awk '{print $2}')"
python3 - "$raw" "$WORK" "$DURATION" "$RUNS" "$default_threads" "$fair" "${fair_big:-}" "${big_threads:-}" "$load_before" "$load_after" \
  "$(describe_bin)" "$machine" > "$OUT" <<'EOF'
import json, os, statistics, sys, subprocess
raw, work, duration, runs, default_threads, fair, fair_big, big_threads, load_before, load_after, binary, machine = sys.argv[1:13]
rows = {}
for line in open(raw):
    parts = line.split()
    d = dict(p.split("=", 1) for p in parts[1:] if "=" in p)
    rows.setdefault((parts[0], int(d["threads"]), int(d["conns"])), []).append(d)
med = lambda key, rs: statistics.median(float(r[key]) for r in rs)
tot = lambda key, rs: sum(int(r[key]) for r in rs)
lines = lambda f: sum(1 for _ in open(os.path.join(work, f), encoding="utf-8"))
bulk = {r["command"]: r for r in json.load(open(os.path.join(work, "cli_bulk.json")))["results"]}
one = {r["command"]: r for r in json.load(open(os.path.join(work, "cli_one.json")))["results"]}
n_langid, n_annot = lines("langid.txt"), lines("annotate_cli.txt")
cli = {"langid": (n_langid, bulk["langid"]), "annotate": (n_annot, bulk["annotate"])}

p = print
p("### Load (`bench/server_bench.sh`)")
p()
p(f"Command: `bash bench/server_bench.sh` ({__import__('time').strftime('%Y-%m-%d', __import__('time').gmtime())}). "
  f"Binary: {binary}. Machine: {machine}.")
p()
p(f"Requests/s and latency from wrk 4.1 (`bench/peers/server/post.lua`: POST, `Content-Type: application/json`,")
p(f"bodies sent round robin), {duration} s per run, 2 wrk threads (1 for 1 connection), median of {runs} runs;")
p(f"non-2xx and socket errors are summed over the {runs} runs. Server: `slimnlp serve --port 0 --access-log none`,")
p(f"default pool ({default_threads} threads = max(64, 8 x cores)) unless the row says otherwise (`--threads N`). `server CPU/req`:")
p("the server process's user+system CPU time (/proc/PID/stat) over the run divided by its requests.")
p("Data: /v1/langid: 20,000 sentences sampled (seed 1) from `../shared/data/langid` test.tsv, 106 languages, 178 bytes")
p("on average; /v1/annotate: the 3,533 `# text` sentences of UD English-EWT, French-Sequoia, Chinese-GSDSimp and")
p("Chinese-GSD test (81 bytes on average), interleaved; batch: `{\"texts\": [100 of the langid sentences]}`.")
p("**Caveat**: the machine has only 2 cores, and wrk's two threads compete with the server for them, so every")
p(f"figure is a lower bound of the server alone. Load average before / after the runs: {load_before} / {load_after}.")
p()
p("| endpoint | server threads | connections | req/s (runs) | req/s median | texts/s | p50 ms | p99 ms | max ms | non-2xx | socket errors (timeouts) | server CPU/req µs |")
p("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |")
order = {"langid": 0, "annotate": 1, "batch100": 2}
for key in sorted(rows, key=lambda k: (order.get(k[0], 9), k[1], k[2])):
    rs = rows[key]
    name, threads, conns = key
    rps = med("rps", rs)
    texts = rps * (100 if name == "batch100" else 1)
    sock = tot("connect", rs) + tot("read", rs) + tot("write", rs)
    cpu_req = statistics.median(int(r["cpu_us"]) / max(1, int(r["requests"])) for r in rs)
    runs_txt = " ".join("%.0f" % float(r["rps"]) for r in rs)
    ep = {"langid": "/v1/langid", "annotate": "/v1/annotate", "batch100": "/v1/langid batch of 100"}[name]
    p(f"| {ep} | {threads} | {conns} | {runs_txt} | {rps:.0f} | {texts:.0f} | "
      f"{med('p50_ms', rs):.2f} | {med('p99_ms', rs):.2f} | {max(float(r['max_ms']) for r in rs):.0f} | "
      f"{tot('non2xx', rs)} | {sock} ({tot('timeout', rs)}) | {cpu_req:.0f} |")
p()
p("wrk counts a timeout each 2 s a request stays unanswered (its default `--timeout 2s`); its latency percentiles")
p("cover only the requests that were answered, so at more connections than server threads they hide the waits")
p("(see the fairness probe).")
p()
p("Fairness probe (`bench/peers/server/fairness.py`, keep-alive clients sending /v1/langid back to back for 10 s;")
p("requests per client; starved = under a tenth of the median):")
p()
p("```")
p(f"default pool ({default_threads} threads), 16 clients: {fair}")
if fair_big:
    p(f"--threads {big_threads}, {big_threads} clients: {fair_big}")
p("```")
p()
p("The CLI on the same texts, one process (`hyperfine`, median of %s; wall time includes start-up and model load):" % runs)
p()
p("| command | texts | median s | texts/s | CPU µs/text |")
p("| --- | ---: | ---: | ---: | ---: |")
for name, (n, r) in cli.items():
    cmd = "slimnlp langid < langid.txt" if name == "langid" else "slimnlp annotate --format json --file annotate_cli.txt"
    p(f"| `{cmd}` | {n} | {r['median']:.3f} | {n / r['median']:.0f} | {(r['user'] + r['system']) / n * 1e6:.1f} |")
p()
p("Start cost of one process on one sentence (`hyperfine -N`, 30 runs, the sentence as an argument):")
p()
p("| command | median ms | mean ms | user+sys ms |")
p("| --- | ---: | ---: | ---: |")
for name, r in one.items():
    p(f"| `slimnlp {name}{' --format json' if name == 'annotate' else ''} '<French sentence>'` | {r['median'] * 1e3:.1f} | "
      f"{r['mean'] * 1e3:.1f} | {(r['user'] + r['system']) * 1e3:.1f} |")
p()
p("Ratios (server at the default pool):")
p()
for name in ("langid", "annotate"):
    n, r = cli[name]
    cli_tps = n / r["median"]
    c1 = rows.get((name, int(default_threads), 1))
    if not c1:
        continue
    rps1 = med("rps", c1)
    best = max((med("rps", rs), k[2]) for k, rs in rows.items() if k[0] == name and k[1] == int(default_threads))
    cli_cpu = (r["user"] + r["system"]) / n * 1e6
    srv_cpu = statistics.median(int(x["cpu_us"]) / max(1, int(x["requests"])) for x in c1)
    p(f"- {name}: 1 connection {rps1:.0f} req/s = {rps1 / cli_tps:.2f}x the CLI's {cli_tps:.0f} texts/s; "
      f"wall time per request {1e6 / rps1:.0f} µs vs {1e6 / cli_tps:.0f} µs per text in the CLI, so HTTP + JSON + "
      f"the round trip through wrk add about {1e6 / rps1 - 1e6 / cli_tps:.0f} µs; server CPU per request "
      f"{srv_cpu:.0f} µs vs CLI CPU per text {cli_cpu:.1f} µs. Best: {best[0]:.0f} req/s at {best[1]} connections "
      f"({best[0] / cli_tps:.2f}x the CLI). One CLI process per text would cost {one[name]['median'] * 1e3:.1f} ms, "
      f"{one[name]['median'] * rps1:.0f}x the server's time per request at 1 connection.")
b = [rs for k, rs in rows.items() if k[0] == "batch100"]
if b:
    best = max(med("rps", rs) * 100 for rs in b)
    n, r = cli["langid"]
    p(f"- langid batch of 100: up to {best:.0f} texts/s = {best / (n / r['median']):.2f}x the CLI in one process.")
EOF
cat "$OUT"
bad=$(awk '{for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] ~ /^(non2xx|connect|read|write)$/) s += kv[2] } } END {print s + 0}' "$raw")
if [ "$bad" != 0 ]; then
  echo "server_bench: $bad non-2xx answers or socket errors (see $raw)" >&2
  exit 1
fi
