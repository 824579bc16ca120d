"""The dataset an app serves, swapped whole on reload and only after the new one validated."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from service.dataset import Dataset
from service.fixtures import FixtureErrors, load_dataset

log = logging.getLogger("parley.reload")


@dataclass(frozen=True)
class ReloadFailure:
    """Why the last reload was refused, and when; the previous dataset stayed in service."""

    at: datetime
    errors: tuple[str, ...]


class DatasetHolder:
    """Holds the current dataset; readers take ``holder.dataset`` once per request."""

    def __init__(self, directory: str, dataset: Dataset, cache: dict | None = None):
        self.directory = directory
        self._dataset = dataset
        # parsed files by content hash: a reload parses only the files that changed
        self._cache = {} if cache is None else cache
        self.last_error: ReloadFailure | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directory: str) -> DatasetHolder:
        """Load the first dataset; FixtureErrors propagate: there is nothing to fall back on."""
        cache: dict = {}
        return cls(directory, load_dataset(directory, cache=cache), cache)

    @property
    def dataset(self) -> Dataset:
        return self._dataset

    def reload(self) -> bool:
        """Load the fixtures again; swap them in if valid, else keep serving the old ones."""
        with self._lock:
            try:
                fresh = load_dataset(self.directory, cache=self._cache)
            except FixtureErrors as failure:
                errors = tuple(str(error) for error in failure.errors)
                self.last_error = ReloadFailure(datetime.now(UTC).replace(microsecond=0), errors)
                log.error(
                    "reload refused; still serving the previous data",
                    extra={
                        "event": "reload_failed",
                        "errors": list(errors),
                        "data_version": self._dataset.version,
                    },
                )
                return False
            self._dataset = fresh
            self.last_error = None
            log.info(
                "reloaded fixtures",
                extra={
                    "event": "reloaded",
                    "data_version": fresh.version,
                    "counts": fresh.counts(),
                },
            )
            return True
