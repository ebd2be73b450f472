"""Time helpers: aware UTC everywhere, Europe/Riga for what people see and for legal dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

RIGA = ZoneInfo("Europe/Riga")


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC (never a naive datetime)."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Normalise an aware datetime to UTC; a naive one is taken to be UTC already.

    SQLite hands back naive datetimes for timestamptz columns, PostgreSQL aware ones: this
    makes comparisons behave the same on both engines.
    """
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def riga_today(now: datetime | None = None) -> date:
    """Today's date in Latvia (a deadline 'today' means today in Riga, not in UTC)."""
    return as_utc(now or utcnow()).astimezone(RIGA).date()


def age_text(since: datetime, now: datetime | None = None) -> str:
    """How long ago, for operators' reports: `2d 3h`, `3h 5m`, `7m`."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"
