"""The benchmark: load, HTTP against a no-op baseline, uncached first requests, and Datasette."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import log, peer, report, synth, wrk
from bench.http import measure, uncached
from bench.peer import DATASETTE_VENV
from bench.targets import pick

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results"


def prepare(n: int, seed: int) -> tuple[Path, Path]:
    """The fixture directory and SQLite export for ``n`` positions, made once and reused."""
    directory = WORK / f"n{n}"
    fixtures, database = directory / "fixtures", directory / "parley.db"
    # regenerate when the arguments or the generator change; its output is deterministic
    generator = hashlib.sha256()
    for module in ("synth.py", "catalogue.py"):
        generator.update((ROOT / "bench" / module).read_bytes())
    stamp = fixtures / ".synth.json"
    wanted = {"positions": n, "seed": seed, "generator": generator.hexdigest()}
    if not stamp.is_file() or json.loads(stamp.read_text()) != wanted:
        log(f"writing {n:,} synthetic positions to {fixtures}")
        arguments = ["--positions", str(n), "--seed", str(seed), "--output", str(fixtures)]
        synth.main([*arguments, "--force"])
        stamp.write_text(json.dumps(wanted))
        database.unlink(missing_ok=True)
    if not database.is_file():
        log(f"exporting {database}")
        parley = str(Path(sys.executable).with_name("parley"))
        command = [parley, "export", "--format", "sqlite", "--fixtures", str(fixtures)]
        subprocess.run(
            [*command, "--output", str(database)],
            check=True,
            cwd=ROOT,
            timeout=600,
            stderr=subprocess.DEVNULL,
        )
    return fixtures, database


def _probe(*arguments: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.loadprobe", *arguments],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=600,
    )
    return json.loads(done.stdout)


def measure_load(fixtures: Path, repeats: int) -> dict:
    """Each load in a fresh process; the median time (and the range), the largest peak RSS.

    Each load is followed by the reference (bench/loadprobe.py, ``parse_only``): yaml-rs
    alone parsing the same files in one process. The host's speed moves by more than half
    within an hour; the ratio of the two says how the load fares against the parser it is
    built on, whatever the host was doing.
    """
    runs, parses = [], []
    for _ in range(repeats):
        runs.append(_probe(str(fixtures)))
        parses.append(_probe("--parse-only", str(fixtures)))
    return {
        "parse_s": statistics.median(p["parse_s"] for p in parses),
        "load_per_parse": statistics.median(
            r["load_s"] / p["parse_s"] for r, p in zip(runs, parses, strict=True)
        ),
        "parses": parses,
        "load_s": statistics.median(r["load_s"] for r in runs),
        "load_range_s": [min(r["load_s"] for r in runs), max(r["load_s"] for r in runs)],
        "cpu_s": statistics.median(r["cpu_s"] for r in runs),
        "helper_peak_rss_kb": max(r["helper_peak_rss_kb"] for r in runs),
        "peak_rss_kb": max(r["peak_rss_kb"] for r in runs),
        "rss_after_kb": max(r["rss_after_kb"] for r in runs),
        "rss_before_kb": max(r["rss_before_kb"] for r in runs),
        "runs": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 only, 3 s runs")
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(n) for n in s.split(",")],
        help="positions per run, comma-separated (default 1000,10000,100000)",
    )
    parser.add_argument(
        "--duration", type=int, help="seconds of wrk per endpoint (default 12; quick 4)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        help="alternating slices the duration is cut into (default 6; quick 2)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per endpoint")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: the config's)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-peer", action="store_true", help="skip Datasette")
    parser.add_argument("--output", type=Path, default=RESULTS, help="results directory")
    parser.add_argument(
        "--check", action="store_true", help="only run the benchmark's self-checks (bench/checks)"
    )
    args = parser.parse_args(argv)
    if args.check:
        checks = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "bench/checks"]
        return subprocess.run(checks, cwd=ROOT, check=False).returncode
    sizes = args.sizes or ([1000, 10_000] if args.quick else [1000, 10_000, 100_000])
    duration = args.duration or (4 if args.quick else 12)
    args.rounds = args.rounds or (2 if args.quick else 6)
    load = wrk.Load(args.threads, args.connections, duration)
    if not wrk.available():
        parser.error("wrk is not installed: apt-get install -y wrk")
    with_peer = not args.no_peer
    if with_peer:
        peer.setup_datasette()
    started, clock = datetime.now(UTC).replace(microsecond=0), time.monotonic()
    busy = os.getloadavg()[0]
    results = {
        "started": started.isoformat(),
        "sizes": {},
        "settings": {
            "quick": args.quick,
            "duration": duration,
            "rounds": args.rounds,
            "warmup": args.warmup,
            "threads": load.threads,
            "connections": load.connections,
            "workers": args.workers,
            "seed": args.seed,
        },
    }
    for n in sizes:
        log(f"== {n:,} positions")
        fixtures, database = prepare(n, args.seed)
        files = sorted(fixtures.glob("*.yaml"))
        size = results["sizes"][str(n)] = {
            "fixtures": {"files": len(files), "bytes": sum(p.stat().st_size for p in files)},
            "sqlite_bytes": database.stat().st_size,
        }
        size["load"] = measure_load(fixtures, repeats=1 if args.quick else 5)
        load_s, peak = size["load"]["load_s"], size["load"]["peak_rss_kb"] / 1024
        log(f"load {load_s:.2f} s, peak RSS {peak:.0f} MB")
        picks = pick(database)
        size["picks"] = picks.as_dict()
        found = measure(fixtures, database, picks, args, load)
        size["http"] = {"endpoints": found["endpoints"]}
        size["worker_memory"] = found.get("worker_memory")
        if "peer" in found:
            size["peer"] = found["peer"]
    # first requests at the largest size (issue 5's targets), and at the size the
    # Explorer's and convergence's targets name, if it was run and is not the largest
    largest = max(sizes)
    results["uncached"] = []
    for n in sorted({largest, *(n for n in sizes if n == report.EXPLORER_SIZE)}, reverse=True):
        fixtures, database = prepare(n, args.seed)
        log(f"== uncached, {n:,} positions")
        picks = pick(database)
        run = uncached(fixtures, picks, args, max(8, duration))
        if with_peer and n == largest:
            run["datasette"] = peer.uncached_peer(database, picks, max(8, duration))
        results["uncached"].append(run)
    results["elapsed_s"] = time.monotonic() - clock
    results["settings"]["load_average"] = [busy, os.getloadavg()[0]]
    results["machine"] = report.machine(DATASETTE_VENV if with_peer else None)
    results["targets"] = report.targets(results)
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "latest.json").write_text(json.dumps(results, indent=2, default=str) + "\n")
    (args.output / "latest.md").write_text(report.markdown(results))
    log(f"wrote {args.output / 'latest.md'} and latest.json in {results['elapsed_s']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
