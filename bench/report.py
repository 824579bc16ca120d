"""The machine a run measured on, the targets it is judged against, and the Markdown table."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENDPOINT_FLOOR, REVALIDATE_FLOOR, PEER_FACTOR = 0.8, 0.9, 2.0
LOAD_SECONDS, WORKER_MB, UNCACHED_MS = 3.0, 300.0, 10.0
# the Explorer's pages and the convergence series: first render under UNCACHED_MS at this
# size (issue 15); every other endpoint at the largest size run (issue 5)
EXPLORER_SIZE = 10_000
EXPLORER_ENDPOINTS = ("convergence", "home", "issue_page")
LINEAR_SLACK = 1.15  # per-position load time may grow 15% (noise) and still count as linear


def _first_line(command: list[str]) -> str | None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    # wrk --version exits 1; a version line is what counts
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else None


def machine(datasette: Path | None) -> dict:
    """Cores, memory, CPU, OS, Python and the versions of everything measured."""
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    versions = {
        name: metadata.version(name)
        for name in (
            "flask",
            "flask-smorest",
            "marshmallow",
            "gunicorn",
            "pyyaml",
            "werkzeug",
        )
    }
    versions["sqlite"] = sqlite3.sqlite_version
    versions["wrk"] = (_first_line(["wrk", "--version"]) or "").split(" [")[0].removeprefix("wrk ")
    if datasette is not None:
        line = _first_line([str(datasette / "bin" / "datasette"), "--version"]) or ""
        versions["datasette"] = line.rpartition(" ")[2]
    commit = _first_line(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = _first_line(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(memory_kb / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "commit": f"{commit}{' (uncommitted changes)' if dirty else ''}",
    }


def targets(results: dict) -> list[dict]:
    """Every target of issue 5, with what was measured and whether it was met."""
    rows = []

    def add(name: str, measured, met: bool | None, note: str = "") -> None:
        rows.append({"target": name, "measured": measured, "met": met, "note": note})

    sizes = results["sizes"]
    largest = max(sizes, key=int)
    load = sizes[largest].get("load")
    if load:
        add(
            f"load {int(largest):,} positions ≤ {LOAD_SECONDS:g} s",
            f"{load['load_s']:.2f} s",
            load["load_s"] <= LOAD_SECONDS,
        )
    worker = sizes[largest].get("worker_memory")
    if worker:
        mb = worker["peak_rss_kb"] / 1024
        add(f"worker RSS at {int(largest):,} ≤ {WORKER_MB:g} MB", f"{mb:.0f} MB", mb <= WORKER_MB)
    per = {int(n): s["load"]["load_s"] / int(n) * 1e6 for n, s in sizes.items() if s.get("load")}
    if len(per) > 1:
        small, big = per[sorted(per)[-2]], per[max(per)]
        add(
            "load time grows no worse than linearly",
            f"{small:.0f} → {big:.0f} µs/position",
            big <= small * LINEAR_SLACK,
            "per-position load time, the two largest sizes",
        )
    for n, size in sorted(sizes.items(), key=lambda item: int(item[0])):
        for name, row in size.get("http", {}).get("endpoints", {}).items():
            if name == "baseline":
                continue
            floor = REVALIDATE_FLOOR if name == "revalidate" else ENDPOINT_FLOOR
            ratio = row.get("ratio")
            add(
                f"{name} ≥ {floor:g} × baseline at {int(n):,}",
                "—" if ratio is None else f"{ratio:.2f} ×",
                None if ratio is None else ratio >= floor and not row.get("bad_responses"),
                row.get("error", ""),
            )
        for name, ratio in size.get("peer", {}).get("ratios", {}).items():
            add(
                f"{name} ≥ {PEER_FACTOR:g} × Datasette at {int(n):,}",
                "—" if ratio is None else f"{ratio:.2f} ×",
                None if ratio is None else ratio >= PEER_FACTOR,
            )
    runs = {run["size"]: run for run in _uncached_runs(results)}
    judged = max(runs, default=None)
    for size, run in sorted(runs.items(), reverse=True):
        for name, row in run.get("endpoints", {}).items():
            if name == "baseline" or "server_p99_ms" not in row:
                continue
            explorer = name in EXPLORER_ENDPOINTS
            if size != (EXPLORER_SIZE if explorer and EXPLORER_SIZE in runs else judged):
                continue
            add(
                f"uncached {name} < {UNCACHED_MS:g} ms server time at {size:,}",
                f"p50 {row['server_p50_ms']:.2f} ms, p99 {row['server_p99_ms']:.2f} ms",
                row["server_p99_ms"] < UNCACHED_MS,
                "judged on p99",
            )
    return rows


def _uncached_runs(results: dict) -> list[dict]:
    """The first-request runs, largest size first (one run, as a dict, in older results)."""
    found = results.get("uncached") or []
    return [found] if isinstance(found, dict) else found


def _mark(met: bool | None) -> str:
    return {True: "met", False: "**missed**", None: "not measured"}[met]


def _range(bounds, runs: int) -> str:
    if not bounds:
        return "—"
    return f"{bounds[0]:.2f}–{bounds[1]:.2f} s over {runs}"


def _num(value, digits: int = 2) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}" if isinstance(value, float) else f"{value:,}"


def _size(count: int | None) -> str:
    if count is None:
        return "—"
    return f"{count / 1000:,.1f} kB" if count >= 1000 else f"{count} B"


def markdown(results: dict) -> str:
    """The results as tables: machine, load, HTTP per size, peer, uncached, targets."""
    m, s = results["machine"], results["settings"]
    lines = [
        "# Parley benchmark results",
        "",
        f"Run {results['started']} ({results['elapsed_s']:.0f} s), commit {m['commit']}"
        f"{', quick mode' if s['quick'] else ''}. "
        "Absolute figures vary by machine; the ratios carry.",
        "",
        f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['os']}, "
        f"Python {m['python']}; " + ", ".join(f"{k} {v}" for k, v in m["versions"].items()) + ".",
        "",
        f"wrk: {s['threads']} threads, {s['connections']} connections, {s['duration']} s per "
        f"endpoint in {s['rounds']} slices alternating with the baseline (ABBA), the ratio the "
        "median of the rounds' (each slice over the other target's slice beside it), after a "
        f"{s['warmup']} s warm-up; gunicorn: production config, "
        f"{s['workers'] or 'default'} workers; response cache on unless stated; every request "
        "sends `Accept-Encoding: gzip`, as browsers and HTTP libraries do (`body` is the "
        "response as rendered, `sent` as a repeated request receives it). Load average "
        f"(1 min) at the start and end: {s['load_average'][0]:.2f}, {s['load_average'][1]:.2f}; "
        "other work on the machine shows as noise.",
        "",
        "## Load",
        "",
        "Each load in a fresh process, each followed by its reference: yaml-rs, the parser "
        "the loader is built on, alone reading the same files in one process "
        "(`bench/loadprobe.py --parse-only`); other work on the host slows both alike, and "
        "`load ÷ yaml-rs` is the median of the pairs' ratios.",
        "",
        "| positions | fixture files | on disk | SQLite | load (median of runs, range) "
        "| CPU (with children) | yaml-rs alone | load ÷ yaml-rs | µs/position "
        "| peak RSS (server / largest child) | worker RSS / peak / PSS |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, size in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        load, worker = size.get("load", {}), size.get("worker_memory")
        memory = (
            "—"
            if not worker
            else " / ".join(f"{worker[k] / 1024:.0f}" for k in ("rss_kb", "peak_rss_kb", "pss_kb"))
            + " MB"
        )
        lines.append(
            f"| {int(n):,} | {size['fixtures']['files']} "
            f"| {size['fixtures']['bytes'] / 1e6:.1f} MB "
            f"| {size.get('sqlite_bytes', 0) / 1e6:.1f} MB | {_num(load.get('load_s'))} s "
            f"({_range(load.get('load_range_s'), len(load.get('runs', [])))}) "
            f"| {_num(load.get('cpu_s'))} s | {_num(load.get('parse_s'))} s "
            f"| {_num(load.get('load_per_parse'))} "
            f"| {_num(load.get('load_s', 0) / int(n) * 1e6, 0)} "
            f"| {_num(load.get('peak_rss_kb', 0) / 1024, 0)} / "
            f"{_num(load.get('helper_peak_rss_kb', 0) / 1024, 0)} MB | {memory} |"
        )
    lines += [
        "",
        "## HTTP, repeated requests (response cache on)",
        "",
        "| positions | endpoint | body | sent | req/s | p50 ms | p99 ms | baseline req/s "
        "| × baseline | note |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, size in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        http = size.get("http", {})
        for name, row in http.get("endpoints", {}).items():
            lines.append(
                f"| {int(n):,} | {name} | {_size(row.get('bytes'))} "
                f"| {_size(row.get('sent_bytes'))} | {_num(row.get('requests_per_s'), 0)} "
                f"| {_num(row.get('p50_ms'))} | {_num(row.get('p99_ms'))} "
                f"| {_num(row.get('baseline_rps'), 0)} | {_num(row.get('ratio'))} "
                f"| {row.get('error', '')} |"
            )
    lines += [
        "",
        "## Peer: Datasette over the SQLite export",
        "",
        "| positions | query | Parley req/s | Datasette req/s | Parley / Datasette "
        "| Datasette p50 ms | p99 ms |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]
    for n, size in sorted(results["sizes"].items(), key=lambda item: int(item[0])):
        peer = size.get("peer", {})
        for name, row in peer.get("datasette", {}).items():
            ours, theirs = row.get("parley_rps"), row.get("requests_per_s")
            lines.append(
                f"| {int(n):,} | {name} | {_num(ours, 0)} | {_num(theirs, 0)} "
                f"| {_num(ours / theirs if ours and theirs else None)} "
                f"| {_num(row.get('p50_ms'))} | {_num(row.get('p99_ms'))} |"
            )
    for uncached in _uncached_runs(results):
        lines += [
            "",
            f"## First requests (response cache off), {uncached['size']:,} positions",
            "",
            "One connection, each request a different query (rotating parameters), each "
            "endpoint in slices taking turns with the others; server time from gunicorn's "
            "access log, pooled over the slices (and the median of the slices' p99); round "
            "trip from wrk, the median of the slices'. The first row is Parley's own "
            "`/healthz`, for reference.",
            "",
            "| endpoint | distinct URLs | requests | server p50 ms | server p99 ms "
            "| p99, median of slices | round trip p50 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name, row in uncached["endpoints"].items():
            lines.append(
                f"| {'healthz' if name == 'baseline' else name} | {row.get('urls', '—')} "
                f"| {_num(row.get('requests'))} "
                f"| {_num(row.get('server_p50_ms'))} | {_num(row.get('server_p99_ms'))} "
                f"| {_num(row.get('server_p99_slice_median_ms'))} "
                f"| {_num(row.get('p50_ms'))} | {_num(row.get('p99_ms'))} |"
            )
    peer = next((run["datasette"] for run in _uncached_runs(results) if "datasette" in run), None)
    if peer:
        lines += ["", "Datasette on the same footing (one connection, a different query each "
                  "time; no server-side timing, so round trip only):", "",
                  "| query | distinct URLs | requests | round trip p50 ms | p99 ms |",
                  "|---|---:|---:|---:|---:|"]  # fmt: skip
        for name, row in peer.items():
            lines.append(f"| {name} | {row['urls']} | {_num(row['requests'])} "
                         f"| {_num(row['p50_ms'])} | {_num(row['p99_ms'])} |")  # fmt: skip
    lines += ["", "## Targets", "", "| target | measured | result | note |", "|---|---|---|---|"]
    for row in results["targets"]:
        lines.append(
            f"| {row['target']} | {row['measured']} | {_mark(row['met'])} | {row['note']} |"
        )
    return "\n".join(lines) + "\n"
