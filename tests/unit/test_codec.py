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
    data = codec.encode(load_records(BUNDLED, DEFAULT_LIMITS))
    assert isinstance(json.loads(data), dict)
