"""Every registered reader, fed random and mangled files: a clear rejection, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadline.exc import InputError
from threadline.ingest import list_readers
from threadline.ingest.base import ReaderContext, RecordError

FIXTURES = Path(__file__).parent.parent / "fixtures"
READERS = [cls.name for cls in list_readers()]

# Building blocks that look like the formats, so mutations reach deep into the parsers.
FRAGMENTS = [
    b'{"id": "p1", "schema": "Person", "properties": {"name": ["A"]}}',
    b'{"schema": "Passport", "properties": {"number": [1, 2]}}',
    b"case_no,full_name,dob\nX,Y,01.01.1970\n",
    b"UNA:+.? 'UNB+UNOA:4+A+B+250101:0000+1'UNH+1+PAXLST:D:02B:UN:IATA'",
    b"NAD+FL+++DOE:JANE'ATT+2++F'DTM+329:991332'",
    b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n",
    b'{"entity_id": "2019/1", "name": "X", "date_of_birth": "1958/13/45"}',
    b'{"id": "ad1", "platform": "x", "text": "call 0803 five5five", "posted_at": "never"}',
    b"\xff\xfe\x00\x00",
    b"\n\n\r\n",
    b"null",
]


def _mapping(tmp: Path) -> Path:
    path = tmp / "m.yml"
    path.write_text(
        (FIXTURES / "suspects.mapping.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return path


@pytest.mark.parametrize("name", READERS)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(
        st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=200)), min_size=0, max_size=6
    ),
    joiner=st.sampled_from([b"\n", b"", b"'", b","]),
)
def test_reader_never_crashes(name: str, parts: list[bytes], joiner: bytes, tmp_path: Path) -> None:
    from threadline.ingest.registry import get_reader

    cls = get_reader(name, tmp_path)
    path = tmp_path / f"fuzz{cls.extensions[0] if cls.extensions else '.dat'}"
    path.write_bytes(joiner.join(parts))
    reader = cls(ReaderContext("fuzz", "SE", {"mapping": str(_mapping(tmp_path))}))
    try:
        reader.prepare(path)
        for record in reader.records(path):
            try:
                entities = reader.parse(record)
            except RecordError as exc:
                assert str(exc), "a rejection must say why"
                continue
            assert all(e.id for e in entities)
    except InputError as exc:
        assert str(exc), "a refusal must say why"
