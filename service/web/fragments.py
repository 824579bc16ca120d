"""Small pieces of HTML every page repeats — dates, stances, links, quotes — built in Python.

A page of moves or a matrix repeats them hundreds or thousands of times, and a Jinja macro
call costs several times a Python call; so they are methods here, given to the templates
under their names (``stance(position)``, ``day(date)``, …) for the request's dataset. Ids
are slugs (the fixtures' schema insists), so they go into URLs as they are; every name and
text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from markupsafe import Markup, escape

from service.dataset import Dataset
from service.model import Position, TimelineEntry
from service.web.present import STANCE_STYLES, STATUS_SYMBOLS, MatrixRow

_DISPUTED = (
    ' <span class="mark mark-disputed" title="Disputed: the sources report this statement '
    'differently"><span aria-hidden="true">?</span><span class="sr"> (disputed)</span></span>'
)
_CONDITIONS = (
    ' <span class="mark mark-conditions" title="With conditions: {}"><span aria-hidden="true">'
    'c</span><span class="sr"> (with conditions)</span></span>'
)
_BADGE = '<span class="stance s-{0}"><span class="sym" aria-hidden="true">{1}</span> {0}{2}</span>'
_QUOTE = (
    '<figure class="quote" data-verified="{verified}"><blockquote>{quote}</blockquote>'
    '<figcaption>— <a href="{href}">{name}</a>{published} {check}</figcaption></figure>'
)
_VERIFIED = (
    '<span class="verified yes"><span aria-hidden="true">✓</span> verified against the '
    "archived text</span>"
)
_UNVERIFIED = (
    '<span class="verified no"><span aria-hidden="true">!</span> not verified: {}</span>'
)
_ROW = (
    '<tr data-issue="{id}"><th scope="row"><a href="{href}">{name}</a>'
    '<span class="proposition">{proposition}</span></th>{cells}</tr>'
)
_CELL = (
    '<td class="s-{stance}{disputed}" data-party="{party}" data-stance="{stance}"{rival_ids}>'
    '<a href="{href}"><span class="sym" aria-hidden="true">{symbol}</span> '
    '<span class="word">{stance}</span>{marks}'
    '<span class="since">since <time datetime="{day}">{day}</time></span></a>{rivals}</td>'
)
# an uncertain move's other positions, under the cell's own link (links do not nest)
_RIVALS = '<span class="rivals">or {}</span>'
_RIVAL = '<a href="{href}" class="rival">{stance}<span class="sr"> ({issue})</span></a>'
_UNCERTAIN = (
    ' <span class="mark mark-disputed" title="Uncertain: positions of the same day that '
    'cannot be ordered"><span aria-hidden="true">?</span><span class="sr"> (uncertain)'
    "</span></span>"
)
_EMPTY = '<td class="none" data-party="{party}"><span class="sr">no position</span></td>'
_MOVE = (
    '<tr data-party="{party}" data-score="{score}" data-date="{iso}">'
    '<td data-label="Date"><a href="{href}">{day}</a>{precision}</td>'
    '<th scope="row" data-label="Party">{party_link}</th>'
    '<td data-label="Stance">{stance}</td>'
    '<td data-label="Move">{change}{before}</td>'
    '<td data-label="Who">{actor}</td>'
    '<td class="evidence" data-label="Evidence"><p>{summary}</p>{conditions}{evidence}</td></tr>'
)
_MONTHS = (None, "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NAMES = ("day", "score", "stance", "marks", "stance_name", "status", "change", "party",
         "issue_link", "issue_names", "actor", "source_name", "evidence", "move_rows",
         "rivals")  # fmt: skip


class Fragments:
    """The pieces, for one dataset and the app's paths (``paths["issue"] + id``)."""

    def __init__(self, dataset: Dataset, paths: Mapping[str, str], suffix: str = ""):
        # ``suffix``: the page's ``?known_at=…``, kept by every link to a record page
        self.data, self.paths, self.suffix = dataset, paths, suffix

    def globals(self) -> dict:
        return {name: getattr(self, name) for name in NAMES}

    @staticmethod
    def day(value: date | None) -> Markup:
        if not value:
            return Markup("—")
        shown = f"{value.day} {_MONTHS[value.month]} {value.year}"
        return Markup(f'<time datetime="{value.isoformat()}">{shown}</time>')

    @staticmethod
    def score(value: int) -> str:
        return f"+{value}" if value > 0 else f"−{-value}" if value < 0 else "0"

    def stance(self, position: Position, with_score: bool = False) -> Markup:
        """A stance as colour, symbol and word; marked when disputed or conditional."""
        style = STANCE_STYLES[position.stance._value_]
        extra = f' <span class="score">({self.score(style.score)})</span>' if with_score else ""
        return Markup(_BADGE.format(style.name, style.symbol, extra)) + self.marks(position)

    @staticmethod
    def marks(position: Position) -> Markup:
        marks = _DISPUTED if position.disputed else ""
        if position.conditions:
            marks += _CONDITIONS.format(escape(position.conditions))
        return Markup(marks)

    @staticmethod
    def stance_name(name: str) -> Markup:
        style = STANCE_STYLES[name]
        return Markup(_BADGE.format(style.name, style.symbol, ""))

    @staticmethod
    def status(name: str) -> Markup:
        symbol = STATUS_SYMBOLS.get(name)
        mark = f'<span class="sym" aria-hidden="true">{symbol}</span> ' if symbol else ""
        return Markup('<span class="status st-{0}">{1}{0}</span>'.format(escape(name), mark))

    @staticmethod
    def change(name: str) -> Markup:
        return Markup('<span class="change ch-{0}">{0}</span>'.format(escape(name)))

    def party(self, key: str) -> Markup:
        record = self.data.parties.get(key)
        name = record.name if record else key
        return Markup(f'<a href="{self.paths["party"]}{key}{self.suffix}">{escape(name)}</a>')

    def issue_link(self, key: str) -> Markup:
        record = self.data.issues.get(key)
        name = record.name if record else key
        return Markup(f'<a href="{self.paths["issue"]}{key}{self.suffix}">{escape(name)}</a>')

    def issue_names(self, keys: Sequence[str]) -> Markup:
        issues = self.data.issues
        return escape(", ".join(issues[key].name if key in issues else key for key in keys))

    def actor(self, key: str | None) -> Markup:
        if not key:
            return Markup('<span class="muted">not named</span>')
        record = self.data.actors.get(key)
        return escape(record.name if record else key)

    def source_name(self, key: str) -> Markup:
        """An article as a reader knows it: its title, else its outlet, else its date."""
        found = self.data.sources.get(key)
        if found is None:
            return escape(key)
        if found.title or found.outlet:
            return escape(found.title or found.outlet)
        return Markup("Article of ") + self.day(found.published)

    def evidence(self, position: Position) -> Markup:
        """Each piece of evidence: the quote, the article it is quoted from, and whether the
        quote was found in the article's archived text."""
        figures = []
        for piece in position.evidence:
            found = self.data.sources.get(piece.source)
            named = found and (found.title or found.outlet)  # else its name is its date
            published = ", " + self.day(found.published) if named else ""
            if piece.verified:
                check = _VERIFIED
            elif found is not None and not found.archived:
                check = _UNVERIFIED.format(escape(f"the article is not archived ({found.reason})"))
            else:
                check = _UNVERIFIED.format("not found in the archived text")
            figures.append(
                _QUOTE.format(
                    verified="true" if piece.verified else "false",
                    quote=escape(piece.quote),
                    href=self.paths["source"] + piece.source + self.suffix,
                    name=self.source_name(piece.source),
                    published=published,
                    check=check,
                )
            )
        return Markup("\n".join(figures))

    def move_rows(self, entries: Sequence[TimelineEntry]) -> Markup:
        """An issue's moves as table rows: date, party, stance, change, who, evidence."""
        rows = []
        for entry in entries:
            p = entry.position
            precision = (
                f' <span class="muted">({escape(p.date_precision)})</span>'
                if p.date_precision != "day"
                else ""
            )
            before = (
                f' <span class="muted">from {entry.previous.stance._value_}</span>'
                if entry.previous
                else ""
            )
            conditions = (
                f'<p class="conditions"><strong>Conditions:</strong> {escape(p.conditions)}</p>'
                if p.conditions
                else ""
            )
            rows.append(
                _MOVE.format(
                    party=p.party,
                    score=p.score,
                    iso=p.date.isoformat(),
                    href=self.paths["position"] + p.id + self.suffix,
                    day=self.day(p.date),
                    precision=precision,
                    party_link=self.party(p.party),
                    stance=self.stance(p, with_score=True),
                    change=self.change(entry.change),
                    before=before,
                    actor=self.actor(p.actor),
                    summary=escape(p.summary),
                    conditions=conditions,
                    evidence=self.evidence(p),
                )
            )
        return Markup("\n".join(rows))

    def matrix_rows(self, rows: Sequence[MatrixRow]) -> Markup:
        """The matrix's body: per row, the issue as a row header, then a cell per party."""
        empty = {party: _EMPTY.format(party=party) for party in self.data.parties}
        issue_path = self.paths["issue"]
        found = []
        for row in rows:
            issue = self.data.issues[row.issue]
            cells = "".join(
                empty[party] if position is None else self._cell(position)
                for party, position in row.cells
            )
            found.append(
                _ROW.format(
                    id=issue.id,
                    href=issue_path + issue.id + self.suffix,
                    name=escape(issue.name),
                    proposition=escape(issue.proposition),
                    cells=cells,
                )
            )
        return Markup("\n".join(found))

    def rivals(self, position: Position) -> Markup:
        """Links to the other positions of the position's uncertain move, if any."""
        positions = self.data.positions
        found = [positions[i] for i in self.data.rivals(position.id) if i in positions]
        if not found:
            return Markup("")
        links = ", ".join(
            _RIVAL.format(
                href=self.paths["position"] + rival.id + self.suffix,
                stance=rival.stance._value_,
                issue=escape(self.data.issues[rival.issue].name)
                if rival.issue in self.data.issues
                else rival.issue,
            )
            for rival in found
        )
        return Markup(_RIVALS.format(links))

    def _cell(self, position: Position) -> str:
        style = STANCE_STYLES[position.stance._value_]
        rivals = self.data.rivals(position.id)  # a disputed cell: an uncertain move
        uncertain = _DISPUTED if position.disputed else _UNCERTAIN if rivals else ""
        marks = uncertain + (
            ' <span class="mark mark-conditions" title="With conditions"><span aria-hidden='
            '"true">c</span><span class="sr"> (with conditions)</span></span>'
            if position.conditions
            else ""
        )
        return _CELL.format(
            stance=style.name,
            disputed=" disputed" if rivals else "",
            party=position.party,
            href=self.paths["position"] + position.id + self.suffix,
            symbol=style.symbol,
            marks=marks,
            day=position.date.isoformat(),
            rival_ids=f' data-rivals="{" ".join(rivals)}"' if rivals else "",
            rivals=self.rivals(position) if rivals else "",
        )
