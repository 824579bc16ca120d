"""Schemathesis against /openapi.json: every operation, valid and invalid inputs, all checks.

schemathesis needs the schema when pytest collects the tests, so this module builds its own
app at import (its lazy ``from_fixture`` loader does not run under pytest 9); the tests only
read from it.
"""

from __future__ import annotations

import schemathesis

from service import create_app
from tests.conftest import BUNDLED

app = create_app({"PARLEY_FIXTURES": str(BUNDLED), "TESTING": True})
schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
# bounded, so the suite stays fast; every check schemathesis has stays on
schema.config.generation.update(max_examples=10)


@schema.parametrize()
def test_api_conforms_to_its_openapi_document(case):
    # schemathesis calls the WSGI app directly and reads the body as it comes, where an HTTP
    # client would undo a gzip encoding first; the gzip copies are checked in
    # test_response_cache.py
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
