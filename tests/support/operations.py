"""An operation defined for tests that tag screening runs or victim records with its code.

Operation codes are checked when a run or a record is tagged, so a test names one that
exists; :func:`define_operation` stores a minimal one as the platform would.
"""

from __future__ import annotations

from threadline.governance import SYSTEM
from threadline.operations import build_spec, create_operation
from threadline.store import Store


def define_operation(store: Store, code: str, countries: str = "SE") -> None:
    spec = build_spec(code, name=code, start="2026-03-01", end="2026-03-10", countries=countries)
    with store.begin() as conn:
        create_operation(conn, spec, SYSTEM)
