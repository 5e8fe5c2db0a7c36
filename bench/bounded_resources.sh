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

# ---- Hostile inputs (issue 20): peak memory and time of each, and what happened. ----------------------------
hostile=()
hrow() { hostile+=("| $1 | $2 | $3 | $4 | $5 |"); }
measure() {  # measure INPUT COMMAND... -> "MiB seconds exit" of COMMAND reading INPUT on stdin
  local input=$1; shift
  local code=0
  /usr/bin/time -f "%M %e" -o "$tmp/time" "$@" <"$input" >"$tmp/out" 2>"$tmp/stderr" || code=$?
  grep -v "^Command" "$tmp/time" | awk -v c="$code" '{printf "%.1f %.2f %d\n", $1/1024, $2, c}'
}
# 10 million tiny lines.
python3 -c "import sys; sys.stdout.write('hi\n' * 10000000)" >"$tmp/tiny10m"
read -r m t c < <(measure "$tmp/tiny10m" $bin langid)
hrow "10,000,000 lines of 2 bytes" "\`slimnlp langid\`" "none needed: streamed a line at a time, $(wc -l <"$tmp/out") answers (exit $c)" "$m" "$t"
read -r m t c < <(measure "$tmp/tiny10m" $bin segment --lang zh)
hrow "10,000,000 lines of 2 bytes" "\`slimnlp segment --lang zh\`" "none needed: streamed, $(wc -l <"$tmp/out") lines out (exit $c)" "$m" "$t"
# One sentence of 100,000 tokens (about 400 KiB, under the 1 MiB line cap).
python3 -c "import sys; sys.stdout.write('the cat ' * 50000 + '\n')" >"$tmp/tokens100k"
read -r m t c < <(measure "$tmp/tokens100k" $bin tag)
hrow "a sentence of 100,000 tokens" "\`slimnlp tag\`" "tagged in pieces of 1,000 tokens (TaggerOptions::max_sentence_tokens), context carried: $(tr ' ' '\n' <"$tmp/out" | grep -c /) tokens tagged (exit $c)" "$m" "$t"
read -r m t c < <(measure "$tmp/tokens100k" $bin annotate)
hrow "a sentence of 100,000 tokens" "\`slimnlp annotate\`" "the same through the pipeline (exit $c)" "$m" "$t"
# A zstd bomb: 1 GiB of one letter and no newline, a few KiB compressed, given as .zst input.
head -c 1073741824 /dev/zero | tr '\0' 'a' | zstd -q -19 -T1 -o "$tmp/bomb.txt.zst"
bomb_kib=$(( $(stat -c %s "$tmp/bomb.txt.zst") / 1024 ))
# A run with no token boundary longer than a piece is cut at the piece's end (it was once carried whole and
# segmented again with each piece: quadratic time). Every byte must come out; given an hour (the segmenter runs
# its network on every byte: about 0.5-1 MB/s on this machine).
read -r m t c < <(measure /dev/null timeout 3600 $bin segment --lang zh --file "$tmp/bomb.txt.zst")
done_bytes=$(tr -d ' \n' <"$tmp/out" | wc -c)
if [ "$c" = 124 ]; then
  outcome="stopped after 3600 s, $done_bytes of 1073741824 bytes segmented by then (memory flat)"
else
  outcome="streamed through a 1 MiB window (--piece-bytes), a run longer than a piece cut at its end: $done_bytes of 1073741824 bytes out, $(awk -v b="$done_bytes" -v t="$t" 'BEGIN {printf "%.2f", b / t / 1e6}') MB/s (exit $c)"
fi
hrow "1 GiB zstd bomb (${bomb_kib} KiB as .zst)" "\`slimnlp segment --file\`" "$outcome" "$m" "$t"
read -r m t c < <(measure /dev/null $bin index --input "$tmp/bomb.txt.zst" --format text --out "$tmp/bomb.index")
hrow "1 GiB zstd bomb (${bomb_kib} KiB as .zst)" "\`slimnlp index\`" "one line over the 16 MiB document cap: skipped and reported; then \"$(tail -1 "$tmp/stderr" | cut -c1-60)\" (exit $c)" "$m" "$t"
# An index of 0 documents: refused, nothing written.
: >"$tmp/empty.jsonl"
read -r m t c < <(measure /dev/null $bin index --input "$tmp/empty.jsonl" --out "$tmp/empty.index")
hrow "an index of 0 documents" "\`slimnlp index\`" "refused: \"$(cut -c1-60 "$tmp/stderr" | head -1)\" (exit $c), no file: $([ -e "$tmp/empty.index" ] && echo present || echo none)" "$m" "$t"
# 2 MiB of nested JSON: as a JSONL line to index, and as a request body.
python3 -c "import sys; sys.stdout.write('{\"text\": ' + '[' * (1 << 20) + ']' * (1 << 20) + '}\n')" >"$tmp/nested.jsonl"
read -r m t c < <(measure /dev/null $bin index --input "$tmp/nested.jsonl" --out "$tmp/nested.index")
hrow "2 MiB of nested JSON (1,048,576 levels)" "\`slimnlp index\`" "line skipped and reported: \"$(head -1 "$tmp/stderr" | sed "s|$tmp/||" | cut -c1-70)\" (exit $c)" "$m" "$t"
# The server with an index: a 100,000-term query and a 2 MiB nested body.
$bin index --input "$tmp/small.jsonl" --out "$tmp/small.index" 2>/dev/null >/dev/null
$bin serve --port 0 --access-log none --index "$tmp/small.index" 2>"$tmp/serve.err" &
server_pid=$!
port=""
for _ in $(seq 200); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.err" | head -1 | sed 's/.*://') && [ -n "$port" ] && break
  sleep 0.1
done
base_rss=$(server_rss)
python3 - "$port" >"$tmp/server_rows" <<'EOF'
import json, socket, sys, time
port = int(sys.argv[1])
def ask(path, body):
    s = socket.create_connection(("127.0.0.1", port))
    start = time.time()
    s.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body)
    s.settimeout(60)
    reply = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        reply += chunk
        head, _, rest = reply.partition(b"\r\n\r\n")
        if b"Content-Length:" in head and len(rest) >= int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0]):
            break
    s.close()
    return time.time() - start, reply.split(b"\r\n")[0].decode(), reply.partition(b"\r\n\r\n")[2][:70].decode(errors="replace")
words = ["cats", "mats", "document", "about"] + [f"w{i}" for i in range(99996)]
q = " ".join(words)
t, status, body = ask("/v1/search", json.dumps({"query": q, "k": 10}).encode())
print(f"query\t{len(q.encode())}\t{t:.2f}\t{status}")
nested = b'{"text": ' + b"[" * (1 << 20) + b"]" * (1 << 20) + b"}"
t, status, body = ask("/v1/annotate", nested)
print(f"nested\t{len(nested)}\t{t:.2f}\t{status}: {body}")
EOF
IFS=$'\t' read -r _ qbytes qt qstatus < <(grep ^query "$tmp/server_rows")
hrow "a query of 100,000 terms ($((qbytes / 1024)) KiB)" "\`slimnlp serve\` /v1/search" "no term cap: bounded by the 1 MiB text cap (--max-text-bytes); answered $qstatus" "peak $(server_rss) (was $base_rss)" "$qt"
IFS=$'\t' read -r _ nbytes nt nstatus < <(grep ^nested "$tmp/server_rows")
hrow "2 MiB of nested JSON as a request body" "\`slimnlp serve\` /v1/annotate" "$nstatus" "peak $(server_rss)" "$nt"
kill -TERM "$server_pid"; wait "$server_pid" || true; server_pid=""
# The CLI reads queries a line at a time, each capped at 64 KiB.
python3 -c "import sys; sys.stdout.write(' '.join(['cats'] + [f'w{i}' for i in range(99999)]) + '\n')" >"$tmp/query100k"
read -r m t c < <(measure /dev/null $bin search --index "$tmp/small.index" --file "$tmp/query100k")
hrow "a query of 100,000 terms" "\`slimnlp search --file\`" "query cut at 64 KiB and said so: \"$(head -1 "$tmp/stderr" | cut -c1-60)\" (exit $c)" "$m" "$t"

# 50 MB documents. Text of made-up words (syllables, Zipf-distributed ranks) so that the vocabulary is that of a
# real collection, not one sentence repeated: two documents of 50 MB among 1,000 small ones.
python3 - "$tmp" <<'EOF'
import itertools, json, random, sys
tmp = sys.argv[1]
syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
vocab = ["".join(random.Random(i).choices(syllables, k=1 + i % 4)) for i in range(50000)]
weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(vocab))))
def text(seed, n_bytes):
    rng = random.Random(seed)
    words, size = [], 0
    while size < n_bytes:
        chunk = rng.choices(vocab, cum_weights=weights, k=100000)
        words.extend(chunk)
        size += sum(len(w) + 1 for w in chunk)
    return " ".join(words)[:n_bytes]
small = [json.dumps({"id": str(i), "text": f"document {i} about cats and mats"}) for i in range(1000)]
big = [json.dumps({"id": f"big{j}", "title": f"big {j}", "text": text(j, 50 * 1000 * 1000)}) for j in range(2)]
open(f"{tmp}/docs50.jsonl", "w").write("\n".join(small[:500] + big[:1] + small[500:] + big[1:]) + "\n")
# 50 MB of lines for the line readers: sentences of seven languages, about 70 bytes a line.
sentences = ["The committee will publish its report on the new railway next week.",
             "Le conseil municipal a voté le budget de la bibliothèque hier soir.",
             "Die Regierung hat am Montag einen neuen Plan für die Schulen vorgestellt.",
             "El equipo jugará el próximo partido en la capital el domingo por la tarde.",
             "Il museo resterà chiuso per lavori fino alla fine del mese di giugno.",
             "De gemeente wil de oude haven omvormen tot een nieuw woongebied.",
             "O governo anunciou ontem novas medidas para apoiar os agricultores."]
rng = random.Random(1)
with open(f"{tmp}/lines50", "w") as f:
    size = 0
    while size < 50 * 1000 * 1000:
        line = rng.choice(sentences) + "\n"
        f.write(line)
        size += len(line.encode())
EOF
docs_mb=$(( $(stat -c %s "$tmp/docs50.jsonl") / 1000000 ))
read -r m t c < <(measure /dev/null $bin index --input "$tmp/docs50.jsonl" --out "$tmp/docs50-capped.index")
skipped=$(grep -c "longer than" "$tmp/stderr" || true)
hrow "two 50 MB documents among 1,000 small ones (${docs_mb} MB of JSONL)" "\`slimnlp index\`" "the 16 MiB document cap (--max-document-bytes): $skipped lines refused and reported as FILE:LINE, the other 1,000 indexed (exit $c)" "$m" "$t"
read -r m t c < <(measure /dev/null $bin index --input "$tmp/docs50.jsonl" --out "$tmp/docs50.index" --max-document-bytes 67108864)
hrow "the same, the cap raised to 64 MiB" "\`slimnlp index --max-document-bytes 67108864\`" "every document indexed: \"$(tail -1 "$tmp/stderr" | cut -c1-70)\", index $(( $(stat -c %s "$tmp/docs50.index") / 1000000 )) MB (exit $c)" "$m" "$t"
read -r m t c < <(measure /dev/null $bin search --index "$tmp/docs50.index" -k 10 "bavo de ki" "document cats")
hrow "2 queries over that index" "\`slimnlp search\`" "the 50 MB documents decompressed for their snippets; $(wc -l <"$tmp/out") results, $(grep -c 'big' "$tmp/out" || true) of them 50 MB documents (exit $c)" "$m" "$t"
read -r m t c < <(measure "$tmp/lines50" $bin langid)
hrow "50 MB of text in $(wc -l <"$tmp/lines50") lines" "\`slimnlp langid\`" "none needed: streamed a line at a time, $(wc -l <"$tmp/out") answers (exit $c)" "$m" "$t"
read -r m t c < <(measure "$tmp/lines50" $bin annotate)
hrow "50 MB of text in $(wc -l <"$tmp/lines50") lines" "\`slimnlp annotate\`" "none needed: streamed, $(wc -l <"$tmp/out") lines out (exit $c)" "$m" "$t"

# 500 connections at once against the default pool (max(64, 8 x cores) threads), each one POST /v1/langid.
$bin serve --port 0 --access-log none 2>"$tmp/serve.err" &
server_pid=$!
port=""
for _ in $(seq 200); do
  port=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/serve.err" | head -1 | sed 's/.*://') && [ -n "$port" ] && break
  sleep 0.1
done
IFS=$'\t' read -r n ok other failed all median worst rss threads < <(python3 bench/many_connections.py "$port" --clients 500 --server-pid "$server_pid")
hrow "500 connections at once, one request each (\`Connection: close\`)" "\`slimnlp serve\` /v1/langid" "$threads threads in the server: connections past the pool are accepted and wait in its queue; $ok of $n answered 200, $other other answers, $failed failed; median $median s, slowest $worst s" "peak $rss" "$all"
IFS=$'\t' read -r n ok other failed all median worst rss threads < <(python3 bench/many_connections.py "$port" --clients 500 --keep-alive --server-pid "$server_pid")
hrow "500 connections at once, one request each, kept open (keep-alive)" "\`slimnlp serve\` /v1/langid" "each open connection holds a pool thread until the 5 s idle keep-alive timeout, so they are answered in waves; $ok of $n answered 200, $other other answers, $failed failed; median $median s, slowest $worst s" "peak $rss" "$all"
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
  echo
  echo "Hostile inputs (issue 20), each once; the caps are listed in \`docs/limits.md\`. Peak MiB is max RSS; seconds"
  echo "are wall time on this shared machine."
  echo
  echo "| input | reader | cap, and what happened | peak MiB | seconds |"
  echo "| --- | --- | --- | ---: | ---: |"
  printf '%s\n' "${hostile[@]}"
  echo "<!-- bounded:end -->"
} >"$section"
python3 bench/update_results.py bench/RESULTS.md "$section" bounded
cat "$section"
