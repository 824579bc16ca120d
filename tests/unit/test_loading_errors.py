"""Fixture problems (service/loading/errors.py): how each is written, shown in public, capped."""

from __future__ import annotations

from service.loading.errors import FixtureError, format_path


def test_a_path_is_written_as_the_fields_and_indexes_it_names():
    assert format_path(("positions", 3, "evidence", 0, "quote")) == "positions[3].evidence[0].quote"
    assert format_path(()) == "(file)"


def test_an_error_names_file_line_and_field_and_is_public_only_without_its_message():
    error = FixtureError("round-1.yaml", 12, "positions[0].quote", "quotes 'a secret'")
    assert str(error) == "round-1.yaml:12: positions[0].quote: quotes 'a secret'"
    assert error.under("fixtures/").startswith("fixtures/round-1.yaml:12: positions[0].quote: ")
    assert error.public() == "round-1.yaml:12: positions[0].quote"
    assert FixtureError.from_dict(error.as_dict()).as_dict() == error.as_dict()
    assert len(FixtureError("a.yaml", 1, "x", "y" * 1000).message) == 300
