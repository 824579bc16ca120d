"""The fixture subset of YAML (service/loading/yamlsubset.py): what is refused, at which line,
and how the values that are left read."""

from __future__ import annotations

import pytest

from service.loading import yamlsubset
from service.loading.yamlsubset import YamlProblems
from tests.support import errors_for


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: &x 1\nb: *x\n", [
            (1, "anchors (&x) are not allowed"),
            (2, "aliases (*x) are not allowed; write the value out"),
        ]),
        ("a: !!set {}\n", [(1, "tags (!!set) are not allowed")]),
        ("%YAML 1.2\n---\na: 1\n", [(1, "directives (%YAML, %TAG) are not allowed")]),
        ("a: 1\n---\nb: 2\n", [(2, "only one document per file (a second '---')")]),
        ("? [a]\n: 1\n", [(1, "a key must be a plain name, not a list or mapping")]),
        ('a: 1\nb: "x\x07"\n', [(2, "control character U+0007 is not allowed")]),
    ],
    ids=["anchor-alias", "tag", "directive", "second-document", "complex-key", "control"],
)
def test_constructs_outside_the_subset_are_refused_with_their_line(text, expected):
    with pytest.raises(YamlProblems) as refused:
        yamlsubset.read(text)
    assert [(p.line, p.message) for p in refused.value.problems] == expected


def test_values_are_read_as_yaml_1_2_core_and_dates_stay_text():
    """`no` is a string, `010` is ten, and a date is left for the schemas to check."""
    assert yamlsubset.read("a: no\nb: 010\nc: 2022-02-30\n") == {
        "a": "no", "b": 10, "c": "2022-02-30"
    }


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "unclosed-bracket",
            "17: yaml: did not find expected ',' or ']' "
            "(while parsing a flow sequence started on line 16)",
        ),
        (
            "duplicate-key",
            "12: yaml: found duplicate key 'party' "
            "(while constructing a mapping started on line 7)",
        ),
    ],
)
def test_a_syntax_error_names_its_file_and_line(fixtures_dir, case, expected):
    assert errors_for(fixtures_dir, case) == [f"{case}.yaml:{expected}"]
