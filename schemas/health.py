"""Health schemas: what /healthz and /readyz answer."""

from __future__ import annotations

from marshmallow import Schema, fields


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"], "example": "ok"})


class ReloadErrorSchema(Schema):
    at = fields.DateTime(required=True, metadata={"example": "2022-03-07T09:30:00+00:00"})
    count = fields.Function(
        lambda failure: len(failure.errors),
        required=True,
        metadata={"description": "How many problems were found.", "example": 1},
    )
    errors = fields.Function(
        lambda failure: [error.public() for error in failure.errors],
        required=True,
        metadata={
            "description": "Where each problem is, as `file:line: field`, file names relative "
            "to the fixture directory. Messages that would quote a file are left out here "
            "(they are in the server's log and in `parley fixtures check`); a file the load "
            "stopped on says why (out of memory, timed out, crashed).",
            "example": ["2022-03-07-round-3.yaml:12: positions[0].stance"],
        },
    )


class LastReloadSchema(Schema):
    at = fields.DateTime(
        required=True,
        metadata={"description": "When it ended.", "example": "2022-03-07T09:30:00.123456+00:00"},
    )
    outcome = fields.String(
        required=True,
        metadata={
            "enum": ["reloaded", "refused"],
            "description": "`refused`: the fixtures did not pass the checks; the previous data "
            "is still served.",
            "example": "reloaded",
        },
    )
    data_version = fields.String(
        required=True,
        metadata={"description": "The version served since.", "example": "3f1c0a9b2d4e6f70"},
    )


def last_reload_field() -> fields.Nested:
    """The ``last_reload`` of /readyz and /api/v1/meta."""
    return fields.Nested(
        LastReloadSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The last reload (SIGHUP, `parley reload`); null if none."},
    )


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ready"], "example": "ready"})
    data_version = fields.String(
        required=True,
        metadata={
            "description": "Digest of the fixture files served.",
            "example": "3f1c0a9b2d4e6f70",
        },
    )
    loaded_at = fields.DateTime(
        required=True, allow_none=True, metadata={"example": "2022-03-07T09:00:00+00:00"}
    )
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        required=True,
        metadata={"example": {"parties": 6, "positions": 40}},
    )
    last_reload_error = fields.Nested(
        ReloadErrorSchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "Why the last reload was refused (the previous data is still served); "
            "null when it succeeded or none was tried."
        },
    )
    last_reload = last_reload_field()
