"""Text rules (service/text.py): did-you-mean hints and quotes compared verbatim."""

from __future__ import annotations

import pytest

from service.text import did_you_mean, normalise_text


@pytest.mark.parametrize(
    ("word", "listed", "hint"),
    [
        ("ukrane", 0, "; did you mean 'ukraine'?"),
        ("moskow", 0, ""),  # not close to any: no guess
        ("moskow", 3, "; expected one of eu, russia, ukraine"),  # few enough to list
        ("moskow", 2, ""),
    ],
)
def test_did_you_mean(word, listed, hint):
    assert did_you_mean(word, ["ukraine", "russia", "eu"], listed=listed) == hint


def test_quotes_are_compared_with_whitespace_and_typographic_quotes_normalised():
    assert normalise_text("  “Sit down\n with me,”  he said ‘now’ ") == (
        '"Sit down with me," he said \'now\''
    )
