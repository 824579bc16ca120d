"""Soak: minutes of mixed traffic over many distinct URLs, with every worker's memory sampled.

    python -m bench.soak [--minutes 5] [--positions 10000]

gunicorn serves a synthetic set with the production config; wrk sends a rotating list of
thousands of distinct URLs (snapshots, timelines, changes, compare, filtered positions,
CSV, earlier record days with known_at, and repeats of a few), so the response cache
fills and keeps evicting. Every few seconds each worker's RSS is read from /proc. The
verdict is about the last part of the run: once the cache is full, memory must stay flat.
Results go to bench/results/soak.md and soak.json. Traffic goes to 127.0.0.1 only, and
every wait is bounded.
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
from datetime import UTC, date, datetime, timedelta

from bench import log, wrk
from bench.runner import RESULTS, WORK, prepare
from bench.servers import memory, start_parley
from bench.targets import pick

API = "/api/v1"
CLOSE = {"Connection": "close"}
CACHE_MB = 32
SAMPLE_S = 5


def urls(picks, count: int, seed: int = 3) -> list[str]:
    """``count`` URLs, mostly distinct, over every kind of read and representation."""
    rng = random.Random(seed)
    span = (picks.last - picks.first).days
    issues, parties = list(picks.issues), list(picks.parties)

    def day() -> date:
        return picks.first + timedelta(days=rng.randint(0, span))

    makers = [
        lambda: f"{API}/snapshot?as_of={day()}",
        lambda: f"{API}/snapshot?as_of={day()}&format=csv",
        lambda: f"{API}/issues/{rng.choice(issues)}/timeline",
        lambda: f"{API}/changes?since={day()}&page_size=100",
        lambda: f"{API}/positions?since={day()}&format=csv&page_size=500",
        lambda: f"{API}/positions?party={rng.choice(parties)}&page={rng.randint(1, 20)}",
        lambda: f"{API}/compare?parties={','.join(rng.sample(parties[:8], 2))}&as_of={day()}",
        lambda: f"{API}/snapshot?as_of={day()}&known_at=2024-01-{rng.randint(2, 28):02d}",
        lambda: f"{API}/positions?issue={rng.choice(issues)}&since={day()}",
    ]
    found = [rng.choice(makers)() for _ in range(count)]
    hot = found[:20]
    return found + [rng.choice(hot) for _ in range(count // 4)]


def sample(server, stop: threading.Event, samples: list, started: float) -> None:
    while not stop.wait(SAMPLE_S):
        workers = {}
        for pid in server.children():
            try:
                workers[pid] = memory(pid)["rss_kb"]
            except (OSError, KeyError):
                continue
        samples.append({"t": round(time.monotonic() - started, 1), "workers_rss_kb": workers})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--positions", type=int, default=10_000)
    parser.add_argument("--urls", type=int, default=20_000)
    args = parser.parse_args(argv)
    fixtures, database = prepare(args.positions, seed=1)
    picks = pick(database)
    paths = urls(picks, args.urls)
    script = wrk.rotating_script(paths, WORK / "lua", "soak")
    server = start_parley(fixtures, workers=None, cache_mb=CACHE_MB, log=WORK / "logs" / "soak.log")
    samples: list[dict] = []
    try:
        server.wait_ready("/healthz", children=1)
        stop, started = threading.Event(), time.monotonic()
        sampler = threading.Thread(target=sample, args=(server, stop, samples, started))
        sampler.start()
        duration = int(args.minutes * 60)
        log(f"soak: {duration} s of {len(set(paths)):,} distinct URLs")
        # a connection per request: kept-alive connections stay with the few workers that
        # accepted them first, and the others would be measured idle
        result = wrk.run(
            server.base + "/", wrk.Load(2, 16, duration), headers=CLOSE, script=script
        )
        stop.set()
        sampler.join(timeout=30)
    finally:
        server.stop()
    report = summarise(samples, result, args, len(set(paths)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(report, indent=1) + "\n")
    (RESULTS / "soak.md").write_text(markdown(report))
    log(f"soak: {report['verdict']}")
    return 0 if report["flat"] else 1


def summarise(samples: list[dict], result, args, distinct: int) -> dict:
    """Each worker's RSS over time; flat if none grew by more than a quarter of the cache's
    budget over the last third of the run (the first two thirds fill the cache and the
    datasets of earlier record days)."""
    series: dict[int, list[tuple[float, int]]] = {}
    for point in samples:
        for pid, rss in point["workers_rss_kb"].items():
            series.setdefault(pid, []).append((point["t"], rss))
    half = args.minutes * 60 * 2 / 3
    growth = {}
    for pid, points in series.items():
        later = [rss for t, rss in points if t >= half]
        if len(later) >= 2:
            growth[pid] = later[-1] - later[0]
    worst = max(growth.values(), default=0)
    limit_kb = 8 * 1024  # a quarter of the cache's budget
    flat = bool(growth) and worst <= limit_kb
    return {
        "run_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "minutes": args.minutes,
        "positions": args.positions,
        "distinct_urls": distinct,
        "cache_mb": CACHE_MB,
        "wrk": result.__dict__ if hasattr(result, "__dict__") else result,
        "workers": {
            str(pid): {
                "first_kb": pts[0][1],
                "max_kb": max(r for _, r in pts),
                "last_kb": pts[-1][1],
                "second_half_growth_kb": growth.get(pid),
            }
            for pid, pts in series.items()
        },  # fmt: skip
        "samples": samples,
        "flat": flat,
        "verdict": (
            f"{'flat' if flat else 'NOT flat'}: the most any worker grew in the last third "
            f"was {worst / 1024:.1f} MB (limit {limit_kb / 1024:.0f} MB)"
        ),
    }


def markdown(report: dict) -> str:
    lines = [
        "# Soak: worker memory under mixed traffic",
        "",
        f"Run {report['run_at']}: {report['minutes']:g} minutes of wrk (2 threads, 16 "
        f"connections, a new connection for each request, so that every worker has its "
        f"share) over {report['distinct_urls']:,} distinct URLs at "
        f"{report['positions']:,} positions; response cache {report['cache_mb']} MB per worker.",
        "",
        f"**{report['verdict']}.** {report['wrk']['requests']:,} requests, "
        f"{report['wrk']['requests_per_s']:,.0f} req/s, p99 {report['wrk']['p99_ms']} ms, "
        f"{report['wrk']['bad_responses']} non-2xx/3xx, {report['wrk']['socket_errors']} socket "
        "errors.",
        "",
        "| worker | first RSS | max RSS | last RSS | growth, last third |",
        "|---|---:|---:|---:|---:|",
    ]
    for pid, worker in report["workers"].items():
        growth = worker["second_half_growth_kb"]
        lines.append(
            f"| {pid} | {worker['first_kb'] / 1024:.1f} MB | {worker['max_kb'] / 1024:.1f} MB "
            f"| {worker['last_kb'] / 1024:.1f} MB | "
            f"{'—' if growth is None else f'{growth / 1024:+.1f} MB'} |"
        )
    lines += ["", "Every sample (seconds, each worker's RSS in MB) is in `soak.json`.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
