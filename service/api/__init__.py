"""Parley's REST API, version 1: where each party stands on each issue, since when, says who.

Every endpoint is a `GET` under `/api/v1`; all of them read one immutable, in-memory
dataset, whose version each response names in `X-Data-Version`.

**Collections** answer `{"items": [...], "total": N, "page": P, "page_size": S}`, with an
RFC 8288 `Link` header to the `first`, `prev`, `next` and `last` pages (`page` from 1,
`page_size` 1–500, default 50). A page past the last one is empty, not an error.

**CSV**: `positions`, `snapshot`, `changes` and `compare` also answer `text/csv` (a header
row, evidence flattened: sources joined by `; `, quotes one per line), for `format=csv` or
an `Accept` header that prefers `text/csv`. Without `page` or `page_size`, a CSV collection
holds every matching row.

**Caching**: every 200 carries a strong `ETag` and `Cache-Control: public, max-age=N`;
send the ETag back in `If-None-Match` for a `304 Not Modified`.

**Errors** are RFC 9457 problem details (`application/problem+json`): `type`
(`about:blank`), `title`, `status`, `detail`, `instance`, and `errors`, the messages per
parameter. Any query-argument problem is a `400` that names the parameter: a bad value
(`as_of=yesterday`, `page=0`), a parameter the endpoint does not take (`pary=russia`), one
given twice, or an id the data does not hold (`party=rusia`, with a did-you-mean). An
unknown id in the path, or an unknown route, is a `404`; another method than `GET`, `HEAD`
or `OPTIONS` is a `405` with an `Allow` header.
"""
