"""Two targets measured in alternating wrk slices, so that drift on a shared machine cancels."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from bench import servers, wrk


@dataclass(frozen=True)
class Target:
    """One URL of one server, with the headers to send."""

    server: servers.Server
    path: str
    headers: dict = field(default_factory=dict)

    def run(self, load: wrk.Load) -> wrk.Result:
        # the access lines of a throughput run are not needed: drop them as they come
        mark = self.server.log_size()
        try:
            return wrk.run(self.server.base + self.path, load, headers=self.headers)
        finally:
            self.server.trim_log(mark)


def _summary(results: list[wrk.Result]) -> dict:
    rates = [r.requests_per_s for r in results]
    return {
        "requests_per_s": statistics.mean(rates),
        "p50_ms": statistics.median(r.p50_ms for r in results),
        "p99_ms": statistics.median(r.p99_ms for r in results),
        "requests": sum(r.requests for r in results),
        "bad_responses": sum(r.bad_responses for r in results),
        "socket_errors": sum(r.socket_errors for r in results),
        "slices": rates,
    }


def round_ratios(first: list[float], second: list[float]) -> list[float]:
    """The ratio of each round: a slice of the first target over the second's slice taken
    right before or after it (the same round of ABBA…)."""
    return [a / b for a, b in zip(first, second, strict=True) if b > 0]


def ratio(first: list[float], second: list[float]) -> float:
    """The two targets' req/s ratio: the median of the rounds' ratios.

    A burst of other work on the shared host slows whatever runs during it for a few
    seconds, to a third or so: 14 of the 672 slices of the four full runs of 2026-12-02
    fell below half their target's median. A ratio of the means takes such a slice's drop
    for the target's own; the median of the paired slices sets it aside, and is the ratio
    of the means when every round is alike.
    """
    found = round_ratios(first, second)
    return statistics.median(found) if found else 0.0


def paired(first: Target, second: Target, args, load: wrk.Load) -> tuple[dict, dict, float]:
    """Both targets in alternating slices (ABBA…), so drift in machine load hits both alike.

    The machine is shared (wrk and the servers on two cores, and whatever else runs), so
    a ratio of two runs minutes apart mostly measures that drift.
    """
    piece = wrk.Load(load.threads, load.connections, max(1, load.duration // args.rounds))
    if args.warmup:
        for target in (first, second):
            target.run(wrk.Load(load.threads, load.connections, args.warmup))
    found: dict[int, list[wrk.Result]] = {0: [], 1: []}
    for number in range(args.rounds):
        order = (0, 1) if number % 2 == 0 else (1, 0)
        for index in order:
            found[index].append((first, second)[index].run(piece))
    a, b = _summary(found[0]), _summary(found[1])
    a["round_ratios"] = round_ratios(a["slices"], b["slices"])
    # what a ratio of the totals would say, for comparison with runs before the median
    a["ratio_of_means"] = a["requests_per_s"] / b["requests_per_s"]
    return a, b, ratio(a["slices"], b["slices"])
