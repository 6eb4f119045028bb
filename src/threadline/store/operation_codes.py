"""Operation codes as other capabilities meet them: a tag on a screening run or a victim record.

The operations package owns the operation table (``threadline.operations.tables``);
screening and victims only ask whether a code names a stored operation, so the
question lives here, below them all (operations reads victim records, so victims
may not import operations back).
"""

from __future__ import annotations

from sqlalchemy import Connection, column, select, table

from threadline.exc import InputError

_operation = table("operation", column("code"))


def require_operation(conn: Connection, code: str, *, field: str = "operation") -> str:
    """The code, stripped, if an operation with it is stored; else a one-line ``InputError``."""
    text = code.strip()
    if not text:
        raise InputError(f"{field}: an operation code cannot be empty")
    found = conn.execute(select(_operation.c.code).where(_operation.c.code == text)).first()
    if found is None:
        raise InputError(f"{field}: unknown operation {code!r} (see 'threadline ops list')")
    return text
