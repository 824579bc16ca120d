"""Settings from PARLEY_* variables: defaults, one-line errors, the documented table."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from service import config
from service.cli import cli
from service.config import SETTINGS, ConfigError, from_env, settings_table
from tests.conftest import BUNDLED
from tests.support import ROOT

TABLE_HEADER = "| Variable | Default | Meaning |"
DOCS = (ROOT / "README.md",)


def test_an_empty_environment_gives_the_defaults():
    assert from_env({}) == {
        "PARLEY_FIXTURES": str(BUNDLED),
        "PARLEY_MAX_FILE_MB": 16,
        "PARLEY_MAX_ERRORS_PER_FILE": 50,
        "PARLEY_LOAD_MEMORY_MB": 2048,
        "PARLEY_LOAD_SECONDS": 120,
        "PARLEY_LOAD_READERS": config.available_cpus(),
        "PARLEY_CORS_ORIGINS": "*",
        "PARLEY_CACHE_MAX_AGE": 60,
        "PARLEY_RESPONSE_CACHE_MB": 32,
        "PARLEY_LOG_LEVEL": "INFO",
        "PARLEY_BIND": "127.0.0.1:8000",
        "PARLEY_WORKERS": config.default_workers(),
        "PARLEY_THREADS": 16,
        "PARLEY_HEADER_TIMEOUT": 10,
        "PARLEY_TIMEOUT": 30,
        "PARLEY_PIDFILE": None,
    }


@pytest.mark.parametrize(
    ("name", "value", "parsed"),
    [
        ("PARLEY_FIXTURES", str(BUNDLED), str(BUNDLED)),
        (
            "PARLEY_CORS_ORIGINS",
            "https://a.example, https://b.example",
            ["https://a.example", "https://b.example"],
        ),
        ("PARLEY_CORS_ORIGINS", " * ", "*"),
        ("PARLEY_CACHE_MAX_AGE", "0", 0),
        ("PARLEY_RESPONSE_CACHE_MB", "10", 10),
        ("PARLEY_LOG_LEVEL", "debug", "DEBUG"),
        ("PARLEY_BIND", "0.0.0.0:8000", "0.0.0.0:8000"),
        ("PARLEY_BIND", "[::1]:8080", "[::1]:8080"),
        ("PARLEY_WORKERS", "3", 3),
        ("PARLEY_LOAD_READERS", "4", 4),
        ("PARLEY_THREADS", "64", 64),
        ("PARLEY_HEADER_TIMEOUT", "5", 5),
        ("PARLEY_TIMEOUT", "120", 120),
    ],
)
def test_a_value_is_parsed(name, value, parsed):
    assert from_env({name: value})[name] == parsed


BAD = [
    ("PARLEY_FIXTURES", "/no/such", "'/no/such' is not a directory"),
    ("PARLEY_CORS_ORIGINS", " , ", "expected '*' or a comma-separated list of origins"),
    ("PARLEY_CACHE_MAX_AGE", "-1", "'-1' must be 0 or more"),
    ("PARLEY_MAX_FILE_MB", "0", "'0' must be at least 1"),
    ("PARLEY_MAX_ERRORS_PER_FILE", "many", "'many' is not a whole number"),
    ("PARLEY_LOAD_MEMORY_MB", "-5", "'-5' must be at least 1"),
    ("PARLEY_LOAD_SECONDS", "2m", "'2m' is not a whole number"),
    ("PARLEY_LOAD_READERS", "0", "'0' must be at least 1"),
    ("PARLEY_RESPONSE_CACHE_MB", "lots", "'lots' is not a whole number"),
    (
        "PARLEY_LOG_LEVEL",
        "loud",
        "'loud' is not a log level; expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL",
    ),
    ("PARLEY_BIND", "8000", "'8000' is not HOST:PORT"),
    ("PARLEY_BIND", "localhost:99999", "'localhost:99999' is not HOST:PORT"),
    ("PARLEY_WORKERS", "0", "'0' must be at least 1"),
    ("PARLEY_WORKERS", "two", "'two' is not a whole number"),
    ("PARLEY_THREADS", "0", "'0' must be at least 1"),
    ("PARLEY_HEADER_TIMEOUT", "soon", "'soon' is not a whole number"),
    ("PARLEY_TIMEOUT", "1.5", "'1.5' is not a whole number"),
    ("PARLEY_PIDFILE", "/", "'/' is a directory; expected a file name"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_a_bad_value_is_one_line_naming_the_variable(name, value, message):
    with pytest.raises(ConfigError) as raised:
        from_env({name: value})
    assert str(raised.value) == f"{name}: {message}"


@pytest.mark.parametrize(
    ("files", "quota"),
    [
        ({"cpu.max": "150000 100000\n"}, 1.5),  # cgroup v2: docker run --cpus 1.5
        ({"cpu.max": "max 100000\n"}, None),  # v2, no quota
        ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2.0),
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu.max": "garbled\n"}, None),
        ({}, None),  # no cgroup files at all
    ],
    ids=["v2", "v2-max", "v1", "v1-unlimited", "garbled", "none"],
)
def test_the_cpu_quota_is_read_from_the_cgroup(tmp_path, files, quota):
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert config.cpu_quota(tmp_path) == quota


def test_the_cpus_available_are_capped_by_the_quota_rounded_up(tmp_path, monkeypatch):
    """A container given 1.5 CPUs on a host of 8 runs two readers and five workers, not
    eight and seventeen."""
    monkeypatch.setattr(config.os, "sched_getaffinity", lambda pid: set(range(8)))
    assert config.available_cpus(tmp_path) == 8
    (tmp_path / "cpu.max").write_text("150000 100000\n")
    assert config.available_cpus(tmp_path) == 2
    (tmp_path / "cpu.max").write_text("10000 100000\n")  # a tenth of a CPU: still one
    assert config.available_cpus(tmp_path) == 1


def test_every_setting_has_a_bad_value_tested():
    assert {name for name, _, _ in BAD} == set(SETTINGS)


def test_every_setting_is_in_the_docs_table_generated_from_the_settings():
    table = settings_table()
    assert [line.split("`")[1] for line in table.splitlines()[2:]] == list(SETTINGS)
    documented = [doc for doc in DOCS if doc.exists() and TABLE_HEADER in doc.read_text("utf-8")]
    assert documented, f"no Configuration table in {', '.join(map(str, DOCS))}"
    for doc in documented:
        assert table in doc.read_text("utf-8"), f"{doc}: regenerate with config.settings_table()"


@pytest.mark.parametrize("command", [["export"], ["serve"], ["fixtures", "check"]])
@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PARLEY_LOG_LEVEL", "loud", "Error: PARLEY_LOG_LEVEL: 'loud' is not a log level"),
        ("PARLEY_FIXTURES", "/no/such", "Error: PARLEY_FIXTURES: '/no/such' is not a directory"),
    ],
)
def test_a_command_that_loads_the_app_stops_with_one_line(command, variable, value, expected):
    result = CliRunner().invoke(cli, command, env={variable: value})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(expected)
    assert result.stderr.count("\n") == 1


def test_a_command_on_invalid_fixtures_stops_with_one_line_naming_file_and_line(broken_fixtures):
    fixtures, where = broken_fixtures
    result = CliRunner().invoke(cli, ["export"], env={"PARLEY_FIXTURES": str(fixtures)})
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{where}: positions[0].stance: 'insists' is not a stance")
    assert result.stderr.endswith(f"1 error in {fixtures}\n")
