"""What every command needs: the open store and the acting user."""

from __future__ import annotations

import getpass
import os

from threadline.exc import InputError
from threadline.governance import Actor, Purpose, Role
from threadline.governance.actors import Channel
from threadline.settings import get_settings
from threadline.store import Store, open_store

# The operator at the server console: every role but the two that need a named person
# (victim liaison sees identities; auditor reads the audit log).
CONSOLE_ROLES = frozenset(
    {Role.ANALYST, Role.BORDER_OFFICER, Role.OPERATION_COORDINATOR, Role.ADMINISTRATOR}
)


SELECTED_USER: str | None = None  # set by the root --user option for this invocation
SELECTED_PURPOSE: str | None = None  # the root --purpose and --reference options
SELECTED_REFERENCE: str | None = None


def named_user() -> str | None:
    """The user named by --user or THREADLINE_USER (None: the console operator)."""
    return SELECTED_USER or os.environ.get("THREADLINE_USER") or None


def store() -> Store:
    """The store named by --db / THREADLINE_DB, migrated to the newest schema."""
    return open_store()


def actor(
    db: Store | None = None, purpose: str | None = None, reference: str | None = None
) -> Actor:
    """Who the command acts as: ``--user``/THREADLINE_USER, else the console operator.

    On the command line the user name attributes the work (audit, provenance);
    whoever runs commands on the server already holds the database, so this is
    not authentication: the API and web pages authenticate. A disabled user is
    refused here as everywhere.
    """
    name = named_user()
    settings = get_settings()
    if name:
        from threadline.governance.accounts import require_active
        from threadline.governance.identity import get_user

        with (db or store()).connect() as conn:
            base = require_active(get_user(conn, name)).actor(Channel.CLI)
    else:
        base = Actor(
            user=f"console:{getpass.getuser()}",
            agency=settings.default_agency,
            country=settings.default_country,
            roles=CONSOLE_ROLES,
            channel=Channel.CLI,
        )
    if purpose is None:
        purpose = SELECTED_PURPOSE or os.environ.get("THREADLINE_PURPOSE") or None
        reference = reference or SELECTED_REFERENCE or os.environ.get("THREADLINE_REFERENCE")
    if purpose is not None:
        try:
            chosen = Purpose(purpose.strip().lower())
        except ValueError:
            allowed = ", ".join(p.value for p in Purpose)
            raise InputError(f"unknown purpose {purpose!r}; purposes are: {allowed}") from None
        return base.for_purpose(chosen, reference or None)
    return base
