"""make bench: measure the performance goals, print the figures, fail when one is missed.

python -m benchmarks.run [--candidates 50000] [--postings 100] [--only engine,...]
"""

import argparse
import os
import platform
import resource
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the engine's goal is on one core

GOALS = {
    "engine_median_ms": ("≤", 50.0),
    "ratio": ("≥", 20.0),
    "page_median_ms": ("≤", 400.0),
    "dashboard_median_ms": ("≤", 500.0),
}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def check(results: dict, goals: dict) -> list[str]:
    missed = []
    for name, (sense, limit) in goals.items():
        if name not in results:
            continue
        value = results[name]
        ok = value <= limit if sense == "≤" else value >= limit
        print(
            f"  {'ok ' if ok else 'MISSED'} {name} = {value:.1f} (goal {sense} {limit:g})"
        )
        if not ok:
            missed.append(name)
    return missed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--postings", type=int, default=100)
    parser.add_argument("--naive-sample", type=int, default=5)
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    only = set(filter(None, args.only.split(",")))
    print(f"Machine: {machine()}")
    missed: list[str] = []
    if not only or "engine" in only:
        from benchmarks import engine

        print(
            f"\n(a, b) Matching engine: {args.candidates} candidates, {args.postings} postings"
        )
        results = engine.run(args.candidates, args.postings, args.naive_sample)
        print(
            f"  candidate pool built in {results['pool_build_s']:.2f} s (once, then cached)"
        )
        print(
            f"  engine: median {results['engine_median_ms']:.1f} ms, p95 {results['engine_p95_ms']:.1f} ms"
        )
        print(
            f"  naive loop: median {results['naive_median_ms']:.0f} ms, ratio {results['ratio']:.0f}×"
        )
        missed += check(results, GOALS)
    if not only or "page" in only:
        from benchmarks import suggestions_page

        print(
            f"\n(c) Suggestions page, {args.candidates} candidates in SQLite, 20 requests"
        )
        results = suggestions_page.run(args.candidates)
        print(
            f"  data loaded in {results['load_s']:.1f} s; first request {results['first_ms']:.0f} ms (builds the cached pool)"
        )
        print(f"  page: median {results['page_median_ms']:.0f} ms")
        missed += check(results, GOALS)
    if not only or "dashboard" in only:
        from benchmarks import dashboard

        print(
            "\nTerritory dashboard: 2,000 organisations, 5,000 cases, 50,000 candidates (SQLite)"
        )
        results = dashboard.run()
        print(f"  page: median {results['dashboard_median_ms']:.0f} ms")
        missed += check(results, GOALS)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n(d) Peak memory: {peak_mb:.0f} MB")
    if missed:
        print(f"\nGoals missed: {', '.join(missed)}")
        return 1
    print("\nEvery goal met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
