"""Shared fixtures: each real server (and the browser) the suite starts lives in its own plugin
module."""

pytest_plugins = [
    "tests.fixtures.postgres",
    "tests.fixtures.homeserver",
    "tests.fixtures.browser",
    "tests.fixtures.smtp",
]
