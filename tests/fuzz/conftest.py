"""Fuzz tests (hostile input): the hypothesis profiles and a real bot without Matrix.

The profiles are registered on import of `tests.fuzz.profiles`: `fuzz-sample` (the default
suite) and `fuzz` (`HYPOTHESIS_PROFILE=fuzz`, `make test-fuzz`). Every test here is marked
`fuzz`, so `pytest -m fuzz` selects them and `-m "not fuzz"` leaves them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from sqlalchemy.engine import make_url

from tests.fixtures.postgres import _create_database as create_database
from tests.fuzz import profiles  # noqa: F401  (registers the profiles)
from tests.fuzz.world import World


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """One bot for a module's examples, on SQLite and on PostgreSQL (stricter: string lengths,
    32-bit integers, no NUL characters). State piles up across the examples (issues, alerts,
    groups, activations), so later examples meet a bot with history, as in real use."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('fuzz-world') / 'fuzz.db'}"
    else:
        server = request.getfixturevalue("postgres_url")
        name = f"fuzz_{uuid4().hex[:16]}"
        create_database(server, name)
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
    running = World(url)
    try:
        yield running
    finally:
        running.close()
