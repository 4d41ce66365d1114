"""Hypothesis profiles for the fuzz tests: a small sample in the default suite, the full volume
with `HYPOTHESIS_PROFILE=fuzz` (`make test-fuzz`).

The fuzz tests take their settings from `fuzzed()` rather than from a globally loaded profile,
so the default suite's other hypothesis tests keep their own example counts.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, Verbosity, settings

#: The default suite: enough to catch a regression, a few seconds per test.
SAMPLE = "fuzz-sample"
#: `make test-fuzz`: at least 10,000 examples per target.
FULL = "fuzz"

_COMMON = {
    # The router runs on a real SQLite file, whose timing varies with the machine's load.
    "deadline": None,
    # Huge whitespace and long texts are the point here, not a slow strategy to fix.
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}

settings.register_profile(SAMPLE, max_examples=250, **_COMMON)
settings.register_profile(FULL, max_examples=10_000, verbosity=Verbosity.normal, **_COMMON)


def active_profile() -> str:
    """`fuzz` when `HYPOTHESIS_PROFILE=fuzz`, else the small sample (another profile name in
    the variable is used as it is, e.g. `ci` if one is registered)."""
    name = os.environ.get("HYPOTHESIS_PROFILE", "").strip()
    return name or SAMPLE


def fuzzed(scale: float = 1.0) -> settings:
    """The active profile's settings, with `scale` times its examples (a costly target may
    run fewer in the sample, never fewer than 10,000 in the full run)."""
    base = settings.get_profile(active_profile())
    examples = max(1, round(base.max_examples * scale))
    if active_profile() == FULL:
        examples = max(examples, 10_000)
    return settings(base, max_examples=examples)
