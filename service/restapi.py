"""flask-smorest as Parley uses it: problem+json errors, 400s for query arguments, the spec.

- ``ParleyApi``: the one app-level handler that turns every HTTP error (routing 404s and
  405s included) into RFC 9457 ``application/problem+json``, and serves the OpenAPI
  document with the dataset's ids listed where a parameter takes them.
- ``Blueprint``: parses query arguments with ``QueryParser`` (400, unknown and repeated
  parameters named, with a did-you-mean) and documents the HTTP layer of every GET.
"""

from __future__ import annotations

import copy
import http
import json
from collections.abc import Iterable, Sequence

import flask_smorest
from flask import current_app, request
from flask_smorest.utils import prepare_response
from marshmallow import RAISE, ValidationError
from webargs.flaskparser import FlaskParser, abort
from werkzeug.exceptions import HTTPException

from schemas.api import PageQueryArgsSchema, ProblemSchema
from service.dataset import Dataset
from service.exports.tables import to_csv
from service.http import current_dataset
from service.text import closest

PROBLEM_MIMETYPE = "application/problem+json"
CSV_SCHEMA = {"type": "string", "description": "CSV text (RFC 4180) with a header row."}
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "description": "An ETag from an earlier response: 304 Not Modified if it still matches.",
    "schema": {"type": "string"},
}
HEADERS = {
    "ETAG": {
        "description": "Strong tag of this representation and data version; send it back "
        "in `If-None-Match` for a 304.",
        "required": True,
        "schema": {"type": "string"},
    },
    "CACHE_CONTROL": {
        "description": "`public, max-age=N`.",
        "required": True,
        "schema": {"type": "string"},
    },
    "X_DATA_VERSION": {
        "description": "Version of the data this response was computed from.",
        "required": True,
        "schema": {"type": "string"},
    },
    "LINK": {
        "description": 'RFC 8288 links to the `first`, `prev`, `next` and `last` pages, e.g. '
        '`</api/v1/positions?page=2&page_size=50>; rel="next"`.',
        "schema": {"type": "string"},
    },
}


def path_parameter(name: str, description: str, example: str) -> list[dict]:
    """The documentation of a route's one path parameter, for ``Blueprint.route``."""
    return [{"in": "path", "name": name, "description": description, "example": example}]


def suggest(word: str, choices: Iterable[str], *, listed: int = 12, where: str = "") -> str:
    """`` Did you mean 'x'?`` when a choice is close enough to be meant (``service.text``);
    else the choices when there are at most ``listed``; else where to find them, if given."""
    choices = list(choices)
    match = closest(word, choices)
    if match:
        return f" Did you mean '{match}'?"
    if choices and len(choices) <= listed:
        return f" Expected one of: {', '.join(choices)}."
    return f" See {where}." if where else ""


def _messages(value, prefix: str = "") -> list[str]:
    """A field's marshmallow messages, nested ones (list items) flattened to strings."""
    if isinstance(value, str):
        return [prefix + value]
    if isinstance(value, dict):
        return [m for key, inner in value.items() for m in _messages(inner, f"item {key}: ")]
    return [m for inner in value for m in _messages(inner, prefix)]


def problem_errors(data: dict) -> dict[str, list[str]]:
    """Per-parameter messages from an ``abort(..., errors=...)`` or a webargs failure."""
    if "errors" in data:
        return {name: _messages(value) for name, value in data["errors"].items()}
    by_location = data.get("messages") or {}
    return {
        name: _messages(value)
        for messages in by_location.values()
        for name, value in messages.items()
    }


class QueryParser(FlaskParser):
    """webargs' parser with 400 for bad arguments, and unknown or repeated ones refused."""

    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def pre_load(self, location_data, *, schema, req, location):
        if location in ("query", "querystring"):
            repeated = [name for name, values in req.args.lists() if len(values) > 1]
            if repeated:
                message = "Given more than once; give one value, or a comma-separated list."
                raise ValidationError({name: [message] for name in repeated})
        return location_data

    def handle_error(self, error, req, schema, *, error_status_code, error_headers):
        known = [field.data_key or name for name, field in schema.fields.items()]
        messages = {
            location: {
                name: (
                    [f"Unknown parameter.{suggest(name, known)}"]
                    if value == [schema.error_messages["unknown"]]
                    else value
                )
                for name, value in fields.items()
            }
            for location, fields in error.messages.items()
        }
        abort(error_status_code or 400, exc=error, messages=messages, headers=error_headers)


class Blueprint(flask_smorest.Blueprint):
    """A resource family's blueprint; its GETs document the headers the HTTP layer adds."""

    ARGUMENTS_PARSER = QueryParser()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_http_doc)

    def csv_alternative(self, columns: Sequence[str]):
        """Document a view's ``text/csv`` representation (``format=csv`` or ``Accept``)."""
        example = to_csv([], columns)
        return self.alt_response(
            200, content_type="text/csv", schema=CSV_SCHEMA, example=example, success=True
        )

    @staticmethod
    def _prepare_http_doc(doc, doc_info, *, method, **kwargs):
        """Document what ``service.http`` adds to a GET: its headers, If-None-Match and 304."""
        if method != "get":
            return doc
        arguments = doc_info.get("arguments", {}).get("parameters", [])
        headers = {
            "ETag": "ETAG",
            "Cache-Control": "CACHE_CONTROL",
            "X-Data-Version": "X_DATA_VERSION",
        }
        if any(isinstance(a["schema"], PageQueryArgsSchema) for a in arguments):
            headers["Link"] = "LINK"
        doc["responses"][200].setdefault("headers", {}).update(headers)
        doc["responses"][304] = "NOT_MODIFIED"
        doc.setdefault("parameters", []).append("IF_NONE_MATCH")
        return doc


class ParleyApi(flask_smorest.Api):
    """The API extension: problem+json errors, and the spec rendered once per data version."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, *args, **kwargs):
        self._rendered: tuple[str, str] | None = None
        super().__init__(*args, **kwargs)

    def handle_http_exception(self, error: HTTPException):
        """Every HTTP error as RFC 9457 problem details, with the error's own headers."""
        data = getattr(error, "data", None) or {}
        errors = problem_errors(data)
        detail = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        problem = {
            "type": "about:blank",
            "title": error.name,
            "status": error.code,
            "detail": data.get("message") or detail or error.description,
            "instance": request.path,
            "errors": errors,
        }
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        headers.extend((data.get("headers") or {}).items())
        return current_app.response_class(
            json.dumps(problem, ensure_ascii=False),
            error.code,
            headers,
            mimetype=PROBLEM_MIMETYPE,
        )

    def _register_responses(self):
        # flask-smorest documents error responses as application/json; ours are problem+json.
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error.", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _register_etag_headers(self):
        # Only GETs here: no If-Match; and the headers service.http adds to every 200.
        self.spec.components.parameter("IF_NONE_MATCH", "header", IF_NONE_MATCH, lazy=True)
        for name, header in HEADERS.items():
            self.spec.components.header(name, header, lazy=True)

    def _openapi_json(self):
        """The OpenAPI document, its id parameters listing the ids of the served data."""
        dataset = current_dataset()
        rendered = self._rendered
        if rendered is None or rendered[0] != dataset.version:
            spec = with_catalogues(self.spec.to_dict(), dataset)
            rendered = self._rendered = (dataset.version, json.dumps(spec, ensure_ascii=False))
        return current_app.response_class(rendered[1], mimetype="application/json")


def catalogue(dataset: Dataset, name: str) -> list[str]:
    """The values a parameter marked ``x-catalogue: name`` accepts."""
    if name == "actors":
        spellings = (s for a in dataset.actors.values() for s in (a.id, a.name, *a.aliases))
        return list(dict.fromkeys(spellings))
    return list(getattr(dataset, name))


def with_catalogues(spec: dict, dataset: Dataset) -> dict:
    """A copy of ``spec`` whose ``x-catalogue`` parameters list the dataset's ids as enums."""
    spec = copy.deepcopy(spec)
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):  # the path-level list of parameters
                continue
            for parameter in operation.get("parameters", ()):
                schema = parameter.get("schema", {})
                for target in (schema, schema.get("items", {})):
                    if "x-catalogue" in target:
                        target["enum"] = catalogue(dataset, target["x-catalogue"])
    return spec
