"""Helpers the tests share: datasets loaded in this process, API checks, servers, synthetic data."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import socket
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

from service.dataset import Dataset
from service.loading import DEFAULT_LIMITS, Limits, load_records

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"  # small fixtures, valid and broken


# -- datasets -----------------------------------------------------------------------------


def load_dataset(directory, *, strict: bool = False, limits: Limits = DEFAULT_LIMITS) -> Dataset:
    """The dataset of a fixture directory, loaded in this process; FixtureErrors if invalid."""
    return Dataset.from_records(load_records(directory, limits, strict=strict))


def line_of(case: str, text: str, occurrence: int = 1) -> int:
    """The line of ``tests/data/broken/<case>.yaml`` that holds ``text`` (its n-th time)."""
    lines = (DATA / "broken" / f"{case}.yaml").read_text("utf-8").splitlines()
    found = [n for n, line in enumerate(lines, 1) if text in line]
    return found[occurrence - 1]


def errors_for(directory: Path, *cases: str, strict: bool = False) -> list[str]:
    """The errors of ``directory`` (reached as ``fixtures``) with broken ``cases`` added."""
    import shutil

    import pytest

    from service.loading import FixtureErrors

    for case in cases:
        shutil.copy(DATA / "broken" / f"{case}.yaml", directory)
    with pytest.raises(FixtureErrors) as failure:
        load_dataset("fixtures", strict=strict)
    return [str(error) for error in failure.value.errors]


def fixture_files(directory):
    """The fixture files of a directory, as the loader finds them (paths)."""
    from service.loading.files import find

    return [file.path for file in find(directory, 1 << 40)[0]]


def invoke(runner, *args):
    """The ``parley`` command run with ``args``; exceptions propagate."""
    from service.cli import cli

    return runner.invoke(cli, list(args), catch_exceptions=False)


# -- API responses ------------------------------------------------------------------------

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "errors"}
LINK = re.compile(r'<([^>]*)>;\s*rel="([^"]+)"')


def problem(response, status: int) -> dict:
    """The problem details of an error response, after checking their form."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert set(body) == PROBLEM_KEYS
    assert body["status"] == status
    assert body["type"] == "about:blank"
    return body


def links(response) -> dict[str, str]:
    """RFC 8288 ``Link`` header as relation → URL."""
    return {rel: url for url, rel in LINK.findall(response.headers.get("Link", ""))}


def csv_rows(response) -> tuple[list[str], list[dict]]:
    """A CSV response's header row and its rows as dicts."""
    assert response.mimetype == "text/csv"
    reader = csv.DictReader(io.StringIO(response.get_data(as_text=True), newline=""))
    rows = list(reader)
    return reader.fieldnames, rows


def ids(response) -> list[str]:
    """The ids of a collection page's items."""
    return [item["id"] for item in response.get_json()["items"]]


# -- real processes (tests/e2e) -----------------------------------------------------------

GUNICORN = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf"]
DOCKERFILE = ROOT / "Dockerfile"


def free_port() -> int:
    """A loopback port that nothing listens on at the moment."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**settings: str) -> dict[str, str]:
    """This process's environment less the developer's PARLEY_* variables, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PARLEY_")}
    return {**env, "PARLEY_WORKERS": "2", "PARLEY_LOG_LEVEL": "INFO", **settings}


def dockerfile_instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    text = DOCKERFILE.read_text("utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, arguments = line.strip().partition(" ")
            found.append((keyword.upper(), " ".join(arguments.split())))
    return found


def dockerfile_stage(index: int) -> list[tuple[str, str]]:
    """The instructions of one build stage (-1: the image that runs)."""
    stages: list[list[tuple[str, str]]] = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            stages.append([])
        stages[-1].append((keyword, arguments))
    return stages[index]


def healthcheck_command() -> list[str]:
    """The image's HEALTHCHECK exec-form command."""
    [arguments] = [a for k, a in dockerfile_stage(-1) if k == "HEALTHCHECK"]
    return json.loads(arguments[arguments.index("CMD ") + 4 :])


# -- synthetic fixtures -------------------------------------------------------------------

STANCES = {2: "demands", 1: "supports", 0: "open", -1: "opposes", -2: "rejects"}


class _Dumper(yaml.SafeDumper):
    """Writes every value out in full: fixtures never hold anchors or aliases."""

    def ignore_aliases(self, data):
        return True


def synthetic_files(positions: int, seed: int, parties: int = 8, issues: int = 24) -> dict:
    """File name → document of a valid fixture set with ``positions`` positions: stances that
    move over time, rounds with delegations and outcomes, conditions, corroborations, disputes
    and imprecise dates, so every field of every record and response is exercised."""
    rng = random.Random(seed)
    party_ids = [f"party-{n:02d}" for n in range(parties)]
    catalogue = {
        "recorded": date(2026, 1, 1),
        "parties": [
            {"id": p, "name": f"Party {n}", "kind": "state", "aliases": [f"P{n}"]}
            for n, p in enumerate(party_ids)
        ],
        "actors": [
            {"id": f"{p}-{role}", "name": f"{role.title()} of {p}", "party": p, "role": role}
            for p in party_ids
            for role in ("leader", "delegation")
        ],
        "issues": [
            {"id": f"issue-{n:02d}", "name": f"Issue {n}", "proposition": f"Proposition {n}"}
            for n in range(issues)
        ],
    }
    files = {"catalogue.yaml": catalogue}
    scores: dict[tuple[str, str], int] = {}
    rounds = max(2, positions // 100)
    day = date(2022, 2, 28)
    for number in range(1, rounds + 1):
        start, end, until = day, day + timedelta(days=number % 2), day + timedelta(days=3)
        sources = [
            {
                "id": f"article-{number}-{k}",
                "outlet": "Wire",
                "title": f"Round {number}, report {k}",
                "published": published,
                "date_basis": {"method": "dateline", "reasoning": "Datelined."},
                "archived": False,
                "reason": "Synthetic: there is no article.",
            }
            for k, published in enumerate((end, until))
        ]
        delegations = party_ids[:2] + rng.sample(party_ids[2:], k=2)
        count = positions * number // rounds - positions * (number - 1) // rounds
        entries, corroborations = [], []
        for index in range(count):
            party, issue = rng.choice(delegations), f"issue-{rng.randrange(issues):02d}"
            in_round = rng.random() < 0.4
            last = end if in_round else until
            when = start + timedelta(days=rng.randint(0, (last - start).days))
            score = scores.get((party, issue))
            if score is None or rng.random() < 0.5:  # else reiterated
                score = rng.choice(list(STANCES))
            scores[(party, issue)] = score
            source = next(s for s in sources if s["published"] >= when)
            entry = {
                "id": f"{party}-{issue}-{when}-{number}-{index}",
                "party": party,
                "issue": issue,
                "stance": STANCES[score],
                "date": when,
                "actor": f"{party}-{'delegation' if in_round else 'leader'}",
                "summary": f"{party} {STANCES[score]} {issue}.",
                "evidence": [{"source": source["id"], "quote": f"We {STANCES[score]} it."}],
            }
            if in_round:
                entry["round"] = f"round-{number}"
            if rng.random() < 0.1:
                entry["date_precision"] = rng.choice(("month", "approximate"))
            if rng.random() < 0.2:
                entry["conditions"] = "Only as part of a settlement."
            if rng.random() < 0.1 and source is sources[0]:
                again = {"source": sources[1]["id"], "quote": "Again."}
                corroborations.append({"position": entry["id"], "evidence": [again]})
            entries.append(entry)
        if len(entries) >= 2:  # two readings of one statement, on two issues
            for reading in entries[-2:]:
                reading["dispute"] = f"dispute-{number}"
        round_ = {
            "id": f"round-{number}",
            "number": number,
            "start": start,
            "end": end,
            "place": "Gomel",
            "host": party_ids[-1],
            "delegations": [{"party": p, "members": [f"Envoy of {p}"]} for p in delegations],
            "sources": [sources[0]["id"]],
            "outcomes": [
                {
                    "status": "agreed",
                    "summary": "To meet again.",
                    "evidence": [{"source": sources[0]["id"], "quote": "They will meet again."}],
                }
            ],
        }
        document = {
            "recorded": date(2026, 1, 1) + timedelta(days=number),  # a record with a history
            "sources": sources,
            "rounds": [round_],
            "positions": entries,
        }
        if corroborations:
            document["corroborations"] = corroborations
        files[f"{start}-round-{number:03d}.yaml"] = document
        day += timedelta(days=4)
    return files


def write_synthetic(directory: Path, positions: int, seed: int) -> Path:
    """A synthetic fixture directory (see ``synthetic_files``), written to ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, document in synthetic_files(positions, seed).items():
        text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        (directory / name).write_text(text, encoding="utf-8")
    return directory
