"""Analysts' screening rules: a safe language, versions, back-tests, alerts on screening.

The hand-made manifest (tests/fixtures/border/manifest.csv, nine readable travellers on
2025-03-01) has three minors: R002 (9, with her mother R001), R003 (14, alone) and R005
(15, with an unrelated adult); only R008 carries a document issue date (9 days before).
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from threadline.alerts import list_alerts
from threadline.exc import InputError, NotFound
from threadline.governance import AccessDenied, Actor, Purpose, Role
from threadline.ingest.readers.manifests import traveller_id
from threadline.screening import rules
from threadline.screening.archive import (
    keep_manifest,
    purge_manifests,
    recent_manifests,
    travel_records,
)
from threadline.screening.manifest import screen_manifest
from threadline.settings import configure
from threadline.store import Store

BORDER = Path(__file__).parent.parent / "fixtures" / "border"
MANIFEST = BORDER / "manifest.csv"

ANALYST = Actor(
    user="analyst1",
    agency="test-unit",
    country="SE",
    roles=frozenset({Role.ANALYST}),
    purpose=Purpose.BORDER_CHECK,
)
COORDINATOR = replace(ANALYST, user="coord1", roles=frozenset({Role.OPERATION_COORDINATOR}))
OTHER = Actor(
    user="analyst9",
    agency="other-police",
    country="DE",
    roles=frozenset({Role.ANALYST}),
    purpose=Purpose.BORDER_CHECK,
)
MINOR_RULE = "minor and booking_adults == 0"  # R003 only: 14 and alone on the booking


def _create(store: Store, actor: Actor, name: str, expression: str, action: str = "referral"):
    with store.begin() as conn:
        return rules.create_rule(
            conn, actor, name, expression, action, "a child travelling without any adult"
        )


def _test(store: Store, actor: Actor, name: str, version: int | None = None):
    with store.begin() as conn:
        return rules.backtest_rule(conn, actor, name, version=version)


def _activate(store: Store, actor: Actor, name: str, version: int | None = None):
    with store.begin() as conn:
        return rules.activate_rule(conn, actor, name, version=version)


def _rule_alerts(store: Store, actor: Actor) -> list[dict[str, object]]:
    with store.begin() as conn:
        items, _, _ = list_alerts(conn, actor, kind="rule")
    return items


def _copy(tmp_path: Path, flight: str) -> Path:
    """The hand-made manifest as another flight (other content, other travellers)."""
    target = tmp_path / f"manifest-{flight}.csv"
    target.write_text(MANIFEST.read_text(encoding="utf-8").replace("ZZ100", flight))
    return target


# ---------------------------------------------------------------- the language
@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("agee < 18", "unknown field 'agee' (did you mean age?)"),
        ("surname == 'SMITH'", "unknown field 'surname'"),
        ('__import__("os").system("id")', "unknown field '__import__'"),
        ('age == "14"', "type error: age (number) is compared with '14' (text)"),
        ("age < 'x'", "The fields it names: age (number)"),
        ("age == null", "compared with null"),
        ('age in ["a", "b"]', "age (number) is looked for in the list, which holds text"),
        ('nationality =~ "(a+)+$"', "regular-expression matching"),
        ("departure_date < $now", "$now is not allowed"),
        ("$range(1000000000) == [] and minor", "$range is not allowed"),
        ("age < 18 and", "syntax error in the rule: it ends before"),
        ("age < < 18", "syntax error in the rule at character 7, near '< 18'"),
        ("age + 1", "must be a yes/no question"),
        ("1 < 2", "uses no traveller field"),
        ("nationality.foo == 'x'", "unknown attribute .foo"),
        ("", "expression is empty"),
        ("minor or " * 200 + "minor", "at most 1,000 are allowed"),
    ],
)
def test_unsafe_or_invalid_expressions_are_refused_with_the_reason(
    expression: str, reason: str
) -> None:
    with pytest.raises(InputError) as refused:
        rules.compile_expression(expression)
    assert reason in str(refused.value)


def test_a_valid_expression_names_the_fields_it_uses() -> None:
    compiled = rules.compile_expression(
        'minor and one_way and contact_in_high_risk_ads and nationality in ["NG", "GH"]'
    )
    assert compiled.fields == ("minor", "nationality", "one_way", "contact_in_high_risk_ads")
    assert set(rules.FIELDS) == {f["name"] for f in rules.rule_fields()}


def test_values_of_the_hand_made_manifest() -> None:
    records = travel_records(MANIFEST.name, MANIFEST.read_bytes())
    values = {r.record_id: v for r, v in zip(records, rules.rule_values(records, {}), strict=True)}
    assert len(values) == 9
    assert values["R003"]["age"] == 14 and values["R003"]["minor"] is True
    assert values["R003"]["booking_size"] == 1 and values["R003"]["booking_adults"] == 0
    assert values["R005"]["minor_without_guardian"] is True
    assert values["R001"]["third_party_group"] is False  # a family booked by its mother
    assert values["R002"]["minor_without_guardian"] is False  # with her mother
    assert values["R001"]["booking_minors"] == 1 and values["R001"]["booking_surnames"] == 1
    assert values["R006"]["contact_travellers"] == 3 and values["R006"]["contact_bookings"] == 3
    assert values["R008"]["document_issued_days"] == 9
    assert values["R001"]["document_issued_days"] is None  # unknown, not 0
    assert values["R001"]["nationality"] == "FR" and values["R001"]["origin_country"] == "RU"
    assert values["R001"]["one_way"] is True
    risky = {"+447700900123": {"persona_id": "P-1"}}
    flagged = rules.rule_values(records, risky)
    assert [r.record_id for r, v in zip(records, flagged, strict=True)
            if v["contact_in_high_risk_ads"]] == ["R006", "R007", "R008"]  # fmt: skip


# ---------------------------------------------------------------- writing rules
def test_only_analysts_and_coordinators_write_rules(store: Store) -> None:
    officer = replace(ANALYST, user="officer1", roles=frozenset({Role.BORDER_OFFICER}))
    with pytest.raises(AccessDenied, match="analysts and operation coordinators"):
        _create(store, officer, "alone", MINOR_RULE)
    _create(store, COORDINATOR, "alone", MINOR_RULE)
    with store.begin() as conn:
        (listed,) = rules.list_rules(conn, officer)  # border officers read them
    assert listed["name"] == "alone" and listed["latest"]["state"] == "draft"


def test_names_descriptions_and_actions_are_checked(store: Store) -> None:
    with pytest.raises(InputError, match="rule name 'Bad Name!'"):
        _create(store, ANALYST, "Bad Name!", MINOR_RULE)
    with pytest.raises(InputError, match="unknown action 'arrest': referral or review"):
        _create(store, ANALYST, "alone", MINOR_RULE, action="arrest")
    with store.begin() as conn, pytest.raises(InputError, match="never suspicion of them"):
        rules.create_rule(conn, ANALYST, "alone", MINOR_RULE, "review", "a suspected mule")


def test_editing_adds_a_version_and_keeps_the_old_ones(store: Store) -> None:
    first = _create(store, ANALYST, "alone", MINOR_RULE)
    second = _create(store, ANALYST, "alone", "minor and booking_size == 1", "review")
    assert (first["version"], second["version"]) == (1, 2)
    with pytest.raises(InputError, match="already says exactly this"):
        _create(store, ANALYST, "alone", "minor and booking_size == 1", "review")
    with store.begin() as conn:
        shown = rules.show_rule(conn, ANALYST, "alone")
    assert [v["version"] for v in shown["versions"]] == [2, 1]
    assert [v["expression"] for v in shown["versions"]] == ["minor and booking_size == 1",
                                                             MINOR_RULE]  # fmt: skip


# ---------------------------------------------------------------- back-tests and activation
def test_backtest_counts_on_known_manifests(store: Store, tmp_path: Path) -> None:
    screen_manifest(store, ANALYST, MANIFEST)
    screen_manifest(store, ANALYST, MANIFEST)  # the same content again: one manifest
    screen_manifest(store, ANALYST, _copy(tmp_path, "ZZ200"))
    _create(store, ANALYST, "minors", "minor")
    result = _test(store, ANALYST, "minors")
    assert {k: result[k] for k in ("manifests", "travellers", "evaluated", "flagged")} == {
        "manifests": 2, "travellers": 18, "evaluated": 18, "flagged": 6,
    }  # fmt: skip
    assert sorted({e["record_id"] for e in result["examples"]}) == ["R002", "R003", "R005"]
    assert len(result["examples"]) == rules.EXAMPLES
    assert result["examples"][0]["fields"] == {"minor": True}

    _create(store, ANALYST, "new-document", "document_issued_days < 30")
    result = _test(store, ANALYST, "new-document")
    assert (result["evaluated"], result["flagged"], result["not_evaluated"]) == (2, 2, 16)
    assert result["unknown_fields"] == {"document_issued_days": 16}


def test_activation_needs_a_backtest_of_that_version(store: Store) -> None:
    _create(store, ANALYST, "alone", MINOR_RULE)
    with pytest.raises(InputError, match="has not been back-tested: run 'threadline rules test"):
        _activate(store, ANALYST, "alone")
    _test(store, ANALYST, "alone")
    _create(store, ANALYST, "alone", "minor and booking_size == 1")
    with pytest.raises(InputError, match="version 2 has not been back-tested"):
        _activate(store, ANALYST, "alone")
    assert _activate(store, ANALYST, "alone", version=1)["state"] == "active"
    _test(store, ANALYST, "alone", version=2)
    assert _activate(store, COORDINATOR, "alone", version=2)["state"] == "active"
    with store.begin() as conn:
        versions = {v["version"]: v for v in rules.show_rule(conn, ANALYST, "alone")["versions"]}
    assert versions[1]["state"] == "retired"
    assert versions[1]["retired_reason"] == "replaced by version 2"
    with pytest.raises(InputError, match="is retired; write a new version"):
        _activate(store, ANALYST, "alone", version=1)


def test_another_agency_cannot_see_or_use_your_rules(store: Store) -> None:
    screen_manifest(store, ANALYST, MANIFEST)
    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    _activate(store, ANALYST, "alone")
    with store.begin() as conn:
        assert rules.list_rules(conn, OTHER) == []
        for call in (rules.show_rule, rules.backtest_rule, rules.activate_rule,
                     rules.retire_rule):  # fmt: skip
            with pytest.raises(NotFound, match="no screening rule 'alone' for your agency"):
                call(conn, OTHER, "alone")
    # Its own rule of the same name back-tests on its own archive (empty), not on yours.
    _create(store, OTHER, "alone", MINOR_RULE)
    assert _test(store, OTHER, "alone")["manifests"] == 0
    with store.connect() as conn:
        assert recent_manifests(conn, "other-police", "DE") == []
        assert len(recent_manifests(conn, "test-unit", "SE")) == 1
    # Screening by the other agency does not apply your active rule.
    result = screen_manifest(store, OTHER, MANIFEST)
    assert result.rule_flags == [] and _rule_alerts(store, OTHER) == []


# ---------------------------------------------------------------- rules on screening
def test_an_active_rule_raises_an_explained_safeguarding_alert(store: Store) -> None:
    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    _activate(store, ANALYST, "alone")
    result = screen_manifest(store, ANALYST, MANIFEST)
    (flag,) = result.to_dict()["rule_flags"]
    assert (flag["rule"], flag["version"], flag["record_id"]) == ("alone", 1, "R003")
    assert flag["fields"] == {"minor": True, "booking_adults": 0}
    row = next(r for r in result.results if r["record_id"] == "R003")
    assert row["rules"] == [flag["message"]]
    assert result.to_dict()["travellers_flagged_by_rules"] == 1

    (alert,) = _rule_alerts(store, ANALYST)
    assert alert["decision"] == "referral" and alert["state"] == "new"
    (step,) = alert["explanation"]
    assert step["rule"] == "alone" and step["version"] == 1
    assert step["expression"] == MINOR_RULE
    assert step["fields"] == {"minor": True, "booking_adults": 0}
    message = alert["detail"]["message"]
    assert message.startswith("consider a safeguarding referral: analyst rule 'alone'")
    assert "not suspicion of the traveller" in message and "suspect" not in message
    records = travel_records(MANIFEST.name, MANIFEST.read_bytes())
    r003 = next(r for r in records if r.record_id == "R003")
    assert alert["subject_id"] == traveller_id(r003)


def test_a_review_rule_raises_a_review(store: Store) -> None:
    _create(store, ANALYST, "shared-contact", "contact_travellers >= 3", action="review")
    _test(store, ANALYST, "shared-contact")
    _activate(store, ANALYST, "shared-contact")
    screen_manifest(store, ANALYST, MANIFEST)
    alerts = _rule_alerts(store, ANALYST)
    assert len(alerts) == 3 and {a["decision"] for a in alerts} == {"review"}
    assert all(
        str(a["detail"]["message"]).startswith("review this traveller's circumstances")  # type: ignore[index]
        for a in alerts
    )


def test_screening_the_same_manifest_again_raises_no_duplicate(store: Store) -> None:
    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    _activate(store, ANALYST, "alone")
    screen_manifest(store, ANALYST, MANIFEST)
    again = screen_manifest(store, ANALYST, MANIFEST)
    assert len(again.rule_flags) == 1
    assert len(_rule_alerts(store, ANALYST)) == 1
    with store.connect() as conn:
        assert len(recent_manifests(conn, "test-unit", "SE")) == 1


def test_retired_rules_raise_nothing(store: Store, tmp_path: Path) -> None:
    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    _activate(store, ANALYST, "alone")
    with store.begin() as conn:
        retired = rules.retire_rule(conn, COORDINATOR, "alone", reason="covered by indicators")
    assert retired["state"] == "retired" and retired["retired_by"] == "coord1"
    result = screen_manifest(store, ANALYST, _copy(tmp_path, "ZZ300"))
    assert result.rule_flags == [] and _rule_alerts(store, ANALYST) == []
    with store.begin() as conn, pytest.raises(InputError, match="has no active version"):
        rules.retire_rule(conn, ANALYST, "alone")


def test_a_draft_raises_nothing(store: Store) -> None:
    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    assert screen_manifest(store, ANALYST, MANIFEST).rule_flags == []


def test_every_step_is_audited(store: Store) -> None:
    from threadline.governance.audit import iter_events

    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    _activate(store, ANALYST, "alone")
    with store.begin() as conn:
        rules.retire_rule(conn, ANALYST, "alone")
    with store.connect() as conn:
        actions = [e.action for e in iter_events(conn) if e.action.startswith("rule.")]
    assert actions == ["rule.create", "rule.test", "rule.activate", "rule.retire"]


# ---------------------------------------------------------------- the victim shield
def test_a_hidden_victim_is_shown_by_pseudonym_in_examples_and_flags() -> None:
    from threadline.governance.protection import Protection, ProtectionIndex
    from threadline.governance.shield import VictimShield

    records = travel_records(MANIFEST.name, MANIFEST.read_bytes())
    r003 = next(r for r in records if r.record_id == "R003")
    traveller = frozenset({traveller_id(r003)})
    hidden = Protection(
        victim_id=1, pseudonym="V-0003", owner_agency="test-unit", owner_country="SE",
        non_punishment=True, compelled_offences=(), entities=traveller, people=traveller,
    )  # fmt: skip
    shield = VictimShield(ANALYST, ProtectionIndex([hidden], dict.fromkeys(traveller, hidden)))
    example = {"traveller_id": traveller_id(r003), "record_id": "R003", "manifest": "m.csv",
               "flight": "ZZ100", "departure": "2025-03-01", "fields": {"age": 14}}  # fmt: skip
    shown = rules._shown_backtest({"flagged": 1, "examples": [example]}, shield)
    (item,) = shown["examples"]
    assert item["traveller"] == "V-0003" and "record_id" not in item and "fields" not in item
    assert item["protected"]["label"] == "protected person (possible victim)"
    flag = rules.RuleFlag(r003, "alone", 1, "referral", MINOR_RULE, "why", {"age": 14})
    presented = rules.present_flag(flag, shield)
    assert presented["traveller"] == "V-0003" and presented["record_id"] is None
    assert presented["fields"] == {"withheld": "withheld: protected person"}


# ---------------------------------------------------------------- the archive
def test_archive_purge_respects_the_retention_period(store: Store) -> None:
    configure(manifest_retention_days=30)
    content = MANIFEST.read_bytes()
    now = datetime.now(UTC)
    with store.begin() as conn:
        for days, name in ((40, "old.csv"), (10, "recent.csv")):
            keep_manifest(
                conn, ANALYST, file_name=name, content=content + name.encode(), travellers=9,
                now=now - timedelta(days=days),
            )  # fmt: skip
    with store.connect() as conn:
        # Read, the old one is already past: recent_manifests never returns it.
        assert [m.file_name for m in recent_manifests(conn, "test-unit", "SE")] == ["recent.csv"]
        since = recent_manifests(conn, "test-unit", "SE", now - timedelta(days=5))
        assert since == []
    with store.begin() as conn:
        assert purge_manifests(conn) == 1
    with store.connect() as conn:
        (kept,) = recent_manifests(conn, "test-unit", "SE")
    assert kept.travellers == 9 and len(kept.records()) == 9
    assert kept.agency == "test-unit" and len(kept.sha256) == 64

    configure(manifest_retention_days=0)  # keep none: nothing kept, everything purged
    with store.begin() as conn:
        assert keep_manifest(conn, ANALYST, file_name="m.csv", content=content,
                             travellers=9) is None  # fmt: skip
    with store.connect() as conn:
        assert recent_manifests(conn, "test-unit", "SE") == []


def test_a_screened_paxlst_is_archived_and_read_again(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "flight.edi"
    shutil.copy(BORDER / "manifest.edi", path)
    result = screen_manifest(store, ANALYST, path)
    with store.connect() as conn:
        (kept,) = recent_manifests(conn, "test-unit", "SE")
    assert kept.file_name == "flight.edi" and kept.run_id == result.run_id
    assert [r.record_id for r in kept.records()] == [r["record_id"] for r in result.results]


def test_two_versions_activated_at_the_same_time_leave_one_active(store: Store) -> None:
    """Two coordinators switch on versions 2 and 3 at the same moment: whatever the order
    the database lets them through in, one version is active afterwards, never two, and a
    refused activation says why."""
    import threading

    _create(store, ANALYST, "alone", MINOR_RULE)
    _test(store, ANALYST, "alone")
    _activate(store, ANALYST, "alone", version=1)
    for expression in ("minor and booking_size == 1", "minor and booking_adults < 1"):
        _create(store, ANALYST, "alone", expression)
    _test(store, ANALYST, "alone", version=2)
    _test(store, ANALYST, "alone", version=3)
    refused: list[str] = []
    first = store.engine.connect()
    transaction = first.begin()
    rules.activate_rule(first, ANALYST, "alone", version=2)  # not committed yet

    def second() -> None:
        try:
            _activate(store, COORDINATOR, "alone", version=3)
        except InputError as exc:
            refused.append(str(exc))

    racing = threading.Thread(target=second)
    racing.start()
    racing.join(timeout=1.0)  # it waits for the first transaction's locks, or runs first
    transaction.commit()
    first.close()
    racing.join(timeout=30)
    assert not racing.is_alive()
    with store.begin() as conn:
        versions = rules.show_rule(conn, ANALYST, "alone")["versions"]
    active = [v["version"] for v in versions if v["state"] == "active"]
    assert len(active) == 1, versions
    if refused:
        assert "activated" in refused[0] and "at the same time" in refused[0], refused
