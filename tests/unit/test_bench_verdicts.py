"""What makes a benchmark fail: every lost message and wrong answer, in each benchmark's own
accounting (the end-to-end proof is tests/integration/foundation/test_bench_correctness.py)."""

from __future__ import annotations

import pytest

from bench import Faults
from bench.eaddress import verdict
from bench.eaddress_load import Latencies, Rate
from bench.push import check_receiver


def listing(walks: list[tuple[int, int]], unread: int = 50) -> Latencies:
    return Latencies(mailbox=100, page_size=50, walks=walks, unread=unread)


def test_a_clean_eaddress_run_passes(capsys: pytest.CaptureFixture[str]) -> None:
    faults = verdict(Rate(ok=500), Rate(ok=300), 300, listing([(100, 100), (100, 100)]))
    assert faults.exit_code() == 0
    assert "nothing lost" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("sends", "outbox", "walks", "unread", "said"),
    [
        (Rate(ok=300), 299, [(100, 100)], 50, "1 accepted messages without their outbox event"),
        (Rate(ok=300), 301, [(100, 100)], 50, "1 outbox events without an accepted message"),
        (Rate(ok=299, errors=1), 299, [(100, 100)], 50, "1 sends answered with an error"),
        (Rate(ok=300), 300, [(100, 99)], 50, "1 page walks that did not see every message"),
        (Rate(ok=300), 300, [(101, 100)], 50, "1 page walks that did not see every message"),
        (Rate(ok=300), 300, [(100, 100)], 49, "1 wrong unread counts"),
    ],
)
def test_an_eaddress_run_with_a_loss_or_a_wrong_answer_fails(
    sends: Rate,
    outbox: int,
    walks: list[tuple[int, int]],
    unread: int,
    said: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    faults = verdict(Rate(ok=500), sends, outbox, listing(walks, unread))
    assert faults.exit_code() == 1
    assert f"FAILED: {said}" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("stats", "said"),
    [
        ({"received": 9, "pushes": 9, "rejections": 0}, "1 pushes lost"),
        ({"received": 10, "pushes": 11, "rejections": 0}, "1 pushes delivered more than once"),
        ({"received": 10, "pushes": 10, "rejections": 2}, "2 pushes rejected by the receiver"),
    ],
)
def test_a_push_run_with_a_loss_a_duplicate_or_a_rejection_fails(
    stats: dict[str, int], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    faults = Faults()
    check_receiver({**stats, "rejected": ["bad VAPID"]}, 10, faults)
    assert faults.exit_code() == 1
    assert f"FAILED: {said}" in capsys.readouterr().err


def test_a_clean_push_run_passes() -> None:
    faults = Faults()
    check_receiver({"received": 10, "pushes": 10, "rejections": 0, "rejected": []}, 10, faults)
    assert faults.exit_code() == 0
