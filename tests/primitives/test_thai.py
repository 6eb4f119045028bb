"""Thai names in Thai script against their romanisations: the Royal Thai General System
(RTGS, "Somchai Chaidi") and the spellings passports and people use ("Somchai Jaidee"),
and other Thai names that stay apart. All names are made up for the tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from threadline.primitives import thai
from threadline.primitives.translit import ascii_forms
from threadline.screening.matching import score_names


@pytest.mark.parametrize(
    ("part", "rtgs"),
    [
        ("สมชาย", "somchai"),
        ("ใจดี", "chaidi"),
        ("มานี", "mani"),
        ("บุญมี", "bunmi"),
        ("ศรีทอง", "sithong"),  # ร after ศ is not spoken
        ("ประเสริฐ", "prasoet"),
        ("ทรงศักดิ์", "songsak"),  # nor ร after an initial ท: ทร is "s"
    ],
)
def test_a_thai_part_is_first_in_rtgs(part: str, rtgs: str) -> None:
    assert ascii_forms(part)[0] == rtgs


@pytest.mark.parametrize("part", ["สมชาย", "ใจดี", "ศรีทอง", "ประเสริฐ", "วิชัย", "พรทิพย์"])
def test_ascii_forms_hold_the_royin_romanisation(part: str) -> None:
    forms = ascii_forms(part)  # first: sets the Thai library read-only before its import
    from pythainlp.transliterate import romanize

    assert romanize(part, engine="royin") in forms


@pytest.mark.parametrize(
    ("part", "spelling"),
    [
        ("ใจดี", "jaidee"),  # จ as "j", long ี as "ee"
        ("บุญมี", "boonmee"),  # ุ as "oo"
        ("ศรีทอง", "srithong"),  # the written ร kept
        ("แสงจันทร์", "sangjan"),  # แ as "a"
        ("วิชัย", "vichai"),  # ว as "v"
        ("ประเสริฐ", "prasert"),  # เ-ิ as "er"
        ("พรทิพย์", "pornthip"),  # a final ร as "rn", พ as "p"
    ],
)
def test_ascii_forms_hold_the_usual_spellings(part: str, spelling: str) -> None:
    assert spelling in ascii_forms(part)


@pytest.mark.parametrize(
    ("native", "romanised"),
    [
        ("สมชาย ใจดี", "Somchai Chaidi"),  # RTGS
        ("สมชาย ใจดี", "Somchai Jaidee"),
        ("สมชาย ใจดี", "JAIDEE SOMCHAI"),
        ("มานี ศรีทอง", "Mani Sithong"),
        ("มานี ศรีทอง", "Manee Srithong"),
        ("บุญมี จันทร์ดี", "Bunmi Chandi"),
        ("บุญมี จันทร์ดี", "Boonmee Jandee"),
        ("ประเสริฐ สุขใจ", "Prasoet Sukchai"),
        ("ประเสริฐ สุขใจ", "Prasert Sukjai"),
        ("วิชัย แสงจันทร์", "Wichai Saengchan"),
        ("วิชัย แสงจันทร์", "Vichai Sangjan"),
        ("พรทิพย์ ทองดี", "Phonthip Thongdi"),
        ("พรทิพย์ ทองดี", "Pornthip Thongdee"),
    ],
)
def test_thai_matches_its_romanisations(native: str, romanised: str) -> None:
    result = score_names(native, romanised)
    assert result.decision == "match", result.to_dict()


@pytest.mark.parametrize(
    ("native", "other"),
    [
        ("สมชาย ใจดี", "Somsak Jaidee"),
        ("สุนีย์ ทองดี", "Manee Thongdee"),
        ("สุนีย์ ทองดี", "Sunee Thongchai"),
        ("วิชัย ใจดี", "Wichian Jaidee"),
        ("วิชัย ใจดี", "Vichit Jaidee"),
        ("วิชัย แสงจันทร์", "Wichai Saengthong"),
    ],
)
def test_another_thai_name_is_not_a_match(native: str, other: str) -> None:
    """The usual spellings are made from the Thai letters, so none of them spells
    another name. (Names a letter or a vowel apart, Prasert/Prasit or Mani/Mali, may
    still meet through the comparison's phonetic and fuzzy rules: not tested here.)"""
    result = score_names(native, other)
    assert result.decision != "match", result.to_dict()


def test_two_names_both_in_thai() -> None:
    assert score_names("สมชาย ใจดี", "สมชาย ใจดี").decision == "match"
    assert score_names("สมชาย ใจดี", "สมศักดิ์ ใจดี").decision != "match"


def test_romanising_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only what the package ships is read: no corpus is fetched, whatever the part."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    # parts no other test romanises, so nothing comes from a cache
    for part in ("กาญจนาวดี", "ณัฐวุฒิ", "ยุทธนาชัย", "อัญชลีพร"):
        assert thai.forms(part)


_PROBE = """
import json, sys
events = []
def hook(event, args):
    if event.startswith(("socket.", "urllib.", "http.")) or event == "os.mkdir":
        events.append([event, str(args[0])])
    elif event == "open":  # opened to write: a mode with w, a, x or +, or write flags
        mode = args[1]
        if (set(mode) & set("wax+")) if isinstance(mode, str) else (mode or 0) & 3:
            events.append([event, str(args[0])])
sys.addaudithook(hook)
from threadline.primitives import thai
forms = thai.forms("สมชาย") + thai.forms("ใจดี")
print(json.dumps({"forms": forms, "events": events}))
"""


def test_importing_and_using_the_module_writes_nothing_and_connects_nowhere(
    tmp_path: Path,
) -> None:
    """In a fresh interpreter with an empty home: no socket, no file or folder written
    (the Thai library would otherwise make a data folder in the home directory)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    env["HOME"] = str(tmp_path)
    run = subprocess.run(
        [sys.executable, "-B", "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    report = json.loads(run.stdout)
    assert "somchai" in report["forms"] and "jaidee" in report["forms"]
    assert report["events"] == []
    assert list(tmp_path.iterdir()) == []


def test_a_part_mixing_thai_with_other_letters_is_left_to_icu() -> None:
    """Only a part written in Thai is a Thai name part; ICU spells a mixed one as before."""
    assert thai.forms("Somchaiใจดี") == ()
    assert ascii_forms("Somchaiใจดี") == ("Somchaicidi", "Somchaiaichdi")


@pytest.mark.parametrize(
    ("text", "rtgs_form"),
    [("นิรันดร์", "niran"), ("ลักษณ์", "lak"), ("จันทร์", "chan"), ("สุรินทร์", "surin")],
)
def test_two_letters_after_a_final_consonant_are_silent_under_a_thanthakhat(
    text: str, rtgs_form: str
) -> None:
    """The thanthakhat silences its letter and, after a syllable's final consonant, the
    letter before it too: นิรันดร์ is "Niran", ลักษณ์ "Lak" (RTGS), not "nirant", "lakt"."""
    assert thai.rtgs(text) == rtgs_form
    assert rtgs_form in thai.forms(text)
