"""A background job as the worker (`backend/worker.py`) runs it: a coroutine that does one
batch of work. Here, below every feature, so that a feature's `jobs.py` declares its jobs
without importing the worker (a root); `S` is what the job is handed (the worker hands it
`Services`)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

S = TypeVar("S")


@dataclass(frozen=True)
class Job(Generic[S]):
    name: str
    run: Callable[[S], Awaitable[int]]
    """One batch of work; returns how many items it handled (0 = nothing to do)."""
    idle_interval_s: float = 1.0
    """How long to sleep when a batch found nothing to do."""
