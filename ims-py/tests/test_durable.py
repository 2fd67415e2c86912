"""`Engine.open`: a durable engine on a journal directory."""

from __future__ import annotations

import gc
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ims
from ims import errors as E

from conftest import T0, build_engine


def digests(e: ims.Engine) -> Any:
    return (e.state_digest(), e.journal_digest(), e.seq)


def test_fresh_directory(tmp_path: Path) -> None:
    path = tmp_path / "journal"
    with ims.Engine.open(path) as e:
        assert path.is_dir()
        assert e.recovery is not None
        assert e.recovery["replayed"] == 0 and e.recovery["snapshot_seq"] is None
        assert e.seq == 0 and not e.closed
    assert e.closed


def test_reopen_gives_the_same_digests(tmp_path: Path) -> None:
    with ims.Engine.open(tmp_path) as e:
        build_engine(e)
        e.reserve("R", "MILK", 5, "S", ttl_ms=timedelta(hours=1), occurred_at=T0, client_key="k-1")
        e.sell("MILK", "S/A", 2, occurred_at=T0)
        want = digests(e)
        envs = e.events()
    assert want[2] == 6
    with ims.Engine.open(str(tmp_path)) as e:
        assert digests(e) == want
        assert e.recovery is not None and e.recovery["replayed"] == 6 and e.recovery["truncated_bytes"] == 0
        assert e.recovery["bad_snapshots"] == []
        assert e.events() == envs
        assert e.availability("MILK").available == Decimal(17)
        assert e.verify() == []
        # Idempotency keys survive the restart.
        o = e.reserve("R", "MILK", 5, "S", ttl_ms=timedelta(hours=1), occurred_at=T0, client_key="k-1")
        assert o.exists and o.seq == 5
        # The same commands in memory give the same digests.
        m = build_engine()
        m.reserve("R", "MILK", 5, "S", ttl_ms=timedelta(hours=1), occurred_at=T0, client_key="k-1")
        m.sell("MILK", "S/A", 2, occurred_at=T0)
        assert digests(m) == want


def test_refusals_are_not_journaled(tmp_path: Path) -> None:
    with ims.Engine.open(tmp_path) as e:
        build_engine(e)
        with pytest.raises(E.InsufficientAvailableError):
            e.reserve("R", "MILK", 99, "S", occurred_at=T0)
        with pytest.raises(E.InexactNumberError):
            e.sell("MILK", "S/A", 1.0, occurred_at=T0)
        want = digests(e)
    with ims.Engine.open(tmp_path) as e:
        assert digests(e) == want and e.recovery["replayed"] == 4


def test_checkpoint_then_reopen(tmp_path: Path) -> None:
    with ims.Engine.open(tmp_path) as e:
        build_engine(e)
        e.checkpoint()
        e.sell("MILK", "S/A", 1, occurred_at=T0)
        want = digests(e)
    with ims.Engine.open(tmp_path) as e:
        assert digests(e) == want
        assert e.recovery["snapshot_seq"] == 4
        assert e.recovery["replayed"] == 1


def test_closed_engine_refuses_every_call(tmp_path: Path) -> None:
    e = ims.Engine.open(tmp_path)
    build_engine(e)
    request = ims.Replica("till", e.snapshot()).sync_request()
    e.close()
    assert e.closed and "closed" in repr(e)
    calls = [
        lambda: e.seq, lambda: e.now, e.state_digest, e.journal_digest, e.verify, e.snapshot, e.fork, e.events,
        e.checkpoint, lambda: e.availability("MILK"), lambda: e.query("count_flags"),
        lambda: e.receive("MILK", "S/A", 1, occurred_at=T0),
        lambda: e.execute({"type": "sell", "item": "MILK", "location": "S/A", "qty": 1}),
        lambda: e.execute_batch([{"type": "sell", "item": "MILK", "location": "S/A", "qty": 1}]),
        lambda: e.advance_to(T0), lambda: e.slice_digest(), lambda: e.slice_snapshot(), lambda: e.tail_after(0),
        lambda: e.sync(request),
    ]
    for call in calls:
        with pytest.raises(E.EngineClosedError) as info:
            call()
        assert info.value.code == 704 and info.value.name == "ENGINE_CLOSED"
    # Closing twice is harmless.
    e.close()
    e.close()
    with pytest.raises(E.EngineClosedError):
        e.__reduce__()


def test_second_open_while_open_is_refused(tmp_path: Path) -> None:
    with ims.Engine.open(tmp_path) as first:
        build_engine(first)
        with pytest.raises(E.ImsError) as info:
            ims.Engine.open(tmp_path)
        assert type(info.value) is E.StorageError
        assert info.value.retryable is True
        # The refused open did not disturb the first.
        first.sell("MILK", "S/A", 1, occurred_at=T0)
        want = digests(first)
    # Once closed, the directory opens again.
    with ims.Engine.open(tmp_path) as again:
        assert digests(again) == want


def test_dropped_engine_releases_its_lock(tmp_path: Path) -> None:
    e = ims.Engine.open(tmp_path)
    build_engine(e)
    want = digests(e)
    del e
    gc.collect()
    with ims.Engine.open(tmp_path) as again:
        assert digests(again) == want


@pytest.mark.parametrize("durability", ["every_n", "never", "every_ms", ims.Durability.EVERY_N,
                                        ims.Durability.NEVER, ims.Durability.EVERY_COMMIT])
def test_durability_options(tmp_path: Path, durability: Any) -> None:
    with ims.Engine.open(tmp_path, durability=durability, every_n=3, every_ms=5) as e:
        build_engine(e)
        for i in range(5):
            e.sell("MILK", "S/A", 1, occurred_at=T0, client_key=f"s-{i}")
        want = digests(e)
    # A clean close flushes whatever the policy deferred.
    with ims.Engine.open(tmp_path) as e:
        assert digests(e) == want and e.recovery["replayed"] == 9


def test_segment_and_snapshot_options(tmp_path: Path) -> None:
    with ims.Engine.open(tmp_path, segment_bytes=4096, keep_snapshots=1) as e:
        build_engine(e)
        for i in range(60):
            e.sell("MILK", "S/A", 1, occurred_at=T0, reference=f"sale-{i:04d}")
        e.checkpoint()
        e.sell("MILK", "S/A", 1, occurred_at=T0)
        want = digests(e)
    with ims.Engine.open(tmp_path, segment_bytes=4096, keep_snapshots=1) as e:
        assert digests(e) == want
        assert e.recovery["snapshot_seq"] == 64 and e.recovery["replayed"] == 1


def test_durable_snapshot_and_fork_are_in_memory(tmp_path: Path) -> None:
    with ims.Engine.open(tmp_path) as e:
        build_engine(e)
        f = e.fork()
        r = ims.Engine.from_snapshot(e.snapshot())
        f.sell("MILK", "S/A", 1, occurred_at=T0)
        want = digests(e)
    assert digests(r) == want and not f.closed
    with ims.Engine.open(tmp_path) as e:
        assert digests(e) == want
