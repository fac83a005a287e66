"""new_checkpoint_id: UUIDv7 strings whose string order is creation order."""

from __future__ import annotations

import time
import uuid

from runtime.checkpoint import new_checkpoint_id
from runtime.checkpoint.ids import IdGenerator


def test_ids_are_uuid7_and_carry_the_current_time() -> None:
    before_ms = time.time_ns() // 1_000_000
    parsed = uuid.UUID(new_checkpoint_id())
    after_ms = time.time_ns() // 1_000_000
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert before_ms <= parsed.int >> 80 <= after_ms


def test_ids_increase_as_strings_within_a_process() -> None:
    ids = [new_checkpoint_id() for _ in range(5000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_still_increase_when_the_clock_stands_still_or_goes_back() -> None:
    readings = iter([5_000_000_123] * 100 + [4_000_000_000] * 100 + [5_000_000_124] * 100)
    generate = IdGenerator(clock=lambda: next(readings))
    ids = [generate() for _ in range(300)]
    assert all(a < b for a, b in zip(ids, ids[1:]))
    assert all(uuid.UUID(i).version == 7 for i in ids)
    assert uuid.UUID(ids[0]).int >> 80 == 5_000  # milliseconds of the first reading


def test_later_time_gives_a_greater_id_even_across_generators() -> None:
    # Another process is another generator: ordering then rests on the clock alone.
    early = IdGenerator(clock=lambda: 1_000_000_000)()
    late = IdGenerator(clock=lambda: 1_000_000_250)()  # 250 ns later: next sub-ms slot
    assert early < late
