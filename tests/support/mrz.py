"""Build synthetic machine readable zones with correct check digits, independently of Threadline.

The check digit here is written from ICAO Doc 9303 Part 3 (weights 7, 3, 1; A=10 ... Z=35;
the filler '<' counts 0), not imported, so tests built on it check the parser rather than
repeat it. Every builder takes the raw field text (fillers included where a test needs
them) and pads with '<'.
"""

from __future__ import annotations


def icao_check(data: str) -> str:
    """The ICAO 9303 check digit of ``data`` as a character."""
    weights = (7, 3, 1)
    total = 0
    for index, char in enumerate(data):
        if char.isdigit():
            value = int(char)
        elif char.isalpha():
            value = ord(char) - ord("A") + 10
        else:
            value = 0
        total += value * weights[index % 3]
    return str(total % 10)


def pad(text: str, width: int) -> str:
    """``text`` padded with fillers to ``width`` (it must fit)."""
    assert len(text) <= width, (text, width)
    return text.ljust(width, "<")


def td3(
    name: str = "ERIKSSON<<ANNA<MARIA",
    *,
    code: str = "P<",
    state: str = "UTO",
    number: str = "L898902C3",
    nationality: str = "UTO",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    personal: str = "ZE184226B",
) -> list[str]:
    """A passport zone (2 x 44) with every check digit right."""
    line1 = pad(code + pad(state, 3) + name, 44)
    personal = pad(personal, 14)
    head = pad(number, 9) + icao_check(pad(number, 9))
    body = pad(nationality, 3) + birth + icao_check(birth) + sex + expiry + icao_check(expiry)
    tail = personal + icao_check(personal)
    composite = icao_check(head + birth + icao_check(birth) + expiry + icao_check(expiry) + tail)
    return [line1, head + body + tail + composite]


def td1(
    name: str = "ERIKSSON<<ANNA<MARIA",
    *,
    code: str = "I<",
    state: str = "UTO",
    number_field: str | None = None,
    number: str = "D23145890",
    optional1: str = "",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    nationality: str = "UTO",
    optional2: str = "",
) -> list[str]:
    """An identity card zone (3 x 30).

    ``number_field`` (15 characters: number, check digit, start of the optional data)
    replaces the computed ``number`` + check digit + ``optional1`` when a test needs a
    long number or an issuer's variant written out by hand.
    """
    if number_field is None:
        number_field = pad(number, 9) + icao_check(pad(number, 9)) + pad(optional1, 15)
    line1 = pad(code + pad(state, 3) + number_field, 30)
    dates = birth + icao_check(birth) + sex + expiry + icao_check(expiry)
    line2 = dates + pad(nationality, 3) + pad(optional2, 11)
    composite = icao_check(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    return [line1, line2 + composite, pad(name, 30)]


def td2(
    name: str = "ERIKSSON<<ANNA<MARIA",
    *,
    code: str = "I<",
    state: str = "UTO",
    number: str = "D23145890",
    nationality: str = "UTO",
    birth: str = "740812",
    sex: str = "F",
    expiry: str = "120415",
    optional: str = "",
) -> list[str]:
    """A TD2 zone (2 x 36)."""
    line1 = pad(code + pad(state, 3) + name, 36)
    head = pad(number, 9) + icao_check(pad(number, 9))
    body = pad(nationality, 3) + birth + icao_check(birth) + sex + expiry + icao_check(expiry)
    line2 = head + body + pad(optional, 7)
    composite = icao_check(line2[0:10] + line2[13:20] + line2[21:35])
    return [line1, line2 + composite]


def visa(
    name: str = "ERIKSSON<<ANNA<MARIA",
    *,
    width: int = 44,
    code: str = "V<",
    state: str = "UTO",
    number: str = "L8988901C",
    check: str | None = None,
    nationality: str = "XXX",
    birth: str = "400907",
    sex: str = "F",
    expiry: str = "961210",
    optional: str = "",
) -> list[str]:
    """An MRV-A (``width`` 44) or MRV-B (36) zone; ``check`` overrides the number's digit."""
    line1 = pad(code + pad(state, 3) + name, width)
    digit = icao_check(pad(number, 9)) if check is None else check
    body = pad(nationality, 3) + birth + icao_check(birth) + sex + expiry + icao_check(expiry)
    return [line1, pad(pad(number, 9) + digit + body + optional, width)]


def french_cni(
    surname: str = "MARTIN",
    given: str = "CLAIRE<<ANNE",
    *,
    office: str = "750123",
    issued: str = "0906",
    department: str = "75K",
    sequence: str = "01234",
    birth: str = "850315",
    sex: str = "F",
) -> list[str]:
    """A French national identity card of the 1988-2021 model (2 x 36, not an ICAO layout)."""
    line1 = pad("IDFRA" + surname, 30) + office
    number = issued + department + sequence
    body = number + icao_check(number) + pad(given, 14) + birth + icao_check(birth) + sex
    return [line1, body + icao_check(line1 + body)]


def replace_at(lines: list[str], line: int, position: int, char: str) -> list[str]:
    """Copy of ``lines`` with the character at 1-based (line, position) replaced."""
    out = list(lines)
    text = out[line - 1]
    assert text[position - 1] != char, (text, position, char)
    out[line - 1] = text[: position - 1] + char + text[position:]
    return out
