"""An Atom feed of changes (RFC 4287), newest first, with the filters and pages of ``changes``."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from feedgen.feed import FeedGenerator
from flask import current_app, request, url_for
from flask.views import MethodView
from markupsafe import Markup, escape

from schemas.convergence import ATOM, FeedQueryArgsSchema
from service.api.lookup import party_issue_filters
from service.dataset import Dataset
from service.http import dataset_for, paginate
from service.model import Source, TimelineEntry
from service.restapi import Blueprint

blp = Blueprint(
    "feeds",
    __name__,
    url_prefix="/api/v1",
    description="Feeds: the changes as Atom, for feed readers.",
)
ATOM_SCHEMA = {"type": "string", "description": "An Atom 1.0 feed (RFC 4287)."}
EPOCH = date(1970, 1, 1)


@blp.route("/changes.atom")
class ChangesFeed(MethodView):
    @blp.arguments(FeedQueryArgsSchema(), location="query")
    @blp.response(
        200,
        ATOM_SCHEMA,
        content_type=ATOM,
        description="An Atom feed: one entry per change, newest first, linking to its page; "
        "RFC 5005 `first`, `next`, `previous` and `last` links between pages.",
    )
    def get(self, args):
        """The changes `changes` lists, as an Atom feed, newest first."""
        dataset = dataset_for(args)  # as the record stood on known_at, if asked
        parties, issues = party_issue_filters(dataset, args)
        changes = dataset.changes(
            since=args.get("since"), until=args.get("until"), parties=parties, issues=issues
        )
        page = paginate(changes[::-1], args)
        filters = {k: v for k, v in request.args.items() if k not in ("page", "page_size")}
        feed = FeedGenerator()
        feed.id(url_for(request.endpoint, _external=True, **filters))  # the same for every page
        feed.title("Parley: changes in the parties' positions")
        feed.subtitle("Every stance that is new, hardened, softened or reversed, with its source.")
        feed.author(name="Parley")
        feed.language("en")
        feed.link(href=request.url, rel="self", type=ATOM)
        feed.link(href=url_for("explorer.changes", _external=True, **filters), rel="alternate")
        for rel, number in page.links().items():
            rel = {"prev": "previous"}.get(rel, rel)  # RFC 5005's name
            feed.link(href=_page_url(number, page.page_size, external=True), rel=rel, type=ATOM)
        newest = page.items[0].position.date if page.items else dataset.date_range()[1]
        feed.updated(_moment(newest or EPOCH))
        known_at = args.get("known_at")
        for entry in page.items:
            _entry(feed, dataset, entry, known_at)
        body = feed.atom_str(pretty=False)
        return current_app.response_class(body, mimetype=ATOM, headers=page.headers())


def _page_url(number: int, size: int, *, external: bool = False) -> str:
    """This feed's URL with the same filters, at another page."""
    query = {**request.args.to_dict(), "page": number, "page_size": size}
    return url_for(request.endpoint, _external=external, **query)


def _moment(day: date) -> datetime:
    """A position's date as the instant Atom wants: midnight UTC."""
    return datetime.combine(day, time(), tzinfo=UTC)


def _record_time(known_at: date | None) -> dict:
    """The ``known_at`` a page link carries: the pages show the record as it stood then."""
    return {"known_at": known_at.isoformat()} if known_at else {}


def _entry(
    feed: FeedGenerator, dataset: Dataset, entry: TimelineEntry, known_at: date | None
) -> None:
    position = entry.position
    party = dataset.parties[position.party].name
    issue = dataset.issues[position.issue]
    stance = position.stance.value
    if entry.previous is None:
        title = f"{party} on {issue.name}: {stance} (new)"
    else:
        before = entry.previous.stance.value
        title = f"{party} on {issue.name}: {before} → {stance} ({entry.change})"
    actor = dataset.actors.get(position.actor) if position.actor else None
    # the entry's id is the position's page; its link, that page as the record stood
    page = url_for("explorer.position", position_id=position.id, _external=True)
    link = url_for(
        "explorer.position", position_id=position.id, _external=True, **_record_time(known_at)
    )
    item = feed.add_entry(order="append")
    item.id(page)
    item.title(title)
    item.link(href=link, rel="alternate", type="text/html")
    item.published(_moment(position.date))
    item.updated(_moment(position.date))
    item.author(name=actor.name if actor else party)
    item.category(term=position.issue, label=issue.name)
    item.category(term=position.party, label=party)
    item.summary(position.summary)
    item.content(_content(dataset, entry, known_at), type="html")


def source_name(source: Source) -> str:
    """An article as a reader knows it: its title, else its outlet, else its date."""
    return source.title or source.outlet or f"Article of {source.published.isoformat()}"


def _content(dataset: Dataset, entry: TimelineEntry, known_at: date | None = None) -> str:
    """The entry's body: the summary, any conditions, and each quote with its source."""
    position = entry.position
    parts = [Markup("<p>{}</p>").format(position.summary)]
    if position.conditions:
        parts.append(Markup("<p>Conditions: {}</p>").format(position.conditions))
    if position.disputed:
        parts.append(Markup("<p>Disputed: the sources report this statement differently.</p>"))
    for evidence in position.evidence:
        source = dataset.sources.get(evidence.source)
        name = source_name(source) if source else evidence.source
        url = url_for(
            "explorer.source",
            source_id=evidence.source,
            _external=True,
            **_record_time(known_at),
        )
        parts.append(
            Markup('<blockquote>{}</blockquote><p>— <a href="{}">{}</a></p>').format(
                evidence.quote, url, name
            )
        )
    return str(escape("").join(parts))
