"""E-mail addresses (also spelled out), messaging handles and URLs.

All patterns run on folded text (lower case, no accents, same length as the
original), so spans index the original field directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from threadline.ads.extract.phones import PhoneFind
from threadline.ads.extract.trie import guarded, trie_pattern

# The last two are reserved for examples and tests (RFC 2606): synthetic data uses them.
_TLDS = (
    "com|net|org|info|biz|io|co|me|app|xyz|online|fr|es|pt|br|de|uk|it|nl|be|ch|"
    "ca|us|mx|ar|cl|pe|ao|mz|ng|gh|ke|za|ru|ua|ro|pl|ph|th|vn|cn|jp|au|nz|eu|ie|lu|ma|sn|ci|"
    "example|test"
)
_WORD = r"[a-z0-9](?:[a-z0-9_+\-]{0,62}[a-z0-9])?"
_LABEL = r"[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?"
_SPELLED_DOT = (
    r"\s*[(\[{<]\s*(?:dot|punto|point|ponto)\s*[)\]}>]\s*|\s+(?:dot|punto|point|ponto)\s+"
)
_AT = r"\s*(?:@|[(\[{<]\s*(?:at|arroba|arobase)\s*[)\]}>])\s*|\s+(?:at|arroba|arobase)\s+"
_DOT = rf"\s?\.\s?|{_SPELLED_DOT}"
_EMAIL_RE = re.compile(
    rf"(?<![a-z0-9._+\-])(?P<local>{_WORD}(?:(?:\.|{_SPELLED_DOT}){_WORD})*)(?:{_AT})"
    rf"(?P<domain>{_LABEL}(?:(?:{_DOT}){_LABEL})*?)"
    rf"(?:(?:{_DOT})(?P<tld>(?:{_TLDS})(?:(?:{_DOT})(?:{_TLDS}))?))?(?!\.?[a-z0-9\-])"
)
_SEP_RE = re.compile(rf"{_DOT}")
_SPELLED_DOT_RE = re.compile(_SPELLED_DOT)
_PLAIN_EMAIL_RE = re.compile(r"[a-z0-9._+\-]+@[a-z0-9.\-]+")
# Words that precede a spelled "at" in ordinary sentences ("meet at home dot com").
_NOT_LOCAL = frozenset({
    "meet", "me", "you", "us", "him", "her", "see", "arrive", "be", "is", "am", "are", "start",
    "work", "here", "there", "available", "only", "call", "text", "stay", "live", "lives",
    "living", "based", "nous", "vous", "estoy", "estou",
})  # fmt: skip


def plain_at(text: str) -> bool:
    """True when the address uses a real "@" sign."""
    return "@" in text


# "name@gmail" without a TLD: the big providers are unambiguous.
_PROVIDERS = {
    "gmail": "gmail.com", "hotmail": "hotmail.com", "yahoo": "yahoo.com",
    "outlook": "outlook.com", "protonmail": "protonmail.com", "proton": "proton.me",
    "icloud": "icloud.com", "live": "live.com", "gmx": "gmx.net",
}  # fmt: skip

_URL_RE = re.compile(
    guarded(
        r"(?:https?://|www\.)[^\s<>\"')\]]+|(?<![@\w.])(?:t\.me|wa\.me|m\.me|instagram\.com|"
        r"snapchat\.com/add|facebook\.com|fb\.com|line\.me/ti/p)/[^\s<>\"')\]]+"
    )
)
# Every link above holds one of these, so a field without any has none (a quick test).
_URL_MARKERS = ("://", "www.", ".me/", ".com/")

# Labels that name a messaging platform; the short or common ones need ":" or "@".
_PLATFORMS: dict[str, str] = {
    "telegram": "telegram", "telegrame": "telegram", "tg": "telegram", "telega": "telegram",
    "signal": "signal", "instagram": "instagram", "insta": "instagram", "ig": "instagram",
    "snapchat": "snapchat", "snap": "snapchat", "sc": "snapchat", "wechat": "wechat",
    "weixin": "wechat", "line": "line", "kik": "kik", "facebook": "facebook", "fb": "facebook",
    "whatsapp": "whatsapp", "whats": "whatsapp", "watsap": "whatsapp", "wsp": "whatsapp",
    "wpp": "whatsapp", "zap": "whatsapp", "wa": "whatsapp", "viber": "viber",
}  # fmt: skip
_STRICT_LABELS = frozenset({"tg", "ig", "sc", "line", "fb", "wa", "snap", "zap", "signal"})
_LABEL_RE = re.compile(
    r"(?<![a-z0-9])(?P<label>" + trie_pattern(_PLATFORMS) + r")"
    r"(?:\s*(?:app|id|username|user|handle))?(?P<sep>\s*[:=]\s*|\s*-\s*|\s+)(?P<at>@?)"
    r"(?P<handle>[a-z][a-z0-9_.]{2,31})(?![a-z0-9_])"
)
_URL_HANDLE_RE = re.compile(
    r"(?P<host>t\.me|instagram\.com|snapchat\.com/add|facebook\.com|fb\.com|m\.me|kik\.me)/"
    r"(?P<handle>[a-z0-9_.]{3,40})"
)
_URL_HOSTS = {
    "t.me": "telegram", "instagram.com": "instagram", "snapchat.com/add": "snapchat",
    "facebook.com": "facebook", "fb.com": "facebook", "m.me": "facebook", "kik.me": "kik",
}  # fmt: skip
_PHONE_PLATFORM_RE = re.compile(
    r"(?<![a-z0-9])(?P<label>whats\s?app|whats|watsap|wsp|wpp|zap|wa|signal|telegram|tg|viber)"
    r"\b[^a-z0-9+]{0,6}(?:me\s*)?(?:on|au|al|no|sur|por|at)?[^a-z0-9+]{0,4}$"
)
_STOP_HANDLES = frozenset(
    {"only", "me", "now", "please", "the", "and", "for", "avec", "con", "com"}
)


@dataclass(frozen=True, slots=True)
class TextFind:
    """A value found at one span of one field."""

    value: str
    start: int
    end: int
    obscured: bool = False


def find_emails(folded: str) -> list[TextFind]:
    """Addresses written plainly or spelled out ("ana at mail dot com")."""
    if (
        "@" not in folded
        and " at " not in folded
        and "arroba" not in folded
        and ("arobase" not in folded)
        and "(at)" not in folded
        and "[at]" not in folded
    ):
        return []
    found = []
    position = 0
    while (m := _EMAIL_RE.search(folded, position)) is not None:
        value = _address(m)
        if value is None:
            # Not an address ("apply at pioneer13" before "pioneer13@jobs.test"): look
            # again from the next character, so a real address inside is still found.
            position = m.start() + 1
            continue
        plain = _PLAIN_EMAIL_RE.fullmatch(m.group()) is not None
        found.append(TextFind(value, m.start(), m.end(), not plain))
        position = m.end()
    return found


def _address(m: re.Match[str]) -> str | None:
    """The normalised address of a candidate match, or None when it is not one."""
    local = _SEP_RE.sub(".", m.group("local"))
    domain = _SEP_RE.sub(".", m.group("domain"))
    tld = m.group("tld")
    if not plain_at(m.group()) and local in _NOT_LOCAL:
        return None
    if _sentence_at(m, local, domain):
        return None
    if tld is not None:
        domain = f"{domain}.{_SEP_RE.sub('.', tld)}"
    elif domain in _PROVIDERS and "@" in m.group():
        domain = _PROVIDERS[domain]
    elif "." not in domain or not _has_known_tld(domain):
        return None
    return f"{local}@{domain}"


_KNOWN_TLD_RE = re.compile(rf".+\.(?:{_TLDS})")
_BARE_AT_RE = re.compile(r"\s+at\s+")
_ADDRESS_LIKE_RE = re.compile(r"[0-9._+\-]")


def _sentence_at(m: re.Match[str], local: str, domain: str) -> bool:
    """True for "apply online at example.com": the English word "at" between an ordinary word
    and a web address is a sentence, not an address. A spelled "at" makes an address only in
    an address form: bracketed ("(at)"), with a spelled dot ("example dot com"), before a
    mail provider ("anna at gmail.com"), or after a local part no word has ("anna_22")."""
    between = m.group()[m.end("local") - m.start() : m.start("domain") - m.start()]
    if _BARE_AT_RE.fullmatch(between) is None:
        return False
    written = m.group()[m.start("domain") - m.start() :]
    if _SPELLED_DOT_RE.search(written) is not None:
        return False
    if domain.split(".")[0] in _PROVIDERS:
        return False
    return _ADDRESS_LIKE_RE.search(local) is None


def _has_known_tld(domain: str) -> bool:
    return _KNOWN_TLD_RE.fullmatch(domain) is not None


def find_urls(original: str, folded: str) -> list[TextFind]:
    """Web links (http, www., and messaging short links)."""
    found: list[TextFind] = []
    if not any(marker in folded for marker in _URL_MARKERS):
        return found
    for m in _URL_RE.finditer(folded):
        end = m.end()
        while end > m.start() and folded[end - 1] in ".,;:!?":
            end -= 1
        url = original[m.start() : end]
        if url.lower().startswith("www."):
            url = "http://" + url
        elif "://" not in url:
            url = "https://" + url
        found.append(TextFind(url, m.start(), end))
    return found


def find_handles(folded: str, phones: list[PhoneFind]) -> list[TextFind]:
    """Messaging accounts as ``platform:handle``.

    A phone behind "WhatsApp" gives ``whatsapp:+E164``.
    """
    found = []
    for m in _LABEL_RE.finditer(folded):
        label = m.group("label")
        handle = m.group("handle").rstrip(".")
        strict = label in _STRICT_LABELS
        if strict and ":" not in m.group("sep") and not m.group("at"):
            continue
        if handle in _PLATFORMS or handle in _STOP_HANDLES:
            continue
        start, end = m.span("handle")
        if any(p.start < end and start < p.end for p in phones):
            continue  # the "handle" is a phone number written in words: the phone counts
        found.append(TextFind(f"{_PLATFORMS[label]}:{handle}", m.start(), m.end()))
    for m in _URL_HANDLE_RE.finditer(folded) if any(k in folded for k in _URL_MARKERS) else ():
        platform = _URL_HOSTS[m.group("host")]
        found.append(TextFind(f"{platform}:{m.group('handle').rstrip('.')}", m.start(), m.end()))
    for phone in phones:
        near = _PHONE_PLATFORM_RE.search(folded, max(0, phone.start - 30), phone.start)
        if near is not None:
            platform = _PLATFORMS.get(near.group("label").replace(" ", ""), "whatsapp")
            found.append(TextFind(f"{platform}:{phone.e164}", near.start(), phone.end))
    return found
