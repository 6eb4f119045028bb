"""A small world map as inline SVG: countries marked at their approximate centres."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

from threadline.operations.geography import country_places
from threadline.primitives.countries import country_name

WIDTH, HEIGHT = 360, 180


def country_map(codes: list[str]) -> Markup:
    """Equirectangular frame with a labelled dot per known country (no tiles, no network)."""
    places = country_places()
    dots = []
    for code in codes:
        place = places.get(code)
        if place is None:
            continue
        x = (place.lon + 180) / 360 * WIDTH
        y = (90 - place.lat) / 180 * HEIGHT
        name = escape(country_name(code.lower()))
        dots.append(
            f'<g><title>{name}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#b3261e"/>'
            f'<text x="{x + 6:.1f}" y="{y + 4:.1f}" font-size="10">{escape(code)}</text></g>'
        )
    grid = "".join(
        f'<line x1="0" y1="{y}" x2="{WIDTH}" y2="{y}" stroke="#dde3ea"/>'
        for y in range(0, HEIGHT + 1, 30)
    ) + "".join(
        f'<line x1="{x}" y1="0" x2="{x}" y2="{HEIGHT}" stroke="#dde3ea"/>'
        for x in range(0, WIDTH + 1, 30)
    )
    label = ", ".join(country_name(c.lower()) for c in codes) or "no known places"
    return Markup(  # noqa: S704 - every interpolated value is escaped above
        f'<svg role="img" aria-label="Map: {escape(label)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH * 2}" height="{HEIGHT * 2}" class="worldmap">'
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#f3f6f9" stroke="#c9d1da"/>{grid}'
        f"{''.join(dots)}</svg>"
    )
