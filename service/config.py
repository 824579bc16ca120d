"""All of Parley's settings, read from ``PARLEY_*`` environment variables in one place.

Each setting is a Flask config key of the same name. A bad value raises ConfigError
with one line that names the variable, what it got and what it expected.
"""

from __future__ import annotations

import logging
import math
import os
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

ENV_PREFIX = "PARLEY_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(RuntimeError):
    """A setting that Parley cannot start with; its message is one line.

    A RuntimeError because gunicorn's arbiter prints exactly those as ``Error: ...``
    instead of a traceback when the preloaded app fails to build.
    """


def bundled_fixtures() -> str:
    """The fixtures shipped beside the package in a checkout, else ./fixtures."""
    beside = Path(__file__).resolve().parent.parent / "fixtures"
    return str(beside) if beside.is_dir() else "fixtures"


def default_workers() -> int:
    """gunicorn's rule of thumb: two workers per core, plus one."""
    return 2 * available_cpus() + 1


def available_cpus(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """The CPUs this process can use: those it may run on, fewer if its cgroup's CPU quota
    (a container's ``--cpus``) allows less time than that; at least one. ``os.cpu_count``
    counts the host's CPUs, however few a container may use."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    quota = cpu_quota(cgroup)
    if quota is not None:
        cpus = min(cpus, math.ceil(quota))
    return max(1, cpus)


def cpu_quota(cgroup: Path = Path("/sys/fs/cgroup")) -> float | None:
    """The CPU time the cgroup may use, in CPUs (cgroup v2 ``cpu.max``, else v1
    ``cpu.cfs_quota_us`` over its period); None if unlimited or not known."""
    try:
        quota, period = (cgroup / "cpu.max").read_text().split()
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        pass
    try:
        quota = int((cgroup / "cpu" / "cpu.cfs_quota_us").read_text())
        period = int((cgroup / "cpu" / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return quota / period if quota > 0 and period > 0 else None


def _directory(value: str) -> str:
    if not Path(value).is_dir():
        raise ValueError(f"'{value}' is not a directory")
    return value


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number") from None
    if number < 1:
        raise ValueError(f"'{value}' must be at least 1")
    return number


def _non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"'{value}' is not a whole number") from None
    if number < 0:
        raise ValueError(f"'{value}' must be 0 or more")
    return number


def _log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise ValueError(f"'{value}' is not a log level; expected one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def _origins(value: str) -> str | list[str]:
    origins = [origin.strip() for origin in value.split(",") if origin.strip()]
    if not origins:
        raise ValueError("expected '*' or a comma-separated list of origins")
    return "*" if origins == ["*"] else origins


def _bind(value: str) -> str:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"'{value}' is not HOST:PORT")
    return value


def _pidfile(value: str) -> str | None:
    if not value:
        return None  # the default: see pidfile()
    path = Path(value)
    if path.is_dir():
        raise ValueError(f"'{value}' is a directory; expected a file name")
    if not path.parent.is_dir():
        raise ValueError(f"'{path.parent}' is not a directory")
    return value


class Setting(NamedTuple):
    """One environment variable: its default as the environment would spell it, its parser."""

    default: Callable[[], str]
    parse: Callable[[str], object]
    description: str
    shown_default: str | None = None  # for the docs, when the default depends on the machine


SETTINGS: dict[str, Setting] = {
    # -- data
    "PARLEY_FIXTURES": Setting(
        bundled_fixtures,
        _directory,
        "Directory of fixture files to serve; `kill -HUP` reloads it.",
        "the bundled `fixtures/`",
    ),
    "PARLEY_MAX_FILE_MB": Setting(
        lambda: "16",
        _positive_int,
        "Largest fixture file read, in MB; a larger one is refused with an error.",
    ),
    "PARLEY_MAX_ERRORS_PER_FILE": Setting(
        lambda: "50",
        _positive_int,
        "Problems reported per fixture file; the rest are counted (\"… and 1,204 more\").",
    ),
    "PARLEY_LOAD_MEMORY_MB": Setting(
        lambda: "2048",
        _positive_int,
        "Memory each child process that reads the fixtures may take beyond its start, in MB.",
    ),
    "PARLEY_LOAD_SECONDS": Setting(
        lambda: "120",
        _positive_int,
        "CPU and wall-clock seconds that reading the fixtures may take before it is stopped.",
    ),
    "PARLEY_LOAD_READERS": Setting(
        lambda: str(available_cpus()),
        _positive_int,
        "Child processes that read the fixture files at once (fewer for a small set), each "
        "under `PARLEY_LOAD_MEMORY_MB`.",
        "the CPUs available (see `PARLEY_WORKERS`)",
    ),
    # -- HTTP
    "PARLEY_CORS_ORIGINS": Setting(
        lambda: "*",
        _origins,
        "Origins allowed by CORS: `*` or a comma-separated list.",
    ),
    "PARLEY_CACHE_MAX_AGE": Setting(
        lambda: "60",
        _non_negative_int,
        "`Cache-Control: public, max-age` in seconds for API responses.",
    ),
    "PARLEY_RESPONSE_CACHE_MB": Setting(
        lambda: "32",
        _non_negative_int,
        "MiB per worker for rendered API responses (LRU; bodies, headers and keys counted; "
        "none over an eighth of it); 0 disables the cache.",
    ),
    # -- logging
    "PARLEY_LOG_LEVEL": Setting(
        lambda: "INFO", _log_level, "Log level: DEBUG, INFO, WARNING, ERROR or CRITICAL."
    ),
    # -- server (gunicorn)
    "PARLEY_BIND": Setting(
        lambda: "127.0.0.1:8000",
        _bind,
        "`HOST:PORT` gunicorn listens on (the Docker image sets `0.0.0.0:8000`).",
    ),
    "PARLEY_WORKERS": Setting(
        lambda: str(default_workers()),
        _positive_int,
        "gunicorn worker processes.",
        "2 × the CPUs available + 1 (those the process may run on, capped by its cgroup's "
        "CPU quota, as a container's `--cpus` sets)",
    ),
    "PARLEY_THREADS": Setting(
        lambda: "16",
        _positive_int,
        "Threads per worker: requests (slow clients included) each worker serves at once.",
    ),
    "PARLEY_HEADER_TIMEOUT": Setting(
        lambda: "10",
        _positive_int,
        "Seconds a client has to send a request's line and headers; then 408 and closed.",
    ),
    "PARLEY_TIMEOUT": Setting(
        lambda: "30",
        _positive_int,
        "Seconds before a silent worker is restarted, and that a retiring worker may finish in.",
    ),
    "PARLEY_PIDFILE": Setting(
        lambda: "",
        _pidfile,
        "Where gunicorn writes its master's pid, which `parley reload` signals.",
        "`parley-PORT.pid` in `$XDG_RUNTIME_DIR`, else in the temporary directory",
    ),
}


def from_env(environ: Mapping[str, str] | None = None) -> dict[str, object]:
    """Every setting, parsed and checked, from ``environ`` (default: the process's)."""
    environ = os.environ if environ is None else environ
    config = {}
    for name, setting in SETTINGS.items():
        raw = environ.get(name) or setting.default()
        if not isinstance(raw, str):  # already typed, as a test config may give it
            config[name] = raw
            continue
        try:
            config[name] = setting.parse(raw)
        except ValueError as error:
            raise ConfigError(f"{name}: {error}") from None
    return config


def pidfile(config: Mapping[str, object]) -> str:
    """The server's pidfile: PARLEY_PIDFILE, else one named after the port it listens on."""
    if config.get("PARLEY_PIDFILE"):
        return str(config["PARLEY_PIDFILE"])
    port = str(config["PARLEY_BIND"]).rpartition(":")[2]
    run = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return str(Path(run) / f"parley-{port}.pid")


def log_level_number(name: str) -> int:
    """The ``logging`` number of a checked level name."""
    return logging.getLevelNamesMapping()[name]


def fixtures_failed(directory: str, errors: Sequence[object]) -> ConfigError:
    """Fixtures that failed to load at start-up, as one line: the first problem and a count."""
    more = len(errors) - 1
    rest = f" (and {more} more: run `parley fixtures check {directory}`)" if more > 0 else ""
    first = errors[0].under(directory)
    return ConfigError(f"PARLEY_FIXTURES: invalid fixtures in {directory}: {first}{rest}")


def settings_table() -> str:
    """The Markdown table of every setting, as the docs show it."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for name, setting in SETTINGS.items():
        shown = setting.shown_default or f"`{setting.default()}`"
        rows.append(f"| `{name}` | {shown} | {setting.description} |")
    return "\n".join(rows) + "\n"
