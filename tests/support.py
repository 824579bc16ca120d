"""Helpers the tests share: a dataset loaded in this process, as the child would load it."""

from __future__ import annotations

from service.dataset import Dataset
from service.loading import DEFAULT_LIMITS, Limits, load_records


def load_dataset(directory, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> Dataset:
    """The dataset of a fixture directory, loaded in this process; FixtureErrors if invalid."""
    return Dataset.from_records(load_records(directory, limits, strict=strict))


def fixture_files(directory):
    """The fixture files of a directory, as the loader finds them (paths)."""
    from service.loading.files import find

    return [file.path for file in find(directory, 1 << 40)[0]]
