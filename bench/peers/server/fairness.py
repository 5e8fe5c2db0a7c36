#!/usr/bin/env python3
"""Fairness probe for `slimnlp serve`: C keep-alive clients, each sending POST /v1/langid back to back for S
seconds (one thread and one persistent connection per client), then how the requests were shared out.

  python3 bench/peers/server/fairness.py http://127.0.0.1:PORT [--connections 16] [--seconds 10]

Prints one line for the calling script:
  FAIRNESS connections=C requests=N min=.. median=.. max=.. starved=K worst_wait_s=.. errors=E
(starved: clients that got fewer than a tenth of the median; worst_wait_s: the longest a single request waited).
httplib serves one connection per pool thread for as long as it is kept alive, so with more clients than
--threads the extra ones wait for a thread to free up. Stdlib only.
"""
import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.parse

BODY = json.dumps({"text": "Je vais au marché avec ma sœur demain matin."}).encode()


def client(host, port, seconds, out, i):
    n, worst, errors = 0, 0.0, 0
    end = time.monotonic() + seconds
    conn = http.client.HTTPConnection(host, port, timeout=seconds + 30)
    while time.monotonic() < end:
        t = time.monotonic()
        try:
            conn.request("POST", "/v1/langid", body=BODY, headers={"Content-Type": "application/json"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                errors += 1
            n += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=seconds + 30)
        worst = max(worst, time.monotonic() - t)
    conn.close()
    out[i] = (n, worst, errors)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    out = [None] * a.connections
    threads = [threading.Thread(target=client, args=(u.hostname, u.port, a.seconds, out, i))
               for i in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = sorted(n for n, _, _ in out)
    med = statistics.median(counts)
    print(f"FAIRNESS connections={a.connections} requests={sum(counts)} min={counts[0]} median={med:g} "
          f"max={counts[-1]} starved={sum(1 for c in counts if c < med / 10)} "
          f"worst_wait_s={max(w for _, w, _ in out):.3f} errors={sum(e for _, _, e in out)}")


if __name__ == "__main__":
    main()
