"""Shared fixtures: each real server (and the browser) the suite starts lives in its own plugin
module."""

from __future__ import annotations

import pytest

pytest_plugins = [
    "tests.fixtures.postgres",
    "tests.fixtures.homeserver",
    "tests.fixtures.browser",
    "tests.fixtures.smtp",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files marked ``long`` (mostly waiting on real time) run first: with two workers each
    taking whole files, a long one left for last is the suite's tail while the other idles.
    (The Makefile passes ``--no-loadscope-reorder``, or xdist would put the files with the
    most tests first instead.)"""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
