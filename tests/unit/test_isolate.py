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


# -- the parallel load: readers taking files from a queue, then one checker -------------------

EXTRA = """recorded: 2022-03-03
positions:
  - id: zz-extra-position
    party: {party}
    issue: neutrality
    stance: open
    date: 2022-03-03
    date_precision: day
    summary: An extra position, in a file of its own.
    evidence:
      - source: kyiv-2022-02-25
        quote: {quote}
"""


@pytest.mark.parametrize("readers", [1, 2, 3, 8])
def test_any_number_of_readers_gives_the_records_of_one_in_process_load(readers):
    limits = Limits()
    loaded = load_isolated(str(BUNDLED), limits, readers=readers)
    expected = load_records(BUNDLED, limits)
    assert loaded == expected  # quotes' ``verified`` included: the checker's answer
    pieces = [piece for position in loaded.positions for piece in position.evidence]
    assert pieces and all(piece.verified for piece in pieces)
    assert [o.evidence for r in loaded.rounds for o in r.outcomes] == [
        o.evidence for r in expected.rounds for o in r.outcomes
    ]


def test_build_gets_the_record_set_and_its_result_is_returned():
    seen = []
    built = load_isolated(str(BUNDLED), readers=2, build=lambda records: seen.append(records) or 7)
    assert built == 7
    assert seen == [load_records(BUNDLED, Limits())]


def _errors(directory) -> list[str]:
    with pytest.raises(FixtureErrors) as failure:
        load_records(directory, Limits())
    return [str(error) for error in failure.value.errors]


@pytest.mark.parametrize(
    "party, quote",
    [
        ("nobody", "Putin had demanded"),  # a reference across files: found by the checker
        ("ukraine", "words the article never printed"),  # a quote: checked against the archive
        ("ukraine", "[unclosed"),  # a file's own problem: found by its reader
    ],
)
def test_a_set_the_parallel_load_refuses_gets_the_errors_of_one_whole_load(
    fixtures_copy, party, quote
):
    (fixtures_copy / "zz-extra.yaml").write_text(EXTRA.format(party=party, quote=quote), "utf-8")
    expected = _errors(fixtures_copy)
    assert expected and all(line.startswith("zz-extra.yaml:") for line in expected)
    with pytest.raises(FixtureErrors) as failure:
        load_isolated(str(fixtures_copy), readers=2)
    assert [str(error) for error in failure.value.errors] == expected


def test_a_checker_that_fails_is_a_refused_load_not_a_crash(fixtures_copy, monkeypatch):
    def broken(self):
        raise RuntimeError("a bug in a cross-check")

    monkeypatch.setattr("service.loading.isolate.CrossChecker.run", broken)
    with pytest.raises(FixtureErrors) as failure:
        load_isolated(str(fixtures_copy), readers=2)
    assert str(failure.value) == (
        ".: (file): the load stopped while reading this file: "
        "the reader failed (exit status 1); the server's log has the details"
    )


def test_a_reader_that_sends_no_records_is_a_refused_load(fixtures_copy, monkeypatch):
    monkeypatch.setattr("service.loading.isolate.codec.encode_files", lambda files: b"[[1]]")
    with pytest.raises(FixtureErrors) as failure:
        load_isolated(str(fixtures_copy), readers=2)
    assert str(failure.value) == ".: (file): a reader sent an answer that is not records"


def _files(*sizes):
    from pathlib import Path

    from service.loading.files import FixtureFile

    return [FixtureFile(f"{n}.yaml", Path(f"{n}.yaml"), size) for n, size in enumerate(sizes)]


def test_the_readers_tasks_are_the_files_largest_first_or_groups_of_about_equal_size():
    from service.config import available_cpus
    from service.loading import Limits
    from service.loading.isolate import _readers, _tasks

    found = _files(900, 100, 500, 400, 300, 300, 200)
    assert [[f.size for f in task] for task in _tasks(found, 100)] == [
        [900], [500], [400], [300], [300], [200], [100]
    ]  # fmt: skip
    grouped = _tasks(found, 2)  # more files than the queue holds numbers: two groups
    assert sorted(f.name for task in grouped for f in task) == sorted(f.name for f in found)
    assert sorted(sum(f.size for f in task) for task in grouped) == [1300, 1400]
    assert _readers(found, 20, Limits()) == len(found)  # never an idle reader
    assert _readers(found, None, Limits()) == 1  # a small set: one reader
    big = _files(*[1 << 20] * 8)
    assert _readers(big, None, Limits(readers=3)) == 3  # at most PARLEY_LOAD_READERS
    assert _readers(big, None, Limits(readers=64)) == 8  # one per megabyte
    assert _readers(big, None, Limits()) == min(8, available_cpus())


def test_the_queue_holds_each_task_once_and_is_empty_once_read():
    import os

    from service.loading.isolate import _TASK, _queue

    tasks, queue = _queue(_files(*range(1, 3001)))
    try:
        taken = []
        while number := os.read(queue, _TASK.size):
            taken.append(_TASK.unpack(number)[0])
    finally:
        os.close(queue)
    assert taken == list(range(len(tasks)))
    assert sorted(f.size for task in tasks for f in task) == list(range(1, 3001))
