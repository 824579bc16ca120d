"""Records as JSON and back (service/loading/codec.py): what the loading child sends."""

from __future__ import annotations

import json
from datetime import date

from service.loading import DEFAULT_LIMITS, codec, load_records
from service.model import Stance
from tests.conftest import BUNDLED


def test_the_bundled_records_come_back_equal_with_their_types():
    records = load_records(BUNDLED, DEFAULT_LIMITS)
    again = codec.decode(codec.encode(records))
    assert again == records
    position = next(iter(again.positions))
    assert type(position.stance) is Stance and type(position.date) is date
    assert type(position.evidence) is tuple


def test_the_message_is_plain_json_not_pickle():
    records = load_records(BUNDLED, DEFAULT_LIMITS)
    data = codec.encode(records)
    assert not data.startswith(b"\x80")  # no pickle protocol header
    document = json.loads(data)  # any JSON parser reads it: arrays of plain values
    assert isinstance(document, list) and len(document[5]) == len(records.positions)
    first = records.positions[0]
    assert document[5][0][:5] == [
        first.id, first.party, first.issue, first.stance.value, first.date.isoformat()
    ]
