"""Specimen documents: parsed like any other, but named as specimens in the verdict.

ICAO 9303 writes its examples for the fictional state of Utopia, code ``UTO``;
issuers' published specimens use their own code with a placeholder holder or
number. Only markers documented on specimens count: ``D`` (written ``D<<``) is
Germany, not a specimen, and a name used on one state's specimens (Erika
Mustermann in Germany) is also a real surname, so it is not a marker.
"""

from __future__ import annotations

from threadline.primitives.mrz.result import MRZFields

SPECIMEN_STATES = {"UTO": "Utopia, the fictional state of the ICAO 9303 examples"}
SPECIMEN_NAME = "SPECIMEN"
# Issuers whose specimens carry a document number with this prefix.
SPECIMEN_NUMBER_PREFIXES = {"NLD": "SPECI"}


def specimen_reasons(fields: MRZFields) -> list[str]:
    """Why the zone is a specimen (empty for a document that is not one)."""
    reasons = []
    for label, code in (
        ("issuing state", fields.issuing_country),
        ("nationality", fields.nationality),
    ):
        if code in SPECIMEN_STATES:
            reasons.append(f"{label} {code} is {SPECIMEN_STATES[code]}")
    names = f"{fields.surname} {fields.given_names}".split()
    if SPECIMEN_NAME in names:
        reasons.append(
            f"the holder's name is {SPECIMEN_NAME}, the placeholder issuers print on specimens"
        )
    prefix = SPECIMEN_NUMBER_PREFIXES.get(fields.issuing_country)
    if prefix and fields.document_number.startswith(prefix):
        reasons.append(
            f"document number {fields.document_number} follows the {prefix}... numbering "
            f"{fields.issuing_country} uses for specimens"
        )
    return [f"specimen: {reason}; not a real travel document" for reason in reasons]
