"""py-spy profiles of the fixture loader and of each uncached endpoint in a gunicorn worker."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import log, servers, wrk
from bench.runner import RESULTS, WORK, prepare
from bench.targets import parley_urls, pick, pools

PY_SPY = Path(sys.executable).with_name("py-spy")


def summarise(raw: Path, rate: int, top: int = 15) -> dict:
    """Seconds per function from py-spy's collapsed stacks: inclusive (on the stack) and self."""
    inclusive, own, total = Counter(), Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames, samples = stack.split(";"), int(count)
        total += samples
        own[frames[-1]] += samples
        for frame in set(frames):  # a recursive function counts once per sample
            inclusive[frame] += samples
    # frames on (nearly) every stack, gunicorn's loop and the like, say nothing: left out
    telling = [(name, n) for name, n in inclusive.most_common() if n < 0.97 * total][:top]
    return {
        "total_s": total / rate,
        "inclusive_s": {name: n / rate for name, n in telling},
        "self_s": {name: n / rate for name, n in own.most_common(top)},
    }


def _record(output: Path, rate: int, target: list[str]) -> list[str]:
    return [str(PY_SPY), "record", "--rate", str(rate), "--function", "--format", "raw",
            "--output", str(output), *target]  # fmt: skip


def profile_loader(fixtures: Path, rate: int) -> dict:
    raw = WORK / "profiles" / "load.txt"
    raw.parent.mkdir(parents=True, exist_ok=True)
    code = (
        "from service.loading import Limits; from service.state import load; "
        f"load({str(fixtures)!r}, Limits())"
    )
    # --subprocesses: the children that read and check the files are sampled too
    command = _record(raw, rate, ["--subprocesses", "--", sys.executable, "-c", code])
    subprocess.run(command, check=True, capture_output=True, timeout=900)
    return summarise(raw, rate)


def profile_endpoints(fixtures: Path, database: Path, rate: int, duration: int, *, cached: bool):
    """One worker; uncached: a different query each time; cached: one URL, over and over."""
    server = servers.start_parley(
        fixtures, workers=1, cache_mb=32 if cached else 0,
        log=WORK / "logs" / "gunicorn-profile.log",
    )  # fmt: skip
    picks, found = pick(database), {}
    if cached:
        urls = parley_urls(picks)
        targets = {name: [urls[name][0]] for name in ("baseline", "snapshot", "timeline")}
    else:
        targets = {name: paths for name, paths in pools(picks).items() if name != "baseline"}
    load = wrk.Load(1, 4 if cached else 1, duration)
    try:
        server.wait_ready("/healthz", children=1)
        worker = server.children()[0]
        for name, paths in targets.items():
            kind = "cached" if cached else "uncached"
            raw = WORK / "profiles" / f"{kind}-{name}.txt"
            spy = subprocess.Popen(
                _record(raw, rate, ["--pid", str(worker), "--duration", str(duration)]),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            script = wrk.rotating_script(paths, WORK / "lua", f"profile-{kind}-{name}")
            result = wrk.run(server.base + paths[0], load, script=script)
            spy.wait(timeout=duration + 60)
            server.trim_log(0)
            found[f"{kind} {name}"] = {"requests": result.requests, **summarise(raw, rate)}
            log(f"  {kind} {name}: {result.requests} requests profiled")
    finally:
        server.stop()
    return found


def markdown(n: int, loader: dict, endpoints: dict) -> str:
    lines = [f"# Profiles at {n:,} positions (py-spy, seconds of samples)", ""]
    title = "Loader: `service.state.load`, the serving process and its loading children"
    sections = [(title, loader)] + [
        (
            f"`{name}`, {p['requests']} requests, "
            f"{p['total_s'] / max(1, p['requests']) * 1000:.1f} ms each",
            p,
        )
        for name, p in endpoints.items()
    ]
    for title, data in sections:
        lines += [
            f"## {title}: {data['total_s']:.2f} s sampled",
            "",
            "| inclusive s | function | | self s | function |",
            "|---:|---|---|---:|---|",
        ]
        for (a, sa), (b, sb) in zip(
            data["inclusive_s"].items(), data["self_s"].items(), strict=False
        ):
            lines.append(f"| {sa:.2f} | `{a}` | | {sb:.2f} | `{b}` |")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--positions", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=int, default=200, help="samples per second")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--output", type=Path, default=RESULTS / "profile.md")
    args = parser.parse_args(argv)
    if not PY_SPY.exists():
        parser.error(f"no {PY_SPY}: pip install -e '.[bench]'")
    fixtures, database = prepare(args.positions, args.seed)
    log(f"profiling the loader at {args.positions:,} positions")
    loader = profile_loader(fixtures, args.rate)
    log("profiling endpoints in a gunicorn worker")
    endpoints = profile_endpoints(fixtures, database, args.rate, args.duration, cached=False)
    endpoints |= profile_endpoints(fixtures, database, args.rate, args.duration, cached=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(markdown(args.positions, loader, endpoints))
    log(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
