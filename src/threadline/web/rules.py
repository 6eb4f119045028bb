"""The screening rules page: the agency's rules with every version, its history and its
back-test, and for analysts and operation coordinators the forms that write a rule (or a
new version), back-test a version, activate it and retire it.

The page calls the same functions as ``threadline rules`` and ``/api/v1/rules``: the
screening package checks the role and the agency, applies the victim shield to back-test
examples and audits every step. A version's history and back-test name travellers, so they
are shown under a purpose (chosen on the page or remembered for the session); without one
the page lists each rule's newest and active version. A refusal (an unsafe expression, a
version not back-tested, one already active) is shown beside the form it came from, with
what the user typed; a user who may not write rules gets no forms and a 403 for a post.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, Purpose
from threadline.governance.policy import PurposeRequired
from threadline.store import Store
from threadline.web.rendering import page
from threadline.web.session import WebUser, check_csrf, web_user

router = APIRouter(include_in_schema=False)
User = Annotated[WebUser, Depends(web_user)]
Short = Annotated[str, Query(max_length=100)]
FormShort = Annotated[str, Form(max_length=100)]
Csrf = Annotated[str, Form(max_length=200)]
# Longer than the service allows, so that the service says what the limit is.
FormName = Annotated[str, Form(max_length=200)]
FormExpression = Annotated[str, Form(max_length=4000)]
FormDescription = Annotated[str, Form(max_length=8000)]
FormVersion = Annotated[str, Form(max_length=12)]
Step = Callable[[Any, Actor, int | None], str]  # (connection, actor, version) -> what was done
ACTION_NAMES = {"referral": "safeguarding referral", "review": "review"}


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _actor(user: WebUser, purpose: str, reference: str) -> Actor | None:
    """The user looking for a purpose: the one chosen on the page, else the remembered one."""
    if purpose in {p.value for p in Purpose}:
        return user.actor.for_purpose(purpose, reference.strip() or None)
    return user.actor if user.actor.purpose else None


def _version(text: str) -> int | None:
    """The version a form names (None: the service's default)."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) < 2**31:
        raise InputError(f"version {text!r}: a whole number from 1")
    return int(text)


def _rules(
    request: Request, user: WebUser, actor: Actor | None
) -> tuple[list[dict[str, Any]], AccessDenied | None]:
    """The agency's rules as the page lists them, and why their versions are not shown.

    With a purpose each rule has every version (newest first) with its history and back-test;
    without one (or with one the user may not state), its newest and its active version."""
    from threadline.screening.rules import list_rules, show_rule

    with _store(request).begin() as conn:
        listed = list_rules(conn, user.actor, component="web")  # refuses who may not read
    out = [
        {
            "name": item["name"],
            "count": item["versions"],
            "active": item["active"]["version"] if item["active"] else None,
            "full": False,
            "versions": _summaries(item),
        }
        for item in listed
    ]
    if actor is None or not out:
        return out, None
    try:
        with _store(request).begin() as conn:
            shown = [show_rule(conn, actor, r["name"], component="web") for r in out]
    except AccessDenied as exc:  # the purpose: the listing above let this user read rules
        return out, exc
    for row, item in zip(out, shown, strict=True):
        row.update(active=item["active_version"], full=True, versions=item["versions"])
    return out, None


def _summaries(item: dict[str, Any]) -> list[dict[str, Any]]:
    """A listed rule's newest and active version (one row when they are the same)."""
    rows = [item["latest"]]
    active = item["active"]
    if active and active["version"] != item["latest"]["version"]:
        rows.append(active)
    return rows


def _shows(items: list[dict[str, Any]], name: str, version: int | None) -> bool:
    return any(r["name"] == name and any(v["version"] == version for v in r["versions"])
               for r in items)  # fmt: skip


def _listing(
    request: Request,
    user: WebUser,
    *,
    purpose: str = "",
    reference: str = "",
    code: int = 200,
    form: dict[str, str] | None = None,
    failed: dict[str, Any] | None = None,
    start_from: str = "",
    **extra: Any,
) -> Response:
    from threadline.screening.rules import ACTIONS, may_write_rules, rule_fields

    actor = _actor(user, purpose, reference)
    items, refused = _rules(request, user, actor)
    error = None
    if refused is not None:
        error = str(refused)
        if code == 200:
            code = 422 if isinstance(refused, PurposeRequired) else 403
    if failed and not _shows(items, failed["name"], failed["version"]):
        error, failed = failed["error"], None  # a version the page does not list
    if form is None:
        form = {}
        for item in items:
            if item["name"] == start_from:  # the form starts from the newest version
                newest = item["versions"][0]
                form = {k: newest[k] for k in ("expression", "action", "description")}
                form["name"] = item["name"]
    return page(
        request,
        "rules.html",
        status=code,
        user=user,
        rules=items,
        author=may_write_rules(user.actor),
        fields=rule_fields(),
        actions=ACTIONS,
        action_names=ACTION_NAMES,
        purposes=[p.value for p in Purpose],
        purpose=actor.purpose.value if actor is not None and actor.purpose else purpose,
        reference=(actor.reference or "") if actor is not None else reference,
        asked=actor is not None and refused is None,
        form=form,
        failed=failed,
        error=error,
        **extra,
    )


@router.get("/rules", response_class=HTMLResponse)
def rules(
    request: Request,
    user: User,
    purpose: Short = "",
    reference: Short = "",
    new: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The rules; ``new`` fills the form with a rule's newest version, to write the next."""
    return _listing(request, user, purpose=purpose, reference=reference, start_from=new)


@router.post("/rules", response_class=HTMLResponse)
def create(
    request: Request,
    user: User,
    csrf_token: Csrf = "",
    name: FormName = "",
    expression: FormExpression = "",
    action: FormShort = "referral",
    description: FormDescription = "",
    purpose: FormShort = "",
    reference: FormShort = "",
) -> Response:
    from threadline.screening.rules import create_rule

    check_csrf(user, csrf_token)
    form = {"name": name, "expression": expression, "action": action, "description": description}
    try:
        with _store(request).begin() as conn:
            item = create_rule(
                conn, user.actor, name, expression, action, description, component="web"
            )
    except (InputError, NotFound) as exc:
        return _listing(
            request,
            user,
            code=422,
            form=form,
            form_error=str(exc),
            purpose=purpose,
            reference=reference,
        )
    note = (
        f"Rule {item['name']} version {item['version']} written as a draft; it uses "
        f"{', '.join(item['fields'])}. Back-test it, then activate it."
    )
    return _listing(request, user, note=note, purpose=purpose, reference=reference)


def _step(
    request: Request,
    user: WebUser,
    name: str,
    version: str,
    csrf_token: str,
    purpose: str,
    reference: str,
    act: Step,
    reason: str = "",
) -> Response:
    """One step on a version; the page again, with what was done or why it was refused."""
    check_csrf(user, csrf_token)
    number: int | None = None
    try:
        number = _version(version)
        with _store(request).begin() as conn:
            note = act(conn, _actor(user, purpose, reference) or user.actor, number)
    except (InputError, NotFound, PurposeRequired) as exc:
        failed = {"name": name, "version": number, "error": str(exc), "reason": reason}
        code = 404 if isinstance(exc, NotFound) else 422
        return _listing(
            request, user, code=code, failed=failed, purpose=purpose, reference=reference
        )
    return _listing(request, user, note=note, purpose=purpose, reference=reference)


@router.post("/rules/{name}/test", response_class=HTMLResponse)
def test(
    request: Request,
    user: User,
    name: str,
    csrf_token: Csrf = "",
    version: FormVersion = "",
    purpose: FormShort = "",
    reference: FormShort = "",
) -> Response:
    """Back-test a version (a person query: its examples are travellers)."""
    from threadline.screening.rules import backtest_rule

    def act(conn: Any, actor: Actor, number: int | None) -> str:
        done = backtest_rule(conn, actor, name, version=number, component="web")
        return (
            f"Rule {done['name']} version {done['version']} back-tested on "
            f"{done['manifests']:,} manifest{'s' if done['manifests'] != 1 else ''} "
            f"({done['travellers']:,} travellers): it would have flagged {done['flagged']:,}."
        )

    return _step(request, user, name, version, csrf_token, purpose, reference, act)


@router.post("/rules/{name}/activate", response_class=HTMLResponse)
def activate(
    request: Request,
    user: User,
    name: str,
    csrf_token: Csrf = "",
    version: FormVersion = "",
    purpose: FormShort = "",
    reference: FormShort = "",
) -> Response:
    """Switch on a back-tested version; the version active before it is retired."""
    from threadline.screening.rules import activate_rule

    def act(conn: Any, actor: Actor, number: int | None) -> str:
        done = activate_rule(conn, actor, name, version=number, component="web")
        return (
            f"Rule {done['name']} version {done['version']} is active: every manifest your "
            "agency screens from now on is checked against it."
        )

    return _step(request, user, name, version, csrf_token, purpose, reference, act)


@router.post("/rules/{name}/retire", response_class=HTMLResponse)
def retire(
    request: Request,
    user: User,
    name: str,
    csrf_token: Csrf = "",
    version: FormVersion = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    purpose: FormShort = "",
    reference: FormShort = "",
) -> Response:
    """Retire a version (or withdraw a draft) with a reason: it raises nothing more."""
    from threadline.screening.rules import retire_rule

    def act(conn: Any, actor: Actor, number: int | None) -> str:
        done = retire_rule(conn, actor, name, version=number, reason=reason, component="web")
        return f"Rule {done['name']} version {done['version']} is retired."

    return _step(request, user, name, version, csrf_token, purpose, reference, act, reason)
