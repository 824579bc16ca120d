"""The `parley` command: fixtures check and export, invoked as a user would."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from service.cli import cli
from tests.conftest import BUNDLED, SEEDS
from tests.support import DATA, invoke

SUMMARY = "6 parties, 8 actors, 15 issues, 4 sources, 2 rounds, 32 positions"


def test_check_prints_a_one_line_summary_and_exits_0(runner, bundled):
    result = invoke(runner, "fixtures", "check", str(BUNDLED), "--seeds", str(SEEDS))
    assert result.exit_code == 0
    first, *against = result.output.splitlines()
    assert first == f"{BUNDLED}: OK: {SUMMARY} (data version {bundled.version})"
    # in a git checkout, what the fixtures change against HEAD (tests/unit/test_diff.py)
    assert all(line.startswith("Against HEAD: ") for line in against) and len(against) <= 1


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A copy of the bundled fixtures, reached as `fixtures`, to break one line of."""
    shutil.copytree(BUNDLED, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)

    def replace(name: str, old: str, new: str) -> None:
        path = tmp_path / "fixtures" / name
        text = path.read_text("utf-8")
        assert text.count(old) == 1
        path.write_text(text.replace(old, new), "utf-8")

    return replace


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  - id: russia-donbas-2022-02-28\n    party: russia\n",
            "  - id: russia-donbas-2022-02-28\n    party: rusia\n",
            "fixtures/2022-03-01-round-1.yaml:79: positions[1].party: "
            "unknown party 'rusia'; did you mean 'russia'?",
        ),
        (
            "  - id: ukraine-ceasefire-2022-02-28\n    party: ukraine\n    issue: ceasefire\n"
            "    stance: demands\n",
            "  - id: ukraine-ceasefire-2022-02-28\n    party: ukraine\n    issue: ceasefire\n"
            "    stance: insists\n",
            "fixtures/2022-03-01-round-1.yaml:124: positions[4].stance: 'insists' is not a "
            "stance; expected one of demands, supports, open, opposes, rejects",
        ),
        (
            "    sources: [bombing-must-stop-2022-03-01, no-talks-until-bombing-stops-2022-03-01]",
            "    sources: [bombing-must-stop-2022-03-01, no-talks-until-bombing-stops-2022-03-01",
            "fixtures/2022-03-01-round-1.yaml:40: yaml: the list opened on line 39 is not "
            "closed: a ']' or a ',' is missing (YAML parser: did not find expected ',' or ']' "
            "(while parsing a flow sequence started on line 39))",
        ),
    ],
    ids=["misspelt-party", "stance-insists", "unclosed-bracket"],
)
def test_check_reports_each_error_with_file_line_and_exits_1(runner, broken, old, new, expected):
    broken("2022-03-01-round-1.yaml", old, new)
    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 1
    assert result.output == f"{expected}\n1 error in fixtures\n"


def test_check_lists_every_error_before_the_count(runner, tmp_path, monkeypatch):
    (tmp_path / "fixtures").mkdir()
    shutil.copy(DATA / "valid" / "catalogue.yaml", tmp_path / "fixtures")
    for case in ("bad-stance", "unknown-party"):
        shutil.copy(DATA / "broken" / f"{case}.yaml", tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "fixtures", "check", "fixtures")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "4 errors in fixtures"
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        "fixtures/bad-stance.yaml:10",
        "fixtures/unknown-party.yaml:2",  # the source both files declare
        "fixtures/unknown-party.yaml:7",  # and the position, though bad-stance's is refused
        "fixtures/unknown-party.yaml:8",
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
