"""Flask's JSON through orjson (service/jsonio.py): sorted keys, UTF-8, dates, one line."""

from __future__ import annotations

from datetime import date

from service.jsonio import dumps


def test_keys_are_sorted_text_is_utf8_and_dates_are_iso():
    assert dumps({"b": "Zelenskyy’s", "a": date(2022, 3, 1)}) == (
        '{"a":"2022-03-01","b":"Zelenskyy’s"}'.encode()
    )


def test_an_app_response_is_that_json_with_a_newline(client):
    response = client.get("/healthz")
    assert response.get_data() == b'{"status":"ok"}\n'
