"""Fixture schemas: the shape of one hand-written YAML fixture file, section by section."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, fields, post_load, validate

from service.model import (
    DATE_METHODS,
    DATE_PRECISIONS,
    OUTCOME_STATUSES,
    PARTY_KINDS,
    Actor,
    Corroboration,
    DateBasis,
    Delegation,
    Evidence,
    Issue,
    Outcome,
    Party,
    Position,
    Retraction,
    Round,
    Source,
    Stance,
)

SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    error="'{input}' is not a valid id; use lower-case letters, digits and single hyphens",
)
# Text is never blank and holds no control character but line breaks and tabs: no bell,
# no terminal escape sequence reaches the served data, whether written raw or escaped.
ARCHIVE_PATH = validate.Regexp(
    r"^(?:[A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*\.txt\Z",
    error="'{input}' is not a path to a .txt file inside the fixture directory",
)
SHA256 = validate.Regexp(r"^[0-9a-f]{64}\Z", error="expected 64 lower-case hex digits")
TIME = validate.Regexp(r"^(?:[01][0-9]|2[0-3]):[0-5][0-9]\Z", error="expected a time HH:MM")
NOT_BLANK = validate.Regexp(
    r"^(?=\s*\S)[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*\Z",
    error="must not be blank, nor hold control characters",
)


def _one_of(choices, what: str) -> validate.OneOf:
    return validate.OneOf(
        choices, error=f"'{{input}}' is not a {what}; expected one of {', '.join(choices)}"
    )


def _id(**kwargs) -> fields.String:
    return fields.String(required=True, validate=SLUG, **kwargs)


def _text(required: bool = True, **kwargs) -> fields.String:
    if required:
        return fields.String(required=True, validate=NOT_BLANK, **kwargs)
    return fields.String(load_default=None, allow_none=True, validate=NOT_BLANK, **kwargs)


class DateField(fields.Date):
    """An ISO date written as text: any other value is refused before it is quoted back."""

    default_error_messages = {
        "invalid": "'{input}' is not a real date; expected YYYY-MM-DD",
        "type": "expected a date written YYYY-MM-DD",
    }

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, date):
            return value
        if not isinstance(value, str) or len(value) > 32:
            raise self.make_error("type")
        return super()._deserialize(value, attr, data, **kwargs)


def _date(required: bool = True, **kwargs) -> DateField:
    if required:
        return DateField(required=True, **kwargs)
    return DateField(load_default=None, allow_none=True, **kwargs)


def _aliases() -> fields.List:
    return fields.List(fields.String(validate=NOT_BLANK), load_default=list)


class StrictSchema(Schema):
    """A fixture mapping: a misspelt key is an error, never silently ignored.

    ``record``, if set, makes the loaded fields (passed by name) into a model record.
    """

    record: ClassVar[Callable[..., Any] | None] = None

    class Meta:
        unknown = RAISE

    @post_load
    def make_record(self, data: dict, **kwargs):
        return data if self.record is None else type(self).record(**data)


# -- what each schema's loaded fields are made into (parameters named as the fields) ----


def _party(id, name, kind, aliases) -> Party:
    return Party(id, name, kind, tuple(aliases))


def _actor(id, name, party, role, aliases) -> Actor:
    return Actor(id, name, party, role, tuple(aliases))


def _delegation(party, members) -> Delegation:
    return Delegation(party, tuple(members))


def _issue(id, name, proposition, aliases) -> Issue:
    return Issue(id, name, proposition, tuple(aliases))


def _outcome(status, summary, evidence, according_to) -> Outcome:
    return Outcome(status, summary, tuple(evidence), according_to)


def _retraction(retracts, reason) -> Retraction:
    return Retraction(retracts, reason)  # recorded: the file's date, set by the loader


def _round(
    id, number, start, end, place, host, delegations, duration, outcomes, sources, notes
) -> Round:
    return Round(
        id, number, start, end or start, place, host, tuple(delegations), duration,
        tuple(outcomes), tuple(sources), notes,
    )  # fmt: skip


_STANCES = {stance.value: stance for stance in Stance}


def _position(
    id, party, issue, stance, date, date_precision, actor, summary, conditions, round,
    dispute, evidence, time, supersedes, reason,
) -> Position:  # fmt: skip
    # recorded: the file's date, set by the loader
    return Position(
        id, party, issue, _STANCES[stance], date, date_precision, actor, summary,
        tuple(evidence), conditions, round, dispute, time, None, supersedes, reason,
    )  # fmt: skip


def _corroboration(position, evidence) -> Corroboration:
    return Corroboration(position, tuple(evidence))


class PartyFixtureSchema(StrictSchema):
    record = _party

    id = _id()
    name = _text()
    kind = fields.String(required=True, validate=_one_of(PARTY_KINDS, "party kind"))
    aliases = _aliases()


class ActorFixtureSchema(StrictSchema):
    record = _actor

    id = _id()
    name = _text()
    party = _id()
    role = _text()
    aliases = _aliases()


class IssueFixtureSchema(StrictSchema):
    record = _issue

    id = _id()
    name = _text()
    proposition = _text()
    aliases = fields.List(fields.String(validate=SLUG), load_default=list)


class DateBasisFixtureSchema(StrictSchema):
    record = DateBasis

    method = fields.String(required=True, validate=_one_of(DATE_METHODS, "date method"))
    reasoning = _text()


class SourceFixtureSchema(StrictSchema):
    record = Source

    id = _id()
    outlet = _text(required=False)
    title = _text(required=False)
    published = _date(metadata={"description": "When the article was published, YYYY-MM-DD."})
    date_basis = fields.Nested(DateBasisFixtureSchema, required=True)
    url = fields.URL(load_default=None, allow_none=True, schemes={"http", "https"})
    archive = fields.String(load_default=None, allow_none=True, validate=ARCHIVE_PATH)
    sha256 = fields.String(load_default=None, allow_none=True, validate=SHA256)
    archived = fields.Boolean(load_default=True)
    reason = _text(required=False)


def _evidence_piece(source, quote) -> Evidence:
    return Evidence(source, quote)  # verified: set by the cross-checks against the archive


class EvidenceFixtureSchema(StrictSchema):
    record = _evidence_piece

    source = _id()
    quote = _text(metadata={"description": "Verbatim from the source's text."})


def _evidence(required: bool = True) -> fields.List:
    if required:
        return fields.List(
            fields.Nested(EvidenceFixtureSchema),
            required=True,
            validate=validate.Length(min=1, error="needs at least one {{source, quote}} pair"),
        )
    return fields.List(fields.Nested(EvidenceFixtureSchema), load_default=list)


class DelegationFixtureSchema(StrictSchema):
    record = _delegation

    party = _id()
    members = fields.List(fields.String(validate=NOT_BLANK), load_default=list)


class OutcomeFixtureSchema(StrictSchema):
    record = _outcome

    status = fields.String(required=True, validate=_one_of(OUTCOME_STATUSES, "outcome status"))
    summary = _text()
    evidence = _evidence(required=False)
    according_to = fields.String(load_default=None, allow_none=True, validate=SLUG)


class RoundFixtureSchema(StrictSchema):
    record = _round

    id = _id()
    number = fields.Integer(
        load_default=None,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=1, max=9999),
        metadata={"description": "As the sources number the round, if they do; unique."},
    )
    start = _date()
    end = _date(required=False, metadata={"description": "The last day; default: start."})
    place = _text()
    host = fields.String(
        load_default=None,
        allow_none=True,
        validate=SLUG,
        metadata={"description": "The host's party id, or null."},
    )
    delegations = fields.List(fields.Nested(DelegationFixtureSchema), load_default=list)
    duration = _text(required=False)
    outcomes = fields.List(fields.Nested(OutcomeFixtureSchema), load_default=list)
    sources = fields.List(fields.String(validate=SLUG), load_default=list)
    notes = _text(required=False)


class PositionFixtureSchema(StrictSchema):
    record = _position

    id = _id(metadata={"description": "By convention <party>-<issue>-<date>."})
    party = _id()
    issue = _id()
    stance = fields.String(
        required=True,
        validate=_one_of(Stance.names(), "stance"),
        metadata={"description": "Toward the issue's proposition: " + ", ".join(
            f"{stance.value} ({stance.score})" for stance in Stance
        )},
    )  # fmt: skip
    date = _date(metadata={"description": "When it was said (not reported), YYYY-MM-DD."})
    date_precision = fields.String(
        load_default="day",
        validate=_one_of(DATE_PRECISIONS, "date precision"),
        metadata={"description": "How closely the article dates it."},
    )
    actor = fields.String(
        load_default=None,
        allow_none=True,
        validate=SLUG,
        metadata={"description": "Who spoke: an actor of the position's party."},
    )
    summary = _text()
    conditions = _text(required=False)
    round = fields.String(
        load_default=None,
        allow_none=True,
        validate=SLUG,
        metadata={"description": "A round id; the date must fall within the round."},
    )
    dispute = fields.String(
        load_default=None,
        allow_none=True,
        validate=SLUG,
        metadata={"description": "An id shared by rival readings of one statement."},
    )
    evidence = _evidence()
    time = fields.String(load_default=None, allow_none=True, validate=TIME)
    supersedes = fields.String(load_default=None, allow_none=True, validate=SLUG)
    reason = _text(required=False)


class RetractionFixtureSchema(StrictSchema):
    record = _retraction

    retracts = _id()
    reason = _text()


class CorroborationFixtureSchema(StrictSchema):
    record = _corroboration

    position = _id(metadata={"description": "A position declared in any file."})
    evidence = _evidence()


SECTIONS = {
    "parties": PartyFixtureSchema,
    "actors": ActorFixtureSchema,
    "issues": IssueFixtureSchema,
    "sources": SourceFixtureSchema,
    "rounds": RoundFixtureSchema,
    "positions": PositionFixtureSchema,
    "corroborations": CorroborationFixtureSchema,
    "retractions": RetractionFixtureSchema,
}


class FixtureFileSchema(StrictSchema):
    """One fixture file: every section is optional, so a new round's file stands alone."""

    recorded = _date()
    about = _text(required=False)
    parties = fields.List(fields.Nested(PartyFixtureSchema), load_default=list)
    actors = fields.List(fields.Nested(ActorFixtureSchema), load_default=list)
    issues = fields.List(fields.Nested(IssueFixtureSchema), load_default=list)
    sources = fields.List(fields.Nested(SourceFixtureSchema), load_default=list)
    rounds = fields.List(fields.Nested(RoundFixtureSchema), load_default=list)
    positions = fields.List(fields.Nested(PositionFixtureSchema), load_default=list)
    corroborations = fields.List(fields.Nested(CorroborationFixtureSchema), load_default=list)
    retractions = fields.List(fields.Nested(RetractionFixtureSchema), load_default=list)
