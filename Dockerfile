# Parley: dependencies and the package built into a virtualenv in one stage, served by
# gunicorn as a non-root user in the next.
#   docker build -t parley .
#   docker run --rm -p 8000:8000 parley
#   docker run --rm -p 8000:8000 -v "$PWD/my-fixtures:/fixtures:ro" -e PARLEY_FIXTURES=/fixtures parley
#   docker exec <container> parley reload    # reload the fixtures without dropping a request

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /venv
WORKDIR /src
# The locked dependencies alone (`make lock`), checked against their hashes, so that a change
# to the code reuses this layer; then Parley itself, with nothing more.
COPY requirements.lock ./
RUN /venv/bin/pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY service/ service/
COPY schemas/ schemas/
RUN /venv/bin/pip install --no-cache-dir --no-deps .

FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PARLEY_BIND=0.0.0.0:8000 \
    PARLEY_FIXTURES=/app/fixtures
# /fixtures is where your own fixtures go (-v ...:/fixtures:ro); not a VOLUME, which would
# leave an anonymous volume behind every run that serves the bundled ones.
RUN groupadd --system --gid 10001 parley \
    && useradd --system --uid 10001 --gid parley --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin parley \
    && mkdir /fixtures
COPY --from=build /venv /venv
WORKDIR /app
COPY fixtures/ fixtures/
# numeric, so that Kubernetes' runAsNonRoot can verify it without /etc/passwd
USER 10001:10001
EXPOSE 8000
# No curl in the slim image: the standard library asks /healthz on the port PARLEY_BIND names.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('PARLEY_BIND', ':8000').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]
# exec form: gunicorn is PID 1, so `docker kill -s HUP` and `docker stop` reach its master
CMD ["gunicorn", "--config", "python:service.gunicorn_conf", "service:create_app()"]
