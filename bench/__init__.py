"""Benchmarks run by `vienuviet bench NAME`; each prints ratios measured side by side.

A benchmark's numbers mean nothing if messages were lost or answers were wrong on the way, so
each one also counts those (`Faults`) and exits non-zero when any count is not zero.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


def report_line(label: str, value: str) -> str:
    return f"  {label:<22} {value}"


@dataclass
class Faults:
    """What a benchmark found wrong: lost messages, wrong or failed answers, duplicates."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        """Count `count` faults of kind `what` (a plural noun phrase: "pushes lost")."""
        if count:
            self.counts[what] = self.counts.get(what, 0) + count

    def exit_code(self) -> int:
        """Say what went wrong (stderr), and the exit code: 0 only if nothing did."""
        if not self.counts:
            print("correctness: nothing lost, every answer right")
            return 0
        for what, count in self.counts.items():
            print(f"FAILED: {count} {what}", file=sys.stderr)
        return 1
