"""The dataset an app serves, swapped whole on reload and only after the new one validated."""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from service.allocator import release_free_memory
from service.dataset import Dataset
from service.loading import DEFAULT_LIMITS, FixtureError, FixtureErrors, Limits, load_isolated

log = logging.getLogger("parley.reload")


@dataclass(frozen=True)
class ReloadFailure:
    """Why the last reload was refused, and when; the previous dataset stayed in service."""

    at: datetime
    errors: tuple[FixtureError, ...]


def load_limits(config: Mapping[str, object]) -> Limits:
    """The loader's limits from checked settings (service.config)."""
    return Limits(
        max_file_bytes=int(config["PARLEY_MAX_FILE_MB"]) << 20,
        max_errors_per_file=int(config["PARLEY_MAX_ERRORS_PER_FILE"]),
        memory_bytes=int(config["PARLEY_LOAD_MEMORY_MB"]) << 20,
        seconds=int(config["PARLEY_LOAD_SECONDS"]),
        readers=int(config["PARLEY_LOAD_READERS"]),
    )


@dataclass(frozen=True)
class Reload:
    """The last reload: when it ended (to the microsecond, so that two are told apart),
    whether its data was taken (``reloaded``) or not (``refused``), and the version served."""

    at: datetime
    outcome: str
    data_version: str


def load(directory: str, limits: Limits) -> Dataset:
    """A dataset of the fixtures, read in a child process; FixtureErrors if they fail.

    The cyclic collector is off while the records are decoded and indexed: they are
    millions of objects at 100,000 positions, all kept, so its passes over them would find
    nothing and cost about as much as the decoding itself. They are then filed under its
    oldest generation without being visited (freeze, unfreeze), where a young collection
    never walks them.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        dataset = load_isolated(directory, limits, build=_dataset)
    finally:
        if collecting:
            gc.freeze()
            gc.unfreeze()
            gc.enable()
    # the JSON text and its parsed lists are freed once the records exist, but malloc keeps
    # their pages, and every gunicorn worker forked afterwards would carry them
    release_free_memory()
    return dataset


def _dataset(records) -> Dataset:
    return Dataset.from_records(records, loaded_at=datetime.now(UTC).replace(microsecond=0))


class DatasetHolder:
    """Holds the current dataset; readers take ``holder.dataset`` once per request."""

    def __init__(self, directory: str, dataset: Dataset, limits: Limits = DEFAULT_LIMITS):
        self.directory = directory
        self.limits = limits
        self._dataset = dataset
        self.last_error: ReloadFailure | None = None
        self.last_reload: Reload | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: str, limits: Limits = DEFAULT_LIMITS) -> DatasetHolder:
        """Load the first dataset; FixtureErrors propagate: there is nothing to fall back on."""
        return cls(directory, load(directory, limits), limits)

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def reload(self) -> bool:
        """Load the fixtures again; swap them in if valid, else keep serving the old ones."""
        with self._lock:
            started = datetime.now(UTC).replace(microsecond=0)
            try:
                fresh = load(self.directory, self.limits)
            except FixtureErrors as failure:
                self.last_error = ReloadFailure(started, tuple(failure.errors))
                self._ended("refused")
                log.error(
                    "reload refused; still serving the previous data",
                    extra={
                        "event": "reload_failed",
                        "errors": [str(error) for error in failure.errors],
                        "data_version": self._dataset.version,
                    },
                )
                return False
            self._dataset = fresh
            self.last_error = None
            self._ended("reloaded")
            log.info(
                "reloaded fixtures",
                extra={
                    "event": "reloaded",
                    "data_version": fresh.version,
                    "counts": fresh.counts(),
                },
            )
            return True

    def _ended(self, outcome: str) -> None:
        self.last_reload = Reload(datetime.now(UTC), outcome, self._dataset.version)
