#!/usr/bin/env python3
"""Many concurrent connections against a running `slimnlp serve`: every one answered, and how long it took.

    python3 bench/many_connections.py PORT [--clients 500] [--keep-alive] [--server-pid PID]

Opens --clients connections at once (asyncio, one process), and on each sends one POST /v1/langid as soon as it
is connected. Without --keep-alive each request says `Connection: close`, as a client that does one request
does; with it, every client holds its connection open after its answer until all are answered, as a client
pool does (each then holds a server thread until the server's idle keep-alive timeout closes it). Prints one
tab-separated line: clients, answered 200, other answers, failed connections, seconds for all, median and
maximum seconds per request, and the server's peak RSS in MiB (VmHWM of --server-pid) and threads.
"""
import argparse
import asyncio
import json
import statistics
import sys
import time


async def one(port, body, keep_alive, answered_all, results):
    start = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 120)
    except (OSError, asyncio.TimeoutError) as e:
        results.append(("failed", time.monotonic() - start, str(e)))
        return
    head = ("POST /v1/langid HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n" + ("" if keep_alive else "Connection: close\r\n") + "\r\n")
    try:
        writer.write(head.encode() + body)
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 120)
        length = 0
        while True:
            line = await asyncio.wait_for(reader.readline(), 120)
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await asyncio.wait_for(reader.readexactly(length), 120)
        status = status_line.split(b" ")[1].decode() if status_line else "closed"
        results.append((status, time.monotonic() - start, ""))
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, IndexError) as e:
        results.append(("failed", time.monotonic() - start, repr(e)))
    if keep_alive:
        await answered_all.wait()
    writer.close()


def server_status(pid):
    if pid is None:
        return "", ""
    fields = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    return f"{int(fields['VmHWM'].split()[0]) / 1024:.1f}", fields["Threads"].strip()


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--clients", type=int, default=500)
    ap.add_argument("--keep-alive", action="store_true")
    ap.add_argument("--server-pid", type=int)
    a = ap.parse_args()
    body = json.dumps({"text": "Le chat est assis sur le tapis, et il regarde la pluie tomber."}).encode()
    results = []
    answered_all = asyncio.Event()
    start = time.monotonic()
    tasks = [asyncio.create_task(one(a.port, body, a.keep_alive, answered_all, results)) for _ in range(a.clients)]
    while len(results) < a.clients:
        await asyncio.sleep(0.01)
    elapsed = time.monotonic() - start
    answered_all.set()
    await asyncio.gather(*tasks)
    ok = sum(1 for r in results if r[0] == "200")
    failed = sum(1 for r in results if r[0] == "failed")
    times = [r[1] for r in results]
    rss, threads = server_status(a.server_pid)
    for r in results:
        if r[0] == "failed":
            print(f"many_connections: a connection failed: {r[2]}", file=sys.stderr)
            break
    print(f"{a.clients}\t{ok}\t{a.clients - ok - failed}\t{failed}\t{elapsed:.2f}\t{statistics.median(times):.2f}\t"
          f"{max(times):.2f}\t{rss}\t{threads}")


if __name__ == "__main__":
    asyncio.run(main())
