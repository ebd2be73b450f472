"""`vienuviet report undelivered`: legal notices no outreach channel carried, for operators.

Lists ids only — the notice's row id, the person's id, the event key (e.g. the message id),
the reason and the age — never names, addresses or content. An operator follows up through
the person's record (or by post) and resolves the row with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from backend.lib.time import age_text as age
from backend.lib.time import as_utc
from backend.notifications.tables import UndeliveredNotice


@dataclass(frozen=True)
class UndeliveredLine:
    id: str
    person_id: str
    event_key: str
    reason: str
    created_at: datetime


async def undelivered(
    *, include_resolved: bool = False, limit: int = 1000
) -> list[UndeliveredLine]:
    query = UndeliveredNotice.select(
        UndeliveredNotice.id,
        UndeliveredNotice.person,
        UndeliveredNotice.event_key,
        UndeliveredNotice.reason,
        UndeliveredNotice.created_at,
    )
    if not include_resolved:
        query = query.where(UndeliveredNotice.resolved_at.is_null())
    rows = await query.order_by(UndeliveredNotice.created_at).limit(limit).run()
    return [
        UndeliveredLine(
            str(row["id"]),
            str(row["person"]),
            row["event_key"],
            row["reason"],
            as_utc(row["created_at"]),
        )
        for row in rows
    ]


def format_report(lines: list[UndeliveredLine], now: datetime | None = None) -> str:
    if not lines:
        return "No undelivered legal notices."
    header = f"{'id':36}  {'person id':36}  {'reason':28}  {'age':>8}  event"
    out = [header, "-" * len(header)]
    for line in lines:
        out.append(
            f"{line.id:36}  {line.person_id:36}  {line.reason:28}  "
            f"{age(line.created_at, now):>8}  {line.event_key}"
        )
    out.append(f"{len(lines)} undelivered legal notice(s).")
    return "\n".join(out)
