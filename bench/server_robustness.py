#!/usr/bin/env python3
"""Robustness test of the HTTP service (`slimnlp serve`): thousands of malformed, hostile or broken requests,
then a check that the server still answers valid requests correctly. Python 3 standard library only.

  python3 bench/server_robustness.py                   starts build/slimnlp serve itself (see SERVER_FLAGS)
  python3 bench/server_robustness.py --binary /tmp/slimnlp-asan/slimnlp     the same, another build (e.g. ASan;
                                                       ASAN_OPTIONS/UBSAN_OPTIONS default to halt_on_error=1)
  python3 bench/server_robustness.py http://127.0.0.1:8080 --max-body 1048576 --max-text-bytes 65536 \\
      --max-batch 256 --read-timeout 2 --threads 8          a running server: tell the script its limits
  options: --count 5000 (about how many requests in all), --seed 1, --jobs 4 (requests in flight at once;
           1 to find which request crashed a server), --markdown FILE (summary as markdown),
           --skip-pool (leave out the slow-client pool test), --quiet

Started by the script, the server runs with: --port 0 --access-log none --max-body 1MiB --read-timeout 2
--max-text-bytes 65536 --threads 8 (and the default --max-batch 256); its stderr is kept and searched for
sanitizer reports and "terminate called" at the end, and it must stop cleanly (exit 0) on SIGTERM.

Classes of requests (each raw, over its own TCP connection, unless said otherwise):
  invalid_json, truncated_json, wrong_types, unknown_fields, invalid_utf8 (raw bytes in the body),
  lone_surrogates ("\\ud800" escapes), deep_nesting (100k-1M '[' or '{"a":'), huge_numbers, empty_body,
  over_max_body (2 MiB with Content-Length), chunked_over_max_body (the same sent with Transfer-Encoding:
  chunked, texts each under the text limit), content_length_lies (longer than the body then half-close or
  wait; shorter; negative; not a number; two different values), garbage_request_lines, bad_chunked,
  header_flood (10k and 200k headers, a 100 KB header), slowloris (a partial request, then silence),
  random_bytes (random bytes on the socket), mutations (random byte edits of valid bodies, sent to every
  POST endpoint; a quarter followed, after their answer, by a valid request on the same connection, which
  must get its right answer: no desynchronisation), pipelining (2-3 requests in one write, each must be
  answered), batch_over_limit, text_over_limit, methods_paths (wrong method, unknown path),
  slow_pool (as many clients as server threads each sending one header byte a second, i.e. never idle for
  --read-timeout; meanwhile GET /healthz from another client must be answered within 5 s).
Expected for every request: the server does not crash or hang, and answers 4xx (the class says which) with a
JSON body {"error": {"status": N, "message": "..."}}, or closes the connection where the request is not HTTP
at all; never 5xx, except 503 (deadline). Mutated bodies may also get 200 (the edit left them valid).
After all of them: the process is alive, GET /healthz is 200, POST /v1/langid on a French sentence says
"fr", /v1/annotate tags it, /metrics shows no 5xx and no request left in flight; a started server must then
exit 0 on SIGTERM. Prints a table (class, sent, statuses seen, unexpected) and the unexpected cases with the
exact request (shortened); exit status 1 if anything unexpected happened, else 0, except in the classes of
KNOWN_LIMITS: limits of cpp-httplib 0.11 that the server cannot mend (docs/server.md), still counted and
listed, under their own heading.
"""
import argparse
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER_FLAGS = ["--port", "0", "--access-log", "none", "--max-body", "1MiB", "--read-timeout", "2",
                "--max-text-bytes", "65536", "--threads", "8"]
POST_ENDPOINTS = ["/v1/langid", "/v1/segment", "/v1/tag", "/v1/annotate"]
# Classes whose failures are limits of Debian bookworm's cpp-httplib 0.11, documented in docs/server.md.
KNOWN_LIMITS = {
    "pipelining": "httplib 0.11 polls the socket before each request, not its own read buffer: a second request "
                  "that came in the same read waits out the keep-alive timeout",
    "slow_pool": "each keep-alive connection holds a pool thread until it closes; clients that trickle bytes "
                 "faster than --read-timeout hold them all",
}
FRENCH = "Je voudrais réserver une table pour deux personnes ce soir, s'il vous plaît."
SENTENCES = [
    FRENCH, "The quick brown fox jumps over the lazy dog near the river bank.",
    "我们明天下午三点在图书馆见面。", "Das Wetter ist heute wirklich schön, wir gehen spazieren.",
    "El gobierno anunció nuevas medidas económicas esta mañana.", "Привет, как у тебя дела сегодня?",
    "ذهبت إلى السوق لشراء بعض الفواكه.", "Emoji 😀 and tabs\tinside a text.", "", "12345 !!! ???",
]


# ----------------------------------------------------------------------------------------------- HTTP plumbing
class Reply:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body


def build(method, path, body=b"", headers=None, content_length=True, close=True, host="x"):
    """An HTTP/1.1 request as bytes. headers: list of (name, value) added after Host."""
    h = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if body or content_length:
        h.append("Content-Type: application/json")
    for k, v in headers or []:
        h.append(f"{k}: {v}")
    if content_length:
        h.append(f"Content-Length: {len(body)}")
    if close:
        h.append("Connection: close")
    return ("\r\n".join(h) + "\r\n\r\n").encode("latin-1") + body


def post(path, body, **kw):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return build("POST", path, body, **kw)


def read_replies(sock, want, deadline):
    """Reads up to `want` responses. Returns (replies, end) with end in ok/closed/reset/timeout/garbled."""
    buf, out = b"", []
    while True:
        while len(out) < want:
            i = buf.find(b"\r\n\r\n")
            if i < 0:
                break
            lines = buf[:i].decode("latin-1").split("\r\n")
            m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
            if not m:
                return out, "garbled"
            headers = {}
            for line in lines[1:]:
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            n = int(headers.get("content-length", "0"))
            if len(buf) < i + 4 + n:
                break
            out.append(Reply(int(m.group(1)), headers, buf[i + 4:i + 4 + n]))
            buf = buf[i + 4 + n:]
        if len(out) >= want:
            return out, "ok"
        left = deadline - time.monotonic()
        if left <= 0:
            return out, "timeout"
        sock.settimeout(left)
        try:
            d = sock.recv(1 << 16)
        except socket.timeout:
            return out, "timeout"
        except ConnectionResetError:
            return out, "reset"
        except OSError:
            return out, "reset"
        if not d:
            return out, "closed"
        buf += d


def exchange(addr, data, timeout=10.0, want=1, shut_wr=False, pieces=None, pause=0.0, then=None):
    """Sends `data` (or `pieces` with `pause` seconds between them) on a new connection and reads replies.
    then: a second request sent on the same connection after the first reply, unless the server closes it
    (said "Connection: close" or closed); its reply is added to the list."""
    t0 = time.monotonic()
    try:
        sock = socket.create_connection(addr, timeout=timeout)
    except OSError as e:
        return [], f"connect-failed {e}", 0.0
    try:
        try:
            for i, p in enumerate(pieces if pieces is not None else [data]):
                if i and pause:
                    time.sleep(pause)
                sock.sendall(p)
            if shut_wr:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # The server may answer and close before reading everything (413): read what it said.
        replies, end = read_replies(sock, want, time.monotonic() + timeout)
        if then is not None and end == "ok" and replies[-1].headers.get("connection", "").lower() != "close":
            try:
                sock.sendall(then)
                more, end = read_replies(sock, 1, time.monotonic() + timeout)
                replies += more
            except OSError:
                end = "reset"
        return replies, end, time.monotonic() - t0
    finally:
        sock.close()


# ----------------------------------------------------------------------------------------------- the cases
class Case:
    """One request. allowed: labels accepted for the first reply: 'NNN' exact, '4xx', 'closed' (connection
    closed or reset with no reply), 'any-2xx-4xx'. follow: a valid langid request pipelined after it, whose reply
    (if the server kept the connection open) must say 'fr'."""

    def __init__(self, cls, data, allowed, timeout=10.0, shut_wr=False, follow=False, pieces=None, pause=0.0,
                 note="", hidden=False, want=0):
        self.cls, self.data, self.allowed, self.timeout = cls, data, set(allowed), timeout
        self.hidden = hidden  # data hides a second request (in an over-limit body) that must not be answered
        self.want = want  # data holds this many pipelined requests, each to be answered in order
        self.shut_wr, self.follow, self.pieces, self.pause, self.note = shut_wr, follow, pieces, pause, note


def label_ok(label, status, allowed):
    if label in allowed:
        return True
    if status is not None:
        if "4xx" in allowed and 400 <= status < 500:
            return True
        if "any-2xx-4xx" in allowed and (200 <= status < 300 or 400 <= status < 500):
            return True
        if status == 503:  # A deadline is always an acceptable answer.
            return True
    return False


def error_body_ok(reply):
    """Every error must carry {"error": {"status": N, "message": "..."}} as JSON."""
    try:
        j = json.loads(reply.body)
        e = j["error"]
        return (e["status"] == reply.status and isinstance(e["message"], str) and e["message"]
                and reply.headers.get("content-type", "").startswith("application/json"))
    except (ValueError, KeyError, TypeError):
        return False


class Tester:
    def __init__(self, addr, limits, rng, quiet):
        self.addr, self.limits, self.rng, self.quiet = addr, limits, rng, quiet
        self.stats = {}  # class -> {"sent": n, "labels": {label: n}, "bad": [(why, case)]}
        self.proc = None
        self.lock = threading.Lock()

    def record(self, cls, label, why, case, secs=0.0):
        with self.lock:
            s = self.stats.setdefault(cls, {"sent": 0, "labels": {}, "bad": [], "secs": 0.0})
            s["sent"] += 1
            s["secs"] += secs
            s["labels"][label] = s["labels"].get(label, 0) + 1
            if why:
                s["bad"].append((why, case))

    def run(self, case):
        want = case.want or (2 if case.hidden else 1)
        then = post("/v1/langid", json.dumps({"text": FRENCH}), close=True) if case.follow else None
        replies, end, secs = exchange(self.addr, case.data, case.timeout, want, case.shut_wr, case.pieces,
                                      case.pause, then)
        first = replies[0] if replies else None
        label = str(first.status) if first else ("closed" if end in ("closed", "reset") else end)
        why = ""
        if not label_ok(label, first.status if first else None, case.allowed):
            why = f"got {label}, expected {'/'.join(sorted(case.allowed))}"
        elif first and first.status >= 400 and not error_body_ok(first):
            why = f"{first.status} without a JSON error body: {first.body[:120]!r}"
        elif first and 200 <= first.status < 300:
            try:
                json.loads(first.body)
            except ValueError:
                why = f"200 with a body that is not JSON: {first.body[:120]!r}"
        if not why and case.hidden and len(replies) >= 2:
            why = f"answered the request hidden in the over-limit body: {replies[1].status} {replies[1].body[:80]!r}"
        if not why and case.follow and first:
            closing = first.headers.get("connection", "").lower() == "close"
            if len(replies) >= 2:
                try:
                    lang = json.loads(replies[1].body).get("language")
                except ValueError:
                    lang = None
                if replies[1].status != 200 or lang != "fr":
                    why = f"desync: the valid request after it got {replies[1].status} {replies[1].body[:100]!r}"
            elif not closing and end not in ("closed", "reset"):
                why = f"the valid request sent after it on the same connection got no answer ({end})"
        if not why and case.want and len(replies) < case.want:
            why = f"{len(replies)} answers to {case.want} pipelined requests ({end} after {secs:.1f} s)"
        if self.proc is not None and self.proc.poll() is not None:
            why = (why + "; " if why else "") + f"SERVER DIED (exit {self.proc.returncode})"
        self.record(case.cls, label, why, case, secs)
        return why

    def alive(self):
        replies, end, _ = exchange(self.addr, build("GET", "/healthz", content_length=False), 10.0)
        return bool(replies) and replies[0].status == 200


def json_bytes(o):
    return json.dumps(o, ensure_ascii=False).encode("utf-8")


def gen_cases(L, rng, count):
    """All the cases but slow_pool, in a fixed order for a given seed. L: the server's limits."""
    cases = []
    add = cases.append
    eps = POST_ENDPOINTS

    # invalid_json
    invalid = [b"{", b"}", b"[", b"nul", b"tru", b"{'text': 'x'}", b'{"text": }', b'{"text" "a"}', b'{"text": "a",}',
               b'{"text": "a"', b'{text: "a"}', b'{"text": "a"}}', b'{"text": "a"} x', b'{"text": "a\\x"}',
               b'{"text": "\\u12"}', b'{"text": "\\uZZZZ"}', b'{"text": "a\nb"}', b'{"text": "\x01"}', b'{"text": NaN}',
               b'{"text": Infinity}', b'{"text": "a"}\x00', b'{"text": "a"}\x00{"text": 5}', b"//c\n{}", b"/* */{}",
               b'{"text": 01}', b'{"text": .5}', b'{"text": -}', b'{"text": 1.}', b'{"text": 1e}', b'{"": }', b",",
               b":", b'"', b'{"text": "a" "b"}', b'{"text": ["a",]}', b'{"texts": ["a" "b"]}', b"\x00\x00\x00\x00",
               b"{" * 3 + b"}" * 2, b'{"text": "a"}' * 2, b"<xml/>", b"text=hello"]
    for i in range(max(len(invalid) * 2, count // 15)):
        add(Case("invalid_json", post(rng.choice(eps), invalid[i % len(invalid)]), ["400"]))
    for ep in eps:  # a UTF-8 byte order mark before the JSON: RFC 8259 lets a parser ignore it, or refuse it
        add(Case("invalid_json", post(ep, b'\xef\xbb\xbf{"text": "a"}'), ["200", "400"], note="byte order mark"))

    # truncated_json: a valid body cut short
    for i in range(count // 15):
        body = json_bytes(rng.choice([{"text": rng.choice(SENTENCES)}, {"texts": rng.sample(SENTENCES, 3)},
                                      {"text": rng.choice(SENTENCES), "language": "fr"}]))
        add(Case("truncated_json", post(rng.choice(eps), body[:rng.randrange(0, len(body))]), ["400"]))

    # wrong_types
    wrong = [{"text": 5}, {"text": None}, {"text": True}, {"text": ["a"]}, {"text": {"a": "b"}}, {"text": 1.5},
             {"texts": "x"}, {"texts": [1, 2]}, {"texts": [None]}, {"texts": ["a", 3]}, {"texts": [["a"]]},
             {"texts": {"a": "b"}}, {"texts": 5}, {"text": "a", "texts": ["b"]}, {}, [], "text", 5, None, True,
             [{"text": "a"}], {"text": "a", "top_k": "3"}, {"text": "a", "top_k": 0}, {"text": "a", "top_k": -1},
             {"text": "a", "top_k": 21}, {"text": "a", "top_k": 2.5}, {"text": "a", "language": 5},
             {"text": "a", "language": ""}, {"text": "a", "language": None}, {"tokens": "x", "language": "en"},
             {"tokens": [], "language": "en"}, {"tokens": [""], "language": "en"}, {"tokens": [5], "language": "en"},
             {"tokens": ["a"]}, {"tokens": ["a"], "text": "a", "language": "en"}, {"tokens": ["a"], "language": "zz"},
             {"text": "a", "language": "zz"}]
    per_ep = {"/v1/langid": [w for w in wrong if not (isinstance(w, dict) and ("language" in w or "tokens" in w))],
              "/v1/segment": [w for w in wrong if not (isinstance(w, dict) and ("top_k" in w or "tokens" in w or
                                                                                 w.get("language") == "zz"))],
              "/v1/tag": [w for w in wrong if not (isinstance(w, dict) and "top_k" in w)],
              "/v1/annotate": [w for w in wrong if not (isinstance(w, dict) and ("top_k" in w or "tokens" in w or
                                                                                  w.get("language") == "zz"))]}
    n = 0
    while n < count // 15:
        for ep, ws in per_ep.items():
            for w in ws:
                add(Case("wrong_types", post(ep, json_bytes(w)), ["400"]))
                n += 1
    # unknown_fields
    unknown = ["foo", "Text", "TEXT", "text ", "txt", "lang", "languages", "", "\u00e9", "top-k", "__proto__", "texts2"]
    for i in range(count // 25):
        ep = rng.choice(eps)
        body = {"text": rng.choice(SENTENCES), rng.choice(unknown): rng.choice([1, "x", None, [], {}])}
        add(Case("unknown_fields", post(ep, json_bytes(body)), ["400"]))

    # invalid_utf8: raw invalid bytes inside a JSON string
    bad_utf8 = [b"\xff", b"\xfe", b"\xc0\xaf", b"\xe0\x80\xaf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xf4\x90\x80\x80",
                b"\xf8\x88\x80\x80\x80", b"\xc3", b"\xe2\x82", b"\x80", b"\xbf", b"\xc3\x28", b"\xf0\x9f\x98"]
    for i in range(count // 15):
        s = rng.choice(SENTENCES).encode()
        k = rng.randrange(0, len(s) + 1)
        key = rng.choice([b"text", b"texts"])
        inner = s[:k] + rng.choice(bad_utf8) + s[k:]
        body = b'{"' + key + b'": ' + (b'"' + inner + b'"' if key == b"text" else b'["' + inner + b'"]') + b"}"
        add(Case("invalid_utf8", post(rng.choice(eps), body), ["400"]))
    for bad in bad_utf8:  # invalid bytes outside strings, and in the key
        add(Case("invalid_utf8", post(rng.choice(eps), b'{"te' + bad + b'xt": "a"}'), ["400"]))
        add(Case("invalid_utf8", post(rng.choice(eps), bad + b'{"text": "a"}'), ["400"]))

    # lone_surrogates
    sur = [r"\ud800", r"\udbff", r"\udc00", r"\udfff", r"\ud800\u0041", r"\ud800\ud800", r"\udc00\ud800",
           r"\ud83d", r"\ude00\ud83d", r"a\ud800b"]
    for i in range(count // 40):
        s = sur[i % len(sur)]
        body = rng.choice(['{"text": "%s"}', '{"texts": ["ok", "%s"]}', '{"text": "x", "la%sng": 1}']) % s
        add(Case("lone_surrogates", post(rng.choice(eps), body.encode()), ["400"]))
    for ep in eps:  # a valid pair is fine (control)
        add(Case("lone_surrogates", post(ep, rb'{"text": "smile \ud83d\ude00 ok"}'), ["200"],
                 note="valid surrogate pair (control)"))

    # deep_nesting (all within the 1 MiB body limit)
    deep = [b"[" * 100000, b"[" * 100000 + b"]" * 100000, b"[" * 500000 + b"]" * 500000,
            b'{"a":' * 100000 + b"1" + b"}" * 100000, b'{"text": ' + b"[" * 100000 + b"]" * 100000 + b"}",
            b'{"texts": ' + b"[" * 100000 + b"]" * 100000 + b"}", b'{"text": "a", "x": ' + b"[" * 200000 + b"]" * 200000 + b"}",
            b"{" * 100000, b'{"texts": [' + b"[" * 300000, b"[{" * 100000]
    for body in deep:
        for ep in eps:
            add(Case("deep_nesting", post(ep, body), ["400"], timeout=30))

    # huge_numbers
    nums = [b"1e999", b"-1e999", b"1e-999", b"99999999999999999999999999999", b"-99999999999999999999",
            b"1" * 100000, b"0." + b"1" * 100000, b"1e" + b"9" * 1000, b"18446744073709551616", b"-0", b"4.9e-324"]
    for v in nums:
        for tmpl in (b'{"text": "a", "top_k": %s}', b'{"text": %s}', b'{"texts": [%s]}', b"%s",
                     b'{"text": "a", "x": %s}'):
            add(Case("huge_numbers", post("/v1/langid", tmpl.replace(b"%s", v)), ["400"]))

    # empty_body
    for ep in eps + ["/v1/search"]:
        add(Case("empty_body", build("POST", ep, b""), ["4xx"]))
        add(Case("empty_body", build("POST", ep, b" \r\n\t "), ["4xx"]))
    # POST without Content-Length: the server may wait for the body until --read-timeout, then answer 4xx or close.
    for ep in eps[:2]:
        add(Case("empty_body", build("POST", ep, b"", content_length=False), ["4xx", "closed"],
                 timeout=L.read_timeout + 8, note="POST with no Content-Length and no body"))

    # over_max_body: Content-Length over --max-body
    big_text = "a" * (L.max_body + 1)
    for ep in eps:
        add(Case("over_max_body", post(ep, json_bytes({"text": big_text})), ["413", "closed"], timeout=30))
        add(Case("over_max_body", post(ep, b" " * (2 << 20)), ["413", "closed"], timeout=30))
        # Its unread body must not be taken for requests: a request hidden in it must not be answered.
        smuggled = build("GET", "/v1/models", content_length=False, close=False)
        add(Case("over_max_body", post(ep, smuggled + b" " * (2 << 20), close=False), ["413", "closed"], timeout=12,
                 note="2 MiB body starting with a GET request", hidden=True))
    # chunked_over_max_body: the same size sent with Transfer-Encoding: chunked, texts each under the text limit
    def chunked(body, size=65536):
        return b"".join(b"%x\r\n" % len(body[i:i + size]) + body[i:i + size] + b"\r\n"
                        for i in range(0, len(body), size)) + b"0\r\n\r\n"
    per = max(1, min(L.max_text_bytes, 60000) - 10)
    items = min(L.max_batch, (2 * L.max_body) // per + 1)
    body = json_bytes({"texts": ["a" * per] * items})
    for ep in eps:
        req = build("POST", ep, b"", headers=[("Transfer-Encoding", "chunked")], content_length=False) + chunked(body)
        add(Case("chunked_over_max_body", req, ["413", "411", "closed"], timeout=30,
                 note=f"{len(body)} bytes chunked, {items} texts of {per} bytes"))

    # content_length_lies
    ok_body = json_bytes({"text": FRENCH})
    for ep in eps:
        for extra in (1, 10, 1000, 1 << 20):
            head = build("POST", ep, b"", content_length=False).replace(b"\r\n\r\n", b"")
            req = head + b"\r\nContent-Length: %d\r\n\r\n" % (len(ok_body) + extra) + ok_body
            add(Case("content_length_lies", req, ["4xx", "closed"], shut_wr=True, timeout=L.read_timeout + 8,
                     note="longer than the body, then half-close"))
        head = build("POST", ep, b"", content_length=False).replace(b"\r\n\r\n", b"")
        add(Case("content_length_lies", head + b"\r\nContent-Length: %d\r\n\r\n" % (len(ok_body) + 50) + ok_body,
                 ["4xx", "closed"], timeout=L.read_timeout + 8, note="longer than the body, then wait"))
        for short in (1, 5, len(ok_body) - 1):
            req = head + b"\r\nContent-Length: %d\r\n\r\n" % short + ok_body
            add(Case("content_length_lies", req, ["400"], timeout=L.read_timeout + 8, note="shorter than the body"))
        for v in (b"-1", b"abc", b"1e3", b"0x10", b" ", b"99999999999999999999999", b"18446744073709551615",
                  b"+12", b"12, 12"):
            req = head + b"\r\nContent-Length: " + v + b"\r\n\r\n" + ok_body
            add(Case("content_length_lies", req, ["4xx", "closed"], timeout=L.read_timeout + 8,
                     note=f"Content-Length: {v.decode()}"))
        req = head + b"\r\nContent-Length: %d\r\nContent-Length: 3\r\n\r\n" % len(ok_body) + ok_body
        add(Case("content_length_lies", req, ["400"], timeout=L.read_timeout + 8,
                 note="two different Content-Length headers (RFC 9112 6.3: must be rejected)"))
        req = head + b"\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(ok_body)
        add(Case("content_length_lies", req, ["any-2xx-4xx", "closed"], timeout=L.read_timeout + 8,
                 note="Content-Length and Transfer-Encoding together"))

    # garbage_request_lines
    garbage = [b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"GET /healthz\r\n\r\n", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
               b"GET /healthz HTTP/1.1 extra\r\nHost: x\r\n\r\n", b"\r\n\r\n", b"  GET /healthz HTTP/1.1\r\n\r\n",
               b"PO ST /v1/langid HTTP/1.1\r\n\r\n", b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
               b"GET /healthz HTTP/1.1\nHost: x\n\n", b"GET /he\x00althz HTTP/1.1\r\nHost: x\r\n\r\n",
               b"GET /\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n",
               b"GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
               b"GET http://evil/healthz HTTP/1.1\r\nHost: x\r\n\r\n", b"CONNECT x:443 HTTP/1.1\r\n\r\n",
               b"FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32),
               b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", b"GET /healthz HTTP/1.1\r\nHost x\r\n\r\n",
               b"GET /healthz HTTP/1.1\r\n: empty\r\n\r\n", b"GET /healthz HTTP/1.1\r\n Folded: x\r\n\r\n",
               b"GET /v1/langid?text=" + b"%" * 1000 + b" HTTP/1.1\r\n\r\n", b"\x00" * 100,
               b"GET /healthz HTTP/1.1\r\nHost: x\r\nX: \x00\x01\x02\r\n\r\n", b"get /healthz http/1.1\r\n\r\n",
               b"GET  /healthz  HTTP/1.1\r\n\r\n", b"GET /healthz HTTP/1.1\r\r\r\n\r\n"]
    for i in range(count // 25):
        add(Case("garbage_request_lines", garbage[i % len(garbage)], ["4xx", "closed", "200", "404"],
                 timeout=L.read_timeout + 8))
    # (200/404 accepted: some odd but legal spellings, e.g. bare LF line ends, reach /healthz.)

    # bad_chunked
    badch = [b"zz\r\nabc\r\n0\r\n\r\n", b"ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n", b"3\r\nabcdef\r\n0\r\n\r\n",
             b"-1\r\nabc\r\n0\r\n\r\n", b"3\r\nabc", b"3;ext=1\r\nabc\r\n0\r\n\r\n", b"\r\n\r\n", b"0\r\n",
             b"10\r\n" + b"a" * 8 + b"\r\n0\r\n\r\n", b"3\r\n{\"t\r\n0\r\nTrailer: x\r\n\r\n"]
    for i in range(60):
        head = build("POST", rng.choice(eps), b"", headers=[("Transfer-Encoding", "chunked")], content_length=False)
        add(Case("bad_chunked", head + badch[i % len(badch)], ["4xx", "closed"], timeout=L.read_timeout + 8,
                 shut_wr=bool(i % 2)))

    # header_flood
    add(Case("header_flood", build("GET", "/healthz", headers=[(f"X-A{i}", "b" * 100) for i in range(10000)],
                                   content_length=False), ["4xx", "closed"], timeout=60, note="10,000 headers, 1 MB"))
    add(Case("header_flood", build("GET", "/healthz", headers=[(f"X-A{i}", "b" * 100) for i in range(200000)],
                                   content_length=False), ["4xx", "closed"], timeout=60, note="200,000 headers, 22 MB"))
    add(Case("header_flood", build("GET", "/healthz", headers=[("X-Big", "a" * 100000)], content_length=False),
             ["4xx", "closed"], timeout=30, note="one 100 KB header"))
    add(Case("header_flood", b"GET /healthz HTTP/1.1\r\nX: " + b"a" * (4 << 20), ["4xx", "closed"], timeout=30,
             shut_wr=True, note="a 4 MB header line with no end"))
    add(Case("header_flood", build("GET", "/healthz", headers=[("Host", "y")] * 5000, content_length=False),
             ["4xx", "closed", "200"], timeout=30, note="5,000 Host headers"))

    # random_bytes
    for i in range(count // 10):
        n = rng.choice([1, 2, 5, 16, 100, 1000, 4096, 20000])
        data = bytes(rng.getrandbits(8) for _ in range(n))
        if rng.random() < 0.3:  # random bytes after a valid start
            data = rng.choice([b"POST /v1/langid HTTP/1.1\r\n", b"GET /", b"POST /v1/annotate HTTP/1.1\r\nContent-Length: 50\r\n\r\n"]) + data
        add(Case("random_bytes", data, ["4xx", "closed", "404"], timeout=L.read_timeout + 8, shut_wr=rng.random() < 0.8))

    # mutations of valid bodies
    valid = []
    for s in SENTENCES:
        valid += [(ep, {"text": s}) for ep in eps if ep != "/v1/tag"]
        valid += [("/v1/langid", {"text": s, "top_k": 3}), ("/v1/segment", {"text": s, "language": "zh"}),
                  ("/v1/tag", {"text": s, "language": "en"}), ("/v1/annotate", {"texts": [s, FRENCH]}),
                  ("/v1/tag", {"tokens": s.split() or ["x"], "language": "fr"}), ("/v1/langid", {"texts": [s] * 3})]
    specials = [b'"', b"\\", b"{", b"}", b"[", b"]", b",", b":", b"\x00", b"\xff", b"\xc3", b"\\u", b"\\ud800",
                b"1e999", b"null", b"-", b"0", b"\n", b" ", b"\\\\", b'\\"', b"\xe2\x80\xa8", b"\xf0\x9f"]
    n_mut = max(0, count - len(cases) - 60)
    for i in range(n_mut):
        ep, obj = rng.choice(valid)
        b = bytearray(json_bytes(obj))
        for _ in range(rng.randint(1, 4)):
            op = rng.randrange(7)
            p = rng.randrange(0, len(b) + 1)
            if op == 0 and b:
                q = min(p, len(b) - 1); b[q] ^= 1 << rng.randrange(8)
            elif op == 1 and b:
                b[min(p, len(b) - 1)] = rng.getrandbits(8)
            elif op == 2:
                b[p:p] = rng.choice(specials)
            elif op == 3:
                del b[p:p + rng.randint(1, 8)]
            elif op == 4:
                q = rng.randrange(0, len(b) + 1); b[p:p] = b[min(p, q):max(p, q)][:64]
            elif op == 5:
                del b[p:]
            else:
                b[p:p] = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4)))
        add(Case("mutations", post(ep, bytes(b), close=False), ["any-2xx-4xx"], follow=rng.random() < 0.25))

    # batch_over_limit and text_over_limit
    for ep in eps:
        for k in (L.max_batch + 1, L.max_batch * 4, 10000):
            key = "texts"
            body = json_bytes({key: ["ok"] * k, **({"language": "en"} if ep == "/v1/tag" else {})})
            if len(body) <= L.max_body:
                add(Case("batch_over_limit", post(ep, body), ["413"]))
        add(Case("batch_over_limit", post(ep, json_bytes({"texts": ["ok"] * L.max_batch,
                                                          **({"language": "en"} if ep == "/v1/tag" else {})})),
                 ["200"], timeout=60, note="exactly --max-batch texts (control)"))
        lang = {"language": "en"} if ep == "/v1/tag" else {}
        over = "a" * (L.max_text_bytes + 1)
        if len(over) + 100 < L.max_body:
            add(Case("text_over_limit", post(ep, json_bytes({"text": over, **lang})), ["413"]))
            add(Case("text_over_limit", post(ep, json_bytes({"texts": ["ok", over], **lang})), ["413"]))
            add(Case("text_over_limit", post(ep, json_bytes({"text": "é" * (L.max_text_bytes // 2 + 1), **lang})), ["413"]))
            add(Case("text_over_limit", post(ep, json_bytes({"text": "a" * L.max_text_bytes, **lang})), ["200"],
                     timeout=60, note="exactly --max-text-bytes (control)"))
    if L.max_text_bytes + 100 < L.max_body:
        add(Case("text_over_limit", post("/v1/tag", json_bytes({"tokens": ["a" * 1000] * (L.max_text_bytes // 1000 + 1),
                                                                "language": "en"})), ["413"], note="tokens over the limit"))

    # pipelining: requests sent back to back before the first answer (RFC 9112 9.3: the server must answer each)
    hz = build("GET", "/healthz", content_length=False, close=False)
    ok = post("/v1/langid", json_bytes({"text": FRENCH}), close=False)
    for data, k in ((hz + hz, 2), (ok + ok, 2), (ok + hz + ok, 3), (post("/v1/langid", b'{"tex', close=False) + ok, 2)):
        for _ in range(3):
            add(Case("pipelining", data, ["200", "400"], want=k, timeout=8, note=f"{k} requests in one write"))

    # methods_paths
    for path in POST_ENDPOINTS + ["/v1/search"]:
        for m in ("GET", "PUT", "DELETE", "PATCH"):
            add(Case("methods_paths", build(m, path, b'{"text": "a"}'), ["4xx"]))
    for path in ("/healthz", "/readyz", "/metrics", "/v1/models"):
        add(Case("methods_paths", build("POST", path, b"{}"), ["405"]))
    for path in ("/", "/v1", "/v1/", "/v1/langid/", "/V1/LANGID", "/v1/langid/x", "/v2/langid", "/v1/langid%00",
                 "/v1//langid", "/v1/langid;x", "/" + "x" * 5000):
        add(Case("methods_paths", post(path, b'{"text": "a"}'), ["4xx"]))
    add(Case("methods_paths", build("HEAD", "/healthz", content_length=False), ["200", "4xx", "closed"]))
    add(Case("methods_paths", build("OPTIONS", "/v1/langid", content_length=False), ["4xx", "200", "204"]))
    return cases


def slowloris_cases(L):
    """A partial request, then silence: the server must close (or answer 4xx) within its read timeout."""
    parts = [b"POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Le", b"POST /v1/lan", b"G",
             b"POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"text\": \"a",
             b"POST /v1/langid HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc",
             b"GET /healthz HTTP/1.1\r\nHost: x\r\n", b""]
    limit = max(L.read_timeout, 5) + 4  # 5: the keep-alive wait for a connection that sent nothing
    return [Case("slowloris", p, ["4xx", "closed"], timeout=limit + 10, note=f"partial request {p[:40]!r}, then silence")
            for p in parts]


def slow_pool(t, L):
    """As many clients as the pool has threads, each sending one header byte a second (never idle for the read
    timeout); meanwhile /healthz from another client must be answered within 5 s."""
    stop = threading.Event()
    socks = []

    def trickle(s):
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            while not stop.wait(1.0):
                s.sendall(b"a")
        except OSError:
            pass

    for _ in range(L.threads):
        try:
            s = socket.create_connection(t.addr, timeout=5)
        except OSError:
            break
        socks.append(s)
        threading.Thread(target=trickle, args=(s,), daemon=True).start()
    time.sleep(3)
    t0 = time.monotonic()
    replies, end, _ = exchange(t.addr, build("GET", "/healthz", content_length=False), 5.0)
    waited = time.monotonic() - t0
    stop.set()
    for s in socks:
        s.close()
    label = str(replies[0].status) if replies else ("closed" if end in ("closed", "reset") else end)
    why = "" if replies and replies[0].status == 200 else (
        f"/healthz not answered within 5 s ({end}) while {len(socks)} clients each sent a header byte per second")
    t.record("slow_pool", label, why, Case("slow_pool", build("GET", "/healthz", content_length=False), ["200"],
                                            note=f"{len(socks)} trickling clients (1 byte/s), then GET /healthz; "
                                                 f"waited {waited:.1f} s"))
    # Recovery: the trickling clients are gone, the server must answer again soon.
    for _ in range(30):
        if t.alive():
            return
        time.sleep(0.5)
    t.record("slow_pool", "no-recovery", "the server did not answer /healthz within 15 s after the slow clients left",
             Case("slow_pool", b"", ["200"]))


def final_checks(t):
    """The server still works: health, a right answer, sane metrics."""
    problems = []
    replies, end, _ = exchange(t.addr, build("GET", "/healthz", content_length=False), 10.0)
    if not replies or replies[0].status != 200:
        problems.append(f"/healthz: {replies[0].status if replies else end}")
    replies, end, _ = exchange(t.addr, post("/v1/langid", json_bytes({"text": FRENCH})), 10.0)
    lang = None
    if replies:
        try:
            lang = json.loads(replies[0].body).get("language")
        except ValueError:
            pass
    if lang != "fr":
        problems.append(f"langid of a French sentence: {replies[0].status if replies else end} {lang!r}")
    replies, end, _ = exchange(t.addr, post("/v1/annotate", json_bytes({"text": FRENCH})), 10.0)
    try:
        j = json.loads(replies[0].body)
        if j["language"] != "fr" or not j["tagged"] or not any(tok["upos"] == "VERB" for tok in j["tokens"]):
            problems.append(f"annotate: {replies[0].body[:200]!r}")
    except (ValueError, KeyError, IndexError, TypeError):
        problems.append(f"annotate: {replies[0].status if replies else end}")
    replies, end, _ = exchange(t.addr, build("GET", "/metrics", content_length=False), 10.0)
    metrics = replies[0].body.decode() if replies else ""
    five = [(r, c, int(n)) for r, c, n in re.findall(r'requests_total\{route="([^"]+)",code="(5\d\d)"\} (\d+)', metrics)]
    if any(c != "503" and n for _, c, n in five):
        problems.append(f"/metrics counts 5xx answers: {five}")
    m = re.search(r"slimnlp_http_requests_in_flight (-?\d+)", metrics)
    if not m or not 0 <= int(m.group(1)) <= 1:
        problems.append(f"/metrics requests_in_flight = {m.group(1) if m else '?'} with nothing in flight but itself")
    counts = {}
    for r, c, n in re.findall(r'requests_total\{route="([^"]+)",code="(\d+)"\} (\d+)', metrics):
        counts[c] = counts.get(c, 0) + int(n)
    return problems, counts, (m.group(1) if m else "?")


def rss_kib(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return 0
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url", nargs="?", help="a running server; default: start --binary")
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "slimnlp"))
    ap.add_argument("--models", default=os.path.join(ROOT, "models"), help="--models for the started server")
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-body", type=int, default=1 << 20)
    ap.add_argument("--max-text-bytes", type=int, default=65536)
    ap.add_argument("--max-batch", type=int, default=256)
    ap.add_argument("--read-timeout", type=int, default=2)
    ap.add_argument("--threads", type=int, default=8)
    ap.add_argument("--jobs", type=int, default=4, help="requests in flight at once (keep it under --threads)")
    ap.add_argument("--skip-pool", action="store_true")
    ap.add_argument("--markdown")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)

    proc, log = None, None
    if a.url:
        u = urllib.parse.urlparse(a.url)
        addr = (u.hostname, u.port or 80)
    else:
        log = tempfile.NamedTemporaryFile("w+b", prefix="robustness_server_", suffix=".log", delete=False)
        env = dict(os.environ)
        env.setdefault("ASAN_OPTIONS", "halt_on_error=1:abort_on_error=1")  # used only by sanitizer builds
        env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
        proc = subprocess.Popen([a.binary, "serve", "--models", a.models] + SERVER_FLAGS, stderr=log,
                                stdout=subprocess.DEVNULL, cwd=ROOT, env=env)
        port = None
        for _ in range(400):
            m = re.search(rb"listening on http://127\.0\.0\.1:(\d+)", open(log.name, "rb").read())
            if m:
                port = int(m.group(1))
                break
            if proc.poll() is not None:
                break
            time.sleep(0.05)
        if port is None:
            sys.exit(f"server_robustness: the server did not start: {open(log.name, 'rb').read()[-2000:]!r}")
        addr = ("127.0.0.1", port)
    t = Tester(addr, a, rng, a.quiet)
    t.proc = proc
    for _ in range(100):
        if t.alive():
            break
        time.sleep(0.1)
    else:
        sys.exit("server_robustness: the server does not answer /healthz")
    rss0 = rss_kib(proc.pid) if proc else 0
    t0 = time.monotonic()

    cases = gen_cases(a, rng, a.count)
    died = []
    # --jobs workers take the cases in order (fewer than the server's threads, so /healthz checks get through).
    next_case = iter(enumerate(cases))
    take = threading.Lock()

    def worker():
        while not died:
            with take:
                item = next(next_case, None)
            if item is None:
                return
            i, c = item
            why = t.run(c)
            if "SERVER DIED" in why:
                died.append(c)
                return
            if i % 500 == 499:
                if not t.alive():
                    t.record("liveness", "no-answer", f"/healthz not answered after case {i} ({c.cls})", c)
                if not a.quiet:
                    print(f"  ... {i + 1}/{len(cases)} sent", file=sys.stderr)

    workers = [threading.Thread(target=worker) for _ in range(max(1, a.jobs))]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    died = died[0] if died else None
    if died is None:
        # slowloris cases in parallel (each waits for the server's timeout), fewer than the pool's threads.
        slow = slowloris_cases(a)
        threads = [threading.Thread(target=t.run, args=(c,)) for c in slow]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        if not a.skip_pool:
            slow_pool(t, a)
    elapsed = time.monotonic() - t0
    rss1 = rss_kib(proc.pid) if proc else 0

    problems, counts, inflight = ([], {}, "?")
    if proc is None or proc.poll() is None:
        problems, counts, inflight = final_checks(t)
    else:
        problems.append(f"the server process is dead (exit {proc.returncode})")
    shutdown = ""
    if proc is not None:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(20)
                shutdown = f"exit {code} on SIGTERM"
                if code != 0:
                    problems.append(f"the server exited {code} on SIGTERM")
            except subprocess.TimeoutExpired:
                proc.kill()
                problems.append("the server did not stop within 20 s of SIGTERM")
                shutdown = "hung on SIGTERM (killed)"
        err = open(log.name, "rb").read()
        for pat in (rb"AddressSanitizer", rb"runtime error:", rb"LeakSanitizer", rb"terminate called", rb"Segmentation"):
            if pat in err:
                problems.append(f"server stderr mentions {pat.decode()} (log: {log.name})")

    # Report
    total = sum(s["sent"] for s in t.stats.values())
    unexpected = sum(len(s["bad"]) for c, s in t.stats.items() if c not in KNOWN_LIMITS)
    known = sum(len(s["bad"]) for c, s in t.stats.items() if c in KNOWN_LIMITS)
    out = []
    out.append(f"{total} requests in {elapsed:.0f} s against {a.binary + ' (started by the script)' if proc else a.url} "
               f"(seed {a.seed}); unexpected: {unexpected}; known limits of httplib 0.11 met: {known}" +
               (f"; SERVER DIED on a {died.cls} case" if died else ""))
    out.append("")
    out.append("| class | sent | answers seen (status: count; closed = connection closed, no answer) | unexpected | s (sum) |")
    out.append("| --- | ---: | --- | ---: | ---: |")
    for cls, s in t.stats.items():
        labels = ", ".join(f"{k}: {v}" for k, v in sorted(s["labels"].items()))
        bad = f"{len(s['bad'])} (known limit)" if cls in KNOWN_LIMITS and s["bad"] else str(len(s["bad"]))
        out.append(f"| {cls} | {s['sent']} | {labels} | {bad} | {s['secs']:.0f} |")
    out.append("")
    if proc:
        out.append(f"Server RSS: {rss0 / 1024:.1f} MiB before, {rss1 / 1024:.1f} MiB after the requests; {shutdown}.")
    out.append("Answers by status over the whole run (/metrics): " + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
               + f"; requests in flight at the end: {inflight}.")
    out.append("Final checks (/healthz, langid 'fr', annotate, metrics, shutdown): " +
               ("all passed" if not problems else "FAILED: " + "; ".join(problems)))
    bad_lines, known_lines = [], []
    for cls, s in t.stats.items():
        lines = known_lines if cls in KNOWN_LIMITS else bad_lines
        groups = {}  # the same failure on the same kind of request: shown once, with a count
        for why, c in s["bad"]:
            key = (re.sub(r"\d+", "N", why)[:60], c.note, c.data.split(b"\r\n\r\n", 1)[-1][:24])
            groups.setdefault(key, []).append((why, c))
        for shown_n, (key, items) in enumerate(groups.items()):
            if shown_n == 6:
                lines.append(f"- {cls}: ... {sum(len(v) for v in list(groups.values())[6:])} more")
                break
            why, c = items[0]
            shown = c.data if len(c.data) <= 200 else c.data[:160] + b"...(%d bytes)" % len(c.data)
            lines.append(f"- {cls} (x{len(items)}): {why}" + (f" [{c.note}]" if c.note else "") +
                         f"\n  request: {shown!r}")
    if bad_lines:
        out.append("")
        out.append("Unexpected:")
        out.extend(bad_lines)
    if known_lines:
        out.append("")
        out.append("Known limits of cpp-httplib 0.11 (docs/server.md), met as expected:")
        for cls in KNOWN_LIMITS:
            if t.stats.get(cls, {}).get("bad"):
                out.append(f"- {cls}: {KNOWN_LIMITS[cls]}")
        out.extend(known_lines)
    text = "\n".join(out)
    print(text)
    if a.markdown:
        with open(a.markdown, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    sys.exit(1 if unexpected or problems or died else 0)


if __name__ == "__main__":
    main()
