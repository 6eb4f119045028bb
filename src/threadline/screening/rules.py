"""Screening rules that analysts write: a safe expression over a traveller's fields.

An analyst or operation coordinator writes a rule in a small expression language
(`rule-engine <https://zerosteiner.github.io/rule-engine/>`_) over the fields of
:data:`FIELDS` (the traveller, the trip, the booking and its contact), for example::

    minor and one_way and contact_in_high_risk_ads

A rule is compiled against those fields with their types when it is written, so an
unknown field, a comparison of a number with a text, a regular expression (which may take
unbounded time), a clock (``$now``: a back-test would not show what the rule does) or an
expression that is not a yes/no question is refused with the reason. It cannot reach
anything but the values it is given.

Each rule belongs to one agency and has a name, an action (``referral``: consider a
safeguarding referral; ``review``: review the traveller's circumstances), a description
(why it matters) and versions: writing a rule under a name it already has adds a version,
and every version is kept. A version is a ``draft`` until it is activated (which retires
the version active before it) and ``retired`` after. Activation needs a back-test of that
version: :func:`backtest_rule` runs it over the manifests the agency screened in the retention
period (:mod:`threadline.screening.archive`) and says how many travellers it would have
flagged, with a few examples. Only the agency's analysts and operation coordinators write,
test, activate and retire rules; every step is audited.

Screening a manifest evaluates the agency's active rules on every traveller; each traveller
a rule matches raises an alert (kind ``rule``) whose decision is the rule's action and whose
explanation names the rule, its version, its expression and the traveller's values of the
fields it uses. A rule is evaluated only on a traveller for whom every field it uses is
known (a traveller without a birth date is not "not a minor"); the back-test counts the
others. Rules raise safeguarding referrals and reviews: the wording never makes a possible
victim a suspect, and a rule's name or description may not call travellers suspects.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import rule_engine
from rule_engine import DataType
from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from threadline.alerts import Candidate
from threadline.alerts.service import TRIAGE_ROLES
from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, Role, require_purpose
from threadline.governance.audit import record
from threadline.governance.shield import WITHHELD, VictimShield, victim_shield
from threadline.ingest.readers.manifests import TravelRecord, traveller_id
from threadline.primitives.airports import airport
from threadline.primitives.countries import clean_country
from threadline.screening import indicators
from threadline.screening.archive import recent_manifests, retention_days
from threadline.screening.tables import screening_rule as t_rule
from threadline.screening.tables import screening_rule_version as t_version

__all__ = [
    "ACTIONS",
    "FIELDS",
    "STATES",
    "ActiveRules",
    "CompiledRule",
    "RuleField",
    "RuleFlag",
    "activate_rule",
    "active_rules",
    "apply_rules",
    "backtest_rule",
    "compile_expression",
    "create_rule",
    "list_rules",
    "may_read_rules",
    "may_write_rules",
    "present_flag",
    "retire_rule",
    "rule_candidates",
    "rule_fields",
    "rule_values",
    "show_rule",
]

COMPONENT = "screening"
REFERRAL, REVIEW = "referral", "review"
ACTIONS = (REFERRAL, REVIEW)
DRAFT, ACTIVE, RETIRED = "draft", "active", "retired"
STATES = (DRAFT, ACTIVE, RETIRED)
AUTHOR_ROLES = frozenset({Role.ANALYST, Role.OPERATION_COORDINATOR})
READER_ROLES = TRIAGE_ROLES  # who reads the alerts rules raise reads the rules
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{1,63}")
RESERVED_NAMES = frozenset({"fields"})  # /api/v1/rules/fields
MAX_EXPRESSION = 1_000
MAX_DESCRIPTION = 2_000
MAX_REASON = 2_000
EXAMPLES = 5
ADULT_AGE = indicators.ADULT_AGE
# Built-ins a rule may call: pure functions of the values given. Refused: $now and $today
# (a rule would decide differently tomorrow than its back-test said), $random, $range
# (unbounded), the parsers (a rule reads typed fields, not text to parse).
ALLOWED_BUILTINS = ("abs", "all", "any", "filter", "map", "max", "min", "split", "sum")
SUSPECT_WORDS = re.compile(r"\bsuspect\w*|\bsuspicious\w*", re.IGNORECASE)


# ---------------------------------------------------------------- the fields
@dataclass(frozen=True)
class RuleField:
    """A value of a traveller that rules can use."""

    name: str
    group: str  # traveller, trip, booking, contact
    kind: str  # number, text, yes/no, date
    description: str

    def to_dict(self) -> dict[str, str]:
        return {
            "name": self.name,
            "group": self.group,
            "type": self.kind,
            "description": self.description,
        }


_TYPES = {
    "number": DataType.FLOAT,
    "text": DataType.STRING,
    "yes/no": DataType.BOOLEAN,
    "date": DataType.DATETIME,
}
_KIND_OF = {
    "FLOAT": "number", "STRING": "text", "BOOLEAN": "yes/no", "DATETIME": "date",
    "NULL": "null", "TIMEDELTA": "time span", "ARRAY": "list", "SET": "set",
}  # fmt: skip
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

FIELDS: dict[str, RuleField] = {
    f.name: f
    for f in (
        RuleField("age", "traveller", "number",
                  "whole years at departure (unknown without birth date)"),
        RuleField("minor", "traveller", "yes/no", f"under {ADULT_AGE} at departure"),
        RuleField("sex", "traveller", "text", "M, F, U or X as the manifest states it"),
        RuleField("nationality", "traveller", "text", 'ISO 3166 alpha-2 code, e.g. "NG"'),
        RuleField("role", "traveller", "text", "passenger or crew"),
        RuleField("has_document", "traveller", "yes/no", "a travel document number is given"),
        RuleField("documents", "traveller", "number", "travel documents presented"),
        RuleField("document_type", "traveller", "text",
                  "type of the main document as given (P, I, ...)"),
        RuleField("document_country", "traveller", "text",
                  "alpha-2 code of the country that issued the main document"),
        RuleField("document_issued_days", "traveller", "number",
                  "days from the main document's issue to departure (unknown without an "
                  "issue date)"),
        RuleField("document_valid_days", "traveller", "number",
                  "days from departure to the main document's expiry"),
        RuleField("relation_declared", "traveller", "yes/no",
                  "the manifest states a relation to another traveller"),
        RuleField("flight", "trip", "text", 'flight number, e.g. "ZZ100"'),
        RuleField("origin", "trip", "text", "IATA code of the first departure airport"),
        RuleField("destination", "trip", "text", "IATA code of the last arrival airport"),
        RuleField("origin_country", "trip", "text", "alpha-2 code of the origin's country"),
        RuleField("destination_country", "trip", "text",
                  "alpha-2 code of the destination's country"),
        RuleField("departure_date", "trip", "date", 'day of departure, e.g. d"2025-03-01"'),
        RuleField("legs", "trip", "number", "flight legs the manifest lists for the traveller"),
        RuleField("one_way", "trip", "yes/no",
                  "the legs listed do not come back to the first departure airport (a return "
                  "on another flight is not in the manifest)"),
        RuleField("booking_size", "booking", "number",
                  "travellers on the booking (same flight, day and booking reference; 1 "
                  "without a booking reference)"),
        RuleField("booking_minors", "booking", "number", "minors on the booking"),
        RuleField("booking_adults", "booking", "number", "adults on the booking"),
        RuleField("booking_surnames", "booking", "number", "different surnames on the booking"),
        RuleField("minor_without_guardian", "booking", "yes/no",
                  "a minor with no adult on the booking who plausibly is a parent or guardian"),
        RuleField("young_unrelated_group", "booking", "yes/no",
                  "one of several young, unrelated travellers on one booking or contact"),
        RuleField("third_party_group", "booking", "yes/no",
                  "one of several unrelated compatriots aged 45 or under booked together by "
                  "a contact who is none of them"),
        RuleField("contact_phone_present", "contact", "yes/no",
                  "the booking gives a contact phone"),
        RuleField("contact_email_present", "contact", "yes/no",
                  "the booking gives a contact email"),
        RuleField("contact_bookings", "contact", "number",
                  "bookings on the manifest sharing this traveller's booking contact (0: none)"),
        RuleField("contact_travellers", "contact", "number",
                  "travellers on the manifest sharing this traveller's booking contact"),
        RuleField("contact_in_high_risk_ads", "contact", "yes/no",
                  "the booking contact's phone or email appears in high-risk ads (personas "
                  "your agency can see)"),
    )
}  # fmt: skip


def rule_fields() -> list[dict[str, str]]:
    """The fields rules can use, with their types and meaning."""
    return [f.to_dict() for f in FIELDS.values()]


def _day(value: date) -> datetime:
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _booking_key(item: TravelRecord) -> tuple[str, ...]:
    if item.booking_ref:
        return (item.flight, item.departure_time[:10], item.booking_ref)
    return ("record", item.flight, item.departure_time[:10], item.record_id)


def _contacts(item: TravelRecord) -> list[tuple[str, str]]:
    phone = indicators.normalise_phone(item.contact_phone)
    email = item.contact_email.strip().lower()
    return [(kind, value) for kind, value in (("phone", phone), ("email", email)) if value]


def rule_values(records: Sequence[TravelRecord], risky: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each traveller's values of every field (None: unknown), in the order of ``records``.

    ``risky`` is the high-risk contacts (phones and emails of high-risk personas) the
    screening agency can see, as :func:`threadline.screening.manifest.risky_contacts` gives.
    """
    bookings: dict[tuple[str, ...], list[TravelRecord]] = defaultdict(list)
    by_contact: dict[tuple[str, str], list[TravelRecord]] = defaultdict(list)
    for item in records:
        bookings[_booking_key(item)].append(item)
        for contact in _contacts(item):
            by_contact[contact].append(item)
    unguarded = {i.record.record_id for i in indicators.minors_without_guardian(records)}
    grouped = {i.record.record_id for i in indicators.young_unrelated_groups(records)}
    recruited = {i.record.record_id for i in indicators.third_party_groups(records)}
    out = []
    for item in records:
        age = item.age_at_departure()
        booking = bookings[_booking_key(item)]
        ages = [m.age_at_departure() for m in booking]
        sharing = [m for c in _contacts(item) for m in by_contact[c]]
        legs = item.travel_legs
        start = legs[0].departure_airport.strip().upper()
        end = legs[-1].arrival_airport.strip().upper()
        departure = item.departure_date
        issued, expiry = item.document_issued, item.document_expiry
        origin, destination = airport(start), airport(end)
        contacts = _contacts(item)
        out.append(
            {
                "age": age,
                "minor": None if age is None else age < ADULT_AGE,
                "sex": item.sex or None,
                "nationality": clean_country(item.nationality),
                "role": item.role or None,
                "has_document": bool(item.document_number.strip()),
                "documents": len(item.documents),
                "document_type": item.document_type.strip().upper() or None,
                "document_country": clean_country(item.document_issuing_country),
                "document_issued_days": (
                    (departure - issued).days if departure and issued else None
                ),
                "document_valid_days": (
                    (expiry - departure).days if departure and expiry else None
                ),
                "relation_declared": bool(item.relation.strip()),
                "flight": item.flight.strip().upper() or None,
                "origin": start or None,
                "destination": end or None,
                "origin_country": origin.country.upper() if origin else None,
                "destination_country": destination.country.upper() if destination else None,
                "departure_date": _day(departure) if departure else None,
                "legs": len(legs),
                "one_way": (
                    None
                    if not start
                    else all(leg.arrival_airport.strip().upper() != start for leg in legs)
                ),
                "booking_size": len({m.record_id for m in booking}),
                "booking_minors": sum(1 for a in ages if a is not None and a < ADULT_AGE),
                "booking_adults": sum(1 for a in ages if a is not None and a >= ADULT_AGE),
                "booking_surnames": len({m.surname.strip().upper() for m in booking}),
                "minor_without_guardian": None if age is None else item.record_id in unguarded,
                "young_unrelated_group": None if age is None else item.record_id in grouped,
                "third_party_group": None if age is None else item.record_id in recruited,
                "contact_phone_present": bool(item.contact_phone.strip()),
                "contact_email_present": bool(item.contact_email.strip()),
                "contact_bookings": len({_booking_key(m) for m in sharing}),
                "contact_travellers": len({m.record_id for m in sharing}),
                "contact_in_high_risk_ads": any(value in risky for _, value in contacts),
            }
        )
    return out


# ---------------------------------------------------------------- the language
@dataclass(frozen=True)
class CompiledRule:
    """An expression compiled against the fields, and the fields it uses."""

    expression: str
    fields: tuple[str, ...]
    rule: Any  # rule_engine.Rule

    def decide(self, values: Mapping[str, Any]) -> tuple[bool | None, tuple[str, ...]]:
        """(True/False, ()) when every field it uses is known, else (None, the unknown
        fields). A value the engine cannot use (it never should) counts as not decided."""
        missing = tuple(f for f in self.fields if values.get(f) is None)
        if missing:
            return None, missing
        try:
            return bool(self.rule.matches(dict(values))), ()
        except (
            rule_engine.EngineError,
            ArithmeticError,
            LookupError,
            TypeError,
            ValueError,
        ) as exc:
            # a division by zero, a date out of range, an index past a text's end
            message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
            return None, (f"error: {message}",)

    def used(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """The traveller's values of the fields the rule uses, as an explanation shows them."""
        return {f: _shown(values.get(f)) for f in self.fields}


def _shown(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value


_CONTEXT: Any = None


def _context() -> Any:
    global _CONTEXT
    if _CONTEXT is None:
        types = {name: _TYPES[f.kind] for name, f in FIELDS.items()}
        _CONTEXT = rule_engine.Context(
            type_resolver=rule_engine.type_resolver_from_dict(types), default_timezone="UTC"
        )
    return _CONTEXT


def _children(node: Any) -> Iterator[Any]:
    from rule_engine.ast import ExpressionBase, Statement

    names: set[str] = set()
    for cls in type(node).__mro__:
        slots = getattr(cls, "__slots__", ())
        names.update((slots,) if isinstance(slots, str) else slots)
    names.update(getattr(node, "__dict__", {}))
    for name in sorted(names - {"context", "result_type"}):
        value = getattr(node, name, None)
        for item in value if isinstance(value, list | tuple) else (value,):
            if isinstance(item, ExpressionBase | Statement):
                yield item


def _kind(data_type: Any) -> str:
    return _KIND_OF.get(getattr(data_type, "name", ""), str(getattr(data_type, "name", "?")))


def _check(node: Any, used: set[str]) -> None:
    """Refuse what the engine would accept but a screening rule may not do."""
    from rule_engine.ast import (
        ComparisonExpression,
        ContainsExpression,
        FuzzyComparisonExpression,
        SymbolExpression,
    )

    if isinstance(node, FuzzyComparisonExpression):
        raise InputError(
            "regular-expression matching (=~, =~~, !~, !~~) is not allowed in a screening "
            "rule: a pattern can take unbounded time on the data it meets; compare with ==, "
            "in, or a text's .starts_with / .ends_with"
        )
    if isinstance(node, SymbolExpression):
        if node.scope is not None:
            if node.name not in ALLOWED_BUILTINS:
                allowed = ", ".join(f"${b}" for b in ALLOWED_BUILTINS)
                raise InputError(
                    f"${node.name} is not allowed in a screening rule: a rule decides on the "
                    f"traveller's values alone, so its back-test shows what it will do "
                    f"(built-ins allowed: {allowed})"
                )
        elif node.name in FIELDS:
            used.add(node.name)
    if isinstance(node, ComparisonExpression) and node.type in ("eq", "ne"):
        left, right = node.left.result_type, node.right.result_type
        if not DataType.is_compatible(left, right):
            raise InputError(
                f"type error: {_describe(node.left)} ({_kind(left)}) is compared with "
                f"{_describe(node.right)} ({_kind(right)}); a field is compared with a value "
                "of its own type, and unknown values are never compared (the rule is not "
                "evaluated on a traveller whose field is unknown)"
            )
    if isinstance(node, ContainsExpression):
        container = node.container.result_type
        member = node.member.result_type
        inner = getattr(container, "value_type", None)
        if DataType.is_type(container, DataType.STRING):
            inner = DataType.STRING
        if inner is not None and not DataType.is_compatible(inner, member):
            raise InputError(
                f"type error: {_describe(node.member)} ({_kind(member)}) is looked for in "
                f"{_describe(node.container)}, which holds {_kind(inner)} values"
            )
    for child in _children(node):
        _check(child, used)


def _describe(node: Any) -> str:
    from rule_engine.ast import (
        ArrayExpression,
        LiteralExpressionBase,
        SetExpression,
        SymbolExpression,
    )

    if isinstance(node, SymbolExpression):
        return str(node.name)
    if isinstance(node, ArrayExpression | SetExpression):
        return "the list"
    if isinstance(node, LiteralExpressionBase) and node.value is None:
        return "null"
    if isinstance(node, LiteralExpressionBase) and not isinstance(node.value, tuple | list):
        return repr(node.value if not hasattr(node.value, "normalize") else float(node.value))
    return "an expression"


def _syntax_error(text: str, exc: Any) -> InputError:
    token = getattr(exc, "token", None)
    position = getattr(token, "lexpos", None)
    if isinstance(position, int):
        near = text[position : position + 20]
        return InputError(
            f"syntax error in the rule at character {position + 1}, near {near!r} "
            "(see 'threadline rules fields' and docs/rules.md for the language)"
        )
    return InputError(
        "syntax error in the rule: it ends before the expression is complete "
        "(an operator without its right side, an unclosed bracket or quote?)"
    )


def compile_expression(text: str) -> CompiledRule:
    """Compile a rule's expression against the fields; InputError says what is wrong."""
    expression = (text or "").strip()
    if not expression:
        raise InputError("the rule's expression is empty")
    if len(expression) > MAX_EXPRESSION:
        raise InputError(
            f"the rule's expression is {len(expression):,} characters; at most "
            f"{MAX_EXPRESSION:,} are allowed"
        )
    try:
        rule = rule_engine.Rule(expression, context=_context())
    except rule_engine.RuleSyntaxError as exc:
        raise _syntax_error(expression, exc) from None
    except rule_engine.SymbolResolutionError as exc:
        hint = f" (did you mean {exc.suggestion}?)" if getattr(exc, "suggestion", None) else ""
        raise InputError(
            f"unknown field {exc.symbol_name!r}{hint}; the fields are: {', '.join(FIELDS)}"
        ) from None
    except rule_engine.AttributeResolutionError as exc:
        hint = f" (did you mean .{exc.suggestion}?)" if getattr(exc, "suggestion", None) else ""
        raise InputError(f"unknown attribute .{exc.attribute_name}{hint}") from None
    except rule_engine.EngineError as exc:  # type errors found while compiling
        message = getattr(exc, "message", None) or str(exc)
        named = dict.fromkeys(w for w in _WORD.findall(expression) if w in FIELDS)
        types = ", ".join(f"{n} ({FIELDS[n].kind})" for n in named) or "none"
        raise InputError(
            f"type error in the rule ({message}): an operator meets a value of another type. "
            f'Numbers compare with numbers, texts with quoted texts, dates with d"YYYY-MM-DD", '
            f"yes/no fields stand alone or with and/or/not. The fields it names: {types}"
        ) from None
    used: set[str] = set()
    _check(rule.statement, used)
    result = rule.statement.expression.result_type
    if not DataType.is_type(result, DataType.BOOLEAN) and result != DataType.UNDEFINED:
        raise InputError(
            f"the rule must be a yes/no question about a traveller; this expression gives a "
            f"{_kind(result)} (compare it: e.g. age < 18)"
        )
    if not used:
        raise InputError(
            "the rule uses no traveller field, so it would flag every traveller or none "
            f"(fields: {', '.join(FIELDS)})"
        )
    ordered = tuple(name for name in FIELDS if name in used)
    return CompiledRule(expression, ordered, rule)


# ---------------------------------------------------------------- stored rules
@dataclass(frozen=True)
class RuleVersion:
    """One version of one rule, as stored."""

    id: int
    rule_id: int
    name: str
    agency: str
    country: str
    version: int
    expression: str
    action: str
    description: str
    fields: list[str]
    state: str
    created_by: str
    created_at: datetime
    backtest: dict[str, Any] | None
    backtested_at: datetime | None
    backtested_by: str | None
    activated_at: datetime | None
    activated_by: str | None
    retired_at: datetime | None
    retired_by: str | None
    retired_reason: str | None

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "state": self.state,
            "expression": self.expression,
            "action": self.action,
            "description": self.description,
            "fields": list(self.fields),
            "created_by": self.created_by,
            "created_at": self.created_at,
            "backtest": self.backtest,
            "backtested_at": self.backtested_at,
            "backtested_by": self.backtested_by,
            "activated_at": self.activated_at,
            "activated_by": self.activated_by,
            "retired_at": self.retired_at,
            "retired_by": self.retired_by,
            "retired_reason": self.retired_reason,
        }


def _joined() -> Any:
    return select(
        t_version,
        t_rule.c.name,
        t_rule.c.agency,
        t_rule.c.country,
    ).join(t_rule, t_rule.c.id == t_version.c.rule_id)


def _row_version(row: Any) -> RuleVersion:
    return RuleVersion(
        row.id, row.rule_id, row.name, row.agency, row.country, row.version, row.expression,
        row.action, row.description, list(row.fields or []), row.state, row.created_by,
        row.created_at, row.backtest, row.backtested_at, row.backtested_by, row.activated_at,
        row.activated_by, row.retired_at, row.retired_by, row.retired_reason,
    )  # fmt: skip


def _mine(actor: Actor) -> Any:
    return (t_rule.c.agency == actor.agency) & (t_rule.c.country == actor.country)


def may_write_rules(actor: Actor) -> bool:
    """Whether the actor writes, back-tests, activates and retires the agency's rules (the
    pages show their forms by it; the service functions refuse everyone else)."""
    return actor.system or any(actor.has(role) for role in AUTHOR_ROLES)


def may_read_rules(actor: Actor) -> bool:
    """Whether the actor reads the agency's rules."""
    return actor.system or any(actor.has(role) for role in READER_ROLES | AUTHOR_ROLES)


def _require_author(actor: Actor, what: str) -> None:
    if may_write_rules(actor):
        return
    raise AccessDenied(
        f"screening rules are {what} by analysts and operation coordinators of their agency"
    )


def _require_reader(actor: Actor) -> None:
    if may_read_rules(actor):
        return
    raise AccessDenied(
        "screening rules are read by analysts, border officers, operation coordinators and "
        "victim liaison officers of their agency"
    )


def _clean_name(name: str) -> str:
    text = (name or "").strip().lower()
    if text in RESERVED_NAMES:
        raise InputError(f"rule name {name!r} is reserved; choose another name")
    if not NAME.fullmatch(text):
        raise InputError(
            f"rule name {name!r}: 2 to 64 characters, lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit"
        )
    return text


def _versions(conn: Connection, actor: Actor, name: str) -> list[RuleVersion]:
    """Every version of the agency's rule, oldest first (NotFound for another agency's)."""
    rows = conn.execute(
        _joined().where(_mine(actor), t_rule.c.name == name).order_by(t_version.c.version)
    )
    found = [_row_version(r) for r in rows]
    if not found:
        raise NotFound(f"no screening rule {name!r} for your agency (see 'threadline rules list')")
    return found


def _pick(versions: Sequence[RuleVersion], version: int | None) -> RuleVersion:
    if version is None:
        return versions[-1]
    for item in versions:
        if item.version == version:
            return item
    have = ", ".join(str(v.version) for v in versions)
    raise NotFound(f"rule {versions[0].name!r} has no version {version} (versions: {have})")


def _audit(
    conn: Connection, actor: Actor, action: str, item: RuleVersion, component: str, **detail: Any
) -> None:
    record(
        conn, actor, action, component=component, target_type="screening_rule",
        target_id=item.label, result_count=1,
        detail={"state": item.state, "action": item.action, **detail},
    )  # fmt: skip


def create_rule(
    conn: Connection,
    actor: Actor,
    name: str,
    expression: str,
    action: str,
    description: str,
    *,
    component: str = "cli",
) -> dict[str, Any]:
    """Write a rule of the actor's agency: a new rule, or a new version of the rule with
    this name (a draft; the active version stays active until this one is activated)."""
    _require_author(actor, "written")
    name = _clean_name(name)
    chosen = (action or "").strip().lower()
    if chosen not in ACTIONS:
        raise InputError(f"unknown action {action!r}: referral or review")
    why = (description or "").strip()
    if not why:
        raise InputError("a rule needs a description: why the travellers it flags may need help")
    if len(why) > MAX_DESCRIPTION:
        raise InputError(f"the description is at most {MAX_DESCRIPTION:,} characters")
    for label, text in (("name", name), ("description", why)):
        if SUSPECT_WORDS.search(text):
            raise InputError(
                f"the rule's {label} calls travellers suspects: a rule flags travellers who may "
                "need protection (a safeguarding referral or review), never suspicion of them"
            )
    compiled = compile_expression(expression)
    try:
        number = _insert_version(conn, actor, name, compiled, chosen, why)
    except IntegrityError:  # the same name or version written by someone else meanwhile
        raise InputError(
            f"rule {name!r} was written by someone else at the same moment; run the command "
            "again (it becomes the next version)"
        ) from None
    item = _pick(_versions(conn, actor, name), number)
    _audit(conn, actor, "rule.create", item, component, fields=list(compiled.fields))
    return item.to_dict()


def _insert_version(
    conn: Connection, actor: Actor, name: str, compiled: CompiledRule, action: str, why: str
) -> int:
    """Store a new version of the agency's rule (the rule too, when it is new): its number."""
    now = datetime.now(UTC)
    rule_id = conn.execute(
        select(t_rule.c.id).where(_mine(actor), t_rule.c.name == name)
    ).scalar_one_or_none()
    if rule_id is None:
        inserted = conn.execute(
            t_rule.insert().values(
                agency=actor.agency, country=actor.country, name=name,
                created_by=actor.user[:100], created_at=now,
            )
        ).inserted_primary_key  # fmt: skip
        assert inserted is not None
        rule_id = int(inserted[0])
        number = 1
    else:
        latest = conn.execute(
            select(t_version)
            .where(t_version.c.rule_id == rule_id)
            .order_by(t_version.c.version.desc())
            .limit(1)
        ).first()
        assert latest is not None
        if (latest.expression, latest.action, latest.description) == (
            compiled.expression, action, why
        ):  # fmt: skip
            raise InputError(
                f"rule {name!r} version {latest.version} already says exactly this; nothing to add"
            )
        number = int(latest.version) + 1
    conn.execute(
        t_version.insert().values(
            rule_id=rule_id, version=number, expression=compiled.expression, action=action,
            description=why, fields=list(compiled.fields), state=DRAFT,
            created_by=actor.user[:100], created_at=now,
        )
    )  # fmt: skip
    return number


def list_rules(
    conn: Connection, actor: Actor, *, state: str | None = None, component: str = "cli"
) -> list[dict[str, Any]]:
    """The agency's rules, by name: each with its newest version, its active version (if
    any) and how many versions it has. ``state`` keeps the rules with a version in it."""
    _require_reader(actor)
    if state is not None and state not in STATES:
        raise InputError(f"unknown rule state {state!r} (one of {', '.join(STATES)})")
    rows = conn.execute(_joined().where(_mine(actor)).order_by(t_rule.c.name, t_version.c.version))
    by_name: dict[str, list[RuleVersion]] = defaultdict(list)
    for row in rows:
        by_name[row.name].append(_row_version(row))
    out = []
    for name, versions in by_name.items():
        if state is not None and not any(v.state == state for v in versions):
            continue
        active = next((v for v in versions if v.state == ACTIVE), None)
        latest = versions[-1]
        out.append(
            {
                "name": name,
                "versions": len(versions),
                "latest": _summary(latest),
                "active": _summary(active) if active else None,
            }
        )
    record(
        conn, actor, "rule.list", component=component, target_type="screening_rule",
        result_count=len(out), detail={"state": state},
    )  # fmt: skip
    return out


def _summary(item: RuleVersion) -> dict[str, Any]:
    flagged = None if item.backtest is None else item.backtest.get("flagged")
    return {
        "version": item.version,
        "state": item.state,
        "action": item.action,
        "expression": item.expression,
        "description": item.description,
        "backtested": item.backtest is not None,
        "backtest_flagged": flagged,
    }


def _shown_backtest(backtest: dict[str, Any] | None, shield: VictimShield) -> Any:
    """A stored back-test as this actor may see it: a recorded victim's example by pseudonym
    (without ids or values) when the actor may not see who they are."""
    if backtest is None:
        return None
    examples = []
    for example in backtest.get("examples", []):
        traveller = example.get("traveller_id")
        shown = dict(example)
        protected = shield.about(traveller)
        if protected is not None:
            shown["protected"] = protected
        if shield.hides(traveller):
            shown = {
                "traveller": protected["pseudonym"] if protected else None,
                "manifest": example.get("manifest"),
                "protected": protected,
                "withheld": WITHHELD,
            }
        examples.append(shown)
    return {**backtest, "examples": examples}


def show_rule(
    conn: Connection,
    actor: Actor,
    name: str,
    *,
    version: int | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """A rule of the actor's agency with every version (newest first) and their back-tests
    (examples through the victim shield); ``version`` shows that version only."""
    _require_reader(actor)
    require_purpose(actor)  # back-test examples are travellers
    versions = _versions(conn, actor, _clean_name(name))
    chosen = [_pick(versions, version)] if version is not None else list(reversed(versions))
    ids = [e.get("traveller_id") for v in chosen for e in (v.backtest or {}).get("examples", [])]
    shield = victim_shield(conn, actor, ids)
    shown = []
    for item in chosen:
        data = item.to_dict()
        data["backtest"] = _shown_backtest(item.backtest, shield)
        shown.append(data)
    record(
        conn, actor, "rule.show", component=component, target_type="screening_rule",
        target_id=versions[0].name, result_count=len(shown),
        detail={"version": version, "pseudonymised": shield.hidden_count},
    )  # fmt: skip
    active = next((v.version for v in versions if v.state == ACTIVE), None)
    return {"name": versions[0].name, "active_version": active, "versions": shown}


def backtest_rule(
    conn: Connection,
    actor: Actor,
    name: str,
    *,
    version: int | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """Back-test a version (default: the newest) of the agency's rule on every manifest the
    agency screened in the retention period: manifests, travellers, how many the rule could
    be evaluated on, how many it would have flagged, the unknown fields that kept it from
    the others, and a few flagged travellers. Stored on the version (activation needs it)."""
    from threadline.governance.access import Access
    from threadline.screening.archive import purge_manifests
    from threadline.screening.manifest import risky_contacts

    _require_author(actor, "tested")
    require_purpose(actor)
    item = _pick(_versions(conn, actor, _clean_name(name)), version)
    if item.state == RETIRED:
        raise InputError(
            f"rule {item.name!r} version {item.version} is retired; write a new version to "
            "test it again"
        )
    compiled = compile_expression(item.expression)
    now = datetime.now(UTC)
    purge_manifests(conn, now=now)
    archived = recent_manifests(conn, actor.agency, actor.country, now=now)
    risky = risky_contacts(Access(conn, actor))
    travellers = evaluated = flagged = errors = 0
    first_error: str | None = None
    unknown: dict[str, int] = defaultdict(int)
    examples: list[dict[str, Any]] = []
    for manifest in archived:
        records = manifest.records()
        for record_, values in zip(records, rule_values(records, risky), strict=True):
            travellers += 1
            decided, missing = compiled.decide(values)
            if decided is None:
                failed = [m.removeprefix("error: ") for m in missing if m.startswith("error: ")]
                if failed:
                    errors += 1
                    first_error = first_error or failed[0]
                for name_ in missing:
                    if not name_.startswith("error: "):
                        unknown[name_] += 1
                continue
            evaluated += 1
            if decided:
                flagged += 1
                if len(examples) < EXAMPLES:
                    examples.append(
                        {
                            "traveller_id": traveller_id(record_),
                            "record_id": record_.record_id,
                            "manifest": manifest.file_name,
                            "flight": record_.flight,
                            "departure": record_.departure_time[:10],
                            "fields": compiled.used(values),
                        }
                    )
    result = {
        "version": item.version,
        "expression": item.expression,
        "manifests": len(archived),
        "travellers": travellers,
        "evaluated": evaluated,
        "flagged": flagged,
        "not_evaluated": travellers - evaluated,
        "unknown_fields": dict(sorted(unknown.items())),
        "errors": errors,
        "first_error": first_error,
        "examples": examples,
        "first_received": archived[0].received_at.isoformat() if archived else None,
        "last_received": archived[-1].received_at.isoformat() if archived else None,
        "retention_days": retention_days(),
        "tested_at": now.isoformat(),
        "tested_by": actor.user,
    }
    conn.execute(
        update(t_version)
        .where(t_version.c.id == item.id)
        .values(backtest=result, backtested_at=now, backtested_by=actor.user[:100])
    )
    shield = victim_shield(conn, actor, [e["traveller_id"] for e in examples])
    _audit(
        conn, actor, "rule.test", item, component, manifests=len(archived),
        travellers=travellers, flagged=flagged, pseudonymised=shield.hidden_count,
    )  # fmt: skip
    shown: dict[str, Any] = _shown_backtest(result, shield)
    return {"name": item.name, **shown}


def activate_rule(
    conn: Connection,
    actor: Actor,
    name: str,
    *,
    version: int | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """Switch on a version (default: the newest) of the agency's rule: it needs a back-test
    of that version; the version active before it is retired."""
    _require_author(actor, "activated")
    versions = _versions(conn, actor, _clean_name(name))
    item = _pick(versions, version)
    if item.state == ACTIVE:
        raise InputError(f"rule {item.name!r} version {item.version} is already active")
    if item.state == RETIRED:
        raise InputError(
            f"rule {item.name!r} version {item.version} is retired; write a new version "
            "('threadline rules create') to use it again"
        )
    if item.backtest is None:
        raise InputError(
            f"rule {item.name!r} version {item.version} has not been back-tested: run "
            f"'threadline rules test {item.name} --version {item.version}' first, to see how "
            "many travellers it would have flagged"
        )
    compile_expression(item.expression)  # still valid against today's fields
    now = datetime.now(UTC)
    # What is active now, not what was read above: another activation may have committed
    # since. The database keeps one active version per rule; a second activation racing
    # this one is refused by it rather than leaving two versions switched on.
    rule_id = conn.execute(
        select(t_version.c.rule_id).where(t_version.c.id == item.id)
    ).scalar_one()
    try:
        with conn.begin_nested():
            conn.execute(
                update(t_version)
                .where(t_version.c.rule_id == rule_id, t_version.c.state == ACTIVE,
                       t_version.c.id != item.id)
                .values(
                    state=RETIRED, retired_at=now, retired_by=actor.user[:100],
                    retired_reason=f"replaced by version {item.version}",
                )
            )  # fmt: skip
            switched = conn.execute(
                update(t_version)
                .where(t_version.c.id == item.id, t_version.c.state == DRAFT)
                .values(state=ACTIVE, activated_at=now, activated_by=actor.user[:100])
            ).rowcount
    except IntegrityError:
        switched = 0
    if switched != 1:
        raise InputError(
            f"rule {item.name!r}: another version was activated at the same time; look at "
            f"'threadline rules show {item.name}' and activate again if version "
            f"{item.version} should replace it"
        )
    done = _pick(_versions(conn, actor, item.name), item.version)
    _audit(conn, actor, "rule.activate", done, component,
           backtest_flagged=item.backtest.get("flagged"))  # fmt: skip
    return done.to_dict()


def retire_rule(
    conn: Connection,
    actor: Actor,
    name: str,
    *,
    version: int | None = None,
    reason: str | None = None,
    component: str = "cli",
) -> dict[str, Any]:
    """Retire a version of the agency's rule (default: the active one): it raises nothing
    more. A draft can be retired too (withdrawn)."""
    _require_author(actor, "retired")
    versions = _versions(conn, actor, _clean_name(name))
    if version is None:
        active = [v for v in versions if v.state == ACTIVE]
        if not active:
            raise InputError(
                f"rule {versions[0].name!r} has no active version; name the version to "
                "withdraw a draft (--version N)"
            )
        item = active[0]
    else:
        item = _pick(versions, version)
    if item.state == RETIRED:
        raise InputError(f"rule {item.name!r} version {item.version} is already retired")
    text = (reason or "").strip()
    if len(text) > MAX_REASON:
        raise InputError(f"the reason is at most {MAX_REASON:,} characters")
    conn.execute(
        update(t_version)
        .where(t_version.c.id == item.id)
        .values(
            state=RETIRED, retired_at=datetime.now(UTC), retired_by=actor.user[:100],
            retired_reason=text or None,
        )
    )  # fmt: skip
    done = _pick(_versions(conn, actor, item.name), item.version)
    _audit(conn, actor, "rule.retire", done, component, reason_length=len(text))
    return done.to_dict()


# ---------------------------------------------------------------- screening with rules
@dataclass(frozen=True)
class ActiveRule:
    name: str
    version: int
    action: str
    description: str
    compiled: CompiledRule


@dataclass(frozen=True)
class ActiveRules:
    """The rules an agency has switched on, and those that could not be compiled (with
    the reason: a field a newer Threadline no longer offers)."""

    rules: list[ActiveRule] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)


def active_rules(conn: Connection, agency: str, country: str) -> ActiveRules:
    """The active rule versions of one agency, compiled."""
    rows = conn.execute(
        _joined()
        .where(t_rule.c.agency == agency, t_rule.c.country == country, t_version.c.state == ACTIVE)
        .order_by(t_rule.c.name)
    )
    out = ActiveRules()
    for row in rows:
        item = _row_version(row)
        try:
            compiled = compile_expression(item.expression)
        except InputError as exc:
            out.skipped.append({"indicator": f"rule {item.label}", "reason": f"not applied: {exc}"})
            continue
        out.rules.append(ActiveRule(item.name, item.version, item.action, item.description,
                                    compiled))  # fmt: skip
    return out


@dataclass(frozen=True)
class RuleFlag:
    """A traveller an active rule matched, with the values that made it true."""

    record: TravelRecord
    name: str
    version: int
    action: str
    expression: str
    description: str
    values: dict[str, Any]

    @property
    def traveller_id(self) -> str:
        return traveller_id(self.record)

    @property
    def message(self) -> str:
        head = (
            "consider a safeguarding referral"
            if self.action == REFERRAL
            else "review this traveller's circumstances for safeguarding"
        )
        return (
            f"{head}: analyst rule '{self.name}' (version {self.version}) matched: "
            f"{self.description} (a reason to offer protection, not suspicion of the traveller)"
        )

    def explanation(self) -> list[dict[str, Any]]:
        return [
            {
                "feature": f"rule {self.name} v{self.version}",
                "rule": self.name,
                "version": self.version,
                "action": self.action,
                "expression": self.expression,
                "fields": dict(self.values),
                "description": self.description,
            }
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.name,
            "version": self.version,
            "action": self.action,
            "record_id": self.record.record_id,
            "traveller_id": self.traveller_id,
            "expression": self.expression,
            "fields": dict(self.values),
            "message": self.message,
        }


def apply_rules(
    active: Iterable[ActiveRule], records: Sequence[TravelRecord], risky: Mapping[str, Any]
) -> list[RuleFlag]:
    """Every (traveller, rule) the active rules match on these records."""
    rules = list(active)
    if not rules or not records:
        return []
    flags = []
    for item, values in zip(records, rule_values(records, risky), strict=True):
        for rule in rules:
            decided, _ = rule.compiled.decide(values)
            if decided:
                flags.append(
                    RuleFlag(item, rule.name, rule.version, rule.action, rule.compiled.expression,
                             rule.description, rule.compiled.used(values))
                )  # fmt: skip
    return flags


def rule_candidates(actor: Actor, run_id: int, flags: Iterable[RuleFlag]) -> Iterator[Candidate]:
    """The alerts the flags raise for the screening agency: one per traveller and rule
    (keyed so, so screening the same manifest again raises nothing new; a new version that
    matches again updates the alert and says what changed)."""
    for flag in flags:
        traveller = flag.traveller_id
        yield Candidate(
            agency=actor.agency, country=actor.country, kind="rule",
            key=f"{traveller}|rule:{flag.name}", subject_id=traveller, related_id=None,
            score=None, decision=flag.action, explanation=flag.explanation(),
            detail={
                "message": flag.message, "caption": flag.record.full_name,
                "record_id": flag.record.record_id, "run": run_id, "rule": flag.name,
                "version": flag.version,
            },
        )  # fmt: skip


def present_flag(flag: RuleFlag, shield: VictimShield) -> dict[str, Any]:
    """A flag as the actor may see it: a hidden victim by pseudonym, without ids or values."""
    data = flag.to_dict()
    protected = shield.about(flag.traveller_id)
    if protected is not None:
        data["protected"] = protected
    if shield.hides(flag.traveller_id):
        data.update(
            record_id=None, traveller_id=None, fields={"withheld": WITHHELD},
            traveller=protected["pseudonym"] if protected else None,
        )  # fmt: skip
    return data
