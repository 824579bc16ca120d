"""The fixture subset of YAML (service/loading/yamlsubset.py): what is refused, at which line,
and how the values that are left read."""

from __future__ import annotations

import pytest

from service.loading import yamlsubset
from service.loading.yamlsubset import YamlProblems
from tests.support import errors_for, line_of


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
@pytest.mark.parametrize("given_bytes", [False, True], ids=["text", "bytes"])
def test_constructs_outside_the_subset_are_refused_with_their_line(text, expected, given_bytes):
    """The same, whether the checks screen the text or the file's bytes (the loader's way)."""
    with pytest.raises(YamlProblems) as refused:
        yamlsubset.read(text, text.encode() if given_bytes else None)
    assert [(p.line, p.message) for p in refused.value.problems] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: x\u0085y\n", [(1, "control character U+0085 is not allowed")]),  # C1: C2 85
        ("a:\n\t- 1\n", [(2, "tabs are not allowed for indentation; use spaces")]),
        ("a: 1\n\x1b[31mb: 2\n", [(2, "control character U+001B is not allowed")]),
        ("a: [1, *x]\n", [(1, "aliases (*x) are not allowed; write the value out")]),
        ("a: 1\n...\nb: 2\n", None),  # a document end marker: refused, however worded
    ],
    ids=["c1-control", "tab-indent", "escape", "alias-in-flow", "document-end"],
)
def test_the_byte_screen_misses_nothing_the_text_checks_find(text, expected):
    """Screening the bytes only decides whether the exact checks run: where any of them
    finds something, the bytes path refuses the file with the very same problems."""
    problems = []
    for utf8 in (None, text.encode()):
        with pytest.raises(YamlProblems) as refused:
            yamlsubset.read(text, utf8)
        problems.append([(p.line, p.message) for p in refused.value.problems])
    assert problems[0] == problems[1]
    if expected is not None:
        assert problems[1] == expected


def test_a_text_with_nothing_to_refuse_reads_the_same_from_its_bytes():
    text = "a: “quoted” — and accented, é and ñ\nb:\n- 010\n- no\n"
    assert yamlsubset.read(text, text.encode()) == yamlsubset.read(text) == {
        "a": "“quoted” — and accented, é and ñ", "b": [10, "no"]
    }


def test_values_are_read_as_yaml_1_2_core_and_dates_stay_text():
    """`no` is a string, `010` is ten, and a date is left for the schemas to check."""
    assert yamlsubset.read("a: no\nb: 010\nc: 2022-02-30\n") == {
        "a": "no", "b": 10, "c": "2022-02-30"
    }


def test_an_unclosed_bracket_is_reported_where_the_parser_stops_and_where_it_opened(fixtures_dir):
    opened = line_of("unclosed-bracket", "quote: [not afraid")
    assert errors_for(fixtures_dir, "unclosed-bracket") == [
        # the list opened on the quote's line runs into the next line's end of file
        f"unclosed-bracket.yaml:{opened + 1}: yaml: the list opened on line {opened} is not "
        "closed: a ']' or a ',' is missing (YAML parser: did not find expected ',' or ']' "
        f"(while parsing a flow sequence started on line {opened}))"
    ]


def test_a_duplicate_key_is_reported_at_the_second_key(fixtures_dir):
    mapping = line_of("duplicate-key", "- id: p-1")
    again = line_of("duplicate-key", "party:", 2)
    assert errors_for(fixtures_dir, "duplicate-key") == [
        f"duplicate-key.yaml:{again}: yaml: the key 'party' is given twice in the mapping "
        f"of line {mapping}; keep one"
    ]
