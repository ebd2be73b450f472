"""Where the cores went during `bench push`'s engine phase, from /proc (Linux): the engine's
processes, the receiver, PostgreSQL (every backend of the cluster), and the whole machine —
so a figure says whether the engine, or what it talks to, was the limit."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def machine_busy_s() -> float:
    """CPU seconds all cores spent not idle (steal included: it was not ours either)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / _TICK


@dataclass
class CpuWindow:
    """CPU used between `start` and `stop` by named groups of processes."""

    groups: dict[str, list[int]]
    _before: dict[str, float] = field(default_factory=dict)
    used: dict[str, float] = field(default_factory=dict)

    def _sample(self) -> dict[str, float]:
        sample = {name: sum(process_cpu_s(p) for p in pids) for name, pids in self.groups.items()}
        sample["machine"] = machine_busy_s()
        return sample

    def start(self) -> None:
        self._before = self._sample()

    def stop(self) -> None:
        after = self._sample()
        self.used = {name: after[name] - self._before[name] for name in after}
