"""No package in the environment may be under the GPL or AGPL (LGPL is allowed as a library)."""

from __future__ import annotations

import re
from importlib import metadata

STRONG_COPYLEFT = re.compile(r"(?<![L])(A?GPL|GNU (Affero )?General Public License)", re.I)
LESSER = re.compile(r"LGPL|Lesser General Public License|Library General Public License", re.I)


def _licence_texts(dist: metadata.Distribution) -> list[str]:
    meta = dist.metadata
    texts = [meta.get("License-Expression") or "", (meta.get("License") or "")[:200]]
    texts += [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return [t for t in texts if t]


def _is_strong_copyleft(text: str) -> bool:
    if LESSER.search(text):
        return False
    return bool(STRONG_COPYLEFT.search(text))


def test_no_gpl_or_agpl_dependencies() -> None:
    offenders = {}
    for dist in metadata.distributions():
        bad = [t for t in _licence_texts(dist) if _is_strong_copyleft(t)]
        if bad:
            offenders[dist.metadata["Name"]] = bad
    assert offenders == {}


def test_the_check_recognises_gpl() -> None:
    assert _is_strong_copyleft("License :: OSI Approved :: GNU General Public License v3 (GPLv3)")
    assert _is_strong_copyleft("AGPL-3.0-only")
    assert not _is_strong_copyleft("LGPL-3.0-only")
    assert not _is_strong_copyleft("License :: OSI Approved :: MIT License")
