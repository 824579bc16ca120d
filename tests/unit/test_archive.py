"""Sources without archived text (service/loading/archive.py and the check): their quotes are
served unverified, counted by `parley fixtures check`, and refused with --strict."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from service import create_app
from service.cli import cli
from tests.conftest import BUNDLED

UNARCHIVED = """\
recorded: 2026-12-03
sources:
  - id: istanbul-2022-03-30
    title: Talks in Istanbul
    published: 2022-03-30
    archived: false
    reason: Behind a paywall; no licence to keep a copy.
    date_basis: {method: dateline, reasoning: The article carries its date.}
positions:
  - id: ukraine-neutrality-2022-03-29
    party: ukraine
    issue: neutrality
    stance: supports
    date: 2022-03-29
    summary: Ukraine proposed a neutral status in Istanbul.
    evidence:
      - {source: istanbul-2022-03-30, quote: Ukraine proposed to adopt a neutral status}
"""


@pytest.fixture
def fixtures(tmp_path, monkeypatch):
    shutil.copytree(BUNDLED, tmp_path / "fixtures")
    (tmp_path / "fixtures" / "2022-03-30-istanbul.yaml").write_text(UNARCHIVED, "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "fixtures"


def test_the_check_counts_quotes_it_could_not_verify(fixtures):
    result = CliRunner().invoke(cli, ["fixtures", "check", "fixtures"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1] == (
        "1 quote not verified: no archived text for istanbul-2022-03-30 "
        "(--strict makes this an error)"
    )


def test_strict_refuses_them(fixtures):
    result = CliRunner().invoke(cli, ["fixtures", "check", "fixtures", "--strict"])
    assert result.exit_code == 1
    line = 1 + UNARCHIVED.splitlines().index(
        "      - {source: istanbul-2022-03-30, quote: Ukraine proposed to adopt a neutral status}"
    )
    assert result.stderr.splitlines() == [
        f"fixtures/2022-03-30-istanbul.yaml:{line}: positions[0].evidence[0].quote: quote "
        "cannot be verified: source 'istanbul-2022-03-30' has no archived text (--strict)",
        "1 error in fixtures",
    ]


def test_the_api_serves_their_evidence_unverified_and_the_rest_verified(fixtures):
    client = create_app({"PARLEY_FIXTURES": str(fixtures), "TESTING": True}).test_client()
    new = client.get("/api/v1/positions/ukraine-neutrality-2022-03-29").get_json()
    assert [piece["verified"] for piece in new["evidence"]] == [False]
    source = client.get("/api/v1/sources/istanbul-2022-03-30").get_json()
    assert (source["archived"], source["archive"], source["reason"]) == (
        False, None, "Behind a paywall; no licence to keep a copy."
    )
    everything = client.get("/api/v1/positions?page_size=500").get_json()["items"]
    verified = [p["id"] for p in everything if all(e["verified"] for e in p["evidence"])]
    assert len(verified) == len(everything) - 1  # every bundled quote is in its archive
