"""The two-agency world, built once per session; each module works on its own copy."""

from __future__ import annotations

import pytest

from support.agencies import World
from support.agency_world import build_world


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("two-agencies"))
