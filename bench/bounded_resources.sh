#!/usr/bin/env bash
# Bounded resources: each documented cap, fed input far past it, and the peak memory (max RSS, GNU time) of
# the process that reads it. Input 1 MiB and 200 MiB past a cap should cost the same memory.
#   bash bench/bounded_resources.sh          writes the "bounded" section of bench/RESULTS.md
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tools/build.sh >/dev/null
bin=build/slimnlp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null || true' EXIT

# One line of about N MiB: a sentence repeated.
line() {  # line MIB SENTENCE FILE
  python3 -c "import sys; s=sys.argv[2]; n=int(sys.argv[1])<<20; sys.stdout.write((s*(n//len(s.encode())+1))[:n//len(s.encode())*len(s)]+'\n')" "$1" "$2" >"$3"
}
line 1 "The cat sat on the mat. " "$tmp/en1"
line 200 "The cat sat on the mat. " "$tmp/en200"
line 1 "然而，這樣的處理也衍生了一些問題。" "$tmp/zh1"
line 200 "然而，這樣的處理也衍生了一些問題。" "$tmp/zh200"

rss() {  # rss INPUT COMMAND... -> max RSS in MiB of COMMAND reading INPUT on stdin (its output discarded)
  local input=$1; shift
  /usr/bin/time -f "%M" -o "$tmp/time" "$@" <"$input" >/dev/null 2>"$tmp/stderr" ||
    { echo "bounded: '$*' failed:" >&2; cat "$tmp/stderr" >&2; exit 1; }
  grep -v "^Command" "$tmp/time" | awk '{printf "%.1f", $1/1024}'
}
rows=()
row() { rows+=("| $1 | $2 | $3 | $4 | $5 |"); }
for cmd in "langid|64 KiB line (--max-line-bytes), rest of the line skipped and reported" \
           "tag|1 MiB line (--max-line-bytes), rest skipped and reported" \
           "annotate|1 MiB line (--max-line-bytes), rest skipped and reported"; do
  name=${cmd%%|*}; cap=${cmd#*|}
  a=$(rss "$tmp/en1" $bin "$name"); b=$(rss "$tmp/en200" $bin "$name")
  row "\`slimnlp $name\`" "$cap" "1 MiB line" "$a" "200 MiB line: $b"
done
a=$(rss "$tmp/zh1" $bin segment --lang zh); b=$(rss "$tmp/zh200" $bin segment --lang zh)
row "\`slimnlp segment\`" "none: read in pieces of 1 MiB (--piece-bytes), every byte segmented" "1 MiB line" "$a" "200 MiB line: $b"

# Index: documents over 16 MiB (IndexBuildOptions::max_document_bytes) are refused and reported.
python3 - "$tmp" <<'EOF'
import json, sys
tmp = sys.argv[1]
small = [json.dumps({"id": str(i), "text": f"document {i} about cats and mats"}) for i in range(1000)]
open(f"{tmp}/small.jsonl", "w").write("\n".join(small) + "\n")
big = json.dumps({"id": "big", "text": "word " * ((40 << 20) // 5)})
open(f"{tmp}/big.jsonl", "w").write("\n".join(small[:500] + [big] + small[500:]) + "\n")
EOF
a=$(rss /dev/null $bin index --input "$tmp/small.jsonl" --out "$tmp/small.index")
b=$(rss /dev/null $bin index --input "$tmp/big.jsonl" --out "$tmp/big.index")
grep -q "longer than" "$tmp/stderr" || grep -q "skipped" "$tmp/stderr" || { echo "bounded: index did not report the big document" >&2; cat "$tmp/stderr" >&2; exit 1; }
row "\`slimnlp index\`" "16 MiB document (max_document_bytes): refused, reported as FILE:LINE, the rest indexed" "1000 small documents" "$a" "same + one 40 MiB document: $b"

# Server: a body over --max-body is refused from its Content-Length, before it is read.
$bin serve --port 0 --access-log none 2>"$tmp/serve.err" &
server_pid=$!
port=""
for _ in $(seq 200); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.err" | head -1 | sed 's/.*://') && [ -n "$port" ] && break
  sleep 0.1
done
server_rss() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$server_pid/status"; }
python3 - "$port" <<'EOF'
import socket, sys
port = int(sys.argv[1])
def ask(body_len, send):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + f"Content-Length: {body_len}\r\n\r\n".encode())
    if send:
        s.sendall(send)
    s.settimeout(10)
    reply = s.recv(4096).split(b"\r\n")[0]
    s.close()
    return reply
text = ("The cat sat on the mat. " * 300000)[:7 << 20]
body = ('{"text": "' + text[:(1 << 20) + 100] + '"}').encode()
assert b"413" in ask(len(body), body), "1 MiB text over --max-text-bytes should be 413"
body = ('{"texts": [' + ",".join('"' + text[:60000] + '"' for _ in range(100)) + ']}').encode()
print("batch", ask(len(body), body).decode(), file=sys.stderr)
for _ in range(20):
    assert b"413" in ask(2 << 30, b""), "2 GiB Content-Length should be 413 before reading"
EOF
after=$(server_rss)
row "\`slimnlp serve\`" "8 MiB body (--max-body), 256 texts, 1 MiB per text: 413" "models loaded, then a 6 MiB batch and a 1 MiB text" "peak $after" "20 requests announcing 2 GiB bodies: peak $(server_rss)"
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""

section="$tmp/section.md"
{
  echo "<!-- bounded:begin -->"
  echo "## Bounded resources: input far past each cap, and peak memory"
  echo
  echo "Command: \`bash bench/bounded_resources.sh\` ($(date -u +%Y-%m-%d), $(nproc) cores). Peak memory is max RSS from"
  echo "GNU time (the server's from VmHWM), in MiB. The caps are documented in each command's \`--help\` and in"
  echo "\`docs/server.md\`; the tests named in the bad-input table check what happens past them."
  echo
  echo "| reader | cap and what happens past it | small input | peak MiB | far past the cap, peak MiB |"
  echo "| --- | --- | --- | ---: | --- |"
  printf '%s\n' "${rows[@]}"
  echo "<!-- bounded:end -->"
} >"$section"
python3 bench/update_results.py bench/RESULTS.md "$section" bounded
cat "$section"
