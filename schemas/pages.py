"""Query arguments of the Explorer's pages: the API's fields, read from the pages' forms.

A form sends every field, empty or not, and a select of several values sends the name once
per value; the pages' parser drops empty values and joins repeated ones with commas before
these schemas load them. Unknown parameters are refused, as in the API.
"""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates
from webargs.fields import DelimitedList

from schemas.api import MAX_PAGE, QueryArgsSchema, _date, _ids


class PageArgsSchema(QueryArgsSchema):
    """Pages of items (issues, rounds, parties, positions, sources) take no parameters."""


class PagedArgsSchema(PageArgsSchema):
    page = fields.Integer(
        validate=validate.Range(min=1, max=MAX_PAGE),
        metadata={"description": "Page number, from 1."},
    )


class MatrixArgsSchema(PagedArgsSchema):
    as_of = _date("The date to look from; default: the latest position's.", "2022-03-01")


class CompareArgsSchema(PageArgsSchema):
    """Compare's ``parties`` and ``as_of``, neither required (the page has defaults)."""

    parties = DelimitedList(
        fields.String(),
        validate=validate.Length(equal=2, error="Give exactly two parties."),
        metadata={"description": "Two distinct party ids, comma-separated."},
    )
    as_of = _date("The date to look from; default: the latest position's.", "2022-03-01")

    @validates("parties")
    def distinct(self, value: list[str], **kwargs) -> None:
        if len(set(value)) != len(value):
            raise ValidationError("Give two different parties.")


class ChangesArgsSchema(PagedArgsSchema):
    since = _date("Earliest date, inclusive.", "2022-02-26")
    until = _date("Latest date, inclusive.", "2022-03-03")
    party = _ids("parties", "ukraine", "Party ids, comma-separated.")
    issue = _ids("issues", "neutrality", "Issue ids, comma-separated.")
