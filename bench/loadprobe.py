"""Run in a fresh process: time one fixture load and print its time and memory as JSON;
with ``--parse-only DIR``, time the load's reference instead (yaml-rs alone on the files)."""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _cpu_s() -> float:
    both = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return sum(usage.ru_utime + usage.ru_stime for usage in both)


def main(directory: str) -> dict:
    started = time.perf_counter()
    from service.loading import Limits
    from service.state import load

    imported = time.perf_counter()
    before = _rss_kb()
    cpu = _cpu_s()
    dataset = load(directory, Limits())
    loaded = time.perf_counter()
    return {
        # this process's and its loading child's CPU time during the load
        "cpu_s": _cpu_s() - cpu,
        "import_s": imported - started,
        "load_s": loaded - imported,
        "rss_before_kb": before,
        "rss_after_kb": _rss_kb(),
        # ru_maxrss is in KiB on Linux: the process's peak, the parse's garbage included
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        # the largest of the children that read and check the files (service.loading.isolate)
        "helper_peak_rss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "positions": dataset.counts()["positions"],
    }


def parse_only(directory: str) -> dict:
    """The reference a load is set against: yaml-rs alone parsing every fixture file's bytes,
    one after the other in this one process (no checks, no records, no children). Run
    beside each load, it takes the same slowing from other work on the host."""
    import yaml_rs

    paths = sorted(Path(directory).glob("*.yaml"))
    cpu = _cpu_s()
    started = time.perf_counter()
    for path in paths:
        yaml_rs.load(path.read_bytes(), parse_datetime=False)
    return {"parse_s": time.perf_counter() - started, "cpu_s": _cpu_s() - cpu}


if __name__ == "__main__":
    if sys.argv[1] == "--parse-only":
        print(json.dumps(parse_only(sys.argv[2])))
    else:
        print(json.dumps(main(sys.argv[1])))
