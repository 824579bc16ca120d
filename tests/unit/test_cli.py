"""The `parley` command: fixtures check and export, invoked as a user would."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from service.cli import cli
from tests.conftest import BUNDLED
from tests.support import DATA, invoke

# the record as it stands: the catalogue's second edition (22 issues) and 33 positions
SUMMARY = "6 parties, 8 actors, 22 issues, 4 sources, 2 rounds, 33 positions"


@pytest.mark.parametrize("strict", [[], ["--strict"]], ids=["plain", "strict"])
def test_check_prints_a_one_line_summary_and_exits_0(runner, bundled, strict):
    # every bundled source is archived, so --strict finds nothing more to refuse
    result = invoke(runner, "fixtures", "check", str(BUNDLED), *strict)
    assert result.exit_code == 0
    first, *against = result.output.splitlines()
    assert first == f"{BUNDLED}: OK: {SUMMARY} (data version {bundled.version})"
    # in a git checkout, what the fixtures change against HEAD (tests/unit/test_diff.py)
    assert all(line.startswith("Against HEAD: ") for line in against) and len(against) <= 1


def test_seeds_is_gone_for_strict(runner):
    result = CliRunner().invoke(cli, ["fixtures", "check", str(BUNDLED), "--seeds", "seeds"])
    assert result.exit_code == 2
    assert "No such option" in result.output and "--seeds" in result.output


@pytest.fixture
def unarchived(tmp_path, monkeypatch):
    """The small valid fixtures with their one source unarchived (``archived: false``)."""
    (tmp_path / "fixtures").mkdir()
    shutil.copy(DATA / "valid" / "catalogue.yaml", tmp_path / "fixtures")
    text = (DATA / "valid" / "round-1.yaml").read_text("utf-8")
    archive = "    archive: archive/article-1.txt\n"
    sha = text.split("    sha256: ")[1].split("\n")[0]
    assert text.count(archive) == 1
    text = text.replace(archive, "    archived: false\n    reason: Behind a paywall.\n")
    text = text.replace(f"    sha256: {sha}\n", "")
    (tmp_path / "fixtures" / "round-1.yaml").write_text(text, "utf-8")
    monkeypatch.chdir(tmp_path)
    # the quotes of an unarchived source: a round's outcome and two positions
    lines = text.splitlines()
    return [n for n, line in enumerate(lines, 1) if line.strip().startswith("quote: ")]


def test_check_counts_quotes_it_cannot_verify_and_strict_refuses_them(runner, unarchived):
    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 0
    summary, count = result.output.splitlines()[:2]
    assert summary.startswith("fixtures: OK: ")
    strict = invoke(runner, "fixtures", "check", "fixtures", "--strict")
    assert strict.exit_code == 1
    errors = strict.output.splitlines()
    assert [int(line.split(":")[1]) for line in errors[:-1]] == unarchived
    assert all(
        line.endswith("quote cannot be verified: source 'article-1' has no archived text "
                      "(--strict)")
        for line in errors[:-1]
    )  # fmt: skip
    assert errors[-1] == "3 errors in fixtures"
    # BUG (service/dataset.py, Dataset.unverified_quotes): only positions' evidence is
    # counted, not rounds' outcomes', so the check says 2 where --strict then refuses 3
    assert count == (
        "3 quotes not verified: no archived text for article-1 (--strict makes this an error)"
    ), "the count of unverified quotes leaves out the rounds' outcomes that --strict refuses"


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A copy of the bundled fixtures, reached as `fixtures`, to break one line of."""
    shutil.copytree(BUNDLED, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)

    def replace(name: str, old: str, new: str) -> int:
        """Replace ``old`` by ``new``; the number of the line that changed."""
        path = tmp_path / "fixtures" / name
        text = path.read_text("utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), "utf-8")
        lines = zip(text.splitlines(), text.replace(old, new).splitlines(), strict=True)
        return [a != b for a, b in lines].index(True) + 1

    return replace


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: russia-donbas-2022-02-28\n    party: russia\n",
            "  - id: russia-donbas-2022-02-28\n    party: rusia\n",
            "fixtures/2022-03-01-round-1.yaml:{line}: positions[1].party: "
            "unknown party 'rusia'; did you mean 'russia'?",
        ),
        (
            "  - id: ukraine-ceasefire-2022-02-28\n    party: ukraine\n    issue: ceasefire\n"
            "    stance: demands\n",
            "  - id: ukraine-ceasefire-2022-02-28\n    party: ukraine\n    issue: ceasefire\n"
            "    stance: insists\n",
            "fixtures/2022-03-01-round-1.yaml:{line}: positions[4].stance: 'insists' is not a "
            "stance; expected one of demands, supports, open, opposes, rejects",
        ),
        (
            "    sources: [bombing-must-stop-2022-03-01, no-talks-until-bombing-stops-2022-03-01]",
            "    sources: [bombing-must-stop-2022-03-01, no-talks-until-bombing-stops-2022-03-01",
            # reported on the line after the list that is not closed
            "fixtures/2022-03-01-round-1.yaml:{next}: yaml: the list opened on line {line} is not "
            "closed: a ']' or a ',' is missing (YAML parser: did not find expected ',' or ']' "
            "(while parsing a flow sequence started on line {line}))",
        ),
    ],
    ids=["misspelt-party", "stance-insists", "unclosed-bracket"],
)
def test_check_reports_each_error_with_file_line_and_exits_1(runner, broken, old, new, expected):
    line = broken("2022-03-01-round-1.yaml", old, new)
    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 1
    first, *more = result.output.splitlines()
    assert first == expected.format(line=line, next=line + 1)
    # BUG (service/loading/crosscheck.py, Checks.check_disputes): the readings of a dispute
    # are counted over the files that parsed only; when round 1's file cannot be read, the
    # second edition's usa-nato-membership-2022-03-01-biden is reported as the only reading
    # of biden-not-the-time, although its rival (usa-no-fly-zone-2022-03-01-biden) is in the
    # unreadable file: a cascade, where references into that file are rightly not reported
    assert more == ["1 error in fixtures"], "a spurious error follows from the one: " + str(more)


def test_check_lists_every_error_before_the_count(runner, fixtures_dir):
    for case in ("bad-stance", "unknown-party"):
        shutil.copy(DATA / "broken" / f"{case}.yaml", fixtures_dir)

    def line_of(case: str, text: str) -> str:
        lines = (DATA / "broken" / f"{case}.yaml").read_text("utf-8").splitlines()
        return f"fixtures/{case}.yaml:{[line.strip() for line in lines].index(text) + 1}"

    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "4 errors in fixtures"
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        line_of("bad-stance", "stance: insists"),
        line_of("unknown-party", "- id: article-1"),  # the source both files declare
        line_of("unknown-party", "- id: p-1"),  # and the position, though bad-stance's is refused
        line_of("unknown-party", "party: ukrane"),
    ]


def test_check_defaults_to_the_bundled_fixtures(runner):
    result = invoke(runner, "fixtures", "check")
    assert result.exit_code == 0
    assert SUMMARY in result.output


def test_export_of_broken_fixtures_fails_with_the_errors(runner, broken):
    podolyak = "    date: 2022-03-03\n    actor: podolyak"
    old, new = f"    stance: supports\n{podolyak}", f"    stance: backs\n{podolyak}"
    broken("2022-03-03-round-2.yaml", old, new)
    result = invoke(runner, "export", "--fixtures", "fixtures")
    assert result.exit_code == 1
    assert "positions[1].stance: 'backs' is not a stance" in result.output


def test_version_is_parleys_own():
    from importlib.metadata import version

    result = CliRunner().invoke(cli, ["--version"])
    assert (result.exit_code, result.output) == (0, f"parley, version {version('parley')}\n")


def test_help_lists_parleys_commands_and_loads_nothing(monkeypatch):
    def no_load(*args, **kwargs):
        raise AssertionError("--help must not load the fixtures")

    monkeypatch.setattr("service.commands.load_isolated", no_load)
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert result.stderr == ""
    listed = result.output.split("Commands:\n")[1].splitlines()
    assert [line.split()[0] for line in listed] == ["export", "fixtures", "reload", "serve"]
    assert "--env-file" not in result.output and "--app" not in result.output
