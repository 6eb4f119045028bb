"""The JSON that other programs read keeps its fields: a field is only ever added.

Each command of :data:`CONTRACTS` is run through the command line's entry point, as a user
would run it (the arguments are in :data:`RUNS`), on a copy of the guides' world
(:mod:`support.guide_world`: the demo's store and the simulated world's files), and what it
prints is checked against the table (read as :mod:`support.json_shapes` reads it): every
field of every level is there, of its type. A level no run reaches (an empty list
everywhere) or an optional field (``name?``: left out where it does not apply, such as for
a recorded victim) never seen fails too: the runs must keep exercising all the table
promises. docs/formats.md ("Stable JSON outputs") lists the same fields for the programs
that read them (:func:`test_the_guide_lists_every_field`).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support.guide_world import FIXTURES, copy_world, prepare
from support.guides import ROOT
from support.json_shapes import Level, Like, broken, fits, levels
from threadline.cli.main import main
from threadline.settings import get_settings

PERSONAS = "ads personas --json"
MANIFEST = "screen manifest FILE --json"
MANIFESTS = "screen manifest FILE... --json"
LEADS = "trace leads --json"
NETWORKS = "network list --json"
CLUSTERS = "link clusters --json"
PAIRS = "match pairs FILE --json"
MRZ = "mrz check LINE1 LINE2 [LINE3] --json"

# The one table: each command's promised fields, level by level (see the module's notes).
CONTRACTS: dict[str, dict[str, Level]] = {
    PERSONAS: {
        "[]": {
            "id": str,  # the persona's id: "P-" and its smallest ad id, kept across re-runs
            "ad_ids": list,  # the ids of the ads one operator is behind
            "selectors": list,  # the phones, accounts, images... that link those ads
            "risk": float,  # 0-1: the mean risk of its riskiest ads
            "explanation": list,  # the ads behind the risk, each with its share
            "countries": list,  # where its ads were posted (ISO codes)
            "first_seen": str,  # its first ad's posting time (ISO 8601)
            "last_seen": str,  # its last ad's posting time (ISO 8601)
            "change?": str,  # what the last analysis did to it: new, grew, merged, split...
            "since_run?": int,  # the analysis run that gave it its id
        },
        "[].selectors[]": {
            "kind": str,  # phone, email, account, image...
            "value": str,  # the selector as normalised (an E.164 phone, ...)
            "ads": int,  # how many of the persona's ads carry it
            "df": int,  # how many ads of the whole collection carry it
            "hub": bool,  # too common to link on: shown, never used
            "shared": int,  # how many writing styles print it (0: none counted)
        },
        "[].explanation[]": {
            "id": str,  # "ad:" and the ad's id
            "family": str,  # "persona": a share of the persona's risk
            "weight": float,  # that ad's own risk
            "contribution": float,  # its share; the shares add up to the persona's risk
            "spans": list,  # text spans (none for a persona's share)
        },
    },
    MANIFEST: {
        "": {
            "source": str,  # the manifest's file name
            "flights": list,  # the flight legs it lists
            "run_id": int,  # the screening run its findings are stored under
            "operation": str | None,  # the operation code it was screened for
            "country": str | None,  # the country doing the checks (--country)
            "travellers": int,  # travellers read
            "checks": int,  # database checks made: each person and each document
            "hits": int,  # person candidates flagged and listed documents found
            "hits_by_decision": dict,  # flagged candidates by decision
            "listed_documents": int,  # documents found on the stolen and lost lists
            "travellers_referred": int,  # travellers with a safeguarding referral
            "victim_indicators": list,  # each safeguarding indicator that fired
            "travellers_flagged_by_rules": int,  # travellers an active analyst rule matched
            "rule_flags": list,  # each (traveller, rule) an active analyst rule matched
            "unchecked_indicators": list,  # indicators this manifest's data cannot support
            "results": list,  # one row per traveller, in the manifest's order
            "rejected": list,  # records that could not be read (not screened)
            "warnings": list,  # values that could not be used (their traveller screened)
            "sources": dict,  # the watchlists and document lists screened against
        },
        "flights[]": {
            "flight": str,  # the designator as stated ("" when none)
            "carrier": str,  # its carrier code ("" when the designator has none)
            "number": str,  # its flight number
            "departure_airport": str,  # IATA code ("" when not stated)
            "departure_time": str,  # local ISO time ("" when not stated)
            "arrival_airport": str,  # IATA code ("" when not stated)
            "arrival_time": str,  # local ISO time ("" when not stated)
            "travellers": int,  # travellers listed on this leg
        },
        "hits_by_decision": {
            "match": int,  # watchlist candidates decided match
            "possible": int,  # watchlist candidates decided possible
            "protected_person": int,  # recorded victims matched (never counted as match)
        },
        "victim_indicators[]": {
            "indicator": str,  # which indicator (minor_without_guardian, document_listed...)
            "record_id": str,  # the traveller's record in the manifest
            "traveller_id": str | None,  # the traveller's entity id (null: a hidden victim)
            "weight": float,  # how strongly it suggests a need for protection (0-1)
            "referral": str,  # what to consider, in words
            "evidence": dict,  # the values behind it (their keys depend on the indicator)
        },
        "rule_flags[]": {
            "rule": str,  # the rule's name
            "version": int,  # the version that matched
            "action": str,  # referral or review
            "record_id": str | None,  # the traveller's record (null: a hidden victim)
            "traveller_id": str | None,  # the traveller's entity id (null: a hidden victim)
            "expression": str,  # the rule as written
            "fields": dict,  # the values that made it true
            "message": str,  # what to consider, in words
        },
        "unchecked_indicators[]": {
            "indicator": str,  # the indicator (or "rule NAME") not checked
            "reason": str,  # why: the data it needs is missing, the rule cannot run...
        },
        "results[]": {
            "record_id": str,  # the traveller's record in the manifest
            "traveller_id": str | None,  # the traveller's entity id (null: a hidden victim)
            "name": str,  # the traveller's name (a hidden victim's pseudonym)
            "person_hits": list,  # watchlist candidates flagged match or possible
            "document_hits": list,  # the traveller's documents found listed
            "safeguarding": list,  # the traveller's safeguarding referrals, in words
            "rules": list,  # the analyst rules' messages for the traveller
        },
        "results[].person_hits[]": {
            "entity_id": str | None,  # the watchlist entity (null: a hidden victim)
            "collection": str,  # the watchlist it is on
            "notice": str | None,  # red or yellow for an INTERPOL notice
            "score": float,  # 0-1
            "decision": str,  # match or possible
            "explanation": list,  # each feature's points
        },
        "results[].person_hits[].explanation[]": {
            "feature": str,  # name, birth_date, nationality, document...
            "weight": float,  # the feature's weight
            "value": float,  # how well it agrees (0-1)
            "points": float,  # weight times value
            "detail": str,  # what was compared, in words
            "parts?": list,  # how each name part was aligned (name features)
        },
        "results[].document_hits[]": {
            "issuing_country": str,  # the listed document's issuing country
            "document_type": str,  # passport, identity card...
            "document_number": str,  # the listed number (withheld for a hidden victim)
            "status": str,  # stolen, lost, revoked...
            "reported_on": str,  # when it was listed (ISO date)
            "reporting_agency": str,  # who listed it
            "strength": str,  # strong, probable, possible or weak
            "row?": int,  # its row in the list (left out for a hidden victim)
            "match?": str,  # how the numbers agree: exact, an OCR reading...
            "country?": str,  # how the issuing countries agree
            "differences?": list,  # the characters that differ
            "reasons?": list,  # why it is a hit, item by item
        },
        "results[].document_hits[].reasons[]": {
            "code": str,  # number_exact, same_issuing_country...
            "detail": str,  # in words
        },
        "rejected[]": {
            "position": int,  # the record's segment or row
            "reason": str,  # why it could not be read
        },
        "warnings[]": {
            "position": int,  # the value's segment or row
            "record_id": str,  # the traveller it belongs to
            "reason": str,  # the value and why it could not be used
        },
        "sources": {
            "watchlists": list,  # the watchlist collections screened against
            "watchlist_persons": int,  # persons on them
            "document_lists": list,  # the stolen and lost document collections
            "listed_documents": int,  # documents on them
        },
    },
    MANIFESTS: {
        "": {
            "manifests": list,  # each manifest screened
            "failed": list,  # each file that could not be screened
            "totals": dict,  # what the batch came to
        },
        "manifests[]": Like(MANIFEST),  # as one manifest prints it
        "failed[]": {
            "source": str,  # the file
            "error": str,  # why it was not screened
        },
        "totals": {
            "manifests": int,  # manifests screened
            "failed": int,  # files not screened
            "flights": int,  # flight legs
            "travellers": int,  # travellers read
            "checks": int,  # database checks made
            "hits": int,  # candidates flagged and listed documents found
            "hits_by_decision": dict,  # flagged candidates by decision, as for one manifest
            "listed_documents": int,  # documents found listed
            "travellers_referred": int,  # travellers with a safeguarding referral
            "rejected_records": int,  # records that could not be read
        },
    },
    LEADS: {
        "[]": {
            "report_id": str,  # the missing-person report (a hidden victim's pseudonym)
            "sighting_id": str | None,  # the record or ad that may be the person
            "sighting_kind": str | None,  # traveller, identified_person, ad...
            "score": float,  # 0-1: the best of its evidence
            "evidence": list,  # each kind of evidence that reached the floor
            "when": str | None,  # when the sighting was (ISO)
            "place": str | None,  # where
            "country": str | None,  # in which country
            "flights": list,  # a traveller's flights
            "sighting_collection": str | None,  # the collection the sighting is in
            "caption": str | None,  # the sighting's name as shown
        },
        "[].evidence[]": {
            "feature": str,  # record_match, name_and_birth_date_match, ad_phone...
            "weight": float,  # its score (0-1)
            "evidence": object,  # what was compared (its shape depends on the feature)
        },
        "[].flights[]": {
            "flight": str,  # the designator
            "departure_airport": str,  # IATA code ("" when not given)
            "departure_country": str | None,  # the airport's country
            "departure_time": str | None,  # local ISO time
            "arrival_airport": str,  # IATA code ("" when not given)
            "arrival_country": str | None,  # the airport's country
            "arrival_time": str | None,  # local ISO time
        },
    },
    NETWORKS: {
        "[]": {
            "id": str,  # the network's id
            "size": int,  # how many members
            "countries": list,  # the members' countries
            "members": list,  # the members' entity ids
            "risk": float,  # 0-1
        },
    },
    CLUSTERS: {
        "[]": {
            "cluster_id": str,  # the cluster's id, kept across runs
            "members": list,  # the records resolved as one
            "change?": str,  # what the last run did to it: new, grew, merged, split...
            "since_run?": int,  # the linkage run that gave it its id
        },
        "[].members[]": {
            "entity_id": str,  # the record's entity id
            "collection": str | None,  # its collection
            "source_id": str | None,  # its id in the source data
            "caption": str | None,  # its name as shown
            "schema": str | None,  # Person, Organization...
        },
    },
    PAIRS: {
        "[]": {  # one JSON object per line
            "name1": str,  # the row's first name, as read
            "name2": str,  # its second name
            "score": float,  # 0-1
            "decision": str,  # match, possible or no_match
            "match": bool,  # true for a match decision
        },
    },
    MRZ: {
        "": {
            "type": str,  # TD1, TD2, TD3, MRVA or MRVB
            "valid": bool,  # every check digit passes and every field is plausible
            "checks": dict,  # each check digit's name -> passed
            "fields": dict,  # the zone's fields
            "corrections": list,  # characters changed, each confirmed by the check digits
            "errors": list,  # why it is not valid, in words
            "warnings": list,  # issuer variants, specimens..., in words
            "specimen": bool,  # a specimen: not a real travel document
            "variants": list,  # the issuer variants the zone follows
            "check_digits": list,  # each check digit: read, expected, rule
            "dates": list,  # how each two-digit year got its century
            "suggestions": list,  # readings no check digit confirms (never applied)
            "suggested_fields": dict | None,  # the fields on the suggested readings
            "reference_date": str | None,  # the day the dates were judged against
        },
        "fields": {
            "document_code": str,  # P, ID, V...
            "issuing_country": str,  # as read
            "surname": str,  # fillers removed
            "given_names": str,  # fillers removed
            "document_number": str,  # fillers removed
            "nationality": str,  # as read
            "date_of_birth": str | None,  # ISO, at the precision the zone gives
            "sex": str | None,  # M, F or X
            "expiry_date": str | None,  # ISO
            "optional_data": str,  # fillers removed
            "issue_date": str | None,  # only layouts that carry one
        },
        "corrections[]": {
            "line": int,  # counted from 1
            "position": int,  # counted from 1
            "from": str,  # the character read
            "to": str,  # the character it became
            "field": str,  # the field it is in
            "reason": str,  # why, in words
        },
        "variants[]": {
            "code": str,  # the variant's code
            "detail": str,  # what it means
        },
        "check_digits[]": {
            "check": str,  # what it covers
            "passed": bool,  # whether it agrees
            "read": str,  # the digit read
            "expected": int,  # the digit the data gives
            "data": str,  # the characters it covers
            "line": int,  # counted from 1
            "position": int,  # counted from 1
            "rule": str,  # icao or an issuer's rule
        },
        "dates[]": {
            "field": str,  # date_of_birth, expiry_date...
            "read": str,  # the six digits read
            "value": str | None,  # the ISO date
            "rule": str,  # how the century was chosen
        },
        "suggestions[]": {
            "field": str,  # the field
            "read": str,  # as read
            "reading": str,  # the reading suggested
            "changes": list,  # the characters it changes
            "reason": str,  # why it is only a suggestion
        },
        "suggestions[].changes[]": Like(MRZ, "corrections[]"),  # as a correction
        "suggested_fields": Like(MRZ, "fields"),  # as the fields
    },
}


# ------------------------------------------------------------------ how each is run


@dataclass(frozen=True)
class Run:
    """One run of a command: its arguments, the exit code it ends with, and whether it
    prints JSON lines (one object per line, read as a list) rather than one document."""

    args: tuple[str, ...]
    code: int = 0
    lines: bool = False


CASE = ("--purpose", "investigation", "--reference", "CASE-1")
FAULTY = "faulty.edi"  # a manifest of the world with a bad date and a nameless traveller
MRZ_VECTORS = ("CM-TD3-UTO-ocr", "CM-FRA-ID-ocr")  # OCR repairs, suggestions; a variant


def _zone(vector: str) -> tuple[str, ...]:
    for line in (FIXTURES / "mrz" / "vectors.jsonl").read_text(encoding="utf-8").splitlines():
        found = json.loads(line)
        if found["id"] == vector:
            return tuple(found["lines"])
    raise LookupError(f"no MRZ vector {vector!r} in tests/fixtures/mrz/vectors.jsonl")


RUNS: dict[str, list[Run]] = {
    PERSONAS: [Run(("ads", "personas", "--json"))],
    MANIFEST: [Run(("screen", "manifest", FAULTY, "--json"))],
    # a folder: the faulty manifest, another of the world's, and a file that is none
    MANIFESTS: [Run(("screen", "manifest", "batch", "--json"), code=1)],
    LEADS: [Run(("trace", "leads", "--json"))],
    NETWORKS: [Run(("network", "list", *CASE, "--json"))],
    CLUSTERS: [Run(("link", "clusters", *CASE, "--json"))],
    PAIRS: [Run(("match", "pairs", "pairs.csv", "--json"), lines=True)],
    MRZ: [Run(("mrz", "check", *_zone(v), "--json")) for v in MRZ_VECTORS],
}

PAIRS_CSV = """name1,name2,schema
Oksana Kovalenko,Оксана Коваленко,Person
Jose Maria Santos,Santos Jose Maria,Person
Amina Diallo,Fatima Bello,Person
Northern Star Shipping Ltd,Northern Star Shipping Limited,Company
"""
# An active analyst rule, so that a manifest's rule_flags has an item to check.
RULE = [
    ["rules", "create", "child-travelling", "--expression", "minor", "--action", "referral",
     "--description", "a child travelling"],
    ["rules", "test", "child-travelling", "--purpose", "border_check"],
    ["rules", "activate", "child-travelling"],
]  # fmt: skip
# The world's manifest with a child on a yellow notice and a listed passport.
SCREENED = "manifests/20250119_YY3271_MNLDXB_000001.edi"


def _faulty(text: str) -> str:
    """The manifest with an expiry no calendar has (a warning) and its third traveller's
    name left out (a rejected record)."""
    text, dates = re.subn(r"DTM\+36:\d{6}'", "DTM+36:341399'", text, count=1)
    third = re.findall(r"NAD\+FL\+\+\+[^']+'", text)[2:3]
    assert dates == 1 and third, "the manifest no longer has the segments to spoil"
    return text.replace(third[0], "NAD+FL+++'", 1)


def _inputs(folder: Path) -> None:
    """The files the runs name: the faulty manifest, the batch folder, the pairs."""
    faulty = _faulty((folder / SCREENED).read_text(encoding="utf-8"))
    (folder / FAULTY).write_text(faulty, encoding="utf-8")
    batch = folder / "batch"
    batch.mkdir()
    (batch / "a-faulty.edi").write_text(faulty, encoding="utf-8")
    (batch / "b-unreadable.edi").write_text("UNA:+.? 'not a manifest'\n", encoding="utf-8")
    other = sorted((folder / "manifests").glob("*.edi"))[0]
    (batch / f"c-{other.name}").write_bytes(other.read_bytes())
    (folder / "pairs.csv").write_text(PAIRS_CSV, encoding="utf-8")


class _Inside:
    """Commands act on the folder's store, as its agency's console operator."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.patch = pytest.MonkeyPatch()

    def __enter__(self) -> None:
        for key in [k for k in os.environ if k.startswith("THREADLINE_")]:
            if key != "THREADLINE_TEST_PG_URL":
                self.patch.delenv(key)
        self.patch.chdir(self.folder)
        get_settings.cache_clear()

    def __exit__(self, *exc: object) -> None:
        self.patch.undo()
        get_settings.cache_clear()


@pytest.fixture(scope="module")
def folder(guide_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the guides' world with the runs' inputs and an active analyst rule."""
    here = tmp_path_factory.mktemp("contracts")
    copy_world(guide_world, here, store=True)
    _inputs(here)
    with _Inside(here):
        for argv in RULE:
            prepare(argv)
    return here


# ------------------------------------------------------------------ the tests


def _output(run: Run, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(list(run.args))
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    return code, out, err


def _parsed(run: Run, out: str) -> Any:
    if run.lines:
        return [json.loads(line) for line in out.splitlines() if line.strip()]
    return json.loads(out)


@pytest.mark.parametrize("contract", list(CONTRACTS))
def test_the_json_keeps_its_fields(
    contract: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every field the table promises is printed, of its type, at every level."""
    outputs = []
    with _Inside(folder):
        for run in RUNS[contract]:
            code, out, err = _output(run, capsys)
            command = "threadline " + " ".join(run.args)
            assert code == run.code, f"{command}: exit code {code}, not {run.code}\n{err[-2000:]}"
            try:
                outputs.append(_parsed(run, out))
            except json.JSONDecodeError as exc:
                pytest.fail(f"{command}: not JSON ({exc}); it printed:\n{out[:2000]}")
    problems = broken(CONTRACTS, contract, outputs)
    assert not problems, "\n".join(problems)


def test_every_contract_is_run() -> None:
    assert set(RUNS) == set(CONTRACTS)
    assert all(RUNS[c] for c in CONTRACTS)


NETWORK = [{"id": "net-1", "size": 2, "countries": ["GB"], "members": ["a", "b"], "risk": 0.5}]


def test_a_broken_promise_is_named_with_its_command_path_and_field() -> None:
    """What each kind of breach reads like (the checks themselves must be able to fail)."""
    assert broken(CONTRACTS, NETWORKS, [NETWORK]) == []
    renamed = [{**{k: v for k, v in n.items() if k != "risk"}, "score": 0.5} for n in NETWORK]
    assert broken(CONTRACTS, NETWORKS, [renamed * 3]) == [
        "threadline network list --json: at [0] (and 2 more like it): missing field 'risk' (float)"
    ]
    retyped = [{**NETWORK[0], "size": "2"}]
    assert broken(CONTRACTS, NETWORKS, [retyped]) == [
        "threadline network list --json: at [0]: field 'size': int expected, got \"2\""
    ]
    assert broken(CONTRACTS, NETWORKS, [[]]) == [
        "threadline network list --json: no output reached []: the runs no longer exercise "
        "this level (choose arguments that do)"
    ]
    cluster = {"cluster_id": "lc-1", "members": [{"entity_id": "e1"}], "since_run": 3}
    assert broken(CONTRACTS, CLUSTERS, [[cluster]]) == [
        "threadline link clusters --json: at [0].members[0]: missing field 'collection' "
        "(str | None)",
        "threadline link clusters --json: at [0].members[0]: missing field 'source_id' "
        "(str | None)",
        "threadline link clusters --json: at [0].members[0]: missing field 'caption' (str | None)",
        "threadline link clusters --json: at [0].members[0]: missing field 'schema' (str | None)",
        "threadline link clusters --json: at []: optional field 'change' never seen "
        "(renamed or removed?)",
    ]


def test_a_level_like_another_is_checked_as_that_one() -> None:
    """The batch's manifests are each checked as one manifest; an MRZ suggestion's changes
    as corrections."""
    batch, one = levels(CONTRACTS, MANIFESTS), levels(CONTRACTS, MANIFEST)
    assert batch["manifests[].results[].person_hits[]"] is one["results[].person_hits[]"]
    assert len(batch) == len(one) + 3  # and the batch's own: "", failed[], totals
    mrz = levels(CONTRACTS, MRZ)
    assert mrz["suggestions[].changes[]"] is mrz["corrections[]"]
    assert mrz["suggested_fields"] is mrz["fields"]
    assert "suggested_fields.fields" not in mrz


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (1, float, True),
        (True, float, False),
        (True, int, False),
        (None, str | None, True),
        (None, str, False),
        ({"a": 1}, object, True),
        ([], dict | None, False),
    ],
)
def test_types_are_read_as_json_has_them(value: Any, kind: Any, expected: bool) -> None:
    assert fits(value, kind) is expected


# ------------------------------------------------------------------ the guide


def _guide_section() -> str:
    text = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    start = text.index("# Stable JSON outputs")
    end = text.find("\n# ", start + 1)
    return text[start : end if end > 0 else len(text)]


def test_the_guide_lists_every_field() -> None:
    """docs/formats.md names each command with every field of its own levels."""
    section = _guide_section()
    items = re.split(r"\n(?=- )", section)
    missing = []
    for contract, table in CONTRACTS.items():
        item = next((i for i in items if f"`threadline {contract}`" in i), None)
        if item is None:
            missing.append(f"`threadline {contract}`: not in the section")
            continue
        named = set(re.findall(r"`([^`\s]+)`", item))
        for spec in table.values():
            if isinstance(spec, dict):
                missing += [
                    f"`threadline {contract}`: {n}"
                    for n in (f.removesuffix("?") for f in spec)
                    if n not in named
                ]
    assert not missing, "docs/formats.md, Stable JSON outputs, lacks:\n" + "\n".join(missing)
