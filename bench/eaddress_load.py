"""Load generation and fixtures for `bench/eaddress.py`.

The client is a minimal keep-alive HTTP/1.1 client over asyncio streams: a general-purpose
client would spend more CPU per request than the endpoints under test on a 2-core machine,
and the same client drives both the baseline and the e-address, so the ratio stays fair.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import socket
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx

from backend.eaddress.institution_api.institutions import register_institution
from backend.eaddress.mailbox.access import Grant, MailboxAction, PredicateAccess, Reader
from backend.eaddress.mailbox.accounts import ensure_company_account
from backend.eaddress.mailbox.folders import Folder, list_folder, search, unread_count
from backend.eaddress.storage.content import search_document
from backend.eaddress.tables import Message, Receipt
from backend.lib import db
from backend.lib.time import utcnow
from backend.lib.workdays import deemed_delivered_on
from backend.settings import DatabaseSettings

RECIPIENTS = 100
TOPICS = (
    "nekustamā īpašuma nodokli",
    "PVN deklarāciju",
    "pensijas pārrēķinu",
    "uzturēšanās atļauju",
)


def process_tree_cpu(pid: int) -> float:
    """User + system CPU seconds of `pid` and its children (Linux /proc; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0.0
        for p in [pid, *map(int, children)]:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return total
    except OSError:
        return 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Fixture:
    client_id: str
    client_secret: str
    institution_id: uuid.UUID
    companies: list[str]
    server_version: str


@dataclass
class Rate:
    ok: int = 0
    errors: int = 0
    seconds: float = 0.0
    first_error: str = ""
    server_cpu_s: float = 0.0
    """CPU seconds the web processes spent (user + system), from /proc."""

    @property
    def cpu_ms_per_request(self) -> float:
        return self.server_cpu_s * 1000 / self.ok if self.ok else 0.0

    @property
    def per_second(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0


@dataclass
class Latencies:
    mailbox: int
    page_size: int
    walks: list[tuple[int, int]] = field(default_factory=list)
    """(items, distinct messages) of each walk through every page: both must be `mailbox`."""
    unread: int = -1
    """The unread count the mailbox answered (every other message was opened)."""
    samples_ms: list[float] = field(default_factory=list)
    search_ms: list[float] = field(default_factory=list)
    unread_ms: list[float] = field(default_factory=list)

    @staticmethod
    def _q(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p99(self) -> float:
        return self._q(self.samples_ms, 0.99)

    @property
    def max(self) -> float:
        return max(self.samples_ms)

    @property
    def search_p50(self) -> float:
        return statistics.median(self.search_ms)

    @property
    def search_p99(self) -> float:
        return self._q(self.search_ms, 0.99)

    @property
    def unread_p50(self) -> float:
        return statistics.median(self.unread_ms)


async def _engine(url: str) -> tuple[object, DatabaseSettings]:
    settings = DatabaseSettings(url=url, pool_min=2, pool_max=4)
    engine = db.make_engine(settings)
    db.bind_engine(engine)
    await db.start_engine(engine, settings)
    return engine, settings


async def prepare(url: str, var_dir: Path, *, public_url: str) -> Fixture:
    """Migrate the fresh database, register an institution, open company e-addresses."""
    engine, _ = await _engine(url)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # Piccolo narrates every migration
            await db.run_migrations(engine)  # type: ignore[arg-type]
        institution = await register_institution("Bench institution", "90000000001")
        companies = [f"4{n:010d}" for n in range(1, RECIPIENTS + 1)]
        for number in companies:
            await ensure_company_account(number)
        rows = await Message.raw("SHOW server_version").run()
        version = str(rows[0]["server_version"])
    finally:
        await db.stop_engine(engine)  # type: ignore[arg-type]
    return Fixture(
        institution.client_id, institution.client_secret, institution.id, companies, version
    )


async def token(port: int, fixture: Fixture) -> str:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        response = await client.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=(fixture.client_id, fixture.client_secret),
        )
        response.raise_for_status()
        return str(response.json()["access_token"])


def _request(port: int, path: str, body: bytes, extra: str = "") -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
        f"{extra}Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


def plain_request(port: int) -> Callable[[int], bytes]:
    def make(n: int) -> bytes:
        body = json.dumps({"recipient": {"type": "company", "id": "40000000001"}, "n": n})
        return _request(port, "/plain", body.encode())

    return make


def send_requests(port: int, bearer: str, fixture: Fixture) -> Callable[[int], bytes]:
    auth = f"Authorization: Bearer {bearer}\r\n"

    def make(n: int) -> bytes:
        body = {
            "recipient": {"type": "company", "id": fixture.companies[n % len(fixture.companies)]},
            "subject": f"Paziņojums Nr. {n} par {TOPICS[n % len(TOPICS)]}",
            "body": "Labdien! Lūdzam iepazīties ar paziņojumu un rīkoties termiņā.",
        }
        key = f"Idempotency-Key: bench-{uuid.uuid4()}\r\n"
        return _request(port, "/api/eaddress/v1/messages", json.dumps(body).encode(), auth + key)

    return make


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if "content-length" in headers:
        return status, await reader.readexactly(int(headers["content-length"]))
    body = bytearray()  # chunked
    while size := int((await reader.readuntil(b"\r\n")).strip(), 16):
        body += await reader.readexactly(size + 2)
    await reader.readuntil(b"\r\n")
    return status, bytes(body)


async def drive(
    port: int,
    make: Callable[[int], bytes],
    concurrency: int,
    duration: float,
    limit: int,
    *,
    server_pid: int = 0,
) -> Rate:
    """Keep `concurrency` connections busy until `duration` passes or `limit` requests."""
    rate = Rate()
    counter = iter(range(limit))
    deadline = time.perf_counter() + duration

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for n in counter:
                if time.perf_counter() > deadline:
                    break
                writer.write(make(n))
                status, body = await _read_response(reader)
                if 200 <= status < 300:
                    rate.ok += 1
                else:
                    rate.errors += 1
                    rate.first_error = rate.first_error or f"{status} {body[:200]!r}"
        finally:
            writer.close()

    started, cpu_before = time.perf_counter(), process_tree_cpu(server_pid)
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    rate.seconds = time.perf_counter() - started
    rate.server_cpu_s = process_tree_cpu(server_pid) - cpu_before
    if rate.first_error:
        print(f"  first error: {rate.first_error}")
    return rate


async def count_outbox(url: str) -> int:
    engine, _ = await _engine(url)
    try:
        rows = await Message.raw(
            "SELECT COUNT(*) AS n FROM events_event WHERE kind = 'eaddress.message_received'"
        ).run()
        return int(rows[0]["n"])
    finally:
        await db.stop_engine(engine)  # type: ignore[arg-type]


async def _fill_mailbox(size: int, institution: uuid.UUID, account: uuid.UUID) -> None:
    base = utcnow()
    for start in range(0, size, 500):
        messages, receipts = [], []
        for i in range(start, min(size, start + 500)):
            sent_at = base - timedelta(minutes=i)
            subject = f"Paziņojums Nr. {i} par {TOPICS[i % len(TOPICS)]}"
            body = f"Labdien! Šis ir paziņojums numur {i}."
            message_id = uuid.uuid4()
            messages.append(
                Message(
                    id=message_id, thread_id=message_id, account=account, institution=institution,
                    direction="in", subject=subject, body_text=body, content_sha256="0" * 64,
                    sent_at=sent_at, deemed_delivered_on=deemed_delivered_on(sent_at),
                    search_document=search_document(subject, body),
                )
            )  # fmt: skip
            receipts += [Receipt(message=message_id, kind="sent", channel="", at=sent_at)]
            if i % 2:
                receipts += [Receipt(message=message_id, kind="opened", channel="", at=sent_at)]
        await Message.insert(*messages).run()
        await Receipt.insert(*receipts).run()
    # Steady state, as autovacuum keeps it: statistics current, GIN pending list merged.
    await Message.raw("VACUUM ANALYZE eaddress_message").run()
    await Message.raw("VACUUM ANALYZE eaddress_receipt").run()


async def _timed(samples: list[float], call: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = await call()  # type: ignore[misc]
    samples.append((time.perf_counter() - started) * 1000)
    return result


async def listing(url: str, var_dir: Path, size: int, public_url: str) -> Latencies:
    """Walk every page of a `size`-message mailbox (twice) through the service function."""
    engine, _ = await _engine(url)
    try:
        rows = await Message.raw("SELECT id FROM eaddress_institution LIMIT 1").run()
        account = await ensure_company_account("49999999999")
        await _fill_mailbox(size, rows[0]["id"], account.id)

        async def allow(reader: Reader, action: MailboxAction) -> Grant | None:
            return Grant()

        access = PredicateAccess(allow)
        reader = Reader(uuid.uuid4(), account.subject_key)
        result = Latencies(mailbox=size, page_size=50)
        for _ in range(2):
            after, seen, items = None, set(), 0
            while True:
                page = await _timed(
                    result.samples_ms,
                    lambda a=after: list_folder(reader, access, Folder.INBOX, after=a, limit=50),
                )
                items += len(page.items)  # type: ignore[attr-defined]
                seen.update(item.id for item in page.items)  # type: ignore[attr-defined]
                after = page.next_cursor  # type: ignore[attr-defined]
                if after is None:
                    break
            result.walks.append((items, len(seen)))
        for n in range(100):
            query = f"paziņojums {TOPICS[n % len(TOPICS)].split()[0]} {n * 37 % size}"
            await _timed(result.search_ms, lambda q=query: search(reader, access, q, limit=50))
        for _ in range(20):
            result.unread = await _timed(  # type: ignore[assignment]
                result.unread_ms, lambda: unread_count(reader, access)
            )
        return result
    finally:
        await db.stop_engine(engine)  # type: ignore[arg-type]
