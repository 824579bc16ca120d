"""Fixture loading: a directory of YAML files → checked records, or every problem at once.

    files.py       the directory as a boundary: which files, their names and sizes
    yamlsubset.py  the strict subset of YAML fixtures are written in, and line marks
    validate.py    one file's document → records by the fixture schemas, or problems
    crosscheck.py  the rules across files: ids, references, dates, disputes, quotes
    load.py        one load in this process, gathering the above
    isolate.py     the same load in child processes with limits (readers of shares of the
                   files, then a checker; or one whole load): what servers and the CLI use
    codec.py       the records as JSON, the only thing a child sends back

Every problem is ``file:LINE: field: message`` (``FixtureError``); a record set is
returned only when there are none, so nothing half-loaded ever escapes.
"""

from service.loading.errors import FixtureError, FixtureErrors
from service.loading.isolate import load_isolated
from service.loading.load import DEFAULT_LIMITS, Limits, load_records

__all__ = [
    "DEFAULT_LIMITS",
    "FixtureError",
    "FixtureErrors",
    "Limits",
    "load_isolated",
    "load_records",
]
