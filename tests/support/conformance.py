"""Real PAXLST messages from other systems, where this machine has them.

The shared conformance folder (``shared/data/conformance/paxlst`` beside the repository or
one of its parents) holds messages whose licence forbids copying them into the repository;
``benchmarks/conformance_paxlst.py`` finds and measures them, and the tests read them the
same way. ``MESSAGES`` is empty where the folder does not exist.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).parents[2] / "benchmarks" / "conformance_paxlst.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("conformance_paxlst", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


CONFORMANCE = _script()
FOLDER: Path = CONFORMANCE._default_folder()
MESSAGES = sorted(FOLDER.rglob("*.edi")) if FOLDER.is_dir() else []
