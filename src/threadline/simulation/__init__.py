"""The scenario simulator: a synthetic multi-country trafficking world with ground truth.

It writes the same files real sources would (ads JSON lines, INTERPOL-shaped notices,
stolen and lost documents, PAXLST manifests and their CSV twins, FtM case files,
identified persons) plus ``truth.json``, so analyses can be measured end to end.
Everything is deterministic for a seed; nothing refers to real people.
"""

from threadline.simulation.config import SCALES, SimulationConfig
from threadline.simulation.writer import simulate

__all__ = ["SCALES", "SimulationConfig", "simulate"]
