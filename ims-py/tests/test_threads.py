"""One engine shared by many Python threads: no oversell, a serial history
that replays to the same state, and the GIL released while the engine
works."""

from __future__ import annotations

import sys
import threading
import time
from decimal import Decimal
from typing import Any, Dict, List, Tuple

import ims
from ims import errors as E

from conftest import T0

THREADS = 8
STOCK = 100


def setup(e: ims.Engine) -> ims.Engine:
    e.define_item("MILK", scale=0, occurred_at=T0)
    e.define_location("S", kind="site", occurred_at=T0)
    e.define_location("S/A", kind="storage", parent="S", occurred_at=T0)
    e.define_location("S/B", kind="storage", parent="S", occurred_at=T0)
    e.receive("MILK", "S/A", 60, occurred_at=T0)
    e.receive("MILK", "S/B", STOCK - 60, occurred_at=T0)
    return e


def test_no_oversell_and_serial_replay() -> None:
    engine = setup(ims.Engine())
    base_seq = engine.seq
    accepted: List[Tuple[int, Dict[str, Any]]] = []
    stops: Dict[int, BaseException] = {}
    other_errors: List[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker(t: int) -> None:
        barrier.wait()
        n = 0
        while True:
            cmd = {"type": "reserve", "reservation": f"T{t}-{n}", "item": "MILK", "qty": 1, "scope": "S",
                   "occurred_at": T0, "client_key": f"k-{t}-{n}"}
            try:
                o = engine.execute(cmd)
            except E.InsufficientAvailableError as exc:
                stops[t] = exc
                return
            except BaseException as exc:  # pragma: no cover - reported below
                other_errors.append(exc)
                return
            assert not o.exists
            with lock:
                accepted.append((o.seq, cmd))
            n += 1

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not any(th.is_alive() for th in threads)
    assert other_errors == []
    # Every thread stopped on INSUFFICIENT_AVAILABLE (retryable), after the
    # stock ran out: not one unit more than there was.
    assert sorted(stops) == list(range(THREADS))
    assert all(exc.retryable and exc.data["available"] == "0" for exc in stops.values())
    assert len(accepted) == STOCK
    seqs = sorted(s for s, _ in accepted)
    assert seqs == list(range(base_seq + 1, base_seq + STOCK + 1)), "seqs are unique and contiguous"
    assert engine.seq == base_seq + STOCK
    a = engine.availability("MILK", "S")
    assert (a.on_hand, a.reserved, a.available) == (Decimal(STOCK), Decimal(STOCK), Decimal(0))
    assert sum(b.reserved for b in engine.balances("MILK")) == STOCK
    assert engine.verify() == []

    # The journal's order is the seq order the threads were answered in.
    envs = engine.events(after=base_seq)
    assert [e["seq"] for e in envs] == seqs
    by_key = {c["client_key"]: c for _, c in accepted}
    assert [e["client_key"] for e in envs] == [c["client_key"] for _, c in sorted(accepted, key=lambda x: x[0])]

    # Replayed one by one in seq order on a fresh engine with the same
    # setup, the accepted commands give the very same state and journal.
    fresh = setup(ims.Engine())
    for env in envs:
        o = fresh.execute(by_key[env["client_key"]])
        assert o.seq == env["seq"]
    assert fresh.state_digest() == engine.state_digest()
    assert fresh.journal_digest() == engine.journal_digest()


def test_concurrent_retries_with_one_key_run_once() -> None:
    engine = setup(ims.Engine())
    base = engine.seq
    outcomes: List[Any] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)
    cmd = {"type": "reserve", "reservation": "CART", "item": "MILK", "qty": 7, "scope": "S", "occurred_at": T0,
           "client_key": "cart-1"}

    def worker() -> None:
        barrier.wait()
        o = engine.execute(dict(cmd))
        with lock:
            outcomes.append(o)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert len(outcomes) == THREADS
    assert {o.seq for o in outcomes} == {base + 1}
    assert sum(not o.exists for o in outcomes) == 1
    assert engine.seq == base + 1 and engine.availability("MILK").reserved == Decimal(7)


def test_gil_released_during_a_long_batch() -> None:
    engine = setup(ims.Engine())
    cmds = [{"type": "receive", "item": "MILK", "location": "S/A", "qty": "1", "occurred_at": T0}
            for _ in range(20_000)]
    counter = [0]
    stop = threading.Event()
    started = threading.Event()

    def spin() -> None:
        started.set()
        while not stop.is_set():
            counter[0] += 1
            # Give the GIL back now and then (sleep releases it), so the
            # other thread never waits a switch interval for it.
            if counter[0] % 64 == 0:
                time.sleep(0)

    old = sys.getswitchinterval()
    # With a huge switch interval the interpreter never takes the GIL from
    # the batch thread while it runs Python (or holds the GIL in native
    # code): the spinner can only advance while the GIL is released.
    sys.setswitchinterval(1000.0)
    try:
        th = threading.Thread(target=spin)
        th.start()
        started.wait(10)
        before = counter[0]
        res = engine.execute_batch(cmds, mode="independent")
        during = counter[0] - before
    finally:
        stop.set()
        sys.setswitchinterval(old)
        th.join(timeout=30)
    assert len(res) == 20_000 and all(isinstance(r, ims.Outcome) for r in res)
    assert engine.availability("MILK").on_hand == Decimal(STOCK + 20_000)
    assert during > 0, "no Python code ran while the batch executed: the GIL was held"
