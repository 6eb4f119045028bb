"""World maps as inline SVG: Natural Earth country outlines, places at country centres,
routes and trails as arrows. No tiles, no script, no network.

The projection is equirectangular (longitude and latitude scaled alike), cut at 84° N
and 58° S where no route goes: simple to check by hand and good enough to see which
countries a route crosses. Places are drawn at the country centres of
``operations/data/countries.csv``; a city or an airport is placed by its country, and
every map says so in its caption. Each map is only a picture of what the page already
lists in a table: it takes the same view data, so it can never show what the page
withholds (a protected person's place arrives as "withheld" and is not placed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from itertools import pairwise
from typing import Any

from markupsafe import Markup

from threadline.exc import InputError
from threadline.operations.geography import country_places
from threadline.primitives.countries import country_name
from threadline.web.worldshapes import world_countries

SCALE = 2.0  # SVG units per degree
NORTH, SOUTH = 84.0, -58.0
WIDTH = round(360 * SCALE)
HEIGHT = round((NORTH - SOUTH) * SCALE)
LAND, LAND_ON, BORDER = "#dfe5ec", "#a9c8e8", "#ffffff"
ROUTE, MARKER = "#a33a36", "#1f4e79"
NO_PLACES = "No places to show"
PLACED_BY_COUNTRY = "Each place is drawn at the centre of its country."


def project(lon: float, lat: float) -> tuple[float, float]:
    """SVG position of a longitude and latitude (equirectangular, y down)."""
    return (lon + 180.0) * SCALE, (NORTH - lat) * SCALE


@dataclass(frozen=True)
class PlaceMap:
    """A drawn map and what it could not draw, for the caption beside it."""

    svg: Markup
    placed: list[str]  # country codes drawn, in order of first appearance
    unplaced: list[str] = field(default_factory=list)  # what could not be placed, as listed
    note: str = ""


def centre(code: str | None) -> tuple[float, float] | None:
    """SVG position of a country's centre, or None for an unknown or missing code."""
    if not code:
        return None
    place = country_places().get(code.strip().upper())
    return project(place.lon, place.lat) if place else None


def _unwrap(ring: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The ring with longitudes made continuous: Natural Earth's Fiji and Chukotka cross
    the 180th meridian, which would otherwise draw a line across the whole map."""
    out: list[tuple[float, float]] = []
    for lon, lat in ring:
        if out:
            while lon - out[-1][0] > 180:
                lon -= 360
            while lon - out[-1][0] < -180:
                lon += 360
        out.append((lon, lat))
    return out


def _ring_path(ring: Sequence[tuple[float, float]]) -> str:
    """Path data of a ring; a ring reaching past the 180th meridian is drawn twice,
    once on each side, and the frame cuts off what lies outside."""
    unwrapped = _unwrap(ring)
    lons = [lon for lon, _lat in unwrapped]
    shifts = [0.0]
    if min(lons, default=0) < -180:
        shifts.append(360.0)
    if max(lons, default=0) > 180:
        shifts.append(-360.0)
    data = []
    for shift in shifts:
        points: list[str] = []
        for lon, lat in unwrapped:
            x, y = project(lon + shift, lat)
            point = f"{x:.1f} {y:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            data.append("M" + " ".join(points) + "Z")
    return "".join(data)


@lru_cache(maxsize=1)
def _outlines() -> tuple[tuple[str | None, str, str], ...]:
    """(code, name, path data) of every country but Antarctica, projected once."""
    return tuple(
        (shape.code, shape.name, "".join(_ring_path(r) for poly in shape.polygons for r in poly))
        for shape in world_countries()
        if shape.code != "AQ"
    )


@dataclass(frozen=True)
class Frame:
    """The part of the world a map shows (SVG units) and ``k``, the size of one screen
    unit of the full map within it, so dots, lines and labels keep one size at any zoom."""

    x: float
    y: float
    width: float
    height: float

    @property
    def k(self) -> float:
        return self.width / WIDTH

    @property
    def box(self) -> str:
        return f"{self.x:.1f} {self.y:.1f} {self.width:.1f} {self.height:.1f}"


FULL = Frame(0.0, 0.0, float(WIDTH), float(HEIGHT))
MIN_SPAN = 70.0  # SVG units (35 degrees): a map of one country still shows its neighbours


def fit(codes: Iterable[str]) -> Frame:
    """The smallest frame, in the full map's proportions, around the countries' centres
    with a margin (the whole world when none is known)."""
    points = [p for p in (centre(c) for c in codes) if p is not None]
    if not points:
        return FULL
    xs, ys = [x for x, _ in points], [y for _, y in points]
    width = max(max(xs) - min(xs), MIN_SPAN) * 1.4
    height = max(max(ys) - min(ys), MIN_SPAN * HEIGHT / WIDTH) * 1.4
    width = min(max(width, height * WIDTH / HEIGHT), float(WIDTH))
    height = width * HEIGHT / WIDTH
    x = min(max((min(xs) + max(xs) - width) / 2, 0.0), WIDTH - width)
    y = min(max((min(ys) + max(ys) - height) / 2, 0.0), HEIGHT - height)
    return Frame(x, y, width, height)


def _land(highlight: set[str], k: float) -> tuple[str, str]:
    """The country outlines (highlighted ones filled darker) and a note when the shapes are
    not installed: the map then still shows its places on a blank frame."""
    try:
        outlines = _outlines()
    except InputError as exc:
        return "", f"World outlines unavailable: {exc}"
    paths = []
    for code, name, data in outlines:
        on = code is not None and code in highlight
        extra = f' class="on" data-country="{code}"' if on else ""
        paths.append(
            f'<path d="{data}" fill="{LAND_ON if on else LAND}"{extra}>'
            f"<title>{escape(name)}</title></path>"
        )
    group = (
        f'<g class="land" stroke="{BORDER}" stroke-width="{0.5 * k:.2f}" '
        f'stroke-linejoin="round">{"".join(paths)}</g>'
    )
    return group, ""


def _marker_defs(map_id: str) -> str:
    """One arrowhead, sized in line widths (so it follows the line at any zoom); its tip
    stops short of the line's end, so the place's dot does not hide it."""
    return (
        f'<defs><marker id="{map_id}-arrow" viewBox="0 0 10 10" refX="15" refY="5" '
        'markerWidth="5" markerHeight="5" orient="auto">'
        f'<path d="M0 0L10 5L0 10Z" fill="{ROUTE}"/></marker></defs>'
    )


def _curve(points: Sequence[tuple[float, float]]) -> str:
    """Path data through the points, each leg bowed a little to its left, so that
    a route and its return stay apart."""
    x0, y0 = points[0]
    parts = [f"M{x0:.2f} {y0:.2f}"]
    for (ax, ay), (bx, by) in pairwise(points):
        cx, cy = (ax + bx) / 2 + (by - ay) * 0.15, (ay + by) / 2 - (bx - ax) * 0.15
        parts.append(f"Q{cx:.2f} {cy:.2f} {bx:.2f} {by:.2f}")
    return "".join(parts)


def _dots(frame: Frame, tips: Mapping[str, str], texts: Mapping[str, str] | None = None) -> str:
    """A dot at each country's centre, its code (or ``texts``) beside it and ``tips`` as
    the tooltip (country names, step numbers)."""
    k, dots = frame.k, []
    for code, tip in tips.items():
        point = centre(code)
        if point is None:
            continue
        x, y = point
        text = escape((texts or {}).get(code, code))
        dots.append(
            f'<g class="place" data-country="{escape(code)}"><title>{escape(tip)}</title>'
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{3.5 * k:.2f}" fill="{MARKER}" '
            f'stroke="#fff" stroke-width="{k:.2f}"/>'
            f'<text x="{x + 5 * k:.2f}" y="{y - 4 * k:.2f}" font-size="{10 * k:.2f}" '
            f'fill="#1b1f24" stroke="#fff" stroke-width="{2.5 * k:.2f}" '
            f'paint-order="stroke">{text}</text></g>'
        )
    return "".join(dots)


def _svg(map_id: str, label: str, body: str, highlight: set[str], frame: Frame) -> Markup:
    """The whole ``<svg>``: frame, outlines, body, and a message when there is nothing
    to place (or no outlines to draw)."""
    land, missing = _land(highlight, frame.k)
    empty = not highlight
    message = ""
    if empty or missing:
        text = NO_PLACES if empty else missing
        message = (
            f'<text x="{frame.x + frame.width / 2:.1f}" y="{frame.y + frame.height / 2:.1f}" '
            f'text-anchor="middle" font-size="{16 * frame.k:.2f}" fill="#1b1f24" '
            f'class="map-message">{escape(text)}</text>'
        )
    aria = NO_PLACES if empty else label
    return Markup(  # noqa: S704 - every interpolated value is escaped or generated here
        f'<svg id="{escape(map_id)}" class="worldmap" role="img" aria-label="{escape(aria)}" '
        f'viewBox="{frame.box}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(aria)}</title>{_marker_defs(escape(map_id))}"
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f5f8fb"/>{land}{body}{message}</svg>'
    )


def _codes(values: Iterable[str | None]) -> list[str]:
    """Known country codes among the values, upper case, each once, in order."""
    seen: dict[str, None] = {}
    for value in values:
        if value and centre(value) is not None:
            seen.setdefault(value.strip().upper(), None)
    return list(seen)


def _names(codes: Iterable[str]) -> dict[str, str]:
    return {c: country_name(c.lower()) for c in codes}


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def country_map(codes: Sequence[str], *, map_id: str = "places-map") -> PlaceMap:
    """The given countries highlighted and marked (an entity's places)."""
    placed = _codes(codes)
    unplaced = [c for c in codes if c and c.strip().upper() not in placed]
    frame = fit(placed)
    label = f"Map of {', '.join(_names(placed).values())}"
    svg = _svg(map_id, label, _dots(frame, _names(placed)), set(placed), frame)
    return PlaceMap(svg, placed, unplaced, "" if placed else f"{NO_PLACES}.")


def route_chain(route: Mapping[str, Any]) -> list[str]:
    """A route's countries in order: origin, transit..., destination."""
    return [str(route["origin"]), *map(str, route.get("transit") or []), str(route["destination"])]


def route_map(routes: Sequence[Mapping[str, Any]], *, map_id: str = "route-map") -> PlaceMap:
    """A network's routes (``show_network``'s ``routes``): one group of arrowed legs per
    route through its countries' centres, an arrowhead at the end of every leg.

    A country the data cannot place (``?`` for a trip without a known place) is left out
    of the line and the route is named in ``unplaced``.
    """
    drawn: list[tuple[str, list[str], int, int]] = []
    unplaced = []
    for route in routes:
        chain = route_chain(route)
        known = [c.upper() for c in chain if centre(c) is not None]
        if len(known) < len(chain):
            unplaced.append(" → ".join(chain))
        if len(known) >= 2:
            travellers, trips = int(route.get("travellers") or 0), int(route.get("trips") or 0)
            drawn.append((" → ".join(chain), known, travellers, trips))
    placed = _codes(c for _text, known, _t, _n in drawn for c in known)
    frame = fit(placed)
    lines = []
    for text, known, travellers, trips in drawn:
        title = f"{text}: {_plural(travellers, 'traveller')}, {_plural(trips, 'trip')}"
        points = [p for p in (centre(c) for c in known) if p is not None]
        width = (1.2 + min(travellers, 6) * 0.3) * frame.k
        legs = "".join(
            f'<path class="leg" d="{_curve([a, b])}" marker-end="url(#{escape(map_id)}-arrow)"/>'
            for a, b in pairwise(points)
        )
        lines.append(
            f'<g class="route" data-route="{escape(text)}" fill="none" stroke="{ROUTE}" '
            f'stroke-width="{width:.2f}" stroke-opacity="0.85"><title>{escape(title)}</title>'
            f"{legs}</g>"
        )
    label = f"Map of {_plural(len(lines), 'route')} through {', '.join(_names(placed).values())}"
    body = f'<g class="routes">{"".join(lines)}</g>{_dots(frame, _names(placed))}'
    note = PLACED_BY_COUNTRY if lines else f"{NO_PLACES}: no route has two known countries."
    if unplaced:
        note += f" Not fully placed (a country unknown): {'; '.join(unplaced)}."
    return PlaceMap(_svg(map_id, label, body, set(placed), frame), placed, unplaced, note)


def step_country(step: Mapping[str, Any]) -> str | None:
    """The country a trail step is in: its ``country`` when known, else its place when
    that is itself a country code; None when withheld or not a country."""
    for value in (step.get("country"), step.get("place")):
        if isinstance(value, str) and len(value.strip()) == 2 and centre(value) is not None:
            return value.strip().upper()
    return None


def trail_map(steps: Sequence[Mapping[str, Any]], *, map_id: str = "trail-map") -> PlaceMap:
    """A tracing trail (``show_report``'s ``trail``, in time order): each step numbered at
    its country, an arrow for every move from one country to the next placed step."""
    numbers: dict[str, list[str]] = {}
    hops: list[tuple[int, str, int, str, str]] = []
    unplaced = []
    previous: tuple[int, str] | None = None
    for index, step in enumerate(steps, start=1):
        code = step_country(step)
        when = str(step.get("when") or "undated")
        if code is None:
            unplaced.append(f"step {index} ({when}): {step.get('place') or 'place unknown'}")
            continue
        numbers.setdefault(code, []).append(str(index))
        if previous is not None and previous[1] != code:
            hops.append((previous[0], previous[1], index, code, when))
        previous = (index, code)
    frame = fit(numbers)
    moves = []
    for first, origin, then, destination, when in hops:
        points = [p for p in (centre(origin), centre(destination)) if p is not None]
        title = f"step {first} in {origin} → step {then} in {destination} ({when})"
        moves.append(
            f'<path class="move" data-move="{first}-{then}" d="{_curve(points)}" fill="none" '
            f'stroke="{ROUTE}" stroke-width="{1.8 * frame.k:.2f}" '
            f'marker-end="url(#{escape(map_id)}-arrow)"><title>{escape(title)}</title></path>'
        )
    tips = {
        code: f"{country_name(code.lower())}: step{'s' * (len(n) > 1)} {', '.join(n)}"
        for code, n in numbers.items()
    }
    texts = {code: f"{code} {','.join(n)}" for code, n in numbers.items()}
    body = f'<g class="moves">{"".join(moves)}</g>{_dots(frame, tips, texts)}'
    label = (
        f"Map of the trail: {len(steps) - len(unplaced)} of {_plural(len(steps), 'step')} "
        f"placed, {_plural(len(moves), 'move')} between countries"
    )
    note = PLACED_BY_COUNTRY if numbers else f"{NO_PLACES}: no step has a known country."
    if unplaced:
        note += f" Not placed: {'; '.join(unplaced)}."
    return PlaceMap(_svg(map_id, label, body, set(numbers), frame), list(numbers), unplaced, note)
