"""The consolidated report as a self-contained HTML page (Jinja2 template in the package)."""

from __future__ import annotations

from pathlib import Path

from threadline.operations.consolidate import Consolidated
from threadline.operations.geography import country_places
from threadline.operations.tabulate import COUNTRY_COLUMNS, country_cells, total_lines

TEMPLATES = Path(__file__).parent / "templates"
MAP_WIDTH, MAP_HEIGHT = 720, 360


def _map_points(report: Consolidated) -> list[dict[str, object]]:
    """Participating countries on an equirectangular frame (x from longitude, y from latitude)."""
    places = country_places()
    points = []
    for row in report.countries:
        place = places.get(row.country)
        if place is None:
            continue
        points.append(
            {
                "code": row.country,
                "x": round((place.lon + 180) / 360 * MAP_WIDTH, 1),
                "y": round((90 - place.lat) / 180 * MAP_HEIGHT, 1),
                "status": row.status.replace(" ", "-"),
            }
        )
    return points


def render_html(report: Consolidated) -> str:
    """The report page (counts only: no victim's personal data is ever passed in)."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("operation_report.html.j2")
    return template.render(
        r=report,
        op=report.operation,
        columns=[label for _key, label in COUNTRY_COLUMNS],
        rows=[(c, country_cells(c)) for c in report.countries],
        totals=total_lines(report),
        points=_map_points(report),
        map_width=MAP_WIDTH,
        map_height=MAP_HEIGHT,
    )
