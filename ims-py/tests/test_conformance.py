"""The conformance scenarios (conformance/scenarios/*.json) replayed through
the public Python API: every step's outcome, in the expectation's JSON shape,
must equal the file's expectation under JSON equality, and the final digests
must be the Rust runner's. See conformance/README.md for the format."""

from __future__ import annotations

import json
import struct
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

import ims
from ims.errors import ImsError
from ims.results import Outcome, to_jsonable

SCENARIOS = Path(__file__).resolve().parent.parent.parent / "conformance" / "scenarios"
FILES = sorted(SCENARIOS.glob("*.json"))

#: `start_replica` limits the README gives as defaults.
DEFAULT_MAX_LEN = 10_000
DEFAULT_MAX_AGE_MS = 7 * 86_400_000
DEFAULT_MAX_TAIL = 100_000


#: Every error name this door returned (conformance/src/codes.rs), written
#: for `door codes` in scripts/test-all when the module's tests are done.
RETURNED: set = set()


def collect(v: Any) -> None:
    if isinstance(v, dict):
        for k, x in v.items():
            if k in ("error", "name") and isinstance(x, str) and x and all(c.isupper() or c.isdigit() or c == "_" for c in x):
                RETURNED.add(x)
            else:
                collect(x)
    elif isinstance(v, list):
        for x in v:
            collect(x)


@pytest.fixture(scope="module", autouse=True)
def write_returned_codes():
    yield
    out = SCENARIOS.parent.parent / "target" / "conformance-codes"
    out.mkdir(parents=True, exist_ok=True)
    (out / "py.txt").write_text("".join(f"{c}\n" for c in sorted(RETURNED)), encoding="utf-8")


def test_scenarios_are_found() -> None:
    assert len(FILES) >= 20, f"no scenarios under {SCENARIOS}"


# --- JSON equality -------------------------------------------------------

def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, float):
        return "float"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    if isinstance(v, dict):
        return "object"
    return f"<{type(v).__name__}>"


def json_diff(expected: Any, actual: Any, path: str, out: List[str]) -> None:
    """Strict JSON equality (a bool is not a number, 5 is not "5", 1 is
    not 1.0), reported path by path like the Rust runner."""
    ek, ak = _kind(expected), _kind(actual)
    if ek != ak:
        out.append(f"{path}: expected {expected!r} ({ek}), got {actual!r} ({ak})")
        return
    if ek == "object":
        for k, ev in expected.items():
            if k not in actual:
                out.append(f"{path}.{k}: expected {ev!r}, actual has none")
            else:
                json_diff(ev, actual[k], f"{path}.{k}", out)
        for k in actual:
            if k not in expected:
                out.append(f"{path}.{k}: not expected, actual has {actual[k]!r}")
    elif ek == "array":
        for i, (ev, av) in enumerate(zip(expected, actual)):
            json_diff(ev, av, f"{path}[{i}]", out)
        if len(expected) != len(actual):
            out.append(f"{path}: expected {len(expected)} element(s), got {len(actual)}")
    elif expected != actual:
        out.append(f"{path}: expected {expected!r}, got {actual!r}")


def _outcome_kind(v: Dict[str, Any]) -> str:
    for k in ("error", "ok", "results", "result"):
        if k in v:
            return k
    return "unknown"


def expectation_diff(expected: Dict[str, Any], actual: Dict[str, Any], prefix: str = "") -> List[str]:
    """Every key present in `expected` compared with the actual value."""
    out: List[str] = []
    if _outcome_kind(expected) != _outcome_kind(actual):
        return [f"{prefix}expected {_outcome_kind(expected)} {expected.get('error', '')}, got {actual!r}"]
    for k, ev in expected.items():
        path = f"{prefix}{k}"
        if k not in actual:
            out.append(f"{path}: expected {ev!r}, actual has none")
        elif k == "results":
            av = actual[k]
            if len(ev) != len(av):
                out.append(f"{path}: expected {len(ev)} results, got {len(av)}")
            for i, (e, a) in enumerate(zip(ev, av)):
                out.extend(expectation_diff(e, a, f"{path}[{i}]."))
        else:
            json_diff(ev, actual[k], path, out)
    return out


# --- building the actual outcome -----------------------------------------

def exact(v: Any) -> Any:
    """A scenario value as exact Python input: the door refuses floats, so a
    JSON real number goes in as the Decimal of its shortest repr."""
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, dict):
        return {k: exact(x) for k, x in v.items()}
    if isinstance(v, list):
        return [exact(x) for x in v]
    return v


def error_json(exc: ImsError) -> Dict[str, Any]:
    assert isinstance(exc, ImsError), f"not an ImsError: {exc!r}"
    assert exc.name, f"an ImsError without a catalogue name: {exc!r}"
    out: Dict[str, Any] = {"error": exc.name}
    if exc.name == "INVALID_COMMAND":
        return out
    data = to_jsonable(exc.data)
    if data:
        out["data"] = data
    return out


def outcome_json(o: Outcome, journal_digest: Optional[str]) -> Dict[str, Any]:
    assert isinstance(o, Outcome), f"not an Outcome: {o!r}"
    d: Dict[str, Any] = {
        "ok": True,
        "seq": o.seq,
        "exists": o.exists,
        "events": to_jsonable(list(o.events)),
        "changes": to_jsonable(list(o.changes)),
    }
    if journal_digest is not None:
        d["journal_digest"] = journal_digest
    return d


def decode_sync_response(resp: bytes) -> Dict[str, Any]:
    """The head of a sync response (docs/edge.md: `IMSSYNC1`, a LE u32
    length, the response without its tail as JSON, then the tail count)."""
    assert resp[:8] == b"IMSSYNC1", resp[:16]
    (n,) = struct.unpack_from("<I", resp, 8)
    head = json.loads(resp[12:12 + n].decode("utf-8"))
    (tail,) = struct.unpack_from("<I", resp, 12 + n)
    head["tail"] = tail
    return head


class Runner:
    """One scenario on one fresh engine, through the public API only."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.engine = ims.Engine()
        self.replicas: Dict[str, ims.Replica] = {}
        self.slices: Dict[str, Dict[str, List[str]]] = {}

    # Authority steps -----------------------------------------------------
    def command(self, c: Dict[str, Any]) -> Dict[str, Any]:
        before = self.engine.snapshot()
        try:
            o = self.engine.execute(exact(c))
        except ImsError as exc:
            assert self.engine.snapshot() == before, f"refused with {exc.name} but the state changed"
            return error_json(exc)
        return outcome_json(o, self.engine.journal_digest())

    def batch(self, b: Dict[str, Any]) -> Dict[str, Any]:
        assert set(b) == {"mode", "commands"}, b.keys()
        mode = b["mode"]
        before = self.engine.snapshot()
        try:
            results = self.engine.execute_batch(exact(b["commands"]), mode=mode)
        except ImsError as exc:
            assert self.engine.snapshot() == before, f"batch refused with {exc.name} but the state changed"
            return error_json(exc)
        if mode == "atomic":
            assert len(results) == 1, f"an atomic batch gave {len(results)} results"
            r = results[0]
            if isinstance(r, ImsError):
                assert self.engine.snapshot() == before
                return error_json(r)
            return outcome_json(r, self.engine.journal_digest())
        # Each success of an independent batch has its own envelope; the
        # Rust runner records, for each, the journal digest once the batch
        # has run. The same commands one by one on a copy taken before the
        # batch must give the same outcomes and end on the same digest.
        copy = ims.Engine.from_snapshot(before)
        for c, r in zip(b["commands"], results):
            try:
                o = copy.execute(exact(c))
            except ImsError as exc:
                assert isinstance(r, ImsError) and exc.name == r.name, (exc, r)
            else:
                assert o == r, (o, r)
        assert copy.journal_digest() == self.engine.journal_digest(), \
            "an independent batch and the same commands one by one end on other journal digests"
        digest = self.engine.journal_digest()
        out = [error_json(r) if isinstance(r, ImsError) else outcome_json(r, digest) for r in results]
        return {"results": out}

    @staticmethod
    def query(target: Any, q: Dict[str, Any]) -> Dict[str, Any]:
        args = {k: exact(v) for k, v in q.items() if k != "kind"}
        try:
            result = target.query(q["kind"], **args)
        except ImsError as exc:
            return error_json(exc)
        return {"result": to_jsonable(result)}

    # Edge steps -------------------------------------------------------
    def start_replica(self, s: Dict[str, Any]) -> Dict[str, Any]:
        assert set(s) <= {"name", "slice", "limits"}, s.keys()
        name = s["name"]
        assert name not in self.replicas, f"replica {name} started twice"
        sl = s.get("slice") or {}
        items, locations = list(sl.get("items", [])), list(sl.get("locations", []))
        limits = s.get("limits") or {}
        try:
            r = ims.Replica(name, self.engine.slice_snapshot(items, locations), items=items, locations=locations,
                            max_len=limits.get("max_len", DEFAULT_MAX_LEN),
                            max_age_ms=limits.get("max_age_ms", DEFAULT_MAX_AGE_MS))
        except ImsError as exc:
            return error_json(exc)
        self.replicas[name] = r
        self.slices[name] = {"items": items, "locations": locations}
        return {"ok": True, "seq": r.seq, "slice_digest": r.slice_digest()}

    def replica_command(self, name: str, c: Dict[str, Any]) -> Dict[str, Any]:
        r = self.replicas[name]
        before = (r.seq, r.pending, r.slice_digest())
        try:
            o = r.execute(exact(c))
        except ImsError as exc:
            assert (r.seq, r.pending, r.slice_digest()) == before, f"replica refused with {exc.name} but changed"
            return error_json(exc)
        d = outcome_json(o, None)
        d["pending"] = o.pending
        assert o.pending == r.pending
        return d

    def sync(self, s: Dict[str, Any]) -> Dict[str, Any]:
        assert set(s) <= {"replica", "max_tail", "lose"}, s.keys()
        lose = s.get("lose")
        assert lose in (None, "response"), lose
        r = self.replicas[s["replica"]]
        req = r.sync_request()
        try:
            resp = self.engine.sync(req, max_tail=s.get("max_tail", DEFAULT_MAX_TAIL))
        except ImsError as exc:
            return error_json(exc)
        head = decode_sync_response(resp)
        # `snapshot_required` is left out of the wire form when false.
        answer = {"results": head["results"], "conflicts": head["conflicts"], "head_seq": head["head_seq"],
                  "snapshot_required": head.get("snapshot_required", False), "tail": head["tail"]}
        if lose:
            return {"ok": True, "answer": answer, "lost": True}
        try:
            report = r.receive_sync(resp)
        except ImsError as exc:
            return error_json(exc)
        if report["snapshot_required"]:
            sl = self.slices[s["replica"]]
            r.reset(self.engine.slice_snapshot(sl["items"], sl["locations"]))
        level = r.pending == 0 and r.seq == self.engine.seq
        if level:
            sl = self.slices[s["replica"]]
            assert r.slice_digest() == self.engine.slice_digest(sl["items"], sl["locations"]), \
                "a level replica's slice digest differs from the authority's"
        return {"ok": True, "answer": answer, "report": to_jsonable(report), "level": level, "seq": r.seq,
                "slice_digest": r.slice_digest()}

    def step(self, step: Dict[str, Any]) -> Dict[str, Any]:
        keys = set(step) - {"note", "expect"}
        if "replica" in step:
            assert keys in ({"replica", "command"}, {"replica", "query"}), keys
            if "command" in step:
                return self.replica_command(step["replica"], step["command"])
            return self.query(self.replicas[step["replica"]], step["query"])
        assert len(keys) == 1, f"a step needs exactly one action, has {keys}"
        (k,) = keys
        if k == "command":
            return self.command(step["command"])
        if k == "batch":
            return self.batch(step["batch"])
        if k == "query":
            return self.query(self.engine, step["query"])
        if k == "start_replica":
            return self.start_replica(step["start_replica"])
        if k == "sync":
            return self.sync(step["sync"])
        raise AssertionError(f"unknown step {k}")


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path) -> None:
    sc = json.loads(path.read_text(encoding="utf-8"))
    assert set(sc) <= {"name", "description", "steps", "expect_final"}, sc.keys()
    assert sc["name"] == path.stem
    run = Runner(sc["name"])
    for i, step in enumerate(sc["steps"]):
        assert "expect" in step, f"step {i}: no expect"
        actual = run.step(step)
        collect(actual)
        diff = expectation_diff(step["expect"], actual)
        note = f" ({step['note']})" if "note" in step else ""
        assert not diff, (f"{sc['name']} step {i}{note}:\n  " + "\n  ".join(diff[:24])
                          + "\nactual:\n" + json.dumps(actual, sort_keys=True, default=str)[:4000])
        assert run.engine.verify() == [], f"step {i}: verify() failed"
    fin = sc["expect_final"]
    assert run.engine.journal_digest() == fin["journal_digest"], "final journal digest"
    assert run.engine.state_digest() == fin["state_digest"], "final state digest"
    # What the Python door can add: the final snapshot restores (and
    # pickles) to the same digests.
    restored = ims.Engine.from_snapshot(run.engine.snapshot())
    assert (restored.journal_digest(), restored.state_digest()) == (fin["journal_digest"], fin["state_digest"])
    assert restored.verify() == []
