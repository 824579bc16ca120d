"""Parley over HTTP (gunicorn, production config) driven by wrk: cached, uncached, vs a peer."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench import log, peer, servers, wrk
from bench.paired import Target, paired
from bench.targets import Picks, parley_urls, pools
from service.config import default_workers

WORK = Path(__file__).resolve().parent / "work"


# what a dashboard's HTTP library or a browser sends with every request
CLIENT_HEADERS = {"Accept-Encoding": "gzip"}


def _check(target: Target, name: str) -> tuple[Target, int, str | None]:
    """The target as sent (an ETag to revalidate), its body's size as rendered, or why it
    cannot be used."""
    status, answer, body = servers.get(target.server.base + target.path, target.headers)
    plain = len(body)
    expected = 200
    if name == "revalidate" and status == 200:
        revalidate = {**target.headers, "If-None-Match": answer.get("ETag", "")}
        target = Target(target.server, target.path, revalidate)
        status = servers.get(target.server.base + target.path, target.headers)[0]
        expected = 304
    error = None if status == expected else f"HTTP {status}, expected {expected}"
    return target, plain, error


def _sent(target: Target) -> int:
    """The body's size as a repeated request receives it. Asked after the load, when every
    worker has the response (and its gzip copy) in its own cache."""
    return len(servers.get(target.server.base + target.path, target.headers)[2])


def measure(fixtures: Path, database: Path, picks: Picks, args, load: wrk.Load) -> dict:
    """Every endpoint against the no-op baseline (bench/noop.py under the same gunicorn
    settings); Datasette against Parley on its queries."""
    parley = servers.start_parley(
        fixtures, workers=args.workers, cache_mb=32, log=WORK / "logs" / "gunicorn.log"
    )
    noop = servers.start_noop(workers=args.workers, log=WORK / "logs" / "gunicorn-noop.log")
    datasette, found = None, {"endpoints": {}}
    try:
        datasette = None if args.no_peer else peer.start(database)
        workers = args.workers or default_workers()
        ready = parley.wait_ready("/healthz", children=workers)
        noop.wait_ready("/", children=workers)
        log(f"gunicorn ready in {ready:.1f} s")
        urls = parley_urls(picks)
        urls.pop("baseline")  # Parley's own /healthz: the uncached run's reference row
        baseline = Target(noop, "/", CLIENT_HEADERS)
        baselines = []
        for name, (path, _) in urls.items():
            target, size, error = _check(Target(parley, path, CLIENT_HEADERS), name)
            if error:
                found["endpoints"][name] = {"path": path, "error": error}
                log(f"  {name}: {error}; skipped")
                continue
            mine, theirs, ratio = paired(target, baseline, args, load)
            baselines.append(theirs)
            found["endpoints"][name] = {
                "path": path, "bytes": size, "sent_bytes": _sent(target), **mine,
                "baseline_rps": theirs["requests_per_s"], "baseline_slices": theirs["slices"],
                "ratio": ratio,
            }  # fmt: skip
            log(f"  {name}: {mine['requests_per_s']:,.0f} req/s, {ratio:.2f} × baseline")
        if baselines:
            rates = [b["requests_per_s"] for b in baselines]
            found["endpoints"] = {"baseline": {
                "path": baseline.path, "requests_per_s": statistics.mean(rates), "ratio": 1.0,
                "bytes": len(servers.get(noop.base + baseline.path)[2]),
                "p50_ms": statistics.median(b["p50_ms"] for b in baselines),
                "p99_ms": statistics.median(b["p99_ms"] for b in baselines), "runs": rates,
            }, **found["endpoints"]}  # fmt: skip
        if datasette is not None:
            found["peer"] = peer.compare(parley, datasette, picks, args, load)
        workers = [servers.memory(pid) for pid in parley.children()]
        if workers:
            found["worker_memory"] = {
                **max(workers, key=lambda w: w["peak_rss_kb"]), "workers": len(workers),
                "master": servers.memory(parley.process.pid),
            }  # fmt: skip
    finally:
        parley.stop()
        noop.stop()
        if datasette is not None:
            datasette.stop()
    return found


def _server_times(lines: list[str]) -> list[float]:
    times = []
    for line in lines:
        if '"event": "request"' in line:
            record = json.loads(line)
            if record.get("duration_ms") is not None and record.get("status") == 200:
                times.append(record["duration_ms"])
    return times


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def uncached(fixtures: Path, picks: Picks, args, duration: int) -> dict:
    """Response cache off, one connection, a different query each time: server time per request.

    Each endpoint runs in ``args.rounds`` slices, the endpoints taking turns, so that a burst
    of other work on the machine falls on all of them a little rather than on one entirely.
    Server times are pooled over the slices; the median of the slices' p99 is shown beside.
    """
    rounds = max(1, args.rounds)
    load = wrk.Load(threads=1, connections=1, duration=max(2, duration // rounds))
    server = servers.start_parley(
        fixtures, workers=args.workers, cache_mb=0, log=WORK / "logs" / "gunicorn-uncached.log"
    )
    rows, runs = {}, {}
    try:
        server.wait_ready("/healthz", children=args.workers or default_workers())
        scripts = {}
        for name, paths in pools(picks).items():
            status = servers.get(server.base + paths[0])[0]
            if status != 200:
                rows[name] = {"urls": len(paths), "error": f"HTTP {status}"}
                continue
            scripts[name] = (paths, wrk.rotating_script(paths, WORK / "lua", f"uncached-{name}"))
            runs[name] = []
        for _ in range(rounds):
            for name, (paths, script) in scripts.items():
                mark = server.log_size()
                result = wrk.run(server.base + paths[0], load, script=script)
                runs[name].append((result, _server_times(server.log_lines(mark))))
                server.trim_log(mark)
        for name, slices in runs.items():
            times = [t for _, found in slices for t in found]
            rows[name] = {
                "urls": len(scripts[name][0]),
                "slices": len(slices),
                "requests": sum(result.requests for result, _ in slices),
                "bad_responses": sum(result.bad_responses for result, _ in slices),
                # wrk's own percentiles cannot be pooled: the median of the slices'
                "p50_ms": statistics.median(result.p50_ms for result, _ in slices),
                "p99_ms": statistics.median(result.p99_ms for result, _ in slices),
                "server_p50_ms": _percentile(times, 0.5),
                "server_p99_ms": _percentile(times, 0.99),
                "server_p99_slice_median_ms": _median(
                    [_percentile(found, 0.99) for _, found in slices if found]
                ),
            }
            log(f"  uncached {name}: server p50 {rows[name]['server_p50_ms']} ms")
    finally:
        server.stop()
    return {"size": picks.positions, "endpoints": rows}
