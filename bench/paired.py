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
    return a, b, a["requests_per_s"] / b["requests_per_s"]
