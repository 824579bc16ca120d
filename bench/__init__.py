"""Parley benchmarks: synthetic fixtures, load and HTTP measurements, a Datasette peer."""

from datetime import datetime


def log(message: str) -> None:
    """One progress line, timestamped, straight to the terminal."""
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)
