"""Parley Explorer: the reader's pages (matrix, issues, compare, changes, records) as HTML.

Server-rendered from the request's dataset with the same queries as the API; usable
without JavaScript (every chart has its table), which only draws the charts. Unknown
ids are HTML 404 pages and bad parameters HTML 400 pages, raised as ``PageError``.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, g, render_template, request, url_for
from marshmallow import Schema, ValidationError

from schemas.convergence import ConvergencePointSchema
from schemas.pages import ChangesArgsSchema, CompareArgsSchema, MatrixArgsSchema, PagedArgsSchema
from schemas.pages import PageArgsSchema as NoArgsSchema
from service.convergence import convergence
from service.dataset import Dataset
from service.http import current_dataset, dataset_for
from service.model import RECORD_KINDS, STATUSES
from service.restapi import suggest
from service.web import caching, present
from service.web.fragments import Fragments

blp = Blueprint(
    "explorer",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
blp.after_request(caching.finish)
MOVES_PER_PAGE = 50
CHANGES_PER_PAGE = 50
ISSUES_PER_PAGE = 25  # rows of the matrix: at scale, a hundred issues × two dozen parties
_POINTS = ConvergencePointSchema(many=True)
BAD_ARGUMENTS = "This page cannot be shown with these parameters:"
# the endpoints whose links keep the page's ``known_at``: the pages and the API's reads
KEEPS_RECORD_TIME = ("explorer.", "views.", "resources.", "record.", "convergence.", "feeds.")


class PageError(Exception):
    """A page that cannot be shown: its status, a sentence, and messages per parameter."""

    def __init__(self, status: int, message: str, errors: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.errors = status, message, errors or {}


@blp.errorhandler(PageError)
def page_error(error: PageError):
    """The error as a page of its own, with the status it stands for."""
    return render_template("error.html", error=error), error.status


@blp.app_url_defaults
def keep_record_time(endpoint: str, values: dict) -> None:
    """A page read as the record stood on ``known_at`` links to pages and API reads that
    say the same: ``url_for`` adds the parameter (a link that names it keeps its own)."""
    known_at = g.get("explorer_known_at")
    if (
        known_at
        and "known_at" not in values
        and endpoint.startswith(KEEPS_RECORD_TIME)
        and not endpoint.endswith(".static")
    ):
        values["known_at"] = known_at


def _dataset(args: dict) -> Dataset:
    """The page's dataset: the record as it stood on ``known_at`` if asked, else as it stands;
    and from here on every link of the page keeps that ``known_at``."""
    known_at = args.get("known_at")
    dataset = dataset_for(args)
    g.explorer_dataset = dataset
    g.explorer_known_at = known_at.isoformat() if known_at else None
    return dataset


@blp.context_processor
def layout():
    """What every page's layout shows: the data's version and extent, how stances look."""
    dataset = g.get("explorer_dataset") or current_dataset()
    known_at = g.get("explorer_known_at")
    first, last = dataset.date_range()
    paths = _paths()
    suffix = _suffix()
    record_days = dataset.history.dates
    return {
        "data": dataset,
        "first_date": first,
        "last_date": last,
        "stance_styles": present.STANCE_STYLES,
        "paths": paths,
        "known_at": known_at,
        "kq": suffix,  # appended to ``paths.x ~ id``: a record page as the record stood
        "record_days": (record_days[0], record_days[-1]) if record_days else (None, None),
        "as_it_stands": _as_it_stands() if known_at else None,
        **Fragments(dataset, paths, suffix).globals(),
    }


def _suffix() -> str:
    """What a record page's path takes after its id: the page's ``known_at``, if any."""
    known_at = g.get("explorer_known_at")
    return f"?known_at={known_at}" if known_at else ""


def _as_it_stands() -> str | None:
    """This page's URL without ``known_at``: the record as it stands."""
    if request.endpoint is None or request.endpoint.endswith(".static"):
        return None
    query = {k: v for k, v in request.args.items() if k != "known_at"}
    return url_for(request.endpoint, **(request.view_args or {}), **query, known_at=None)


def _paths() -> dict[str, str]:
    """Each record page's path less its id: ids are slugs, so ``paths.issue ~ id`` is its URL
    (a page of a thousand links calls ``url_for`` five times, not a thousand). Without
    ``known_at``: the pages add it after the id (``kq``)."""
    kinds = ("position", "party", "issue", "source", "round")
    return {
        kind: url_for(f"explorer.{kind}", **{f"{kind}_id": "_"}, known_at=None)[:-1]
        for kind in kinds
    }


def _args(schema: Schema) -> dict:
    """The query arguments: empty form fields dropped, repeated ones joined by commas."""
    given = {}
    for name, values in request.args.lists():
        kept = [value.strip() for value in values if value.strip()]
        if kept:
            given[name] = ",".join(kept)
    try:
        return schema.load(given)
    except ValidationError as error:
        raise PageError(400, BAD_ARGUMENTS, error.messages) from None


def _known(dataset: Dataset, catalogue: str, values, parameter: str) -> list[str] | None:
    """The ids, checked: a 400 page that names the unknown ones."""
    if values is None:
        return None
    values = list(dict.fromkeys(values))
    known = getattr(dataset, catalogue)
    unknown = [
        f"Unknown {RECORD_KINDS[catalogue]} '{v}'.{suggest(v, known)}"
        for v in values
        if v not in known
    ]
    if unknown:
        raise PageError(400, BAD_ARGUMENTS, {parameter: unknown})
    return values


def _record(dataset: Dataset, catalogue: str, key: str):
    """A record by id, or a 404 page with a did-you-mean."""
    record = getattr(dataset, catalogue).get(key)
    if record is None:
        noun = RECORD_KINDS[catalogue]
        guess = suggest(key, getattr(dataset, catalogue))
        raise PageError(404, f"There is no {noun} '{key}'.{guess}")
    return record


def _as_of(dataset: Dataset, args: dict) -> date:
    return args.get("as_of") or dataset.date_range()[1] or date.today()


@blp.get("/")
def matrix():
    """The matrix: each party's stance on each issue as of a date."""
    args = _args(MatrixArgsSchema())
    dataset = _dataset(args)
    as_of = _as_of(dataset, args)
    moves = present.moves(dataset)
    page = args.get("page", 1)
    issues, pages = present.window(list(dataset.issues), page, ISSUES_PER_PAGE)
    rows = present.matrix(dataset, as_of, issues)
    return render_template(
        "matrix.html",
        as_of=as_of,
        rows=Fragments(dataset, _paths(), _suffix()).matrix_rows(rows),
        shown=len(rows),
        page=page,
        pages=pages,
        first_shown=(page - 1) * ISSUES_PER_PAGE + 1,
        previous=moves.before(as_of),
        next=moves.after(as_of),
    )


@blp.get("/issues/<issue_id>")
def issue(issue_id: str):
    """An issue over time: each party's stance as a step chart, and every move."""
    args = _args(PagedArgsSchema())
    dataset = _dataset(args)
    record = _record(dataset, "issues", issue_id)
    entries = present.issue_moves(dataset, issue_id)
    page = args.get("page", 1)
    shown, pages = present.window(entries, page, MOVES_PER_PAGE)
    return render_template(
        "issue.html",
        issue=record,
        entries=shown,
        total=len(entries),
        page=page,
        pages=pages,
        first_shown=(page - 1) * MOVES_PER_PAGE + 1,
        chart=present.issue_chart(dataset, issue_id),
    )


@blp.get("/compare")
def compare():
    """Two parties side by side as of a date, and how far apart they have been over time."""
    args = _args(CompareArgsSchema())
    dataset = _dataset(args)
    parties = _known(dataset, "parties", args.get("parties"), "parties")
    if parties is None:
        parties = list(dataset.parties)[:2]
    if len(parties) < 2:
        raise PageError(404, "There are not two parties to compare.")
    first, second = parties
    as_of = _as_of(dataset, args)
    points = convergence(dataset, first, second)
    first_date, last_date = dataset.date_range()
    chart = {
        "kind": "convergence",
        "domain": [first_date, last_date],
        "points": _POINTS.dump(points),
        "rounds": present.rounds_in(dataset, first_date, last_date),
    }
    return render_template(
        "compare.html",
        first=dataset.parties[first],
        second=dataset.parties[second],
        as_of=as_of,
        rows=dataset.compare(first, second, as_of),
        points=points,
        status_names=list(points[0].statuses) if points else list(STATUSES),
        chart=chart,
    )


@blp.get("/changes")
def changes():
    """Every move that is not a reiteration, newest first, filtered as the form asks."""
    args = _args(ChangesArgsSchema())
    dataset = _dataset(args)
    parties = _known(dataset, "parties", args.get("party"), "party")
    issues = _known(dataset, "issues", args.get("issue"), "issue")
    found = dataset.changes(
        since=args.get("since"), until=args.get("until"), parties=parties, issues=issues
    )
    page = args.get("page", 1)
    shown, pages = present.window(found[::-1], page, CHANGES_PER_PAGE)
    filters = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "changes.html",
        args=args,
        parties=parties or [],
        issues=issues or [],
        entries=shown,
        total=len(found),
        page=page,
        pages=pages,
        filters=filters,
        filtering=any(name != "known_at" for name in filters),  # record time is no filter
    )


@blp.get("/rounds/<round_id>", endpoint="round")
def round_(round_id: str):
    """One round of talks: when, where, who, what was agreed and not, and its positions."""
    dataset = _dataset(_args(NoArgsSchema()))
    record = _record(dataset, "rounds", round_id)
    positions = dataset.filter_positions(round=round_id)
    return render_template("round.html", round=record, positions=positions)


@blp.get("/parties/<party_id>")
def party(party_id: str):
    """A party: who speaks for it, where it stands on each issue now, and its latest moves."""
    dataset = _dataset(_args(NoArgsSchema()))
    record = _record(dataset, "parties", party_id)
    last = dataset.date_range()[1]
    stances = dataset.snapshot(last, parties=[party_id]) if last else []
    moves = dataset.changes(parties=[party_id])[::-1]
    return render_template(
        "party.html",
        party=record,
        actors=present.actors_of(dataset, party_id),
        as_of=last,
        stances=stances,
        moves=moves[:CHANGES_PER_PAGE],
        total_moves=len(moves),
        others=[p for p in dataset.parties.values() if p.id != party_id],
    )


@blp.get("/positions/<position_id>")
def position(position_id: str):
    """One position: the stance, who took it and when, its conditions and its evidence; and,
    if a later record corrected it, by what, when and why (it stays readable)."""
    dataset = _dataset(_args(NoArgsSchema()))
    record = dataset.position(position_id)  # in the record as it stood, corrected or not
    if record is None:
        guess = suggest(position_id, dataset.positions)
        raise PageError(404, f"There is no position '{position_id}'.{guess}")
    correction = dataset.correction(position_id)
    corrected = present.corrected(dataset, record)
    before, after = present.neighbours(dataset, record) if correction is None else (None, None)
    return render_template(
        "position.html",
        position=record,
        actor=dataset.actors.get(record.actor) if record.actor else None,
        rivals=[] if correction else present.rival_readings(dataset, record),
        correction=correction,
        replacement=dataset.position(correction.replaced_by)
        if correction and correction.replaced_by
        else None,
        corrected=corrected,
        before_correction=(correction.recorded - timedelta(days=1)).isoformat()
        if correction
        else None,
        before=before,
        after=after,
    )


@blp.get("/sources/<source_id>")
def source(source_id: str):
    """One article: where and when it was published, how it was dated, what it reports."""
    dataset = _dataset(_args(NoArgsSchema()))
    record = _record(dataset, "sources", source_id)
    positions = dataset.filter_positions(source=source_id)
    rounds = [r for r in dataset.rounds.values() if source_id in r.sources]
    return render_template("source.html", source=record, positions=positions, rounds=rounds)


def register(app) -> None:
    """Serve the pages on ``app`` (the response cache of service.http covers them)."""
    app.register_blueprint(blp)
