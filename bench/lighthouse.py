"""Lighthouse on a page of the app, served on loopback: prints the category scores.

    vienuviet bench lighthouse [--path /] [--runs 3] [--persona anna | --visitor]
    (or .venv/bin/python -m bench.lighthouse with the same options)

By default the page is seen signed in as a sandbox persona (the registry sandbox runs alongside,
with its default latencies): `/` is then the dashboard. One request before the runs fills the
dashboard's cache, as a returning person finds it; `--visitor` audits the page signed out.

Uses npm `lighthouse` 12.8.2 (bench/node, installed with `npm ci` on first use) and Debian's
Chromium. Lighthouse's default mobile profile: simulated slow 4G and a 4x slower CPU. Goals:
accessibility 1.0 and performance at least 0.95; the exit status is 1 when a run misses them,
or when any request of the audited page was answered 4xx/5xx (a wrong answer).
Scores are the median of `--runs` runs (Lighthouse's own advice for a noisy machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from bench import Faults
from bench.local_app import running_app, sign_in_persona

NODE_DIR = Path(__file__).resolve().parent / "node"
LIGHTHOUSE = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}
GOALS = {"performance": 0.95, "accessibility": 1.0}


def ensure_lighthouse() -> None:
    if not LIGHTHOUSE.exists():
        print("installing lighthouse into bench/node (npm ci)…", file=sys.stderr)
        subprocess.run(  # noqa: S603 - fixed arguments
            ["npm", "ci", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund"],  # noqa: S607
            check=True,
        )


async def _devtools_url(port: int) -> str:
    """The browser's DevTools WebSocket, once Chromium listens on `port`."""
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(100):
            try:
                answer = await client.get(f"http://127.0.0.1:{port}/json/version")
                return str(answer.json()["webSocketDebuggerUrl"])
            except (httpx.TransportError, ValueError, KeyError):
                await asyncio.sleep(0.1)
    raise RuntimeError("Chromium did not open its DevTools port")


async def _set_cookie(devtools: str, cookie: dict[str, str]) -> None:
    """Put `cookie` in the browser's jar (DevTools protocol, `Storage.setCookies`)."""
    async with connect(devtools, max_size=None) as browser:
        request = {"id": 1, "method": "Storage.setCookies", "params": {"cookies": [cookie]}}
        await browser.send(json.dumps(request))
        while (reply := json.loads(await browser.recv())).get("id") != 1:
            continue  # an event, not our answer
    if "error" in reply:
        raise RuntimeError(f"Chromium refused the session cookie: {reply['error']}")


@asynccontextmanager
async def chromium(user_data_dir: str, cookie: dict[str, str] | None) -> AsyncIterator[int]:
    """Debian's Chromium with a fresh profile, holding the session `cookie` in its jar as a
    signed-in browser would (Lighthouse's --extra-headers do not reach EventSource or the
    service worker's requests); yields its DevTools port for `lighthouse --port`."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = await asyncio.create_subprocess_exec(
        CHROMIUM, *CHROME_FLAGS.split(), f"--remote-debugging-port={port}",
        f"--user-data-dir={user_data_dir}", "about:blank",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        devtools = await _devtools_url(port)
        if cookie is not None:
            await _set_cookie(devtools, cookie)
        yield port
    finally:
        process.terminate()
        await process.wait()


async def lighthouse(url: str, port: int, signed_in: bool) -> tuple[dict[str, float], str, int]:
    """Scores, key metrics, and how many of the page's requests failed (4xx/5xx)."""
    process = await asyncio.create_subprocess_exec(
        str(LIGHTHOUSE),
        url,
        f"--port={port}",
        # The signed-in session lives in the cookie jar; Lighthouse's reset would not keep it.
        "--disable-storage-reset",
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"lighthouse failed ({process.returncode}): {err.decode()[-2000:]}")
    report = json.loads(out)
    if report.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {report['runtimeError']}")
    scores = {name: report["categories"][name]["score"] for name in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    failed = [r for r in requests if r.get("statusCode", 200) >= 400]
    for request in failed:
        print(f"       HTTP {request['statusCode']}: {request['url']}")
    if signed_in and not any(r["url"].endswith("/notifications/stream") for r in requests):
        raise RuntimeError("the audited page was not signed in (no live notification stream)")
    for ref in report["categories"]["best-practices"]["auditRefs"]:
        audit = report["audits"][ref["id"]]
        if ref["weight"] and audit.get("score") is not None and audit["score"] < 1:
            print(f"       best practices: {audit['title']}")
            for item in (audit.get("details") or {}).get("items", [])[:5]:
                print(f"         {item.get('source', '')}: {str(item.get('description'))[:120]}")
    metrics = "  ".join(
        f"{label} {report['audits'][audit]['displayValue']}" for audit, label in METRICS.items()
    )
    return scores, metrics, len(failed)


async def audit(path: str, runs: int, persona: str | None) -> int:
    ensure_lighthouse()
    results: list[dict[str, float]] = []
    faults = Faults()
    async with running_app(registries=persona is not None) as local:
        url = local.url + path
        cookie = None
        if persona is not None:
            session = await sign_in_persona(local, persona)
            name = local.services.auth.cookies.session
            cookie = {"name": name, "value": session, "url": local.url}
            async with httpx.AsyncClient(timeout=30) as client:  # fill the dashboard cache
                warm = await client.get(
                    url, headers={"cookie": f"{name}={session}", "accept": "text/html"}
                )
                if warm.status_code != 200:
                    raise RuntimeError(f"{path} answered {warm.status_code} to {persona}")
        for run in range(runs):
            with tempfile.TemporaryDirectory(prefix="lighthouse-profile-") as profile:
                async with chromium(profile, cookie) as port:
                    scores, metrics, failed = await lighthouse(url, port, cookie is not None)
            faults.add("page requests answered 4xx/5xx", failed)
            results.append(scores)
            line = "  ".join(f"{name} {scores[name]:.2f}" for name in CATEGORIES)
            print(f"run {run + 1}: {line}\n       {metrics}")
    median = {name: statistics.median(r[name] for r in results) for name in CATEGORIES}
    who = f"signed in as {persona}" if persona else "visitor"
    print(f"\nLighthouse 12.8.2, mobile profile, {path} ({who}), median of {runs}:")
    missed = False
    for name in CATEGORIES:
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            met = "met" if median[name] >= goal else "MISSED"
            verdict = f"  (goal ≥ {goal:.2f}: {met})"
            missed |= median[name] < goal
        print(f"  {name:15} {median[name]:.2f}{verdict}")
    return faults.exit_code() or int(missed)


def main(settings: object, argv: Sequence[str]) -> int:
    """`vienuviet bench lighthouse [--path /] [--runs 3] [--persona anna | --visitor]`: serves
    its own throwaway app (bench/local_app.py), so the caller's settings are not used."""
    del settings
    parser = argparse.ArgumentParser(prog="vienuviet bench lighthouse", description=__doc__)
    parser.add_argument("--path", default="/", help="page to audit (default: the home page)")
    parser.add_argument("--runs", type=int, default=3, help="runs to take the median of")
    parser.add_argument("--persona", default="anna", help="sandbox persona to sign in as")
    parser.add_argument("--visitor", action="store_true", help="audit the page signed out")
    args = parser.parse_args(argv)
    return asyncio.run(audit(args.path, args.runs, None if args.visitor else args.persona))


if __name__ == "__main__":
    sys.exit(main(None, sys.argv[1:]))
