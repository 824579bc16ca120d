"""What the benchmark asks for: ids and dates picked from the data, and the URLs built from them."""

from __future__ import annotations

import math
import random
import sqlite3
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from itertools import combinations
from urllib.parse import urlencode

from bench.synth import POSITIONS_PER_ROUND, RECORDED_FROM
from service.exports.sqlite import SNAPSHOT_SQL

API = "/api/v1"
PAGE_SIZE = 50  # the API's default page size, which Datasette's positions query matches
DATABASE = "parley"  # Datasette names a database after its file, parley.db
POOL = 400  # distinct URLs per uncached endpoint, so that no result is computed twice nearby

# A position's evidence as the API serves it, a JSON array of {source, quote}.
_EVIDENCE_JSON = """(
    SELECT json_group_array(json_object('source', e.source, 'quote', e.quote))
    FROM (SELECT source, quote FROM evidence WHERE position = p.id ORDER BY seq) AS e
) AS evidence"""

POSITION_COLUMNS = (
    "p.id, p.party, p.issue, p.stance, p.score, p.date, p.date_precision, p.actor, p.summary, "
    "p.conditions, p.round, p.disputed, p.dispute"
)

# One party's positions on one issue, in date order: the filtered positions page, in SQL.
POSITIONS_SQL = f"""SELECT {POSITION_COLUMNS}, {_EVIDENCE_JSON}
FROM positions AS p
WHERE p.party = :party AND p.issue = :issue
ORDER BY p.date, p.id"""


@dataclass(frozen=True)
class Picks:
    """Representative arguments: the busiest cell and issue, the two busiest parties, dates."""

    positions: int
    first: date
    last: date
    party: str
    issue: str
    timeline_issue: str
    pair: tuple[str, str]
    cells: tuple[tuple[str, str], ...]  # the busiest (party, issue) cells, busiest first
    issues: tuple[str, ...]
    parties: tuple[str, ...]  # by number of positions, most first

    @property
    def middle(self) -> date:
        return self.first + timedelta(days=(self.last - self.first).days // 2)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("cells", "issues", "parties")}


def pick(database) -> Picks:
    """Read the picks from the SQLite export: quick, and no dataset held in this process."""
    with sqlite3.connect(database) as connection:
        first, last, total = connection.execute(
            "SELECT min(date), max(date), count(*) FROM positions"
        ).fetchone()
        cells = connection.execute(
            "SELECT party, issue FROM positions GROUP BY party, issue "
            "ORDER BY count(*) DESC, party, issue LIMIT ?",
            (POOL,),
        ).fetchall()
        issues = [
            row[0]
            for row in connection.execute(
                "SELECT issue FROM positions GROUP BY issue ORDER BY count(*) DESC, issue"
            )
        ]
        parties = [
            row[0]
            for row in connection.execute(
                "SELECT party FROM positions GROUP BY party ORDER BY count(*) DESC, party"
            )
        ]
    connection.close()
    return Picks(
        positions=total,
        first=date.fromisoformat(first),
        last=date.fromisoformat(last),
        party=cells[0][0],
        issue=cells[0][1],
        timeline_issue=issues[0],
        pair=(parties[0], parties[1]),
        cells=tuple(map(tuple, cells)),
        issues=tuple(issues),
        parties=tuple(parties),
    )


def _path(route: str, **query) -> str:
    return f"{API}{route}?{urlencode(query, safe=',')}" if query else f"{API}{route}"


def known_at(p: Picks) -> date:
    """A record day half-way through the synthetic set's history (bench/synth.py records
    the catalogue on RECORDED_FROM and each round's file a day after the one before)."""
    rounds = max(2, math.ceil(p.positions / POSITIONS_PER_ROUND))
    return RECORDED_FROM + timedelta(days=rounds // 2)


def parley_urls(p: Picks) -> dict[str, tuple[str, dict]]:
    """Endpoint name → (path, headers), the no-op baseline first."""
    month_end = p.middle + timedelta(days=30)
    last_page = max(1, math.ceil(p.positions / PAGE_SIZE))
    snapshot = _path("/snapshot", as_of=p.middle)
    return {
        "baseline": ("/healthz", {}),
        "positions": (_path("/positions", party=p.party, issue=p.issue), {}),
        "deep_page": (_path("/positions", page=last_page), {}),
        "snapshot": (snapshot, {}),
        "timeline": (_path(f"/issues/{p.timeline_issue}/timeline"), {}),
        "compare": (_path("/compare", parties=",".join(p.pair), as_of=p.middle), {}),
        "changes": (_path("/changes", since=p.middle, until=month_end), {}),
        "convergence": (_path("/convergence", parties=",".join(p.pair)), {}),
        # the record as it stood half-way through its history (record time)
        "known_at": (_path("/snapshot", as_of=p.middle, known_at=known_at(p)), {}),
        # the Explorer's pages: the matrix as of the latest date, and the busiest issue's page
        "home": ("/", {}),
        "issue_page": (f"/issues/{p.timeline_issue}", {}),
        # the ETag is filled in from a first GET of the same URL
        "revalidate": (snapshot, {}),
    }


def datasette_metadata() -> dict:
    """Canned queries: the SQL equivalents of the filtered positions page and the snapshot."""
    return {
        "databases": {
            DATABASE: {
                "queries": {
                    "positions": {
                        "title": "Positions of a party on an issue (first page)",
                        "sql": f"{POSITIONS_SQL}\nLIMIT {PAGE_SIZE}",
                    },
                    "snapshot": {
                        "title": "Snapshot: latest position per issue × party as of a date",
                        "sql": SNAPSHOT_SQL,
                    },
                }
            }
        }
    }


def _datasette(query: str, **params) -> str:
    return f"/{DATABASE}/{query}.json?{urlencode({**params, '_shape': 'array'})}"


def datasette_urls(p: Picks) -> dict[str, str]:
    return {
        "baseline": "/-/versions.json",
        "positions": _datasette("positions", party=p.party, issue=p.issue),
        "snapshot": _datasette("snapshot", as_of=p.middle),
    }


def _dates(p: Picks, rng: random.Random) -> list[date]:
    days = [p.first + timedelta(days=n) for n in range((p.last - p.first).days + 1)]
    rng.shuffle(days)
    return days


def pools(p: Picks, *, peer: bool = False) -> dict[str, list[str]]:
    """Endpoint name → distinct paths to send in turn, deterministically shuffled."""
    rng = random.Random(0)
    dates = _dates(p, rng)
    cells = list(p.cells)
    rng.shuffle(cells)
    if peer:
        return {
            "positions": [_datasette("positions", party=a, issue=b) for a, b in cells[:POOL]],
            "snapshot": [_datasette("snapshot", as_of=d) for d in dates[:POOL]],
        }
    pairs = list(combinations(p.parties[:6], 2))
    issues = list(p.issues)
    rng.shuffle(issues)
    return {
        "baseline": ["/healthz"],
        "snapshot": [_path("/snapshot", as_of=d) for d in dates[:POOL]],
        "timeline": [_path(f"/issues/{i}/timeline") for i in issues],
        "compare": [
            _path("/compare", parties=",".join(pairs[n % len(pairs)]), as_of=d)
            for n, d in enumerate(dates[:POOL])
        ],
        "positions": [_path("/positions", party=a, issue=b) for a, b in cells[:POOL]],
        "convergence": [
            _path("/convergence", parties=",".join(pairs[n % len(pairs)]), until=d)
            for n, d in enumerate(dates[:POOL])
        ],
        "known_at": [_path("/snapshot", as_of=d, known_at=known_at(p)) for d in dates[:POOL]],
        "home": [f"/?{urlencode({'as_of': d})}" for d in dates[:POOL]],
        "issue_page": [f"/issues/{i}" for i in issues],
    }
