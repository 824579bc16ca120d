"""Every error in one run, in an editor's words: all bad fields, duplicates, YAML, suggestions."""

from __future__ import annotations

import shutil

import pytest

from service.loading import FixtureErrors, yamlsubset
from tests.support import DATA, invoke, load_dataset

EVIDENCE = """\
    summary: Zelensky is not afraid to talk about neutral status.
    evidence:
      - source: article-1
        quote: not afraid to talk about neutral status
"""
# a YAML error in one file; in the other, two bad fields of one position, and a duplicate
# id whose first occurrence has a bad date: five mistakes
BROKEN_YAML = """\
recorded: 2026-12-03
sources:
  - id: article-2
    title: Another article
     published: 2022-03-01
"""
FOUR_MISTAKES = f"""\
recorded: 2026-12-03
sources:
  - id: article-1
    title: A test article
    published: 2022-03-01
    archived: false
    reason: A test article, never published.
    date_basis: {{method: dateline, reasoning: The article carries its date.}}
positions:
  - id: p-1
    party: ukraine
    issue: neutrality
    stance: insists
    date: 2022-02-30
{EVIDENCE}  - id: p-2
    party: ukraine
    issue: neutrality
    stance: open
    date: 2022-13-01
{EVIDENCE}  - id: p-2
    party: ukraine
    issue: neutrality
    stance: open
    date: 2022-02-25
{EVIDENCE}"""


def line(text: str, found: str, occurrence: int = 1) -> int:
    """The number of the line of ``text`` that holds ``found`` (its n-th time)."""
    return [n for n, held in enumerate(text.splitlines(), 1) if found in held][occurrence - 1]


def test_five_mistakes_in_two_files_are_five_messages_in_one_run(tmp_path, runner, monkeypatch):
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    shutil.copy(DATA / "valid" / "catalogue.yaml", fixtures)
    (fixtures / "a-broken.yaml").write_text(BROKEN_YAML, "utf-8")
    (fixtures / "b-positions.yaml").write_text(FOUR_MISTAKES, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 1
    mistakes = {
        "stance": line(FOUR_MISTAKES, "stance: insists"),
        "day": line(FOUR_MISTAKES, "date: 2022-02-30"),
        "month": line(FOUR_MISTAKES, "date: 2022-13-01"),
        "p-2": line(FOUR_MISTAKES, "- id: p-2", 1),
        "again": line(FOUR_MISTAKES, "- id: p-2", 2),
    }
    assert result.output.splitlines() == [
        f"fixtures/a-broken.yaml:{line(BROKEN_YAML, ' published: ')}: yaml: this key is "
        "indented more than the key above it "
        "(YAML parser: mapping values are not allowed in this context)",
        f"fixtures/b-positions.yaml:{mistakes['stance']}: positions[0].stance: 'insists' is not "
        "a stance; expected one of demands, supports, open, opposes, rejects",
        f"fixtures/b-positions.yaml:{mistakes['day']}: positions[0].date: '2022-02-30' is not a "
        "real date; expected YYYY-MM-DD",
        f"fixtures/b-positions.yaml:{mistakes['month']}: positions[1].date: '2022-13-01' is not "
        "a real date; expected YYYY-MM-DD",
        f"fixtures/b-positions.yaml:{mistakes['again']}: positions[2].id: duplicate position id "
        f"'p-2' (first declared at b-positions.yaml:{mistakes['p-2']})",
        "5 errors in fixtures",
    ]


def test_a_duplicate_of_a_refused_entry_does_not_replace_it(tmp_path):
    (tmp_path / "catalogue.yaml").write_bytes((DATA / "valid" / "catalogue.yaml").read_bytes())
    (tmp_path / "b.yaml").write_text(FOUR_MISTAKES, "utf-8")
    with pytest.raises(FixtureErrors) as failure:
        load_dataset(tmp_path)
    # p-2's second declaration is the duplicate, not the position p-2 is known by
    assert [e.field for e in failure.value.errors].count("positions[2].id") == 1


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a:\n  b: x\n   c: y\n", 3, "this key is indented more than the key above it"),
        ("a:\n  - id: x\n     c: y\n", 3, "this key is indented more than the key above it"),
        (
            "about: He said: no\n",
            1,
            "a value holds ': ' (a colon then a space); put the whole value in quotes",
        ),
        (
            "a:\n  b: 1\n c: 2\n",
            3,
            "this line is not lined up with the keys above it (the mapping of line 1); "
            "check its indentation",
        ),
        ("a: 1\n- b\n", 2, "a list item ('- ') where a key was expected: check its indentation"),
        (
            "a:\n  - x\n  y: 1\n",
            3,
            "a key where the list of line 2 expects its next item ('- '): check the indentation",
        ),
        (
            "a: [1, 2\nb: 3\n",
            2,
            "the list opened on line 1 is not closed: a ']' or a ',' is missing",
        ),
        ('a: "abc\nb: 3\n', 3, "the quotation mark opened on line 1 is never closed"),
        ("a: @x\n", 1, "a value cannot start with '@'; put the whole value in quotes"),
        (
            "a:\n  - id: x\n    summary: a long\ntext\n",
            4,
            "this line is neither 'key: value' nor a list item: a ':' is missing, or a long "
            "text goes on at a line indented no further than its key",
        ),
        ("a:\n\t- x\n", 2, "tabs are not allowed for indentation; use spaces"),
    ],
    ids=[
        "indented-more", "indented-more-in-item", "colon-in-value", "not-lined-up",
        "item-for-key", "key-for-item", "unclosed-list", "unclosed-quote", "at-sign",
        "broken-text", "tab",
    ],
)
def test_yaml_syntax_errors_are_said_in_an_editors_words(text, line, words):
    with pytest.raises(yamlsubset.YamlProblems) as refused:
        yamlsubset.read(text)
    [problem] = refused.value.problems
    assert problem.line == line
    assert problem.message.startswith(words)
    # the parser's own words follow, in parentheses, but for the loader's own messages
    assert problem.message == words or problem.message.startswith(f"{words} (YAML parser: ")


def test_an_unknown_yaml_error_keeps_the_parsers_words():
    import yaml

    error = yaml.scanner.ScannerError(problem="found something odd", problem_mark=None)
    assert yamlsubset.syntax_error_line(error, "a: b\n") == (1, "found something odd")


def test_a_misspelling_far_from_every_id_says_where_they_are(fixtures_copy):
    path = fixtures_copy / "2022-03-03-round-2.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("issue: leaders-talks", "issue: deescalation", 1), "utf-8")
    with pytest.raises(FixtureErrors) as failure:
        load_dataset(fixtures_copy)
    [error] = failure.value.errors
    assert error.message == (
        "unknown issue 'deescalation'; see the issue ids declared in catalogue.yaml"
    )
