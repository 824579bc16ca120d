"""Loading with helper processes gives exactly what loading in one process gives.

``SHARE_MIN_BYTES`` is lowered so that the small test sets are shared with one helper;
each test compares against a load with sharing off, and checks no helper is left over.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import time
from collections import defaultdict

import pytest

from bench import synth
from service import reading
from service.fixtures import FixtureErrors, _fast_records, fixture_files, load_dataset
from tests.conftest import BUNDLED, DATA

pytestmark = pytest.mark.skipif(not reading._can_fork(), reason="helpers are forked on Linux")


def _load(directory, *, helpers: int, monkeypatch, **kwargs):
    monkeypatch.setattr(reading, "HELPERS", helpers)
    monkeypatch.setattr(reading, "SHARE_MIN_BYTES", 0 if helpers else 1 << 60)
    try:
        return load_dataset(directory, **kwargs)
    finally:
        assert multiprocessing.active_children() == []


def _records(dataset) -> dict:
    return {
        kind: list(getattr(dataset, kind).values())
        for kind in ("parties", "actors", "issues", "sources", "rounds", "positions")
    }


@pytest.mark.parametrize("helpers", [1, 3])
def test_shared_load_equals_a_single_process_load(monkeypatch, helpers):
    alone = _load(BUNDLED, helpers=0, monkeypatch=monkeypatch)
    shared = _load(BUNDLED, helpers=helpers, monkeypatch=monkeypatch)
    assert _records(shared) == _records(alone)
    assert shared.version == alone.version
    assert [e.position.id for e in shared.changes()] == [e.position.id for e in alone.changes()]


def test_shares_cover_every_file_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "HELPERS", 2)
    monkeypatch.setattr(reading, "SHARE_MIN_BYTES", 0)
    files = [(n, tmp_path / f"{n}.yaml") for n in range(23)]
    for n, path in files:
        if n % 4:  # the others are missing: they count for nothing
            path.write_bytes(b"x" * (10 + n))
    shares = reading._shares(files)
    assert len(shares) == 3
    assert [key for share in shares for key, _ in share] == list(range(23))
    assert all(share for share in shares)


def test_problems_in_a_helpers_share_are_reported_as_in_one_process(tmp_path, monkeypatch):
    directory = tmp_path / "fixtures"
    directory.mkdir()
    shutil.copy(DATA / "valid" / "catalogue.yaml", directory / "a-catalogue.yaml")
    for case in ("unknown-party", "bad-stance", "unclosed-bracket", "not-a-mapping"):
        shutil.copy(DATA / "broken" / f"{case}.yaml", directory / f"z-{case}.yaml")
    reports = []
    for helpers in (0, 1):
        with pytest.raises(FixtureErrors) as failure:
            _load(directory, helpers=helpers, monkeypatch=monkeypatch)
        reports.append([str(error) for error in failure.value.errors])
    assert reports[0] == reports[1]
    assert len(reports[1]) >= 4


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic set of a few thousand positions: enough files for several chunks."""
    directory = tmp_path_factory.mktemp("synthetic")
    synth.write(directory, synth.generate(3000, seed=5))
    return directory


def test_a_share_sent_in_chunks_is_loaded_whole_and_its_objects_shared(synthetic, monkeypatch):
    monkeypatch.setattr(reading, "CHUNKS", 3)
    alone = _load(synthetic, helpers=0, monkeypatch=monkeypatch)
    shared = _load(synthetic, helpers=1, monkeypatch=monkeypatch)
    assert _records(shared) == _records(alone)
    # One pickler's memo across the chunks: a party id is one object in all the helper's
    # records (and one in this process's), not one per chunk.
    objects = defaultdict(set)
    for position in shared.positions.values():
        objects[position.party].add(id(position.party))
    assert objects and all(len(ids) <= 2 for ids in objects.values())


_check_share = reading._check_share


def _dies_after_a_chunk(chunks, check, known, store, sender):
    _check_share(chunks[:1], check, known, store, sender)
    os._exit(3)


def test_files_of_a_helper_that_dies_after_a_chunk_are_read_here(synthetic, monkeypatch):
    monkeypatch.setattr(reading, "CHUNKS", 3)
    alone = _load(synthetic, helpers=0, monkeypatch=monkeypatch)
    read_here = []
    read = reading.read

    def counting(raw, check):
        read_here.append(raw)
        return read(raw, check)

    monkeypatch.setattr(reading, "_check_share", _dies_after_a_chunk)
    monkeypatch.setattr(reading, "read", counting)
    shared = _load(synthetic, helpers=1, monkeypatch=monkeypatch)
    assert _records(shared) == _records(alone)
    paths = fixture_files(synthetic)
    own = len(reading._shares([(path, path) for path in paths])[0])
    assert own < len(read_here) < len(paths)  # the helper's first chunk came from the helper


def _dies(chunks, check, known, store, sender):
    os._exit(3)


def _hangs(chunks, check, known, store, sender):
    time.sleep(60)


@pytest.mark.parametrize("helper", [_dies, _hangs])
def test_a_helper_that_dies_or_hangs_is_done_without(monkeypatch, helper):
    alone = _load(BUNDLED, helpers=0, monkeypatch=monkeypatch)
    monkeypatch.setattr(reading, "_check_share", helper)
    monkeypatch.setattr(reading, "HELPER_TIMEOUT_S", 0.5)
    monkeypatch.setattr(reading, "HELPER_TIMEOUT_S_PER_MIB", 0.0)
    shared = _load(BUNDLED, helpers=1, monkeypatch=monkeypatch)
    assert _records(shared) == _records(alone)


def test_helpers_hand_back_hashed_and_checked_files(monkeypatch):
    monkeypatch.setattr(reading, "HELPERS", 1)
    monkeypatch.setattr(reading, "SHARE_MIN_BYTES", 0)
    files = [(path.name, path) for path in fixture_files(BUNDLED)]
    hashes = {path.name: hashlib.sha256(path.read_bytes()).digest() for _, path in files}
    known = {hashes[files[-1][0]]}  # the last file's bytes are known: not read again
    results = list(reading.take_all(files, _fast_records(), known))
    assert multiprocessing.active_children() == []
    assert [key for key, _ in results] == [key for key, _ in files]
    assert all(taken.sha256 == hashes[key] for key, taken in results)
    assert results[-1][1].parsed is None
    # what the helper sent back is checked sections only, without the text read here
    by_helper = [key for key, taken in results[:-1] if taken.parsed.text is None]
    assert by_helper and all(results[n][1].parsed.checked for n in range(len(files) - 1))
