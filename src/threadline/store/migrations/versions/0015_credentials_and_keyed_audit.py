"""credentials and a keyed audit chain: case-folded user names, token scopes, reset codes,
sign-in limits per address, the channel of each audit event, HMAC chain

Revision ID: 0015
Revises: 0014

User names become unique in any letter case: the upgrade stops, naming them,
when two existing users differ only in case (rename or remove one first).

An existing audit chain is re-keyed: the upgrade first checks it with the
unkeyed SHA-256 algorithm it was written with and refuses to go on when it is
broken (re-keying would hide the break). When it holds, every event gets a MAC
under the new key and a last event, ``audit.rekey``, records the old head and
how many events were re-keyed, so an auditor who kept the head of an earlier
export can see that the keyed chain continues that one.
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
_LEGACY_FIELDS = [
    "user",
    "agency",
    "country",
    "component",
    "action",
    "target_type",
    "target_id",
    "purpose",
    "reference",
    "result_count",
    "outcome",
    "detail",
]


def upgrade() -> None:
    _fold_usernames()
    with op.batch_alter_table("api_token") as batch:
        batch.add_column(sa.Column("scopes", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("roles", sa.JSON(), nullable=True))
    # Tokens issued before scopes existed could do everything their user could.
    op.execute('UPDATE api_token SET scopes = \'["read", "write"]\'')
    with op.batch_alter_table("api_token") as batch:
        batch.alter_column("scopes", existing_type=sa.JSON(), nullable=False)
    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_password_reset_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_password_reset_code_hash")),
    )
    op.create_table(
        "sign_in_source",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_sign_in_source")),
    )
    op.create_index("ix_sign_in_source_window_start", "sign_in_source", ["window_start"])
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
    # Events written before channels were recorded: their channel is not known.
    op.execute("UPDATE audit_event SET channel = 'unrecorded'")
    with op.batch_alter_table("audit_event") as batch:
        batch.alter_column("channel", existing_type=sa.String(length=16), nullable=False)
        batch.create_index("ix_audit_event_agency", ["agency", "country", "id"])
    _rekey_chain()


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_index("ix_audit_event_agency")
        batch.drop_column("channel")
    _rechain_unkeyed()
    op.drop_index("ix_sign_in_source_window_start", table_name="sign_in_source")
    op.drop_table("sign_in_source")
    op.drop_table("password_reset")
    with op.batch_alter_table("api_token") as batch:
        batch.drop_column("roles")
        batch.drop_column("scopes")
    op.drop_index("ix_user_account_username_key", table_name="user_account")
    # In place (SQLite 3.35 and later): rebuilding user_account would break the references.
    op.execute("ALTER TABLE user_account DROP COLUMN username_key")


def _fold_usernames() -> None:
    conn = op.get_bind()
    users = conn.execute(sa.text("SELECT id, username FROM user_account ORDER BY id")).all()
    keys: dict[str, list[str]] = {}
    for user in users:
        key = unicodedata.normalize("NFKC", user.username.strip()).casefold()
        keys.setdefault(key, []).append(user.username)
    clashes = [names for names in keys.values() if len(names) > 1]
    if clashes:
        listed = "; ".join(" and ".join(repr(n) for n in names) for names in clashes)
        raise RuntimeError(
            "user names must now differ in more than letter case, and these do not: "
            f"{listed}. Rename or remove one of each (in the database at revision 0011), "
            "then upgrade again."
        )
    # SQLite cannot drop a table other tables refer to while enforcing foreign keys, so
    # user_account is not rebuilt: the column comes with a default (left in place on SQLite)
    # and the uniqueness with an index.
    op.add_column(
        "user_account",
        sa.Column("username_key", sa.String(length=100), nullable=False, server_default=""),
    )
    for user in users:
        key = unicodedata.normalize("NFKC", user.username.strip()).casefold()
        conn.execute(
            sa.text("UPDATE user_account SET username_key = :key WHERE id = :id"),
            {"key": key, "id": user.id},
        )
    if conn.dialect.name != "sqlite":
        op.alter_column("user_account", "username_key", server_default=None)
    op.create_index("ix_user_account_username_key", "user_account", ["username_key"], unique=True)


# --- the audit chain --------------------------------------------------------------------


def _events(conn: sa.Connection) -> Iterator[dict[str, Any]]:
    """Every event in id order, read in slices (the table may be large)."""
    last = 0
    while True:
        rows = conn.execute(
            sa.text("SELECT * FROM audit_event WHERE id > :last ORDER BY id LIMIT 5000"),
            {"last": last},
        ).all()
        if not rows:
            return
        for row in rows:
            data = dict(row._mapping)
            if isinstance(data["detail"], str):
                data["detail"] = orjson.loads(data["detail"])
            yield data
        last = rows[-1].id


def _when(value: Any) -> str:
    """Time as the chain MACs it (SQLite gives text, PostgreSQL a datetime)."""
    moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _legacy_digest(prev: str, event: dict[str, Any]) -> str:
    """The unkeyed SHA-256 chain of revisions 0005-0011."""
    fields = {name: event[name] for name in _LEGACY_FIELDS} | {"at": _when(event["at"])}
    payload = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev.encode("ascii") + payload).hexdigest()


def _keyed_mac(key: bytes, prev: str, event: dict[str, Any]) -> str:
    """The keyed chain of revision 0015 (as ``auditchain.mac`` computes it at this revision)."""
    fields = {name: event[name] for name in [*_LEGACY_FIELDS, "channel"]}
    fields |= {"id": int(event["id"]), "at": _when(event["at"])}
    payload = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hmac.new(key, prev.encode("ascii") + payload, hashlib.sha256).hexdigest()


def _check_legacy(conn: sa.Connection) -> tuple[int, str]:
    """(events, head) of the unkeyed chain; RuntimeError naming the first broken event."""
    prev, count = GENESIS, 0
    for event in _events(conn):
        if event["prev_hash"] != prev or _legacy_digest(prev, event) != event["hash"]:
            raise RuntimeError(
                f"the audit chain is broken at event {event['id']} (an event was edited, or "
                "events before it deleted). Upgrading would key the chain and hide that, so the "
                "upgrade stops: export the log with the previous release for investigation "
                "('threadline audit export'), and restore the database from a backup whose "
                "chain verifies."
            )
        prev = event["hash"]
        count += 1
    return count, prev


def _rekey_chain() -> None:
    from threadline.governance.auditkey import Anchor, chain_files, load_key, reset_anchor

    conn = op.get_bind()
    count, old_head = _check_legacy(conn)
    if count == 0:
        return
    files = chain_files(conn.engine)
    key = load_key(files.key, create=True)
    prev, last_id = GENESIS, 0
    updates = []
    for event in _events(conn):
        event["hash"] = _keyed_mac(key, prev, event)
        updates.append({"id": event["id"], "prev": prev, "mac": event["hash"]})
        prev, last_id = event["hash"], event["id"]
    statement = sa.text("UPDATE audit_event SET prev_hash = :prev, hash = :mac WHERE id = :id")
    for start in range(0, len(updates), 5000):
        conn.execute(statement, updates[start : start + 5000])
    marker: dict[str, Any] = {
        "id": last_id + 1,
        "at": datetime.now(UTC),
        "user": "system",
        "agency": "threadline",
        "country": "XK",
        "component": "migration",
        "channel": "system",
        "action": "audit.rekey",
        "target_type": None,
        "target_id": None,
        "purpose": None,
        "reference": None,
        "result_count": count,
        "outcome": "success",
        "detail": {"unkeyed_head": old_head, "events": count},
        "prev_hash": prev,
    }
    marker["hash"] = _keyed_mac(key, prev, marker)
    typed: dict[str, Any] = {"at": sa.DateTime(timezone=True), "detail": sa.JSON()}
    table = sa.table("audit_event", *(sa.column(name, typed.get(name)) for name in marker))
    conn.execute(sa.insert(table), [marker])
    reset_anchor(files.anchor, Anchor(marker["id"], marker["hash"]))


def _rechain_unkeyed() -> None:
    """Back to the unkeyed chain of revision 0011 (its events' content unchanged)."""
    conn = op.get_bind()
    prev = GENESIS
    updates = []
    for event in _events(conn):
        event["hash"] = _legacy_digest(prev, event)
        updates.append({"id": event["id"], "prev": prev, "mac": event["hash"]})
        prev = event["hash"]
    statement = sa.text("UPDATE audit_event SET prev_hash = :prev, hash = :mac WHERE id = :id")
    for start in range(0, len(updates), 5000):
        conn.execute(statement, updates[start : start + 5000])
