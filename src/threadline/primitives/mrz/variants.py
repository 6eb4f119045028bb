"""Check digits judged by ICAO 9303, and the documented issuer variants, each named.

A check digit passes by the ICAO rule or by a variant an issuer is known to
follow on real documents; a variant is accepted only for that issuer and is
always reported (a :class:`Variant` and a warning), never applied silently.
"""

from __future__ import annotations

from threadline.primitives.mrz.checkdigit import check_digit, check_passes
from threadline.primitives.mrz.dates import Partial, add_years
from threadline.primitives.mrz.result import CheckDigit, Variant
from threadline.primitives.mrz.zone import (
    Zone,
    check_inputs,
    describe_failure,
    overflow_positions,
    passes,
)

# Every variant code a result may name (each is documented in docs/screening.md).
VARIANT_CODES = (
    "long_document_number",
    "check_digit_over_filler",
    "no_expiry_date",
    "birth_date_partly_unknown",
    "birth_date_unknown",
    "fra_cni_1988",
)

# Issuers known to compute a long document number's check digit over the filler
# at position 15 as well (some Belgian identity cards; ICAO 9303 Part 5 leaves the
# filler out). Other issuers' documents are judged by the ICAO rule alone.
FILLER_CHECK_ISSUERS = {"BEL": "Belgian"}


def judge_checks(zone: Zone, issuer: str) -> tuple[list[CheckDigit], list[Variant], list[str]]:
    """Every check digit of ``zone`` with its rule, the variants used and the failures."""
    outcomes: list[CheckDigit] = []
    variants: list[Variant] = []
    errors: list[str] = []
    for check in zone.layout.checks:
        data, (line, index) = check_inputs(zone, check)
        read = zone.rows[line][index]
        expected = check_digit(data)
        passed = passes(check, data, read, expected)
        outcome = CheckDigit(check.name, passed, read, expected, data, line + 1, index + 1)
        if not outcome.passed and check.name == "document_number":
            outcome, note = _over_filler(zone, outcome, issuer, variants)
            if not outcome.passed:
                errors.append(describe_failure(zone, check) + note)
        elif not outcome.passed:
            errors.append(describe_failure(zone, check))
        outcomes.append(outcome)
    return outcomes, variants, errors


def over_filler_data(zone: Zone) -> str | None:
    """A long TD1 number with the filler at position 15 kept in, as the variant reads it."""
    overflow = overflow_positions(zone)
    if zone.layout.type != "TD1" or not overflow:
        return None
    line = overflow[0][0]
    return "".join(zone.rows[line][5 : overflow[-1][1]])


def passes_by_issuer_variant(zone: Zone) -> bool:
    """True when the document number check passes by a variant its issuer is known to use."""
    issuer = (zone.span_text("issuing_country") or "").rstrip("<")
    data = over_filler_data(zone)
    check = zone.layout.check("document_number")
    if data is None or check is None or issuer not in FILLER_CHECK_ISSUERS:
        return False
    overflow = overflow_positions(zone)
    return check_passes(data, zone.char(overflow[-1]))


def _over_filler(
    zone: Zone, outcome: CheckDigit, issuer: str, variants: list[Variant]
) -> tuple[CheckDigit, str]:
    """Try the check digit over the filler at position 15 (long TD1 numbers only)."""
    data = over_filler_data(zone)
    if data is None or not check_passes(data, outcome.read):
        return outcome, ""
    nation = FILLER_CHECK_ISSUERS.get(issuer)
    if nation is None:
        return outcome, (
            f"; it would pass with the check digit computed over the filler as well "
            f"({data!r}), a variant known only on {', '.join(FILLER_CHECK_ISSUERS.values())} "
            f"identity cards, not on documents issued by {issuer or 'an unknown state'}"
        )
    variants.append(
        Variant(
            "check_digit_over_filler",
            f"{nation} check digit over the filler: the document number check digit "
            f"{outcome.read} is computed over {data!r}, the filler at line 1 position 15 "
            f"included, as on some {nation} identity cards; ICAO 9303 Part 5 computes it "
            f"over {outcome.data!r}, which gives {outcome.expected}",
        )
    )
    accepted = CheckDigit(
        outcome.check,
        True,
        outcome.read,
        check_digit(data),
        data,
        outcome.line,
        outcome.position,
        "check_digit_over_filler",
    )
    return accepted, ""


def long_number_variant(zone: Zone, number: str) -> Variant | None:
    """The ICAO rule for a number longer than nine characters, when the zone uses it."""
    overflow = overflow_positions(zone)
    if not overflow:
        return None
    line, first = overflow[0]
    last = overflow[-1][1]
    part = "5" if zone.layout.type == "TD1" else "6"
    where = f"line {line + 1} positions {first + 1}-{last}, check digit at {last + 1}"
    if first + 1 > last:
        where = f"line {line + 1}, check digit at {last + 1}"
    return Variant(
        "long_document_number",
        f"long document number: {number} has more than 9 characters, so it continues in the "
        f"optional data at {where} (ICAO 9303 Part {part}); the check digit position after "
        "the first nine holds a filler",
    )


def french_card_variant(issue: Partial | None, birth: Partial | None) -> Variant:
    """What the French identity card of the 1988 model says, and what it leaves out."""
    detail = (
        "French identity card of the 1988-2021 model: a national layout, not ICAO 9303; "
        "the zone has no expiry date and no nationality (the card is issued to French "
        "nationals only)"
    )
    if issue is not None:
        years, why = 10, "cards issued before 2004 or to minors"
        adult = birth is not None and add_years(birth.latest, 18) <= issue.earliest
        if issue.year >= 2004 and adult:
            # Since 2014 adults' cards run 15 years, and those issued from 2004 were extended.
            years, why = 15, "cards issued to adults from 2004 on"
        detail += (
            f"; issued {issue.iso()}, so valid {years} years, until about "
            f"{issue.year + years}-{issue.month or 1:02d} ({why})"
        )
    return Variant("fra_cni_1988", detail)
