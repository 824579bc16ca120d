"""The benchmark's baseline: the smallest Flask app, one route answering an empty 200.

It is served by gunicorn with Parley's own settings (service/gunicorn_conf.py: worker
class, workers, threads, timeouts, logging), so that an endpoint's ratio to it says how
close Parley comes to what this stack can do at all on the machine.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def noop() -> str:
    return ""
