"""A small closed-loop HTTP/1.1 load generator: N keep-alive connections on loopback, each
sending the same request again as soon as the answer is read, for a fixed time.

Run as its own process (`python -m bench._load`), so the server under test has a core to
itself; it prints one JSON object: requests, seconds, failures and latency percentiles. It
reads only `Content-Length` answers (every Litestar JSON answer has one) and counts anything
but 200, or a body containing `"errors"`, as a failure; it counts kept GraphQL answers
(`Server-Timing: answer;desc="kept"`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import time
from urllib.parse import urlsplit


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


async def _client(
    host: str,
    port: int,
    *,
    request: bytes,
    warm_until: float,
    stop_at: float,
    out: dict[str, list[float]],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    writer.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        while (started := time.perf_counter()) < stop_at:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length, kept = 0, False
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"server-timing":
                    kept = b'desc="kept"' in value
            body = await reader.readexactly(length)
            if started < warm_until:
                continue
            out["latency"].append(time.perf_counter() - started)
            if status != 200 or b'"errors"' in body:
                out["failed"].append(1.0)
            if kept:
                out["kept"].append(1.0)
    finally:
        writer.close()


async def run(
    url: str,
    *,
    method: str,
    body: bytes,
    headers: dict[str, str],
    clients: int,
    warmup: float,
    seconds: float,
    cookies: list[str] | None = None,
    paths: list[str] | None = None,
) -> dict[str, float]:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    targets = paths or [target]
    lines = [f"Host: {host}:{port}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")

    def request(client: int) -> bytes:
        first = [f"{method} {targets[client % len(targets)]} HTTP/1.1"]
        own = [f"Cookie: {cookies[client % len(cookies)]}"] if cookies else []
        return ("\r\n".join(first + lines + own) + "\r\n\r\n").encode() + body

    out: dict[str, list[float]] = {"latency": [], "failed": [], "kept": []}
    begin = time.perf_counter()
    warm_until, stop_at = begin + warmup, begin + warmup + seconds
    await asyncio.gather(
        *(
            _client(host, port, request=request(i), warm_until=warm_until, stop_at=stop_at, out=out)
            for i in range(clients)
        )
    )
    elapsed = time.perf_counter() - warm_until
    latencies = out["latency"]
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "failed": len(out["failed"]),
        "kept": len(out["kept"]),
        "p50_ms": percentile(latencies, 50) * 1000,
        "p99_ms": percentile(latencies, 99) * 1000,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body", default="", help="request body (text)")
    parser.add_argument("--header", action="append", default=[], help="Name: value")
    parser.add_argument(
        "--cookie", action="append", default=[], help="client i sends the i-th (round robin)"
    )
    parser.add_argument(
        "--path", action="append", default=[], help="client i requests the i-th (round robin)"
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args(argv)
    headers = dict(h.split(": ", 1) for h in args.header)
    try:
        import uvloop

        runner = asyncio.Runner(loop_factory=uvloop.new_event_loop)
    except ImportError:  # pragma: no cover - uvicorn[standard] brings uvloop
        runner = asyncio.Runner()
    with runner:
        result = runner.run(
            run(
                args.url,
                method=args.method,
                body=args.body.encode(),
                headers=headers,
                clients=args.clients,
                warmup=args.warmup,
                seconds=args.seconds,
                cookies=args.cookie,
                paths=args.path or None,
            )
        )
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
