"""Templates and the helpers they use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from threadline import __version__

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.globals["version"] = __version__


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.0f}%"


def _indicator(identifier: str) -> str:
    """'recruitment.fees_or_debt' -> 'fees or debt'."""
    return identifier.rsplit(".", 1)[-1].replace("_", " ")


def _may_read_rules(actor: Any) -> bool:
    """The navigation shows "Rules" to whom the screening rules service lets read them."""
    from threadline.screening.rules import may_read_rules

    return may_read_rules(actor)


templates.env.filters["percent"] = _percent
templates.env.filters["indicator"] = _indicator
templates.env.globals["may_read_rules"] = _may_read_rules


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status)
