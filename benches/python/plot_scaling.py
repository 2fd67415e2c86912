"""Plots the scaling curves (issue 11, part 4) from the CSV files the
`scaling` benchmark writes: docs/scaling_catalog.png (throughput and
memory against balance rows) and docs/scaling_replay.png (recovery time
against journal length). Run through scripts/bench-scaling.

    python plot_scaling.py CSV_DIR PNG_DIR
"""

from __future__ import annotations

import csv
import os
import sys
from typing import Dict, List

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def read(path: str) -> Dict[str, List[float]]:
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [float(r[k]) for r in rows] for k in rows[0]}


def catalog(c: Dict[str, List[float]], out: str) -> None:
    rows = c["balance_rows"]
    fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
    ax[0].plot(rows, [1e6 / u for u in c["reserve_commit_us"]], "o-", label="reserve + commit cycles")
    ax[0].plot(rows, [1e9 / n for n in c["availability_ns"]], "s-", label="availability questions")
    ax[0].set_ylabel("per second (one thread)")
    ax[0].set_title("Throughput")
    ax[1].plot(rows, [b / 2**20 for b in c["rss_bytes"]], "o-", label="resident set")
    ax[1].plot(rows, [b / 2**20 for b in c["snapshot_bytes"]], "s-", label="snapshot")
    ax[1].set_ylabel("MiB")
    ax[1].set_title("Memory and snapshot size")
    ax[2].plot(rows, c["load_s"], "o-", label="load (one receipt per row)")
    ax[2].plot(rows, c["restore_s"], "s-", label="restore from snapshot")
    ax[2].plot(rows, c["snapshot_s"], "^-", label="write snapshot")
    ax[2].set_ylabel("seconds")
    ax[2].set_title("Load, snapshot, restore")
    for a in ax:
        a.set_xscale("log")
        a.set_xlabel("balance rows (items x 10 bins)")
        a.grid(True, which="both", alpha=0.3)
        a.legend(fontsize=8)
    for a in ax[1:]:
        a.set_yscale("log")
    ax[0].set_ylim(bottom=0)
    fig.suptitle("ims-core as the catalog grows (release build, one thread, items drawn uniformly)")
    fig.tight_layout()
    fig.savefig(out, dpi=100)


def replay(r: Dict[str, List[float]], out: str) -> None:
    n = r["sales"]
    fig, ax = plt.subplots(1, 2, figsize=(10, 4.2))
    ax[0].plot(n, r["replay_s"], "o-", label="replay the whole journal")
    ax[0].plot(n, r["snapshot_open_s"], "s-", label="open from a snapshot at its end")
    ax[0].set_xscale("log")
    ax[0].set_yscale("log")
    ax[0].set_ylabel("seconds to open")
    ax[0].set_title("Recovery time")
    ax[1].plot(n, r["envelopes_per_s"], "o-")
    ax[1].set_xscale("log")
    ax[1].set_ylim(bottom=0)
    ax[1].set_ylabel("envelopes replayed per second")
    ax[1].set_title("Replay rate")
    for a in ax:
        a.set_xlabel("sales in the journal (after the catalog set-up: 111k commands)")
        a.grid(True, which="both", alpha=0.3)
    ax[0].legend(fontsize=8)
    fig.suptitle("ims-journal recovery as the journal grows (10k items x 10 bins)")
    fig.tight_layout()
    fig.savefig(out, dpi=100)


def main() -> None:
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    for name, plot in [("scaling_catalog", catalog), ("scaling_replay", replay)]:
        path = os.path.join(src, name + ".csv")
        if os.path.exists(path):
            plot(read(path), os.path.join(dst, name + ".png"))
            print(f"wrote {os.path.join(dst, name + '.png')}")


if __name__ == "__main__":
    main()
