"""How fast nlp is: start-up, messages per second on one core, memory it adds.

    .venv/bin/python bench/bench_nlp.py [--repeat 20]

Runs in a fresh process so start-up and RSS are what a gateway worker pays. The short
messages are the labelled sets in tests/data/ (real phrasing), cycled; the letters are
the public residents' letters of ../shared/data/train.csv cut to 400 characters (read in
place, never copied; skipped when that directory is absent).
Throughput is given per CPU-second of this process (what one core delivers, whatever
else the machine runs) and per wall-clock second (what it delivered this time).
"""

from __future__ import annotations

import argparse
import csv
import gc
import os
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
LETTERS = ROOT.parent / "shared" / "data" / "train.csv"
LETTER_CHARS = 400


def _messages() -> list[str]:
    texts = []
    for path in sorted((ROOT / "tests" / "data").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            texts += [row["text"] for row in csv.DictReader(fh) if row.get("text")]
    return texts


def _letters() -> list[str]:
    if not LETTERS.exists():
        return []
    with LETTERS.open(encoding="utf-8-sig", newline="") as fh:
        return [row["text"][:LETTER_CHARS] for row in csv.DictReader(fh) if len(row.get("text") or "") >= LETTER_CHARS]


def _rate(classify, texts: list[str], repeat: int) -> tuple[int, float, float]:
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for text in texts:
            classify(text)
    return len(texts) * repeat, time.perf_counter() - start, time.process_time() - cpu_start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20, help="passes over the message set")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, as promised
    texts = _messages()
    process = psutil.Process()
    gc.collect()
    rss_before = process.memory_info().rss

    start, cpu_start = time.perf_counter(), time.process_time()
    import nlp  # importing is part of what start-up costs

    nlp.load()
    startup, startup_cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rss_after_load = process.memory_info().rss

    nlp.classify(texts[0])
    n, elapsed, cpu = _rate(nlp.classify, texts, args.repeat)
    letters = _letters()
    letter_n, _, letter_cpu = _rate(nlp.classify, letters, max(1, args.repeat // 10)) if letters else (0, 0, 0)
    rss_end = process.memory_info().rss

    print(f"messages        {len(texts)} distinct x {args.repeat} = {n}")
    print(f"start-up        {startup:.3f} s wall, {startup_cpu:.3f} s CPU (import + jieba dictionary + rules)")
    print(f"throughput      {n / cpu:,.0f} msgs per CPU-second on one core ({cpu * 1e6 / n:.0f} µs CPU each); "
          f"{n / elapsed:,.0f} msgs/s wall-clock this run")
    if letters:
        print(f"letters         {letter_n / letter_cpu:,.0f} letters of {LETTER_CHARS} characters per CPU-second "
              f"({letter_cpu * 1e6 / letter_n:.0f} µs CPU each, {len(letters)} distinct)")
    print(f"load average    {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs (wall figures suffer when high)")
    print(f"RSS added       {(rss_after_load - rss_before) / 2**20:.1f} MiB after load, "
          f"{(rss_end - rss_before) / 2**20:.1f} MiB after the run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
