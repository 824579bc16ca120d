"""`parley fixtures new round`: a skeleton that fails the check only where it is to be filled."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import yaml

from service.editors.reference import SCHEMA_PATH
from tests.support import invoke, load_dataset

# the filled-in source's text, archived in the fixture directory
ARTICLE = "Ukraine proposed a neutral status, with guarantees, at the talks in Istanbul.\n"
FILLED = {
    "sources[0].id": "istanbul-2022-03-30",
    "sources[0].published": "2022-03-30",
    "sources[0].date_basis.method": "inferred",
    "sources[0].date_basis.reasoning": "Written the day after the talks.",
    "sources[0].archive": "archive/istanbul-2022-03-30.txt",
    "sources[0].sha256": hashlib.sha256(ARTICLE.encode("utf-8")).hexdigest(),
    "positions[0].id": "ukraine-neutrality-2022-03-29",
    "positions[0].party": "ukraine",
    "positions[0].issue": "neutrality",
    "positions[0].stance": "open",
    "positions[0].summary": "Ukraine proposed a neutral status with guarantees.",
    "positions[0].evidence[0].source": "istanbul-2022-03-30",
    "positions[0].evidence[0].quote": "neutral status",
}


def new_round(runner, directory, *options):
    result = invoke(runner, "fixtures", "new", "round", str(directory), *options)
    assert result.exit_code == 0, result.output
    return result


def check_lines(runner, directory) -> list[str]:
    result = invoke(runner, "fixtures", "check", str(directory))
    return result.output.splitlines()


def test_the_skeleton_fails_only_where_there_is_something_to_fill_in(runner, fixtures_copy):
    result = new_round(
        runner, fixtures_copy, "--date", "2022-03-29", "--place", "Istanbul, Turkey",
        "--host", "null", "--id", "round-istanbul",
    )  # fmt: skip
    path = fixtures_copy / "2022-03-29-round-istanbul.yaml"
    todos = len(FILLED)
    assert result.stderr == (
        f"Wrote {path}: fill in its {todos} TODOs, then run "
        f"`parley fixtures check {fixtures_copy}`.\n"
    )
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert (path.parent / text.splitlines()[0].split("=", 1)[1]).resolve() == SCHEMA_PATH
    assert f"\nrecorded: {date.today()}\n" in text  # --recorded: today by default
    lines = check_lines(runner, fixtures_copy)
    assert lines[-1] == f"{todos} errors in {fixtures_copy}"
    found = [re.match(r".*?\.yaml:\d+: (\S+): still to fill in: ", line) for line in lines[:-1]]
    assert all(found), lines
    assert [match.group(1) for match in found] == list(FILLED)
    stance = 1 + next(
        n for n, line in enumerate(text.splitlines()) if line.startswith("    stance: ")
    )
    assert (
        f"{path}:{stance}: positions[0].stance: still to fill in: one of demands, supports, "
    ) in "\n".join(lines)


def test_filled_in_it_passes_and_adds_its_round_and_position(runner, fixtures_copy):
    new_round(
        runner, fixtures_copy, "--date", "2022-03-29", "--place", "Istanbul, Turkey",
        "--host", "null", "--number", "5", "--recorded", "2026-12-03",
    )  # fmt: skip
    path = fixtures_copy / "2022-03-29-round-5.yaml"
    (fixtures_copy / FILLED["sources[0].archive"]).write_text(ARTICLE, "utf-8")
    text = path.read_text("utf-8")
    for value in FILLED.values():
        text = re.sub(r'"TODO[^"]*"', value, text, count=1)
    assert '"TODO' not in text
    path.write_text(text, "utf-8")
    assert check_lines(runner, fixtures_copy)[-1].startswith(f"{fixtures_copy}: OK: ")
    dataset = load_dataset(fixtures_copy, strict=True)  # its quote is in the archived text
    assert dataset.positions["ukraine-neutrality-2022-03-29"].recorded == date(2026, 12, 3)
    round_ = dataset.rounds["round-5"]
    assert (round_.number, str(round_.start), round_.place, round_.host) == (
        5, "2022-03-29", "Istanbul, Turkey", None
    )
    assert dataset.positions["ukraine-neutrality-2022-03-29"].round == "round-5"


def test_what_is_not_given_is_left_to_fill_in(runner, tmp_path):
    new_round(runner, tmp_path, "--output", str(tmp_path / "new.yaml"))
    document = yaml.safe_load((tmp_path / "new.yaml").read_text("utf-8"))
    round_ = document["rounds"][0]
    assert round_["id"] == "round-new"
    assert round_["start"].startswith("TODO: YYYY-MM-DD")
    assert round_["place"].startswith("TODO: ")
    assert "host" not in round_  # optional: commented out, not a placeholder
    # either the archived text and its hash (to fill in), or `archived: false` and a reason
    source = document["sources"][0]
    assert source["archive"].startswith("TODO: ") and source["sha256"].startswith("TODO: ")
    assert "archived" not in source and "reason" not in source


def test_an_existing_file_is_never_overwritten(runner, tmp_path):
    (tmp_path / "round-3.yaml").write_text("about: mine\n", "utf-8")
    result = invoke(runner, "fixtures", "new", "round", str(tmp_path), "--number", "3")
    assert result.exit_code == 1
    assert "round-3.yaml exists" in result.output
    assert (tmp_path / "round-3.yaml").read_text("utf-8") == "about: mine\n"
