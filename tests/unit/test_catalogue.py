"""The catalogue's rules and the archive's integrity, read straight from the YAML files.

These tests use PyYAML only, not the loader: they check what an editor writes in
``fixtures/`` against the rules of ``fixtures/README.md`` (one positively-worded
proposition per issue, stable ids through aliases, every quote verbatim in its source's
archived text), whatever the loader makes of it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
CATALOGUE = FIXTURES / "catalogue.yaml"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# The issue ids of the first edition of the catalogue: public API, so each must still name
# exactly one issue, as its id or as an alias.
FIRST_EDITION_IDS = [
    "neutrality", "crimea", "donbas", "no-fly-zone", "humanitarian-corridors", "ceasefire",
    "troop-withdrawal", "demilitarization", "denazification", "eu-membership",
    "security-guarantees", "halt-bombing", "leaders-talks", "military-aid", "sanctions",
]  # fmt: skip

# Words that turn a proposition against its own name ("EU membership": "Ukraine commits to
# staying out of the European Union"). A proposition may use one only if its name does too.
NEGATIONS = [
    "not", "no", "never", "none", "nor", "without", "non", "stays out", "stay out",
    "staying out", "keeps out", "keeping out", "out of", "renounce", "renounces",
    "renouncing", "abandon", "abandons", "abandoning", "refuse", "refuses", "refusing",
    "drop", "drops", "dropping", "give up", "gives up", "giving up", "rule out",
    "rules out", "forgo", "forgoes", "reject", "rejects",
]  # fmt: skip

TYPOGRAPHIC = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'"})


def normalise(text: str) -> str:
    """What quote checking tolerates: runs of whitespace and typographic quotes."""
    return re.sub(r"\s+", " ", text.translate(TYPOGRAPHIC)).strip()


def fixture_files() -> list[Path]:
    return sorted(
        path
        for path in FIXTURES.rglob("*.yaml")
        if not any(part.startswith(".") for part in path.relative_to(FIXTURES).parts)
    )


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def catalogue_issues() -> list[dict]:
    return load(CATALOGUE)["issues"]


def all_of(section: str) -> list[tuple[Path, dict]]:
    return [(path, item) for path in fixture_files() for item in load(path).get(section) or []]


def sources() -> dict[str, dict]:
    return {item["id"]: item for _, item in all_of("sources")}


def evidence_items() -> list[tuple[str, dict]]:
    """Every {source, quote} pair of every position, corroboration and round outcome."""
    items = []
    for path, position in all_of("positions"):
        items += [(f"{path.name}: {position['id']}", e) for e in position["evidence"]]
    for path, corroboration in all_of("corroborations"):
        where = f"{path.name}: corroboration of {corroboration['position']}"
        items += [(where, e) for e in corroboration["evidence"]]
    for path, round_ in all_of("rounds"):
        for n, outcome in enumerate(round_.get("outcomes") or []):
            where = f"{path.name}: {round_['id']} outcome {n}"
            items += [(where, e) for e in outcome.get("evidence") or []]
    return items


def resolver() -> dict[str, str]:
    """Every issue id and alias, mapped to the id of the issue it names."""
    names: dict[str, str] = {}
    for issue in catalogue_issues():
        for name in [issue["id"], *issue.get("aliases", [])]:
            names[name] = issue["id"]
    return names


# -- the catalogue's rules ------------------------------------------------------------


@pytest.mark.parametrize("issue", catalogue_issues(), ids=lambda issue: issue["id"])
def test_issue_has_one_proposition(issue):
    proposition = issue.get("proposition")
    assert isinstance(proposition, str) and proposition.strip(), "no proposition"
    assert isinstance(issue.get("name"), str) and issue["name"].strip(), "no name"
    # one sentence: no list, no second sentence, no clauses strung together by semicolons
    assert ";" not in proposition and "\n" not in proposition.strip()
    assert not re.search(r"[.!?]\s+\S", proposition), "more than one sentence"


@pytest.mark.parametrize("issue", catalogue_issues(), ids=lambda issue: issue["id"])
def test_proposition_does_not_negate_its_name(issue):
    proposition = issue["proposition"].lower()
    said_by_name = f"{issue['name']} {issue['id'].replace('-', ' ')}".lower()
    for word in NEGATIONS:
        pattern = rf"\b{re.escape(word)}\b"
        if re.search(pattern, proposition):
            assert re.search(pattern, said_by_name), (
                f"the proposition says {word!r} and its name does not: "
                f"a stance would read against the name"
            )


def test_ids_and_aliases_are_slugs():
    for issue in catalogue_issues():
        assert SLUG.match(issue["id"]), issue["id"]
        for alias in issue.get("aliases", []):
            assert SLUG.match(alias), alias


def test_issue_ids_are_unique():
    counts = Counter(issue["id"] for issue in catalogue_issues())
    assert [i for i, n in counts.items() if n > 1] == []


def test_every_alias_resolves_to_exactly_one_issue():
    ids = {issue["id"] for issue in catalogue_issues()}
    owners = Counter(alias for issue in catalogue_issues() for alias in issue.get("aliases", []))
    assert [a for a, n in owners.items() if n > 1] == [], "an alias of two issues"
    assert sorted(set(owners) & ids) == [], "an alias that is another issue's id"


def test_first_edition_ids_still_resolve():
    names = resolver()
    assert [old for old in FIRST_EDITION_IDS if old not in names] == []


# -- the archive ----------------------------------------------------------------------


def test_every_source_is_archived_or_says_why_not():
    for source in sources().values():
        if source.get("archived") is False:
            assert str(source.get("reason") or "").strip(), source["id"]
            assert "archive" not in source, source["id"]
        else:
            assert source.get("archive") and source.get("sha256"), source["id"]


@pytest.mark.parametrize(
    "source", [s for s in sources().values() if s.get("archive")], ids=lambda s: s["id"]
)
def test_archived_text_matches_its_sha256(source):
    path = FIXTURES / source["archive"]
    assert path.is_file(), f"{source['archive']} is missing"
    assert path.resolve().is_relative_to(FIXTURES.resolve())
    assert hashlib.sha256(path.read_bytes()).hexdigest() == source["sha256"]


def test_every_quote_is_in_its_sources_archived_text():
    known = sources()
    texts = {
        sid: normalise((FIXTURES / s["archive"]).read_text(encoding="utf-8"))
        for sid, s in known.items()
        if s.get("archive")
    }
    items = evidence_items()
    assert items, "no evidence found"
    missing = [
        f"{where}: {e['source']}: {e['quote'][:60]!r}"
        for where, e in items
        if e["source"] not in texts or normalise(e["quote"]) not in texts[e["source"]]
    ]
    assert missing == []


# -- references between files (what an editor can get wrong without the loader) ------


def test_positions_name_issues_parties_actors_and_sources_that_exist():
    names = resolver()
    parties = {p["id"] for _, p in all_of("parties")}
    actors = {a["id"]: a["party"] for _, a in all_of("actors")}
    known = sources()
    for _, position in all_of("positions"):
        where = position["id"]
        assert position["issue"] in names, where
        assert position["party"] in parties, where
        if position.get("actor"):
            assert actors[position["actor"]] == position["party"], where
        for evidence in position["evidence"]:
            assert evidence["source"] in known, where
            assert str(position["date"]) <= str(known[evidence["source"]]["published"]), where
    for _, round_ in all_of("rounds"):
        for outcome in round_.get("outcomes") or []:
            if outcome.get("according_to"):
                assert outcome["according_to"] in actors, round_["id"]


def test_corrections_name_earlier_positions_once_each_with_a_reason():
    recorded = {}
    for path in fixture_files():
        for position in load(path).get("positions") or []:
            recorded[position["id"]] = load(path)["recorded"]
    assert len(recorded) == len(all_of("positions")), "a position id declared twice"
    corrected = []
    for path in fixture_files():
        data = load(path)
        for position in data.get("positions") or []:
            if "supersedes" in position:
                old = position["supersedes"]
                assert old in recorded and recorded[old] < data["recorded"], position["id"]
                assert str(position.get("reason") or "").strip(), position["id"]
                corrected.append(old)
        for retraction in data.get("retractions") or []:
            old = retraction["retracts"]
            assert old in recorded and recorded[old] < data["recorded"], old
            assert str(retraction.get("reason") or "").strip(), old
            corrected.append(old)
    assert [p for p, n in Counter(corrected).items() if n > 1] == []


def test_every_dispute_has_two_readings():
    disputes = Counter(p["dispute"] for _, p in all_of("positions") if p.get("dispute"))
    assert [d for d, n in disputes.items() if n < 2] == []
