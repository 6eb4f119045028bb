"""No package in the environment may be under the GPL or AGPL (LGPL is allowed as a library),
and every browser library is under a permissive licence."""

from __future__ import annotations

import json
import re
from importlib import metadata
from pathlib import Path
from typing import Any

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


# Browser libraries served from the static folder: their licences as the npm lock file
# records them. A new library under another licence fails here until it is reviewed.
FRONTEND_LOCK = Path(__file__).resolve().parents[1] / "frontend" / "package-lock.json"
PERMISSIVE_NPM = {"0BSD", "MIT", "ISC", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0"}


def _not_permissive(lock: dict[str, Any]) -> dict[str, str]:
    """Each locked npm package whose recorded licence is not on the permissive list."""
    licences = {
        name.removeprefix("node_modules/"): str(entry.get("license", "unknown"))
        for name, entry in lock["packages"].items()
        if name  # "" is the project itself
    }
    return {name: lic for name, lic in licences.items() if lic not in PERMISSIVE_NPM}


def test_browser_libraries_are_under_permissive_licences() -> None:
    lock = json.loads(FRONTEND_LOCK.read_text(encoding="utf-8"))
    assert {"node_modules/htmx.org", "node_modules/world-atlas"} <= set(lock["packages"])
    assert _not_permissive(lock) == {}


def test_the_browser_check_catches_a_copyleft_or_unstated_licence() -> None:
    lock = {
        "packages": {
            "": {"license": "Apache-2.0"},
            "node_modules/some-map": {"license": "GPL-3.0"},
            "node_modules/no-licence": {},
            "node_modules/world-atlas": {"license": "ISC"},
        }
    }
    assert _not_permissive(lock) == {"some-map": "GPL-3.0", "no-licence": "unknown"}
