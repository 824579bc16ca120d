#!/usr/bin/env python3
"""Write a synthetic, valid fixture directory of a given size, deterministic for a seed."""

from __future__ import annotations

import argparse
import math
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

if __package__ in (None, ""):  # run as a script: make ``bench.catalogue`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.catalogue import (
    BASE_ISSUES,
    CONDITIONS,
    OUTLETS,
    PARTIES,
    PLACES,
    QUOTES,
    REGIONS,
    ROLES,
    TOPICS,
    VERBS,
    Catalogue,
    catalogue,
)

STANCES = {2: "demands", 1: "supports", 0: "open", -1: "opposes", -2: "rejects"}
FIRST_ROUND = date(2022, 2, 28)
POSITIONS_PER_ROUND = 250
SOURCES_PER_ROUND = 6
MIN_PARTIES, MIN_ISSUES = 20, 100
OUTCOMES = (
    ("agreed", "The delegations agreed to meet again within a week."),
    ("not_agreed", "No agreement on a general ceasefire."),
)
PROPER_NOUNS = {"Ukraine", "Ukraine's", "Russia", "NATO", "Presidents", "Western"}
class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Writes shared values out each time: fixtures never hold anchors or aliases."""

    def ignore_aliases(self, data):
        return True


@dataclass
class Period:
    """One round of talks and the days until the next one, written as one file."""

    number: int
    start: date
    end: date
    until: date
    parties: list[str]
    sources: list[dict] = field(default_factory=list)


def periods(rng: random.Random, count: int, parties: list[str]) -> list[Period]:
    """Rounds every few days, each lasting a day or two, with two to five delegations."""
    result, day = [], FIRST_ROUND
    for number in range(1, count + 1):
        gap = rng.randint(3, 5)
        end = day + timedelta(days=rng.choice((0, 0, 1)))
        delegations = parties[:2] + rng.sample(parties[2:], k=rng.randint(0, 3))
        result.append(Period(number, day, end, day + timedelta(days=gap - 1), delegations))
        day += timedelta(days=gap)
    return result


RECORDED_FROM = date(2024, 1, 1)  # the catalogue's record day; round n's is n days later


def sources(rng: random.Random, period: Period) -> list[dict]:
    """Articles published in the period: one on the round's last day, one on the period's."""
    days = (period.until - period.start).days
    published = sorted(
        [period.end, period.until]
        + [
            period.start + timedelta(days=rng.randint(0, days))
            for _ in range(SOURCES_PER_ROUND - 2)
        ]
    )
    result = []
    for index, day in enumerate(published):
        outlet = rng.choice(OUTLETS)
        result.append(
            {
                "id": f"{outlet.lower().replace(' ', '-')}-{day}-r{period.number}-{index}",
                "outlet": outlet,
                "title": f"Talks, round {period.number}: where the parties stand ({day:%d %B %Y})",
                "published": day,
                "date_basis": {"method": "dateline", "reasoning": f"Datelined {day:%d %B %Y}."},
                "archived": False,
                "reason": "A synthetic article: there is no text to archive.",
            }
        )
    return result


class Writer:
    """Generates the positions period by period, so each cell's stance walks through time."""

    def __init__(self, rng: random.Random, cat: Catalogue):
        self.rng, self.cat = rng, cat
        self.names = {p["id"]: p["name"] for p in cat.parties}
        self.actor_names = {a["id"]: a["name"] for a in cat.actors}
        self.claims = {i["id"]: _clause(i["proposition"]) for i in cat.issues}
        self.score: dict[tuple[str, str], int] = {}
        self.ids: set[str] = set()
        self.disputes = 0
        self.cum_weights = []
        total = 0.0
        for weight in cat.weights:
            total += weight
            self.cum_weights.append(total)

    def step(self, cell: tuple[str, str]) -> int:
        """The cell's next stance: mostly reiterated, sometimes a step, rarely a reversal."""
        previous = self.score.get(cell)
        roll = self.rng.random()
        if previous is None:
            score = self.rng.choice((2, 2, 1, 0, -1, -2, -2))
        elif roll < 0.6:
            score = previous
        elif roll < 0.92:
            toward = -1 if previous > 0 else 1
            score = previous + (
                toward if self.rng.random() < 0.55 or abs(previous) == 2 else -toward
            )
        else:
            score = -previous if previous else self.rng.choice((-1, 1))
        self.score[cell] = score
        return score

    def unique(self, base: str) -> str:
        key, n = base, 1
        while key in self.ids:
            n += 1
            key = f"{base}-{n}"
        self.ids.add(key)
        return key

    def period(self, period: Period, count: int) -> dict:
        rng = self.rng
        cells = rng.choices(self.cat.cells, cum_weights=self.cum_weights, k=count)
        drafts = []
        for party, issue in cells:
            in_round = party in period.parties and rng.random() < 0.4
            last = period.end if in_round else period.until
            day = period.start + timedelta(days=rng.randint(0, (last - period.start).days))
            drafts.append((day, party, issue, in_round))
        drafts.sort()
        positions, corroborations = [], []
        index = 0
        while index < len(drafts):
            day, party, issue, in_round = drafts[index]
            readers = [s for s in period.sources if s["published"] >= day]
            source = rng.choice(readers)
            disputed = index + 1 < len(drafts) and rng.random() < 0.005
            pair = [(party, issue)]
            if disputed:
                # Two articles disagree about what one statement was about: two readings,
                # same speaker, day and source, each on its own issue.
                other = drafts[index + 1][2]
                if other == issue:
                    other = next(i["id"] for i in self.cat.issues if i["id"] != issue)
                pair.append((party, other))
                self.disputes += 1
            actor = f"{party}-delegation" if in_round else f"{party}-{rng.choice(ROLES[:3])[0]}"
            for cell in pair:
                positions.append(self.position(day, cell, actor, source, period, in_round))
                if disputed:
                    positions[-1]["dispute"] = f"dispute-{self.disputes}"
                if len(readers) > 1 and rng.random() < 0.05:
                    later = rng.choice([s for s in readers if s is not source])
                    corroborations.append(
                        {
                            "position": positions[-1]["id"],
                            "evidence": [
                                {
                                    "source": later["id"],
                                    "quote": positions[-1]["evidence"][0]["quote"],
                                }
                            ],
                        }
                    )
            index += len(pair)
        return {"positions": positions, "corroborations": corroborations}

    def position(self, day, cell, actor, source, period, in_round) -> dict:
        rng = self.rng
        party, issue = cell
        score = self.step(cell)
        claim = self.claims[issue]
        speaker = self.actor_names[actor]
        entry = {
            "id": self.unique(f"{party}-{issue}-{day}"),
            "party": party,
            "issue": issue,
            "stance": STANCES[score],
            "date": day,
        }
        roll = rng.random()
        if roll < 0.08:
            entry["date_precision"] = "approximate" if roll < 0.05 else "month"
        entry["actor"] = actor
        if in_round:
            entry["round"] = f"round-{period.number}"
        entry["summary"] = f"{speaker} {rng.choice(VERBS[score])} {claim}."
        if rng.random() < 0.2:
            entry["conditions"] = rng.choice(CONDITIONS)
        entry["evidence"] = [
            {
                "source": source["id"],
                "quote": f"“{QUOTES[score].format(claim=claim)}”, {speaker} said.",
            }
        ]
        return entry


def _clause(proposition: str) -> str:
    """A proposition as it reads after "that": only a leading proper noun keeps its capital."""
    first = proposition.split(" ", 1)[0]
    if first in PROPER_NOUNS:
        return proposition
    return proposition[0].lower() + proposition[1:]


def generate(
    positions: int, seed: int, n_parties: int = 24, n_issues: int = 120
) -> dict[str, dict]:
    """File name → YAML document of a fixture set with exactly ``positions`` positions."""
    if positions < 1:
        raise ValueError("positions must be at least 1")
    if not MIN_PARTIES <= n_parties <= len(PARTIES):
        raise ValueError(f"parties must be between {MIN_PARTIES} and {len(PARTIES)}")
    max_issues = len(BASE_ISSUES) + len(TOPICS) * len(REGIONS)
    if not MIN_ISSUES <= n_issues <= max_issues:
        raise ValueError(f"issues must be between {MIN_ISSUES} and {max_issues}")
    rng = random.Random(seed)
    cat = catalogue(rng, n_parties, n_issues)
    files = {
        "catalogue.yaml": {
            "recorded": RECORDED_FROM,
            "about": f"Synthetic catalogue (seed {seed}): {n_parties} parties, {n_issues} issues.",
            "parties": cat.parties,
            "actors": cat.actors,
            "issues": cat.issues,
        }
    }
    count = max(2, math.ceil(positions / POSITIONS_PER_ROUND))
    writer = Writer(rng, cat)
    for number, period in enumerate(periods(rng, count, [p["id"] for p in cat.parties])):
        period.sources = sources(rng, period)
        share = positions * (number + 1) // count - positions * number // count
        body = writer.period(period, share)
        cited = [s["id"] for s in period.sources[:2]]
        round_ = {
            "id": f"round-{period.number}",
            "number": period.number,
            "start": period.start,
            "place": rng.choice(PLACES),
            "delegations": [{"party": p} for p in period.parties],
            "sources": cited,
            "outcomes": [dict(zip(("status", "summary"), rng.choice(OUTCOMES), strict=True))],
        }
        round_["outcomes"][0]["evidence"] = [{"source": cited[0], "quote": "The talks ended."}]
        if period.end != period.start:
            round_["end"] = period.end
        document = files[f"{period.start}-round-{period.number:04d}.yaml"] = {
            # each round's file recorded a day after the one before: a record with history
            "recorded": RECORDED_FROM + timedelta(days=period.number),
            "about": f"Round {period.number} and the days until the next.",
            "sources": period.sources,
            "rounds": [round_],
            "positions": body["positions"],
        }
        if body["corroborations"]:
            document["corroborations"] = body["corroborations"]
    return files


def write(directory: Path, files: dict[str, dict]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, document in files.items():
        text = yaml.dump(document, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
        (directory / name).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.synth", description=__doc__)
    parser.add_argument("--positions", type=int, required=True, help="exact number of positions")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--parties", type=int, default=24, help="number of parties (default 24)")
    parser.add_argument("--issues", type=int, default=120, help="number of issues (default 120)")
    parser.add_argument("--output", type=Path, required=True, help="directory to write")
    parser.add_argument("--force", action="store_true", help="replace fixture files already there")
    args = parser.parse_args(argv)
    existing = sorted(args.output.glob("*.yaml")) if args.output.is_dir() else []
    if existing and not args.force:
        parser.error(f"{args.output} already holds fixture files; pass --force to replace them")
    try:
        files = generate(args.positions, args.seed, args.parties, args.issues)
    except ValueError as error:
        parser.error(str(error))
    for path in existing:
        path.unlink()
    write(args.output, files)
    print(f"{args.output}: {len(files)} files, {args.positions} positions (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
