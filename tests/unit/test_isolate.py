"""The isolated load (service/loading/isolate.py): a child process reads the fixtures under
limits; the parent gets the records, the problems, or why the child died and on which file."""

from __future__ import annotations

import pytest

from service.loading import FixtureErrors, Limits, load_isolated, load_records
from tests.conftest import BUNDLED


def test_a_child_gives_the_records_an_in_process_load_gives():
    limits = Limits()
    assert load_isolated(str(BUNDLED), limits) == load_records(BUNDLED, limits)


def test_a_childs_problems_come_back_as_fixture_errors(fixtures_copy):
    (fixtures_copy / "zz-broken.yaml").write_text("positions:\n  - id: [unclosed\n", "utf-8")
    with pytest.raises(FixtureErrors) as failure:
        load_isolated(str(fixtures_copy))
    assert [e.file for e in failure.value.errors] == ["zz-broken.yaml"]


def test_a_child_out_of_memory_names_the_file_it_was_reading(fixtures_copy):
    # over glibc's largest mmap threshold (32 MB), so that reading it needs new memory
    (fixtures_copy / "zz-big.yaml").write_text("about: " + "x" * (48 << 20) + "\n", "utf-8")
    limits = Limits(memory_bytes=4 << 20, max_file_bytes=128 << 20)
    with pytest.raises(FixtureErrors) as failure:
        load_isolated(str(fixtures_copy), limits)
    assert str(failure.value) == (
        "zz-big.yaml:1: (file): the load stopped while reading this file: "
        "out of memory (over 4 MB, PARLEY_LOAD_MEMORY_MB)"
    )
