"""Seeded mutations of the bundled fixtures: every odd file is a message, never a crash.

Each case copies the bundled fixtures, damages one file in one way (or adds an odd
file), and runs ``parley fixtures check`` on it as an editor would. Whatever the damage,
the command exits 0 or 1, prints no traceback, puts a ``file:LINE`` on every message,
and never accepts a set that a mutation of its kind must break.
"""

from __future__ import annotations

import os
import random
import re
import shutil

import pytest
from click.testing import CliRunner

from service.cli import cli
from tests.conftest import BUNDLED

SEED = 20221203
FILES = sorted(p.name for p in BUNDLED.glob("*.yaml"))
MESSAGE = re.compile(r"^fixtures/[^\n:]+:\d+: [^\n:]+: .+$")
SUMMARY = re.compile(r"^\d+ errors? in fixtures$")


def _lines_with(text: str, pattern: str) -> list[int]:
    """Offsets of the starts of the lines matching ``pattern``."""
    return [m.start() for m in re.finditer(pattern, text, flags=re.M)]


def _value_spots(text: str) -> list[int]:
    """Offsets of the one-line values of the ``key: value`` lines of a file."""
    spots = re.finditer(r"^\s*-?\s*[a-z_]+: (?=\S)[^\n]*\n(?=\s*(?:- |[a-z_]+:|#|$))", text, re.M)
    return [m.start() + len(m.group().partition(": ")[0]) + 2 for m in spots]


def _at_value(rng: random.Random, text: str, insert: str) -> str:
    """``insert`` put before a random scalar value of a ``key: value`` line."""
    spot = rng.choice(_value_spots(text))
    return text[:spot] + insert + text[spot:]


# Each mutation: name, whether the set must be refused, and what it does to a file's text
# (or None, with a custom setup below). ``rng`` makes every case reproducible.
def _tag(rng, text):
    tag = rng.choice(["!!python/object/apply:os.system ", "!!set ", "!!bool ", "!!float ",
                      "!!timestamp ", "!custom ", "!!binary ", "!!str "])  # fmt: skip
    return _at_value(rng, text, tag)


def _alias(rng, text):
    lo, hi = sorted(rng.sample(_value_spots(text), 2))
    return text[:lo] + "&a " + text[lo:hi] + "*a # " + text[hi:]


def _anchor(rng, text):
    return _at_value(rng, text, "&anchor ")


def _control(rng, text):
    character = chr(rng.choice([0, 1, 7, 8, 11, 12, 27, 127, 0x85, 0x9B]))
    spot = rng.randrange(len(text))
    return text[:spot] + character + text[spot:]


def _escaped_control(rng, text):
    escape = rng.choice(["\\a", "\\e", "\\x1b[31m", "\\x07", "\\0", "\\u009b"])
    spot = rng.choice(_value_spots(text))
    end = text.index("\n", spot)
    return text[:spot] + '"bell ' + escape + '"' + text[end:]


def _truncate(rng, text):
    return text[: rng.randrange(1, len(text))]


def _binary(rng, text):
    spot = rng.randrange(len(text))
    noise = bytes(rng.randrange(256) for _ in range(64)).decode("latin-1")
    return text[:spot] + noise + text[spot:]


def _huge_number(rng, text):
    digits = "9" * rng.choice([19, 400, 5000])
    spot = rng.choice(_value_spots(text))  # every field holds text, a date or a small number
    return text[:spot] + digits + text[text.index("\n", spot) :]


def _deep(rng, text):
    depth = rng.choice([40, 500, 20000])
    kind = rng.choice(["flow", "block"])
    if kind == "flow":
        return text + "\nextra: " + "[" * depth + "]" * depth + "\n"
    lines = "".join("  " * n + f"k{n}:\n" for n in range(min(depth, 300)))
    return text + "\nextra:\n" + re.sub(r"^", "  ", lines, flags=re.M) + "  " * 301 + "x: 1\n"


def _directive(rng, text):
    return rng.choice(["%YAML 1.1\n---\n", "%TAG ! tag:x,2000:\n---\n"]) + text


def _second_document(rng, text):
    return text + "\n---\npositions: []\n"


def _tab_indent(rng, text):
    spots = _lines_with(text, r"^  \S")
    spot = rng.choice(spots)
    return text[:spot] + "\t" + text[spot + 2 :]


def _bad_indent(rng, text):
    spots = _lines_with(text, r"^    [a-z_]+: ")
    spot = rng.choice(spots)
    return text[:spot] + " " + text[spot:]


def _duplicate_key(rng, text):
    spots = [m for m in re.finditer(r"^(\s+)(party|issue|stance): .*$", text, flags=re.M)]
    found = rng.choice(spots)
    return text[: found.end()] + "\n" + found.group(0) + text[found.end() :]


def _complex_key(rng, text):
    return text + "\n? [a, b]\n: c\n"


MUST_BREAK = {
    "tag": _tag, "alias": _alias, "anchor": _anchor, "control": _control,
    "escaped-control": _escaped_control, "binary": _binary, "huge-number": _huge_number,
    "deep": _deep, "directive": _directive, "second-document": _second_document,
    "tab-indent": _tab_indent, "bad-indent": _bad_indent, "duplicate-key": _duplicate_key,
    "complex-key": _complex_key,
}  # fmt: skip
MAY_BREAK = {"truncate": _truncate}
HARMLESS = {
    "bom": lambda rng, text: "\ufeff" + text,
    "crlf": lambda rng, text: text.replace("\n", "\r\n"),
    "trailing-spaces": lambda rng, text: text.replace("\n", "  \n"),
}


def _cases() -> list[tuple[str, str, int]]:
    rng = random.Random(SEED)
    cases = []
    for name in [*MUST_BREAK, *MAY_BREAK, *HARMLESS]:
        count = 22 if name in MUST_BREAK or name in MAY_BREAK else 4
        cases += [(name, rng.choice(FILES), rng.randrange(1 << 30)) for _ in range(count)]
    return cases


CASES = _cases()


def _check(directory):
    """``parley fixtures check fixtures``, run from the directory's parent."""
    return CliRunner().invoke(cli, ["fixtures", "check", "fixtures"], catch_exceptions=True)


@pytest.fixture
def fixtures(tmp_path, monkeypatch):
    shutil.copytree(BUNDLED, tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "fixtures"


def _assert_clean(result, *, must_break: bool, accepted_count: int | None = None):
    assert result.exit_code in (0, 1), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        *messages, summary = result.stderr.splitlines()
        assert SUMMARY.match(summary), summary
        assert messages
        for message in messages:
            assert MESSAGE.match(message), message
    else:
        assert not must_break, result.output
        assert result.stderr == ""


def test_at_least_three_hundred_cases():
    assert len(CASES) >= 300
    assert len({(name, file, seed) for name, file, seed in CASES}) == len(CASES)


@pytest.mark.parametrize(("mutation", "file", "seed"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_a_mutated_file_is_reported_never_a_crash(fixtures, mutation, file, seed):
    rng = random.Random(seed)
    path = fixtures / file
    text = path.read_text("utf-8")
    mutate = MUST_BREAK.get(mutation) or MAY_BREAK.get(mutation) or HARMLESS[mutation]
    mutated = mutate(rng, text)
    data = (
        mutated.encode("utf-8", "surrogatepass")
        if mutation != "binary"
        else mutated.encode("latin-1", "replace")
    )
    path.write_bytes(data)
    result = _check(fixtures)
    _assert_clean(result, must_break=mutation in MUST_BREAK)
    if mutation in HARMLESS:
        assert result.exit_code == 0, result.stderr


ODD_NAMES = [
    b"caf\xe9.yaml", b"with space.yaml", "Ünïcödé.yaml".encode(), b"x.yml", b".hidden.yaml",
    b"-leading-dash.yaml", b"a" * 200 + b".yaml",
]  # fmt: skip


@pytest.mark.parametrize("name", ODD_NAMES, ids=range(len(ODD_NAMES)))
def test_odd_file_names_are_reported_or_read_never_a_crash(fixtures, name):
    with open(os.path.join(os.fsencode(fixtures), name), "wb") as odd:
        odd.write(b"about: an extra file\n")
    result = _check(fixtures)
    _assert_clean(result, must_break=name == b"caf\xe9.yaml")


def test_a_file_name_that_is_not_utf8_is_one_message(fixtures):
    with open(os.path.join(os.fsencode(fixtures), b"caf\xe9.yaml"), "wb") as odd:
        odd.write(b"about: x\n")
    result = _check(fixtures)
    assert result.stderr.splitlines()[0] == (
        "fixtures/caf\ufffd.yaml:1: (file): the file name is not valid UTF-8; rename the file"
    )


@pytest.mark.parametrize(
    ("target", "refused"),
    [("/etc/passwd", True), ("catalogue.yaml", False), ("../outside.yaml", True)],
)
def test_symlinks_leading_outside_are_refused_and_never_read(fixtures, target, refused):
    (fixtures.parent / "outside.yaml").write_text("secret: do not show\n", "utf-8")
    (fixtures / "link.yaml").symlink_to(target)
    result = _check(fixtures)
    _assert_clean(result, must_break=refused)
    if refused:
        assert result.stderr.splitlines()[0] == (
            "fixtures/link.yaml:1: (file): a symbolic link that leads outside the fixture directory"
        )
        assert "secret" not in result.output and "root" not in result.output
    else:  # a link to a file inside: the same records twice, reported as duplicates
        assert "duplicate" in result.stderr


def test_an_oversized_file_is_refused_before_it_is_read(fixtures, monkeypatch):
    monkeypatch.setenv("PARLEY_MAX_FILE_MB", "1")
    (fixtures / "big.yaml").write_bytes(b"about: " + b"x" * (2 << 20) + b"\n")
    result = _check(fixtures)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "fixtures/big.yaml:1: (file): the file is 2.0 MB, over the limit of 1 MB "
        "(PARLEY_MAX_FILE_MB)"
    )


def test_errors_per_file_are_capped_with_a_count_of_the_rest(fixtures, monkeypatch):
    monkeypatch.setenv("PARLEY_MAX_ERRORS_PER_FILE", "5")
    positions = "".join(
        f"  - {{id: p-{n}, party: nobody, issue: nothing, stance: insists, date: x}}\n"
        for n in range(400)
    )
    (fixtures / "many.yaml").write_text("recorded: 2026-12-01\npositions:\n" + positions, "utf-8")
    result = _check(fixtures)
    lines = result.stderr.splitlines()
    assert len([line for line in lines if line.startswith("fixtures/many.yaml")]) == 6
    # four schema problems in each of 400 positions: the first two positions are examined
    # (eight problems, five said), the other 398 only counted
    assert (
        "fixtures/many.yaml:1: (file): … and 3 more errors, and 398 more entries with errors "
        "not examined"
    ) in lines
