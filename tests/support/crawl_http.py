"""Crawling the API (from its OpenAPI description) and the web pages (from the route table)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from support.agencies import ANONYMOUS, PASSWORD
from support.crawl import API, AUDIT, PURPOSE, Fills, Seen, combos, decode, pair_names

MAX_PAGES = 20


def sign_in(client: TestClient, user: str) -> None:
    """A web session through the sign-in form (the client keeps the cookie)."""
    if user == ANONYMOUS:
        return
    answer = client.post("/login", data={"username": user, "password": PASSWORD})
    assert answer.status_code in (200, 303), (user, answer.status_code, answer.text[:200])


@dataclass(frozen=True)
class Operation:
    """A GET route: its template, path parameters and the query parameters to fill."""

    path: str
    path_params: list[str]
    required: list[str]  # required query parameters
    optional: list[str]  # other query parameters (filled one at a time where values exist)
    enums: dict[str, list[str]]  # query parameters with a closed set of values
    paged: bool

    def requests(self, fills: Fills) -> list[str] | None:
        """Every URL to ask (None when a required parameter cannot be filled)."""
        pair = pair_names(self.required)
        singles = [n for n in self.required if n not in (pair or ()) and n not in self.enums]
        paths = combos(self.path_params, fills)
        queries = combos(singles, fills)
        if paths is None or queries is None:
            return None
        pairs = [dict(zip(pair, p, strict=True)) for p in fills.pairs] if pair else [{}]
        enums = [dict(zip(self.enums, c, strict=True)) for c in itertools.product(
            *self.enums.values())] or [{}]  # fmt: skip
        required = [{**q, **p, **e} for q, p, e in itertools.product(list(queries), pairs, enums)]
        optional_pair = pair_names(self.optional)
        urls = []
        for number, values in enumerate(paths):
            url = re.sub(r"{(\w+)(:\w+)?}", lambda m: values[m.group(1)], self.path)
            urls += [self._url(url, query) for query in required]
            if number > 0:
                continue  # optional parameters are tried on the first path only
            base = required[0]
            for name in self.optional:
                if optional_pair and name in optional_pair:
                    continue
                urls += [self._url(url, {**base, name: v}) for v in fills.get(name) or []]
            if optional_pair:
                for p in fills.pairs:
                    urls.append(
                        self._url(url, {**base, **dict(zip(optional_pair, p, strict=True))})
                    )
        return urls

    def _url(self, url: str, query: dict[str, str]) -> str:
        params = {**query, **PURPOSE, **({"limit": "500"} if self.paged else {})}
        return f"{url}?{urlencode(params)}"


def openapi_operations(client: TestClient) -> list[Operation]:
    """The API's GET operations, from its OpenAPI description."""
    schema = client.get(f"{API}/openapi.json").json()
    found = []
    for path, item in schema["paths"].items():
        get = item.get("get")
        if get is None or path in (f"{API}/openapi.json", f"{API}/health"):
            continue
        params = [p for p in get.get("parameters", []) if p["in"] in ("path", "query")]
        query = [p for p in params if p["in"] == "query" and p["name"] not in PURPOSE]
        enums = {p["name"]: _enum(p["schema"]) for p in query if _enum(p["schema"])}
        paged = any(p["name"] == "limit" for p in query)
        query = [p for p in query if p["name"] not in ("limit", "offset")]
        found.append(
            Operation(
                path=path,
                path_params=[p["name"] for p in params if p["in"] == "path"],
                required=[p["name"] for p in query if p.get("required") or p["name"] in enums],
                optional=[
                    p["name"] for p in query if not p.get("required") and p["name"] not in enums
                ],
                enums=enums,
                paged=paged,
            )
        )
    return found


def _enum(schema: dict[str, Any]) -> list[str]:
    values = schema.get("enum") or []
    for option in schema.get("anyOf", []):
        values = values or option.get("enum") or []
    return [str(v) for v in values]


def web_operations(app: FastAPI) -> list[Operation]:
    """The application's GET pages outside the API."""
    found = []
    for context in iter_route_contexts(app.router.routes):
        route = context.route
        if not isinstance(route, APIRoute) or context.path.startswith(API):
            continue
        if "GET" not in (context.methods or ()):
            continue
        query = [q for q in _flat_query(route.dependant) if q.name not in PURPOSE]
        found.append(
            Operation(
                path=context.path,
                path_params=re.findall(r"{(\w+)", context.path),
                required=[q.name for q in query if q.field_info.is_required()],
                optional=[q.name for q in query if not q.field_info.is_required()],
                enums={},
                paged=False,
            )
        )
    return found


def _flat_query(dependant: Any) -> list[Any]:
    found = list(dependant.query_params)
    for sub in dependant.dependencies:
        found += _flat_query(sub)
    return found


def _follow_pages(client: TestClient, url: str, first: Any, headers: dict[str, str]) -> str:
    """A paginated JSON answer with its following pages (up to MAX_PAGES)."""
    parts = [first.text]
    body = first.json() if "json" in first.headers.get("content-type", "") else {}
    for _ in range(MAX_PAGES):
        following = body.get("next_offset") if isinstance(body, dict) else None
        if following is None:
            break
        nxt = client.get(f"{url}&offset={following}", headers=headers)
        parts.append(nxt.text)
        body = nxt.json() if nxt.status_code == 200 else {}
    return "\n".join(parts)


def crawl_http(
    client: TestClient,
    surface: str,
    actor: str,
    operations: list[Operation],
    fills: Fills,
    headers: dict[str, str] | None = None,
    keep: Callable[[Operation], bool] = lambda op: not AUDIT.search(op.path),
) -> list[Seen]:
    """Ask every operation with every fill; unfillable routes are answered with status -1."""
    seen = []
    for op in operations:
        if not keep(op):
            continue
        urls = op.requests(fills)
        if urls is None:
            seen.append(Seen(surface, actor, op.path, op.path, -1, "no values to fill"))
            continue
        for url in urls:
            answer = client.get(url, headers=headers or {}, follow_redirects=False)
            text = decode(answer.content, answer.headers.get("content-type", ""))
            if answer.status_code == 200 and op.paged:
                text = _follow_pages(client, url, answer, headers or {})
            seen.append(Seen(surface, actor, op.path, unquote(url), answer.status_code, text))
    return seen
