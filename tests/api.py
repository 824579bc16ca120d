"""Helpers for the API tests: problem-details checks, Link headers, CSV bodies."""

from __future__ import annotations

import csv
import io
import re

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
