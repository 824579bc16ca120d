"""The peer: Datasette serving the SQLite export, on the same queries and wrk settings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import log, servers, wrk
from bench.paired import Target, paired
from bench.targets import Picks, datasette_metadata, datasette_urls, parley_urls, pools

WORK = Path(__file__).resolve().parent / "work"
DATASETTE_VENV = WORK / "datasette-venv"


def start(database: Path) -> servers.Server:
    """Datasette on the SQLite export, ready to answer; stop it when done."""
    server = servers.start_datasette(
        DATASETTE_VENV, database, datasette_metadata(), WORK / "logs" / "datasette.log"
    )
    try:
        server.wait_ready("/-/versions.json")
    except servers.ServerError:
        server.stop()
        raise
    return server


def compare(parley: servers.Server, datasette: servers.Server, picks: Picks, args, load) -> dict:
    """Parley and Datasette on the equivalent queries, in alternating slices: the req/s ratio."""
    mine = parley_urls(picks)
    rows, ratios = {}, {}
    for name, path in datasette_urls(picks).items():
        status = servers.get(datasette.base + path)[0]
        if status != 200:
            rows[name] = {"path": path, "error": f"HTTP {status}"}
            continue
        theirs = Target(datasette, path)
        ours = Target(parley, mine[name][0])
        parley_row, rows[name], ratios[name] = paired(ours, theirs, args, load)
        rows[name] = {"path": path, **rows[name], "parley_rps": parley_row["requests_per_s"]}
        log(f"  datasette {name}: {rows[name]['requests_per_s']:,.0f} req/s, "
            f"Parley {ratios[name]:.2f} ×")  # fmt: skip
    ratios.pop("baseline", None)
    return {"datasette": rows, "ratios": ratios}


def uncached_peer(database: Path, picks: Picks, duration: int) -> dict:
    """Datasette on one connection, a different query each time: its round trip, for context."""
    load = wrk.Load(threads=1, connections=1, duration=duration)
    server, rows = start(database), {}
    try:
        for name, paths in pools(picks, peer=True).items():
            script = wrk.rotating_script(paths, WORK / "lua", f"uncached-datasette-{name}")
            rows[name] = {
                "urls": len(paths),
                **wrk.run(server.base + paths[0], load, script=script).as_dict(),
            }
            server.trim_log(0)
    finally:
        server.stop()
    return rows


def setup_datasette() -> None:
    """Datasette in a virtualenv of its own under bench/work: the project's stay clean."""
    if (DATASETTE_VENV / "bin" / "datasette").exists():
        return
    log(f"installing Datasette into {DATASETTE_VENV}")
    subprocess.run([sys.executable, "-m", "venv", "--clear", str(DATASETTE_VENV)], check=True)
    subprocess.run(
        [str(DATASETTE_VENV / "bin" / "pip"), "install", "--quiet", "datasette>=0.65"],
        check=True,
        timeout=600,
    )
