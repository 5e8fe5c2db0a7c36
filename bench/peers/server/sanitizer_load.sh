#!/usr/bin/env bash
# Concurrent load on a sanitizer build of `slimnlp serve` (ThreadSanitizer: data races between the pool's
# threads; AddressSanitizer + UBSan: memory errors under concurrency), then a clean SIGTERM; the server's
# stderr is searched for reports.
#   bash bench/peers/server/sanitizer_load.sh BINARY [SECONDS=30]
#   e.g. BINARY = build-tsan/slimnlp (tools/test.sh --sanitize builds it) or a -DSLIMNLP_SANITIZE=address,undefined build
# wrk: 16 connections, 2 threads, /v1/langid, /v1/annotate, /v1/segment and /v1/tag bodies interleaved, plus
# batch bodies; server --threads 16 (every connection served at once, the most sharing). Inputs are made by
# make_bodies.py in $WORK (default /tmp/server_sanitizer). Exit 1 on any sanitizer report or an unclean exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
bin=${1:?usage: sanitizer_load.sh BINARY [SECONDS]}
secs=${2:-30}
WORK=${WORK:-/tmp/server_sanitizer}
mkdir -p "$WORK"
source "$root/bench/peers/server/common.sh"
need_wrk
[ -f "$WORK/langid.bodies" ] || python3 "$root/bench/peers/server/make_bodies.py" "$root/../shared/data" "$WORK"
# segment and tag bodies: the annotate texts with a language to force the model path
python3 - "$WORK" <<'EOF'
import json, sys
w = sys.argv[1]
texts = [json.loads(l)["text"] for l in open(f"{w}/annotate.bodies", encoding="utf-8")]
with open(f"{w}/segment.bodies", "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"text": t}, ensure_ascii=False) + "\n")
with open(f"{w}/tag.bodies", "w", encoding="utf-8") as f:
    for t in texts:
        f.write(json.dumps({"tokens": t.split() or ["x"], "language": "en"}, ensure_ascii=False) + "\n")
EOF
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
SLIMNLP_BIN=$bin
trap stop_server EXIT
start_server "$WORK/server.log" --threads 16 --models "$root/models"
spec="/v1/langid=$WORK/langid.bodies,/v1/annotate=$WORK/annotate.bodies,/v1/segment=$WORK/segment.bodies"
spec="$spec,/v1/tag=$WORK/tag.bodies,/v1/langid=$WORK/langid_batch.bodies"
out=$(BODIES="$spec" wrk -t2 -c16 -d"${secs}s" --latency -s "$root/bench/peers/server/post.lua" "http://127.0.0.1:$SERVER_PORT")
result=$(grep '^RESULT' <<< "$out")
pid=$SERVER_PID
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
SERVER_PID=
reports=$(grep -cE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$WORK/server.log" || true)
echo "sanitizer_load: $bin, $secs s: $result; server exit $code on SIGTERM; sanitizer reports: $reports"
if [ "$reports" != 0 ] || [ "$code" != 0 ]; then
  grep -E -A12 "WARNING: ThreadSanitizer|ERROR: AddressSanitizer|runtime error:|ERROR: LeakSanitizer" "$WORK/server.log" | head -60
  exit 1
fi
