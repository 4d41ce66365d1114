"""Chat commands, one module per family; importing this package registers them all."""

from commands import (  # noqa: F401  (registers on import)
    activation,
    alerts,
    duty,
    groups,
    help,
    issues,
    journal,
    meetings,
    reports,
    whoami,
)
from commands.registry import registry

__all__ = ["registry"]
