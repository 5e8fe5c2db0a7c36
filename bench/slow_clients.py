#!/usr/bin/env python3
"""Slow clients against `slimnlp serve`: how long a normal request waits while N connections trickle bytes.

    python3 bench/slow_clients.py [--clients 200] [--threads 16] [--read-timeout 3] [--binary build/slimnlp]

Starts the server with a small pool (--threads) and a short --read-timeout, opens --clients connections that
each send a request head one byte every 0.5 s (never finishing), then times GET /healthz from a fresh client
every second for a while. With a deadline on the whole head, each slow connection loses its thread after the
read timeout, so the probe is answered within about one read timeout; with only a per-read timeout (cpp-httplib
alone), the slow connections would keep every thread for as long as they trickle. Prints one line per probe
and a summary line.
"""
import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--read-timeout", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=12, help="how long the slow clients trickle")
    ap.add_argument("--binary", default=os.path.join(os.path.dirname(__file__), "..", "build", "slimnlp"))
    a = ap.parse_args()
    server = subprocess.Popen([a.binary, "serve", "--port", "0", "--threads", str(a.threads), "--read-timeout",
                               str(a.read_timeout), "--access-log", "none"], stderr=subprocess.PIPE, text=True)
    port = None
    for line in server.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("slow_clients: the server did not start")
    stop = time.time() + a.seconds
    cut_off = []

    def slow():
        head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10000
        try:
            s = socket.create_connection(("127.0.0.1", port))
        except OSError:
            return
        s.settimeout(0.5)
        start = time.time()
        for i in range(len(head)):
            if time.time() > stop:
                break
            try:
                s.sendall(head[i:i + 1])
                s.recv(4096)  # An answer (408) or the end of the connection: cut off.
                cut_off.append(time.time() - start)
                break
            except socket.timeout:
                continue
            except OSError:
                cut_off.append(time.time() - start)
                break
        s.close()

    threads = [threading.Thread(target=slow, daemon=True) for _ in range(a.clients)]
    for t in threads:
        t.start()
    time.sleep(1)
    waits = []
    while time.time() < stop:
        start = time.time()
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=30)
            s.settimeout(30)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            reply = s.recv(4096).split(b"\r\n")[0].decode()
            s.close()
        except OSError as e:
            reply = f"error {e}"
        waits.append(time.time() - start)
        print(f"probe at {start - stop + a.seconds:5.1f} s: {reply} after {waits[-1]:.2f} s")
        time.sleep(max(0.0, 1 - waits[-1]))
    for t in threads:
        t.join(timeout=2)
    server.terminate()
    server.wait()
    print(f"slow clients: {a.clients} trickling 2 bytes/s to {a.threads} threads, read timeout {a.read_timeout} s: "
          f"{len(cut_off)} cut off by the server (median after {sorted(cut_off)[len(cut_off) // 2] if cut_off else 0:.1f} s); "
          f"health probe waited at most {max(waits):.2f} s, median {sorted(waits)[len(waits) // 2]:.2f} s")


if __name__ == "__main__":
    main()
