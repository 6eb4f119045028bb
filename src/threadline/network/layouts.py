"""Saved layouts: where a user placed a network's nodes, kept per user and network.

Only node keys and coordinates are stored (no names, no values); a layout is
the user's own and is never shown to anyone else.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from threadline.exc import InputError
from threadline.governance import Actor
from threadline.network.tables import network_layout as t_layout

MAX_NODES = 10_000


def clean_positions(positions: Any) -> dict[str, dict[str, float]]:
    """``{node key: {"x": float, "y": float}}``, or an ``InputError`` saying what is wrong."""
    if not isinstance(positions, dict):
        raise InputError("positions: expected an object of node id -> {x, y}")
    if len(positions) > MAX_NODES:
        raise InputError(f"positions: at most {MAX_NODES} nodes, got {len(positions)}")
    cleaned: dict[str, dict[str, float]] = {}
    for key, point in positions.items():
        if not isinstance(key, str) or not 0 < len(key) <= 400:
            raise InputError("positions: node ids must be text of at most 400 characters")
        try:
            x, y = float(point["x"]), float(point["y"])
        except (TypeError, KeyError, ValueError):
            raise InputError(f"positions[{key!r}]: expected {{x: number, y: number}}") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise InputError(f"positions[{key!r}]: coordinates must be finite numbers")
        cleaned[key] = {"x": round(x, 2), "y": round(y, 2)}
    return cleaned


def save_layout(conn: Connection, actor: Actor, network_id: str, positions: Any) -> int:
    """Replace the actor's layout of a network; returns how many positions were kept."""
    cleaned = clean_positions(positions)
    conn.execute(
        delete(t_layout).where(t_layout.c.user == actor.user, t_layout.c.network_id == network_id)
    )
    conn.execute(
        insert(t_layout).values(
            user=actor.user,
            network_id=network_id,
            positions=cleaned,
            updated_at=datetime.now(UTC),
        )
    )
    return len(cleaned)


def load_layout(conn: Connection, actor: Actor, network_id: str) -> dict[str, dict[str, float]]:
    """The actor's saved positions for a network (empty when none were saved)."""
    row = conn.execute(
        select(t_layout.c.positions).where(
            t_layout.c.user == actor.user, t_layout.c.network_id == network_id
        )
    ).first()
    return dict(row.positions) if row is not None else {}


def clear_layout(conn: Connection, actor: Actor, network_id: str) -> None:
    conn.execute(
        delete(t_layout).where(t_layout.c.user == actor.user, t_layout.c.network_id == network_id)
    )
