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


def test_names_of_other_records_are_kept_once_however_often_they_recur():
    decoded = codec.decode(codec.encode(load_records(BUNDLED, DEFAULT_LIMITS)))
    positions = [p for p in decoded.positions if p.party == "ukraine"]
    assert len(positions) > 10
    assert len({id(p.party) for p in positions}) == 1
    quoted = [e for p in decoded.positions for e in p.evidence if e.source == "kyiv-2022-02-25"]
    assert len(quoted) > 5 and len({id(e.source) for e in quoted}) == 1
    # the quotes and summaries themselves are not shared: each is its own text
    assert len({id(p.summary) for p in positions}) == len(positions)
    assert codec._SHARED == {}  # nothing kept between loads
